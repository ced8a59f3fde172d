//! Journey Lab's desktop shell: thin Tauri commands over `journeylab::api`.
//! See ARCHITECTURE.md (the shell) for the map.

pub mod canvas;
pub mod charts;
pub mod commands;
pub mod dialogs;
pub mod dto;
pub mod error;
pub mod lab;
pub mod lab_dto;
mod menu;
pub mod model;
pub mod progress;
pub mod robust;
pub mod state;

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

/// The app's commands, state and plugins on any runtime: the real one in
/// [`run`], the mock runtime in the command tests.
pub fn run_app<R: Runtime>(builder: Builder<R>, history: History) -> Builder<R> {
    let builder = builder.plugin(tauri_plugin_dialog::init());
    let builder = match history {
        // The data directory is known once the app exists.
        History::AppData => builder.setup(|app| {
            let dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&dir)?;
            app.manage(open_state(Some(&dir.join("history.sqlite")))?);
            Ok(())
        }),
        History::File(path) => match open_state(Some(&path)) {
            Ok(state) => builder.manage(state),
            Err(e) => builder.setup(move |_| Err(e.into())),
        },
        History::InMemory => match open_state(None) {
            Ok(state) => builder.manage(state),
            Err(e) => builder.setup(move |_| Err(e.into())),
        },
    };
    builder.invoke_handler(tauri::generate_handler![
        commands::library,
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
        commands::open_file,
        commands::save_file,
        commands::export_run,
        lab::experiment_monitor,
        lab::experiment_replications,
        lab::peeking_start,
        lab::experiment_traffic,
        lab::plan_experiment,
        lab::export_lab_chart,
        canvas::canvas_graph,
        canvas::canvas_edit,
        canvas::canvas_flow,
        model::model_parameters,
        commands::segment_traits,
        commands::compare_designs,
        commands::export_compare,
        robust::robust_settings,
        robust::robust_plan,
        robust::robust_run,
        robust::export_robust,
        commands::quit,
    ])
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
        .on_menu_event(menu::forward);
    if let Err(e) = builder.run(tauri::generate_context!()) {
        // No window to show it in: stderr is all there is.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("Journey Lab could not start: {e}");
        }
        std::process::exit(1);
    }
}
