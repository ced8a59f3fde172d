//! The history survives being killed mid-save: a child process (this test
//! binary, re-run with an environment variable) saves runs in a loop and is
//! killed with SIGKILL at a random moment, 100 times; after each kill the
//! history is reopened. Every run the child reported saved must still be there,
//! byte for byte, and the file must never need recovering.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::Duration;

use journeylab::api::{self, NewRun, RunConfig, RunResults, Store};

/// Turns `saving_child` from a no-op into the process that is killed.
const CHILD_DB: &str = "JOURNEYLAB_SOAK_DB";
/// Which kill round the child is in, so its saves are told apart.
const CHILD_ROUND: &str = "JOURNEYLAB_SOAK_ROUND";
const KILLS: u64 = 100;

fn results() -> RunResults {
    let text = include_str!("../simulations/send_time.toml");
    let scenario = api::check_scenario(text).expect("bundled scenario is valid");
    let config = RunConfig { users: Some(200), days: Some(5), seed: Some(3), threads: Some(1), replicate: 0 };
    api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("small run")
}

/// The scenario text stored with save `save` of round `round`, so every saved run is distinct.
fn toml(round: u64, save: u64) -> String {
    format!("# round {round}, save {save}\n")
}

/// The process that is killed: opens the history, then saves runs until it
/// dies, printing `saved <id> <save>` only once a save has returned.
#[test]
fn saving_child() {
    let Ok(path) = std::env::var(CHILD_DB) else { return };
    let round: u64 = std::env::var(CHILD_ROUND).ok().and_then(|r| r.parse().ok()).expect("round");
    let results = results();
    let (mut store, _) = Store::open(Path::new(&path)).expect("child opens the history");
    let mut out = std::io::stdout().lock();
    for save in 0.. {
        let text = toml(round, save);
        let run = NewRun { toml: &text, scenario_version: None, started_at: 0, seconds: 0.0, results: &results };
        let id = store.save_run(&run).expect("save");
        say(&mut out, &format!("saved {id} {save}"));
    }
}

fn say(out: &mut impl std::io::Write, line: &str) {
    writeln!(out, "{line}").and_then(|()| out.flush()).expect("the parent reads");
}

/// SplitMix64 (Steele, Lea & Flood 2014): the kill times, the same every run.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

#[test]
fn a_hundred_kills_mid_save_lose_no_saved_run_and_never_corrupt_the_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("history.sqlite");
    let expected = results();
    // What the store writes for them (serde_json is deterministic).
    let json = serde_json::to_string(&expected).expect("results serialise");
    let mut rng = SplitMix(0x50A6);
    // (id, round, save) of every save the child saw return.
    let mut saved: Vec<(i64, u64, u64)> = Vec::new();
    let mut lost = BTreeSet::new();
    let (mut corrupt, mut mid_save) = (0, 0);
    for round in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["saving_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &path)
            .env(CHILD_ROUND, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("piped");
        let (send, received) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        // Kill at a random moment: in a fifth of the rounds any time from the
        // start (while the history opens, or later), else once the child has
        // saved a run, up to 10 ms into its saving loop (a save takes a few ms).
        let mut lines = Vec::new();
        if rng.below(5) > 0 {
            // The test harness writes its own text first, the first save on its line.
            while !lines.last().is_some_and(|l: &String| l.contains("saved ")) {
                lines.push(received.recv_timeout(Duration::from_secs(60)).expect("the child saves"));
            }
            std::thread::sleep(Duration::from_micros(rng.below(10_000)));
        } else {
            std::thread::sleep(Duration::from_micros(rng.below(100_000)));
        }
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reap");
        assert!(!status.success(), "round {round}: the child must die, not finish");
        reader.join().expect("reader");
        let before = saved.len();
        for line in lines.into_iter().chain(received.try_iter()) {
            if let Some((_, rest)) = line.split_once("saved ") {
                let (id, save) = rest.split_once(' ').expect("saved <id> <save>");
                saved.push((id.parse().expect("id"), round, save.parse().expect("save")));
            }
        }
        mid_save += u64::from(saved.len() > before);

        let (store, recovery) = Store::open(&path).expect("the history reopens");
        let recovered = recovery.is_some();
        // This round's saves read back through the store; every earlier one is
        // still there with its text and results byte for byte.
        for &(id, r, s) in &saved[before..] {
            if !store.run(id).is_ok_and(|(_, text, back)| text == toml(r, s) && back == expected) {
                lost.insert(id);
            }
        }
        drop(store);
        let conn = rusqlite::Connection::open(&path).expect("a second connection");
        // Store::open ran `quick_check`; the full check reads every page and index too.
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
        corrupt += u64::from(recovered || check != "ok");
        let mut rows = conn.prepare("SELECT id, toml, results_json FROM run").expect("select");
        let stored: BTreeMap<i64, (String, String)> = rows
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .and_then(|rows| rows.collect())
            .expect("every row reads");
        for &(id, r, s) in &saved[..before] {
            if stored.get(&id) != Some(&(toml(r, s), json.clone())) {
                lost.insert(id);
            }
        }
    }
    #[allow(clippy::print_stderr, reason = "the soak's figure, for the record")]
    {
        eprintln!(
            "store soak: {KILLS} kills, {} saves, {mid_save} rounds killed while saving; lost {}, corrupt {corrupt}",
            saved.len(),
            lost.len()
        );
    }
    assert_eq!((lost.len(), corrupt), (0, 0), "saved runs lost {lost:?}; corrupt reopenings {corrupt}/{KILLS}");
    // The kills did land mid-save: most rounds saved something before dying.
    assert!(mid_save >= KILLS / 2, "only {mid_save} rounds were killed while saving");
    assert!(saved.len() as u64 >= KILLS, "only {} saves in {KILLS} rounds", saved.len());
}
