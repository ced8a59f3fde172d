//! Editing scenario text in place: the TOML text stays the source of truth and
//! every edit returns new text in which comments, key order and untouched text
//! survive byte for byte (toml_edit).
//!
//! - [`fields`]: every setting as a form field, and [`set_field`] for one value
//!   (for `[model]` parameters, [`model`]: written when missing, removed when cleared).
//! - [`journey`]: the journey canvas's structure edits ([`apply`] a [`JourneyEdit`]);
//!   [`journeys`] the whole-journey ones (add, duplicate, rename, delete).
//! - [`graph`]: a journey as nodes and edges for the canvas, with each node's
//!   diagnostics and, for nodes without a stored position, [`layout`]'s.

mod fields;
mod graph;
mod journey;
mod journeys;
mod layout;
mod model;

pub use fields::{ChoiceSet, Field, FieldChoice, FieldInput, FieldKind, fields, set_field};
pub use graph::{GraphEdge, GraphNode, JourneyGraph, JourneyOutline, OutlineStep, journey_graph, journey_outlines};
pub use journey::{JourneyEdit, NodeType, Slot, apply};
pub use layout::{NODE_HEIGHT, NODE_WIDTH};

use toml_edit::DocumentMut;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    #[error("the scenario is not valid TOML: {0}")]
    Syntax(String),
    #[error("no setting at {0}")]
    NoField(String),
    #[error("the scenario has no journey[{0}]")]
    NoJourney(usize),
    #[error("journey[{journey}] has no node with id \"{id}\"")]
    NoNode { journey: usize, id: String },
    #[error("a {kind} node has no `{slot}` connection")]
    NoSlot { kind: String, slot: &'static str },
    #[error("`{0}` is changed by the canvas itself (connect, move), not as a setting")]
    Reserved(String),
    #[error("{0} is written in a form the canvas cannot edit; edit it as text")]
    NotEditable(String),
    #[error("a {0} cannot be empty")]
    EmptyName(&'static str),
    #[error("there is already a {what} named \"{name}\"; choose another name")]
    Taken { what: &'static str, name: String },
    #[error("a scenario needs at least one journey")]
    LastJourney,
    #[error("\"{0}\" is an arm of the experiment; change [experiment] arms before deleting it")]
    ExperimentArm(String),
}

fn document(text: &str) -> Result<DocumentMut, EditError> {
    text.parse().map_err(|e: toml_edit::TomlError| EditError::Syntax(e.message().to_owned()))
}
