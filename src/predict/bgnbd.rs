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
use statrs::function::gamma::ln_gamma;

use super::optimize::{covariance, delta_variance, nelder_mead};
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
    /// Checks the summary; `which` names the customer in the message.
    pub fn validate(&self, which: &str) -> Result<(), PredictError> {
        match self.problem() {
            Some(what) => Err(PredictError::InvalidData(format!("{which}: {what}"))),
            None => Ok(()),
        }
    }

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

    /// One customer's log-likelihood, eq. 6: L = A₁ · A₂ · (A₃ + δ_{x>0} A₄) with
    /// A₁ = Γ(r + x) α^r / Γ(r), A₂ = Γ(a + b) Γ(b + x) / (Γ(b) Γ(a + b + x)),
    /// A₃ = (α + T)^−(r+x), A₄ = a/(b + x − 1) · (α + t_x)^−(r+x);
    /// the sum is taken on the log scale to avoid underflow for heavy buyers.
    pub fn log_likelihood_one(&self, c: &Customer) -> f64 {
        let Params { r, alpha, a, b } = *self;
        let x = f64::from(c.frequency);
        let ln_a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let ln_a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let ln_a3 = -(r + x) * (alpha + c.age).ln();
        let tail = if c.frequency > 0 {
            let ln_a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + c.recency).ln();
            let m = ln_a3.max(ln_a4);
            m + ((ln_a3 - m).exp() + (ln_a4 - m).exp()).ln()
        } else {
            ln_a3
        };
        ln_a1 + ln_a2 + tail
    }

    /// The sample log-likelihood: the sum of eq. 6 over customers.
    pub fn log_likelihood(&self, customers: &[Customer]) -> f64 {
        customers.iter().map(|c| self.log_likelihood_one(c)).sum()
    }

    /// The sample log-likelihood over distinct summaries, each term times its count
    /// (see [`collapse`]).
    fn weighted_log_likelihood(&self, groups: &[(Customer, f64)]) -> f64 {
        groups.iter().map(|(c, n)| n * self.log_likelihood_one(c)).sum()
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
fn collapse(customers: &[Customer]) -> Vec<(Customer, f64)> {
    let key = |c: &Customer| (c.frequency, c.recency.to_bits(), c.age.to_bits());
    let mut sorted: Vec<Customer> = customers.to_vec();
    sorted.sort_unstable_by_key(key);
    let mut groups: Vec<(Customer, f64)> = Vec::new();
    for c in sorted {
        match groups.last_mut() {
            Some((last, n)) if key(last) == key(&c) => *n += 1.0,
            _ => groups.push((c, 1.0)),
        }
    }
    groups
}

/// Maximum likelihood fit: Nelder–Mead on the log-parameters from r = a = b = 1
/// and α = the mean age (α is a time scale); standard errors from the numerical
/// Hessian of −LL at the maximum.
pub fn fit(customers: &[Customer]) -> Result<BgNbdFit, PredictError> {
    if customers.len() < 4 {
        return Err(PredictError::InvalidData("the BG/NBD needs at least 4 customers (it has 4 parameters)".into()));
    }
    for (i, c) in customers.iter().enumerate() {
        c.validate(&format!("customer {}", i + 1))?;
    }
    if customers.iter().all(|c| c.frequency == 0) {
        return Err(PredictError::InvalidData("nobody bought again: repeat buying cannot be estimated".into()));
    }
    let mean_age = customers.iter().map(|c| c.age).sum::<f64>() / customers.len() as f64;
    let groups = collapse(customers);
    let neg_log = |x: &[f64]| {
        -Params { r: x[0].exp(), alpha: x[1].exp(), a: x[2].exp(), b: x[3].exp() }.weighted_log_likelihood(&groups)
    };
    let x = nelder_mead(neg_log, &[0.0, mean_age.ln(), 0.0, 0.0], 0.5)?;
    let params = Params { r: x[0].exp(), alpha: x[1].exp(), a: x[2].exp(), b: x[3].exp() };
    if params.to_vec().iter().any(|v| !(1e-8..1e8).contains(v)) {
        return Err(PredictError::NoConvergence(format!("the estimates ran off to {params:?}")));
    }
    let covariance = covariance(|p: &[f64]| -Params::from_slice(p).weighted_log_likelihood(&groups), &params.to_vec());
    let estimate = |i: usize, value: f64| Estimate { value, std_error: covariance.as_ref().map(|c| c[i][i].sqrt()) };
    Ok(BgNbdFit {
        r: estimate(0, params.r),
        alpha: estimate(1, params.alpha),
        a: estimate(2, params.a),
        b: estimate(3, params.b),
        log_likelihood: params.weighted_log_likelihood(&groups),
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
        assert!((p.weighted_log_likelihood(&groups) - p.log_likelihood(&one)).abs() < 1e-12);
    }

    #[test]
    fn rejects_inconsistent_summaries() {
        assert!(Customer { frequency: 1, recency: 5.0, age: 4.0 }.validate("c").is_err());
        assert!(Customer { frequency: 0, recency: 1.0, age: 4.0 }.validate("c").is_err());
        assert!(Customer { frequency: 0, recency: 0.0, age: 0.0 }.validate("c").is_err());
    }
}
