//! History: the user's scenarios (every saved version) and runs with their
//! results, in one SQLite file. The schema is versioned and migrated in
//! transactions ([`migrations`]); the journal is WAL. A file that is not a
//! readable database, or one written by a newer Journey Lab, is moved aside
//! (never deleted) and a fresh one started, so the app always opens.

mod migrations;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::engine::RunResults;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("history database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the history was written by a newer Journey Lab (schema {found}; this version reads up to {supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("the history database is damaged: {0}")]
    Corrupt(String),
    #[error("cannot move the unreadable history {} aside: {source}", path.display())]
    MoveAside { path: PathBuf, source: std::io::Error },
    #[error("stored results of run {id} cannot be read: {source}")]
    Results { id: i64, source: serde_json::Error },
    #[error("no run with id {0}")]
    NoRun(i64),
}

/// Why the previous database was set aside when the store opened.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    pub reason: String,
    pub moved_to: PathBuf,
}

/// One saved version of a user's scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioVersion {
    pub id: i64,
    pub name: String,
    pub version: i64,
    pub toml: String,
    pub saved_at: i64,
}

/// A run as listed in the history (without its results).
#[derive(Clone, Debug, PartialEq)]
pub struct RunEntry {
    pub id: i64,
    pub scenario_name: String,
    pub started_at: i64,
    pub seconds: f64,
    pub users: u32,
    pub days: u32,
    pub seed: u64,
}

/// A finished run to record.
pub struct NewRun<'a> {
    pub toml: &'a str,
    pub scenario_version: Option<i64>,
    pub started_at: i64,
    pub seconds: f64,
    pub results: &'a RunResults,
}

pub struct Store {
    conn: Connection,
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Opens (creating and migrating) the history at `path`. A corrupt or
    /// too-new file is renamed to `<name>.unreadable-<time>` and a fresh
    /// history started; the returned [`Recovery`] says why and where it went.
    pub fn open(path: &Path) -> Result<(Store, Option<Recovery>), StoreError> {
        match Self::open_existing(path) {
            Ok(store) => Ok((store, None)),
            Err(e @ (StoreError::TooNew { .. } | StoreError::Corrupt(_))) => {
                let moved_to = move_aside(path)?;
                let store = Self::open_existing(path)?;
                Ok((store, Some(Recovery { reason: e.to_string(), moved_to })))
            }
            Err(StoreError::Sqlite(e)) if is_corruption(&e) => {
                let moved_to = move_aside(path)?;
                let store = Self::open_existing(path)?;
                Ok((store, Some(Recovery { reason: format!("the history database is damaged: {e}"), moved_to })))
            }
            Err(e) => Err(e),
        }
    }

    /// An in-memory store (for tests and for running without a data directory).
    pub fn in_memory() -> Result<Store, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    fn open_existing(path: &Path) -> Result<Store, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Corrupt(check));
        }
        migrations::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// Saves `toml` as the next version of the user's scenario `name`; returns that version.
    pub fn save_scenario(&mut self, name: &str, toml: &str) -> Result<ScenarioVersion, StoreError> {
        let saved_at = now();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("INSERT OR IGNORE INTO scenario (name, created_at) VALUES (?1, ?2)", params![name, saved_at])?;
        let scenario_id: i64 = tx.query_row("SELECT id FROM scenario WHERE name = ?1", [name], |r| r.get(0))?;
        let version: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM scenario_version WHERE scenario_id = ?1",
            [scenario_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO scenario_version (scenario_id, version, toml, saved_at) VALUES (?1, ?2, ?3, ?4)",
            params![scenario_id, version, toml, saved_at],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(ScenarioVersion { id, name: name.to_owned(), version, toml: toml.to_owned(), saved_at })
    }

    /// The latest version of every user scenario, by name.
    pub fn scenarios(&self) -> Result<Vec<ScenarioVersion>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT v.id, s.name, v.version, v.toml, v.saved_at FROM scenario s
             JOIN scenario_version v ON v.scenario_id = s.id
             WHERE v.version = (SELECT MAX(version) FROM scenario_version WHERE scenario_id = s.id)
             ORDER BY s.name",
        )?;
        let rows = stmt.query_map([], scenario_version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every saved version of the scenario `name`, oldest first.
    pub fn scenario_versions(&self, name: &str) -> Result<Vec<ScenarioVersion>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT v.id, s.name, v.version, v.toml, v.saved_at FROM scenario s
             JOIN scenario_version v ON v.scenario_id = s.id WHERE s.name = ?1 ORDER BY v.version",
        )?;
        let rows = stmt.query_map([name], scenario_version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a finished run and its results in one transaction; returns its id.
    pub fn save_run(&mut self, run: &NewRun<'_>) -> Result<i64, StoreError> {
        self.save_run_then(run, || {})
    }

    /// [`Store::save_run`] with a hook just before the commit (tests kill the process there).
    fn save_run_then(&mut self, run: &NewRun<'_>, before_commit: impl FnOnce()) -> Result<i64, StoreError> {
        let json = serde_json::to_string(run.results).map_err(|source| StoreError::Results { id: 0, source })?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO run (scenario_name, scenario_version, toml, started_at, seconds, users, days, seed, results_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                run.results.scenario,
                run.scenario_version,
                run.toml,
                run.started_at,
                run.seconds,
                run.results.users,
                run.results.days,
                // SQLite integers are signed: the seed's bits are stored as i64.
                run.results.seed as i64,
                json
            ],
        )?;
        let id = tx.last_insert_rowid();
        before_commit();
        tx.commit()?;
        Ok(id)
    }

    /// The most recent runs, newest first.
    pub fn recent_runs(&self, limit: u32) -> Result<Vec<RunEntry>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, scenario_name, started_at, seconds, users, days, seed FROM run
             ORDER BY started_at DESC, id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], run_entry_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A stored run's scenario text and results, exactly as they were saved.
    pub fn run(&self, id: i64) -> Result<(RunEntry, String, RunResults), StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, scenario_name, started_at, seconds, users, days, seed, toml, results_json FROM run WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        run_entry_row(r)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::NoRun(id))?;
        let results = parse_results(&row.2).map_err(|source| StoreError::Results { id, source })?;
        Ok((row.0, row.1, results))
    }
}

/// Parses stored results, refusing any schema but this build's.
fn parse_results(json: &str) -> Result<RunResults, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Header {
        schema: String,
    }
    let header: Header = serde_json::from_str(json)?;
    if header.schema != crate::engine::RESULTS_SCHEMA {
        return Err(serde::de::Error::custom(format!(
            "results schema {:?}, this build reads {:?}",
            header.schema,
            crate::engine::RESULTS_SCHEMA
        )));
    }
    serde_json::from_str(json)
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

/// Renames the database and its WAL files to `<name>.unreadable-<unix time>[-wal|-shm]`.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = now();
    let target = |suffix: &str| {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".unreadable-{stamp}{suffix}"));
        path.with_file_name(name)
    };
    let moved_to = target("");
    std::fs::rename(path, &moved_to).map_err(|source| StoreError::MoveAside { path: path.to_owned(), source })?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_os_string();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            std::fs::rename(&side, target(suffix))
                .map_err(|source| StoreError::MoveAside { path: side.clone(), source })?;
        }
    }
    Ok(moved_to)
}

/// A `scenario_version` row selected as `v.id, s.name, v.version, v.toml, v.saved_at`.
fn scenario_version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScenarioVersion> {
    Ok(ScenarioVersion { id: r.get(0)?, name: r.get(1)?, version: r.get(2)?, toml: r.get(3)?, saved_at: r.get(4)? })
}

/// A `run` row whose first columns are `id, scenario_name, started_at, seconds, users, days, seed`.
fn run_entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunEntry> {
    Ok(RunEntry {
        id: r.get(0)?,
        scenario_name: r.get(1)?,
        started_at: r.get(2)?,
        seconds: r.get(3)?,
        users: r.get(4)?,
        days: r.get(5)?,
        // SQLite integers are signed: the seed is stored as its two's-complement bit pattern.
        seed: r.get::<_, i64>(6)? as u64,
    })
}
