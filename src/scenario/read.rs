//! TOML text → [`Scenario`], collecting every diagnostic: every syntax error
//! (the parser recovers and goes on), or, for well-formed TOML, every problem
//! with the scenario's fields and journeys.
//! Sections live in their own modules; this one reads the small ones.

use std::ops::Range;

use toml::de::DeTable;

use super::behaviour::model;
use super::experiment::experiment;
use super::fields::{Ctx, Fields, Interval, Value, suggest};
use super::journey::journeys;
use super::population::population;
use super::{
    Channel, Currency, Date, Diagnostic, DiagnosticKind, Economics, HourQuality, PerChannel, Predictions, Scenario,
    ScoreQuality, Simulation, Tracking, VerdictSettings,
};

/// Longest horizon a scenario may simulate (ten years), so per-day series stay small.
pub(super) const MAX_HORIZON_DAYS: i64 = 3650;

/// Parses and validates a scenario, reporting every problem at once, in file order.
pub fn read(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let mut ctx = Ctx::new(text);
    let (document, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().lines().next().unwrap_or("invalid TOML").to_owned();
        let hint = "fix the TOML syntax here: check quotes, brackets and `key = value`";
        ctx.report(DiagnosticKind::Syntax, &span, "", message, hint);
    }
    // The tree recovered around a syntax error is a guess: checking its fields
    // would report problems the user did not write. Fix the syntax first.
    if ctx.has_errors() {
        return Err(ctx.into_sorted());
    }
    let mut root = Fields::root(&document);
    let section = root.table(&mut ctx, "simulation");
    let simulation = simulation(&mut ctx, section);
    let section = root.table(&mut ctx, "population");
    let population = population(&mut ctx, section, simulation.horizon_days);
    let section = root.table(&mut ctx, "economics");
    let economics = economics(&mut ctx, section);
    let section = root.table(&mut ctx, "tracking");
    let tracking = tracking(&mut ctx, section);
    let section = root.table(&mut ctx, "predictions");
    let predictions = predictions(&mut ctx, section);
    let section = root.table(&mut ctx, "model");
    let model = model(&mut ctx, section);
    let journeys = journeys(&mut ctx, &mut root, &simulation);
    let experiment = root.has("experiment").then(|| {
        let section = root.table(&mut ctx, "experiment");
        experiment(&mut ctx, section, &journeys, simulation.horizon_days)
    });
    let section = root.table(&mut ctx, "verdict");
    let verdict = verdict(&mut ctx, section);
    root.finish(&mut ctx);
    // Every journey without a design has a diagnostic (see `journeys`).
    match journeys.into_iter().map(|j| j.design).collect::<Option<Vec<_>>>() {
        Some(journeys) if !ctx.has_errors() => Ok(Scenario {
            simulation,
            population,
            economics,
            tracking,
            predictions,
            model,
            journeys,
            experiment,
            verdict,
        }),
        _ => Err(ctx.into_sorted()),
    }
}

/// Looks up a channel by its file name, reporting an unknown one at `span`.
pub(super) fn channel(ctx: &mut Ctx, name: &str, span: &Range<usize>, path: &str) -> Option<Channel> {
    let found = Channel::ALL.into_iter().find(|c| c.name() == name);
    if found.is_none() {
        let hint = suggest(name, Channel::ALL.map(Channel::name));
        ctx.report(DiagnosticKind::UnknownChannel, span, path, format!("unknown channel `{name}`"), hint);
    }
    found
}

/// A table keyed by channel name; channels left out keep their default.
pub(super) fn per_channel<T: Clone>(
    ctx: &mut Ctx,
    table: Fields,
    defaults: PerChannel<T>,
    mut read: impl FnMut(&mut Ctx, &Value, &T) -> Option<T>,
) -> PerChannel<T> {
    let mut values = defaults;
    for (name, key_span, value) in table.entries() {
        if let Some(c) = channel(ctx, name, &key_span, &value.path) {
            let default = values[c.index()].clone();
            values[c.index()] = read(ctx, &value, &default).unwrap_or(default);
        }
    }
    values
}

fn simulation(ctx: &mut Ctx, mut f: Fields) -> Simulation {
    let name = match f.require(ctx, "name", "name the scenario, e.g. name = \"Cart abandonment\"") {
        Some(v) => v.string(ctx).unwrap_or_default().to_owned(),
        None => String::new(),
    };
    let description = f.get("description").and_then(|v| v.string(ctx)).unwrap_or_default().to_owned();
    let seed = f.int_or(ctx, "seed", 1, 0, i64::MAX);
    let users = f.int_or(ctx, "users", 10_000, 1, i64::from(u32::MAX));
    let horizon_days = f.int_or(ctx, "horizon_days", 90, 1, MAX_HORIZON_DAYS);
    let start_date = f.get("start_date").and_then(|v| v.date(ctx)).unwrap_or(Date { year: 2026, month: 1, day: 5 });
    f.finish(ctx);
    Simulation { name, description, seed, users, horizon_days, start_date }
}

/// Default cost of one message per channel, in the scenario's currency:
/// push and in-app are nearly free, email ≈ 0.1 ¢ through an ESP, SMS ≈ 1 ¢.
const DEFAULT_MESSAGE_COST: PerChannel<f64> = [0.0001, 0.0, 0.001, 0.01];

fn economics(ctx: &mut Ctx, mut f: Fields) -> Economics {
    let order_value = f.float_or(ctx, "order_value", 50.0, Interval::POSITIVE);
    // CDNOW's Gamma–Gamma fit (Fader & Hardie 2013): CVs 0.76 across customers, 0.40 within.
    let customer_spread = f.float_or(ctx, "customer_spread", 0.76, Interval::closed(0.0, 3.0));
    let order_spread = f.float_or(ctx, "order_spread", 0.4, Interval::closed(0.0, 3.0));
    let margin = f.float_or(ctx, "margin", 0.4, Interval::PROBABILITY);
    let costs = f.table(ctx, "message_cost");
    let message_cost =
        per_channel(ctx, costs, DEFAULT_MESSAGE_COST, |ctx, v, _| v.float_in(ctx, Interval::NON_NEGATIVE));
    let currency = f.get("currency").and_then(|v| currency(ctx, &v)).unwrap_or_default();
    f.finish(ctx);
    Economics { order_value, customer_spread, order_spread, margin, message_cost, currency }
}

/// `[verdict] primary_metric = "retention_d30"`: one of the metrics a comparison reports; anything else is
/// reported with the allowed ids and the default (net margin per user) used.
fn verdict(ctx: &mut Ctx, mut f: Fields) -> VerdictSettings {
    let mut settings = VerdictSettings::default();
    if let Some(v) = f.get("primary_metric")
        && let Some(id) = v.string(ctx)
    {
        match crate::compare::PRIMARY_CHOICES.iter().find(|c| **c == id) {
            Some(known) => settings.primary_metric = known,
            None => {
                let allowed: Vec<String> = crate::compare::PRIMARY_CHOICES.iter().map(|c| format!("`{c}`")).collect();
                let hint = match suggest(id, crate::compare::PRIMARY_CHOICES) {
                    close if close.starts_with("did you mean") => format!("{close} Allowed: {}", allowed.join(", ")),
                    _ => format!("expected one of: {}", allowed.join(", ")),
                };
                let message = format!("unknown metric \"{id}\" for the verdict's primary_metric");
                ctx.report(DiagnosticKind::UnknownValue, &v.span(), &v.path, message, hint);
            }
        }
    }
    f.finish(ctx);
    settings
}

/// `currency = "EUR"`: an ISO 4217 code; anything else is reported and the default (USD) used.
fn currency(ctx: &mut Ctx, v: &Value) -> Option<Currency> {
    let text = v.string(ctx)?;
    let code = Currency::new(text);
    if code.is_none() {
        let message = format!("\"{text}\" is not a currency code");
        v.out_of_range(
            ctx,
            message,
            "write an ISO 4217 code of three capital letters, e.g. \"USD\", \"EUR\" or \"GBP\"",
        );
    }
    code
}

fn tracking(ctx: &mut Ctx, mut f: Fields) -> Tracking {
    let loss = f.float_or(ctx, "loss", 0.0, Interval::right_open(0.0, 1.0));
    let duplicate = f.float_or(ctx, "duplicate", 0.0, Interval::PROBABILITY);
    let delay_hours = f.float_or(ctx, "delay_hours", 0.0, Interval::NON_NEGATIVE);
    f.finish(ctx);
    Tracking { loss, duplicate, delay_hours }
}

fn predictions(ctx: &mut Ctx, mut f: Fields) -> Predictions {
    let mut score = |ctx: &mut Ctx, key, auc| {
        let mut s = f.table(ctx, key);
        let auc = s.float_or(ctx, "auc", auc, Interval::closed(0.5, 1.0));
        let half_users = s.get("half_users").and_then(|v| v.float_in(ctx, Interval::POSITIVE));
        s.finish(ctx);
        ScoreQuality { auc, half_users }
    };
    let churn_risk = score(ctx, "churn_risk", 0.75);
    let conversion_intent = score(ctx, "conversion_intent", 0.7);
    let lifetime_value = score(ctx, "lifetime_value", 0.7);
    let mut hour = f.table(ctx, "best_hour");
    let hit_rate = hour.float_or(ctx, "hit_rate", 0.4, Interval::PROBABILITY);
    let half_users = hour.get("half_users").and_then(|v| v.float_in(ctx, Interval::POSITIVE));
    hour.finish(ctx);
    f.finish(ctx);
    Predictions { churn_risk, conversion_intent, lifetime_value, best_hour: HourQuality { hit_rate, half_users } }
}
