//! The simulation: every user under every journey design, in parallel,
//! streaming into integer tallies. No I/O.
//!
//! Determinism: user `i` draws only from streams named by (seed, replicate, i, …)
//! and tallies are integer sums, so the result is identical for any thread count.
//! Memory: tallies are per day, not per user; a worker keeps one user at a time.

mod pilot;
mod records;
mod results;
mod tally;
pub(crate) mod user;

pub use records::{UserRecord, purchase_histories, user_records};
pub use results::{
    ChannelSummary, EdgeFlow, JourneyResults, NodeFlow, RetentionCurves, RunResults, SCHEMA as RESULTS_SCHEMA, Series,
    Summary,
};
pub use user::PurchaseHistory;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use crate::journey::{ScoreModel, effective_auc, effective_hit_rate};
use crate::population::PopulationSampler;
use crate::scenario::{Hold, QuietHours, Scenario};
use pilot::ScoreReferences;
pub(crate) use tally::Tally;
use user::Scratch;

/// Users simulated between two checks of the cancel flag and two progress reports.
pub(crate) const CHUNK_USERS: u64 = 512;
/// Quiet hours used to count night deliveries of journeys that set none.
const REPORTING_QUIET_HOURS: QuietHours = QuietHours { start: 21, end: 8, action: Hold::Defer };

/// Overrides of the scenario's own settings for one run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunConfig {
    pub users: Option<u32>,
    pub days: Option<u32>,
    pub seed: Option<u64>,
    /// Worker threads; None = all cores. Never changes the result.
    pub threads: Option<usize>,
    /// Replicate index: a fresh population and fresh noise from the same seed.
    pub replicate: u64,
}

impl RunConfig {
    /// The scenario with this run's overrides applied.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut scenario = scenario.clone();
        if let Some(users) = self.users {
            scenario.simulation.users = users;
        }
        if let Some(days) = self.days {
            scenario.simulation.horizon_days = days;
            let acquisition = &mut scenario.population.acquisition;
            acquisition.days = acquisition.days.min(days.saturating_sub(1));
        }
        if let Some(seed) = self.seed {
            scenario.simulation.seed = seed;
        }
        scenario
    }

    /// A worker pool of the requested size (all cores by default).
    pub fn pool(&self) -> Result<rayon::ThreadPool, RunError> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads.unwrap_or(0))
            .build()
            .map_err(|e| RunError::Threads(e.to_string()))
    }
}

/// How far a run has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub users_done: u64,
    pub users_total: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RunError {
    #[error("the run was cancelled")]
    Cancelled,
    #[error("could not start worker threads: {0}")]
    Threads(String),
}

/// Everything a user simulation reads, built once per run.
pub(crate) struct RunContext<'a> {
    scenario: &'a Scenario,
    seed: u64,
    replicate: u64,
    horizon_days: u32,
    fatigue_decay: f64,
    /// e^max(κ, 0): the largest factor engagement puts on the churn hazard for E in [0, 1] (see `Sim::churns`).
    max_engagement_hazard_factor: f64,
    /// The scenario tracks every event as it happens (no loss, duplication or delay).
    exact_tracking: bool,
    /// Per-day decay of the per-content novelty counters: 2^(−1/half-life).
    novelty_decay: f64,
    /// Order values (Gamma–Gamma).
    spend: crate::population::Spend,
    /// Visit multiplier of each simulated day (weekday × month, from the start date).
    rhythm: Vec<f64>,
    scores: [ScoreModel; 3],
    /// What each score is ranked against, by age day (empty without a score branch).
    references: ScoreReferences,
    best_hour_hit_rate: f64,
    report_quiet: Vec<QuietHours>,
}

/// Runs every journey of `scenario` on the same synthetic users.
///
/// `progress` is called from worker threads after each chunk of users;
/// setting `cancel` stops the run within one chunk (well under 100 ms) and
/// returns [`RunError::Cancelled`] with no partial result.
pub fn run(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<RunResults, RunError> {
    let pool = config.pool()?;
    pool.install(|| run_in_current_pool(scenario, config, progress, cancel))
}

/// [`run`] on the caller's rayon pool (its `threads` is ignored): for callers that run many
/// runs in parallel themselves (`robust`), so that pools do not nest.
pub(crate) fn run_in_current_pool(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<RunResults, RunError> {
    simulate(&config.apply(scenario), config.replicate, progress, cancel)
}

fn simulate(
    scenario: &Scenario,
    replicate: u64,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<RunResults, RunError> {
    let sampler = PopulationSampler::new(scenario);
    let ctx = context(scenario, replicate, &sampler);
    let users = u64::from(scenario.simulation.users);
    let node_counts: Vec<usize> = scenario.journeys.iter().map(|j| j.nodes().len()).collect();
    let days = scenario.simulation.horizon_days as usize;
    let done = AtomicU64::new(0);
    let chunks = users.div_ceil(CHUNK_USERS);
    let tally = (0..chunks)
        .into_par_iter()
        .try_fold(
            || (Tally::new(&node_counts, days), Scratch::default()),
            |(mut tally, mut scratch), chunk| {
                let first = chunk * CHUNK_USERS;
                for index in first..(first + CHUNK_USERS).min(users) {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(RunError::Cancelled);
                    }
                    let user = sampler.user(replicate, index);
                    for journey in 0..scenario.journeys.len() {
                        user::simulate(&ctx, &user, index, journey, &mut tally, &mut scratch, None);
                    }
                }
                let n = (first + CHUNK_USERS).min(users) - first;
                let users_done = done.fetch_add(n, Ordering::Relaxed) + n;
                progress(Progress { users_done, users_total: users });
                Ok((tally, scratch))
            },
        )
        .map(|r| r.map(|(tally, _)| tally))
        .try_reduce(|| Tally::new(&node_counts, days), |a, b| Ok(a.merge(b)))?;
    if cancel.load(Ordering::Relaxed) {
        return Err(RunError::Cancelled);
    }
    Ok(RunResults::from_tally(scenario, &tally))
}

/// Everything a run reads, with the scores' reference built from a pilot when a journey has a score branch.
pub(crate) fn context<'a>(scenario: &'a Scenario, replicate: u64, sampler: &PopulationSampler) -> RunContext<'a> {
    let uses_scores = scenario.journeys.iter().flat_map(|j| j.nodes()).any(|n| {
        matches!(n.kind, crate::scenario::NodeKind::Branch { condition: crate::scenario::Condition::Score { .. }, .. })
    });
    let mut ctx = base_context(scenario, replicate);
    if uses_scores {
        ctx.references = ScoreReferences::build(scenario, replicate, sampler);
    }
    ctx
}

/// The run context without the scores' reference.
fn base_context(scenario: &Scenario, replicate: u64) -> RunContext<'_> {
    let users = f64::from(scenario.simulation.users);
    let p = &scenario.predictions;
    RunContext {
        scenario,
        seed: scenario.simulation.seed,
        replicate,
        horizon_days: scenario.simulation.horizon_days,
        fatigue_decay: crate::behavior::daily_decay(scenario.model.fatigue_half_life_days),
        max_engagement_hazard_factor: scenario.model.churn_engagement_kappa.max(0.0).exp(),
        exact_tracking: {
            let t = scenario.tracking;
            t.loss == 0.0 && t.duplicate == 0.0 && t.delay_hours == 0.0
        },
        novelty_decay: crate::behavior::daily_decay(scenario.model.novelty_half_life_days),
        spend: scenario.economics.spend(),
        rhythm: (0..scenario.simulation.horizon_days)
            .map(|d| scenario.population.rhythm.multiplier(scenario.simulation.start_date, d))
            .collect(),
        scores: [&p.churn_risk, &p.conversion_intent, &p.lifetime_value]
            .map(|quality| ScoreModel::new(effective_auc(quality, users))),
        references: ScoreReferences::none(),
        best_hour_hit_rate: effective_hit_rate(&p.best_hour, users),
        report_quiet: scenario
            .journeys
            .iter()
            .map(|j| j.policies.quiet_hours.unwrap_or(REPORTING_QUIET_HOURS))
            .collect(),
    }
}

impl RunContext<'_> {
    /// The percentile of score `score` (0 churn risk, 1 conversion intent, 2 lifetime value) of a user of age
    /// day `age` whose log-latent is `log_latent`, with the user's fixed noise draw.
    fn score_percentile(&self, score: usize, age: usize, log_latent: f64, noise_draw: f64) -> f64 {
        let z = self.references.normal_score(age, score, log_latent);
        self.scores[score].percentile(z, noise_draw)
    }
}
