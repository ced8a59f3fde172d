//! Who the users are: per-user traits drawn from the behavioural segments.
//!
//! Traits written as mean and sd become Gamma (positive quantities) or Beta
//! (probabilities) distributions by the method of moments:
//! Gamma: shape k = (m/s)², scale θ = s²/m; Beta: κ = m(1−m)/s² − 1, α = mκ, β = (1−m)κ.

mod profiles;
mod spend;
mod traits;

pub use profiles::{HOURS, profile_hour, profile_weights};
pub use traits::{SegmentTraits, TRAIT_DRAWS, TraitHistogram, segment_traits};

use rand::Rng as _;
use rand_distr::{Beta, Distribution, Gamma, StandardNormal};

pub use spend::Spend;

use crate::rng::{Purpose, Rng, stream};
use crate::scenario::{ActivityProfile, Channel, PerChannel, Population, Positive, Scenario, Segment, Share};

/// A trait distribution ready to sample.
#[derive(Clone, Copy, Debug)]
enum Draw {
    Fixed(f64),
    Gamma(Gamma<f64>),
    Beta(Beta<f64>),
}

impl Draw {
    fn positive(p: Positive) -> Self {
        match Gamma::new((p.mean / p.sd).powi(2), p.sd * p.sd / p.mean) {
            Ok(g) if p.sd > 0.0 => Draw::Gamma(g),
            _ => Draw::Fixed(p.mean),
        }
    }

    fn share(s: Share) -> Self {
        let kappa = s.mean * (1.0 - s.mean) / (s.sd * s.sd) - 1.0;
        match Beta::new(s.mean * kappa, (1.0 - s.mean) * kappa) {
            Ok(b) if s.sd > 0.0 && kappa > 0.0 => Draw::Beta(b),
            _ => Draw::Fixed(s.mean),
        }
    }

    fn sample(&self, rng: &mut Rng) -> f64 {
        match self {
            Draw::Fixed(v) => *v,
            Draw::Gamma(g) => g.sample(rng),
            Draw::Beta(b) => b.sample(rng),
        }
    }
}

/// Picks an index by shares (which sum to 1) with one uniform.
fn pick<T: Copy>(choices: &[(T, f64)], u: f64) -> T {
    let mut acc = 0.0;
    for &(value, share) in choices {
        acc += share;
        if u < acc {
            return value;
        }
    }
    choices.last().map(|c| c.0).expect("validated lists are non-empty")
}

/// One segment's distributions, built once per run.
struct SegmentSampler {
    visits: Draw,
    adoption: Draw,
    cart: Draw,
    price: Draw,
    deal: Draw,
    churn: Draw,
    purchase_dropout: Draw,
    engagement: Draw,
    tolerance: Draw,
    responsiveness: PerChannel<Draw>,
}

impl SegmentSampler {
    fn new(s: &Segment) -> Self {
        SegmentSampler {
            visits: Draw::positive(s.visits_per_day),
            adoption: Draw::share(s.feature_adoption),
            cart: Draw::share(s.purchase_propensity),
            price: Draw::share(s.price_sensitivity),
            deal: Draw::share(s.deal_sensitivity),
            churn: Draw::positive(s.churn_hazard),
            purchase_dropout: Draw::share(s.purchase_dropout),
            engagement: Draw::share(s.engagement),
            tolerance: Draw::positive(s.fatigue_tolerance),
            responsiveness: Channel::ALL.map(|c| Draw::share(s.channels[c.index()].responsiveness)),
        }
    }
}

/// A trip away from home: from `start` to `end` (hours since the simulation start) at `offset`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trip {
    pub start: u32,
    pub end: u32,
    pub offset: i8,
}

/// One synthetic user as drawn at arrival.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub segment: usize,
    /// Hour (since the simulation start, UTC) of the first session.
    pub arrival_hour: u32,
    pub visits_per_day: f64,
    pub adopted: bool,
    /// Probability that a session reaches the cart.
    pub cart_propensity: f64,
    pub price_sensitivity: f64,
    pub deal_proneness: f64,
    pub churn_hazard: f64,
    /// Chance of leaving for good right after each repeat purchase.
    pub purchase_dropout: f64,
    pub engagement: f64,
    /// Messages per week tolerated.
    pub tolerance: f64,
    /// Mean value of this user's orders (list prices), drawn by the Gamma–Gamma spend model.
    pub order_mean: f64,
    pub profile: ActivityProfile,
    pub home_offset: i8,
    pub trip: Option<Trip>,
    pub reachable: PerChannel<bool>,
    pub responsiveness: PerChannel<f64>,
    /// Hours by which this user's day runs ahead of their profile's (people of one profile do not
    /// all peak at the same hour); drawn from N(0, `peak_hour_jitter`²), rounded.
    pub peak_shift: i8,
    /// Local hour of the user's peak activity (the profile's peak, shifted).
    pub peak_hour: u8,
    /// Per-user standard normal noise of each predictive score (churn, intent, value) and
    /// a uniform for the best-hour prediction: drawn once so a score is stable over time.
    pub score_noise: [f64; 3],
    pub hour_draw: f64,
}

impl User {
    /// UTC offset where the user is at hour `t`.
    pub fn offset_at(&self, t: u32) -> i8 {
        match self.trip {
            Some(trip) if t >= trip.start && t < trip.end => trip.offset,
            _ => self.home_offset,
        }
    }

    /// Local hour of day (0–23) at UTC hour `t` where the user is now.
    pub fn local_hour(&self, t: u32) -> u8 {
        local_hour(t, self.offset_at(t))
    }

    /// Local hour of a session drawn with one uniform from the user's profile, shifted to their own peak.
    pub fn session_hour(&self, u: f64) -> u8 {
        shift_hour(profile_hour(self.profile, u), self.peak_shift)
    }

    /// How awake the user is at local hour `local`: the profile's activity at the matching hour over its peak.
    pub fn wakefulness(&self, local: u8) -> f64 {
        crate::behavior::wakefulness(profile_weights(self.profile), shift_hour(local, -self.peak_shift))
    }
}

fn shift_hour(hour: u8, shift: i8) -> u8 {
    (i16::from(hour) + i16::from(shift)).rem_euclid(HOURS as i16) as u8
}

/// Largest peak shift drawn, in hours either way.
const MAX_PEAK_SHIFT: f64 = 6.0;

/// Local hour of day for UTC hour `t` at `offset`.
pub fn local_hour(t: u32, offset: i8) -> u8 {
    (i64::from(t) + i64::from(offset)).rem_euclid(24) as u8
}

/// Draws users for a scenario: user `i` depends only on (seed, replicate, i).
pub struct PopulationSampler {
    samplers: Vec<SegmentSampler>,
    segment_shares: Vec<(usize, f64)>,
    population: Population,
    seed: u64,
    horizon_hours: u32,
    peak_hour_jitter: f64,
    /// Each segment's order values.
    spends: Vec<Spend>,
}

impl PopulationSampler {
    pub fn new(scenario: &Scenario) -> Self {
        PopulationSampler {
            samplers: scenario.population.segments.iter().map(SegmentSampler::new).collect(),
            segment_shares: scenario.population.segments.iter().enumerate().map(|(i, s)| (i, s.share)).collect(),
            population: scenario.population.clone(),
            seed: scenario.simulation.seed,
            horizon_hours: scenario.simulation.horizon_days * 24,
            peak_hour_jitter: scenario.model.peak_hour_jitter,
            spends: scenario.population.segments.iter().map(|s| scenario.economics.segment_spend(s)).collect(),
        }
    }

    /// The sampler of segment `index` alone (share 1), as if it were the whole population:
    /// its users are drawn by exactly the code a run uses.
    pub fn one_segment(scenario: &Scenario, index: usize) -> Self {
        let mut sampler = PopulationSampler::new(scenario);
        sampler.samplers = vec![SegmentSampler::new(&scenario.population.segments[index])];
        sampler.segment_shares = vec![(0, 1.0)];
        sampler.spends = vec![sampler.spends[index]];
        sampler.population.segments = vec![scenario.population.segments[index].clone()];
        sampler
    }

    pub fn user(&self, replicate: u64, index: u64) -> User {
        let mut rng = stream(self.seed, replicate, index, Purpose::Traits, 0);
        let segment = pick(&self.segment_shares, rng.random());
        let seg = &self.population.segments[segment];
        let sampler = &self.samplers[segment];
        let acquisition_hours = self.population.acquisition.days * 24;
        let profile = pick(&seg.activity, rng.random());
        let weights = profile_weights(profile);
        // Its own stream, so that the jitter leaves every other trait's draw where it was.
        let jitter: f64 = StandardNormal.sample(&mut stream(self.seed, replicate, index, Purpose::Traits, 1));
        let peak_shift = (jitter * self.peak_hour_jitter).round().clamp(-MAX_PEAK_SHIFT, MAX_PEAK_SHIFT) as i8;
        // Arrival: a uniform day within the acquisition window, at an hour the user is active (local).
        let arrival_day = if acquisition_hours == 0 { 0 } else { rng.random_range(0..acquisition_hours / 24) };
        let home_offset = pick(&seg.time_zones.home, rng.random());
        let local = shift_hour(sample_hour(weights, rng.random()), peak_shift);
        let arrival_hour = (i64::from(arrival_day * 24) + i64::from(local) - i64::from(home_offset))
            .clamp(0, i64::from(self.horizon_hours.saturating_sub(1))) as u32;
        let trip = if rng.random::<f64>() < seg.time_zones.traveller_share {
            let start = rng.random_range(arrival_hour..self.horizon_hours.max(arrival_hour + 1));
            let days = (-seg.time_zones.trip_days * (1.0 - rng.random::<f64>()).ln()).max(1.0);
            let offset = pick(&seg.time_zones.destinations, rng.random());
            Some(Trip { start, end: start.saturating_add((days * 24.0) as u32), offset })
        } else {
            None
        };
        let profile_peak =
            weights.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(h, _)| h as u8).unwrap_or(12);
        let peak_hour = shift_hour(profile_peak, peak_shift);
        // Its own stream, made only for a spread: a scenario without purchase dropout draws every other
        // trait as before, at no cost.
        let purchase_dropout = match sampler.purchase_dropout {
            Draw::Fixed(p) => p,
            ref draw => draw.sample(&mut stream(self.seed, replicate, index, Purpose::Traits, 3)),
        };
        User {
            segment,
            arrival_hour,
            visits_per_day: sampler.visits.sample(&mut rng),
            adopted: rng.random::<f64>() < sampler.adoption.sample(&mut rng),
            cart_propensity: sampler.cart.sample(&mut rng),
            price_sensitivity: sampler.price.sample(&mut rng),
            deal_proneness: sampler.deal.sample(&mut rng),
            churn_hazard: sampler.churn.sample(&mut rng),
            purchase_dropout,
            engagement: sampler.engagement.sample(&mut rng),
            tolerance: sampler.tolerance.sample(&mut rng).max(0.1),
            order_mean: self.spends[segment].customer_mean(&mut stream(
                self.seed,
                replicate,
                index,
                Purpose::Traits,
                2,
            )),
            profile,
            home_offset,
            trip,
            reachable: Channel::ALL.map(|c| rng.random::<f64>() < seg.channels[c.index()].reachable),
            responsiveness: sampler.responsiveness.map(|d| d.sample(&mut rng)),
            peak_shift,
            peak_hour,
            score_noise: [(); 3].map(|()| StandardNormal.sample(&mut rng)),
            hour_draw: rng.random(),
        }
    }
}

/// A local hour drawn from an activity profile with one uniform.
pub fn sample_hour(weights: &[f64; HOURS], u: f64) -> u8 {
    let mut acc = 0.0;
    for (hour, w) in weights.iter().enumerate() {
        acc += w;
        if u < acc {
            return hour as u8;
        }
    }
    (HOURS - 1) as u8
}
