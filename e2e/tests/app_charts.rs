//! End-to-end: charts drawn by the core at the size they are shown (redrawn when the window is
//! resized), each with a "Show as table" view of its values; the Compare screen's verdict for the
//! primary metric chosen on screen, its table fitting the window with three designs; a chart in
//! the dark theme.

use fantoccini::{Client, Locator};
use journeylab_e2e::*;
use serde_json::Value;

/// The drawn width (its own `width`) and the smallest text on screen (CSS pixels) of the chart `figure`'s SVG.
async fn drawn(client: &Client, figure: &str) -> (f64, f64) {
    let script = format!(
        "const svg = document.querySelector(\"{figure} .chart-svg svg\");
         if (!svg) return null;
         const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
         const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
         return [svg.width.baseVal.value, Math.min(...sizes)];"
    );
    eventually(&format!("{figure} drawn"), || async {
        let v = client.execute(&script, vec![]).await.ok()?;
        let pair = v.as_array()?.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>()?;
        (pair.len() == 2).then(|| (pair[0], pair[1]))
    })
    .await
}

/// The width (CSS pixels) a chart figure shows its drawing in.
async fn frame_width(client: &Client, figure: &str) -> f64 {
    let script = format!("return document.querySelector(\"{figure} .chart-frame\").clientWidth;");
    client.execute(&script, vec![]).await.expect("frame").as_f64().expect("a width")
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn compare_switches_the_primary_metric_fits_three_designs_and_shows_a_chart_as_a_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='discount_spiral']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='compare']").await;
    set_input(&client, "[data-testid='compare-replications']", "3").await;
    set_input(&client, "[data-testid='compare-users']", "3000").await;
    click(&client, "[data-testid='start-compare']").await;

    // The scenario's primary metric decides first: net margin per user.
    let verdict = wait(&client, "[data-testid='compare-verdict'][data-primary='net_margin_per_user']").await;
    let by_margin = text(&client, "[data-testid='verdict-text']").await;
    assert!(verdict.text().await.expect("text").contains("vs no journey"), "each design against the baseline");
    // Three designs fit the window: the Winner column is inside the table's frame.
    let fit = client
        .execute(
            "const th = document.querySelector(\"[data-testid='compare-table'] th.verdict\");
             const wrap = th.closest('.table-wrap');
             return [th.getBoundingClientRect().right, wrap.getBoundingClientRect().right, wrap.scrollWidth - wrap.clientWidth];",
            vec![],
        )
        .await
        .expect("layout");
    let fit: Vec<f64> = fit.as_array().expect("numbers").iter().filter_map(Value::as_f64).collect();
    assert!(fit[0] <= fit[1] + 1.0 && fit[2] <= 1.0, "the Winner column is cut off: {fit:?}");
    screenshot(&client, "compare-three-designs").await;

    // Switched on screen to D30 retention: the core's verdict for that metric, its differences coloured by interval.
    wait(&client, "[data-testid='compare-primary']").await.select_by_value("retention_d30").await.expect("select");
    wait(&client, "[data-testid='compare-verdict'][data-primary='retention_d30']").await;
    let by_d30 = text(&client, "[data-testid='verdict-text']").await;
    assert_ne!(by_d30, by_margin, "the verdict changed with the primary metric");
    assert!(by_d30.contains("D30 retention") && by_d30.contains(" pp"), "{by_d30}");
    let differences = text(&client, "[data-testid='primary-differences']").await;
    assert!(differences.contains(" pp vs no journey") && differences.contains("95% interval"), "{differences}");
    let tones = client.find_all(Locator::Css("[data-testid='primary-differences'] li")).await.expect("differences");
    assert_eq!(tones.len(), 2, "two designs against the baseline");
    for li in tones {
        let tone = li.attr("data-tone").await.expect("tone").unwrap_or_default();
        assert!(["better", "worse", "inconclusive"].contains(&tone.as_str()), "{tone}");
    }
    wait(&client, "[data-testid='compare-table'] tr.decides[data-metric='retention_d30']").await;
    screenshot(&client, "compare-primary-switched").await;

    // A chart drawn at the width it is shown, its text at least 12 px on screen.
    let retention = "[data-testid='compare-chart'][data-chart='retention']";
    scroll_to(&client, retention).await;
    let (width, smallest_text) = drawn(&client, retention).await;
    let shown = frame_width(&client, retention).await;
    assert!((width - shown.floor()).abs() <= 1.0, "drawn at {width} px, shown at {shown} px");
    assert!(smallest_text >= 12.0, "the smallest chart text is {smallest_text} px on screen");

    // "Show as table": the exact values, shares as percentages, each cell's full number in its title.
    click(&client, &format!("{retention} [data-testid='chart-table-toggle']")).await;
    let table = wait(&client, &format!("{retention} [data-testid='chart-table']")).await;
    let header = table.find(Locator::Css("thead")).await.expect("header").text().await.expect("text");
    assert!(header.contains("share not yet lost"), "{header}");
    let cell = table.find(Locator::Css("tbody tr:nth-child(2) td:nth-child(4)")).await.expect("a share cell");
    let (shown_value, exact) = (cell.text().await.expect("text"), cell.attr("title").await.expect("title"));
    let exact: f64 = exact.expect("the exact value").parse().expect("a number");
    let percent: f64 = shown_value.trim_end_matches('%').parse().expect("a percentage");
    assert!(shown_value.ends_with('%') && (percent - 100.0 * exact).abs() < 0.01, "{shown_value} for {exact}");
    screenshot(&client, "compare-chart-table").await;
    click(&client, &format!("{retention} [data-testid='chart-table-toggle']")).await;

    // A narrower window: the chart is drawn again at its new width.
    client.set_window_size(1000, 800).await.expect("resize");
    let narrower = eventually("the chart redrawn at the narrower width", || async {
        let (w, _) = drawn(&client, retention).await;
        (w < width - 50.0).then_some(w)
    })
    .await;
    let shown = frame_width(&client, retention).await;
    assert!((narrower - shown.floor()).abs() <= 1.0, "redrawn at {narrower} px, shown at {shown} px");
    scroll_to(&client, retention).await;
    screenshot(&client, "compare-chart-narrow").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn charts_are_drawn_in_the_dark_theme_with_their_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    // GTK's dark variant, which WebKitGTK reports to the page as prefers-color-scheme: dark.
    let driver = Driver::start_with_env(dir.path(), &[("GTK_THEME", std::path::Path::new("Adwaita:dark"))]);
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    run_small(&client, "3000").await;
    let figure = "[data-testid='chart'][data-chart='retention']";
    wait(&client, &format!("{figure}[data-theme='dark']")).await;
    let (_, smallest_text) = drawn(&client, figure).await;
    assert!(smallest_text >= 12.0, "the smallest chart text is {smallest_text} px on screen");
    let svg = client
        .execute(&format!("return document.querySelector(\"{figure} .chart-svg\").innerHTML;"), vec![])
        .await
        .expect("svg");
    let svg = svg.as_str().expect("markup").to_ascii_uppercase();
    assert!(svg.contains("#1E1F22"), "the dark chart background");
    assert!(!svg.contains("FILL=\"#FFFFFF\""), "no white box");
    let label = wait(&client, &format!("{figure} .chart-svg[role='img']")).await.attr("aria-label").await.expect("alt");
    assert!(label.is_some_and(|l| l.contains("Show as table")), "a text alternative");
    scroll_to(&client, figure).await;
    screenshot(&client, "results-charts-dark").await;
    click(&client, &format!("{figure} [data-testid='chart-table-toggle']")).await;
    wait(&client, &format!("{figure} [data-testid='chart-table'] tbody tr")).await;
    screenshot(&client, "results-chart-table-dark").await;
    client.close().await.expect("close");
}
