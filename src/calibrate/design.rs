//! A candidate population as scenario text: what the data fixed (segments, acquisition, spend)
//! and the few numbers the simulated-moments search moves ([`Theta`]). The search runs exactly
//! the text it writes (read back by `scenario::read`), so the scenario.toml that comes out is the
//! population that was fitted, every number with a comment saying where it came from.

use std::fmt::Write as _;

use super::cohort::Window;
use super::segments::SegmentFit;
use crate::behavior::Model;

/// Visits per day of a customer file's users: sessions are not in the export, so only the product
/// visits × engagement × purchase propensity × checkout is identified; 2 a day keeps engagement at its
/// steady state (see [`steady_engagement`]) and costs little to simulate.
pub const CUSTOMER_FILE_VISITS: f64 = 2.0;

/// Engagement where a user with `visits` sessions a day stays on average, adopted:
/// decay d·f balances habit h per session, E* = 1 − d f / (v h), from E' = −d f E + v E h (1 − E).
pub fn steady_engagement(m: &Model, visits: f64) -> f64 {
    (1.0 - m.engagement_decay * m.adopted_decay_factor / (visits * m.session_habit)).clamp(0.05, 0.95)
}

/// Visits per day at which an adopted user's engagement holds at the level giving `sessions` a day:
/// v E* = s with E* = 1 − d f/(v h) gives v = s + d f / h.
pub fn steady_visits(m: &Model, sessions: f64) -> f64 {
    sessions + m.engagement_decay * m.adopted_decay_factor / m.session_habit
}

/// The numbers the search moves; the population's purchase rates and dropout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theta {
    /// Multiplies every segment's purchase propensity (the data's rate over visits × engagement × checkout).
    pub rate_scale: f64,
    /// Multiplies each segment's dropout rate to give its mean base daily churn hazard μ₀ (exports
    /// with activity; a customer file's dropout is the BG/NBD's, not searched).
    pub churn_scale: f64,
    /// Coefficient of variation of μ₀ across users (exports with activity).
    pub churn_cv: f64,
    /// Multiplies sessions per day (exports with activity beyond purchases; 1 for a customer file).
    pub visit_scale: f64,
}

impl Theta {
    /// The searched numbers as logarithms: for a customer file the rate scale alone (its dropout is
    /// the BG/NBD's and it has no visits), else the rate, the churn hazard's scale and CV, and visits.
    pub fn to_log(self, customer_file: bool) -> Vec<f64> {
        if customer_file {
            return vec![self.rate_scale.ln()];
        }
        vec![self.rate_scale.ln(), self.churn_scale.ln(), self.churn_cv.ln(), self.visit_scale.ln()]
    }

    /// The inverse of [`Theta::to_log`]; numbers not searched are 1.
    pub fn from_log(x: &[f64]) -> Theta {
        Theta {
            rate_scale: x[0].exp(),
            churn_scale: x.get(1).map_or(1.0, |v| v.exp().clamp(1e-3, 1e3)),
            churn_cv: x.get(2).map_or(1.0, |v| v.exp().clamp(0.05, 5.0)),
            visit_scale: x.get(3).map_or(1.0, |v| v.exp()),
        }
    }
}

/// Order values by the Gamma–Gamma structure's moments (population::spend).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpendFit {
    pub order_value: f64,
    pub customer_spread: f64,
    pub order_spread: f64,
    /// Customers with two or more purchase days (the within-customer spread's sample).
    pub repeat_customers: usize,
}

/// Everything the data fixed about the population.
#[derive(Clone, Debug)]
pub struct Base {
    pub source: String,
    pub window: Window,
    pub users: u32,
    pub acquisition_days: u32,
    /// Users arrive with their first purchase (every user's first day has one).
    pub customer_file: bool,
    pub segments: Vec<SegmentFit>,
    pub spend: Option<SpendFit>,
    pub seed: u64,
}

/// One segment's traits under `theta`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Traits {
    /// Visits per day, the same for every member: the segment's spread of purchase rates is on
    /// the propensity.
    pub visits: f64,
    /// Engagement at its steady state at these visits, every member adopted.
    pub engagement: f64,
    pub propensity: f64,
    pub propensity_sd: f64,
    /// Mean base daily churn hazard.
    pub churn: f64,
    pub churn_sd: f64,
    /// A customer file's chance of leaving after each repeat purchase (mean, sd); None: daily hazard only.
    pub purchase_dropout: Option<(f64, f64)>,
}

/// A customer file's base daily churn hazard: the smallest the scenario reader takes, as good as none.
/// Its customers leave after a purchase (`purchase_dropout`), as the BG/NBD's do: dropout is only
/// seen through purchases in such a file.
pub const CUSTOMER_FILE_HAZARD: f64 = 1e-6;

impl Base {
    pub fn traits(&self, segment: &SegmentFit, theta: &Theta) -> Traits {
        let m = Model::default();
        // Every member at the segment's steady state: engagement neither collapses nor climbs, so a
        // member's session rate holds while they stay, as the BG/NBD's purchase rate does, and the
        // segment's spread of purchase rates goes on the propensity alone (a spread of visits too
        // would count it twice).
        let visits = if self.customer_file {
            CUSTOMER_FILE_VISITS
        } else {
            let per_day = segment.active_day_rate.unwrap_or(0.1) * segment.sessions_per_active_day.unwrap_or(1.0);
            steady_visits(&m, (theta.visit_scale * per_day).clamp(1e-3, 50.0))
        };
        let engagement = steady_engagement(&m, visits);
        let propensity =
            (theta.rate_scale * segment.purchase_rate / (visits * engagement * m.base_checkout)).clamp(1e-6, 0.95);
        let limit = 0.95 * (propensity * (1.0 - propensity)).sqrt();
        let cv = segment.purchase_rate_cv;
        let (churn, churn_sd, purchase_dropout) = if self.customer_file {
            let mean = segment.dropout_chance.clamp(1e-4, 0.95);
            let limit = 0.95 * (mean * (1.0 - mean)).sqrt();
            (CUSTOMER_FILE_HAZARD, 0.0, Some((mean, (segment.dropout_chance_cv * mean).min(limit))))
        } else {
            let churn = (theta.churn_scale * segment.dropout_rate).clamp(1e-7, 1.0);
            (churn, churn * theta.churn_cv, None)
        };
        Traits {
            visits,
            engagement,
            propensity,
            propensity_sd: (cv * propensity).min(limit),
            churn,
            churn_sd,
            purchase_dropout,
        }
    }

    /// The scenario text of this population under `theta`; `note` heads it (how it was fitted).
    pub fn text(&self, theta: &Theta, note: &str) -> String {
        let mut t = String::new();
        let w = &self.window;
        let _ =
            writeln!(t, "# Lesson: a population calibrated from {} — check its back-test in report.md.", self.source);
        for line in note.lines() {
            let _ = writeln!(t, "# {line}");
        }
        let _ = writeln!(t, "\n[simulation]");
        let _ = writeln!(t, "name = {:?}", format!("Calibrated from {}", self.source));
        let _ = writeln!(
            t,
            "description = {:?}",
            format!("Fitted to {} … {}; back-tested on {} … {}.", w.start, w.calibration_end, next(w), w.holdout_end)
        );
        let _ = writeln!(t, "seed = {}", self.seed);
        let _ = writeln!(t, "users = {} # the users first seen {} … {}", self.users, w.start, w.calibration_end);
        let _ = writeln!(
            t,
            "horizon_days = {} # calibration and holdout, {} … {}",
            w.horizon_days(),
            w.start,
            w.holdout_end
        );
        let _ = writeln!(t, "start_date = {} # the export's first day", w.start);
        let _ = writeln!(t, "\n[population.acquisition]");
        let _ = writeln!(
            t,
            "days = {} # first-seen dates span {} … {}; arrivals are uniform over them (the engine's acquisition)",
            self.acquisition_days,
            w.start,
            crate::import::Day(w.start.0 + self.acquisition_days as i32 - 1)
        );
        if self.customer_file {
            let _ = writeln!(t, "first_purchase = true # a customer file: every user's first day has a purchase");
        }
        for s in &self.segments {
            self.segment_text(&mut t, s, theta);
        }
        let _ = writeln!(t, "\n[economics]");
        match &self.spend {
            Some(s) => {
                let _ = writeln!(
                    t,
                    "order_value = {} # mean of customers' mean purchase-day value, calibration",
                    num(s.order_value)
                );
                let _ = writeln!(
                    t,
                    "customer_spread = {} # CV of customers' means around their segment's, less the within-customer noise (Gamma–Gamma by moments)",
                    num(s.customer_spread)
                );
                let _ = writeln!(
                    t,
                    "order_spread = {} # pooled CV of purchase-day values within the {} customers with two or more",
                    num(s.order_spread),
                    s.repeat_customers
                );
            }
            None => {
                let _ = writeln!(t, "# no revenue in the export: order values stay at their defaults");
            }
        }
        let _ = writeln!(t, "# margin and message costs are not in an export: defaults");
        let _ = writeln!(t, "\n[model]");
        if self.customer_file {
            let _ = writeln!(
                t,
                "purchase_habit = 0.0 # no state dependence: the BG/NBD the segments come from has none, and a customer file cannot show it"
            );
        }
        let _ = writeln!(t, "# Not identified by an export of events and purchases, so left at their defaults:");
        let _ = writeln!(
            t,
            "# the habit dynamics (engagement_decay, session_habit, purchase_habit, churn_engagement_kappa)"
        );
        let _ = writeln!(t, "# trade off against visit rates and churn hazards, which carry the fit; lapse and return");
        let _ =
            writeln!(t, "# (lapse_share, organic_return) look like churn without messages to tell them apart; prices,");
        let _ = writeln!(t, "# messages and fatigue need discounts and sends the export does not hold.");
        t.push_str(JOURNEY);
        t
    }

    /// A segment's own mean order value, when the export has revenue and the segment positive values.
    pub fn segment_order_value(&self, segment: &SegmentFit) -> Option<f64> {
        self.spend.and(segment.mean_order_value).filter(|v| *v > 0.0)
    }

    fn segment_text(&self, t: &mut String, s: &SegmentFit, theta: &Theta) {
        let tr = self.traits(s, theta);
        let _ = writeln!(t, "\n[[population.segment]]");
        let _ = writeln!(
            t,
            "# {} users; in calibration {} purchase days each on average, {} repeat; purchase rate {} a day",
            s.users,
            num(s.mean_purchase_days),
            num(s.mean_frequency),
            num(s.purchase_rate)
        );
        let _ = writeln!(t, "name = {:?}", s.name);
        let _ = writeln!(t, "share = {} # mixture component (BIC over 1 … 6 segments)", share_text(self, s));
        if self.customer_file {
            let _ = writeln!(
                t,
                "visits_per_day = {} # not identified (no sessions in a customer file): steady engagement",
                num(tr.visits)
            );
        } else {
            let _ = writeln!(
                t,
                "visits_per_day = {} # sessions a day s = active days × sessions per active day × {} (fitted), plus d·f/h so that engagement holds where visits × engagement = s",
                num(tr.visits),
                num(theta.visit_scale)
            );
        }
        let _ = writeln!(t, "feature_adoption = 1.0 # so that engagement holds at its steady state");
        let _ = writeln!(t, "engagement = {} # the steady state at these visits (model defaults)", num(tr.engagement));
        let _ = writeln!(
            t,
            "purchase_propensity = {{ mean = {}, sd = {} }} # rate / (visits × engagement × checkout) × {} (fitted); sd: the segment's CV {}",
            num(tr.propensity),
            num(tr.propensity_sd),
            num(theta.rate_scale),
            num(s.purchase_rate_cv)
        );
        if let Some(value) = self.segment_order_value(s) {
            let _ = writeln!(
                t,
                "order_value = {} # the members' mean purchase-day value, calibration (the economics' spreads within)",
                num(value)
            );
        }
        match tr.purchase_dropout {
            Some((mean, sd)) => {
                let _ = writeln!(
                    t,
                    "churn_hazard = {} # none by the day: a customer file shows dropout only through purchases",
                    num(tr.churn)
                );
                let _ = writeln!(
                    t,
                    "purchase_dropout = {{ mean = {}, sd = {} }} # the members' BG/NBD posteriors of p: their mean, and a Beta with their mean log (CV {})",
                    num(mean),
                    num(sd),
                    num(s.dropout_chance_cv)
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "churn_hazard = {{ mean = {}, sd = {} }} # dropout rate {} × {} and CV {} (fitted)",
                    num(tr.churn),
                    num(tr.churn_sd),
                    num(s.dropout_rate),
                    num(theta.churn_scale),
                    num(theta.churn_cv)
                );
            }
        }
    }
}

fn next(w: &Window) -> crate::import::Day {
    crate::import::Day(w.calibration_end.0 + 1)
}

/// Shares in millionths that add up to exactly one (the largest takes the rounding).
fn share_text(base: &Base, s: &SegmentFit) -> String {
    let mut parts: Vec<i64> = base.segments.iter().map(|x| (x.share * 1e6).round() as i64).collect();
    let largest = (0..parts.len()).max_by_key(|&i| parts[i]).unwrap_or(0);
    parts[largest] += 1_000_000 - parts.iter().sum::<i64>();
    let i = base.segments.iter().position(|x| std::ptr::eq(x, s)).unwrap_or(0);
    format!("{}.{:06}", parts[i] / 1_000_000, parts[i] % 1_000_000)
}

/// A number as TOML writes it, four significant digits.
pub fn num(x: f64) -> String {
    if x == 0.0 {
        "0.0".to_string()
    } else if x.abs() >= 0.01 && x.abs() < 1e6 {
        let digits = (3 - x.abs().log10().floor() as i32).max(1) as usize;
        format!("{x:.digits$}")
    } else {
        format!("{x:.3e}")
    }
}

const JOURNEY: &str = r#"
[[journey]]
name = "no messages"
description = "The calibrated population on its own, as in the export: nobody is messaged."

[[journey.node]]
id = "signup"
type = "trigger"
event = "signup"
next = "end"

[[journey.node]]
id = "end"
type = "exit"
"#;
