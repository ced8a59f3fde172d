//! The file-dialog flows (open, save, every export) through the scripted
//! dialog seam, on the mock runtime; a cancelled dialog changes nothing.

mod common;

use std::path::Path;

use common::*;
use journeylab_app::History;
use journeylab_app::dialogs::Dialogs;
use journeylab_app::state::AppState;
use serde_json::{Value, json};
use tauri::Manager;

fn scripted(h: &Harness, dir: &Path) {
    h.app.state::<AppState>().use_dialogs(Dialogs::Scripted(dir.to_path_buf()));
}

fn written(answer: Value) -> std::path::PathBuf {
    std::path::PathBuf::from(answer.as_str().unwrap_or_else(|| panic!("a path, not {answer}")))
}

/// The checks E2E and these tests share: what each exported format must look like.
fn check_export(path: &Path, format: &str) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match format {
        "png" => assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display()),
        "svg" => assert!(String::from_utf8_lossy(&bytes).trim_start().starts_with("<svg"), "{}", path.display()),
        "json" => {
            serde_json::from_slice::<Value>(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        _ => {
            let text = String::from_utf8(bytes).expect("utf8");
            let header = text.lines().next().expect("header");
            assert!(header.contains(',') && text.lines().count() > 1, "{}: {header}", path.display());
        }
    }
}

#[test]
fn open_and_save_a_scenario_file_through_the_dialog() {
    let h = harness(History::InMemory);
    let dir = tempfile::tempdir().expect("tempdir");
    scripted(&h, dir.path());
    assert_eq!(h.ok("open_file", json!({})), Value::Null, "nothing to pick: the dialog was cancelled");
    let toml = example(&h, "send_time");
    std::fs::write(dir.path().join("my plan.toml"), &toml).expect("place the file");
    let doc = h.ok("open_file", json!({}));
    assert_eq!((doc["name"].as_str(), doc["origin"].as_str()), (Some("my plan"), Some("file")));
    assert_eq!(doc["toml"].as_str(), Some(toml.as_str()));
    let edited = toml.replace("users = ", "users = 1");
    let path = written(h.ok("save_file", json!({"name": "copy", "toml": edited})));
    assert_eq!(path, dir.path().join("copy.toml"));
    assert_eq!(std::fs::read_to_string(&path).expect("saved"), edited);
    // A cancelled save writes nothing.
    std::fs::write(dir.path().join("CANCEL"), "").expect("cancel marker");
    assert_eq!(h.ok("save_file", json!({"name": "other", "toml": "x"})), Value::Null);
    assert!(!dir.path().join("other.toml").exists());
    assert!(!dir.path().join("CANCEL").exists(), "the marker cancels one dialog");
    let path = written(h.ok("save_file", json!({"name": "other", "toml": "x"})));
    assert_eq!(path, dir.path().join("other.toml"), "the next one answers again");
}

#[test]
fn every_export_of_a_run_writes_its_format() {
    let h = harness(History::InMemory);
    let dir = tempfile::tempdir().expect("tempdir");
    scripted(&h, dir.path());
    let toml = example(&h, "cart_abandonment");
    let view = h.ok("run_scenario", json!({"toml": toml, "options": {"users": 1500, "days": 20}, "onEvent": CHANNEL}));
    let id = view["run"]["id"].clone();
    let chart = view["charts"][0]["id"].clone();
    let source = json!({"kind": "run", "run_id": id, "chart": chart});
    let drawn =
        h.ok("draw_chart", json!({"request": {"source": source, "width": 300, "height": 200, "theme": "dark"}}));
    // Narrower than the core's smallest readable size: drawn at that size (the screen scrolls it).
    assert!(drawn["svg"].as_str().expect("svg").contains("width=\"360\""));
    for (format, chart, ext) in [
        ("summary-csv", Value::Null, "csv"),
        ("daily-csv", Value::Null, "csv"),
        ("json", Value::Null, "json"),
        ("png", chart.clone(), "png"),
        ("svg", chart.clone(), "svg"),
    ] {
        let path = written(h.ok("export_run", json!({"id": id, "format": format, "chart": chart})));
        assert_eq!(path.extension().and_then(|e| e.to_str()), Some(ext));
        check_export(&path, ext);
        std::fs::remove_file(&path).expect("one at a time: names repeat across formats");
    }
    // A format a run does not write is refused with the ones it does; one no export knows is not
    // even an `ExportFormat`.
    let other = h.call("export_run", json!({"id": id, "format": "csv", "chart": null})).expect_err("not a run's");
    assert_eq!(other["code"], "file.failed");
    assert!(other["message"].as_str().is_some_and(|m| m.contains("summary-csv, daily-csv")), "{other}");
    assert!(h.call("export_run", json!({"id": id, "format": "gif", "chart": null})).is_err());
    std::fs::write(dir.path().join("CANCEL"), "").expect("cancel marker");
    assert_eq!(h.ok("export_run", json!({"id": id, "format": "json", "chart": null})), Value::Null);
    assert!(!dir.path().join(format!("journeylab-run-{id}.json")).exists(), "a cancelled export writes nothing");
}

#[test]
fn a_comparison_streams_progress_and_exports_its_table_and_charts() {
    let h = harness(History::InMemory);
    let dir = tempfile::tempdir().expect("tempdir");
    scripted(&h, dir.path());
    assert_eq!(
        h.call("export_compare", json!({"format": "csv", "chart": null})).expect_err("none yet")["code"],
        "not-found"
    );
    let toml = example(&h, "discount_spiral");
    let view = h
        .ok("compare_designs", json!({"toml": toml, "options": {"replications": 2, "users": 600}, "onEvent": CHANNEL}));
    let events: Vec<Value> = h.events.try_iter().collect();
    assert_eq!(events.first().expect("started")["event"], "started");
    assert_eq!(events.last().expect("progress")["users_done"], events.last().expect("progress")["users_total"]);
    assert_eq!(view["journeys"].as_array().expect("journeys").len(), 3);
    assert_eq!(view["replications"], 2);
    let d30 = view["metrics"].as_array().expect("metrics").iter().find(|m| m["id"] == "retention_d30").expect("D30");
    assert_eq!(d30["values"].as_array().expect("values").len(), 3);
    assert!(d30["values"][0]["lower"].as_f64() <= d30["values"][0]["value"].as_f64());
    let charts: Vec<&str> =
        view["charts"].as_array().expect("charts").iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(
        charts,
        ["retention", "cumulative_margin", "full_price_share", "discount_vs_revenue", "channel_activity"]
    );
    // The verdict for the scenario's primary metric first, then one per metric it can be switched to.
    assert_eq!(view["primary"], "net_margin_per_user");
    let verdicts = view["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts[0]["metric"], "net_margin_per_user");
    assert!(verdicts.len() >= 10, "{verdicts:?}");
    let d30 = verdicts.iter().find(|v| v["metric"] == "retention_d30").expect("a D30 verdict");
    assert_ne!(d30["verdict"]["text"], verdicts[0]["verdict"]["text"]);
    // A chart drawn at the size it is shown, with its values.
    let source = json!({"kind": "comparison", "chart": "retention"});
    let drawn =
        h.ok("draw_chart", json!({"request": {"source": source, "width": 800, "height": 500, "theme": "light"}}));
    assert!(drawn["svg"].as_str().expect("svg").contains("width=\"800\""));
    assert_eq!(drawn["table"]["share_columns"], json!([3, 4, 5]));
    for (format, ext) in [("csv", "csv"), ("json", "json"), ("png", "png"), ("svg", "svg")] {
        let path = written(h.ok("export_compare", json!({"format": format, "chart": "retention"})));
        check_export(&path, ext);
    }
    let bad = h.call(
        "compare_designs",
        json!({"toml": toml, "options": {"replications": 0, "users": null}, "onEvent": CHANNEL}),
    );
    assert_eq!(bad.expect_err("no replicates")["code"], "compare.invalid");
}

#[test]
fn a_robustness_sweep_has_its_size_first_streams_progress_and_exports_json_csv_and_charts() {
    let h = harness(History::InMemory);
    let dir = tempfile::tempdir().expect("tempdir");
    scripted(&h, dir.path());
    assert_eq!(
        h.call("export_robust", json!({"format": "json", "chart": null})).expect_err("none yet")["code"],
        "not-found"
    );
    let settings = h.ok("robust_settings", json!({}));
    assert_eq!(settings["samples"], journeylab::api::ROBUST_PANEL_SAMPLES, "the core's default");
    let toml = example(&h, "cart_abandonment");
    let options = json!({"samples": 2, "users": 150});
    let plan = h.ok("robust_plan", json!({"toml": toml, "options": options}));
    assert_eq!(plan["users_per_run"].as_f64(), Some(150.0));
    let refused = h.call("robust_plan", json!({"toml": toml, "options": {"samples": 0, "users": null}}));
    let refused = refused.expect_err("no joint points");
    assert_eq!(refused["code"], "robust.invalid");
    assert!(refused["message"].as_str().expect("message").contains("1 … "), "says what is allowed: {refused}");
    let view = h.ok("robust_run", json!({"toml": toml, "options": options, "onEvent": CHANNEL}));
    let events: Vec<Value> = h.events.try_iter().collect();
    let total = plan["runs"].as_f64().expect("runs") * 150.0;
    assert_eq!(events.first().expect("started")["users_total"].as_f64(), Some(total), "the plan's size");
    assert_eq!(events.last().expect("progress")["users_done"].as_f64(), Some(total));
    let pairs = view["pairs"].as_array().expect("pairs");
    assert_eq!(pairs.len(), 3, "three journeys, three pairs");
    let holds_id = pairs[0]["holds"]["id"].clone();
    let source = json!({"kind": "robustness", "chart": holds_id});
    let drawn =
        h.ok("draw_chart", json!({"request": {"source": source, "width": 600, "height": 380, "theme": "dark"}}));
    assert!(drawn["svg"].as_str().expect("holds chart").starts_with("<svg"));
    assert_eq!(drawn["table"]["share_columns"], json!([1, 2, 3]));
    let metrics = pairs[0]["metrics"].as_array().expect("metrics");
    assert_eq!(metrics.len(), 7);
    assert!(metrics.iter().all(|m| m["sentence"].as_str().is_some_and(|s| s.contains(" of the plausible space"))));
    let tornado = metrics.iter().find_map(|m| m["tornado"]["id"].as_str()).expect("a tornado").to_owned();
    let holds = pairs[0]["holds"]["id"].as_str().expect("holds id").to_owned();
    for (format, chart, ext) in
        [("json", None, "json"), ("csv", None, "csv"), ("svg", Some(&holds), "svg"), ("png", Some(&tornado), "png")]
    {
        let path = written(h.ok("export_robust", json!({"format": format, "chart": chart})));
        check_export(&path, ext);
        let stem = chart.map_or("robust", String::as_str);
        assert_eq!(path, dir.path().join(format!("{stem}.{ext}")));
    }
    let unknown = h.call("export_robust", json!({"format": "svg", "chart": "nope"}));
    assert_eq!(unknown.expect_err("no such chart")["code"], "not-found");
}

#[test]
fn segment_traits_come_from_the_sampler_as_sparklines() {
    let h = harness(History::InMemory);
    let toml = example(&h, "send_time");
    let segments = h.ok("segment_traits", json!({"toml": toml}));
    let scenario = journeylab::api::check_scenario(&toml).expect("valid");
    assert_eq!(segments.as_array().expect("segments").len(), scenario.population.segments.len());
    let visits =
        segments[0]["traits"].as_array().expect("traits").iter().find(|t| t["id"] == "visits_per_day").expect("visits");
    let configured = scenario.population.segments[0].visits_per_day;
    assert_eq!(visits["configured_mean"].as_f64(), Some(configured.mean));
    // 4 standard errors of the mean of 20,000 draws.
    let se = configured.sd / visits["draws"].as_f64().expect("draws").sqrt();
    assert!((visits["mean"].as_f64().expect("mean") - configured.mean).abs() <= 4.0 * se, "{visits}");
    assert!(visits["svg"].as_str().expect("svg").starts_with("<svg"));
    let bad = h.call("segment_traits", json!({"toml": toml.replace("horizon_days = 60", "horizon_days = 0")}));
    assert_eq!(bad.expect_err("invalid")["code"], "scenario.invalid");
}
