//! End-to-end: the Compare screen's Robustness panel on the real app — a bad input refused
//! with the core's reason, a large sweep cancelled with Ctrl+. while it shows its time left, a
//! small sweep run to its sentences and charts, and every export through the scripted dialogs.
//! Screenshots: target/screenshots/robust.png and robust-tornado.png.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use journeylab_e2e::*;

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_robustness_panel_sweeps_cancels_shows_each_pairs_charts_and_exports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dialogs = dir.path().join("dialogs");
    std::fs::create_dir_all(&dialogs).expect("dialog dir");
    let driver = Driver::start_with_env(dir.path(), &[(DIALOG_DIR, &dialogs)]);
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='compare']").await;
    click(&client, "[data-testid='compare-tab-robustness']").await;

    // The core's defaults, and its reason for refusing an input, at the fields.
    let plan = wait_text(&client, "[data-testid='robust-plan']", "runs of 20,000 users").await;
    assert!(plan.contains("at joint points"), "{plan}");
    set_input(&client, "[data-testid='robust-samples']", "0").await;
    let problem = wait_text(&client, "[data-testid='robust-problem']", "joint points is 0").await;
    assert!(problem.contains("1 … 1024"), "says what is allowed: {problem}");
    assert!(!wait(&client, "[data-testid='robust-start']").await.is_enabled().await.expect("enabled"));

    // A sweep of minutes: progress by runs with the time left, then Ctrl+. stops it promptly.
    set_input(&client, "[data-testid='robust-samples']", "64").await;
    set_input(&client, "[data-testid='robust-users']", "50000").await;
    wait_text(&client, "[data-testid='robust-plan']", "runs of 50,000 users").await;
    click(&client, "[data-testid='robust-start']").await;
    wait_text(&client, "[data-testid='robust-progress']", "About").await;
    let progress = text(&client, "[data-testid='robust-progress']").await;
    assert!(progress.contains(" runs") && progress.contains("simulated users"), "{progress}");
    let asked = Instant::now();
    press_ctrl(&client, false, '.').await;
    wait_text(&client, "[data-testid='toast']", "Robustness sweep cancelled").await;
    let stopped = asked.elapsed();
    assert!(stopped < Duration::from_secs(10), "the sweep stopped {stopped:?} after Ctrl+.");
    assert!(client.find(Locator::Css("[data-testid='robust-pair']")).await.is_err(), "no partial result");

    // A small sweep to the end: per pair of journeys a sentence, the holds-share chart and a tornado.
    set_input(&client, "[data-testid='robust-samples']", "8").await;
    set_input(&client, "[data-testid='robust-users']", "2000").await;
    wait_text(&client, "[data-testid='robust-plan']", "runs of 2,000 users").await;
    let start = wait(&client, "[data-testid='robust-start']").await;
    assert!(start.is_enabled().await.expect("enabled"), "a new sweep can start after cancelling");
    start.click().await.expect("start");
    wait(&client, "[data-testid='robust-pair']").await;
    let pairs = client.find_all(Locator::Css("[data-testid='robust-pair']")).await.expect("pairs");
    assert_eq!(pairs.len(), 3, "three journeys, three pairs");
    let sentence = text(&client, "[data-testid='robust-sentence']").await;
    assert!(sentence.contains("net margin per user") && sentence.contains("of the plausible space"), "{sentence}");
    // A holds-share chart per pair.
    wait_count(&client, "[data-testid='robust-holds'] svg", 3).await;
    let holds_chart = text(&client, "[data-testid='robust-holds']").await;
    assert!(holds_chart.contains("How often the winner holds"), "{holds_chart}");
    let tornado = text(&client, "[data-testid='robust-tornado']").await;
    assert!(tornado.contains("net margin per user"), "the tornado of the first metric: {tornado}");
    // Another metric redraws every pair's tornado.
    client
        .execute(
            "const s = document.querySelector(\"[data-testid='robust-metric']\"); s.value = 'retention_d30'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .expect("pick a metric");
    wait_text(&client, "[data-testid='robust-tornado']", "D30 retention").await;
    wait_text(&client, "[data-testid='robust-sentence']", "D30 retention").await;
    client
        .execute(
            "const s = document.querySelector(\"[data-testid='robust-metric']\"); s.value = 'net_margin_per_user'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .expect("back to net margin");
    wait_text(&client, "[data-testid='robust-sentence']", "net margin per user").await;
    scroll_to(&client, "[data-testid='robust-title']").await;
    screenshot(&client, "robust").await;
    scroll_to(&client, "[data-testid='robust-tornado']").await;
    screenshot(&client, "robust-tornado").await;

    // Exports: robust.json, the flat CSV, and a chart as SVG and PNG.
    let (path, json) = export(&client, "[data-testid='robust-export-json']", "json").await;
    assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("robust.json"));
    let json: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(json["schema"], "journeylab.robust/1");
    assert_eq!((json["samples"].as_u64(), json["users"].as_u64()), (Some(8), Some(2000)));
    let (_, csv) = export(&client, "[data-testid='robust-export-csv']", "csv").await;
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(csv.starts_with("a,b,metric,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 3 * 7, "a row per pair and metric");
    export(&client, "[data-testid='robust-holds'] [data-testid='robust-export-svg']", "svg").await;
    export(&client, "[data-testid='robust-tornado'] [data-testid='robust-export-png']", "png").await;
    client.close().await.expect("close");
}
