//! Imported histories as the customer-base models' calibration/holdout summary,
//! with the convention of lifetimes' `calibration_and_holdout_data` (and PyMC-
//! Marketing's and R BTYD's): purchase days (same-day purchases already merged);
//! a customer is born on the first purchase day; `frequency` counts the purchase
//! days after it up to the calibration end, `recency` is last − first such day, `T`
//! is calibration end − first; customers born after the calibration end are left
//! out; the holdout frequency counts purchase days in (calibration end, holdout end].

use serde::Serialize;

use super::{Day, UserHistory};

/// One customer's calibration summary and holdout count; times in days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CustomerPeriods {
    pub frequency: u32,
    pub recency: f64,
    pub age: f64,
    /// The mean value of the repeat purchase days in calibration (0 without repeats).
    pub monetary: f64,
    pub holdout_frequency: u32,
}

/// The summary of every customer with a purchase on or before `calibration_end`, in the
/// histories' order.
pub fn periods(users: &[UserHistory], calibration_end: Day, holdout_end: Day) -> Vec<CustomerPeriods> {
    users
        .iter()
        .filter_map(|u| {
            let first = u.purchases.first().filter(|p| p.day <= calibration_end)?;
            let calibration: Vec<_> = u.purchases.iter().take_while(|p| p.day <= calibration_end).collect();
            let repeats = &calibration[1..];
            let last = calibration.last().map_or(first.day, |p| p.day);
            let holdout = u.purchases.iter().filter(|p| p.day > calibration_end && p.day <= holdout_end).count();
            Some(CustomerPeriods {
                frequency: repeats.len() as u32,
                recency: f64::from(last.0 - first.day.0),
                age: f64::from(calibration_end.0 - first.day.0),
                monetary: if repeats.is_empty() {
                    0.0
                } else {
                    repeats.iter().map(|p| p.revenue).sum::<f64>() / repeats.len() as f64
                },
                holdout_frequency: holdout as u32,
            })
        })
        .collect()
}
