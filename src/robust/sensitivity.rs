//! Which parameters a difference depends on, from the joint points (Saltelli et al. 2008, Global
//! Sensitivity Analysis: The Primer, §1.2).
//!
//! Variance-based first-order indices (Sobol' 1993; the Saltelli 2002 estimator) need N·(P + 2)
//! runs — with ~50 parameters thousands of points per replicate — so at bench sizes this computes:
//!
//! - **standardised regression coefficients** (SRC) when there are at least P + 2 points with a
//!   value (P + 1 coefficients and one residual degree of freedom): the least-squares fit
//!   ŷ = b₀ + Σ b_j x_j, and SRC_j = b_j · s(x_j) / s(y), found here by regressing the z-scores of y
//!   on the z-scores of x (SVD least squares). For a model close to linear (R² near 1), SRC_j² is
//!   the share of the variance of y due to x_j; R² says how much of it the linear fit explains.
//! - **Pearson correlation coefficients** of y with each x_j when there are fewer points (the
//!   regression is then underdetermined): one regression per parameter. With uncorrelated inputs,
//!   as the Latin hypercube makes them in expectation, it estimates the same SRC, but noisily.
//!
//! Parameters that do not vary in the design get index 0.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// How the sensitivity indices were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Standardised regression coefficients, with R².
    StandardisedRegressionCoefficients,
    /// Pearson correlation coefficients (fewer points than parameters + 2).
    PearsonCorrelation,
    /// Fewer than 3 points with a value, or the difference never changes: nothing to estimate.
    None,
}

impl Method {
    pub fn describe(self) -> &'static str {
        match self {
            Method::StandardisedRegressionCoefficients => "standardised regression coefficients",
            Method::PearsonCorrelation => "correlation coefficients (too few points for a regression)",
            Method::None => "none (too few points, or the difference never changes)",
        }
    }
}

/// Indices per parameter (in `x`'s column order), the method, and R² for the regression.
#[derive(Clone, Debug, PartialEq)]
pub struct Indices {
    pub method: Method,
    pub r_squared: Option<f64>,
    pub index: Vec<f64>,
}

/// z-scores of `v` (sample sd); None when it does not vary.
fn standardise(v: &[f64]) -> Option<Vec<f64>> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (sd > 0.0 && sd.is_finite()).then(|| v.iter().map(|x| (x - mean) / sd).collect())
}

/// Sensitivity of `y` (one value per point, None where missing) to the columns of `x` (one row per point).
pub fn indices(x: &[Vec<f64>], y: &[Option<f64>], parameters: usize) -> Indices {
    let rows: Vec<usize> = (0..y.len()).filter(|&i| y[i].is_some()).collect();
    let none = Indices { method: Method::None, r_squared: None, index: vec![0.0; parameters] };
    let n = rows.len();
    if n < 3 {
        return none;
    }
    let Some(zy) = standardise(&rows.iter().filter_map(|&i| y[i]).collect::<Vec<_>>()) else { return none };
    let columns: Vec<Option<Vec<f64>>> =
        (0..parameters).map(|j| standardise(&rows.iter().map(|&i| x[i][j]).collect::<Vec<_>>())).collect();
    let varying: Vec<usize> = (0..parameters).filter(|&j| columns[j].is_some()).collect();
    let mut index = vec![0.0; parameters];
    if n < varying.len() + 2 {
        for &j in &varying {
            let zx = columns[j].as_deref().unwrap_or_default();
            index[j] = zx.iter().zip(&zy).map(|(a, b)| a * b).sum::<f64>() / (n as f64 - 1.0);
        }
        return Indices { method: Method::PearsonCorrelation, r_squared: None, index };
    }
    let z = DMatrix::from_fn(n, varying.len(), |r, c| columns[varying[c]].as_ref().map_or(0.0, |col| col[r]));
    let target = DVector::from_column_slice(&zy);
    let Ok(beta) = z.clone().svd(true, true).solve(&target, 1e-12) else { return none };
    let residual = &target - &z * &beta;
    for (c, &j) in varying.iter().enumerate() {
        index[j] = beta[c];
    }
    let r_squared = 1.0 - residual.norm_squared() / target.norm_squared();
    Indices { method: Method::StandardisedRegressionCoefficients, r_squared: Some(r_squared), index }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_model_gives_its_standardised_coefficients_and_r_squared_one() {
        // y = 3 x₀ − x₁ + 0 · x₂ on a 3 × 3 × 3 grid: the inputs are orthogonal with equal spread,
        // so SRC = b_j s(x_j)/s(y) = (3, −1, 0)/√10 exactly.
        let x: Vec<Vec<f64>> =
            (0..27).map(|i| vec![f64::from(i % 3), f64::from(i / 3 % 3), f64::from(i / 9)]).collect();
        let y: Vec<Option<f64>> = x.iter().map(|r| Some(3.0 * r[0] - r[1] + 5.0)).collect();
        let s = indices(&x, &y, 3);
        assert_eq!(s.method, Method::StandardisedRegressionCoefficients);
        let expected = [3.0 / 10f64.sqrt(), -1.0 / 10f64.sqrt(), 0.0];
        for (got, want) in s.index.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{:?}", s.index);
        }
        assert!((s.r_squared.expect("r²") - 1.0).abs() < 1e-12);
    }

    #[test]
    fn too_few_points_fall_back_to_correlation_and_then_to_none() {
        let x = vec![vec![0.0, 1.0, 5.0], vec![1.0, 0.0, 5.0], vec![2.0, 2.0, 5.0]];
        let y = vec![Some(0.0), Some(2.0), Some(4.0)];
        let s = indices(&x, &y, 3);
        assert_eq!(s.method, Method::PearsonCorrelation);
        assert!((s.index[0] - 1.0).abs() < 1e-12 && (s.index[1] - 0.5).abs() < 1e-12 && s.index[2] == 0.0);
        assert_eq!(indices(&x, &[Some(1.0), None, Some(2.0)], 3).method, Method::None);
        assert_eq!(indices(&x, &[Some(1.0); 3], 3).method, Method::None, "a constant difference");
    }
}
