//! Run progress over a `tauri::ipc::Channel`, throttled: worker threads report
//! after every chunk of users (hundreds per second); the UI needs ~10.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use journeylab::api::Progress;
use tauri::ipc::Channel;

use crate::dto::RunEvent;

/// Minimum time between two progress events (the last one always goes out).
pub const INTERVAL: Duration = Duration::from_millis(100);

pub struct Throttled {
    channel: Channel<RunEvent>,
    started: Instant,
    last: Mutex<Option<Instant>>,
}

impl Throttled {
    pub fn new(channel: Channel<RunEvent>) -> Self {
        Throttled { channel, started: Instant::now(), last: Mutex::new(None) }
    }

    pub fn send(&self, event: RunEvent) {
        // A closed channel (window gone) must not stop the run.
        let _ = self.channel.send(event);
    }

    /// Called from worker threads.
    pub fn report(&self, progress: Progress) {
        let now = Instant::now();
        let finished = progress.users_done >= progress.users_total;
        {
            let Ok(mut last) = self.last.lock() else { return };
            if !finished && last.is_some_and(|t| now.duration_since(t) < INTERVAL) {
                return;
            }
            *last = Some(now);
        }
        self.send(RunEvent::Progress {
            users_done: progress.users_done as f64,
            users_total: progress.users_total as f64,
            elapsed_ms: now.duration_since(self.started).as_secs_f64() * 1000.0,
        });
    }
}
