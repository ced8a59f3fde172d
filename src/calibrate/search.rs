//! The simulated-moments search: run the engine on a candidate population and move [`Theta`]
//! until the calibration period's moments (`moments`) match. Compass search on the log
//! parameters (Kolda, Lewis & Torczon 2003, SIAM Review 45:385–482): try ± step along each
//! axis, take the first improvement, halve the step when none, restart once with the first step; common random numbers (one seed
//! for every candidate) make the criterion a deterministic function of Theta, so the search is
//! reproducible and its comparisons are not swamped by simulation noise.

use std::sync::atomic::AtomicBool;

use super::CalibrateError;
use super::cohort::{Window, cohort, history_of};
use super::design::{Base, Theta};
use super::moments::{Moments, distance, moments};
use crate::engine::{RunConfig, user_records};
use crate::import::UserHistory;
use crate::scenario::Scenario;

/// The engine runs the search may make at most.
pub const MAX_RUNS: usize = 160;
const FIRST_STEP: f64 = 0.5;
const LAST_STEP: f64 = 0.03;

/// Reads a candidate's text (it is valid by construction; an error here is a bug worth reporting).
pub fn scenario(text: &str) -> Result<Scenario, CalibrateError> {
    crate::scenario::read(text).map_err(|d| {
        let first = d.first().map(ToString::to_string).unwrap_or_default();
        CalibrateError::Internal(format!("the calibrated scenario does not validate: {first}"))
    })
}

/// Every user of a run of `scenario` with `users` users, as imported histories on `window`'s calendar.
pub fn simulate(
    scenario: &Scenario,
    users: u32,
    window: &Window,
    cancel: &AtomicBool,
) -> Result<Vec<UserHistory>, CalibrateError> {
    let config = RunConfig { users: Some(users), ..RunConfig::default() };
    let records = user_records(scenario, &config, 0, cancel)?;
    Ok(records.iter().enumerate().map(|(i, r)| history_of(i, r, window.start)).collect())
}

/// The outcome of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub theta: Theta,
    pub distance: f64,
    pub start_distance: f64,
    pub runs: usize,
}

/// Searches from `start`, simulating `users` users per candidate; `progress` hears the runs done
/// after each run, and a note after each sweep over the axes.
pub fn search(
    base: &Base,
    start: Theta,
    actual: &Moments,
    users: u32,
    cancel: &AtomicBool,
    progress: &dyn Fn(usize, Option<&str>),
) -> Result<Found, CalibrateError> {
    let activity = !base.customer_file;
    let evaluate = |x: &[f64]| -> Result<f64, CalibrateError> {
        let theta = Theta::from_log(x);
        let s = scenario(&base.text(&theta, ""))?;
        let users = simulate(&s, users, &base.window, cancel)?;
        let simulated = moments(&cohort(&users, &base.window), &base.window, activity);
        Ok(distance(actual, &simulated))
    };
    let mut x = start.to_log(base.customer_file);
    let mut best = evaluate(&x)?;
    progress(1, None);
    let start_distance = best;
    let mut step = FIRST_STEP;
    let mut done = 1;
    let mut restarted = false;
    while step >= LAST_STEP && done + 2 <= MAX_RUNS {
        let mut improved = false;
        'axes: for i in 0..x.len() {
            for sign in [1.0, -1.0] {
                if done >= MAX_RUNS {
                    break 'axes;
                }
                let mut trial = x.clone();
                trial[i] += sign * step;
                let d = evaluate(&trial)?;
                done += 1;
                progress(done, None);
                if d < best {
                    (best, x, improved) = (d, trial, true);
                    break;
                }
            }
        }
        progress(done, Some(&format!("search: {done} runs, distance {best:.1}, step {step:.3}")));
        if !improved {
            step /= 2.0;
            // One restart from the best point with a wide step, to leave a shallow local minimum.
            if step < LAST_STEP && !restarted {
                (step, restarted) = (FIRST_STEP, true);
            }
        }
    }
    Ok(Found { theta: Theta::from_log(&x), distance: best, start_distance, runs: done })
}
