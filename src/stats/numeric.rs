//! Small numerical helpers shared by the statistics modules: the standard
//! normal (from statrs) and one bracketing root finder.

use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};

use super::StatsError;

/// z with Φ(z) = 0.975: the half-width multiplier of a two-sided 95 % interval
/// (1.959963984540054, e.g. Abramowitz & Stegun Table 26.5; tested against [`norm_upper_quantile`]).
pub const Z_975: f64 = 1.959_963_984_540_054;

/// t₀.₉₇₅ with `df` degrees of freedom: the half-width multiplier of a two-sided
/// 95 % t-interval; [`Z_975`] when no t distribution has that `df` (df ≤ 0 or NaN).
pub fn t_975(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(Z_975, |t| t.inverse_cdf(0.975))
}

fn standard() -> Normal {
    Normal::standard()
}

/// 1 − Φ(x), computed without cancellation in the upper tail.
pub(crate) fn norm_sf(x: f64) -> f64 {
    standard().sf(x)
}

/// φ(x), the standard normal density.
pub(crate) fn norm_pdf(x: f64) -> f64 {
    standard().pdf(x)
}

/// The z with P(Z ≥ z) = p, accurate for tiny p (no `1 − p` rounding).
pub(crate) fn norm_upper_quantile(p: f64) -> f64 {
    -standard().inverse_cdf(p)
}

/// Root of a continuous `f` on `[lo, hi]` where `f(lo)` and `f(hi)` differ in
/// sign, to `|Δx| < tol`, by the Illinois variant of regula falsi (bisection
/// steps guarantee progress; typically superlinear).
pub(crate) fn find_root(
    mut f: impl FnMut(f64) -> f64,
    mut lo: f64,
    mut hi: f64,
    tol: f64,
    what: &str,
) -> Result<f64, StatsError> {
    let mut f_lo = f(lo);
    let mut f_hi = f(hi);
    if f_lo == 0.0 {
        return Ok(lo);
    }
    if f_hi == 0.0 {
        return Ok(hi);
    }
    if f_lo.signum() == f_hi.signum() || !f_lo.is_finite() || !f_hi.is_finite() {
        return Err(StatsError::NoSolution(format!("{what}: no sign change on [{lo}, {hi}]")));
    }
    let mut side = 0i8;
    for _ in 0..200 {
        let mut x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
        if !(x > lo && x < hi) {
            x = 0.5 * (lo + hi);
        }
        let fx = f(x);
        if fx == 0.0 || (hi - lo) < tol {
            return Ok(x);
        }
        if fx.signum() == f_lo.signum() {
            lo = x;
            f_lo = fx;
            if side == -1 {
                f_hi *= 0.5;
            }
            side = -1;
        } else {
            hi = x;
            f_hi = fx;
            if side == 1 {
                f_lo *= 0.5;
            }
            side = 1;
        }
        if (hi - lo) < tol {
            return Ok(0.5 * (lo + hi));
        }
    }
    Err(StatsError::NoSolution(format!("{what}: did not converge")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_95_percent_multipliers() {
        assert!((Z_975 - norm_upper_quantile(0.025)).abs() < 1e-15);
        // t(0.975, 3) = 3.182446, t(0.975, 30) = 2.042272 (any t table).
        assert!((t_975(3.0) - 3.182_446).abs() < 1e-6);
        assert!((t_975(30.0) - 2.042_272).abs() < 1e-6);
        assert_eq!(t_975(0.0), Z_975);
    }

    #[test]
    fn root_of_a_cubic() {
        let root = find_root(|x| x * x * x - 2.0, 0.0, 2.0, 1e-12, "cube root").expect("bracketed");
        assert!((root - 2f64.cbrt()).abs() < 1e-11);
    }

    #[test]
    fn upper_quantile_is_accurate_far_in_the_tail() {
        // P(Z ≥ 9.262340089798408) = 1e-20 (mpmath, 30 digits: 9.26234008979840...).
        assert!((norm_upper_quantile(1e-20) - 9.262_340_089_798_41).abs() < 1e-9);
        assert!((norm_sf(norm_upper_quantile(1e-20)) / 1e-20 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn missing_bracket_is_an_error() {
        assert!(find_root(|x| x * x + 1.0, -1.0, 1.0, 1e-9, "no root").is_err());
    }
}
