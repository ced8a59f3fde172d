//! Analysis of an experiment's observed looks with one monitoring method:
//! per look the estimate, its interval, the naive and the method's own
//! p-value, the boundary and the decision.
//!
//! The looks are on a proportion (cumulative conversions) or on a mean
//! (cumulative `n`, `Σx`, `Σx²` per arm, e.g. revenue per user). Each look is
//! first reduced to the same few numbers ([`look`]): users per arm, the
//! absolute lift, its unpooled variance, the fixed-horizon statistic with its
//! p-value and interval; one loop then applies the method. For proportions the
//! statistic is the pooled two-proportion z; for means Welch's t (unpooled SE,
//! Welch 1947), whose naive p-value uses the Welch–Satterthwaite df and which
//! group-sequential designs compare with their normal-theory boundaries (the
//! boundaries rest on the asymptotic joint normality of the statistics,
//! Jennison & Turnbull 2000 ch. 3). mSPRT and confidence sequences use the
//! estimate with its plug-in variance `s_A²/n_A + s_B²/n_B`. Bayes is refused
//! for means: the Beta-Binomial model is for conversions. A look with no
//! spread yet (every user at the same value) carries no evidence: statistic 0,
//! p-value 1.
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

mod look;
mod observed;
mod rule;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

pub use self::look::{ArmMoments, LookCounts, LookMeans, Looks};
pub use self::observed::{ObservedLooks, read_looks};
use self::rule::{Monitoring, Schedule};
use super::StatsError;
use super::bayes::BayesSummary;
use super::fixed::Margin;
use super::method::{Conventions, Method, MetricKind};
use super::numeric::norm_upper_quantile;

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
    /// Control and treatment rate (proportions) or mean (means).
    pub values: [f64; 2],
    /// Absolute lift `p_B − p_A` and its interval (the method's own for mSPRT/CS:
    /// running intersection; Wald 1 − α otherwise).
    pub estimate: f64,
    pub interval: [f64; 2],
    pub relative_lift: f64,
    /// Pooled z of the two-proportion test, or Welch's t for means; with a margin the
    /// unpooled margin statistic `(Δ̂ − δ)/SE`.
    pub z: f64,
    /// Welch–Satterthwaite degrees of freedom of `z` (means), `None` for a z statistic.
    pub df: Option<f64>,
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
    /// `proportion` or `mean`.
    pub metric: MetricKind,
    pub conventions: Conventions,
    /// The hypotheses tested, e.g. `non-inferiority: H0 absolute lift B - A <= -0.01 …`.
    pub hypothesis: String,
    pub alpha: f64,
    /// 1-based look of the first rejection, if any.
    pub first_rejection: Option<usize>,
    pub looks: Vec<LookAnalysis>,
}

fn users_per_arm(users: [u64; 2]) -> f64 {
    0.5 * (users[0] + users[1]) as f64
}

/// Analyses cumulative counts (proportions); see [`analyze_looks`].
pub fn analyze(
    looks: &[LookCounts],
    method: &Method,
    alpha: f64,
    max_users_per_arm: Option<f64>,
    margin: Option<Margin>,
) -> Result<Analysis, StatsError> {
    analyze_looks(Looks::Proportions(looks), method, alpha, max_users_per_arm, margin)
}

/// Analyses cumulative looks on a proportion or a mean; `max_users_per_arm` is the planned
/// maximum (default: the last look's).
pub fn analyze_looks(
    looks: Looks<'_>,
    method: &Method,
    alpha: f64,
    max_users_per_arm: Option<f64>,
    margin: Option<Margin>,
) -> Result<Analysis, StatsError> {
    let kind = looks.kind();
    check_method(method, kind, margin)?;
    if looks.is_empty() {
        return Err(StatsError::Inconsistent("no looks to analyse".into()));
    }
    let reduced = (0..looks.len()).map(|k| looks.reduce(k, alpha, margin)).collect::<Result<Vec<_>, _>>()?;
    looks.check_cumulative()?;
    let n_max = max_users_per_arm.unwrap_or_else(|| users_per_arm(looks.users(looks.len() - 1)));
    let fractions: Vec<f64> = (0..looks.len()).map(|k| (users_per_arm(looks.users(k)) / n_max).min(1.0)).collect();
    let schedule = Schedule { reduced: &reduced, fractions, n_max, alpha, margin };
    let mut monitoring = Monitoring::new(method, looks, &schedule)?;
    let mut first_rejection = None;
    let mut analysed = Vec::with_capacity(looks.len());
    for (k, look) in reduced.iter().enumerate() {
        let verdict = monitoring.decide(k, look)?;
        let decision = if verdict.reject {
            first_rejection.get_or_insert(k + 1);
            Decision::Reject
        } else if k + 1 == looks.len() {
            Decision::AcceptH0
        } else {
            Decision::Continue
        };
        analysed.push(LookAnalysis {
            look: k + 1,
            fraction: schedule.fractions[k],
            values: look.values,
            estimate: look.estimate,
            interval: verdict.interval,
            relative_lift: look.relative_lift,
            z: look.statistic,
            df: look.df,
            naive_p: look.naive_p,
            method_p: verdict.method_p,
            boundary: verdict.boundary,
            bayes: verdict.bayes,
            decision,
        });
    }
    Ok(Analysis {
        method: method.label(),
        metric: kind,
        conventions: conventions(method, kind, margin),
        hypothesis: match margin {
            Some(margin) => margin.hypothesis(),
            None => match kind {
                MetricKind::Proportion => "H0: no difference (p_B = p_A), two-sided".into(),
                MetricKind::Mean => "H0: no difference (mean_B = mean_A), two-sided".into(),
            },
        },
        alpha,
        first_rejection,
        looks: analysed,
    })
}

fn bayes_needs_counts() -> StatsError {
    StatsError::Inconsistent(
        "bayes is for conversions (Beta-Binomial): analyse a mean with naive, gst, msprt or cs".into(),
    )
}

/// Refuses a method that does not fit the metric or the margin, before any look is read.
fn check_method(method: &Method, kind: MetricKind, margin: Option<Margin>) -> Result<(), StatsError> {
    if kind == MetricKind::Mean && matches!(method, Method::Bayes { .. }) {
        return Err(bayes_needs_counts());
    }
    let Some(margin) = margin else { return Ok(()) };
    margin.validated()?;
    match (method, margin) {
        (Method::Bayes { .. }, _) => Err(StatsError::Inconsistent(
            "a margin needs a frequentist method (naive, gst, msprt, cs), not bayes".into(),
        )),
        (Method::Msprt { .. } | Method::ConfidenceSequence { .. }, Margin::Relative(_)) => {
            Err(StatsError::Inconsistent(
                "msprt and cs intervals are on the absolute lift: give an absolute margin (drop --relative)".into(),
            ))
        }
        _ => Ok(()),
    }
}

/// The method's conventions, restated for a one-sided test against a margin.
fn conventions(method: &Method, kind: MetricKind, margin: Option<Margin>) -> Conventions {
    let mut conventions = method.conventions_for(kind);
    let Some(margin) = margin else { return conventions };
    conventions.sides = "one-sided (upper) against the margin";
    if matches!(method, Method::Naive | Method::GroupSequential { .. }) {
        conventions.test = format!("{} on (lift - margin) / SE", conventions.test);
        conventions.standard_error = match kind {
            MetricKind::Proportion => "unpooled (Wald; delta method for a relative margin)",
            MetricKind::Mean => "unpooled (Welch; delta method for a relative margin)",
        };
    } else {
        conventions.p_value =
            "none with a margin: declares when the running-intersection interval's lower end exceeds the margin";
    }
    if matches!(margin, Margin::Relative(_)) {
        conventions.lift = match kind {
            MetricKind::Proportion => {
                "relative (p_B / p_A - 1) for the test and the interval; estimate absolute (p_B - p_A)"
            }
            MetricKind::Mean => {
                "relative (mean_B / mean_A - 1) for the test and the interval; estimate absolute (mean_B - mean_A)"
            }
        };
    }
    conventions
}

/// The naive rule's critical value at one look: the fixed-horizon test's own, the Student t
/// quantile at the look's Welch df for means, the normal quantile otherwise.
fn naive_boundary(df: Option<f64>, alpha_side: f64) -> Result<f64, StatsError> {
    match df.filter(|d| d.is_finite()) {
        Some(df) => StudentsT::new(0.0, 1.0, df)
            .map(|t| t.inverse_cdf(1.0 - alpha_side))
            .map_err(|e| StatsError::Inconsistent(format!("t distribution: {e}"))),
        None => Ok(norm_upper_quantile(alpha_side)),
    }
}
