//! The lab screens' commands — experiment monitor, peeking lab, planner — thin
//! over `journeylab::api::lab`, like `commands.rs`: long work runs on a worker
//! thread as a job (progress over a channel, cancel with `cancel_run`).
//!
//! The lab keeps the last monitor and peeking reports (its own managed state,
//! created on first use) so their charts can be exported as drawn.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use journeylab::api::lab::{
    self, Baseline, DesignChoice, Effect, Errors, ExperimentError, FutilityChoice, Increments, Method, PeekConfig,
    PeekReport, PlanRequest, SequentialDesign, Settle, Sides, StatsError,
};
use journeylab::api::{self, RunConfig, Scenario};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::commands::{save_as, unknown_format};
use crate::dto::{ExportFormat, RunEvent};
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::jobs::{self, Job};
use crate::lab_dto::{
    LabRunOptions, MonitorView, PeekBatch, PeekEvent, PeekSettings, PlanInput, PlanMetric, PlanView, ReplicationView,
    TrafficView,
};
use crate::state::AppState;

/// The peeking lab's seed: the same setting always gives the same numbers.
const PEEK_SEED: u64 = 20_260_501;

/// What the lab remembers between commands.
#[derive(Default)]
pub struct LabState {
    /// Cancel flag of the peeking run in flight: a new setting raises it.
    peeking: Mutex<Option<Arc<AtomicBool>>>,
    monitor: Mutex<Option<Arc<lab::ExperimentReport>>>,
    /// The peeking Monte Carlo as of its latest batch.
    peek: Mutex<Option<Arc<PeekReport>>>,
}

fn lab_state<R: Runtime>(app: &AppHandle<R>) -> State<'_, LabState> {
    if app.try_state::<LabState>().is_none() {
        app.manage(LabState::default());
    }
    app.state::<LabState>()
}

/// The last experiment monitor's report (its charts are drawn from it).
pub(crate) fn kept_monitor<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Arc<lab::ExperimentReport>> {
    let kept = lab_state(app).monitor.lock().ok().and_then(|m| m.clone());
    kept.ok_or_else(|| IpcError::new(ErrorCode::NotFound, "Run the experiment first."))
}

/// The peeking Monte Carlo as of its latest batch (its chart is drawn from it).
pub(crate) fn kept_peeking<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Arc<PeekReport>> {
    let kept = lab_state(app).peek.lock().ok().and_then(|p| p.clone());
    kept.ok_or_else(|| IpcError::new(ErrorCode::NotFound, "Wait for the first estimate."))
}

fn experiment_error(e: ExperimentError) -> IpcError {
    match e {
        ExperimentError::Run(run) => IpcError::from(run),
        ExperimentError::NoExperiment => IpcError::new(
            ErrorCode::ExperimentMissing,
            "This scenario has no [experiment] section: open experiment_ab, experiment_aa or experiment_revenue.",
        ),
        other => IpcError::new(ErrorCode::ExperimentFailed, other.to_string()),
    }
}

fn stats_error(e: StatsError) -> IpcError {
    match e {
        StatsError::Cancelled => IpcError::new(ErrorCode::RunCancelled, "Superseded by newer settings."),
        other => IpcError::new(ErrorCode::LabInvalid, other.to_string()),
    }
}

fn scenario(toml: &str) -> IpcResult<Scenario> {
    api::check_scenario(toml).map_err(|d| IpcError::invalid_scenario(&d))
}

/// Runs the scenario's experiment once (a job with progress) and draws the monitor through every look.
#[tauri::command]
#[specta::specta]
pub async fn experiment_monitor<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    toml: String,
    options: LabRunOptions,
    on_event: Channel<RunEvent>,
) -> IpcResult<MonitorView> {
    let scenario = scenario(&toml)?;
    let config = RunConfig { users: options.users, ..RunConfig::default() };
    let users_total = f64::from(options.users.unwrap_or(scenario.simulation.users));
    let currency = scenario.economics.currency.as_str().to_owned();
    let clock = Instant::now();
    let report = jobs::with_progress(&state, on_event, users_total, move |progress, cancel| {
        api::experiment(&scenario, &config, progress, cancel).map_err(experiment_error)
    })
    .await?;
    // Its charts are drawn on request, day by day, at the size they are shown (`draw_chart`).
    let has_boundary = lab::monitor_chart_data(&report, "monitor", None)
        .map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))?
        .is_some();
    let view = MonitorView::new(&report, currency, has_boundary, clock.elapsed().as_secs_f64());
    if let Ok(mut last) = lab_state(&app).monitor.lock() {
        *last = Some(Arc::new(report));
    }
    Ok(view)
}

/// Re-runs the experiment `replications` times (a job with progress): naive peeking vs the valid method.
#[tauri::command]
#[specta::specta]
pub async fn experiment_replications(
    state: State<'_, AppState>,
    toml: String,
    replications: u32,
    options: LabRunOptions,
    on_event: Channel<RunEvent>,
) -> IpcResult<ReplicationView> {
    let scenario = scenario(&toml)?;
    if replications == 0 {
        return Err(IpcError::new(ErrorCode::LabInvalid, "Run at least one replication."));
    }
    let config = RunConfig { users: options.users, ..RunConfig::default() };
    let users = f64::from(options.users.unwrap_or(scenario.simulation.users));
    let clock = Instant::now();
    let summary = jobs::with_progress(&state, on_event, users * f64::from(replications), move |progress, cancel| {
        api::replicate_experiment(&scenario, &config, u64::from(replications), progress, cancel)
            .map_err(experiment_error)
    })
    .await?;
    Ok(ReplicationView::new(&summary, clock.elapsed().as_secs_f64()))
}

/// Starts the peeking Monte Carlo for new settings, cancelling the one in flight; streams each
/// batch's estimate and chart until every interval is within ±0.5 percentage points.
#[tauri::command]
#[specta::specta]
pub async fn peeking_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: PeekSettings,
    on_event: Channel<PeekEvent>,
) -> IpcResult<PeekBatch> {
    let clock = Instant::now();
    let methods = settings
        .methods
        .iter()
        .map(|m| Method::parse(m))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| IpcError::new(ErrorCode::LabInvalid, e))?;
    let config = PeekConfig {
        looks: settings.looks as usize,
        sims: 0,
        alpha: settings.alpha,
        baseline: settings.baseline,
        lift: settings.lift,
        users_per_look: u64::from(settings.users_per_look),
        seed: PEEK_SEED,
        increments: Increments::Binomial,
    };
    let job = Job::start(&state);
    {
        let lab = lab_state(&app);
        let Ok(mut running) = lab.peeking.lock() else {
            return Err(IpcError::new(ErrorCode::LabFailed, "the peeking lab is unavailable after an earlier failure"));
        };
        if let Some(previous) = running.replace(job.cancel.clone()) {
            previous.store(true, Ordering::Relaxed);
        }
    }
    let _ = on_event.send(PeekEvent::Started { job: job.id });
    let worker = app.clone();
    let last = job
        .run(move |cancel| {
            let mut last = None;
            let mut on_batch = |report: &PeekReport, settled: bool| {
                // Kept before the batch goes out: its chart is drawn from it on request (`draw_chart`).
                if let Ok(mut kept) = lab_state(&worker).peek.lock() {
                    *kept = Some(Arc::new(report.clone()));
                }
                let batch = PeekBatch::new(report, settled, clock.elapsed().as_secs_f64() * 1000.0);
                let _ = on_event.send(PeekEvent::Batch(batch.clone()));
                last = Some(batch);
            };
            lab::stream_peeking(&config, &methods, Settle::default(), cancel, &mut on_batch).map_err(stats_error)?;
            Ok(last)
        })
        .await?;
    last.ok_or_else(|| IpcError::new(ErrorCode::LabFailed, "the Monte Carlo produced no batch"))
}

/// The open scenario's experiment traffic and baseline, from a short pilot.
#[tauri::command]
#[specta::specta]
pub async fn experiment_traffic(toml: String) -> IpcResult<TrafficView> {
    let scenario = scenario(&toml)?;
    let experiment = scenario.experiment.as_ref().ok_or_else(|| experiment_error(ExperimentError::NoExperiment))?;
    let metric = experiment.metric;
    let currency = scenario.economics.currency.as_str().to_owned();
    let traffic = jobs::blocking(move || {
        lab::experiment_traffic(&scenario, &RunConfig::default(), &AtomicBool::new(false)).map_err(experiment_error)
    })
    .await?;
    Ok(TrafficView::new(&traffic, metric, currency))
}

/// Sample size, duration, boundary table and what the traffic can detect.
#[tauri::command]
#[specta::specta]
pub fn plan_experiment(input: PlanInput) -> IpcResult<PlanView> {
    let baseline = match input.metric {
        PlanMetric::Mean => Baseline::Mean { mean: input.baseline, sd: input.sd.unwrap_or(0.0) },
        PlanMetric::Rate => Baseline::Rate { rate: input.baseline },
    };
    let sides = if input.two_sided { Sides::Two } else { Sides::One };
    let design = match input.design.as_str() {
        "fixed" => None,
        family => {
            // The CLI's `design` rules decide the futility bound (it spends like the efficacy boundary).
            let choice = DesignChoice {
                looks: input.looks as usize,
                fractions: None,
                spending: family,
                futility: Some(if input.futility { FutilityChoice::NonBinding } else { FutilityChoice::None }),
                beta_spending: None,
                futility_only: false,
                alpha: input.alpha,
                sides,
                power: input.power,
            };
            let spec = choice.spec().map_err(|e| IpcError::new(ErrorCode::LabInvalid, e.to_string()))?;
            Some(SequentialDesign { family: spec.family, looks: input.looks as usize, futility: spec.futility })
        }
    };
    let request = PlanRequest {
        baseline,
        effect: if input.mde_relative { Effect::Relative(input.mde) } else { Effect::Absolute(input.mde) },
        errors: Errors { alpha: input.alpha, power: input.power, sides },
        design,
        daily_users: input.daily_users,
    };
    Ok(PlanView::from(&lab::plan_experiment(&request).map_err(stats_error)?))
}

/// Exports a monitor chart (`monitor`, `monitor-arms`, `monitor-p`, through `through` looks) or the peeking chart as SVG or PNG, as last drawn.
#[tauri::command]
#[specta::specta]
pub async fn export_lab_chart<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    chart: String,
    format: ExportFormat,
    through: Option<u32>,
) -> IpcResult<Option<String>> {
    let Some(image) = format.image() else { return Err(unknown_format(format, "a lab chart", "svg or png")) };
    let failed = |e: lab::ChartError| IpcError::new(ErrorCode::ChartFailed, e.to_string());
    let bytes = {
        let lab = lab_state(&app);
        match chart.as_str() {
            "monitor" | "monitor-arms" | "monitor-p" => {
                let kept = lab.monitor.lock().map_err(|_| IpcError::new(ErrorCode::ChartFailed, "no monitor"))?;
                let report =
                    kept.as_ref().ok_or_else(|| IpcError::new(ErrorCode::NotFound, "Run the experiment first."))?;
                let through = through.map_or(report.looks.len(), |t| t as usize);
                lab::monitor_chart(report, &chart, Some(through), image)
                    .map_err(failed)?
                    .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "this method has no boundary to draw"))?
            }
            "peeking" => {
                let kept = lab.peek.lock().map_err(|_| IpcError::new(ErrorCode::ChartFailed, "no peeking run"))?;
                let report = kept
                    .as_ref()
                    .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "Wait for the estimate to settle."))?;
                lab::peeking_chart(report, image).map_err(failed)?
            }
            other => return Err(IpcError::new(ErrorCode::NotFound, format!("no lab chart {other:?}"))),
        }
    };
    let extension = image.extension();
    save_as(app, state.dialogs(), ("Image", extension), format!("journeylab-{chart}.{extension}"), bytes).await
}
