//! A/B experiments on simulated journeys: when does the result become valid?
//!
//! Each user is assigned to an arm from the assignment stream of (seed,
//! replicate, user) and enrolled when they first enter that arm's journey. A
//! user's metric counts at a look only once its window has closed by that
//! look's day — never data from the future. Every user is also run through
//! the other arm with the same random streams (common random numbers), which
//! gives the ground truth: the effect the experiment tries to estimate, on
//! this very population, with its own interval.

mod analysis;
mod replay;

pub use analysis::{
    ExperimentReport, GuardrailStatus, LookReport, LookStatus, NaiveClaim, NotYet, Plan, ReplicationSummary,
    RuleSummary, Truth,
};
pub use replay::{arm_chart, monitor_chart, p_value_chart};

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand::Rng as _;
use rayon::prelude::*;
use serde::Serialize;

use crate::engine::user::{Outcome, Probe, Scratch, simulate};
use crate::engine::{CHUNK_USERS, Progress, RunConfig, RunError, Tally, context};
use crate::population::PopulationSampler;
use crate::rng::{Purpose, stream};
use crate::scenario::{Experiment, Looks, Metric, Scenario};

/// Assignment-stream index of the experiment (journey holdouts use indices 0…journeys).
const EXPERIMENT_ASSIGNMENT: u64 = u64::MAX;
/// Replicate namespace of the pilot that plans the sample size (never an experiment replicate).
const PILOT_REPLICATE: u64 = u64::MAX - 1;
/// Users in that pilot.
const PILOT_USERS: u64 = 4_000;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ExperimentError {
    #[error("the scenario has no [experiment] section")]
    NoExperiment,
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("{0}")]
    Stats(String),
}

/// Per arm, by the look day on which each user's window closes: users, metric sums, guardrail counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArmDays {
    pub users: Vec<u64>,
    pub sum: Vec<i128>,
    pub sum_sq: Vec<i128>,
    pub opted_out: Vec<u64>,
    pub uninstalled: Vec<u64>,
}

impl ArmDays {
    fn new(days: usize) -> Self {
        ArmDays {
            users: vec![0; days + 1],
            sum: vec![0; days + 1],
            sum_sq: vec![0; days + 1],
            opted_out: vec![0; days + 1],
            uninstalled: vec![0; days + 1],
        }
    }

    fn add(&mut self, day: usize, x: i128, outcome: &Outcome) {
        self.users[day] += 1;
        self.sum[day] += x;
        self.sum_sq[day] += x * x;
        self.opted_out[day] += u64::from(outcome.opted_out);
        self.uninstalled[day] += u64::from(outcome.uninstalled);
    }

    fn merge(&mut self, other: &ArmDays) {
        for (a, b) in [
            (&mut self.users, &other.users),
            (&mut self.opted_out, &other.opted_out),
            (&mut self.uninstalled, &other.uninstalled),
        ] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        for (a, b) in [(&mut self.sum, &other.sum), (&mut self.sum_sq, &other.sum_sq)] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
    }
}

/// Everything one replication accumulates; integer sums, so any split gives the same totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Accumulated {
    pub arms: [ArmDays; 2],
    /// Users assigned to control, treatment, holdout.
    pub assigned: [u64; 3],
    /// Users who entered their assigned arm's journey (whenever their window closes).
    pub enrolled: u64,
    /// Paired differences x_B − x_A over enrolled users whose window closed within the horizon.
    pub truth_n: u64,
    pub truth_sum: i128,
    pub truth_sum_sq: i128,
}

impl Accumulated {
    fn new(days: usize) -> Self {
        Accumulated {
            arms: [ArmDays::new(days), ArmDays::new(days)],
            assigned: [0; 3],
            enrolled: 0,
            truth_n: 0,
            truth_sum: 0,
            truth_sum_sq: 0,
        }
    }

    fn merge(mut self, other: Accumulated) -> Accumulated {
        for (a, b) in self.arms.iter_mut().zip(&other.arms) {
            a.merge(b);
        }
        for (a, b) in self.assigned.iter_mut().zip(other.assigned) {
            *a += b;
        }
        self.enrolled += other.enrolled;
        self.truth_n += other.truth_n;
        self.truth_sum += other.truth_sum;
        self.truth_sum_sq += other.truth_sum_sq;
        self
    }
}

/// The metric of one outcome: 0/1 for proportions, micro-units for money.
pub(crate) fn metric_value(metric: Metric, outcome: &Outcome) -> i128 {
    match metric {
        Metric::Conversion => i128::from(outcome.converted),
        Metric::Retention => i128::from(outcome.retained),
        Metric::Revenue => i128::from(outcome.revenue),
        Metric::Margin => i128::from(outcome.margin),
    }
}

/// The look day (1-based, looks at the end of each day) by which an enrolled user's window has closed.
pub(crate) fn closing_day(experiment: &Experiment, enrolled_at: u32) -> u32 {
    let extra = if experiment.metric == Metric::Retention { 1 } else { 0 };
    let closes = enrolled_at + 24 * (experiment.window_days + extra);
    closes.div_ceil(24).max(1)
}

/// The look days of the experiment within the horizon.
pub(crate) fn look_days(experiment: &Experiment, horizon_days: u32) -> Vec<u32> {
    match &experiment.looks {
        Looks::Daily => (1..=horizon_days).collect(),
        Looks::Days(days) => days.iter().copied().filter(|&d| d <= horizon_days).collect(),
    }
}

/// Runs one replication of the experiment and accumulates its outcomes by closing day.
pub(crate) fn accumulate(
    scenario: &Scenario,
    replicate: u64,
    users: u64,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Accumulated, RunError> {
    let experiment = scenario.experiment.as_ref().expect("checked by the caller");
    let sampler = PopulationSampler::new(scenario);
    let ctx = context(scenario, replicate, &sampler);
    let days = scenario.simulation.horizon_days as usize;
    let node_counts: Vec<usize> = scenario.journeys.iter().map(|j| j.nodes().len()).collect();
    let chunks = users.div_ceil(CHUNK_USERS);
    let journey_holdouts = experiment.arms.iter().any(|&j| scenario.journeys[j].policies.holdout > 0.0);
    (0..chunks)
        .into_par_iter()
        .try_fold(
            || (Accumulated::new(days), Tally::new(&node_counts, days), Scratch::default()),
            |(mut acc, mut tally, mut scratch), chunk| {
                let first = chunk * CHUNK_USERS;
                let last = (first + CHUNK_USERS).min(users);
                for index in first..last {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(RunError::Cancelled);
                    }
                    let user = sampler.user(replicate, index);
                    let u: f64 =
                        stream(scenario.simulation.seed, replicate, index, Purpose::Assignment, EXPERIMENT_ASSIGNMENT)
                            .random();
                    let assigned = if u < experiment.holdout {
                        2
                    } else if (u - experiment.holdout) / (1.0 - experiment.holdout) < experiment.allocation[0] {
                        0
                    } else {
                        1
                    };
                    acc.assigned[assigned] += 1;
                    if assigned == 2 {
                        continue;
                    }
                    // The assigned arm is what the experiment sees; the other arm gives the counterfactual
                    // truth. Both arms enrol on the same trigger and nothing differs before entry (common
                    // random numbers), so a user the assigned arm never enrols is never enrolled by the other
                    // either — unless a journey holdout keeps them out of one arm only.
                    let run = |journey: usize, tally: &mut Tally, scratch: &mut Scratch| {
                        let mut probe = Probe::window(experiment.window_days);
                        simulate(&ctx, &user, index, journey, tally, scratch, Some(&mut probe));
                        probe.outcome
                    };
                    let mut outcomes = [Outcome::default(); 2];
                    outcomes[assigned] = run(experiment.arms[assigned], &mut tally, &mut scratch);
                    if outcomes[assigned].enrolled_at.is_none() && !journey_holdouts {
                        continue;
                    }
                    outcomes[1 - assigned] = run(experiment.arms[1 - assigned], &mut tally, &mut scratch);
                    let seen = &outcomes[assigned];
                    acc.enrolled += u64::from(seen.enrolled_at.is_some());
                    if let Some(enrolled) = seen.enrolled_at {
                        let day = closing_day(experiment, enrolled) as usize;
                        if day <= days {
                            acc.arms[assigned].add(day, metric_value(experiment.metric, seen), seen);
                        }
                    }
                    if let Some(enrolled) = outcomes[0].enrolled_at.or(outcomes[1].enrolled_at) {
                        if closing_day(experiment, enrolled) as usize <= days {
                            let d = metric_value(experiment.metric, &outcomes[1])
                                - metric_value(experiment.metric, &outcomes[0]);
                            acc.truth_n += 1;
                            acc.truth_sum += d;
                            acc.truth_sum_sq += d * d;
                        }
                    }
                }
                progress(last - first);
                Ok((acc, tally, scratch))
            },
        )
        .map(|r| r.map(|(acc, _, _)| acc))
        .try_reduce(|| Accumulated::new(days), |a, b| Ok(a.merge(b)))
}

/// What a short pilot of the scenario says about its experiment: the metric among enrolled
/// users and how many users enter the experiment per day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Traffic {
    /// Rate, or mean per enrolled user in currency units, over both arms of the pilot.
    pub baseline: f64,
    /// Per-user sd of the metric (currency units for money; `√(p(1 − p))`-like spread for rates).
    pub sd: f64,
    /// Users arriving per day: the scenario's users over its acquisition days.
    pub arrivals_per_day: f64,
    /// Share of arriving users who enter the experiment (assigned to an arm, not held out, and
    /// enrolled by the arm's trigger within the horizon).
    pub enrolment: f64,
    /// `arrivals_per_day × enrolment`: users entering the experiment per day, both arms.
    pub daily_users: f64,
    /// Users in the pilot.
    pub pilot_users: u64,
}

/// Runs the pilot (its own replicate namespace, so no experiment data is used): the baseline
/// rate or mean and sd of the metric among enrolled users, and the enrolment per day.
fn pilot(scenario: &Scenario, cancel: &AtomicBool) -> Result<Traffic, RunError> {
    let experiment = scenario.experiment.as_ref().expect("checked by the caller");
    let pilot_users = PILOT_USERS.min(u64::from(scenario.simulation.users));
    let acc = accumulate(scenario, PILOT_REPLICATE, pilot_users, &|_| {}, cancel)?;
    let (mut n, mut sum, mut sum_sq) = (0u64, 0i128, 0i128);
    for arm in &acc.arms {
        n += arm.users.iter().sum::<u64>();
        sum += arm.sum.iter().sum::<i128>();
        sum_sq += arm.sum_sq.iter().sum::<i128>();
    }
    let scale = if experiment.metric.is_binary() { 1.0 } else { 1e6 };
    let n = n.max(2) as f64;
    let mean = sum as f64 / n / scale;
    let variance = ((sum_sq as f64 / scale / scale) - n * mean * mean) / (n - 1.0);
    let arrivals_per_day =
        f64::from(scenario.simulation.users) / f64::from(scenario.population.acquisition.days.max(1));
    let enrolment = acc.enrolled as f64 / pilot_users.max(1) as f64;
    Ok(Traffic {
        baseline: mean,
        sd: variance.max(0.0).sqrt(),
        arrivals_per_day,
        enrolment,
        daily_users: arrivals_per_day * enrolment,
        pilot_users,
    })
}

/// The scenario's experiment traffic and baseline from a pilot of `config`'s scenario.
pub fn traffic(scenario: &Scenario, config: &RunConfig, cancel: &AtomicBool) -> Result<Traffic, ExperimentError> {
    let scenario = config.apply(scenario);
    scenario.experiment.as_ref().ok_or(ExperimentError::NoExperiment)?;
    let pool = config.pool()?;
    Ok(pool.install(|| pilot(&scenario, cancel))?)
}

/// Adds the users each worker finishes to `done` and reports the running total out of `total`.
fn counter<'a>(done: &'a AtomicU64, total: u64, progress: &'a (dyn Fn(Progress) + Sync)) -> impl Fn(u64) + Sync + 'a {
    move |n| {
        let users_done = done.fetch_add(n, Ordering::Relaxed) + n;
        progress(Progress { users_done, users_total: total });
    }
}

/// Runs replication `config.replicate` of the scenario's experiment and reports it look by look.
pub fn run(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<ExperimentReport, ExperimentError> {
    let scenario = config.apply(scenario);
    let experiment = scenario.experiment.as_ref().ok_or(ExperimentError::NoExperiment)?;
    let pool = config.pool()?;
    pool.install(|| {
        let plan = Plan::new(&scenario, &pilot(&scenario, cancel)?)?;
        let users = u64::from(scenario.simulation.users);
        let done = AtomicU64::new(0);
        let report_progress = counter(&done, users, progress);
        let acc = accumulate(&scenario, config.replicate, users, &report_progress, cancel)?;
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Cancelled.into());
        }
        analysis::report(&scenario, experiment, &plan, &acc)
    })
}

/// Re-runs the experiment `replications` times with fresh assignment, users and noise
/// (replicates 0…R−1, in parallel) and compares naive peeking with the valid method.
pub fn replicate(
    scenario: &Scenario,
    config: &RunConfig,
    replications: u64,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<ReplicationSummary, ExperimentError> {
    let scenario = config.apply(scenario);
    let experiment = scenario.experiment.as_ref().ok_or(ExperimentError::NoExperiment)?;
    let pool = config.pool()?;
    pool.install(|| {
        let plan = Plan::new(&scenario, &pilot(&scenario, cancel)?)?;
        let users = u64::from(scenario.simulation.users);
        let done = AtomicU64::new(0);
        let report_progress = counter(&done, users * replications, progress);
        let reports = (0..replications)
            .into_par_iter()
            .map(|r| {
                let acc = accumulate(&scenario, r, users, &report_progress, cancel)?;
                analysis::report(&scenario, experiment, &plan, &acc)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(analysis::summarise(&scenario, experiment, &plan, &reports))
    })
}
