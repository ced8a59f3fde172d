//! The Calibrate screen: choose an event export in the file dialog, preview its first rows with the
//! detected format and mapping (preset, spec, purchase events and time zone editable), calibrate a
//! population on it as a job of `jobs.rs` (progress in simulated users over a channel, cancel with
//! `cancel_run`), show the back-test, export it, and open the calibrated scenario as the current
//! document. The chosen file and the last calibration are this screen's own managed state: the UI
//! never sees or sends a path.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use journeylab::api::Progress;
use journeylab::api::calibrate::{self, CalibrateError, Calibration, Update};
use journeylab::api::import::{self, Day, ImportError};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::calibrate_dto::{CalibrationView, ExportPreviewDto, HoldoutSuggestion, ImportOptionsDto};
use crate::commands::{save_as, unknown_format};
use crate::dialogs::FileRequest;
use crate::dto::{ExportFormat, RunEvent, ScenarioDoc};
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::jobs;
use crate::state::AppState;

/// Rows the preview shows.
const PREVIEW_ROWS: usize = 20;

/// What the importer reads, as the file dialog's filter.
const EXPORT_EXTENSIONS: &[&str] = &["csv", "tsv", "txt", "json", "jsonl", "ndjson", "gz", "parquet"];

/// The chosen export and the last calibration (for export and "Open as scenario").
#[derive(Default)]
pub struct CalibrateState {
    file: Mutex<Option<PathBuf>>,
    last: Mutex<Option<Arc<(String, Calibration)>>>,
}

fn calibrate_state<R: Runtime>(app: &AppHandle<R>) -> State<'_, CalibrateState> {
    if app.try_state::<CalibrateState>().is_none() {
        app.manage(CalibrateState::default());
    }
    app.state::<CalibrateState>()
}

fn chosen<R: Runtime>(app: &AppHandle<R>) -> IpcResult<PathBuf> {
    calibrate_state(app)
        .file
        .lock()
        .ok()
        .and_then(|f| f.clone())
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "choose an event export first"))
}

/// The last calibration (its back-test charts are drawn from it).
pub(crate) fn kept<R: Runtime>(app: &AppHandle<R>) -> IpcResult<Arc<(String, Calibration)>> {
    calibrate_state(app)
        .last
        .lock()
        .ok()
        .and_then(|l| l.clone())
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, "calibrate first"))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn import_error(e: ImportError) -> IpcError {
    IpcError::new(ErrorCode::ImportFailed, e.to_string())
}

fn preview(path: PathBuf, options: &ImportOptionsDto) -> IpcResult<ExportPreviewDto> {
    let p = import::preview(&path, &options.to_core(), PREVIEW_ROWS).map_err(import_error)?;
    Ok(ExportPreviewDto::new(file_name(&path), &p))
}

/// Asks for an event export in the file dialog and previews it as detected; None if cancelled.
#[tauri::command]
#[specta::specta]
pub async fn calibrate_choose<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> IpcResult<Option<ExportPreviewDto>> {
    let dialogs = state.dialogs();
    jobs::blocking(move || {
        let request = FileRequest { filter_name: "Event export", extensions: EXPORT_EXTENSIONS, file_name: None };
        let Some(path) = dialogs.open(&app, &request) else { return Ok(None) };
        // Kept only once it reads as an export: a refused file leaves the last choice in place.
        let shown = preview(path.clone(), &ImportOptionsDto::default())?;
        if let Ok(mut file) = calibrate_state(&app).file.lock() {
            *file = Some(path);
        }
        Ok(Some(shown))
    })
    .await
}

/// The chosen export's first rows read with these options (a preset, a spec, …).
#[tauri::command]
#[specta::specta]
pub async fn calibrate_preview<R: Runtime>(
    app: AppHandle<R>,
    options: ImportOptionsDto,
) -> IpcResult<ExportPreviewDto> {
    let path = chosen(&app)?;
    jobs::blocking(move || preview(path, &options)).await
}

/// The chosen export read whole with these options: the holdout the core suggests for its days
/// (their last quarter); None when the export is too short for one.
#[tauri::command]
#[specta::specta]
pub async fn calibrate_suggest_holdout<R: Runtime>(
    app: AppHandle<R>,
    options: ImportOptionsDto,
) -> IpcResult<Option<HoldoutSuggestion>> {
    let path = chosen(&app)?;
    jobs::blocking(move || {
        let summary = import::read(&path, &options.to_core(), &mut |_| {}).map_err(import_error)?.summary;
        let (Some(first), Some(last)) = (summary.first_day, summary.last_day) else { return Ok(None) };
        Ok(calibrate::suggested_holdout_from(first, last).map(|from| HoldoutSuggestion {
            from: from.to_string(),
            first_day: first.to_string(),
            last_day: last.to_string(),
        }))
    })
    .await
}

fn day(what: &str, text: &str) -> IpcResult<Day> {
    text.parse().map_err(|e| IpcError::new(ErrorCode::CalibrateInvalid, format!("{what}: {e}")))
}

/// Imports the chosen export with these options and calibrates on it: the fit sees the days before
/// `holdout_from`, the back-test the holdout to `holdout_to` (default the export's last day).
/// A job: progress in simulated users, cancel with `cancel_run`.
#[tauri::command]
#[specta::specta]
pub async fn calibrate_run<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    options: ImportOptionsDto,
    holdout_from: String,
    holdout_to: Option<String>,
    on_event: Channel<RunEvent>,
) -> IpcResult<CalibrationView> {
    let path = chosen(&app)?;
    let holdout_from = day("the holdout's first day", &holdout_from)?;
    let holdout_to =
        holdout_to.filter(|t| !t.trim().is_empty()).map(|t| day("the holdout's last day", &t)).transpose()?;
    let source = file_name(&path);
    let stem = path.file_stem().map_or_else(|| source.clone(), |s| s.to_string_lossy().into_owned());
    let (calibration, view) = jobs::with_progress(&state, on_event, 0.0, move |progress, cancel| {
        let imported = import::read(&path, &options.to_core(), &mut |_| {}).map_err(import_error)?;
        let options = calibrate::Options { holdout_from, holdout_to, seed: calibrate::DEFAULT_SEED, source };
        let on_update = |update: Update<'_>| {
            if let Update::Simulated { done, total } = update {
                progress(Progress { users_done: done, users_total: total });
            }
        };
        let calibration = calibrate::calibrate(&imported, &options, cancel, &on_update).map_err(|e| match e {
            CalibrateError::Run(run) => IpcError::from(run),
            CalibrateError::BadInput { message, .. } => IpcError::new(ErrorCode::CalibrateInvalid, message),
            other => IpcError::new(ErrorCode::RunFailed, other.to_string()),
        })?;
        let view = CalibrationView::new(&calibration);
        Ok((calibration, view))
    })
    .await?;
    if let Ok(mut last) = calibrate_state(&app).last.lock() {
        *last = Some(Arc::new((stem, calibration)));
    }
    Ok(view)
}

/// The last calibration's scenario as the current document (then Scenario, Run, Compare use it).
#[tauri::command]
#[specta::specta]
pub fn calibrate_open_scenario<R: Runtime>(app: AppHandle<R>) -> IpcResult<ScenarioDoc> {
    let last = kept(&app)?;
    let (stem, calibration) = last.as_ref();
    Ok(ScenarioDoc {
        name: format!("calibrated {stem}"),
        toml: calibration.scenario.clone(),
        origin: "calibration".into(),
    })
}

/// Exports the last calibration: `json` (the report) or a back-test chart as `svg`/`png` (`chart` its id).
#[tauri::command]
#[specta::specta]
pub async fn export_calibration<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    format: ExportFormat,
    chart: Option<String>,
) -> IpcResult<Option<String>> {
    let last = kept(&app)?;
    let (_, calibration) = last.as_ref();
    let (bytes, name, label, extension) = match (format, format.image()) {
        (ExportFormat::Json, _) => {
            let json = serde_json::to_string_pretty(&calibration.report)
                .map_err(|e| IpcError::new(ErrorCode::FileFailed, e.to_string()))?;
            (json.into_bytes(), "report".to_owned(), "JSON", "json")
        }
        (_, Some(image)) => {
            let id = chart.unwrap_or_default();
            let (stem, drawn) = calibrate::charts(calibration)
                .into_iter()
                .find(|(stem, _)| *stem == id)
                .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("the back-test has no chart {id:?}")))?;
            let bytes =
                calibrate::draw(&drawn, image).map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))?;
            (bytes, stem.to_owned(), "Image", image.extension())
        }
        (other, None) => return Err(unknown_format(other, "a calibration", "json, svg or png")),
    };
    save_as(app, state.dialogs(), (label, extension), format!("{name}.{extension}"), bytes).await
}
