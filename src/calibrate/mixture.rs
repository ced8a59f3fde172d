//! A finite mixture of Gaussians with diagonal covariances, fitted by EM (Dempster, Laird &
//! Rubin 1977), the number of components chosen by BIC = −2 ln L + p ln n, p = (k − 1) + 2kd
//! (Schwarz 1978; Fraley & Raftery 2002 use it for the same choice). Deterministic: component j
//! starts at the (j + ½)/k quantile of the rows ordered by their feature sum; variances have a
//! floor (1 % of a standardised feature's) so a component of identical rows (one-time buyers)
//! cannot collapse to a point.

/// A fitted mixture.
#[derive(Clone, Debug, PartialEq)]
pub struct Mixture {
    pub weights: Vec<f64>,
    pub means: Vec<Vec<f64>>,
    pub variances: Vec<Vec<f64>>,
    pub log_likelihood: f64,
    pub bic: f64,
    /// Each row's most probable component.
    pub labels: Vec<usize>,
}

const VARIANCE_FLOOR: f64 = 0.01;
const ITERATIONS: usize = 300;

/// The mixture with the lowest BIC among 1 … `max_components` components (fewer when rows are few);
/// rows are standardised feature vectors of equal length. None without rows.
pub fn choose(rows: &[Vec<f64>], max_components: usize) -> Option<Mixture> {
    let most = max_components.min(rows.len() / 20).max(1);
    (1..=most).filter_map(|k| fit(rows, k)).min_by(|a, b| a.bic.total_cmp(&b.bic))
}

/// EM for `k` components.
pub fn fit(rows: &[Vec<f64>], k: usize) -> Option<Mixture> {
    let n = rows.len();
    let d = rows.first()?.len();
    if n < k || d == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| rows[a].iter().sum::<f64>().total_cmp(&rows[b].iter().sum::<f64>()).then(a.cmp(&b)));
    let mut means: Vec<Vec<f64>> = (0..k).map(|j| rows[order[((2 * j + 1) * n) / (2 * k)]].clone()).collect();
    let mut variances = vec![vec![1.0; d]; k];
    let mut weights = vec![1.0 / k as f64; k];
    let mut resp = vec![vec![0.0; k]; n];
    let mut log_likelihood = f64::NEG_INFINITY;
    for _ in 0..ITERATIONS {
        // E step, on the log scale.
        let mut total = 0.0;
        for (row, r) in rows.iter().zip(resp.iter_mut()) {
            for j in 0..k {
                r[j] = weights[j].ln() + log_density(row, &means[j], &variances[j]);
            }
            let top = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = r.iter().map(|v| (v - top).exp()).sum();
            total += top + sum.ln();
            r.iter_mut().for_each(|v| *v = (*v - top).exp() / sum);
        }
        // M step.
        for j in 0..k {
            let nj: f64 = resp.iter().map(|r| r[j]).sum::<f64>().max(1e-9);
            weights[j] = nj / n as f64;
            for f in 0..d {
                let mean = rows.iter().zip(&resp).map(|(x, r)| r[j] * x[f]).sum::<f64>() / nj;
                let var = rows.iter().zip(&resp).map(|(x, r)| r[j] * (x[f] - mean).powi(2)).sum::<f64>() / nj;
                means[j][f] = mean;
                variances[j][f] = var.max(VARIANCE_FLOOR);
            }
        }
        let converged = (total - log_likelihood).abs() < 1e-7 * n as f64;
        log_likelihood = total;
        if converged {
            break;
        }
    }
    if !log_likelihood.is_finite() {
        return None;
    }
    let parameters = (k - 1 + 2 * k * d) as f64;
    let labels =
        resp.iter().map(|r| r.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(j, _)| j)).collect();
    Some(Mixture {
        weights,
        means,
        variances,
        log_likelihood,
        bic: -2.0 * log_likelihood + parameters * (n as f64).ln(),
        labels,
    })
}

fn log_density(x: &[f64], mean: &[f64], var: &[f64]) -> f64 {
    x.iter()
        .zip(mean)
        .zip(var)
        .map(|((x, m), v)| -0.5 * ((2.0 * std::f64::consts::PI * v).ln() + (x - m).powi(2) / v))
        .sum()
}

/// Each column shifted and scaled to mean 0 and sd 1 (a constant column becomes 0).
pub fn standardise(rows: &mut [Vec<f64>]) {
    let Some(d) = rows.first().map(Vec::len) else { return };
    let n = rows.len() as f64;
    for f in 0..d {
        let mean = rows.iter().map(|r| r[f]).sum::<f64>() / n;
        let sd = (rows.iter().map(|r| (r[f] - mean).powi(2)).sum::<f64>() / n).sqrt();
        rows.iter_mut().for_each(|r| r[f] = if sd > 0.0 { (r[f] - mean) / sd } else { 0.0 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two well-separated Gaussian clusters (deterministic points: normal quantiles at stratified
    /// probabilities, the second coordinate's order shuffled so the two are independent, as a
    /// diagonal covariance assumes): BIC picks two, and each row lands in its own.
    #[test]
    fn two_clusters_are_found() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let z = |k: usize| Normal::standard().inverse_cdf((k as f64 + 0.5) / 100.0);
        let mut rows = Vec::new();
        for i in 0..200 {
            let k = i / 2;
            rows.push(vec![if i % 2 == 0 { -3.0 } else { 3.0 } + 0.5 * z(k), 0.5 * z((37 * k + 11) % 100)]);
        }
        let m = choose(&rows, 6).expect("a mixture");
        assert_eq!(m.weights.len(), 2, "BIC {:?}", m.bic);
        assert!(m.labels.iter().enumerate().all(|(i, &l)| l == m.labels[i % 2]));
        assert_ne!(m.labels[0], m.labels[1]);
    }
}
