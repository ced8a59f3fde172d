//! Group-sequential boundaries against published values.
//!
//! Sources:
//! * Jennison & Turnbull (2000), *Group Sequential Methods with Applications to
//!   Clinical Trials*, Chapman & Hall/CRC: Table 2.1 (Pocock constants C_P(K, α)
//!   and inflation R_P(K, α, β)) in §2.4 and Table 2.3 (O'Brien & Fleming
//!   constants C_B(K, α) and R_B(K, α, β)) in §2.5, two-sided α = 0.05, power 0.8,
//!   equally spaced looks; printed to 3 decimals.
//! * rpact's own regression tests, `tests/testthat/test-f_design_group_sequential.R`
//!   (rpact-com/rpact, revision 5976), values printed to 8 significant digits.
//! * Armitage, McPherson & Rowe (1969), "Repeated significance tests on
//!   accumulating data", *JRSS A* 132(2):235–244, Table 2 (also J&T Table 1.1):
//!   the size of naive repeated testing at nominal two-sided 0.05.

use journeylab::api::stats::Sides;
use journeylab::api::stats::{
    BoundaryFamily, Design, DesignSpec, Futility, SpendingFunction, equal_fractions, naive_peeking_curve,
    repeated_test_size,
};

/// A table printed to 3 decimals is exact to ±0.0005; our integration error
/// (≈1e-6 in z, see `integration.rs`) is negligible beside it.
const THREE_DECIMALS: f64 = 0.0005 + 1e-5;
/// rpact prints 8 significant digits and solves to ~1e-7 in z; the issue asks 1e-4.
const RPACT_Z: f64 = 1e-4;
/// Probabilities derived from those boundaries: 1e-4 in z moves a tail
/// probability by at most φ(0)·1e-4 ≈ 4e-5.
const RPACT_P: f64 = 4e-5;

fn spec(looks: usize, family: BoundaryFamily) -> DesignSpec {
    DesignSpec { fractions: equal_fractions(looks), family, alpha: 0.05, sides: Sides::Two, power: 0.8, futility: None }
}

fn assert_close(what: &str, got: &[f64], want: &[f64], tolerance: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tolerance, "{what}[{k}]: got {g}, published {w}, tolerance {tolerance}");
    }
}

#[test]
fn pocock_constants_and_inflation_match_jennison_turnbull_table_2_1() {
    let c_p = [1.960, 2.178, 2.289, 2.361, 2.413, 2.453, 2.485, 2.512, 2.535, 2.555];
    let r_p = [1.000, 1.110, 1.166, 1.202, 1.229, 1.249, 1.265, 1.279, 1.291, 1.301];
    for looks in 1..=10 {
        let design = Design::new(spec(looks, BoundaryFamily::ClassicPocock)).expect("valid design");
        let constant = design.looks[0].upper;
        assert!((constant - c_p[looks - 1]).abs() <= THREE_DECIMALS, "K={looks}: C_P {constant}");
        assert!((design.inflation - r_p[looks - 1]).abs() <= THREE_DECIMALS, "K={looks}: R_P {}", design.inflation);
        assert!((design.looks[looks - 1].alpha_spent - 0.05).abs() < 1e-7);
    }
}

#[test]
fn obrien_fleming_constants_and_inflation_match_jennison_turnbull_table_2_3() {
    let c_b = [1.960, 1.977, 2.004, 2.024, 2.040, 2.053, 2.063, 2.072, 2.080, 2.087];
    let r_b = [1.000, 1.008, 1.017, 1.024, 1.028, 1.032, 1.035, 1.037, 1.038, 1.040];
    for looks in 1..=10 {
        let design = Design::new(spec(looks, BoundaryFamily::ClassicObrienFleming)).expect("valid design");
        // The final boundary is C_B; look k is C_B √(K/k).
        let constant = design.looks[looks - 1].upper;
        assert!((constant - c_b[looks - 1]).abs() <= THREE_DECIMALS, "K={looks}: C_B {constant}");
        assert!((design.looks[0].upper - constant * (looks as f64).sqrt()).abs() < 1e-9);
        assert!((design.inflation - r_b[looks - 1]).abs() <= THREE_DECIMALS, "K={looks}: R_B {}", design.inflation);
    }
}

#[test]
fn naive_repeated_testing_matches_armitage_mcpherson_rowe() {
    // AMR 1969 Table 2: P(|Z_k| ≥ 1.96 for some k ≤ K), equally spaced looks.
    for (looks, published) in [(1, 0.05), (2, 0.083), (3, 0.107), (4, 0.126), (5, 0.142), (10, 0.193), (20, 0.248)] {
        let size = repeated_test_size(&equal_fractions(looks), &vec![1.959_964; looks]);
        assert!((size - published).abs() <= THREE_DECIMALS, "K={looks}: {size} vs {published}");
    }
}

#[test]
fn exact_naive_peeking_curve_matches_armitage_mcpherson_rowe_at_every_k() {
    // The same AMR 1969 Table 2 values, read off one 20-look recursion.
    let curve = naive_peeking_curve(20, 0.05).expect("valid");
    for (looks, published) in [(1, 0.05), (2, 0.083), (3, 0.107), (4, 0.126), (5, 0.142), (10, 0.193), (20, 0.248)] {
        assert!(
            (curve[looks - 1] - published).abs() <= THREE_DECIMALS,
            "K={looks}: {} vs {published}",
            curve[looks - 1]
        );
        let direct = repeated_test_size(&equal_fractions(looks), &vec![1.959_963_984_540_054; looks]);
        assert!(
            (curve[looks - 1] - direct).abs() < 1e-6,
            "K={looks}: rescaled {} vs direct {direct}",
            curve[looks - 1]
        );
    }
    assert!(curve.windows(2).all(|w| w[1] > w[0]), "the rate grows with every look");
    assert!(naive_peeking_curve(0, 0.05).is_err() && naive_peeking_curve(5, 1.5).is_err());
}

#[test]
fn classical_obrien_fleming_one_sided_matches_rpact_default_design() {
    // rpact x0: getDesignInverseNormal() = OF, kMax 3, one-sided α 0.025.
    let design =
        Design::new(DesignSpec { alpha: 0.025, sides: Sides::One, ..spec(3, BoundaryFamily::ClassicObrienFleming) })
            .expect("valid");
    let upper: Vec<f64> = design.looks.iter().map(|l| l.upper).collect();
    assert_close("x0 criticalValues", &upper, &[3.4710914, 2.4544323, 2.0040356], RPACT_Z);
    let spent: Vec<f64> = design.looks.iter().map(|l| l.alpha_spent).collect();
    assert_close("x0 alphaSpent", &spent, &[0.00025917372, 0.0071600594, 0.025], RPACT_P);
}

#[test]
fn linear_spending_at_unequal_fractions_matches_rpact_x1() {
    // rpact x1: asHSD γ = 0, informationRates (0.2, 0.4, 1), one-sided α 0.03, β 0.14.
    let design = Design::new(DesignSpec {
        fractions: vec![0.2, 0.4, 1.0],
        family: BoundaryFamily::Spending { function: SpendingFunction::HwangShihDeCani { gamma: 0.0 } },
        alpha: 0.03,
        sides: Sides::One,
        power: 0.86,
        futility: None,
    })
    .expect("valid");
    let upper: Vec<f64> = design.looks.iter().map(|l| l.upper).collect();
    assert_close("x1 criticalValues", &upper, &[2.5121443, 2.4228747, 2.0280392], RPACT_Z);
    // getDesignCharacteristics(x1): shift = θ², inflation, ASN relative to the fixed n.
    assert!((design.drift.powi(2) - 9.4594101).abs() < 1e-3, "shift {}", design.drift.powi(2));
    assert!((design.inflation - 1.0788327).abs() < 1e-4);
    assert!((design.expected_fraction_h1 * design.inflation - 0.83081135).abs() < 1e-4);
    assert!((design.expected_fraction_h0 * design.inflation - 1.0697705).abs() < 1e-4);
    let power: Vec<f64> = design.looks.iter().map(|l| l.power_spent).collect();
    assert_close("x1 power", &power, &[0.12783451, 0.34055165, 0.86], RPACT_P);
}

fn futility_design(
    fractions: &[f64],
    alpha: f64,
    beta: f64,
    efficacy: SpendingFunction,
    futility: SpendingFunction,
    binding: bool,
) -> Design {
    Design::new(DesignSpec {
        fractions: fractions.to_vec(),
        family: BoundaryFamily::Spending { function: efficacy },
        alpha,
        sides: Sides::One,
        power: 1.0 - beta,
        futility: Some(Futility { spending: futility, binding }),
    })
    .expect("valid")
}

fn bounds(design: &Design) -> (Vec<f64>, Vec<f64>) {
    let upper = design.looks.iter().map(|l| l.upper).collect();
    let lower = design.looks[..design.looks.len() - 1].iter().map(|l| l.lower.expect("futility bound")).collect();
    (upper, lower)
}

#[test]
fn hsd_alpha_and_beta_spending_non_binding_matches_rpact_x2() {
    let hsd = |gamma| SpendingFunction::HwangShihDeCani { gamma };
    let design = futility_design(&[0.2, 0.4, 1.0], 0.07, 0.14, hsd(-1.0), hsd(-2.0), false);
    let (upper, lower) = bounds(&design);
    assert_close("x2 criticalValues", &upper, &[2.364813, 2.1928805, 1.5660474], RPACT_Z);
    assert_close("x2 futilityBounds", &lower, &[-1.1063623, -0.35992439], RPACT_Z);
    assert!((design.inflation - 1.0869177).abs() < 1e-4);
    assert!((design.expected_fraction_h1 * design.inflation - 0.82636428).abs() < 1e-4);
    assert!((design.expected_fraction_h0 * design.inflation - 0.79471657).abs() < 1e-4);
}

#[test]
fn kim_demets_alpha_and_beta_spending_non_binding_matches_rpact_x3() {
    let kd = |rho| SpendingFunction::KimDeMets { rho };
    let design = futility_design(&[0.3, 0.7, 1.0], 0.03, 0.34, kd(2.2), kd(3.2), false);
    let (upper, lower) = bounds(&design);
    assert_close("x3 criticalValues", &upper, &[2.8594012, 2.2435708, 1.9735737], RPACT_Z);
    assert_close("x3 futilityBounds", &lower, &[-1.1558435, 0.72836893], RPACT_Z);
    assert!((design.inflation - 1.0555891).abs() < 1e-4);
}

#[test]
fn obf_spending_with_kim_demets_futility_matches_rpact_x7() {
    let obf = SpendingFunction::ObrienFleming;
    let kd = SpendingFunction::KimDeMets { rho: 2.5 };
    // Non-binding, four unequal looks.
    let design = futility_design(&[0.4, 0.75, 0.85, 1.0], 0.13, 0.41, obf, kd, false);
    let (upper, lower) = bounds(&design);
    assert_close("x7a criticalValues", &upper, &[2.1280732, 1.4368565, 1.422873, 1.2970881], RPACT_Z);
    assert_close("x7a futilityBounds", &lower, &[-0.82676531, 0.3743303, 0.65077266], RPACT_Z);
    let spent: Vec<f64> = design.looks.iter().map(|l| l.alpha_spent).collect();
    assert_close("x7a alphaSpent", &spent, &[0.016665509, 0.080406163, 0.10053322, 0.13], RPACT_P);
    // Binding, three looks: the efficacy bounds drop because futility stops are obeyed.
    let design = futility_design(&[0.4, 0.75, 1.0], 0.13, 0.41, obf, kd, true);
    let (upper, lower) = bounds(&design);
    assert_close("x7b criticalValues", &upper, &[2.1280732, 1.4362896, 1.2218662], RPACT_Z);
    assert_close("x7b futilityBounds", &lower, &[-0.84937686, 0.34328914], RPACT_Z);
    let power: Vec<f64> = design.looks.iter().map(|l| l.power_spent).collect();
    assert_close("x7b power", &power, &[0.1067887, 0.41918821, 0.59], RPACT_P);
}

#[test]
fn conditional_power_with_one_look_left_is_the_closed_form() {
    // J&T (2000) §10.2: with only the final look left,
    // CP = Φ̄((b_K√I_K − z√I_k − θ(I_K − I_k)) / √(I_K − I_k)).
    let design = Design::new(spec(2, BoundaryFamily::ClassicObrienFleming)).expect("valid");
    let (z, theta) = (1.0, design.drift);
    let b = design.looks[1].upper;
    let argument = (b - z * 0.5f64.sqrt() - theta * 0.5) / 0.5f64.sqrt();
    let closed = 0.5 * statrs_erfc(argument / std::f64::consts::SQRT_2);
    let got = design.conditional_power(0, z, theta).expect("a later look");
    assert!((got - closed).abs() < 1e-9, "{got} vs {closed}");
    assert!(design.conditional_power(1, z, theta).is_err(), "no look after the last");
}

/// erfc through statrs, the crate's only source of normal tails.
fn statrs_erfc(x: f64) -> f64 {
    statrs::function::erf::erfc(x)
}

/// Two-look futility-only designs (`--futility-only`): no efficacy stop at t = 0.5,
/// O'Brien–Fleming-type β-spending, one-sided α = 0.025, power 0.8. Independent
/// reference: mpmath (30 digits) solving the two-look equations directly with a
/// one-dimensional quadrature of the bivariate normal (script in docs/statistics.md):
/// a₁ = θ√t₁ + Φ⁻¹(g(t₁)), P_θ(Z₁ > a₁, Z₂ < b₂) = β − g(t₁), and b₂ = z_{1−α}
/// (non-binding) or P₀(Z₁ > a₁, Z₂ ≥ b₂) = α (binding).
#[test]
fn futility_only_two_look_designs_match_direct_mpmath_solution() {
    const INTEGRATION_Z: f64 = 1e-5;
    let none = SpendingFunction::NoEarlyStop;
    let obf = SpendingFunction::ObrienFleming;
    let design = futility_design(&[0.5, 1.0], 0.025, 0.2, none, obf, false);
    assert!(design.looks[0].upper.is_infinite(), "no efficacy stop at the interim");
    assert!((design.looks[0].lower.expect("futility") - 0.555_989_340_396_435_5).abs() < INTEGRATION_Z);
    // Non-binding: the final bound is the fixed design's, so α holds even if futility is overruled.
    assert!((design.looks[1].upper - 1.959_963_984_540_054).abs() < INTEGRATION_Z);
    assert!((design.drift - 2.874_147_651_379_001).abs() < INTEGRATION_Z);
    assert!((design.inflation - 1.052_471_817_828_471).abs() < 1e-5);
    assert!((design.expected_fraction_h0 - 0.644_554_535_466_608_3).abs() < 1e-5);
    assert!((design.expected_fraction_h1 - 0.965_036_836_639_746_8).abs() < 1e-5);
    assert!((design.looks[1].alpha_spent - 0.025).abs() < 1e-7);
    // Binding: obeyed futility stops free α for a lower final bound.
    let binding = futility_design(&[0.5, 1.0], 0.025, 0.2, none, obf, true);
    assert!((binding.looks[0].lower.expect("futility") - 0.534_169_230_809_046_6).abs() < INTEGRATION_Z);
    assert!((binding.looks[1].upper - 1.929_105_689_629_101_6).abs() < INTEGRATION_Z);
    assert!((binding.drift - 2.843_289_356_468_049).abs() < INTEGRATION_Z);
    assert!((binding.looks[1].alpha_spent - 0.025).abs() < 1e-6);
}

#[test]
fn futility_only_designs_keep_alpha_and_spend_exactly_beta() {
    // Properties at five looks: efficacy only at the end; the β spent by the
    // futility bound under the design drift is the β-spending function's; with
    // non-binding futility the type I error is α ignoring futility.
    let kd = SpendingFunction::KimDeMets { rho: 2.0 };
    let fractions = equal_fractions(5);
    for binding in [false, true] {
        let design = futility_design(&fractions, 0.025, 0.1, SpendingFunction::NoEarlyStop, kd, binding);
        for (k, look) in design.looks.iter().enumerate() {
            let beta_spent = look.beta_spent.expect("futility design");
            let want = kd.spent(look.fraction, 0.1);
            assert!((beta_spent - want).abs() < RPACT_P, "look {}: β spent {beta_spent} vs g(t) {want}", k + 1);
            if k + 1 < fractions.len() {
                assert!(look.upper.is_infinite() && look.alpha_spent < 1e-12, "no efficacy stop before the end");
            }
        }
        assert!((design.looks[4].alpha_spent - 0.025).abs() < 1e-6);
        assert!((design.looks[4].power_spent - 0.9).abs() < 1e-6);
        // Stopping for futility costs sample size at the same power: inflation > 1.
        assert!(design.inflation > 1.0);
    }
    // β-spending 'none' is not a futility bound.
    let refused = Design::new(DesignSpec {
        fractions,
        family: BoundaryFamily::Spending { function: SpendingFunction::ObrienFleming },
        alpha: 0.025,
        sides: Sides::One,
        power: 0.9,
        futility: Some(Futility { spending: SpendingFunction::NoEarlyStop, binding: false }),
    });
    assert!(refused.is_err());
}
