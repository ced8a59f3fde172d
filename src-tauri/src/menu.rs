//! The native menu. Its items carry the keyboard shortcuts; choosing one is
//! forwarded to the UI as a `menu` event with the item's id, and the UI acts.
//! The UI also maps the same chords pressed in the page to the same ids (the
//! webview may receive a key press the accelerator did not): one dispatcher acts once.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

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
    let run = SubmenuBuilder::new(app, "Run")
        .item(&item("run", "Run Scenario", "CmdOrCtrl+R")?)
        .item(&item("cancel", "Cancel Run", "CmdOrCtrl+.")?)
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&item("view-library", "Library", "CmdOrCtrl+1")?)
        .item(&item("view-scenario", "Scenario", "CmdOrCtrl+2")?)
        .item(&item("view-journeys", "Journeys", "CmdOrCtrl+3")?)
        .item(&item("view-run", "Run", "CmdOrCtrl+4")?)
        .item(&item("view-results", "Results", "CmdOrCtrl+5")?)
        .item(&item("view-compare", "Compare Designs", "CmdOrCtrl+6")?)
        .item(&item("view-monitor", "Experiment", "CmdOrCtrl+7")?)
        .item(&item("view-peeking", "Peeking Lab", "CmdOrCtrl+8")?)
        .item(&item("view-planner", "Planner", "CmdOrCtrl+9")?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &run, &view]).build()
}

/// Quit is handled here (the page need not answer for the app to quit); every other item goes to the UI.
pub fn forward<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().0.as_str() {
        "quit" => app.exit(0),
        id => {
            let _ = app.emit("menu", id);
        }
    }
}
