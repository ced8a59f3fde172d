//! The peeking Monte Carlo streamed batch by batch, for a lab whose settings
//! change while it runs: after each batch the running estimate goes to a
//! callback, and the run stops once every method's 95 % Monte Carlo interval
//! is within the requested half-width (or at the simulation cap, or when the
//! cancel flag is raised).
//!
//! Determinism: a batch is a run of whole chunks, and chunk `c` always draws
//! from the stream of `(seed, c)` (see the parent module). After `b` batches
//! the estimate is exactly [`simulate`](super::simulate) with
//! `b · batch_chunks · CHUNK` simulations — whatever the thread count, and
//! whether or not earlier settings were cancelled.

use std::sync::atomic::{AtomicBool, AtomicU64};

use super::{CHUNK, Control, MethodReport, PeekConfig, PeekReport, Prepared};
use crate::stats::StatsError;
use crate::stats::method::Method;

/// "Settled": every interval within ±0.5 percentage points of its estimate.
pub const SETTLED_HALF_WIDTH: f64 = 0.005;
/// Chunks per batch: one per core on the 2-core target machine keeps both busy
/// and still reports about ten times a second.
pub const BATCH_CHUNKS: u64 = 2;

/// When a streamed run stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settle {
    /// Stop once every method's interval is within ± this of its rate.
    pub half_width: f64,
    /// Chunks of [`CHUNK`] simulations per batch (≥ 1).
    pub batch_chunks: u64,
    /// Never run more simulations than this (rounded up to whole batches).
    pub max_sims: u64,
}

impl Default for Settle {
    fn default() -> Self {
        // At a rate of 0.5 the Clopper–Pearson half-width reaches 0.005 near 38,500
        // simulations; 200,000 leaves room for any rate.
        Settle { half_width: SETTLED_HALF_WIDTH, batch_chunks: BATCH_CHUNKS, max_sims: 200_000 }
    }
}

/// The larger side of a method's interval around its rate.
pub fn half_width(method: &MethodReport) -> f64 {
    (method.rate - method.ci[0]).max(method.ci[1] - method.rate)
}

/// True when every method's interval is within `target` of its rate.
pub fn settled(report: &PeekReport, target: f64) -> bool {
    report.methods.iter().all(|m| half_width(m) <= target)
}

/// Runs `config` (its `sims` is ignored: [`Settle`] decides) batch by batch; after each batch
/// `on_batch` gets the running report and whether it has settled. Returns the last report, or
/// [`StatsError::Cancelled`] as soon as `cancel` is raised.
pub fn stream(
    config: &PeekConfig,
    methods: &[Method],
    settle: Settle,
    cancel: Option<&AtomicBool>,
    on_batch: &mut dyn FnMut(&PeekReport, bool),
) -> Result<PeekReport, StatsError> {
    if settle.batch_chunks == 0 || settle.max_sims == 0 || settle.half_width.is_nan() || settle.half_width <= 0.0 {
        return Err(StatsError::Inconsistent(
            "a streamed run needs at least one chunk per batch, a simulation cap and a positive half-width".into(),
        ));
    }
    // Validated once for the whole run; each batch's report is renamed to the simulations so far.
    let config = PeekConfig { sims: settle.max_sims.div_ceil(CHUNK) * CHUNK, ..config.clone() };
    let prepared = Prepared::new(&config, methods)?;
    let control = Control { cancel, progress: None };
    let mut total = prepared.empty_tally();
    let last_chunk = config.sims / CHUNK;
    let mut next = 0;
    loop {
        let end = (next + settle.batch_chunks).min(last_chunk);
        let done = AtomicU64::new(0);
        total.merge(&prepared.chunks(next..end, config.sims, control, &done)?);
        next = end;
        let report = prepared.report(&total, next * CHUNK)?;
        let is_settled = settled(&report, settle.half_width);
        on_batch(&report, is_settled);
        if is_settled || next >= last_chunk {
            return Ok(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::peeking::{Increments, simulate};

    fn config() -> PeekConfig {
        PeekConfig {
            looks: 6,
            sims: 0,
            alpha: 0.05,
            baseline: 0.05,
            lift: 0.0,
            users_per_look: 400,
            seed: 3,
            increments: Increments::Binomial,
        }
    }

    #[test]
    fn each_batch_equals_the_plain_run_of_as_many_simulations() {
        let methods = [Method::Naive, Method::default_gst()];
        let mut batches = Vec::new();
        let settle = Settle { half_width: 1e-9, batch_chunks: 1, max_sims: 3 * CHUNK };
        let last = stream(&config(), &methods, settle, None, &mut |r, s| batches.push((r.clone(), s))).expect("runs");
        assert_eq!(batches.len(), 3);
        for (b, (report, is_settled)) in batches.iter().enumerate() {
            let sims = (b as u64 + 1) * CHUNK;
            let plain = simulate(&PeekConfig { sims, ..config() }, &methods, Control::default()).expect("runs");
            assert_eq!(report, &plain, "batch {b}");
            assert!(!is_settled);
        }
        assert_eq!(&last, &batches[2].0);
    }

    #[test]
    fn stops_once_every_interval_is_within_the_half_width() {
        let methods = [Method::Naive, Method::Msprt { tau2: None }];
        let mut seen = 0;
        let report = stream(&config(), &methods, Settle::default(), None, &mut |_, _| seen += 1).expect("runs");
        assert!(settled(&report, SETTLED_HALF_WIDTH));
        // One batch fewer would not have been settled: it stops at the first settled batch.
        let fewer = report.config.sims - BATCH_CHUNKS * CHUNK;
        let before = simulate(&PeekConfig { sims: fewer, ..config() }, &methods, Control::default()).expect("runs");
        assert!(!settled(&before, SETTLED_HALF_WIDTH));
        assert_eq!(seen as u64, report.config.sims / (BATCH_CHUNKS * CHUNK));
    }

    #[test]
    fn a_raised_cancel_flag_stops_before_any_batch() {
        let cancel = AtomicBool::new(true);
        let result = stream(&config(), &[Method::Naive], Settle::default(), Some(&cancel), &mut |_, _| {
            panic!("no batch after cancel")
        });
        assert_eq!(result, Err(StatsError::Cancelled));
    }
}
