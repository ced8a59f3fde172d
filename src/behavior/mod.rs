//! How a user acts and responds: the mechanisms of docs/model.md as pure
//! functions of the user's state. The engine owns the state and the clock; this
//! module owns the numbers. Every lesson the app teaches must come out of these
//! few mechanisms — nothing here knows which scenario is running.

use crate::scenario::{Channel, Content, PerChannel};

/// Calibrated constants of the behaviour model (sources in docs/model.md).
pub mod params {
    /// Daily multiplicative decay of engagement E without use (habit forgetting).
    pub const ENGAGEMENT_DECAY: f64 = 0.10;
    /// Users who adopted the key feature forget half as fast.
    pub const ADOPTED_DECAY_FACTOR: f64 = 0.5;
    /// Each session moves E this far towards 1.
    pub const SESSION_HABIT: f64 = 0.10;
    /// Churn hazard μ = μ₀ · exp(κ (1 − E)) · (1 + annoyance).
    pub const CHURN_ENGAGEMENT_KAPPA: f64 = 2.0;
    /// Chance per organic session of adopting the key feature.
    pub const ADOPTION_PER_SESSION: f64 = 0.02;
    /// P(checkout | cart) at the reference price, before deal-waiting (Baymard: ≈ 70 % abandon).
    pub const BASE_CHECKOUT: f64 = 0.32;
    /// Half-width of the band around the reference price where price changes go unnoticed (Kalwani & Yim 1992).
    pub const PRICE_BAND: f64 = 0.05;
    /// Response slope to a price gain, per unit of relative gain beyond the band, at sensitivity 1.
    pub const GAIN_SLOPE: f64 = 3.0;
    /// Loss aversion: losses weigh this much more than gains (Kahneman & Tversky 1979's λ ≈ 2.25).
    pub const LOSS_AVERSION: f64 = 2.25;
    /// Reference price smoothing: R ← ρ R + (1 − ρ) p after a purchase at price p.
    pub const REFERENCE_SMOOTHING: f64 = 0.7;
    /// Reference price smoothing for a discount offer seen but not used.
    pub const OFFER_REFERENCE_SMOOTHING: f64 = 0.95;
    /// Learned expectation of discounts: X ← X + rate (1 − X) per discount offer seen.
    pub const DEAL_EXPECTATION_RATE: f64 = 0.25;
    /// Daily decay of the learned discount expectation.
    pub const DEAL_EXPECTATION_DECAY: f64 = 0.02;
    /// Deal-proneness D grows this far towards 1 with each discounted purchase (Mela, Gupta & Lehmann 1997).
    pub const DEAL_PRONENESS_GROWTH: f64 = 0.10;
    /// Full-price checkout is multiplied by 1 − WAIT · D · X: the deal-prone who expect a deal wait for it.
    pub const DEAL_WAIT: f64 = 0.8;
    /// Fatigue added by a message triggered by the user's own behaviour, relative to a scheduled send:
    /// an expected, relevant message tires less (Klaviyo 2024: flows unsubscribe at about half the
    /// rate of campaigns).
    pub const TRIGGERED_FATIGUE: f64 = 0.5;
    /// Fatigue half-life in days: fatigue counts roughly the messages of the last week.
    pub const FATIGUE_HALF_LIFE_DAYS: f64 = 3.5;
    /// Opt-out chance per message when fatigue is within tolerance (Mailchimp ≈ 0.25 % per email send).
    pub const BASE_OPT_OUT: [f64; 4] = [0.002, 0.0, 0.0025, 0.008];
    /// Extra opt-out chance per message per unit of fatigue over tolerance (Localytics 2017 anchors).
    pub const OPT_OUT_SLOPE: f64 = 0.04;
    /// Uninstall chance per push/in-app/SMS message per unit of total fatigue over tolerance.
    pub const UNINSTALL_SLOPE: f64 = 0.015;
    /// Annoyance added by each extra channel of a blast, and by a message in the small hours.
    pub const BLAST_ANNOYANCE: f64 = 0.25;
    pub const NIGHT_ANNOYANCE: f64 = 0.3;
    /// Daily decay of annoyance.
    pub const ANNOYANCE_DECAY: f64 = 0.15;
    /// Open multiplier of a message triggered by the user's own behaviour vs a scheduled send to a cohort.
    pub const RELEVANCE_TRIGGERED: f64 = 1.0;
    pub const RELEVANCE_SCHEDULED: f64 = 0.55;
    /// P(click | open): a push or in-app tap opens the app; email and SMS need a click.
    pub const CLICK_GIVEN_OPEN: [f64; 4] = [1.0, 1.0, 0.14, 0.35];
    /// Engagement gained from opening any message, and from a value message clicked.
    pub const OPEN_HABIT: f64 = 0.03;
    pub const VALUE_HABIT: f64 = 0.4;
    pub const VALUE_ADOPTION: f64 = 0.25;
    /// Checkout multiplier when a clicked reminder brings the user back to an abandoned cart: the
    /// intent was already there (Klaviyo 2024: abandoned-cart flows convert ≈ 15× campaigns per recipient).
    pub const RESUMED_CHECKOUT: f64 = 2.0;
    /// Cart propensity multipliers for a session started by a recommendation or a discount.
    pub const RECOMMENDATION_CART: f64 = 1.6;
    pub const DISCOUNT_CART: f64 = 1.5;
    /// An abandoned cart stays open for a reminder this long.
    pub const CART_MEMORY_HOURS: u32 = 72;
    /// In-app messages wait for the user's next session at most this long.
    pub const IN_APP_WAIT_HOURS: u32 = 72;
}

use params::*;

/// Per-day decay factor of fatigue: 2^(−1/half-life).
pub fn fatigue_daily_decay() -> f64 {
    (-std::f64::consts::LN_2 / FATIGUE_HALF_LIFE_DAYS).exp()
}

/// Daily churn hazard μ = μ₀ · exp(κ (1 − E)) · (1 + A).
pub fn churn_hazard(base: f64, engagement: f64, annoyance: f64) -> f64 {
    base * (CHURN_ENGAGEMENT_KAPPA * (1.0 - engagement)).exp() * (1.0 + annoyance)
}

/// Multiplier on checkout for paying `price` against reference price `reference`
/// (both relative to list): a loss-averse kink with an indifference band
/// (Kalwani & Yim 1992; Kahneman & Tversky 1979):
/// gap g = (R − p)/R; effect = s·G·(g − b) for g > b, −λ·s·G·(−g − b) for g < −b, else 0; response = e^effect.
pub fn price_response(price: f64, reference: f64, sensitivity: f64) -> f64 {
    let gap = (reference - price) / reference;
    let effect = if gap > PRICE_BAND {
        sensitivity * GAIN_SLOPE * (gap - PRICE_BAND)
    } else if gap < -PRICE_BAND {
        -LOSS_AVERSION * sensitivity * GAIN_SLOPE * (-gap - PRICE_BAND)
    } else {
        0.0
    };
    effect.exp()
}

/// P(checkout | cart) at `price` (relative to list).
pub fn checkout_probability(
    price: f64,
    reference: f64,
    sensitivity: f64,
    deal_proneness: f64,
    expectation: f64,
) -> f64 {
    let waiting = if price >= 1.0 { DEAL_WAIT * deal_proneness * expectation } else { 0.0 };
    (BASE_CHECKOUT * price_response(price, reference, sensitivity) * (1.0 - waiting)).clamp(0.0, 1.0)
}

/// How awake the user is at a local hour: activity there relative to the peak hour.
pub fn wakefulness(weights: &[f64; 24], local_hour: u8) -> f64 {
    let peak = weights.iter().copied().fold(0.0, f64::max);
    weights[usize::from(local_hour)] / peak
}

/// P(open) of one message: r_c · relevance · timing · 1/(1 + F_c/τ) · content appeal.
pub fn open_probability(
    responsiveness: f64,
    relevance: f64,
    wakefulness: f64,
    fatigue: f64,
    tolerance: f64,
    content: Content,
) -> f64 {
    let appeal = match content {
        Content::Discount { .. } => 1.3,
        Content::Reminder | Content::Recommendation => 1.0,
        Content::Value => 0.9,
    };
    (responsiveness * relevance * wakefulness * appeal / (1.0 + fatigue / tolerance)).clamp(0.0, 1.0)
}

/// Opt-out chance of one message on `channel` at fatigue `fatigue` (after counting the message).
pub fn opt_out_probability(channel: Channel, fatigue: f64, tolerance: f64) -> f64 {
    (BASE_OPT_OUT[channel.index()] + OPT_OUT_SLOPE * ((fatigue - tolerance) / tolerance).max(0.0)).min(1.0)
}

/// Uninstall chance of one message, from fatigue summed over channels.
pub fn uninstall_probability(channel: Channel, fatigue: &PerChannel<f64>, tolerance: f64) -> f64 {
    if channel == Channel::Email {
        return 0.0;
    }
    let total: f64 = fatigue.iter().sum();
    (UNINSTALL_SLOPE * ((total - tolerance) / tolerance).max(0.0)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_loom_larger_than_gains() {
        let gain = price_response(0.8, 1.0, 0.5).ln();
        let loss = price_response(1.0, 0.8, 0.5).ln();
        assert!(gain > 0.0 && loss < 0.0);
        // The same 20 % on either side of the reference weighs λ times more as a loss (gap measured on R).
        assert!(loss.abs() > 2.0 * gain.abs());
        assert_eq!(price_response(1.02, 1.0, 1.0), 1.0, "inside the band nothing changes");
    }

    #[test]
    fn deal_waiting_only_delays_full_price() {
        let full = checkout_probability(1.0, 1.0, 0.5, 0.8, 1.0);
        let waiting_free = checkout_probability(1.0, 1.0, 0.5, 0.0, 1.0);
        assert!(full < 0.5 * waiting_free);
        assert!(checkout_probability(0.8, 1.0, 0.5, 0.8, 1.0) > waiting_free);
    }
}
