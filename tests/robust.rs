//! The robustness sweep: shards merge to the whole run byte for byte, a tornado bar is the
//! difference a hand-made `[model]` override gives, the shares add up, bad input is refused.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use journeylab::api::{self, RobustConfig, RobustError, RobustPoints, RobustReport, RunConfig, Shard};

const USERS: u32 = 500;
const DAYS: u32 = 40;
const SAMPLES: u32 = 6;

fn config() -> RobustConfig {
    RobustConfig {
        samples: SAMPLES,
        replicates: 1,
        run: RunConfig { users: Some(USERS), days: Some(DAYS), ..RunConfig::default() },
        shard: Shard::WHOLE,
    }
}

/// One whole sweep of cart_abandonment, shared by the tests.
fn whole() -> &'static (RobustPoints, RobustReport) {
    static WHOLE: OnceLock<(RobustPoints, RobustReport)> = OnceLock::new();
    WHOLE.get_or_init(|| {
        let progress = std::sync::Mutex::new(Vec::new());
        let scenario = common::load("cart_abandonment.toml");
        let out =
            api::robust(&scenario, &config(), &|p| progress.lock().expect("lock").push(p), &AtomicBool::new(false))
                .expect("the sweep runs");
        let last = *progress.lock().expect("lock").iter().max_by_key(|p| p.users_done).expect("progress reported");
        let runs = 8 + 2 * out.1.parameters as u64 + u64::from(SAMPLES);
        assert_eq!((last.users_done, last.users_total), (runs * u64::from(USERS), runs * u64::from(USERS)));
        out
    })
}

fn journeylab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs")
}

fn cart() -> String {
    common::simulations().join("cart_abandonment.toml").display().to_string()
}

fn sweep_args<'a>(scenario: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["robust", scenario, "--samples", "6", "--users", "500", "--days", "40", "--out", out];
    args.extend_from_slice(extra);
    args
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn bad(out: &Output, says: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(says), "expected {says:?} in: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn shards_merged_by_the_cli_give_the_whole_runs_files_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |p: &str| dir.path().join(p).display().to_string();
    let scenario = cart();
    for shard in ["0/2", "1/2"] {
        // Both shards in one folder, as an array job writing to a shared volume would leave them.
        ok(&journeylab(&sweep_args(&scenario, &path("shards"), &["--shard", shard])));
    }
    ok(&journeylab(&["robust", "merge", &path("shards"), "--out", &path("merged")]));
    let (points, report) = whole();
    let merged = dir.path().join("merged");
    assert_eq!(String::from_utf8(read(&merged.join("robust.json"))).expect("utf-8"), report.to_json());
    assert_eq!(String::from_utf8(read(&merged.join("points-0-of-1.jsonl"))).expect("utf-8"), points.to_text());
    assert_eq!(String::from_utf8(read(&merged.join("summary.md"))).expect("utf-8"), api::robust_summary(report));
    for chart in api::robust_charts(report) {
        let stem = &chart.stem;
        assert!(read(&merged.join(format!("{stem}.svg"))).starts_with(b"<svg"), "{stem}");
        assert!(read(&merged.join(format!("{stem}.png"))).starts_with(b"\x89PNG"), "{stem}");
    }
    let json: serde_json::Value = serde_json::from_slice(&read(&merged.join("robust.json"))).expect("json");
    assert_eq!(json["schema"], "journeylab.robust/1");
    for key in
        ["a", "b", "metric", "winner", "holds_share", "reverses_share", "unclear_share", "tornado", "sensitivity"]
    {
        assert!(json["pairs"][0].get(key).is_some(), "pairs[].{key}");
    }

    // A merge of a shard with a corrupt line, a missing shard, an unknown folder: clear errors, exit code 2.
    let shard0 = dir.path().join("shards/points-0-of-2.jsonl");
    let text = String::from_utf8(read(&shard0)).expect("utf-8");
    std::fs::create_dir_all(dir.path().join("corrupt")).expect("dir");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{\"job\": 2, \"point\": \"scenario\"";
    std::fs::write(dir.path().join("corrupt/points-0-of-2.jsonl"), lines.join("\n")).expect("write");
    bad(
        &journeylab(&["robust", "merge", &path("corrupt"), "--out", &path("x")]),
        "points-0-of-2.jsonl: line 3: not a run",
    );
    std::fs::create_dir_all(dir.path().join("half")).expect("dir");
    std::fs::write(dir.path().join("half/points-0-of-2.jsonl"), &text).expect("write");
    bad(&journeylab(&["robust", "merge", &path("half"), "--out", &path("x")]), "missing shard(s) 1/2");
    bad(&journeylab(&["robust", "merge", &path("no-such-folder"), "--out", &path("x")]), "cannot read the folder");
    bad(
        &journeylab(&["robust", "merge", &path("merged"), &path("shards"), "--out", &path("x")]),
        "is a shard of 2 but",
    );
    // Shard 1 of another seed: the headers differ, and the error says where.
    let shard1 = String::from_utf8(read(&dir.path().join("shards/points-1-of-2.jsonl"))).expect("utf-8");
    let (header, runs) = shard1.split_once('\n').expect("a header line");
    let mut header: serde_json::Value = serde_json::from_str(header).expect("json header");
    header["seed"] = serde_json::json!(7);
    std::fs::write(dir.path().join("half/points-1-of-2.jsonl"), format!("{header}\n{runs}")).expect("write");
    bad(&journeylab(&["robust", "merge", &path("half"), "--out", &path("x")]), "from another sweep");
    bad(&journeylab(&["robust", "merge", &path("half"), "--out", &path("x")]), "(differs in: seed)");
}

#[test]
fn bad_settings_are_refused_with_clear_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().display().to_string();
    let scenario = cart();
    bad(&journeylab(&["robust", &scenario, "--samples", "0", "--out", &out]), "--samples must be 1");
    bad(&journeylab(&["robust", &scenario, "--shard", "3/2", "--out", &out]), "the index must be 0 … count − 1");
    bad(&journeylab(&["robust", &scenario, "--shard", "two", "--out", &out]), "expected i/n");
    let model = common::load("cart_abandonment.toml");
    let cancel = AtomicBool::new(false);
    let refused = |c: RobustConfig| api::robust(&model, &c, &|_| {}, &cancel).err();
    assert!(matches!(refused(RobustConfig { samples: 0, ..config() }), Some(RobustError::BadConfig(_))));
    assert!(matches!(refused(RobustConfig { replicates: 0, ..config() }), Some(RobustError::BadConfig(_))));
    let shard = RobustConfig { shard: Shard { index: 3, count: 2 }, ..config() };
    assert_eq!(
        api::robust_shard(&model, &shard, &|_| {}, &cancel).err(),
        Some(RobustError::BadShard { index: 3, count: 2 })
    );
    assert!(matches!(api::robust_points("not json"), Err(RobustError::Points { line: 1, .. })));
    assert!(matches!(api::robust_merge(Vec::new()), Err(RobustError::Merge(_))));
    let cancelled = AtomicBool::new(true);
    assert_eq!(
        api::robust(&model, &config(), &|_| {}, &cancelled).err(),
        Some(RobustError::Run(api::RunError::Cancelled))
    );
}

/// `metric` of journey `a` minus journey `b` in one run, as the sweep computes it.
fn difference(results: &api::RunResults, a: &str, b: &str, metric: fn(&api::RunResults, usize) -> f64) -> f64 {
    let index = |name: &str| results.journeys.iter().position(|j| j.name == name).expect("journey");
    metric(results, index(a)) - metric(results, index(b))
}

#[test]
fn a_tornado_bar_is_the_difference_a_hand_made_model_override_gives() {
    let (_, report) = whole();
    let text = std::fs::read_to_string(cart()).expect("scenario text");
    let run = RunConfig { users: Some(USERS), days: Some(DAYS), ..RunConfig::default() };
    type Metric = fn(&api::RunResults, usize) -> f64;
    let metrics: [(&str, Metric); 2] = [
        ("net_margin_per_user", |r, j| r.journeys[j].summary.net_margin_per_user),
        // D30 activity hardly differs between these designs at 500 users; opt-outs do.
        ("opt_out_rate", |r, j| r.journeys[j].summary.opt_out_rate),
    ];
    for (id, metric) in metrics {
        // The pair whose largest tornado bar swings most (some pairs' differences never move at this size).
        let pair = report
            .pairs
            .iter()
            .filter(|p| p.metric == id)
            .max_by(|x, y| x.tornado[0].swing().total_cmp(&y.tornado[0].swing()))
            .expect("a pair");
        let bar = &pair.tornado[0];
        assert!(bar.swing() > 0.0, "{id}: the largest swing moves the difference");
        let parameter = api::model_parameters(None).into_iter().find(|p| p.name == bar.parameter).expect("parameter");
        for (end, value) in [(bar.low, parameter.low), (bar.high, parameter.high)] {
            let scenario = api::check_scenario(&format!("{text}\n[model]\n{} = {value:?}\n", bar.parameter))
                .expect("valid override");
            let results = common::run_with(&scenario, run);
            assert_eq!(end, Some(difference(&results, &pair.a, &pair.b, metric)), "{id}: {} = {value}", bar.parameter);
        }
        // And at the scenario's own values (replicate 0 of the noise replicates).
        let results = common::run_with(&common::load("cart_abandonment.toml"), run);
        assert_eq!(pair.difference, Some(difference(&results, &pair.a, &pair.b, metric)), "{id}");
    }
}

#[test]
fn the_shares_add_up_and_the_winner_is_the_sign_of_the_difference() {
    let (_, report) = whole();
    assert_eq!(report.pairs.len(), 3 * 7, "3 pairs of journeys × 7 metrics");
    for p in &report.pairs {
        let sum = p.holds_share + p.reverses_share + p.unclear_share;
        assert!((sum - 1.0).abs() < 1e-12, "{} {} {}: {sum}", p.a, p.b, p.metric);
        for share in [p.holds_share, p.reverses_share, p.unclear_share] {
            let count = share * f64::from(SAMPLES);
            assert!((count - count.round()).abs() < 1e-9, "a share is a count of joint points: {share}");
        }
        let d = p.difference.expect("a difference at the scenario's values");
        let higher = p.better == api::Better::Higher;
        let expected = if d == 0.0 {
            None
        } else if (d > 0.0) == higher {
            Some(&p.a)
        } else {
            Some(&p.b)
        };
        assert_eq!(p.winner.as_ref(), expected, "{} {} {}", p.a, p.b, p.metric);
        assert!(p.mc_threshold.is_some_and(|t| t >= 0.0), "{p:?}");
        assert!(p.tornado.windows(2).all(|w| w[0].swing() >= w[1].swing()), "sorted by swing");
        assert_eq!(p.tornado.len(), report.parameters);
    }
    // With 6 joint points and ~50 parameters the regression is underdetermined: correlations, said so.
    assert!(
        report
            .pairs
            .iter()
            .all(|p| p.sensitivity_method != api::RobustSensitivityMethod::StandardisedRegressionCoefficients)
    );
    assert!(api::robust_summary(report).contains("correlation coefficients"));
}

#[test]
fn the_app_gets_one_csv_row_one_sentence_per_pair_and_every_chart_with_its_title() {
    let (points, report) = whole();
    let csv = api::robust_csv(report);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + report.pairs.len(), "a header and a row per pair and metric");
    let header: Vec<&str> = lines[0].split(',').collect();
    for (row, p) in lines[1..].iter().zip(&report.pairs) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells.len(), header.len(), "{row}");
        let at = |name: &str| cells[header.iter().position(|h| *h == name).expect(name)];
        assert_eq!((at("a"), at("b"), at("metric")), (p.a.as_str(), p.b.as_str(), p.metric.as_str()));
        assert_eq!(at("holds_share").parse::<f64>().expect("share"), p.holds_share, "full precision");
        assert_eq!(at("winner"), p.winner.as_deref().unwrap_or(""));
    }
    let sentences = api::robust_sentences(report);
    assert_eq!(sentences.len(), report.pairs.len());
    for (s, p) in sentences.iter().zip(&report.pairs) {
        assert!(s.contains(&api::robust_metric_label(&p.metric).to_string()), "{s}");
        assert!(!s.contains("**") && !s.contains('`'), "plain text, no markdown: {s}");
        // The same words summary.md uses for this line, without its marks.
        let plain = api::robust_summary(report).replace("**", "").replace('`', "");
        assert!(plain.contains(s.as_str()), "{s}");
    }
    let charts = api::robust_charts(report);
    let holds = charts.iter().filter(|c| matches!(c.kind, api::RobustChartKind::Holds { .. })).count();
    assert_eq!(holds, 3, "one per pair of cart_abandonment's three journeys");
    for chart in &charts {
        let svg = String::from_utf8(api::robust_chart(report, &chart.kind, api::ImageFormat::Svg).expect("draws"))
            .expect("utf-8");
        let escaped = chart.title.replace('&', "&amp;").replace('"', "&quot;");
        assert!(svg.contains(&escaped), "{} draws its title {:?}", chart.stem, chart.title);
    }
    let scenario = common::load("cart_abandonment.toml");
    let plan = api::robust_plan(&scenario, &config()).expect("a valid sweep");
    assert_eq!(plan.runs() as usize, points.runs.len(), "the plan counts the runs the sweep made");
    assert_eq!(plan.users_per_run, USERS);
}
