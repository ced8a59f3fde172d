//! The typical-app defaults stay inside the published bands they were
//! calibrated to (docs/model.md): Adjust 2022–23 global medians D1 ≈ 25 %,
//! D7 ≈ 10–12 %, D30 ≈ 6 % activity retention; Baymard's ≈ 70 % cart
//! abandonment. The bands are the published ranges (widened by the spread
//! between verticals), not Monte Carlo tolerances: at 40,000 users the Monte
//! Carlo sd of D30 is ≈ 0.1 percentage points, far inside them.

mod common;

use journeylab::api::{self, RunConfig};

const DEFAULTS_ONLY: &str = r#"
[simulation]
name = "typical app, no journey"
users = 40_000
horizon_days = 45

[[journey]]
name = "none"

[[journey.node]]
id = "signup"
type = "trigger"
event = "signup"
next = "end"

[[journey.node]]
id = "end"
type = "exit"
"#;

#[test]
fn typical_app_defaults_match_published_retention_and_abandonment() {
    let scenario = api::check_scenario(DEFAULTS_ONLY).expect("valid");
    let results = common::run_with(&scenario, RunConfig::default());
    let s = &results.journeys[0].summary;
    let within = |name: &str, value: Option<f64>, low: f64, high: f64| {
        let v = value.unwrap_or(f64::NAN);
        assert!((low..=high).contains(&v), "{name} = {v:.4}, expected within [{low}, {high}]");
    };
    within("D1 retention", s.retention_d1, 0.22, 0.28);
    within("D7 retention", s.retention_d7, 0.09, 0.14);
    within("D30 retention", s.retention_d30, 0.045, 0.075);
    let series = &results.journeys[0].series;
    let abandoned: u64 = series.carts_abandoned.iter().sum();
    let bought: u64 = series.conversions.iter().sum();
    within("cart abandonment", Some(abandoned as f64 / (abandoned + bought) as f64), 0.6, 0.8);
}
