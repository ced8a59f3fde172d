//! End-to-end: the Scenario screen's Model panel edits the scenario's `[model]`
//! section like any other field. Needs a display: `make e2e` runs it under xvfb-run.

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use journeylab_e2e::*;

const BLAST: &str = "[data-param='blast_annoyance']";

/// The raw TOML editor's text once it satisfies `ok`.
async fn wait_raw(client: &Client, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let raw = wait(client, "[data-testid='raw']").await.prop("value").await.expect("raw").unwrap_or_default();
        if ok(&raw) {
            return raw;
        }
        assert!(Instant::now() < deadline, "the TOML never showed {what}:\n{raw}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types `value` over blast_annoyance's value as a person does (select all, type, leave the field): one
/// change. `set_input` clears first, and a cleared parameter is a change of its own (back to the default).
async fn retype_blast(client: &Client, value: &str) {
    let input = wait(client, &format!("{BLAST} [data-testid='model-value']")).await;
    input.click().await.expect("focus");
    press_ctrl(client, false, 'a').await;
    // Key actions type into the focused field as they are; send_keys may first move the caret to the end.
    let mut keys = KeyActions::new("keyboard".into());
    for key in value.chars().chain(TAB.chars()) {
        keys = keys.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    }
    client.perform_actions(keys).await.expect("type");
}

async fn blast_value(client: &Client) -> String {
    let input = wait(client, &format!("{BLAST} [data-testid='model-value']")).await;
    input.prop("value").await.expect("value").unwrap_or_default()
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_model_panel_edits_a_parameter_shows_its_range_and_refuses_implausible_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='blast_vs_priority']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-testid='model-tab']").await;

    // Every parameter of the core's table, grouped; this one at its default, marked as an assumption.
    let row = wait(&client, BLAST).await.text().await.expect("row");
    for shown in ["blast_annoyance", "assumption", "Plausible 0 – 0.5", "default 0.25", "hazard ratio", "Source:"] {
        assert!(row.contains(shown), "the row lacks {shown:?}: {row}");
    }
    assert_eq!(blast_value(&client).await, "0.25");
    let panel = wait(&client, "[data-testid='model-panel']").await.text().await.expect("panel");
    for group in [
        "Habit and churn",
        "Lapse and return",
        "Purchases and prices",
        "Messages",
        "Fatigue, opt-outs and annoyance",
        "Timing",
    ] {
        assert!(panel.contains(group), "no group {group:?}");
    }

    // An edit writes `[model]` into the text; the scenario stays valid and the value stays after a save and reopen.
    retype_blast(&client, "0.4").await;
    wait_raw(&client, "blast_annoyance = 0.4", |raw| raw.contains("[model]\nblast_annoyance = 0.4")).await;
    wait(&client, &format!("{BLAST} [data-testid='model-set']")).await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-testid='save']").await;
    wait_text(&client, "[data-testid='toast']", "Saved").await;
    click(&client, "[data-screen='library']").await;
    wait_text(&client, "[data-testid='my-scenarios']", "Blast on every channel").await;
    // Out from under the toast at the bottom of the window.
    client
        .execute(
            "document.querySelector(\"[data-testid='my-scenarios'] button\").scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .expect("scroll");
    click(&client, "[data-testid='my-scenarios'] button").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-testid='model-tab']").await;
    assert_eq!(blast_value(&client).await, "0.4", "the edited value persists");

    // Outside the plausible range: the reader's diagnostic at the field, the run refused.
    retype_blast(&client, "0.9").await;
    let error = wait_text(&client, &format!("{BLAST} [data-testid='field-error']"), "plausible range").await;
    assert!(error.contains("[0, 0.5]"), "{error}");
    wait(&client, "[data-testid='invalid']").await;
    wait_text(&client, "[data-testid='model-tab']", "1").await;
    assert!(!wait(&client, "[data-testid='run']").await.is_enabled().await.expect("enabled"));
    // The field with its diagnostic beside the end of the text, once the save's toast is gone.
    let deadline = Instant::now() + Duration::from_secs(10);
    while client.find(Locator::Css("[data-testid='toast']")).await.is_ok() {
        assert!(Instant::now() < deadline, "the toast stayed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client
        .execute(
            "document.querySelector(\"[data-param='blast_annoyance']\").scrollIntoView({block: 'center'});
             const raw = document.querySelector(\"[data-testid='raw']\"); raw.scrollTop = raw.scrollHeight;",
            vec![],
        )
        .await
        .expect("scroll");
    screenshot(&client, "model").await;

    // Reset to default removes the setting (and the section it leaves empty).
    click(&client, &format!("{BLAST} [data-testid='model-reset']")).await;
    wait_raw(&client, "no [model]", |raw| !raw.contains("[model]")).await;
    wait(&client, "[data-testid='valid']").await;
    assert_eq!(blast_value(&client).await, "0.25");
    client.close().await.expect("close");
}
