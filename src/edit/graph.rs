//! A journey as the canvas draws it: nodes (kind, a one-line summary of their
//! settings, position, diagnostics) and edges (`next`, `yes`, `no`). Built
//! from the text itself, not from the validated model, so that an invalid
//! journey is still drawn, with each problem on its node.

use serde::Serialize;
use toml_edit::{Item, Table};

use super::fields::{ChoiceSet, Field, fields_of, journey_choice_sets};
use super::journey::{NodeType, Slot};
use super::layout::{Place, layout};
use super::{EditError, document};
use crate::scenario::Diagnostic;
use crate::scenario::definitions;
use crate::vocabulary::upper_first;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JourneyGraph {
    /// Every journey's name, in file order (for a selector).
    pub journeys: Vec<String>,
    /// Index of the journey drawn.
    pub journey: usize,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// The journey's policies as fields (paths `journey[i].policies.…`).
    pub policies: Vec<Field>,
    /// Problems of the journey that belong to no single node (no trigger, policies).
    pub diagnostics: Vec<Diagnostic>,
    /// Every node and policy setting's choices, whether or not the journey sets it: the side
    /// panels' menus say what the form says.
    pub choice_sets: Vec<ChoiceSet>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphNode {
    /// The node's `id` (empty if the file gives none).
    pub id: String,
    /// `trigger`, `wait`, `branch`, `message`, `exit`, or `unknown`.
    pub kind: String,
    /// What the node does, in a few words: "Wait 4 h", "Reminder · push → email".
    pub summary: String,
    pub position: (f64, f64),
    /// Whether the position is written in the file (else it is the auto-layout's).
    pub placed: bool,
    /// The node's settings (paths `journey[i].node[n].…`), connections and position included.
    pub fields: Vec<Field>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub slot: Slot,
    /// "yes"/"no" on a branch's edges, empty on `next`.
    pub label: String,
}

/// Journey `journey` of `text` as a graph, each validation problem of the
/// text (from `scenario::read`) given to the node it concerns.
pub fn journey_graph(text: &str, journey: usize) -> Result<JourneyGraph, EditError> {
    let doc = document(text)?;
    let diagnostics = crate::scenario::read(text).err().unwrap_or_default();
    let journeys = match doc.get("journey") {
        Some(Item::ArrayOfTables(journeys)) => journeys,
        Some(_) => return Err(EditError::NotEditable("`journey`".into())),
        None => return Err(EditError::NoJourney(journey)),
    };
    let names = journeys.iter().map(|j| j.get("name").and_then(Item::as_str).unwrap_or("").to_owned()).collect();
    let table = journeys.get(journey).ok_or(EditError::NoJourney(journey))?;
    let prefix = format!("journey[{journey}]");
    let tables: Vec<&Table> = match table.get("node") {
        Some(Item::ArrayOfTables(nodes)) => nodes.iter().collect(),
        Some(_) => return Err(EditError::NotEditable(format!("{prefix}.node"))),
        None => Vec::new(),
    };
    let ids: Vec<&str> = tables.iter().map(|t| t.get("id").and_then(Item::as_str).unwrap_or("")).collect();
    let mut edges = Vec::new();
    let mut places = Vec::new();
    for (table, from) in tables.iter().zip(&ids) {
        let kind = table.get("type").and_then(Item::as_str).and_then(NodeType::from_name);
        let mut targets = Vec::new();
        for slot in kind.map_or(&[][..], NodeType::slots) {
            let Some(to) = table.get(slot.key()).and_then(Item::as_str) else { continue };
            let Some(index) = ids.iter().position(|id| *id == to && !to.is_empty()) else { continue };
            targets.push(index);
            let label = if *slot == Slot::Next { String::new() } else { slot.key().to_owned() };
            edges.push(GraphEdge { from: (*from).to_owned(), to: to.to_owned(), slot: *slot, label });
        }
        let stored = table.get("position").and_then(position);
        places.push(Place { stored, targets, is_trigger: kind == Some(NodeType::Trigger) });
    }
    let positions = layout(&places);
    let on =
        |path: &str, at: &str| path == at || path.starts_with(&format!("{at}.")) || path.starts_with(&format!("{at}["));
    let nodes = tables
        .iter()
        .enumerate()
        .map(|(n, table)| {
            let path = format!("{prefix}.node[{n}]");
            let kind = table.get("type").and_then(Item::as_str).and_then(NodeType::from_name);
            GraphNode {
                id: ids[n].to_owned(),
                kind: kind.map_or("unknown", NodeType::name).to_owned(),
                summary: kind.map_or_else(|| "Unknown node type".to_owned(), |k| summary(k, table)),
                position: positions[n],
                placed: places[n].stored.is_some(),
                fields: fields_of(table, &path),
                diagnostics: diagnostics.iter().filter(|d| on(&d.path, &path)).cloned().collect(),
            }
        })
        .collect();
    let node_prefix = format!("{prefix}.node[");
    let policies = match table.get("policies").and_then(Item::as_table) {
        Some(p) => fields_of(p, &format!("{prefix}.policies")),
        None => Vec::new(),
    };
    let diagnostics =
        diagnostics.iter().filter(|d| on(&d.path, &prefix) && !d.path.starts_with(&node_prefix)).cloned().collect();
    Ok(JourneyGraph {
        journeys: names,
        journey,
        nodes,
        edges,
        policies,
        diagnostics,
        choice_sets: journey_choice_sets(),
    })
}

/// One journey as the form lists it: its steps in file order, each in the canvas's words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JourneyOutline {
    pub name: String,
    pub steps: Vec<OutlineStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutlineStep {
    pub id: String,
    /// `trigger`, `wait`, `branch`, `message`, `exit`, or `unknown`.
    pub kind: String,
    /// The canvas card's summary of the step ([`GraphNode::summary`]).
    pub summary: String,
    /// Where it goes next: "done", or "yes: done · no: next_visit" on a branch.
    pub then: String,
}

/// Every journey of `text` as a list of its steps, summarised as the canvas summarises them.
pub fn journey_outlines(text: &str) -> Result<Vec<JourneyOutline>, EditError> {
    let doc = document(text)?;
    let Some(Item::ArrayOfTables(journeys)) = doc.get("journey") else { return Ok(Vec::new()) };
    Ok(journeys
        .iter()
        .map(|journey| {
            let nodes = match journey.get("node") {
                Some(Item::ArrayOfTables(nodes)) => nodes.iter().collect(),
                _ => Vec::new(),
            };
            let steps = nodes
                .into_iter()
                .map(|table| {
                    let kind = table.get("type").and_then(Item::as_str).and_then(NodeType::from_name);
                    let targets: Vec<(Slot, &str)> = kind
                        .map_or(&[][..], NodeType::slots)
                        .iter()
                        .filter_map(|slot| Some((*slot, table.get(slot.key()).and_then(Item::as_str)?)))
                        .collect();
                    let then = match targets.as_slice() {
                        [(Slot::Next, to)] => (*to).to_owned(),
                        several => several
                            .iter()
                            .map(|(slot, to)| format!("{}: {to}", slot.key()))
                            .collect::<Vec<_>>()
                            .join(" · "),
                    };
                    OutlineStep {
                        id: table.get("id").and_then(Item::as_str).unwrap_or("").to_owned(),
                        kind: kind.map_or("unknown", NodeType::name).to_owned(),
                        summary: kind.map_or_else(|| "Unknown node type".to_owned(), |k| summary(k, table)),
                        then,
                    }
                })
                .collect();
            JourneyOutline { name: journey.get("name").and_then(Item::as_str).unwrap_or("").to_owned(), steps }
        })
        .collect())
}

fn position(item: &Item) -> Option<(f64, f64)> {
    let array = item.as_array()?;
    let number = |i: usize| {
        let v = array.get(i)?;
        v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
    };
    (array.len() == 2).then_some(())?;
    Some((number(0)?, number(1)?))
}

/// A few words on what a node does, from its settings as written.
fn summary(kind: NodeType, t: &Table) -> String {
    let text = |key: &str| t.get(key).and_then(Item::as_str);
    let int = |key: &str| t.get(key).and_then(Item::as_integer);
    let float = |key: &str| t.get(key).and_then(|i| i.as_float().or_else(|| i.as_integer().map(|v| v as f64)));
    let or = |v: Option<i64>, default: i64| v.unwrap_or(default);
    match kind {
        NodeType::Trigger => match text("event") {
            Some("signup") => "When a user signs up".to_owned(),
            Some("cart_abandoned") => "When a cart is abandoned".to_owned(),
            Some("purchase") => "After a purchase".to_owned(),
            Some("inactive") => format!("After {} days without a visit", or(int("days"), 0)),
            Some("schedule") => format!(
                "Every {} days from day {}, at {:02}:00 ({})",
                or(int("every_days"), 7),
                or(int("first_day"), 0),
                or(int("hour"), 0),
                text("clock").unwrap_or("home")
            ),
            _ => "Choose an event".to_owned(),
        },
        NodeType::Wait => match (text("until"), int("hours")) {
            (Some("next_active"), _) => format!("Until the next visit (at most {} h)", or(int("max_hours"), 72)),
            (Some("best_hour"), _) => "Until the best send hour".to_owned(),
            (_, Some(hours)) if hours % 24 == 0 && hours >= 48 => format!("Wait {} days", hours / 24),
            (_, Some(hours)) => format!("Wait {hours} h"),
            _ => "Choose how long to wait".to_owned(),
        },
        NodeType::Branch => match (text("if"), text("score")) {
            (Some("sessions"), _) => {
                format!("At least {} visit(s) in {} days?", or(int("at_least"), 1), or(int("days"), 7))
            }
            (Some("feature_adopted"), _) => "Adopted the key feature?".to_owned(),
            (Some("opened_last_message"), _) => "Opened the last message?".to_owned(),
            (None, Some(score)) => {
                let name =
                    definitions::choice_label("journey.node.score", score).map_or_else(|| humanise(score), upper_first);
                format!("{name} above {:.0}th percentile?", float("above").unwrap_or(0.0) * 100.0)
            }
            _ => "Choose a condition".to_owned(),
        },
        NodeType::Message => {
            let channels: Vec<&str> = t
                .get("channels")
                .and_then(Item::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let what = match text("content") {
                Some("discount") => format!("{:.0}% off", float("depth").unwrap_or(0.0) * 100.0),
                Some(content) => definitions::choice_label("journey.node.content", content)
                    .map_or_else(|| humanise(content), str::to_owned),
                None => "Choose content".to_owned(),
            };
            let names: Vec<&str> = channels.iter().map(|c| definitions::channel_label(c).unwrap_or(c)).collect();
            match names.as_slice() {
                [] => format!("{what} · choose channels"),
                [one] => format!("{what} · {one}"),
                several => {
                    // The delivery's words are the form's and the canvas panel's: one table.
                    let delivery = text("delivery").unwrap_or("priority");
                    let how = definitions::choice_label("journey.node.delivery", delivery).unwrap_or(delivery);
                    format!("{what} · {} · {how}", several.join(", "))
                }
            }
        }
        NodeType::Exit => match text("goal") {
            Some(goal) => format!("Goal: {goal}"),
            None => "End of the journey".to_owned(),
        },
    }
}

/// `churn_risk` → "Churn risk".
fn humanise(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
