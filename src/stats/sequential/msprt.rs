//! The mixture sequential probability ratio test (mSPRT) with a normal mixing
//! distribution, giving always-valid p-values and confidence intervals.
//!
//! Johari, Pekelis & Walsh (2017), "Always valid inference: Bringing sequential
//! analysis to A/B testing", arXiv:1512.04922 (Operations Research 70(3), 2022),
//! §4 (two-stream normal data, mixing `H = N(θ₀, τ²)`). For an estimate `Δ̂_n`
//! of the difference with variance `V_n` (two arms of `n`: `V_n = 2σ²/n`):
//!
//! ```text
//! Λ_n = √(V_n / (V_n + τ²)) · exp( τ² (Δ̂_n − θ₀)² / (2 V_n (V_n + τ²)) )
//! p_n = min(1, min_{m ≤ n} 1/Λ_m)                          (always-valid p-value: running minimum)
//! CI_n = ∩_{m ≤ n} [Δ̂_m ± √( 2V_m(V_m+τ²)/τ² · ln(√((V_m+τ²)/V_m) / α) )]   (running intersection)
//! ```
//!
//! With `V_n = 2σ²/n` this is the paper's `√(2σ²/(2σ²+nτ²)) exp(n²τ²(Ȳ−X̄−θ₀)²/(4σ²(2σ²+nτ²)))`.
//! For conversions `V_n` uses the plug-in unpooled variance `(p̂_A q̂_A + p̂_B q̂_B)/n`.

use serde::Serialize;

use crate::stats::StatsError;

/// An mSPRT at level α with mixing variance τ² (in squared effect units).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Msprt {
    pub tau2: f64,
    pub alpha: f64,
}

impl Msprt {
    pub fn new(tau2: f64, alpha: f64) -> Result<Self, StatsError> {
        if !(tau2 > 0.0 && tau2.is_finite()) {
            return Err(StatsError::OutOfRange { name: "tau2", value: tau2, expected: "a finite number > 0" });
        }
        crate::stats::check_open("alpha", alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
        Ok(Msprt { tau2, alpha })
    }

    /// The τ² that makes the boundary tightest when the variance of the estimate
    /// is `variance_at_horizon` (Howard et al. 2021 §3.5 / Waudby-Smith et al.:
    /// ρ² = (−2 ln α + ln(1 − 2 ln α)) / n*, and τ² = ρ²σ² = ρ² n* V*).
    pub fn tuned(variance_at_horizon: f64, alpha: f64) -> Result<Self, StatsError> {
        let log_alpha = alpha.ln();
        Msprt::new(variance_at_horizon * (-2.0 * log_alpha + (1.0 - 2.0 * log_alpha).ln()), alpha)
    }

    /// ln Λ for an estimate (minus θ₀ = 0) with variance `variance`.
    pub fn log_likelihood_ratio(&self, estimate: f64, variance: f64) -> f64 {
        let total = variance + self.tau2;
        0.5 * (variance / total).ln() + self.tau2 * estimate * estimate / (2.0 * variance * total)
    }

    /// The instantaneous `min(1, 1/Λ)`; the always-valid p-value is its running minimum.
    pub fn instantaneous_p(&self, estimate: f64, variance: f64) -> f64 {
        (-self.log_likelihood_ratio(estimate, variance)).exp().min(1.0)
    }

    /// Half-width of the level-(1−α) interval at this look (before intersecting).
    pub fn half_width(&self, variance: f64) -> f64 {
        let total = variance + self.tau2;
        (2.0 * variance * total / self.tau2 * ((total / variance).sqrt() / self.alpha).ln()).sqrt()
    }

    /// The |z| = |Δ̂|/√V at which Λ reaches 1/α: rejection iff |z| ≥ this.
    pub fn z_threshold(&self, variance: f64) -> f64 {
        self.half_width(variance) / variance.sqrt()
    }
}

/// Running always-valid summaries: minimum p-value and intersected interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AlwaysValid {
    pub p_value: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Default for AlwaysValid {
    fn default() -> Self {
        AlwaysValid { p_value: 1.0, lower: f64::NEG_INFINITY, upper: f64::INFINITY }
    }
}

impl AlwaysValid {
    /// Folds in one look: p = min, interval = intersection.
    pub fn update(&mut self, instantaneous_p: f64, lower: f64, upper: f64) {
        self.p_value = self.p_value.min(instantaneous_p);
        self.lower = self.lower.max(lower);
        self.upper = self.upper.min(upper);
    }
}
