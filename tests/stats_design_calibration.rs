//! Monte Carlo calibration of the one-sided designs: a non-inferiority test
//! monitored with a group-sequential boundary on the unpooled margin z, and
//! futility-only designs ("stop early only if it is bad"), binding and
//! non-binding. Data: exact binomial conversions per arm per look (rand_distr),
//! deterministic by seed. The statistics are the library's own
//! (`two_proportion_margin_test`, `two_proportion_z_test`), the boundaries the
//! design's; the non-inferiority rule is checked against `monitor::analyze` on
//! the first simulations so the simulation is the analysis users run.
//!
//! Tolerance: the rate's 95 % Clopper–Pearson interval over `SIMS` simulations
//! (half-width ≈ 1.96·√(α(1−α)/SIMS) ≈ 0.002 at α = 0.025).
//!
//! Observed when written (rejections of 20,000): non-inferiority GST 509 (2.5 %), naive
//! margin test at every look 1,431 (7.2 %), confidence sequence 31 (0.16 %: valid but very
//! conservative with one side of a two-sided sequence at 5 looks); futility-only non-binding
//! 508 overruled / 425 obeyed, binding 511 obeyed / 623 overruled.

use rand::SeedableRng;
use rand_distr::{Binomial, Distribution};
use rand_xoshiro::Xoshiro256PlusPlus;

use journeylab::api::stats::Method;
use journeylab::api::stats::Sides;
use journeylab::api::stats::clopper_pearson;
use journeylab::api::stats::{ArmCounts, Margin, two_proportion_margin_test, two_proportion_z_test};
use journeylab::api::stats::{
    BoundaryFamily, Design, DesignSpec, Futility, SpendingFunction, efficacy_bounds, equal_fractions,
};
use journeylab::api::stats::{LookCounts, analyze};

const SIMS: u64 = 20_000;
const LOOKS: usize = 5;
const PER_LOOK: u64 = 1_000;
/// One-sided level, the usual choice for non-inferiority (the upper side of a two-sided 0.05 test).
const ALPHA: f64 = 0.025;

/// What a rule does at a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Continue,
    Reject,
    StopForFutility,
}

/// A stopping rule: what to do at look `k` (0-based) given the cumulative counts.
type Rule<'a> = &'a dyn Fn(usize, &LookCounts) -> Step;

/// The cumulative looks of one simulated experiment.
fn experiment(rng: &mut Xoshiro256PlusPlus, p_a: f64, p_b: f64) -> Vec<LookCounts> {
    let (a, b) = (Binomial::new(PER_LOOK, p_a).expect("p"), Binomial::new(PER_LOOK, p_b).expect("p"));
    let (mut x_a, mut x_b) = (0, 0);
    (1..=LOOKS as u64)
        .map(|k| {
            x_a += a.sample(rng);
            x_b += b.sample(rng);
            LookCounts {
                control: ArmCounts { users: k * PER_LOOK, conversions: x_a },
                treatment: ArmCounts { users: k * PER_LOOK, conversions: x_b },
            }
        })
        .collect()
}

/// Rejections of each rule over the same `SIMS` experiments (seeded).
fn rejections(seed: u64, p_a: f64, p_b: f64, rules: &[Rule<'_>]) -> Vec<u64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut rejected = vec![0; rules.len()];
    for _ in 0..SIMS {
        let looks = experiment(&mut rng, p_a, p_b);
        for (count, rule) in rejected.iter_mut().zip(rules) {
            for (k, look) in looks.iter().enumerate() {
                match rule(k, look) {
                    Step::Continue => {}
                    Step::Reject => {
                        *count += 1;
                        break;
                    }
                    Step::StopForFutility => break,
                }
            }
        }
    }
    rejected
}

fn interval(count: u64) -> [f64; 2] {
    clopper_pearson(count, SIMS).expect("valid")
}

#[test]
fn non_inferiority_with_a_group_sequential_boundary_holds_alpha_at_the_margin() {
    // True lift exactly at the margin (H0's boundary): p_A = 0.20, p_B = 0.18, δ = −0.02.
    let margin = Margin::Absolute(-0.02);
    let obf = BoundaryFamily::Spending { function: SpendingFunction::ObrienFleming };
    let bounds = efficacy_bounds(obf, ALPHA, Sides::One, &equal_fractions(LOOKS)).expect("bounds");
    let z = |look: &LookCounts| {
        two_proportion_margin_test(look.control, look.treatment, ALPHA, margin).expect("valid").statistic
    };
    let gst = |k: usize, look: &LookCounts| if z(look) >= bounds[k] { Step::Reject } else { Step::Continue };
    let naive =
        |_: usize, look: &LookCounts| if z(look) >= 1.959_963_984_540_054 { Step::Reject } else { Step::Continue };
    let counts = rejections(41, 0.20, 0.18, &[&gst, &naive]);
    let (gst_ci, naive_ci) = (interval(counts[0]), interval(counts[1]));
    assert!(gst_ci[0] <= ALPHA && ALPHA <= gst_ci[1], "gst: {} of {SIMS}, {gst_ci:?}", counts[0]);
    // Testing the margin at every look at the fixed level inflates it (about 2.8 × at 5 looks).
    assert!(naive_ci[0] > 2.0 * ALPHA, "naive: {} of {SIMS}, {naive_ci:?}", counts[1]);

    // The simulation is the analysis users run: `analyze --method gst:obf --margin -0.02` decides alike,
    // and the confidence sequence (lower end of the running intersection above δ) never exceeds α.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(41);
    let mut cs_rejections = 0;
    for sim in 0..SIMS {
        let looks = experiment(&mut rng, 0.20, 0.18);
        if sim < 40 {
            let analysis = analyze(&looks, &Method::default_gst(), ALPHA, None, Some(margin)).expect("valid");
            let ours = looks.iter().enumerate().position(|(k, l)| gst(k, l) == Step::Reject).map(|k| k + 1);
            assert_eq!(analysis.first_rejection, ours, "simulation {sim}");
        }
        let cs = analyze(&looks, &Method::ConfidenceSequence { rho: None }, ALPHA, None, Some(margin)).expect("valid");
        cs_rejections += u64::from(cs.first_rejection.is_some());
    }
    let cs_ci = interval(cs_rejections);
    assert!(cs_ci[0] <= ALPHA, "cs: {cs_rejections} of {SIMS}, {cs_ci:?}");
}

fn futility_only(binding: bool) -> Design {
    Design::new(DesignSpec {
        fractions: equal_fractions(LOOKS),
        family: BoundaryFamily::Spending { function: SpendingFunction::NoEarlyStop },
        alpha: ALPHA,
        sides: Sides::One,
        power: 0.8,
        futility: Some(Futility { spending: SpendingFunction::ObrienFleming, binding }),
    })
    .expect("design")
}

/// The futility-only rule: stop for futility at an interim look when z ≤ the lower bound (if obeyed);
/// reject only at the final look when z ≥ its upper bound.
fn futility_rule(design: &Design, obey: bool) -> impl Fn(usize, &LookCounts) -> Step + '_ {
    move |k, look| {
        let z = two_proportion_z_test(look.control, look.treatment, ALPHA, Sides::One).expect("valid").statistic;
        let bound = &design.looks[k];
        if k + 1 == design.looks.len() {
            if z >= bound.upper { Step::Reject } else { Step::Continue }
        } else if obey && bound.lower.is_some_and(|lower| z <= lower) {
            Step::StopForFutility
        } else {
            Step::Continue
        }
    }
}

#[test]
fn futility_only_designs_hold_their_type_i_error() {
    let (nonbinding, binding) = (futility_only(false), futility_only(true));
    // Non-binding: the final bound is the fixed test's, so α holds even when futility is overruled;
    // obeying futility can only lower the error. Binding: the final bound is lowered so that α is
    // spent exactly *with* futility obeyed — and overruling futility then exceeds α.
    let rules: [Rule<'_>; 4] = [
        &futility_rule(&nonbinding, false),
        &futility_rule(&nonbinding, true),
        &futility_rule(&binding, true),
        &futility_rule(&binding, false),
    ];
    let counts = rejections(42, 0.20, 0.20, &rules);
    let [overruled, obeyed, binding_obeyed, _] = [0, 1, 2, 3].map(|m| interval(counts[m]));
    let inside = |ci: [f64; 2]| ci[0] <= ALPHA && ALPHA <= ci[1];
    assert!(inside(overruled), "non-binding, futility overruled: {} {overruled:?}", counts[0]);
    assert!(obeyed[0] <= ALPHA && counts[1] <= counts[0], "non-binding, obeyed: {} {obeyed:?}", counts[1]);
    assert!(inside(binding_obeyed), "binding, obeyed: {} {binding_obeyed:?}", counts[2]);
    assert!(binding.looks[LOOKS - 1].upper < nonbinding.looks[LOOKS - 1].upper, "binding lowers the final bound");
    assert!(counts[3] >= counts[2], "overruling a binding bound can only add rejections");
}
