//! An experiment replayed day by day: the sequential-monitor chart through any
//! look, drawn from one report (the CLI draws the whole of it, the app every day).

use super::ExperimentReport;
use crate::chart::SequentialMonitor;

/// Two-sided 0.05 critical value: the naive test's line on the chart.
const NAIVE_CRITICAL: f64 = 1.959_963_984_540_054;

/// The monitor chart of `report` with the observed statistic drawn through `through` looks
/// (`None`: all). Only looks with a boundary are drawn (naive and group-sequential methods
/// have one at every look; mSPRT and confidence sequences have none, so `None` is returned).
pub fn monitor_chart(report: &ExperimentReport, through: Option<usize>) -> Option<SequentialMonitor> {
    let looks: Vec<_> = report.looks.iter().filter(|l| l.boundary.is_some()).collect();
    if looks.is_empty() {
        return None;
    }
    let se = |l: &super::LookReport| {
        (l.rates[0] * (1.0 - l.rates[0]) / l.users[0] as f64 + l.rates[1] * (1.0 - l.rates[1]) / l.users[1] as f64)
            .sqrt()
    };
    let index_of = |day: Option<u32>| day.and_then(|d| looks.iter().position(|l| l.day == d));
    Some(SequentialMonitor {
        title: format!("{} vs {}: {}", report.arms[1], report.arms[0], report.method),
        x_label: "day of the experiment".into(),
        // For money metrics the statistic is Welch's t (the boundaries are on the same scale).
        looks: looks.iter().map(|l| f64::from(l.day)).collect(),
        statistic: looks.iter().map(|l| l.z).collect(),
        upper_boundary: looks.iter().filter_map(|l| l.boundary).collect(),
        // Every method here is two-sided: the lower boundary mirrors the upper one.
        lower_boundary: Some(looks.iter().filter_map(|l| l.boundary.map(|b| -b)).collect()),
        naive_critical: NAIVE_CRITICAL,
        // The z the true effect would give needs the look's standard error: known from the rates for
        // proportions; for money the per-look sd is not in the report, so the line is left out.
        expected_at_true_effect: report
            .metric
            .is_binary()
            .then(|| looks.iter().map(|l| report.truth.effect / se(l).max(1e-12)).collect()),
        through: through.map(|t| t.clamp(1, looks.len())),
        valid_look: index_of(report.valid_day),
        naive_stop_look: index_of(report.naive_first_significant_day),
    })
}
