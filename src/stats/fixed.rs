//! Fixed-horizon tests: one look at the end of the experiment.
//!
//! * Two-proportion z-test with the **pooled** standard error under H0
//!   (Fleiss, Levin & Paik 2003, *Statistical Methods for Rates and
//!   Proportions*, 3rd ed., §4.3): `z = (p̂_B − p̂_A) / √(p̄(1−p̄)(1/n_A + 1/n_B))`.
//!   Its square is Pearson's χ² for the 2×2 table.
//! * Intervals use the **unpooled** (Wald) standard error
//!   `√(p̂_A q̂_A/n_A + p̂_B q̂_B/n_B)`; the relative lift `p̂_B/p̂_A − 1` uses the
//!   delta method: `Var(p̂_B/p̂_A) ≈ (p̂_B/p̂_A)² (Var p̂_B/p̂_B² + Var p̂_A/p̂_A²)`.
//! * Welch's t-test for means (Welch 1947, *Biometrika* 34:28–35) with
//!   Welch–Satterthwaite degrees of freedom, from per-arm summary statistics.
//!
//! * Tests against a margin δ (one-sided, H0: lift ≤ δ vs H1: lift > δ):
//!   δ < 0 is non-inferiority ("B is no worse than A by more than |δ|"), δ > 0
//!   superiority by at least δ. Proportions use the **unpooled** Wald statistic
//!   `z = (Δ̂ − δ)/√(p̂_A q̂_A/n_A + p̂_B q̂_B/n_B)` (Blackwelder 1982, *Controlled
//!   Clinical Trials* 3:345–353; Chow, Shao & Wang 2008, *Sample Size Calculations
//!   in Clinical Research*, 2nd ed., §4.2) — the pooled SE is only valid at δ = 0.
//!   A relative margin tests `p̂_B/p̂_A − 1` with its delta-method SE; means use
//!   Welch's t on `Δ̂ − δ` (or the relative lift) with Welch–Satterthwaite df.
//!
//! Two-sided tests report `2·P(T ≥ |t|)` and a two-sided 1 − α interval;
//! one-sided tests (H1: B > A) report `P(T ≥ t)` and a lower bound (upper = +∞).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::numeric::{norm_sf, norm_upper_quantile};
use super::{Sides, StatsError, check_open};

/// Users and conversions in one arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ArmCounts {
    pub users: u64,
    pub conversions: u64,
}

impl ArmCounts {
    pub fn rate(self) -> f64 {
        self.conversions as f64 / self.users as f64
    }

    fn validate(self, arm: &str) -> Result<(), StatsError> {
        if self.users == 0 || self.conversions > self.users {
            return Err(StatsError::Inconsistent(format!(
                "arm {arm}: need users > 0 and conversions ≤ users, got {} conversions of {} users",
                self.conversions, self.users
            )));
        }
        Ok(())
    }
}

/// Summary statistics of a continuous metric in one arm.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ArmSummary {
    pub users: u64,
    pub mean: f64,
    pub sd: f64,
}

/// The null boundary δ of a one-sided test against a margin: H0 `lift ≤ δ`.
/// Negative: non-inferiority; positive: superiority by at least δ.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "scale", content = "value", rename_all = "kebab-case")]
pub enum Margin {
    /// On the absolute lift `B − A`.
    Absolute(f64),
    /// On the relative lift `B/A − 1`.
    Relative(f64),
}

impl Margin {
    pub fn value(self) -> f64 {
        match self {
            Margin::Absolute(d) | Margin::Relative(d) => d,
        }
    }

    /// Refuses a non-finite margin, or a relative one at or below −100 %.
    pub fn validated(self) -> Result<Self, StatsError> {
        let d = self.value();
        if !d.is_finite() || matches!(self, Margin::Relative(r) if r <= -1.0) {
            return Err(StatsError::OutOfRange {
                name: "margin",
                value: d,
                expected: "a finite lift (a relative margin above -1, i.e. -100 %)",
            });
        }
        Ok(self)
    }

    /// `non-inferiority` (δ < 0), `superiority` (δ = 0) or `superiority by a margin` (δ > 0).
    pub fn hypothesis(self) -> String {
        let d = self.value();
        let scale = match self {
            Margin::Absolute(_) => "absolute lift B - A",
            Margin::Relative(_) => "relative lift B/A - 1",
        };
        let kind = if d < 0.0 {
            "non-inferiority"
        } else if d == 0.0 {
            "superiority"
        } else {
            "superiority by a margin"
        };
        format!("{kind}: H0 {scale} <= {d} vs H1 {scale} > {d}")
    }
}

/// A difference with its interval, on the absolute and relative scales.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Lift {
    /// `B − A`.
    pub absolute: f64,
    pub absolute_ci: [f64; 2],
    /// `B / A − 1` (delta-method interval).
    pub relative: f64,
    pub relative_ci: [f64; 2],
}

/// Result of a fixed-horizon test, with its conventions spelled out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixedTest {
    /// Which test, e.g. `two-proportion z-test`.
    pub test: &'static str,
    pub sides: Sides,
    /// How the test statistic's standard error is formed.
    pub test_se: &'static str,
    /// How the intervals' standard error is formed.
    pub interval_se: &'static str,
    pub control: f64,
    pub treatment: f64,
    pub statistic: f64,
    /// Degrees of freedom (Welch), `None` for the z-test.
    pub df: Option<f64>,
    pub p_value: f64,
    /// Interval level 1 − α.
    pub level: f64,
    pub lift: Lift,
    /// The null boundary of a test against a margin (`None`: H0 is no difference).
    pub margin: Option<Margin>,
}

/// Interval `estimate ± crit·se` (two-sided) or `[estimate − crit·se, ∞)` (one-sided).
fn interval(estimate: f64, se: f64, critical: f64, sides: Sides) -> [f64; 2] {
    match sides {
        Sides::Two => [estimate - critical * se, estimate + critical * se],
        Sides::One => [estimate - critical * se, f64::INFINITY],
    }
}

/// Delta-method standard error of `b/a − 1` given the arms' means and variances of the means.
fn relative_se(mean_a: f64, var_a: f64, mean_b: f64, var_b: f64) -> f64 {
    let ratio = mean_b / mean_a;
    ratio.abs() * (var_b / (mean_b * mean_b) + var_a / (mean_a * mean_a)).sqrt()
}

/// Two-proportion z-test (pooled SE) with unpooled intervals for the lift.
pub fn two_proportion_z_test(
    control: ArmCounts,
    treatment: ArmCounts,
    alpha: f64,
    sides: Sides,
) -> Result<FixedTest, StatsError> {
    control.validate("A (control)")?;
    treatment.validate("B (treatment)")?;
    check_open("alpha", alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
    let (p_a, p_b) = (control.rate(), treatment.rate());
    let (n_a, n_b) = (control.users as f64, treatment.users as f64);
    let pooled = (control.conversions + treatment.conversions) as f64 / (n_a + n_b);
    let se_pooled = (pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b)).sqrt();
    let diff = p_b - p_a;
    let z = if se_pooled > 0.0 { diff / se_pooled } else { 0.0 };
    let p_value = match sides {
        Sides::Two => (2.0 * norm_sf(z.abs())).min(1.0),
        Sides::One => norm_sf(z),
    };
    let (var_a, var_b) = (p_a * (1.0 - p_a) / n_a, p_b * (1.0 - p_b) / n_b);
    let critical = norm_upper_quantile(sides.alpha_per_side(alpha));
    let relative = if p_a > 0.0 { p_b / p_a - 1.0 } else { f64::NAN };
    Ok(FixedTest {
        test: "two-proportion z-test",
        sides,
        test_se: "pooled",
        interval_se: "unpooled (Wald; delta method for relative)",
        control: p_a,
        treatment: p_b,
        statistic: z,
        df: None,
        p_value,
        level: 1.0 - alpha,
        lift: Lift {
            absolute: diff,
            absolute_ci: interval(diff, (var_a + var_b).sqrt(), critical, sides),
            relative,
            relative_ci: interval(relative, relative_se(p_a, var_a, p_b, var_b), critical, sides),
        },
        margin: None,
    })
}

/// Welch's unequal-variance t-test for the difference of means (e.g. revenue per user).
pub fn welch_t_test(
    control: ArmSummary,
    treatment: ArmSummary,
    alpha: f64,
    sides: Sides,
) -> Result<FixedTest, StatsError> {
    for (arm, s) in [("A (control)", control), ("B (treatment)", treatment)] {
        if s.users < 2 || s.sd.is_nan() || s.sd < 0.0 || !s.mean.is_finite() || !s.sd.is_finite() {
            return Err(StatsError::Inconsistent(format!(
                "arm {arm}: need at least 2 users, a finite mean and a finite sd ≥ 0"
            )));
        }
    }
    check_open("alpha", alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
    let var_a = control.sd * control.sd / control.users as f64;
    let var_b = treatment.sd * treatment.sd / treatment.users as f64;
    let se = (var_a + var_b).sqrt();
    if se == 0.0 {
        return Err(StatsError::Inconsistent("both arms have zero variance: the t statistic is undefined".into()));
    }
    let df = (var_a + var_b).powi(2)
        / (var_a * var_a / (control.users as f64 - 1.0) + var_b * var_b / (treatment.users as f64 - 1.0));
    let t_dist = StudentsT::new(0.0, 1.0, df).map_err(|e| StatsError::Inconsistent(format!("t distribution: {e}")))?;
    let diff = treatment.mean - control.mean;
    let t = diff / se;
    let p_value = match sides {
        Sides::Two => (2.0 * t_dist.sf(t.abs())).min(1.0),
        Sides::One => t_dist.sf(t),
    };
    let critical = t_dist.inverse_cdf(1.0 - sides.alpha_per_side(alpha));
    let relative = treatment.mean / control.mean - 1.0;
    Ok(FixedTest {
        test: "Welch t-test",
        sides,
        test_se: "unpooled (Welch)",
        interval_se: "unpooled (Welch; delta method for relative)",
        control: control.mean,
        treatment: treatment.mean,
        statistic: t,
        df: Some(df),
        p_value,
        level: 1.0 - alpha,
        lift: Lift {
            absolute: diff,
            absolute_ci: interval(diff, se, critical, sides),
            relative,
            relative_ci: interval(relative, relative_se(control.mean, var_a, treatment.mean, var_b), critical, sides),
        },
        margin: None,
    })
}

/// The standard error of the lift on the margin's scale, from the unpooled
/// variances of the arms' means.
fn margin_se(margin: Margin, mean_a: f64, var_a: f64, mean_b: f64, var_b: f64) -> f64 {
    match margin {
        Margin::Absolute(_) => (var_a + var_b).sqrt(),
        Margin::Relative(_) => relative_se(mean_a, var_a, mean_b, var_b),
    }
}

/// The lift on the margin's scale.
fn lift_on(margin: Margin, lift: &Lift) -> f64 {
    match margin {
        Margin::Absolute(_) => lift.absolute,
        Margin::Relative(_) => lift.relative,
    }
}

/// One-sided two-proportion test against a margin (unpooled Wald z; Blackwelder 1982).
pub fn two_proportion_margin_test(
    control: ArmCounts,
    treatment: ArmCounts,
    alpha: f64,
    margin: Margin,
) -> Result<FixedTest, StatsError> {
    let margin = margin.validated()?;
    let mut test = two_proportion_z_test(control, treatment, alpha, Sides::One)?;
    let (p_a, p_b) = (test.control, test.treatment);
    let var_a = p_a * (1.0 - p_a) / control.users as f64;
    let var_b = p_b * (1.0 - p_b) / treatment.users as f64;
    let se = margin_se(margin, p_a, var_a, p_b, var_b);
    if !(se > 0.0 && se.is_finite()) {
        return Err(StatsError::Inconsistent(
            "the unpooled standard error is zero or undefined (a rate of 0 or 1 in an arm): no margin test".into(),
        ));
    }
    test.statistic = (lift_on(margin, &test.lift) - margin.value()) / se;
    test.p_value = norm_sf(test.statistic);
    test.test = "two-proportion z-test against a margin";
    test.test_se = "unpooled (Wald)";
    test.margin = Some(margin);
    Ok(test)
}

/// One-sided Welch t-test against a margin.
pub fn welch_margin_test(
    control: ArmSummary,
    treatment: ArmSummary,
    alpha: f64,
    margin: Margin,
) -> Result<FixedTest, StatsError> {
    let margin = margin.validated()?;
    let mut test = welch_t_test(control, treatment, alpha, Sides::One)?;
    let var_a = control.sd * control.sd / control.users as f64;
    let var_b = treatment.sd * treatment.sd / treatment.users as f64;
    let se = margin_se(margin, control.mean, var_a, treatment.mean, var_b);
    if !(se > 0.0 && se.is_finite()) {
        return Err(StatsError::Inconsistent(
            "the standard error on the margin's scale is zero or undefined (a control mean of 0 with a relative margin?): no margin test".into(),
        ));
    }
    let df = test.df.unwrap_or(f64::INFINITY);
    let t_dist = StudentsT::new(0.0, 1.0, df).map_err(|e| StatsError::Inconsistent(format!("t distribution: {e}")))?;
    test.statistic = (lift_on(margin, &test.lift) - margin.value()) / se;
    test.p_value = t_dist.sf(test.statistic);
    test.test = "Welch t-test against a margin";
    test.margin = Some(margin);
    Ok(test)
}
