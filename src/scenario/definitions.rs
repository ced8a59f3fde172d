//! What every setting of a scenario file means, in the words of the people who
//! use the app: one table ([`DEFINITIONS`]) of plain-language labels, one-line
//! help, units, allowed ranges and the input that edits each field. The form
//! shows them (`edit::fields`), the reader's range and type messages use the
//! same labels (`fields::Value`), and the canvas's summaries use the same
//! choice labels ([`choice_label`]). `[model]` parameters come from
//! [`crate::behavior::PARAMETERS`], the model's own table.

use super::fields::Interval;
use super::path::steps;
use crate::behavior::PARAMETERS;
use crate::compare::PRIMARY_CHOICES;
use crate::vocabulary::METRICS as VOCABULARY;

/// How the form edits a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A number; `step` is the spin-button step in the file's units.
    Number,
    /// A proportion of 0–1 in the file, entered and shown as a percentage.
    Percent,
    /// One of a fixed list of values.
    Select(&'static [Choice]),
    /// Several of a fixed list, in order (channels).
    Multi(&'static [Choice]),
    Toggle,
    Text,
    /// A text of a sentence or more.
    LongText,
    Date,
    /// A list of numbers or names written as TOML, e.g. `[1, 1, 0.9]`.
    List,
}

/// One value of a select: as written in the file, and as the form shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

const fn choice(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label }
}

/// What a value is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    None,
    /// A proportion, shown as %.
    Percent,
    /// Money in the scenario's currency.
    Money,
    Words(&'static str),
}

/// One setting of the scenario format.
#[derive(Clone, Copy, Debug)]
pub struct Definition {
    /// The field path without indices; channel names, time zones and other keys chosen by the
    /// user are `*`; a node key that means different things on different node types ends in
    /// `#type` (`journey.node.days#branch`).
    pub pattern: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub unit: Unit,
    pub input: Input,
    /// The values the reader accepts (in the file's units); `None` where the bound depends on
    /// another setting (the horizon) or there is none (text).
    range: Option<Interval>,
    /// The step of the number input, in the file's units.
    pub step: f64,
    /// A trait drawn per user: written as one number or as `{ mean, sd }`.
    spread: bool,
}

impl Definition {
    /// The smallest accepted value, in the file's units.
    pub fn min(&self) -> Option<f64> {
        self.range.map(Interval::lower).filter(|x| x.is_finite())
    }

    /// The largest accepted value, in the file's units.
    pub fn max(&self) -> Option<f64> {
        self.range.map(Interval::upper).filter(|x| x.is_finite())
    }

    /// The allowed values as the form shows them: "0 % to 100 %", "1 to 3,650 days", "more than 0".
    pub fn range_text(&self) -> String {
        self.range.map(|r| describe_interval(r, self.unit)).unwrap_or_default()
    }

    /// The values a select or a multi-select offers; none for any other input.
    pub fn choices(&self) -> &'static [Choice] {
        match self.input {
            Input::Select(choices) | Input::Multi(choices) => choices,
            _ => &[],
        }
    }
}

/// `x` (in the file's units) as the form shows it: 0.06 → "6 %", 3650 → "3,650" (other units
/// are said once, after a range).
fn show(unit: Unit, x: f64) -> String {
    match unit {
        Unit::Percent => format!("{} %", number(100.0 * x)),
        _ => number(x),
    }
}

/// A number without float noise and with thousands separators: 0.07 → "0.07", 3650 → "3,650".
fn number(x: f64) -> String {
    let rounded = format!("{:.10}", x);
    let trimmed = rounded.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = trimmed.split_once('.').map_or((trimmed, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if grouped == "0" && frac.is_none() { "" } else { sign };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// "from 0 % to 100 %", "more than 0", "from 1 to 3,650 days", "0 or more".
fn describe_interval(r: Interval, unit: Unit) -> String {
    let (lo, hi) = (show(unit, r.lower()), show(unit, r.upper()));
    let range = match (r.upper().is_finite(), r.lower_open(), r.upper_open()) {
        (false, false, _) => format!("{lo} or more"),
        (false, true, _) => format!("more than {lo}"),
        (true, false, false) => format!("from {lo} to {hi}"),
        (true, true, false) => format!("more than {lo}, up to {hi}"),
        (true, false, true) => format!("from {lo} to less than {hi}"),
        (true, true, true) => format!("between {lo} and {hi} (both excluded)"),
    };
    match unit {
        Unit::Words(words) if !words.is_empty() => format!("{range} {words}"),
        _ => range,
    }
}

const CHANNELS: &[Choice] =
    &[choice("push", "Push"), choice("in_app", "In-app"), choice("email", "Email"), choice("sms", "SMS")];
/// How a message picks among its channels; the canvas's node summaries say the same.
pub const DELIVERIES: &[Choice] =
    &[choice("priority", "first reachable channel"), choice("blast", "every reachable channel")];
const HOLDS: &[Choice] = &[choice("drop", "drop it"), choice("defer", "send it later")];
const CURRENCIES: &[Choice] = &[
    choice("USD", "USD · US dollar"),
    choice("EUR", "EUR · euro"),
    choice("GBP", "GBP · pound sterling"),
    choice("JPY", "JPY · yen"),
    choice("CHF", "CHF · Swiss franc"),
    choice("CAD", "CAD · Canadian dollar"),
    choice("AUD", "AUD · Australian dollar"),
    choice("SEK", "SEK · Swedish krona"),
    choice("INR", "INR · Indian rupee"),
    choice("BRL", "BRL · Brazilian real"),
    choice("CNY", "CNY · yuan"),
];
const NODE_TYPES: &[Choice] = &[
    choice("trigger", "Start (trigger)"),
    choice("wait", "Wait"),
    choice("branch", "Branch (yes / no)"),
    choice("message", "Message"),
    choice("exit", "Exit"),
];
const EVENTS: &[Choice] = &[
    choice("signup", "a user signs up"),
    choice("cart_abandoned", "a cart is abandoned"),
    choice("purchase", "a purchase"),
    choice("inactive", "days without a visit"),
    choice("schedule", "a schedule"),
];
const CLOCKS: &[Choice] =
    &[choice("home", "the user's home time"), choice("local", "where the user is now"), choice("utc", "UTC")];
const UNTIL: &[Choice] = &[choice("next_active", "the next visit"), choice("best_hour", "the best send hour")];
const CONDITIONS: &[Choice] = &[
    choice("sessions", "visited enough"),
    choice("feature_adopted", "adopted the key feature"),
    choice("opened_last_message", "opened the last message"),
];
const SCORES: &[Choice] = &[
    choice("churn_risk", "churn risk"),
    choice("conversion_intent", "conversion intent"),
    choice("lifetime_value", "lifetime value"),
];
const CONTENTS: &[Choice] = &[
    choice("reminder", "Reminder"),
    choice("value", "Value message"),
    choice("recommendation", "Recommendation"),
    choice("discount", "Discount"),
];
const METRICS: &[Choice] = &[
    choice("conversion", "conversion (a purchase)"),
    choice("retention", "retention (active on day N)"),
    choice("revenue", "revenue"),
    choice("margin", "net margin"),
];

/// The metrics a verdict can rank designs by (`crate::compare::PRIMARY_CHOICES`), each under the
/// vocabulary's one name for it.
const VERDICT_METRICS: [Choice; PRIMARY_CHOICES.len()] = {
    let mut choices = [choice("", ""); PRIMARY_CHOICES.len()];
    let mut i = 0;
    while i < choices.len() {
        choices[i] = choice(PRIMARY_CHOICES[i], vocabulary_name(PRIMARY_CHOICES[i]));
        i += 1;
    }
    choices
};

/// The vocabulary's name of a metric id, at compile time (an unknown id fails the build).
const fn vocabulary_name(id: &str) -> &'static str {
    let mut i = 0;
    while i < VOCABULARY.len() {
        if same_text(VOCABULARY[i].id, id) {
            return VOCABULARY[i].name;
        }
        i += 1;
    }
    panic!("a verdict metric missing from the vocabulary")
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const PROBABILITY: Option<Interval> = Some(Interval::PROBABILITY);
const BELOW_ONE: Option<Interval> = Some(Interval::right_open(0.0, 1.0));
const POSITIVE: Option<Interval> = Some(Interval::POSITIVE);
const NON_NEGATIVE: Option<Interval> = Some(Interval::NON_NEGATIVE);
/// A year of hours, the longest wait or validity.
const HOURS: Option<Interval> = Some(Interval::closed(1.0, 8760.0));
const HORIZON: Option<Interval> = Some(Interval::closed(1.0, 3650.0));
const CLOCK_HOUR: Option<Interval> = Some(Interval::closed(0.0, 23.0));

const fn def(
    pattern: &'static str,
    label: &'static str,
    help: &'static str,
    unit: Unit,
    input: Input,
    range: Option<Interval>,
    step: f64,
) -> Definition {
    Definition { pattern, label, help, unit, input, range, step, spread: false }
}

/// A per-user trait: `{ mean, sd }` or one number.
const fn spread(d: Definition) -> Definition {
    Definition { spread: true, ..d }
}

const fn percent(
    pattern: &'static str,
    label: &'static str,
    help: &'static str,
    range: Option<Interval>,
) -> Definition {
    def(pattern, label, help, Unit::Percent, Input::Percent, range, 0.01)
}

const fn text(pattern: &'static str, label: &'static str, help: &'static str) -> Definition {
    def(pattern, label, help, Unit::None, Input::Text, None, 1.0)
}

const fn select(
    pattern: &'static str,
    label: &'static str,
    help: &'static str,
    choices: &'static [Choice],
) -> Definition {
    def(pattern, label, help, Unit::None, Input::Select(choices), None, 1.0)
}

const fn whole(
    pattern: &'static str,
    label: &'static str,
    help: &'static str,
    unit: &'static str,
    range: Option<Interval>,
) -> Definition {
    def(pattern, label, help, Unit::Words(unit), Input::Number, range, 1.0)
}

/// Every setting of the format but `[model]`'s (see the module's documentation).
pub const DEFINITIONS: &[Definition] = &[
    // [simulation]
    text("simulation.name", "Scenario name", "Shown on the library card and in reports."),
    def(
        "simulation.description",
        "Description",
        "What the scenario asks, in a sentence or two.",
        Unit::None,
        Input::LongText,
        None,
        1.0,
    ),
    whole(
        "simulation.seed",
        "Random seed",
        "The same seed gives the same results, on any machine.",
        "",
        Some(Interval::closed(0.0, 9.223_372_036_854_776e18)),
    ),
    whole(
        "simulation.users",
        "Simulated users",
        "How many users the simulation follows; every journey gets the same users.",
        "users",
        Some(Interval::closed(1.0, 4_294_967_295.0)),
    ),
    whole("simulation.horizon_days", "Days simulated", "How long the simulation runs.", "days", HORIZON),
    def(
        "simulation.start_date",
        "First day",
        "The calendar day the simulation starts; it sets weekdays and months.",
        Unit::None,
        Input::Date,
        None,
        1.0,
    ),
    // [population]
    whole(
        "population.acquisition.days",
        "Sign-ups spread over",
        "New users arrive evenly over this many first days; 0 = all on the first day (at most the days simulated − 1).",
        "days",
        Some(Interval::NON_NEGATIVE),
    ),
    def(
        "population.acquisition.first_purchase",
        "New users arrive with a first purchase",
        "On for a customer file: every user starts as a customer (the first purchase is not a repeat).",
        Unit::None,
        Input::Toggle,
        None,
        1.0,
    ),
    def(
        "population.rhythm.weekday",
        "Visits by weekday",
        "Seven relative visit rates, Monday first (1 = an average day).",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    def(
        "population.rhythm.month",
        "Visits by month",
        "Twelve relative visit rates, January first (1 = an average month).",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    text("population.segment.name", "Segment name", "A name for this group of users, unique among segments."),
    percent(
        "population.segment.share",
        "Share of users",
        "This segment's part of all users; the shares of all segments add up to 100 %.",
        Some(Interval::left_open(0.0, 1.0)),
    ),
    spread(def(
        "population.segment.visits_per_day",
        "Visits per day",
        "How often an engaged user opens the app.",
        Unit::Words("per day"),
        Input::Number,
        POSITIVE,
        0.1,
    )),
    spread(def(
        "population.segment.feature_adoption",
        "Key feature adopted",
        "Chance a user has adopted the key feature when they sign up.",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    spread(def(
        "population.segment.purchase_propensity",
        "Chance a visit reaches the cart",
        "Chance that one visit ends with something in the cart.",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    spread(def(
        "population.segment.price_sensitivity",
        "Price sensitivity",
        "How strongly users recoil from paying above the price they expect (0 % = not at all).",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    spread(def(
        "population.segment.deal_sensitivity",
        "Deal sensitivity",
        "How readily users learn to wait for a discount once they have seen one.",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    spread(def(
        "population.segment.churn_hazard",
        "Churn rate per day",
        "Daily rate at which a fully engaged user leaves for good.",
        Unit::Words("per day"),
        Input::Number,
        POSITIVE,
        0.01,
    )),
    spread(def(
        "population.segment.purchase_dropout",
        "Leaves after a repeat purchase",
        "Chance of leaving for good right after each repeat purchase (the BG/NBD's dropout).",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    def(
        "population.segment.order_value",
        "Average order value of this segment",
        "List price of this segment's average order; leave it out to use the scenario's average order value.",
        Unit::Money,
        Input::Number,
        POSITIVE,
        1.0,
    ),
    spread(def(
        "population.segment.engagement",
        "Habit strength",
        "How strong the app habit is at sign-up.",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    spread(def(
        "population.segment.fatigue_tolerance",
        "Messages tolerated per week",
        "Messages a week a user takes before fatigue turns into opt-outs.",
        Unit::Words("messages per week"),
        Input::Number,
        POSITIVE,
        0.5,
    )),
    percent(
        "population.segment.activity.early_bird",
        "Early birds",
        "Share of users most active early in the morning.",
        PROBABILITY,
    ),
    percent(
        "population.segment.activity.commuter",
        "Commuters",
        "Share of users most active at commuting times.",
        PROBABILITY,
    ),
    percent(
        "population.segment.activity.evening",
        "Evening users",
        "Share of users most active in the evening.",
        PROBABILITY,
    ),
    percent(
        "population.segment.activity.night_owl",
        "Night owls",
        "Share of users most active late at night.",
        PROBABILITY,
    ),
    percent(
        "population.segment.activity.flat",
        "Any time of day",
        "Share of users active evenly over the day.",
        PROBABILITY,
    ),
    percent(
        "population.segment.time_zones.home.*",
        "Users living in this time zone",
        "Share of the segment's users whose home is in this time zone; the shares add up to 100 %.",
        PROBABILITY,
    ),
    percent(
        "population.segment.time_zones.traveller_share",
        "Travellers",
        "Share of users who travel at some point during the simulation.",
        PROBABILITY,
    ),
    percent(
        "population.segment.time_zones.destinations.*",
        "Trips to this time zone",
        "Share of trips that go to this time zone; the shares add up to 100 %.",
        PROBABILITY,
    ),
    def(
        "population.segment.time_zones.trip_days",
        "Average trip length",
        "How long a trip lasts on average.",
        Unit::Words("days"),
        Input::Number,
        POSITIVE,
        1.0,
    ),
    percent(
        "population.segment.channels.*.reachable",
        "Reachable on this channel",
        "Chance a user can be reached here (opted in, app installed, address known).",
        PROBABILITY,
    ),
    spread(def(
        "population.segment.channels.*.responsiveness",
        "Opens a message",
        "Chance a fresh message sent at the user's best hour is opened.",
        Unit::Percent,
        Input::Percent,
        PROBABILITY,
        0.01,
    )),
    // [economics]
    def(
        "economics.order_value",
        "Average order value",
        "List price of an average order.",
        Unit::Money,
        Input::Number,
        POSITIVE,
        1.0,
    ),
    def(
        "economics.customer_spread",
        "Spread of spend between customers",
        "How much customers' average orders differ (coefficient of variation; 0 = all the same).",
        Unit::None,
        Input::Number,
        Some(Interval::closed(0.0, 3.0)),
        0.05,
    ),
    def(
        "economics.order_spread",
        "Spread of one customer's orders",
        "How much one customer's orders differ around their average (coefficient of variation).",
        Unit::None,
        Input::Number,
        Some(Interval::closed(0.0, 3.0)),
        0.05,
    ),
    percent(
        "economics.margin",
        "Gross margin",
        "Margin as a share of the list price; discounts come off it.",
        PROBABILITY,
    ),
    select(
        "economics.currency",
        "Currency",
        "The currency of every amount in the scenario and its results.",
        CURRENCIES,
    ),
    def(
        "economics.message_cost.*",
        "Cost of one message",
        "What sending one message on this channel costs.",
        Unit::Money,
        Input::Number,
        NON_NEGATIVE,
        0.0001,
    ),
    // [tracking]
    percent("tracking.loss", "Events never tracked", "Share of what users do that analytics never records.", BELOW_ONE),
    percent("tracking.duplicate", "Events tracked twice", "Share of tracked events recorded twice.", PROBABILITY),
    def(
        "tracking.delay_hours",
        "Tracking delay",
        "Average delay before a tracked event is seen.",
        Unit::Words("hours"),
        Input::Number,
        NON_NEGATIVE,
        0.5,
    ),
    // [predictions]
    def(
        "predictions.*.auc",
        "Score quality (AUC)",
        "How well the score ranks users: 50 % is a coin toss, 100 % perfect.",
        Unit::Percent,
        Input::Percent,
        Some(Interval::closed(0.5, 1.0)),
        0.01,
    ),
    def(
        "predictions.*.half_users",
        "Users for half the quality",
        "If set, the score gets better with more users: half its quality at this many users.",
        Unit::Words("users"),
        Input::Number,
        POSITIVE,
        1000.0,
    ),
    def(
        "predictions.best_hour.half_users",
        "Users for half the quality",
        "If set, the prediction gets better with more users: half its quality at this many users.",
        Unit::Words("users"),
        Input::Number,
        POSITIVE,
        1000.0,
    ),
    percent(
        "predictions.best_hour.hit_rate",
        "Best-hour prediction right",
        "Chance the predicted best send hour is the user's real best hour.",
        PROBABILITY,
    ),
    // [[journey]]
    text("journey.name", "Journey name", "A name for this journey, unique in the scenario."),
    def(
        "journey.description",
        "Description",
        "What the journey does, in a sentence.",
        Unit::None,
        Input::LongText,
        None,
        1.0,
    ),
    whole(
        "journey.policies.caps.*.per_day",
        "At most per day",
        "Messages a user may get on this channel in one day.",
        "messages",
        Some(Interval::closed(1.0, 1000.0)),
    ),
    whole(
        "journey.policies.caps.*.per_week",
        "At most per week",
        "Messages a user may get on this channel in any 7 days.",
        "messages",
        Some(Interval::closed(1.0, 7000.0)),
    ),
    whole(
        "journey.policies.caps.*.min_gap_hours",
        "Hours between messages",
        "The shortest gap between two messages on this channel.",
        "hours",
        Some(Interval::closed(0.0, 8760.0)),
    ),
    select(
        "journey.policies.on_cap",
        "When a cap is reached",
        "What happens to a message the caps would exceed.",
        HOLDS,
    ),
    whole(
        "journey.policies.quiet_hours.start",
        "Quiet hours from",
        "Hour (0–23, the user's local time) from which no message is sent.",
        "h",
        CLOCK_HOUR,
    ),
    whole(
        "journey.policies.quiet_hours.end",
        "Quiet hours until",
        "Hour (0–23) at which sending resumes; may be after midnight.",
        "h",
        CLOCK_HOUR,
    ),
    select(
        "journey.policies.quiet_hours.action",
        "A message in quiet hours",
        "What happens to a message due in quiet hours.",
        HOLDS,
    ),
    percent(
        "journey.policies.holdout",
        "Held out of the journey",
        "Share of users who never enter this journey (a control group).",
        BELOW_ONE,
    ),
    def(
        "journey.policies.reentry",
        "Users can enter again",
        "Whether a user who left the journey can start it again.",
        Unit::None,
        Input::Toggle,
        None,
        1.0,
    ),
    text("journey.node.id", "Step name", "Other steps refer to this step by its name."),
    select("journey.node.type", "Kind of step", "What the step does.", NODE_TYPES),
    def(
        "journey.node.position",
        "Place on the canvas",
        "Where the canvas draws the step; the simulation ignores it.",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    text("journey.node.next", "Then go to", "The step that follows."),
    text("journey.node.yes", "If yes, go to", "The step that follows when the condition holds."),
    text("journey.node.no", "If no, go to", "The step that follows otherwise."),
    select("journey.node.event", "Starts when", "The event that starts the journey for a user.", EVENTS),
    whole(
        "journey.node.days#trigger",
        "Days without a visit",
        "Starts once a user has not visited for this many days.",
        "days",
        HORIZON,
    ),
    whole(
        "journey.node.days#branch",
        "Within the last",
        "The window in which the visits are counted.",
        "days",
        HORIZON,
    ),
    whole("journey.node.days", "Days", "A number of days.", "days", HORIZON),
    whole(
        "journey.node.first_day",
        "First sending day",
        "The day of the simulation the schedule starts (0 = the first day).",
        "days",
        Some(Interval::NON_NEGATIVE),
    ),
    whole("journey.node.every_days", "Repeat every", "Days between two sends of the schedule.", "days", HORIZON),
    whole("journey.node.hour", "At hour", "Hour of the day (0–23) the schedule sends.", "h", CLOCK_HOUR),
    select("journey.node.clock", "Hour on the clock of", "Which time zone the hour is read in.", CLOCKS),
    whole("journey.node.hours", "Wait for", "A fixed delay before the next step.", "hours", HOURS),
    select("journey.node.until", "Wait until", "Wait for a moment rather than a fixed delay.", UNTIL),
    whole("journey.node.max_hours", "But at most", "Go on anyway after this long.", "hours", HOURS),
    select("journey.node.if", "Condition", "What the branch checks.", CONDITIONS),
    whole(
        "journey.node.at_least",
        "At least this many visits",
        "Visits needed in the window for a yes.",
        "visits",
        Some(Interval::closed(1.0, 100_000.0)),
    ),
    select("journey.node.score", "Predicted score", "The prediction the branch checks.", SCORES),
    percent(
        "journey.node.above",
        "Score above percentile",
        "Yes for users whose score ranks above this share of users of the same age.",
        PROBABILITY,
    ),
    select("journey.node.content", "Message content", "What the message says.", CONTENTS),
    percent("journey.node.depth", "Discount", "Discount as a share of the list price.", Some(Interval::open(0.0, 1.0))),
    whole("journey.node.valid_hours", "Discount valid for", "How long the discount can be used.", "hours", HOURS),
    def(
        "journey.node.channels",
        "Channels, in order of preference",
        "The channels the message may go out on.",
        Unit::None,
        Input::Multi(CHANNELS),
        None,
        1.0,
    ),
    select(
        "journey.node.delivery",
        "Send on",
        "Only the first channel the user is reachable on, or every reachable channel at once.",
        DELIVERIES,
    ),
    text("journey.node.goal", "Goal", "What reaching this exit counts as (optional)."),
    // [experiment]
    def(
        "experiment.arms",
        "Control and treatment journeys",
        "Two journey names, control first; both start with the same trigger.",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    def(
        "experiment.allocation",
        "Split between the arms",
        "Two shares adding up to 1, e.g. [0.5, 0.5].",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    percent("experiment.holdout", "Held out of the experiment", "Share of users in neither arm.", BELOW_ONE),
    select(
        "experiment.metric",
        "Primary metric",
        "What the experiment decides on, per enrolled user over the window.",
        METRICS,
    ),
    whole(
        "experiment.window_days",
        "Measured over",
        "Days after enrolment the metric counts (at most the days simulated − 1).",
        "days",
        Some(Interval::closed(1.0, 3649.0)),
    ),
    def(
        "experiment.guardrails",
        "Guardrails",
        "Rates that must not get worse: \"opt_out\", \"uninstall\".",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    def(
        "experiment.looks",
        "When the results are looked at",
        "\"daily\", or a list of days such as [7, 14, 21, 28].",
        Unit::None,
        Input::List,
        None,
        1.0,
    ),
    select(
        "verdict.primary_metric",
        "Decides the verdict",
        "The metric Compare ranks the designs by; the others are guardrails.",
        &VERDICT_METRICS,
    ),
    text("experiment.method", "Sequential method", "e.g. \"gst:obf\", \"msprt\", \"cs\", \"bayes:0.95\" or \"naive\"."),
    percent(
        "experiment.alpha",
        "False-positive rate (α)",
        "Two-sided significance level.",
        Some(Interval::open(0.0, 1.0)),
    ),
    percent(
        "experiment.power",
        "Power",
        "Chance of detecting an effect of the minimum size.",
        Some(Interval::open(0.0, 1.0)),
    ),
    def(
        "experiment.mde",
        "Minimum detectable effect",
        "The smallest difference worth detecting (a rate difference, or relative when the next box is on).",
        Unit::None,
        Input::Number,
        POSITIVE,
        0.005,
    ),
    def(
        "experiment.mde_relative",
        "Effect relative to control",
        "Read the minimum detectable effect as a share of the control's rate.",
        Unit::None,
        Input::Toggle,
        None,
        1.0,
    ),
];

/// A field's definition, derived where the table describes it by a pattern (a trait's
/// `mean` and `sd`, a `[model]` parameter).
#[derive(Clone, Debug, PartialEq)]
pub struct Described {
    pub label: String,
    pub help: String,
    pub unit: Unit,
    pub input: Input,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: f64,
    /// The allowed values as the form shows them ("" if free).
    pub range: String,
}

impl Described {
    fn of(d: &Definition) -> Described {
        Described {
            label: d.label.to_owned(),
            help: d.help.to_owned(),
            unit: d.unit,
            input: d.input,
            min: d.min(),
            max: d.max(),
            step: d.step,
            range: d.range_text(),
        }
    }

    /// The unit beside the input, `currency` for money ("" for none).
    pub fn unit_text(&self, currency: &str) -> String {
        match self.unit {
            Unit::None => String::new(),
            Unit::Percent => "%".to_owned(),
            Unit::Money => currency.to_owned(),
            Unit::Words(words) => words.to_owned(),
        }
    }
}

/// The path's pattern: indices dropped, user-chosen keys (channels, time zones, scores) as `*`;
/// and the last user-chosen key (a channel, a time zone), to name it in the label.
fn pattern_of(path: &str) -> Option<(String, Option<String>)> {
    let steps = steps(path)?;
    let mut out = String::new();
    let mut chosen = None;
    let mut parent = "";
    for (i, (key, _)) in steps.iter().enumerate() {
        let wild = matches!(parent, "channels" | "message_cost" | "caps" | "home" | "destinations")
            && !(parent == "channels" && path.starts_with("journey"))
            || (i == 1 && parent == "predictions" && key != "best_hour");
        if !out.is_empty() {
            out.push('.');
        }
        if wild {
            out.push('*');
            chosen = Some(key.clone());
        } else {
            out.push_str(key);
        }
        parent = key;
    }
    Some((out, chosen))
}

/// The definition of the field at `path` (the diagnostics' notation); `node_type` is the
/// `type` of the journey node the field belongs to, when known.
pub fn describe(path: &str, node_type: Option<&str>) -> Option<Described> {
    let (pattern, chosen) = pattern_of(path)?;
    let mut described = definition(&pattern, node_type)?;
    // "Cost of one message · Push", "Users living in this time zone · UTC+1".
    if let Some(key) = chosen {
        let name =
            channel_label(&key).or_else(|| SCORES.iter().find(|c| c.value == key).map(|c| c.label)).unwrap_or(&key);
        described.label = format!("{} · {name}", described.label);
    }
    Some(described)
}

/// The definition of a pattern, a trait's `mean` / `sd` or a `[model]` parameter included.
fn definition(pattern: &str, node_type: Option<&str>) -> Option<Described> {
    if let Some(name) = pattern.strip_prefix("model.") {
        return PARAMETERS.iter().find(|p| p.name == name).map(|p| Described {
            label: crate::vocabulary::upper_first(&p.name.replace('_', " ")),
            help: p.meaning.to_owned(),
            unit: Unit::Words(p.unit),
            input: Input::Number,
            min: Some(p.low),
            max: Some(p.high),
            step: if p.whole { 1.0 } else { 0.01 },
            range: describe_interval(Interval::closed(p.low, p.high), Unit::Words(p.unit)),
        });
    }
    let typed = node_type.and_then(|t| defined(&format!("{pattern}#{t}")));
    if let Some(d) = typed.or_else(|| defined(pattern)) {
        return Some(Described::of(d));
    }
    // A trait written as `{ mean, sd }`.
    let (base, part) = pattern.rsplit_once('.')?;
    let d = defined(base).filter(|d| d.spread)?;
    let mut described = Described::of(d);
    match part {
        "mean" => {
            described.label = format!("{} · average", d.label);
            described.help = format!("{} The average over users.", d.help);
        }
        "sd" => {
            described.label = format!("{} · spread", d.label);
            described.help = "How much users differ (standard deviation); 0 = all alike.".to_owned();
            // A Beta spread needs sd < √(mean·(1 − mean)) ≤ ½; a Gamma's has no bound.
            let range = if d.unit == Unit::Percent { Interval::right_open(0.0, 0.5) } else { Interval::NON_NEGATIVE };
            described.min = Some(0.0);
            described.max = Some(range.upper()).filter(|x| x.is_finite());
            described.range = describe_interval(range, d.unit);
        }
        _ => return None,
    }
    Some(described)
}

/// The form's title of a section path such as `population.segment[1]` or `journey[0].node[2]`;
/// `name` gives an item's `name` / `id` where it has one.
pub fn section_title(section: &str, name: impl Fn(&str) -> Option<String>) -> String {
    let Some(steps) = steps(section) else { return section.to_owned() };
    if steps.is_empty() || section.is_empty() {
        return "General".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut so_far = String::new();
    for (key, index) in &steps {
        so_far = super::path::join(&so_far, key);
        if let Some(i) = index {
            so_far = format!("{so_far}[{i}]");
        }
        let item = |what: &str| {
            let n = index.map_or(0, |i| i + 1);
            match name(&so_far) {
                Some(given) if !given.is_empty() => format!("{what} {n}: {given}"),
                _ => format!("{what} {n}"),
            }
        };
        let part = match (parts.len(), key.as_str()) {
            (0, "simulation") => "Scenario".to_owned(),
            (0, "population") | (0, "predictions") => {
                if steps.len() == 1 {
                    if key == "population" { "Users".to_owned() } else { "Predictions".to_owned() }
                } else {
                    continue;
                }
            }
            (_, "acquisition") => "How new users arrive".to_owned(),
            (_, "rhythm") => "Visits over the week and the year".to_owned(),
            (_, "segment") => item("Segment"),
            (_, "activity") => "Time of day".to_owned(),
            (_, "time_zones") => "Time zones and travel".to_owned(),
            (_, "channels") => "Channels".to_owned(),
            (0, "economics") => "Money".to_owned(),
            (0, "tracking") => "Tracking quality".to_owned(),
            (0, "experiment") => "Experiment".to_owned(),
            (0, "verdict") => "Verdict".to_owned(),
            (0, "model") => "Model".to_owned(),
            (0, "journey") => item("Journey"),
            (_, "policies") => "Sending rules".to_owned(),
            (_, "node") => item("Step"),
            (_, "caps") => "Caps".to_owned(),
            (_, "best_hour") => "Prediction quality: best send hour".to_owned(),
            (_, other) if section.starts_with("predictions") => {
                let score = SCORES.iter().find(|c| c.value == other).map_or(other, |c| c.label);
                format!("Prediction quality: {score}")
            }
            (_, other) => channel_label(other).map_or_else(|| other.replace('_', " "), |c| format!("Channel: {c}")),
        };
        parts.push(part);
    }
    parts.join(" › ")
}

/// A channel's name as people read it: "in_app" → "In-app".
pub fn channel_label(channel: &str) -> Option<&'static str> {
    CHANNELS.iter().find(|c| c.value == channel).map(|c| c.label)
}

/// A segment trait's label and whether it is a proportion (`purchase_dropout` → "Leaves after a
/// repeat purchase", true), for the form's trait histograms.
pub fn segment_trait(key: &str) -> Option<(&'static str, bool)> {
    defined(&format!("population.segment.{key}")).map(|d| (d.label, d.unit == Unit::Percent))
}

/// The definition of exactly the pattern `pattern` (no `#type` variant, no trait part; for a
/// field's path see [`describe`]).
pub fn defined(pattern: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().find(|d| d.pattern == pattern)
}

/// The choices of the field pattern `pattern` (e.g. `journey.node.delivery`), each value as the
/// file writes it and as every screen names it; none for a field without choices.
pub fn choice_set(pattern: &str) -> &'static [Choice] {
    defined(pattern).map_or(&[], Definition::choices)
}

/// The label of `value` among the choices of the field pattern `pattern` (e.g. `journey.node.delivery`).
pub fn choice_label(pattern: &str, value: &str) -> Option<&'static str> {
    choice_set(pattern).iter().find(|c| c.value == value).map(|c| c.label)
}

/// The reader's message for `x` outside `interval` at `path`: "Gross margin must be from 0 % to
/// 100 %; 150 % is not", in the form's words and units; `None` for a field the table does not know.
pub(super) fn out_of_range(path: &str, x: f64, interval: Interval) -> Option<String> {
    let d = describe(path, None)?;
    Some(format!("{} must be {}; {} is not", d.label, describe_interval(interval, d.unit), show(d.unit, x)))
}

/// The reader's message for a value of the wrong type at `path`: "Gross margin must be a number, not text".
pub(super) fn wrong_type(path: &str, expected: &str, found: &str) -> Option<String> {
    describe(path, None).map(|d| format!("{} must be {expected}, not {found}", d.label))
}

#[cfg(test)]
pub(super) mod tests;
