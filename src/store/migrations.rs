//! The SQLite schema, as embedded ordered migrations. Migration `i` (0-based)
//! takes the schema from version `i` to `i + 1`; each runs in its own
//! transaction together with the `user_version` bump, so a crash mid-migration
//! leaves the previous version intact. Never edit a shipped migration: append.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: scenarios with versions, and runs with their results.
    "CREATE TABLE scenario (
         id         INTEGER PRIMARY KEY,
         name       TEXT NOT NULL UNIQUE,
         created_at INTEGER NOT NULL
     );
     CREATE TABLE scenario_version (
         id          INTEGER PRIMARY KEY,
         scenario_id INTEGER NOT NULL REFERENCES scenario(id) ON DELETE CASCADE,
         version     INTEGER NOT NULL,
         toml        TEXT NOT NULL,
         saved_at    INTEGER NOT NULL,
         UNIQUE (scenario_id, version)
     );
     CREATE TABLE run (
         id               INTEGER PRIMARY KEY,
         scenario_name    TEXT NOT NULL,
         scenario_version INTEGER REFERENCES scenario_version(id) ON DELETE SET NULL,
         toml             TEXT NOT NULL,
         started_at       INTEGER NOT NULL,
         seconds          REAL NOT NULL,
         users            INTEGER NOT NULL,
         days             INTEGER NOT NULL,
         seed             INTEGER NOT NULL,
         results_json     TEXT NOT NULL
     );
     CREATE INDEX run_by_time ON run(started_at DESC);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn user_version(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies every migration the database has not seen yet, each atomically.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found, supported: SCHEMA_VERSION });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
