//! The Compare screen's Robustness panel: thin commands over `journeylab::api`'s robust
//! functions, and their IPC shapes. The core decides the defaults and bounds, the sweep's size,
//! the sentences and the charts; the sweep runs as a job like a comparison (progress over a
//! channel, cancel with `cancel_run`). The last report (for export) is this panel's own managed
//! state, created on first use.

use std::sync::{Arc, Mutex};

use journeylab::api::{self, RobustChartKind, RobustConfig, RobustPlan, RobustReport, Scenario};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::commands::{save_as, unknown_format};
use crate::dto::{ChartDto, ExportFormat, RunEvent};
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::jobs;
use crate::state::AppState;

/// What the panel may set; null takes the core's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Type)]
pub struct RobustOptions {
    /// Joint points of the Latin hypercube.
    pub samples: Option<u32>,
    /// Users per run.
    pub users: Option<u32>,
}

/// The panel's defaults and bounds, as the core sets them.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RobustSettings {
    pub samples: u32,
    pub samples_max: u32,
    pub users: u32,
    pub users_max: u32,
}

/// A sweep's size before it runs.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RobustPlanDto {
    pub runs: u32,
    pub users_per_run: f64,
    /// The sweep's size in words.
    pub text: String,
}

/// One metric of a pair of journeys.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RobustMetricDto {
    pub metric: String,
    pub label: String,
    /// The better journey at the scenario's values; null on a tie.
    pub winner: Option<String>,
    pub holds_share: f64,
    pub reverses_share: f64,
    pub unclear_share: f64,
    /// The line in plain words.
    pub sentence: String,
    /// The tornado; null when no parameter moves the difference.
    pub tornado: Option<ChartDto>,
}

/// A pair of journeys: how often each metric's winner holds, and the metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RobustPairDto {
    pub a: String,
    pub b: String,
    pub holds: Option<ChartDto>,
    pub metrics: Vec<RobustMetricDto>,
}

/// A finished sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RobustView {
    pub scenario: String,
    pub samples: u32,
    pub users: f64,
    pub days: u32,
    pub parameters: u32,
    pub noise_replicates: u32,
    /// The metric whose tornado to show first.
    pub first_metric: String,
    pub pairs: Vec<RobustPairDto>,
}

impl RobustView {
    /// The report with every chart it has (id and title; drawn on request by `draw_chart`).
    fn new(report: &RobustReport) -> Self {
        let charts = api::robust_charts(report);
        let chart = |kind: &RobustChartKind| {
            let file = charts.iter().find(|c| &c.kind == kind)?;
            Some(ChartDto { id: file.stem.clone(), title: file.title.clone() })
        };
        let sentences = api::robust_sentences(report);
        let mut pairs: Vec<RobustPairDto> = Vec::new();
        for (i, (p, sentence)) in report.pairs.iter().zip(sentences).enumerate() {
            let metric = RobustMetricDto {
                metric: p.metric.clone(),
                label: api::robust_metric_label(&p.metric).to_owned(),
                winner: p.winner.clone(),
                holds_share: p.holds_share,
                reverses_share: p.reverses_share,
                unclear_share: p.unclear_share,
                sentence,
                tornado: chart(&RobustChartKind::Tornado { pair: i }),
            };
            match pairs.last_mut() {
                Some(last) if last.a == p.a && last.b == p.b => last.metrics.push(metric),
                _ => pairs.push(RobustPairDto {
                    a: p.a.clone(),
                    b: p.b.clone(),
                    holds: chart(&RobustChartKind::Holds { a: p.a.clone(), b: p.b.clone() }),
                    metrics: vec![metric],
                }),
            }
        }
        RobustView {
            scenario: report.scenario.clone(),
            samples: report.samples,
            users: f64::from(report.users),
            days: report.days,
            parameters: report.parameters as u32,
            noise_replicates: report.noise_replicates,
            first_metric: api::ROBUST_PANEL_METRIC.to_owned(),
            pairs,
        }
    }
}

/// The last finished sweep, for export.
#[derive(Default)]
pub struct RobustState {
    last: Mutex<Option<Arc<RobustReport>>>,
}

/// The last finished sweep (its charts are drawn from it).
pub(crate) fn kept<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Arc<RobustReport>> {
    let kept = robust_state(app).last.lock().ok().and_then(|l| l.clone());
    kept.ok_or_else(|| IpcError::new(ErrorCode::NotFound, "run the robustness sweep first"))
}

fn robust_state<R: Runtime>(app: &AppHandle<R>) -> State<'_, RobustState> {
    if app.try_state::<RobustState>().is_none() {
        app.manage(RobustState::default());
    }
    app.state::<RobustState>()
}

/// The scenario, the sweep and its size; the core's reason when it would refuse to run.
fn prepare(toml: &str, options: RobustOptions) -> IpcResult<(Scenario, RobustConfig, RobustPlan)> {
    let scenario = api::check_scenario(toml).map_err(|d| IpcError::invalid_scenario(&d))?;
    let config = api::robust_panel_config(options.samples, options.users)?;
    let plan = api::robust_plan(&scenario, &config)?;
    Ok((scenario, config, plan))
}

#[tauri::command]
#[specta::specta]
pub fn robust_settings() -> RobustSettings {
    RobustSettings {
        samples: api::ROBUST_PANEL_SAMPLES,
        samples_max: api::ROBUST_PANEL_MAX_SAMPLES,
        users: api::ROBUST_PANEL_USERS,
        users_max: api::ROBUST_PANEL_MAX_USERS,
    }
}

/// How many runs the sweep would make; errors say which input is out of bounds.
#[tauri::command]
#[specta::specta]
pub fn robust_plan(toml: String, options: RobustOptions) -> IpcResult<RobustPlanDto> {
    let (_, _, plan) = prepare(&toml, options)?;
    Ok(RobustPlanDto { runs: plan.runs(), users_per_run: f64::from(plan.users_per_run), text: plan.describe() })
}

/// Runs the sweep on a worker thread, streaming progress (cancel with `cancel_run`); keeps the
/// report for export.
#[tauri::command]
#[specta::specta]
pub async fn robust_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    toml: String,
    options: RobustOptions,
    on_event: Channel<RunEvent>,
) -> IpcResult<RobustView> {
    let (scenario, config, plan) = prepare(&toml, options)?;
    let users_total = f64::from(plan.runs()) * f64::from(plan.users_per_run);
    let (report, view) = jobs::with_progress(&state, on_event, users_total, move |progress, cancel| {
        let (_, report) = api::robust(&scenario, &config, progress, cancel)?;
        let view = RobustView::new(&report);
        Ok((report, view))
    })
    .await?;
    if let Ok(mut last) = robust_state(&app).last.lock() {
        *last = Some(Arc::new(report));
    }
    Ok(view)
}

/// Exports the last sweep: `json` (robust.json), `csv` (one row per pair and metric), or a
/// chart as `svg`/`png` (`chart` is its id).
#[tauri::command]
#[specta::specta]
pub async fn export_robust<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    chart: Option<String>,
) -> IpcResult<Option<String>> {
    let report = robust_state(&app)
        .last
        .lock()
        .ok()
        .and_then(|r| r.clone())
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "run the robustness sweep first"))?;
    let (bytes, name, label, extension) = match (format, format.image()) {
        (ExportFormat::Json, _) => (report.to_json().into_bytes(), "robust".to_owned(), "JSON", "json"),
        (ExportFormat::Csv, _) => (api::robust_csv(&report).into_bytes(), "robust".to_owned(), "CSV", "csv"),
        (_, Some(image)) => {
            let id = chart.unwrap_or_default();
            let file = api::robust_charts(&report)
                .into_iter()
                .find(|c| c.stem == id)
                .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("the sweep has no chart {id:?}")))?;
            let extension = image.extension();
            let bytes = api::robust_chart(&report, &file.kind, image)
                .map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))?;
            (bytes, file.stem, "Image", extension)
        }
        (other, None) => return Err(unknown_format(other, "a robustness sweep", "json, csv, svg or png")),
    };
    save_as(app, state.dialogs(), (label, extension), format!("{name}.{extension}"), bytes).await
}
