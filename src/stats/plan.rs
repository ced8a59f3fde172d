//! Planning: users per arm and duration.
//!
//! * Proportions (Fleiss, Levin & Paik 2003, eq. 4.14, no continuity correction;
//!   the formula behind R's `power.prop.test`):
//!   `n = (z_{α'} √(2 p̄ q̄) + z_β √(p₁q₁ + p₂q₂))² / δ²`, `p̄ = (p₁+p₂)/2`,
//!   where `α'` is α/2 two-sided and α one-sided and `z_β = Φ⁻¹(power)`.
//! * Means (normal approximation): `n = 2σ² (z_{α'} + z_β)² / δ²`.
//! * Against a margin δ₀ (one-sided, H0: lift ≤ δ₀; non-inferiority when δ₀ < 0):
//!   Chow, Shao & Wang (2008), *Sample Size Calculations in Clinical Research*,
//!   2nd ed., §4.2 (proportions, unpooled) and §3.2 (means):
//!   `n = (z_α + z_β)² (p₁q₁ + p₂q₂) / (Δ − δ₀)²` and `n = 2σ² (z_α + z_β)² / (Δ − δ₀)²`,
//!   where Δ is the true lift the power is computed at (0 for "truly equal").
//!   A relative margin on proportions is `δ₀ = margin × baseline`.
//! * Group-sequential: the maximum is `inflation × n_fixed`; expected sizes
//!   under H0 and H1 come from the design's stopping probabilities.
//! * Duration: `days = ⌈2 n / daily users⌉` (both arms share the traffic).

use serde::Serialize;

use super::fixed::Margin;
use super::numeric::{find_root, norm_upper_quantile};
use super::sequential::Design;
use super::{Sides, StatsError, check_open};

/// The minimum detectable effect, absolute (`p_B − p_A`) or relative (`p_B/p_A − 1`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "scale", content = "value", rename_all = "kebab-case")]
pub enum Effect {
    Absolute(f64),
    Relative(f64),
}

impl Effect {
    /// The absolute difference on a baseline.
    pub fn absolute_on(self, baseline: f64) -> f64 {
        match self {
            Effect::Absolute(d) => d,
            Effect::Relative(r) => baseline * r,
        }
    }
}

/// Test settings shared by every plan.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Errors {
    pub alpha: f64,
    pub power: f64,
    pub sides: Sides,
}

impl Errors {
    fn z_sum_parts(self) -> Result<(f64, f64), StatsError> {
        check_open("alpha", self.alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
        check_open("power", self.power, 0.0, 1.0, "a probability strictly between 0 and 1")?;
        Ok((norm_upper_quantile(self.sides.alpha_per_side(self.alpha)), norm_upper_quantile(1.0 - self.power)))
    }
}

/// Users per arm (not rounded) for a fixed-horizon two-proportion z-test.
pub fn proportions_per_arm(baseline: f64, effect: Effect, errors: Errors) -> Result<f64, StatsError> {
    check_open("baseline", baseline, 0.0, 1.0, "a conversion rate strictly between 0 and 1")?;
    let delta = effect.absolute_on(baseline);
    let treated = baseline + delta;
    if delta == 0.0 || !(treated > 0.0 && treated < 1.0) {
        return Err(StatsError::Inconsistent(format!(
            "the effect must be non-zero and keep the treated rate in (0, 1); baseline {baseline} + effect {delta} = {treated}"
        )));
    }
    let (z_alpha, z_beta) = errors.z_sum_parts()?;
    let mean = 0.5 * (baseline + treated);
    let numerator = z_alpha * (2.0 * mean * (1.0 - mean)).sqrt()
        + z_beta * (baseline * (1.0 - baseline) + treated * (1.0 - treated)).sqrt();
    Ok((numerator / delta).powi(2))
}

/// Users per arm (not rounded) for a difference of means with per-user sd `sd`.
pub fn means_per_arm(sd: f64, delta: f64, errors: Errors) -> Result<f64, StatsError> {
    if !(sd > 0.0 && sd.is_finite()) || delta == 0.0 || !delta.is_finite() {
        return Err(StatsError::Inconsistent(format!(
            "need sd > 0 and a non-zero effect, got sd {sd}, effect {delta}"
        )));
    }
    let (z_alpha, z_beta) = errors.z_sum_parts()?;
    Ok(2.0 * (sd * (z_alpha + z_beta) / delta).powi(2))
}

fn one_sided_z_parts(alpha: f64, power: f64) -> Result<(f64, f64), StatsError> {
    Errors { alpha, power, sides: Sides::One }.z_sum_parts()
}

/// Users per arm (not rounded) for the one-sided unpooled test of proportions against
/// `margin` (see [`crate::stats::fixed::two_proportion_margin_test`]), powered at the true `effect`.
pub fn proportions_margin_per_arm(
    baseline: f64,
    effect: Effect,
    margin: Margin,
    alpha: f64,
    power: f64,
) -> Result<f64, StatsError> {
    check_open("baseline", baseline, 0.0, 1.0, "a conversion rate strictly between 0 and 1")?;
    let margin = margin.validated()?;
    let delta = effect.absolute_on(baseline);
    let treated = baseline + delta;
    if !(treated > 0.0 && treated < 1.0) {
        return Err(StatsError::Inconsistent(format!(
            "the effect must keep the treated rate in (0, 1); baseline {baseline} + effect {delta} = {treated}"
        )));
    }
    let null = match margin {
        Margin::Absolute(d) => d,
        Margin::Relative(r) => r * baseline,
    };
    let distance = delta - null;
    if distance <= 0.0 {
        return Err(StatsError::Inconsistent(format!(
            "the true effect {delta} must exceed the margin's null boundary {null}, or no sample size gives power"
        )));
    }
    let (z_alpha, z_beta) = one_sided_z_parts(alpha, power)?;
    let variance = baseline * (1.0 - baseline) + treated * (1.0 - treated);
    Ok((z_alpha + z_beta).powi(2) * variance / (distance * distance))
}

/// Users per arm (not rounded) for the one-sided test of means against an absolute margin.
pub fn means_margin_per_arm(sd: f64, delta: f64, margin: f64, alpha: f64, power: f64) -> Result<f64, StatsError> {
    let distance = delta - margin;
    if !(sd > 0.0 && sd.is_finite() && distance > 0.0 && distance.is_finite()) {
        return Err(StatsError::Inconsistent(format!(
            "need sd > 0 and a true effect above the margin, got sd {sd}, effect {delta}, margin {margin}"
        )));
    }
    let (z_alpha, z_beta) = one_sided_z_parts(alpha, power)?;
    Ok(2.0 * (sd * (z_alpha + z_beta) / distance).powi(2))
}

/// A sample-size plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Users per arm at the maximum (rounded up).
    pub n_per_arm: u64,
    /// Users per arm of the equivalent fixed-horizon test (rounded up).
    pub n_fixed_per_arm: u64,
    /// Days at the given daily traffic (both arms), if traffic was given.
    pub days: Option<u64>,
    /// Expected users per arm if H0 is true / at the planned effect (sequential designs).
    pub expected_n_h0: Option<f64>,
    pub expected_n_h1: Option<f64>,
}

/// Rounds a fixed-horizon size up and scales it to a sequential design if any.
pub fn plan(n_fixed: f64, design: Option<&Design>, daily_users: Option<f64>) -> Result<Plan, StatsError> {
    if let Some(users) = daily_users {
        check_open("daily_users", users, 0.0, f64::INFINITY, "a positive number of users per day")?;
    }
    let n_fixed_per_arm = n_fixed.ceil() as u64;
    let maximum = design.map_or(n_fixed, |d| n_fixed * d.inflation);
    let n_per_arm = maximum.ceil() as u64;
    Ok(Plan {
        n_per_arm,
        n_fixed_per_arm,
        days: daily_users.map(|users| (2.0 * n_per_arm as f64 / users).ceil() as u64),
        expected_n_h0: design.map(|d| d.expected_fraction_h0 * maximum),
        expected_n_h1: design.map(|d| d.expected_fraction_h1 * maximum),
    })
}

/// The control arm's metric: a conversion rate, or a mean with its per-user sd.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Baseline {
    Rate { rate: f64 },
    Mean { mean: f64, sd: f64 },
}

impl Baseline {
    /// The level relative effects are taken on (the rate or the mean).
    pub fn level(self) -> f64 {
        match self {
            Baseline::Rate { rate } => rate,
            Baseline::Mean { mean, .. } => mean,
        }
    }

    /// Users per arm (not rounded) of the fixed-horizon test for `effect`.
    pub fn fixed_per_arm(self, effect: Effect, errors: Errors) -> Result<f64, StatsError> {
        match self {
            Baseline::Rate { rate } => proportions_per_arm(rate, effect, errors),
            Baseline::Mean { mean, sd } => means_per_arm(sd, effect.absolute_on(mean), errors),
        }
    }
}

/// The smallest absolute effect (an increase) that `n_per_arm` users per arm detect with the
/// requested power, for a design whose maximum is `inflation` × the fixed size; `None` when even
/// the largest possible increase of a rate needs more users.
///
/// # Formula
/// The inverse of the sample-size formulas above in δ: for means in closed form,
/// `δ = σ (z_{α'} + z_β) √(2 · inflation / n)`; for proportions Fleiss–Levin–Paik's `n(δ)`
/// decreases in δ on `(0, 1 − p)` and is solved for `n(δ) · inflation = n` by bracketed root finding.
pub fn detectable_effect(
    baseline: Baseline,
    n_per_arm: f64,
    errors: Errors,
    inflation: f64,
) -> Result<Option<f64>, StatsError> {
    if !(n_per_arm > 0.0 && n_per_arm.is_finite() && inflation >= 1.0 && inflation.is_finite()) {
        return Err(StatsError::Inconsistent(format!(
            "need a positive number of users per arm and an inflation ≥ 1, got {n_per_arm} and {inflation}"
        )));
    }
    let fixed = n_per_arm / inflation;
    match baseline {
        Baseline::Mean { sd, .. } => {
            let (z_alpha, z_beta) = errors.z_sum_parts()?;
            if !(sd > 0.0 && sd.is_finite()) {
                return Err(StatsError::Inconsistent(format!("need sd > 0, got {sd}")));
            }
            Ok(Some(sd * (z_alpha + z_beta) * (2.0 / fixed).sqrt()))
        }
        Baseline::Rate { rate } => {
            check_open("baseline", rate, 0.0, 1.0, "a conversion rate strictly between 0 and 1")?;
            let needed = |delta: f64| proportions_per_arm(rate, Effect::Absolute(delta), errors);
            let (lo, hi) = (1e-9, (1.0 - rate) * (1.0 - 1e-9));
            if needed(hi)? > fixed {
                return Ok(None);
            }
            let f = |delta: f64| needed(delta).map_or(f64::NAN, |n| n.ln() - fixed.ln());
            find_root(f, lo, hi, 1e-12, "the detectable effect").map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_power_prop_test_help_example() {
        // R, ?power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90) => n = 76.7 per group,
        // printed to 3 significant digits (mpmath with the same formula: 76.70693).
        const PRINTED_ROUNDING: f64 = 0.05;
        let errors = Errors { alpha: 0.05, power: 0.9, sides: Sides::Two };
        let n = proportions_per_arm(0.5, Effect::Absolute(0.25), errors).expect("valid");
        assert!((n - 76.7).abs() < PRINTED_ROUNDING, "{n}");
        assert!((n - 76.706_928_45).abs() < 1e-6, "{n}");
        let relative = proportions_per_arm(0.5, Effect::Relative(0.5), errors).expect("valid");
        assert!((relative - n).abs() < 1e-9);
    }

    #[test]
    fn impossible_effects_are_refused() {
        let errors = Errors { alpha: 0.05, power: 0.8, sides: Sides::Two };
        assert!(proportions_per_arm(0.9, Effect::Absolute(0.2), errors).is_err());
        assert!(proportions_per_arm(0.1, Effect::Relative(0.0), errors).is_err());
        assert!(means_per_arm(0.0, 1.0, errors).is_err());
    }

    #[test]
    fn detectable_effect_inverts_the_sample_size_by_round_trip() {
        const ROUND_TRIP: f64 = 1e-6;
        let errors = Errors { alpha: 0.05, power: 0.8, sides: Sides::Two };
        for baseline in
            [Baseline::Rate { rate: 0.05 }, Baseline::Rate { rate: 0.6 }, Baseline::Mean { mean: 3.0, sd: 9.0 }]
        {
            for (n, inflation) in [(500.0, 1.0), (20_000.0, 1.0), (20_000.0, 1.128)] {
                let delta = detectable_effect(baseline, n, errors, inflation).expect("valid").expect("detectable");
                let back = baseline.fixed_per_arm(Effect::Absolute(delta), errors).expect("valid") * inflation;
                assert!((back / n - 1.0).abs() < ROUND_TRIP, "{baseline:?} n {n}: δ {delta} needs {back}");
            }
        }
        // R: power.prop.test(p1 = .5, p2 = .75, power = .9) needs 76.7 per arm, so 76.7 users detect +0.25.
        let r_example = detectable_effect(
            Baseline::Rate { rate: 0.5 },
            76.706_928_45,
            Errors { alpha: 0.05, power: 0.9, sides: Sides::Two },
            1.0,
        )
        .expect("valid");
        assert!((r_example.expect("detectable") - 0.25).abs() < 1e-6);
        // Five users per arm cannot detect any increase of a 0.5 rate with 80 % power (it needs 10.5).
        assert_eq!(detectable_effect(Baseline::Rate { rate: 0.5 }, 5.0, errors, 1.0), Ok(None));
    }
}
