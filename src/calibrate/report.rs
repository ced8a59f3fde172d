//! report.json (schema `journeylab.calibration/1`), report.md and the back-test's charts.

use std::fmt::Write as _;

use serde::Serialize;

use super::backtest::Backtest;
use super::cohort::Window;
use super::segments::SegmentFit;
use super::{Calibration, Fit};
use crate::chart::{BacktestChart, ChartError, Curve, ImageFormat, NamedCurve};
use crate::import::{Counts, Day};
use crate::numbers::thousands;

pub const SCHEMA: &str = "journeylab.calibration/1";

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Period {
    pub start: Day,
    pub end: Day,
}

/// report.json.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub events: Counts,
    /// Users first seen in the calibration period (the scenario's population).
    pub users: u64,
    pub calibration: Period,
    pub holdout: Period,
    pub segments: Vec<SegmentFit>,
    pub backtest: Backtest,
}

/// The scenario's header: how it was fitted.
pub fn scenario_note(fit: &Fit, window: &Window) -> String {
    format!(
        "Calibrated by `journeylab calibrate` on {} … {} (the holdout after it was never seen by the fit).\n\
         Segments: a Gaussian mixture over per-user features, the number chosen by BIC (at most 6).\n\
         Purchase propensity (and for an event export the churn hazard): simulated moments ({} moments, {} engine runs of {} users;\n\
         distance {:.1} from {:.1} at the start, the segments' own rates). Only the journey \"no messages\" is calibrated:\n\
         add your designs as further journeys.",
        window.start,
        window.calibration_end,
        fit.moments,
        fit.runs,
        fit.users_per_run,
        fit.distance,
        fit.start_distance
    )
}

/// report.md: the back-test in words and tables.
pub fn markdown(c: &Calibration) -> String {
    let r = &c.report;
    let b = &r.backtest;
    let mut t = String::new();
    let _ = writeln!(t, "# Calibration report\n");
    let e = r.events;
    let _ = writeln!(
        t,
        "Events read {}, used {}, rejected {}, duplicates {}. {} users first seen in the calibration period \
         {} … {}; holdout {} … {}.\n",
        thousands(e.read),
        thousands(e.used),
        thousands(e.rejected),
        thousands(e.duplicates),
        thousands(r.users),
        r.calibration.start,
        r.calibration.end,
        r.holdout.start,
        r.holdout.end
    );
    let h = b.holdout_repeat_purchases;
    let _ = writeln!(t, "## Holdout repeat purchases\n");
    let _ = writeln!(t, "| | purchase days | vs actual |\n|---|---:|---:|");
    let _ = writeln!(t, "| actual | {:.0} | |", h.actual);
    for (name, v) in [("simulated", h.simulated), ("BG/NBD", h.bgnbd)] {
        let _ = writeln!(t, "| {name} | {v:.0} | {:+.1} % |", 100.0 * (v / h.actual - 1.0));
    }
    let (sim_error, model_error) = c.extras.by_frequency_error;
    let _ = writeln!(t, "\n## Mean holdout purchases by calibration frequency\n");
    let _ = writeln!(
        t,
        "User-weighted mean absolute error over the groups: simulated {sim_error:.3}, BG/NBD {model_error:.3}.\n"
    );
    let _ = writeln!(t, "| frequency | customers | actual | simulated | BG/NBD |\n|---:|---:|---:|---:|---:|");
    for row in &b.by_frequency {
        let sim = row.simulated_mean.map_or("–".to_string(), |m| format!("{m:.3}"));
        let _ = writeln!(
            t,
            "| {} | {} | {:.3} | {sim} | {:.3} |",
            row.frequency, row.users, row.actual_mean, row.bgnbd_mean
        );
    }
    let rev = c.extras.revenue;
    let _ = writeln!(t, "\n## Holdout revenue\n");
    let _ = writeln!(
        t,
        "Actual {:.2}, simulated {:.2} ({:+.1} %), BG/NBD × the mean calibration repeat purchase value {:.2} ({:+.1} %).",
        rev.actual,
        rev.simulated,
        100.0 * (rev.simulated / rev.actual - 1.0),
        rev.bgnbd,
        100.0 * (rev.bgnbd / rev.actual - 1.0)
    );
    if !c.fit.customer_file {
        let (real_buyers, sim_buyers) = c.extras.buyers;
        let _ = writeln!(
            t,
            "\nUsers who bought by the calibration end: actual {:.1} %, simulated {:.1} % (revenue is scaled per user, the counts above per customer).",
            100.0 * real_buyers,
            100.0 * sim_buyers
        );
    }
    let f = &c.fit;
    let p = c.bgnbd.params();
    let _ = writeln!(t, "\n## The fit\n");
    let _ = writeln!(
        t,
        "- BG/NBD (days): r {:.4}, α {:.3}, a {:.4}, b {:.4} on {} customers.",
        p.r, p.alpha, p.a, p.b, c.bgnbd.customers
    );
    if let Some(a) = &c.activity {
        let q = a.activity;
        let _ = writeln!(
            t,
            "- Active days as a Pareto/NBD (days; the first-seen day as the first): r {:.4}, α {:.3}, s {:.4}, β {:.2} — \
             a mean lifetime hazard of {:.5} a day; purchase days among active days Beta({:.4}, {:.4}), mean {:.4}.",
            q.r,
            q.alpha,
            q.s,
            q.beta,
            q.s / q.beta,
            a.share.0,
            a.share.1,
            a.share.0 / (a.share.0 + a.share.1)
        );
    }
    let _ = writeln!(
        t,
        "- Simulated moments: {} moments; {} engine runs of {} users; distance {:.1} (start {:.1}). \
         Purchase-rate scale {:.3}; {}{}.",
        f.moments,
        f.runs,
        f.users_per_run,
        f.distance,
        f.start_distance,
        f.rate_scale,
        if f.customer_file {
            "dropout after a repeat purchase: the segments' BG/NBD posteriors (not searched)".to_string()
        } else {
            format!("churn hazard × {:.3} the segments' dropout rates", f.churn_scale)
        },
        f.visit_scale.map_or(String::new(), |v| format!("; visit scale {v:.3}"))
    );
    let _ = writeln!(
        t,
        "- {}: the back-test simulates {} users, {} of them customers by the calibration end, scaled to the real count.",
        if f.customer_file { "A customer file (every user's first day has a purchase)" } else { "An event export" },
        f.backtest_users,
        c.extras.simulated_customers
    );
    let _ = writeln!(t, "\n## Segments\n");
    let _ = writeln!(
        t,
        "| segment | share | users | purchase days | repeat | rate a day |\n|---|---:|---:|---:|---:|---:|"
    );
    for s in &r.segments {
        let _ = writeln!(
            t,
            "| {} | {:.3} | {} | {:.2} | {:.2} | {:.5} |",
            s.name, s.share, s.users, s.mean_purchase_days, s.mean_frequency, s.purchase_rate
        );
    }
    let _ = writeln!(t, "\nCharts: tracking, by-frequency, activity (SVG and PNG). The method: docs/calibration.md.");
    t
}

/// The back-test's charts: (file stem, chart).
pub fn charts(c: &Calibration) -> Vec<(&'static str, BacktestChart)> {
    let b = &c.report.backtest;
    let curve = |x: Vec<f64>, y: Vec<f64>| Curve { x, y, band: None };
    let named = |name: &str, curve: Curve| NamedCurve { name: name.to_string(), curve };
    let weeks: Vec<f64> = b.tracking.iter().map(|r| f64::from(r.week)).collect();
    let holdout_week = f64::from((c.report.holdout.start.0 - c.report.calibration.start.0) as u32) / 7.0;
    let marker = Some((holdout_week, "holdout".to_string()));
    let tracking = BacktestChart {
        title: "Cumulative repeat purchases by week".into(),
        x_label: "week".into(),
        y_label: "repeat purchase days (cumulative)".into(),
        lines: vec![
            named("actual", curve(weeks.clone(), b.tracking.iter().map(|r| r.actual).collect())),
            named("simulated", curve(weeks.clone(), b.tracking.iter().map(|r| r.simulated).collect())),
            named("BG/NBD", curve(weeks.clone(), b.tracking.iter().map(|r| r.bgnbd).collect())),
        ],
        marker: marker.clone(),
    };
    let groups: Vec<f64> = (0..b.by_frequency.len()).map(|g| g as f64).collect();
    let by_frequency = BacktestChart {
        title: "Holdout purchases by calibration frequency".into(),
        x_label: "repeat purchase days in calibration (7 = 7 or more)".into(),
        y_label: "mean purchase days in the holdout".into(),
        lines: vec![
            named("actual", curve(groups.clone(), b.by_frequency.iter().map(|r| r.actual_mean).collect())),
            named(
                "simulated",
                curve(groups.clone(), b.by_frequency.iter().map(|r| r.simulated_mean.unwrap_or(f64::NAN)).collect()),
            ),
            named("BG/NBD", curve(groups, b.by_frequency.iter().map(|r| r.bgnbd_mean).collect())),
        ],
        marker: None,
    };
    let activity = BacktestChart {
        title: "Active users by week".into(),
        x_label: "week".into(),
        y_label: "users active in the week".into(),
        lines: vec![
            named("actual", curve(weeks.clone(), c.extras.activity.iter().map(|a| a.0).collect())),
            named("simulated", curve(weeks, c.extras.activity.iter().map(|a| a.1).collect())),
        ],
        marker,
    };
    vec![("tracking", tracking), ("by-frequency", by_frequency), ("activity", activity)]
}

/// Draws one chart.
pub fn draw(chart: &BacktestChart, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    crate::chart::backtest(chart, format)
}
