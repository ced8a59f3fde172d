//! The journey node grammar of `[[journey.node]]` (docs/scenarios.md): the node
//! types, the connections each has, and the key lists more than one part of
//! the code needs. The reader ([`super::journey`]), the canvas's edits
//! (`edit::journey`) and the journey-edit fuzz target take them from here.

use serde::{Deserialize, Serialize};

/// The five node types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeType {
    Trigger,
    Wait,
    Branch,
    Message,
    Exit,
}

impl NodeType {
    pub const ALL: [NodeType; 5] =
        [NodeType::Trigger, NodeType::Wait, NodeType::Branch, NodeType::Message, NodeType::Exit];

    /// The `type` written in the file.
    pub fn name(self) -> &'static str {
        match self {
            NodeType::Trigger => "trigger",
            NodeType::Wait => "wait",
            NodeType::Branch => "branch",
            NodeType::Message => "message",
            NodeType::Exit => "exit",
        }
    }

    pub fn from_name(name: &str) -> Option<NodeType> {
        NodeType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The node's outgoing connections, in the reader's order.
    pub fn slots(self) -> &'static [Slot] {
        match self {
            NodeType::Branch => &[Slot::Yes, Slot::No],
            NodeType::Exit => &[],
            _ => &[Slot::Next],
        }
    }
}

/// One outgoing connection of a node: the key that names its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Next,
    Yes,
    No,
}

impl Slot {
    pub const ALL: [Slot; 3] = [Slot::Next, Slot::Yes, Slot::No];

    pub fn key(self) -> &'static str {
        match self {
            Slot::Next => "next",
            Slot::Yes => "yes",
            Slot::No => "no",
        }
    }
}

/// A node's identity, place on the canvas and connections: not settings.
pub const STRUCTURAL_KEYS: [&str; 6] = ["id", "type", "position", "next", "yes", "no"];
/// A trigger's settings that depend on its `event` (`inactive`: days; `schedule`: the rest).
pub const TRIGGER_EVENT_KEYS: [&str; 5] = ["days", "first_day", "every_days", "hour", "clock"];
/// A branch's settings that depend on its condition (`sessions`: days, at_least; a score: score, above).
pub const BRANCH_CONDITION_KEYS: [&str; 4] = ["days", "at_least", "score", "above"];
/// A discount message's settings.
pub const DISCOUNT_KEYS: [&str; 2] = ["depth", "valid_hours"];

/// Every key the reader takes as one node type's, to tell "belongs to another type" from a typo.
pub const NODE_KEYS: [&str; 25] = [
    "id",
    "type",
    "position",
    "next",
    "event",
    "days",
    "first_day",
    "every_days",
    "hour",
    "clock",
    "hours",
    "until",
    "max_hours",
    "if",
    "at_least",
    "score",
    "above",
    "yes",
    "no",
    "content",
    "depth",
    "valid_hours",
    "channels",
    "delivery",
    "goal",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_lists_are_node_keys() {
        let lists = [&STRUCTURAL_KEYS[..], &TRIGGER_EVENT_KEYS, &BRANCH_CONDITION_KEYS, &DISCOUNT_KEYS];
        assert!(lists.iter().flat_map(|l| l.iter()).all(|k| NODE_KEYS.contains(k)));
        assert!(Slot::ALL.iter().all(|s| NODE_KEYS.contains(&s.key())));
        assert!(NodeType::ALL.iter().all(|&t| NodeType::from_name(t.name()) == Some(t)));
    }

    /// Every key a node of the ready-made scenarios or the template uses is a node key, so the
    /// same key on another node type reads "does not apply", not "unknown".
    #[test]
    fn every_key_the_examples_use_on_a_node_is_a_node_key() {
        let texts = crate::library::EXAMPLES.iter().map(|e| e.text).chain([crate::library::TEMPLATE]);
        let mut seen = 0;
        for text in texts {
            let doc: toml::Table = toml::from_str(text).expect("the examples are valid TOML");
            let journeys = doc.get("journey").and_then(toml::Value::as_array).into_iter().flatten();
            let nodes = journeys.filter_map(|j| j.get("node")?.as_array()).flatten();
            for key in nodes.filter_map(toml::Value::as_table).flat_map(toml::Table::keys) {
                assert!(NODE_KEYS.contains(&key.as_str()), "`{key}` is used on a node but is not in NODE_KEYS");
                seen += 1;
            }
        }
        assert!(seen > 100, "the examples have nodes ({seen} keys)");
    }
}
