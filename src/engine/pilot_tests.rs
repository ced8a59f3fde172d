//! The "at risk?" branch ranks a user against users in the same state: on a
//! population with no journey, a perfect score flags the top share it names at
//! any age, and orders users by their true hazard.
//!
//! Monte Carlo error: the share flagged above p is 1 − F(q̂), q̂ the pilot's
//! p-quantile from n_p alive pilot users and F the test population's distribution,
//! measured on n alive test users; its sd is √(p(1 − p)(1/n_p + 1/n)) (the
//! pilot's quantile error plus the test sample's binomial error). Bounds are 4 sd.

use std::sync::OnceLock;

use super::*;
use crate::journey::ScoreModel;

/// A habit product like simulations/churn_prevention.toml's, every user scored by a perfect churn score;
/// the "scored" journey only makes the run build the reference.
const SCENARIO: &str = r#"
[simulation]
name = "at risk"
seed = 11
users = 20_000
horizon_days = 61

[population.acquisition]
days = 30

[[population.segment]]
name = "subscribers"
share = 1.0
visits_per_day = { mean = 0.6, sd = 0.4 }
engagement = { mean = 0.6, sd = 0.15 }
churn_hazard = { mean = 0.03, sd = 0.03 }

[predictions.churn_risk]
auc = 1.0

[[journey]]
name = "no journey"

[[journey.node]]
id = "signed up"
type = "trigger"
event = "signup"
next = "end"

[[journey.node]]
id = "end"
type = "exit"

[[journey]]
name = "scored"

[[journey.node]]
id = "signed up"
type = "trigger"
event = "signup"
next = "at risk?"

[[journey.node]]
id = "at risk?"
type = "branch"
score = "churn_risk"
above = 0.8
yes = "end"
no = "end"

[[journey.node]]
id = "end"
type = "exit"
"#;

const AGE: usize = 30;
const TOP: f64 = 0.8;

struct Measured {
    /// Alive pilot users at `AGE` (the reference's sample size).
    pilot_alive: u32,
    /// Alive test users at the start of age day `AGE` under no journey: log-latents and score noise draws.
    alive: Vec<([f64; 3], [f64; 3])>,
    /// Percentile of the churn score of each alive user: against age day `AGE`, and against arrival (age 0).
    percentile: Vec<f64>,
    percentile_at_arrival: Vec<f64>,
    /// The normal score of each alive user's log hazard against age day `AGE`.
    z: Vec<f64>,
    min_reference_users: u32,
}

fn measured() -> &'static Measured {
    static MEASURED: OnceLock<Measured> = OnceLock::new();
    MEASURED.get_or_init(|| {
        let scenario = crate::scenario::read(SCENARIO).unwrap_or_else(|d| panic!("{d:?}"));
        let sampler = PopulationSampler::new(&scenario);
        let replicate = 3;
        let ctx = super::super::context(&scenario, replicate, &sampler);
        let (mut tally, mut scratch) = (Tally::new(&[2, 4], 61), Scratch::recording_latents());
        let mut alive = Vec::new();
        for index in 0..u64::from(scenario.simulation.users) {
            let user = sampler.user(replicate, index);
            user::simulate(&ctx, &user, index, 0, &mut tally, &mut scratch, None);
            if let Some(&Some(latents)) = scratch.latents().get(AGE) {
                alive.push((latents, user.score_noise));
            }
        }
        let percentile = alive.iter().map(|(l, e)| ctx.score_percentile(0, AGE, l[0], e[0])).collect();
        let percentile_at_arrival = alive.iter().map(|(l, e)| ctx.score_percentile(0, 0, l[0], e[0])).collect();
        let z = alive.iter().map(|(l, _)| ctx.references.normal_score(AGE, 0, l[0])).collect();
        Measured {
            pilot_alive: ctx.references.by_age[AGE][0].len(),
            min_reference_users: ctx.references.by_age.iter().map(|r| r[0].len()).min().unwrap_or(0),
            alive,
            percentile,
            percentile_at_arrival,
            z,
        }
    })
}

fn share_above(percentiles: &[f64], p: f64) -> f64 {
    percentiles.iter().filter(|&&x| x > p).count() as f64 / percentiles.len() as f64
}

#[test]
fn a_perfect_score_flags_the_top_fifth_of_alive_users_at_day_30() {
    let m = measured();
    let (n_p, n) = (f64::from(m.pilot_alive), m.alive.len() as f64);
    let sd = (TOP * (1.0 - TOP) * (1.0 / n_p + 1.0 / n)).sqrt();
    let share = share_above(&m.percentile, TOP);
    assert!((share - (1.0 - TOP)).abs() < 4.0 * sd, "flagged {share:.4}, sd {sd:.4} (n_p {n_p}, n {n})");
    // The bug: ranked against users at arrival, the flag no longer means "the top fifth" (here far fewer are
    // flagged: the survivors to day 30 are mostly users of low base hazard, which outweighs their decayed
    // engagement).
    let at_arrival = share_above(&m.percentile_at_arrival, TOP);
    assert!((at_arrival - (1.0 - TOP)).abs() > 10.0 * sd, "against arrival: flagged {at_arrival:.4}, sd {sd:.4}");
    // Every age day's reference rests on enough pilot users (younger ones lend theirs to the oldest).
    assert!(m.min_reference_users >= MIN_REFERENCE_USERS, "{}", m.min_reference_users);
}

#[test]
fn the_flag_orders_users_by_their_true_hazard() {
    let m = measured();
    let hazard = |i: usize| m.alive[i].0[0];
    let (flagged, unflagged): (Vec<usize>, Vec<usize>) = (0..m.alive.len()).partition(|&i| m.percentile[i] > TOP);
    let lowest_flagged = flagged.iter().map(|&i| hazard(i)).fold(f64::INFINITY, f64::min);
    let highest_unflagged = unflagged.iter().map(|&i| hazard(i)).fold(f64::NEG_INFINITY, f64::max);
    assert!(lowest_flagged >= highest_unflagged, "{lowest_flagged} < {highest_unflagged}");
    assert!(!flagged.is_empty() && !unflagged.is_empty());
}

#[test]
fn the_normal_scores_are_standard_normal_among_alive_users() {
    // z = Φ⁻¹(F(x)) is N(0, 1) in the reference population whatever the hazard's shape; the test sample is
    // another draw of it. Mean: sd √(1/n_p + 1/n) (the pilot's error shifts F as a whole); sd: a share of a
    // normal's, √(1/(2n)) plus the pilot's, bounded like the mean's.
    let m = measured();
    let (n_p, n) = (f64::from(m.pilot_alive), m.z.len() as f64);
    let mean = m.z.iter().sum::<f64>() / n;
    let sd = (m.z.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let se = (1.0 / n_p + 1.0 / n).sqrt();
    assert!(mean.abs() < 4.0 * se, "mean {mean:.4}, se {se:.4}");
    assert!((sd - 1.0).abs() < 4.0 * se, "sd {sd:.4}, se {se:.4}");
}

#[test]
fn a_noisy_score_keeps_its_stated_concordance_with_the_current_hazard() {
    // Disjoint pairs (i, i + n/2) of alive users are independent: the concordant share is a binomial mean.
    let m = measured();
    let c = 0.75;
    let score = ScoreModel::new(c);
    let half = m.alive.len() / 2;
    let s: Vec<f64> = (0..m.alive.len()).map(|i| score.percentile(m.z[i], m.alive[i].1[0])).collect();
    let concordant =
        (0..half).filter(|&i| (m.alive[i].0[0] > m.alive[i + half].0[0]) == (s[i] > s[i + half])).count() as f64;
    let observed = concordant / half as f64;
    let se = (c * (1.0 - c) / half as f64).sqrt();
    assert!((observed - c).abs() < 4.0 * se, "concordance {observed:.4}, se {se:.4}");
}
