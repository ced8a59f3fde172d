//! Thin commands: DTO in → `journeylab::api` → DTO out. Heavy work (runs,
//! dialogs) happens off the main thread so the window never freezes.

use std::path::Path;
use std::time::Instant;

use journeylab::api::{self, NewRun, RunConfig};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::charts;
use crate::dto::{
    CheckReport, DiagnosticDto, Example, FieldDto, RunEvent, RunOptions, RunSummary, RunView, ScenarioDoc, UserScenario,
};
use crate::error::{IpcError, IpcResult};
use crate::progress::Throttled;
use crate::state::AppState;

/// How many runs the library lists.
const RECENT_RUNS: u32 = 30;

#[tauri::command]
pub fn library() -> Vec<Example> {
    api::examples()
        .iter()
        .map(|e| Example {
            id: e.id.to_owned(),
            title: api::check_scenario(e.text).map(|s| s.simulation.name).unwrap_or_else(|_| e.id.to_owned()),
            lesson: api::lesson(e.text).unwrap_or_default(),
        })
        .collect()
}

#[tauri::command]
pub fn open_example(id: String) -> IpcResult<ScenarioDoc> {
    let example = api::examples()
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| IpcError::new("not-found", format!("no ready-made scenario {id:?}")))?;
    Ok(ScenarioDoc { name: example.id.to_owned(), toml: example.text.to_owned(), origin: "example".into() })
}

#[tauri::command]
pub fn new_scenario() -> ScenarioDoc {
    ScenarioDoc { name: "New scenario".into(), toml: api::template().to_owned(), origin: "template".into() }
}

/// Validates editor text: never fails, problems come back as diagnostics.
#[tauri::command]
pub fn check_scenario(toml: String) -> CheckReport {
    let fields: Vec<FieldDto> =
        api::scenario_fields(&toml).map(|f| f.into_iter().map(FieldDto::from).collect()).unwrap_or_default();
    match api::check_scenario(&toml) {
        Ok(scenario) => CheckReport {
            valid: true,
            diagnostics: Vec::new(),
            fields,
            journeys: scenario.journeys.iter().map(|j| j.name.clone()).collect(),
            users: scenario.simulation.users,
            days: scenario.simulation.horizon_days,
        },
        Err(diagnostics) => CheckReport {
            valid: false,
            diagnostics: diagnostics.iter().map(DiagnosticDto::from).collect(),
            fields,
            journeys: Vec::new(),
            users: 0,
            days: 0,
        },
    }
}

#[tauri::command]
pub fn set_field(toml: String, path: String, value: String) -> IpcResult<String> {
    Ok(api::set_scenario_field(&toml, &path, &value)?)
}

#[tauri::command]
pub fn user_scenarios(state: State<'_, AppState>) -> IpcResult<Vec<UserScenario>> {
    Ok(state.store()?.scenarios()?.iter().map(UserScenario::from).collect())
}

/// Saves the text as the next version of the user's scenario `name`.
#[tauri::command]
pub fn save_scenario(state: State<'_, AppState>, name: String, toml: String) -> IpcResult<UserScenario> {
    let name = name.trim();
    if name.is_empty() {
        return Err(IpcError::new("scenario.unnamed", "Give the scenario a name before saving it."));
    }
    Ok(UserScenario::from(&state.store()?.save_scenario(name, &toml)?))
}

#[tauri::command]
pub fn open_user_scenario(state: State<'_, AppState>, name: String) -> IpcResult<ScenarioDoc> {
    let versions = state.store()?.scenario_versions(&name)?;
    let latest = versions.last().ok_or_else(|| IpcError::new("not-found", format!("no saved scenario {name:?}")))?;
    Ok(ScenarioDoc { name: latest.name.clone(), toml: latest.toml.clone(), origin: "saved".into() })
}

#[tauri::command]
pub fn recent_runs(state: State<'_, AppState>) -> IpcResult<Vec<RunSummary>> {
    Ok(state.store()?.recent_runs(RECENT_RUNS)?.iter().map(RunSummary::from).collect())
}

/// A stored run exactly as it finished, without re-running it.
#[tauri::command]
pub fn open_run(state: State<'_, AppState>, id: f64) -> IpcResult<RunView> {
    let (entry, _toml, results) = state.store()?.run(id as i64)?;
    Ok(RunView::new(&entry, &results, charts::for_results(&results)))
}

/// The scenario text a stored run was made from.
#[tauri::command]
pub fn run_scenario_text(state: State<'_, AppState>, id: f64) -> IpcResult<ScenarioDoc> {
    let (entry, toml, _) = state.store()?.run(id as i64)?;
    Ok(ScenarioDoc { name: entry.scenario_name, toml, origin: "run".into() })
}

/// Runs the scenario on a worker thread, streaming progress; saves the run and returns it.
#[tauri::command]
pub async fn run_scenario(
    state: State<'_, AppState>,
    toml: String,
    options: RunOptions,
    on_event: Channel<RunEvent>,
) -> IpcResult<RunView> {
    let scenario = api::check_scenario(&toml).map_err(|d| IpcError::invalid_scenario(&d))?;
    let config = RunConfig { users: options.users, days: options.days, ..RunConfig::default() };
    let users_total = f64::from(options.users.unwrap_or(scenario.simulation.users));
    let (job, cancel) = state.start_job();
    let progress = Throttled::new(on_event);
    progress.send(RunEvent::Started { job, users_total });
    let started_at = journeylab::store::now();
    let clock = Instant::now();
    let outcome =
        tauri::async_runtime::spawn_blocking(move || api::run(&scenario, &config, &|p| progress.report(p), &cancel))
            .await;
    state.finish_job(job);
    let results = outcome.map_err(|e| IpcError::new("run.failed", e.to_string()))??;
    let seconds = clock.elapsed().as_secs_f64();
    let id = state.store()?.save_run(&NewRun {
        toml: &toml,
        scenario_version: None,
        started_at,
        seconds,
        results: &results,
    })?;
    let (entry, _, _) = state.store()?.run(id)?;
    Ok(RunView::new(&entry, &results, charts::for_results(&results)))
}

#[tauri::command]
pub fn cancel_run(state: State<'_, AppState>, job: u32) -> bool {
    state.cancel(job)
}

/// Shown once: why the previous history was set aside at start-up.
#[tauri::command]
pub fn startup_notice(state: State<'_, AppState>) -> Option<String> {
    state.notice.lock().ok().and_then(|mut n| n.take())
}

/// Opens a .toml chosen in the native dialog; None if the user cancelled.
#[tauri::command]
pub async fn open_file<R: Runtime>(app: AppHandle<R>) -> IpcResult<Option<ScenarioDoc>> {
    let picked = app.dialog().file().add_filter("Scenario", &["toml"]).blocking_pick_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    let toml = std::fs::read_to_string(&path).map_err(|e| file_error(&path, &e))?;
    let name = path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    Ok(Some(ScenarioDoc { name, toml, origin: "file".into() }))
}

/// Writes the text to a .toml chosen in the native dialog; returns the path, None if cancelled.
#[tauri::command]
pub async fn save_file<R: Runtime>(app: AppHandle<R>, name: String, toml: String) -> IpcResult<Option<String>> {
    let picked = app
        .dialog()
        .file()
        .add_filter("Scenario", &["toml"])
        .set_file_name(format!("{name}.toml"))
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    std::fs::write(&path, toml).map_err(|e| file_error(&path, &e))?;
    Ok(Some(path.display().to_string()))
}

/// Exports a stored run: `summary-csv`, `daily-csv`, `json`, or a chart as `svg`/`png` (`chart` names it).
#[tauri::command]
pub async fn export_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: f64,
    format: String,
    chart: Option<String>,
) -> IpcResult<Option<String>> {
    let (_, _, results) = state.store()?.run(id as i64)?;
    let (bytes, extension, label) = match format.as_str() {
        "summary-csv" => (api::summary_csv(&results).into_bytes(), "csv", "CSV"),
        "daily-csv" => (api::daily_csv(&results).into_bytes(), "csv", "CSV"),
        "json" => (
            api::results_json(&results).map_err(|e| IpcError::new("file.failed", e.to_string()))?.into_bytes(),
            "json",
            "JSON",
        ),
        "svg" | "png" => {
            let chart = chart.unwrap_or_default();
            let bytes = charts::export(&results, &chart, &format)?;
            (bytes, if format == "svg" { "svg" } else { "png" }, "Image")
        }
        other => return Err(IpcError::new("file.failed", format!("unknown export format {other:?}"))),
    };
    let stem = format!("journeylab-run-{}", id as i64);
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .add_filter(label, &[extension])
            .set_file_name(format!("{stem}.{extension}"))
            .blocking_save_file()
    })
    .await
    .map_err(|e| IpcError::new("file.failed", e.to_string()))?;
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    std::fs::write(&path, bytes).map_err(|e| file_error(&path, &e))?;
    Ok(Some(path.display().to_string()))
}

fn file_error(path: &Path, e: &std::io::Error) -> IpcError {
    IpcError::new("file.failed", format!("{}: {e}", path.display()))
}
