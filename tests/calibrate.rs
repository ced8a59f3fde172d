//! `journeylab calibrate` on the CDNOW sample (Fader, Hardie & Lee 2005; 2,357 customers,
//! tests/data/import/cdnow_events.csv): calibration 1997-01-01 … 1997-09-30, holdout
//! 1997-10-01 … 1998-06-30 (1,882 repeat purchase days). Issue 13's bar: the simulated holdout
//! repeat purchases within 15 % of the actual, and the mean holdout purchases by calibration
//! frequency (0 … 6, 7+) at least as close to the actual as the BG/NBD's, the distance being the
//! user-weighted mean absolute error over the eight groups, Σ n_g |mean_g − actual_g| / Σ n_g.
//! Run in release: the calibration makes about a hundred engine runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use journeylab::api;
use journeylab::api::calibrate::{Calibration, Options};
use journeylab::api::import::Day;

fn cdnow() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/cdnow_events.csv")
}

fn calibrate() -> Calibration {
    let import = api::import::read(&cdnow(), &Default::default(), &mut |_| {}).expect("the sample imports");
    let options = Options {
        holdout_from: Day::of(jiff::civil::date(1997, 10, 1)),
        holdout_to: Some(Day::of(jiff::civil::date(1998, 6, 30))),
        seed: 1,
        source: "cdnow_events.csv".into(),
    };
    api::calibrate::calibrate(&import, &options, &AtomicBool::new(false), &|_| {}).expect("CDNOW calibrates")
}

#[test]
fn cdnow_backtest_meets_the_issue_bar_and_the_scenario_runs() {
    let c = calibrate();
    let b = &c.report.backtest;
    let h = b.holdout_repeat_purchases;
    assert_eq!(h.actual, 1882.0, "the holdout's repeat purchase days (docs/calibration.md)");
    let off = h.simulated / h.actual - 1.0;
    assert!(
        off.abs() <= 0.15,
        "simulated holdout repeat purchases {:.0} vs 1,882 ({:+.1} %)",
        h.simulated,
        100.0 * off
    );
    let (simulated, bgnbd) = c.extras.by_frequency_error;
    assert!(simulated <= bgnbd, "by-frequency error: simulated {simulated:.3}, BG/NBD {bgnbd:.3}");
    assert_eq!(b.by_frequency.len(), 8);
    assert_eq!(b.by_frequency.iter().map(|r| r.users).sum::<usize>(), 2357);
    assert_eq!(b.by_frequency[7].frequency, "7+");
    let last = b.tracking.last().expect("a tracking curve");
    assert_eq!(last.week, 78);
    // Cumulative repeat purchase days by week 78: every repeat purchase day up to 1998-06-23 (week 78 ends
    // 546 − 546 % 7 − 1 = day 545): calibration's 2,457 plus the holdout's up to that day.
    assert!(last.actual > 2457.0 && last.actual <= 2457.0 + 1882.0);

    let scenario = api::check_scenario(&c.scenario).expect("scenario.toml validates");
    assert!(scenario.population.acquisition.first_purchase, "CDNOW is a customer file");
    assert_eq!(scenario.simulation.users, 2357);
    assert_eq!(scenario.simulation.horizon_days, 546);
    let config = api::RunConfig { users: Some(500), ..Default::default() };
    let results = api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("it runs");
    assert_eq!(results.journeys.len(), 1);

    // The keys in the schema's order, as report.json writes them (serde_json's Value keeps them in
    // order only with its preserve_order feature, which a workspace build may or may not unify in).
    let text = serde_json::to_string(&c.report).expect("report.json");
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
    let in_order = |keys: &[&str]| keys.windows(2).all(|w| at(w[0]) < at(w[1]));
    let top = ["schema", "events", "users", "calibration", "holdout", "segments", "backtest"];
    assert!(in_order(&top), "report.json's keys in the schema's order {top:?}: {}", &text[..200.min(text.len())]);
    let json: serde_json::Value = serde_json::from_str(&text).expect("report.json reads back");
    let mut keys: Vec<&str> = json.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["backtest", "calibration", "events", "holdout", "schema", "segments", "users"]);
    assert_eq!(json["schema"], "journeylab.calibration/1");
    assert_eq!(json["events"]["read"], 6919);
    assert_eq!(json["calibration"]["end"], "1997-09-30");
    assert_eq!(json["holdout"]["start"], "1997-10-01");
    let mut backtest: Vec<&str> = json["backtest"].as_object().expect("backtest").keys().map(String::as_str).collect();
    backtest.sort_unstable();
    assert_eq!(backtest, ["by_frequency", "holdout_repeat_purchases", "tracking"]);
    assert!(in_order(&["holdout_repeat_purchases", "by_frequency", "tracking"]));
    #[allow(clippy::print_stderr, reason = "the figures the report quotes")]
    {
        eprintln!(
            "CDNOW holdout: actual {:.0}, simulated {:.0} ({:+.1} %), BG/NBD {:.0}; by-frequency error simulated {simulated:.3}, BG/NBD {bgnbd:.3}",
            h.actual,
            h.simulated,
            100.0 * off,
            h.bgnbd
        );
    }
}

fn journeylab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs")
}

#[test]
fn bad_input_is_an_error_that_says_what_to_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (file, out) = (cdnow().display().to_string(), out.display().to_string());
    let early = journeylab(&["calibrate", &file, "--holdout-from", "1996-12-01", "--out", &out]);
    assert_eq!(early.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&early.stderr).contains("leave a calibration period"));
    let empty =
        journeylab(&["calibrate", &file, "--holdout-from", "1998-01-01", "--holdout-to", "1997-12-01", "--out", &out]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("is empty"));
    let date = journeylab(&["calibrate", &file, "--holdout-from", "October", "--out", &out]);
    assert_eq!(date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&date.stderr).contains("not a date"));
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    let not_export =
        journeylab(&["calibrate", junk.to_str().expect("utf-8"), "--holdout-from", "1997-10-01", "--out", &out]);
    assert_eq!(not_export.status.code(), Some(2), "{}", String::from_utf8_lossy(&not_export.stderr));
    // Only first purchases before the holdout: nobody bought twice.
    let once = dir.path().join("once.csv");
    std::fs::write(&once, "customer_id,date,revenue\na,2024-01-01,5\nb,2024-01-02,6\na,2024-03-01,7\n").expect("write");
    let single =
        journeylab(&["calibrate", once.to_str().expect("utf-8"), "--holdout-from", "2024-02-01", "--out", &out]);
    assert_eq!(single.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&single.stderr).contains("nobody bought twice"));
}
