//! The per-look analysis of a mean (revenue per user): Welch's statistic,
//! naive p-values, mSPRT and margins, checked against mpmath (30 digits) from
//! the cumulative sums. The script is in the comments: per arm
//! `m = Σx/n`, `s² = (Σx² − n m²)/(n − 1)`, `V = s_A²/n_A + s_B²/n_B`,
//! `t = (m_B − m_A)/√V`, Welch–Satterthwaite df, `P(T ≥ t)` by `betainc`
//! (regularised incomplete beta), the t quantile by `findroot`, and the mSPRT
//! from Johari, Pekelis & Walsh (2017) §4: `Λ = √(V/(V+τ²)) exp(τ²Δ̂²/(2V(V+τ²)))`,
//! half-width `√(2V(V+τ²)/τ² · ln(√((V+τ²)/V)/α))`.

use journeylab::api::stats::Margin;
use journeylab::api::stats::{ArmMoments, Decision, LookMeans, Looks, analyze_looks};
use journeylab::api::stats::{Method, MetricKind};

/// statrs' Student t and the incomplete beta are accurate to ~1e-10 relative here.
const CLOSED_FORM: f64 = 1e-8;

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= CLOSED_FORM * want.abs().max(1.0), "{what}: got {got}, want {want}");
}

/// Two looks: A mean 10.3 (sd 12, n 400) then 10.1 (12.2, 800); B 11.9 (13.5, 410) then 11.6 (13.1, 805).
fn looks() -> Vec<LookMeans> {
    let arm = |users, sum, sum_sq| ArmMoments { users, sum, sum_sq };
    vec![
        LookMeans { control: arm(400, 4120.0, 99_892.0), treatment: arm(410, 4879.0, 132_600.35) },
        LookMeans { control: arm(800, 8080.0, 200_531.16), treatment: arm(805, 9338.0, 246_295.24) },
    ]
}

#[test]
fn naive_peeking_on_a_mean_uses_welch_t_at_each_look() {
    let looks = looks();
    let a = analyze_looks(Looks::Means(&looks), &Method::Naive, 0.05, None, None).expect("valid");
    assert_eq!(a.metric, MetricKind::Mean);
    assert!(a.conventions.test.starts_with("Welch t-test"), "{:?}", a.conventions);
    assert_eq!(a.conventions.standard_error, "unpooled (Welch)");
    assert_eq!(a.conventions.lift, "absolute (mean_B - mean_A)");
    // mpmath: look 1 t = 1.7838308350520409, df = 801.11892942857863, p = 0.07482959035743086,
    // t_{0.975, df} = 1.9629295846825507; look 2 t = 2.3739939460125225, df = 1596.2894045912996,
    // p = 0.017714550550743024, t_{0.975, df} = 1.9614512088423053.
    let want = [
        (1.6, 1.783_830_835_052_040_9, 801.118_929_428_578_6, 0.074_829_590_357_430_86, 1.962_929_584_682_550_7),
        (1.5, 2.373_993_946_012_522_5, 1_596.289_404_591_299_6, 0.017_714_550_550_743_024, 1.961_451_208_842_305_3),
    ];
    for (look, (estimate, t, df, p, boundary)) in a.looks.iter().zip(want) {
        close(look.estimate, estimate, "estimate");
        close(look.z, t, "t");
        close(look.df.expect("Welch df"), df, "df");
        close(look.naive_p, p, "p");
        close(look.boundary.expect("boundary"), boundary, "boundary");
    }
    assert_eq!(a.looks[0].decision, Decision::Continue);
    assert_eq!(a.first_rejection, Some(2));
}

#[test]
fn msprt_on_a_mean_uses_the_plug_in_variance() {
    let looks = looks();
    let method = Method::Msprt { tau2: Some(0.5) };
    let a = analyze_looks(Looks::Means(&looks), &method, 0.05, None, None).expect("valid");
    // mpmath: instantaneous 1/Λ = 0.69201864849097183 then 0.31321890616960825 (running minimum);
    // half-widths 3.6865403881747496 and 2.2101775723824389, intersected.
    close(a.looks[0].method_p.expect("p"), 0.692_018_648_490_971_8, "p look 1");
    close(a.looks[1].method_p.expect("p"), 0.313_218_906_169_608_25, "p look 2");
    close(a.looks[1].interval[0], 1.5 - 2.210_177_572_382_439, "lower");
    close(a.looks[1].interval[1], 1.5 + 2.210_177_572_382_439, "upper");
    assert_eq!(a.first_rejection, None);
    assert_eq!(a.conventions.standard_error, "unpooled plug-in (sample variances)");
}

#[test]
fn group_sequential_on_a_mean_compares_welch_with_the_boundaries_at_observed_information() {
    let looks = looks();
    let a = analyze_looks(Looks::Means(&looks), &Method::default_gst(), 0.05, Some(1000.0), None).expect("valid");
    // Information fractions are users per arm over the planned maximum: 405/1000, 802.5/1000.
    close(a.looks[0].fraction, 0.405, "t1");
    close(a.looks[1].fraction, 0.8025, "t2");
    for look in &a.looks {
        let rejects = look.z.abs() >= look.boundary.expect("boundary");
        assert_eq!(rejects, look.decision == Decision::Reject, "{look:?}");
    }
    assert!(a.conventions.test.contains("Welch statistic against normal-theory boundaries"));
}

#[test]
fn non_inferiority_on_a_mean_uses_the_welch_margin_statistic() {
    let looks = looks();
    let margin = Some(Margin::Absolute(-1.0));
    let a = analyze_looks(Looks::Means(&looks), &Method::Naive, 0.05, None, margin).expect("valid");
    // mpmath: t = (Δ̂ + 1)/√V = 2.8987251069595665, one-sided p = 0.0019245810927448948 (look 1).
    close(a.looks[0].z, 2.898_725_106_959_566_5, "margin t");
    close(a.looks[0].naive_p, 0.001_924_581_092_744_894_8, "one-sided p");
    assert_eq!(a.first_rejection, Some(1));
    assert!(a.hypothesis.starts_with("non-inferiority"));
    assert!(a.conventions.standard_error.starts_with("unpooled (Welch"));
}

#[test]
fn bayes_and_malformed_sums_are_refused_with_a_reason() {
    let looks = looks();
    let bayes = analyze_looks(Looks::Means(&looks), &Method::Bayes { threshold: 0.95 }, 0.05, None, None);
    assert!(bayes.expect_err("refused").to_string().contains("bayes is for conversions"));
    // Σx² below (Σx)²/n is impossible.
    let mut broken = looks.clone();
    broken[1].treatment.sum_sq = 1.0;
    let err = analyze_looks(Looks::Means(&broken), &Method::Naive, 0.05, None, None).expect_err("refused");
    assert!(err.to_string().contains("look 2, arm B"), "{err}");
    // Fewer users at a later look: not cumulative.
    let mut shrinking = looks;
    shrinking[1].control.users = 350;
    let err = analyze_looks(Looks::Means(&shrinking), &Method::Naive, 0.05, None, None).expect_err("refused");
    assert!(err.to_string().contains("cumulative"), "{err}");
}

#[test]
fn a_look_without_spread_carries_no_evidence() {
    // Nobody has paid yet at look 1.
    let zero = ArmMoments { users: 50, sum: 0.0, sum_sq: 0.0 };
    let mut looks = looks();
    looks.insert(0, LookMeans { control: zero, treatment: zero });
    for method in
        [Method::Naive, Method::default_gst(), Method::Msprt { tau2: None }, Method::ConfidenceSequence { rho: None }]
    {
        let a = analyze_looks(Looks::Means(&looks), &method, 0.05, None, None).expect("valid");
        assert_eq!(
            (a.looks[0].z, a.looks[0].naive_p, a.looks[0].decision),
            (0.0, 1.0, Decision::Continue),
            "{method:?}"
        );
    }
}
