//! `journeylab fit`: published numbers through the CLI, and bad input → exit code 2.

use std::process::{Command, Output};

fn journeylab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn fit_sbg_reproduces_the_high_end_cohort_and_projects() {
    // Fader & Hardie (2007), high-end cohort; fit years 1–7, project to year 12.
    let survivors = "1000,869,743,653,593,551,517,491,468,445,427,409,394";
    let out = json(&journeylab(&[
        "fit",
        "sbg",
        "--survivors",
        survivors,
        "--fit-periods",
        "7",
        "--project",
        "12",
        "--format",
        "json",
    ]));
    assert!((out["alpha"].as_f64().expect("alpha") - 0.668).abs() < 0.001);
    assert!((out["beta"].as_f64().expect("beta") - 3.806).abs() < 0.001);
    let survival = out["survival"].as_array().expect("survival");
    assert_eq!(survival.len(), 13);
    assert_eq!(survival[0].as_f64(), Some(1.0));
    // Year 12 held out: 394 of 1000 survived.
    assert!((survival[12].as_f64().expect("S(12)") - 0.394).abs() < 0.02);
}

#[test]
fn fit_bgnbd_reads_the_lifetimes_summary() {
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cdnow_customers_summary.csv");
    let out = json(&journeylab(&["fit", "bgnbd", csv, "--predict", "39", "--format", "json"]));
    assert!((out["r"].as_f64().expect("r") - 0.243).abs() < 0.001);
    let customers = out["customers"].as_array().expect("customers");
    assert_eq!(customers.len(), 2357);
    assert_eq!(customers[0]["id"], "1");
    let p = customers[0]["p_alive"].as_f64().expect("p_alive");
    assert!(p > 0.0 && p < 1.0);
}

#[test]
fn bad_input_is_named_with_exit_code_2() {
    let rising = journeylab(&["fit", "sbg", "--survivors", "1000,600,700"]);
    assert_eq!(rising.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&rising.stderr).contains("rise from 600 to 700"));
    let too_many = journeylab(&["fit", "sbg", "--survivors", "1000,600", "--fit-periods", "3"]);
    assert_eq!(too_many.status.code(), Some(2));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "id,frequency,recency,T\n1,2,40,38\n").expect("writes");
    let out = journeylab(&["fit", "bgnbd", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("bad.csv:2") && message.contains("recency"), "{message}");
}

#[test]
fn every_bad_row_of_a_summary_is_reported_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("summary.csv");
    let text = "id,frequency,recency,T\n1,2,40,38\n2,1,5,10\n3,two,1,4\n\n4,1.5,1,2\n5,0,3,9\n";
    std::fs::write(&path, text).expect("writes");
    let out = journeylab(&["fit", "bgnbd", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    let at = |line: usize, says: &str| {
        let located = format!("summary.csv:{line}: ");
        assert!(message.lines().any(|l| l.contains(&located) && l.contains(says)), "no {located}{says} in:\n{message}");
    };
    at(2, "recency = 40 must lie between 0 and T = 38");
    at(4, "frequency = \"two\" is not a number");
    at(6, "frequency = 1.5 must be a whole number");
    at(7, "frequency 0 needs recency 0");
    assert!(message.contains("4 problem(s)"), "{message}");
    assert!(!message.contains("summary.csv:3:"), "row 3 is fine:\n{message}");
}

#[test]
fn every_bad_row_of_analyze_looks_is_reported_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("looks.csv");
    std::fs::write(&path, "users_a,conversions_a,users_b,conversions_b\n100,x,100,9\n200,20,-1,19\n300,30,300\n")
        .expect("writes");
    let out = journeylab(&["analyze", path.to_str().expect("utf-8"), "--method", "naive"]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    for (line, says) in
        [(2, "'conversions_a' is 'x'"), (3, "'users_b' is '-1'"), (4, "missing the conversions_b column")]
    {
        let located = format!("looks.csv:{line}: ");
        assert!(message.lines().any(|l| l.contains(&located) && l.contains(says)), "no {located}{says} in:\n{message}");
    }
}
