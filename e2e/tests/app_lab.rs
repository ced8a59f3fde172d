//! End-to-end: the lab screens on the real app — the experiment monitor played
//! to the end, a peeking-lab slider moved, a plan computed. Screenshots go to
//! target/screenshots/{monitor,peeking,planner}.png; the monitor's frame timings go to
//! target/e2e-monitor-frames.txt.

use fantoccini::{Client, Locator};
use journeylab_e2e::*;
use serde_json::json;

/// Sets a range or number input the way a person's drag does: new value, then an `input` event.
async fn slide(client: &Client, css: &str, value: &str) {
    wait(client, css).await;
    client
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("slide {css}: {e}"));
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_experiment_monitor_plays_to_the_end_and_marks_the_valid_day_and_the_naive_stop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    // The experiment's card opens its replay and runs it.
    click(&client, "[data-example='experiment_ab']").await;
    click(&client, "[data-testid='monitor-play']").await;
    // While playing, the two companion charts follow the slider's day.
    let inner = |css: &'static str| {
        let client = client.clone();
        async move {
            let script = format!("return document.querySelector(\"{css}\")?.innerHTML ?? '';");
            client.execute(&script, vec![]).await.expect("innerHTML").as_str().unwrap_or_default().to_owned()
        }
    };
    let mid_play = loop {
        let day = text(&client, "[data-testid='monitor-day']").await;
        let n: u32 = day.split(' ').nth(1).and_then(|d| d.parse().ok()).expect("a day number");
        if (10..42).contains(&n) {
            break (
                day,
                inner("[data-testid='monitor-p-chart'] .chart-svg").await,
                inner("[data-testid='monitor-arms-chart'] .chart-svg").await,
            );
        }
        assert!(n < 42, "the replay ended before it could be seen mid-way");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(mid_play.1.contains("naive p, tested every day"), "{} p chart: {}", mid_play.0, mid_play.1);
    assert!(mid_play.2.contains("(95 % interval shaded)") && mid_play.2.contains("<polygon"), "{}", mid_play.0);
    // Played to the last day: "Day 42 of 42".
    wait_text(&client, "[data-testid='monitor-day']", "Day 42 of 42").await;
    let p_at_end = inner("[data-testid='monitor-p-chart'] .chart-svg").await;
    assert_ne!(p_at_end, mid_play.1, "the p-value chart moved on with the replay");
    let naive = text(&client, "[data-testid='monitor-naive']").await;
    assert!(naive.starts_with("Naive peeking stopped on day"), "{naive}");
    let valid = text(&client, "[data-testid='monitor-valid']").await;
    assert!(valid.starts_with("Valid result on day"), "{valid}");
    let naive_day: u32 = naive.rsplit(' ').next().and_then(|d| d.parse().ok()).expect("naive day");
    let valid_day: u32 = valid.rsplit(' ').next().and_then(|d| d.parse().ok()).expect("valid day");
    assert!(naive_day < valid_day, "peeking stops before the valid method: {naive_day} vs {valid_day}");
    // The chart marks both moments in its legend.
    let chart = wait_text(&client, "[data-testid='monitor-chart']", "valid result").await;
    assert!(chart.contains("naive peeking stops"), "{chart}");
    let p_chart = text(&client, "[data-testid='monitor-p-chart']").await;
    assert!(p_chart.contains(&format!("naive peeking stops (day {naive_day})")), "{p_chart}");
    assert!(p_chart.contains("p the GST boundary demands"), "the GST's nominal p is drawn: {p_chart}");
    let arms = text(&client, "[data-testid='monitor-arms-chart']").await;
    assert!(arms.contains("reminder") && arms.contains("coupon"), "{arms}");
    assert!(text(&client, "[data-testid='monitor-table']").await.contains("True effect"));
    // Back to the naive day: the valid flag is off again, the slider drives the replay.
    let looks = client.find_all(Locator::Css("[data-testid='monitor-slider']")).await.expect("slider");
    assert_eq!(looks.len(), 1);
    slide(&client, "[data-testid='monitor-slider']", "0").await;
    wait_text(&client, "[data-testid='monitor-valid']", "Not valid yet").await;
    slide(&client, "[data-testid='monitor-slider']", "999").await;
    wait_text(&client, "[data-testid='monitor-day']", "Day 42").await;
    // Play is a swap of SVGs drawn up front: time each day's swap up to the page's layout.
    let swap_ms = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const s = document.querySelector(\"[data-testid='monitor-slider']\"); const times = []; \
             (async () => { for (let k = 0; k <= Number(s.max); k++) { const t0 = performance.now(); \
               s.value = String(k); s.dispatchEvent(new Event('input', { bubbles: true })); \
               await new Promise((r) => setTimeout(r, 0)); document.body.getBoundingClientRect(); \
               times.push(performance.now() - t0); } \
               times.sort((a, b) => a - b); done([times[times.length >> 1], times[times.length - 1]]); })();",
            vec![],
        )
        .await
        .expect("timed swaps");
    let drawn = text(&client, ".monitor-grid > p.small").await;
    let record = format!("median and worst swap (ms): {swap_ms}\n{drawn}\n");
    std::fs::write(root().join("target/e2e-monitor-frames.txt"), record).expect("timing");
    set_input(&client, "[data-testid='replications']", "2").await;
    click(&client, "[data-testid='replications-run']").await;
    let table = text(&client, "[data-testid='replication-table']").await;
    assert!(table.contains("Naive peeking"), "{table}");
    // The replay at the last day, the chart and the day's numbers in view.
    client
        .execute("document.querySelector(\"[data-testid='monitor-play']\").scrollIntoView();", vec![])
        .await
        .expect("scroll");
    screenshot(&client, "monitor").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn moving_a_peeking_lab_slider_restarts_the_estimate_and_changes_the_rate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-screen='peeking']").await;
    wait_text(&client, "[data-testid='peek-status']", "Settled").await;
    let naive_at_20 = text(&client, "[data-testid='peek-rate'][data-method='naive']").await;
    wait(&client, "[data-testid='peek-chart'] svg").await;
    // One look is a plain fixed-horizon test: naive peeking falls back to about α.
    slide(&client, "[data-testid='peek-looks']", "1").await;
    wait_text(&client, "[data-testid='peek-looks-value']", "1").await;
    let naive_at_1 = eventually(&format!("the naive rate settling away from {naive_at_20}"), || async {
        let status = text(&client, "[data-testid='peek-status']").await;
        let rate = text(&client, "[data-testid='peek-rate'][data-method='naive']").await;
        (status.starts_with("Settled") && rate != naive_at_20).then_some(rate)
    })
    .await;
    let percent = |t: &str| t.split('%').next().and_then(|p| p.trim().parse::<f64>().ok()).expect("a percentage");
    assert!(percent(&naive_at_20) > 20.0, "naive peeking at 20 looks: {naive_at_20}");
    assert!(percent(&naive_at_1) < 6.5, "one look is a fixed test: {naive_at_1}");
    // Back to 20 looks for the screenshot.
    slide(&client, "[data-testid='peek-looks']", "20").await;
    wait_text(&client, "[data-testid='peek-looks-value']", "20").await;
    wait_text(&client, "[data-testid='peek-status']", "Settled").await;
    screenshot(&client, "peeking").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_planner_takes_the_scenario_traffic_and_computes_a_plan_with_its_boundary_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example-edit='experiment_ab']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='planner']").await;
    wait_text(&client, "[data-testid='plan-traffic']", "From the open scenario").await;
    set_input(&client, "[data-testid='plan-looks']", "5").await;
    click(&client, "[data-testid='plan-compute']").await;
    let table = text(&client, "[data-testid='plan-boundaries']").await;
    let rows = client.find_all(Locator::Css("[data-testid='plan-boundaries'] tbody tr")).await.expect("rows");
    assert_eq!(rows.len(), 5, "five looks: {table}");
    assert!(table.contains("0.0500"), "all of α spent by the last look: {table}");
    let detectable = text(&client, "[data-testid='plan-detectable']").await;
    assert!(detectable.contains("In 12 weeks") && detectable.contains("lift needs"), "{detectable}");
    let per_arm = text(&client, "[data-testid='plan-per-arm']").await;
    assert!(per_arm.replace(',', "").parse::<u64>().expect("users") > 1000, "{per_arm}");
    client.execute("document.querySelector('.content').scrollTo(0, 0);", vec![]).await.expect("scroll");
    screenshot(&client, "planner").await;
    client.close().await.expect("close");
}
