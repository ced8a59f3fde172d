//! The Scenario screen's Model panel: the core's table of behaviour parameters.
//! The values shown are the text's own `[model]` fields (from `check_scenario`)
//! and edits go through `set_field` like every other field; this only
//! describes each parameter.

use journeylab::api::{self, ParameterValue};
use serde::Serialize;
use specta::Type;

/// One behaviour parameter, as the panel shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ParameterDto {
    /// The field path in the diagnostics' notation, `model.<name>`.
    pub path: String,
    pub name: String,
    /// e.g. "Habit and churn": the panel groups parameters by it, in table order.
    pub group: String,
    pub default: f64,
    /// Plausible range: the scenario reader rejects values outside [low, high].
    pub low: f64,
    pub high: f64,
    pub unit: String,
    pub meaning: String,
    pub source: String,
    /// The source is an assumption (no published estimate), said plainly in the table.
    pub assumption: bool,
    /// Read as a whole number (hours).
    pub whole: bool,
}

impl From<&ParameterValue> for ParameterDto {
    fn from(p: &ParameterValue) -> Self {
        ParameterDto {
            path: format!("model.{}", p.name),
            name: p.name.to_owned(),
            group: p.group.to_owned(),
            default: p.default,
            low: p.low,
            high: p.high,
            unit: p.unit.to_owned(),
            meaning: p.meaning.to_owned(),
            source: p.source.to_owned(),
            assumption: p.source.starts_with("assumption"),
            whole: p.whole,
        }
    }
}

/// Every behaviour parameter with its default, plausible range, unit, meaning and source.
#[tauri::command]
#[specta::specta]
pub fn model_parameters() -> Vec<ParameterDto> {
    api::model_parameters(None).iter().map(ParameterDto::from).collect()
}
