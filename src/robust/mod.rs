//! Robustness (`journeylab robust`, docs/robustness.md): does a comparison's verdict survive what
//! we do not know about customers? Every pair of journeys is compared on the headline metrics at
//! the scenario's values, with each `[model]` parameter at either end of its plausible range (the
//! tornado), and at N joint points of a Latin hypercube over every range (how often the winner
//! holds, and which parameters the difference depends on). All points run on common random
//! numbers, and the Monte Carlo noise of each difference is measured at the scenario's values.
//!
//! `design.rs` numbers the runs; `evaluate.rs` runs them (a shard: the runs whose number is
//! i mod n); `points.rs` their raw values as a shard's file and the merge of shards;
//! `analysis.rs` and `sensitivity.rs` the report; `summary.rs` it in words and as a table;
//! `charts.rs` its charts; `panel.rs` the app panel's defaults and bounds and a sweep's size.

mod analysis;
mod charts;
mod design;
mod evaluate;
mod panel;
mod points;
mod sensitivity;
mod summary;

use std::sync::atomic::AtomicBool;

use serde::Serialize;

pub use analysis::analyse;
pub use charts::{ChartFile, ChartKind, chart_files, data as chart_data, draw};
pub use design::{Range, latin_hypercube};
pub use panel::{
    PANEL_MAX_SAMPLES, PANEL_MAX_USERS, PANEL_METRIC, PANEL_SAMPLES, PANEL_USERS, Plan, panel_config, plan,
};
pub use points::{POINTS_SCHEMA, Points, Shard, merge};
pub use sensitivity::Method as SensitivityMethod;
pub use summary::{pair_sentences, pairs_csv, summary_markdown};

use crate::engine::{Progress, RunConfig, RunError};
use crate::scenario::Scenario;
use crate::vocabulary::Better;

/// The report's schema.
pub const ROBUST_SCHEMA: &str = "journeylab.robust/1";
/// Replicates at the scenario's values that measure the Monte Carlo noise (at least; R if more).
pub const NOISE_REPLICATES: u32 = 8;
pub const MAX_SAMPLES: u32 = 100_000;
pub const MAX_REPLICATES: u32 = 1000;

/// The metrics compared, in report order: ids of [`crate::vocabulary::METRICS`], as `compare` reports them.
pub const METRICS: [&str; 7] = [
    "retention_d30",
    "survival_12m",
    "net_margin_per_user",
    "revenue_per_user",
    "full_price_share",
    "opt_out_rate",
    "uninstall_rate",
];

/// The name of metric `id` inside a sentence ("net margin per user", "D30 retention"); the id itself if unknown.
pub fn metric_label(id: &str) -> String {
    crate::vocabulary::metric_def(id).map_or_else(|| id.to_owned(), |m| m.name_in_sentence())
}

/// What to sweep and how much work to spend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RobustConfig {
    /// Joint points of the Latin hypercube (1 … [`MAX_SAMPLES`]).
    pub samples: u32,
    /// Replicates per point (1 … [`MAX_REPLICATES`]), the same at every point.
    pub replicates: u32,
    /// Users, horizon, seed and threads; its `replicate` is not used.
    pub run: RunConfig,
    pub shard: Shard,
}

impl Default for RobustConfig {
    fn default() -> Self {
        RobustConfig { samples: 64, replicates: 1, run: RunConfig::default(), shard: Shard::WHOLE }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RobustError {
    #[error("{0}")]
    BadConfig(String),
    #[error("shard {index}/{count}: the index must be 0 … count − 1 (e.g. --shard 0/{count} … --shard {last}/{count})", last = count.saturating_sub(1))]
    BadShard { index: u32, count: u32 },
    #[error("line {line}: {problem}")]
    Points { line: usize, problem: String },
    #[error("{0}")]
    Merge(String),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// One parameter's one-at-a-time effect: A − B with it at the low and at the high end of its range.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TornadoBar {
    pub parameter: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl TornadoBar {
    /// |high − low|; 0 when either is missing.
    pub fn swing(&self) -> f64 {
        self.low.zip(self.high).map_or(0.0, |(l, h)| (h - l).abs())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivityIndex {
    pub parameter: String,
    pub index: f64,
}

/// One pair of journeys on one metric. Differences are A − B in the metric's own units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairReport {
    pub a: String,
    pub b: String,
    pub metric: String,
    pub better: Better,
    /// The better journey at the scenario's values (by the sign of A − B); None on an exact tie.
    pub winner: Option<String>,
    /// A − B at the scenario's values (mean of replicates 0 … R − 1).
    pub difference: Option<f64>,
    /// |A − B| at a joint point must exceed this to count as clear (t₀.₉₇₅,K−1 · s/√R).
    pub mc_threshold: Option<f64>,
    pub holds_share: f64,
    pub reverses_share: f64,
    pub unclear_share: f64,
    /// Sorted by swing, largest first (ties by name).
    pub tornado: Vec<TornadoBar>,
    pub sensitivity_method: SensitivityMethod,
    /// R² of the regression behind standardised regression coefficients.
    pub r_squared: Option<f64>,
    /// Sorted by |index|, largest first (ties by name); empty when the method is `none`.
    pub sensitivity: Vec<SensitivityIndex>,
}

/// The `journeylab.robust/1` document: sorted and stable, no timings or paths.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RobustReport {
    pub schema: &'static str,
    pub scenario: String,
    pub samples: u32,
    pub replicates: u32,
    pub users: u32,
    pub seed: u64,
    pub days: u32,
    pub noise_replicates: u32,
    /// The joint design: `latin_hypercube`.
    pub design: &'static str,
    /// How many `[model]` parameters were varied.
    pub parameters: usize,
    pub pairs: Vec<PairReport>,
}

impl RobustReport {
    /// The pretty-printed JSON document, with a final newline.
    pub fn to_json(&self) -> String {
        // Plain data of strings, integers and floats: serialising cannot fail.
        serde_json::to_string_pretty(self).map(|s| s + "\n").unwrap_or_default()
    }
}

fn check(scenario: &Scenario, config: &RobustConfig) -> Result<(), RobustError> {
    let bad = |m: String| Err(RobustError::BadConfig(m));
    if scenario.journeys.len() < 2 {
        return bad(format!(
            "the scenario has {} journey(s): robustness compares pairs of journeys, so it needs two or more",
            scenario.journeys.len()
        ));
    }
    if !(1..=MAX_SAMPLES).contains(&config.samples) {
        return bad(format!("samples is {}: the joint design needs 1 … {MAX_SAMPLES} points", config.samples));
    }
    if !(1..=MAX_REPLICATES).contains(&config.replicates) {
        return bad(format!("replicates is {}: it must be 1 … {MAX_REPLICATES}", config.replicates));
    }
    if config.run.users == Some(0) || config.run.days == Some(0) || config.run.threads == Some(0) {
        return bad("users, days and threads must be at least 1".into());
    }
    Shard::new(config.shard.index, config.shard.count).map(|_| ())
}

/// The sweep's header: the scenario's name, journeys and parameter values, and the settings.
fn header(scenario: &Scenario, config: &RobustConfig) -> points::Header {
    let applied = config.run.apply(scenario);
    let parameters = crate::behavior::PARAMETERS
        .iter()
        .filter(|p| p.swept)
        .map(|p| Range {
            name: p.name.to_owned(),
            value: scenario.model.get(p.name).unwrap_or(p.default),
            low: p.low,
            high: p.high,
            whole: p.whole,
        })
        .collect();
    points::Header {
        schema: POINTS_SCHEMA.to_owned(),
        scenario: scenario.simulation.name.clone(),
        fingerprint: points::fingerprint(&serde_json::to_string(scenario).unwrap_or_default()),
        journeys: scenario.journeys.iter().map(|j| j.name.clone()).collect(),
        metrics: METRICS.iter().map(|&id| id.to_owned()).collect(),
        parameters,
        seed: applied.simulation.seed,
        samples: config.samples,
        replicates: config.replicates,
        noise_replicates: config.replicates.max(NOISE_REPLICATES),
        users: applied.simulation.users,
        days: applied.simulation.horizon_days,
        shard: config.shard,
    }
}

/// Runs the runs of `config.shard` (all of them for [`Shard::WHOLE`]) and returns their values.
/// `progress` counts simulated users over the shard; `cancel` stops within one chunk of users.
pub fn sweep(
    scenario: &Scenario,
    config: &RobustConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Points, RobustError> {
    check(scenario, config)?;
    let header = header(scenario, config);
    let design = latin_hypercube(&header.parameters, header.samples, header.seed);
    let runs = evaluate::run_jobs(scenario, &header, &design, config.run.threads, progress, cancel)?;
    Ok(Points { header, runs })
}

/// A whole sweep and its report (for a shard, use [`sweep`], then [`merge`] and [`analyse`]).
pub fn robust(
    scenario: &Scenario,
    config: &RobustConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<(Points, RobustReport), RobustError> {
    let config = RobustConfig { shard: Shard::WHOLE, ..*config };
    let points = sweep(scenario, &config, progress, cancel)?;
    let report = analyse(&points)?;
    Ok((points, report))
}
