//! `[experiment]`: an A/B test between two journeys of the scenario.

use super::fields::{Ctx, Fields, Interval, suggest};
use super::journey::ReadJourney;
use super::{DiagnosticKind, Experiment, Guardrail, Looks, Metric};
use crate::stats::method::Method;

const METRICS: [(&str, Metric); 4] = [
    ("conversion", Metric::Conversion),
    ("retention", Metric::Retention),
    ("revenue", Metric::Revenue),
    ("margin", Metric::Margin),
];

const GUARDRAILS: [(&str, Guardrail); 2] = [("opt_out", Guardrail::OptOut), ("uninstall", Guardrail::Uninstall)];

/// Reads `[experiment]` if the file has one; `journeys` are the already-read designs.
pub(super) fn experiment(ctx: &mut Ctx, mut f: Fields, journeys: &[ReadJourney], horizon_days: u32) -> Experiment {
    let arms = arms(ctx, &mut f, journeys);
    let allocation = allocation(ctx, &mut f);
    let holdout = f.float_or(ctx, "holdout", 0.0, Interval::right_open(0.0, 1.0));
    let metric = f.get("metric").and_then(|v| v.choice(ctx, &METRICS, DiagnosticKind::UnknownValue));
    let max_window = i64::from(horizon_days.saturating_sub(1).max(1));
    let window_days: u32 = f.int_or(ctx, "window_days", 7u32.min(horizon_days.saturating_sub(1).max(1)), 1, max_window);
    let guardrails = match f.get("guardrails") {
        Some(v) => v
            .array(ctx)
            .unwrap_or_default()
            .iter()
            .filter_map(|g| g.choice(ctx, &GUARDRAILS, DiagnosticKind::UnknownValue))
            .collect(),
        None => vec![Guardrail::OptOut, Guardrail::Uninstall],
    };
    let looks = looks(ctx, &mut f, horizon_days);
    let method = match f.get("method") {
        Some(v) => v.string(ctx).and_then(|text| match Method::parse(text) {
            Ok(method) => Some(method),
            Err(message) => {
                let hint = "e.g. \"gst:obf\", \"naive\", \"msprt\", \"cs\" or \"bayes:0.95\"";
                ctx.report(DiagnosticKind::UnknownValue, &v.span(), &v.path, message, hint);
                None
            }
        }),
        None => None,
    };
    let alpha = f.float_or(ctx, "alpha", 0.05, Interval::open(0.0, 1.0));
    let power = f.float_or(ctx, "power", 0.8, Interval::open(0.0, 1.0));
    let mde = f.float_or(ctx, "mde", 0.01, Interval::POSITIVE);
    let mde_relative = f.get("mde_relative").and_then(|v| v.boolean(ctx)).unwrap_or(false);
    f.finish(ctx);
    Experiment {
        arms,
        allocation,
        holdout,
        metric: metric.unwrap_or(Metric::Conversion),
        window_days,
        guardrails,
        looks,
        method: method.unwrap_or_else(Method::default_gst),
        alpha,
        power,
        mde,
        mde_relative,
    }
}

/// `arms = ["control", "treatment"]`: two distinct journeys with the same trigger.
/// Triggers are compared only between journeys that read as designs: a journey
/// without one has its own diagnostic.
fn arms(ctx: &mut Ctx, f: &mut Fields, journeys: &[ReadJourney]) -> [usize; 2] {
    let hint = "name two journeys of this file: arms = [\"control journey\", \"treatment journey\"]";
    let Some(value) = f.require(ctx, "arms", hint) else { return [0, 0] };
    let Some(items) = value.array(ctx) else { return [0, 0] };
    if items.len() != 2 {
        value.out_of_range(ctx, format!("{} arm(s) given; an experiment compares exactly two", items.len()), hint);
        return [0, 0];
    }
    let mut found = [None, None];
    for (slot, item) in found.iter_mut().zip(&items) {
        let Some(name) = item.string(ctx) else { continue };
        *slot = journeys.iter().position(|j| j.name == name);
        if slot.is_none() {
            let hint = suggest(name, journeys.iter().map(|j| j.name.as_str()));
            ctx.report(
                DiagnosticKind::DanglingReference,
                &item.span(),
                &item.path,
                format!("no journey named \"{name}\""),
                hint,
            );
        }
    }
    let [Some(a), Some(b)] = found else { return [0, 0] };
    let triggers =
        journeys[a].design.as_ref().zip(journeys[b].design.as_ref()).map(|(x, y)| (x.trigger(), y.trigger()));
    if a == b {
        value.out_of_range(
            ctx,
            "both arms are the same journey",
            "name two different journeys (an A/A test needs two identical copies)",
        );
    } else if triggers.is_some_and(|(x, y)| x != y) {
        value.out_of_range(
            ctx,
            format!("\"{}\" and \"{}\" start with different triggers", journeys[a].name, journeys[b].name),
            "the arms of an experiment enrol users on the same trigger; make both journeys start with the same event",
        );
    }
    [a, b]
}

/// `allocation = [0.5, 0.5]`: positive shares summing to 1.
fn allocation(ctx: &mut Ctx, f: &mut Fields) -> [f64; 2] {
    let Some(value) = f.get("allocation") else { return [0.5, 0.5] };
    let shares: Vec<f64> =
        value.array(ctx).unwrap_or_default().iter().filter_map(|v| v.float_in(ctx, Interval::open(0.0, 1.0))).collect();
    match shares.as_slice() {
        [a, b] if ((a + b) - 1.0).abs() <= 1e-9 => [*a, *b],
        [a, b] => {
            let hint = "make the two shares add up to 1, e.g. [0.5, 0.5]";
            ctx.report(
                DiagnosticKind::SharesSum,
                &value.span(),
                &value.path,
                format!("shares add up to {}", a + b),
                hint,
            );
            [0.5, 0.5]
        }
        _ => {
            value.out_of_range(ctx, "allocation needs one share per arm", "write two shares, e.g. [0.5, 0.5]");
            [0.5, 0.5]
        }
    }
}

/// `looks = "daily"` or `looks = [7, 14, 21]`.
fn looks(ctx: &mut Ctx, f: &mut Fields, horizon_days: u32) -> Looks {
    let Some(value) = f.get("looks") else { return Looks::Daily };
    if value.is_array() {
        let days: Vec<u32> = value
            .array(ctx)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.int_in(ctx, 1, i64::from(horizon_days)))
            .collect();
        if days.is_empty() || days.windows(2).any(|w| w[1] <= w[0]) {
            value.out_of_range(
                ctx,
                "look days must be a non-empty, strictly increasing list",
                "e.g. looks = [7, 14, 21, 28]",
            );
            return Looks::Daily;
        }
        return Looks::Days(days);
    }
    match value.string(ctx) {
        Some("daily") => Looks::Daily,
        Some(other) => {
            let message = format!("unknown value \"{other}\"");
            ctx.report(
                DiagnosticKind::UnknownValue,
                &value.span(),
                &value.path,
                message,
                "use \"daily\" or a list of days",
            );
            Looks::Daily
        }
        None => Looks::Daily,
    }
}
