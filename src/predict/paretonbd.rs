//! The Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo 1987, "Counting your
//! customers: who are they and what will they do next?", Management Science 33:1–24), with the
//! likelihood as Fader & Hardie derive it ("A note on deriving the Pareto/NBD model and related
//! expressions", 2005; equation numbers below are that note's, as the `lifetimes` package cites them).
//!
//! Story: while alive, a customer buys as a Poisson process of rate λ, and her lifetime is
//! exponential with rate μ: she can leave at any moment, not only right after a purchase as in the
//! BG/NBD ([`super::bgnbd`]). Across customers λ ~ Gamma(r, α) and μ ~ Gamma(s, β) (shape, rate),
//! independently. A customer is summarised as for the BG/NBD ([`Customer`]): x repeat purchases,
//! the time t_x of the last one and her age T, in any time unit used consistently.
//!
//! Everything here rests on one split of a customer's likelihood. Given (λ, μ) it is
//! λ^x e^−(λ+μ)T (alive at T) plus ∫_{t_x}^T λ^x e^−λτ μ e^−μτ dτ (died at τ, after the last
//! purchase). Integrating λ and μ over their Gamma distributions, with C = Γ(r + x) α^r β^s / Γ(r):
//!
//! - alive: weight C (α + T)^−(r+x) (β + T)^−s, and then λ ~ Gamma(r + x, α + T), μ ~ Gamma(s, β + T);
//! - died at τ: weight density C s (α + τ)^−(r+x) (β + τ)^−(s+1), and then λ ~ Gamma(r + x, α + τ),
//!   μ ~ Gamma(s + 1, β + τ).
//!
//! L(r, α, s, β | x, t_x, T) is the alive weight plus the integral of the death density over
//! (t_x, T] (eq. 18). Fader & Hardie give the integral in closed form (eqs. 19–20: a difference of
//! two ₂F₁ terms that nearly cancel when t_x is close to T, with series that converge slowly when
//! α and β are far apart); here it is taken by Gauss–Legendre quadrature in the integrand's own
//! decay ([`death_branch`]), and the same nodes give the likelihood, its gradient and the
//! posterior moments. A unit test holds the quadrature to the closed form.

use std::sync::LazyLock;

use serde::Serialize;
use statrs::function::gamma::{digamma, ln_gamma};

use super::bgnbd::{Customer, PLAUSIBLE, check_customers, collapse};
use super::optimize::{covariance, maximize_log_likelihood};
use super::{Estimate, PredictError};

/// Pareto/NBD parameters: purchase rates λ ~ Gamma(r, α), dropout rates μ ~ Gamma(s, β)
/// (shape, rate; α and β in the customers' time unit).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Params {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// What one customer's history says about her: the posterior of (λ, μ) given (x, t_x, T).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Posterior {
    /// P(alive at T | x, t_x, T).
    pub p_alive: f64,
    /// E[λ | x, t_x, T]: purchases per time unit while alive.
    pub rate: f64,
    /// E[ln λ | x, t_x, T].
    pub log_rate: f64,
    /// E[μ | x, t_x, T]: the dropout hazard per time unit.
    pub hazard: f64,
    /// E[ln μ | x, t_x, T].
    pub log_hazard: f64,
}

/// Gauss–Legendre nodes for the death-time integral. After the change of variable of
/// [`death_branch`], 32 nodes hold the death branch to Fader & Hardie's closed form within 1e-12
/// relative on every CDNOW summary and within 4.3e-13 on heavy buyers (x up to 300, ages up to
/// 365) under parameters 1/80 to 200 times apart, but for one pair at 5.1e-10 (α/β = 200; unit
/// test `quadrature_matches_the_closed_form`); 64 nodes bring that pair to 3e-13 too, at twice the cost.
const NODES: usize = 32;

/// Beyond u = 50 the death-time integrand of [`death_branch`] is below e^−50 ≈ 2e-22 of its
/// value at t_x: that stretch is left out, so heavy buyers' steep integrands keep their nodes
/// where the mass is.
const U_CUT: f64 = 50.0;

/// (node, weight) pairs on (−1, 1), nodes ascending, computed once.
static GAUSS_LEGENDRE: LazyLock<[(f64, f64); NODES]> = LazyLock::new(gauss_legendre);

/// The n-point Gauss–Legendre rule on (−1, 1): the nodes are the roots of the Legendre polynomial
/// P_n, found by Newton's method from cos(π(i + 3/4)/(n + 1/2)) with P_n and P_n′ from the
/// three-term recurrence j P_j = (2j − 1) z P_{j−1} − (j − 1) P_{j−2}; the weights are
/// 2 / ((1 − z²) P_n′(z)²) (Press et al., *Numerical Recipes*, 3rd ed., §4.6, `gauleg`).
fn gauss_legendre() -> [(f64, f64); NODES] {
    let n = NODES as f64;
    let mut rule = [(0.0, 0.0); NODES];
    for i in 0..NODES {
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n + 0.5)).cos();
        let mut derivative = 1.0;
        for _ in 0..100 {
            let (mut p, mut previous) = (1.0, 0.0);
            for j in 1..=NODES {
                let j = j as f64;
                (p, previous) = (((2.0 * j - 1.0) * z * p - (j - 1.0) * previous) / j, p);
            }
            derivative = n * (z * p - previous) / (z * z - 1.0);
            let step = p / derivative;
            z -= step;
            if step.abs() < 1e-16 {
                break;
            }
        }
        // The initial guesses descend; store ascending.
        rule[NODES - 1 - i] = (z, 2.0 / ((1.0 - z * z) * derivative * derivative));
    }
    rule
}

/// The death branch of one customer's likelihood, without the common factor C:
/// ln ∫_{t_x}^T s (α + τ)^−(r+x) (β + τ)^−(s+1) dτ, and the means of 1/(α + τ), ln(α + τ),
/// 1/(β + τ), ln(β + τ) over the death time τ, whose density on (t_x, T] is proportional to the
/// integrand.
struct DeathBranch {
    ln_weight: f64,
    inv_alpha: f64,
    ln_alpha: f64,
    inv_beta: f64,
    ln_beta: f64,
}

/// [`DeathBranch`] by Gauss–Legendre quadrature in the integrand's own decay. With
/// f(τ) = (α + τ)^−(r+x) (β + τ)^−(s+1), let u(τ) = ln(f(t_x)/f(τ))
/// = (r + x) ln((α + τ)/(α + t_x)) + (s + 1) ln((β + τ)/(β + t_x)), which rises from 0 to U = u(T);
/// then
///
/// ∫_{t_x}^T f(τ) dτ = f(t_x) ∫_0^U e^−u / u′(τ(u)) du, u′(τ) = (r + x)/(α + τ) + (s + 1)/(β + τ).
///
/// The factor e^−u carries the whole decay of f, however steep (a heavy buyer's f falls by e^−(r+x)
/// within (α + t_x)/(r + x) of t_x), and what is left, 1/u′, changes slowly — so Gauss–Legendre
/// nodes on [0, min(U, [`U_CUT`])] fit it where simpler substitutions (in τ, in 1/(α + τ), in
/// ((α + t_x)/(α + τ))^(r+s+x)) each lost digits on heavy buyers or on α and β far apart. τ(u) is
/// found by Newton's method in ℓ = ln(m + τ), m the smaller of α and β, where u is increasing and
/// convex (u = e_m (ℓ − ℓ₀) + e_M (ln(e^ℓ + |α − β|) − ln(M + t_x)) with e_m, e_M the exponents of
/// the smaller and larger of α, β): from the previous node's root the first step lands at or right
/// of the next root and the iterates then fall to it monotonically. Sums are relative to f(t_x)
/// and taken on the log scale, so nothing under- or overflows however large x is. With t_x = T the
/// branch is empty (weight e^−∞ = 0).
fn death_branch(params: &Params, c: &Customer) -> DeathBranch {
    let Params { r, alpha, s, beta } = *params;
    // The exponents of α + τ and β + τ, then of the smaller and the larger of the two.
    let (e_alpha, e_beta) = (r + f64::from(c.frequency), s + 1.0);
    let (low, e_low, e_high) = if alpha <= beta { (alpha, e_alpha, e_beta) } else { (beta, e_beta, e_alpha) };
    let gap = (alpha - beta).abs();
    let silence = c.age - c.recency;
    let total = e_alpha * (silence / (alpha + c.recency)).ln_1p() + e_beta * (silence / (beta + c.recency)).ln_1p();
    if total <= 0.0 {
        let (a, b) = (alpha + c.age, beta + c.age);
        return DeathBranch {
            ln_weight: f64::NEG_INFINITY,
            inv_alpha: 1.0 / a,
            ln_alpha: a.ln(),
            inv_beta: 1.0 / b,
            ln_beta: b.ln(),
        };
    }
    let cut = total.min(U_CUT);
    let ell_start = (low + c.recency).ln();
    let ln_high_start = (low + c.recency + gap).ln();
    let (mut ell, mut slope, mut u_previous) =
        (ell_start, e_low + e_high * (low + c.recency) / (low + c.recency + gap), 0.0);
    let (mut sum, mut moments) = (0.0, [0.0; 4]);
    for &(z, g) in GAUSS_LEGENDRE.iter() {
        let u = 0.5 * cut * (1.0 + z);
        ell += (u - u_previous) / slope;
        u_previous = u;
        // Newton's method for u(ℓ) = u; the values kept are those at the last ℓ evaluated,
        // within 1e-14 (relative) of the root.
        let (mut low_tau, mut high_tau, mut ln_high) = (0.0, 0.0, 0.0);
        for _ in 0..50 {
            low_tau = ell.exp();
            high_tau = low_tau + gap;
            ln_high = high_tau.ln();
            slope = e_low + e_high * low_tau / high_tau;
            let step = (e_low * (ell - ell_start) + e_high * (ln_high - ln_high_start) - u) / slope;
            if step.abs() <= 1e-14 * (1.0 + ell.abs()) {
                break;
            }
            ell -= step;
        }
        let (a, ln_a, b, ln_b) =
            if alpha <= beta { (low_tau, ell, high_tau, ln_high) } else { (high_tau, ln_high, low_tau, ell) };
        // The integrand e^−u / u′(τ) times the Gauss weight.
        let weight = g * (-u).exp() / (e_alpha / a + e_beta / b);
        sum += weight;
        moments[0] += weight / a;
        moments[1] += weight * ln_a;
        moments[2] += weight / b;
        moments[3] += weight * ln_b;
    }
    let ln_start = -e_alpha * (alpha + c.recency).ln() - e_beta * (beta + c.recency).ln();
    DeathBranch {
        ln_weight: s.ln() + ln_start + (0.5 * cut * sum).ln(),
        inv_alpha: moments[0] / sum,
        ln_alpha: moments[1] / sum,
        inv_beta: moments[2] / sum,
        ln_beta: moments[3] / sum,
    }
}

/// The parts of the prior that do not depend on the customer.
struct PriorTerms {
    ln_gamma_r: f64,
    ln_alpha: f64,
    ln_beta: f64,
    digamma_s: f64,
}

impl Params {
    fn from_slice(p: &[f64]) -> Params {
        Params { r: p[0], alpha: p[1], s: p[2], beta: p[3] }
    }

    fn to_vec(self) -> Vec<f64> {
        vec![self.r, self.alpha, self.s, self.beta]
    }

    fn prior_terms(&self) -> PriorTerms {
        PriorTerms {
            ln_gamma_r: ln_gamma(self.r),
            ln_alpha: self.alpha.ln(),
            ln_beta: self.beta.ln(),
            digamma_s: digamma(self.s),
        }
    }

    /// The sample log-likelihood: the sum over customers of ln L (eq. 18; see the module docs),
    /// L = C [(α + T)^−(r+x) (β + T)^−s + ∫_{t_x}^T s (α + τ)^−(r+x) (β + τ)^−(s+1) dτ],
    /// C = Γ(r + x) α^r β^s / Γ(r); the two branches are added on the log scale.
    pub fn log_likelihood(&self, customers: &[Customer]) -> f64 {
        self.log_likelihood_with_gradient(customers.iter().map(|c| (c, 1.0)), &mut [0.0; 4])
    }

    /// Σ n · ln L(x, t_x, T) over (summary, count) pairs, with its gradient in (r, α, s, β) written
    /// into `grad`. By Fisher's identity (Louis 1982, "Finding the observed information matrix when
    /// using the EM algorithm", JRSS B 44:226–233, eq. 3.1) the score of the observed data is the
    /// posterior mean of the complete-data score, here the score of the Gamma densities of λ and μ
    /// (the Poisson–exponential part does not depend on the parameters):
    ///
    /// - ∂/∂r = E[ln λ | x, t_x, T] − (ψ(r) − ln α)
    /// - ∂/∂α = r/α − E[λ | x, t_x, T]
    /// - ∂/∂s = E[ln μ | x, t_x, T] − (ψ(s) − ln β)
    /// - ∂/∂β = s/β − E[μ | x, t_x, T]
    ///
    /// with the posterior moments of [`Params::posterior`]. So at the maximum the customers'
    /// posterior means of λ, ln λ, μ and ln μ average exactly to the prior's.
    fn log_likelihood_with_gradient<'c>(
        &self,
        groups: impl IntoIterator<Item = (&'c Customer, f64)>,
        grad: &mut [f64],
    ) -> f64 {
        let prior = self.prior_terms();
        let (prior_log_rate, prior_log_hazard) = (digamma(self.r) - prior.ln_alpha, prior.digamma_s - prior.ln_beta);
        let (mut ll, mut g) = (0.0, [0.0; 4]);
        for (c, n) in groups {
            let (ln_l, post) = self.condition(c, &prior);
            ll += n * ln_l;
            g[0] += n * (post.log_rate - prior_log_rate);
            g[1] += n * (self.r / self.alpha - post.rate);
            g[2] += n * (post.log_hazard - prior_log_hazard);
            g[3] += n * (self.s / self.beta - post.hazard);
        }
        grad.copy_from_slice(&g);
        ll
    }

    /// ln L(x, t_x, T) and the posterior, from the two branches of the module docs: with P the alive
    /// branch's share of L and the death time τ distributed as [`DeathBranch`] says,
    ///
    /// - E[λ] = (r + x) [P/(α + T) + (1 − P) E[1/(α + τ)]],
    /// - E[ln λ] = ψ(r + x) − P ln(α + T) − (1 − P) E[ln(α + τ)],
    /// - E[μ] = P s/(β + T) + (1 − P)(s + 1) E[1/(β + τ)],
    /// - E[ln μ] = P (ψ(s) − ln(β + T)) + (1 − P)(ψ(s + 1) − E[ln(β + τ)]),
    ///
    /// a Gamma(k, b) having mean k/b and mean log ψ(k) − ln b.
    fn condition(&self, c: &Customer, prior: &PriorTerms) -> (f64, Posterior) {
        let Params { r, alpha, s, beta } = *self;
        let shape = r + f64::from(c.frequency);
        let (ln_alpha_t, ln_beta_t) = ((alpha + c.age).ln(), (beta + c.age).ln());
        let ln_common = ln_gamma(shape) - prior.ln_gamma_r + r * prior.ln_alpha + s * prior.ln_beta;
        let ln_alive = -shape * ln_alpha_t - s * ln_beta_t;
        let death = death_branch(self, c);
        let top = ln_alive.max(death.ln_weight);
        let (alive, dead) = ((ln_alive - top).exp(), (death.ln_weight - top).exp());
        let (p, q) = (alive / (alive + dead), dead / (alive + dead));
        let posterior = Posterior {
            p_alive: p,
            rate: shape * (p / (alpha + c.age) + q * death.inv_alpha),
            log_rate: digamma(shape) - p * ln_alpha_t - q * death.ln_alpha,
            hazard: p * s / (beta + c.age) + q * (s + 1.0) * death.inv_beta,
            log_hazard: p * (prior.digamma_s - ln_beta_t) + q * (prior.digamma_s + 1.0 / s - death.ln_beta),
        };
        (ln_common + top + (alive + dead).ln(), posterior)
    }

    /// The posterior of (λ, μ) given the customer's history (see [`Params::condition`] for the
    /// formulas and the module docs for the two branches they mix).
    pub fn posterior(&self, c: &Customer) -> Posterior {
        self.condition(c, &self.prior_terms()).1
    }

    /// P(alive at T | x, t_x, T): the alive branch's share of the likelihood, eq. 36–37's
    /// 1 / (1 + s/(r + s + x) (α + T)^(r+x) (β + T)^s A₀) with A₀ the death integral.
    pub fn p_alive(&self, c: &Customer) -> f64 {
        self.posterior(c).p_alive
    }

    /// Expected purchases in the next `t` time units given the history (eq. 41):
    /// E[Y(t) | x, t_x, T] = P(alive) · (r + x)/(α + T) · (β + T)/(s − 1) · [1 − ((β + T)/(β + T + t))^(s−1)],
    /// the alive branch's E[λ] times E[(1 − e^−μt)/μ] for μ ~ Gamma(s, β + T); at s = 1 the bracket
    /// over s − 1 is its limit ln((β + T + t)/(β + T)).
    pub fn conditional_expected(&self, c: &Customer, t: f64) -> f64 {
        let Params { r, alpha, s, beta } = *self;
        let ln_ratio = ((beta + c.age) / (beta + c.age + t)).ln();
        let lifetime = if s == 1.0 { -ln_ratio } else { -((s - 1.0) * ln_ratio).exp_m1() / (s - 1.0) };
        self.p_alive(c) * (r + f64::from(c.frequency)) / (alpha + c.age) * (beta + c.age) * lifetime
    }
}

/// A fitted Pareto/NBD model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParetoNbdFit {
    pub r: Estimate,
    pub alpha: Estimate,
    pub s: Estimate,
    pub beta: Estimate,
    pub log_likelihood: f64,
    pub customers: usize,
}

/// Maximum likelihood fit: BFGS on the log-parameters ([`maximize_log_likelihood`], the analytic
/// gradient of [`Params::log_likelihood_with_gradient`]) over the distinct (x, t_x, T) summaries
/// ([`collapse`]), from r = s = 1 and α = β = the mean age (both are time scales); standard errors
/// from the Hessian of −LL at the maximum (central differences of that gradient). A search that
/// leaves [`PLAUSIBLE`] has no interior maximum to find: s, β → ∞ at a fixed s/β is "everyone
/// leaves at the same rate", s/β → 0 "nobody leaves" (the NBD), r, α → ∞ at a fixed r/α
/// "everyone buys at the same rate".
pub fn fit(customers: &[Customer]) -> Result<ParetoNbdFit, PredictError> {
    check_customers(customers, "Pareto/NBD")?;
    let mean_age = customers.iter().map(|c| c.age).sum::<f64>() / customers.len() as f64;
    let groups = collapse(customers);
    let log_lik = |p: &[f64], grad: &mut [f64]| {
        Params::from_slice(p).log_likelihood_with_gradient(groups.iter().map(|(c, n)| (c, *n)), grad)
    };
    let start = [1.0, mean_age, 1.0, mean_age];
    let params = Params::from_slice(&maximize_log_likelihood(log_lik, &start, &[PLAUSIBLE; 4])?);
    if params.to_vec().iter().any(|v| !(PLAUSIBLE.0..PLAUSIBLE.1).contains(v)) {
        return Err(PredictError::NoConvergence(format!(
            "the estimates ran off to {params:?}: these customers do not pin down the Pareto/NBD \
             (too few, or too few repeat purchases, to tell buying rates from dropping out)"
        )));
    }
    let covariance = covariance(log_lik, &params.to_vec());
    let estimate = |i: usize, value: f64| Estimate { value, std_error: covariance.as_ref().map(|c| c[i][i].sqrt()) };
    Ok(ParetoNbdFit {
        r: estimate(0, params.r),
        alpha: estimate(1, params.alpha),
        s: estimate(2, params.s),
        beta: estimate(3, params.beta),
        log_likelihood: log_lik(&params.to_vec(), &mut [0.0; 4]),
        customers: customers.len(),
    })
}

impl ParetoNbdFit {
    pub fn params(&self) -> Params {
        Params { r: self.r.value, alpha: self.alpha.value, s: self.s.value, beta: self.beta.value }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp, Gamma};
    use rand_xoshiro::Xoshiro256PlusPlus;

    use super::super::optimize::{GRADIENT_TOLERANCE, assert_gradient_matches};
    use super::super::special::hyp2f1;
    use super::*;

    /// Rounded to the 2 decimals printed (see `reproduces_the_published_cdnow_fit`).
    const PUBLISHED: Params = Params { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };

    /// lifetimes 0.11.3's estimates on the same CSV, printed with `repr` (numpy 2.4.6, scipy 1.17.1,
    /// pandas 3.1.1; lifetimes draws its starting point, hence the seed):
    ///
    /// ```text
    /// python3 -m venv /tmp/ltv && /tmp/ltv/bin/pip install lifetimes==0.11.3
    /// np.random.seed(0); d = pd.read_csv("tests/data/cdnow_customers_summary.csv")
    /// f = ParetoNBDFitter().fit(d["frequency"], d["recency"], d["T"]); f.params_
    /// ParetoNBDFitter._conditional_log_likelihood(list(f.params_), d["frequency"].values,
    ///     d["recency"].values, d["T"].values).sum()                       # −9594.97392991023
    /// f.conditional_probability_alive(x, t_x, T)
    /// f.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, T)
    /// ```
    const LIFETIMES: Params =
        Params { r: 0.5532815861528053, alpha: 10.577753122778805, s: 0.6061714462872277, beta: 11.666906530603386 };

    fn cdnow() -> Vec<Customer> {
        let text = include_str!("../../tests/data/cdnow_customers_summary.csv");
        let customers = super::super::summary::read(text).expect("a valid summary").customers;
        assert_eq!(customers.len(), 2357);
        customers
    }

    /// Fader & Hardie's closed form of the death integral (eqs. 19–20), the reference for the
    /// quadrature: ∫_{t_x}^T (α + τ)^−(r+x) (β + τ)^−(s+1) dτ = A₀/(r + s + x) with, for α ≥ β,
    /// A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x) − (the same at T),
    /// and for α < β the same with (α, s + 1) and (β, r + x) exchanged.
    fn closed_form_death_integral(p: &Params, c: &Customer) -> f64 {
        let Params { r, alpha, s, beta } = *p;
        let x = f64::from(c.frequency);
        let k = r + s + x;
        let (high, low, b) = if alpha >= beta { (alpha, beta, s + 1.0) } else { (beta, alpha, r + x) };
        let at = |t: f64| hyp2f1(k, b, k + 1.0, (high - low) / (high + t)) / (high + t).powf(k);
        (at(c.recency) - at(c.age)) / k
    }

    #[test]
    fn gauss_legendre_integrates_polynomials_exactly() {
        // The n-point rule is exact up to degree 2n − 1: ∫_{−1}^{1} z^j dz = 2/(j + 1) for even j.
        for j in [0, 2, 10, 40, 2 * NODES - 2] {
            let sum: f64 = GAUSS_LEGENDRE.iter().map(|(z, w)| w * z.powi(j as i32)).sum();
            assert!((sum - 2.0 / (j as f64 + 1.0)).abs() < 1e-14, "degree {j}: {sum}");
        }
        let odd: f64 = GAUSS_LEGENDRE.iter().map(|(z, w)| w * z.powi(2 * NODES as i32 - 1)).sum();
        assert!(odd.abs() < 1e-15);
    }

    #[test]
    fn reproduces_the_published_cdnow_fit() {
        // Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
        // analysis", J. Marketing Research 42:415–430, §"Model estimation" and Jerath, Fader &
        // Hardie (2011), Marketing Science 30:866–880, Table 1, both on this 2,357-customer CDNOW
        // sample: r = 0.55, α = 10.58, s = 0.61, β = 11.67, LL = −9,595.0. The maximum rounds to
        // those figures, so it lies within half a unit of the last printed digit of each.
        let fit = fit(&cdnow()).expect("fits");
        for (what, got, published) in [
            ("r", fit.r.value, PUBLISHED.r),
            ("α", fit.alpha.value, PUBLISHED.alpha),
            ("s", fit.s.value, PUBLISHED.s),
            ("β", fit.beta.value, PUBLISHED.beta),
        ] {
            assert!((got - published).abs() <= 0.005, "{what}: {got:.5} vs published {published}");
        }
        assert!((fit.log_likelihood + 9595.0).abs() <= 0.05, "LL {}", fit.log_likelihood);
        assert!([fit.r, fit.alpha, fit.s, fit.beta].iter().all(|e| e.std_error.is_some_and(|se| se > 0.0)));
    }

    #[test]
    fn agrees_with_lifetimes_on_cdnow() {
        let customers = cdnow();
        // The same likelihood at lifetimes' estimates: 2,357 terms, each within 1e-12 of the closed
        // form lifetimes uses, summed in f64 (at most 2,357 units in the last place of 9,595, 4.3e-9):
        // at worst 6.7e-9 apart, 1e-8 allowed; they agree within 2e-12.
        assert!((LIFETIMES.log_likelihood(&customers) + 9594.97392991023).abs() < 1e-8);
        // P(alive) and E[Y(39)] (lifetimes' `conditional_probability_alive` and
        // `conditional_expected_number_of_purchases_up_to_time(39, …)`) at those estimates, for
        // customers 1, 3, 157, 814, 1516 and 1901: light, silent, heavy, and heavy but long silent.
        // The quadrature's 1e-12 on the death branch bounds the relative error of both; they agree
        // within 7.3e-15.
        for (id, p_alive, expected) in [
            (1, 0.8691244719138621, 1.4551357686475013),
            (3, 0.2951035175827502, 0.10706399074374162),
            (157, 0.9961247825904194, 19.594896315783),
            (814, 0.003472724617889197, 0.018677004614983148),
            (1516, 0.9979180390941732, 20.116013495060063),
            (1901, 2.384326507119173e-08, 4.040675943159511e-07),
        ] {
            let c = &customers[id - 1];
            let (p, e) = (LIFETIMES.p_alive(c), LIFETIMES.conditional_expected(c, 39.0));
            assert!((p / p_alive - 1.0).abs() < 1e-11, "customer {id}: P(alive) {p} vs lifetimes {p_alive}");
            assert!((e / expected - 1.0).abs() < 1e-11, "customer {id}: E[Y(39)] {e} vs lifetimes {expected}");
        }
        // Our maximum is at least as high as lifetimes' (its Nelder–Mead stops at scipy's default
        // tolerances). Near the maximum LL falls by ½ Δθ′ I Δθ, so a point δ below it lies within
        // √(2δ) standard errors of it in every coordinate (Cauchy–Schwarz); 1.5 × that allows for
        // the quadratic approximation.
        let fit = fit(&customers).expect("fits");
        let below = fit.log_likelihood - LIFETIMES.log_likelihood(&customers);
        assert!(below >= -1e-9, "lifetimes' estimates have the higher likelihood, by {}", -below);
        for (what, ours, theirs) in [
            ("r", fit.r, LIFETIMES.r),
            ("α", fit.alpha, LIFETIMES.alpha),
            ("s", fit.s, LIFETIMES.s),
            ("β", fit.beta, LIFETIMES.beta),
        ] {
            let se = ours.std_error.expect("standard error");
            let allowed = 1.5 * (2.0 * below.max(1e-12)).sqrt() * se;
            assert!(
                (ours.value - theirs).abs() <= allowed,
                "{what}: {} vs lifetimes {theirs} (± {allowed:e})",
                ours.value
            );
        }
    }

    #[test]
    fn posteriors_average_to_the_prior_at_the_maximum() {
        // The gradient is the summed difference between posterior and prior means (Fisher's identity,
        // `log_likelihood_with_gradient`), and the fit stops when every |∂(−LL)/∂ln θ| ≤
        // GRADIENT_TOLERANCE (1 + |LL|). With ∂LL/∂ln α = N α (r/α − mean E[λ]) and ∂LL/∂ln r =
        // N r (mean E[ln λ] − ψ(r) + ln α) (likewise s, β for μ), each mean is within
        // GRADIENT_TOLERANCE (1 + |LL|)/(N θ) of the prior's: about 4e-10 for E[λ].
        let customers = cdnow();
        let fit = fit(&customers).expect("fits");
        let p = fit.params();
        let n = customers.len() as f64;
        let posteriors: Vec<Posterior> = customers.iter().map(|c| p.posterior(c)).collect();
        let mean = |f: fn(&Posterior) -> f64| posteriors.iter().map(f).sum::<f64>() / n;
        let bound = |theta: f64| GRADIENT_TOLERANCE * (1.0 + fit.log_likelihood.abs()) / (n * theta);
        for (what, got, prior, theta) in [
            ("E[λ]", mean(|q| q.rate), p.r / p.alpha, p.alpha),
            ("E[ln λ]", mean(|q| q.log_rate), digamma(p.r) - p.alpha.ln(), p.r),
            ("E[μ]", mean(|q| q.hazard), p.s / p.beta, p.beta),
            ("E[ln μ]", mean(|q| q.log_hazard), digamma(p.s) - p.beta.ln(), p.s),
        ] {
            assert!((got - prior).abs() <= bound(theta), "{what}: members' mean {got} vs prior {prior}");
        }
    }

    #[test]
    fn posteriors_average_to_the_prior_on_simulated_customers() {
        // Customers drawn from the model itself (ages 27–39, as CDNOW's): by the law of total
        // expectation the posterior means at the true parameters average to the prior means, and
        // P(alive | history) to P(alive at T) = E[e^−μT] = (β/(β + T))^s. Each mean must lie within
        // 4 of its standard errors (the customers' sample sd / √N; a false failure has two-sided
        // probability 6e-5 per check under the central limit theorem, and the seed is fixed).
        let truth = PUBLISHED;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1987);
        let rates = Gamma::new(truth.r, 1.0 / truth.alpha).expect("valid");
        let hazards = Gamma::new(truth.s, 1.0 / truth.beta).expect("valid");
        let n = 4000;
        let (mut customers, mut alive_at_t) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for i in 0..n {
            let age = 27.0 + (i % 13) as f64;
            let (lambda, mu): (f64, f64) = (rates.sample(&mut rng), hazards.sample(&mut rng));
            let death: f64 = Exp::new(mu).expect("positive").sample(&mut rng);
            let gap = Exp::new(lambda).expect("positive");
            let (mut frequency, mut recency, mut t) = (0, 0.0, 0.0);
            loop {
                t += gap.sample(&mut rng);
                if t > age.min(death) {
                    break;
                }
                frequency += 1;
                recency = t;
            }
            customers.push(Customer { frequency, recency, age });
            alive_at_t.push((truth.beta / (truth.beta + age)).powf(truth.s));
        }
        let posteriors: Vec<Posterior> = customers.iter().map(|c| truth.posterior(c)).collect();
        let within = |what: &str, values: Vec<f64>, expected: f64| {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let z = (mean - expected) / (sd / n.sqrt());
            assert!(z.abs() < 4.0, "{what}: mean {mean} vs {expected} (z = {z:.2})");
        };
        let column = |f: fn(&Posterior) -> f64| posteriors.iter().map(f).collect::<Vec<f64>>();
        within("E[λ]", column(|q| q.rate), truth.r / truth.alpha);
        within("E[ln λ]", column(|q| q.log_rate), digamma(truth.r) - truth.alpha.ln());
        within("E[μ]", column(|q| q.hazard), truth.s / truth.beta);
        within("E[ln μ]", column(|q| q.log_hazard), digamma(truth.s) - truth.beta.ln());
        let mean_alive = alive_at_t.iter().sum::<f64>() / n as f64;
        within("P(alive)", column(|q| q.p_alive), mean_alive);
    }

    /// The posterior by brute force: the trapezoid rule over a = ln λ and b = ln μ (step 0.05 on
    /// [−60, 5], where the integrands are smooth and their tails below 1e-14) of
    /// Gamma(λ; r, α) Gamma(μ; s, β) λ^x [e^−(λ+μ)T + μ/(λ+μ) (e^−(λ+μ)t_x − e^−(λ+μ)T)], the
    /// individual likelihood of Schmittlein et al. (1987) with the death time integrated out.
    /// Returns ln L, the posterior and E[Y(t)] = E[alive · λ (1 − e^−μt)/μ].
    fn brute_force(p: &Params, c: &Customer, t: f64, shift: f64) -> (f64, Posterior, f64) {
        let step = 0.05;
        let grid: Vec<f64> = (0..=1300).map(|i| -60.0 + step * f64::from(i)).collect();
        let x = f64::from(c.frequency);
        let ln_prior = |shape: f64, rate: f64, log_value: f64| {
            shape * rate.ln() - ln_gamma(shape) + shape * log_value - rate * log_value.exp()
        };
        let mut sums = [0.0; 7];
        for &a in &grid {
            let lambda = a.exp();
            let prior_lambda = ln_prior(p.r, p.alpha, a);
            for &b in &grid {
                let mu = b.exp();
                let both = lambda + mu;
                let tail = (-both * (c.age - c.recency)).exp();
                // e^−(λ+μ)t_x [μ/(λ+μ) + λ/(λ+μ) e^−(λ+μ)(T − t_x)]: the same bracket, factored.
                let individual = x * a - both * c.recency + (mu / both + lambda / both * tail).ln();
                let w = (prior_lambda + ln_prior(p.s, p.beta, b) + individual - shift).exp();
                let alive = tail / (mu / both + lambda / both * tail);
                sums[0] += w;
                sums[1] += w * alive;
                sums[2] += w * lambda;
                sums[3] += w * a;
                sums[4] += w * mu;
                sums[5] += w * b;
                sums[6] += w * alive * lambda * -(-mu * t).exp_m1() / mu;
            }
        }
        let z = sums[0];
        let posterior = Posterior {
            p_alive: sums[1] / z,
            rate: sums[2] / z,
            log_rate: sums[3] / z,
            hazard: sums[4] / z,
            log_hazard: sums[5] / z,
        };
        (shift + (z * step * step).ln(), posterior, sums[6] / z)
    }

    #[test]
    fn posterior_matches_brute_force_integration() {
        // A light buyer, a silent one-timer and a heavy buyer long silent (CDNOW customers 1, 3
        // and 814). The trapezoid rule converges geometrically on integrands smooth and decaying at
        // both ends (Trefethen & Weideman 2014, "The exponentially convergent trapezoidal rule",
        // SIAM Review 56:385–458), so the brute force is exact to rounding (summed over 1.7
        // million points: ~1e-13); the quadrature is within 1e-12 of the closed form. They agree
        // within 3.5e-13 here; 1e-11 is allowed.
        let customers = cdnow();
        for id in [1, 3, 814] {
            let c = &customers[id - 1];
            let ln_l = PUBLISHED.log_likelihood(std::slice::from_ref(c));
            let posterior = PUBLISHED.posterior(c);
            let (ln_l_brute, brute, expected_brute) = brute_force(&PUBLISHED, c, 39.0, ln_l);
            assert!((ln_l - ln_l_brute).abs() < 1e-11, "customer {id}: ln L {ln_l} vs brute force {ln_l_brute}");
            for (what, got, want) in [
                ("P(alive)", posterior.p_alive, brute.p_alive),
                ("E[λ]", posterior.rate, brute.rate),
                ("E[ln λ]", posterior.log_rate, brute.log_rate),
                ("E[μ]", posterior.hazard, brute.hazard),
                ("E[ln μ]", posterior.log_hazard, brute.log_hazard),
                ("E[Y(39)]", PUBLISHED.conditional_expected(c, 39.0), expected_brute),
            ] {
                assert!((got / want - 1.0).abs() < 1e-11, "customer {id} {what}: {got} vs brute force {want}");
            }
        }
    }

    #[test]
    fn conditional_expectation_is_continuous_at_s_one() {
        let c = Customer { frequency: 3, recency: 20.0, age: 39.0 };
        let at = |s: f64| Params { r: 0.5, alpha: 10.0, s, beta: 12.0 }.conditional_expected(&c, 52.0);
        assert!((at(1.0) / at(1.0 + 1e-9) - 1.0).abs() < 1e-8 && (at(1.0) / at(1.0 - 1e-9) - 1.0).abs() < 1e-8);
    }

    #[test]
    fn refuses_what_it_cannot_fit() {
        let few = [Customer { frequency: 1, recency: 1.0, age: 5.0 }; 3];
        assert!(fit(&few).expect_err("too few").to_string().contains("the Pareto/NBD needs at least 4 customers"));
        let none = [Customer { frequency: 0, recency: 0.0, age: 5.0 }; 10];
        assert!(fit(&none).expect_err("no repeat buying").to_string().contains("nobody bought again"));
        // Everyone bought steadily up to the end: nothing says anyone has left, so the dropout rates
        // run off towards 0 (s/β → 0, the NBD) and the fit says so instead of returning a boundary.
        let steady: Vec<Customer> = (0..40)
            .map(|i| Customer {
                frequency: 5 + i % 7,
                recency: 30.0 + f64::from(i % 9) - 0.01,
                age: 30.0 + f64::from(i % 9),
            })
            .collect();
        let error = fit(&steady).expect_err("no interior maximum");
        assert!(matches!(error, PredictError::NoConvergence(_)) && error.to_string().contains("ran off"), "{error}");
    }

    #[test]
    fn quadrature_matches_the_closed_form() {
        // Relative error of the death branch, compared on the log scale (ln I of a heavy buyer is
        // near −1,800, where one unit in the last place is 2e-13).
        let check = |p: &Params, c: &Customer, ln_reference: f64, tolerance: f64| {
            let ln_quadrature = death_branch(p, c).ln_weight - p.s.ln();
            let error = (ln_quadrature - ln_reference).abs();
            assert!(error <= tolerance, "{p:?} {c:?}: ln I = {ln_quadrature} by quadrature, {ln_reference} closed");
        };
        // Every distinct CDNOW summary at the published estimates, against eqs. 19–20 in f64.
        let published = PUBLISHED;
        for (c, _) in collapse(&cdnow()) {
            if c.recency == c.age {
                assert_eq!(death_branch(&published, &c).ln_weight, f64::NEG_INFINITY, "an empty death branch");
            } else {
                check(&published, &c, closed_form_death_integral(&published, &c).ln(), 1e-12);
            }
        }
        // Where f64 ₂F₁ series overflow (heavy buyers) or lose digits (α, β far apart): eqs. 19–20 by
        // mpmath 1.4.1 at 40 digits (hyp2f1), rounded to f64. The 6e-10 allowance covers the worst of
        // 624 (parameters, summary) pairs tried (x up to 300, T up to 365 days, t_x from 0 to 0.999 T,
        // α/β from 1/80 to 200): 5.1e-10, for α = 60, β = 0.3 and 30 purchases all at t_x = 0 seen
        // for a year; the other 623 were within 4.3e-13.
        let days = Params { r: 0.5, alpha: 10.0, s: 0.5, beta: 100.0 };
        let alpha_small = Params { r: 0.55, alpha: 0.5, s: 0.61, beta: 40.0 };
        let beta_small = Params { r: 2.0, alpha: 60.0, s: 0.2, beta: 0.3 };
        let customer = |frequency: u32, recency: f64, age: f64| Customer { frequency, recency, age };
        for (p, c, ln_reference, tolerance) in [
            (&days, customer(300, 54.0, 180.0), -1258.8451100621537, 1e-12),
            (&days, customer(100, 0.0, 365.0), -240.6166497828421, 1e-12),
            (&days, customer(0, 0.0, 365.0), -4.348293181309986, 1e-12),
            (&alpha_small, customer(300, 35.1, 39.0), -1082.754267287417, 1e-12),
            (&alpha_small, customer(5, 0.0, 365.0), -4.306017657145269, 1e-12),
            (&beta_small, customer(30, 0.0, 365.0), -130.46508303343404, 6e-10),
            (&beta_small, customer(300, 3.65, 365.0), -1257.5884085350754, 1e-12),
            (&beta_small, customer(1, 38.961, 39.0), -21.433835767577175, 1e-12),
            (&published, customer(300, 328.5, 365.0), -1760.342045946029, 1e-12),
            (&published, customer(30, 38.961, 39.0), -128.80591537621228, 1e-12),
        ] {
            check(p, &c, ln_reference, tolerance);
        }
    }

    #[test]
    fn the_gradient_is_the_derivative_of_the_likelihood() {
        let customers = [
            Customer { frequency: 0, recency: 0.0, age: 38.0 },
            Customer { frequency: 1, recency: 0.5, age: 20.0 },
            Customer { frequency: 2, recency: 30.43, age: 38.86 },
            Customer { frequency: 14, recency: 36.0, age: 37.0 },
            Customer { frequency: 3, recency: 3.0, age: 39.0 },
            Customer { frequency: 4, recency: 39.0, age: 39.0 },
        ];
        let groups: Vec<(Customer, f64)> =
            customers.iter().zip([40.0, 7.0, 1.0, 2.0, 5.0, 1.0]).map(|(c, n)| (*c, n)).collect();
        let log_lik = |p: &[f64], grad: &mut [f64]| {
            Params::from_slice(p).log_likelihood_with_gradient(groups.iter().map(|(c, n)| (c, *n)), grad)
        };
        for p in [[0.55, 10.58, 0.61, 11.67], [3.0, 0.5, 2.0, 0.3], [0.05, 60.0, 0.01, 40.0], [1.0, 5.0, 1.0, 5.0]] {
            assert_gradient_matches(log_lik, &p);
        }
    }
}
