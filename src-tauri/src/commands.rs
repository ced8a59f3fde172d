//! Thin commands: DTO in → `journeylab::api` → DTO out. Heavy work (runs,
//! comparisons, dialogs) happens off the main thread so the window never freezes.
//! File dialogs go through the [`Dialogs`] seam held in the app state.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use journeylab::api::{self, ImageFormat, NewRun, RunConfig};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::charts;
use crate::dialogs::{Dialogs, FileRequest};
use crate::dto::{
    CheckReport, CompareOptions, CompareView, DiagnosticDto, Example, ExportFormat, FieldDto, JourneyOutlineDto,
    RunEvent, RunOptions, RunSummary, RunView, ScenarioDoc, SegmentTraitsDto, StartQuestion, UserScenario,
    answer_screen,
};
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::jobs;
use crate::state::AppState;

/// How many runs the library lists.
const RECENT_RUNS: u32 = 30;

#[tauri::command]
#[specta::specta]
pub fn library() -> Vec<Example> {
    api::examples()
        .iter()
        .map(|e| Example {
            id: e.id.to_owned(),
            title: example_title(e),
            lesson: api::lesson(e.text).unwrap_or_default(),
            details: api::lesson_paragraph(e.text).unwrap_or_default(),
            answer: answer_screen(api::answer_of(e.text)),
        })
        .collect()
}

/// An example's name as its text writes it (the file id only if the text could not be read).
fn example_title(e: &api::Example) -> String {
    api::check_scenario(e.text).map(|s| s.simulation.name).unwrap_or_else(|_| e.id.to_owned())
}

/// The Library's "Start here" questions, each with the example that answers it and where.
#[tauri::command]
#[specta::specta]
pub fn start_questions() -> Vec<StartQuestion> {
    api::QUESTIONS
        .iter()
        .filter_map(|q| {
            let example = api::examples().iter().find(|e| e.id == q.example)?;
            Some(StartQuestion {
                question: q.question.to_owned(),
                example: example.id.to_owned(),
                title: example_title(example),
                answer: answer_screen(q.answer),
                read: q.read.to_owned(),
            })
        })
        .collect()
}

#[tauri::command]
#[specta::specta]
pub fn open_example(id: String) -> IpcResult<ScenarioDoc> {
    let example = api::examples()
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("no ready-made scenario {id:?}")))?;
    Ok(ScenarioDoc { name: example.id.to_owned(), toml: example.text.to_owned(), origin: "example".into() })
}

#[tauri::command]
#[specta::specta]
pub fn new_scenario() -> ScenarioDoc {
    ScenarioDoc { name: "New scenario".into(), toml: api::template().to_owned(), origin: "template".into() }
}

/// Validates editor text: never fails, problems come back as diagnostics.
#[tauri::command]
#[specta::specta]
pub fn check_scenario(toml: String) -> CheckReport {
    let fields: Vec<FieldDto> =
        api::scenario_fields(&toml).map(|f| f.into_iter().map(FieldDto::from).collect()).unwrap_or_default();
    let outlines: Vec<JourneyOutlineDto> =
        api::journey_outlines(&toml).map(|o| o.into_iter().map(JourneyOutlineDto::from).collect()).unwrap_or_default();
    // An invalid text still says whether it has an `[experiment]`: its form has the section.
    let experiment_fields = fields.iter().any(|f| f.section == "experiment" || f.section.starts_with("experiment."));
    match api::check_scenario(&toml) {
        Ok(scenario) => CheckReport {
            valid: true,
            diagnostics: Vec::new(),
            fields,
            outlines,
            journeys: scenario.journeys.iter().map(|j| j.name.clone()).collect(),
            users: scenario.simulation.users,
            days: scenario.simulation.horizon_days,
            has_experiment: scenario.experiment.is_some(),
        },
        Err(diagnostics) => CheckReport {
            valid: false,
            diagnostics: diagnostics.iter().map(DiagnosticDto::from).collect(),
            fields,
            outlines,
            journeys: Vec::new(),
            users: 0,
            days: 0,
            has_experiment: experiment_fields,
        },
    }
}

#[tauri::command]
#[specta::specta]
pub fn set_field(toml: String, path: String, value: String) -> IpcResult<String> {
    Ok(api::set_scenario_field(&toml, &path, &value)?)
}

#[tauri::command]
#[specta::specta]
pub fn user_scenarios(state: State<'_, AppState>) -> IpcResult<Vec<UserScenario>> {
    Ok(state.store()?.scenarios()?.iter().map(UserScenario::from).collect())
}

/// Saves the text as the next version of the user's scenario `name`.
#[tauri::command]
#[specta::specta]
pub fn save_scenario(state: State<'_, AppState>, name: String, toml: String) -> IpcResult<UserScenario> {
    let name = name.trim();
    if name.is_empty() {
        return Err(IpcError::new(ErrorCode::ScenarioUnnamed, "Give the scenario a name before saving it."));
    }
    Ok(UserScenario::from(&state.store()?.save_scenario(name, &toml)?))
}

#[tauri::command]
#[specta::specta]
pub fn open_user_scenario(state: State<'_, AppState>, name: String) -> IpcResult<ScenarioDoc> {
    let versions = state.store()?.scenario_versions(&name)?;
    let latest =
        versions.last().ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("no saved scenario {name:?}")))?;
    Ok(ScenarioDoc { name: latest.name.clone(), toml: latest.toml.clone(), origin: "saved".into() })
}

#[tauri::command]
#[specta::specta]
pub fn recent_runs(state: State<'_, AppState>) -> IpcResult<Vec<RunSummary>> {
    Ok(state.store()?.recent_runs(RECENT_RUNS)?.iter().map(RunSummary::from).collect())
}

/// A stored run exactly as it finished, without re-running it.
#[tauri::command]
#[specta::specta]
pub fn open_run(state: State<'_, AppState>, id: f64) -> IpcResult<RunView> {
    let (entry, toml, results) = state.store()?.run(id as i64)?;
    Ok(RunView::new(&entry, &results, charts::for_results(&results), &toml))
}

/// The scenario text a stored run was made from.
#[tauri::command]
#[specta::specta]
pub fn run_scenario_text(state: State<'_, AppState>, id: f64) -> IpcResult<ScenarioDoc> {
    let (entry, toml, _) = state.store()?.run(id as i64)?;
    Ok(ScenarioDoc { name: entry.scenario_name, toml, origin: "run".into() })
}

/// Runs the scenario on a worker thread, streaming progress; saves the run and returns it.
#[tauri::command]
#[specta::specta]
pub async fn run_scenario(
    state: State<'_, AppState>,
    toml: String,
    options: RunOptions,
    on_event: Channel<RunEvent>,
) -> IpcResult<RunView> {
    let scenario = api::check_scenario(&toml).map_err(|d| IpcError::invalid_scenario(&d))?;
    let config = RunConfig { users: options.users, days: options.days, ..RunConfig::default() };
    let users_total = f64::from(options.users.unwrap_or(scenario.simulation.users));
    let started_at = api::now();
    let clock = Instant::now();
    let results = jobs::with_progress(&state, on_event, users_total, move |progress, cancel| {
        Ok(api::run(&scenario, &config, progress, cancel)?)
    })
    .await?;
    let seconds = clock.elapsed().as_secs_f64();
    let id = state.store()?.save_run(&NewRun {
        toml: &toml,
        scenario_version: None,
        started_at,
        seconds,
        results: &results,
    })?;
    let (entry, _, _) = state.store()?.run(id)?;
    Ok(RunView::new(&entry, &results, charts::for_results(&results), &toml))
}

#[tauri::command]
#[specta::specta]
pub fn cancel_run(state: State<'_, AppState>, job: u32) -> bool {
    state.cancel(job)
}

/// Quits normally (File → Quit, Ctrl+Q): the event loop exits, so the window-state plugin writes the size.
#[tauri::command]
#[specta::specta]
pub fn quit<R: Runtime>(app: AppHandle<R>) {
    app.exit(0);
}

/// Whether the open scenario has unsaved edits: closing the window or the menu's Quit then asks in the UI.
#[tauri::command]
#[specta::specta]
pub fn set_unsaved(state: State<'_, AppState>, unsaved: bool) {
    state.unsaved.store(unsaved, std::sync::atomic::Ordering::Relaxed);
}

/// Shown once: why the previous history was set aside at start-up.
#[tauri::command]
#[specta::specta]
pub fn startup_notice(state: State<'_, AppState>) -> Option<String> {
    state.notice.lock().ok().and_then(|mut n| n.take())
}

/// Shows a dialog off the main thread (dialogs block until the user answers).
async fn ask<R: Runtime>(
    app: AppHandle<R>,
    dialogs: Dialogs,
    save: bool,
    filter: (&'static str, &'static str),
    file_name: Option<String>,
) -> IpcResult<Option<PathBuf>> {
    jobs::blocking(move || {
        let request = FileRequest { filter_name: filter.0, extensions: &[filter.1], file_name };
        Ok(if save { dialogs.save(&app, &request) } else { dialogs.open(&app, &request) })
    })
    .await
}

/// Asks where to save `bytes` and writes them there; the path, or None if the user cancelled.
pub(crate) async fn save_as<R: Runtime>(
    app: AppHandle<R>,
    dialogs: Dialogs,
    filter: (&'static str, &'static str),
    file_name: String,
    bytes: Vec<u8>,
) -> IpcResult<Option<String>> {
    let Some(path) = ask(app, dialogs, true, filter, Some(file_name)).await? else { return Ok(None) };
    std::fs::write(&path, bytes).map_err(|e| file_error(&path, &e))?;
    Ok(Some(path.display().to_string()))
}

/// Opens a .toml chosen in the file dialog; None if the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn open_file<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> IpcResult<Option<ScenarioDoc>> {
    let Some(path) = ask(app, state.dialogs(), false, ("Scenario", "toml"), None).await? else { return Ok(None) };
    let toml = std::fs::read_to_string(&path).map_err(|e| file_error(&path, &e))?;
    let name = path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    Ok(Some(ScenarioDoc { name, toml, origin: "file".into() }))
}

/// Writes the text to a .toml chosen in the file dialog; returns the path, None if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    toml: String,
) -> IpcResult<Option<String>> {
    save_as(app, state.dialogs(), ("Scenario", "toml"), format!("{name}.toml"), toml.into_bytes()).await
}

/// What an export writes: bytes, file extension and the dialog's filter name.
type Export = (Vec<u8>, &'static str, &'static str);

fn text_export(text: String, format: ExportFormat) -> Export {
    if format == ExportFormat::Json { (text.into_bytes(), "json", "JSON") } else { (text.into_bytes(), "csv", "CSV") }
}

fn image_export(bytes: Vec<u8>, image: ImageFormat) -> Export {
    (bytes, image.extension(), "Image")
}

/// A format this export does not write.
pub(crate) fn unknown_format(format: ExportFormat, what: &str, allowed: &str) -> IpcError {
    IpcError::new(ErrorCode::FileFailed, format!("{what} cannot be exported as {}: choose {allowed}", format.name()))
}

/// Exports a stored run: `summary-csv`, `daily-csv`, `json`, or a chart as `svg`/`png` (`chart` names it).
#[tauri::command]
#[specta::specta]
pub async fn export_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: f64,
    format: ExportFormat,
    chart: Option<String>,
) -> IpcResult<Option<String>> {
    let (_, _, results) = state.store()?.run(id as i64)?;
    let (bytes, extension, label) = match (format, format.image()) {
        (ExportFormat::SummaryCsv, _) => text_export(api::summary_csv(&results), ExportFormat::Csv),
        (ExportFormat::DailyCsv, _) => text_export(api::daily_csv(&results), ExportFormat::Csv),
        (ExportFormat::Json, _) => text_export(
            api::results_json(&results).map_err(|e| IpcError::new(ErrorCode::FileFailed, e.to_string()))?,
            ExportFormat::Json,
        ),
        (_, Some(image)) => image_export(charts::export(&results, &chart.unwrap_or_default(), image)?, image),
        (other, None) => return Err(unknown_format(other, "a run", "summary-csv, daily-csv, json, svg or png")),
    };
    let name = format!("journeylab-run-{}.{extension}", id as i64);
    save_as(app, state.dialogs(), (label, extension), name, bytes).await
}

/// Draws each segment's trait distributions from users drawn by the run's own sampler.
#[tauri::command]
#[specta::specta]
pub async fn segment_traits(toml: String) -> IpcResult<Vec<SegmentTraitsDto>> {
    let scenario = api::check_scenario(&toml).map_err(|d| IpcError::invalid_scenario(&d))?;
    jobs::blocking(move || Ok(charts::segment_traits(&scenario))).await
}

/// Compares the scenario's journeys over replicates on a worker thread, streaming progress
/// (cancel with `cancel_run`); keeps the report for export.
#[tauri::command]
#[specta::specta]
pub async fn compare_designs(
    state: State<'_, AppState>,
    toml: String,
    options: CompareOptions,
    on_event: Channel<RunEvent>,
) -> IpcResult<CompareView> {
    let scenario = api::check_scenario(&toml).map_err(|d| IpcError::invalid_scenario(&d))?;
    let config = api::compare_panel_config(options.replications, options.users)
        .map_err(|e| IpcError::new(ErrorCode::CompareInvalid, e.to_string()))?;
    let users = f64::from(options.users.unwrap_or(scenario.simulation.users));
    let (report, charts) =
        jobs::with_progress(&state, on_event, users * config.replications as f64, move |progress, cancel| {
            let report = api::compare(&scenario, &config, progress, cancel)?;
            let charts = charts::for_comparison(&report);
            Ok((report, charts))
        })
        .await?;
    let view = CompareView::new(&report, charts);
    if let Ok(mut last) = state.last_compare.lock() {
        *last = Some(Arc::new(report));
    }
    Ok(view)
}

/// Exports the last comparison: `csv` (headline metrics), `json` (the same with intervals and
/// winners), or a chart as `svg`/`png` (`chart` names it).
#[tauri::command]
#[specta::specta]
pub async fn export_compare<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    chart: Option<String>,
) -> IpcResult<Option<String>> {
    let report = state
        .last_compare
        .lock()
        .ok()
        .and_then(|r| r.clone())
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "compare the designs first"))?;
    let (bytes, extension, label) = match (format, format.image()) {
        (ExportFormat::Csv, _) => text_export(api::compare_csv(&report), ExportFormat::Csv),
        (ExportFormat::Json, _) => {
            let view = CompareView::new(&report, Vec::new());
            let json =
                serde_json::to_string_pretty(&view).map_err(|e| IpcError::new(ErrorCode::FileFailed, e.to_string()))?;
            text_export(json, ExportFormat::Json)
        }
        (_, Some(image)) => image_export(charts::export_comparison(&report, &chart.unwrap_or_default(), image)?, image),
        (other, None) => return Err(unknown_format(other, "a comparison", "csv, json, svg or png")),
    };
    save_as(app, state.dialogs(), (label, extension), format!("journeylab-compare.{extension}"), bytes).await
}

fn file_error(path: &Path, e: &std::io::Error) -> IpcError {
    IpcError::new(ErrorCode::FileFailed, format!("{}: {e}", path.display()))
}
