//! The journey canvas: a journey of the editor's text as a graph, one
//! structure edit → new text, and the flow through each node and edge of a
//! stored run. The text stays the source of truth; these commands only read
//! it or return a new one.

use journeylab::api::{self, ChoiceSet, EditError, JourneyEdit, JourneyGraph, NodeType, RunResults, Slot};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::dto::{DiagnosticDto, FieldChoiceDto, FieldDto};
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::state::AppState;

/// One journey of the scenario, drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CanvasGraph {
    /// Every journey's name, in file order.
    pub journeys: Vec<String>,
    pub journey: u32,
    pub nodes: Vec<CanvasNode>,
    pub edges: Vec<CanvasEdge>,
    /// The journey's policies (paths `journey[i].policies.…`).
    pub policies: Vec<FieldDto>,
    /// Problems of the journey that are on no single node.
    pub diagnostics: Vec<DiagnosticDto>,
    /// The card size the auto-layout spaces nodes for.
    pub node_width: f64,
    pub node_height: f64,
    /// Every node and policy setting's choices by field pattern, also for a setting no node
    /// writes yet: the side panels' menus in the core's words.
    pub choice_sets: Vec<ChoiceSetDto>,
}

/// A setting's choices, from the core's field definitions.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ChoiceSetDto {
    /// The field pattern, e.g. `journey.node.delivery`, `journey.policies.on_cap`.
    pub pattern: String,
    /// The setting's title in the field definitions.
    pub title: String,
    pub choices: Vec<FieldChoiceDto>,
}

impl From<ChoiceSet> for ChoiceSetDto {
    fn from(s: ChoiceSet) -> Self {
        ChoiceSetDto {
            pattern: s.pattern,
            title: s.title,
            choices: s.choices.into_iter().map(FieldChoiceDto::from).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CanvasNode {
    pub id: String,
    /// `trigger`, `wait`, `branch`, `message`, `exit` or `unknown`.
    pub kind: String,
    pub summary: String,
    pub x: f64,
    pub y: f64,
    /// Whether the position is stored in the text (else the auto-layout's).
    pub placed: bool,
    pub fields: Vec<FieldDto>,
    pub diagnostics: Vec<DiagnosticDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CanvasEdge {
    pub from: String,
    pub to: String,
    pub slot: SlotDto,
    /// `yes`/`no` on a branch's edges, empty on `next`.
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SlotDto {
    Next,
    Yes,
    No,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum NodeTypeDto {
    Trigger,
    Wait,
    Branch,
    Message,
    Exit,
}

/// One edit of a journey's structure, as the canvas sends it.
#[derive(Clone, Debug, PartialEq, Deserialize, Type)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CanvasEdit {
    AddNode {
        kind: NodeTypeDto,
        x: Option<f64>,
        y: Option<f64>,
    },
    Connect {
        from: String,
        slot: SlotDto,
        to: String,
    },
    Disconnect {
        from: String,
        slot: SlotDto,
    },
    Move {
        node: String,
        x: f64,
        y: f64,
    },
    Delete {
        node: String,
    },
    /// `value` None removes the setting.
    SetNode {
        node: String,
        key: String,
        value: Option<String>,
    },
    /// `key` below `policies`, e.g. `caps.push.per_week`; `value` None removes it.
    SetPolicy {
        key: String,
        value: Option<String>,
    },
    /// A new id for the node; connections to it follow.
    RenameNode {
        node: String,
        to: String,
    },
    /// A new journey after the last one (`name` None: the core picks a free one).
    AddJourney {
        name: Option<String>,
    },
    /// A copy of the journey after the last one (`name` None: `<name> copy`).
    DuplicateJourney {
        name: Option<String>,
    },
    RenameJourney {
        name: String,
    },
    DeleteJourney,
}

/// Flow through one journey in a run.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct JourneyFlow {
    pub journey: String,
    pub nodes: Vec<NodeFlowDto>,
}

/// What happened at one node (counts over the whole run).
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct NodeFlowDto {
    pub node: String,
    pub entered: f64,
    pub sent: f64,
    pub converted: f64,
    pub dropped_by_caps: f64,
    pub dropped_by_quiet_hours: f64,
    pub opted_out: f64,
    pub edges: Vec<EdgeFlowDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct EdgeFlowDto {
    pub slot: String,
    pub to: String,
    pub moved: f64,
}

impl From<Slot> for SlotDto {
    fn from(s: Slot) -> Self {
        match s {
            Slot::Next => SlotDto::Next,
            Slot::Yes => SlotDto::Yes,
            Slot::No => SlotDto::No,
        }
    }
}

impl From<SlotDto> for Slot {
    fn from(s: SlotDto) -> Self {
        match s {
            SlotDto::Next => Slot::Next,
            SlotDto::Yes => Slot::Yes,
            SlotDto::No => Slot::No,
        }
    }
}

impl From<NodeTypeDto> for NodeType {
    fn from(t: NodeTypeDto) -> Self {
        match t {
            NodeTypeDto::Trigger => NodeType::Trigger,
            NodeTypeDto::Wait => NodeType::Wait,
            NodeTypeDto::Branch => NodeType::Branch,
            NodeTypeDto::Message => NodeType::Message,
            NodeTypeDto::Exit => NodeType::Exit,
        }
    }
}

impl From<CanvasEdit> for JourneyEdit {
    fn from(e: CanvasEdit) -> Self {
        match e {
            CanvasEdit::AddNode { kind, x, y } => JourneyEdit::AddNode { kind: kind.into(), position: x.zip(y) },
            CanvasEdit::Connect { from, slot, to } => JourneyEdit::Connect { from, slot: slot.into(), to },
            CanvasEdit::Disconnect { from, slot } => JourneyEdit::Disconnect { from, slot: slot.into() },
            CanvasEdit::Move { node, x, y } => JourneyEdit::Move { node, x, y },
            CanvasEdit::Delete { node } => JourneyEdit::Delete { node },
            CanvasEdit::SetNode { node, key, value } => JourneyEdit::SetNode { node, key, value },
            CanvasEdit::SetPolicy { key, value } => JourneyEdit::SetPolicy { key, value },
            CanvasEdit::RenameNode { node, to } => JourneyEdit::RenameNode { node, to },
            CanvasEdit::AddJourney { name } => JourneyEdit::AddJourney { name },
            CanvasEdit::DuplicateJourney { name } => JourneyEdit::DuplicateJourney { name },
            CanvasEdit::RenameJourney { name } => JourneyEdit::RenameJourney { name },
            CanvasEdit::DeleteJourney => JourneyEdit::DeleteJourney,
        }
    }
}

impl From<JourneyGraph> for CanvasGraph {
    fn from(g: JourneyGraph) -> Self {
        let nodes = g
            .nodes
            .into_iter()
            .map(|n| CanvasNode {
                id: n.id,
                kind: n.kind,
                summary: n.summary,
                x: n.position.0,
                y: n.position.1,
                placed: n.placed,
                fields: n.fields.into_iter().map(FieldDto::from).collect(),
                diagnostics: n.diagnostics.iter().map(DiagnosticDto::from).collect(),
            })
            .collect();
        CanvasGraph {
            journeys: g.journeys,
            journey: g.journey as u32,
            nodes,
            edges: g
                .edges
                .into_iter()
                .map(|e| CanvasEdge { from: e.from, to: e.to, slot: e.slot.into(), label: e.label })
                .collect(),
            policies: g.policies.into_iter().map(FieldDto::from).collect(),
            diagnostics: g.diagnostics.iter().map(DiagnosticDto::from).collect(),
            node_width: api::NODE_WIDTH,
            node_height: api::NODE_HEIGHT,
            choice_sets: g.choice_sets.into_iter().map(ChoiceSetDto::from).collect(),
        }
    }
}

/// A wrong journey or node is `not-found`; anything else the edit refuses is `edit.failed`.
fn edit_error(e: EditError) -> IpcError {
    match e {
        EditError::NoJourney(_) | EditError::NoNode { .. } => IpcError::new(ErrorCode::NotFound, e.to_string()),
        other => IpcError::from(other),
    }
}

/// Per-journey flow of a run's results, in journey order.
pub fn flows(results: &RunResults) -> Vec<JourneyFlow> {
    results
        .journeys
        .iter()
        .map(|j| JourneyFlow {
            journey: j.name.clone(),
            nodes: j
                .nodes
                .iter()
                .map(|n| NodeFlowDto {
                    node: n.node.clone(),
                    entered: n.entered as f64,
                    sent: n.sent as f64,
                    converted: n.converted as f64,
                    dropped_by_caps: n.dropped_by_caps as f64,
                    dropped_by_quiet_hours: n.dropped_by_quiet_hours as f64,
                    opted_out: n.opted_out as f64,
                    edges: n
                        .edges
                        .iter()
                        .map(|e| EdgeFlowDto { slot: e.slot.clone(), to: e.to.clone(), moved: e.moved as f64 })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Journey `journey` of the text as nodes and edges, each problem on its node.
#[tauri::command]
#[specta::specta]
pub fn canvas_graph(toml: String, journey: u32) -> IpcResult<CanvasGraph> {
    api::journey_graph(&toml, journey as usize).map(CanvasGraph::from).map_err(edit_error)
}

/// The text with one structure edit of journey `journey` applied.
#[tauri::command]
#[specta::specta]
pub fn canvas_edit(toml: String, journey: u32, edit: CanvasEdit) -> IpcResult<String> {
    api::edit_journey(&toml, journey as usize, &edit.into()).map_err(edit_error)
}

/// The flow through every node and edge of a stored run.
#[tauri::command]
#[specta::specta]
pub fn canvas_flow(state: State<'_, AppState>, id: f64) -> IpcResult<Vec<JourneyFlow>> {
    let (_, _, results) = state.store()?.run(id as i64)?;
    Ok(flows(&results))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = include_str!("../../simulations/cart_abandonment.toml");

    #[test]
    fn edits_arrive_as_tagged_json() {
        let edit: CanvasEdit =
            serde_json::from_value(serde_json::json!({"op": "add_node", "kind": "message", "x": 10.0, "y": 20.0}))
                .expect("reads");
        let text = canvas_edit(TEXT.to_owned(), 1, edit).expect("adds");
        assert!(text.contains("id = \"message_1\"") && text.contains("position = [10, 20]"));
        let connect = serde_json::json!({"op": "connect", "from": "remind", "slot": "next", "to": "message_1"});
        let text = canvas_edit(text, 1, serde_json::from_value(connect).expect("reads")).expect("connects");
        let graph = canvas_graph(text, 1).expect("graph");
        assert!(graph.edges.iter().any(|e| e.from == "remind" && e.to == "message_1" && e.slot == SlotDto::Next));
        let added = graph.nodes.iter().find(|n| n.id == "message_1").expect("drawn");
        assert_eq!((added.x, added.y, added.placed), (10.0, 20.0, true));
        assert!(!added.diagnostics.is_empty(), "its own `next` is still missing");
    }

    #[test]
    fn a_runs_flow_reaches_the_ui_per_node_and_edge() {
        let scenario = api::check_scenario(TEXT).expect("valid");
        let config = api::RunConfig { users: Some(500), days: Some(20), ..api::RunConfig::default() };
        let results = api::run(&scenario, &config, &|_| {}, &std::sync::atomic::AtomicBool::new(false)).expect("runs");
        let flows = flows(&results);
        assert_eq!(flows.len(), results.journeys.len());
        let reminder = flows.iter().find(|f| f.journey == "reminder").expect("the reminder journey");
        let ids: Vec<&str> = reminder.nodes.iter().map(|n| n.node.as_str()).collect();
        assert_eq!(ids, ["abandoned", "wait", "remind", "end"]);
        let remind = &reminder.nodes[2];
        let source = &results.journeys[1].nodes[2];
        assert_eq!(
            (remind.entered, remind.sent, remind.converted, remind.opted_out),
            (source.entered as f64, source.sent as f64, source.converted as f64, source.opted_out as f64)
        );
        assert_eq!(remind.edges.len(), 1);
        assert_eq!((remind.edges[0].slot.as_str(), remind.edges[0].to.as_str()), ("next", "end"));
        assert!(remind.entered > 0.0, "500 users abandon some carts in 20 days");
    }

    #[test]
    fn journeys_are_added_duplicated_renamed_and_deleted() {
        let edit = |text: String, journey: u32, op: serde_json::Value| {
            canvas_edit(text, journey, serde_json::from_value(op).expect("reads")).expect("applies")
        };
        let text = edit(TEXT.to_owned(), 0, serde_json::json!({"op": "add_journey", "name": null}));
        let text = edit(text, 1, serde_json::json!({"op": "duplicate_journey", "name": null}));
        let text = edit(text, 0, serde_json::json!({"op": "rename_journey", "name": "onboarding A"}));
        let text = edit(text, 1, serde_json::json!({"op": "rename_node", "node": "wait", "to": "wait_1h"}));
        let graph = canvas_graph(text.clone(), 1).expect("graph");
        let count = graph.journeys.len();
        assert_eq!(graph.journeys[0], "onboarding A");
        assert!(
            graph.journeys.ends_with(&["new journey".to_owned(), "reminder copy".to_owned()]),
            "{:?}",
            graph.journeys
        );
        assert!(graph.edges.iter().any(|e| e.from == "abandoned" && e.to == "wait_1h"));
        assert!(api::check_scenario(&text).is_ok(), "every step leaves a valid scenario");
        let text = edit(text, (count - 1) as u32, serde_json::json!({"op": "delete_journey"}));
        assert_eq!(canvas_graph(text, 0).expect("graph").journeys.len(), count - 1);
        let taken = CanvasEdit::RenameJourney { name: "onboarding A".into() };
        let refused = canvas_edit(
            edit(TEXT.to_owned(), 0, serde_json::json!({"op": "rename_journey", "name": "onboarding A"})),
            1,
            taken,
        )
        .expect_err("names are unique");
        assert_eq!(refused.code, ErrorCode::EditFailed);
        assert!(refused.message.contains("already a journey named"), "{}", refused.message);
    }

    #[test]
    fn errors_carry_a_stable_code() {
        let missing = canvas_edit(TEXT.to_owned(), 1, CanvasEdit::Delete { node: "nope".into() }).expect_err("fails");
        assert_eq!(missing.code, ErrorCode::NotFound);
        let exit = CanvasEdit::Connect { from: "end".into(), slot: SlotDto::Next, to: "wait".into() };
        let refused = canvas_edit(TEXT.to_owned(), 1, exit).expect_err("an exit has no next");
        assert_eq!(refused.code, ErrorCode::EditFailed);
        assert_eq!(canvas_graph(TEXT.to_owned(), 99).expect_err("no such journey").code, ErrorCode::NotFound);
    }
}
