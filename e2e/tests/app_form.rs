//! End-to-end: the Scenario form in plain language (labels, help, units and inputs from the
//! core's field definitions), percent fields writing proportions, the problem badge jumping to
//! the problem, and journey summaries in the canvas's words. Needs a display: `make e2e`.

use fantoccini::{Client, Locator};
use journeylab_e2e::*;

const MARGIN: &str = "[data-path='economics.margin']";

/// The id of the element that has the keyboard focus.
async fn focused_element_id(client: &Client) -> String {
    let id = client.execute("return document.activeElement ? document.activeElement.id : ''", vec![]).await;
    id.expect("active element").as_str().unwrap_or_default().to_owned()
}

async fn raw(client: &Client) -> String {
    wait(client, "[data-testid='raw']").await.prop("value").await.expect("raw").unwrap_or_default()
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_form_speaks_plainly_writes_percentages_as_proportions_and_jumps_to_a_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;

    // The margin: a plain label, help, its range, a number input in percent.
    let margin = wait(&client, MARGIN).await.text().await.expect("margin");
    for shown in ["Gross margin", "Margin as a share of the list price", "Allowed: from 0 % to 100 %", "%"] {
        assert!(margin.contains(shown), "the margin field lacks {shown:?}: {margin}");
    }
    assert!(!margin.contains("margin ="), "no TOML in the label: {margin}");
    let input = wait(&client, &format!("{MARGIN} input")).await;
    assert_eq!(input.attr("type").await.expect("type").as_deref(), Some("number"));
    assert_eq!(input.prop("value").await.expect("value").as_deref(), Some("35"), "0.35 is shown as 35 %");
    let users = wait(&client, "[data-path='simulation.users']").await.text().await.expect("users");
    assert!(users.contains("Simulated users") && users.contains("users"), "{users}");
    // A message's channels are boxes to tick, its delivery a select in words.
    let boxes = client
        .find_all(Locator::Css("[data-path='journey[1].node[2].channels'] input[type='checkbox']"))
        .await
        .expect("channel boxes");
    assert_eq!(boxes.len(), 4, "push, in-app, email, SMS");
    let delivery = wait(&client, "[data-path='journey[1].node[2].delivery'] select").await;
    assert_eq!(delivery.prop("value").await.expect("value").as_deref(), Some("priority"));
    let form = text(&client, "[data-testid='form']").await;
    for title in ["Scenario", "Segment 1:", "Money"] {
        assert!(form.contains(title), "the section {title:?} is titled for people");
    }
    assert!(!form.contains("population.segment") && !form.contains("propensity.mean"), "no TOML paths");

    // Journey summaries in the canvas's words, not TOML.
    let steps = text(&client, "[data-testid='journey-steps'][data-journey='reminder']").await;
    assert!(steps.contains("Reminder · Push, Email · first reachable channel"), "{steps}");
    assert!(!steps.contains("channels ["), "{steps}");

    // The segment's purchase dropout is drawn with the other traits, in percent.
    wait(&client, "[data-trait='purchase_dropout'] svg").await;
    let dropout = client
        .execute("return document.querySelector(\"[data-trait='purchase_dropout']\").textContent", vec![])
        .await
        .expect("dropout");
    let dropout = dropout.as_str().unwrap_or_default();
    assert!(dropout.contains("Leaves after a repeat purchase"), "the form's label: {dropout}");
    assert!(dropout.contains("mean 0 %"), "the typical dropout of 0, in percent: {dropout}");
    scroll_to(&client, "[data-path='economics.margin']").await;
    screenshot(&client, "scenario-form").await;

    // A percentage typed in the form is a proportion in the file.
    set_input(&client, &format!("{MARGIN} input"), "42.5").await;
    wait_value(&client, "[data-testid='raw']", "has the proportion", |raw| raw.contains("margin = 0.425")).await;
    wait(&client, "[data-testid='valid']").await;

    // Out of range: the message at the field in the form's words; the badge jumps to it.
    set_input(&client, &format!("{MARGIN} input"), "150").await;
    wait_value(&client, "[data-testid='raw']", "has 1.5", |raw| raw.contains("margin = 1.5")).await;
    let error = wait_text(&client, &format!("{MARGIN} [data-testid='field-error']"), "Gross margin").await;
    assert_eq!(error, "Gross margin must be from 0 % to 100 %; 150 % is not");
    let badge = wait_text(&client, "[data-testid='invalid']", "1 problem").await;
    assert!(badge.contains("Fix it"), "{badge}");
    // Focus elsewhere and scroll away first, so that the jump has something to do.
    client.execute("window.scrollTo(0, 0); document.activeElement.blur()", vec![]).await.expect("blur");
    wait(&client, "[data-path='simulation.users'] input").await.click().await.expect("focus users");
    click(&client, "[data-testid='invalid']").await;
    eventually("the margin has the focus", || async {
        (focused_element_id(&client).await == "field-economics-margin").then_some(())
    })
    .await;
    let visible = client
        .execute(
            "const r = document.getElementById('field-economics-margin').getBoundingClientRect(); \
             return r.top >= 0 && r.bottom <= window.innerHeight",
            vec![],
        )
        .await
        .expect("in view");
    assert_eq!(visible, serde_json::Value::Bool(true), "the field is scrolled into view");
    screenshot(&client, "scenario-form-problem").await;

    // A problem that is on no field (a syntax error): the badge selects its line in the text.
    set_input(&client, &format!("{MARGIN} input"), "35").await;
    wait(&client, "[data-testid='valid']").await;
    let area = wait(&client, "[data-testid='raw']").await;
    client
        .execute(
            "const a = arguments[0]; a.value = a.value + '\\n[oops\\n'; a.dispatchEvent(new Event('input', { bubbles: true }))",
            vec![serde_json::to_value(&area).expect("el")],
        )
        .await
        .expect("type");
    wait_text(&client, "[data-testid='invalid']", "1 problem").await;
    let line = raw(&client).await.lines().position(|l| l == "[oops").expect("the broken line") + 1;
    click(&client, "[data-testid='invalid']").await;
    eventually("the text editor has the focus", || async {
        (focused_element_id(&client).await == "raw-toml").then_some(())
    })
    .await;
    let selected = client
        .execute(
            "const a = document.getElementById('raw-toml'); return a.value.slice(0, a.selectionStart).split('\\n').length",
            vec![],
        )
        .await
        .expect("selection");
    assert_eq!(selected.as_u64(), Some(line as u64), "the caret is on the broken line");
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_form_reads_in_the_dark_theme() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start_with_env(dir.path(), &[("GTK_THEME", std::path::Path::new("Adwaita:dark"))]);
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='discount_spiral']").await;
    wait(&client, "[data-testid='valid']").await;
    wait(&client, "[data-trait='purchase_dropout'] svg").await;
    scroll_to(&client, "[data-path='population.segment[0].share']").await;
    screenshot(&client, "scenario-form-dark").await;
    client.close().await.expect("close");
}
