//! The journey canvas's structure edits on the scenario text: add, connect,
//! disconnect, move, rename, delete a node, change a node's setting or a policy,
//! and add, duplicate, rename or delete a whole journey ([`super::journeys`]). Each
//! returns the whole new text; everything the edit does not touch is kept byte
//! for byte. Validation is not repeated here: the edited text is read again by
//! `scenario::read` like any other, so an edit that leaves a journey
//! incomplete (a new node not yet connected) shows up as diagnostics.

use serde::{Deserialize, Serialize};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::fields::parse_as;
use super::{EditError, document, journeys};
use crate::scenario::grammar::{BRANCH_CONDITION_KEYS, DISCOUNT_KEYS, STRUCTURAL_KEYS, TRIGGER_EVENT_KEYS};

pub use crate::scenario::grammar::{NodeType, Slot};

/// The settings a new node starts with: valid values, so only its
/// connections are left to make.
fn defaults(kind: NodeType) -> Vec<(&'static str, Value)> {
    match kind {
        NodeType::Trigger => vec![("event", "signup".into())],
        NodeType::Wait => vec![("hours", 24.into())],
        NodeType::Branch => vec![("if", "opened_last_message".into())],
        NodeType::Message => {
            vec![("content", "reminder".into()), ("channels", Value::Array(Array::from_iter(["push", "email"])))]
        }
        NodeType::Exit => Vec::new(),
    }
}

/// One edit of one journey's structure. Nodes are named by their `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum JourneyEdit {
    /// A new node with default settings and a fresh id (`message_1`, …), after the journey's last node.
    AddNode {
        kind: NodeType,
        position: Option<(f64, f64)>,
    },
    /// Sets `from`'s `next` (or a branch's `yes`/`no`) to `to`.
    Connect {
        from: String,
        slot: Slot,
        to: String,
    },
    Disconnect {
        from: String,
        slot: Slot,
    },
    /// Stores `position = [x, y]` (rounded to whole units) in the node's table.
    Move {
        node: String,
        x: f64,
        y: f64,
    },
    /// Removes the node and every `next`/`yes`/`no` that named it.
    Delete {
        node: String,
    },
    /// Gives the node the id `to` (unique in its journey) and points every `next`/`yes`/`no` that named it there.
    RenameNode {
        node: String,
        to: String,
    },
    /// Sets (or with None removes) one setting of a node, e.g. `hours` or `channels`
    /// (a list as TOML text). Switching a node's form (`until`, `if`, `event`,
    /// `content`) drops the settings of the old form and adds the new one's required defaults.
    SetNode {
        node: String,
        key: String,
        value: Option<String>,
    },
    /// Sets (or removes) one policy by its path below `policies`, e.g. `on_cap`,
    /// `caps.push.per_week` or `quiet_hours` (an inline table as TOML text).
    SetPolicy {
        key: String,
        value: Option<String>,
    },
    /// A new journey after the last one (the journey index is not used): a signup trigger
    /// connected to an exit, named `name` or, without one, `new journey` (`new journey 2`, …).
    AddJourney {
        name: Option<String>,
    },
    /// A copy of the journey (nodes, positions, policies) after the last one, named `name`
    /// or, without one, `<name> copy` (`<name> copy 2`, …).
    DuplicateJourney {
        name: Option<String>,
    },
    /// Renames the journey (names are unique); `[experiment] arms` that named it follow.
    RenameJourney {
        name: String,
    },
    /// Removes the journey; refused for the only journey and for an arm of `[experiment]`.
    DeleteJourney,
}

/// `text` with `edit` applied to journey `journey` (index in file order).
pub fn apply(text: &str, journey: usize, edit: &JourneyEdit) -> Result<String, EditError> {
    let mut doc = document(text)?;
    match edit {
        JourneyEdit::AddNode { kind, position } => {
            add_node(journey_table(&mut doc, journey)?, journey, *kind, *position)?
        }
        JourneyEdit::Connect { from, slot, to } => {
            let nodes = nodes_mut(journey_table(&mut doc, journey)?, journey)?;
            find(nodes, journey, to)?;
            let node = slot_owner(nodes, journey, from, *slot)?;
            set_value(node, slot.key(), Value::from(to.as_str()));
        }
        JourneyEdit::Disconnect { from, slot } => {
            let node = slot_owner(nodes_mut(journey_table(&mut doc, journey)?, journey)?, journey, from, *slot)?;
            node.remove(slot.key());
        }
        JourneyEdit::Move { node, x, y } => {
            let at = Array::from_iter([x.round() as i64, y.round() as i64]);
            set_value(
                node_mut(nodes_mut(journey_table(&mut doc, journey)?, journey)?, journey, node)?,
                "position",
                Value::Array(at),
            );
        }
        JourneyEdit::Delete { node } => {
            let nodes = nodes_mut(journey_table(&mut doc, journey)?, journey)?;
            let index = find(nodes, journey, node)?;
            nodes.remove(index);
            for other in nodes.iter_mut() {
                for slot in Slot::ALL {
                    if other.get(slot.key()).and_then(Item::as_str) == Some(node.as_str()) {
                        other.remove(slot.key());
                    }
                }
            }
        }
        JourneyEdit::RenameNode { node, to } => {
            rename_node(nodes_mut(journey_table(&mut doc, journey)?, journey)?, journey, node, to)?
        }
        JourneyEdit::SetNode { node, key, value } => {
            if STRUCTURAL_KEYS.contains(&key.as_str()) {
                return Err(EditError::Reserved(key.clone()));
            }
            set_setting(
                node_mut(nodes_mut(journey_table(&mut doc, journey)?, journey)?, journey, node)?,
                key,
                value.as_deref(),
            );
        }
        JourneyEdit::SetPolicy { key, value } => {
            set_policy(journey_table(&mut doc, journey)?, journey, key, value.as_deref())?
        }
        JourneyEdit::AddJourney { name } => journeys::add(&mut doc, name.as_deref())?,
        JourneyEdit::DuplicateJourney { name } => journeys::duplicate(&mut doc, journey, name.as_deref())?,
        JourneyEdit::RenameJourney { name } => journeys::rename(&mut doc, journey, name)?,
        JourneyEdit::DeleteJourney => journeys::delete(&mut doc, journey)?,
    }
    Ok(doc.to_string())
}

fn rename_node(nodes: &mut ArrayOfTables, journey: usize, id: &str, to: &str) -> Result<(), EditError> {
    let to = to.trim();
    if to.is_empty() {
        return Err(EditError::EmptyName("node id"));
    }
    let index = find(nodes, journey, id)?;
    if to == id {
        return Ok(());
    }
    if find(nodes, journey, to).is_ok() {
        return Err(EditError::Taken { what: "node", name: to.to_owned() });
    }
    for (i, node) in nodes.iter_mut().enumerate() {
        if i == index {
            set_value(node, "id", Value::from(to));
        }
        for slot in Slot::ALL {
            if node.get(slot.key()).and_then(Item::as_str) == Some(id) {
                set_value(node, slot.key(), Value::from(to));
            }
        }
    }
    Ok(())
}

pub(super) fn journey_table(doc: &mut DocumentMut, journey: usize) -> Result<&mut Table, EditError> {
    match doc.get_mut("journey") {
        Some(Item::ArrayOfTables(journeys)) => journeys.get_mut(journey).ok_or(EditError::NoJourney(journey)),
        Some(_) => Err(EditError::NotEditable("`journey`".into())),
        None => Err(EditError::NoJourney(journey)),
    }
}

fn nodes_mut(table: &mut Table, journey: usize) -> Result<&mut ArrayOfTables, EditError> {
    if !table.contains_key("node") {
        table.insert("node", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match table.get_mut("node") {
        Some(Item::ArrayOfTables(nodes)) => Ok(nodes),
        _ => Err(EditError::NotEditable(format!("journey[{journey}].node"))),
    }
}

fn find(nodes: &ArrayOfTables, journey: usize, id: &str) -> Result<usize, EditError> {
    nodes
        .iter()
        .position(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| EditError::NoNode { journey, id: id.to_owned() })
}

fn node_mut<'a>(nodes: &'a mut ArrayOfTables, journey: usize, id: &str) -> Result<&'a mut Table, EditError> {
    nodes
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| EditError::NoNode { journey, id: id.to_owned() })
}

/// The node `id`, checked to have `slot` (a branch has yes/no, an exit nothing).
fn slot_owner<'a>(
    nodes: &'a mut ArrayOfTables,
    journey: usize,
    id: &str,
    slot: Slot,
) -> Result<&'a mut Table, EditError> {
    let node = node_mut(nodes, journey, id)?;
    let kind = node.get("type").and_then(Item::as_str).unwrap_or("unknown");
    match NodeType::from_name(kind) {
        Some(t) if t.slots().contains(&slot) => Ok(node),
        _ => Err(EditError::NoSlot { kind: kind.to_owned(), slot: slot.key() }),
    }
}

/// Replaces the value at `key` keeping its surrounding whitespace and comment, or appends it.
pub(super) fn set_value(table: &mut dyn TableLike, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Input for a key that is not written yet: TOML if it reads as a value, else text.
pub(super) fn parse_new(input: &str) -> Value {
    let input = input.trim();
    input.parse::<Value>().unwrap_or_else(|_| Value::from(input))
}

fn set_setting(node: &mut Table, key: &str, value: Option<&str>) {
    let Some(input) = value else {
        node.remove(key);
        return;
    };
    let new = match node.get(key).and_then(Item::as_value) {
        Some(old) => parse_as(old, input),
        None => parse_new(input),
    };
    let choice = new.as_str().map(str::to_owned);
    set_value(node, key, new);
    let kind = node.get("type").and_then(Item::as_str).and_then(NodeType::from_name);
    let (drop, add) = form_switch(kind, key, choice.as_deref());
    for k in drop {
        node.remove(k);
    }
    for (k, v) in add {
        if !node.contains_key(k) {
            node.insert(k, Item::Value(v));
        }
    }
}

/// What choosing `value` for `key` drops (the old form's settings) and needs
/// (the new form's required settings, with defaults), per docs/scenarios.md.
fn form_switch(
    kind: Option<NodeType>,
    key: &str,
    value: Option<&str>,
) -> (&'static [&'static str], Vec<(&'static str, Value)>) {
    match (kind, key, value) {
        (Some(NodeType::Trigger), "event", event) => (
            &TRIGGER_EVENT_KEYS,
            match event {
                Some("inactive") => vec![("days", 7.into())],
                Some("schedule") => vec![("hour", 9.into())],
                _ => Vec::new(),
            },
        ),
        (Some(NodeType::Wait), "until", Some("best_hour")) => (&["hours", "max_hours"], Vec::new()),
        (Some(NodeType::Wait), "until", _) => (&["hours"], Vec::new()),
        (Some(NodeType::Wait), "hours", _) => (&["until", "max_hours"], Vec::new()),
        (Some(NodeType::Branch), "if", Some("sessions")) => (&["score", "above"], Vec::new()),
        (Some(NodeType::Branch), "if", _) => (&BRANCH_CONDITION_KEYS, Vec::new()),
        (Some(NodeType::Branch), "score", _) => (&["if", "days", "at_least"], vec![("above", 0.7.into())]),
        (Some(NodeType::Message), "content", Some("discount")) => (&[], vec![("depth", 0.2.into())]),
        (Some(NodeType::Message), "content", _) => (&DISCOUNT_KEYS, Vec::new()),
        _ => (&[], Vec::new()),
    }
}

fn add_node(
    journey_table: &mut Table,
    journey: usize,
    kind: NodeType,
    position: Option<(f64, f64)>,
) -> Result<(), EditError> {
    let nodes = nodes_mut(journey_table, journey)?;
    let taken: Vec<&str> = nodes.iter().filter_map(|t| t.get("id").and_then(Item::as_str)).collect();
    let id = (1..).map(|n| format!("{}_{n}", kind.name())).find(|id| !taken.contains(&id.as_str())).expect("unbounded");
    let mut table = Table::new();
    table.decor_mut().set_prefix("\n");
    table.insert("id", Item::Value(id.into()));
    table.insert("type", Item::Value(kind.name().into()));
    for (key, value) in defaults(kind) {
        table.insert(key, Item::Value(value));
    }
    if let Some((x, y)) = position {
        table.insert("position", Item::Value(Value::Array(Array::from_iter([x.round() as i64, y.round() as i64]))));
    }
    nodes.push(table);
    Ok(())
}

fn set_policy(journey_table: &mut Table, journey: usize, key: &str, value: Option<&str>) -> Result<(), EditError> {
    let steps: Vec<&str> = key.split('.').collect();
    if steps.iter().any(|s| s.is_empty()) {
        return Err(EditError::NoField(format!("journey[{journey}].policies.{key}")));
    }
    let Some(input) = value else {
        if let Some(policies) = journey_table.get_mut("policies").and_then(Item::as_table_like_mut) {
            remove_path(policies, &steps);
        }
        return Ok(());
    };
    if !journey_table.contains_key("policies") {
        let mut policies = Table::new();
        // Right after the journey's own header, before its nodes.
        policies.set_position(journey_table.position());
        policies.decor_mut().set_prefix("\n");
        journey_table.insert("policies", Item::Table(policies));
    }
    let not_editable = || EditError::NotEditable(format!("journey[{journey}].policies.{key}"));
    let mut table: &mut dyn TableLike =
        journey_table.get_mut("policies").and_then(Item::as_table_like_mut).ok_or_else(not_editable)?;
    let mut inline = false;
    let Some((last, parents)) = steps.split_last() else { return Err(not_editable()) };
    for (i, step) in parents.iter().enumerate() {
        if !table.contains_key(step) {
            // `caps.push = { per_week = 3 }`: a dotted key for the table, an inline table for the leaf's parent.
            let item = if !inline && parents.len() - i >= 2 {
                let mut dotted = Table::new();
                dotted.set_dotted(true);
                Item::Table(dotted)
            } else {
                Item::Value(Value::InlineTable(InlineTable::new()))
            };
            table.insert(step, item);
        }
        let item = table.get_mut(step).ok_or_else(not_editable)?;
        inline |= matches!(item, Item::Value(_));
        table = item.as_table_like_mut().ok_or_else(not_editable)?;
    }
    let new = match table.get(last).and_then(Item::as_value) {
        Some(old) => parse_as(old, input),
        None => parse_new(input),
    };
    set_value(table, last, new);
    Ok(())
}

/// Removes the value at `steps` and any table it leaves empty.
pub(super) fn remove_path(table: &mut dyn TableLike, steps: &[&str]) {
    match steps {
        [] => {}
        [last] => {
            table.remove(last);
        }
        [first, rest @ ..] => {
            let Some(child) = table.get_mut(first).and_then(Item::as_table_like_mut) else { return };
            remove_path(child, rest);
            if child.is_empty() {
                table.remove(first);
            }
        }
    }
}

#[cfg(test)]
#[path = "journey_tests.rs"]
mod tests;
