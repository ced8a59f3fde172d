//! The one seam between commands and file dialogs. Users always get the native
//! dialog. Debug builds started with `JOURNEYLAB_TEST_DIALOG_DIR` set (the E2E
//! tests) and the command tests answer from a folder instead, so the open, save
//! and export flows can be driven without a person at the dialog.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// The environment variable that selects [`Dialogs::Scripted`] in debug builds.
pub const TEST_DIALOG_DIR: &str = "JOURNEYLAB_TEST_DIALOG_DIR";

/// What a file dialog asks for: a filter and, for saving, a suggested file name.
pub struct FileRequest<'a> {
    pub filter_name: &'a str,
    pub extensions: &'a [&'a str],
    pub file_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dialogs {
    /// The platform's dialogs (GTK on Linux).
    Native,
    /// Answers from a folder: "open" picks the alphabetically first file there with a
    /// matching extension (none: cancelled); "save" answers the folder joined with the
    /// suggested name, unless a file named `CANCEL` is in the folder: then it is cancelled,
    /// and the file removed, so a test sees that the dialog was asked.
    #[cfg(debug_assertions)]
    Scripted(PathBuf),
}

impl Dialogs {
    /// Native, except in a debug build started with [`TEST_DIALOG_DIR`] set.
    pub fn from_env() -> Self {
        #[cfg(debug_assertions)]
        if let Some(dir) = std::env::var_os(TEST_DIALOG_DIR) {
            return Dialogs::Scripted(PathBuf::from(dir));
        }
        Dialogs::Native
    }

    /// A file to open; None if the user cancelled. Blocks: call it off the main thread.
    pub fn open<R: Runtime>(&self, app: &AppHandle<R>, request: &FileRequest) -> Option<PathBuf> {
        match self {
            Dialogs::Native => app
                .dialog()
                .file()
                .add_filter(request.filter_name, request.extensions)
                .blocking_pick_file()
                .and_then(|p| p.into_path().ok()),
            #[cfg(debug_assertions)]
            Dialogs::Scripted(dir) => {
                let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                    .ok()?
                    .filter_map(|e| Some(e.ok()?.path()))
                    .filter(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| request.extensions.contains(&e)))
                    .collect();
                files.sort();
                files.into_iter().next()
            }
        }
    }

    /// Where to save; None if the user cancelled. Blocks: call it off the main thread.
    pub fn save<R: Runtime>(&self, app: &AppHandle<R>, request: &FileRequest) -> Option<PathBuf> {
        match self {
            Dialogs::Native => {
                let dialog = app.dialog().file().add_filter(request.filter_name, request.extensions);
                let dialog = match &request.file_name {
                    Some(name) => dialog.set_file_name(name),
                    None => dialog,
                };
                dialog.blocking_save_file().and_then(|p| p.into_path().ok())
            }
            #[cfg(debug_assertions)]
            Dialogs::Scripted(dir) => {
                if std::fs::remove_file(dir.join("CANCEL")).is_ok() {
                    return None;
                }
                let name = request.file_name.clone().unwrap_or_else(|| "untitled".into());
                Some(dir.join(name))
            }
        }
    }
}
