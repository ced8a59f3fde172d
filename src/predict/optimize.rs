//! Maximum likelihood machinery shared by the models: a Nelder–Mead simplex
//! search, the numerical Hessian, a small symmetric-matrix inverse, and the
//! delta method.

use super::{PredictError, Projected};
use crate::stats::Z_975;

/// Minimises `f` from `start` by Nelder–Mead (Nelder & Mead 1965) with the
/// standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½),
/// restarting from the best point until a restart no longer improves `f` —
/// a collapsed simplex otherwise stops short of the minimum on long valleys.
/// Non-finite values count as +∞, so the search walks away from them.
pub fn nelder_mead(f: impl Fn(&[f64]) -> f64, start: &[f64], step: f64) -> Result<Vec<f64>, PredictError> {
    let value = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut best = start.to_vec();
    let mut best_value = value(&best);
    for _restart in 0..20 {
        let (x, fx) = simplex_search(&value, &best, step);
        let improved = best_value - fx > 1e-9 * (1.0 + fx.abs());
        best = x;
        best_value = fx;
        if !improved {
            break;
        }
    }
    if best_value.is_finite() {
        Ok(best)
    } else {
        Err(PredictError::NoConvergence("the likelihood is not finite anywhere the search went".into()))
    }
}

fn simplex_search(f: &impl Fn(&[f64]) -> f64, start: &[f64], step: f64) -> (Vec<f64>, f64) {
    let n = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=n)
        .map(|i| {
            let mut x = start.to_vec();
            if i > 0 {
                x[i - 1] += step;
            }
            let fx = f(&x);
            (x, fx)
        })
        .collect();
    for _ in 0..20_000 {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (lo, hi) = (simplex[0].1, simplex[n].1);
        let spread = simplex.iter().skip(1).flat_map(|(x, _)| x.iter().zip(&simplex[0].0).map(|(a, b)| (a - b).abs()));
        if (hi - lo).abs() <= 1e-12 * (1.0 + lo.abs()) && spread.fold(0.0, f64::max) < 1e-9 {
            break;
        }
        let centroid: Vec<f64> =
            (0..n).map(|k| simplex[..n].iter().map(|(x, _)| x[k]).sum::<f64>() / n as f64).collect();
        let along = |t: f64| -> Vec<f64> { centroid.iter().zip(&simplex[n].0).map(|(c, w)| c + t * (c - w)).collect() };
        let reflected = along(1.0);
        let fr = f(&reflected);
        if fr < simplex[0].1 {
            let expanded = along(2.0);
            let fe = f(&expanded);
            simplex[n] = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let contracted = if fr < simplex[n].1 { along(0.5) } else { along(-0.5) };
            let fc = f(&contracted);
            if fc < fr.min(simplex[n].1) {
                simplex[n] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for (x, fx) in simplex.iter_mut().skip(1) {
                    x.iter_mut().zip(&best).for_each(|(xi, bi)| *xi = bi + 0.5 * (*xi - bi));
                    *fx = f(x);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0)
}

/// The Hessian of `f` at `x` by central differences with relative steps
/// h_i = 1e-4 · max(|x_i|, 1e-2) (Press et al., *Numerical Recipes* §5.7: the
/// cube root of machine precision for second differences).
pub fn hessian(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let h: Vec<f64> = x.iter().map(|v| 1e-4 * v.abs().max(1e-2)).collect();
    let at = |di: usize, si: f64, dj: usize, sj: f64| {
        let mut y = x.to_vec();
        y[di] += si * h[di];
        y[dj] += sj * h[dj];
        f(&y)
    };
    let mut out = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in i..n {
            let v = (at(i, 1.0, j, 1.0) - at(i, 1.0, j, -1.0) - at(i, -1.0, j, 1.0) + at(i, -1.0, j, -1.0))
                / (4.0 * h[i] * h[j]);
            out[i][j] = v;
            out[j][i] = v;
        }
    }
    out
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
/// information −∇² log L at the maximum (`neg_log_lik` is −log L). `None` when
/// the information is singular or not positive on the diagonal.
pub fn covariance(neg_log_lik: impl Fn(&[f64]) -> f64, at: &[f64]) -> Option<Vec<Vec<f64>>> {
    let cov = invert(&hessian(neg_log_lik, at))?;
    cov.iter().enumerate().all(|(i, row)| row[i] > 0.0 && row[i].is_finite()).then_some(cov)
}

/// Delta method: the variance of g(θ̂) ≈ ∇g' Σ ∇g, with the gradient by
/// central differences (steps as in [`hessian`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosenbrock = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
        let x = nelder_mead(rosenbrock, &[-1.2, 1.0], 0.5).expect("converges");
        assert!((x[0] - 1.0).abs() < 1e-5 && (x[1] - 1.0).abs() < 1e-5, "{x:?}");
    }

    #[test]
    fn quadratic_covariance_is_the_inverse_hessian() {
        // f = ½ x' A x with A = [[4, 1], [1, 3]]: Σ = A⁻¹ = [[3, −1], [−1, 4]] / 11.
        let f = |x: &[f64]| 0.5 * (4.0 * x[0] * x[0] + 2.0 * x[0] * x[1] + 3.0 * x[1] * x[1]);
        let cov = covariance(f, &[0.3, -0.2]).expect("positive definite");
        let expected = [[3.0 / 11.0, -1.0 / 11.0], [-1.0 / 11.0, 4.0 / 11.0]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((cov[i][j] - expected[i][j]).abs() < 1e-6, "{cov:?}");
            }
        }
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none(), "singular");
    }
}
