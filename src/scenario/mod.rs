//! Scenario files: TOML text → every diagnostic at once → a valid [`Scenario`].
//!
//! `read` walks the span-preserving TOML tree itself instead of deriving serde
//! types: serde stops at the first unknown key or wrong type, and users must see
//! every problem of a file at once, each at its line and column.

mod behaviour;
pub mod definitions;
mod experiment;
mod fields;
pub mod grammar;
mod graph;
mod journey;
pub(crate) mod model;
pub mod path;
mod population;
mod read;

pub use model::*;
pub use population::typical_segment;
pub use read::read;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What kind of problem a diagnostic reports; stable names for tests and the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// The text is not valid TOML.
    Syntax,
    UnknownKey,
    MissingField,
    WrongType,
    OutOfRange,
    /// Shares that must sum to 1 do not.
    SharesSum,
    DuplicateName,
    UnknownChannel,
    /// Any other unknown enumeration value (profile, content kind, trigger event…).
    UnknownValue,
    DanglingReference,
    CycleWithoutWait,
    UnreachableNode,
    /// A journey without exactly one trigger node.
    Trigger,
}

/// One problem in a scenario file, at a place, with a way to fix it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    /// 1-based line of the offending key or value.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Field path, e.g. `population.segment[1].visits_per_day.sd` or `journey[0].node[3].next`.
    pub path: String,
    pub message: String,
    /// What would fix it.
    pub hint: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.line, self.column, self.path, self.message)?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

/// Why a scenario file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{} has {} problem(s):\n{}", path.display(), diagnostics.len(), render(path, diagnostics))]
    Invalid { path: PathBuf, diagnostics: Vec<Diagnostic> },
}

fn render(path: &Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {}:{d}", path.display())).collect::<Vec<_>>().join("\n")
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.to_owned(), source })?;
    read(&text).map_err(|diagnostics| LoadError::Invalid { path: path.to_owned(), diagnostics })
}
