//! The native menu. Its items carry the keyboard shortcuts; choosing one is
//! forwarded to the UI as a [`MenuChosen`] event with the item's id, and the UI acts.
//! The UI also maps the same chords pressed in the page to the same ids (the
//! webview may receive a key press the accelerator did not): one dispatcher acts once.

use serde::{Deserialize, Serialize};
use specta::Type;
use std::sync::atomic::Ordering;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};

use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};
use tauri_specta::Event;

use crate::screens::SCREENS;
use crate::state::AppState;

/// A menu item was chosen: its id (`new`, `open`, `save`, `save-file`, `undo`, `redo`, `run`, `cancel`, `glossary`,
/// `quit` when the scenario has unsaved edits (the UI asks before quitting), or a
/// screen's `view-<id>`). The UI maps chords pressed in the page to the same ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type, Event)]
pub struct MenuChosen(pub String);

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str, text: &str, accel: &str| MenuItemBuilder::with_id(id, text).accelerator(accel).build(app);
    let file = SubmenuBuilder::new(app, "File")
        .item(&item("new", "New Scenario", "CmdOrCtrl+N")?)
        .item(&item("open", "Open…", "CmdOrCtrl+O")?)
        .separator()
        .item(&item("save", "Save to Library", "CmdOrCtrl+S")?)
        .item(&item("save-file", "Save As File…", "CmdOrCtrl+Shift+S")?)
        .separator()
        .item(&item("quit", "Quit", "CmdOrCtrl+Q")?)
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&item("undo", "Undo", "CmdOrCtrl+Z")?)
        .item(&item("redo", "Redo", "CmdOrCtrl+Shift+Z")?)
        .build()?;
    let run = SubmenuBuilder::new(app, "Run")
        .item(&item("run", "Run Scenario", "CmdOrCtrl+R")?)
        .item(&item("cancel", "Cancel Run", "CmdOrCtrl+.")?)
        .build()?;
    let mut view = SubmenuBuilder::new(app, "View");
    for screen in &SCREENS {
        view = view.item(&item(&screen.menu_id(), screen.label, &format!("CmdOrCtrl+{}", screen.key))?);
    }
    let view = view.build()?;
    let help = SubmenuBuilder::new(app, "Help").item(&item("glossary", "Glossary", "F1")?).build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &run, &view, &help]).build()
}

/// Quit is handled here when nothing is unsaved (the page need not answer for the app to quit);
/// with unsaved edits it goes to the UI, which asks first. Every other item goes to the UI.
pub fn forward<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().0.as_str() {
        "quit" if !has_unsaved_edits(app) => app.exit(0),
        id => {
            let _ = MenuChosen(id.to_owned()).emit(app);
        }
    }
}

/// Whether the UI said the open scenario has unsaved edits (`set_unsaved`).
pub fn has_unsaved_edits<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<AppState>().is_some_and(|s| s.unsaved.load(Ordering::Relaxed))
}

/// Closing the window with unsaved edits is held back and asked about in the UI, as Quit is.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event
        && has_unsaved_edits(window.app_handle())
    {
        api.prevent_close();
        let _ = MenuChosen("quit".to_owned()).emit(window.app_handle());
    }
}
