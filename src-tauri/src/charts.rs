//! Charts drawn by the core's chart module: `draw_chart`, the one command every chart on screen asks
//! (drawn at the size it is shown, in the app's theme, with its values as a table); a run's and a
//! comparison's chart lists and exports (SVG or PNG, light, at the chart's own size); the segments'
//! trait sparklines.

use std::sync::Arc;

use journeylab::api::calibrate::Calibration;
use journeylab::api::lab::{ExperimentReport, PeekReport};
use journeylab::api::{
    self, COMPARE_CHARTS, Chart, ChartOptions, CompareReport, DataTable, ImageFormat, RUN_CHARTS, RobustReport,
    RunResults, Scenario, Theme,
};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Runtime, State};

use crate::dto::{ChartDto, SegmentTraitsDto, TraitDto};
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::state::AppState;
use crate::{calibrate, jobs, lab, robust};

/// Every chart of the run (id and title); a chart that cannot be drawn is left out.
pub fn for_results(results: &RunResults) -> Vec<ChartDto> {
    RUN_CHARTS
        .iter()
        .filter_map(|id| {
            api::run_chart_table(results, id).ok().map(|t| ChartDto { id: (*id).to_owned(), title: t.title })
        })
        .collect()
}

/// Every chart of a comparison (id and the core's title); a chart it does not have (one journey: no
/// discount chart) is left out.
pub fn for_comparison(report: &CompareReport) -> Vec<ChartDto> {
    COMPARE_CHARTS
        .iter()
        .filter_map(|id| {
            let title = api::compare_chart_data(report, id)?.table().title;
            Some(ChartDto { id: (*id).to_owned(), title })
        })
        .collect()
}

/// The app's theme, which a chart is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ThemeDto {
    Light,
    Dark,
}

/// Which chart to draw: where it comes from and its id there.
#[derive(Clone, Debug, PartialEq, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChartSource {
    /// One of a stored run's charts (`retention`, `cumulative_margin`, `channels`).
    Run { run_id: f64, chart: String },
    /// One of the last comparison's charts.
    Comparison { chart: String },
    /// One of the experiment monitor's charts (`monitor`, `monitor-arms`, `monitor-p`) through `through` looks.
    Monitor { chart: String, through: u32 },
    /// The peeking lab's chart, as of its latest batch.
    Peeking,
    /// One of the last robustness sweep's charts (its id: the file stem).
    Robustness { chart: String },
    /// One of the last calibration's back-test charts.
    Calibration { chart: String },
}

/// A chart at the size it is shown (CSS pixels) in a theme.
#[derive(Clone, Debug, PartialEq, Deserialize, Type)]
pub struct ChartRequest {
    pub source: ChartSource,
    pub width: u32,
    pub height: u32,
    pub theme: ThemeDto,
}

/// A chart's values: its "show as table" view and text alternative. Numbers are written in full.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct DataTableDto {
    pub title: String,
    /// Column names, with their units.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The columns (indices) whose numbers are shares, 0 to 1, shown as percentages.
    pub share_columns: Vec<u32>,
}

impl From<DataTable> for DataTableDto {
    fn from(t: DataTable) -> Self {
        DataTableDto {
            title: t.title,
            columns: t.columns,
            rows: t.rows,
            share_columns: t.share_columns.into_iter().map(|c| c as u32).collect(),
        }
    }
}

/// A chart drawn for the screen: its title (the caption), the SVG at the size asked for (clamped to
/// the core's smallest readable size), and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ChartView {
    pub title: String,
    pub svg: String,
    pub table: DataTableDto,
}

/// What a chart is drawn from, taken out of the app's state so the drawing runs off the window's thread.
enum Kept {
    Run(Box<RunResults>, String),
    Comparison(Arc<CompareReport>, String),
    Monitor(Arc<ExperimentReport>, String, usize),
    Peeking(Arc<PeekReport>),
    Robustness(Arc<RobustReport>, String),
    Calibration(Arc<(String, Calibration)>, String),
}

fn missing(what: &str) -> IpcError {
    IpcError::new(ErrorCode::NotFound, format!("there is no chart {what:?} to draw"))
}

fn failed(e: impl std::fmt::Display) -> IpcError {
    IpcError::new(ErrorCode::ChartFailed, e.to_string())
}

/// `chart` drawn as SVG at `options`, with its table.
fn view(chart: &dyn Chart, options: &ChartOptions) -> IpcResult<ChartView> {
    let table = chart.table();
    let svg = chart.render(ImageFormat::Svg, options).map_err(failed)?;
    Ok(ChartView { title: table.title.clone(), svg: String::from_utf8_lossy(&svg).into_owned(), table: table.into() })
}

impl Kept {
    fn draw(self, options: &ChartOptions) -> IpcResult<ChartView> {
        match self {
            Kept::Run(results, id) => {
                let drawn = api::run_chart_with(&results, &id, ImageFormat::Svg, options).map_err(failed)?;
                let table = api::run_chart_table(&results, &id).map_err(failed)?;
                Ok(ChartView {
                    title: drawn.title,
                    svg: String::from_utf8_lossy(&drawn.bytes).into_owned(),
                    table: table.into(),
                })
            }
            Kept::Comparison(report, id) => {
                view(api::compare_chart_data(&report, &id).ok_or_else(|| missing(&id))?, options)
            }
            Kept::Monitor(report, id, through) => {
                let chart = api::lab::monitor_chart_data(&report, &id, Some(through)).map_err(failed)?;
                view(chart.ok_or_else(|| missing(&id))?.as_ref(), options)
            }
            Kept::Peeking(report) => view(&api::lab::peeking_chart_data(&report).map_err(failed)?, options),
            Kept::Robustness(report, id) => {
                let file =
                    api::robust_charts(&report).into_iter().find(|c| c.stem == id).ok_or_else(|| missing(&id))?;
                view(api::robust_chart_data(&report, &file.kind).ok_or_else(|| missing(&id))?.as_ref(), options)
            }
            Kept::Calibration(last, id) => {
                let (_, chart) = api::calibrate::charts(&last.1)
                    .into_iter()
                    .find(|(stem, _)| *stem == id)
                    .ok_or_else(|| missing(&id))?;
                view(&chart, options)
            }
        }
    }
}

/// Draws a chart at the size it is shown and in the app's theme, with its values as a table (every
/// chart on screen asks this; exports stay light at the chart's own size).
#[tauri::command]
#[specta::specta]
pub async fn draw_chart<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ChartRequest,
) -> IpcResult<ChartView> {
    let kept = match request.source {
        ChartSource::Run { run_id, chart } => Kept::Run(Box::new(state.store()?.run(run_id as i64)?.2), chart),
        ChartSource::Comparison { chart } => {
            let report = state.last_compare.lock().ok().and_then(|r| r.clone());
            Kept::Comparison(
                report.ok_or_else(|| IpcError::new(ErrorCode::NotFound, "compare the designs first"))?,
                chart,
            )
        }
        ChartSource::Monitor { chart, through } => Kept::Monitor(lab::kept_monitor(&app)?, chart, through as usize),
        ChartSource::Peeking => Kept::Peeking(lab::kept_peeking(&app)?),
        ChartSource::Robustness { chart } => Kept::Robustness(robust::kept(&app)?, chart),
        ChartSource::Calibration { chart } => Kept::Calibration(calibrate::kept(&app)?, chart),
    };
    let theme = match request.theme {
        ThemeDto::Light => Theme::Light,
        ThemeDto::Dark => Theme::Dark,
    };
    let options = ChartOptions { size: Some((request.width, request.height)), theme };
    jobs::blocking(move || kept.draw(&options)).await
}

/// One comparison chart's bytes for export.
pub fn export_comparison(report: &CompareReport, chart: &str, format: ImageFormat) -> IpcResult<Vec<u8>> {
    api::compare_chart(report, chart, format)
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("the comparison has no chart {chart:?}")))?
        .map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))
}

/// Each segment's traits with their sparkline histograms.
pub fn segment_traits(scenario: &Scenario) -> Vec<SegmentTraitsDto> {
    api::segment_traits(scenario)
        .into_iter()
        .map(|segment| SegmentTraitsDto {
            name: segment.name,
            traits: segment
                .traits
                .iter()
                .filter_map(|t| {
                    let svg = api::trait_sparkline(t, ImageFormat::Svg).ok()?;
                    Some(TraitDto {
                        id: t.id.to_owned(),
                        label: t.label.to_owned(),
                        mean: t.mean,
                        configured_mean: t.configured_mean,
                        lower: t.lower,
                        upper: t.upper,
                        draws: t.draws as f64,
                        percent: t.percent,
                        svg: String::from_utf8_lossy(&svg).into_owned(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// One chart's bytes for export.
pub fn export(results: &RunResults, chart: &str, format: ImageFormat) -> IpcResult<Vec<u8>> {
    api::run_chart(results, chart, format)
        .map(|c| c.bytes)
        .map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))
}
