//! The moments the simulation is fitted to, all from the calibration period: the repeat-purchase
//! frequency distribution, the repeat transactions by four-week block after the acquisition
//! window (the tracking curve's calibration part, which carries dropout), inter-purchase times (mean log gap of repeat
//! buyers), how long ago repeat buyers last bought relative to their age (by frequency group:
//! the BG/NBD's own evidence of dropout, (T − t_x)/T given x), the calibration period's own
//! back-test (mean purchase days in its last quarter by the frequency group before it), and, for exports with
//! more than purchases, the activity curve (share of the cohort active by four-week block) and the
//! share of the cohort who bought (the other moments are per customer).
//!
//! The distance is Σ ((simulated − actual) / se)², each se the actual moment's standard error
//! (binomial for shares, Poisson for counts, the sample sd over √n for means) inflated by the
//! simulation's own noise (× √(1 + n_actual / n_simulated)): a chi-square-like criterion of
//! simulated moments (McFadden 1989, Econometrica 57:995–1026; Gouriéroux & Monfort 1996).

use super::cohort::{FREQUENCY_GROUPS, Window, frequency_group, periods, weekly_active, weekly_repeats};
use crate::import::UserHistory;

/// Weeks per block of the tracking and activity moments.
const BLOCK_WEEKS: usize = 4;

/// Moments with their standard errors (computed from the sample they describe).
#[derive(Clone, Debug, PartialEq)]
pub struct Moments {
    pub values: Vec<f64>,
    pub se: Vec<f64>,
    /// Users in the cohort the moments describe, for the noise inflation: the simulation's own noise
    /// is set by how many users it simulates, whatever a candidate makes of them (counting its
    /// customers instead would forgive a candidate that loses them).
    pub users: f64,
}

/// The calibration-period moments of a cohort; `activity` adds the activity curve.
pub fn moments(cohort: &[&UserHistory], window: &Window, activity: bool) -> Moments {
    let customers = periods(cohort, window);
    let n = customers.len().max(1) as f64;
    let (mut values, mut se) = (Vec::new(), Vec::new());
    let mut push = |v: f64, s: f64| {
        values.push(v);
        se.push(s.max(1e-9));
    };
    let mut groups = [0.0; FREQUENCY_GROUPS];
    customers.iter().for_each(|c| groups[frequency_group(c.frequency)] += 1.0);
    for g in groups {
        let p = g / n;
        push(p, (p * (1.0 - p) / n).sqrt().max(0.5 / n));
    }
    let calibration_weeks = (window.calibration_days() / 7) as usize;
    let repeats = weekly_repeats(cohort, window);
    // From the end of the acquisition window on: while the cohort still arrives, repeat purchases
    // mix in the burst right after a first purchase, which the engine has no mechanism for.
    let arrived = cohort.iter().map(|u| u.first_seen.0 - window.start.0).max().unwrap_or(0);
    let settled = (arrived as usize / 7 + 1).min(calibration_weeks);
    for block in repeats[settled..calibration_weeks.min(repeats.len()).max(settled)].chunks(BLOCK_WEEKS) {
        let k: f64 = block.iter().sum();
        push(k / n, k.max(1.0).sqrt() / n);
    }
    let repeaters: Vec<_> = customers.iter().filter(|c| c.frequency > 0).collect();
    let mean_sd = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / x.len().max(1) as f64;
        let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len().max(2) - 1) as f64;
        (m, (v / x.len().max(1) as f64).sqrt())
    };
    let gaps: Vec<f64> = repeaters.iter().map(|c| (c.recency / f64::from(c.frequency)).max(1.0).ln()).collect();
    let (m, s) = mean_sd(&gaps);
    push(m, s);
    // Dropout: how long ago repeat buyers last bought relative to their age, by frequency group.
    for g in 1..FREQUENCY_GROUPS {
        let idle: Vec<f64> = repeaters
            .iter()
            .filter(|c| frequency_group(c.frequency) == g)
            .map(|c| (c.age - c.recency) / c.age.max(1.0))
            .collect();
        if idle.len() >= 2 {
            let (m, s) = mean_sd(&idle);
            push(m, s);
        } else {
            push(0.0, 1.0);
        }
    }
    // The calibration period's own back-test: mean purchase days in its last quarter by the
    // frequency group before it (what the holdout will ask, asked of data the fit may see).
    let inner = Window {
        start: window.start,
        calibration_end: crate::import::Day(window.calibration_end.0 - window.calibration_days() as i32 / 4),
        holdout_end: window.calibration_end,
    };
    let inner_customers = periods(cohort, &inner);
    for g in 0..FREQUENCY_GROUPS {
        let later: Vec<f64> = inner_customers
            .iter()
            .filter(|c| frequency_group(c.frequency) == g)
            .map(|c| f64::from(c.holdout_frequency))
            .collect();
        if later.len() >= 2 {
            let (m, s) = mean_sd(&later);
            push(m, s.max(0.5 / later.len() as f64));
        } else {
            push(0.0, 1.0);
        }
    }
    if activity {
        let users = cohort.len().max(1) as f64;
        let active = weekly_active(cohort, window);
        for block in active[..calibration_weeks.min(active.len())].chunks(BLOCK_WEEKS) {
            let p = block.iter().sum::<f64>() / (BLOCK_WEEKS as f64 * users);
            push(p, (p * (1.0 - p) / users).sqrt().max(0.5 / users));
        }
        // The share of the cohort who bought: the moments above are per customer, and a candidate
        // whose customers repeat more could match them with fewer customers.
        let p = customers.len() as f64 / users;
        push(p, (p * (1.0 - p) / users).sqrt().max(0.5 / users));
    }
    Moments { values, se, users: cohort.len() as f64 }
}

/// The distance of simulated moments from actual ones (see the module's doc).
pub fn distance(actual: &Moments, simulated: &Moments) -> f64 {
    let inflation = 1.0 + actual.users / simulated.users.max(1.0);
    actual
        .values
        .iter()
        .zip(&simulated.values)
        .zip(&actual.se)
        .map(|((a, s), se)| (s - a).powi(2) / (se * se * inflation))
        .sum()
}
