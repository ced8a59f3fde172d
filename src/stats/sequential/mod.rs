//! Many looks at one experiment: group-sequential boundaries (error spending,
//! classical shapes, futility), always-valid inference (mSPRT, confidence
//! sequences) and the per-look analysis of observed data.

pub mod boundaries;
pub mod confseq;
pub(crate) mod integration;
pub mod msprt;
pub mod spending;

pub use boundaries::{BoundaryFamily, Design, DesignSpec, Futility, LookBoundary, efficacy_bounds, equal_fractions};
pub use confseq::ConfidenceSequence;
pub use msprt::Msprt;
pub use spending::SpendingFunction;

/// Probability that a sequence of fixed per-look critical values `c_k` on |Z|
/// is ever crossed under H0 when the looks sit at information fractions `t_k`
/// (two-sided; Armitage, McPherson & Rowe 1969). With `c_k = 1.96` this is
/// the false-positive rate of naive repeated significance testing.
pub fn repeated_test_size(fractions: &[f64], critical: &[f64]) -> f64 {
    let stages: Vec<integration::Stage> =
        fractions.iter().zip(critical).map(|(&info, &c)| integration::Stage { info, lower: -c, upper: c }).collect();
    integration::exit_probabilities(&stages, 0.0).iter().map(|e| e.upper + e.lower).sum()
}
