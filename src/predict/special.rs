//! Special functions the two models need beyond statrs' ln Γ.

use statrs::function::gamma::ln_gamma;

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 and a, b > 0,
/// by its power series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ (Abramowitz & Stegun 15.1.1).
/// With c > 0 every term is positive, so the sum has no cancellation; terms
/// shrink like n^(a+b−c−1) zⁿ, so z near 1 needs many terms and the loop allows
/// them (z = t/(α + T + t) in the BG/NBD projections).
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    debug_assert!((0.0..1.0).contains(&z) && a > 0.0 && b > 0.0);
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 0..1_000_000u32 {
        let n = f64::from(n);
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypergeometric_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z (A&S 15.1.3).
        for z in [0.1f64, 0.5, 0.9, 0.99] {
            let exact = -(1.0 - z).ln() / z;
            assert!((hyp2f1(1.0, 1.0, 2.0, z) / exact - 1.0).abs() < 1e-12, "z = {z}");
        }
        // ₂F₁(a, b; b; z) = (1 − z)^(−a) (A&S 15.1.8).
        assert!((hyp2f1(0.7, 2.5, 2.5, 0.6) / 0.4f64.powf(-0.7) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn beta_function_matches_factorials() {
        // B(3, 4) = 2! 3! / 6! = 1/60.
        assert!((ln_beta(3.0, 4.0) - (1.0f64 / 60.0).ln()).abs() < 1e-12);
    }
}
