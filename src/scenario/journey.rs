//! `[[journey]]`: a journey's name, policies and `[[journey.node]]` tables.
//! References between nodes stay names here; [`super::graph`] resolves them.

use super::fields::{Ctx, Fields, Interval, Named, Value, report_duplicates};
use super::grammar::{BRANCH_CONDITION_KEYS, DISCOUNT_KEYS, NODE_KEYS, NodeType, TRIGGER_EVENT_KEYS};
use super::graph::{RawNode, build};
use super::read::{MAX_HORIZON_DAYS, channel, per_channel};
use super::{
    Cap, Channel, Clock, Condition, Content, Delivery, DiagnosticKind, Hold, Journey, NodeKind, Policies, QuietHours,
    Score, Simulation, Trigger, Wait,
};

/// Longest wait, validity or gap in hours: a year.
const MAX_HOURS: i64 = 8760;

const HOLDS: [(&str, Hold); 2] = [("drop", Hold::Drop), ("defer", Hold::Defer)];

/// A journey as read: its name, for `[experiment]` to refer to, and its design
/// when its nodes make one (else the problems are reported).
pub(super) struct ReadJourney {
    pub(super) name: String,
    pub(super) design: Option<Journey>,
}

pub(super) fn journeys(ctx: &mut Ctx, root: &mut Fields, simulation: &Simulation) -> Vec<ReadJourney> {
    let hint = "add a [[journey]] with a name and its [[journey.node]] tables";
    let Some(list) = root.require(ctx, "journey", hint) else { return Vec::new() };
    let Some(items) = list.array(ctx) else { return Vec::new() };
    if items.is_empty() {
        list.out_of_range(ctx, "the scenario has no journey", hint);
    }
    let mut journeys = Vec::new();
    let mut names = Vec::new();
    for item in &items {
        let Some(mut f) = item.table(ctx) else { continue };
        let name = named(ctx, &mut f, "name the journey, e.g. name = \"reminder\"", "name");
        let description = f.get("description").and_then(|v| v.string(ctx)).unwrap_or_default().to_owned();
        let policy_fields = f.table(ctx, "policies");
        let policies = policies(ctx, policy_fields);
        let node_hint = "add [[journey.node]] tables, starting with a trigger";
        let raw: Vec<RawNode> = match f.require(ctx, "node", node_hint).and_then(|v| v.array(ctx)) {
            Some(nodes) => nodes.iter().filter_map(|n| node(ctx, n, simulation.horizon_days)).collect(),
            None => Vec::new(),
        };
        let (span, path) = (f.span(), f.path().to_owned());
        f.finish(ctx);
        let nodes = build(ctx, &span, &path, raw);
        let journey_name = name.as_ref().map_or(String::new(), |n| n.name.to_owned());
        names.extend(name);
        let design = match Journey::new(journey_name.clone(), description, nodes, policies) {
            Ok(design) => Some(design),
            Err(error) => {
                // `build` has reported why, or another problem of the file stops it
                // being read; this fallback keeps a file with a design error from reading as valid.
                if !ctx.has_errors() {
                    ctx.report(DiagnosticKind::Trigger, &span, &path, error.to_string(), node_hint);
                }
                None
            }
        };
        journeys.push(ReadJourney { name: journey_name, design });
    }
    report_duplicates(ctx, &names, "journey");
    journeys
}

/// A required, non-empty string naming something (`key` = "name" or "id").
fn named<'a>(ctx: &mut Ctx, f: &mut Fields<'a, '_>, hint: &str, key: &'static str) -> Option<Named<'a>> {
    let value = f.require(ctx, key, hint)?;
    let name = value.string(ctx)?;
    if name.is_empty() {
        value.out_of_range(ctx, format!("the {key} is empty"), hint);
        return None;
    }
    Some(Named { name, span: value.span(), path: value.path })
}

fn policies(ctx: &mut Ctx, mut f: Fields) -> Policies {
    let cap_fields = f.table(ctx, "caps");
    let caps = per_channel(ctx, cap_fields, [None; 4], |ctx, v, _| {
        let mut c = v.table(ctx)?;
        let per_day = c.get("per_day").and_then(|v| v.int_in(ctx, 1, 1000));
        let per_week = c.get("per_week").and_then(|v| v.int_in(ctx, 1, 7000));
        let min_gap_hours = c.get("min_gap_hours").and_then(|v| v.int_in(ctx, 0, MAX_HOURS));
        c.finish(ctx);
        Some(Some(Cap { per_day, per_week, min_gap_hours }))
    });
    let on_cap =
        f.get("on_cap").and_then(|v| v.choice(ctx, &HOLDS, DiagnosticKind::UnknownValue)).unwrap_or(Hold::Drop);
    let quiet_hours = f.get("quiet_hours").and_then(|v| quiet_hours(ctx, &v));
    let holdout = f.float_or(ctx, "holdout", 0.0, Interval::right_open(0.0, 1.0));
    let reentry = f.get("reentry").and_then(|v| v.boolean(ctx)).unwrap_or(true);
    f.finish(ctx);
    Policies { caps, on_cap, quiet_hours, holdout, reentry }
}

fn quiet_hours(ctx: &mut Ctx, v: &Value) -> Option<QuietHours> {
    let mut f = v.table(ctx)?;
    let mut hour = |ctx: &mut Ctx, key| {
        f.require(ctx, key, "write quiet_hours = { start = 21, end = 8 }")
            .and_then(|h| Some((h.int_in(ctx, 0, 23)?, h)))
    };
    let start = hour(ctx, "start");
    let end = hour(ctx, "end");
    let action =
        f.get("action").and_then(|v| v.choice(ctx, &HOLDS, DiagnosticKind::UnknownValue)).unwrap_or(Hold::Defer);
    f.finish(ctx);
    let ((start, _), (end, end_value)) = (start?, end?);
    if start == end {
        end_value.out_of_range(
            ctx,
            "quiet hours start and end at the same hour",
            "e.g. start = 21, end = 8 (wraps midnight)",
        );
        return None;
    }
    Some(QuietHours { start, end, action })
}

fn node<'a>(ctx: &mut Ctx, item: &Value<'a, '_>, horizon_days: u32) -> Option<RawNode<'a>> {
    let mut f = item.table(ctx)?;
    let id = named(ctx, &mut f, "give the node an id, e.g. id = \"wait_4h\"", "id");
    let position = f.get("position").and_then(|v| position(ctx, &v));
    let type_hint = "add type = \"trigger\", \"wait\", \"branch\", \"message\" or \"exit\"";
    let type_value = f.require(ctx, "type", type_hint);
    let type_span = type_value.as_ref().map_or(f.span(), Value::span);
    let types = NodeType::ALL.map(|t| (t.name(), t));
    let node_type = type_value.and_then(|v| v.choice(ctx, &types, DiagnosticKind::UnknownValue));
    let (span, path) = (f.span(), f.path().to_owned());
    let mut raw = RawNode {
        id,
        span,
        path,
        kind: None,
        typed: false,
        is_trigger: false,
        type_span,
        targets: Vec::new(),
        position,
    };
    // Unknown type: which keys belong is unknown too, so none is reported.
    let Some(node_type) = node_type else { return Some(raw) };
    let what = describe(&f, node_type);
    raw.kind = match node_type {
        NodeType::Trigger => trigger(ctx, &mut f, horizon_days),
        NodeType::Wait => wait(ctx, &mut f),
        NodeType::Branch => branch(ctx, &mut f),
        NodeType::Message => message(ctx, &mut f),
        NodeType::Exit => Some(NodeKind::Exit { goal: f.get("goal").and_then(|v| v.string(ctx)).map(str::to_owned) }),
    };
    raw.targets = node_type.slots().iter().map(|slot| reference(ctx, &mut f, slot.key())).collect();
    raw.typed = true;
    raw.is_trigger = matches!(node_type, NodeType::Trigger);
    f.finish_explained(ctx, |key| {
        NODE_KEYS.contains(&key).then(|| format!("`{key}` does not apply to {what}; remove it"))
    });
    Some(raw)
}

/// How a hint names this node: its type and the value that picks its fields.
fn describe(f: &Fields, node_type: NodeType) -> String {
    match node_type {
        NodeType::Trigger => format!("a trigger with event = \"{}\"", f.peek_str("event").unwrap_or("")),
        NodeType::Wait => match f.peek_str("until") {
            Some(until) => format!("a wait until = \"{until}\""),
            None => "a fixed wait".to_owned(),
        },
        NodeType::Branch => match f.peek_str("if") {
            Some(condition) => format!("a branch if = \"{condition}\""),
            None => "a branch on a score".to_owned(),
        },
        NodeType::Message if f.peek_str("content") == Some("discount") => "a discount message".to_owned(),
        NodeType::Message => "a message without a discount".to_owned(),
        NodeType::Exit => "an exit node".to_owned(),
    }
}

fn reference<'a>(ctx: &mut Ctx, f: &mut Fields<'a, '_>, key: &'static str) -> Option<Named<'a>> {
    let hint = format!("name the node to go to, e.g. {key} = \"done\"");
    let value = f.require(ctx, key, &hint)?;
    let name = value.string(ctx)?;
    Some(Named { name, span: value.span(), path: value.path })
}

fn position(ctx: &mut Ctx, v: &Value) -> Option<(f64, f64)> {
    let items = v.array(ctx)?;
    if let [x, y] = items.as_slice() {
        return Some((x.float(ctx)?, y.float(ctx)?));
    }
    v.out_of_range(ctx, format!("expected 2 coordinates, found {}", items.len()), "write position = [x, y]");
    None
}

/// A node kind read from its fields; references are placeholders until [`build`].
type Read = Option<NodeKind>;

#[derive(Clone, Copy)]
enum Event {
    Signup,
    CartAbandoned,
    Purchase,
    Inactive,
    Schedule,
}

fn trigger(ctx: &mut Ctx, f: &mut Fields, horizon_days: u32) -> Read {
    const EVENTS: [(&str, Event); 5] = [
        ("signup", Event::Signup),
        ("cart_abandoned", Event::CartAbandoned),
        ("purchase", Event::Purchase),
        ("inactive", Event::Inactive),
        ("schedule", Event::Schedule),
    ];
    const CLOCKS: [(&str, Clock); 3] = [("utc", Clock::Utc), ("home", Clock::Home), ("local", Clock::Local)];
    let hint = "add event = \"signup\", \"cart_abandoned\", \"purchase\", \"inactive\" or \"schedule\"";
    let Some(event) = f.require(ctx, "event", hint).and_then(|v| v.choice(ctx, &EVENTS, DiagnosticKind::UnknownValue))
    else {
        f.skip(&TRIGGER_EVENT_KEYS);
        return None;
    };
    let trigger = match event {
        Event::Signup => Trigger::Signup,
        Event::CartAbandoned => Trigger::CartAbandoned,
        Event::Purchase => Trigger::Purchase,
        Event::Inactive => {
            let days = f.require(ctx, "days", "say after how many days without a session, e.g. days = 7");
            Trigger::Inactive { days: days?.int_in(ctx, 1, MAX_HORIZON_DAYS)? }
        }
        Event::Schedule => {
            let first_day = f.int_or(ctx, "first_day", 0, 0, i64::from(horizon_days.saturating_sub(1)));
            let every_days = f.int_or(ctx, "every_days", 7, 1, MAX_HORIZON_DAYS);
            let hour = f.require(ctx, "hour", "say at which hour (0–23) to send, e.g. hour = 9");
            let clock = f.get("clock").and_then(|v| v.choice(ctx, &CLOCKS, DiagnosticKind::UnknownValue));
            Trigger::Schedule {
                first_day,
                every_days,
                hour: hour?.int_in(ctx, 0, 23)?,
                clock: clock.unwrap_or(Clock::Home),
            }
        }
    };
    Some(NodeKind::Trigger { trigger, next: 0 })
}

fn wait(ctx: &mut Ctx, f: &mut Fields) -> Read {
    #[derive(Clone, Copy)]
    enum Until {
        NextActive,
        BestHour,
    }
    let Some(until) = f.get("until") else {
        let hint = "write hours = 4, or until = \"next_active\" or \"best_hour\"";
        let hours = f.require(ctx, "hours", hint)?.int_in(ctx, 1, MAX_HOURS)?;
        return Some(NodeKind::Wait { wait: Wait::Delay { hours }, next: 0 });
    };
    let options = [("next_active", Until::NextActive), ("best_hour", Until::BestHour)];
    let Some(until) = until.choice(ctx, &options, DiagnosticKind::UnknownValue) else {
        f.skip(&["max_hours"]);
        return None;
    };
    let wait = match until {
        Until::NextActive => Wait::NextActive { max_hours: f.int_or(ctx, "max_hours", 72, 1, MAX_HOURS) },
        Until::BestHour => Wait::BestHour,
    };
    Some(NodeKind::Wait { wait, next: 0 })
}

fn branch(ctx: &mut Ctx, f: &mut Fields) -> Read {
    #[derive(Clone, Copy)]
    enum If {
        Sessions,
        FeatureAdopted,
        OpenedLastMessage,
    }
    const SCORES: [(&str, Score); 3] = [
        ("churn_risk", Score::ChurnRisk),
        ("conversion_intent", Score::ConversionIntent),
        ("lifetime_value", Score::LifetimeValue),
    ];
    let condition = if f.has("score") && !f.has("if") {
        let value = f.get("score")?;
        let score = value.choice(ctx, &SCORES, DiagnosticKind::UnknownValue);
        let above = f.require(ctx, "above", "give the percentile threshold, e.g. above = 0.7");
        let above = above.and_then(|v| v.float_in(ctx, Interval::PROBABILITY));
        Condition::Score { score: score?, above: above? }
    } else {
        let options = [
            ("sessions", If::Sessions),
            ("feature_adopted", If::FeatureAdopted),
            ("opened_last_message", If::OpenedLastMessage),
        ];
        let hint = "add if = \"sessions\", \"feature_adopted\" or \"opened_last_message\", or score = \"churn_risk\" with above = 0.7";
        let Some(condition) =
            f.require(ctx, "if", hint).and_then(|v| v.choice(ctx, &options, DiagnosticKind::UnknownValue))
        else {
            f.skip(&BRANCH_CONDITION_KEYS);
            return None;
        };
        match condition {
            If::Sessions => {
                let days = f.int_or(ctx, "days", 7, 1, MAX_HORIZON_DAYS);
                let at_least = f.int_or(ctx, "at_least", 1, 1, 100_000);
                Condition::Sessions { days, at_least }
            }
            If::FeatureAdopted => Condition::FeatureAdopted,
            If::OpenedLastMessage => Condition::OpenedLastMessage,
        }
    };
    Some(NodeKind::Branch { condition, yes: 0, no: 0 })
}

fn message(ctx: &mut Ctx, f: &mut Fields) -> Read {
    #[derive(Clone, Copy)]
    enum Kind {
        Reminder,
        Value,
        Recommendation,
        Discount,
    }
    const KINDS: [(&str, Kind); 4] = [
        ("reminder", Kind::Reminder),
        ("value", Kind::Value),
        ("recommendation", Kind::Recommendation),
        ("discount", Kind::Discount),
    ];
    const DELIVERIES: [(&str, Delivery); 2] = [("priority", Delivery::Priority), ("blast", Delivery::Blast)];
    let hint = "add content = \"reminder\", \"value\", \"recommendation\" or \"discount\"";
    let content = f.require(ctx, "content", hint).and_then(|v| v.choice(ctx, &KINDS, DiagnosticKind::UnknownValue));
    let content = match content {
        Some(Kind::Discount) => {
            let depth = f.require(ctx, "depth", "give the discount as a share of the price, e.g. depth = 0.2");
            let depth = depth.and_then(|v| v.float_in(ctx, Interval::open(0.0, 1.0)));
            let valid_hours = f.int_or(ctx, "valid_hours", 48, 1, MAX_HOURS);
            depth.map(|depth| Content::Discount { depth, valid_hours })
        }
        Some(Kind::Reminder) => Some(Content::Reminder),
        Some(Kind::Value) => Some(Content::Value),
        Some(Kind::Recommendation) => Some(Content::Recommendation),
        None => {
            f.skip(&DISCOUNT_KEYS);
            None
        }
    };
    let channels = channels(ctx, f);
    let delivery = f.get("delivery").and_then(|v| v.choice(ctx, &DELIVERIES, DiagnosticKind::UnknownValue));
    let delivery = delivery.unwrap_or(Delivery::Priority);
    Some(NodeKind::Message { content: content?, channels: channels?, delivery, next: 0 })
}

/// `channels = ["push", "email"]`: known, distinct, at least one.
fn channels(ctx: &mut Ctx, f: &mut Fields) -> Option<Vec<Channel>> {
    let value = f.require(ctx, "channels", "list the channels to try, e.g. channels = [\"push\", \"email\"]")?;
    let items = value.array(ctx)?;
    if items.is_empty() {
        value.out_of_range(ctx, "no channel is listed", "list at least one of push, in_app, email, sms");
        return None;
    }
    let mut channels = Vec::new();
    let mut complete = true;
    for item in &items {
        let Some(c) = item.string(ctx).and_then(|name| channel(ctx, name, &item.span(), &item.path)) else {
            complete = false;
            continue;
        };
        if channels.contains(&c) {
            let message = format!("channel `{}` is listed twice", c.name());
            ctx.report(DiagnosticKind::DuplicateName, &item.span(), &item.path, message, "list each channel once");
            complete = false;
        }
        channels.push(c);
    }
    complete.then_some(channels)
}
