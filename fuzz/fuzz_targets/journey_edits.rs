//! The canvas's journey edits: a valid scenario (one of the examples) and an
//! arbitrary sequence of [`JourneyEdit`]s. No edit panics; each result is TOML
//! that reads back as it was written, and the canvas's graph of the edited
//! journey carries exactly the diagnostics the reader gives for it.
#![no_main]

use arbitrary::Arbitrary;
use journeylab::api::{self, Diagnostic, DiagnosticKind, JourneyEdit, NodeType, Slot};
use libfuzzer_sys::fuzz_target;

const SCENARIOS: [&str; 9] = [
    include_str!("../../simulations/blast_vs_priority.toml"),
    include_str!("../../simulations/cart_abandonment.toml"),
    include_str!("../../simulations/churn_prevention.toml"),
    include_str!("../../simulations/discount_spiral.toml"),
    include_str!("../../simulations/experiment_aa.toml"),
    include_str!("../../simulations/experiment_ab.toml"),
    include_str!("../../simulations/experiment_revenue.toml"),
    include_str!("../../simulations/send_time.toml"),
    include_str!("../../tests/data/scenario_full.toml"),
];

/// Keys a node or a policy can hold besides the node grammar's ([`api::NODE_KEYS`]), and a few it cannot.
const MORE_KEYS: [&str; 9] = [
    "delivery",
    "goal",
    "on_cap",
    "quiet_hours",
    "holdout",
    "reentry",
    "caps.push.per_week",
    "caps.email.min_gap_hours",
    "caps.sms",
];

/// Values that are valid somewhere, invalid elsewhere, or not TOML at all.
const VALUES: [&str; 24] = [
    "0",
    "1",
    "-1",
    "24",
    "0.5",
    "1e999",
    "nan",
    "\"\"",
    "signup",
    "inactive",
    "schedule",
    "next_active",
    "best_hour",
    "sessions",
    "churn_risk",
    "discount",
    "[\"push\", \"email\"]",
    "[]",
    "{ start = 21, end = 8 }",
    "{ per_day = 1 }",
    "true",
    "blast",
    "[1, 2]",
    "x = ",
];

/// A node named by its index among the journey's nodes, or by an arbitrary id.
#[derive(Arbitrary, Debug)]
enum NodeRef {
    Index(u8),
    Id(String),
}

#[derive(Arbitrary, Debug)]
enum Text {
    Known(u8),
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Add { kind: u8, position: Option<(f64, f64)> },
    Connect { from: NodeRef, slot: u8, to: NodeRef },
    Disconnect { from: NodeRef, slot: u8 },
    Move { node: NodeRef, x: f64, y: f64 },
    Delete { node: NodeRef },
    SetNode { node: NodeRef, key: Text, value: Option<Text> },
    SetPolicy { key: Text, value: Option<Text> },
}

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: u8,
    journey: u8,
    edits: Vec<Edit>,
}

/// Every key a node or a policy can hold, and a few it cannot.
fn keys() -> Vec<&'static str> {
    api::NODE_KEYS.iter().chain(&MORE_KEYS).copied().collect()
}

fn pick(list: &[&str], text: &Text) -> String {
    match text {
        Text::Known(i) => list[usize::from(*i) % list.len()].to_owned(),
        Text::Any(s) => s.clone(),
    }
}

/// The edit as the canvas would send it, with nodes resolved against the current ids.
fn resolve(edit: &Edit, ids: &[String]) -> JourneyEdit {
    let node = |r: &NodeRef| match r {
        NodeRef::Index(i) if !ids.is_empty() => ids[usize::from(*i) % ids.len()].clone(),
        NodeRef::Index(i) => format!("node_{i}"),
        NodeRef::Id(id) => id.clone(),
    };
    let slot = |s: u8| Slot::ALL[usize::from(s) % Slot::ALL.len()];
    match edit {
        Edit::Add { kind, position } => {
            JourneyEdit::AddNode { kind: NodeType::ALL[usize::from(*kind) % NodeType::ALL.len()], position: *position }
        }
        Edit::Connect { from, slot: s, to } => JourneyEdit::Connect { from: node(from), slot: slot(*s), to: node(to) },
        Edit::Disconnect { from, slot: s } => JourneyEdit::Disconnect { from: node(from), slot: slot(*s) },
        Edit::Move { node: n, x, y } => JourneyEdit::Move { node: node(n), x: *x, y: *y },
        Edit::Delete { node: n } => JourneyEdit::Delete { node: node(n) },
        Edit::SetNode { node: n, key, value } => JourneyEdit::SetNode {
            node: node(n),
            key: pick(&keys(), key),
            value: value.as_ref().map(|v| pick(&VALUES, v)),
        },
        Edit::SetPolicy { key, value } => {
            JourneyEdit::SetPolicy { key: pick(&keys(), key), value: value.as_ref().map(|v| pick(&VALUES, v)) }
        }
    }
}

/// Sorted for comparison as a multiset.
fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<String> {
    let mut listing: Vec<String> = diagnostics.drain(..).map(|d| format!("{d} [{:?}]", d.kind)).collect();
    listing.sort();
    listing
}

/// The properties every text an edit returns must have.
fn check(text: &str, journey: usize) {
    let reparsed: toml_edit::DocumentMut = text.parse().unwrap_or_else(|e| panic!("an edit wrote invalid TOML: {e}"));
    assert_eq!(reparsed.to_string(), text, "the edited text does not read back as written");
    let diagnostics = api::check_scenario(text).err().unwrap_or_default();
    assert!(
        diagnostics.iter().all(|d| d.kind != DiagnosticKind::Syntax),
        "the reader rejects TOML the editor wrote: {diagnostics:?}"
    );
    let Ok(graph) = api::journey_graph(text, journey) else { return };
    let prefix = format!("journey[{journey}]");
    let on = |path: &str| {
        path == prefix || path.starts_with(&format!("{prefix}.")) || path.starts_with(&format!("{prefix}["))
    };
    let expected = sorted(diagnostics.into_iter().filter(|d| on(&d.path)).collect());
    let mut shown = graph.diagnostics.clone();
    shown.extend(graph.nodes.iter().flat_map(|n| n.diagnostics.iter().cloned()));
    assert_eq!(sorted(shown), expected, "the canvas shows other diagnostics than the reader gives");
}

fuzz_target!(|input: Input| {
    let mut text = SCENARIOS[usize::from(input.scenario) % SCENARIOS.len()].to_owned();
    let journeys = api::check_scenario(&text).map(|s| s.journeys.len()).unwrap_or(1);
    let journey = usize::from(input.journey) % journeys;
    for edit in input.edits.iter().take(16) {
        let ids: Vec<String> =
            api::journey_graph(&text, journey).map(|g| g.nodes.into_iter().map(|n| n.id).collect()).unwrap_or_default();
        let edit = resolve(edit, &ids);
        if let Ok(edited) = api::edit_journey(&text, journey, &edit) {
            check(&edited, journey);
            text = edited;
        }
    }
});
