//! The beta-discrete-Weibull (BdW) model of how long customers stay (Fader,
//! Hardie, Liu, Davin & Steenburgh 2018, "'How to project customer retention'
//! revisited: the role of duration dependence", J. Interactive Marketing
//! 43:1–16).
//!
//! Story: the sBG's constant churn probability becomes a discrete Weibull one.
//! A customer with churn parameter θ still active at the start of period t
//! leaves in it with probability
//!
//! - θ(t) = 1 − (1 − θ)^(t^c − (t−1)^c), θ ~ Beta(α, β),
//!
//! so c < 1 gives individual hazards that fall with tenure, c > 1 rising ones,
//! and c = 1 the sBG ([`super::sbg`]). Integrating θ out,
//!
//! - S(t | α, β, c) = B(α, β + t^c) / B(α, β),
//! - the cohort's hazard h_t = 1 − S(t)/S(t − 1).
//!
//! The likelihood is the sBG's risk-set form with this hazard (see
//! [`super::sbg`]'s module docs: exact for staggered arrivals too).

use serde::Serialize;

use statrs::function::gamma::{digamma, ln_gamma};

use super::optimize::{covariance, logit_interval, maximize_log_likelihood};
use super::sbg::{self, Cohort};
use super::special::ln_beta;
use super::{Estimate, PredictError, Projected};

/// S(t | α, β, c) = B(α, β + t^c)/B(α, β).
pub fn survival(alpha: f64, beta: f64, c: f64, t: f64) -> f64 {
    (ln_beta(alpha, beta + t.powf(c)) - ln_beta(alpha, beta)).exp()
}

/// h_t = 1 − S(t)/S(t − 1) = 1 − B(α, β + t^c)/B(α, β + (t − 1)^c), as −expm1 of the
/// log ratio so small hazards keep their precision.
fn hazard(alpha: f64, beta: f64, c: f64, t: usize) -> f64 {
    let t = t as f64;
    -(ln_beta(alpha, beta + t.powf(c)) - ln_beta(alpha, beta + (t - 1.0).powf(c))).exp_m1()
}

/// The risk-set log-likelihood Σ_t [d_t ln h_t + (m_t − d_t) ln(1 − h_t)].
pub fn log_likelihood(alpha: f64, beta: f64, c: f64, cohort: &Cohort) -> f64 {
    log_likelihood_with_gradient(alpha, beta, c, cohort, &mut [0.0; 3])
}

/// The risk-set log-likelihood with its gradient in (α, β, c) written into `grad`.
///
/// With u_t = β + t^c, the log-survival increment D_t = ln S(t) − ln S(t − 1) =
/// ln B(α, u_t) − ln B(α, u_{t−1}) (ln Γ(α) cancels), h_t = −expm1(D_t) and ln(1 − h_t) = D_t,
/// so the likelihood is Σ_t [d_t ln h_t + (m_t − d_t) D_t] and its derivative
/// Σ_t [(m_t − d_t) − d_t (1 − h_t)/h_t] ∂D_t. From ∂ ln B(α, u)/∂α = ψ(α) − ψ(α + u) and
/// ∂ ln B(α, u)/∂u = ψ(u) − ψ(α + u) =: B(u), with ∂u_t/∂c = t^c ln t:
///
/// - ∂D_t/∂α = ψ(α + u_{t−1}) − ψ(α + u_t)
/// - ∂D_t/∂β = B(u_t) − B(u_{t−1})
/// - ∂D_t/∂c = B(u_t) t^c ln t − B(u_{t−1}) (t − 1)^c ln(t − 1)
///
/// (the survival function S(t) = B(α, β + t^c)/B(α, β) of Fader et al. 2018, differentiated;
/// ψ is the digamma function). Each ln B and ψ is computed once per period.
fn log_likelihood_with_gradient(alpha: f64, beta: f64, c: f64, cohort: &Cohort, grad: &mut [f64]) -> f64 {
    // At age t: ln Γ(u) − ln Γ(α + u) (ln B(α, u) less its ln Γ(α)), ψ(α + u), B(u) and t^c ln t.
    let at = |t: usize| {
        let tc = (t as f64).powf(c);
        let u = beta + tc;
        let psi_au = digamma(alpha + u);
        let log_t = if t > 1 { tc * (t as f64).ln() } else { 0.0 };
        (ln_gamma(u) - ln_gamma(alpha + u), psi_au, digamma(u) - psi_au, log_t)
    };
    let mut before = at(0);
    let (mut ll, mut g) = (0.0, [0.0; 3]);
    for (t, m, d) in cohort.risk_sets() {
        let now = at(t);
        let increment = now.0 - before.0;
        let h = -increment.exp_m1();
        let stay = m - d;
        ll += (if d > 0.0 { d * h.ln() } else { 0.0 }) + (if stay > 0.0 { stay * increment } else { 0.0 });
        let weight = stay - if d > 0.0 { d * (1.0 - h) / h } else { 0.0 };
        g[0] += weight * (before.1 - now.1);
        g[1] += weight * (now.2 - before.2);
        g[2] += weight * (now.2 * now.3 - before.2 * before.3);
        before = now;
    }
    grad.copy_from_slice(&g);
    ll
}

/// A fitted BdW model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BdwFit {
    pub alpha: Estimate,
    pub beta: Estimate,
    /// The Weibull shape: below 1, each customer's churn probability falls with tenure.
    pub c: Estimate,
    pub log_likelihood: f64,
    /// Periods the fit saw.
    pub periods: usize,
    #[serde(skip)]
    covariance: Option<Vec<Vec<f64>>>,
}

/// Heterogeneity estimates beyond these are reported as not converging (the sBG's bounds:
/// α, β → ∞ at a fixed ratio is a cohort without heterogeneity).
const PLAUSIBLE: (f64, f64) = (1e-6, 1e6);

/// Duration dependence beyond these is reported as not converging: c → 0 or ∞ is churn
/// concentrated at the first period or put off to none.
const PLAUSIBLE_C: (f64, f64) = (1e-3, 1e3);

/// Maximum likelihood fit of (α, β, c): BFGS on (ln α, ln β, ln c) with the analytic
/// gradient ([`maximize_log_likelihood`]), started at the sBG's estimates with c = 1 (the
/// nested model) when the sBG fits, else at α = β = c = 1; standard errors from the Hessian
/// (central differences of that gradient) of −LL at the maximum.
pub fn fit(cohort: &Cohort) -> Result<BdwFit, PredictError> {
    cohort.require_losses()?;
    let start = sbg::fit(cohort).map_or([1.0; 3], |s| [s.alpha.value, s.beta.value, 1.0]);
    let log_lik = |p: &[f64], grad: &mut [f64]| log_likelihood_with_gradient(p[0], p[1], p[2], cohort, grad);
    let estimates = maximize_log_likelihood(log_lik, &start, &[PLAUSIBLE, PLAUSIBLE, PLAUSIBLE_C])?;
    let (alpha, beta, c) = (estimates[0], estimates[1], estimates[2]);
    let (plausible, plausible_c) = (PLAUSIBLE.0..PLAUSIBLE.1, PLAUSIBLE_C.0..PLAUSIBLE_C.1);
    if !plausible.contains(&alpha) || !plausible.contains(&beta) || !plausible_c.contains(&c) {
        return Err(PredictError::NoConvergence(format!(
            "the estimates ran off to α = {alpha:.3e}, β = {beta:.3e}, c = {c:.3e}: \
             the data do not pin down heterogeneity and duration dependence together"
        )));
    }
    let covariance = covariance(log_lik, &[alpha, beta, c]);
    let se = |i: usize| covariance.as_ref().map(|m| m[i][i].sqrt());
    Ok(BdwFit {
        alpha: Estimate { value: alpha, std_error: se(0) },
        beta: Estimate { value: beta, std_error: se(1) },
        c: Estimate { value: c, std_error: se(2) },
        log_likelihood: log_likelihood(alpha, beta, c, cohort),
        periods: cohort.periods(),
        covariance,
    })
}

impl BdwFit {
    fn at(&self) -> [f64; 3] {
        [self.alpha.value, self.beta.value, self.c.value]
    }

    /// S(t) at the estimates.
    pub fn survival(&self, t: f64) -> f64 {
        survival(self.alpha.value, self.beta.value, self.c.value, t)
    }

    /// The hazard of period t at the estimates.
    pub(super) fn hazard(&self, t: usize) -> f64 {
        hazard(self.alpha.value, self.beta.value, self.c.value, t)
    }

    /// S(t) with a 95 % delta-method interval on the logit scale, as the sBG's
    /// ([`sbg::SbgFit::project`]); it collapses to the point without a covariance.
    pub fn project(&self, t: f64) -> Projected {
        logit_interval(|p: &[f64]| survival(p[0], p[1], p[2], t), &self.at(), self.covariance.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::super::optimize::assert_gradient_matches;
    use super::*;

    #[test]
    fn the_gradient_is_the_derivative_of_the_likelihood() {
        let cohort = Cohort::from_survivors(&[1000.0, 631.0, 468.0, 382.0, 382.0, 326.0, 0.0]).expect("valid");
        let log_lik = |p: &[f64], grad: &mut [f64]| log_likelihood_with_gradient(p[0], p[1], p[2], &cohort, grad);
        for p in [[0.456, 0.779, 1.283], [0.05, 0.3, 0.4], [30.0, 400.0, 2.5]] {
            assert_gradient_matches(log_lik, &p);
        }
    }

    #[test]
    fn survival_is_the_product_of_one_minus_the_hazards() {
        let (a, b, c) = (0.7, 1.2, 0.6);
        let product: f64 = (1..=10).map(|t| 1.0 - hazard(a, b, c, t)).product();
        assert!((survival(a, b, c, 10.0) - product).abs() < 1e-12);
        assert_eq!(survival(a, b, c, 0.0), 1.0);
    }

    #[test]
    fn the_likelihood_equals_the_survivor_form() {
        // Σ_t n_t ln P(T = t) + (N − Σ n_t) ln S(n) with P(T = t) = S(t − 1) − S(t).
        let s = [1000.0, 631.0, 468.0, 382.0];
        let cohort = Cohort::from_survivors(&s).expect("valid");
        let (a, b, c) = (0.8, 1.5, 1.3);
        let p = |t: f64| survival(a, b, c, t - 1.0) - survival(a, b, c, t);
        let direct =
            (1..4).map(|t| (s[t - 1] - s[t]) * p(t as f64).ln()).sum::<f64>() + s[3] * survival(a, b, c, 3.0).ln();
        assert!((log_likelihood(a, b, c, &cohort) - direct).abs() < 1e-9);
    }

    #[test]
    fn c_equal_to_one_is_the_sbg() {
        // Equal up to rounding: the BdW's hazard is a difference of ln Γ values of up to ~1,000
        // here, each good to ~1e-16 of its size, so to ~1e-12 absolute; the sBG's is a ratio.
        let cohort = Cohort::from_survivors(&[1000.0, 631.0, 468.0, 382.0, 326.0]).expect("valid");
        for (a, b) in [(0.7, 1.2), (3.0, 40.0), (0.05, 0.3)] {
            for t in 1..200 {
                let (bdw, sbg) = (hazard(a, b, 1.0, t), sbg::hazard(a, b, t));
                assert!((bdw - sbg).abs() <= 1e-11, "h_{t}: {bdw} vs {sbg}");
                let t = t as f64;
                assert!((survival(a, b, 1.0, t) / sbg::survival(a, b, t) - 1.0).abs() < 1e-10);
            }
            let (bdw, sbg) = (log_likelihood(a, b, 1.0, &cohort), sbg::log_likelihood(a, b, &cohort));
            assert!((bdw - sbg).abs() < 1e-9 * sbg.abs(), "{bdw} vs {sbg}");
        }
    }

    #[test]
    fn refuses_a_cohort_nobody_left() {
        assert!(fit(&Cohort::from_survivors(&[10.0, 10.0, 10.0]).expect("valid")).is_err());
    }
}
