//! End-to-end: the real app (debug build) driven through tauri-driver and
//! WebKitWebDriver. Needs a display: `make e2e` runs it under xvfb-run.
//! Screenshots of each screen go to target/screenshots/; the launch time to an
//! interactive library goes to target/e2e-launch-ms.txt.

use fantoccini::Locator;
use journeylab_e2e::*;

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn open_a_ready_made_scenario_run_it_and_see_results_and_charts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, launch_time) = launch(&driver).await;
    std::fs::write(root().join("target/e2e-launch-ms.txt"), format!("{}\n", launch_time.as_millis())).expect("timing");
    screenshot(&client, "library").await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    wait(&client, "[data-path='simulation.users'] input").await;
    screenshot(&client, "scenario").await;
    run_small(&client, "20000").await;
    let title = wait(&client, "[data-testid='results-title']").await.text().await.expect("title");
    assert_eq!(title, "Cart abandonment: reminder vs coupon");
    // Names come from the core's vocabulary, asked for once the app starts.
    let headline = wait_text(&client, "[data-testid='headline']", "Net margin per user").await;
    for label in [
        "D1 retention",
        "D30 retention",
        "Conversion",
        "Net margin per user",
        "Opt-out rate",
        "Uninstall rate",
        "coupon",
    ] {
        assert!(headline.contains(label), "headline lacks {label}: {headline}");
    }
    // Retention, margin and channel charts.
    wait_count(&client, "[data-testid='chart'] svg", 3).await;
    wait(&client, "[data-testid='data-table']").await;
    screenshot(&client, "results").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn a_long_run_can_be_cancelled_and_the_app_stays_responsive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='churn_prevention']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='run']").await;
    set_input(&client, "[data-testid='users-override']", "5000000").await;
    click(&client, "[data-testid='start-run']").await;
    wait(&client, "[data-testid='cancel']").await;
    // An estimate of the time left, not just "estimating".
    wait_text(&client, "[data-testid='progress-text']", "About").await;
    screenshot(&client, "run").await;
    // While it runs, the window answers: another screen opens and shows its content, and the
    // run is still going when we come back (5,000,000 users take minutes).
    click(&client, "[data-screen='library']").await;
    wait(&client, "[data-example='send_time']").await;
    click(&client, "[data-screen='run']").await;
    click(&client, "[data-testid='cancel']").await;
    wait_text(&client, "[data-testid='toast']", "Run cancelled").await;
    let start = wait(&client, "[data-testid='start-run']").await;
    assert!(start.is_enabled().await.expect("enabled"), "a new run can start after cancelling");
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn an_impossible_value_shows_its_diagnostic_at_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='send_time']").await;
    wait(&client, "[data-testid='valid']").await;
    // Cleared, then typed: two edits in quick succession, applied in order; the typed one stays.
    set_input(&client, "[data-path='simulation.horizon_days'] input", "-3").await;
    wait_value(&client, "[data-testid='raw']", "follows the form", |raw| raw.contains("horizon_days = -3")).await;
    let error = wait_text(&client, "[data-path='simulation.horizon_days'] [data-testid='field-error']", "").await;
    assert!(!error.is_empty(), "the diagnostic is shown at the field");
    wait(&client, "[data-testid='invalid']").await;
    let field = wait(&client, "[data-path='simulation.horizon_days'] input").await;
    assert_eq!(field.prop("value").await.expect("value").as_deref(), Some("-3"), "the field keeps what was typed");
    assert!(!wait(&client, "[data-testid='run']").await.is_enabled().await.expect("enabled"));
    screenshot(&client, "diagnostic").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn two_fields_committed_at_once_both_reach_the_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='send_time']").await;
    wait(&client, "[data-testid='valid']").await;
    let users = "[data-path='simulation.users'] input";
    let days = "[data-path='simulation.horizon_days'] input";
    wait(&client, days).await;
    // Both changes in one script: the second edit is made before the first one can be answered.
    client
        .execute(
            "for (const [css, value] of arguments[0]) { const e = document.querySelector(css); e.value = value; \
             e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true })); }",
            vec![serde_json::json!([[users, "12345"], [days, "21"]])],
        )
        .await
        .expect("two changes");
    let both = |raw: &str| raw.contains("users = 12345") && raw.contains("horizon_days = 21");
    wait_value(&client, "[data-testid='raw']", "has both edits", both).await;
    wait_value(&client, users, "shows its edit", |v| v == "12345").await;
    wait_value(&client, days, "shows its edit", |v| v == "21").await;
    wait(&client, "[data-testid='valid']").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn a_saved_scenario_and_its_run_are_in_the_history_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let driver = Driver::start(dir.path());
        let (client, _) = launch(&driver).await;
        click(&client, "[data-example='blast_vs_priority']").await;
        wait(&client, "[data-testid='valid']").await;
        click(&client, "[data-testid='save']").await;
        wait_text(&client, "[data-testid='toast']", "Saved").await;
        run_small(&client, "3000").await;
        client.close().await.expect("quit");
    }
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    let mine = wait_text(&client, "[data-testid='my-scenarios']", "Blast on every channel").await;
    assert!(mine.contains("version 1"), "{mine}");
    wait_text(&client, "[data-testid='recent-runs']", "Blast on every channel").await;
    click(&client, "[data-testid='recent-runs'] [data-run]").await;
    let title = wait(&client, "[data-testid='results-title']").await.text().await.expect("title");
    assert_eq!(title, "Blast on every channel vs channel priority");
    wait(&client, "[data-testid='chart']").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn segment_traits_are_drawn_and_the_designs_compare_side_by_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='discount_spiral']").await;
    wait(&client, "[data-testid='valid']").await;
    // The segment's traits, drawn by the core's sampler, beside its fields.
    let traits = wait(&client, "[data-testid='trait-histograms']").await;
    let first = wait(&client, "[data-testid='trait-histogram'][data-trait='visits_per_day'] svg").await;
    assert!(first.is_displayed().await.expect("displayed"));
    let means = wait_text(&client, "[data-trait='visits_per_day'] [data-testid='trait-mean']", "mean").await;
    // The file sets a mean of 1.0 visits a day; 20,000 draws put the drawn mean within ±0.02.
    let shown: f64 = means.trim_start_matches("mean ").parse().expect("a number");
    assert!((shown - 1.0).abs() <= 0.02, "drawn mean {shown}");
    let histograms = client.find_all(Locator::Css("[data-testid='trait-histogram']")).await.expect("histograms");
    assert!(histograms.len() >= 8, "every trait of the segment: {}", histograms.len());
    // Editing a trait redraws it.
    set_input(&client, "[data-path='population.segment[0].visits_per_day.mean'] input", "3.0").await;
    wait_text(&client, "[data-trait='visits_per_day'] [data-testid='trait-mean']", "mean 3.0").await;
    client
        .execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&traits).expect("el")])
        .await
        .expect("scroll");
    screenshot(&client, "scenario-traits").await;

    click(&client, "[data-screen='compare']").await;
    set_input(&client, "[data-testid='compare-replications']", "5").await;
    set_input(&client, "[data-testid='compare-users']", "10000").await;
    click(&client, "[data-testid='start-compare']").await;
    let table = wait(&client, "[data-testid='compare-table']").await.text().await.expect("table");
    for needle in [
        "D30 retention",
        "D90 survival",
        "12-month survival",
        "Net margin per user",
        "Full-price share",
        "Messages per user",
        "weekly sale",
        "behavioural journey",
    ] {
        assert!(table.contains(needle), "the table lacks {needle}: {table}");
    }
    let verdict = wait(&client, "[data-testid='compare-verdict']").await.text().await.expect("verdict");
    assert!(
        ["Ship ", "Weigh that", "Run more replicates"].iter().any(|s| verdict.contains(s)),
        "the comparison states its answer: {verdict}"
    );
    // Every design but the baseline carries its paired difference from it, on every metric with a value.
    let diffs = client.find_all(Locator::Css("[data-testid='vs-baseline']")).await.expect("differences");
    assert!(diffs.len() >= 2 * 10, "two designs against the baseline on every metric: {}", diffs.len());
    assert!(diffs[0].text().await.expect("text").contains("vs no journey"), "named against the baseline");
    let models = wait(&client, "[data-testid='projection-models']").await.text().await.expect("models");
    assert!(models.contains("sBG") || models.contains("BdW"), "the projection model is named: {models}");
    // Retention, margin, full-price share, discount and fatigue charts.
    wait_count(&client, "[data-testid='compare-chart'] svg", 5).await;
    screenshot(&client, "compare").await;
    client
        .execute("document.querySelector(\"[data-testid='compare-chart']\").scrollIntoView({block: 'start'})", vec![])
        .await
        .expect("scroll");
    screenshot(&client, "compare-charts").await;
    client.close().await.expect("close");
}
