//! Journey Lab's desktop shell: thin Tauri commands over `journeylab::api`.
//! See ARCHITECTURE.md (the shell) for the map.

pub mod calibrate;
pub mod calibrate_dto;
pub mod canvas;
pub mod charts;
pub mod commands;
pub mod dialogs;
pub mod dto;
pub mod error;
pub mod jobs;
pub mod lab;
pub mod lab_dto;
mod menu;
pub mod model;
pub mod progress;
pub mod robust;
pub mod screens;
pub mod state;
pub mod vocabulary;

use std::path::{Path, PathBuf};

use journeylab::api::{self, Store, StoreError};
use tauri::{Builder, Manager, Runtime};

use crate::state::AppState;

/// Where the history lives.
pub enum History {
    /// `history.sqlite` in the platform's app data directory.
    AppData,
    /// A file chosen by the caller (tests).
    File(PathBuf),
    /// Nothing on disk (command tests).
    InMemory,
}

/// The one registry of the app's IPC: every command (with its arguments, result and error), the
/// events and the constants the UI shares. The invoke handler and ui/src/bindings.ts (TypeScript,
/// `make bindings`; `tests/bindings.rs` fails when it is stale) are both generated from it, so a
/// command cannot be callable without a typed binding, nor the other way round.
pub fn ipc<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        // A generic command is named with `tauri::Wry` for its types only (they do not depend on
        // the runtime); its handler is built for `R`.
        .commands(tauri_specta::collect_commands![
            commands::library,
            commands::start_questions,
            commands::open_example,
            commands::new_scenario,
            commands::check_scenario,
            commands::set_field,
            commands::user_scenarios,
            commands::save_scenario,
            commands::open_user_scenario,
            commands::recent_runs,
            commands::open_run,
            commands::run_scenario_text,
            commands::run_scenario,
            commands::cancel_run,
            commands::startup_notice,
            commands::open_file::<tauri::Wry>,
            commands::save_file::<tauri::Wry>,
            commands::export_run::<tauri::Wry>,
            lab::experiment_monitor::<tauri::Wry>,
            lab::experiment_replications,
            lab::peeking_start::<tauri::Wry>,
            lab::experiment_traffic,
            lab::plan_experiment,
            lab::export_lab_chart::<tauri::Wry>,
            charts::draw_chart::<tauri::Wry>,
            canvas::canvas_graph,
            canvas::canvas_edit,
            canvas::canvas_flow,
            model::model_parameters,
            commands::segment_traits,
            commands::compare_designs,
            commands::export_compare::<tauri::Wry>,
            robust::robust_settings,
            robust::robust_plan,
            robust::robust_run::<tauri::Wry>,
            robust::export_robust::<tauri::Wry>,
            vocabulary::vocabulary,
            calibrate::calibrate_choose::<tauri::Wry>,
            calibrate::calibrate_preview::<tauri::Wry>,
            calibrate::calibrate_suggest_holdout::<tauri::Wry>,
            calibrate::calibrate_run::<tauri::Wry>,
            calibrate::calibrate_open_scenario::<tauri::Wry>,
            calibrate::export_calibration::<tauri::Wry>,
            commands::quit::<tauri::Wry>,
            commands::set_unsaved,
        ])
        .events(tauri_specta::collect_events![menu::MenuChosen])
        .typ::<error::ErrorCode>()
        .typ::<screens::Screen>()
        .constant("SCREENS", screens::SCREENS)
        .constant("COMPARE_SETTINGS", dto::CompareSettings::from_core())
        // Commands reject with an `IpcError`, as before; the UI catches and matches on its code.
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
        // One TypeScript type per DTO (not a serialise and a deserialise variant of each).
        .disable_serde_phases()
        // An `f64` crosses as `number`: the DTOs carry finite numbers only (serde_json would
        // write a NaN as null), which is what the UI formats.
        .semantic_types(specta_typescript::semantic::Configuration::empty().enable_lossless_floats())
}

/// The app's commands, state and plugins on any runtime: the real one in
/// [`run`], the mock runtime in the command tests.
pub fn run_app<R: Runtime>(builder: Builder<R>, history: History) -> Builder<R> {
    let ipc = ipc::<R>();
    let mut builder = builder.plugin(tauri_plugin_dialog::init()).invoke_handler(ipc.invoke_handler());
    // A history the caller names is opened now, so the state is there before setup runs (the
    // mock runtime of the command tests does not run it); the app data directory is known
    // only once the app exists.
    let opened = match &history {
        History::AppData => None,
        History::File(path) => Some(open_state(Some(path))),
        History::InMemory => Some(open_state(None)),
    };
    let mut failed = None;
    match opened {
        Some(Ok(state)) => builder = builder.manage(state),
        Some(Err(e)) => failed = Some(e),
        None => {}
    }
    builder.setup(move |app| {
        ipc.mount_events(app);
        if let Some(e) = failed {
            return Err(e.into());
        }
        if let History::AppData = history {
            let dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&dir)?;
            app.manage(open_state(Some(&dir.join("history.sqlite")))?);
        }
        Ok(())
    })
}

/// The app state over the history at `path` (in memory if None). A history that
/// cannot be opened at all still gives a working app, in memory, with the reason.
fn open_state(path: Option<&Path>) -> Result<AppState, StoreError> {
    let Some(path) = path else { return Ok(AppState::new(Store::in_memory()?, None)) };
    Ok(match api::open_history(path) {
        Ok((store, recovery)) => AppState::new(
            store,
            recovery.map(|r| {
                format!(
                    "{} It was moved to {} and a new history was started.",
                    capitalise(&r.reason),
                    r.moved_to.display()
                )
            }),
        ),
        Err(e) => AppState::new(
            Store::in_memory()?,
            Some(format!("{} Runs will not be kept this session.", capitalise(&e.to_string()))),
        ),
    })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".").unwrap_or_default()
}

/// The desktop app: history in the app data directory, native menu, remembered window size.
pub fn run() {
    let builder = run_app(Builder::default(), History::AppData)
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .menu(menu::build)
        .on_menu_event(menu::forward)
        .on_window_event(menu::on_window_event);
    if let Err(e) = builder.run(tauri::generate_context!()) {
        // No window to show it in: stderr is all there is.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("Journey Lab could not start: {e}");
        }
        std::process::exit(1);
    }
}
