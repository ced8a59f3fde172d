//! Tests against a margin (non-inferiority, superiority by a margin): sample
//! sizes against Chow, Shao & Wang's worked examples, the test statistic
//! against mpmath (30 digits), and the per-look analysis.

use journeylab::api::stats::Method;
use journeylab::api::stats::{
    ArmCounts, ArmSummary, Margin, two_proportion_margin_test, two_proportion_z_test, welch_margin_test,
};
use journeylab::api::stats::{Decision, LookCounts, analyze};
use journeylab::api::stats::{Effect, means_margin_per_arm, proportions_margin_per_arm};
use journeylab::api::stats::{Sides, StatsError};

/// statrs' normal quantile and tail are accurate to ~1e-10 relative.
const CLOSED_FORM: f64 = 1e-8;

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!((got - want).abs() <= tolerance * want.abs().max(1.0), "{what}: got {got}, want {want}");
}

#[test]
fn non_inferiority_sample_size_for_proportions_matches_chow_shao_wang() {
    // Chow, Shao & Wang (2008), Sample Size Calculations in Clinical Research, 2nd ed.,
    // §4.2 (two-sample parallel design, non-inferiority): control 65 %, test 85 %,
    // margin δ = −0.10, one-sided α = 0.05, power 80 % → n = 25 per arm (also the R code
    // of powerandsamplesize.com's "2-Sample Non-Inferiority or Superiority" page,
    // `ceiling(nB) # 25`). mpmath with exact quantiles: 24.38675352630020.
    let n =
        proportions_margin_per_arm(0.65, Effect::Absolute(0.20), Margin::Absolute(-0.10), 0.05, 0.8).expect("valid");
    assert_eq!(n.ceil() as u64, 25);
    close(n, 24.386_753_526_300_2, CLOSED_FORM, "n");
    // A relative margin is the same test with δ = margin × baseline: −0.10 = −0.153846… × 0.65.
    let relative = proportions_margin_per_arm(0.65, Effect::Absolute(0.20), Margin::Relative(-0.10 / 0.65), 0.05, 0.8)
        .expect("valid");
    close(relative, n, CLOSED_FORM, "relative margin");
    // No power is possible when the true lift sits at or below the null boundary.
    assert!(proportions_margin_per_arm(0.65, Effect::Absolute(-0.10), Margin::Absolute(-0.10), 0.05, 0.8).is_err());
}

#[test]
fn non_inferiority_sample_size_for_means_matches_chow_shao_wang() {
    // Chow, Shao & Wang (2008) §3.2 (two-sample parallel design, non-inferiority
    // example, as on the CUHK CCRB calculator page citing it): σ = 0.10, margin
    // δ = −0.05, true difference 0, α = 0.05, power 80 % → n = 50 per arm
    // (the book rounds z to 1.64 and 0.84: 49.2 → 50). mpmath, exact quantiles: 49.46045785615816.
    let n = means_margin_per_arm(0.10, 0.0, -0.05, 0.05, 0.8).expect("valid");
    assert_eq!(n.ceil() as u64, 50);
    close(n, 49.460_457_856_158_16, CLOSED_FORM, "n");
}

#[test]
fn margin_test_is_the_unpooled_wald_z_shifted_by_the_margin() {
    // A 400/1000, B 390/1000. mpmath: z = (−0.01 + 0.05)/√(0.4·0.6/1000 + 0.39·0.61/1000)
    // = 1.829748821316929, p = 0.03364375342752771; relative margin −10 %:
    // z = (0.39/0.4 − 1 + 0.1)/SE_delta = 1.389648613871652, p = 0.08231780294490481.
    let a = ArmCounts { users: 1000, conversions: 400 };
    let b = ArmCounts { users: 1000, conversions: 390 };
    let test = two_proportion_margin_test(a, b, 0.05, Margin::Absolute(-0.05)).expect("valid");
    close(test.statistic, 1.829_748_821_316_929, CLOSED_FORM, "z");
    close(test.p_value, 0.033_643_753_427_527_71, CLOSED_FORM, "p");
    assert_eq!((test.sides, test.test_se), (Sides::One, "unpooled (Wald)"));
    // Duality: rejection at α is exactly "the one-sided lower bound is above the margin".
    for margin in [-0.05, -0.03, -0.02, -0.01, 0.0] {
        let t = two_proportion_margin_test(a, b, 0.05, Margin::Absolute(margin)).expect("valid");
        assert_eq!(t.p_value < 0.05, t.lift.absolute_ci[0] > margin, "margin {margin}");
    }
    let relative = two_proportion_margin_test(a, b, 0.05, Margin::Relative(-0.10)).expect("valid");
    close(relative.statistic, 1.389_648_613_871_652, CLOSED_FORM, "relative z");
    close(relative.p_value, 0.082_317_802_944_904_81, CLOSED_FORM, "relative p");
    // A zero margin differs from the pooled z-test only through the standard error.
    let zero = two_proportion_margin_test(a, b, 0.05, Margin::Absolute(0.0)).expect("valid");
    let pooled = two_proportion_z_test(a, b, 0.05, Sides::One).expect("valid");
    assert!((zero.statistic - pooled.statistic).abs() < 1e-3 && zero.statistic != pooled.statistic);
    assert!(matches!(
        two_proportion_margin_test(a, b, 0.05, Margin::Relative(-1.5)),
        Err(StatsError::OutOfRange { name: "margin", .. })
    ));
}

fn look(users: u64, conv_a: u64, conv_b: u64) -> LookCounts {
    LookCounts {
        control: ArmCounts { users, conversions: conv_a },
        treatment: ArmCounts { users, conversions: conv_b },
    }
}

#[test]
fn analysis_against_a_margin_uses_one_sided_bounds_and_the_margin_z() {
    // B slightly below A; non-inferiority at −1 point is shown once enough users arrive.
    let looks = [look(5_000, 1_000, 990), look(10_000, 2_000, 1_985), look(20_000, 4_000, 3_980)];
    let margin = Some(Margin::Absolute(-0.01));
    let gst = analyze(&looks, &Method::default_gst(), 0.05, None, margin).expect("valid");
    assert!(gst.hypothesis.starts_with("non-inferiority"), "{}", gst.hypothesis);
    for (k, l) in gst.looks.iter().enumerate() {
        let test = two_proportion_margin_test(looks[k].control, looks[k].treatment, 0.05, Margin::Absolute(-0.01))
            .expect("valid");
        assert_eq!(l.z, test.statistic, "the margin z, not the pooled z");
        // Reject exactly when the one-sided margin z crosses the one-sided boundary.
        let bound = l.boundary.expect("gst boundary");
        assert_eq!(l.decision == Decision::Reject, l.z >= bound, "look {}", k + 1);
    }
    // Final look: z = 0.009/0.003996 ≈ 2.25 ≥ the one-sided final bound (≈ 1.7): non-inferior.
    assert_eq!(gst.looks[2].decision, Decision::Reject);
    // The confidence sequence declares only when its running lower end passes the margin.
    let cs = analyze(&looks, &Method::ConfidenceSequence { rho: None }, 0.05, None, margin).expect("valid");
    for l in &cs.looks {
        assert_eq!(l.decision == Decision::Reject, l.interval[0] > -0.01);
    }
    assert!(analyze(&looks, &Method::Bayes { threshold: 0.95 }, 0.05, None, margin).is_err());
    let relative = Some(Margin::Relative(-0.05));
    assert!(analyze(&looks, &Method::Msprt { tau2: None }, 0.05, None, relative).is_err());
}

fn summary(values: &[f64]) -> ArmSummary {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    ArmSummary { users: values.len() as u64, mean, sd: variance.sqrt() }
}

#[test]
fn welch_margin_test_against_r_sleep_example_and_the_shift_identity() {
    // R, ?t.test example `t.test(extra ~ group, data = sleep)` (Student's sleep data, Cushny &
    // Peebles 1905) prints "Welch Two Sample t-test: t = -1.8608, df = 17.776, p-value = 0.07939"
    // for group 1 − group 2. With A = group 2 and B = group 1 our lift B − A is that difference,
    // so the one-sided (upper) margin test at δ = 0 has p = 1 − 0.07939/2 = 0.960305.
    // No published Welch test against a non-zero margin was found; for δ ≠ 0 the test must equal
    // the δ = 0 test with B shifted by −δ (same sds, same df), checked below.
    const PRINTED: f64 = 5e-5; // R prints 5 significant digits
    let group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    let group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    let (a, b) = (summary(&group2), summary(&group1));
    let zero = welch_margin_test(a, b, 0.05, Margin::Absolute(0.0)).expect("valid");
    assert!((zero.statistic - -1.8608).abs() < PRINTED, "{}", zero.statistic);
    assert!((zero.df.expect("df") - 17.776).abs() < 5e-4, "{:?}", zero.df);
    assert!((zero.p_value - (1.0 - 0.07939 / 2.0)).abs() < PRINTED, "{}", zero.p_value);
    for delta in [-2.0, -1.0, 0.5] {
        let margin = welch_margin_test(a, b, 0.05, Margin::Absolute(delta)).expect("valid");
        let shifted = ArmSummary { mean: b.mean - delta, ..b };
        let reference = welch_margin_test(a, shifted, 0.05, Margin::Absolute(0.0)).expect("valid");
        close(margin.statistic, reference.statistic, CLOSED_FORM, "t");
        close(margin.p_value, reference.p_value, CLOSED_FORM, "p");
        assert_eq!(margin.p_value < 0.05, margin.lift.absolute_ci[0] > delta, "duality at {delta}");
    }
}
