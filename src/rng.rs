//! Random streams. Every draw in a run comes from a stream named by
//! (seed, replicate, user, purpose, …): results never depend on the thread
//! count or on the order users are simulated in, and a change in one purpose
//! (say, a journey sending one more message) never shifts the draws of another
//! (the user's organic behaviour) — common random numbers between designs.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used everywhere: small, fast, statistically strong, and
/// value-stable across rand versions (unlike `SmallRng`).
pub type Rng = Xoshiro256PlusPlus;

/// What a stream is for; each gets independent draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Who the user is: segment, traits, arrival, trip.
    Traits = 1,
    /// Organic behaviour on one day: churn, sessions, carts, purchases.
    Behaviour = 2,
    /// Responses to messages on one day: opens, clicks, opt-outs, uninstalls.
    Response = 3,
    /// Tracking noise on one day: lost, duplicated, delayed events.
    Tracking = 4,
    /// Assignment to holdouts and experiment arms.
    Assignment = 5,
    /// One simulated experiment of the peeking Monte Carlo (the "user" index is the simulation).
    Experiment = 6,
    /// The value of a user's n-th order: the same under every design (common random numbers).
    Order = 7,
    /// The robustness sweep's Latin hypercube (the "user" index is the parameter).
    Design = 8,
}

/// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective mix with full avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The stream for `purpose` of one user; `index` distinguishes days (or journeys) within a purpose.
pub fn stream(seed: u64, replicate: u64, user: u64, purpose: Purpose, index: u64) -> Rng {
    UserStreams::new(seed, replicate, user).stream(purpose, index)
}

/// The streams of one user: [`stream`] with the (seed, replicate, user) part of its hash done once,
/// for the engine, which builds a stream for every day of every user.
#[derive(Clone, Copy, Debug)]
pub struct UserStreams(u64);

impl UserStreams {
    pub fn new(seed: u64, replicate: u64, user: u64) -> Self {
        let mut h = mix(seed ^ 0x6a09_e667_f3bc_c909);
        for part in [replicate, user] {
            h = mix(h ^ part.wrapping_mul(GOLDEN_GAMMA));
        }
        UserStreams(h)
    }

    /// The same generator as `stream(seed, replicate, user, purpose, index)`.
    pub fn stream(self, purpose: Purpose, index: u64) -> Rng {
        let mut h = self.0;
        for part in [purpose as u64, index] {
            h = mix(h ^ part.wrapping_mul(GOLDEN_GAMMA));
        }
        seed_from_u64(h)
    }
}

/// SplitMix64's increment (Steele, Lea & Flood 2014).
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// Exactly `Rng::seed_from_u64(h)` (rand_xoshiro: the first four outputs of SplitMix64 seeded with `h`,
/// little-endian, through `from_seed`), without its byte-by-byte fill: a stream is built for every user
/// day, and the generic fill was 7 % of a run's instructions.
fn seed_from_u64(h: u64) -> Rng {
    let mut seed = [0u8; 32];
    for (i, chunk) in seed.chunks_exact_mut(8).enumerate() {
        let x = h.wrapping_add(GOLDEN_GAMMA.wrapping_mul(i as u64 + 1));
        chunk.copy_from_slice(&mix(x).to_le_bytes());
    }
    Rng::from_seed(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    /// Pins the first draw of one stream: a change here silently changes every saved result.
    #[test]
    fn streams_are_value_stable() {
        let mut a = stream(42, 0, 7, Purpose::Behaviour, 3);
        let first: u64 = a.random();
        let mut b = stream(42, 0, 7, Purpose::Behaviour, 3);
        assert_eq!(first, b.random::<u64>());
        let mut c = stream(42, 0, 7, Purpose::Behaviour, 4);
        assert_ne!(first, c.random::<u64>());
        assert_eq!(first, 0x0d4c_7078_bcb0_97d6, "stream derivation changed: {first:#x}");
    }

    #[test]
    fn user_streams_are_the_streams() {
        let streams = UserStreams::new(42, 3, 7);
        for (purpose, index) in [(Purpose::Behaviour, 0), (Purpose::Response, 1 << 40), (Purpose::Order, 9)] {
            let (mut a, mut b) = (streams.stream(purpose, index), stream(42, 3, 7, purpose, index));
            assert_eq!(a.random::<u64>(), b.random::<u64>());
        }
    }

    #[test]
    fn seeding_matches_rand_xoshiro() {
        for h in [0, 1, 42, u64::MAX, 0x9e37_79b9_7f4a_7c15, 0x0123_4567_89ab_cdef] {
            let (mut ours, mut theirs) = (seed_from_u64(h), Rng::seed_from_u64(h));
            for _ in 0..8 {
                assert_eq!(ours.random::<u64>(), theirs.random::<u64>(), "seed {h:#x}");
            }
        }
    }
}
