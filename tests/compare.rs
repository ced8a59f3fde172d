//! Compare designs through the API: a typed report the CLI and the app both show.

use std::sync::atomic::{AtomicBool, Ordering};

use journeylab::api::{self, Better, COMPARE_CHARTS, CompareConfig, CompareError, ImageFormat, RunError, Winner};

fn spiral() -> api::Scenario {
    let text = api::examples().iter().find(|e| e.id == "discount_spiral").expect("example").text;
    api::check_scenario(text).expect("valid")
}

#[test]
fn a_comparison_reports_every_journey_with_intervals_winners_and_charts() {
    let scenario = spiral();
    let config = CompareConfig { replications: 3, users: Some(1500), ..CompareConfig::default() };
    let done = std::sync::Mutex::new(Vec::new());
    let report = api::compare(&scenario, &config, &|p| done.lock().expect("lock").push(p), &AtomicBool::new(false))
        .expect("compare");
    assert_eq!(report.journeys.len(), scenario.journeys.len());
    assert_eq!((report.users, report.days, report.replications), (1500, 180, 3));
    let progress = done.into_inner().expect("progress");
    let last = progress.last().expect("progress reported");
    assert_eq!(last.users_done, last.users_total, "progress ends at 100 %");
    assert!(progress.windows(2).all(|w| w[0].users_total == w[1].users_total), "one total for the whole comparison");
    let ids = ["retention_d30", "retention_d90", "survival_d30", "survival_d90", "survival_12m", "net_margin_per_user"];
    for id in ids.into_iter().chain(["full_price_share"]) {
        let m = report.metrics.iter().find(|m| m.id == id).unwrap_or_else(|| panic!("no {id}"));
        assert_eq!(m.better, Better::Higher);
        for p in m.values.iter().flatten() {
            assert!(p.lower <= p.value && p.value <= p.upper, "{id}: {p:?}");
        }
        assert!(m.values.iter().all(Option::is_some), "{id} for every journey");
        // The paired difference from the baseline (the first journey): none for the baseline itself, and its
        // mean is the difference of the means (same replicates); its interval brackets it.
        assert_eq!(m.vs_baseline[0], None, "{id}");
        for (value, diff) in m.values.iter().zip(&m.vs_baseline).skip(1) {
            let (value, diff, base) = (value.expect("value"), diff.expect("difference"), m.values[0].expect("base"));
            assert!((diff.value - (value.value - base.value)).abs() < 1e-9, "{id}: {diff:?}");
            assert!(diff.lower <= diff.value && diff.value <= diff.upper, "{id}: {diff:?}");
        }
    }
    let metric = |id: &str| report.metrics.iter().find(|m| m.id == id).unwrap_or_else(|| panic!("no {id}"));
    let (d30, d90, m12) = (metric("survival_d30"), metric("survival_d90"), metric("survival_12m"));
    for ((a, b), c) in d30.values.iter().zip(&d90.values).zip(&m12.values) {
        let (a, b, c) = (a.expect("d30"), b.expect("d90"), c.expect("12m"));
        assert!(b.value <= a.value && c.value <= b.value + 1e-9, "survival cannot rise: {a:?} → {b:?} → {c:?}");
    }
    // Activity on a day is below survival to it: an active user is not lost for good.
    for (active, alive) in metric("retention_d30").values.iter().zip(&d30.values) {
        assert!(active.expect("active").value <= alive.expect("alive").value, "{active:?} vs {alive:?}");
    }
    let messages = report.metrics.iter().find(|m| m.id == "messages_per_user").expect("fatigue");
    assert_eq!(messages.better, Better::Lower);
    assert!(!matches!(messages.winner, Winner::None));
    // The projection runs from the horizon to 12 months for every journey.
    for s in &report.charts.retention.strategies {
        let p = s.projected.as_ref().expect("projection");
        assert_eq!((p.x.first().copied(), p.x.last().copied()), (Some(180.0), Some(364.0)));
    }
    for id in COMPARE_CHARTS {
        let svg = api::compare_chart(&report, id, ImageFormat::Svg).expect("chart exists").expect("drawn");
        assert!(String::from_utf8(svg).expect("utf8").starts_with("<svg"), "{id}");
    }
    assert!(api::compare_chart(&report, "nope", ImageFormat::Svg).is_none());
    assert!(report.projection_checks.is_empty() && report.purchase_checks.is_empty(), "checks are opt-in");
}

#[test]
fn the_same_seed_gives_the_same_report_and_cancel_stops_it() {
    let scenario = spiral();
    let config = CompareConfig { replications: 2, users: Some(400), ..CompareConfig::default() };
    let run = || api::compare(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("compare");
    assert_eq!(run(), run());
    let cancel = AtomicBool::new(false);
    let cancelled = api::compare(&scenario, &config, &|_| cancel.store(true, Ordering::Relaxed), &cancel);
    assert_eq!(cancelled, Err(CompareError::Run(RunError::Cancelled)));
}

/// Journeys whose 12-month projection disagrees with the 365-day simulation beyond their joint error
/// (issue 11, point 7), measured with each scenario's own users and seed: all low, by 8–16 %.
/// docs/predict.md ("against a longer run") gives the figures and the diagnosis: past the window the
/// simulated survival's power-law exponent drops to the shape of the population's churn heterogeneity
/// (0.44–0.46 against 0.49–0.56 inside it), which nothing in the window shows, and the blast's excess
/// hazard fades after the horizon as users opt out of channels.
const KNOWN_MISSES: [(&str, &str); 3] =
    [("blast_vs_priority", "blast"), ("send_time", "fixed 9am UTC"), ("send_time", "best hour, quiet hours")];

#[test]
fn the_twelve_month_projection_holds_against_a_longer_simulation() {
    // Every ready-made scenario as `compare` checks it: one run of its own users to 365 days; the
    // retention model fitted to the first `horizon_days` of that run must agree with the run's
    // Kaplan–Meier share at the oldest observed age within their joint error (`ProjectionCheck::holds`).
    // Every journey not listed in KNOWN_MISSES must hold.
    let mut failures = Vec::new();
    for example in api::examples() {
        let scenario = api::check_scenario(example.text).expect("valid");
        let config = api::RunConfig { days: Some(365), ..api::RunConfig::default() };
        let long = api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("run");
        let checks = api::projection_checks(&long, scenario.simulation.horizon_days as usize);
        assert_eq!(checks.len(), long.journeys.len(), "{}: every journey is fitted", example.id);
        for c in checks {
            assert!(c.age_days >= 360, "{} / {}: a year out, not {}", example.id, c.journey, c.age_days);
            if !c.holds() && !KNOWN_MISSES.contains(&(example.id, c.journey.as_str())) {
                failures.push(format!("{} / {}: {c:?}", example.id, c.journey));
            }
        }
    }
    assert!(failures.is_empty(), "the projection and the longer run disagree:\n{}", failures.join("\n"));
}
