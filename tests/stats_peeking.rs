//! Calibration of the peeking Monte Carlo and of every monitoring method.
//!
//! Each check uses the report's own 95 % Clopper–Pearson Monte Carlo interval:
//! valid methods must contain α (group-sequential) or not exceed it (always-valid
//! methods are conservative at finitely many looks); invalid ones must exceed it
//! clearly. Seeds are fixed, so the outcomes are reproducible.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use journeylab::api::stats::Method;
use journeylab::api::stats::Sides;
use journeylab::api::stats::{
    BoundaryFamily, Design, DesignSpec, SpendingFunction, equal_fractions, repeated_test_size,
};
use journeylab::api::stats::{Control, Increments, PeekConfig, PeekReport, simulate};
use journeylab::api::stats::{Effect, Errors, proportions_per_arm};

const ALPHA: f64 = 0.05;

fn config(looks: usize, sims: u64, lift: f64, users_per_look: u64, increments: Increments) -> PeekConfig {
    PeekConfig { looks, sims, alpha: ALPHA, baseline: 0.1, lift, users_per_look, seed: 20_240_601, increments }
}

fn run(config: &PeekConfig, methods: &[Method]) -> PeekReport {
    simulate(config, methods, Control::default()).expect("valid run")
}

fn gst(function: SpendingFunction) -> Method {
    Method::GroupSequential { family: BoundaryFamily::Spending { function } }
}

fn all_methods() -> Vec<Method> {
    vec![
        Method::Naive,
        gst(SpendingFunction::ObrienFleming),
        gst(SpendingFunction::Pocock),
        Method::GroupSequential { family: BoundaryFamily::ClassicPocock },
        Method::Msprt { tau2: None },
        Method::ConfidenceSequence { rho: None },
        Method::Bayes { threshold: 0.95 },
    ]
}

#[test]
fn naive_peeking_rate_matches_the_exact_integration() {
    // The normal model is exact for the recursion, so the simulated rate of
    // |Z_k| ≥ 1.96 at 5 looks must agree with AMR's integral (≈ 0.142).
    let report = run(&config(5, 200_000, 0.0, 1000, Increments::Normal), &[Method::Naive]);
    let exact = repeated_test_size(&equal_fractions(5), &[1.959_963_985; 5]);
    let naive = &report.methods[0];
    assert!(naive.ci[0] <= exact && exact <= naive.ci[1], "rate {} ci {:?} exact {exact}", naive.rate, naive.ci);
}

#[test]
fn every_method_under_a_a_with_exact_binomial_counts() {
    let report = run(&config(5, 200_000, 0.0, 2000, Increments::Binomial), &all_methods());
    for method in &report.methods {
        let [lo, hi] = method.ci;
        match method.method.as_str() {
            "naive" => assert!(lo > 0.12, "naive peeking must clearly exceed α: {:?}", method.ci),
            m if m.starts_with("gst:") => assert!(lo <= ALPHA && ALPHA <= hi, "{m}: {} {:?}", method.rate, method.ci),
            m if m.starts_with("msprt") || m.starts_with("cs") => {
                assert!(lo <= ALPHA, "{m} must not exceed α: {:?}", method.ci)
            }
            m if m.starts_with("bayes") => {
                assert!(lo > 2.0 * ALPHA, "fixed-threshold Bayes peeks too: {:?}", method.ci)
            }
            other => panic!("unexpected method {other}"),
        }
        assert_eq!(method.wrong_sign, 0, "no sign under A/A");
        assert!(method.exaggeration.is_none());
    }
}

#[test]
fn always_valid_methods_hold_alpha_under_many_looks() {
    // 50 looks on the normal model: naive peeking exceeds 0.3, the always-valid ones stay below α.
    let methods = [Method::Naive, Method::Msprt { tau2: None }, Method::ConfidenceSequence { rho: None }];
    let report = run(&config(50, 100_000, 0.0, 500, Increments::Normal), &methods);
    assert!(report.methods[0].ci[0] > 0.3, "naive at 50 looks: {:?}", report.methods[0].ci);
    for method in &report.methods[1..] {
        assert!(method.ci[0] <= ALPHA, "{}: {:?}", method.method, method.ci);
    }
}

#[test]
fn group_sequential_power_matches_the_design() {
    // O'Brien–Fleming spending, 5 looks, 80 % power: choose users per look so the
    // expected final z equals the design drift θ, i.e. per-look drift θ/√5.
    let design = Design::new(DesignSpec {
        fractions: equal_fractions(5),
        family: BoundaryFamily::Spending { function: SpendingFunction::ObrienFleming },
        alpha: ALPHA,
        sides: Sides::Two,
        power: 0.8,
        futility: None,
    })
    .expect("valid");
    let (baseline, lift) = (0.1, 0.1);
    let treated: f64 = baseline * (1.0 + lift);
    let variance = baseline * (1.0 - baseline) + treated * (1.0 - treated);
    let per_look = ((design.drift / 5f64.sqrt()).powi(2) * variance / (treated - baseline).powi(2)).round() as u64;
    let report = run(&config(5, 100_000, lift, per_look, Increments::Normal), &[gst(SpendingFunction::ObrienFleming)]);
    let gst = &report.methods[0];
    // Power counts declarations of either sign; the wrong-sign share is ~1e-7 here.
    assert!(gst.ci[0] <= 0.8 && 0.8 <= gst.ci[1], "power {} ci {:?}", gst.rate, gst.ci);
    // Early stops overstate the effect (winner's curse).
    assert!(gst.exaggeration.expect("effect") > 1.0);
}

#[test]
fn fixed_horizon_power_matches_the_plan_with_binomial_counts() {
    let errors = Errors { alpha: ALPHA, power: 0.8, sides: Sides::Two };
    let n = proportions_per_arm(0.1, Effect::Relative(0.1), errors).expect("valid").ceil() as u64;
    let report = run(&config(1, 40_000, 0.1, n, Increments::Binomial), &[Method::Naive]);
    let test = &report.methods[0];
    assert!(test.ci[0] <= 0.8 && 0.8 <= test.ci[1], "power {} ci {:?} at n = {n}", test.rate, test.ci);
}

#[test]
fn same_seed_same_numbers_for_any_thread_count() {
    let config = config(8, 20_000, 0.05, 500, Increments::Binomial);
    let methods = all_methods();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool").install(|| run(&config, &methods));
    let three =
        rayon::ThreadPoolBuilder::new().num_threads(3).build().expect("pool").install(|| run(&config, &methods));
    assert_eq!(one, three);
    let other_seed = run(&PeekConfig { seed: 1, ..config.clone() }, &methods);
    assert_ne!(one.methods[0].declared, other_seed.methods[0].declared);
}

#[test]
fn progress_is_reported_and_cancel_stops_the_run() {
    let config = config(5, 50_000, 0.0, 100, Increments::Normal);
    let seen = AtomicU64::new(0);
    let progress = |p: journeylab::api::stats::PeekProgress| {
        seen.fetch_max(p.done, Ordering::Relaxed);
    };
    simulate(&config, &[Method::Naive], Control { cancel: None, progress: Some(&progress) }).expect("runs");
    assert_eq!(seen.load(Ordering::Relaxed), 50_000);
    let cancel = AtomicBool::new(true);
    let result = simulate(&config, &[Method::Naive], Control { cancel: Some(&cancel), progress: None });
    assert_eq!(result, Err(journeylab::api::stats::StatsError::Cancelled));
}
