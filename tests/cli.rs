//! The `journeylab` binary as a user runs it: exit codes, stdout, stderr, --out.

use std::path::Path;
use std::process::{Command, Output};

fn journeylab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs")
}

fn simulation(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations").join(name).display().to_string()
}

#[test]
fn check_accepts_a_ready_made_scenario() {
    let out = journeylab(&["check", &simulation("send_time.toml")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(": ok"));
}

#[test]
fn bad_input_lists_every_problem_on_stderr_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[simulation]\nname = \"x\"\nusers = 0\nhorizon_dayz = 3\n").expect("write");
    let out = journeylab(&["check", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.toml:3:9: simulation.users"), "{stderr}");
    assert!(stderr.contains("bad.toml:4:1: simulation.horizon_dayz"), "{stderr}");
    assert!(stderr.contains("journey"), "{stderr}");
    assert!(out.stdout.is_empty());

    let missing = journeylab(&["run", "no/such/file.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no/such/file.toml"));

    let zero = journeylab(&["run", &simulation("send_time.toml"), "--users", "0"]);
    assert_eq!(zero.status.code(), Some(2));
}

#[test]
fn run_prints_json_and_writes_outputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let out = journeylab(&[
        "run",
        &simulation("cart_abandonment.toml"),
        "--users",
        "1000",
        "--days",
        "20",
        "--format",
        "json",
        "--out",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["schema"], "journeylab.run/1");
    assert_eq!(json["users"], 1000);
    assert_eq!(json["journeys"].as_array().map(Vec::len), Some(3));
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("results.json")).expect("results.json"))
            .expect("JSON");
    assert_eq!(saved, json);
    let csv = std::fs::read_to_string(out_dir.join("daily.csv")).expect("daily CSV");
    assert_eq!(csv.lines().count(), 1 + 3 * 20, "a header and one row per journey and day");
    assert!(csv.starts_with("journey,day,"));
    assert_eq!(csv.lines().filter(|l| l.starts_with("reminder,")).count(), 20);
}

#[test]
fn the_run_table_names_metrics_as_the_core_does_with_units() {
    let out = journeylab(&["run", &simulation("cart_abandonment.toml"), "--users", "1000", "--days", "40"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).expect("utf-8");
    assert!(table.lines().next().is_some_and(|l| l.ends_with("money in USD")), "{table}");
    let row = |name: &str| table.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name}: {table}"));
    for name in ["D30 retention", "Survival on the last day", "Opt-out rate", "Uninstall rate"] {
        assert!(row(name).trim_end().ends_with('%'), "{}", row(name));
    }
    assert!(row("Net margin per user").trim_end().ends_with("USD"), "{}", row("Net margin per user"));
    assert!(!table.contains("opted out (any channel)"), "the old names are gone: {table}");
}

#[test]
fn compare_writes_charts_the_headline_table_and_each_design_against_the_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("onboarding");
    let out = journeylab(&[
        "compare",
        &simulation("onboarding.toml"),
        "--users",
        "2000",
        "--replications",
        "2",
        "--out",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in ["retention.svg", "retention.png", "cumulative_margin.svg", "retention_simulated.csv", "summary.md"] {
        assert!(out_dir.join(file).is_file(), "{file} written");
    }
    let csv = std::fs::read_to_string(out_dir.join("headline.csv")).expect("headline.csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("metric,journey,mean,lower,upper,vs_baseline,vs_baseline_lower,vs_baseline_upper"));
    let d30: Vec<Vec<&str>> =
        lines.filter(|l| l.starts_with("retention_d30,")).map(|l| l.split(',').collect()).collect();
    assert_eq!(d30.len(), 3, "one row per journey: {csv}");
    assert_eq!((d30[0][1], &d30[0][5..]), ("no journey", &["", "", ""][..]), "the baseline has no difference");
    for row in &d30[1..] {
        let number = |i: usize| row[i].parse::<f64>().unwrap_or_else(|_| panic!("{row:?}"));
        assert!((number(5) - (number(2) - d30[0][2].parse::<f64>().expect("mean"))).abs() < 1e-9, "{row:?}");
        assert!(number(6) <= number(5) && number(5) <= number(7), "{row:?}");
    }
    let summary = std::fs::read_to_string(out_dir.join("summary.md")).expect("summary");
    assert!(summary.contains("## Difference from no journey"), "{summary}");
    let verdict = summary.lines().find(|l| l.starts_with("Verdict: ")).expect("a verdict line");
    assert!(summary.lines().position(|l| l == verdict) < Some(4), "the verdict comes first: {summary}");
    assert!(["Ship ", "Weigh that", "Run more replicates"].iter().any(|s| verdict.contains(s)), "{verdict}");
    assert!(summary.contains("| D30 retention (pp) | +") || summary.contains("| D30 retention (pp) | −"), "{summary}");
    // Every number has its unit: money in the scenario's currency, shares as percentages.
    assert!(summary.contains("money in USD"), "{summary}");
    assert!(summary.contains("| Net margin per user (USD per user) |"), "{summary}");
    assert!(summary.contains("| D30 survival (%) |") && summary.contains("| Opt-out rate (%) |"), "{summary}");
    assert!(verdict.contains(" USD"), "the verdict's money has its currency: {verdict}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim_end(), summary.trim_end(), "stdout is summary.md");
}

#[test]
fn compare_writes_the_verdict_for_the_scenarios_primary_metric_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(simulation("onboarding.toml")).expect("onboarding.toml");
    let scenario = dir.path().join("by_d30.toml");
    std::fs::write(&scenario, format!("{text}\n[verdict]\nprimary_metric = \"retention_d30\"\n")).expect("write");
    let out_dir = dir.path().join("out");
    let out = journeylab(&[
        "compare",
        scenario.to_str().expect("utf-8 path"),
        "--users",
        "1500",
        "--replications",
        "2",
        "--out",
        out_dir.to_str().expect("utf-8 path"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = std::fs::read_to_string(out_dir.join("summary.md")).expect("summary");
    let verdict = summary.lines().find(|l| l.starts_with("Verdict: ")).expect("a verdict line");
    assert!(summary.lines().position(|l| l == verdict) < Some(4), "the verdict comes first: {summary}");
    assert!(verdict.contains("D30 retention"), "ranked by the scenario's primary metric: {verdict}");
    assert!(verdict.contains(" pp"), "a share's difference in percentage points: {verdict}");
    assert!(summary.contains("(D30 retention decides;"), "{summary}");

    // An unknown metric is refused, naming the field and the allowed ids.
    std::fs::write(&scenario, format!("{text}\n[verdict]\nprimary_metric = \"profit\"\n")).expect("write");
    let out = journeylab(&["check", scenario.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("verdict.primary_metric"), "{stderr}");
    assert!(stderr.contains("`net_margin_per_user`") && stderr.contains("`retention_d30`"), "{stderr}");
}
