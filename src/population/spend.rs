//! Order values with the Gamma–Gamma structure of Fader, Hardie & Lee (2005),
//! "RFM and CLV: using iso-value curves for customer base analysis", JMR 42:415–430:
//! an order of customer i is z ~ Gamma(p, ν_i) (shape p, rate ν_i), so the customer's
//! mean spend is ζ_i = p/ν_i, and ν_i ~ Gamma(q, γ) across customers.
//!
//! Written for marketers as a mean and two coefficients of variation:
//! within a customer CV(z | ζ) = 1/√p; across customers CV(ζ) = 1/√(q − 2) (q > 2);
//! E[ζ] = pγ/(q − 1). The CDNOW fit (p 6.25, q 3.74, γ 15.44; Fader & Hardie 2013)
//! has CVs 0.40 and 0.76 — the defaults.

use rand_distr::{Distribution, Gamma};

use crate::rng::Rng;

/// The spend model of a scenario's economics.
#[derive(Clone, Copy, Debug)]
pub struct Spend {
    mean: f64,
    /// 1/ζ = ν/p ~ Gamma(q, rate γp) = Gamma(q, scale 1/(mean (q − 1))); None when every customer has the mean.
    across: Option<Gamma<f64>>,
    /// z/ζ ~ Gamma(p, scale 1/p); None when every order is its customer's mean.
    within: Option<Gamma<f64>>,
}

impl Spend {
    /// `mean` > 0; CVs ≥ 0 (0 = no spread).
    pub fn new(mean: f64, customer_cv: f64, order_cv: f64) -> Self {
        let across = (customer_cv > 0.0)
            .then(|| {
                let q = 2.0 + 1.0 / (customer_cv * customer_cv);
                Gamma::new(q, 1.0 / (mean * (q - 1.0))).ok()
            })
            .flatten();
        let within = (order_cv > 0.0)
            .then(|| {
                let p = 1.0 / (order_cv * order_cv);
                Gamma::new(p, 1.0 / p).ok()
            })
            .flatten();
        Spend { mean, across, within }
    }

    /// A customer's mean spend ζ.
    pub fn customer_mean(&self, rng: &mut Rng) -> f64 {
        match &self.across {
            Some(g) => 1.0 / g.sample(rng).max(f64::MIN_POSITIVE),
            None => self.mean,
        }
    }

    /// One order of a customer whose mean spend is `customer_mean`.
    pub fn order(&self, customer_mean: f64, rng: &mut Rng) -> f64 {
        match &self.within {
            Some(g) => customer_mean * g.sample(rng),
            None => customer_mean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, stream};

    /// Mean and CV of 200,000 draws against the model's, within 4 Monte Carlo standard errors
    /// (the sample CV's error estimated from the draws themselves by batch means).
    #[test]
    fn the_spreads_are_the_ones_asked_for() {
        let spend = Spend::new(35.0, 0.76, 0.4);
        let n = 200_000;
        let customers: Vec<f64> =
            (0..n).map(|i| spend.customer_mean(&mut stream(1, 0, i, Purpose::Traits, 2))).collect();
        let orders: Vec<f64> = (0..n).map(|i| spend.order(10.0, &mut stream(1, 0, i, Purpose::Order, 0))).collect();
        let stats = |x: &[f64]| {
            let m = x.iter().sum::<f64>() / x.len() as f64;
            let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
            (m, v.sqrt() / m)
        };
        let batches = |x: &[f64]| -> (f64, f64) {
            let cvs: Vec<f64> = x.chunks(x.len() / 100).map(|c| stats(c).1).collect();
            let (m, _) = stats(&cvs);
            let sd = (cvs.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 99.0).sqrt();
            (m, sd / 10.0)
        };
        let (mean, _) = stats(&orders);
        let (cv, cv_se) = batches(&orders);
        assert!((mean - 10.0).abs() < 4.0 * 10.0 * 0.4 / (n as f64).sqrt(), "order mean {mean}");
        assert!((cv - 0.4).abs() < 4.0 * cv_se, "order CV {cv} ± {cv_se}");
        let (mean, _) = stats(&customers);
        assert!((mean - 35.0).abs() < 4.0 * 35.0 * 0.76 / (n as f64).sqrt(), "customer mean {mean}");
        // The inverse-gamma's CV converges slowly (heavy right tail): checked on the median instead,
        // which for 1/ζ ~ Gamma(q, ·) is 1/(median of the gamma) — a robust check of the shape q.
        let mut sorted = customers.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[n as usize / 2];
        let q = 2.0 + 1.0 / (0.76f64 * 0.76);
        let gamma_median = statrs::distribution::ContinuousCDF::inverse_cdf(
            &statrs::distribution::Gamma::new(q, 35.0 * (q - 1.0)).expect("valid gamma"),
            0.5,
        );
        let expected = 1.0 / gamma_median;
        // Median's standard error: 1/(2 f(m) √n), f the density of ζ at its median, estimated from the draws.
        let window = sorted[n as usize / 2 + 1000] - sorted[n as usize / 2 - 1000];
        let density = 2000.0 / n as f64 / window;
        let se = 1.0 / (2.0 * density * (n as f64).sqrt());
        assert!((median - expected).abs() < 4.0 * se, "customer median {median} vs {expected} ± {se}");
    }

    #[test]
    fn no_spread_means_every_order_is_the_mean() {
        let spend = Spend::new(50.0, 0.0, 0.0);
        let mut rng = stream(1, 0, 0, Purpose::Order, 0);
        assert_eq!(spend.customer_mean(&mut rng), 50.0);
        assert_eq!(spend.order(50.0, &mut rng), 50.0);
    }
}
