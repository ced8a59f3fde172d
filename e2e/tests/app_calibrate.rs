//! End-to-end: the Calibrate screen on the real app — the CDNOW sample picked through the
//! scripted file dialog, its first rows previewed with the detected format and an edited mapping,
//! the calibration run to its back-test (verdict, holdout table, charts, segments), a chart and
//! the report exported, and "Open as scenario" landing on the Scenario screen with the calibrated
//! scenario valid. Screenshots: target/screenshots/calibrate.png (the back-test) and calibrate-preview.png.

use std::time::Instant;

use fantoccini::Locator;
use journeylab_e2e::*;

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
#[allow(clippy::print_stderr, reason = "the test log says how long the calibration took")]
async fn an_export_is_previewed_calibrated_back_tested_and_opened_as_a_scenario() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dialogs = dir.path().join("dialogs");
    std::fs::create_dir_all(&dialogs).expect("dialog dir");
    std::fs::copy(root().join("tests/data/import/cdnow_events.csv"), dialogs.join("cdnow_events.csv"))
        .expect("place the export");
    let driver = Driver::start_with_env(dir.path(), &[(DIALOG_DIR, &dialogs)]);
    let (client, _) = launch(&driver).await;

    // Ctrl+0 opens the screen, which needs no open scenario.
    press_ctrl(&client, false, '0').await;
    click(&client, "[data-testid='calibrate-choose']").await;
    let picked = wait_text(&client, "[data-testid='calibrate-file']", "cdnow_events.csv").await;
    assert!(picked.contains("CSV (delimiter ',')"), "{picked}");
    let preview = text(&client, "[data-testid='calibrate-preview']").await;
    assert!(preview.contains("00004") && preview.contains("1997-01-01") && preview.contains("29.33"), "{preview}");
    let rows = client.find_all(Locator::Css("[data-testid='calibrate-preview'] tbody tr")).await.expect("rows");
    assert_eq!(rows.len(), 20);

    // Editing the columns re-reads the rows: revenue from the CD count, then back.
    let spec =
        wait_value(&client, "[data-testid='calibrate-spec']", "the detected mapping", |v| v.contains("user=")).await;
    set_input(&client, "[data-testid='calibrate-spec']", &format!("{spec},revenue=cds")).await;
    wait_value(&client, "[data-testid='calibrate-spec']", "revenue from cds", |v| v.contains("revenue=cds")).await;
    let first = |t: String| t.lines().find(|l| l.contains("00004")).unwrap_or_default().to_owned();
    let remapped = first(text(&client, "[data-testid='calibrate-preview'] tbody tr").await);
    assert!(!remapped.contains("29.33"), "revenue now from the cds column: {remapped}");
    set_input(&client, "[data-testid='calibrate-spec']", &spec).await;
    wait_text(&client, "[data-testid='calibrate-preview']", "29.33").await;

    // The holdout comes prefilled with the core's suggestion: the last quarter of the export's days.
    wait_value(&client, "[data-testid='calibrate-holdout-from']", "the suggested holdout", |v| v == "1998-02-15").await;
    let hint = text(&client, "[data-testid='calibrate-holdout-suggestion']").await;
    assert!(hint.contains("1997-01-01 … 1998-06-30"), "{hint}");
    screenshot(&client, "calibrate-preview").await;

    // The calibration: progress, then the back-test.
    set_input(&client, "[data-testid='calibrate-holdout-from']", "1997-10-01").await;
    set_input(&client, "[data-testid='calibrate-holdout-to']", "1998-06-30").await;
    let clock = Instant::now();
    click(&client, "[data-testid='calibrate-run']").await;
    wait_text(&client, "[data-testid='calibrate-progress']", "simulated users").await;
    let verdict = wait_text(&client, "[data-testid='calibrate-verdict']", "1,882 repeat purchase days happened").await;
    eprintln!("CDNOW calibrated in the app in {:.1} s", clock.elapsed().as_secs_f64());
    assert!(verdict.contains("BG/NBD") && verdict.contains("1997-10-01 … 1998-06-30"), "{verdict}");
    let headline = text(&client, "[data-testid='calibrate-headline']").await;
    assert!(headline.contains("actual") && headline.contains("simulated") && headline.contains("BG/NBD"), "{headline}");
    // Tracking, by frequency, activity.
    wait_count(&client, "[data-testid='calibrate-chart'] svg", 3).await;
    let by_frequency = text(&client, "[data-testid='calibrate-by-frequency']").await;
    assert!(by_frequency.contains("7+"), "{by_frequency}");
    wait(&client, "[data-testid='calibrate-segments'] tbody tr").await;
    scroll_to(&client, "[data-testid='calibrate-verdict']").await;
    screenshot(&client, "calibrate").await;

    // Exports: the report and a chart.
    let (path, json) = export(&client, "[data-testid='calibrate-export-json']", "json").await;
    assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("report.json"));
    let json: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert_eq!(json["schema"], "journeylab.calibration/1");
    export(&client, "[data-chart='tracking'] [data-testid='calibrate-tracking-export-png']", "png").await;

    // Open as scenario: the Scenario screen with the calibrated population, valid.
    click(&client, "[data-testid='calibrate-open-scenario']").await;
    wait(&client, "[data-testid='valid']").await;
    let name = text(&client, "[data-testid='doc-name']").await;
    assert!(!name.is_empty(), "a document is open");
    wait(&client, "[data-screen='run']:not([disabled])").await;
    client.close().await.expect("close");
}
