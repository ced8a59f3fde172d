//! Per-user features of the calibration period and the behavioural segments found in them.
//!
//! Features (each user first seen by the calibration end, standardised before the mixture):
//! ln(1 + purchase days), the recency ratio (last − first purchase day over calibration end − first
//! purchase day; 0 below two purchase days), ln of the mean purchase-day value (when the export has
//! revenue) and, when the export holds more than purchases, ln of active days per day seen and of
//! sessions per active day (when it has session events). A segment's purchase rate λ and chance p
//! of leaving after a repeat purchase come from its members' BG/NBD posteriors (Fader, Hardie &
//! Lee 2005; x repeat purchase days, t_x the last one, T days since the first purchase), so a
//! segment of one-time buyers still gets the rate their silence allows and frequent buyers still
//! buying get the low p their survival shows; within the segment, λ is spread as the Gamma and p
//! as the Beta closest to the members' posteriors (their mean and mean log). Averaged over every
//! customer, the posteriors give back the BG/NBD's Gamma(r, α) and Beta(a, b). That is a customer
//! file's view; an export with activity takes each member's purchase-day rate and lifetime hazard
//! from their active days instead (`activity`: purchases alone cannot say when a user left).

use serde::Serialize;

use super::activity::{self, ActivityFit};
use super::cohort::Window;
use super::mixture::{self, Mixture};
use crate::import::UserHistory;
use crate::predict::bgnbd::Params;
use statrs::function::gamma::digamma;

/// Most segments the mixture may choose (issue 13).
pub const MAX_SEGMENTS: usize = 6;

/// What the data say about one segment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SegmentFit {
    pub name: String,
    pub share: f64,
    pub users: usize,
    /// Mean purchase days in the calibration period.
    pub mean_purchase_days: f64,
    /// Mean calibration repeat purchase days (purchase days after the first).
    pub mean_frequency: f64,
    /// Mean of members' mean purchase-day values (None without revenue).
    pub mean_order_value: Option<f64>,
    /// Purchases per day of an active customer: the members' mean of the BG/NBD posterior mean of λ.
    pub purchase_rate: f64,
    /// The spread of that rate within the segment (coefficient of variation): the Gamma with the
    /// members' mean of E[λ] and of E[ln λ] (see `gamma_cv`).
    pub purchase_rate_cv: f64,
    /// Dropouts per day: the members' mean of the posterior mean of λ·p, the calendar-time hazard of a
    /// BG/NBD customer who leaves with chance p after each purchase (fast buyers leave sooner); for an
    /// export with activity, of their lifetime's hazard μ seen through their active days (`activity`).
    pub dropout_rate: f64,
    /// The spread of μ within the segment (CV, as `purchase_rate_cv`): exports with activity, else None.
    pub dropout_rate_cv: Option<f64>,
    /// The chance of leaving after a repeat purchase: the members' mean of the posterior mean of p.
    pub dropout_chance: f64,
    /// Its spread within the segment (CV): the Beta with the members' mean of E[p] and of E[ln p].
    pub dropout_chance_cv: f64,
    /// Active days per day while alive: the members' mean of the posterior mean of their activity
    /// rate (exports with more than purchases; per day seen if the activity fit failed), else None.
    pub active_day_rate: Option<f64>,
    /// Sessions per active day (exports with session events), else None.
    pub sessions_per_active_day: Option<f64>,
}

/// Which features the export supports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Available {
    pub revenue: bool,
    pub activity: bool,
    pub sessions: bool,
}

struct UserStats {
    purchase_days: usize,
    frequency: f64,
    /// Days from the first to the last purchase (t_x).
    recency: f64,
    recency_ratio: f64,
    mean_value: Option<f64>,
    age: f64,
    active_days: usize,
    sessions: u32,
}

fn stats(u: &UserHistory, window: &Window) -> UserStats {
    let purchases: Vec<_> = u.purchases.iter().take_while(|p| p.day <= window.calibration_end).collect();
    let first = purchases.first().map_or(u.first_seen, |p| p.day);
    let last = purchases.last().map_or(first, |p| p.day);
    let since_first = f64::from(window.calibration_end.0 - first.0);
    let active: Vec<_> = u.active_days.iter().take_while(|d| d.day <= window.calibration_end).collect();
    UserStats {
        purchase_days: purchases.len(),
        frequency: purchases.len().saturating_sub(1) as f64,
        recency: f64::from(last.0 - first.0),
        recency_ratio: if purchases.len() > 1 && since_first > 0.0 {
            f64::from(last.0 - first.0) / since_first
        } else {
            0.0
        },
        mean_value: (!purchases.is_empty())
            .then(|| purchases.iter().map(|p| p.revenue).sum::<f64>() / purchases.len() as f64),
        age: since_first,
        active_days: active.len(),
        sessions: active.iter().map(|d| d.sessions).sum(),
    }
}

/// One customer's BG/NBD posterior moments of the purchase rate λ and the calendar-time dropout
/// hazard λ·p (Fader, Hardie & Lee 2005): alive with probability P (P(alive | x, t_x, T)), then
/// λ ~ Gamma(r + x, α + T) and p ~ Beta(a, b + x); else gone after the x-th purchase, at t_x, then
/// λ ~ Gamma(r + x, α + t_x) and p ~ Beta(a + 1, b + x − 1). λ and p are independent given the state.
struct Posterior {
    rate: f64,
    /// E[ln λ].
    log_rate: f64,
    hazard: f64,
    chance: f64,
    /// E[ln p].
    log_chance: f64,
}

fn posterior(params: &Params, s: &UserStats) -> Posterior {
    let Params { r, alpha, a, b } = *params;
    let x = s.frequency;
    let alive =
        params.p_alive(&crate::predict::bgnbd::Customer { frequency: x as u32, recency: s.recency, age: s.age });
    // Gamma(k, β): E[λ] = k/β, E[ln λ] = ψ(k) − ln β; Beta(a', b'): E[p] = a'/(a' + b'), E[ln p] = ψ(a') − ψ(a' + b').
    let gamma = |beta: f64| ((r + x) / beta, digamma(r + x) - beta.ln());
    let beta = |a1: f64, b1: f64| (a1 / (a1 + b1), digamma(a1) - digamma(a1 + b1));
    let (l_alive, l_gone) = (gamma(alpha + s.age), gamma(alpha + s.recency));
    let p_alive = beta(a, b + x);
    // x = 0 is alive for sure (P = 1): the gone branch's Beta(a + 1, b − 1) is never weighed.
    let p_gone = if x > 0.0 { beta(a + 1.0, b + x - 1.0) } else { p_alive };
    let mix = |on: f64, off: f64| alive * on + (1.0 - alive) * off;
    Posterior {
        rate: mix(l_alive.0, l_gone.0),
        log_rate: mix(l_alive.1, l_gone.1),
        hazard: mix(l_alive.0 * p_alive.0, l_gone.0 * p_gone.0),
        chance: mix(p_alive.0, p_gone.0),
        log_chance: mix(p_alive.1, p_gone.1),
    }
}

/// The CV of the Gamma closest (in Kullback–Leibler divergence, the M-projection) to a mixture of
/// Gammas with mean `mean` and E[ln λ] `log_mean`: it matches E[λ] and E[ln λ], the Gamma's sufficient
/// statistics, so its shape k solves ln k − ψ(k) = ln E[λ] − E[ln λ] (Minka 2002, "Estimating a Gamma
/// distribution"); by bisection on ln k, deterministic. Matching the variance instead gives a segment
/// of frequent buyers (members' shapes r + x ≥ 3) a CV near 1, an exponential-like spread that puts a
/// tenth of them near a rate of zero where no member's posterior lies.
fn gamma_cv(mean: f64, log_mean: f64) -> f64 {
    let gap = (mean.ln() - log_mean).max(1e-9);
    let (mut lo, mut hi) = (-12.0_f64, 16.0_f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        let k = mid.exp();
        // ln k − ψ(k) falls as k grows.
        if k.ln() - digamma(k) > gap { lo = mid } else { hi = mid }
    }
    (-0.5 * (0.5 * (lo + hi))).exp()
}

/// The CV of the Beta with mean `mean` and E[ln p] `log_mean` (the members' mixture of Beta
/// posteriors projected the same way as [`gamma_cv`]: the mean and the mean log, which keeps the mass
/// near p = 0, the customers who hardly ever leave); its precision κ = a + b solves
/// ψ(mean·κ) − ψ(κ) = E[ln p], which rises with κ towards ln(mean); by bisection on ln κ.
pub fn beta_cv(mean: f64, log_mean: f64) -> f64 {
    let target = log_mean.min(mean.ln() - 1e-9);
    let (mut lo, mut hi) = (-12.0_f64, 16.0_f64);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        let kappa = mid.exp();
        if digamma(mean * kappa) - digamma(kappa) < target { lo = mid } else { hi = mid }
    }
    let kappa = (0.5 * (lo + hi)).exp();
    ((1.0 - mean) / (mean * (kappa + 1.0))).sqrt()
}

/// The segments of `cohort`: a mixture over the features, at most [`MAX_SEGMENTS`], by BIC.
/// `activity`: for an export with activity, the purchase rates and dropout come from the members'
/// active days (`activity::member`) instead of their purchases' BG/NBD posteriors.
pub fn segments(
    cohort: &[&UserHistory],
    window: &Window,
    available: Available,
    bgnbd: &Params,
    activity: Option<&ActivityFit>,
) -> Vec<SegmentFit> {
    let stats: Vec<UserStats> = cohort.iter().map(|u| stats(u, window)).collect();
    let overall_value = {
        let values: Vec<f64> = stats.iter().filter_map(|s| s.mean_value).filter(|v| *v > 0.0).collect();
        values.iter().sum::<f64>() / values.len().max(1) as f64
    };
    let mut rows: Vec<Vec<f64>> = stats
        .iter()
        .zip(cohort)
        .map(|(s, u)| {
            let mut row = vec![(1.0 + s.purchase_days as f64).ln(), s.recency_ratio];
            if available.revenue {
                row.push(s.mean_value.filter(|v| *v > 0.0).unwrap_or(overall_value).max(1e-6).ln());
            }
            if available.activity {
                let seen = f64::from(window.calibration_end.0 - u.first_seen.0 + 1);
                row.push((s.active_days as f64 / seen).max(1e-4).ln());
            }
            if available.sessions {
                row.push((f64::from(s.sessions) / s.active_days.max(1) as f64).max(1e-2).ln());
            }
            row
        })
        .collect();
    mixture::standardise(&mut rows);
    let labels = mixture::choose(&rows, MAX_SEGMENTS).map_or_else(|| vec![0; rows.len()], |m: Mixture| m.labels);
    let k = labels.iter().max().map_or(1, |m| m + 1);
    let mut fits: Vec<SegmentFit> = (0..k)
        .filter_map(|j| {
            let members: Vec<(&UserStats, &&UserHistory)> =
                stats.iter().zip(cohort).zip(&labels).filter(|(_, l)| **l == j).map(|(m, _)| m).collect();
            if members.is_empty() {
                return None;
            }
            let n = members.len() as f64;
            let values: Vec<f64> = members.iter().filter_map(|(s, _)| s.mean_value).collect();
            let posteriors: Vec<Posterior> = members.iter().map(|(s, _)| posterior(bgnbd, s)).collect();
            let mean = |f: &dyn Fn(&Posterior) -> f64| posteriors.iter().map(f).sum::<f64>() / n;
            let chance = mean(&|p| p.chance);
            let from_activity: Option<Vec<activity::Member>> =
                activity.map(|fit| members.iter().map(|(_, u)| activity::member(fit, u, window)).collect());
            let (rate, log_rate, dropout_rate, dropout_rate_cv, active_day_rate) = match &from_activity {
                Some(m) => {
                    let mean = |f: &dyn Fn(&activity::Member) -> f64| m.iter().map(f).sum::<f64>() / n;
                    let hazard = mean(&|m| m.hazard);
                    (
                        mean(&|m| m.rate),
                        mean(&|m| m.log_rate),
                        hazard,
                        Some(gamma_cv(hazard, mean(&|m| m.log_hazard))),
                        Some(mean(&|m| m.active_rate)),
                    )
                }
                // Without the activity fit (it found no interior maximum), the purchases' BG/NBD and
                // the active days per day seen.
                None => (
                    mean(&|p| p.rate),
                    mean(&|p| p.log_rate),
                    mean(&|p| p.hazard),
                    None,
                    available.activity.then(|| {
                        members
                            .iter()
                            .map(|(s, u)| {
                                s.active_days as f64 / f64::from(window.calibration_end.0 - u.first_seen.0 + 1)
                            })
                            .sum::<f64>()
                            / n
                    }),
                ),
            };
            Some(SegmentFit {
                name: String::new(),
                share: n / cohort.len() as f64,
                users: members.len(),
                mean_purchase_days: members.iter().map(|(s, _)| s.purchase_days as f64).sum::<f64>() / n,
                mean_frequency: members.iter().map(|(s, _)| s.frequency).sum::<f64>() / n,
                mean_order_value: (available.revenue && !values.is_empty())
                    .then(|| values.iter().sum::<f64>() / values.len() as f64),
                purchase_rate: rate,
                purchase_rate_cv: gamma_cv(rate, log_rate),
                dropout_rate,
                dropout_rate_cv,
                dropout_chance: chance,
                dropout_chance_cv: beta_cv(chance, mean(&|p| p.log_chance)),
                active_day_rate,
                sessions_per_active_day: available.sessions.then(|| {
                    members.iter().map(|(s, _)| f64::from(s.sessions) / s.active_days.max(1) as f64).sum::<f64>() / n
                }),
            })
        })
        .collect();
    fits.sort_by(|a, b| a.purchase_rate.total_cmp(&b.purchase_rate));
    let count = fits.len();
    for (i, f) in fits.iter_mut().enumerate() {
        f.name = if count == 1 { "customers".to_string() } else { format!("buyers {} of {count}", i + 1) };
    }
    fits
}
