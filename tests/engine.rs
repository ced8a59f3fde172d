//! The engine on the ready-made scenarios: determinism, accounting
//! invariants, bounded memory, cancellation.

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use common::{load, run_with};
use journeylab::api::{self, RunConfig, RunError};

#[test]
fn every_simulation_loads_validates_and_runs() {
    let mut count = 0;
    for entry in std::fs::read_dir(common::simulations()).expect("simulations/ exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let scenario = api::load_scenario(&path).unwrap_or_else(|e| panic!("{e}"));
            let results = run_with(&scenario, RunConfig { users: Some(2_000), ..RunConfig::default() });
            assert_eq!(results.journeys.len(), scenario.journeys.len(), "{}", path.display());
            assert!(results.journeys.iter().all(|j| j.summary.users == 2_000));
            count += 1;
        }
    }
    assert!(count >= 4, "at least four ready-made scenarios, found {count}");
}

#[test]
fn same_seed_gives_byte_identical_json_for_any_thread_count() {
    // churn_prevention has a score branch, so its run also builds the scores' reference from a parallel pilot.
    for name in ["cart_abandonment.toml", "churn_prevention.toml"] {
        let scenario = load(name);
        let json = |threads| {
            let config =
                RunConfig { users: Some(3_000), days: Some(30), threads: Some(threads), ..RunConfig::default() };
            serde_json::to_string(&run_with(&scenario, config)).expect("results serialise")
        };
        let one = json(1);
        assert_eq!(one, json(2), "{name}");
        assert_eq!(one, json(8), "{name}");
        let other_seed = run_with(
            &scenario,
            RunConfig { users: Some(3_000), days: Some(30), seed: Some(7), ..RunConfig::default() },
        );
        assert_ne!(one, serde_json::to_string(&other_seed).expect("results serialise"), "{name}: the seed must matter");
    }
}

#[test]
fn accounting_invariants_hold_on_every_scenario() {
    for name in ["cart_abandonment.toml", "blast_vs_priority.toml", "send_time.toml", "churn_prevention.toml"] {
        let scenario = load(name);
        let results = run_with(&scenario, RunConfig { users: Some(4_000), ..RunConfig::default() });
        for (journey, design) in results.journeys.iter().zip(&scenario.journeys) {
            let s = &journey.series;
            let context = format!("{name} / {}", journey.name);
            // Kaplan–Meier retention never rises.
            assert!(journey.retention.retained.windows(2).all(|w| w[1] <= w[0]), "{context}: retained rose");
            // Gross margin = revenue − list value × (1 − margin), list value = revenue + discounts, whatever the
            // discount (to a micro-unit per purchase): a discount deeper than the margin is a loss, not zero.
            let purchases: u64 = s.conversions.iter().sum();
            let revenue: f64 = s.revenue.iter().sum();
            let list = revenue + s.discount_cost.iter().sum::<f64>();
            let gross: f64 = s.gross_margin.iter().sum();
            let expected = revenue - list * (1.0 - scenario.economics.margin);
            assert!((gross - expected).abs() <= 2e-6 * purchases as f64 + 1e-6, "{context}: {gross} vs {expected}");
            assert_eq!(
                purchases,
                s.full_price_purchases.iter().sum::<u64>() + s.discounted_purchases.iter().sum::<u64>(),
                "{context}"
            );
            // Every message is counted on exactly one channel: channel totals equal node totals.
            let by_channel: u64 = journey.channels.iter().map(|c| c.sent).sum();
            let by_node: u64 = journey.nodes.iter().map(|n| n.sent).sum();
            let by_day: u64 =
                [&s.sent_push, &s.sent_in_app, &s.sent_email, &s.sent_sms].iter().flat_map(|v| v.iter()).sum();
            assert_eq!(by_channel, by_node, "{context}");
            assert_eq!(by_channel, by_day, "{context}");
            // Nobody is lost twice, and nobody is alive before arriving.
            assert!(s.alive.iter().zip(&s.arrived).all(|(alive, _)| *alive <= 4_000), "{context}");
            assert_eq!(s.arrived.iter().sum::<u64>(), 4_000, "{context}: every user arrives within the horizon");
            assert!(s.uninstalls.iter().zip(&s.churned).all(|(u, c)| u <= c), "{context}: uninstalls are losses");
            assert_eq!(journey.nodes.len(), design.nodes().len(), "{context}");
            // An order is credited to at most one opened message, and each open credits at most one order.
            let attributed: u64 = journey.nodes.iter().map(|n| n.attributed).sum();
            assert!(attributed <= purchases, "{context}: {attributed} attributed of {purchases} orders");
            assert!(journey.nodes.iter().all(|n| n.attributed <= n.opened), "{context}: more credited than opened");
        }
    }
}

/// Cancellation by what happens, not by a clock: the flag, set from the report of the first
/// finished chunk, is seen between users, so each other worker finishes at most the chunk it
/// had already passed its last check in, and the run ends with no result.
#[test]
fn cancelling_stops_the_run_between_users_with_no_result() {
    const THREADS: usize = 2;
    let scenario = load("cart_abandonment.toml");
    let cancel = AtomicBool::new(false);
    let finished_after = AtomicU64::new(0);
    let config = RunConfig { users: Some(5_000_000), threads: Some(THREADS), ..RunConfig::default() };
    let on_chunk = |_| {
        if cancel.swap(true, Ordering::Relaxed) {
            finished_after.fetch_add(1, Ordering::Relaxed);
        }
    };
    let outcome = api::run(&scenario, &config, &on_chunk, &cancel);
    assert_eq!(outcome, Err(RunError::Cancelled));
    let finished_after = finished_after.into_inner();
    assert!(finished_after < THREADS as u64, "{finished_after} chunks finished after the cancel");
}

#[test]
fn progress_reaches_the_total() {
    let scenario = load("send_time.toml");
    let seen = std::sync::Mutex::new(0u64);
    let config = RunConfig { users: Some(3_000), days: Some(10), ..RunConfig::default() };
    api::run(
        &scenario,
        &config,
        &|p| {
            let mut max = seen.lock().expect("not poisoned");
            *max = (*max).max(p.users_done);
            assert_eq!(p.users_total, 3_000);
        },
        &AtomicBool::new(false),
    )
    .expect("runs");
    assert_eq!(*seen.lock().expect("not poisoned"), 3_000);
}

#[test]
fn purchase_histories_are_consistent_and_thread_independent() {
    let scenario = load("cart_abandonment.toml");
    let histories = |threads| {
        let config = RunConfig { days: Some(40), threads: Some(threads), ..RunConfig::default() };
        api::purchase_histories(&scenario, &config, 1, 3_000, 30, &AtomicBool::new(false)).expect("runs")
    };
    let one = histories(1);
    assert_eq!(one, histories(2));
    assert_eq!(one.len(), 3_000);
    assert!(one.iter().any(|h| h.count > 1) && one.iter().any(|h| h.later > 0));
    for h in &one {
        assert_eq!(h.end, 30 * 24);
        assert_eq!(h.first.is_some(), h.count > 0);
        assert!(h.first <= h.last && h.last.is_none_or(|t| t < h.end));
    }
}

/// A discount deeper than the margin sells at a loss: 50 % off at 35 % margin books 50 × (0.5 − 0.65) = −7.5
/// per order (it was once booked as 0).
#[test]
fn a_discount_deeper_than_the_margin_books_a_loss() {
    let text = std::fs::read_to_string(common::simulations().join("discount_spiral.toml")).expect("readable");
    assert!(text.contains("depth = 0.3\n"), "the spiral's sale is 30 % off");
    let text = text
        .replace("depth = 0.3\n", "depth = 0.5\n")
        .replace("order_value = 40.0\n", "order_value = 50\ncustomer_spread = 0\norder_spread = 0\n");
    let scenario = api::check_scenario(&text).expect("valid");
    let results = run_with(&scenario, RunConfig { users: Some(3_000), ..RunConfig::default() });
    let mut saw_discounts = false;
    for journey in &results.journeys {
        let s = &journey.series;
        let full: u64 = s.full_price_purchases.iter().sum();
        let discounted: u64 = s.discounted_purchases.iter().sum();
        saw_discounts |= discounted > 0;
        let gross: f64 = s.gross_margin.iter().sum();
        let expected = full as f64 * 17.5 - discounted as f64 * 7.5;
        assert!(
            (gross - expected).abs() < 1e-6 * (full + discounted) as f64 + 1e-6,
            "{}: {gross} vs {expected}",
            journey.name
        );
    }
    assert!(saw_discounts, "the scenario must sell at a discount for this test to mean anything");
}
