//! Predictive scores: a noisy reading of a user's latent quantity, ranked
//! against a reference population in the same state.
//!
//! The latent is first turned into its normal score z = Φ⁻¹(F(x)), F the
//! reference distribution of its logarithm x (van der Waerden's normal scores:
//! z is exactly N(0, 1) in the reference population whatever the latent's
//! shape). The score is then s = z + σε, ε ~ N(0, 1) drawn once per user, so
//! (z, s) is bivariate normal and Sheppard's orthant probability gives the
//! concordance exactly; a threshold `above = p` on the percentile Φ(s/√(1 + σ²))
//! flags the top 1 − p of the reference population.

use statrs::distribution::{ContinuousCDF, Normal};

/// Equal-width bins of a reference histogram over the sample's range. With
/// linear interpolation inside a bin, F is exact at the 257 bin edges.
pub const REFERENCE_BINS: usize = 256;

/// A predictive score's noise, from its concordance.
///
/// For two users with independent standard normal z, the chance the score
/// s = z + σε orders them like z does (Harrell's concordance C, the AUC of a
/// continuous outcome) is C = ½ + arcsin(1/√(1 + σ²))/π (the orthant probability
/// of a bivariate normal, Sheppard 1899), hence σ = cot(π (C − ½)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreModel {
    /// Noise sd σ.
    pub noise: f64,
}

impl ScoreModel {
    pub fn new(concordance: f64) -> Self {
        let c = concordance.clamp(0.5 + 1e-9, 1.0);
        ScoreModel { noise: 1.0 / (std::f64::consts::PI * (c - 0.5)).tan() }
    }

    /// The score's percentile in the reference population, from the latent's normal score `z`
    /// (see [`Reference::normal_score`]) and the user's fixed noise draw.
    pub fn percentile(&self, z: f64, noise_draw: f64) -> f64 {
        let s = (z + self.noise * noise_draw) / (1.0 + self.noise * self.noise).sqrt();
        Normal::standard().cdf(s)
    }
}

/// The range of a sample of log-latents: the first pass over a reference sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    pub const EMPTY: Range = Range { lo: f64::INFINITY, hi: f64::NEG_INFINITY };

    pub fn add(&mut self, x: f64) {
        self.lo = self.lo.min(x);
        self.hi = self.hi.max(x);
    }

    /// The range of both samples (exact in any order, so any split of the sample gives the same range).
    pub fn merge(self, other: Range) -> Range {
        Range { lo: self.lo.min(other.lo), hi: self.hi.max(other.hi) }
    }

    fn width(&self) -> f64 {
        ((self.hi - self.lo) / REFERENCE_BINS as f64).max(0.0)
    }

    /// The bin of `x`; the top edge belongs to the last bin, and a zero-width range has one bin.
    pub fn bin(&self, x: f64) -> usize {
        let width = self.width();
        if width > 0.0 { (((x - self.lo) / width).max(0.0) as usize).min(REFERENCE_BINS - 1) } else { 0 }
    }
}

/// The distribution of a log-latent in a reference sample: counts in
/// [`REFERENCE_BINS`] equal bins over the sample's range (the second pass).
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    range: Range,
    /// `cumulative[k]`: sample values in bins below k; `cumulative[REFERENCE_BINS]` is the sample size.
    cumulative: Box<[u32; REFERENCE_BINS + 1]>,
}

impl Reference {
    /// From a range and the counts of its bins.
    pub fn new(range: Range, counts: &[u32; REFERENCE_BINS]) -> Self {
        let mut cumulative = Box::new([0u32; REFERENCE_BINS + 1]);
        for (k, &c) in counts.iter().enumerate() {
            cumulative[k + 1] = cumulative[k] + c;
        }
        Reference { range, cumulative }
    }

    /// Values in the sample.
    pub fn len(&self) -> u32 {
        self.cumulative[REFERENCE_BINS]
    }

    /// The share of the sample below `x`, linear inside a bin (ties count half, as mid-ranks do), kept
    /// within [½/n, 1 − ½/n] so that its normal score is finite.
    pub fn cdf(&self, x: f64) -> f64 {
        let n = f64::from(self.len().max(1));
        let bins = REFERENCE_BINS as f64;
        let width = self.range.width();
        let position = if width > 0.0 {
            ((x - self.range.lo) / width).clamp(0.0, bins)
        } else if x < self.range.lo {
            0.0
        } else if x > self.range.hi {
            bins
        } else {
            0.5
        };
        let k = (position as usize).min(REFERENCE_BINS - 1);
        let (below, inside) = (f64::from(self.cumulative[k]), f64::from(self.cumulative[k + 1] - self.cumulative[k]));
        ((below + (position - k as f64) * inside) / n).clamp(0.5 / n, 1.0 - 0.5 / n)
    }

    /// The normal score Φ⁻¹(F(x)) of a log-latent `x` (van der Waerden 1952).
    pub fn normal_score(&self, x: f64) -> f64 {
        Normal::standard().inverse_cdf(self.cdf(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_noise_reaches_the_stated_concordance() {
        // C = ½ + arcsin(1/√(1+σ²))/π must give back the concordance we asked for.
        for c in [0.55, 0.7, 0.85, 0.99] {
            let m = ScoreModel::new(c);
            let back = 0.5 + (1.0 / (1.0 + m.noise * m.noise).sqrt()).asin() / std::f64::consts::PI;
            assert!((back - c).abs() < 1e-12, "{c} → {back}");
        }
    }

    fn reference(values: &[f64]) -> Reference {
        let range = values.iter().fold(Range::EMPTY, |mut r, &x| {
            r.add(x);
            r
        });
        let mut counts = [0u32; REFERENCE_BINS];
        values.iter().for_each(|&x| counts[range.bin(x)] += 1);
        Reference::new(range, &counts)
    }

    #[test]
    fn the_reference_cdf_is_the_sample_share_at_bin_edges_and_monotone_between() {
        // 0, 1, …, 1023 in 256 bins of width 1023/256: each edge's share is the count below it.
        let values: Vec<f64> = (0..1024).map(f64::from).collect();
        let r = reference(&values);
        assert_eq!(r.len(), 1024);
        let width = 1023.0 / 256.0;
        for k in [1usize, 64, 128, 200] {
            let edge = k as f64 * width;
            let below = values.iter().filter(|&&v| v < edge).count() as f64;
            assert!((r.cdf(edge) - below / 1024.0).abs() < 1e-12, "edge {k}");
        }
        let grid: Vec<f64> = (0..=2000).map(|i| -10.0 + f64::from(i) * 0.52).collect();
        assert!(grid.windows(2).all(|w| r.cdf(w[0]) <= r.cdf(w[1])));
        // Outside the sample: the ½/n clamp, so the normal score stays finite.
        assert_eq!(r.cdf(-1e9), 0.5 / 1024.0);
        assert_eq!(r.cdf(1e9), 1.0 - 0.5 / 1024.0);
        assert!(r.normal_score(1e9).is_finite() && r.normal_score(-1e9).is_finite());
    }

    #[test]
    fn a_sample_of_one_value_puts_it_at_the_median() {
        let r = reference(&[2.0; 10]);
        assert_eq!(r.cdf(2.0), 0.5);
        assert_eq!(r.normal_score(2.0), 0.0);
        assert_eq!(r.cdf(1.0), 0.05);
        assert_eq!(r.cdf(3.0), 0.95);
    }
}
