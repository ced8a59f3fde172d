//! Which retention model projects a cohort: the sBG ([`super::sbg`]) or the
//! BdW ([`super::bdw`]), chosen on a held-out tail of the observed periods.
//!
//! Both are fitted to the first ⌈2n/3⌉ of the n observed periods and scored by
//! the log-likelihood of the last third given survival to its start (the
//! risk-set likelihood of those periods, [`Cohort`]). The BdW nests the sBG
//! (c = 1), so on the fitted periods it can only do better; on the held-out
//! ones its extra parameter must earn its keep: it is chosen when it beats the
//! sBG there by more than [`BDW_MARGIN`] log-likelihood units, the 5 % critical
//! value of a likelihood-ratio test of c = 1 (χ²₁,₀.₉₅ / 2). The chosen model
//! is then refitted to all n periods.
//!
//! **Intervals beyond the window.** The delta-method interval of the chosen
//! model covers its parameter uncertainty only. The held-out tail also shows
//! how far the model drifts from the data once past the periods it saw: the
//! error e = ln KM − ln Ŝ of the conditional survival over the tail (Kaplan–
//! Meier against the model fitted to the first ⌈2n/3⌉ periods). Less its
//! sampling noise (Greenwood's variance v of ln KM), b = √max(0, e² − v)
//! estimates that drift over the tail's n − n₁ periods. Assuming the hazard
//! error behind it persists, a projection to period t > n is widened by
//! b · (t − n)/(n − n₁) on each side, on the logit scale of S(t) (the
//! delta-method interval's scale). An assumption, stated here and in
//! docs/predict.md: a change after the window (an effect that fades, say)
//! is invisible to it.
//!
//! [`fit_daily`] applies this to a simulated journey's daily risk sets.

use serde::Serialize;

use super::bdw::{self, BdwFit};
use super::sbg::{self, Cohort, SbgFit};
use super::{PredictError, Projected};

/// Held-out log-likelihood gain the BdW needs over the sBG: χ²₁,₀.₉₅ / 2 = 3.8415 / 2.
pub const BDW_MARGIN: f64 = 1.920_729_410_347_062;

/// Fewest observed periods that leave a held-out tail to choose on; shorter
/// cohorts get the sBG.
pub const MIN_PERIODS_TO_CHOOSE: usize = 6;

/// The retention model a projection used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RetentionModel {
    /// Shifted-beta-geometric (Fader & Hardie 2007).
    Sbg,
    /// Beta-discrete-Weibull (Fader, Hardie, Liu, Davin & Steenburgh 2018).
    Bdw,
}

impl RetentionModel {
    /// `sbg` or `bdw`.
    pub fn id(self) -> &'static str {
        match self {
            RetentionModel::Sbg => "sbg",
            RetentionModel::Bdw => "bdw",
        }
    }

    /// The model's usual name: `sBG` or `BdW`.
    pub fn title(self) -> &'static str {
        match self {
            RetentionModel::Sbg => "sBG",
            RetentionModel::Bdw => "BdW",
        }
    }
}

/// The models behind a set of fits, for people: `BdW` when every fit chose it,
/// `BdW ×4, sBG ×1` when they differ, `n/a` when there is none.
pub fn describe(models: &[RetentionModel]) -> String {
    let count = |m: RetentionModel| models.iter().filter(|&&x| x == m).count();
    let counts: Vec<(RetentionModel, usize)> =
        [RetentionModel::Bdw, RetentionModel::Sbg].into_iter().map(|m| (m, count(m))).filter(|&(_, n)| n > 0).collect();
    match counts.as_slice() {
        [] => "n/a".into(),
        [(m, _)] => m.title().into(),
        _ => counts.iter().map(|(m, n)| format!("{} ×{n}", m.title())).collect::<Vec<_>>().join(", "),
    }
}

/// How the choice was made: both models fitted to the first `fit_periods`
/// periods, scored on the rest (None where a model could not be fitted or no
/// tail was held out).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Holdout {
    pub fit_periods: usize,
    pub sbg: Option<f64>,
    pub bdw: Option<f64>,
    /// b: the chosen model's drift over the held-out tail, net of sampling noise (module docs).
    pub drift: f64,
}

/// The chosen model, refitted to every observed period.
#[derive(Clone, Debug, PartialEq)]
pub enum Chosen {
    Sbg(SbgFit),
    Bdw(BdwFit),
}

/// A retention fit with the model choice behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct RetentionFit {
    pub holdout: Holdout,
    pub chosen: Chosen,
    /// n: the periods observed.
    pub periods: usize,
}

/// Fits both models on the first ⌈2n/3⌉ periods, chooses on the rest (module
/// docs) and refits the chosen one to all n; falls back to the other model
/// when the chosen one cannot be refitted.
pub fn fit(cohort: &Cohort) -> Result<RetentionFit, PredictError> {
    cohort.require_losses()?;
    let n = cohort.periods();
    let fit_periods = if n >= MIN_PERIODS_TO_CHOOSE { (2 * n).div_ceil(3) } else { n };
    let train = cohort.first(fit_periods);
    // Per model fitted to the first periods: its held-out log-likelihood and its drift.
    let score = |hazard: &dyn Fn(usize) -> f64| {
        let (log_km, variance) = cohort.log_km_from(fit_periods);
        let log_model: f64 = (fit_periods + 1..=n).map(|t| (-hazard(t)).ln_1p()).sum();
        let e = log_km - log_model;
        let drift = if e.is_finite() && variance.is_finite() { (e * e - variance).max(0.0).sqrt() } else { 0.0 };
        (cohort.log_likelihood_from(fit_periods, hazard), drift)
    };
    let sbg_score = sbg::fit(&train).ok().map(|f| score(&|t| f.hazard(t)));
    let bdw_score = if fit_periods < n { bdw::fit(&train).ok().map(|f| score(&|t| f.hazard(t))) } else { None };
    let prefer_bdw = match (sbg_score, bdw_score) {
        (Some(s), Some(b)) => b.0 - s.0 > BDW_MARGIN,
        (None, Some(_)) => true,
        _ => false,
    };
    let chosen = if prefer_bdw {
        bdw::fit(cohort).map(Chosen::Bdw).or_else(|_| sbg::fit(cohort).map(Chosen::Sbg))?
    } else {
        sbg::fit(cohort).map(Chosen::Sbg).or_else(|_| bdw::fit(cohort).map(Chosen::Bdw))?
    };
    let used = if matches!(chosen, Chosen::Bdw(_)) { bdw_score } else { sbg_score };
    let holdout = Holdout {
        fit_periods,
        sbg: sbg_score.map(|s| s.0),
        bdw: bdw_score.map(|s| s.0),
        drift: if fit_periods < n { used.map_or(0.0, |s| s.1) } else { 0.0 },
    };
    Ok(RetentionFit { holdout, chosen, periods: n })
}

impl RetentionFit {
    /// The model the projection uses.
    pub fn model(&self) -> RetentionModel {
        match self.chosen {
            Chosen::Sbg(_) => RetentionModel::Sbg,
            Chosen::Bdw(_) => RetentionModel::Bdw,
        }
    }

    /// S(t) with the chosen model's 95 % delta-method interval, widened beyond the
    /// observed periods by the held-out drift (module docs).
    pub fn project(&self, t: f64) -> Projected {
        let p = match &self.chosen {
            Chosen::Sbg(f) => f.project(t),
            Chosen::Bdw(f) => f.project(t),
        };
        let n = self.periods as f64;
        let tail = (n - self.holdout.fit_periods as f64).max(1.0);
        let widen = self.holdout.drift * (t - n).max(0.0) / tail;
        let logit = |s: f64| (s / (1.0 - s)).ln();
        let inv = |z: f64| 1.0 / (1.0 + (-z).exp());
        Projected { value: p.value, lower: inv(logit(p.lower) - widen), upper: inv(logit(p.upper) + widen) }
    }
}

/// A retention model fitted to a simulated journey's daily Kaplan–Meier risk sets.
///
/// Age day 0 is the arrival day: a partial day (users arrive at any hour of it) on which
/// the engine draws no churn, so it is not a period like the others, and a model made to
/// start its hazard there is bent out of shape by it (the sBG then projects 12-month
/// survival at less than half the simulated). So the model describes the hazard from age
/// day 1 on — its period t is age day t — and day 0 enters as its Kaplan–Meier factor:
/// S(end of age day k) = S₀ · S_model(k), S₀ = 1 − d₀/n₀ (its sampling error, over
/// every arrival, is left out of the interval).
#[derive(Clone, Debug, PartialEq)]
pub struct DailyFit {
    /// S₀: the share not lost on the arrival day.
    pub arrival_day: f64,
    pub fit: RetentionFit,
}

/// [`fit`] on age days 1 … the last observed, with the arrival day as a factor ([`DailyFit`]).
pub fn fit_daily(retention: &crate::engine::RetentionCurves) -> Result<DailyFit, PredictError> {
    let observed = retention.at_risk.iter().rposition(|&n| n > 0).map_or(0, |k| k + 1);
    if observed < 2 {
        return Err(PredictError::InvalidData("fewer than two age days observed: nothing to fit".into()));
    }
    let floats = |v: &[u64]| v[..observed].iter().map(|&n| n as f64).collect::<Vec<f64>>();
    let (at_risk, lost) = (floats(&retention.at_risk), floats(&retention.lost));
    let cohort = Cohort::from_risk_sets(&at_risk[1..], &lost[1..])?;
    Ok(DailyFit { arrival_day: 1.0 - lost[0] / at_risk[0], fit: fit(&cohort)? })
}

impl DailyFit {
    /// The share still active at the end of age day `age` (≥ 1), with its 95 % interval.
    pub fn project_age(&self, age: usize) -> Projected {
        let p = self.fit.project(age as f64);
        let s0 = self.arrival_day;
        Projected { value: s0 * p.value, lower: s0 * p.lower, upper: s0 * p.upper }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_the_models_used() {
        use RetentionModel::{Bdw, Sbg};
        assert_eq!(describe(&[]), "n/a");
        assert_eq!(describe(&[Bdw, Bdw]), "BdW");
        assert_eq!(describe(&[Sbg, Bdw, Bdw]), "BdW ×2, sBG ×1");
    }

    #[test]
    fn a_tail_the_model_predicts_adds_no_drift_and_a_missed_one_widens_the_projection() {
        // Expected survivors of an sBG cohort (α = 0.7, β = 3) over 30 periods: the held-out tail is
        // exactly as the model says, so the interval is the delta method's alone.
        let exact: Vec<f64> = (0..=30).map(|t| 1e5 * sbg::survival(0.7, 3.0, f64::from(t))).collect();
        let fit = fit(&Cohort::from_survivors(&exact).expect("valid")).expect("fits");
        assert_eq!((fit.model(), fit.holdout.fit_periods), (RetentionModel::Sbg, 20));
        assert!(fit.holdout.drift < 1e-3, "{:?}", fit.holdout);
        // The same cohort whose last ten periods lose a third fewer than the model says: drift
        // appears and widens the projection beyond the window, not inside it.
        let mut bent = exact.clone();
        for t in 21..=30 {
            let lost = (exact[t - 1] - exact[t]) * 2.0 / 3.0;
            bent[t] = bent[t - 1] - lost;
        }
        let drifting = super::fit(&Cohort::from_survivors(&bent).expect("valid")).expect("fits");
        assert!(drifting.holdout.drift > 0.05, "{:?}", drifting.holdout);
        let width = |p: Projected| p.upper - p.lower;
        assert!(width(drifting.project(100.0)) > 2.0 * width(model_only_at(&drifting, 100.0)));
        // Equal up to the rounding of the logit and back.
        let (inside, model_only) = (drifting.project(30.0).lower, model_only_at(&drifting, 30.0).lower);
        assert!((inside - model_only).abs() < 1e-14, "{inside} vs {model_only}");
    }

    fn model_only_at(fit: &RetentionFit, t: f64) -> Projected {
        match &fit.chosen {
            Chosen::Sbg(f) => f.project(t),
            Chosen::Bdw(f) => f.project(t),
        }
    }
}
