//! The calibration's one view of users, real or simulated: histories as the importer builds
//! them, cut at the calibration end, summarised the customer-base tools' way
//! (`import::btyd::periods`) and as the moments the simulation is fitted to.

use crate::engine::UserRecord;
use crate::import::btyd::{self, CustomerPeriods};
use crate::import::{ActiveDay, Day, PurchaseDay, UserHistory};

/// The calendar of a calibration: data start, calibration end and holdout end (all inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub start: Day,
    pub calibration_end: Day,
    pub holdout_end: Day,
}

impl Window {
    /// Days from the start to the holdout end, inclusive: the simulation's horizon.
    pub fn horizon_days(&self) -> u32 {
        (self.holdout_end.0 - self.start.0 + 1) as u32
    }

    pub fn calibration_days(&self) -> u32 {
        (self.calibration_end.0 - self.start.0 + 1) as u32
    }

    /// Whole weeks from the start to the holdout end (the tracking curve's points).
    pub fn weeks(&self) -> u32 {
        self.horizon_days() / 7
    }
}

/// A simulated user as an imported history: days from the run's start moved to the window's
/// calendar, purchases merged per day (the same-day convention of the importer).
pub fn history_of(index: usize, user: &UserRecord, start: Day) -> UserHistory {
    let day = |d: u32| Day(start.0 + d as i32);
    let mut purchases: Vec<PurchaseDay> = Vec::new();
    for &(hour, paid) in &user.record.purchases {
        let d = day(hour / 24);
        match purchases.last_mut() {
            Some(last) if last.day == d => {
                last.transactions += 1;
                last.revenue += paid;
            }
            _ => purchases.push(PurchaseDay { day: d, transactions: 1, revenue: paid }),
        }
    }
    UserHistory {
        id: index.to_string(),
        first_seen: day(user.arrival_day),
        active_days: user
            .record
            .active_days
            .iter()
            .map(|&d| ActiveDay { day: day(d), events: 1, sessions: 1 })
            .collect(),
        purchases,
        attributes: Default::default(),
    }
}

/// The users first seen by the calibration end: the cohort the scenario describes.
pub fn cohort<'a>(users: &'a [UserHistory], window: &Window) -> Vec<&'a UserHistory> {
    users.iter().filter(|u| u.first_seen >= window.start && u.first_seen <= window.calibration_end).collect()
}

/// The BTYD summary of a cohort (customers: a purchase by the calibration end).
pub fn periods(cohort: &[&UserHistory], window: &Window) -> Vec<CustomerPeriods> {
    let owned: Vec<UserHistory> = cohort.iter().map(|u| (*u).clone()).collect();
    btyd::periods(&owned, window.calibration_end, window.holdout_end)
}

/// Calibration frequency groups of the back-test: 0, 1, … 6 and 7 or more.
pub const FREQUENCY_GROUPS: usize = 8;

pub fn frequency_group(frequency: u32) -> usize {
    (frequency as usize).min(FREQUENCY_GROUPS - 1)
}

/// Repeat purchase days (a customer's first purchase day excluded) per week since the start, over
/// the whole window, for customers born by the calibration end.
pub fn weekly_repeats(cohort: &[&UserHistory], window: &Window) -> Vec<f64> {
    let mut weeks = vec![0.0; window.weeks() as usize];
    for u in cohort {
        let Some(first) = u.purchases.first().filter(|p| p.day <= window.calibration_end) else { continue };
        for p in u.purchases.iter().skip(1).filter(|p| p.day <= window.holdout_end) {
            let week = ((p.day.0 - window.start.0) / 7) as usize;
            if let Some(w) = weeks.get_mut(week) {
                debug_assert!(p.day > first.day);
                *w += 1.0;
            }
        }
    }
    weeks
}

/// Users active (any event) per week since the start, over the whole window.
pub fn weekly_active(cohort: &[&UserHistory], window: &Window) -> Vec<f64> {
    let mut weeks = vec![0.0; window.weeks() as usize];
    for u in cohort {
        let mut last = None;
        for d in u.active_days.iter().filter(|d| d.day <= window.holdout_end) {
            let week = ((d.day.0 - window.start.0) / 7) as usize;
            if last != Some(week) {
                if let Some(w) = weeks.get_mut(week) {
                    *w += 1.0;
                }
                last = Some(week);
            }
        }
    }
    weeks
}

/// Revenue of purchase days in (calibration end, holdout end].
pub fn holdout_revenue(cohort: &[&UserHistory], window: &Window) -> f64 {
    cohort
        .iter()
        .flat_map(|u| &u.purchases)
        .filter(|p| p.day > window.calibration_end && p.day <= window.holdout_end)
        .map(|p| p.revenue)
        .sum()
}
