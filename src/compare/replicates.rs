//! Per-journey replicate values and what is computed from them: means with
//! 95 % t-intervals, the headline metrics, and the checks of the projections
//! against longer simulations.

use std::sync::atomic::AtomicBool;

use super::{BGNBD_SAMPLE, Metric, PROJECT_DAYS, PROJECT_WEEKS, ProjectionCheck, PurchaseCheck, winner};
use crate::chart::{Band, Curve};
use crate::engine::{JourneyResults, PurchaseHistory, RunConfig, RunError, RunResults, Summary};
use crate::predict::retention::{self, DailyFit, RetentionModel};
use crate::predict::{Projected, bgnbd};
use crate::scenario::Scenario;

const HOURS_PER_WEEK: f64 = 168.0;

/// Mean and 95 % t-interval of replicate values (the interval collapses with one replicate).
///
/// # Formula
/// x̄ ± t₀.₉₇₅,ₙ₋₁ · s/√n.
pub fn mean_interval(values: &[f64]) -> Projected {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Projected { value: mean, lower: mean, upper: mean };
    }
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let t = crate::stats::t_975(n - 1.0);
    Projected { value: mean, lower: mean - t * sd / n.sqrt(), upper: mean + t * sd / n.sqrt() }
}

/// A curve from replicate series of equal length: mean with a 95 % band.
pub(super) fn replicate_curve(x: Vec<f64>, replicates: &[Vec<f64>]) -> Curve {
    let points: Vec<Projected> =
        (0..x.len()).map(|i| mean_interval(&replicates.iter().map(|r| r[i]).collect::<Vec<_>>())).collect();
    Curve {
        x,
        y: points.iter().map(|p| p.value).collect(),
        band: Some(Band {
            lower: points.iter().map(|p| p.lower).collect(),
            upper: points.iter().map(|p| p.upper).collect(),
        }),
    }
}

/// The sBG or BdW, chosen on a held-out tail, fitted to one journey's daily risk sets
/// (None when the data cannot be fitted).
fn fit_retention(journey: &JourneyResults) -> Option<DailyFit> {
    retention::fit_daily(&journey.retention).ok()
}

/// Per strategy, everything the charts and the metrics need, one entry per replicate.
#[derive(Default)]
pub(super) struct Strategy {
    pub name: String,
    /// Per replicate, the share active (≥ 1 session) on each age day among users observed that long.
    pub active: Vec<Vec<Option<f64>>>,
    /// Per replicate, the Kaplan–Meier share not yet lost for good at each age day.
    pub retained: Vec<Vec<f64>>,
    /// The retention model's projection from the horizon to [`PROJECT_DAYS`], per replicate that could be fitted.
    pub projected: Vec<Vec<Projected>>,
    /// The model behind each of those projections.
    pub models: Vec<RetentionModel>,
    pub margin: Vec<Vec<f64>>,
    pub weekly_full_price: Vec<Vec<f64>>,
    pub summaries: Vec<Summary>,
    /// Per replicate and channel: messages per user and opt-outs per 1,000 users.
    pub channels: Vec<[(f64, f64); 4]>,
    /// Per replicate: BG/NBD expected purchases per customer in the next 12 months, and mean P(alive).
    pub expected_purchases: Vec<f64>,
    pub p_alive: Vec<f64>,
}

/// BG/NBD customers from simulated histories: users with at least one purchase before the end of
/// calibration, time in weeks from their first purchase (the `lifetimes` convention).
fn customers(histories: &[PurchaseHistory]) -> Vec<bgnbd::Customer> {
    histories
        .iter()
        .filter_map(|h| {
            let (first, last) = (h.first?, h.last?);
            let age = f64::from(h.end - first) / HOURS_PER_WEEK;
            (age > 0.0).then(|| bgnbd::Customer {
                frequency: h.count - 1,
                recency: f64::from(last - first) / HOURS_PER_WEEK,
                age,
            })
        })
        .collect()
}

/// Fits the BG/NBD to one strategy's sample; returns the fit and its customers.
fn fit_purchases(histories: &[PurchaseHistory]) -> Option<(bgnbd::BgNbdFit, Vec<bgnbd::Customer>)> {
    let customers = customers(histories);
    let fit = bgnbd::fit(&customers).ok()?;
    Some((fit, customers))
}

impl Strategy {
    pub fn new(name: &str) -> Self {
        Strategy { name: name.to_owned(), ..Strategy::default() }
    }

    pub fn add(&mut self, j: &JourneyResults, days: usize) {
        let users = j.summary.users.max(1) as f64;
        self.active.push(j.retention.active.clone());
        self.retained.push(j.retention.retained.clone());
        if let Some(fit) = fit_retention(j) {
            self.projected.push((days..PROJECT_DAYS).map(|k| fit.project_age(k)).collect());
            self.models.push(fit.fit.model());
        }
        self.margin.push(
            j.series
                .gross_margin
                .iter()
                .scan(0.0, |c, v| {
                    *c += v / users;
                    Some(*c)
                })
                .collect(),
        );
        let weeks = days / 7;
        self.weekly_full_price.push(
            (0..weeks)
                .map(|w| {
                    let full: u64 = j.series.full_price_purchases[7 * w..7 * w + 7].iter().sum();
                    let all: u64 = j.series.conversions[7 * w..7 * w + 7].iter().sum();
                    if all > 0 { full as f64 / all as f64 } else { f64::NAN }
                })
                .collect(),
        );
        let mut channels = [(0.0, 0.0); 4];
        for (slot, c) in channels.iter_mut().zip(&j.channels) {
            *slot = (c.sent as f64 / users, 1000.0 * c.opt_outs as f64 / users);
        }
        self.channels.push(channels);
        self.summaries.push(j.summary.clone());
    }

    /// Adds one replicate's BG/NBD fit (nothing if the sample cannot be fitted).
    pub fn add_purchases(&mut self, histories: &[PurchaseHistory]) {
        if let Some((fit, customers)) = fit_purchases(histories) {
            let params = fit.params();
            let n = customers.len() as f64;
            self.expected_purchases
                .push(customers.iter().map(|c| params.conditional_expected(c, PROJECT_WEEKS)).sum::<f64>() / n);
            self.p_alive.push(customers.iter().map(|c| params.p_alive(c)).sum::<f64>() / n);
        }
    }

    pub fn metric(&self, f: impl Fn(&Summary) -> f64) -> Vec<f64> {
        self.summaries.iter().map(f).collect()
    }

    fn active_at(&self, day: usize) -> Vec<f64> {
        self.active.iter().map(|r| r.get(day).copied().flatten().unwrap_or(f64::NAN)).collect()
    }

    fn retained_at(&self, day: usize) -> Vec<f64> {
        self.retained.iter().map(|r| r.get(day).copied().unwrap_or(f64::NAN)).collect()
    }

    /// Share not yet lost at 12 months: the retention model's projection, or the simulation itself when it ran that long.
    fn at_12_months(&self) -> Vec<f64> {
        let simulated = self.retained_at(PROJECT_DAYS - 1);
        if simulated.iter().all(|v| v.is_finite()) {
            return simulated;
        }
        self.projected.iter().filter_map(|p| p.last().map(|q| q.value)).collect()
    }
}

type Values = fn(&Strategy) -> Vec<f64>;
/// A headline metric: its id in [`crate::vocabulary::METRICS`] (name, definition, direction, unit) and its replicate values.
type Headline = (&'static str, Values);

/// The headline metrics. "Retention" is activity on a day (docs/results.md); "survival" is not yet lost for
/// good (Kaplan–Meier).
const METRICS: [Headline; 12] = [
    ("retention_d30", |s| s.active_at(30)),
    ("retention_d90", |s| s.active_at(90)),
    ("survival_d30", |s| s.retained_at(30)),
    ("survival_d90", |s| s.retained_at(90)),
    ("survival_12m", Strategy::at_12_months),
    ("net_margin_per_user", |s| s.metric(|m| m.net_margin_per_user)),
    ("revenue_per_user", |s| s.metric(|m| m.revenue_per_user)),
    ("full_price_share", |s| s.metric(|m| m.full_price_share.unwrap_or(f64::NAN))),
    ("messages_per_user", |s| s.metric(|m| m.messages_per_user)),
    ("opt_out_rate", |s| s.metric(|m| m.opt_out_rate)),
    ("uninstall_rate", |s| s.metric(|m| m.uninstall_rate)),
    ("discount_cost_per_user", |s| s.metric(|m| m.discount_cost_per_user)),
];

/// The metrics a verdict can rank designs by (`[verdict] primary_metric`): every metric a comparison always reports.
pub const PRIMARY_CHOICES: [&str; METRICS.len()] = {
    let mut ids = [""; METRICS.len()];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = METRICS[i].0;
        i += 1;
    }
    ids
};

/// The BG/NBD metrics, when the purchase model was fitted.
const PURCHASE_METRICS: [Headline; 2] =
    [("bgnbd_expected_purchases", |s| s.expected_purchases.clone()), ("bgnbd_p_alive", |s| s.p_alive.clone())];

/// Mean and interval of replicate values, None when there are none or they are not finite.
fn finite_interval(values: &[f64]) -> Option<Projected> {
    let p = mean_interval(values);
    (!values.is_empty() && p.value.is_finite() && p.lower.is_finite()).then_some(p)
}

/// The paired difference a − b over replicates (common random numbers within a replicate) with its 95 % t-interval.
fn paired(a: &[f64], b: &[f64]) -> Option<Projected> {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    (d.len() == a.len()).then(|| finite_interval(&d)).flatten()
}

pub(super) fn metrics(strategies: &[Strategy], purchase_model: bool) -> Vec<Metric> {
    let extra: &[Headline] = if purchase_model { &PURCHASE_METRICS } else { &[] };
    METRICS
        .iter()
        .chain(extra)
        .map(|&(id, values)| {
            let def = crate::vocabulary::known(id);
            let better = def.better;
            let values: Vec<Vec<f64>> = strategies.iter().map(values).collect();
            Metric {
                id,
                label: def.name,
                definition: def.definition,
                better,
                unit: def.unit,
                values: values.iter().map(|v| finite_interval(v)).collect(),
                vs_baseline: values
                    .iter()
                    .enumerate()
                    .map(|(j, v)| (j > 0).then(|| paired(v, &values[0])).flatten())
                    .collect(),
                winner: winner(&values, better),
                replicates: values.iter().map(|v| v.iter().map(|x| x.is_finite().then_some(*x)).collect()).collect(),
            }
        })
        .collect()
}

/// One replicate run to [`PROJECT_DAYS`]: its Kaplan–Meier share still active at the last observed
/// age against the retention model fitted to the first `days` days of the same run.
pub fn projection_checks(long: &RunResults, days: usize) -> Vec<ProjectionCheck> {
    long.journeys
        .iter()
        .filter_map(|j| {
            let mut short = j.clone();
            short.retention.at_risk.truncate(days);
            short.retention.lost.truncate(days);
            let k = j.retention.at_risk.iter().rposition(|&n| n > 0)?;
            let fit = fit_retention(&short)?;
            let greenwood: f64 = (0..=k)
                .map(|i| (j.retention.at_risk[i] as f64, j.retention.lost[i] as f64))
                .filter(|&(n, d)| n > d)
                .map(|(n, d)| d / (n * (n - d)))
                .sum();
            Some(ProjectionCheck {
                journey: j.name.clone(),
                age_days: k,
                simulated: j.retention.retained[k],
                simulated_log_se: greenwood.sqrt(),
                projected: fit.project_age(k),
                model: fit.fit.model(),
            })
        })
        .collect()
}

/// Runs the sampled users 52 weeks past the horizon and compares each strategy's BG/NBD prediction
/// (fitted on the horizon) with the purchases they really made afterwards (eq. 10, Fader, Hardie & Lee 2005).
pub(super) fn purchase_checks(
    scenario: &Scenario,
    users: Option<u32>,
    strategies: &[Strategy],
    days: usize,
    cancel: &AtomicBool,
) -> Result<Vec<PurchaseCheck>, RunError> {
    let longer_days = days as u32 + PROJECT_WEEKS as u32 * 7;
    let config = RunConfig { users, days: Some(longer_days), ..RunConfig::default() };
    let mut rows = Vec::new();
    for (journey, s) in strategies.iter().enumerate() {
        let histories =
            crate::engine::purchase_histories(scenario, &config, journey, BGNBD_SAMPLE, days as u32, cancel)?;
        let Some((fit, customers)) = fit_purchases(&histories) else { continue };
        let params = fit.params();
        let predicted = customers.iter().map(|c| params.conditional_expected(c, PROJECT_WEEKS)).sum::<f64>();
        let simulated: u32 = histories.iter().filter(|h| h.first.is_some()).map(|h| h.later).sum();
        let n = customers.len().max(1) as f64;
        rows.push(PurchaseCheck {
            journey: s.name.clone(),
            customers: customers.len(),
            predicted_per_customer: predicted / n,
            simulated_per_customer: f64::from(simulated) / n,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_uses_students_t() {
        // n = 4, s = 1: t(0.975, 3) = 3.182446 (any t table), half-width 3.182446 / 2.
        let p = mean_interval(&[1.0, 2.0, 3.0, 2.0]);
        let sd = (2.0f64 / 3.0).sqrt();
        assert!((p.value - 2.0).abs() < 1e-12);
        assert!((p.upper - p.value - 3.182446 * sd / 2.0).abs() < 1e-5, "{p:?}");
        assert_eq!(mean_interval(&[5.0]), Projected { value: 5.0, lower: 5.0, upper: 5.0 });
    }
}
