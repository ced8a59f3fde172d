//! Calibrating a population from an imported export and back-testing it on a holdout period
//! (`journeylab calibrate`, docs/calibration.md): from the calibration period only, per-user
//! features and segments by a finite mixture (`segments`, `mixture`), the BG/NBD as a check and
//! baseline, order values by the Gamma–Gamma moments, and the simulator's own purchase rates and
//! dropout by simulated moments (`search`); then the population is simulated over calibration and
//! holdout and set against what happened (`backtest`). No I/O; progress through a callback.

mod activity;
mod backtest;
mod cohort;
mod design;
mod mixture;
mod moments;
mod report;
mod search;
mod segments;
mod tables;

use std::sync::atomic::AtomicBool;

pub use activity::ActivityFit;
pub use backtest::{Backtest, Extras, FrequencyRow, TrackingRow, Triple};
pub use report::{Period, Report, charts, draw, markdown};
pub use segments::SegmentFit;
pub use tables::{tables, verdict};

use crate::import::{Day, Import, Setting, UserHistory};
use crate::predict::bgnbd::{self, BgNbdFit};
use cohort::{Window, cohort, periods};
use design::{Base, SpendFit, Theta};

/// The seed when none is given (the CLI's `--seed`, the app's Calibrate screen).
pub const DEFAULT_SEED: u64 = 1;

/// How to calibrate.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The first day of the holdout; the calibration period ends the day before.
    pub holdout_from: Day,
    /// The last day of the holdout (default: the export's last day).
    pub holdout_to: Option<Day>,
    /// The scenario's seed, and the search's common random numbers.
    pub seed: u64,
    /// Where the population came from (the export's file name), for the scenario's comments.
    pub source: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// The export or the options cannot be calibrated; the message says what to change, in neutral
    /// words, and `settings` which settings (the CLI adds their flags).
    #[error("{message}")]
    BadInput { message: String, settings: Vec<Setting> },
    #[error("the simulation stopped: {0}")]
    Run(#[from] crate::engine::RunError),
    #[error("calibration failed: {0}")]
    Internal(String),
}

/// A calibration: the scenario text, the report and what the fit found.
#[derive(Clone, Debug)]
pub struct Calibration {
    pub scenario: String,
    pub report: Report,
    pub extras: Extras,
    pub bgnbd: BgNbdFit,
    /// The active days' Pareto/NBD and the purchase share of active days (exports with activity).
    pub activity: Option<ActivityFit>,
    pub fit: Fit,
}

/// What the simulated-moments search found.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub rate_scale: f64,
    /// Scale on the segments' daily dropout rates (1 for a customer file: its dropout is the BG/NBD's).
    pub churn_scale: f64,
    pub visit_scale: Option<f64>,
    pub start_distance: f64,
    pub distance: f64,
    /// Moments matched (the criterion's degrees of freedom before the fit).
    pub moments: usize,
    pub runs: usize,
    pub users_per_run: u32,
    pub backtest_users: u32,
    pub customer_file: bool,
}

/// Simulated users per search run and in the back-test: these multiples of the cohort within these
/// bounds. A simulated moment's noise adds 1/S of the real moment's sampling variance, S the ratio of
/// simulated to real users (the criterion's inflation, `moments::distance`): 4 in the search, and 16
/// in the back-test, so that its simulated group means carry a quarter of the real ones' noise.
const SEARCH_RATIO: u32 = 4;
const SEARCH_USERS: (u32, u32) = (2_000, 10_000);
const BACKTEST_RATIO: u32 = 16;
const BACKTEST_USERS: (u32, u32) = (8_000, 50_000);

/// What a calibration reports as it goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Update<'a> {
    /// A step in words (the CLI prints it on stderr).
    Note(&'a str),
    /// Users simulated so far, of at most `total`: the search's runs (it may stop before its
    /// last) and the back-test.
    Simulated { done: u64, total: u64 },
}

/// Calibrates on `import`; `progress` hears each step (the CLI prints the notes on stderr).
pub fn calibrate(
    import: &Import,
    options: &Options,
    cancel: &AtomicBool,
    on_update: &dyn Fn(Update<'_>),
) -> Result<Calibration, CalibrateError> {
    let progress = |note: &str| on_update(Update::Note(note));
    let window = window(import, options)?;
    let real = cohort(&import.users, &window);
    let customers = periods(&real, &window);
    if customers.iter().all(|c| c.frequency == 0) {
        return Err(bad_input(
            format!(
                "nobody bought twice in the calibration period ({} … {}): repeat buying cannot be fitted; move the holdout's first day later or check the purchase events",
                window.start, window.calibration_end
            ),
            &[Setting::HoldoutFrom, Setting::PurchaseEvents],
        ));
    }
    let for_fit: Vec<_> = customers.iter().filter(|c| c.age > 0.0).map(backtest::customer).collect();
    let bgnbd = bgnbd::fit(&for_fit).map_err(|e| bad_input(format!("the BG/NBD fit failed: {e}"), &[]))?;
    let params = bgnbd.params();
    progress(&format!(
        "BG/NBD on {} customers: r {:.3}, α {:.2} days, a {:.3}, b {:.3}",
        for_fit.len(),
        params.r,
        params.alpha,
        params.a,
        params.b
    ));
    let customer_file = real.iter().all(|u| u.purchases.first().is_some_and(|p| p.day == u.first_seen));
    let available = segments::Available {
        revenue: real.iter().flat_map(|u| &u.purchases).any(|p| p.revenue != 0.0),
        activity: !customer_file,
        sessions: real.iter().flat_map(|u| &u.active_days).any(|d| d.sessions > 0),
    };
    let activity = if customer_file {
        None
    } else {
        match activity::fit(&real, &window) {
            Ok(fit) => {
                let p = fit.activity;
                progress(&format!(
                    "Pareto/NBD on {} users' active days: r {:.3}, α {:.2} days, s {:.3}, β {:.1} days; purchase days among active days Beta({:.3}, {:.3})",
                    fit.users, p.r, p.alpha, p.s, p.beta, fit.share.0, fit.share.1
                ));
                Some(fit)
            }
            Err(e) => {
                progress(&format!(
                    "the activity fit (Pareto/NBD on active days) failed ({e}): segments from the purchases' BG/NBD"
                ));
                None
            }
        }
    };
    let fits = segments::segments(&real, &window, available, &params, activity.as_ref());
    progress(&format!("{} segment(s) by BIC over {} users", fits.len(), real.len()));
    let last_seen = real.iter().map(|u| u.first_seen).max().unwrap_or(window.start);
    let base = Base {
        source: options.source.clone(),
        window,
        users: real.len() as u32,
        acquisition_days: (last_seen.0 - window.start.0 + 1).clamp(1, window.horizon_days() as i32 - 1) as u32,
        customer_file,
        spend: available.revenue.then(|| spend(&real, &window, &fits)).flatten(),
        segments: fits,
        seed: options.seed,
    };
    let actual = moments::moments(&real, &window, !customer_file);
    let users = (SEARCH_RATIO * real.len() as u32).clamp(SEARCH_USERS.0, SEARCH_USERS.1);
    let backtest_users = (BACKTEST_RATIO * real.len() as u32).clamp(BACKTEST_USERS.0, BACKTEST_USERS.1);
    let total = search::MAX_RUNS as u64 * u64::from(users) + u64::from(backtest_users);
    progress(&format!("searching by simulated moments ({} moments, {users} users a run)", actual.values.len()));
    let found = search::search(&base, START, &actual, users, cancel, &|runs, note| match note {
        Some(note) => progress(note),
        None => on_update(Update::Simulated { done: runs as u64 * u64::from(users), total }),
    })?;
    let theta = found.theta;
    let fit = Fit {
        rate_scale: theta.rate_scale,
        churn_scale: theta.churn_scale,
        visit_scale: (!customer_file).then_some(theta.visit_scale),
        start_distance: found.start_distance,
        distance: found.distance,
        moments: actual.values.len(),
        runs: found.runs,
        users_per_run: users,
        backtest_users,
        customer_file,
    };
    let text = base.text(&theta, &report::scenario_note(&fit, &window));
    let scenario = search::scenario(&text)?;
    progress(&format!("back-test: {backtest_users} simulated users over {} days", window.horizon_days()));
    let simulated = search::simulate(&scenario, backtest_users, &window, cancel)?;
    on_update(Update::Simulated { done: total, total });
    let (backtest, extras) = backtest::backtest(&real, &cohort(&simulated, &window), &window, &params);
    let report = Report {
        schema: report::SCHEMA,
        events: import.summary.events,
        users: real.len() as u64,
        calibration: Period { start: window.start, end: window.calibration_end },
        holdout: Period { start: Day(window.calibration_end.0 + 1), end: window.holdout_end },
        segments: base.segments.clone(),
        backtest,
    };
    Ok(Calibration { scenario: text, report, extras, bgnbd, activity, fit })
}

/// The default holdout of an export whose days run `first` … `last`: its last quarter, so that the
/// fit sees three quarters of the span. None when the span is under eight days (too short to leave
/// both a calibration period and a holdout worth a back-test).
pub fn suggested_holdout_from(first: Day, last: Day) -> Option<Day> {
    let days = i64::from(last.0) - i64::from(first.0) + 1;
    (days >= 8).then(|| Day(first.0 + ((3 * days + 3) / 4) as i32))
}

fn bad_input(message: String, settings: &[Setting]) -> CalibrateError {
    CalibrateError::BadInput { message, settings: settings.to_vec() }
}

fn window(import: &Import, options: &Options) -> Result<Window, CalibrateError> {
    let (Some(first), Some(last)) = (import.summary.first_day, import.summary.last_day) else {
        return Err(bad_input("the export has no usable event: nothing to calibrate".into(), &[]));
    };
    let calibration_end = Day(options.holdout_from.0 - 1);
    let holdout_end = options.holdout_to.unwrap_or(last);
    if options.holdout_from <= first {
        return Err(bad_input(
            format!(
                "the holdout's first day {} is not after the export's first day {first}: leave a calibration period before it",
                options.holdout_from
            ),
            &[Setting::HoldoutFrom],
        ));
    }
    if holdout_end < options.holdout_from {
        return Err(bad_input(
            format!(
                "the holdout {} … {holdout_end} is empty: its last day must be on or after its first day (the export ends {last})",
                options.holdout_from
            ),
            &[Setting::HoldoutTo],
        ));
    }
    if holdout_end.0 - first.0 >= 3650 {
        return Err(bad_input(
            format!(
                "{first} … {holdout_end} is longer than ten years, the simulation's limit: end the holdout earlier"
            ),
            &[Setting::HoldoutTo],
        ));
    }
    Ok(Window { start: first, calibration_end, holdout_end })
}

/// The search's start: the segments' own rates and dropout rates (scales 1: they are the members'
/// posterior means).
const START: Theta = Theta { rate_scale: 1.0, churn_scale: 1.0, visit_scale: 1.0 };

/// Order values by the moments of the Gamma–Gamma structure (population::spend): E[ζ] the mean of
/// customers' mean purchase-day values; within-customer CV pooled over customers with two or more
/// purchase days, √(mean of s_i² / m_i²); across-customer CV from the variance of the m_i less the
/// within noise and less the variance between the segments' means (each segment has its own mean
/// order value: spend goes with frequency), √(max(0, var(m) − between − mean(s_i²/n_i))) / E[ζ].
/// None without positive values.
fn spend(real: &[&UserHistory], window: &Window, segments: &[SegmentFit]) -> Option<SpendFit> {
    // Per customer: (n_i, m_i, s_i² when n_i ≥ 2), all values positive.
    let customers: Vec<(f64, f64, Option<f64>)> = real
        .iter()
        .filter_map(|u| {
            let values: Vec<f64> =
                u.purchases.iter().take_while(|p| p.day <= window.calibration_end).map(|p| p.revenue).collect();
            if values.is_empty() || values.iter().any(|v| *v <= 0.0) {
                return None;
            }
            let n = values.len() as f64;
            let m = values.iter().sum::<f64>() / n;
            let s2 = (values.len() > 1).then(|| values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0));
            Some((n, m, s2))
        })
        .collect();
    if customers.is_empty() {
        return None;
    }
    let repeaters: Vec<f64> = customers.iter().filter_map(|(_, m, s2)| s2.map(|s2| s2 / (m * m))).collect();
    let within_cv2 = repeaters.iter().sum::<f64>() / repeaters.len().max(1) as f64;
    let k = customers.len() as f64;
    let mean = customers.iter().map(|c| c.1).sum::<f64>() / k;
    let var = customers.iter().map(|c| (c.1 - mean).powi(2)).sum::<f64>() / (k - 1.0).max(1.0);
    // The noise a customer's mean of n_i values adds: within CV² · m_i² / n_i, averaged.
    let noise = customers.iter().map(|(n, m, _)| within_cv2 * m * m / n).sum::<f64>() / k;
    let valued: Vec<(f64, f64)> =
        segments.iter().filter_map(|s| Some((s.users as f64, s.mean_order_value.filter(|v| *v > 0.0)?))).collect();
    let members = valued.iter().map(|(n, _)| n).sum::<f64>().max(1.0);
    let between = valued.iter().map(|(n, v)| n * (v - mean).powi(2)).sum::<f64>() / members;
    Some(SpendFit {
        order_value: mean,
        customer_spread: ((var - between - noise).max(0.0).sqrt() / mean).min(3.0),
        order_spread: within_cv2.sqrt().min(3.0),
        repeat_customers: repeaters.len(),
    })
}
