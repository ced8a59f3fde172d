//! Group-sequential designs: boundaries at any information fractions, power,
//! maximum and expected sample size, conditional power.
//!
//! * Classical Pocock (1977, *Biometrika* 64:191–199): constant boundary `c`.
//! * Classical O'Brien & Fleming (1979, *Biometrics* 35:549–556): `c / √t_k`.
//! * Haybittle (1971) – Peto et al. (1976): |z| ≥ 3 at interim looks; the final
//!   boundary is solved so that the overall error is exactly α (as rpact's "HP").
//! * Lan & DeMets (1983) error spending with any [`SpendingFunction`]: the
//!   boundary at look `k` solves `P₀(continue to k, Z_k ≥ b_k) = f(t_k) − f(t_{k−1})`.
//! * Futility (one-sided designs): β-spending, Pampallona & Tsiatis / gsDesign
//!   test types 3–4, rpact `typeBetaSpending`: the lower bound solves
//!   `P_θ(continue to k, Z_k ≤ a_k) = g(t_k) − g(t_{k−1})` under the design drift θ,
//!   and θ is chosen so that `a_K = b_K`. Binding: the upper bounds are computed
//!   with the futility bounds in force. Non-binding: ignoring them, so α holds
//!   even if a futility stop is overruled.
//!
//! Probabilities come from the recursive integration in [`super::integration`]
//! (Jennison & Turnbull 2000, ch. 19). Two-sided designs are symmetric and spend
//! α/2 per side (gsDesign/rpact); `alpha_spent` reports both sides together.
//!
//! Scale: information is measured as a fraction of the maximum, so the drift
//! `θ = δ √I_max` is the expected z at the final look and `E[Z_k] = θ √t_k`.

use serde::Serialize;

use super::integration::{Exit, Recursion, Stage, exit_probabilities};
use super::spending::SpendingFunction;
use crate::stats::numeric::{find_root, norm_sf, norm_upper_quantile};
use crate::stats::{Sides, StatsError, check_open};

/// Interim boundary of the Haybittle–Peto rule.
pub const HAYBITTLE_PETO_Z: f64 = 3.0;
/// The most looks a design may have.
pub const MAX_LOOKS: usize = 100;
/// Boundaries are solved to this accuracy in z (the issue asks 1e-4).
const Z_SOLVE_TOLERANCE: f64 = 1e-9;

/// How the efficacy boundary is shaped.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "family", rename_all = "kebab-case")]
pub enum BoundaryFamily {
    ClassicPocock,
    ClassicObrienFleming,
    HaybittlePeto,
    Spending { function: SpendingFunction },
}

impl BoundaryFamily {
    /// Name used in outputs.
    pub fn label(self) -> String {
        match self {
            BoundaryFamily::ClassicPocock => "classic-pocock".into(),
            BoundaryFamily::ClassicObrienFleming => "classic-obrien-fleming".into(),
            BoundaryFamily::HaybittlePeto => "haybittle-peto(z=3)".into(),
            BoundaryFamily::Spending { function } => format!("error-spending:{}", function.label()),
        }
    }
}

/// Optional futility (lower) boundary by β-spending.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Futility {
    pub spending: SpendingFunction,
    /// Binding: the efficacy bounds assume futility stops are always obeyed.
    pub binding: bool,
}

/// What to design.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DesignSpec {
    /// Information fractions of the looks, increasing, the last = 1.
    pub fractions: Vec<f64>,
    pub family: BoundaryFamily,
    /// Overall type I error (two-sided: both sides together).
    pub alpha: f64,
    pub sides: Sides,
    /// Power at the design effect; fixes the maximum sample size.
    pub power: f64,
    pub futility: Option<Futility>,
}

/// Equally spaced fractions `1/K, 2/K, …, 1`.
pub fn equal_fractions(looks: usize) -> Vec<f64> {
    (1..=looks).map(|k| k as f64 / looks as f64).collect()
}

/// The boundary at one look.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookBoundary {
    pub fraction: f64,
    /// Efficacy boundary on the z scale (reject when `Z ≥ upper`, or `|Z| ≥ upper` two-sided).
    pub upper: f64,
    /// Futility bound (one-sided designs) or the symmetric lower bound `−upper`; `None` if neither.
    pub lower: Option<f64>,
    /// Nominal p-value of `upper`: one-sided `1 − Φ(upper)`, two-sided `2(1 − Φ(upper))`.
    pub nominal_p: f64,
    /// Cumulative type I error spent by this look (both sides together), under H0.
    pub alpha_spent: f64,
    /// Cumulative β spent by the futility bound under H1, if there is one.
    pub beta_spent: Option<f64>,
    /// Cumulative probability of rejecting H0 by this look at the design effect.
    pub power_spent: f64,
}

/// A computed design.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Design {
    pub spec: DesignSpec,
    pub looks: Vec<LookBoundary>,
    /// Drift θ = δ√I_max with the requested power (expected final z under H1).
    pub drift: f64,
    /// The same for the fixed design: `z_{1−α_side} + z_{power}`.
    pub fixed_drift: f64,
    /// Maximum sample size relative to the fixed design: `(drift / fixed_drift)²`.
    pub inflation: f64,
    /// Expected sample size as a fraction of the maximum, under H0 and under H1.
    pub expected_fraction_h0: f64,
    pub expected_fraction_h1: f64,
}

impl DesignSpec {
    fn validate(&self) -> Result<(), StatsError> {
        validate_fractions(&self.fractions, true)?;
        check_open("alpha", self.alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
        let alpha_side = self.sides.alpha_per_side(self.alpha);
        check_open("power", self.power, alpha_side, 1.0, "a probability above the one-sided alpha and below 1")?;
        if let BoundaryFamily::Spending { function } = self.family {
            function.validated()?;
        }
        if let Some(futility) = self.futility {
            futility.spending.validated()?;
            if futility.spending == SpendingFunction::NoEarlyStop {
                return Err(StatsError::Inconsistent(
                    "a β-spending of 'none' never stops for futility: choose a β-spending (obf, pocock, kim-demets:RHO, hsd:GAMMA) or no futility bound"
                        .into(),
                ));
            }
            if self.sides == Sides::Two {
                return Err(StatsError::Inconsistent(
                    "futility bounds need a one-sided design (one-sided at alpha/2 matches a two-sided test's upper side)"
                        .into(),
                ));
            }
            if !matches!(self.family, BoundaryFamily::Spending { .. }) {
                return Err(StatsError::Inconsistent(
                    "futility bounds need an error-spending efficacy boundary (obf, pocock, kim-demets, hsd)".into(),
                ));
            }
        }
        Ok(())
    }
}

/// Fractions must increase within (0, 1]; a full schedule ends at 1.
pub(crate) fn validate_fractions(fractions: &[f64], full: bool) -> Result<(), StatsError> {
    if fractions.is_empty() || fractions.len() > MAX_LOOKS {
        return Err(StatsError::Inconsistent(format!(
            "a design needs 1 to {MAX_LOOKS} looks, got {}",
            fractions.len()
        )));
    }
    let mut previous = 0.0;
    for &t in fractions {
        if !(t > previous && t <= 1.0) {
            return Err(StatsError::Inconsistent(format!(
                "information fractions must increase strictly within (0, 1]; {t} follows {previous}"
            )));
        }
        previous = t;
    }
    if full && (previous - 1.0).abs() > 1e-12 {
        return Err(StatsError::Inconsistent(format!("the last information fraction must be 1, got {previous}")));
    }
    Ok(())
}

/// Continuation regions for efficacy-only monitoring: `(−b, b)` two-sided, `(−∞, b)` one-sided.
fn efficacy_stages(fractions: &[f64], upper: &[f64], sides: Sides) -> Vec<Stage> {
    fractions
        .iter()
        .zip(upper)
        .map(|(&info, &b)| Stage { info, lower: if sides == Sides::Two { -b } else { f64::NEG_INFINITY }, upper: b })
        .collect()
}

/// Efficacy boundaries at the given fractions under H0 (no futility).
///
/// Spending families accept any increasing fractions in (0, 1], so boundaries
/// can be recomputed at the information actually observed (a late or early
/// look spends `f(t_observed)`). The classical families need the full schedule.
pub fn efficacy_bounds(
    family: BoundaryFamily,
    alpha: f64,
    sides: Sides,
    fractions: &[f64],
) -> Result<Vec<f64>, StatsError> {
    let full = !matches!(family, BoundaryFamily::Spending { .. });
    validate_fractions(fractions, full)?;
    check_open("alpha", alpha, 0.0, 1.0, "a probability strictly between 0 and 1")?;
    let alpha_side = sides.alpha_per_side(alpha);
    let lower_of = |b: f64| if sides == Sides::Two { -b } else { f64::NEG_INFINITY };
    match family {
        BoundaryFamily::Spending { function } => {
            let function = function.validated()?;
            let mut recursion = Recursion::new(0.0);
            let mut spent_before = 0.0;
            let mut bounds = Vec::with_capacity(fractions.len());
            for &t in fractions {
                let spent = function.spent(t, alpha_side);
                let b = recursion.solve_upper(t, spent - spent_before);
                recursion.advance(t, lower_of(b), b);
                bounds.push(b);
                spent_before = spent;
            }
            Ok(bounds)
        }
        BoundaryFamily::ClassicPocock | BoundaryFamily::ClassicObrienFleming => {
            let shape: Vec<f64> = fractions
                .iter()
                .map(|t| if family == BoundaryFamily::ClassicPocock { 1.0 } else { 1.0 / t.sqrt() })
                .collect();
            let size = |c: f64| {
                let bounds: Vec<f64> = shape.iter().map(|s| c * s).collect();
                let exits = exit_probabilities(&efficacy_stages(fractions, &bounds, sides), 0.0);
                exits.iter().map(|e| e.upper).sum::<f64>() - alpha_side
            };
            let c = find_root(size, 0.0, 40.0, Z_SOLVE_TOLERANCE, "classical boundary constant")?;
            Ok(shape.iter().map(|s| c * s).collect())
        }
        BoundaryFamily::HaybittlePeto => {
            let last = fractions.len() - 1;
            let mut recursion = Recursion::new(0.0);
            let mut spent = 0.0;
            for &t in &fractions[..last] {
                spent += recursion.prob_above(t, HAYBITTLE_PETO_Z);
                recursion.advance(t, lower_of(HAYBITTLE_PETO_Z), HAYBITTLE_PETO_Z);
            }
            if spent >= alpha_side {
                return Err(StatsError::Inconsistent(format!(
                    "Haybittle–Peto interim looks at |z| ≥ 3 already spend {spent:.4} ≥ alpha per side {alpha_side}"
                )));
            }
            let mut bounds = vec![HAYBITTLE_PETO_Z; last];
            bounds.push(recursion.solve_upper(fractions[last], alpha_side - spent));
            Ok(bounds)
        }
    }
}

/// Total upper-crossing probability (power) of `stages` under drift θ.
fn power_at(stages: &[Stage], theta: f64) -> f64 {
    exit_probabilities(stages, theta).iter().map(|e| e.upper).sum()
}

/// Expected stopping fraction `Σ t_k P(stop at k)`; everything left stops at the last look.
fn expected_fraction(fractions: &[f64], exits: &[Exit]) -> f64 {
    let mut stopped = 0.0;
    let mut expected = 0.0;
    for (t, exit) in fractions.iter().zip(exits).take(fractions.len() - 1) {
        expected += t * (exit.upper + exit.lower);
        stopped += exit.upper + exit.lower;
    }
    expected + (1.0 - stopped)
}

/// Bounds with β-spending futility at drift θ; returns (upper, lower, a_K − b_K before forcing a_K = b_K).
fn futility_pass(
    spec: &DesignSpec,
    futility: Futility,
    function: SpendingFunction,
    theta: f64,
) -> (Vec<f64>, Vec<f64>, f64) {
    let alpha = spec.alpha;
    let beta = 1.0 - spec.power;
    let mut null = Recursion::new(0.0);
    let mut alternative = Recursion::new(theta);
    let (mut upper, mut lower) = (Vec::new(), Vec::new());
    let (mut alpha_before, mut beta_before) = (0.0, 0.0);
    let mut gap = 0.0;
    let last = spec.fractions.len() - 1;
    for (k, &t) in spec.fractions.iter().enumerate() {
        let (alpha_now, beta_now) = (function.spent(t, alpha), futility.spending.spent(t, beta));
        let b = null.solve_upper(t, alpha_now - alpha_before);
        let a_spent = alternative.solve_lower(t, beta_now - beta_before);
        let a = if k == last {
            gap = (a_spent - b).clamp(-50.0, 50.0);
            b
        } else {
            a_spent.min(b)
        };
        null.advance(t, if futility.binding { a } else { f64::NEG_INFINITY }, b);
        alternative.advance(t, a, b);
        upper.push(b);
        lower.push(a);
        (alpha_before, beta_before) = (alpha_now, beta_now);
    }
    (upper, lower, gap)
}

impl Design {
    /// Computes boundaries, the drift for the requested power, the inflation
    /// factor and the expected sample sizes.
    pub fn new(spec: DesignSpec) -> Result<Design, StatsError> {
        spec.validate()?;
        let alpha_side = spec.sides.alpha_per_side(spec.alpha);
        let fixed_drift = norm_upper_quantile(alpha_side) + norm_upper_quantile(1.0 - spec.power);
        let search_top = 4.0 * fixed_drift + 10.0;
        let fractions = &spec.fractions;
        let (upper, lower, drift, null_stages, stages) = match (spec.futility, spec.family) {
            (Some(futility), BoundaryFamily::Spending { function }) => {
                let drift = find_root(
                    |theta| futility_pass(&spec, futility, function, theta).2,
                    1e-6,
                    search_top,
                    1e-10,
                    "drift for the futility design",
                )?;
                let (upper, lower, _) = futility_pass(&spec, futility, function, drift);
                let stages: Vec<Stage> = fractions
                    .iter()
                    .zip(upper.iter().zip(&lower))
                    .map(|(&info, (&b, &a))| Stage { info, lower: a, upper: b })
                    .collect();
                let null_stages =
                    if futility.binding { stages.clone() } else { efficacy_stages(fractions, &upper, Sides::One) };
                let lower: Vec<Option<f64>> = lower.into_iter().map(Some).collect();
                (upper, lower, drift, null_stages, stages)
            }
            _ => {
                let upper = efficacy_bounds(spec.family, spec.alpha, spec.sides, fractions)?;
                let stages = efficacy_stages(fractions, &upper, spec.sides);
                let drift = find_root(
                    |theta| power_at(&stages, theta) - spec.power,
                    0.0,
                    search_top,
                    1e-10,
                    "drift for the requested power",
                )?;
                let lower = upper.iter().map(|&b| (spec.sides == Sides::Two).then_some(-b)).collect();
                (upper, lower, drift, stages.clone(), stages)
            }
        };
        let null_exits = exit_probabilities(&null_stages, 0.0);
        let h1_exits = exit_probabilities(&stages, drift);
        let h0_exits = exit_probabilities(&stages, 0.0);
        let (mut alpha_spent, mut beta_spent, mut power_spent) = (0.0, 0.0, 0.0);
        let looks = fractions
            .iter()
            .enumerate()
            .map(|(k, &fraction)| {
                alpha_spent += null_exits[k].upper + if spec.sides == Sides::Two { null_exits[k].lower } else { 0.0 };
                power_spent += h1_exits[k].upper;
                beta_spent += h1_exits[k].lower;
                let b = upper[k];
                let one_sided_p = norm_sf(b);
                LookBoundary {
                    fraction,
                    upper: b,
                    lower: lower[k],
                    nominal_p: if spec.sides == Sides::Two { 2.0 * one_sided_p } else { one_sided_p },
                    alpha_spent,
                    beta_spent: spec.futility.map(|_| beta_spent.min(1.0 - spec.power)),
                    power_spent,
                }
            })
            .collect();
        Ok(Design {
            looks,
            drift,
            fixed_drift,
            inflation: (drift / fixed_drift).powi(2),
            expected_fraction_h0: expected_fraction(fractions, &h0_exits),
            expected_fraction_h1: expected_fraction(fractions, &h1_exits),
            spec,
        })
    }

    /// Continuation regions of the monitoring rule (futility bounds included).
    pub(crate) fn stages(&self) -> Vec<Stage> {
        self.looks
            .iter()
            .map(|look| Stage {
                info: look.fraction,
                lower: look.lower.unwrap_or(f64::NEG_INFINITY),
                upper: look.upper,
            })
            .collect()
    }

    /// Conditional power at look `look` (0-based) having observed `z`: the
    /// probability of crossing a later efficacy boundary under drift θ.
    /// Use `self.drift` for "under the design effect", `z / √t` for "under the
    /// current trend". Jennison & Turnbull (2000) §10.2: the process after look
    /// `k` is `W_j = S_j − S_k` with drift θ and information `I_j − I_k`, so each
    /// later boundary `b_j` becomes `(b_j √I_j − z √I_k) / √(I_j − I_k)` for W.
    pub fn conditional_power(&self, look: usize, z: f64, theta: f64) -> Result<f64, StatsError> {
        if look + 1 >= self.looks.len() {
            return Err(StatsError::Inconsistent(format!(
                "conditional power needs a later look: look {} of {}",
                look + 1,
                self.looks.len()
            )));
        }
        let t_now = self.looks[look].fraction;
        let shifted = |bound: f64, t: f64| (bound * t.sqrt() - z * t_now.sqrt()) / (t - t_now).sqrt();
        let stages: Vec<Stage> = self.stages()[look + 1..]
            .iter()
            .map(|s| Stage {
                info: s.info - t_now,
                lower: if s.lower.is_finite() { shifted(s.lower, s.info) } else { f64::NEG_INFINITY },
                upper: shifted(s.upper, s.info),
            })
            .collect();
        Ok(power_at(&stages, theta))
    }

    /// Conditional power at look `look` (1-based) having observed `z`, under the design effect,
    /// the current trend `z / √t` and H0 (see [`Design::conditional_power`]).
    pub fn conditional_powers(&self, look: usize, z: f64) -> Result<ConditionalPower, StatsError> {
        let index = look.checked_sub(1).filter(|&k| k < self.looks.len()).ok_or_else(|| {
            StatsError::Inconsistent(format!("the look must be 1 to {}, got {look}", self.looks.len()))
        })?;
        let trend = z / self.looks[index].fraction.sqrt();
        Ok(ConditionalPower {
            look,
            z,
            under_design_effect: self.conditional_power(index, z, self.drift)?,
            under_current_trend: self.conditional_power(index, z, trend)?,
            under_h0: self.conditional_power(index, z, 0.0)?,
            drift_design: self.drift,
            drift_trend: trend,
            kind: "probability of crossing a later efficacy boundary (futility bounds obeyed), J&T 2000 §10.2",
        })
    }
}

/// Conditional power at an interim look under three effects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionalPower {
    /// 1-based look at which `z` was observed.
    pub look: usize,
    pub z: f64,
    pub under_design_effect: f64,
    pub under_current_trend: f64,
    pub under_h0: f64,
    pub drift_design: f64,
    pub drift_trend: f64,
    pub kind: &'static str,
}
