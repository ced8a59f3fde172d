//! Per-user records of a run under one journey, where tallies are not enough: every user's active
//! days and purchases, for the calibration (`crate::calibrate`, which reads them as it reads an
//! export's histories), and purchase histories split at a day, for the customer-base models. In
//! user order, so the result does not depend on the thread count; memory grows with users.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::user::{self, DaysRecord, PurchaseHistory, Scratch};
use super::{CHUNK_USERS, RunConfig, RunContext, RunError, Tally, context};
use crate::population::{PopulationSampler, User};
use crate::scenario::Scenario;

/// One simulated user: the day they arrived and what they did.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub arrival_day: u32,
    pub record: DaysRecord,
}

/// The records of every user of the configured run under journey `journey`.
pub fn user_records(
    scenario: &Scenario,
    config: &RunConfig,
    journey: usize,
    cancel: &AtomicBool,
) -> Result<Vec<UserRecord>, RunError> {
    per_user(scenario, config, u32::MAX, cancel, Scratch::recording_days, |ctx, user, index, tally, scratch| {
        user::simulate(ctx, user, index, journey, tally, scratch, None);
        UserRecord { arrival_day: user.arrival_hour / 24, record: scratch.take_record() }
    })
}

/// The purchase histories of users 0…`users` of the configured replicate under journey `journey`,
/// split at `calibration_days` (purchases before it make the history, purchases after it are the
/// holdout count). Memory grows with `users`, so callers sample.
pub fn purchase_histories(
    scenario: &Scenario,
    config: &RunConfig,
    journey: usize,
    users: u32,
    calibration_days: u32,
    cancel: &AtomicBool,
) -> Result<Vec<PurchaseHistory>, RunError> {
    per_user(scenario, config, users, cancel, Scratch::default, |ctx, user, index, tally, scratch| {
        let mut probe = user::Probe::window(0);
        probe.history = PurchaseHistory::until(calibration_days * 24);
        user::simulate(ctx, user, index, journey, tally, scratch, Some(&mut probe));
        probe.history
    })
}

/// `one` over users 0…`users` (at most the scenario's) of the configured replicate, in parallel
/// chunks, collected in user order so the result does not depend on the thread count.
fn per_user<T: Send>(
    scenario: &Scenario,
    config: &RunConfig,
    users: u32,
    cancel: &AtomicBool,
    scratch: fn() -> Scratch,
    one: impl Fn(&RunContext, &User, u64, &mut Tally, &mut Scratch) -> T + Sync,
) -> Result<Vec<T>, RunError> {
    let scenario = config.apply(scenario);
    let pool = config.pool()?;
    pool.install(|| {
        let sampler = PopulationSampler::new(&scenario);
        let ctx = context(&scenario, config.replicate, &sampler);
        let node_counts: Vec<usize> = scenario.journeys.iter().map(|j| j.nodes().len()).collect();
        let days = scenario.simulation.horizon_days as usize;
        let users = u64::from(users.min(scenario.simulation.users));
        let chunks: Vec<Vec<T>> = (0..users.div_ceil(CHUNK_USERS))
            .into_par_iter()
            .map(|chunk| {
                let (mut tally, mut scratch) = (Tally::new(&node_counts, days), scratch());
                let first = chunk * CHUNK_USERS;
                let mut out = Vec::new();
                for index in first..(first + CHUNK_USERS).min(users) {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(RunError::Cancelled);
                    }
                    let user = sampler.user(config.replicate, index);
                    out.push(one(&ctx, &user, index, &mut tally, &mut scratch));
                }
                Ok(out)
            })
            .collect::<Result<_, _>>()?;
        Ok(chunks.into_iter().flatten().collect())
    })
}
