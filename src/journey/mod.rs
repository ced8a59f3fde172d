//! Journey policies as time arithmetic: quiet hours in the user's local time,
//! frequency caps over a log of past sends, and predictive scores (`score.rs`). The engine
//! walks the journey graph and asks these functions whether, and when, a
//! message may go out.
//!
//! Semantics copied from the platforms (see ../shared/design/model-sources.md):
//! caps per channel count per local calendar day (Braze), per rolling 7 × 24 h
//! (CleverTap), with an optional minimum gap; a held message is dropped or
//! deferred as the journey says; quiet hours hold to the end of the window.

mod score;

pub use score::{REFERENCE_BINS, Range, Reference, ScoreModel};

use crate::scenario::{Cap, HourQuality, QuietHours, ScoreQuality};

/// Hours in a week, the rolling cap window.
pub const WEEK_HOURS: u32 = 7 * 24;

/// Whether a local hour falls inside quiet hours (`start` inclusive, `end` exclusive, wrapping midnight).
pub fn in_quiet_hours(quiet: &QuietHours, local_hour: u8) -> bool {
    if quiet.start <= quiet.end {
        local_hour >= quiet.start && local_hour < quiet.end
    } else {
        local_hour >= quiet.start || local_hour < quiet.end
    }
}

/// Hours from local hour `from` until the clock next shows `target` (1…24).
pub fn hours_until(from: u8, target: u8) -> u32 {
    let d = (i32::from(target) - i32::from(from)).rem_euclid(24) as u32;
    if d == 0 { 24 } else { d }
}

/// Earliest hour ≥ `now` at which `cap` allows one more send, given the send
/// hours already logged on that channel (ascending). `local_day_start` is the
/// UTC hour at which the user's current local day began.
pub fn cap_allows_at(cap: &Cap, sends: &[u32], now: u32, local_day_start: u32) -> u32 {
    let mut at = now;
    if let (Some(gap), Some(&last)) = (cap.min_gap_hours, sends.last()) {
        at = at.max(last + gap);
    }
    if let Some(per_day) = cap.per_day {
        let today = sends.iter().filter(|&&s| s >= local_day_start).count();
        if today >= per_day as usize {
            at = at.max(local_day_start + 24);
        }
    }
    if let Some(per_week) = cap.per_week {
        // Sends are ascending, so those inside the rolling window are a suffix.
        let inside = sends.len() - sends.partition_point(|&s| s + WEEK_HOURS <= now);
        if inside >= per_week as usize {
            // The oldest send that must leave the window for one more to fit.
            let must_expire = sends[sends.len() - per_week as usize];
            at = at.max(must_expire + WEEK_HOURS);
        }
    }
    at
}

/// Concordance of a score at a given history volume:
/// C = 0.5 + (C₀ − 0.5) · n / (n + n½) when a half-volume n½ is given.
pub fn effective_auc(quality: &ScoreQuality, users: f64) -> f64 {
    match quality.half_users {
        Some(half) => 0.5 + (quality.auc - 0.5) * users / (users + half),
        None => quality.auc,
    }
}

/// Hit rate of the best-hour prediction at a given history volume (same growth law).
pub fn effective_hit_rate(quality: &HourQuality, users: f64) -> f64 {
    match quality.half_users {
        Some(half) => quality.hit_rate * users / (users + half),
        None => quality.hit_rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Hold;

    #[test]
    fn quiet_hours_wrap_midnight() {
        let q = QuietHours { start: 21, end: 8, action: Hold::Defer };
        assert!(in_quiet_hours(&q, 23) && in_quiet_hours(&q, 0) && in_quiet_hours(&q, 7));
        assert!(!in_quiet_hours(&q, 8) && !in_quiet_hours(&q, 20));
        assert_eq!(hours_until(23, 8), 9);
        assert_eq!(hours_until(8, 8), 24);
    }

    #[test]
    fn caps_release_at_the_right_hour() {
        let cap = Cap { per_day: Some(1), per_week: Some(3), min_gap_hours: Some(4) };
        assert_eq!(cap_allows_at(&cap, &[], 10, 0), 10);
        assert_eq!(cap_allows_at(&cap, &[9], 10, 0), 24, "one per local day");
        assert_eq!(cap_allows_at(&cap, &[9], 30, 24), 30);
        // Three sends in the last week: the oldest must leave the 168-hour window.
        assert_eq!(cap_allows_at(&cap, &[10, 40, 70], 100, 96), 178);
    }
}
