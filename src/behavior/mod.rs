//! How a user acts and responds: the mechanisms of docs/model.md as pure
//! functions of the user's state. The engine owns the state and the clock; this
//! module owns the numbers. Every lesson the app teaches must come out of these
//! few mechanisms — nothing here knows which scenario is running.

use crate::scenario::{Channel, Content, PerChannel};

mod model;

pub use model::{Model, PARAMETERS, Parameter, ParameterValue, markdown_table, parameter, parameter_values};

/// Per-day decay factor of a quantity with the given half-life in days: 2^(−1/half-life).
pub fn daily_decay(half_life_days: f64) -> f64 {
    (-std::f64::consts::LN_2 / half_life_days).exp()
}

/// Daily churn hazard μ = μ₀ · exp(κ (1 − E)) · (1 + A).
pub fn churn_hazard(m: &Model, base: f64, engagement: f64, annoyance: f64) -> f64 {
    base * (m.churn_engagement_kappa * (1.0 - engagement)).exp() * (1.0 + annoyance)
}

/// Multiplier on checkout for paying `price` against reference price `reference`
/// (both relative to list): a loss-averse kink with an indifference band
/// (Kalwani & Yim 1992; Kahneman & Tversky 1979):
/// gap g = (R − p)/R; effect = s·G·(g − b) for g > b, −λ·s·G·(−g − b) for g < −b, else 0; response = e^effect.
pub fn price_response(m: &Model, price: f64, reference: f64, sensitivity: f64) -> f64 {
    let gap = (reference - price) / reference;
    let effect = if gap > m.price_band {
        sensitivity * m.gain_slope * (gap - m.price_band)
    } else if gap < -m.price_band {
        -m.loss_aversion * sensitivity * m.gain_slope * (-gap - m.price_band)
    } else {
        0.0
    };
    effect.exp()
}

/// P(checkout | cart) at `price` (relative to list).
pub fn checkout_probability(
    m: &Model,
    price: f64,
    reference: f64,
    sensitivity: f64,
    deal_proneness: f64,
    expectation: f64,
) -> f64 {
    let waiting = if price >= 1.0 { m.deal_wait * deal_proneness * expectation } else { 0.0 };
    (m.base_checkout * price_response(m, price, reference, sensitivity) * (1.0 - waiting)).clamp(0.0, 1.0)
}

/// How awake the user is at a local hour: activity there relative to the peak hour.
pub fn wakefulness(weights: &[f64; 24], local_hour: u8) -> f64 {
    let peak = weights.iter().copied().fold(0.0, f64::max);
    weights[usize::from(local_hour)] / peak
}

/// P(open) of one message: r_c · relevance · timing · 1/(1 + F_c/τ) · content appeal.
pub fn open_probability(
    m: &Model,
    responsiveness: f64,
    relevance: f64,
    wakefulness: f64,
    fatigue: f64,
    tolerance: f64,
    content: Content,
) -> f64 {
    let appeal = match content {
        Content::Discount { .. } => m.appeal_discount,
        Content::Reminder | Content::Recommendation => 1.0,
        Content::Value => m.appeal_value,
    };
    (responsiveness * relevance * wakefulness * appeal / (1.0 + fatigue / tolerance)).clamp(0.0, 1.0)
}

/// Opt-out chance of one message on `channel` at fatigue `fatigue` (after counting the message).
pub fn opt_out_probability(m: &Model, channel: Channel, fatigue: f64, tolerance: f64) -> f64 {
    (m.opt_out_base()[channel.index()] + m.opt_out_slope * ((fatigue - tolerance) / tolerance).max(0.0)).min(1.0)
}

/// Uninstall chance of one message, from fatigue summed over channels.
pub fn uninstall_probability(m: &Model, channel: Channel, fatigue: &PerChannel<f64>, tolerance: f64) -> f64 {
    if channel == Channel::Email {
        return 0.0;
    }
    let total: f64 = fatigue.iter().sum();
    (m.uninstall_slope * ((total - tolerance) / tolerance).max(0.0)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_loom_larger_than_gains() {
        let m = Model::default();
        let gain = price_response(&m, 0.8, 1.0, 0.5).ln();
        let loss = price_response(&m, 1.0, 0.8, 0.5).ln();
        assert!(gain > 0.0 && loss < 0.0);
        // The same 20 % on either side of the reference weighs λ times more as a loss (gap measured on R).
        assert!(loss.abs() > 2.0 * gain.abs());
        assert_eq!(price_response(&m, 1.02, 1.0, 1.0), 1.0, "inside the band nothing changes");
    }

    #[test]
    fn deal_waiting_only_delays_full_price() {
        let m = Model::default();
        let full = checkout_probability(&m, 1.0, 1.0, 0.5, 0.8, 1.0);
        let waiting_free = checkout_probability(&m, 1.0, 1.0, 0.5, 0.0, 1.0);
        assert!(full < 0.5 * waiting_free);
        assert!(checkout_probability(&m, 0.8, 1.0, 0.5, 0.8, 1.0) > waiting_free);
    }
}
