//! Errors cross IPC as objects `{code, message, location?, diagnostics}`,
//! never bare strings: the UI matches on `code` (an [`ErrorCode`], a union in
//! TypeScript) and shows `message` and `location`.

use journeylab::api::{CompareError, Diagnostic, EditError, RobustError, RunError, StoreError};
use serde::Serialize;
use specta::Type;

use crate::dto::DiagnosticDto;

/// What went wrong, for the UI to act on; `message` says it to people. Serialised dotted
/// (`scenario.invalid`): the strings are part of the IPC contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
pub enum ErrorCode {
    /// The scenario text has problems; `diagnostics` lists every one, `location` the first.
    #[serde(rename = "scenario.invalid")]
    ScenarioInvalid,
    /// Saving to the library needs a name.
    #[serde(rename = "scenario.unnamed")]
    ScenarioUnnamed,
    /// The job was cancelled (`cancel_run`, or superseded by newer settings): not a failure to show.
    #[serde(rename = "run.cancelled")]
    RunCancelled,
    /// A run, comparison or sweep failed, or its worker thread did.
    #[serde(rename = "run.failed")]
    RunFailed,
    /// The history (SQLite) could not be read or written.
    #[serde(rename = "store.failed")]
    StoreFailed,
    /// A file could not be read or written, or an export format is unknown.
    #[serde(rename = "file.failed")]
    FileFailed,
    /// A form or canvas edit was refused.
    #[serde(rename = "edit.failed")]
    EditFailed,
    /// The comparison's options are out of bounds.
    #[serde(rename = "compare.invalid")]
    CompareInvalid,
    /// The robustness sweep's inputs are out of bounds, or the scenario cannot be swept.
    #[serde(rename = "robust.invalid")]
    RobustInvalid,
    /// The scenario has no `[experiment]` section.
    #[serde(rename = "experiment.missing")]
    ExperimentMissing,
    /// The experiment could not be analysed.
    #[serde(rename = "experiment.failed")]
    ExperimentFailed,
    /// A lab input (method, design, replications) is invalid.
    #[serde(rename = "lab.invalid")]
    LabInvalid,
    /// The lab's state is unavailable, or its Monte Carlo produced nothing.
    #[serde(rename = "lab.failed")]
    LabFailed,
    /// A chart could not be drawn.
    #[serde(rename = "chart.failed")]
    ChartFailed,
    /// An event export could not be read or mapped; the message says how far it got and what to change.
    #[serde(rename = "import.failed")]
    ImportFailed,
    /// The export cannot be calibrated with these settings (holdout dates, nobody buying twice, …).
    #[serde(rename = "calibrate.invalid")]
    CalibrateInvalid,
    /// What was asked for does not exist (a run, an example, a chart, a node), or is not there yet.
    #[serde(rename = "not-found")]
    NotFound,
    /// Never sent by the shell: the UI's code for a rejection that is not an `IpcError`
    /// (an unknown command, arguments of the wrong shape).
    #[serde(rename = "ipc.failed")]
    IpcFailed,
}

impl ErrorCode {
    /// The code as it crosses IPC, e.g. `scenario.invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ScenarioInvalid => "scenario.invalid",
            ErrorCode::ScenarioUnnamed => "scenario.unnamed",
            ErrorCode::RunCancelled => "run.cancelled",
            ErrorCode::RunFailed => "run.failed",
            ErrorCode::StoreFailed => "store.failed",
            ErrorCode::FileFailed => "file.failed",
            ErrorCode::EditFailed => "edit.failed",
            ErrorCode::CompareInvalid => "compare.invalid",
            ErrorCode::RobustInvalid => "robust.invalid",
            ErrorCode::ExperimentMissing => "experiment.missing",
            ErrorCode::ExperimentFailed => "experiment.failed",
            ErrorCode::LabInvalid => "lab.invalid",
            ErrorCode::LabFailed => "lab.failed",
            ErrorCode::ChartFailed => "chart.failed",
            ErrorCode::ImportFailed => "import.failed",
            ErrorCode::CalibrateInvalid => "calibrate.invalid",
            ErrorCode::NotFound => "not-found",
            ErrorCode::IpcFailed => "ipc.failed",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in the scenario text a problem is.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub path: String,
}

/// An error as the UI receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Type, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub location: Option<Location>,
    /// For `scenario.invalid`: every problem, each at its place.
    pub diagnostics: Vec<DiagnosticDto>,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError { code, message: message.into(), location: None, diagnostics: Vec::new() }
    }

    pub fn invalid_scenario(diagnostics: &[Diagnostic]) -> Self {
        let diagnostics: Vec<DiagnosticDto> = diagnostics.iter().map(DiagnosticDto::from).collect();
        let location = diagnostics.first().map(|d| Location { line: d.line, column: d.column, path: d.path.clone() });
        let message = match diagnostics.as_slice() {
            [one] => format!("line {}: {}", one.line, one.message),
            many => format!("the scenario has {} problems", many.len()),
        };
        IpcError { code: ErrorCode::ScenarioInvalid, message, location, diagnostics }
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NoRun(_) => IpcError::new(ErrorCode::NotFound, e.to_string()),
            other => IpcError::new(ErrorCode::StoreFailed, other.to_string()),
        }
    }
}

impl From<RunError> for IpcError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Cancelled => IpcError::new(ErrorCode::RunCancelled, "The run was cancelled."),
            other => IpcError::new(ErrorCode::RunFailed, other.to_string()),
        }
    }
}

impl From<CompareError> for IpcError {
    fn from(e: CompareError) -> Self {
        match e {
            CompareError::Run(run) => run.into(),
            other => IpcError::new(ErrorCode::CompareInvalid, other.to_string()),
        }
    }
}

impl From<RobustError> for IpcError {
    fn from(e: RobustError) -> Self {
        match e {
            RobustError::Run(run) => run.into(),
            other => IpcError::new(ErrorCode::RobustInvalid, other.to_string()),
        }
    }
}

impl From<EditError> for IpcError {
    fn from(e: EditError) -> Self {
        IpcError::new(ErrorCode::EditFailed, e.to_string())
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_as_code_message_location() {
        let json =
            serde_json::to_value(IpcError::new(ErrorCode::RunCancelled, "The run was cancelled.")).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"code": "run.cancelled", "message": "The run was cancelled.", "location": null, "diagnostics": []})
        );
    }

    #[test]
    fn every_code_serialises_as_its_dotted_name() {
        use ErrorCode::*;
        let all = [
            ScenarioInvalid,
            ScenarioUnnamed,
            RunCancelled,
            RunFailed,
            StoreFailed,
            FileFailed,
            EditFailed,
            CompareInvalid,
            RobustInvalid,
            ExperimentMissing,
            ExperimentFailed,
            LabInvalid,
            LabFailed,
            ChartFailed,
            ImportFailed,
            CalibrateInvalid,
            NotFound,
            IpcFailed,
        ];
        for code in all {
            assert_eq!(serde_json::to_value(code).expect("json"), serde_json::json!(code.as_str()));
        }
    }
}
