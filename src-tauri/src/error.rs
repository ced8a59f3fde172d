//! Errors cross IPC as objects `{code, message, location?, diagnostics}`,
//! never bare strings: the UI branches on `code` and shows `location`.

use journeylab::api::{CompareError, Diagnostic, EditError, RobustError, RunError, StoreError};
use serde::Serialize;
use ts_rs::TS;

use crate::dto::DiagnosticDto;

/// Where in the scenario text a problem is.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub path: String,
}

/// An error as the UI receives it.
#[derive(Clone, Debug, PartialEq, Serialize, TS, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IpcError {
    /// Stable, dotted: `scenario.invalid`, `run.cancelled`, `run.failed`, `store.failed`, `file.failed`, `edit.failed`, `compare.invalid`, `robust.invalid`, `not-found`.
    pub code: String,
    pub message: String,
    pub location: Option<Location>,
    /// For `scenario.invalid`: every problem, each at its place.
    pub diagnostics: Vec<DiagnosticDto>,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError { code: code.to_owned(), message: message.into(), location: None, diagnostics: Vec::new() }
    }

    pub fn invalid_scenario(diagnostics: &[Diagnostic]) -> Self {
        let diagnostics: Vec<DiagnosticDto> = diagnostics.iter().map(DiagnosticDto::from).collect();
        let location = diagnostics.first().map(|d| Location { line: d.line, column: d.column, path: d.path.clone() });
        let message = match diagnostics.as_slice() {
            [one] => format!("line {}: {}", one.line, one.message),
            many => format!("the scenario has {} problems", many.len()),
        };
        IpcError { code: "scenario.invalid".into(), message, location, diagnostics }
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NoRun(_) => IpcError::new("not-found", e.to_string()),
            other => IpcError::new("store.failed", other.to_string()),
        }
    }
}

impl From<RunError> for IpcError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Cancelled => IpcError::new("run.cancelled", "The run was cancelled."),
            other => IpcError::new("run.failed", other.to_string()),
        }
    }
}

impl From<CompareError> for IpcError {
    fn from(e: CompareError) -> Self {
        match e {
            CompareError::Run(run) => run.into(),
            other => IpcError::new("compare.invalid", other.to_string()),
        }
    }
}

impl From<RobustError> for IpcError {
    fn from(e: RobustError) -> Self {
        match e {
            RobustError::Run(run) => run.into(),
            other => IpcError::new("robust.invalid", other.to_string()),
        }
    }
}

impl From<EditError> for IpcError {
    fn from(e: EditError) -> Self {
        IpcError::new("edit.failed", e.to_string())
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_as_code_message_location() {
        let json = serde_json::to_value(IpcError::new("run.cancelled", "The run was cancelled.")).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"code": "run.cancelled", "message": "The run was cancelled.", "location": null, "diagnostics": []})
        );
    }
}
