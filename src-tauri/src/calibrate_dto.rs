//! The Calibrate screen's IPC shapes: how to read the export, its preview, and the finished
//! calibration as the screen shows it (the core's verdict, tables and charts).

use journeylab::api::calibrate::Calibration;
use journeylab::api::import::{self, PRESETS, Preview, PreviewRow};
use journeylab::api::{DataTable, calibrate};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dto::ChartDto;

/// How to read the export; null or empty takes what the importer detects.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Type)]
pub struct ImportOptionsDto {
    /// A vendor preset's name.
    pub preset: Option<String>,
    /// A mapping spec `user=COL,time=COL,…`, applied over the preset.
    pub map: Option<String>,
    /// An IANA time zone (default UTC).
    pub time_zone: Option<String>,
    /// Event names that are purchases (replacing the preset's).
    pub purchase_events: Vec<String>,
}

impl ImportOptionsDto {
    pub fn to_core(&self) -> import::Options {
        let given = |s: &Option<String>| s.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        import::Options {
            preset: given(&self.preset),
            map: given(&self.map),
            time_zone: given(&self.time_zone),
            purchase_events: self
                .purchase_events
                .iter()
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty())
                .collect(),
            session_events: Vec::new(),
        }
    }
}

/// The holdout the core suggests for an export: the last quarter of its days.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct HoldoutSuggestion {
    /// The suggested first day of the holdout (YYYY-MM-DD).
    pub from: String,
    /// The export's first and last days (in its time zone).
    pub first_day: String,
    pub last_day: String,
}

/// A vendor preset the screen offers.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct PresetDto {
    pub name: String,
    pub description: String,
}

/// What the importer makes of a row.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Used,
    Duplicate,
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct PreviewRowDto {
    pub line: f64,
    pub user: Option<String>,
    pub time: Option<String>,
    pub day: Option<String>,
    pub event: Option<String>,
    pub revenue: Option<f64>,
    pub purchase: bool,
    pub status: RowStatus,
    /// Why it would be rejected, in the importer's words.
    pub reason: Option<String>,
}

impl From<&PreviewRow> for PreviewRowDto {
    fn from(r: &PreviewRow) -> Self {
        let status = match (&r.rejected, r.duplicate) {
            (Some(_), _) => RowStatus::Rejected,
            (None, true) => RowStatus::Duplicate,
            (None, false) => RowStatus::Used,
        };
        PreviewRowDto {
            line: r.line as f64,
            user: r.user.clone(),
            time: r.time.clone(),
            day: r.day.map(|d| d.to_string()),
            event: r.event.clone(),
            revenue: r.revenue.filter(|x| x.is_finite()),
            purchase: r.purchase,
            status,
            reason: r.rejected.as_ref().map(ToString::to_string),
        }
    }
}

/// The chosen export's first rows, with the detected format and the mapping in use.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ExportPreviewDto {
    /// The export's file name.
    pub file: String,
    /// The layout told from the content, e.g. "CSV (delimiter ',')", "JSON lines (gzip)".
    pub format: String,
    /// The preset in use (guessed when none was chosen); null for a spec alone.
    pub preset: Option<String>,
    /// The mapping as a spec, to edit.
    pub spec: String,
    pub time_zone: String,
    pub purchase_events: Vec<String>,
    /// Column names (or the first record's keys).
    pub columns: Vec<String>,
    pub rows: Vec<PreviewRowDto>,
    pub presets: Vec<PresetDto>,
}

impl ExportPreviewDto {
    pub fn new(file: String, p: &Preview) -> Self {
        ExportPreviewDto {
            file,
            format: if p.gzip { format!("{} (gzip)", p.layout) } else { p.layout.to_string() },
            preset: p.mapping.preset.map(str::to_owned),
            spec: p.spec.clone(),
            time_zone: p.time_zone.clone(),
            purchase_events: p.mapping.purchase_events.clone(),
            columns: p.columns.clone(),
            rows: p.rows.iter().map(PreviewRowDto::from).collect(),
            presets: PRESETS
                .iter()
                .map(|p| PresetDto { name: p.name.to_owned(), description: p.description.to_owned() })
                .collect(),
        }
    }
}

/// A table of display text: a title, column names, rows of cells.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct TableDto {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl From<DataTable> for TableDto {
    fn from(t: DataTable) -> Self {
        TableDto { title: t.title, columns: t.columns, rows: t.rows }
    }
}

/// Actual, simulated and BG/NBD values of one quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Type)]
pub struct TripleDto {
    pub actual: f64,
    pub simulated: f64,
    pub bgnbd: f64,
}

/// A finished calibration as the screen shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CalibrationView {
    /// The back-test in one paragraph.
    pub verdict: String,
    pub holdout_repeat_purchases: TripleDto,
    /// User-weighted mean absolute error of the simulated by-frequency means.
    pub by_frequency_error_simulated: f64,
    /// The same for the BG/NBD's means.
    pub by_frequency_error_bgnbd: f64,
    /// The headline, by-frequency and segment tables.
    pub tables: Vec<TableDto>,
    /// The back-test's charts (tracking, by frequency, activity).
    pub charts: Vec<ChartDto>,
}

impl CalibrationView {
    pub fn new(c: &Calibration) -> Self {
        let h = c.report.backtest.holdout_repeat_purchases;
        let (simulated, bgnbd) = c.extras.by_frequency_error;
        let charts = calibrate::charts(c)
            .into_iter()
            .map(|(id, chart)| ChartDto { id: id.to_owned(), title: chart.title })
            .collect();
        CalibrationView {
            verdict: calibrate::verdict(c),
            holdout_repeat_purchases: TripleDto { actual: h.actual, simulated: h.simulated, bgnbd: h.bgnbd },
            by_frequency_error_simulated: simulated,
            by_frequency_error_bgnbd: bgnbd,
            tables: calibrate::tables(c).into_iter().map(TableDto::from).collect(),
            charts,
        }
    }
}
