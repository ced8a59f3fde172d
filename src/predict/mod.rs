//! Projecting retention and purchasing beyond what was observed, with the
//! "buy till you die" models of Fader and Hardie, documented in docs/predict.md:
//!
//! - [`sbg`]: the shifted-beta-geometric model of contract duration (Fader &
//!   Hardie 2007, "How to project customer retention", *J. Interactive
//!   Marketing* 21:76–90) — fitted to a cohort's survival by period;
//! - [`bdw`]: the beta-discrete-Weibull (Fader, Hardie, Liu, Davin &
//!   Steenburgh 2018, *J. Interactive Marketing* 43:1–16), the sBG with
//!   individual churn probabilities that change with tenure;
//! - [`retention`]: the choice between the two on a held-out tail;
//! - [`bgnbd`]: the BG/NBD model of repeat purchasing (Fader, Hardie & Lee
//!   2005, "'Counting your customers' the easy way", *Marketing Science*
//!   24:275–284) — fitted to (frequency, recency, age) summaries;
//! - [`paretonbd`]: the Pareto/NBD (Schmittlein, Morrison & Colombo 1987,
//!   *Management Science* 33:1–24), whose customers can leave at any moment —
//!   fitted to the same summaries, with each customer's posterior purchase and
//!   dropout rates.
//!
//! All are fitted by maximum likelihood ([`optimize`]: BFGS on the
//! log-parameters with each model's analytic gradient), with standard errors
//! from the Hessian (central differences of that gradient) and delta-method
//! intervals for projections. Nothing here does I/O or prints.

pub mod bdw;
pub mod bgnbd;
pub mod optimize;
pub mod paretonbd;
pub mod retention;
pub mod sbg;
mod special;
pub mod summary;

/// Why a fit or projection was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PredictError {
    /// The data cannot be fitted (the message says what is wrong and where).
    #[error("{0}")]
    InvalidData(String),
    /// The likelihood surface gave no usable maximum (flat, or not finite).
    #[error("the fit did not converge: {0}")]
    NoConvergence(String),
}

/// An estimate with its standard error (from the inverse observed information).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub value: f64,
    /// `None` when the observed information is singular (the parameter is not identified).
    pub std_error: Option<f64>,
}

/// A projected quantity with a two-sided 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Projected {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The distinct items by `key`, each with how many times it occurs, in key order: the terms a
/// likelihood over many repeated summaries need evaluate only once (a sum over groups is the sum
/// over items).
pub fn distinct_with_counts<T: Copy, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(T, f64)> {
    let mut sorted: Vec<T> = items.to_vec();
    sorted.sort_unstable_by_key(&key);
    let mut groups: Vec<(T, f64)> = Vec::new();
    for item in sorted {
        match groups.last_mut() {
            Some((last, n)) if key(last) == key(&item) => *n += 1.0,
            _ => groups.push((item, 1.0)),
        }
    }
    groups
}
