//! One monitoring method applied look by look: [`Monitoring::new`] sets the
//! method up for the observed schedule (group-sequential boundaries at the
//! observed information fractions, mSPRT or confidence sequence tuned to the
//! horizon), [`Monitoring::decide`] says what it concludes at one look. Each
//! method is one variant holding exactly what it needs, so no look meets a
//! method without its boundary or its always-valid test.

use super::look::{LookCounts, Looks, Reduced};
use super::naive_boundary;
use crate::stats::bayes::{BayesSummary, BetaPrior, beta_binomial};
use crate::stats::fixed::Margin;
use crate::stats::method::Method;
use crate::stats::sequential::msprt::AlwaysValid;
use crate::stats::sequential::{BoundaryFamily, ConfidenceSequence, Msprt, efficacy_bounds};
use crate::stats::{Sides, StatsError};

/// A method ready to be applied to the looks in order.
pub(super) enum Monitoring<'a> {
    /// Naive and group-sequential: the look's statistic against its critical value (|z| two-sided;
    /// the signed margin statistic against a margin).
    Boundary { bounds: Vec<f64>, margin: bool },
    /// mSPRT or confidence sequence: the running intersection of always-valid intervals and the
    /// running minimum p-value (Johari et al. 2017; Howard et al. 2021).
    AlwaysValid { evidence: Evidence, running: AlwaysValid, alpha: f64, margin: Option<Margin> },
    /// Beta-Binomial chance to beat control against a threshold, either direction.
    Bayes { threshold: f64, counts: &'a [LookCounts] },
}

/// The always-valid test of [`Monitoring::AlwaysValid`].
pub(super) enum Evidence {
    Msprt(Msprt),
    Cs(ConfidenceSequence),
}

/// What the method concludes at one look.
pub(super) struct Verdict {
    pub reject: bool,
    /// The method's interval (running intersection for mSPRT/CS), or the look's Wald/Welch interval.
    pub interval: [f64; 2],
    pub method_p: Option<f64>,
    pub boundary: Option<f64>,
    pub bayes: Option<BayesSummary>,
}

/// The schedule a method is set up for.
pub(super) struct Schedule<'r> {
    pub reduced: &'r [Reduced],
    /// Information fraction of each look (users per arm / maximum, at most 1).
    pub fractions: Vec<f64>,
    /// Planned maximum users per arm.
    pub n_max: f64,
    pub alpha: f64,
    pub margin: Option<Margin>,
}

impl<'a> Monitoring<'a> {
    pub(super) fn new(method: &Method, looks: Looks<'a>, schedule: &Schedule<'_>) -> Result<Self, StatsError> {
        let Schedule { reduced, fractions, n_max, alpha, margin } = schedule;
        let (alpha, n_max) = (*alpha, *n_max);
        let sides = if margin.is_some() { Sides::One } else { Sides::Two };
        // τ² tuned to the horizon from the first look with any spread.
        let unit_variance = || reduced.iter().map(|r| r.unit_variance).find(|&v| v > 0.0).unwrap_or(0.0);
        let always_valid =
            |evidence| Monitoring::AlwaysValid { evidence, running: AlwaysValid::default(), alpha, margin: *margin };
        Ok(match method {
            Method::Naive => Monitoring::Boundary {
                bounds: reduced
                    .iter()
                    .map(|r| naive_boundary(r.df, sides.alpha_per_side(alpha)))
                    .collect::<Result<_, _>>()?,
                margin: margin.is_some(),
            },
            Method::GroupSequential { family } => {
                if !matches!(family, BoundaryFamily::Spending { .. })
                    && (fractions[fractions.len() - 1] - 1.0).abs() > 1e-12
                {
                    return Err(StatsError::Inconsistent(
                        "classical boundaries need the full schedule: analyse after the last look, or use an error-spending design"
                            .into(),
                    ));
                }
                Monitoring::Boundary {
                    bounds: efficacy_bounds(*family, alpha, sides, fractions)?,
                    margin: margin.is_some(),
                }
            }
            Method::Msprt { tau2: Some(t) } => always_valid(Evidence::Msprt(Msprt::new(*t, alpha)?)),
            Method::Msprt { tau2: None } => {
                always_valid(Evidence::Msprt(Msprt::tuned(unit_variance() / n_max, alpha)?))
            }
            Method::ConfidenceSequence { rho: Some(r) } => {
                always_valid(Evidence::Cs(ConfidenceSequence::new(*r, alpha)?))
            }
            Method::ConfidenceSequence { rho: None } => {
                always_valid(Evidence::Cs(ConfidenceSequence::tuned(n_max.max(1.0), alpha)?))
            }
            Method::Bayes { threshold } => match looks {
                Looks::Proportions(counts) => Monitoring::Bayes { threshold: *threshold, counts },
                Looks::Means(_) => return Err(super::bayes_needs_counts()),
            },
        })
    }

    /// The method's conclusion at look `k` (0-based), `look` its reduced form; looks come in order.
    pub(super) fn decide(&mut self, k: usize, look: &Reduced) -> Result<Verdict, StatsError> {
        let mut verdict =
            Verdict { reject: false, interval: look.interval, method_p: None, boundary: None, bayes: None };
        match self {
            Monitoring::Boundary { bounds, margin } => {
                let z = if *margin { look.statistic } else { look.statistic.abs() };
                verdict.boundary = Some(bounds[k]);
                verdict.reject = z >= bounds[k];
            }
            Monitoring::AlwaysValid { evidence, running, alpha, margin } => {
                let (estimate, variance) = (look.estimate, look.variance);
                let (p_now, half) = if variance > 0.0 { evidence.at(look) } else { (1.0, f64::INFINITY) };
                running.update(p_now, estimate - half, estimate + half);
                verdict.interval = [running.lower, running.upper];
                verdict.reject = match margin {
                    Some(margin) => running.lower > margin.value(),
                    None => {
                        verdict.method_p = Some(running.p_value);
                        running.p_value <= *alpha
                    }
                };
            }
            Monitoring::Bayes { threshold, counts } => {
                let summary = beta_binomial(counts[k].control, counts[k].treatment, BetaPrior::default())?;
                verdict.bayes = Some(summary);
                verdict.reject = summary.chance_to_beat_control.max(1.0 - summary.chance_to_beat_control) >= *threshold;
            }
        }
        Ok(verdict)
    }
}

impl Evidence {
    /// The instantaneous p-value and the half-width of the always-valid interval at a look
    /// with spread (variance > 0).
    fn at(&self, look: &Reduced) -> (f64, f64) {
        let (estimate, variance) = (look.estimate, look.variance);
        match self {
            Evidence::Msprt(m) => (m.instantaneous_p(estimate, variance), m.half_width(variance)),
            Evidence::Cs(c) => {
                // Effective users per arm for unequal arms: t = 2/(1/n_A + 1/n_B).
                let [n_a, n_b] = look.users;
                let t = 2.0 / (1.0 / n_a + 1.0 / n_b);
                (c.instantaneous_p(estimate / variance.sqrt(), t), c.z_threshold(t) * variance.sqrt())
            }
        }
    }
}
