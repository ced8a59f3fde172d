//! A peeking report look by look: for each method the share of experiments
//! that had declared a winner by look `k`, with its Monte Carlo interval, next
//! to the exact naive-peeking curve — the data of the peeking lab's chart.
//!
//! By look `k` of a `K`-look run, naive peeking has run exactly a `k`-look
//! naive test (its boundary does not depend on `K`), so its points estimate
//! the exact curve of [`naive_peeking_curve`]; a group-sequential design's
//! points show the α it has spent so far.

use super::{PeekReport, clopper_pearson};
use crate::chart::{Band, Curve, NamedCurve, Peeking};
use crate::stats::StatsError;
use crate::stats::sequential::naive_peeking_curve;

/// Cumulative declarations by look, per method, with 95 % Clopper–Pearson intervals.
pub fn cumulative_rates(report: &PeekReport) -> Result<Vec<NamedCurve>, StatsError> {
    let sims = report.config.sims;
    report
        .methods
        .iter()
        .map(|m| {
            let mut declared = 0;
            let mut curve = Curve { band: Some(Band::default()), ..Curve::default() };
            for (k, stops) in m.stops_by_look.iter().enumerate() {
                declared += stops;
                let [lo, hi] = clopper_pearson(declared, sims)?;
                curve.x.push(k as f64 + 1.0);
                curve.y.push(declared as f64 / sims as f64);
                if let Some(band) = curve.band.as_mut() {
                    band.lower.push(lo);
                    band.upper.push(hi);
                }
            }
            Ok(NamedCurve { name: m.title.clone(), curve })
        })
        .collect()
}

/// The peeking lab's chart: every method's cumulative rate by look (points with intervals),
/// the exact naive curve (a line) and α (dashed).
pub fn chart(report: &PeekReport) -> Result<Peeking, StatsError> {
    let config = &report.config;
    let exact = naive_peeking_curve(config.looks, config.alpha)?;
    let what = if config.lift == 0.0 { "A/A: false positives" } else { "declared winners" };
    Ok(Peeking {
        title: format!("Peeking: {what} by look ({} simulated experiments)", config.sims),
        methods: cumulative_rates(report)?,
        nominal: config.alpha,
        exact: Some(Curve { x: (1..=exact.len()).map(|k| k as f64).collect(), y: exact, band: None }),
        x_label: "look".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::method::Method;
    use crate::stats::peeking::{Control, Increments, PeekConfig, simulate};

    #[test]
    fn naive_points_estimate_the_exact_curve_and_end_at_the_overall_rate() {
        let config = PeekConfig {
            looks: 10,
            sims: 40_000,
            alpha: 0.05,
            baseline: 0.1,
            lift: 0.0,
            users_per_look: 1_000,
            seed: 11,
            increments: Increments::Normal,
        };
        let report = simulate(&config, &[Method::Naive, Method::default_gst()], Control::default()).expect("runs");
        let chart = chart(&report).expect("valid");
        let exact = chart.exact.as_ref().expect("exact curve");
        let naive = &chart.methods[0].curve;
        let band = naive.band.as_ref().expect("intervals");
        // Each point's own 95 % interval covers the exact value at looks 1, 5 and 10 (three
        // checks at 95 % each: a seeded, reproducible outcome, not a tolerance picked to pass).
        for k in [0, 4, 9] {
            assert!(band.lower[k] <= exact.y[k] && exact.y[k] <= band.upper[k], "look {}", k + 1);
        }
        for (curve, method) in chart.methods.iter().zip(&report.methods) {
            assert_eq!(curve.curve.y[9], method.rate);
            assert!(curve.curve.y.windows(2).all(|w| w[1] >= w[0]));
        }
    }
}
