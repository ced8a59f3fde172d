//! Analysis of an experiment's observed looks with one monitoring method:
//! per look the estimate, its interval, the naive and the method's own
//! p-value, the boundary and the decision.
//!
//! Group-sequential boundaries are recomputed at the information actually
//! observed: look `k` sits at `t_k = n_k / n_max` (users per arm, clamped to 1),
//! and an error-spending design spends `f(t_k)` there — late, early or uneven
//! looks keep α exactly (Lan & DeMets 1983).
//!
//! With a [`Margin`] δ (non-inferiority when δ < 0) every method tests
//! H0: lift ≤ δ one-sided: naive and group-sequential compare the unpooled
//! margin z `(Δ̂ − δ)/SE` with one-sided boundaries at α; mSPRT and the
//! confidence sequence declare when the running-intersection interval's lower
//! end exceeds δ (absolute margins only; valid because the interval covers the
//! lift at every look with probability ≥ 1 − α, conservative since only one
//! side is used). Bayes has no margin rule.

use serde::Serialize;

use super::bayes::{BayesSummary, BetaPrior, beta_binomial};
use super::fixed::{ArmCounts, Margin, two_proportion_margin_test, two_proportion_z_test};
use super::method::{Conventions, Method};
use super::numeric::norm_upper_quantile;
use super::sequential::msprt::AlwaysValid;
use super::sequential::{BoundaryFamily, ConfidenceSequence, Msprt, efficacy_bounds};
use super::{Sides, StatsError};

/// Cumulative counts at one look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LookCounts {
    pub control: ArmCounts,
    pub treatment: ArmCounts,
}

/// What the method says at a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Continue,
    /// Declare a difference (reject H0).
    Reject,
    /// Last look without rejection.
    AcceptH0,
}

/// One analysed look.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookAnalysis {
    pub look: usize,
    /// Information fraction used for the boundary (users per arm / maximum).
    pub fraction: f64,
    /// Absolute lift `p_B − p_A` and its interval (the method's own for mSPRT/CS:
    /// running intersection; Wald 1 − α otherwise).
    pub estimate: f64,
    pub interval: [f64; 2],
    pub relative_lift: f64,
    /// Pooled z of the two-proportion test; with a margin the unpooled margin z `(Δ̂ − δ)/SE`.
    pub z: f64,
    /// Fixed-horizon p-value of that z (two-sided; one-sided with a margin), invalid for
    /// repeated looks, shown for contrast.
    pub naive_p: f64,
    /// The method's own p-value (always-valid running minimum for mSPRT/CS); `None` for GST and Bayes.
    pub method_p: Option<f64>,
    /// The |z| boundary of this look (naive, GST), if the method has one.
    pub boundary: Option<f64>,
    /// Posterior summaries (Bayes only).
    pub bayes: Option<BayesSummary>,
    pub decision: Decision,
}

/// The analysis of all looks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub method: String,
    pub conventions: Conventions,
    /// The hypotheses tested, e.g. `non-inferiority: H0 absolute lift B - A <= -0.01 …`.
    pub hypothesis: String,
    pub alpha: f64,
    /// 1-based look of the first rejection, if any.
    pub first_rejection: Option<usize>,
    pub looks: Vec<LookAnalysis>,
}

fn users_per_arm(look: &LookCounts) -> f64 {
    0.5 * (look.control.users + look.treatment.users) as f64
}

/// Analyses cumulative looks; `max_users_per_arm` is the planned maximum (default: the last look's).
pub fn analyze(
    looks: &[LookCounts],
    method: &Method,
    alpha: f64,
    max_users_per_arm: Option<f64>,
    margin: Option<Margin>,
) -> Result<Analysis, StatsError> {
    if let Some(margin) = margin {
        margin.validated()?;
        match (method, margin) {
            (Method::Bayes { .. }, _) => {
                return Err(StatsError::Inconsistent(
                    "a margin needs a frequentist method (naive, gst, msprt, cs), not bayes".into(),
                ));
            }
            (Method::Msprt { .. } | Method::ConfidenceSequence { .. }, Margin::Relative(_)) => {
                return Err(StatsError::Inconsistent(
                    "msprt and cs intervals are on the absolute lift: give an absolute margin (drop --relative)".into(),
                ));
            }
            _ => {}
        }
    }
    let sides = if margin.is_some() { Sides::One } else { Sides::Two };
    if looks.is_empty() {
        return Err(StatsError::Inconsistent("no looks to analyse".into()));
    }
    for (k, pair) in looks.windows(2).enumerate() {
        let grows = |a: ArmCounts, b: ArmCounts| b.users >= a.users && b.conversions >= a.conversions;
        if !grows(pair[0].control, pair[1].control) || !grows(pair[0].treatment, pair[1].treatment) {
            return Err(StatsError::Inconsistent(format!(
                "look {} has fewer users or conversions than look {}: counts must be cumulative",
                k + 2,
                k + 1
            )));
        }
    }
    let n_max = max_users_per_arm.unwrap_or_else(|| users_per_arm(&looks[looks.len() - 1]));
    let fractions: Vec<f64> = looks.iter().map(|l| (users_per_arm(l) / n_max).min(1.0)).collect();
    let boundaries: Option<Vec<f64>> = match method {
        Method::Naive => Some(vec![norm_upper_quantile(sides.alpha_per_side(alpha)); looks.len()]),
        Method::GroupSequential { family } => {
            if !matches!(family, BoundaryFamily::Spending { .. })
                && (fractions[fractions.len() - 1] - 1.0).abs() > 1e-12
            {
                return Err(StatsError::Inconsistent(
                    "classical boundaries need the full schedule: analyse after the last look, or use an error-spending design"
                        .into(),
                ));
            }
            Some(efficacy_bounds(*family, alpha, sides, &fractions)?)
        }
        _ => None,
    };
    let first = two_proportion_z_test(looks[0].control, looks[0].treatment, alpha, Sides::Two)?;
    let pooled_first = 0.5 * (first.control + first.treatment);
    let msprt = match method {
        Method::Msprt { tau2: Some(t) } => Some(Msprt::new(*t, alpha)?),
        Method::Msprt { tau2: None } => Some(Msprt::tuned(2.0 * pooled_first * (1.0 - pooled_first) / n_max, alpha)?),
        _ => None,
    };
    let cs = match method {
        Method::ConfidenceSequence { rho: Some(r) } => Some(ConfidenceSequence::new(*r, alpha)?),
        Method::ConfidenceSequence { rho: None } => Some(ConfidenceSequence::tuned(n_max.max(1.0), alpha)?),
        _ => None,
    };
    let mut running = AlwaysValid::default();
    let mut first_rejection = None;
    let mut analysed = Vec::with_capacity(looks.len());
    for (k, look) in looks.iter().enumerate() {
        let test = match margin {
            Some(margin) => two_proportion_margin_test(look.control, look.treatment, alpha, margin)?,
            None => two_proportion_z_test(look.control, look.treatment, alpha, Sides::Two)?,
        };
        let (p_a, p_b) = (test.control, test.treatment);
        let (n_a, n_b) = (look.control.users as f64, look.treatment.users as f64);
        let variance = p_a * (1.0 - p_a) / n_a + p_b * (1.0 - p_b) / n_b;
        let estimate = test.lift.absolute;
        let mut interval = match margin {
            Some(Margin::Relative(_)) => test.lift.relative_ci,
            _ => test.lift.absolute_ci,
        };
        let mut method_p = None;
        let mut bayes = None;
        let reject = match method {
            Method::Naive | Method::GroupSequential { .. } => {
                let boundary = boundaries.as_ref().map_or(f64::INFINITY, |b| b[k]);
                let z = if margin.is_some() { test.statistic } else { test.statistic.abs() };
                z >= boundary
            }
            Method::Msprt { .. } | Method::ConfidenceSequence { .. } => {
                let (p_now, half) = if let Some(m) = &msprt {
                    (m.instantaneous_p(estimate, variance), m.half_width(variance))
                } else if let Some(c) = &cs {
                    // Effective users per arm for unequal arms: t = 2/(1/n_A + 1/n_B).
                    let t = 2.0 / (1.0 / n_a + 1.0 / n_b);
                    let z = estimate / variance.sqrt();
                    (c.instantaneous_p(z, t), c.z_threshold(t) * variance.sqrt())
                } else {
                    (1.0, f64::INFINITY)
                };
                let (p_now, half) = if variance > 0.0 { (p_now, half) } else { (1.0, f64::INFINITY) };
                running.update(p_now, estimate - half, estimate + half);
                interval = [running.lower, running.upper];
                match margin {
                    Some(margin) => running.lower > margin.value(),
                    None => {
                        method_p = Some(running.p_value);
                        running.p_value <= alpha
                    }
                }
            }
            Method::Bayes { threshold } => {
                let summary = beta_binomial(look.control, look.treatment, BetaPrior::default())?;
                bayes = Some(summary);
                summary.chance_to_beat_control.max(1.0 - summary.chance_to_beat_control) >= *threshold
            }
        };
        let decision = if reject {
            first_rejection.get_or_insert(k + 1);
            Decision::Reject
        } else if k + 1 == looks.len() {
            Decision::AcceptH0
        } else {
            Decision::Continue
        };
        analysed.push(LookAnalysis {
            look: k + 1,
            fraction: fractions[k],
            estimate,
            interval,
            relative_lift: test.lift.relative,
            z: test.statistic,
            naive_p: test.p_value,
            method_p,
            boundary: boundaries.as_ref().map(|b| b[k]),
            bayes,
            decision,
        });
    }
    let mut conventions = method.conventions();
    if let Some(margin) = margin {
        conventions.sides = "one-sided (upper) against the margin";
        if matches!(method, Method::Naive | Method::GroupSequential { .. }) {
            conventions.test = format!("{} on (lift - margin) / SE", conventions.test);
            conventions.standard_error = "unpooled (Wald; delta method for a relative margin)";
        } else {
            conventions.p_value =
                "none with a margin: declares when the running-intersection interval's lower end exceeds the margin";
        }
        if matches!(margin, Margin::Relative(_)) {
            conventions.lift = "relative (p_B / p_A - 1) for the test and the interval; estimate absolute (p_B - p_A)";
        }
    }
    let hypothesis = match margin {
        Some(margin) => margin.hypothesis(),
        None => "H0: no difference (p_B = p_A), two-sided".into(),
    };
    Ok(Analysis { method: method.label(), conventions, hypothesis, alpha, first_rejection, looks: analysed })
}
