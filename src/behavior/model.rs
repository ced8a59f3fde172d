//! The behaviour model's constants as one table of named parameters: each with
//! a default, a plausible range, a unit, its meaning and its source — or
//! "assumption", said plainly. A scenario's optional `[model]` section sets any
//! of them; docs/model.md's parameter table, `journeylab model` and the app's
//! Model panel are all generated from this one table.

use serde::Serialize;

/// One parameter of the behaviour model, as documented.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Parameter {
    /// The group it is documented and shown in, e.g. "Habit and churn".
    pub group: &'static str,
    pub name: &'static str,
    pub default: f64,
    /// Plausible range: a scenario may set any value in [low, high].
    pub low: f64,
    pub high: f64,
    pub unit: &'static str,
    pub meaning: &'static str,
    /// A paper or benchmark, or "assumption: …" when none is known.
    pub source: &'static str,
    /// Whether the engine reads it as a whole number (hours).
    pub whole: bool,
    /// Whether `journeylab robust` sweeps it: false for a switch of the model's structure whose
    /// default is the calibrated model and whose other values are a population's (set by
    /// `journeylab calibrate`), not an uncertain behaviour constant.
    pub swept: bool,
}

/// The table: `"Group" { name: default in [low, high] "unit" (, whole | , structural)?; "meaning"; "source"; … }`,
/// group by group.
macro_rules! model {
    ($( $group:literal { $( $name:ident : $default:literal in [$low:literal, $high:literal] $unit:literal $(, $kind:ident)?;
        $meaning:literal; $source:literal; )* } )*) => {
        /// Every behaviour constant, as one run reads it.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct Model {
            $( $( #[doc = $meaning] pub $name: f64, )* )*
        }

        impl Default for Model {
            fn default() -> Self {
                Model { $( $( $name: $default, )* )* }
            }
        }

        /// The parameter table, in documentation order.
        pub const PARAMETERS: &[Parameter] = &[
            $( $( Parameter {
                group: $group,
                name: stringify!($name),
                default: $default,
                low: $low,
                high: $high,
                unit: $unit,
                meaning: $meaning,
                source: $source,
                whole: model!(@whole $($kind)?),
                swept: model!(@swept $($kind)?),
            }, )* )*
        ];

        impl Model {
            /// The value of parameter `name`, if there is one of that name.
            pub fn get(&self, name: &str) -> Option<f64> {
                match name {
                    $( $( stringify!($name) => Some(self.$name), )* )*
                    _ => None,
                }
            }

            /// Sets parameter `name`; false if there is none of that name. Range checks are the reader's.
            pub fn set(&mut self, name: &str, value: f64) -> bool {
                match name {
                    $( $( stringify!($name) => { self.$name = value; true } )* )*
                    _ => false,
                }
            }
        }
    };
    (@whole whole) => { true };
    (@whole $other:ident) => { false };
    (@whole) => { false };
    (@swept structural) => { false };
    (@swept $other:ident) => { true };
    (@swept) => { true };
}

model! {
    "Habit and churn" {
    engagement_decay: 0.10 in [0.05, 0.20] "per day";
        "Daily decay of engagement E without use (habit forgetting)";
        "assumption: calibrated with session_habit to Adjust's D1/D7/D30 medians (25/10–12/6 %)";
    adopted_decay_factor: 0.5 in [0.25, 1.0] "ratio";
        "Users who adopted the key feature forget this much as fast";
        "assumption: feature adoption predicts retention in product-analytics practice; size unknown";
    session_habit: 0.10 in [0.05, 0.20] "share of 1 − E";
        "Each session moves E this far towards 1";
        "assumption: calibrated with engagement_decay to Adjust's D1/D7/D30 medians";
    purchase_habit: 0.15 in [0.0, 0.40] "share of 1 − E";
        "Each purchase moves E this far towards 1 (buying is a stronger habit cue than browsing)";
        "assumption: repeat purchase raises repurchase probability (Fader, Hardie & Lee 2005 BG/NBD fits show heterogeneity, not state dependence; range covers none to strong)";
    habit_floor: 0.0 in [0.0, 1.0] "share of arrival E", structural;
        "Engagement decays towards this share of the user's arrival engagement, not to zero (0: an unused habit fades completely)";
        "a structural switch, not swept by `journeylab robust`: 0 keeps the retention curves calibrated to Adjust's medians; `journeylab calibrate` sets 0.75 for an export with activity (assumption: any floor makes a member's activity self-exciting around a stable level, Hawkes 1971, Biometrika 58:83–90, as the BTYD models it fits assume stationary rates; 0.75 bounds a session's total echo at 1/3)";
    churn_engagement_kappa: 2.0 in [1.0, 3.0] "per unit of 1 − E";
        "Churn hazard μ = μ₀ · exp(κ (1 − E)) · (1 + A): how much faster the disengaged leave";
        "assumption: calibrated to Adjust's D30 median (6 %)";
    adoption_per_session: 0.02 in [0.005, 0.05] "probability";
        "Chance per organic session of adopting the key feature";
        "assumption";
    }
    "Lapse and return" {
    lapse_share: 0.0 in [0.0, 0.9] "probability";
        "Share of exits that are a lapse (dormant, may come back) rather than leaving for good";
        "assumption: off by default — with 0.6 the 12-month retention projection (BdW/sBG fitted to 90 days) overshoots a 365-day simulation (cart_abandonment: 0.084 [0.078, 0.091] vs 0.076); app re-engagement data suggest many lapsed users return";
    organic_return: 0.01 in [0.002, 0.03] "per day";
        "Daily chance that a dormant user comes back by themselves";
        "assumption: chosen so ≈ 25 % of the lapsed return within 30 days (Adjust 2023 reattribution windows)";
    message_return: 0.25 in [0.05, 0.50] "probability";
        "Chance that an opened message brings a dormant user back (×relevance)";
        "assumption: win-back campaigns report reactivation of a few % of recipients (Braze 2023), i.e. a quarter of the few % who open";
    return_engagement: 0.5 in [0.2, 0.8] "share of arrival E";
        "On return, engagement is restored to this share of the user's engagement at arrival";
        "assumption";
    departed_uninstall: 0.5 in [0.3, 0.7] "probability";
        "Share of users leaving for good who also uninstall the app: push and in-app no longer reach them";
        "AppsFlyer uninstall benchmarks: 28 % (2018) to ≈ 50 % (2020) of installs are gone within 30 days, when ≈ 80–94 % of users have stopped using the app (Adjust D30 ≈ 6 %)";
    departed_open: 0.7 in [0.3, 1.0] "ratio";
        "Email, SMS and push (app still installed) still reach a user who has left for good: they open at this ratio of their chance, but an open brings no session or purchase";
        "assumption: benchmark open rates are over whole lists, most of whose members no longer use the app; how much less they read is unmeasured";
    }
    "Purchases and prices" {
    base_checkout: 0.32 in [0.2, 0.45] "probability";
        "P(checkout | cart) at the reference price, before deal-waiting";
        "Baymard Institute meta-average: ≈ 70 % of carts abandoned";
    price_band: 0.05 in [0.0, 0.15] "relative price";
        "Half-width of the band around the reference price where price changes go unnoticed";
        "Kalwani & Yim 1992, JMR 29:90–100 (a region of insensitivity around the expected price)";
    gain_slope: 3.0 in [1.0, 6.0] "per unit relative gain";
        "Response slope to a price gain beyond the band, at price sensitivity 1";
        "assumption: short-term promotion elasticities of 2–4 (Jedidi, Mela & Gupta 1999)";
    loss_aversion: 2.25 in [1.5, 3.0] "ratio";
        "Losses against the reference price weigh this much more than gains";
        "Kahneman & Tversky 1979/1992: λ ≈ 2.25";
    reference_smoothing: 0.7 in [0.5, 0.9] "weight";
        "Reference price after a purchase at p: R ← ρ R + (1 − ρ) p";
        "assumption: exponential smoothing of prices paid (Kalwani & Yim 1992)";
    offer_reference_smoothing: 0.95 in [0.85, 1.0] "weight";
        "Reference price after a discount offer seen but not used: R ← ρ R + (1 − ρ) p";
        "assumption: promotion frequency lowers the expected price (Kalwani & Yim 1992)";
    deal_expectation_rate: 0.25 in [0.1, 0.5] "share of 1 − X";
        "Learned expectation of discounts X moves this far towards 1 per discount offer opened";
        "assumption: promotion frequency raises promotion sensitivity (Mela, Gupta & Lehmann 1997)";
    deal_expectation_decay: 0.02 in [0.005, 0.05] "per day";
        "Daily decay of the learned discount expectation X";
        "assumption: effects lasting months to two years (Anderson & Simester 2004)";
    deal_proneness_growth: 0.10 in [0.03, 0.25] "share of 1 − D";
        "Deal sensitivity D moves this far towards 1 with each discounted purchase";
        "Mela, Gupta & Lehmann 1997 (more promotion, more promotion-sensitive consumers); size assumed";
    deal_proneness_decay: 0.005 in [0.0, 0.02] "per day";
        "Daily pull of deal sensitivity back towards the user's own level when no discount is bought";
        "assumption: half-life ≈ 4½ months, within the up-to-two-years of Anderson & Simester 2004";
    deal_wait: 0.8 in [0.4, 1.0] "ratio";
        "Full-price checkout × (1 − deal_wait · D · X): the deal-prone who expect a deal wait for it";
        "assumption";
    resumed_checkout: 1.5 in [1.2, 4.0] "ratio";
        "Checkout multiplier when a clicked reminder brings the user back to an abandoned cart";
        "calibrated: an abandoned-cart email to a web shop's shoppers then places orders at 4.75 % of recipients under Klaviyo's attribution, inside its 2024 benchmark band (tests/calibration.rs; 2.0 gave 5.6 %)";
    recommendation_cart: 1.6 in [1.0, 2.5] "ratio";
        "Cart propensity multiplier for a session started by a clicked recommendation";
        "assumption";
    discount_cart: 1.5 in [1.0, 2.5] "ratio";
        "Cart propensity multiplier for a session started by a clicked discount";
        "assumption: short-term promotion elasticities exceed regular-price ones (Jedidi, Mela & Gupta 1999)";
    cart_memory_hours: 72.0 in [24.0, 168.0] "hours", whole;
        "An abandoned cart stays open for a reminder this long";
        "assumption: abandoned-cart flows send within 1–72 h (Klaviyo 2024)";
    }
    "Messages" {
    relevance_scheduled: 0.7 in [0.4, 0.9] "ratio";
        "Open multiplier of a scheduled send to a cohort, against 1 for a message the user's own behaviour triggered";
        "Klaviyo 2024: flows open more often than campaigns (and earn far more per recipient); the ratio itself is assumed";
    appeal_discount: 1.3 in [1.0, 1.8] "ratio";
        "Open multiplier of a discount offer (reminders and recommendations are 1)";
        "assumption";
    appeal_value: 0.9 in [0.6, 1.2] "ratio";
        "Open multiplier of a value (education) message";
        "assumption";
    novelty_loss: 0.15 in [0.0, 0.5] "share of appeal";
        "Each recent message of the same content to the same user takes this share off its appeal";
        "Yancey & Settles 2020, KDD (Duolingo's recovering bandit: repeated templates lose novelty); size assumed";
    novelty_half_life_days: 7.0 in [2.0, 21.0] "days";
        "Half-life of that novelty loss: appeal recovers with rest";
        "Yancey & Settles 2020, KDD (novelty recovers over days); size assumed";
    click_email: 0.14 in [0.08, 0.20] "probability";
        "P(click | open) of an email";
        "Mailchimp benchmarks: open ≈ 21 %, click ≈ 2.6 % → ≈ 0.12 of opens";
    click_sms: 0.35 in [0.2, 0.5] "probability";
        "P(click | open) of an SMS";
        "Klaviyo: SMS campaign click ≈ 6–14 % of sends with most SMS read";
    open_habit: 0.03 in [0.0, 0.1] "share of 1 − E";
        "Engagement gained from opening any message";
        "assumption: micro-randomised trials show clear short-term engagement lifts (Bell et al. 2023; Bidargaddi et al. 2018)";
    value_habit: 0.4 in [0.0, 0.6] "share of 1 − E";
        "Engagement gained from opening a value (education) message";
        "assumption: sized so a value-first onboarding lifts D30 retention by a few % relative (Yancey & Settles 2020: +2 % new-user retention)";
    value_adoption: 0.25 in [0.05, 0.5] "probability";
        "Chance that an opened value message makes the user adopt the key feature";
        "assumption";
    in_app_wait_hours: 72.0 in [24.0, 168.0] "hours", whole;
        "An in-app message waits for the user's next session at most this long";
        "assumption: a typical in-app campaign expiry";
    }
    "Fatigue, opt-outs and annoyance" {
    email_fatigue: 0.25 in [0.1, 1.0] "messages";
        "Fatigue added by an email, against 1 for a push or SMS (it waits in the inbox and can be skimmed or ignored)";
        "assumption: sized so a weekly newsletter unsubscribes at Mailchimp's ≈ 0.25 % per email with the push-calibrated tolerance";
    triggered_fatigue: 0.5 in [0.25, 1.0] "messages";
        "Fatigue added by a triggered message, against 1 for a scheduled send";
        "Klaviyo 2024: flows unsubscribe at about half the rate of campaigns";
    fatigue_half_life_days: 3.5 in [2.0, 7.0] "days";
        "Half-life of channel fatigue: fatigue counts roughly the messages of the last week";
        "assumption: Localytics 2017 fatigue is stated per week";
    opt_out_push: 0.002 in [0.0005, 0.005] "probability";
        "Opt-out chance per push within tolerance";
        "assumption: push opt-out rates of a few per thousand sends (Airship benchmarks)";
    opt_out_in_app: 0.0 in [0.0, 0.002] "probability";
        "Opt-out chance per in-app message within tolerance";
        "assumption: in-app messages have no opt-out of their own";
    opt_out_email: 0.0025 in [0.001, 0.004] "probability";
        "Opt-out (unsubscribe) chance per email within tolerance";
        "Mailchimp benchmarks: unsubscribe ≈ 0.25 % per send";
    opt_out_sms: 0.008 in [0.005, 0.014] "probability";
        "Opt-out chance per SMS within tolerance";
        "Klaviyo: SMS unsubscribe 0.5–1.4 % per send";
    opt_out_slope: 0.04 in [0.01, 0.08] "per unit of relative excess fatigue";
        "Extra opt-out chance per message per unit of (F − τ)/τ";
        "Localytics 2017: at 2–5 pushes a week 37 % would disable push; slope fitted to those bands";
    uninstall_slope: 0.015 in [0.005, 0.03] "per unit of relative excess fatigue";
        "Uninstall chance per push, in-app or SMS message per unit of (ΣF − τ)/τ";
        "Localytics 2017: at 2–5 pushes a week 22 % would stop using the app";
    blast_annoyance: 0.25 in [0.0, 0.5] "hazard ratio";
        "Annoyance added by each extra channel of a blast (the same message on several channels)";
        "assumption: no published estimate; blast vs priority verdicts on retention rest on it";
    night_annoyance: 0.3 in [0.0, 0.6] "hazard ratio";
        "Annoyance added by a notification (push, SMS) delivered when the user is asleep; an email waits silently";
        "assumption";
    night_wakefulness: 0.1 in [0.05, 0.2] "ratio";
        "A delivery counts as 'asleep' below this wakefulness (activity at the hour over the peak hour); an email is read at the first hour at or above it";
        "assumption";
    annoyance_decay: 0.15 in [0.05, 0.3] "per day";
        "Daily decay of annoyance";
        "assumption";
    }
    "Timing" {
    peak_hour_jitter: 1.5 in [0.0, 3.0] "hours (sd)";
        "Spread of each user's activity peak around their profile's peak hour";
        "assumption: sized so send-time optimisation lifts opens by ≤ 25 % (vendor claims; independent evidence weak)";
    }
}

impl Model {
    /// Opt-out chance per message within tolerance, by channel index (push, in-app, email, SMS).
    pub fn opt_out_base(&self) -> [f64; 4] {
        [self.opt_out_push, self.opt_out_in_app, self.opt_out_email, self.opt_out_sms]
    }

    /// P(click | open) by channel index: a push or in-app tap opens the app.
    pub fn click_given_open(&self) -> [f64; 4] {
        [1.0, 1.0, self.click_email, self.click_sms]
    }

    /// A whole-hours parameter as the engine reads it.
    pub fn hours(value: f64) -> u32 {
        value.round() as u32
    }
}

/// One parameter with the value a scenario gives it: what `journeylab model` and the app's Model panel show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParameterValue {
    pub group: &'static str,
    pub name: &'static str,
    pub value: f64,
    pub default: f64,
    pub low: f64,
    pub high: f64,
    pub unit: &'static str,
    pub meaning: &'static str,
    pub source: &'static str,
    pub whole: bool,
}

/// Every parameter with its value in `model`, in documentation order.
pub fn parameter_values(model: &Model) -> Vec<ParameterValue> {
    PARAMETERS
        .iter()
        .map(|p| ParameterValue {
            group: p.group,
            name: p.name,
            value: model.get(p.name).unwrap_or(p.default),
            default: p.default,
            low: p.low,
            high: p.high,
            unit: p.unit,
            meaning: p.meaning,
            source: p.source,
            whole: p.whole,
        })
        .collect()
}

/// docs/model.md's parameter table (Markdown), generated so that it cannot go stale.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| parameter | default | plausible range | unit | meaning | source |\n|---|---|---|---|---|---|\n",
    );
    for p in PARAMETERS {
        out.push_str(&format!(
            "| `{}` | {} | {} – {} | {} | {} | {} |\n",
            p.name, p.default, p.low, p.high, p.unit, p.meaning, p.source
        ));
    }
    out
}

/// The parameter called `name`, if any.
pub fn parameter(name: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_lies_in_its_range_and_names_are_unique() {
        let model = Model::default();
        for (i, p) in PARAMETERS.iter().enumerate() {
            assert!(p.low <= p.default && p.default <= p.high, "{}", p.name);
            assert_eq!(model.get(p.name), Some(p.default));
            assert!(
                !p.source.is_empty() && !p.meaning.is_empty() && !p.unit.is_empty() && !p.group.is_empty(),
                "{}",
                p.name
            );
            assert!(PARAMETERS[..i].iter().all(|q| q.name != p.name), "{} twice", p.name);
        }
    }

    #[test]
    fn set_reaches_the_field() {
        let mut model = Model::default();
        assert!(model.set("blast_annoyance", 0.1));
        assert_eq!(model.blast_annoyance, 0.1);
        assert!(!model.set("no_such_parameter", 1.0));
    }
}
