//! The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005,
//! "'Counting your customers' the easy way: an alternative to the Pareto/NBD
//! model", Marketing Science 24:275–284; equation numbers are that article's).
//!
//! Story: while active, a customer buys as a Poisson process of rate λ; after
//! each purchase she becomes inactive with probability p. Across customers
//! λ ~ Gamma(r, α) (rate α) and p ~ Beta(a, b). A customer is summarised by
//! x repeat purchases, the time t_x of the last one and her age T (time since
//! her first purchase), in any time unit used consistently.

use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use super::optimize::{covariance, delta_variance, maximize_log_likelihood};
use super::special::hyp2f1;
use super::{Estimate, PredictError, Projected};
use crate::stats::Z_975;

/// One customer's purchase summary (the convention of the `lifetimes` package).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Customer {
    /// x: repeat purchases (purchases after the first).
    pub frequency: u32,
    /// t_x: time from the first to the last purchase (0 without repeats).
    pub recency: f64,
    /// T: time from the first purchase to the end of observation.
    pub age: f64,
}

impl Customer {
    /// What makes the summary impossible, if anything.
    pub fn problem(&self) -> Option<String> {
        if !(self.age.is_finite() && self.age > 0.0) {
            return Some(format!("T = {} must be positive", self.age));
        }
        if !(self.recency.is_finite() && (0.0..=self.age).contains(&self.recency)) {
            return Some(format!("recency = {} must lie between 0 and T = {}", self.recency, self.age));
        }
        if self.frequency == 0 && self.recency != 0.0 {
            return Some(format!("recency = {} with no repeat purchase (frequency 0 needs recency 0)", self.recency));
        }
        None
    }
}

/// BG/NBD parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Params {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl Params {
    fn from_slice(p: &[f64]) -> Params {
        Params { r: p[0], alpha: p[1], a: p[2], b: p[3] }
    }

    fn to_vec(self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
    }

    /// The sample log-likelihood: the sum over customers of eq. 6,
    /// ln L = ln A₁ + ln A₂ + ln(A₃ + δ_{x>0} A₄) with
    /// A₁ = Γ(r + x) α^r / Γ(r), A₂ = Γ(a + b) Γ(b + x) / (Γ(b) Γ(a + b + x)),
    /// A₃ = (α + T)^−(r+x), A₄ = a/(b + x − 1) · (α + t_x)^−(r+x);
    /// the last sum is taken on the log scale to avoid underflow for heavy buyers.
    pub fn log_likelihood(&self, customers: &[Customer]) -> f64 {
        self.log_likelihood_with_gradient(customers.iter().map(|c| (c, 1.0)), &mut [0.0; 4])
    }

    /// Σ n · ln L(x, t_x, T) over (summary, count) pairs (eq. 6, see [`Params::log_likelihood`]),
    /// with its gradient in (r, α, a, b) written into `grad`. Differentiating eq. 6 term by
    /// term, with ψ the digamma function and w₃ = A₃/(A₃ + δA₄), w₄ = δA₄/(A₃ + δA₄):
    ///
    /// - ∂/∂r = ψ(r + x) − ψ(r) + ln α − w₃ ln(α + T) − w₄ ln(α + t_x)
    /// - ∂/∂α = r/α − (r + x) [w₃/(α + T) + w₄/(α + t_x)]
    /// - ∂/∂a = ψ(a + b) − ψ(a + b + x) + w₄/a
    /// - ∂/∂b = ψ(a + b) + ψ(b + x) − ψ(b) − ψ(a + b + x) − w₄/(b + x − 1)
    ///
    /// (derived here from eq. 6; the article fits without a gradient, and lifetimes takes
    /// it by automatic differentiation). The terms that do not depend on the customer are
    /// computed once per call.
    fn log_likelihood_with_gradient<'c>(
        &self,
        groups: impl IntoIterator<Item = (&'c Customer, f64)>,
        grad: &mut [f64],
    ) -> f64 {
        let Params { r, alpha, a, b } = *self;
        let (ln_alpha, lg_r, lg_ab, lg_b) = (alpha.ln(), ln_gamma(r), ln_gamma(a + b), ln_gamma(b));
        let (psi_r, psi_ab, psi_b) = (digamma(r), digamma(a + b), digamma(b));
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for (c, n) in groups {
            let x = f64::from(c.frequency);
            let (ln_at, ln_atx) = ((alpha + c.age).ln(), (alpha + c.recency).ln());
            let ln_a1 = ln_gamma(r + x) - lg_r + r * ln_alpha;
            let ln_a2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
            let ln_a3 = -(r + x) * ln_at;
            // The tail ln(A₃ + δA₄), its weights w₃, w₄, and the digammas that depend on x.
            let (tail, w3, w4, w4_b) = if c.frequency > 0 {
                let ln_a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * ln_atx;
                let m = ln_a3.max(ln_a4);
                let (e3, e4) = ((ln_a3 - m).exp(), (ln_a4 - m).exp());
                let w4 = e4 / (e3 + e4);
                (m + (e3 + e4).ln(), e3 / (e3 + e4), w4, w4 / (b + x - 1.0))
            } else {
                (ln_a3, 1.0, 0.0, 0.0)
            };
            let (psi_rx, psi_bx, psi_abx) = if c.frequency > 0 {
                (digamma(r + x), digamma(b + x), digamma(a + b + x))
            } else {
                (psi_r, psi_b, psi_ab)
            };
            ll += n * (ln_a1 + ln_a2 + tail);
            g[0] += n * (psi_rx - psi_r + ln_alpha - w3 * ln_at - w4 * ln_atx);
            g[1] += n * (r / alpha - (r + x) * (w3 / (alpha + c.age) + w4 / (alpha + c.recency)));
            g[2] += n * (psi_ab - psi_abx + w4 / a);
            g[3] += n * (psi_ab + psi_bx - psi_b - psi_abx - w4_b);
        }
        grad.copy_from_slice(&g);
        ll
    }

    /// (a/(b + x − 1)) · ((α + T)/(α + t_x))^(r+x) for x > 0, else 0: the odds
    /// that a customer with this history has become inactive.
    fn inactive_odds(&self, c: &Customer) -> f64 {
        if c.frequency == 0 {
            return 0.0;
        }
        let x = f64::from(c.frequency);
        self.a / (self.b + x - 1.0) * ((self.alpha + c.age) / (self.alpha + c.recency)).powf(self.r + x)
    }

    /// P(active | x, t_x, T) = 1 / (1 + δ_{x>0} a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x))
    /// (FHL 2005, appendix; Fader, Hardie & Lee 2008, "Computing P(alive) using the BG/NBD model").
    pub fn p_alive(&self, c: &Customer) -> f64 {
        1.0 / (1.0 + self.inactive_odds(c))
    }

    /// Expected purchases in the next `t` periods given the history, eq. 10:
    /// E[Y(t) | x, t_x, T] = (a + b + x − 1)/(a − 1) ·
    /// [1 − ((α + T)/(α + T + t))^(r+x) ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))]
    /// / (1 + δ_{x>0} a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x)).
    pub fn conditional_expected(&self, c: &Customer, t: f64) -> f64 {
        let Params { r, alpha, a, b } = *self;
        let x = f64::from(c.frequency);
        let z = t / (alpha + c.age + t);
        let bracket =
            1.0 - ((alpha + c.age) / (alpha + c.age + t)).powf(r + x) * hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        (a + b + x - 1.0) / (a - 1.0) * bracket / (1.0 + self.inactive_odds(c))
    }

    /// Expected purchases of a new customer in (0, t], eq. 7:
    /// E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))].
    pub fn expected_purchases(&self, t: f64) -> f64 {
        let Params { r, alpha, a, b } = *self;
        (a + b - 1.0) / (a - 1.0) * (1.0 - (alpha / (alpha + t)).powf(r) * hyp2f1(r, b, a + b - 1.0, t / (alpha + t)))
    }
}

/// A fitted BG/NBD model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BgNbdFit {
    pub r: Estimate,
    pub alpha: Estimate,
    pub a: Estimate,
    pub b: Estimate,
    pub log_likelihood: f64,
    pub customers: usize,
    #[serde(skip)]
    covariance: Option<Vec<Vec<f64>>>,
}

/// Customers with the same (x, t_x, T) contribute the same likelihood term: the distinct
/// summaries with their counts, in (x, t_x, T) order. Real summaries repeat a lot (times are
/// whole days or weeks; CDNOW's 2,357 customers have 1,016 distinct summaries), so the fit
/// evaluates far fewer terms; a sum over groups is the sum over customers.
pub(super) fn collapse(customers: &[Customer]) -> Vec<(Customer, f64)> {
    super::distinct_with_counts(customers, |c| (c.frequency, c.recency.to_bits(), c.age.to_bits()))
}

/// The summaries a four-parameter model of (x, t_x, T) can be fitted to: at least 4 customers, each
/// summary possible ([`Customer::problem`], located by its 1-based position), and some repeat buying.
pub(super) fn check_customers(customers: &[Customer], model: &str) -> Result<(), PredictError> {
    if customers.len() < 4 {
        return Err(PredictError::InvalidData(format!("the {model} needs at least 4 customers (it has 4 parameters)")));
    }
    if let Some((i, what)) = customers.iter().enumerate().find_map(|(i, c)| c.problem().map(|what| (i, what))) {
        return Err(PredictError::InvalidData(format!("customer {}: {what}", i + 1)));
    }
    if customers.iter().all(|c| c.frequency == 0) {
        return Err(PredictError::InvalidData("nobody bought again: repeat buying cannot be estimated".into()));
    }
    Ok(())
}

/// Estimates beyond these are reported as not converging: the likelihood kept rising
/// towards a boundary (b → ∞ is "nobody ever drops out", a → 0 the same; r, α → ∞ at a
/// fixed ratio is "everyone buys at the same rate"), so there is no interior maximum.
pub(super) const PLAUSIBLE: (f64, f64) = (1e-8, 1e8);

/// Maximum likelihood fit: BFGS on the log-parameters ([`maximize_log_likelihood`],
/// analytic gradient of [`Params::log_likelihood_with_gradient`]) from r = a = b = 1
/// and α = the mean age (α is a time scale); standard errors from the Hessian (central
/// differences of that gradient) of −LL at the maximum.
pub fn fit(customers: &[Customer]) -> Result<BgNbdFit, PredictError> {
    check_customers(customers, "BG/NBD")?;
    let mean_age = customers.iter().map(|c| c.age).sum::<f64>() / customers.len() as f64;
    let groups = collapse(customers);
    let log_lik = |p: &[f64], grad: &mut [f64]| {
        Params::from_slice(p).log_likelihood_with_gradient(groups.iter().map(|(c, n)| (c, *n)), grad)
    };
    let params = Params::from_slice(&maximize_log_likelihood(log_lik, &[1.0, mean_age, 1.0, 1.0], &[PLAUSIBLE; 4])?);
    if params.to_vec().iter().any(|v| !(PLAUSIBLE.0..PLAUSIBLE.1).contains(v)) {
        return Err(PredictError::NoConvergence(format!(
            "the estimates ran off to {params:?}: these customers do not pin down the BG/NBD \
             (too few, or too few repeat purchases, to tell buying rates from dropping out)"
        )));
    }
    let covariance = covariance(log_lik, &params.to_vec());
    let estimate = |i: usize, value: f64| Estimate { value, std_error: covariance.as_ref().map(|c| c[i][i].sqrt()) };
    Ok(BgNbdFit {
        r: estimate(0, params.r),
        alpha: estimate(1, params.alpha),
        a: estimate(2, params.a),
        b: estimate(3, params.b),
        log_likelihood: log_lik(&params.to_vec(), &mut [0.0; 4]),
        customers: customers.len(),
        covariance,
    })
}

impl BgNbdFit {
    pub fn params(&self) -> Params {
        Params { r: self.r.value, alpha: self.alpha.value, a: self.a.value, b: self.b.value }
    }

    /// E[X(t)] of eq. 7 with a 95 % delta-method interval on the log scale.
    pub fn project_purchases(&self, t: f64) -> Projected {
        let params = self.params();
        let value = params.expected_purchases(t);
        let Some(cov) = &self.covariance else {
            return Projected { value, lower: value, upper: value };
        };
        let log_expected = |p: &[f64]| Params::from_slice(p).expected_purchases(t).ln();
        let half = Z_975 * delta_variance(log_expected, &params.to_vec(), cov).max(0.0).sqrt();
        Projected { value, lower: value * (-half).exp(), upper: value * half.exp() }
    }
}

#[cfg(test)]
mod tests {
    use super::super::optimize::assert_gradient_matches;
    use super::*;

    #[test]
    fn a_customer_without_repeats_is_alive() {
        let p = Params { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        assert_eq!(p.p_alive(&Customer { frequency: 0, recency: 0.0, age: 30.0 }), 1.0);
        // A buyer silent for long is less likely alive than one who just bought.
        let silent = p.p_alive(&Customer { frequency: 3, recency: 5.0, age: 38.0 });
        let recent = p.p_alive(&Customer { frequency: 3, recency: 37.0, age: 38.0 });
        assert!(silent < recent && recent < 1.0);
    }

    #[test]
    fn conditional_expectation_of_a_newcomer_is_the_unconditional_one() {
        // With x = 0 and T → 0 the history says nothing: eq. 10 reduces to eq. 7.
        let p = Params { r: 0.5, alpha: 5.0, a: 1.5, b: 2.5 };
        let fresh = Customer { frequency: 0, recency: 0.0, age: 1e-12 };
        assert!((p.conditional_expected(&fresh, 20.0) - p.expected_purchases(20.0)).abs() < 1e-9);
    }

    #[test]
    fn collapsed_summaries_give_the_same_likelihood() {
        let p = Params { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let one = [
            Customer { frequency: 2, recency: 30.0, age: 38.0 },
            Customer { frequency: 0, recency: 0.0, age: 38.0 },
            Customer { frequency: 2, recency: 30.0, age: 38.0 },
        ];
        let groups = collapse(&one);
        assert_eq!(groups.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [1.0, 2.0]);
        let weighted = p.log_likelihood_with_gradient(groups.iter().map(|(c, n)| (c, *n)), &mut [0.0; 4]);
        assert!((weighted - p.log_likelihood(&one)).abs() < 1e-12);
    }

    #[test]
    fn the_gradient_is_the_derivative_of_the_likelihood() {
        let customers = [
            Customer { frequency: 0, recency: 0.0, age: 38.0 },
            Customer { frequency: 1, recency: 0.5, age: 20.0 },
            Customer { frequency: 2, recency: 30.43, age: 38.86 },
            Customer { frequency: 14, recency: 36.0, age: 37.0 },
            Customer { frequency: 3, recency: 3.0, age: 39.0 },
        ];
        let groups: Vec<(Customer, f64)> =
            customers.iter().zip([40.0, 7.0, 1.0, 2.0, 5.0]).map(|(c, n)| (*c, n)).collect();
        let log_lik = |p: &[f64], grad: &mut [f64]| {
            Params::from_slice(p).log_likelihood_with_gradient(groups.iter().map(|(c, n)| (c, *n)), grad)
        };
        for p in [[0.243, 4.414, 0.793, 2.426], [3.0, 0.5, 2.0, 0.3], [0.05, 60.0, 0.01, 40.0]] {
            assert_gradient_matches(log_lik, &p);
        }
    }

    #[test]
    fn a_summary_without_an_interior_maximum_fails_fast() {
        // A 21-customer summary the fuzzer found (fuzz/corpus/fit_csv/bgnbd_runs_off.csv), on which
        // the Nelder–Mead search wandered for over a minute before "did not converge". Customer
        // "2" made 9 repeat purchases all at t_x = 0, so the likelihood grows without bound as
        // α → 0: the search must stop at the plausible box's edge and say so, in milliseconds.
        let text = include_str!("../../fuzz/corpus/fit_csv/bgnbd_runs_off.csv");
        let customers = super::super::summary::read(text).expect("a valid summary").customers;
        assert_eq!(customers.len(), 21);
        let started = std::time::Instant::now();
        let error = fit(&customers).expect_err("no interior maximum");
        assert!(started.elapsed().as_secs_f64() < 1.0, "took {:?}", started.elapsed());
        assert!(matches!(error, PredictError::NoConvergence(_)) && error.to_string().contains("ran off"), "{error}");
    }

    #[test]
    fn rejects_inconsistent_summaries() {
        assert!(Customer { frequency: 1, recency: 5.0, age: 4.0 }.problem().is_some());
        assert!(Customer { frequency: 0, recency: 1.0, age: 4.0 }.problem().is_some());
        assert!(Customer { frequency: 0, recency: 0.0, age: 0.0 }.problem().is_some());
    }
}
