//! The shifted-beta-geometric (sBG) model of how long customers stay
//! (Fader & Hardie 2007, "How to project customer retention", J. Interactive
//! Marketing 21:76–90; equation numbers below are that article's).
//!
//! Story: at the end of each period a customer still active leaves with
//! probability θ (geometric duration, eq. 1–2); θ varies across customers as
//! Beta(α, β) (eq. 3). Then, for t = 1, 2, …
//!
//! - P(T = t | α, β) = B(α + 1, β + t − 1) / B(α, β)  (eq. 4)
//! - S(t | α, β) = B(α, β + t) / B(α, β)  (eq. 5)
//! - retention rate r_t = S(t)/S(t − 1) = (β + t − 1)/(α + β + t − 1)  (eq. 8),
//!   so the cohort's hazard α/(α + β + t − 1) falls as the leavers sort out.
//!
//! The log-likelihood of a cohort observed for n periods is eq. 7,
//! LL = Σ_{t=1}^{n} n_t ln P(T = t) + (N − Σ n_t) ln S(n). Written through the
//! hazard it becomes Σ_t [d_t ln h_t + (m_t − d_t) ln(1 − h_t)] with m_t customers
//! at risk at the start of period t and d_t lost in it — the same number for a
//! single cohort, and the exact likelihood when arrivals are staggered and
//! customers are censored at different ages (Kaplan–Meier risk sets), which
//! is how simulated cohorts arrive.

use serde::Serialize;

use super::optimize::{covariance, logit_interval, maximize_log_likelihood};
use super::special::ln_beta;
use super::{Estimate, PredictError, Projected};

/// A cohort's duration data by period t = 1 … n: customers at risk at the
/// start of the period and customers lost during it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cohort {
    at_risk: Vec<f64>,
    lost: Vec<f64>,
}

impl Cohort {
    /// From survivors at the start of period 1 (the cohort size) and at the end of
    /// each period: `[1000, 631, 468, …]`. Survivors must not rise.
    pub fn from_survivors(survivors: &[f64]) -> Result<Self, PredictError> {
        if survivors.len() < 2 {
            return Err(PredictError::InvalidData(
                "give the cohort size and the survivors of at least one period".into(),
            ));
        }
        // Every problem at once: bad counts, then every rise.
        let mut problems: Vec<String> = Vec::new();
        if survivors[0] <= 0.0 {
            problems.push("the cohort size (first number) must be positive".into());
        }
        for (i, s) in survivors.iter().enumerate() {
            if !s.is_finite() || *s < 0.0 {
                problems.push(format!("survivor count {i} ({s}) must be ≥ 0"));
            }
        }
        for (t, w) in survivors.windows(2).enumerate().filter(|(_, w)| w[1] > w[0]) {
            problems.push(format!(
                "survivors rise from {} to {} at period {}: a cohort can only shrink",
                w[0],
                w[1],
                t + 1
            ));
        }
        if !problems.is_empty() {
            return Err(PredictError::InvalidData(problems.join("; ")));
        }
        let at_risk = survivors[..survivors.len() - 1].to_vec();
        let lost = survivors.windows(2).map(|w| w[0] - w[1]).collect();
        Ok(Cohort { at_risk, lost })
    }

    /// From Kaplan–Meier risk sets: `at_risk[t]` customers started period t + 1
    /// under observation and `lost[t]` of them left during it.
    pub fn from_risk_sets(at_risk: &[f64], lost: &[f64]) -> Result<Self, PredictError> {
        if at_risk.len() != lost.len() || at_risk.is_empty() {
            return Err(PredictError::InvalidData("risk sets and losses need the same, non-zero length".into()));
        }
        if let Some(t) = at_risk.iter().zip(lost).position(|(m, d)| !(0.0..=*m).contains(d) || !m.is_finite()) {
            return Err(PredictError::InvalidData(format!(
                "period {}: {} lost out of {} at risk is impossible",
                t + 1,
                lost[t],
                at_risk[t]
            )));
        }
        Ok(Cohort { at_risk: at_risk.to_vec(), lost: lost.to_vec() })
    }

    /// From a simulated journey's Kaplan–Meier risk sets: age day k is period k + 1,
    /// up to the last age anyone was observed at.
    pub fn from_retention(retention: &crate::engine::RetentionCurves) -> Result<Self, PredictError> {
        let observed = retention.at_risk.iter().rposition(|&n| n > 0).map_or(0, |k| k + 1);
        let at_risk: Vec<f64> = retention.at_risk[..observed].iter().map(|&n| n as f64).collect();
        let lost: Vec<f64> = retention.lost[..observed].iter().map(|&d| d as f64).collect();
        Cohort::from_risk_sets(&at_risk, &lost)
    }

    /// Periods observed.
    pub fn periods(&self) -> usize {
        self.at_risk.len()
    }

    /// The first `n` periods only (to fit on part of the data and project the rest).
    pub fn first(&self, n: usize) -> Cohort {
        let n = n.min(self.periods());
        Cohort { at_risk: self.at_risk[..n].to_vec(), lost: self.lost[..n].to_vec() }
    }

    /// Refuses a cohort nobody left: no model of duration can be fitted to it.
    pub(super) fn require_losses(&self) -> Result<(), PredictError> {
        if self.lost.iter().sum::<f64>() > 0.0 {
            Ok(())
        } else {
            Err(PredictError::InvalidData("nobody left the cohort: retention cannot be estimated".into()))
        }
    }

    /// ln of the Kaplan–Meier survival over periods t = `from` + 1 … n,
    /// Σ ln(1 − d_t/m_t), and its Greenwood variance Σ d_t/(m_t (m_t − d_t))
    /// (Kalbfleisch & Prentice 2002, §1.4).
    pub(super) fn log_km_from(&self, from: usize) -> (f64, f64) {
        (from..self.periods())
            .filter(|&i| self.at_risk[i] > 0.0)
            .map(|i| {
                let (m, d) = (self.at_risk[i], self.lost[i]);
                ((-d / m).ln_1p(), d / (m * (m - d)))
            })
            .fold((0.0, 0.0), |(a, v), (x, w)| (a + x, v + w))
    }

    /// (t, m_t, d_t) for t = 1 … n: the period, customers at risk at its start, and lost in it.
    pub(super) fn risk_sets(&self) -> impl Iterator<Item = (usize, f64, f64)> + '_ {
        self.at_risk.iter().zip(&self.lost).enumerate().map(|(i, (m, d))| (i + 1, *m, *d))
    }

    /// The risk-set log-likelihood Σ_t [d_t ln h_t + (m_t − d_t) ln(1 − h_t)] over periods
    /// t = `from` + 1 … n, given each period's hazard h_t (module docs). From 0 it is the
    /// whole likelihood; from k > 0 it is the likelihood of the later periods given survival
    /// to period k, which is how a held-out tail is scored.
    pub(super) fn log_likelihood_from(&self, from: usize, hazard: impl Fn(usize) -> f64) -> f64 {
        (from..self.periods())
            .map(|i| {
                let (m, d) = (self.at_risk[i], self.lost[i]);
                let h = hazard(i + 1);
                let stay = m - d;
                (if d > 0.0 { d * h.ln() } else { 0.0 }) + (if stay > 0.0 { stay * (-h).ln_1p() } else { 0.0 })
            })
            .sum()
    }
}

/// Hazard of period t: h_t = 1 − r_t = α/(α + β + t − 1) (from eq. 8).
pub(super) fn hazard(alpha: f64, beta: f64, t: usize) -> f64 {
    alpha / (alpha + beta + t as f64 - 1.0)
}

/// The log-likelihood of eq. 7, in its risk-set form (module docs).
pub fn log_likelihood(alpha: f64, beta: f64, cohort: &Cohort) -> f64 {
    cohort.log_likelihood_from(0, |t| hazard(alpha, beta, t))
}

/// [`log_likelihood`] with its gradient in (α, β) written into `grad`. With
/// s_t = α + β + t − 1, ln h_t = ln α − ln s_t and ln(1 − h_t) = ln(β + t − 1) − ln s_t
/// (eq. 8), so differentiating the risk-set form of eq. 7 gives
/// ∂/∂α = Σ_t [d_t/α − m_t/s_t] and ∂/∂β = Σ_t [(m_t − d_t)/(β + t − 1) − m_t/s_t].
fn log_likelihood_with_gradient(alpha: f64, beta: f64, cohort: &Cohort, grad: &mut [f64]) -> f64 {
    let (mut d_alpha, mut d_beta) = (0.0, 0.0);
    for (t, m, d) in cohort.risk_sets() {
        let s = alpha + beta + t as f64 - 1.0;
        d_alpha += d / alpha - m / s;
        d_beta += (m - d) / (beta + t as f64 - 1.0) - m / s;
    }
    grad[0] = d_alpha;
    grad[1] = d_beta;
    log_likelihood(alpha, beta, cohort)
}

/// S(t | α, β) = B(α, β + t)/B(α, β) (eq. 5).
pub fn survival(alpha: f64, beta: f64, t: f64) -> f64 {
    (ln_beta(alpha, beta + t) - ln_beta(alpha, beta)).exp()
}

/// A fitted sBG model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SbgFit {
    pub alpha: Estimate,
    pub beta: Estimate,
    pub log_likelihood: f64,
    /// Periods the fit saw.
    pub periods: usize,
    #[serde(skip)]
    covariance: Option<Vec<Vec<f64>>>,
}

/// Estimates beyond these are reported as not converging: α, β → ∞ at a fixed ratio is a
/// cohort without heterogeneity (every customer the same churn probability), where the
/// likelihood keeps rising towards the boundary.
const PLAUSIBLE: (f64, f64) = (1e-6, 1e6);

/// Maximum likelihood fit of (α, β) to a cohort: BFGS on (ln α, ln β) with the analytic
/// gradient ([`maximize_log_likelihood`]) from α = β = 1; standard errors from the Hessian
/// (central differences of that gradient) of −LL at the maximum.
pub fn fit(cohort: &Cohort) -> Result<SbgFit, PredictError> {
    cohort.require_losses()?;
    let log_lik = |p: &[f64], grad: &mut [f64]| log_likelihood_with_gradient(p[0], p[1], cohort, grad);
    let estimates = maximize_log_likelihood(log_lik, &[1.0, 1.0], &[PLAUSIBLE; 2])?;
    let (alpha, beta) = (estimates[0], estimates[1]);
    let plausible = PLAUSIBLE.0..PLAUSIBLE.1;
    if !plausible.contains(&alpha) || !plausible.contains(&beta) {
        return Err(PredictError::NoConvergence(format!(
            "the estimates ran off to α = {alpha:.3e}, β = {beta:.3e}: the data do not pin down heterogeneity"
        )));
    }
    let covariance = covariance(log_lik, &[alpha, beta]);
    let se = |i: usize| covariance.as_ref().map(|c| c[i][i].sqrt());
    Ok(SbgFit {
        alpha: Estimate { value: alpha, std_error: se(0) },
        beta: Estimate { value: beta, std_error: se(1) },
        log_likelihood: log_likelihood(alpha, beta, cohort),
        periods: cohort.periods(),
        covariance,
    })
}

impl SbgFit {
    /// S(t) at the estimates.
    pub fn survival(&self, t: f64) -> f64 {
        survival(self.alpha.value, self.beta.value, t)
    }

    /// S(t) with a 95 % delta-method interval, built on the logit scale so it
    /// stays inside (0, 1); the interval collapses to the point when the
    /// covariance is unavailable.
    pub fn project(&self, t: f64) -> Projected {
        let at = [self.alpha.value, self.beta.value];
        logit_interval(|p: &[f64]| survival(p[0], p[1], t), &at, self.covariance.as_deref())
    }

    /// The hazard of period t at the estimates.
    pub(super) fn hazard(&self, t: usize) -> f64 {
        hazard(self.alpha.value, self.beta.value, t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::optimize::assert_gradient_matches;
    use super::*;

    #[test]
    fn the_gradient_is_the_derivative_of_the_likelihood() {
        let cohort = Cohort::from_survivors(&[1000.0, 631.0, 468.0, 382.0, 382.0, 326.0, 0.0]).expect("valid");
        let log_lik = |p: &[f64], grad: &mut [f64]| log_likelihood_with_gradient(p[0], p[1], &cohort, grad);
        for p in [[0.704, 1.182], [0.05, 0.3], [30.0, 400.0]] {
            assert_gradient_matches(log_lik, &p);
        }
    }

    #[test]
    fn survival_closed_form_matches_the_product_of_retention_rates() {
        let (a, b) = (0.7, 1.2);
        let product: f64 = (1..=10).map(|t| 1.0 - hazard(a, b, t)).product();
        assert!((survival(a, b, 10.0) - product).abs() < 1e-12);
    }

    #[test]
    fn risk_set_likelihood_equals_the_survivor_form_of_eq_7() {
        let s = [1000.0, 631.0, 468.0, 382.0];
        let cohort = Cohort::from_survivors(&s).expect("valid");
        let (a, b) = (0.8, 1.5);
        let p = |t: f64| survival(a, b, t - 1.0) - survival(a, b, t);
        let eq7 = (1..4).map(|t| (s[t - 1] - s[t]) * p(t as f64).ln()).sum::<f64>() + s[3] * survival(a, b, 3.0).ln();
        assert!((log_likelihood(a, b, &cohort) - eq7).abs() < 1e-9);
    }

    #[test]
    fn rejects_impossible_cohorts() {
        assert!(Cohort::from_survivors(&[1000.0]).is_err());
        assert!(Cohort::from_survivors(&[1000.0, 1001.0]).is_err());
        assert!(Cohort::from_survivors(&[0.0, 0.0]).is_err());
        let every = Cohort::from_survivors(&[1000.0, 600.0, 700.0, -1.0, 5.0]).expect_err("three problems").to_string();
        assert!(every.contains("rise from 600 to 700 at period 2"), "{every}");
        assert!(every.contains("survivor count 3 (-1) must be ≥ 0"), "{every}");
        assert!(every.contains("rise from -1 to 5 at period 4"), "{every}");
        assert!(Cohort::from_risk_sets(&[10.0], &[11.0]).is_err());
        assert!(fit(&Cohort::from_survivors(&[10.0, 10.0]).expect("valid")).is_err());
    }
}
