use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::migrations::SCHEMA_VERSION;
use super::*;
use crate::engine::RunConfig;

/// Environment variable that turns `crash_child` from a no-op into the crashing half of a test.
const CRASH_DB: &str = "JOURNEYLAB_STORE_CRASH_DB";

fn small_results(seed: u64) -> RunResults {
    let text = include_str!("../../simulations/send_time.toml");
    let scenario = crate::api::check_scenario(text).expect("bundled scenario is valid");
    let config = RunConfig { users: Some(600), days: Some(10), seed: Some(seed), threads: Some(1), replicate: 0 };
    crate::api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("small run")
}

fn new_run(results: &RunResults) -> NewRun<'_> {
    NewRun { toml: "# text", scenario_version: None, started_at: 1_700_000_000, seconds: 0.5, results }
}

fn user_version_of(path: &Path) -> i64 {
    let conn = Connection::open(path).expect("open");
    migrations::user_version(&conn).expect("user_version")
}

#[test]
fn fresh_database_is_migrated_to_the_latest_version_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("history.sqlite");
    let (store, recovery) = Store::open(&path).expect("open");
    assert_eq!(recovery, None);
    let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("journal_mode");
    assert_eq!(mode, "wal");
    drop(store);
    assert_eq!(user_version_of(&path), SCHEMA_VERSION);
    // Reopening applies nothing twice.
    let (_store, recovery) = Store::open(&path).expect("reopen");
    assert_eq!(recovery, None);
    assert_eq!(user_version_of(&path), SCHEMA_VERSION);
}

#[test]
fn a_failing_migration_leaves_the_previous_version_and_no_partial_tables() {
    let mut conn = Connection::open_in_memory().expect("open");
    // Occupy a name migration 1 creates after its first table, so it fails half-way.
    conn.execute_batch("CREATE TABLE run (x)").expect("blocker");
    assert!(migrations::migrate(&mut conn).is_err());
    assert_eq!(migrations::user_version(&conn).expect("version"), 0);
    let scenario_tables: i64 =
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = 'scenario'", [], |r| r.get(0)).expect("count");
    assert_eq!(scenario_tables, 0, "the failed migration's earlier statements were rolled back");
}

#[test]
fn database_from_a_newer_version_is_moved_aside_not_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("history.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42); PRAGMA user_version = 99;")
            .expect("future schema");
    }
    let (mut store, recovery) = Store::open(&path).expect("open still succeeds");
    let recovery = recovery.expect("a recovery notice");
    assert!(recovery.reason.contains("newer"), "{}", recovery.reason);
    let kept = Connection::open(&recovery.moved_to).expect("moved file opens");
    let x: i64 = kept.query_row("SELECT x FROM future", [], |r| r.get(0)).expect("old data kept");
    assert_eq!(x, 42);
    store.save_scenario("mine", "x = 1").expect("fresh store works");
}

#[test]
fn corrupt_file_is_moved_aside_byte_for_byte_and_a_fresh_history_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("history.sqlite");
    let garbage = b"this is not an SQLite database\n".repeat(200);
    std::fs::write(&path, &garbage).expect("write garbage");
    let (store, recovery) = Store::open(&path).expect("open still succeeds");
    let recovery = recovery.expect("a recovery notice");
    assert!(recovery.reason.contains("damaged"), "{}", recovery.reason);
    assert_eq!(std::fs::read(&recovery.moved_to).expect("moved file"), garbage);
    assert!(store.recent_runs(10).expect("list").is_empty());
}

#[test]
fn scenario_versions_count_up_and_the_latest_is_listed() {
    let mut store = Store::in_memory().expect("store");
    assert_eq!(store.save_scenario("promo", "a = 1").expect("v1").version, 1);
    assert_eq!(store.save_scenario("promo", "a = 2").expect("v2").version, 2);
    store.save_scenario("other", "b = 1").expect("other");
    let latest = store.scenarios().expect("list");
    assert_eq!(latest.iter().map(|s| (s.name.as_str(), s.version)).collect::<Vec<_>>(), [("other", 1), ("promo", 2)]);
    assert_eq!(latest[1].toml, "a = 2");
    assert_eq!(store.scenario_versions("promo").expect("versions").len(), 2);
}

#[test]
fn a_saved_run_reopens_with_identical_results() {
    let mut store = Store::in_memory().expect("store");
    let results = small_results(7);
    let id = store.save_run(&new_run(&results)).expect("save");
    let (entry, toml, back) = store.run(id).expect("load");
    assert_eq!(back, results);
    assert_eq!(toml, "# text");
    assert_eq!(entry.seed, 7);
    assert_eq!(store.recent_runs(5).expect("list"), vec![entry]);
    assert!(matches!(store.run(id + 1), Err(StoreError::NoRun(_))));
}

/// The crashing half of `killed_mid_save_keeps_the_previous_state`: does nothing unless that test runs it.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CRASH_DB) else { return };
    let (mut store, _) = Store::open(Path::new(&path)).expect("child open");
    let results = small_results(2);
    // The row is written inside the transaction; the process dies before the commit.
    let _ = store.save_run_then(&new_run(&results), || std::process::abort());
    unreachable!("the hook aborts the process");
}

#[test]
fn killed_mid_save_keeps_the_previous_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("history.sqlite");
    let first = small_results(1);
    let first_id = {
        let (mut store, _) = Store::open(&path).expect("open");
        store.save_run(&new_run(&first)).expect("first save")
    };
    let status = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["store::tests::crash_child", "--exact", "--test-threads=1"])
        .env(CRASH_DB, &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("spawn child");
    assert!(!status.success(), "the child must die mid-save");
    let (store, recovery) = Store::open(&path).expect("reopen after crash");
    assert_eq!(recovery, None, "a crash must not damage the file");
    let runs = store.recent_runs(10).expect("list");
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [first_id]);
    assert_eq!(store.run(first_id).expect("first run").2, first);
}
