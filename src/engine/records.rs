//! Every simulated user's active days and purchases under one journey, for the calibration
//! (`crate::calibrate`), which reads them as it reads an export's histories. In user order, so
//! the result does not depend on the thread count; memory grows with users and their purchases.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::user::{self, DaysRecord, Scratch};
use super::{CHUNK_USERS, RunConfig, RunError, Tally, context};
use crate::population::PopulationSampler;
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
    let scenario = config.apply(scenario);
    let pool = config.pool()?;
    pool.install(|| {
        let sampler = PopulationSampler::new(&scenario);
        let ctx = context(&scenario, config.replicate, &sampler);
        let node_counts: Vec<usize> = scenario.journeys.iter().map(|j| j.nodes().len()).collect();
        let days = scenario.simulation.horizon_days as usize;
        let users = u64::from(scenario.simulation.users);
        let chunks: Vec<Vec<UserRecord>> = (0..users.div_ceil(CHUNK_USERS))
            .into_par_iter()
            .map(|chunk| {
                let (mut tally, mut scratch) = (Tally::new(&node_counts, days), Scratch::recording_days());
                let first = chunk * CHUNK_USERS;
                let mut out = Vec::new();
                for index in first..(first + CHUNK_USERS).min(users) {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(RunError::Cancelled);
                    }
                    let user = sampler.user(config.replicate, index);
                    user::simulate(&ctx, &user, index, journey, &mut tally, &mut scratch, None);
                    out.push(UserRecord { arrival_day: user.arrival_hour / 24, record: scratch.take_record() });
                }
                Ok(out)
            })
            .collect::<Result<_, _>>()?;
        Ok(chunks.into_iter().flatten().collect())
    })
}
