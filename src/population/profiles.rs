//! Daily activity profiles: the share of a user's sessions in each local hour.
//!
//! Shapes follow the diurnal curves app-analytics vendors publish (morning and
//! evening peaks, a night trough); each profile sums to 1.

use std::sync::LazyLock;

use crate::scenario::ActivityProfile;

pub const HOURS: usize = 24;

/// Relative activity by local hour 0…23, before normalisation.
const SHAPES: [(ActivityProfile, [f64; HOURS]); 5] = [
    (
        ActivityProfile::EarlyBird,
        [
            0.2, 0.1, 0.1, 0.1, 0.3, 2.0, 6.0, 9.0, 8.0, 6.0, 5.0, 4.0, 5.0, 4.0, 3.0, 3.0, 3.0, 3.5, 3.5, 3.0, 2.0,
            1.0, 0.5, 0.3,
        ],
    ),
    (
        ActivityProfile::Commuter,
        [
            0.3, 0.1, 0.1, 0.1, 0.2, 0.6, 3.0, 8.0, 9.0, 4.0, 2.5, 3.0, 6.0, 3.5, 2.5, 2.5, 3.5, 7.0, 8.0, 5.0, 4.0,
            3.0, 1.5, 0.7,
        ],
    ),
    (
        ActivityProfile::Evening,
        [
            1.0, 0.4, 0.2, 0.1, 0.1, 0.2, 0.6, 1.5, 2.0, 2.0, 2.0, 2.5, 3.0, 2.5, 2.5, 3.0, 3.5, 4.5, 6.0, 8.0, 9.0,
            8.0, 5.0, 2.5,
        ],
    ),
    (
        ActivityProfile::NightOwl,
        [
            7.0, 6.0, 4.0, 2.0, 0.8, 0.3, 0.2, 0.2, 0.3, 0.5, 1.0, 1.5, 2.0, 2.5, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0,
            8.0, 9.0, 8.0,
        ],
    ),
    (
        ActivityProfile::Flat,
        [
            0.5, 0.3, 0.2, 0.15, 0.15, 0.4, 1.0, 3.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0,
            3.5, 2.5, 1.0,
        ],
    ),
];

static NORMALISED: LazyLock<[[f64; HOURS]; 5]> = LazyLock::new(|| {
    SHAPES.map(|(_, shape)| {
        let total: f64 = shape.iter().sum();
        shape.map(|w| w / total)
    })
});

/// Running sums of each profile's shares, accumulated hour by hour as `sample_hour` does.
static CUMULATIVE: LazyLock<[[f64; HOURS]; 5]> = LazyLock::new(|| {
    NORMALISED.map(|weights| {
        let mut acc = 0.0;
        weights.map(|w| {
            acc += w;
            acc
        })
    })
});

fn index(profile: ActivityProfile) -> usize {
    SHAPES.iter().position(|(p, _)| *p == profile).unwrap_or(SHAPES.len() - 1)
}

/// The profile's share of activity in each local hour (sums to 1).
pub fn profile_weights(profile: ActivityProfile) -> &'static [f64; HOURS] {
    &NORMALISED[index(profile)]
}

/// `sample_hour(profile_weights(profile), u)` by binary search on the running sums (the same sums, so the
/// same hour): the engine draws a session hour for every session.
pub fn profile_hour(profile: ActivityProfile, u: f64) -> u8 {
    let hour = CUMULATIVE[index(profile)].partition_point(|&acc| acc <= u);
    hour.min(HOURS - 1) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_hour_is_sample_hour() {
        for (profile, _) in SHAPES {
            for i in 0..=10_000 {
                let u = f64::from(i) / 10_000.0;
                assert_eq!(profile_hour(profile, u), crate::population::sample_hour(profile_weights(profile), u));
            }
            for &acc in &CUMULATIVE[index(profile)] {
                for u in [acc, acc.next_down(), acc.next_up()] {
                    assert_eq!(profile_hour(profile, u), crate::population::sample_hour(profile_weights(profile), u));
                }
            }
        }
    }

    #[test]
    fn profiles_are_distributions_with_a_night_trough() {
        for (profile, _) in SHAPES {
            let w = profile_weights(profile);
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let peak = w.iter().copied().fold(0.0, f64::max);
            // At 4 a.m. everyone but the night owl is asleep: under 5% of their peak activity.
            if profile != ActivityProfile::NightOwl {
                assert!(w[4] < 0.05 * peak, "{profile:?}");
            }
        }
    }
}
