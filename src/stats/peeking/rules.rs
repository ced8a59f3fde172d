//! Each method's decision at a look, precomputed into per-look thresholds so
//! the Monte Carlo's inner loop is a few multiplications.
//!
//! With cumulative conversions `x_A`, `x_B` of `N` users per arm and
//! `d = x_B − x_A`, the squared statistics are, without square roots:
//!
//! ```text
//! pooled z²     = d² / (s(2N − s)/(2N))                 s = x_A + x_B
//! unpooled z²   = d² N / (x_A(N − x_A) + x_B(N − x_B))
//! posterior z²  = m² / (p̃_A q̃_A + p̃_B q̃_B)/(N + 3)     p̃ = (x+1)/(N+2), m = d/(N+2)
//! ```
//!
//! The posterior z is the normal approximation to the Beta(1,1) posteriors:
//! `P(p_B > p_A) ≈ Φ(m / sd)`, so "chance to beat ≥ t" is "z ≥ Φ⁻¹(t)".
//! On the normal score process `S_k` every rule is `S_k² ≥ c_k² k`.

use crate::stats::method::Method;
use crate::stats::numeric::norm_upper_quantile;
use crate::stats::sequential::{ConfidenceSequence, Msprt, efficacy_bounds, equal_fractions};
use crate::stats::{Sides, StatsError, check_open};

use super::PeekConfig;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Statistic {
    Pooled,
    Unpooled,
    Posterior,
}

/// A method compiled for one configuration.
#[derive(Clone, Debug)]
pub(super) struct Rule {
    statistic: Statistic,
    /// Squared critical value per look (binomial data).
    critical_sq: Vec<f64>,
    /// `c_k² · k` per look (normal score process, known variance).
    score_sq: Vec<f64>,
    /// Plug-in mSPRT on binomial data (its threshold depends on the data).
    msprt: Option<Msprt>,
}

impl Rule {
    pub fn new(method: &Method, config: &PeekConfig, treated: f64) -> Result<Rule, StatsError> {
        let looks = config.looks;
        let per_look = config.users_per_look as f64;
        let users = |look: usize| (look + 1) as f64 * per_look;
        let baseline_var = 2.0 * config.baseline * (1.0 - config.baseline);
        let true_var = config.baseline * (1.0 - config.baseline) + treated * (1.0 - treated);
        let constant = |c: f64| vec![c; looks];
        let (statistic, critical, msprt) = match *method {
            Method::Naive => (Statistic::Pooled, constant(norm_upper_quantile(config.alpha / 2.0)), None),
            Method::GroupSequential { family } => {
                (Statistic::Pooled, efficacy_bounds(family, config.alpha, Sides::Two, &equal_fractions(looks))?, None)
            }
            Method::Msprt { tau2 } => {
                let msprt = match tau2 {
                    Some(tau2) => Msprt::new(tau2, config.alpha)?,
                    None => Msprt::tuned(baseline_var / users(looks - 1), config.alpha)?,
                };
                let critical = (0..looks).map(|k| msprt.z_threshold(true_var / users(k))).collect();
                (Statistic::Unpooled, critical, Some(msprt))
            }
            Method::ConfidenceSequence { rho } => {
                let cs = match rho {
                    Some(rho) => ConfidenceSequence::new(rho, config.alpha)?,
                    None => ConfidenceSequence::tuned(users(looks - 1), config.alpha)?,
                };
                (Statistic::Unpooled, (0..looks).map(|k| cs.z_threshold(users(k))).collect(), None)
            }
            Method::Bayes { threshold } => {
                check_open("threshold", threshold, 0.5, 1.0, "a posterior probability between 0.5 and 1")?;
                (Statistic::Posterior, constant(norm_upper_quantile(1.0 - threshold)), None)
            }
        };
        Ok(Rule {
            statistic,
            critical_sq: critical.iter().map(|c| c * c).collect(),
            score_sq: critical.iter().enumerate().map(|(k, c)| c * c * (k + 1) as f64).collect(),
            msprt,
        })
    }

    /// Declares a difference at `look` (0-based) given cumulative counts of `users` per arm.
    #[inline(always)]
    pub fn declares_binomial(&self, look: usize, conv_a: u64, conv_b: u64, users: u64) -> bool {
        let (a, b, n) = (conv_a as f64, conv_b as f64, users as f64);
        let d = b - a;
        let d_sq = d * d;
        if d_sq == 0.0 {
            return false;
        }
        if let Some(msprt) = &self.msprt {
            let variance = (a * (n - a) + b * (n - b)) / (n * n * n);
            if variance <= 0.0 {
                return false;
            }
            let half = msprt.half_width(variance);
            return d_sq >= half * half * n * n;
        }
        let c_sq = self.critical_sq[look];
        match self.statistic {
            Statistic::Pooled => {
                let s = a + b;
                d_sq * 2.0 * n >= c_sq * s * (2.0 * n - s)
            }
            Statistic::Unpooled => d_sq * n >= c_sq * (a * (n - a) + b * (n - b)),
            Statistic::Posterior => {
                let (pa, pb) = ((a + 1.0) / (n + 2.0), (b + 1.0) / (n + 2.0));
                let m = d / (n + 2.0);
                m * m * (n + 3.0) >= c_sq * (pa * (1.0 - pa) + pb * (1.0 - pb))
            }
        }
    }

    /// On the normal score process the rule declares at `look` when `S_k² ≥` this.
    pub fn score_threshold(&self, look: usize) -> f64 {
        self.score_sq[look]
    }
}
