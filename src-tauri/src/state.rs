//! App state: the history store, the running jobs with their cancel tokens,
//! the file dialogs in use and the last comparison (for its exports).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use journeylab::api::{CompareReport, Store};

use crate::dialogs::Dialogs;

use crate::error::{ErrorCode, IpcError, IpcResult};

pub struct AppState {
    store: Mutex<Store>,
    /// Why the previous history was set aside at start-up, to tell the user once.
    pub notice: Mutex<Option<String>>,
    jobs: Mutex<HashMap<u32, Arc<AtomicBool>>>,
    next_job: AtomicU32,
    dialogs: Mutex<Dialogs>,
    /// The last finished comparison: what the Compare screen shows and exports.
    pub last_compare: Mutex<Option<Arc<CompareReport>>>,
    /// The open scenario has edits not saved (told by the UI): closing the window or Quit asks first.
    pub unsaved: AtomicBool,
}

impl AppState {
    pub fn new(store: Store, notice: Option<String>) -> Self {
        AppState {
            store: Mutex::new(store),
            notice: Mutex::new(notice),
            jobs: Mutex::default(),
            next_job: AtomicU32::new(1),
            dialogs: Mutex::new(Dialogs::from_env()),
            last_compare: Mutex::default(),
            unsaved: AtomicBool::new(false),
        }
    }

    pub fn dialogs(&self) -> Dialogs {
        self.dialogs.lock().map_or(Dialogs::Native, |d| d.clone())
    }

    /// Replaces the dialogs (the command tests script them).
    pub fn use_dialogs(&self, dialogs: Dialogs) {
        if let Ok(mut d) = self.dialogs.lock() {
            *d = dialogs;
        }
    }

    pub fn store(&self) -> IpcResult<MutexGuard<'_, Store>> {
        self.store
            .lock()
            .map_err(|_| IpcError::new(ErrorCode::StoreFailed, "the history is unavailable after an earlier failure"))
    }

    /// Registers a job; its token is set by [`AppState::cancel`].
    pub fn start_job(&self) -> (u32, Arc<AtomicBool>) {
        let id = self.next_job.fetch_add(1, Ordering::Relaxed);
        let token = Arc::new(AtomicBool::new(false));
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.insert(id, token.clone());
        }
        (id, token)
    }

    pub fn finish_job(&self, id: u32) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.remove(&id);
        }
    }

    /// Cancels a running job; false if it is not running (finished or unknown).
    pub fn cancel(&self, id: u32) -> bool {
        let jobs = self.jobs.lock();
        match jobs.ok().and_then(|jobs| jobs.get(&id).cloned()) {
            Some(token) => {
                token.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    pub fn running(&self) -> usize {
        self.jobs.lock().map_or(0, |jobs| jobs.len())
    }
}
