//! The validated scenario: every value here has passed `scenario::read`, so the
//! engine never re-checks ranges. Fields are public and plain so that tests and
//! the desktop app can build scenarios in code; [`crate::scenario::read`] is the
//! only path from text, and it guarantees the invariants stated on each field.
//! A [`Journey`]'s graph is the exception: its nodes and entry are private and
//! [`Journey::new`] checks what the engine would otherwise index out of range on.
//!
//! Units: time in hours or days as named, money in the scenario's currency,
//! probabilities in [0, 1], UTC offsets in whole hours.

use serde::Serialize;

/// A whole scenario file after validation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub simulation: Simulation,
    pub population: Population,
    pub economics: Economics,
    pub tracking: Tracking,
    pub predictions: Predictions,
    /// The behaviour model's parameters: defaults, or the file's `[model]` section.
    pub model: crate::behavior::Model,
    /// At least one; names are unique.
    pub journeys: Vec<Journey>,
    /// An A/B test between two of the journeys, if the file has an `[experiment]`.
    pub experiment: Option<Experiment>,
    /// How a comparison of the journeys is judged: the file's `[verdict]`, or the default.
    pub verdict: VerdictSettings,
}

/// `[verdict]`: the metric a comparison's verdict ranks the designs by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct VerdictSettings {
    /// A metric id a comparison reports (`crate::compare::PRIMARY_CHOICES`); default net margin per user.
    pub primary_metric: &'static str,
}

impl Default for VerdictSettings {
    fn default() -> Self {
        VerdictSettings { primary_metric: crate::compare::PRIMARY }
    }
}

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Day of the week, 0 = Monday … 6 = Sunday (Sakamoto's method).
    pub fn weekday(self) -> u8 {
        const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if self.month < 3 { self.year - 1 } else { self.year };
        let sunday_first = (y + y.div_euclid(4) - y.div_euclid(100)
            + y.div_euclid(400)
            + T[usize::from(self.month - 1)]
            + i32::from(self.day))
        .rem_euclid(7);
        // Sakamoto gives 0 = Sunday; shift so that 0 = Monday.
        ((sunday_first + 6) % 7) as u8
    }

    /// The date `days` days later (Hinnant's days-from-civil and civil-from-days algorithms).
    pub fn plus_days(self, days: u32) -> Date {
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let z = era * 146_097 + doe + i64::from(days);
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year: year as i32, month: month as u8, day: day as u8 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulation {
    pub name: String,
    pub description: String,
    pub seed: u64,
    /// ≥ 1.
    pub users: u32,
    /// Simulated days, ≥ 1.
    pub horizon_days: u32,
    pub start_date: Date,
}

/// A non-negative quantity drawn per user from a Gamma distribution written as
/// mean and standard deviation (sd = 0 means every user gets the mean).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Positive {
    /// > 0.
    pub mean: f64,
    /// ≥ 0.
    pub sd: f64,
}

/// A probability drawn per user from a Beta distribution written as mean and
/// standard deviation. Invariant: 0 ≤ mean ≤ 1 and sd² < mean·(1 − mean) (or sd = 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Share {
    pub mean: f64,
    pub sd: f64,
}

/// The four channels a journey can message on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Push,
    InApp,
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Push, Channel::InApp, Channel::Email, Channel::Sms];

    /// Index into per-channel arrays, in the order of [`Channel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in scenario files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Push => "push",
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

/// Indexed by [`Channel::index`].
pub type PerChannel<T> = [T; 4];

/// How a user can be reached on one channel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ChannelTraits {
    /// Probability that the user is reachable (opted in / installed / has an address).
    pub reachable: f64,
    /// Per-user probability of opening a relevant message delivered at the user's most active hour.
    pub responsiveness: Share,
}

/// When in the local day a user is active.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityProfile {
    EarlyBird,
    Commuter,
    Evening,
    NightOwl,
    Flat,
}

/// Where users live and where they are now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeZones {
    /// Home UTC offsets (hours, −12…14) with shares summing to 1.
    pub home: Vec<(i8, f64)>,
    /// Share of users travelling at some point of the horizon.
    pub traveller_share: f64,
    /// UTC offsets travellers go to, with shares summing to 1 (empty iff traveller_share = 0).
    pub destinations: Vec<(i8, f64)>,
    /// Mean trip length in days (> 0); trips start uniformly within the horizon.
    pub trip_days: f64,
}

/// One behavioural segment of the population.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    pub name: String,
    /// In (0, 1]; shares of all segments sum to 1.
    pub share: f64,
    /// Sessions per day of an engaged user.
    pub visits_per_day: Positive,
    /// Probability that the user has adopted the product's key feature at sign-up.
    pub feature_adoption: Share,
    /// Probability that a session reaches a cart (purchase intent).
    pub purchase_propensity: Share,
    /// Sensitivity to paying above the reference price (loss aversion strength), in [0, 1].
    pub price_sensitivity: Share,
    /// Initial deal sensitivity: how much the user waits for discounts once they expect them.
    pub deal_sensitivity: Share,
    /// Base daily churn hazard of a fully engaged user.
    pub churn_hazard: Positive,
    /// Chance of leaving for good right after each repeat purchase (the BG/NBD's dropout; 0 = none).
    pub purchase_dropout: Share,
    /// Mean order value of this segment's customers (list prices); None: the economics' `order_value`.
    /// The economics' spreads apply within the segment.
    pub order_value: Option<f64>,
    /// Initial engagement (habit strength) in [0, 1].
    pub engagement: Share,
    /// Messages per week a user tolerates before fatigue turns into opt-outs.
    pub fatigue_tolerance: Positive,
    /// Activity profiles with shares summing to 1.
    pub activity: Vec<(ActivityProfile, f64)>,
    pub time_zones: TimeZones,
    pub channels: PerChannel<ChannelTraits>,
}

/// How new users arrive: uniformly over the first `days` days (0 = all on day 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Acquisition {
    /// < horizon_days.
    pub days: u32,
    /// Users arrive with their first purchase (a customer file, where a cohort is defined by its first
    /// purchase): the arrival session buys at list price without the cart and checkout draws' verdict.
    pub first_purchase: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Population {
    /// At least one; names unique; shares sum to 1.
    pub segments: Vec<Segment>,
    pub acquisition: Acquisition,
    pub rhythm: Rhythm,
}

/// Calendar modulation of visits (and so of purchases): a weekday profile and a
/// monthly seasonality, each normalised to mean 1 so the average rate is kept.
/// Day 0 is `simulation.start_date`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rhythm {
    /// Monday … Sunday; each > 0, mean 1.
    pub weekday: [f64; 7],
    /// January … December; each > 0, mean 1.
    pub month: [f64; 12],
}

impl Default for Rhythm {
    fn default() -> Self {
        Rhythm { weekday: [1.0; 7], month: [1.0; 12] }
    }
}

impl Rhythm {
    /// The visit multiplier of simulated day `day` (UTC), for a simulation starting on `start`.
    pub fn multiplier(&self, start: Date, day: u32) -> f64 {
        let date = start.plus_days(day);
        self.weekday[usize::from((start.weekday() as u32 + day) as u8 % 7)] * self.month[usize::from(date.month - 1)]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Economics {
    /// List price of an average order, > 0.
    pub order_value: f64,
    /// Spread of customers' mean order values (coefficient of variation, ≥ 0; Gamma–Gamma, see population::spend).
    pub customer_spread: f64,
    /// Spread of one customer's orders around their mean (coefficient of variation, ≥ 0).
    pub order_spread: f64,
    /// Gross margin as a share of the list price, in [0, 1]. Discounts come off the margin.
    pub margin: f64,
    /// Cost of sending one message, ≥ 0, per channel.
    pub message_cost: PerChannel<f64>,
    /// The currency every amount of money is in (prices, costs, margins); reports show it beside money.
    pub currency: Currency,
}

/// An ISO 4217 currency code ("USD", "EUR"): three ASCII capital letters.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The currency when a scenario names none.
    pub const DEFAULT: Currency = Currency(*b"USD");

    /// The code if `text` is three ASCII capital letters; None otherwise (the code list itself is not checked:
    /// a team may use an in-house code).
    pub fn new(text: &str) -> Option<Currency> {
        let bytes: [u8; 3] = text.as_bytes().try_into().ok()?;
        bytes.iter().all(u8::is_ascii_uppercase).then_some(Currency(bytes))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("USD")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::DEFAULT
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Economics {
    /// The Gamma–Gamma order-value model these economics describe.
    pub fn spend(&self) -> crate::population::Spend {
        crate::population::Spend::new(self.order_value, self.customer_spread, self.order_spread)
    }

    /// The order-value model of a segment's customers: its own mean order value if it has one,
    /// with these economics' spreads.
    pub fn segment_spend(&self, segment: &Segment) -> crate::population::Spend {
        let mean = segment.order_value.unwrap_or(self.order_value);
        crate::population::Spend::new(mean, self.customer_spread, self.order_spread)
    }
}

/// How clean the event data the journeys act on is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Tracking {
    /// Share of behaviour events never tracked, in [0, 1).
    pub loss: f64,
    /// Share of tracked events recorded twice, in [0, 1].
    pub duplicate: f64,
    /// Mean delay of a tracked event in hours (exponential), ≥ 0.
    pub delay_hours: f64,
}

/// Quality of one predictive score: AUC in [0.5, 1], optionally growing with
/// the app's history volume: effective AUC = 0.5 + (auc − 0.5) · n / (n + half_users)
/// where n is the number of simulated users.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ScoreQuality {
    pub auc: f64,
    /// None: the stated AUC holds at any scale.
    pub half_users: Option<f64>,
}

/// Quality of the best-send-hour prediction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HourQuality {
    /// Probability the predicted hour is the user's true peak hour, in [0, 1].
    pub hit_rate: f64,
    pub half_users: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Predictions {
    pub churn_risk: ScoreQuality,
    pub conversion_intent: ScoreQuality,
    pub lifetime_value: ScoreQuality,
    pub best_hour: HourQuality,
}

/// Predictive scores a branch can test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Score {
    ChurnRisk,
    ConversionIntent,
    LifetimeValue,
}

/// What starts a user on a journey.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Trigger {
    /// The user's first session.
    Signup,
    /// A session reached the cart but ended without a purchase.
    CartAbandoned,
    Purchase,
    /// No tracked session for `days` days (≥ 1).
    Inactive {
        days: u32,
    },
    /// Every `every_days` days (≥ 1) from `first_day`, at `hour` (0–23) on `clock`, to every arrived user.
    Schedule {
        first_day: u32,
        every_days: u32,
        hour: u8,
        clock: Clock,
    },
}

/// Which clock a scheduled hour is read on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    Utc,
    /// The user's home time zone (what a profile says).
    Home,
    /// Where the user is now.
    Local,
}

/// What a wait node waits for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "until")]
pub enum Wait {
    /// A fixed delay in hours (> 0).
    Delay { hours: u32 },
    /// Until the user's next session (or `max_hours`, then continue anyway).
    NextActive { max_hours: u32 },
    /// Until the user's predicted best send hour in current local time (at most 24 h).
    BestHour,
}

/// A branch condition on behaviour or on a predictive score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "if")]
pub enum Condition {
    /// At least `at_least` tracked sessions in the last `days` days.
    Sessions {
        days: u32,
        at_least: u32,
    },
    FeatureAdopted,
    OpenedLastMessage,
    /// The score's percentile rank among users is above `above` (in [0, 1]).
    Score {
        score: Score,
        above: f64,
    },
}

/// What a message says.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Content {
    Reminder,
    Value,
    Recommendation,
    /// A discount of `depth` (in (0, 1)) valid for `valid_hours` hours.
    Discount {
        depth: f64,
        valid_hours: u32,
    },
}

/// How a message picks its channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The first channel of the list on which the user is reachable.
    Priority,
    /// Every reachable channel of the list at once.
    Blast,
}

/// Index of a node in [`Journey::nodes`].
pub type NodeId = usize;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum NodeKind {
    Trigger {
        trigger: Trigger,
        next: NodeId,
    },
    Wait {
        wait: Wait,
        next: NodeId,
    },
    Branch {
        condition: Condition,
        yes: NodeId,
        no: NodeId,
    },
    Message {
        content: Content,
        channels: Vec<Channel>,
        delivery: Delivery,
        next: NodeId,
    },
    /// The journey ends; `goal` names what the journey is for (reported only).
    Exit {
        goal: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// The id written in the file (unique within the journey).
    pub name: String,
    pub kind: NodeKind,
    /// Canvas position, kept so the file round-trips.
    pub position: Option<(f64, f64)>,
}

/// What to do with a message a policy forbids now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    Drop,
    /// Hold it until it is allowed, then send.
    Defer,
}

/// Frequency cap on one channel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cap {
    /// At most this many per local calendar day (≥ 1).
    pub per_day: Option<u32>,
    /// At most this many in a rolling 7 × 24 h window (≥ 1).
    pub per_week: Option<u32>,
    pub min_gap_hours: Option<u32>,
}

/// Quiet hours in the user's current local time, e.g. 21 → 8.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QuietHours {
    /// Start hour 0–23 (inclusive).
    pub start: u8,
    /// End hour 0–23 (exclusive); may be smaller than start (wraps midnight).
    pub end: u8,
    pub action: Hold,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policies {
    /// None: no cap on that channel.
    pub caps: PerChannel<Option<Cap>>,
    /// What a capped message does.
    pub on_cap: Hold,
    pub quiet_hours: Option<QuietHours>,
    /// Share of users held out of the journey, in [0, 1).
    pub holdout: f64,
    /// Whether a user can enter again after leaving.
    pub reentry: bool,
}

/// One journey design. Invariants, held by construction ([`Journey::new`] is the
/// only way to build one): `nodes[entry]` is the only Trigger node and every
/// `next`/`yes`/`no` index is in range. [`crate::scenario::read`] also
/// guarantees that every node is reachable from the entry and that every cycle
/// contains a Wait node, and reports each of these problems at its place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Journey {
    pub name: String,
    pub description: String,
    nodes: Vec<Node>,
    entry: NodeId,
    /// The trigger of `nodes[entry]`, kept at construction.
    #[serde(skip)]
    trigger: Trigger,
    pub policies: Policies,
}

/// Why nodes do not make a journey; the reader reports these at their place
/// in the file, so this is the last line of defence for journeys built in code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JourneyError {
    #[error("the journey has no trigger node")]
    NoTrigger,
    #[error("node \"{0}\" is a second trigger node")]
    SecondTrigger(String),
    #[error("node \"{node}\" points to node {target}, out of the journey's {count} node(s)")]
    DanglingReference { node: String, target: NodeId, count: usize },
}

impl Journey {
    /// A journey entered at its only trigger node.
    pub fn new(
        name: String,
        description: String,
        nodes: Vec<Node>,
        policies: Policies,
    ) -> Result<Journey, JourneyError> {
        let mut triggers = nodes.iter().enumerate().filter_map(|(i, n)| match n.kind {
            NodeKind::Trigger { trigger, .. } => Some((i, trigger)),
            _ => None,
        });
        let (entry, trigger) = triggers.next().ok_or(JourneyError::NoTrigger)?;
        if let Some((second, _)) = triggers.next() {
            return Err(JourneyError::SecondTrigger(nodes[second].name.clone()));
        }
        for node in &nodes {
            if let Some(&target) = node.targets().iter().find(|&&t| t >= nodes.len()) {
                return Err(JourneyError::DanglingReference { node: node.name.clone(), target, count: nodes.len() });
            }
        }
        Ok(Journey { name, description, nodes, entry, trigger, policies })
    }

    /// The nodes, in file order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The index of the trigger node.
    pub fn entry(&self) -> NodeId {
        self.entry
    }

    /// The entry trigger.
    pub fn trigger(&self) -> Trigger {
        self.trigger
    }
}

impl Node {
    /// The nodes this one leads to: `next`, or `yes` then `no`.
    pub fn targets(&self) -> Vec<NodeId> {
        match self.kind {
            NodeKind::Trigger { next, .. } | NodeKind::Wait { next, .. } | NodeKind::Message { next, .. } => vec![next],
            NodeKind::Branch { yes, no, .. } => vec![yes, no],
            NodeKind::Exit { .. } => Vec::new(),
        }
    }
}

/// The primary metric of an experiment, per enrolled user, over a window after enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// At least one purchase within `window_days` of enrolment.
    Conversion,
    /// Active on day `window_days` after enrolment (D-N retention).
    Retention,
    /// Money paid within `window_days` of enrolment.
    Revenue,
    /// Gross margin less message cost within `window_days` of enrolment.
    Margin,
}

impl Metric {
    /// Whether the metric is a 0/1 outcome (a proportion) rather than an amount.
    pub fn is_binary(self) -> bool {
        matches!(self, Metric::Conversion | Metric::Retention)
    }
}

/// A rate that must not get worse in the treatment arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Guardrail {
    /// Opted out of any channel within the window.
    OptOut,
    /// Uninstalled within the window.
    Uninstall,
}

impl Guardrail {
    /// The vocabulary's metric for this rate (its name, definition and unit; a test checks it is known).
    pub fn metric_id(self) -> &'static str {
        match self {
            Guardrail::OptOut => "opt_out_rate",
            Guardrail::Uninstall => "uninstall_rate",
        }
    }
}

/// When the experiment is looked at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Looks {
    /// At the end of every day.
    Daily,
    /// At the end of these days (ascending, each in 1..=horizon).
    Days(Vec<u32>),
}

/// An A/B test between two journeys on the scenario's population.
/// Invariants: the two arms are distinct journeys with the same trigger;
/// allocation shares are positive and sum to 1; 1 ≤ window_days < horizon_days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Experiment {
    /// Journey indices: control, then treatment.
    pub arms: [usize; 2],
    /// Shares of non-held-out users assigned to each arm.
    pub allocation: [f64; 2],
    /// Share of users held out of both arms (they get no journey), in [0, 1).
    pub holdout: f64,
    pub metric: Metric,
    pub window_days: u32,
    pub guardrails: Vec<Guardrail>,
    pub looks: Looks,
    pub method: crate::stats::method::Method,
    /// Two-sided significance level, in (0, 1).
    pub alpha: f64,
    /// Planned power, in (0, 1).
    pub power: f64,
    /// Minimum detectable effect (> 0), absolute in the metric's unit or relative to the control mean.
    pub mde: f64,
    pub mde_relative: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_days_crosses_months_years_and_leap_days() {
        let d = Date { year: 2024, month: 2, day: 28 };
        assert_eq!(d.plus_days(1), Date { year: 2024, month: 2, day: 29 });
        assert_eq!(d.plus_days(2), Date { year: 2024, month: 3, day: 1 });
        assert_eq!(Date { year: 2026, month: 12, day: 31 }.plus_days(1), Date { year: 2027, month: 1, day: 1 });
        assert_eq!(Date { year: 2026, month: 1, day: 5 }.plus_days(365), Date { year: 2027, month: 1, day: 5 });
        for n in 0..800 {
            let a = Date { year: 2026, month: 1, day: 5 };
            assert_eq!(a.plus_days(n).weekday(), ((u32::from(a.weekday()) + n) % 7) as u8);
        }
    }

    #[test]
    fn weekday_of_known_dates() {
        // 2026-11-30 is a Monday; 2000-01-01 a Saturday; 2024-02-29 a Thursday.
        assert_eq!(Date { year: 2026, month: 11, day: 30 }.weekday(), 0);
        assert_eq!(Date { year: 2000, month: 1, day: 1 }.weekday(), 5);
        assert_eq!(Date { year: 2024, month: 2, day: 29 }.weekday(), 3);
    }

    fn node(name: &str, kind: NodeKind) -> Node {
        Node { name: name.to_owned(), kind, position: None }
    }

    fn journey(nodes: Vec<Node>) -> Result<Journey, JourneyError> {
        let policies = Policies { caps: [None; 4], on_cap: Hold::Drop, quiet_hours: None, holdout: 0.0, reentry: true };
        Journey::new("j".to_owned(), String::new(), nodes, policies)
    }

    #[test]
    fn a_journey_is_entered_at_its_only_trigger_and_refuses_anything_else() {
        let exit = || node("done", NodeKind::Exit { goal: None });
        let start = |next| node("start", NodeKind::Trigger { trigger: Trigger::Purchase, next });
        let built = journey(vec![exit(), start(0)]).expect("valid");
        assert_eq!((built.entry(), built.trigger()), (1, Trigger::Purchase));
        assert_eq!(journey(Vec::new()), Err(JourneyError::NoTrigger));
        assert_eq!(journey(vec![exit()]), Err(JourneyError::NoTrigger));
        let second = node("again", NodeKind::Trigger { trigger: Trigger::Signup, next: 0 });
        assert_eq!(journey(vec![exit(), start(0), second]), Err(JourneyError::SecondTrigger("again".to_owned())));
        let dangling = JourneyError::DanglingReference { node: "start".to_owned(), target: 2, count: 2 };
        assert_eq!(journey(vec![exit(), start(2)]), Err(dangling));
    }
}
