//! The peeking Monte Carlo: what each monitoring method does when an
//! experiment is looked at K times.
//!
//! Each simulated experiment runs K looks with `users_per_look` new users per
//! arm between looks; after each look every method still running decides
//! whether to declare a difference. Per method the report gives the rate of
//! declaring a difference (the false-positive rate under A/A, power under a
//! true lift) with its 95 % Clopper–Pearson Monte Carlo interval, the
//! distribution of the stopping look, and the exaggeration of the estimate at
//! a stop (the winner's curse; Gelman & Carlin 2014, "Beyond power
//! calculations", *Perspectives on Psychological Science* 9(6):641–651, the
//! "type M" ratio `E[|Δ̂| | declared] / |Δ|`).
//!
//! Two data models:
//! * [`Increments::Binomial`]: exact Binomial(users_per_look, p) conversions per
//!   arm per look (alias tables, [`alias`]); each method uses its own statistic
//!   (pooled z, unpooled z, plug-in mSPRT, normal-approximated Beta posteriors).
//! * [`Increments::Normal`]: the z statistic's score process with one normal
//!   increment per look, `S_k = S_{k−1} + N(μ, 1)`, `μ = Δ/√V₁` — the
//!   large-sample limit every method is designed for, with known variance.
//!
//! Determinism: simulations are grouped in fixed chunks of [`CHUNK`]; chunk `c`
//! draws only from its own xoshiro256++ stream, seeded from `(seed, c)`, its
//! simulations one after another; chunk results are combined in chunk order,
//! so the numbers do not depend on the number of threads. (One stream per
//! chunk rather than per simulation: seeding cost as much as a look's draws.) Long runs report progress per chunk and stop when the
//! cancel flag is raised.

pub mod alias;
pub mod by_look;
mod rules;
pub mod stream;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};

use self::alias::BinomialTable;
use self::rules::Rule;
use super::method::{Conventions, Method};
use super::{StatsError, check_open};

/// Simulations per chunk: the unit of parallel work, progress and cancellation.
pub const CHUNK: u64 = 4096;

/// How the data of one look are generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Increments {
    /// Exact binomial conversions per arm per look.
    Binomial,
    /// One normal increment of the z-statistic's score process per look.
    Normal,
}

/// What to simulate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeekConfig {
    pub looks: usize,
    pub sims: u64,
    /// Level of every method (two-sided).
    pub alpha: f64,
    /// Control conversion rate.
    pub baseline: f64,
    /// True relative lift of B over A (`p_B = baseline·(1 + lift)`); 0 is an A/A test.
    pub lift: f64,
    pub users_per_look: u64,
    pub seed: u64,
    pub increments: Increments,
}

/// Progress of a run: simulations finished out of the total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// Cancellation and progress hooks for long runs (both optional).
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// Checked before every chunk; when set the run returns [`StatsError::Cancelled`].
    pub cancel: Option<&'a AtomicBool>,
    /// Called from worker threads after each chunk.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

/// One method's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodReport {
    pub method: String,
    /// The method's name for people (legends).
    pub title: String,
    pub conventions: Conventions,
    /// Share of simulations that declared a difference (either direction).
    pub rate: f64,
    /// 95 % Clopper–Pearson interval for `rate` (Monte Carlo error).
    pub ci: [f64; 2],
    pub declared: u64,
    /// Declarations with the sign opposite to the true lift (none under A/A).
    pub wrong_sign: u64,
    /// Declarations at each look (1-based look = index + 1).
    pub stops_by_look: Vec<u64>,
    /// Mean look of the declarations (`None` if there were none).
    pub mean_stop_look: Option<f64>,
    /// Mean |estimated absolute lift| at a declaration.
    pub mean_abs_estimate_at_stop: Option<f64>,
    /// `E[|Δ̂| | declared] / |Δ|` (type M error); `None` under A/A.
    pub exaggeration: Option<f64>,
}

/// The whole run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeekReport {
    pub config: PeekConfig,
    pub methods: Vec<MethodReport>,
    /// Looks evaluated (summed over methods): the throughput unit of the benchmarks.
    pub look_evaluations: u64,
}

/// Per-chunk tallies, combined in chunk order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    /// `[method][look]` declarations, flattened.
    stops: Vec<u64>,
    wrong_sign: Vec<u64>,
    sum_abs_estimate: Vec<f64>,
}

impl Tally {
    fn new(methods: usize, looks: usize) -> Self {
        Tally { stops: vec![0; methods * looks], wrong_sign: vec![0; methods], sum_abs_estimate: vec![0.0; methods] }
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        self.stops.iter_mut().zip(&other.stops).for_each(|(a, b)| *a += b);
        self.wrong_sign.iter_mut().zip(&other.wrong_sign).for_each(|(a, b)| *a += b);
        self.sum_abs_estimate.iter_mut().zip(&other.sum_abs_estimate).for_each(|(a, b)| *a += b);
    }

    /// Looks evaluated over `sims` simulations: a method that stops at look k
    /// evaluated k looks, one that never stops all of them. Counted from the
    /// stops rather than in the inner loop, which then carries no counter.
    fn look_evaluations(&self, sims: u64, looks: usize) -> u64 {
        self.stops
            .chunks_exact(looks)
            .map(|stops| {
                let declared: u64 = stops.iter().sum();
                let early: u64 = stops.iter().enumerate().map(|(k, &s)| (k as u64 + 1) * s).sum();
                early + (sims - declared) * looks as u64
            })
            .sum()
    }
}

impl PeekConfig {
    fn validate(&self) -> Result<f64, StatsError> {
        if self.looks == 0 || self.looks > super::sequential::boundaries::MAX_LOOKS {
            return Err(StatsError::Inconsistent(format!("looks must be 1 to 100, got {}", self.looks)));
        }
        if self.sims == 0 || self.users_per_look == 0 {
            return Err(StatsError::Inconsistent("sims and users per look must be at least 1".into()));
        }
        check_open("alpha", self.alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
        check_open("baseline", self.baseline, 0.0, 1.0, "a conversion rate strictly between 0 and 1")?;
        let treated = self.baseline * (1.0 + self.lift);
        check_open("baseline × (1 + lift)", treated, 0.0, 1.0, "a treated conversion rate strictly between 0 and 1")?;
        Ok(treated)
    }
}

/// Chunk `index`'s own stream: the project's one stream derivation (`crate::rng`).
fn stream(seed: u64, index: u64) -> Xoshiro256PlusPlus {
    crate::rng::stream(seed, 0, index, crate::rng::Purpose::Experiment, 0)
}

/// Runs the Monte Carlo for every method on the same simulated experiments.
pub fn simulate(config: &PeekConfig, methods: &[Method], control: Control<'_>) -> Result<PeekReport, StatsError> {
    let prepared = Prepared::new(config, methods)?;
    let done = AtomicU64::new(0);
    let total = prepared.chunks(0..config.sims.div_ceil(CHUNK), config.sims, control, &done)?;
    prepared.report(&total, config.sims)
}

/// A configuration compiled for the inner loops: the rules, the alias tables and the
/// normal model. Built once and run over any range of chunks (the streaming lab runs
/// it batch by batch).
pub(crate) struct Prepared<'a> {
    config: &'a PeekConfig,
    methods: &'a [Method],
    rules: Vec<Rule>,
    tables: Option<(BinomialTable, BinomialTable)>,
    normal: NormalModel,
    true_effect: f64,
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(config: &'a PeekConfig, methods: &'a [Method]) -> Result<Self, StatsError> {
        let treated = config.validate()?;
        if methods.is_empty() {
            return Err(StatsError::Inconsistent("choose at least one method".into()));
        }
        if methods.len() > 64 {
            return Err(StatsError::Inconsistent(format!("at most 64 methods at once, got {}", methods.len())));
        }
        let rules = methods.iter().map(|m| Rule::new(m, config, treated)).collect::<Result<Vec<_>, _>>()?;
        let tables = match config.increments {
            Increments::Binomial => Some((
                BinomialTable::new(config.users_per_look, config.baseline)?,
                BinomialTable::new(config.users_per_look, treated)?,
            )),
            Increments::Normal => None,
        };
        let true_effect = treated - config.baseline;
        // Variance of Δ̂ after one look, and the drift of the score process per look.
        let variance_one_look =
            (config.baseline * (1.0 - config.baseline) + treated * (1.0 - treated)) / config.users_per_look as f64;
        let drift = true_effect / variance_one_look.sqrt();
        let normal = NormalModel::new(&rules, config.looks, drift, variance_one_look, true_effect);
        Ok(Prepared { config, methods, rules, tables, normal, true_effect })
    }

    /// Runs chunks `range` (simulations `chunk·CHUNK … min((chunk+1)·CHUNK, sims)`) in parallel and
    /// combines their tallies in chunk order; `done` counts finished simulations for progress.
    pub(crate) fn chunks(
        &self,
        range: std::ops::Range<u64>,
        sims: u64,
        control: Control<'_>,
        done: &AtomicU64,
    ) -> Result<Tally, StatsError> {
        let config = self.config;
        let results: Vec<Option<Tally>> = range
            .into_par_iter()
            .map(|chunk| {
                if control.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                let first = chunk * CHUNK;
                let last = (first + CHUNK).min(sims);
                let mut tally = Tally::new(self.rules.len(), config.looks);
                let mut rng = stream(config.seed, chunk);
                match &self.tables {
                    Some((a, b)) => (first..last)
                        .for_each(|_| run_binomial(config, &self.rules, a, b, self.true_effect, &mut rng, &mut tally)),
                    None => (first..last).for_each(|_| self.normal.run(&mut rng, &mut tally)),
                }
                let finished = done.fetch_add(last - first, Ordering::Relaxed) + (last - first);
                if let Some(report) = control.progress {
                    report(Progress { done: finished, total: sims });
                }
                Some(tally)
            })
            .collect();
        let mut total = Tally::new(self.rules.len(), config.looks);
        for tally in &results {
            total.merge(tally.as_ref().ok_or(StatsError::Cancelled)?);
        }
        Ok(total)
    }

    /// The report of `sims` simulations whose tallies are `total`.
    pub(crate) fn report(&self, total: &Tally, sims: u64) -> Result<PeekReport, StatsError> {
        let config = PeekConfig { sims, ..self.config.clone() };
        let methods = self
            .methods
            .iter()
            .enumerate()
            .map(|(m, method)| summarise(method, m, total, &config, self.true_effect))
            .collect::<Result<Vec<_>, _>>()?;
        let look_evaluations = total.look_evaluations(sims, config.looks);
        Ok(PeekReport { config, methods, look_evaluations })
    }

    pub(crate) fn empty_tally(&self) -> Tally {
        Tally::new(self.rules.len(), self.config.looks)
    }
}

/// One experiment with exact binomial conversions.
fn run_binomial(
    config: &PeekConfig,
    rules: &[Rule],
    control_arm: &BinomialTable,
    treated_arm: &BinomialTable,
    true_effect: f64,
    rng: &mut Xoshiro256PlusPlus,
    tally: &mut Tally,
) {
    let looks = config.looks;
    let mut stopped = 0u64; // bit per method (≤ 64 methods)
    let all = all_stopped(rules.len());
    let (mut conv_a, mut conv_b) = (0u64, 0u64);
    for look in 0..looks {
        conv_a += control_arm.draw(rng);
        conv_b += treated_arm.draw(rng);
        let users = (look as u64 + 1) * config.users_per_look;
        for (m, rule) in rules.iter().enumerate() {
            if stopped & (1 << m) == 0 && rule.declares_binomial(look, conv_a, conv_b, users) {
                stopped |= 1 << m;
                let estimate = (conv_b as f64 - conv_a as f64) / users as f64;
                record(tally, m, look, looks, estimate, true_effect);
            }
        }
        if stopped == all {
            break;
        }
    }
}

/// The bit mask with one bit per method.
fn all_stopped(methods: usize) -> u64 {
    if methods >= 64 { u64::MAX } else { (1u64 << methods) - 1 }
}

/// The normal score process compiled for the inner loop: per look and method
/// the squared score threshold, look-major so one look's thresholds are adjacent.
struct NormalModel {
    methods: usize,
    looks: usize,
    /// `thresholds[look * methods + m] = c_{m,k}² (k + 1)`.
    thresholds: Vec<f64>,
    /// Drift of the score per look, `μ = Δ/√V₁`.
    drift: f64,
    /// `√V₁`: turns a score into an estimate, `Δ̂ = S_k √V₁ / k`.
    scale: f64,
    true_effect: f64,
}

impl NormalModel {
    fn new(rules: &[Rule], looks: usize, drift: f64, variance_one_look: f64, true_effect: f64) -> Self {
        let thresholds = (0..looks).flat_map(|look| rules.iter().map(move |rule| rule.score_threshold(look))).collect();
        NormalModel { methods: rules.len(), looks, thresholds, drift, scale: variance_one_look.sqrt(), true_effect }
    }

    /// One experiment: one standard normal per look (the score increment of the
    /// difference statistic, whose variance is known), stopping as soon as every
    /// method has stopped. The single-method case, the benchmark's and the CLI's,
    /// has its own loop without the mask.
    #[inline(always)]
    fn run(&self, rng: &mut Xoshiro256PlusPlus, tally: &mut Tally) {
        let mut score = 0.0;
        if self.methods == 1 {
            for (look, &threshold) in self.thresholds.iter().enumerate() {
                let step: f64 = StandardNormal.sample(rng);
                score += step + self.drift;
                if score * score >= threshold {
                    self.record(tally, 0, look, score);
                    return;
                }
            }
            return;
        }
        let all = all_stopped(self.methods);
        let mut stopped = 0u64;
        for (look, thresholds) in self.thresholds.chunks_exact(self.methods).enumerate() {
            let step: f64 = StandardNormal.sample(rng);
            score += step + self.drift;
            let score_sq = score * score;
            for (m, &threshold) in thresholds.iter().enumerate() {
                if stopped & (1 << m) == 0 && score_sq >= threshold {
                    stopped |= 1 << m;
                    self.record(tally, m, look, score);
                }
            }
            if stopped == all {
                return;
            }
        }
    }

    #[cold]
    fn record(&self, tally: &mut Tally, method: usize, look: usize, score: f64) {
        let estimate = score * self.scale / (look as f64 + 1.0);
        record(tally, method, look, self.looks, estimate, self.true_effect);
    }
}

#[inline]
fn record(tally: &mut Tally, method: usize, look: usize, looks: usize, estimate: f64, true_effect: f64) {
    tally.stops[method * looks + look] += 1;
    tally.sum_abs_estimate[method] += estimate.abs();
    if true_effect != 0.0 && estimate.signum() != true_effect.signum() {
        tally.wrong_sign[method] += 1;
    }
}

/// 95 % Clopper–Pearson interval for `k` successes in `n` (statrs Beta quantiles).
pub fn clopper_pearson(k: u64, n: u64) -> Result<[f64; 2], StatsError> {
    let beta = |a: f64, b: f64| Beta::new(a, b).map_err(|e| StatsError::Inconsistent(e.to_string()));
    let lo = if k == 0 { 0.0 } else { beta(k as f64, (n - k) as f64 + 1.0)?.inverse_cdf(0.025) };
    let hi = if k == n { 1.0 } else { beta(k as f64 + 1.0, (n - k) as f64)?.inverse_cdf(0.975) };
    Ok([lo, hi])
}

fn summarise(
    method: &Method,
    m: usize,
    total: &Tally,
    config: &PeekConfig,
    true_effect: f64,
) -> Result<MethodReport, StatsError> {
    let stops_by_look = total.stops[m * config.looks..(m + 1) * config.looks].to_vec();
    let declared: u64 = stops_by_look.iter().sum();
    let weighted: f64 = stops_by_look.iter().enumerate().map(|(k, &s)| (k as f64 + 1.0) * s as f64).sum();
    let mean_abs = (declared > 0).then(|| total.sum_abs_estimate[m] / declared as f64);
    Ok(MethodReport {
        method: method.label(),
        title: method.title(),
        conventions: method.conventions(),
        rate: declared as f64 / config.sims as f64,
        ci: clopper_pearson(declared, config.sims)?,
        declared,
        wrong_sign: total.wrong_sign[m],
        stops_by_look,
        mean_stop_look: (declared > 0).then(|| weighted / declared as f64),
        mean_abs_estimate_at_stop: mean_abs,
        exaggeration: mean_abs.filter(|_| true_effect != 0.0).map(|a| a / true_effect.abs()),
    })
}
