//! What the monitoring methods see at a look: cumulative counts (a proportion)
//! or cumulative sums (a mean), both reduced to one form — users per arm, the
//! absolute lift, its unpooled variance, the fixed-horizon statistic, its
//! p-value and interval — before any method looks at them.

use serde::Serialize;

use crate::stats::fixed::{
    ArmCounts, ArmSummary, FixedTest, Margin, two_proportion_margin_test, two_proportion_z_test, welch_margin_test,
    welch_t_test,
};
use crate::stats::method::MetricKind;
use crate::stats::{Sides, StatsError};

/// Cumulative counts at one look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LookCounts {
    pub control: ArmCounts,
    pub treatment: ArmCounts,
}

/// Cumulative sums of a continuous metric in one arm: users, `Σx` and `Σx²`.
/// Sums rather than mean and sd because they add up look after look (and are
/// what an experiment accumulates).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ArmMoments {
    pub users: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl ArmMoments {
    /// Mean and sample sd (`n − 1` denominator; a variance below 0 from rounding is 0).
    pub fn summary(self) -> ArmSummary {
        let n = self.users as f64;
        let mean = self.sum / n;
        let variance = if self.users > 1 { ((self.sum_sq - self.sum * mean) / (n - 1.0)).max(0.0) } else { 0.0 };
        ArmSummary { users: self.users, mean, sd: variance.sqrt() }
    }

    fn validate(self, arm: &str, look: usize) -> Result<(), StatsError> {
        let spread_ok = self.sum_sq >= 0.0 && self.sum * self.sum <= self.sum_sq * self.users as f64 * (1.0 + 1e-9);
        if self.users < 2 || !self.sum.is_finite() || !self.sum_sq.is_finite() || !spread_ok {
            return Err(StatsError::Inconsistent(format!(
                "look {look}, arm {arm}: need at least 2 users, finite sums and sum_sq ≥ sum²/users \
                 (got users {}, sum {}, sum_sq {})",
                self.users, self.sum, self.sum_sq
            )));
        }
        Ok(())
    }
}

/// Cumulative sums at one look.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LookMeans {
    pub control: ArmMoments,
    pub treatment: ArmMoments,
}

/// The looks of an experiment on a proportion or on a mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Looks<'a> {
    Proportions(&'a [LookCounts]),
    Means(&'a [LookMeans]),
}

impl Looks<'_> {
    pub fn kind(self) -> MetricKind {
        match self {
            Looks::Proportions(_) => MetricKind::Proportion,
            Looks::Means(_) => MetricKind::Mean,
        }
    }

    pub fn len(self) -> usize {
        match self {
            Looks::Proportions(l) => l.len(),
            Looks::Means(l) => l.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Refuses looks whose users (or conversions, or `Σx²`) shrink: the data must be cumulative.
    pub(super) fn check_cumulative(self) -> Result<(), StatsError> {
        let shrinks = |k: usize| match self {
            Looks::Proportions(l) => {
                let grows = |a: ArmCounts, b: ArmCounts| b.users >= a.users && b.conversions >= a.conversions;
                !grows(l[k].control, l[k + 1].control) || !grows(l[k].treatment, l[k + 1].treatment)
            }
            Looks::Means(l) => {
                let grows = |a: ArmMoments, b: ArmMoments| b.users >= a.users && b.sum_sq >= a.sum_sq;
                !grows(l[k].control, l[k + 1].control) || !grows(l[k].treatment, l[k + 1].treatment)
            }
        };
        match (0..self.len().saturating_sub(1)).find(|&k| shrinks(k)) {
            Some(k) => Err(StatsError::Inconsistent(format!(
                "look {} has fewer users, conversions or sum of squares than look {}: the data must be cumulative",
                k + 2,
                k + 1
            ))),
            None => Ok(()),
        }
    }

    /// Users per arm at look `k`.
    pub(super) fn users(self, k: usize) -> [u64; 2] {
        match self {
            Looks::Proportions(l) => [l[k].control.users, l[k].treatment.users],
            Looks::Means(l) => [l[k].control.users, l[k].treatment.users],
        }
    }

    /// Look `k` reduced to what every method needs (see [`Reduced`]).
    pub(super) fn reduce(self, k: usize, alpha: f64, margin: Option<Margin>) -> Result<Reduced, StatsError> {
        match self {
            Looks::Proportions(l) => reduce_counts(l[k], alpha, margin),
            Looks::Means(l) => reduce_means(l[k], k + 1, alpha, margin),
        }
    }
}

/// One look as every method sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Reduced {
    pub users: [f64; 2],
    /// Control and treatment rate or mean.
    pub values: [f64; 2],
    /// Absolute lift `B − A`.
    pub estimate: f64,
    /// Unpooled variance of the estimate: `Σ p̂q̂/n` or `Σ s²/n`.
    pub variance: f64,
    /// The fixed-horizon statistic: pooled z, Welch t, or the unpooled margin statistic.
    pub statistic: f64,
    /// Welch–Satterthwaite df (means), `None` for the normal statistics.
    pub df: Option<f64>,
    pub naive_p: f64,
    /// Wald or Welch 1 − α interval (relative for a relative margin).
    pub interval: [f64; 2],
    pub relative_lift: f64,
    /// Per-user variance of the difference under H0, used to tune the mSPRT:
    /// `2p̄q̄` (p̄ the mean of the two rates) or `s_A² + s_B²`.
    pub unit_variance: f64,
}

fn from_test(test: &FixedTest, users: [u64; 2], variance: f64, margin: Option<Margin>) -> Reduced {
    Reduced {
        users: users.map(|n| n as f64),
        values: [test.control, test.treatment],
        estimate: test.lift.absolute,
        variance,
        statistic: test.statistic,
        df: test.df,
        naive_p: test.p_value,
        interval: match margin {
            Some(Margin::Relative(_)) => test.lift.relative_ci,
            _ => test.lift.absolute_ci,
        },
        relative_lift: test.lift.relative,
        unit_variance: 0.0,
    }
}

fn reduce_counts(look: LookCounts, alpha: f64, margin: Option<Margin>) -> Result<Reduced, StatsError> {
    let test = match margin {
        Some(margin) => two_proportion_margin_test(look.control, look.treatment, alpha, margin)?,
        None => two_proportion_z_test(look.control, look.treatment, alpha, Sides::Two)?,
    };
    let (p_a, p_b) = (test.control, test.treatment);
    let (n_a, n_b) = (look.control.users as f64, look.treatment.users as f64);
    let variance = p_a * (1.0 - p_a) / n_a + p_b * (1.0 - p_b) / n_b;
    let mean_rate = 0.5 * (p_a + p_b);
    Ok(Reduced {
        unit_variance: 2.0 * mean_rate * (1.0 - mean_rate),
        ..from_test(&test, [look.control.users, look.treatment.users], variance, margin)
    })
}

fn reduce_means(look: LookMeans, number: usize, alpha: f64, margin: Option<Margin>) -> Result<Reduced, StatsError> {
    look.control.validate("A (control)", number)?;
    look.treatment.validate("B (treatment)", number)?;
    let (a, b) = (look.control.summary(), look.treatment.summary());
    let variance = a.sd * a.sd / a.users as f64 + b.sd * b.sd / b.users as f64;
    let users = [a.users, b.users];
    if variance == 0.0 {
        // No spread yet (say nobody has paid): the look carries no evidence; Welch's t is undefined.
        let estimate = b.mean - a.mean;
        return Ok(Reduced {
            users: users.map(|n| n as f64),
            values: [a.mean, b.mean],
            estimate,
            variance,
            statistic: 0.0,
            df: None,
            naive_p: 1.0,
            interval: [estimate, estimate],
            relative_lift: b.mean / a.mean - 1.0,
            unit_variance: 0.0,
        });
    }
    let test = match margin {
        Some(margin) => welch_margin_test(a, b, alpha, margin)?,
        None => welch_t_test(a, b, alpha, Sides::Two)?,
    };
    Ok(Reduced { unit_variance: a.sd * a.sd + b.sd * b.sd, ..from_test(&test, users, variance, margin) })
}
