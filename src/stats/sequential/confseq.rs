//! Asymptotic confidence sequences for a difference of means.
//!
//! Waudby-Smith, Arnold, Wu, Ramdas & Howard (2024), "Time-uniform central
//! limit theory and asymptotic confidence sequences", *Annals of Statistics*
//! 52(6) (arXiv:2103.06476), the two-sided normal-mixture AsympCS (Thm 2.2),
//! built on Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform,
//! nonparametric, nonasymptotic confidence sequences", *Annals of Statistics*
//! 49(2):1055–1080, eq. (14) and §3.5 for the tuning:
//!
//! ```text
//! C_t = μ̂_t ± σ̂_t √( 2(tρ² + 1) / (t²ρ²) · ln( √(tρ² + 1) / α ) )
//! ρ² = (−2 ln α + ln(1 − 2 ln α)) / t*      (tightest at t = t*)
//! ```
//!
//! For an A/B difference `t` is the users per arm and `σ̂² = σ̂_A² + σ̂_B²` the
//! variance of one treatment-minus-control pair, so `σ̂²/t` is the unpooled
//! variance of `Δ̂`. In z units the sequence rejects 0 when
//! `|z| ≥ √(2(1 + 1/(tρ²)) · ln(√(tρ²+1)/α))`: the mSPRT of [`super::Msprt`]
//! with `τ² = ρ²σ²`, which is why both exist but share a boundary shape.

use serde::Serialize;

use crate::stats::StatsError;

/// A two-sided asymptotic confidence sequence at level 1 − α with tuning ρ.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ConfidenceSequence {
    pub rho: f64,
    pub alpha: f64,
}

impl ConfidenceSequence {
    pub fn new(rho: f64, alpha: f64) -> Result<Self, StatsError> {
        if !(rho > 0.0 && rho.is_finite()) {
            return Err(StatsError::OutOfRange { name: "rho", value: rho, expected: "a finite number > 0" });
        }
        crate::stats::check_open("alpha", alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
        Ok(ConfidenceSequence { rho, alpha })
    }

    /// ρ that minimises the width at `t_star` users per arm (Howard et al. 2021 §3.5).
    pub fn tuned(t_star: f64, alpha: f64) -> Result<Self, StatsError> {
        if !(t_star >= 1.0 && t_star.is_finite()) {
            return Err(StatsError::OutOfRange { name: "t_star", value: t_star, expected: "at least 1 user per arm" });
        }
        let log_alpha = alpha.ln();
        ConfidenceSequence::new(((-2.0 * log_alpha + (1.0 - 2.0 * log_alpha).ln()) / t_star).sqrt(), alpha)
    }

    /// The multiplier of `σ̂/√t` (the standard error) at `t` users per arm.
    pub fn z_threshold(&self, t: f64) -> f64 {
        let r = t * self.rho * self.rho;
        (2.0 * (1.0 + 1.0 / r) * ((r + 1.0).sqrt() / self.alpha).ln()).sqrt()
    }

    /// Half-width `σ̂ √(2(tρ²+1)/(t²ρ²) ln(√(tρ²+1)/α))`.
    pub fn half_width(&self, sigma: f64, t: f64) -> f64 {
        sigma / t.sqrt() * self.z_threshold(t)
    }

    /// Smallest α at which 0 leaves the sequence at this look: `√(tρ²+1) · exp(−z² tρ² / (2(tρ²+1)))`.
    pub fn instantaneous_p(&self, z: f64, t: f64) -> f64 {
        let r = t * self.rho * self.rho;
        ((r + 1.0).sqrt() * (-z * z * r / (2.0 * (r + 1.0))).exp()).min(1.0)
    }
}
