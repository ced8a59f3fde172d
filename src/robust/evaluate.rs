//! Running a sweep's jobs: each one the scenario with its parameter values in `[model]`, run by
//! the engine at its replicate with the sweep's seed and users (common random numbers: the same
//! users and streams at every point), reduced to the headline metrics of every journey.
//! Jobs run in parallel on one pool (each run is parallel over users inside it too); results are
//! kept in job order and each is a pure function of its job, so no thread count changes them.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::design::{Job, Point};
use super::points::{Header, RunValues};
use super::{METRICS, RobustError};
use crate::compare::PROJECT_DAYS;
use crate::engine::{JourneyResults, Progress, RunConfig, RunError};
use crate::predict::retention;
use crate::scenario::Scenario;

/// The scenario with one job's parameter values set in its model.
pub fn scenario_at(scenario: &Scenario, header: &Header, design: &[Vec<f64>], point: &Point) -> Scenario {
    let mut scenario = scenario.clone();
    let model = &mut scenario.model;
    match point {
        Point::Scenario => {}
        Point::Low(name) | Point::High(name) => {
            if let Some(p) = header.parameters.iter().find(|p| &p.name == name) {
                model.set(name, if matches!(point, Point::Low(_)) { p.low } else { p.high });
            }
        }
        Point::Joint(k) => {
            for (p, x) in header.parameters.iter().zip(&design[*k as usize]) {
                model.set(&p.name, *x);
            }
        }
    }
    scenario
}

/// The headline values of one journey's run, in [`METRICS`] order.
///
/// Survival at 12 months is the Kaplan–Meier share not yet lost at the end of age day 364 when
/// the run is that long, else the sBG or BdW fitted to the run's daily risk sets projected there
/// (`predict::retention::fit_daily`; None when it cannot be fitted) — as `compare` reports it.
pub fn journey_values(j: &JourneyResults, days: u32) -> Vec<Option<f64>> {
    let age = PROJECT_DAYS - 1;
    let survival_12m = if days as usize >= PROJECT_DAYS {
        j.retention.retained.get(age).copied()
    } else {
        retention::fit_daily(&j.retention).ok().map(|fit| fit.project_age(age).value)
    };
    let s = &j.summary;
    METRICS
        .iter()
        .map(|&id| match id {
            "retention_d30" => s.retention_d30,
            "survival_12m" => survival_12m,
            "net_margin_per_user" => Some(s.net_margin_per_user),
            "revenue_per_user" => Some(s.revenue_per_user),
            "full_price_share" => s.full_price_share,
            "opt_out_rate" => Some(s.opt_out_rate),
            _ => Some(s.uninstall_rate),
        })
        .map(|v| v.filter(|x| x.is_finite()))
        .collect()
}

/// Runs the jobs of `header`'s shard; progress counts simulated users over all of them.
pub fn run_jobs(
    scenario: &Scenario,
    header: &Header,
    design: &[Vec<f64>],
    threads: Option<usize>,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<RunValues>, RobustError> {
    let mine: Vec<(u64, Job)> = header
        .jobs()
        .into_iter()
        .enumerate()
        .map(|(i, j)| (i as u64, j))
        .filter(|(i, _)| header.shard.holds(*i))
        .collect();
    let users = u64::from(header.users);
    let total = users * mine.len() as u64;
    let done = AtomicU64::new(0);
    // Per job, the users its run has reported so far (the engine reports cumulative counts).
    let reported: Vec<AtomicU64> = mine.iter().map(|_| AtomicU64::new(0)).collect();
    let pool = RunConfig { threads, ..RunConfig::default() }.pool()?;
    pool.install(|| {
        mine.par_iter()
            .zip(&reported)
            .map(|((job, j), seen)| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(RunError::Cancelled.into());
                }
                let at = scenario_at(scenario, header, design, &j.point);
                let config = RunConfig {
                    users: Some(header.users),
                    days: Some(header.days),
                    seed: Some(header.seed),
                    threads: None,
                    replicate: u64::from(j.replicate),
                };
                let step = |p: Progress| {
                    let delta = p.users_done.saturating_sub(seen.swap(p.users_done, Ordering::Relaxed));
                    let now = done.fetch_add(delta, Ordering::Relaxed) + delta;
                    progress(Progress { users_done: now.min(total), users_total: total });
                };
                let results = crate::engine::run_in_current_pool(&at, &config, &step, cancel)?;
                let values = results.journeys.iter().map(|r| journey_values(r, results.days)).collect();
                Ok(RunValues { job: *job, point: j.point.clone(), replicate: j.replicate, values })
            })
            .collect()
    })
}
