//! Compare designs: every journey of a scenario over R replicates (fresh users
//! and noise from the same seed), with retention projected 12 months out by an
//! sBG or a BdW, chosen per fit on a held-out tail (docs/predict.md), margin, full-price share and message fatigue, each
//! with a 95 % t-interval across replicates and a winner where the lead is
//! beyond its interval. The CLI's `compare` and the app's Compare screen both
//! call [`compare`]; `charts.rs` turns the report into the chart module's data.

mod charts;
pub(crate) mod panel;
mod replicates;
mod verdict;

use std::sync::atomic::AtomicBool;

pub use charts::{CompareCharts, IDS as CHART_IDS, draw, get as chart};
use replicates::Strategy;
pub use replicates::{PRIMARY_CHOICES, mean_interval, projection_checks};
pub use verdict::{GUARDRAILS, PRIMARY, Recommendation, Verdict, decide};

pub use crate::vocabulary::{Better, Unit};

use crate::engine::{Progress, RunConfig, RunError, RunResults};
use crate::predict::Projected;
use crate::predict::retention::RetentionModel;
use crate::scenario::{Currency, Scenario};

/// Days after arrival the retention projection reaches (12 months).
pub const PROJECT_DAYS: usize = 365;
/// Customers whose purchase histories the BG/NBD is fitted to, per strategy and replicate
/// (a sample keeps memory bounded; the fit's standard errors shrink as 1/√n).
pub const BGNBD_SAMPLE: u32 = 5_000;
/// The BG/NBD's projection period in weeks (12 months).
pub const PROJECT_WEEKS: f64 = 52.0;
/// Most replicates a comparison accepts.
pub const MAX_REPLICATIONS: u64 = 1000;

/// What to compare and how much work to spend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareConfig {
    /// Replicates (1 … [`MAX_REPLICATIONS`]); intervals come from their spread.
    pub replications: u64,
    /// Users per replicate; None = the scenario's.
    pub users: Option<u32>,
    /// Also fit the BG/NBD purchase model per journey and replicate.
    pub purchase_model: bool,
    /// Also check both projections against longer simulations (a 365-day run; 52 more weeks of purchases).
    pub checks: bool,
}

impl Default for CompareConfig {
    fn default() -> Self {
        CompareConfig { replications: 5, users: None, purchase_model: false, checks: false }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CompareError {
    #[error("replications must be 1 … {MAX_REPLICATIONS} and users at least 1")]
    BadConfig,
    #[error(transparent)]
    Run(#[from] RunError),
}

/// The best journey on a metric, if any.
#[derive(Clone, Debug, PartialEq)]
pub enum Winner {
    /// Fewer than one journey with a value.
    None,
    /// The only journey with a value.
    Only(usize),
    /// The best journey; its paired lead over the runner-up (in the metric's good direction) and its 95 % interval.
    Clear { journey: usize, lead: Projected },
    /// The leader's lead interval includes 0.
    Unclear { leader: usize, lead: Projected },
}

/// One headline metric across journeys.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// Stable id, e.g. `retention_d30`; id, label, definition, direction and unit come from
    /// [`crate::vocabulary::METRICS`].
    pub id: &'static str,
    pub label: &'static str,
    pub definition: &'static str,
    pub better: Better,
    pub unit: Unit,
    /// Per journey: mean and 95 % interval across replicates; None where it cannot be computed.
    pub values: Vec<Option<Projected>>,
    /// Per journey: its paired difference from the first journey (the baseline), journey − baseline, with
    /// a 95 % t-interval across replicates; None for the baseline and where it cannot be computed.
    pub vs_baseline: Vec<Option<Projected>>,
    pub winner: Winner,
    /// Per journey, the value in each replicate (None where it cannot be computed): what the intervals come from.
    pub replicates: Vec<Vec<Option<f64>>>,
}

/// The retention projection of one journey against a longer run of the same users.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectionCheck {
    pub journey: String,
    pub age_days: usize,
    /// The longer run's Kaplan–Meier survival at `age_days`.
    pub simulated: f64,
    /// Its Greenwood standard error on the log scale, √Σ d/(n (n − d)) (Kalbfleisch & Prentice 2002, §1.4):
    /// few users are still at risk a year out, so the simulated value is itself uncertain.
    pub simulated_log_se: f64,
    pub projected: Projected,
    /// The model the projection used.
    pub model: RetentionModel,
}

impl ProjectionCheck {
    /// Whether the projection and the longer run agree within their joint 95 % error: on the log scale,
    /// |ln S_sim − ln S_proj| ≤ √(h_proj² + (1.96 · se_sim)²), where h_proj is the half-width of the projection's
    /// interval on the side of the simulated value (the two errors are independent: one run's sampling noise
    /// against the fit's uncertainty, so their variances add).
    pub fn holds(&self) -> bool {
        let (sim, p) = (self.simulated, self.projected);
        if !(sim > 0.0 && p.value > 0.0 && p.lower > 0.0) {
            return (p.lower..=p.upper).contains(&sim);
        }
        let gap = sim.ln() - p.value.ln();
        let half = if gap >= 0.0 { p.upper.ln() - p.value.ln() } else { p.value.ln() - p.lower.ln() };
        let z = crate::stats::Z_975 * self.simulated_log_se;
        gap.abs() <= (half * half + z * z).sqrt()
    }
}

/// The BG/NBD prediction of one journey's next 52 weeks of purchases against the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct PurchaseCheck {
    pub journey: String,
    pub customers: usize,
    pub predicted_per_customer: f64,
    pub simulated_per_customer: f64,
}

/// Everything a comparison found.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareReport {
    pub scenario: String,
    pub journeys: Vec<String>,
    pub users: u64,
    pub days: u32,
    pub replications: u64,
    /// The currency of every amount of money (the scenario's `[economics] currency`).
    pub currency: Currency,
    pub metrics: Vec<Metric>,
    /// The metric the verdict ranks designs by: the scenario's `[verdict] primary_metric` ([`PRIMARY`] by default).
    pub primary: &'static str,
    /// Which design to ship, from the primary metric and [`GUARDRAILS`], in one sentence.
    pub verdict: Verdict,
    pub charts: CompareCharts,
    /// Per journey, the retention model chosen in each replicate that could be fitted.
    pub retention_models: Vec<Vec<RetentionModel>>,
    /// Empty unless [`CompareConfig::checks`].
    pub projection_checks: Vec<ProjectionCheck>,
    pub purchase_checks: Vec<PurchaseCheck>,
}

/// Counts work done across the comparison's runs for one progress bar.
struct Work<'a> {
    done: std::sync::atomic::AtomicU64,
    total: u64,
    report: &'a (dyn Fn(Progress) + Sync),
}

impl Work<'_> {
    /// Progress within a stage of `stage_total` users that starts after what is done so far.
    fn stage<'s>(&'s self) -> impl Fn(Progress) + Sync + 's {
        let base = self.done.load(std::sync::atomic::Ordering::Relaxed);
        move |p: Progress| {
            (self.report)(Progress { users_done: (base + p.users_done).min(self.total), users_total: self.total })
        }
    }

    fn finish(&self, users: u64) {
        let done = self.done.fetch_add(users, std::sync::atomic::Ordering::Relaxed) + users;
        (self.report)(Progress { users_done: done.min(self.total), users_total: self.total });
    }
}

/// Compares every journey of the scenario; see the module documentation.
pub fn compare(
    scenario: &Scenario,
    config: &CompareConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<CompareReport, CompareError> {
    if config.replications == 0 || config.replications > MAX_REPLICATIONS || config.users == Some(0) {
        return Err(CompareError::BadConfig);
    }
    let users = u64::from(config.users.unwrap_or(scenario.simulation.users));
    let journeys = scenario.journeys.len() as u64;
    let reps = config.replications;
    let sample = u64::from(BGNBD_SAMPLE).min(users);
    let total = reps * users
        + if config.purchase_model { journeys * reps * sample } else { 0 }
        + if config.checks { users + journeys * sample } else { 0 };
    let work = Work { done: Default::default(), total, report: progress };
    let run_config = |replicate| RunConfig { users: config.users, replicate, ..RunConfig::default() };
    let mut runs: Vec<RunResults> = Vec::new();
    for replicate in 0..reps {
        runs.push(crate::engine::run(scenario, &run_config(replicate), &work.stage(), cancel)?);
        work.finish(users);
    }
    let days = runs[0].days as usize;
    let mut strategies: Vec<Strategy> = runs[0].journeys.iter().map(|j| Strategy::new(&j.name)).collect();
    for run in &runs {
        for (s, j) in strategies.iter_mut().zip(&run.journeys) {
            s.add(j, days);
        }
    }
    if config.purchase_model {
        for (journey, s) in strategies.iter_mut().enumerate() {
            for replicate in 0..reps {
                let histories = crate::engine::purchase_histories(
                    scenario,
                    &run_config(replicate),
                    journey,
                    BGNBD_SAMPLE,
                    days as u32,
                    cancel,
                )?;
                s.add_purchases(&histories);
                work.finish(sample);
            }
        }
    }
    let (projection_checks, purchase_checks) = if config.checks {
        let longer = RunConfig { users: config.users, days: Some(PROJECT_DAYS as u32), ..RunConfig::default() };
        let long =
            (days < PROJECT_DAYS).then(|| crate::engine::run(scenario, &longer, &work.stage(), cancel)).transpose()?;
        work.finish(users);
        let projections = long.map(|l| projection_checks(&l, days)).unwrap_or_default();
        let purchases = replicates::purchase_checks(scenario, config.users, &strategies, days, cancel)?;
        work.finish(journeys * sample);
        (projections, purchases)
    } else {
        (Vec::new(), Vec::new())
    };
    let metrics = replicates::metrics(&strategies, config.purchase_model);
    Ok(CompareReport {
        scenario: scenario.simulation.name.clone(),
        journeys: strategies.iter().map(|s| s.name.clone()).collect(),
        users,
        days: days as u32,
        replications: reps,
        currency: scenario.economics.currency,
        primary: scenario.verdict.primary_metric,
        verdict: decide(
            &metrics,
            &strategies.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            scenario.economics.currency,
            scenario.verdict.primary_metric,
        ),
        metrics,
        charts: charts::build(&scenario.simulation.name, scenario.economics.currency.as_str(), &strategies, days),
        retention_models: strategies.iter().map(|s| s.models.clone()).collect(),
        projection_checks,
        purchase_checks,
    })
}

/// The headline metrics as CSV: one row per metric and journey with the mean and its 95 % interval,
/// then the paired difference from the first journey (the baseline) and its interval (empty for the baseline).
pub fn headline_csv(report: &CompareReport) -> String {
    let mut csv = String::from("metric,journey,mean,lower,upper,vs_baseline,vs_baseline_lower,vs_baseline_upper\n");
    let cells =
        |p: &Option<Projected>| p.map_or_else(|| ",,".to_owned(), |p| format!("{},{},{}", p.value, p.lower, p.upper));
    for m in &report.metrics {
        for ((journey, value), diff) in report.journeys.iter().zip(&m.values).zip(&m.vs_baseline) {
            let journey = journey.replace(',', ";");
            csv.push_str(&format!("{},{journey},{},{}\n", m.id, cells(value), cells(diff)));
        }
    }
    csv
}

/// The best journey by mean (in the metric's good direction), if its paired lead over
/// the runner-up is beyond the 95 % interval. `values[j]` holds journey j's replicate values.
pub(crate) fn winner(values: &[Vec<f64>], better: Better) -> Winner {
    let sign = better.sign();
    let means: Vec<f64> = values.iter().map(|v| sign * mean_interval(v).value).collect();
    let mut order: Vec<usize> = (0..means.len()).filter(|&i| means[i].is_finite()).collect();
    order.sort_by(|&a, &b| means[b].total_cmp(&means[a]));
    match order.as_slice() {
        [] => Winner::None,
        [only] => Winner::Only(*only),
        [best, second, ..] => {
            let d: Vec<f64> = values[*best].iter().zip(&values[*second]).map(|(a, b)| sign * (a - b)).collect();
            let lead = mean_interval(&d);
            if lead.lower > 0.0 {
                Winner::Clear { journey: *best, lead }
            } else {
                Winner::Unclear { leader: *best, lead }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_beyond_its_interval_wins_and_direction_counts() {
        let a = vec![1.0, 1.1, 0.9, 1.0];
        let b = vec![2.0, 2.1, 1.9, 2.05];
        assert!(matches!(winner(&[a.clone(), b.clone()], Better::Higher), Winner::Clear { journey: 1, .. }));
        assert!(matches!(winner(&[a.clone(), b.clone()], Better::Lower), Winner::Clear { journey: 0, .. }));
        let c = vec![1.2, 0.8, 1.3, 0.75];
        assert!(matches!(winner(&[a.clone(), c], Better::Higher), Winner::Unclear { .. }));
        assert_eq!(winner(&[vec![f64::NAN], vec![3.0]], Better::Higher), Winner::Only(1));
    }

    #[test]
    fn a_projection_agrees_with_a_run_within_their_joint_error() {
        let check = |simulated: f64, simulated_log_se: f64| ProjectionCheck {
            journey: "j".into(),
            age_days: 364,
            simulated,
            simulated_log_se,
            projected: Projected { value: 0.040, lower: 0.038, upper: 0.042 },
            model: RetentionModel::Sbg,
        };
        // ln(0.042/0.040) = 0.0488 is the upper half-width; 0.043 is ln-gap 0.0723 above the projection.
        assert!(check(0.041, 0.0).holds() && !check(0.043, 0.0).holds());
        // With the run's own error, √(0.0488² + (1.96 · 0.03)²) = 0.0764 ≥ 0.0723: they agree.
        assert!(check(0.043, 0.03).holds());
        // 0.045 is ln-gap 0.1178 above: beyond the joint error.
        assert!(!check(0.045, 0.03).holds());
        // Below the projection the lower half-width counts: ln(0.040/0.038) = 0.0513.
        assert!(check(0.0381, 0.0).holds() && !check(0.0370, 0.0).holds());
    }

    #[test]
    fn bad_configurations_are_refused_before_any_work() {
        let scenario = crate::scenario::read(crate::library::TEMPLATE).expect("template");
        let cancel = AtomicBool::new(false);
        for config in [
            CompareConfig { replications: 0, ..CompareConfig::default() },
            CompareConfig { users: Some(0), ..CompareConfig::default() },
        ] {
            assert_eq!(compare(&scenario, &config, &|_| {}, &cancel), Err(CompareError::BadConfig));
        }
    }
}
