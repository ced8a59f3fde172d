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
pub const NODE_KEYS: [&str; 23] = [
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
}
