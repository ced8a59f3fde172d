//! Maximum likelihood machinery shared by the models: a quasi-Newton (BFGS)
//! minimiser driven by analytic gradients, the Hessian by central differences
//! of such a gradient, a small symmetric-matrix inverse, and the delta method.

use super::{PredictError, Projected};
use crate::stats::Z_975;

/// Most BFGS iterations before a fit is declared not to converge. The models here
/// have 2–4 parameters and converge in 12–24 iterations on the test data.
const MAX_ITERATIONS: usize = 500;

/// The largest change of any coordinate in one step (the coordinates are
/// log-parameters: a factor e² ≈ 7.4), so a poor early curvature estimate cannot
/// throw the search to where the likelihood under- or overflows.
const MAX_STEP: f64 = 2.0;

/// Converged when every |∂f/∂x_i| ≤ this × (1 + |f|): f is a negative
/// log-likelihood, a sum over customers, and its gradient's rounding error grows
/// with the sum's size; near the optimum a gradient this small moves the
/// estimates by far less than their standard errors.
pub(super) const GRADIENT_TOLERANCE: f64 = 1e-9;

/// Minimises f from `start` by BFGS (Nocedal & Wright 2006, *Numerical
/// Optimization*, 2nd ed., Algorithm 6.1 with the inverse-Hessian update of
/// eq. 6.17 and the initial scaling of eq. 6.20), with a backtracking Armijo line
/// search (their Algorithm 3.1; sufficient decrease c₁ = 10⁻⁴, steps shrunk by
/// quadratic interpolation, §3.5). The update is skipped when the step shows no
/// positive curvature (sᵀy ≤ 0), which keeps the inverse Hessian positive
/// definite without a Wolfe curvature search.
///
/// `objective(x, grad)` returns f(x) and writes ∇f(x) into `grad`. A non-finite
/// value or gradient counts as +∞: the line search steps back from it.
///
/// The search stops as soon as an accepted point leaves the box `bounds[i].0 ≤ x_i ≤
/// bounds[i].1` and returns that point: the caller, which checks its estimates against
/// the same box, reports that they ran off (a likelihood that keeps rising towards a
/// boundary has no interior maximum, and following it further only costs time).
///
/// A hand-written BFGS rather than the `argmin` crate's: argmin's line searches
/// (More–Thuente, Hager–Zhang) end the run with an error at the first non-finite
/// trial value, where these likelihoods need the search to step back.
pub fn minimize(
    objective: impl Fn(&[f64], &mut [f64]) -> f64,
    start: &[f64],
    bounds: &[(f64, f64)],
) -> Result<Vec<f64>, PredictError> {
    let n = start.len();
    let finite = |v: f64, g: &[f64]| v.is_finite() && g.iter().all(|x| x.is_finite());
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut fx = objective(&x, &mut g);
    if !finite(fx, &g) {
        return Err(PredictError::NoConvergence(format!("the likelihood is not finite at the start {start:?}")));
    }
    // The inverse Hessian approximation; the first step is steepest descent of length 1.
    let max_abs = |v: &[f64]| v.iter().fold(0.0f64, |m, a| m.max(a.abs()));
    let mut h = identity(n, 1.0 / max_abs(&g).max(1e-300));
    let mut scaled = false;
    let (mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n]);
    for _ in 0..MAX_ITERATIONS {
        if max_abs(&g) <= GRADIENT_TOLERANCE * (1.0 + fx.abs()) {
            return Ok(x);
        }
        let mut d: Vec<f64> = h.iter().map(|row| -dot(row, &g)).collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction (rounding in H): restart from steepest descent.
            h = identity(n, 1.0 / max_abs(&g));
            d = g.iter().map(|gi| -gi * h[0][0]).collect();
            slope = dot(&g, &d);
        }
        let longest = max_abs(&d);
        let mut t = (MAX_STEP / longest).min(1.0);
        let f_new = loop {
            x_new.iter_mut().zip(&x).zip(&d).for_each(|((xn, xi), di)| *xn = xi + t * di);
            let f_new = objective(&x_new, &mut g_new);
            if finite(f_new, &g_new) && f_new <= fx + 1e-4 * t * slope {
                break f_new;
            }
            if t * longest <= 1e-15 * (1.0 + max_abs(&x)) {
                // No lower point along d to working precision: a minimum if the gradient is
                // nearly flat (rounding in it stopped the test above), else a failure.
                if max_abs(&g) <= 1e3 * GRADIENT_TOLERANCE * (1.0 + fx.abs()) {
                    return Ok(x);
                }
                return Err(PredictError::NoConvergence(format!(
                    "the line search cannot lower −log L below {fx} at {x:?} (gradient {g:?})"
                )));
            }
            // Minimiser of the quadratic through f(x), the slope and f(x + t d), kept within [t/10, t/2].
            let q = -slope * t * t / (2.0 * (f_new - fx - slope * t));
            t = if q.is_finite() { q.clamp(0.1 * t, 0.5 * t) } else { 0.1 * t };
        };
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if !scaled {
                h = identity(n, sy / dot(&y, &y));
                scaled = true;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        fx = f_new;
        if x.iter().zip(bounds).any(|(xi, (lo, hi))| !(lo..=hi).contains(&xi)) {
            return Ok(x);
        }
    }
    Err(PredictError::NoConvergence(format!("no maximum after {MAX_ITERATIONS} quasi-Newton steps (at {x:?})")))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn identity(n: usize, scale: f64) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { scale } else { 0.0 }).collect()).collect()
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1/(yᵀs) (Nocedal & Wright eq. 6.17),
/// expanded as H − ρ (s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ for symmetric H.
fn bfgs_update(h: &mut [Vec<f64>], s: &[f64], y: &[f64], sy: f64) {
    let rho = 1.0 / sy;
    let hy: Vec<f64> = h.iter().map(|row| dot(row, y)).collect();
    let yhy = dot(y, &hy);
    for (i, row) in h.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v += -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

/// Maximum likelihood estimates of positive parameters: [`minimize`] of −log L over
/// their logarithms (so every estimate stays positive), from `start`. `log_lik(p, grad)`
/// returns log L(p) and writes its gradient in p into `grad`; by the chain rule
/// ∂(−log L)/∂ln p_i = −p_i ∂log L/∂p_i. The search stops once an estimate leaves
/// `bounds` (in p; see [`minimize`]), and the caller reports it.
pub fn maximize_log_likelihood(
    log_lik: impl Fn(&[f64], &mut [f64]) -> f64,
    start: &[f64],
    bounds: &[(f64, f64)],
) -> Result<Vec<f64>, PredictError> {
    let objective = |theta: &[f64], grad: &mut [f64]| {
        let p: Vec<f64> = theta.iter().map(|t| t.exp()).collect();
        let value = log_lik(&p, grad);
        grad.iter_mut().zip(&p).for_each(|(g, pi)| *g *= -pi);
        -value
    };
    let log_start: Vec<f64> = start.iter().map(|p| p.ln()).collect();
    let log_bounds: Vec<(f64, f64)> = bounds.iter().map(|(lo, hi)| (lo.ln(), hi.ln())).collect();
    let theta = minimize(objective, &log_start, &log_bounds)?;
    Ok(theta.iter().map(|t| t.exp()).collect())
}

/// The Jacobian of `gradient` at `x` by central differences with relative steps
/// h_i = 1e-5 · max(|x_i|, 1e-2) (about the cube root of machine precision, the
/// optimal step for a first difference: Press et al., *Numerical Recipes* §5.7),
/// symmetrised — the Hessian of the function whose gradient it is.
pub fn hessian(gradient: impl Fn(&[f64], &mut [f64]), x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let (mut up, mut down) = (vec![0.0; n], vec![0.0; n]);
    let mut columns = vec![vec![0.0; n]; n];
    for (i, column) in columns.iter_mut().enumerate() {
        let h = 1e-5 * x[i].abs().max(1e-2);
        let mut y = x.to_vec();
        y[i] = x[i] + h;
        gradient(&y, &mut up);
        y[i] = x[i] - h;
        gradient(&y, &mut down);
        column.iter_mut().zip(up.iter().zip(&down)).for_each(|(c, (u, d))| *c = (u - d) / (2.0 * h));
    }
    (0..n).map(|i| (0..n).map(|j| 0.5 * (columns[i][j] + columns[j][i])).collect()).collect()
}

/// Inverse of a small square matrix by Gauss–Jordan elimination with partial
/// pivoting; `None` if it is singular to working precision.
pub fn invert(matrix: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = matrix.len();
    let scale = matrix.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut a: Vec<Vec<f64>> = matrix
        .iter()
        .enumerate()
        .map(|(i, row)| row.iter().copied().chain((0..n).map(|j| f64::from(u8::from(i == j)))).collect())
        .collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() <= 1e-13 * scale {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col][col];
        a[col].iter_mut().for_each(|v| *v /= p);
        for row in 0..n {
            if row != col {
                let factor = a[row][col];
                let pivot_row = a[col].clone();
                a[row].iter_mut().zip(&pivot_row).for_each(|(v, pv)| *v -= factor * pv);
            }
        }
    }
    Some(a.into_iter().map(|row| row[n..].to_vec()).collect())
}

/// Covariance of the maximum likelihood estimates: the inverse of the observed
/// information −∇² log L at the maximum, by [`hessian`] of the analytic gradient
/// (`log_lik` as in [`maximize_log_likelihood`]). `None` when the information is
/// singular or not positive on the diagonal.
pub fn covariance(log_lik: impl Fn(&[f64], &mut [f64]) -> f64, at: &[f64]) -> Option<Vec<Vec<f64>>> {
    let neg_gradient = |p: &[f64], grad: &mut [f64]| {
        log_lik(p, grad);
        grad.iter_mut().for_each(|g| *g = -*g);
    };
    let cov = invert(&hessian(neg_gradient, at))?;
    cov.iter().enumerate().all(|(i, row)| row[i] > 0.0 && row[i].is_finite()).then_some(cov)
}

/// Delta method: the variance of g(θ̂) ≈ ∇g' Σ ∇g, with the gradient by
/// central differences (relative steps 1e-5, as in [`hessian`]).
pub fn delta_variance(g: impl Fn(&[f64]) -> f64, at: &[f64], cov: &[Vec<f64>]) -> f64 {
    let grad: Vec<f64> = (0..at.len())
        .map(|i| {
            let h = 1e-5 * at[i].abs().max(1e-2);
            let mut up = at.to_vec();
            let mut down = at.to_vec();
            up[i] += h;
            down[i] -= h;
            (g(&up) - g(&down)) / (2.0 * h)
        })
        .collect();
    grad.iter().enumerate().map(|(i, gi)| gi * grad.iter().zip(&cov[i]).map(|(gj, c)| gj * c).sum::<f64>()).sum()
}

/// A survival probability S(θ̂) with its 95 % delta-method interval, built on
/// the logit scale so it stays inside (0, 1): logit S ± z₀.₉₇₅ √(∇g′ Σ ∇g) with
/// g = logit S. Without a covariance the interval collapses to the point.
pub fn logit_interval(survival: impl Fn(&[f64]) -> f64, at: &[f64], cov: Option<&[Vec<f64>]>) -> Projected {
    let value = survival(at);
    let Some(cov) = cov else {
        return Projected { value, lower: value, upper: value };
    };
    let logit = |p: &[f64]| {
        let s = survival(p);
        (s / (1.0 - s)).ln()
    };
    let half = Z_975 * delta_variance(logit, at, cov).max(0.0).sqrt();
    let centre = logit(at);
    let inv = |z: f64| 1.0 / (1.0 + (-z).exp());
    Projected { value, lower: inv(centre - half), upper: inv(centre + half) }
}

/// Test helper: `log_lik`'s analytic gradient at `p` against central differences of its
/// value, h_i = 1e-5 · p_i. The difference's error is its rounding, about ε |log L| / h_i,
/// plus its truncation, h_i² |∂³ log L| / 6: the allowance is 1e-6 (1 + |g_i|) plus ten
/// times that rounding, far above both for the smooth likelihoods here, while a wrong term
/// is off by O(1) per customer (a 0.1 % error in one term fails it).
#[cfg(test)]
pub(super) fn assert_gradient_matches(log_lik: impl Fn(&[f64], &mut [f64]) -> f64, p: &[f64]) {
    let mut analytic = vec![0.0; p.len()];
    let value = log_lik(p, &mut analytic);
    let mut scratch = vec![0.0; p.len()];
    for (i, g) in analytic.iter().enumerate() {
        let h = 1e-5 * p[i];
        let (mut up, mut down) = (p.to_vec(), p.to_vec());
        up[i] += h;
        down[i] -= h;
        let numeric = (log_lik(&up, &mut scratch) - log_lik(&down, &mut scratch)) / (2.0 * h);
        let allowed = 1e-6 * (1.0 + g.abs()) + 10.0 * f64::EPSILON * value.abs() / h;
        assert!((numeric - g).abs() <= allowed, "∂/∂p{i} at {p:?}: analytic {g}, central difference {numeric}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64], grad: &mut [f64]) -> f64 {
        grad[0] = -400.0 * x[0] * (x[1] - x[0] * x[0]) - 2.0 * (1.0 - x[0]);
        grad[1] = 200.0 * (x[1] - x[0] * x[0]);
        100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2)
    }

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let wide = [(-1e3, 1e3); 2];
        let x = minimize(rosenbrock, &[-1.2, 1.0], &wide).expect("converges");
        assert!((x[0] - 1.0).abs() < 1e-6 && (x[1] - 1.0).abs() < 1e-6, "{x:?}");
    }

    #[test]
    fn steps_back_from_where_the_objective_is_not_finite() {
        // f = x − ln x has its minimum at x = 1 and is NaN for x ≤ 0, where a long first step lands.
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 1.0 - 1.0 / x[0];
            x[0] - x[0].ln()
        };
        let x = minimize(f, &[0.05], &[(-1e3, 1e3)]).expect("converges");
        assert!((x[0] - 1.0).abs() < 1e-7, "{x:?}");
    }

    #[test]
    fn stops_as_soon_as_the_search_leaves_its_box() {
        // e^(−x) falls for ever: no minimum, and the search stops at the box's edge at once
        // instead of walking on.
        let calls = std::cell::Cell::new(0);
        let f = |x: &[f64], g: &mut [f64]| {
            calls.set(calls.get() + 1);
            g[0] = -(-x[0]).exp();
            (-x[0]).exp()
        };
        let x = minimize(f, &[0.0], &[(-10.0, 10.0)]).expect("stops");
        assert!(x[0] > 10.0 && calls.get() < 50, "{x:?} after {} evaluations", calls.get());
    }

    #[test]
    fn quadratic_covariance_is_the_inverse_hessian() {
        // log L = −½ x' A x with A = [[4, 1], [1, 3]]: Σ = A⁻¹ = [[3, −1], [−1, 4]] / 11.
        let log_lik = |x: &[f64], g: &mut [f64]| {
            g[0] = -(4.0 * x[0] + x[1]);
            g[1] = -(x[0] + 3.0 * x[1]);
            -0.5 * (4.0 * x[0] * x[0] + 2.0 * x[0] * x[1] + 3.0 * x[1] * x[1])
        };
        let cov = covariance(log_lik, &[0.3, -0.2]).expect("positive definite");
        let expected = [[3.0 / 11.0, -1.0 / 11.0], [-1.0 / 11.0, 4.0 / 11.0]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((cov[i][j] - expected[i][j]).abs() < 1e-9, "{cov:?}");
            }
        }
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none(), "singular");
    }
}
