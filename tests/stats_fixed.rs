//! Fixed-horizon tests, SRM, Bayesian summaries and the always-valid formulas
//! against independent high-precision evaluations.
//!
//! Reference values were computed with mpmath 1.3 at 30 digits from the
//! formulas in the cited papers (scripts quoted in each test), not with this
//! crate: a wrong standard error, side or quantile here changes a digit
//! long before the tolerance.

use journeylab::api::stats::Sides;
use journeylab::api::stats::{ArmCounts, ArmSummary, two_proportion_z_test, welch_t_test};
use journeylab::api::stats::{BetaPrior, beta_binomial};
use journeylab::api::stats::{ConfidenceSequence, Msprt};
use journeylab::api::stats::{SRM_THRESHOLD, sample_ratio_mismatch};

/// statrs' erfc/regularised-beta are accurate to ~1e-10 relative; closed forms match to this.
const CLOSED_FORM: f64 = 1e-8;
/// Simpson's rule over 4 000 intervals of a Beta posterior: error ≈ 1e-9 (h⁴ scaling).
const QUADRATURE: f64 = 1e-7;

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!((got - want).abs() <= tolerance * want.abs().max(1.0), "{what}: got {got}, want {want}");
}

#[test]
fn two_proportion_z_test_pooled_z_and_unpooled_intervals() {
    // A 40/1000, B 55/1000. mpmath: z = 0.015/√(p̄q̄·2/1000) with p̄ = 95/2000.
    let a = ArmCounts { users: 1000, conversions: 40 };
    let b = ArmCounts { users: 1000, conversions: 55 };
    let test = two_proportion_z_test(a, b, 0.05, Sides::Two).expect("valid");
    close(test.statistic, 1.576_873_897_574_58, CLOSED_FORM, "z");
    close(test.p_value, 0.114_824_543_707_318, CLOSED_FORM, "two-sided p");
    close(test.lift.absolute_ci[0], -0.003_632_547_891_263_6, CLOSED_FORM, "abs lower");
    close(test.lift.absolute_ci[1], 0.033_632_547_891_263_6, CLOSED_FORM, "abs upper");
    close(test.lift.relative, 0.375, CLOSED_FORM, "relative lift");
    close(test.lift.relative_ci[0], -0.171_894_489_702_979, CLOSED_FORM, "rel lower");
    close(test.lift.relative_ci[1], 0.921_894_489_702_979, CLOSED_FORM, "rel upper");
    assert_eq!((test.test_se, test.sides), ("pooled", Sides::Two));
    // One-sided p is half the two-sided one when z > 0.
    let one = two_proportion_z_test(a, b, 0.05, Sides::One).expect("valid");
    close(one.p_value, 0.114_824_543_707_318 / 2.0, CLOSED_FORM, "one-sided p");
    assert!(one.lift.absolute_ci[1].is_infinite());
}

#[test]
fn welch_t_test_statistic_df_p_and_interval() {
    // A n=50 mean 10 sd 3; B n=60 mean 11.5 sd 4.5. mpmath: Welch–Satterthwaite df,
    // t tail through the regularised incomplete beta, quantile by findroot.
    let a = ArmSummary { users: 50, mean: 10.0, sd: 3.0 };
    let b = ArmSummary { users: 60, mean: 11.5, sd: 4.5 };
    let test = welch_t_test(a, b, 0.05, Sides::Two).expect("valid");
    close(test.statistic, 2.085_144_140_570_75, CLOSED_FORM, "t");
    close(test.df.expect("df"), 103.326_734_680_089, CLOSED_FORM, "df");
    close(test.p_value, 0.039_520_528_491_950_6, 1e-6, "p");
    close(test.lift.absolute_ci[0], 0.073_343_510_818_224_4, 1e-6, "lower");
    close(test.lift.absolute_ci[1], 2.926_656_489_181_78, 1e-6, "upper");
}

#[test]
fn sample_ratio_mismatch_chi_square() {
    // 50 500 vs 49 500 planned 50/50: X² = 2·500²/50 000 = 10, p = erfc(√5) = 0.00156540225800255.
    let check = sample_ratio_mismatch(&[50_500, 49_500], &[1.0, 1.0], SRM_THRESHOLD).expect("valid");
    close(check.chi_square, 10.0, CLOSED_FORM, "X²");
    close(check.p_value, 0.001_565_402_258_002_55, 1e-6, "p");
    assert!(!check.mismatch, "p = 0.0016 is above the 0.001 alarm");
    let check = sample_ratio_mismatch(&[50_700, 49_300], &[1.0, 1.0], SRM_THRESHOLD).expect("valid");
    assert!(check.mismatch);
    assert!(sample_ratio_mismatch(&[10], &[1.0], SRM_THRESHOLD).is_err());
}

#[test]
fn beta_binomial_chance_and_loss_match_exact_sums() {
    // Chance to beat control: Evan Miller (2014) "Formulas for Bayesian A/B testing",
    // exact sum Σ_{i<a_B} B(a_A+i, b_A+b_B)/((b_B+i) B(1+i, b_B) B(a_A, b_A)) in mpmath;
    // expected loss: 2-D mpmath quadrature of (x − y) f_A(x) f_B(y) over x > y.
    let cases = [
        ((40, 1000), (55, 1000), 0.941_887_344_179_111, 0.000_238_936_775_506),
        ((120, 1000), (100, 1000), 0.076_816_561_026_440_2, 0.020_444_693_766_7),
    ];
    for ((ca, na), (cb, nb), chance, loss) in cases {
        let a = ArmCounts { users: na, conversions: ca };
        let b = ArmCounts { users: nb, conversions: cb };
        let summary = beta_binomial(a, b, BetaPrior::default()).expect("valid");
        close(summary.chance_to_beat_control, chance, QUADRATURE, "chance to beat control");
        close(summary.expected_loss_choosing_b, loss, QUADRATURE, "expected loss of B");
        // Symmetry: swapping the arms swaps chance and losses.
        let swapped = beta_binomial(b, a, BetaPrior::default()).expect("valid");
        close(swapped.chance_to_beat_control, 1.0 - chance, QUADRATURE, "swapped chance");
        close(swapped.expected_loss_choosing_a, loss, QUADRATURE, "swapped loss");
    }
}

#[test]
fn msprt_matches_the_two_stream_formula_of_johari_pekelis_walsh() {
    // Paper §4: Λ = √(2σ²/(2σ²+nτ²)) exp(n²τ²Δ²/(4σ²(2σ²+nτ²))), n = 1000 per arm,
    // σ² = 0.09, τ² = 1e-4, Δ = 0.02; mpmath: Λ = 1.19232957638886, half-width 0.0569419163612453.
    let msprt = Msprt::new(1e-4, 0.05).expect("valid");
    let variance = 2.0 * 0.09 / 1000.0;
    close(msprt.log_likelihood_ratio(0.02, variance).exp(), 1.192_329_576_388_86, CLOSED_FORM, "Λ");
    close(msprt.instantaneous_p(0.02, variance), 0.838_694_283_696_834, CLOSED_FORM, "1/Λ");
    close(msprt.half_width(variance), 0.056_941_916_361_245_3, CLOSED_FORM, "half-width");
    // At the boundary Λ = 1/α exactly.
    let z = msprt.z_threshold(variance);
    close(msprt.instantaneous_p(z * variance.sqrt(), variance), 0.05, CLOSED_FORM, "p at the boundary");
}

#[test]
fn confidence_sequence_matches_waudby_smith_et_al() {
    // σ = 0.3, t = 2500 per arm, ρ tuned for t* = 10 000 at α = 0.05 (Howard et al. §3.5);
    // mpmath: ρ = 0.0281711813769632, half-width 0.0195857602309584.
    let cs = ConfidenceSequence::tuned(10_000.0, 0.05).expect("valid");
    close(cs.rho, 0.028_171_181_376_963_2, CLOSED_FORM, "ρ");
    close(cs.half_width(0.3, 2500.0), 0.019_585_760_230_958_4, CLOSED_FORM, "half-width");
    // The CS is the mSPRT with τ² = ρ²σ²: same boundary, same p-value.
    let sigma2 = 0.09;
    let msprt = Msprt::new(cs.rho * cs.rho * sigma2, 0.05).expect("valid");
    let variance = sigma2 / 2500.0;
    close(msprt.half_width(variance), cs.half_width(0.3, 2500.0), CLOSED_FORM, "CS = mSPRT");
    let z = 2.7;
    close(cs.instantaneous_p(z, 2500.0), msprt.instantaneous_p(z * variance.sqrt(), variance), CLOSED_FORM, "p");
}

#[test]
fn confidence_sequence_reproduces_growthbook_published_regression_values() {
    // GrowthBook's gbstats, tests/frequentist/test_tests.py, TestSequentialTTest
    // ::test_sequential_test_runs: control sum 1396.87, sum of squares 52377.9767,
    // n 3000; treatment 2422.7, 134698.29, n 3461; tuning N* = 1000, α = 0.05,
    // relative lift. Published (5 decimals): estimate 0.50336, sd 0.33341,
    // interval (−0.55844, 1.56516). gbstats implements Waudby-Smith et al. eq. (9)
    // with t = n_A + n_B and σ̂² = SE² t, ρ from N* — our formula with those inputs.
    const FIVE_DECIMALS: f64 = 0.5e-5;
    let (sum_a, sum_sq_a, n_a) = (1396.87, 52377.9767, 3000.0);
    let (sum_b, sum_sq_b, n_b) = (2422.7, 134_698.29, 3461.0);
    let sample_variance = |sum: f64, sum_sq: f64, n: f64| (sum_sq - sum * sum / n) / (n - 1.0);
    let (mean_a, mean_b) = (sum_a / n_a, sum_b / n_b);
    let (var_a, var_b) = (sample_variance(sum_a, sum_sq_a, n_a), sample_variance(sum_b, sum_sq_b, n_b));
    let estimate = mean_b / mean_a - 1.0;
    // Delta-method variance of the relative lift (as in gbstats and our `fixed` module).
    let variance = var_b / (mean_a * mean_a * n_b) + var_a * mean_b * mean_b / (mean_a.powi(4) * n_a);
    let t = n_a + n_b;
    let cs = ConfidenceSequence::tuned(1000.0, 0.05).expect("valid");
    let half = cs.half_width((variance * t).sqrt(), t);
    assert!((estimate - 0.50336).abs() <= FIVE_DECIMALS, "{estimate}");
    assert!((variance.sqrt() - 0.33341).abs() <= FIVE_DECIMALS);
    assert!((estimate - half - -0.55844).abs() <= FIVE_DECIMALS, "lower {}", estimate - half);
    assert!((estimate + half - 1.56516).abs() <= FIVE_DECIMALS, "upper {}", estimate + half);
    // The same interval from the mSPRT with τ² = ρ²σ̂² (the CS is that mSPRT).
    let msprt = Msprt::new(cs.rho * cs.rho * variance * t, 0.05).expect("valid");
    close(msprt.half_width(variance), half, CLOSED_FORM, "mSPRT half-width");
}
