//! End-to-end: the core's vocabulary on screen. Results shows a run's differences from the
//! baseline with the core's metric names, a metric's definition on keyboard focus, and leads to
//! Compare with replicates; Help → Glossary (F1) lists the metrics and terms, finds one, and
//! closes with Escape.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use journeylab_e2e::*;

async fn press(client: &Client, key: Key) {
    let key: char = key.into();
    let keys =
        KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.expect("key press");
}

/// The text of the tooltip that describes `trigger` (its aria-describedby), when it is shown.
async fn shown_tooltip(client: &Client, trigger: &str) -> Option<String> {
    let id = client.find(Locator::Css(trigger)).await.ok()?.attr("aria-describedby").await.ok()??;
    let tip = client.find(Locator::Id(&id)).await.ok()?;
    if !tip.is_displayed().await.ok()? {
        return None;
    }
    tip.text().await.ok()
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn results_define_metrics_on_focus_the_glossary_finds_terms_and_compare_is_one_click_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    run_small(&client, "3000").await;

    // The core's names, each design against the baseline, no colour verdict on one run.
    let headline = wait_text(&client, "[data-testid='headline']", "Opt-out rate").await;
    for name in ["D30 retention", "Net margin per user", "Uninstall rate", "% of users", "USD per user"] {
        assert!(headline.contains(name), "the headline lacks {name}: {headline}");
    }
    let diffs = client.find_all(Locator::Css("[data-testid='run-vs-baseline']")).await.expect("differences");
    assert!(diffs.len() >= 2 * 10, "both designs against the baseline on most metrics: {}", diffs.len());
    assert!(diffs[0].text().await.expect("text").ends_with("vs no journey"), "named against the baseline");
    let best = client.find_all(Locator::Css("[data-testid='headline'] td.best")).await.expect("cells");
    assert!(best.is_empty(), "one run highlights no best cell");
    wait_text(&client, "[data-testid='one-run']", "no interval").await;
    screenshot(&client, "results").await;

    // A metric's definition on keyboard focus (not only on hover), and gone with Escape.
    let margin = "[data-testid='headline'] [data-define='net_margin_per_user']";
    let trigger = wait(&client, margin).await;
    client
        .execute("arguments[0].focus()", vec![serde_json::to_value(&trigger).expect("element")])
        .await
        .expect("focus");
    let tip = eventually("the net margin's definition on focus", || shown_tooltip(&client, margin)).await;
    assert!(tip.contains("Gross margin less message cost"), "the core's definition: {tip}");
    assert!(tip.contains("USD per user"), "with its unit in the scenario's currency: {tip}");
    screenshot(&client, "results-definition").await;
    press(&client, Key::Escape).await;
    eventually("the tooltip hidden by Escape", || async {
        shown_tooltip(&client, margin).await.is_none().then_some(())
    })
    .await;

    // Every metric the run reports, named by the core, and who entered each journey.
    let all = wait_text(&client, "[data-testid='data-table']", "Survival on the last day").await;
    assert!(all.contains("Quiet-hour deliveries per user"), "every vocabulary metric the run reports: {all}");
    wait_text(&client, "[data-testid='entered']", "Users who entered each journey").await;
    client
        .execute("document.querySelector(\"[data-testid='data-table']\").scrollIntoView({block: 'center'})", vec![])
        .await
        .expect("scroll");
    screenshot(&client, "results-all-metrics").await;

    // Help → Glossary by its shortcut: search, a term's definition, Escape closes it.
    press(&client, Key::F1).await;
    let search = wait(&client, "dialog[open] [data-testid='glossary-search']").await;
    let all = client.find_all(Locator::Css("[data-testid='glossary-entry']")).await.expect("entries").len();
    assert!(all > 50, "every metric and term: {all}");
    search.send_keys("always valid").await.expect("type");
    let msprt = wait_text(&client, "[data-testid='glossary-entry'][data-id='msprt']", "mSPRT").await;
    assert!(msprt.contains("may be checked after every user"), "the core's definition: {msprt}");
    eventually("the list filtered to the matches", || async {
        let n = client.find_all(Locator::Css("[data-testid='glossary-entry']")).await.ok()?.len();
        (n < 6).then_some(())
    })
    .await;
    screenshot(&client, "glossary").await;
    press(&client, Key::Escape).await;
    eventually("the glossary closed by Escape", || async {
        client.find(Locator::Css("dialog[open]")).await.is_err().then_some(())
    })
    .await;

    // One click to the verdict with its interval: Compare, with this scenario at this run's size.
    click(&client, "[data-testid='compare-with-replicates']").await;
    wait(&client, "[data-testid='start-compare']").await;
    screenshot(&client, "compare-from-results").await;
    let users = wait(&client, "[data-testid='compare-users']").await.prop("value").await.expect("value");
    let toast = match client.find(Locator::Css("[data-testid='toast']")).await {
        Ok(t) => t.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    assert_eq!(users.as_deref(), Some("3000"), "the run's size; toast: {toast}");
    // The verdict's rule names the core's primary metric and guardrails, each with its definition.
    set_input(&client, "[data-testid='compare-replications']", "2").await;
    click(&client, "[data-testid='start-compare']").await;
    let rule = wait_text(&client, "[data-testid='verdict-rule']", "Net margin per user").await;
    for guardrail in ["D30 retention", "Opt-out rate", "Uninstall rate"] {
        assert!(rule.contains(guardrail), "the rule lacks {guardrail}: {rule}");
    }
    let guardrail = "[data-testid='verdict-rule'] [data-define='opt_out_rate']";
    wait(&client, guardrail).await.click().await.expect("click");
    let tip = eventually("the opt-out rate's definition", || shown_tooltip(&client, guardrail)).await;
    assert!(tip.contains("opted out"), "the core's definition: {tip}");
    screenshot(&client, "compare-verdict").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_glossary_and_a_definition_read_in_the_dark_theme() {
    let dir = tempfile::tempdir().expect("tempdir");
    // GTK's dark variant, which WebKitGTK reports to the page as prefers-color-scheme: dark.
    let driver = Driver::start_with_env(dir.path(), &[("GTK_THEME", std::path::Path::new("Adwaita:dark"))]);
    let (client, _) = launch(&driver).await;
    let dark =
        client.execute("return matchMedia('(prefers-color-scheme: dark)').matches", vec![]).await.expect("media");
    assert_eq!(dark, serde_json::Value::Bool(true), "the page sees the dark theme");
    click(&client, "[data-testid='open-glossary']").await;
    let search = wait(&client, "dialog[open] [data-testid='glossary-search']").await;
    search.send_keys("survival").await.expect("type");
    wait_text(&client, "[data-testid='glossary-entry'][data-id='survival_d30']", "not yet lost").await;
    screenshot(&client, "glossary-dark").await;
    click(&client, "[data-testid='glossary-close']").await;
    eventually("the glossary closed", || async {
        client.find(Locator::Css("dialog[open]")).await.is_err().then_some(())
    })
    .await;
    click(&client, "[data-example-edit='experiment_ab']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='planner']").await;
    wait_text(&client, "[data-testid='plan-traffic']", "From the open scenario").await;
    click(&client, "[data-testid='plan-compute']").await;
    let spent = "[data-testid='plan-boundaries'] [data-define='alpha_spent']";
    wait(&client, spent).await.click().await.expect("click");
    let tip = eventually("α spent's definition", || shown_tooltip(&client, spent)).await;
    assert!(tip.contains("looks so far"), "the core's definition: {tip}");
    screenshot(&client, "planner-definition-dark").await;
    assert_accessible(&client, "the planner with a definition shown, dark").await;
    client.close().await.expect("close");
}
