//! The Calibrate screen's commands through Tauri's IPC on the mock runtime: the export chosen in
//! the (scripted) file dialog, its preview with the detected format and an edited mapping, bad
//! settings refused with their code, the calibration of the CDNOW sample as a job (progress,
//! cancel), the back-test view, its export and "Open as scenario".

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use journeylab_app::History;
use journeylab_app::dialogs::Dialogs;
use journeylab_app::state::AppState;
use serde_json::{Value, json};
use tauri::Manager;

fn cdnow() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/import/cdnow_events.csv")
}

/// A harness whose file dialogs answer from a folder holding the CDNOW sample.
fn with_export() -> (Harness, tempfile::TempDir) {
    let h = harness(History::InMemory);
    let dir = tempfile::tempdir().expect("tempdir");
    h.app.state::<AppState>().use_dialogs(Dialogs::Scripted(dir.path().to_path_buf()));
    std::fs::copy(cdnow(), dir.path().join("cdnow_events.csv")).expect("place the export");
    (h, dir)
}

fn options(preset: Option<&str>, map: Option<&str>) -> Value {
    json!({"preset": preset, "map": map, "time_zone": null, "purchase_events": []})
}

#[test]
fn an_export_is_chosen_and_previewed_with_its_detected_format_and_an_editable_mapping() {
    let h = harness(History::InMemory);
    let empty = tempfile::tempdir().expect("tempdir");
    h.app.state::<AppState>().use_dialogs(Dialogs::Scripted(empty.path().to_path_buf()));
    let before = h.call("calibrate_preview", json!({"options": options(None, None)}));
    assert_eq!(before.expect_err("nothing chosen")["code"], "not-found");
    assert_eq!(h.ok("calibrate_choose", json!({})), Value::Null, "nothing to pick: cancelled");

    let (h, dir) = with_export();
    let p = h.ok("calibrate_choose", json!({}));
    assert_eq!((p["file"].as_str(), p["format"].as_str()), (Some("cdnow_events.csv"), Some("CSV (delimiter ',')")));
    assert_eq!(p["preset"], "generic", "guessed from the header");
    assert_eq!(p["columns"], json!(["customer_id", "date", "event", "cds", "revenue"]));
    let rows = p["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 20);
    assert_eq!(rows[0]["user"], "00004");
    assert_eq!((rows[0]["day"].as_str(), rows[0]["revenue"].as_f64()), (Some("1997-01-01"), Some(29.33)));
    assert_eq!((rows[0]["purchase"].as_bool(), rows[0]["status"].as_str()), (Some(true), Some("used")));
    assert!(p["presets"].as_array().expect("presets").iter().any(|x| x["name"] == "mixpanel"));

    // The spec edited: revenue read from another column.
    let spec = format!("{},revenue=cds", p["spec"].as_str().expect("spec"));
    let edited = h.ok("calibrate_preview", json!({"options": options(Some("generic"), Some(&spec))}));
    assert_eq!(edited["rows"][0]["revenue"].as_f64(), Some(2.0));
    // A preset that does not fit says what is missing.
    let wrong = h.call("calibrate_preview", json!({"options": options(Some("mixpanel"), None)}));
    let wrong = wrong.expect_err("no user column");
    assert_eq!(wrong["code"], "import.failed");
    assert!(wrong["message"].as_str().expect("message").contains("customer_id"), "names the columns: {wrong}");

    // A file that is not an export is refused with what it is, and the last choice stays.
    std::fs::write(dir.path().join("0-archive.txt"), b"PK\x03\x04 zipped").expect("place a ZIP");
    let refused = h.call("calibrate_choose", json!({})).expect_err("a ZIP");
    assert_eq!(refused["code"], "import.failed");
    assert!(refused["message"].as_str().expect("message").contains("a ZIP archive"), "{refused}");
    let again = h.ok("calibrate_preview", json!({"options": options(None, None)}));
    assert_eq!(again["file"], "cdnow_events.csv");
}

#[test]
fn the_holdout_is_suggested_as_the_last_quarter_of_the_exports_days() {
    let (h, _dir) = with_export();
    let none = h.call("calibrate_suggest_holdout", json!({"options": options(None, None)}));
    assert_eq!(none.expect_err("nothing chosen")["code"], "not-found");
    h.ok("calibrate_choose", json!({}));
    let s = h.ok("calibrate_suggest_holdout", json!({"options": options(None, None)}));
    // 546 days, 1997-01-01 … 1998-06-30: the fit sees the first 410 (three quarters, rounded up).
    assert_eq!(s, json!({"from": "1998-02-15", "first_day": "1997-01-01", "last_day": "1998-06-30"}));
}

#[test]
fn bad_holdout_dates_are_refused_before_any_work() {
    let (h, _dir) = with_export();
    h.ok("calibrate_choose", json!({}));
    for (from, says) in [("1997-13-01", "not a date"), ("1990-01-01", "first day 1997-01-01")] {
        let args = json!({"options": options(None, None), "holdoutFrom": from, "holdoutTo": null, "onEvent": CHANNEL});
        let e = h.call("calibrate_run", args).expect_err("refused");
        assert_eq!(e["code"], "calibrate.invalid", "{from}");
        let message = e["message"].as_str().expect("message");
        assert!(message.contains(says), "{from}: {e}");
        assert!(!message.contains("--"), "the core names settings, not CLI flags: {message}");
    }
    assert_eq!(h.call("calibrate_open_scenario", json!({})).expect_err("none yet")["code"], "not-found");
}

#[test]
fn a_calibration_can_be_cancelled() {
    let (h, _dir) = with_export();
    h.ok("calibrate_choose", json!({}));
    let runner = {
        let window = h.window.clone();
        std::thread::spawn(move || {
            let args = json!({"options": options(None, None), "holdoutFrom": "1997-10-01", "holdoutTo": null, "onEvent": CHANNEL});
            call(&window, "calibrate_run", args)
        })
    };
    let started = h.events.recv_timeout(Duration::from_secs(30)).expect("started event");
    assert_eq!(h.ok("cancel_run", json!({"job": started["job"].clone()})), true);
    let outcome = runner.join().expect("runner thread");
    assert_eq!(outcome.expect_err("cancelled")["code"], "run.cancelled");
    assert_eq!(h.call("calibrate_open_scenario", json!({})).expect_err("nothing kept")["code"], "not-found");
}

#[test]
#[allow(clippy::print_stderr, reason = "the test log says how long the calibration took")]
fn the_cdnow_sample_calibrates_with_progress_and_opens_as_a_scenario() {
    let (h, dir) = with_export();
    h.ok("calibrate_choose", json!({}));
    let clock = Instant::now();
    let args = json!({"options": options(None, None), "holdoutFrom": "1997-10-01", "holdoutTo": "1998-06-30", "onEvent": CHANNEL});
    let view = h.ok("calibrate_run", args);
    eprintln!("CDNOW calibrated through IPC in {:.1} s", clock.elapsed().as_secs_f64());
    let events: Vec<Value> = h.events.try_iter().collect();
    assert_eq!(events.first().expect("started")["event"], "started");
    let last = events.last().expect("progress");
    assert!(
        last["users_done"].as_f64().is_some_and(|d| d > 0.0) && last["users_done"] == last["users_total"],
        "{last}"
    );

    assert_eq!(view["holdout_repeat_purchases"]["actual"].as_f64(), Some(1882.0), "docs/calibration.md");
    let verdict = view["verdict"].as_str().expect("verdict");
    assert!(verdict.contains("1997-10-01 … 1998-06-30") && verdict.contains("1,882"), "{verdict}");
    let tables = view["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 3);
    assert_eq!(tables[0]["rows"].as_array().expect("headline").len(), 3, "actual, simulated, BG/NBD");
    let by_frequency = tables[1]["rows"].as_array().expect("by frequency");
    assert_eq!((by_frequency.len(), by_frequency[7][0].as_str()), (8, Some("7+")));
    assert!(!tables[2]["rows"].as_array().expect("segments").is_empty());
    let charts = view["charts"].as_array().expect("charts");
    let ids: Vec<&str> = charts.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["tracking", "by-frequency", "activity"]);
    for id in ids {
        let source = json!({"kind": "calibration", "chart": id});
        let drawn =
            h.ok("draw_chart", json!({"request": {"source": source, "width": 720, "height": 446, "theme": "light"}}));
        assert!(drawn["svg"].as_str().is_some_and(|s| s.starts_with("<svg")), "{id}");
        assert!(!drawn["table"]["rows"].as_array().expect("rows").is_empty(), "{id}");
    }

    let report = h.ok("export_calibration", json!({"format": "json", "chart": null}));
    let report: Value =
        serde_json::from_slice(&std::fs::read(report.as_str().expect("path")).expect("written")).expect("report json");
    assert_eq!(report["schema"], "journeylab.calibration/1");
    let png = h.ok("export_calibration", json!({"format": "png", "chart": "tracking"}));
    assert_eq!(Path::new(png.as_str().expect("path")), dir.path().join("tracking.png"));

    let doc = h.ok("calibrate_open_scenario", json!({}));
    assert_eq!((doc["name"].as_str(), doc["origin"].as_str()), (Some("calibrated cdnow_events"), Some("calibration")));
    let check = h.ok("check_scenario", json!({"toml": doc["toml"]}));
    assert_eq!(check["valid"], true, "{check}");
    assert_eq!(check["users"], 2357);
}
