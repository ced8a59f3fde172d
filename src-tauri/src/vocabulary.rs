//! The core's one vocabulary for the UI: every metric's id, name, one-line definition, unit (in the
//! scenario's currency) and direction, the glossary of statistical terms, and which metric a
//! comparison's verdict ranks by and which it guards. The UI writes no metric name, definition or
//! unit of its own: its tables, tooltips and the Glossary read them from here.

use journeylab::api::{self, COMPARE_GUARDRAILS, COMPARE_PRIMARY, MetricDef, Term, vocabulary::Currency};
use serde::Serialize;
use specta::Type;

use crate::dto::{BetterDto, UnitDto};
use crate::error::{ErrorCode, IpcError, IpcResult};

/// One metric as every screen names it.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct MetricDefDto {
    /// Its id in results, reports and the IPC's rows, e.g. `retention_d30`.
    pub id: String,
    /// Its one name, as every screen writes it.
    pub name: String,
    /// What it measures, in one line.
    pub definition: String,
    /// How its numbers are formatted: a share as a percentage, money, a count.
    pub unit: UnitDto,
    /// The unit as a reader sees it beside a number, in the currency asked for: "% of users", "EUR per user".
    pub unit_text: String,
    pub better: BetterDto,
}

impl MetricDefDto {
    fn new(m: &MetricDef, currency: &str) -> Self {
        MetricDefDto {
            id: m.id.to_owned(),
            name: m.name.to_owned(),
            definition: m.definition.to_owned(),
            unit: m.unit.into(),
            unit_text: m.unit_text(currency),
            better: m.better.into(),
        }
    }
}

/// One term of the glossary (α, z, GST, mSPRT, sBG, MDE, information fraction…).
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct TermDto {
    /// Stable id, e.g. `information_fraction`.
    pub id: String,
    /// The term as screens write it, e.g. "α (significance level)".
    pub term: String,
    pub definition: String,
}

impl From<&Term> for TermDto {
    fn from(t: &Term) -> Self {
        TermDto { id: t.id.to_owned(), term: t.term.to_owned(), definition: t.definition.to_owned() }
    }
}

/// The vocabulary in one currency.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct VocabularyDto {
    /// The currency of the metrics' `unit_text`, e.g. "USD".
    pub currency: String,
    /// Every metric, in the order reports list them.
    pub metrics: Vec<MetricDefDto>,
    /// Every term, alphabetical by id.
    pub glossary: Vec<TermDto>,
    /// The metric a comparison's verdict ranks designs by.
    pub primary: String,
    /// The metrics the shipped design must not make worse.
    pub guardrails: Vec<String>,
}

/// The vocabulary with money in `currency` (the scenario's `[economics] currency`, as a run or
/// comparison reports it); null takes the core's default. A currency that is not three capital
/// letters is refused with `scenario.invalid`.
#[tauri::command]
#[specta::specta]
pub fn vocabulary(currency: Option<String>) -> IpcResult<VocabularyDto> {
    let currency = match currency.as_deref() {
        None => Currency::default(),
        Some(text) => Currency::new(text).ok_or_else(|| {
            IpcError::new(
                ErrorCode::ScenarioInvalid,
                format!("currency {text:?} is not a currency code: write three capital letters, e.g. EUR"),
            )
        })?,
    };
    let currency = currency.as_str();
    Ok(VocabularyDto {
        currency: currency.to_owned(),
        metrics: api::metrics().iter().map(|m| MetricDefDto::new(m, currency)).collect(),
        glossary: api::glossary().iter().map(TermDto::from).collect(),
        primary: COMPARE_PRIMARY.to_owned(),
        guardrails: COMPARE_GUARDRAILS.iter().map(|&id| id.to_owned()).collect(),
    })
}
