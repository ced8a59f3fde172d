//! Statistics for A/B tests: fixed-horizon tests, planning, group-sequential
//! designs, always-valid inference, Bayesian summaries and the peeking Monte Carlo.
//!
//! Reading order: [`fixed`] (one look, classical tests) → [`srm`] (is the split
//! what it should be) → [`plan`] (how many users) → [`sequential`] (many looks:
//! group-sequential boundaries, mSPRT, confidence sequences, per-look analysis)
//! → [`bayes`] → [`peeking`] (what each method does when you look K times).
//!
//! Conventions, documented in `docs/statistics.md` and named in every result:
//! two-sided tests at level α spend α/2 on each side (gsDesign/rpact); the
//! z-test uses the pooled standard error, intervals the unpooled one; lifts are
//! absolute (`p_B − p_A`) unless called relative (`p_B / p_A − 1`).
//!
//! Nothing here does I/O or prints; errors are typed ([`StatsError`]).

pub mod bayes;
pub mod fixed;
pub mod method;
pub mod monitor;
pub(crate) mod numeric;

pub use numeric::{Z_975, t_975};
pub mod peeking;
pub mod plan;
pub mod planner;
pub mod sequential;
pub mod srm;

use serde::Serialize;

/// Why a statistical computation was refused or stopped.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// A parameter is outside the range where the method is defined.
    #[error("{name} = {value} is out of range: {expected}")]
    OutOfRange { name: &'static str, value: f64, expected: &'static str },
    /// Inputs that are individually fine but do not fit together.
    #[error("{0}")]
    Inconsistent(String),
    /// A long computation was cancelled through its cancel flag.
    #[error("cancelled")]
    Cancelled,
    /// A numerical search found no solution (the message says which).
    #[error("no solution: {0}")]
    NoSolution(String),
}

/// Checks `lo < value < hi` (open interval), naming the parameter on failure.
pub(crate) fn check_open(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    expected: &'static str,
) -> Result<(), StatsError> {
    if value > lo && value < hi { Ok(()) } else { Err(StatsError::OutOfRange { name, value, expected }) }
}

/// One- or two-sided testing. Two-sided at level α spends α/2 on each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sides {
    /// H1: treatment better than control (upper side only).
    One,
    /// H1: any difference; α/2 on each side (gsDesign/rpact convention).
    Two,
}

impl Sides {
    /// The error rate each side may spend: α for one-sided, α/2 for two-sided.
    pub fn alpha_per_side(self, alpha: f64) -> f64 {
        match self {
            Sides::One => alpha,
            Sides::Two => alpha / 2.0,
        }
    }

    /// Human-readable convention, repeated in every output.
    pub fn describe(self) -> &'static str {
        match self {
            Sides::One => "one-sided (upper)",
            Sides::Two => "two-sided, alpha/2 per side (gsDesign/rpact convention)",
        }
    }
}
