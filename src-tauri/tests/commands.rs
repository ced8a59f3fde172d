//! Every command through Tauri's real IPC path on the mock runtime (no display).
//! The file-dialog flows are in tests/dialogs.rs.

mod common;

use std::time::Duration;

use common::*;
use journeylab_app::History;
use serde_json::{Value, json};

#[test]
fn library_lists_every_ready_made_scenario_with_its_lesson() {
    let h = harness(History::InMemory);
    let library = h.ok("library", json!({}));
    let items = library.as_array().expect("list");
    assert_eq!(items.len(), journeylab::api::examples().len());
    assert_eq!(items[0]["id"], "cart_abandonment");
    assert_eq!(items[0]["title"], "Cart abandonment: reminder vs coupon");
    assert!(items[0]["lesson"].as_str().expect("lesson").starts_with("A reminder triggered"));
    assert!(items[0]["details"].as_str().expect("details").ends_with("deal-waiting rises)."));
    assert_eq!(items[0]["answer"], "compare");
    let ab = items.iter().find(|e| e["id"] == "experiment_ab").expect("experiment_ab");
    assert_eq!(ab["answer"], "monitor", "an experiment card opens its replay");
    assert!(items.iter().any(|e| e["id"] == "onboarding"), "the onboarding example is a card");
    let questions = h.ok("start_questions", json!({}));
    let questions = questions.as_array().expect("questions");
    assert!(questions.len() >= 4);
    let stop = questions.iter().find(|q| q["question"] == "When may I stop my A/B test?").expect("the A/B question");
    assert_eq!((stop["example"].as_str(), stop["answer"].as_str()), (Some("experiment_ab"), Some("monitor")));
    assert_eq!(stop["title"], ab["title"]);
    assert!(h.ok("new_scenario", json!({}))["toml"].as_str().expect("template").contains("[simulation]"));
    assert_eq!(h.ok("startup_notice", json!({})), Value::Null);
}

#[test]
fn check_and_set_field_round_trip_and_put_diagnostics_at_fields() {
    let h = harness(History::InMemory);
    let toml = example(&h, "send_time");
    let report = h.ok("check_scenario", json!({"toml": toml}));
    assert_eq!(report["valid"], true);
    assert!(report["fields"].as_array().expect("fields").iter().any(|f| f["path"] == "simulation.users"));
    let bad = h.ok("set_field", json!({"toml": toml, "path": "simulation.users", "value": "-5"}));
    assert!(bad.as_str().expect("text").contains("users = -5"));
    let report = h.ok("check_scenario", json!({"toml": bad}));
    assert_eq!(report["valid"], false);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["path"], "simulation.users");
    assert_eq!(diagnostic["kind"], "out-of-range");
    assert!(diagnostic["line"].as_u64().expect("line") > 1);
    let unknown = h.call("set_field", json!({"toml": toml, "path": "simulation.nope", "value": "1"}));
    assert_eq!(unknown.expect_err("unknown field")["code"], "edit.failed");
    assert_eq!(report["has_experiment"], false, "send_time has no [experiment]");
}

#[test]
fn the_report_says_whether_the_text_has_an_experiment_even_when_it_is_invalid() {
    let h = harness(History::InMemory);
    let toml = example(&h, "experiment_ab");
    assert_eq!(h.ok("check_scenario", json!({"toml": toml}))["has_experiment"], true);
    let bad = h.ok("set_field", json!({"toml": toml, "path": "simulation.users", "value": "-5"}));
    let report = h.ok("check_scenario", json!({"toml": bad}));
    assert_eq!((report["valid"].clone(), report["has_experiment"].clone()), (json!(false), json!(true)));
}

#[test]
fn a_bad_scenario_is_refused_with_code_and_location() {
    let h = harness(History::InMemory);
    let toml = example(&h, "send_time").replace("horizon_days = 60", "horizon_days = 0");
    let err = h
        .call("run_scenario", json!({"toml": toml, "options": {"users": 100, "days": null}, "onEvent": CHANNEL}))
        .expect_err("invalid scenario");
    assert_eq!(err["code"], "scenario.invalid");
    assert_eq!(err["location"]["path"], "simulation.horizon_days");
    assert!(err["location"]["line"].as_u64().expect("line") > 0);
    assert!(!err["diagnostics"].as_array().expect("diagnostics").is_empty());
}

#[test]
fn a_run_streams_progress_is_saved_and_reopens_without_rerunning() {
    let h = harness(History::InMemory);
    let toml = example(&h, "cart_abandonment");
    let view = h.ok("run_scenario", json!({"toml": toml, "options": {"users": 3000, "days": 20}, "onEvent": CHANNEL}));
    let events: Vec<Value> = h.events.try_iter().collect();
    assert_eq!(events.first().expect("started")["event"], "started");
    let last = events.last().expect("progress");
    assert_eq!(last["event"], "progress");
    assert_eq!(last["users_done"], 3000.0, "the final progress event always goes out");
    assert!(
        events.len() <= 2 + (view["run"]["seconds"].as_f64().expect("seconds") * 10.0).ceil() as usize + 1,
        "throttled to ~10 Hz"
    );
    assert_eq!(view["journeys"].as_array().expect("journeys").len(), 3);
    assert_eq!(view["journeys"][0], "no journey");
    assert_eq!(view["currency"], "USD");
    let headline: Vec<&str> =
        view["headline"].as_array().expect("headline").iter().map(|r| r["metric"].as_str().expect("id")).collect();
    assert_eq!(headline, journeylab::api::RUN_HEADLINE, "the core's headline metrics, in its order");
    let table = view["table"].as_array().expect("table");
    assert!(table.iter().all(|r| journeylab::api::metric_def(r["metric"].as_str().expect("id")).is_some()));
    assert!(table.iter().any(|r| r["metric"] == "survival_d30") && !table.iter().any(|r| r["metric"] == "users"));
    assert_eq!(view["entered"].as_array().expect("entered").len(), 3);
    assert_eq!(view["run"]["users"], 3000);
    let id = view["run"]["id"].clone();
    let runs = h.ok("recent_runs", json!({}));
    assert_eq!(runs[0]["id"], id);
    let reopened = h.ok("open_run", json!({"id": id}));
    assert_eq!(reopened, view);
    assert_eq!(h.ok("run_scenario_text", json!({"id": id}))["toml"], Value::String(toml));
    assert_eq!(h.call("open_run", json!({"id": 999})).expect_err("missing")["code"], "not-found");
}

#[test]
fn saved_scenarios_get_versions() {
    let h = harness(History::InMemory);
    assert_eq!(h.ok("save_scenario", json!({"name": "Promo", "toml": "a = 1"}))["version"], 1);
    assert_eq!(h.ok("save_scenario", json!({"name": "Promo", "toml": "a = 2"}))["version"], 2);
    assert_eq!(h.ok("user_scenarios", json!({}))[0]["name"], "Promo");
    assert_eq!(h.ok("open_user_scenario", json!({"name": "Promo"}))["toml"], "a = 2");
    assert_eq!(
        h.call("save_scenario", json!({"name": " ", "toml": "a = 1"})).expect_err("unnamed")["code"],
        "scenario.unnamed"
    );
}

#[test]
fn a_long_run_can_be_cancelled() {
    let h = harness(History::InMemory);
    let toml = example(&h, "cart_abandonment");
    let runner = {
        let window = h.window.clone();
        std::thread::spawn(move || {
            call(
                &window,
                "run_scenario",
                json!({"toml": toml, "options": {"users": 2_000_000, "days": null}, "onEvent": CHANNEL}),
            )
        })
    };
    let started = h.events.recv_timeout(Duration::from_secs(30)).expect("started event");
    let job = started["job"].clone();
    assert_eq!(h.ok("cancel_run", json!({"job": job})), true);
    let outcome = runner.join().expect("runner thread");
    assert_eq!(outcome.expect_err("cancelled")["code"], "run.cancelled");
    assert_eq!(h.ok("cancel_run", json!({"job": job})), false, "the job is gone once finished");
    assert_eq!(h.ok("recent_runs", json!({})), json!([]), "a cancelled run is not saved");
}

#[test]
fn a_corrupt_history_is_set_aside_and_the_app_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("history.sqlite");
    std::fs::write(&path, b"garbage, not SQLite ".repeat(100)).expect("garbage");
    let h = harness(History::File(path));
    let notice = h.ok("startup_notice", json!({}));
    let notice = notice.as_str().expect("a notice");
    assert!(notice.contains("damaged") && notice.contains("moved to"), "{notice}");
    assert_eq!(h.ok("startup_notice", json!({})), Value::Null, "said once");
    assert_eq!(h.ok("recent_runs", json!({})), json!([]));
}

#[test]
fn the_peeking_lab_streams_batches_until_settled_and_a_new_setting_cancels_the_old() {
    let h = harness(History::InMemory);
    let settings = |looks: u32| {
        json!({"settings": {"looks": looks, "alpha": 0.05, "baseline": 0.05, "lift": 0.0, "users_per_look": 500,
                            "methods": ["naive", "gst:obf"]}, "onEvent": CHANNEL})
    };
    let last = h.ok("peeking_start", settings(5));
    assert_eq!(last["settled"], true);
    let events: Vec<Value> = h.events.try_iter().collect();
    assert_eq!(events[0]["event"], "started");
    let batches: Vec<&Value> = events.iter().filter(|e| e["event"] == "batch").collect();
    assert!(batches.len() >= 2, "the estimate streams in: {} batches", batches.len());
    assert_eq!(batches.last().map(|b| &b["sims"]), Some(&last["sims"]));
    // Its chart is drawn on request at the size it is shown, in the dark theme, with its values as a table.
    let request = json!({"request": {"source": {"kind": "peeking"}, "width": 640, "height": 400, "theme": "dark"}});
    let chart = h.ok("draw_chart", request);
    let svg = chart["svg"].as_str().expect("svg");
    assert!(svg.starts_with("<svg") && svg.contains("width=\"640\"") && svg.contains("height=\"400\""), "{svg:.120}");
    assert!(svg.contains("#1E1F22"), "the dark background");
    assert_eq!(chart["table"]["share_columns"], json!([2, 3, 4]), "rates are shares");
    assert!(chart["title"].as_str().expect("title").starts_with("Peeking: A/A: false positives by look"));
    assert!(!chart["table"]["rows"].as_array().expect("rows").is_empty());
    // Same setting, same numbers.
    assert_eq!(h.ok("peeking_start", settings(5))["methods"], last["methods"]);
    h.events.try_iter().for_each(drop);
    // A setting started while another runs cancels it.
    let first = {
        let window = h.window.clone();
        let args = json!({"settings": {"looks": 40, "alpha": 0.05, "baseline": 0.5, "lift": 0.0, "users_per_look": 5000,
                                       "methods": ["naive"]}, "onEvent": CHANNEL});
        std::thread::spawn(move || call(&window, "peeking_start", args))
    };
    while h.events.recv_timeout(Duration::from_secs(30)).expect("event")["event"] != "batch" {}
    h.ok("peeking_start", settings(2));
    assert_eq!(first.join().expect("thread").expect_err("superseded")["code"], "run.cancelled");
    let bad = h.call(
        "peeking_start",
        json!({"settings": {"looks": 5, "alpha": 0.05, "baseline": 0.05, "lift": 0.0,
        "users_per_look": 500, "methods": ["naïve"]}, "onEvent": CHANNEL}),
    );
    assert_eq!(bad.expect_err("unknown method")["code"], "lab.invalid");
}

#[test]
fn the_planner_answers_with_sizes_boundaries_and_what_the_traffic_detects() {
    let h = harness(History::InMemory);
    let input = json!({"metric": "rate", "baseline": 0.05, "sd": null, "mde": 0.1, "mde_relative": true, "alpha": 0.05,
        "power": 0.8, "two_sided": true, "design": "obf", "looks": 5, "futility": false, "daily_users": 2000.0});
    let plan = h.ok("plan_experiment", json!({"input": input}));
    assert_eq!(plan["fixed_per_arm"], 31_234.0);
    assert_eq!(plan["boundaries"].as_array().expect("looks").len(), 5);
    assert_eq!(plan["boundaries"][0]["futility_z"], Value::Null, "two-sided: no futility column");
    assert_eq!(plan["detectable"].as_array().expect("weeks").len(), 4);
    let mut bad = input.clone();
    bad["design"] = json!("zigzag");
    assert_eq!(h.call("plan_experiment", json!({"input": bad})).expect_err("design")["code"], "lab.invalid");
}

#[test]
fn the_experiment_monitor_draws_every_look_and_the_traffic_comes_from_a_pilot() {
    let h = harness(History::InMemory);
    let toml = example(&h, "experiment_ab");
    let view = h.ok("experiment_monitor", json!({"toml": toml, "options": {"users": 20_000}, "onEvent": CHANNEL}));
    let looks = view["looks"].as_array().expect("looks");
    let last = looks.last().expect("a look");
    assert_eq!(last["day"], 42);
    for arm in 0..2 {
        let (rate, interval) = (last["rates"][arm].as_f64().expect("rate"), &last["rate_intervals"][arm]);
        let (lo, hi) = (interval[0].as_f64().expect("lo"), interval[1].as_f64().expect("hi"));
        // Wald: rate ± 1.96 √(p(1 − p)/n).
        let n = last["users"][arm].as_f64().expect("users");
        let half = 1.959_963_984_540_054 * (rate * (1.0 - rate) / n).sqrt();
        assert!((hi - rate - half).abs() < 1e-12 && (rate - lo - half).abs() < 1e-12, "arm {arm}: {interval}");
    }
    assert_eq!(view["has_boundary"], true, "gst:obf has a boundary");
    // Each chart through a look, drawn at the size it is shown: its table stops at that look.
    for chart in ["monitor", "monitor-arms", "monitor-p"] {
        let source = json!({"kind": "monitor", "chart": chart, "through": 3});
        let drawn =
            h.ok("draw_chart", json!({"request": {"source": source, "width": 500, "height": 320, "theme": "light"}}));
        assert!(drawn["svg"].as_str().expect("svg").contains("width=\"500\""), "{chart}");
        let rows = drawn["table"]["rows"].as_array().expect("rows");
        let filled = |r: &&Value| r.as_array().is_some_and(|cells| cells.iter().skip(1).any(|c| c != ""));
        assert!(rows.iter().filter(filled).count() >= 3, "{chart}: {rows:?}");
    }
    let source = json!({"kind": "monitor", "chart": "nope", "through": 1});
    let bad =
        h.call("draw_chart", json!({"request": {"source": source, "width": 500, "height": 320, "theme": "light"}}));
    assert_eq!(bad.expect_err("no such chart")["code"], "chart.failed");
    // Revenue: a mean per user, Welch's statistic against the same boundaries, no expected-z line.
    let revenue = example(&h, "experiment_revenue");
    let view = h.ok("experiment_monitor", json!({"toml": revenue, "options": {"users": 20_000}, "onEvent": CHANNEL}));
    assert_eq!(view["binary"], false);
    assert!(!view["looks"].as_array().expect("looks").is_empty());
    let traffic = h.ok("experiment_traffic", json!({"toml": toml}));
    // 120,000 users over 35 acquisition days; a share of them abandon a cart and enter the experiment.
    assert!((traffic["arrivals_per_day"].as_f64().expect("arrivals") - 120_000.0 / 35.0).abs() < 1e-9);
    let enrolment = traffic["enrolment"].as_f64().expect("share");
    assert!(enrolment > 0.0 && enrolment < 1.0, "{enrolment}");
    let no_experiment = example(&h, "cart_abandonment");
    let err = h.call("experiment_traffic", json!({"toml": no_experiment})).expect_err("no experiment");
    assert_eq!(err["code"], "experiment.missing");
}

#[test]
fn a_model_panel_edit_writes_model_and_the_scenario_reads_it_back() {
    let h = harness(History::InMemory);
    let parameters = h.ok("model_parameters", json!({}));
    let blast = parameters
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["name"] == "blast_annoyance")
        .expect("blast_annoyance listed");
    assert_eq!(
        (&blast["path"], &blast["group"], &blast["assumption"]),
        (&json!("model.blast_annoyance"), &json!("Fatigue, opt-outs and annoyance"), &json!(true))
    );
    assert_eq!((blast["low"].as_f64(), blast["high"].as_f64()), (Some(0.0), Some(0.5)));

    let toml = example(&h, "blast_vs_priority");
    assert!(!toml.contains("[model]"));
    let set = |toml: &str, value: &str| -> String {
        let text = h.ok("set_field", json!({"toml": toml, "path": "model.blast_annoyance", "value": value}));
        text.as_str().expect("text").to_owned()
    };
    let edited = set(&toml, "0.4");
    assert!(edited.ends_with("\n[model]\nblast_annoyance = 0.4\n"), "{edited}");
    assert!(edited.starts_with(&toml), "the rest of the text is kept");
    let report = h.ok("check_scenario", json!({"toml": edited}));
    assert_eq!(report["valid"], true, "{report}");
    let field = report["fields"].as_array().expect("fields").iter().find(|f| f["path"] == "model.blast_annoyance");
    assert_eq!(field.expect("the new field")["value"], "0.4");
    let scenario = journeylab::api::check_scenario(&edited).expect("valid");
    assert_eq!(scenario.model.blast_annoyance, 0.4);

    let out_of_range = set(&edited, "0.9");
    let report = h.ok("check_scenario", json!({"toml": out_of_range}));
    assert_eq!(report["valid"], false);
    let d = &report["diagnostics"][0];
    assert_eq!((&d["path"], &d["kind"]), (&json!("model.blast_annoyance"), &json!("out-of-range")));
    assert!(d["message"].as_str().expect("message").contains("[0, 0.5]"), "{d}");

    assert_eq!(set(&out_of_range, ""), toml, "reset to default removes the key and the emptied section");
}

#[test]
fn the_vocabulary_names_every_metric_and_term_in_the_scenarios_currency() {
    let h = harness(History::InMemory);
    let eur = h.ok("vocabulary", json!({"currency": "EUR"}));
    assert_eq!(eur["currency"], "EUR");
    let metrics = eur["metrics"].as_array().expect("metrics");
    assert_eq!(metrics.len(), journeylab::api::metrics().len());
    let margin = metrics.iter().find(|m| m["id"] == "net_margin_per_user").expect("net margin");
    assert_eq!(margin["name"], "Net margin per user");
    assert_eq!((margin["unit"].clone(), margin["unit_text"].clone()), (json!("money"), json!("EUR per user")));
    assert_eq!(margin["better"], "higher");
    let opt_out = metrics.iter().find(|m| m["id"] == "opt_out_rate").expect("opt-out rate");
    assert_eq!((opt_out["unit_text"].clone(), opt_out["better"].clone()), (json!("% of users"), json!("lower")));
    let msprt = eur["glossary"].as_array().expect("glossary").iter().find(|t| t["id"] == "msprt").expect("mSPRT");
    assert_eq!(msprt["term"], "mSPRT");
    assert!(msprt["definition"].as_str().expect("definition").contains("always-valid"));
    assert_eq!(eur["primary"], "net_margin_per_user");
    assert!(eur["guardrails"].as_array().expect("guardrails").contains(&json!("opt_out_rate")));
    let default = h.ok("vocabulary", json!({"currency": null}));
    assert_eq!(default["currency"], "USD");
    let bad = h.call("vocabulary", json!({"currency": "euro"})).expect_err("not a code");
    assert_eq!(bad["code"], "scenario.invalid");
    assert!(bad["message"].as_str().expect("message").contains("three capital letters"));
}

#[test]
fn the_ui_tells_the_shell_about_unsaved_edits_so_closing_asks_first() {
    use std::sync::atomic::Ordering;
    use tauri::Manager;
    let h = harness(History::InMemory);
    let unsaved = || h.app.state::<journeylab_app::state::AppState>().unsaved.load(Ordering::Relaxed);
    assert!(!unsaved(), "nothing is unsaved at start");
    h.ok("set_unsaved", json!({"unsaved": true}));
    assert!(unsaved());
    h.ok("set_unsaved", json!({"unsaved": false}));
    assert!(!unsaved());
}
