//! The one job runner: every long command (a run, a comparison, a robustness sweep, the
//! experiment monitor and its replications, the peeking lab, a calibration) starts, reports, cancels and
//! finishes the same way. A job is registered in the app state with a cancel token (its id goes
//! to the UI first, for `cancel_run`), its work runs on a worker thread so the window never
//! freezes, and it is unregistered on every path — success, failure, a panicking worker, or the
//! command's future being dropped — because [`Job`] unregisters when dropped.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use journeylab::api::Progress;
use tauri::ipc::Channel;

use crate::dto::RunEvent;
use crate::error::{ErrorCode, IpcError, IpcResult};
use crate::progress::Throttled;
use crate::state::AppState;

/// A registered job: its id (for `cancel_run`) and cancel token.
pub struct Job<'a> {
    state: &'a AppState,
    pub id: u32,
    pub cancel: Arc<AtomicBool>,
}

impl<'a> Job<'a> {
    pub fn start(state: &'a AppState) -> Self {
        let (id, cancel) = state.start_job();
        Job { state, id, cancel }
    }

    /// Runs `work` on a worker thread with the job's cancel token.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&AtomicBool) -> IpcResult<T> + Send + 'static,
    ) -> IpcResult<T> {
        let cancel = self.cancel.clone();
        blocking(move || work(&cancel)).await
        // `self` drops here: the job is unregistered.
    }
}

impl Drop for Job<'_> {
    fn drop(&mut self) {
        self.state.finish_job(self.id);
    }
}

/// The common job: progress in simulated users over a [`RunEvent`] channel (`Started` with the
/// job id and `users_total` first, then throttled `Progress`), cancelled with `cancel_run`.
pub async fn with_progress<T: Send + 'static>(
    state: &AppState,
    on_event: Channel<RunEvent>,
    users_total: f64,
    work: impl FnOnce(&(dyn Fn(Progress) + Sync), &AtomicBool) -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    let job = Job::start(state);
    let progress = Throttled::new(on_event);
    progress.send(RunEvent::Started { job: job.id, users_total });
    job.run(move |cancel| work(&|p| progress.report(p), cancel)).await
}

/// Work that is not a job (no progress, nothing to cancel) but must not block the window.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> IpcResult<T> + Send + 'static) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::new(ErrorCode::RunFailed, format!("the worker thread failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use journeylab::api::Store;

    fn state() -> AppState {
        AppState::new(Store::in_memory().expect("in memory"), None)
    }

    #[test]
    fn a_job_is_unregistered_on_every_path() {
        let state = state();
        let ok = tauri::async_runtime::block_on(Job::start(&state).run(|_| Ok(1)));
        assert_eq!(ok, Ok(1));
        let failed: IpcResult<()> =
            tauri::async_runtime::block_on(Job::start(&state).run(|_| Err(IpcError::new(ErrorCode::LabInvalid, "no"))));
        assert_eq!(failed.expect_err("fails").code, ErrorCode::LabInvalid);
        let panicked: IpcResult<()> =
            tauri::async_runtime::block_on(Job::start(&state).run(|_| panic!("a worker panics")));
        assert_eq!(panicked.expect_err("the panic is an error").code, ErrorCode::RunFailed);
        // Started but never run (the command's future dropped before the work).
        drop(Job::start(&state));
        assert_eq!(state.running(), 0);
    }

    #[test]
    fn a_running_job_can_be_cancelled_by_its_id() {
        let state = state();
        let job = Job::start(&state);
        assert_eq!(state.running(), 1);
        assert!(state.cancel(job.id));
        let seen =
            tauri::async_runtime::block_on(job.run(|cancel| Ok(cancel.load(std::sync::atomic::Ordering::Relaxed))));
        assert_eq!(seen, Ok(true));
        assert_eq!(state.running(), 0);
    }
}
