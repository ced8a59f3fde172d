//! Sample-ratio mismatch: is the observed split of users what the design said?
//!
//! Pearson's χ² goodness-of-fit test, `X² = Σ (O_i − E_i)² / E_i` on
//! `k − 1` degrees of freedom, p-value from statrs' χ² distribution. The usual
//! alarm threshold is p < 0.001 (Fabijan et al. 2019, "Diagnosing sample ratio
//! mismatch in online controlled experiments", KDD '19, doi:10.1145/3292500.3330722).

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::StatsError;

/// The conventional alarm threshold for the SRM p-value.
pub const SRM_THRESHOLD: f64 = 0.001;

/// Result of the check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SrmCheck {
    pub test: &'static str,
    pub chi_square: f64,
    pub df: u64,
    pub p_value: f64,
    /// `p_value < threshold`.
    pub mismatch: bool,
}

/// Tests observed arm sizes against the planned weights (any positive scale).
pub fn sample_ratio_mismatch(observed: &[u64], weights: &[f64], threshold: f64) -> Result<SrmCheck, StatsError> {
    if observed.len() < 2 || observed.len() != weights.len() {
        return Err(StatsError::Inconsistent(format!(
            "need one planned weight per arm and at least two arms, got {} arms and {} weights",
            observed.len(),
            weights.len()
        )));
    }
    if weights.iter().any(|w| !(*w > 0.0 && w.is_finite())) {
        return Err(StatsError::Inconsistent("planned weights must be finite and > 0".into()));
    }
    let total: u64 = observed.iter().sum();
    if total == 0 {
        return Err(StatsError::Inconsistent("no users observed".into()));
    }
    let weight_sum: f64 = weights.iter().sum();
    let chi_square: f64 = observed
        .iter()
        .zip(weights)
        .map(|(&o, w)| {
            let expected = total as f64 * w / weight_sum;
            (o as f64 - expected).powi(2) / expected
        })
        .sum();
    let df = observed.len() as u64 - 1;
    let dist = ChiSquared::new(df as f64).map_err(|e| StatsError::Inconsistent(format!("chi-square: {e}")))?;
    let p_value = dist.sf(chi_square);
    Ok(SrmCheck { test: "Pearson chi-square goodness of fit", chi_square, df, p_value, mismatch: p_value < threshold })
}
