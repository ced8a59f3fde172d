//! Many looks at one experiment: group-sequential boundaries (error spending,
//! classical shapes, futility), always-valid inference (mSPRT, confidence
//! sequences) and the per-look analysis of observed data.

pub mod boundaries;
mod choice;
pub mod confseq;
pub(crate) mod integration;
pub mod msprt;
pub mod spending;

pub use boundaries::{
    BoundaryFamily, ConditionalPower, Design, DesignSpec, Futility, LookBoundary, efficacy_bounds, equal_fractions,
};
pub use choice::{ChoiceError, DesignChoice, FutilityChoice};
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

/// The exact false-positive rate of naive peeking by look: entry `k − 1` is
/// `P(|Z_j| ≥ z_{α/2} for some j ≤ k | H0)` with `k` equally spaced looks at
/// nominal two-sided level α (Armitage, McPherson & Rowe 1969, Table 2 for
/// α = 0.05). One recursion serves every `k`: the first `k` of `K` equally
/// spaced looks are, after rescaling the information (Brownian scaling), `k`
/// equally spaced looks, and the naive boundary does not depend on `K`.
pub fn naive_peeking_curve(looks: usize, alpha: f64) -> Result<Vec<f64>, crate::stats::StatsError> {
    crate::stats::check_open("alpha", alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
    boundaries::validate_fractions(&equal_fractions(looks), true)?;
    let critical = crate::stats::numeric::norm_upper_quantile(alpha / 2.0);
    let stages: Vec<integration::Stage> = equal_fractions(looks)
        .into_iter()
        .map(|info| integration::Stage { info, lower: -critical, upper: critical })
        .collect();
    let mut cumulative = 0.0;
    Ok(integration::exit_probabilities(&stages, 0.0)
        .iter()
        .map(|e| {
            cumulative += e.upper + e.lower;
            cumulative
        })
        .collect())
}
