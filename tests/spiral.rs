//! The discount spiral comes out of the behaviour model's mechanics (reference
//! prices, deal-proneness, learned discount expectations): a weekly site-wide
//! sale, sent by channel priority so that no blast annoyance enters, sells more
//! than no journey in its first weeks, then ends with lower margin than a
//! behavioural journey (which sells about as much early, at full price),
//! and customers *learn* to wait: full-price purchases per active user fall
//! week after week against no journey. Nothing in the engine knows which
//! scenario runs.
//!
//! Method as in tests/lessons.rs: R = 8 replicates, the paired difference
//! between the two designs in each (common random numbers), and a one-sided
//! t test: mean > t(7, 0.999) · sd / √R with t(7, 0.999) = 4.785 (NIST/SEMATECH
//! e-Handbook 1.3.6.7.2).

mod common;

use journeylab::api::JourneyResults;
use journeylab::api::RunConfig;

const REPLICATES: u64 = 8;
const T_CRITICAL_7DF_999: f64 = 4.785;
/// Twice the scenario's own users: the early revenue lift is small (about +0.017 per user over
/// two weeks with the resumed-checkout multiplier at 1.5) and 20,000 users left it at t ≈ 4.6.
const USERS: u32 = 40_000;

fn assert_beyond_error(what: &str, diffs: &[f64]) {
    let n = diffs.len() as f64;
    let mean = diffs.iter().sum::<f64>() / n;
    let sd = (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let margin = T_CRITICAL_7DF_999 * sd / n.sqrt();
    assert!(mean > margin, "{what}: mean difference {mean:.6} within Monte Carlo margin {margin:.6} ({diffs:?})");
}

/// Revenue per user over the first two weeks (calendar days 0–13). The lift is short: by
/// week 4 the sale sells less than the journey every week (the spiral), so a longer window
/// would mix the lift with the loss.
fn early_revenue(j: &JourneyResults) -> f64 {
    j.series.revenue[..14].iter().sum::<f64>() / j.summary.users as f64
}

/// Full-price purchases per active user-day in week `w` (calendar days 7w … 7w + 6).
fn full_price_per_active(j: &JourneyResults, w: usize) -> f64 {
    let week = 7 * w..7 * w + 7;
    let full: u64 = j.series.full_price_purchases[week.clone()].iter().sum();
    let active: u64 = j.series.active_users[week].iter().sum();
    full as f64 / active.max(1) as f64
}

/// How much of the no-journey full-price buying the sale keeps in weeks `weeks` (per active user).
fn full_price_kept(sale: &JourneyResults, none: &JourneyResults, weeks: std::ops::Range<usize>) -> f64 {
    let n = weeks.len() as f64;
    weeks.map(|w| full_price_per_active(sale, w) / full_price_per_active(none, w)).sum::<f64>() / n
}

#[test]
fn weekly_sales_lift_early_revenue_then_cost_margin_and_teach_customers_to_wait() {
    let scenario = common::load("discount_spiral.toml");
    let mut diffs: [Vec<f64>; 3] = Default::default();
    for replicate in 0..REPLICATES {
        let r = common::run_with(&scenario, RunConfig { users: Some(USERS), replicate, ..RunConfig::default() });
        let journey = |name: &str| r.journeys.iter().find(|j| j.name == name).expect("journey");
        let (sale, value, none) = (journey("weekly sale"), journey("behavioural journey"), journey("no journey"));
        diffs[0].push(early_revenue(sale) - early_revenue(none));
        diffs[1].push(value.summary.gross_margin_per_user - sale.summary.gross_margin_per_user);
        // The learning: against no journey, the sale keeps less full-price buying in the last eight weeks
        // (days 119–174) than in weeks 1–4 (days 7–34).
        let weeks = scenario.simulation.horizon_days as usize / 7;
        diffs[2].push(full_price_kept(sale, none, 1..5) - full_price_kept(sale, none, weeks - 8..weeks));
    }
    assert_beyond_error("first two weeks' revenue per user: weekly sale − no journey", &diffs[0]);
    assert_beyond_error("gross margin per user over 180 days: behavioural − weekly sale", &diffs[1]);
    assert_beyond_error("full-price buying kept against no journey: weeks 1–4 − last eight weeks", &diffs[2]);
}
