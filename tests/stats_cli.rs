//! The statistics subcommands' new options as a user runs them: JSON keys and
//! the conventions every output must name.

use std::process::Command;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn futility_only_design_with_conditional_power() {
    let v = json(&[
        "design",
        "--looks",
        "3",
        "--futility-only",
        "--one-sided",
        "--alpha",
        "0.025",
        "--interim-z",
        "1.2",
        "--at-look",
        "1",
        "--format",
        "json",
    ]);
    let looks = v["looks"].as_array().expect("looks");
    assert!(looks[0]["upper"].is_null() && looks[1]["upper"].is_null(), "no efficacy stop before the end");
    assert!((looks[2]["upper"].as_f64().expect("final bound") - 1.959_964).abs() < 1e-5);
    assert!(v["futility"].as_str().expect("futility").starts_with("non-binding"));
    assert!(v["sides"].as_str().expect("sides").starts_with("one-sided"));
    let cp = &v["conditional_power"];
    let (design, trend, h0) = (
        cp["under_design_effect"].as_f64().expect("cp"),
        cp["under_current_trend"].as_f64().expect("cp"),
        cp["under_h0"].as_f64().expect("cp"),
    );
    assert!(h0 < trend && trend < design && design < 1.0, "{cp}");
    // A two-sided futility design is refused with exit code 2.
    let out = Command::new(env!("CARGO_BIN_EXE_journeylab"))
        .args(["design", "--looks", "3", "--futility-only"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn non_inferiority_plan_and_analysis_name_their_hypothesis() {
    let v = json(&["plan", "--baseline", "0.65", "--mde", "0.2", "--margin", "-0.1", "--format", "json"]);
    assert_eq!(v["n_per_arm"], 25, "Chow, Shao & Wang §4.2 example");
    assert!(v["hypothesis"].as_str().expect("hypothesis").starts_with("non-inferiority"));
    assert!(v["test"].as_str().expect("test").contains("unpooled"));
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("looks.csv");
    std::fs::write(&csv, "users_a,conversions_a,users_b,conversions_b\n10000,2000,10000,1985\n20000,4000,20000,3980\n")
        .expect("write");
    let path = csv.to_str().expect("utf-8 path");
    let v = json(&["analyze", path, "--method", "gst:obf", "--margin", "-0.01", "--format", "json"]);
    assert_eq!(v["conventions"]["sides"], "one-sided (upper) against the margin");
    assert!(v["conventions"]["standard_error"].as_str().expect("se").starts_with("unpooled"));
    assert_eq!(v["first_rejection"], 2);
}

#[test]
fn analyze_reads_a_means_csv_of_cumulative_sums() {
    // The looks of tests/stats_means.rs; values from mpmath (30 digits) there: look 2 Welch
    // t = 2.3739939460125225, df = 1596.2894045912996, two-sided p = 0.017714550550743024.
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("revenue.csv");
    std::fs::write(
        &csv,
        "users_a,sum_a,sum_sq_a,users_b,sum_b,sum_sq_b\n400,4120,99892,410,4879,132600.35\n800,8080,200531.16,805,9338,246295.24\n",
    )
    .expect("write");
    let path = csv.to_str().expect("utf-8 path");
    let v = json(&["analyze", path, "--method", "naive", "--format", "json"]);
    assert_eq!(v["metric"], "mean");
    assert_eq!(v["conventions"]["standard_error"], "unpooled (Welch)");
    assert_eq!(v["conventions"]["lift"], "absolute (mean_B - mean_A)");
    let look = &v["looks"][1];
    let number = |key: &str| look[key].as_f64().unwrap_or_else(|| panic!("{key}: {look}"));
    assert!((number("z") - 2.373_993_946_012_522_5).abs() < 1e-8, "{look}");
    assert!((number("df") - 1_596.289_404_591_299_6).abs() < 1e-6, "{look}");
    assert!((number("naive_p") - 0.017_714_550_550_743_024).abs() < 1e-10, "{look}");
    assert_eq!(look["values"][1].as_f64(), Some(9338.0 / 805.0));
    assert_eq!(v["first_rejection"], 2);
    // Bayes has no model for a mean, and a header of neither kind names both: exit code 2.
    let refused = |args: &[&str], says: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{stderr}");
    };
    refused(&["analyze", path, "--method", "bayes:0.95"], "bayes is for conversions");
    std::fs::write(&csv, "users_a,sum_a,users_b,sum_b\n400,4120,410,4879\n").expect("write");
    refused(&["analyze", path, "--method", "naive"], "no column \"sum_sq_a\"");
}

#[test]
fn peek_draws_the_peeking_chart_from_the_monte_carlo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("peek");
    let v = json(&[
        "peek",
        "--looks",
        "10",
        "--sims",
        "4000",
        "--method",
        "gst:obf",
        "--format",
        "json",
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(v["sims"], 4000);
    let csv = std::fs::read_to_string(out.join("peeking.csv")).expect("peeking.csv");
    // Looks 1, 2, 3, 5, 7 and 10, for naive and the method: a header and 12 rows.
    assert_eq!(csv.lines().count(), 13, "{csv}");
    let naive_at = |k: &str| -> f64 {
        let row = csv.lines().find(|l| l.starts_with(&format!("{k},naive,"))).expect("row");
        row.split(',').nth(2).and_then(|r| r.parse().ok()).expect("rate")
    };
    assert!(naive_at("10") > naive_at("1"), "peeking more often declares more winners");
    let png = std::fs::read(out.join("peeking.png")).expect("png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000);
    let svg = std::fs::read_to_string(out.join("peeking.svg")).expect("svg");
    assert!(svg.starts_with("<svg") && svg.contains("number of looks"));
}
