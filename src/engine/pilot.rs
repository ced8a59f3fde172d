//! The reference population of the predictive scores: pilot users run through
//! the engine with no journey, in their own replicate namespace, recorded at
//! the state a branch reads.
//!
//! A branch scores a user's *current* latent (churn hazard from today's
//! engagement and annoyance, and so on), so it is ranked against pilot users of
//! the same age day, not against users at arrival: after a few quiet days every
//! user's engagement has decayed, and against an arrival reference nearly
//! everyone would look high-risk.
//!
//! What is recorded: at the start of each age day a (hour arrival + 24a, after
//! that day's decay and its churn draw, before any of its events), the three
//! log-latents of every pilot user still alive (dormant users included: they
//! are still the app's users and may come back). A branch at hour t reads the
//! reference of the user's age day ⌊(t − arrival)/24⌋. For a user with no event
//! yet that day this is the same state exactly; a session or purchase earlier
//! that day has raised engagement above the start-of-day reference, which ranks
//! the user as less at risk, as it should. The pilot shares the run's horizon
//! and arrival schedule, so every age a user can reach is an age the pilot
//! reaches; the oldest ages are reached only by the earliest arrivals, and an
//! age day with fewer than [`MIN_REFERENCE_USERS`] alive pilot users borrows
//! the reference of the last age day that has enough.
//!
//! Cost and determinism: two passes over [`PILOT_USERS`] users (the range of
//! each age's sample, then its histogram), only when a journey has a score
//! branch. Ranges merge by min/max and histograms by integer sums, so any split
//! across threads gives the same reference. Memory: per age day, three
//! histograms of [`REFERENCE_BINS`] bins — nothing per user.

use rayon::prelude::*;

use super::user::{self, Scratch};
use super::{RunContext, Tally};
use crate::journey::{REFERENCE_BINS, Range, Reference};
use crate::population::PopulationSampler;
use crate::scenario::{Hold, Journey, Node, NodeKind, Policies, Scenario, Trigger};

/// Pilot users run with no journey to build the scores' reference.
const PILOT_USERS: u64 = 4096;
/// Pilot users per parallel task (so at most four histogram sets are alive at once).
const PILOT_CHUNK: u64 = 1024;
/// Fewest alive pilot users an age day's reference rests on (the percentile's sampling sd at the median is
/// then at most 5 points); younger ages lend theirs to older ones with fewer.
pub(crate) const MIN_REFERENCE_USERS: u32 = 100;

/// The reference of each score (churn risk, conversion intent, lifetime value) by age day.
pub(crate) struct ScoreReferences {
    by_age: Vec<[Reference; 3]>,
}

impl ScoreReferences {
    /// No reference: the scenario has no score branch, so nothing reads one.
    pub(crate) fn none() -> Self {
        ScoreReferences { by_age: Vec::new() }
    }

    /// The references from the pilot of `scenario` (already with the run's overrides) for `replicate`.
    pub(crate) fn build(scenario: &Scenario, replicate: u64, sampler: &PopulationSampler) -> Self {
        let mut pilot = scenario.clone();
        pilot.journeys = vec![no_journey()];
        let ctx = super::base_context(&pilot, u64::MAX - replicate);
        let days = scenario.simulation.horizon_days as usize;
        let ranges = fold_pilot(
            &ctx,
            sampler,
            || vec![[Range::EMPTY; 3]; days],
            |acc, age, latents| (0..3).for_each(|i| acc[age][i].add(latents[i])),
            |a, b| a.into_iter().zip(b).map(|(a, b)| [0, 1, 2].map(|i| a[i].merge(b[i]))).collect(),
        );
        let counts = fold_pilot(
            &ctx,
            sampler,
            || vec![[[0u32; REFERENCE_BINS]; 3]; days],
            |acc, age, latents| (0..3).for_each(|i| acc[age][i][ranges[age][i].bin(latents[i])] += 1),
            |mut a, b| {
                for (a, b) in a.iter_mut().flatten().zip(b.iter().flatten()) {
                    a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                }
                a
            },
        );
        let mut by_age: Vec<[Reference; 3]> = Vec::with_capacity(days);
        for (range, counts) in ranges.iter().zip(&counts) {
            let here = [0, 1, 2].map(|i| Reference::new(range[i], &counts[i]));
            let borrowed = match by_age.last() {
                Some(last) if here[0].len() < MIN_REFERENCE_USERS => last.clone(),
                _ => here,
            };
            by_age.push(borrowed);
        }
        ScoreReferences { by_age }
    }

    /// The normal score of log-latent `x` of score `score` (0 churn risk, 1 conversion intent, 2 lifetime
    /// value) among alive pilot users of age day `age`; past the last age, the last age's reference.
    pub(crate) fn normal_score(&self, age: usize, score: usize, x: f64) -> f64 {
        match self.by_age.get(age).or(self.by_age.last()) {
            Some(references) => references[score].normal_score(x),
            // Unreachable: the context builds references whenever a journey has a score branch.
            None => 0.0,
        }
    }
}

/// Trigger → exit: nothing is ever sent.
fn no_journey() -> Journey {
    let nodes = vec![
        Node {
            name: "signed up".to_owned(),
            kind: NodeKind::Trigger { trigger: Trigger::Signup, next: 1 },
            position: None,
        },
        Node { name: "end".to_owned(), kind: NodeKind::Exit { goal: None }, position: None },
    ];
    let policies = Policies { caps: [None; 4], on_cap: Hold::Drop, quiet_hours: None, holdout: 0.0, reentry: false };
    Journey::new("no journey".to_owned(), String::new(), nodes, policies).expect("one trigger, references in range")
}

/// Runs every pilot user of `ctx` (journey 0, latents recorded) and folds each alive user-day's log-latents
/// into an accumulator; `merge` must be exact in any order (min/max, integer sums).
fn fold_pilot<A: Send>(
    ctx: &RunContext<'_>,
    sampler: &PopulationSampler,
    init: impl Fn() -> A + Sync + Send,
    add: impl Fn(&mut A, usize, [f64; 3]) + Sync + Send,
    merge: impl Fn(A, A) -> A + Sync + Send,
) -> A {
    let days = ctx.horizon_days as usize;
    (0..PILOT_USERS.div_ceil(PILOT_CHUNK))
        .into_par_iter()
        .fold(
            || (init(), Tally::new(&[2], days), Scratch::recording_latents()),
            |(mut acc, mut tally, mut scratch), chunk| {
                for index in chunk * PILOT_CHUNK..((chunk + 1) * PILOT_CHUNK).min(PILOT_USERS) {
                    let user = sampler.user(ctx.replicate, index);
                    user::simulate(ctx, &user, index, 0, &mut tally, &mut scratch, None);
                    for (age, &latents) in scratch.latents().iter().enumerate() {
                        if let Some(latents) = latents {
                            add(&mut acc, age, latents);
                        }
                    }
                }
                (acc, tally, scratch)
            },
        )
        .map(|(acc, _, _)| acc)
        .reduce(&init, &merge)
}

#[cfg(test)]
#[path = "pilot_tests.rs"]
mod tests;
