//! For an export with activity beyond purchases: what each user's active days say about their
//! visit rate and lifetime, and their purchase days about how often a visit buys.
//!
//! Active days are far more frequent than purchases, so they show when a user left; purchases
//! alone (the BG/NBD's view) cannot, and explain a one-time buyer by a low rate where most are users
//! who left early. Two models, both of the engine's own structure:
//! - active days as Pareto/NBD purchases (Schmittlein, Morrison & Colombo 1987): Poisson at a rate
//!   λ while alive, an exponential lifetime at rate μ, λ ~ Gamma(r, α) and μ ~ Gamma(s, β)
//!   independent; the first-seen day plays the first purchase (x active days after it, the last
//!   t_x days after it, T days from it to the calibration end);
//! - purchase days among active days as a Beta-binomial: each active day buys with chance q,
//!   q ~ Beta(a, b) across users (k purchase days of n active days, the first-seen day counted).
//!
//! A user's purchase-day rate is λ q. With independent priors (an assumption, as the Pareto/NBD's
//! λ and μ are) λ and q stay independent given the data, since the likelihood factors (the
//! binomial conditions on n), so E[λ q] = E[λ] E[q]; E[ln λ q] = E[ln λ] + E[ln q] holds anyway.

use statrs::function::beta::ln_beta;
use statrs::function::gamma::digamma;

use super::cohort::Window;
use crate::import::UserHistory;
use crate::predict::bgnbd::Customer;
use crate::predict::optimize::maximize_log_likelihood;
use crate::predict::paretonbd::{self, Params};
use crate::predict::{PredictError, distinct_with_counts};

/// The two models fitted on the calibration period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActivityFit {
    pub activity: Params,
    /// Users the Pareto/NBD was fitted to (those first seen before the calibration end).
    pub users: usize,
    /// Beta(a, b) of the chance that an active day has a purchase.
    pub share: (f64, f64),
}

/// One user's posterior means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Member {
    /// Active days per day while alive: E[λ].
    pub active_rate: f64,
    /// Purchase days per day while alive, E[λ q], and E[ln λ q].
    pub rate: f64,
    pub log_rate: f64,
    /// Daily hazard of leaving for good, E[μ], and E[ln μ].
    pub hazard: f64,
    pub log_hazard: f64,
}

/// A user's active days by the calibration end as a Pareto/NBD customer (the first-seen day as the
/// first purchase) and their (active days, purchase days).
fn summary(u: &UserHistory, window: &Window) -> (Customer, (u32, u32)) {
    let days: Vec<_> = u.active_days.iter().take_while(|d| d.day <= window.calibration_end).collect();
    let last = days.last().map_or(u.first_seen, |d| d.day);
    let purchase_days = u.purchases.iter().take_while(|p| p.day <= window.calibration_end).count() as u32;
    // Every imported row marks its day active, so purchase days are among the active days and the
    // first-seen day is the first of them (the `min` only keeps the Beta-binomial defined).
    let n = (days.len() as u32).max(1);
    let customer = Customer {
        frequency: n - 1,
        recency: f64::from(last.0 - u.first_seen.0),
        age: f64::from(window.calibration_end.0 - u.first_seen.0),
    };
    (customer, (n, purchase_days.min(n)))
}

/// Fits both models to the cohort's calibration period.
pub fn fit(cohort: &[&UserHistory], window: &Window) -> Result<ActivityFit, PredictError> {
    let summaries: Vec<_> = cohort.iter().map(|u| summary(u, window)).collect();
    let customers: Vec<Customer> = summaries.iter().map(|(c, _)| *c).filter(|c| c.age > 0.0).collect();
    let activity = paretonbd::fit(&customers)?.params();
    let share = beta_binomial(&summaries.iter().map(|(_, nk)| *nk).collect::<Vec<_>>())?;
    Ok(ActivityFit { activity, users: customers.len(), share })
}

/// Beta parameters beyond these are reported as not converging: the likelihood kept rising towards
/// a boundary (a + b → ∞: every user buys on the same share of active days).
const PLAUSIBLE: (f64, f64) = (1e-6, 1e6);

/// Maximum likelihood Beta(a, b) of a Beta-binomial: Σ ln B(a + k, b + n − k) − ln B(a, b) over
/// users (n trials, k successes), with its gradient through ψ; users collapsed to distinct (n, k).
fn beta_binomial(trials: &[(u32, u32)]) -> Result<(f64, f64), PredictError> {
    let groups = distinct_with_counts(trials, |t| *t);
    if groups.iter().all(|((_, k), _)| *k == 0) {
        return Err(PredictError::InvalidData("no purchase day among the active days".into()));
    }
    let log_lik = |p: &[f64], grad: &mut [f64]| {
        let (a, b) = (p[0], p[1]);
        let (da, db, dab) = (digamma(a), digamma(b), digamma(a + b));
        grad.fill(0.0);
        let mut ll = 0.0;
        for &((n, k), count) in &groups {
            let (n, k) = (f64::from(n), f64::from(k));
            ll += count * (ln_beta(a + k, b + n - k) - ln_beta(a, b));
            let total = digamma(a + b + n);
            grad[0] += count * (digamma(a + k) - total - da + dab);
            grad[1] += count * (digamma(b + n - k) - total - db + dab);
        }
        ll
    };
    let p = maximize_log_likelihood(log_lik, &[1.0, 1.0], &[PLAUSIBLE; 2])?;
    if p.iter().any(|v| !(PLAUSIBLE.0..PLAUSIBLE.1).contains(v)) {
        return Err(PredictError::NoConvergence(format!(
            "the purchase share of active days ran off to Beta({:.3e}, {:.3e})",
            p[0], p[1]
        )));
    }
    Ok((p[0], p[1]))
}

/// A user's posterior means under `fit`.
pub fn member(fit: &ActivityFit, u: &UserHistory, window: &Window) -> Member {
    let (customer, (n, k)) = summary(u, window);
    let post = fit.activity.posterior(&customer);
    let (a, b) = fit.share;
    let (n, k) = (f64::from(n), f64::from(k));
    // q | k of n ~ Beta(a + k, b + n − k): E[q] = (a + k)/(a + b + n), E[ln q] = ψ(a + k) − ψ(a + b + n).
    let share = (a + k) / (a + b + n);
    let log_share = digamma(a + k) - digamma(a + b + n);
    Member {
        active_rate: post.rate,
        rate: post.rate * share,
        log_rate: post.log_rate + log_share,
        hazard: post.hazard,
        log_hazard: post.log_hazard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts laid out exactly by a Beta-binomial's probabilities (Beta(2, 6), 20 active days each,
    /// 100,000 users) give back its parameters. Only the rounding to whole users departs from the
    /// law; it moves the maximum by about 6e-5 (the same counts maximised independently: 1.99989,
    /// 5.99964), so 1e-3 is ample and a wrong gradient or likelihood fails.
    #[test]
    fn the_beta_binomial_recovers_the_beta_it_was_laid_out_by() {
        let (a, b, n) = (2.0, 6.0, 20u32);
        let mut trials = Vec::new();
        for k in 0..=n {
            let (kf, nf) = (f64::from(k), f64::from(n));
            let p = statrs::function::factorial::binomial(u64::from(n), u64::from(k))
                * (ln_beta(a + kf, b + nf - kf) - ln_beta(a, b)).exp();
            trials.extend(std::iter::repeat_n((n, k), (p * 100_000.0).round() as usize));
        }
        let (fa, fb) = beta_binomial(&trials).expect("fits");
        assert!((fa / a - 1.0).abs() < 1e-3 && (fb / b - 1.0).abs() < 1e-3, "Beta({fa}, {fb})");
    }
}
