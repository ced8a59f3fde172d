//! The back-test: the calibrated population simulated over calibration and holdout, set against
//! what really happened and against the BG/NBD's prediction for the same holdout.
//!
//! Simulated counts are scaled to the real cohort (× real customers / simulated customers).
//! By frequency, simulated customers are grouped by their own simulated calibration frequency,
//! real ones by theirs; the BG/NBD's mean is its conditional expectation E[X(t) | x, t_x, T]
//! (Fader, Hardie & Lee 2005, eq. 10) over the real customers of the group. Its tracking curve is
//! the cumulative sum over customers of E[X(t − b_i)] (eq. 7), b_i customer i's first purchase
//! day (the paper's figure 2). The distance between by-frequency means is the user-weighted mean
//! absolute error over the eight groups: Σ_g n_g |mean_g − actual_g| / Σ_g n_g, n_g real customers.

use serde::Serialize;

use super::cohort::{
    FREQUENCY_GROUPS, Window, frequency_group, holdout_revenue, periods, weekly_active, weekly_repeats,
};
use crate::import::UserHistory;
use crate::import::btyd::CustomerPeriods;
use crate::predict::bgnbd::{Customer, Params};

/// Actual, simulated and BG/NBD values of one quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Triple {
    pub actual: f64,
    pub simulated: f64,
    pub bgnbd: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrequencyRow {
    /// "0" … "6", "7+": repeat purchase days in the calibration period.
    pub frequency: String,
    /// Real customers in the group.
    pub users: usize,
    pub actual_mean: f64,
    /// None when no simulated customer has this frequency.
    pub simulated_mean: Option<f64>,
    pub bgnbd_mean: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrackingRow {
    /// Weeks since the start; values are cumulative repeat purchase days by that week's end.
    pub week: u32,
    pub actual: f64,
    pub simulated: f64,
    pub bgnbd: f64,
}

/// The back-test as report.json carries it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    pub holdout_repeat_purchases: Triple,
    pub by_frequency: Vec<FrequencyRow>,
    pub tracking: Vec<TrackingRow>,
}

/// What report.md and the charts add: the activity curve, revenue and the by-frequency errors.
#[derive(Clone, Debug, PartialEq)]
pub struct Extras {
    /// Users active per week, actual and simulated (scaled).
    pub activity: Vec<(f64, f64)>,
    /// Holdout revenue: actual, simulated (scaled), BG/NBD × mean calibration repeat purchase-day value.
    pub revenue: Triple,
    /// User-weighted mean absolute error of the by-frequency means: simulated, BG/NBD.
    pub by_frequency_error: (f64, f64),
    pub simulated_customers: usize,
    /// Share of users with a purchase by the calibration end: actual, simulated. The counts above are
    /// scaled per customer; this says whether the simulation has the customers per user too.
    pub buyers: (f64, f64),
}

pub fn backtest(
    real: &[&UserHistory],
    simulated: &[&UserHistory],
    window: &Window,
    bgnbd: &Params,
) -> (Backtest, Extras) {
    let actual = periods(real, window);
    let sim = periods(simulated, window);
    let scale = actual.len() as f64 / sim.len().max(1) as f64;
    let holdout_days = f64::from(window.holdout_end.0 - window.calibration_end.0);
    let predicted: Vec<f64> = actual.iter().map(|c| bgnbd.conditional_expected(&customer(c), holdout_days)).collect();
    let total = |p: &[CustomerPeriods]| p.iter().map(|c| f64::from(c.holdout_frequency)).sum::<f64>();
    let holdout = Triple { actual: total(&actual), simulated: total(&sim) * scale, bgnbd: predicted.iter().sum() };
    let mut by_frequency = Vec::new();
    let (mut sim_error, mut model_error, mut weight) = (0.0, 0.0, 0.0);
    for g in 0..FREQUENCY_GROUPS {
        let in_group = |c: &&CustomerPeriods| frequency_group(c.frequency) == g;
        let real_group: Vec<(usize, &CustomerPeriods)> =
            actual.iter().enumerate().filter(|(_, c)| in_group(c)).collect();
        let sim_group: Vec<&CustomerPeriods> = sim.iter().filter(in_group).collect();
        let n = real_group.len();
        let mean = |sum: f64, n: usize| if n == 0 { 0.0 } else { sum / n as f64 };
        let actual_mean = mean(real_group.iter().map(|(_, c)| f64::from(c.holdout_frequency)).sum(), n);
        let bgnbd_mean = mean(real_group.iter().map(|(i, _)| predicted[*i]).sum(), n);
        let simulated_mean = (!sim_group.is_empty())
            .then(|| mean(sim_group.iter().map(|c| f64::from(c.holdout_frequency)).sum(), sim_group.len()));
        let w = n as f64;
        sim_error += w * simulated_mean.map_or(actual_mean, |m| (m - actual_mean).abs());
        model_error += w * (bgnbd_mean - actual_mean).abs();
        weight += w;
        let frequency = if g + 1 == FREQUENCY_GROUPS { format!("{g}+") } else { g.to_string() };
        by_frequency.push(FrequencyRow { frequency, users: n, actual_mean, simulated_mean, bgnbd_mean });
    }
    let real_weeks = weekly_repeats(real, window);
    let sim_weeks = weekly_repeats(simulated, window);
    let births: Vec<f64> = real
        .iter()
        .filter_map(|u| u.purchases.first().filter(|p| p.day <= window.calibration_end))
        .map(|p| f64::from(p.day.0 - window.start.0))
        .collect();
    let (mut a, mut s) = (0.0, 0.0);
    let tracking = (0..real_weeks.len())
        .map(|w| {
            a += real_weeks[w];
            s += sim_weeks.get(w).copied().unwrap_or(0.0) * scale;
            let end = 7.0 * (w as f64 + 1.0) - 1.0;
            let bgnbd = births.iter().map(|b| bgnbd.expected_purchases((end - b).max(0.0))).sum();
            TrackingRow { week: w as u32 + 1, actual: a, simulated: s, bgnbd }
        })
        .collect();
    let user_scale = real.len() as f64 / simulated.len().max(1) as f64;
    let activity = weekly_active(real, window)
        .into_iter()
        .zip(weekly_active(simulated, window))
        .map(|(a, s)| (a, s * user_scale))
        .collect();
    let repeat_values: Vec<f64> = actual.iter().filter(|c| c.frequency > 0).map(|c| c.monetary).collect();
    let mean_value = repeat_values.iter().sum::<f64>() / repeat_values.len().max(1) as f64;
    let revenue = Triple {
        actual: holdout_revenue(real, window),
        simulated: holdout_revenue(simulated, window) * user_scale,
        bgnbd: holdout.bgnbd * mean_value,
    };
    let weight = weight.max(1.0);
    (
        Backtest { holdout_repeat_purchases: holdout, by_frequency, tracking },
        Extras {
            activity,
            revenue,
            by_frequency_error: (sim_error / weight, model_error / weight),
            simulated_customers: sim.len(),
            buyers: (actual.len() as f64 / real.len().max(1) as f64, sim.len() as f64 / simulated.len().max(1) as f64),
        },
    )
}

/// A customer's calibration summary as the BG/NBD reads it.
pub fn customer(c: &CustomerPeriods) -> Customer {
    Customer { frequency: c.frequency, recency: c.recency, age: c.age }
}
