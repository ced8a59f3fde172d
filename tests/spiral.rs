//! The discount spiral comes out of the behaviour model's mechanics (reference
//! prices, deal-proneness, learned discount expectations, fatigue): a weekly
//! site-wide sale sells more in its first weeks, then ends with lower margin,
//! a lower full-price share and lower projected retention than a behavioural
//! journey. Nothing in the engine knows which scenario runs.
//!
//! Method as in tests/lessons.rs: R = 8 replicates, the paired difference
//! between the two designs in each (common random numbers), and a one-sided
//! t test: mean > t(7, 0.999) · sd / √R with t(7, 0.999) = 4.785 (NIST/SEMATECH
//! e-Handbook 1.3.6.7.2).

mod common;

use journeylab::api::RunConfig;
use journeylab::engine::JourneyResults;
use journeylab::predict::sbg;

const REPLICATES: u64 = 8;
const T_CRITICAL_7DF_999: f64 = 4.785;
const USERS: u32 = 20_000;

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

/// Share still active 365 days after arrival, projected by the sBG fitted to the simulated risk sets.
fn projected_year(j: &JourneyResults) -> f64 {
    let fit = sbg::fit(&sbg::Cohort::from_retention(&j.retention).expect("risk sets")).expect("the sBG fits");
    fit.survival(365.0)
}

#[test]
fn weekly_sales_lift_early_revenue_then_cost_margin_full_price_buying_and_retention() {
    let scenario = common::load("discount_spiral.toml");
    let mut diffs: [Vec<f64>; 4] = Default::default();
    for replicate in 0..REPLICATES {
        let r = common::run_with(&scenario, RunConfig { users: Some(USERS), replicate, ..RunConfig::default() });
        let journey = |name: &str| r.journeys.iter().find(|j| j.name == name).expect("journey");
        let (sale, value) = (journey("weekly sale"), journey("behavioural journey"));
        diffs[0].push(early_revenue(sale) - early_revenue(value));
        diffs[1].push(value.summary.gross_margin_per_user - sale.summary.gross_margin_per_user);
        let share = |j: &JourneyResults| j.summary.full_price_share.expect("purchases");
        diffs[2].push(share(value) - share(sale));
        diffs[3].push(projected_year(value) - projected_year(sale));
    }
    assert_beyond_error("first two weeks' revenue per user: weekly sale − behavioural", &diffs[0]);
    assert_beyond_error("gross margin per user over 180 days: behavioural − weekly sale", &diffs[1]);
    assert_beyond_error("full-price share: behavioural − weekly sale", &diffs[2]);
    assert_beyond_error("projected 12-month retention: behavioural − weekly sale", &diffs[3]);
}
