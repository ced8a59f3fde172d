//! A segment's trait distributions as histograms, for the scenario form: users
//! are drawn by the same [`PopulationSampler`] a run uses (one segment at a
//! time, fixed seed), so the picture is what the simulation will see.

use rand::Rng as _;

use super::{HOURS, PopulationSampler, User};
use crate::rng::{Purpose, stream};
use crate::scenario::{Scenario, definitions};

/// Users drawn per segment: the histogram's bar heights then move by about
/// 1/√(20 000 / bins) ≈ 3 % of a bar between seeds, invisible at sparkline size.
pub const TRAIT_DRAWS: u32 = 20_000;
/// Bars of a continuous trait's histogram.
pub const BINS: usize = 24;
/// Continuous traits with a long right tail are cut at this quantile; the rest is counted in the last bar.
const UPPER_QUANTILE: f64 = 0.995;

/// One trait's histogram over `[lower, upper)` in equal bins.
#[derive(Clone, Debug, PartialEq)]
pub struct TraitHistogram {
    /// Stable id, the segment's key in the scenario file where there is one (`visits_per_day`).
    pub id: &'static str,
    pub label: &'static str,
    pub lower: f64,
    pub upper: f64,
    /// Draws per bin; draws at or above `upper` are counted in the last bin (see `overflow`).
    pub counts: Vec<u64>,
    /// How many of the last bin's draws lie beyond `upper`.
    pub overflow: u64,
    /// Mean of the draws themselves (not of the bins).
    pub mean: f64,
    /// The mean the scenario sets, where it sets one.
    pub configured_mean: Option<f64>,
    pub draws: u64,
    /// A proportion, shown as a percentage (as the form enters it).
    pub percent: bool,
}

/// Every drawn trait of one segment.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentTraits {
    pub name: String,
    pub traits: Vec<TraitHistogram>,
}

/// A continuous trait: its key in `[[population.segment]]` (its label and unit are the
/// scenario form's, from [`crate::scenario::definitions`]), how to read it from a user and the
/// mean the scenario sets.
struct Continuous {
    id: &'static str,
    value: fn(&User) -> f64,
    configured: fn(&crate::scenario::Segment) -> f64,
}

const CONTINUOUS: [Continuous; 8] = [
    Continuous { id: "visits_per_day", value: |u| u.visits_per_day, configured: |s| s.visits_per_day.mean },
    Continuous { id: "purchase_propensity", value: |u| u.cart_propensity, configured: |s| s.purchase_propensity.mean },
    Continuous { id: "deal_sensitivity", value: |u| u.deal_proneness, configured: |s| s.deal_sensitivity.mean },
    Continuous { id: "price_sensitivity", value: |u| u.price_sensitivity, configured: |s| s.price_sensitivity.mean },
    Continuous { id: "engagement", value: |u| u.engagement, configured: |s| s.engagement.mean },
    Continuous { id: "churn_hazard", value: |u| u.churn_hazard, configured: |s| s.churn_hazard.mean },
    Continuous { id: "purchase_dropout", value: |u| u.purchase_dropout, configured: |s| s.purchase_dropout.mean },
    Continuous { id: "fatigue_tolerance", value: |u| u.tolerance, configured: |s| s.fatigue_tolerance.mean },
];

/// Draws `draws` users from each segment of the scenario (replicate 0, the scenario's seed)
/// and bins their traits. Deterministic: same scenario, same histograms.
pub fn segment_traits(scenario: &Scenario, draws: u32) -> Vec<SegmentTraits> {
    let seed = scenario.simulation.seed;
    (0..scenario.population.segments.len())
        .map(|index| {
            let segment = &scenario.population.segments[index];
            let sampler = PopulationSampler::one_segment(scenario, index);
            let users: Vec<User> = (0..u64::from(draws)).map(|i| sampler.user(0, i)).collect();
            let mut traits: Vec<TraitHistogram> = CONTINUOUS
                .iter()
                .map(|t| {
                    let values: Vec<f64> = users.iter().map(t.value).collect();
                    let (label, percent) = definitions::segment_trait(t.id).unwrap_or((t.id, false));
                    let mut h = continuous(t.id, label, &values);
                    h.configured_mean = Some((t.configured)(segment));
                    h.percent = percent;
                    h
                })
                .collect();
            // A session's local hour, drawn the way the engine draws it (the user's profile weights).
            let hours: Vec<f64> = users
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let mut rng = stream(seed, 0, i as u64, Purpose::Behaviour, 0);
                    f64::from(u.session_hour(rng.random()))
                })
                .collect();
            traits.push(discrete("active_hours", "Local hour of a session", &hours, 0, HOURS as i64 - 1));
            if segment.time_zones.home.len() > 1 {
                let offsets: Vec<f64> = users.iter().map(|u| f64::from(u.home_offset)).collect();
                let (lo, hi) = segment
                    .time_zones
                    .home
                    .iter()
                    .fold((i64::MAX, i64::MIN), |(lo, hi), (o, _)| (lo.min(i64::from(*o)), hi.max(i64::from(*o))));
                traits.push(discrete("time_zones", "Home time zone (UTC offset)", &offsets, lo, hi));
            }
            SegmentTraits { name: segment.name.clone(), traits }
        })
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Non-negative draws over [0, the 99.5th percentile) in [`BINS`] bins; the tail goes to the last bin.
fn continuous(id: &'static str, label: &'static str, values: &[f64]) -> TraitHistogram {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = ((sorted.len() as f64 * UPPER_QUANTILE) as usize).min(sorted.len().saturating_sub(1));
    let cut = sorted.get(at).copied().unwrap_or(1.0);
    // A fixed trait (sd 0) is one bar around its value.
    let upper = if cut > 0.0 { cut } else { 1.0 };
    bin(id, label, values, 0.0, upper, BINS)
}

/// Integer-valued draws in `lo..=hi`, one bin each.
fn discrete(id: &'static str, label: &'static str, values: &[f64], lo: i64, hi: i64) -> TraitHistogram {
    bin(id, label, values, lo as f64, (hi + 1) as f64, (hi - lo + 1) as usize)
}

fn bin(id: &'static str, label: &'static str, values: &[f64], lower: f64, upper: f64, bins: usize) -> TraitHistogram {
    let width = (upper - lower) / bins as f64;
    let mut counts = vec![0u64; bins];
    let mut overflow = 0;
    for &v in values {
        if v >= upper {
            overflow += 1;
        }
        let i = (((v - lower) / width).floor().max(0.0) as usize).min(bins - 1);
        counts[i] += 1;
    }
    TraitHistogram {
        id,
        label,
        lower,
        upper,
        counts,
        overflow,
        mean: mean(values),
        configured_mean: None,
        draws: values.len() as u64,
        percent: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(population: &str) -> Scenario {
        let text = format!(
            "[simulation]\nname = \"t\"\nusers = 1000\nhorizon_days = 30\nseed = 7\n{population}\n\
             [[journey]]\nname = \"none\"\n[[journey.node]]\nid = \"start\"\ntype = \"trigger\"\nevent = \"signup\"\nnext = \"end\"\n\
             [[journey.node]]\nid = \"end\"\ntype = \"exit\"\n"
        );
        crate::scenario::read(&text).unwrap_or_else(|d| panic!("{d:?}"))
    }

    /// Monte Carlo tolerance for a mean: 4 standard errors (two-sided P ≈ 6e-5 under normality).
    const Z: f64 = 4.0;

    #[test]
    fn each_traits_mean_matches_the_scenario_within_monte_carlo_error() {
        let s = scenario(
            "[[population.segment]]\nname = \"a\"\nshare = 0.5\nvisits_per_day = { mean = 2.0, sd = 1.0 }\n\
             engagement = { mean = 0.7, sd = 0.1 }\npurchase_dropout = { mean = 0.2, sd = 0.1 }\n\
             [[population.segment]]\nname = \"b\"\nshare = 0.5\nchurn_hazard = { mean = 0.05, sd = 0.02 }\n",
        );
        let segments = segment_traits(&s, TRAIT_DRAWS);
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0].name, "a");
        for (seg, model) in segments.iter().zip(&s.population.segments) {
            for h in &seg.traits {
                assert_eq!(h.counts.iter().sum::<u64>(), u64::from(TRAIT_DRAWS), "{}", h.id);
                let Some(configured) = h.configured_mean else { continue };
                let sd = match h.id {
                    "visits_per_day" => model.visits_per_day.sd,
                    "churn_hazard" => model.churn_hazard.sd,
                    "fatigue_tolerance" => model.fatigue_tolerance.sd,
                    "engagement" => model.engagement.sd,
                    "purchase_propensity" => model.purchase_propensity.sd,
                    "deal_sensitivity" => model.deal_sensitivity.sd,
                    "price_sensitivity" => model.price_sensitivity.sd,
                    "purchase_dropout" => model.purchase_dropout.sd,
                    other => panic!("unexpected trait {other}"),
                };
                let se = sd / f64::from(TRAIT_DRAWS).sqrt();
                // Tolerance floors at 0.1 messages a week shift the mean of that trait by < 1e-3 here.
                let floor = if h.id == "fatigue_tolerance" { 1e-3 } else { 0.0 };
                assert!(
                    (h.mean - configured).abs() <= Z * se + floor,
                    "{} {}: drawn mean {} vs configured {configured} (se {se})",
                    seg.name,
                    h.id,
                    h.mean
                );
                // Only the tail beyond the 99.5th percentile is folded into the last bar.
                let tail = (1.0 - UPPER_QUANTILE) * f64::from(TRAIT_DRAWS);
                assert!((h.overflow as f64) <= tail + 1.0, "{}: {} draws beyond the cut", h.id, h.overflow);
            }
        }
    }

    #[test]
    fn every_trait_is_drawn_with_the_forms_label_and_unit() {
        let s = scenario("");
        let traits = &segment_traits(&s, 200)[0].traits;
        for t in &CONTINUOUS {
            assert!(definitions::segment_trait(t.id).is_some(), "{} has no definition", t.id);
        }
        let dropout = traits.iter().find(|t| t.id == "purchase_dropout").expect("the dropout is drawn");
        assert_eq!((dropout.label, dropout.percent), ("Leaves after a repeat purchase", true));
        assert_eq!(dropout.configured_mean, Some(0.0), "the typical app's users never drop out after a purchase");
        let visits = traits.iter().find(|t| t.id == "visits_per_day").expect("visits");
        assert_eq!((visits.label, visits.percent), ("Visits per day", false));
    }

    #[test]
    fn session_hours_follow_the_activity_profile() {
        // Without jitter every owl keeps the profile's own hours.
        let s = scenario(
            "[model]\npeak_hour_jitter = 0\n\n[[population.segment]]\nname = \"owls\"\nactivity = { night_owl = 1.0 }\n",
        );
        let h = segment_traits(&s, TRAIT_DRAWS)[0].traits.iter().find(|t| t.id == "active_hours").cloned();
        let h = h.expect("hours");
        assert_eq!(h.counts.len(), HOURS);
        let weights = super::super::profile_weights(crate::scenario::ActivityProfile::NightOwl);
        let n = f64::from(TRAIT_DRAWS);
        for (hour, (&c, &w)) in h.counts.iter().zip(weights.iter()).enumerate() {
            let se = (w * (1.0 - w) / n).sqrt();
            assert!((c as f64 / n - w).abs() <= Z * se + 1e-12, "hour {hour}: {} vs {w}", c as f64 / n);
        }
    }

    #[test]
    fn time_zones_appear_only_when_the_segment_has_several() {
        let one = scenario("[[population.segment]]\nname = \"here\"\n");
        assert!(segment_traits(&one, 500)[0].traits.iter().all(|t| t.id != "time_zones"));
        let many = scenario(
            "[[population.segment]]\nname = \"world\"\ntime_zones = { home = { \"UTC-5\" = 0.5, \"UTC+1\" = 0.5 } }\n",
        );
        let tz = segment_traits(&many, 2000)[0].traits.iter().find(|t| t.id == "time_zones").cloned().expect("tz");
        assert_eq!((tz.lower, tz.upper, tz.counts.len()), (-5.0, 2.0, 7));
        assert_eq!(tz.counts[0] + tz.counts[6], 2000);
    }

    #[test]
    fn the_same_scenario_gives_the_same_histograms() {
        let s = scenario("");
        assert_eq!(segment_traits(&s, 3000), segment_traits(&s, 3000));
    }
}
