//! Error-spending functions: how much of an error rate may be used up by
//! information fraction `t ∈ [0, 1]`.
//!
//! Lan & DeMets (1983), "Discrete sequential boundaries for clinical trials",
//! *Biometrika* 70(3):659–663, doi:10.1093/biomet/70.3.659; Kim & DeMets (1987),
//! *Biometrika* 74(1):149–154; Hwang, Shih & DeCani (1990), *Statistics in
//! Medicine* 9:1439–1445. Forms as in gsDesign (`sfLDOF`, `sfLDPocock`,
//! `sfPower`, `sfHSD`) and rpact (`asOF`, `asP`, `asKD`, `asHSD`).
//!
//! The `total` passed in is the error for **one side**: a two-sided design at
//! α spends `f(t; α/2)` on each side, the gsDesign/rpact convention.

use serde::Serialize;

use crate::stats::StatsError;
use crate::stats::numeric::{norm_sf, norm_upper_quantile};

/// A spending function `f(t; total)` with `f(0) = 0`, `f(1) = total`, increasing.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SpendingFunction {
    /// Lan–DeMets O'Brien–Fleming type: `f(t) = 2 − 2Φ(Φ⁻¹(1 − total/2) / √t)`.
    ObrienFleming,
    /// Lan–DeMets Pocock type: `f(t) = total · ln(1 + (e − 1) t)`.
    Pocock,
    /// Kim–DeMets power family: `f(t) = total · t^ρ`, ρ > 0.
    KimDeMets { rho: f64 },
    /// Hwang–Shih–DeCani: `f(t) = total · (1 − e^{−γt}) / (1 − e^{−γ})`, or `total · t` at γ = 0.
    HwangShihDeCani { gamma: f64 },
    /// Nothing before the end: `f(t) = 0` for `t < 1`, `f(1) = total` (rpact's
    /// `typeOfDesign = "noEarlyEfficacy"`). As the efficacy spending of a design
    /// with a β-spending futility bound it gives a futility-only design: stop
    /// early only if it is bad, test for efficacy once, at the final look.
    NoEarlyStop,
}

impl SpendingFunction {
    /// Validates the family's parameter.
    pub fn validated(self) -> Result<Self, StatsError> {
        match self {
            SpendingFunction::KimDeMets { rho } if !(rho > 0.0 && rho.is_finite()) => {
                Err(StatsError::OutOfRange { name: "rho", value: rho, expected: "a finite number > 0" })
            }
            SpendingFunction::HwangShihDeCani { gamma } if !(gamma.is_finite() && gamma.abs() <= 40.0) => {
                Err(StatsError::OutOfRange { name: "gamma", value: gamma, expected: "a number in [-40, 40]" })
            }
            _ => Ok(self),
        }
    }

    /// Cumulative error spent at information fraction `t` (clamped to [0, 1]).
    pub fn spent(self, t: f64, total: f64) -> f64 {
        let t = t.clamp(0.0, 1.0);
        if t == 0.0 {
            return 0.0;
        }
        if t == 1.0 {
            return total;
        }
        match self {
            SpendingFunction::ObrienFleming => 2.0 * norm_sf(norm_upper_quantile(total / 2.0) / t.sqrt()),
            SpendingFunction::Pocock => total * (1.0 + (std::f64::consts::E - 1.0) * t).ln(),
            SpendingFunction::KimDeMets { rho } => total * t.powf(rho),
            SpendingFunction::HwangShihDeCani { gamma: 0.0 } => total * t,
            SpendingFunction::HwangShihDeCani { gamma } => total * (-(-gamma * t).exp_m1()) / (-(-gamma).exp_m1()),
            SpendingFunction::NoEarlyStop => 0.0,
        }
    }

    /// Name used in outputs, e.g. `lan-demets-obf` or `kim-demets(rho=2)`.
    pub fn label(self) -> String {
        match self {
            SpendingFunction::ObrienFleming => "lan-demets-obf".into(),
            SpendingFunction::Pocock => "lan-demets-pocock".into(),
            SpendingFunction::KimDeMets { rho } => format!("kim-demets(rho={rho})"),
            SpendingFunction::HwangShihDeCani { gamma } => format!("hwang-shih-decani(gamma={gamma})"),
            SpendingFunction::NoEarlyStop => "none(no-early-stop)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spending functions are closed forms; 1e-12 is double rounding.
    const CLOSED_FORM_TOLERANCE: f64 = 1e-12;

    #[test]
    fn every_family_spends_nothing_at_zero_and_everything_at_one() {
        for f in [
            SpendingFunction::ObrienFleming,
            SpendingFunction::Pocock,
            SpendingFunction::KimDeMets { rho: 2.0 },
            SpendingFunction::HwangShihDeCani { gamma: -4.0 },
            SpendingFunction::HwangShihDeCani { gamma: 0.0 },
        ] {
            assert_eq!(f.spent(0.0, 0.025), 0.0);
            assert_eq!(f.spent(1.0, 0.025), 0.025);
            let mut previous = 0.0;
            for step in 1..100 {
                let now = f.spent(step as f64 / 100.0, 0.025);
                assert!(now > previous, "{f:?} not increasing at {step}");
                previous = now;
            }
        }
    }

    #[test]
    fn rpact_alpha_spent_at_unequal_fractions() {
        // rpact test-f_design_group_sequential.R, design x7a: asOF, one-sided α = 0.13,
        // informationRates (0.4, 0.75, 1): alphaSpent 0.016665509, 0.080406163.
        let obf = SpendingFunction::ObrienFleming;
        assert!((obf.spent(0.4, 0.13) - 0.016_665_509).abs() < 1e-9);
        assert!((obf.spent(0.75, 0.13) - 0.080_406_163).abs() < 1e-9);
        // Same file, design x2: asHSD γ = −1, α = 0.07, rates (0.2, 0.4, 1): 0.0090195874, 0.020036136.
        let hsd = SpendingFunction::HwangShihDeCani { gamma: -1.0 };
        assert!((hsd.spent(0.2, 0.07) - 0.009_019_587_4).abs() < 1e-10);
        assert!((hsd.spent(0.4, 0.07) - 0.020_036_136).abs() < 1e-9);
        // HSD γ = 0 is linear: x1 spends 0.006 and 0.012 of α = 0.03 at 0.2 and 0.4.
        let linear = SpendingFunction::HwangShihDeCani { gamma: 0.0 };
        assert!((linear.spent(0.2, 0.03) - 0.006).abs() < CLOSED_FORM_TOLERANCE);
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(SpendingFunction::KimDeMets { rho: 0.0 }.validated().is_err());
        assert!(SpendingFunction::HwangShihDeCani { gamma: f64::NAN }.validated().is_err());
    }
}
