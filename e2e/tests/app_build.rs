//! End-to-end: building journeys in the app, as a growth team making two onboarding designs would.
//! Add, duplicate and rename journeys; rename a node; a refused edit's error that stays until
//! dismissed; delete a node and take it back with the notice's Undo; undo and redo by keyboard;
//! the palette and the node list by keyboard; the question before unsaved edits are dropped.

use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use journeylab_e2e::*;

/// Types `text` into whatever has focus, key by key (as a person types, selection kept).
async fn type_keys(client: &Client, text: &str) {
    let mut keys = KeyActions::new("keyboard".into());
    for c in text.chars() {
        keys = keys.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c });
    }
    client.perform_actions(keys).await.expect("typing");
}

/// Presses one key (Enter, Tab, an arrow…) on whatever has focus.
async fn press(client: &Client, key: Key) {
    let c: char = key.into();
    type_keys(client, &c.to_string()).await;
}

/// Replaces the text of the input `css` as a person would: focus it, Ctrl+A, type, Tab away.
async fn retype(client: &Client, css: &str, value: &str) {
    click(client, css).await;
    press_ctrl(client, false, 'a').await;
    type_keys(client, value).await;
    press(client, Key::Tab).await;
}

/// The `data-testid` of the focused element (empty when it has none).
async fn focused_test_id(client: &Client) -> String {
    let id = client.execute("return document.activeElement?.dataset?.testid ?? ''", vec![]).await.expect("focus");
    id.as_str().unwrap_or_default().to_owned()
}

async fn journey_names(client: &Client) -> Vec<String> {
    let names = client
        .execute(
            "return [...document.querySelectorAll('[data-testid=journey-select] option')].map(o => o.textContent)",
            vec![],
        )
        .await
        .expect("journey names");
    serde_json::from_value(names).expect("a list of names")
}

/// The scenario text as the raw editor shows it, once `wanted` holds; then back to the canvas.
async fn raw_toml_back_to_canvas(client: &Client, what: &str, wanted: impl Fn(&str) -> bool) -> String {
    let text = raw_toml_on_scenario_screen(client, what, wanted).await;
    click(client, "[data-screen='journeys']").await;
    wait(client, "[data-testid='canvas']").await;
    text
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn build_two_onboarding_designs_with_undo_and_a_prompt_before_edits_are_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='journeys']").await;
    wait(&client, "[data-testid='canvas-valid']").await;
    assert_eq!(journey_names(&client).await, ["no journey", "reminder", "coupon"]);

    // A new journey: it is shown at once, its name field focused to type the name.
    click(&client, "[data-testid='add-journey']").await;
    eventually("the name field has focus", || async {
        (focused_test_id(&client).await == "journey-name").then_some(())
    })
    .await;
    type_keys(&client, "onboarding A").await;
    press(&client, Key::Enter).await;
    wait_text(&client, "[data-testid='journey-select'] option:checked", "onboarding A").await;
    wait(&client, "[data-testid='canvas-valid']").await;
    wait(&client, "[data-list-node='start']").await;

    // Duplicate it for the second design; Escape keeps the name the core chose, then rename it.
    click(&client, "[data-testid='duplicate-journey']").await;
    eventually("the copy's name field has focus", || async {
        (focused_test_id(&client).await == "journey-name").then_some(())
    })
    .await;
    press(&client, Key::Escape).await;
    wait_text(&client, "[data-testid='journey-select'] option:checked", "onboarding A copy").await;
    click(&client, "[data-testid='rename-journey']").await;
    eventually("the rename field has focus", || async {
        (focused_test_id(&client).await == "journey-name").then_some(())
    })
    .await;
    type_keys(&client, "onboarding B").await;
    press(&client, Key::Enter).await;
    wait_text(&client, "[data-testid='journey-select'] option:checked", "onboarding B").await;
    assert_eq!(journey_names(&client).await, ["no journey", "reminder", "coupon", "onboarding A", "onboarding B"]);
    // A finished rename gives the focus back to Rename (a frame later): wait for it before moving on.
    eventually("the focus is back on Rename", || async {
        (focused_test_id(&client).await == "rename-journey").then_some(())
    })
    .await;

    // Choose a node by keyboard in the node list (Tab to it, arrows, Enter): its panel opens with its name focused.
    let first = wait(&client, "[data-list-node='start']").await;
    client
        .execute("arguments[0].focus()", vec![serde_json::to_value(&first).expect("element")])
        .await
        .expect("focus the list");
    press(&client, Key::Down).await;
    press(&client, Key::Up).await;
    press(&client, Key::Enter).await;
    wait_text(&client, "[data-testid='node-panel'] .side-title strong", "start").await;
    eventually("the node's name field has focus", || async {
        (focused_test_id(&client).await == "node-name").then_some(())
    })
    .await;
    screenshot(&client, "build-journeys").await;

    // Rename the node: the connection from it follows.
    retype(&client, "[data-testid='node-name']", "welcome").await;
    wait_text(&client, "[data-testid='node-panel'] .side-title strong", "welcome").await;
    wait(&client, "[data-testid='canvas-valid']").await;
    let toml = raw_toml_back_to_canvas(&client, "has the renamed node", |t| t.contains("id = \"welcome\"")).await;
    assert!(toml.contains("name = \"onboarding A\"") && toml.contains("name = \"onboarding B\""), "{toml}");
    assert_eq!(toml.matches("id = \"welcome\"").count(), 1, "only the chosen journey's node is renamed");

    // A refused edit (a name already taken) says why, and the error stays until dismissed.
    click(&client, "[data-list-node='welcome']").await;
    retype(&client, "[data-testid='node-name']", "end").await;
    wait_text(&client, "[data-testid='toast'][role='alert']", "already a node named \"end\"").await;
    // The property under test is time itself: still there after the 5 s an info message lasts.
    tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    wait_text(&client, "[data-testid='toast']", "already a node named").await;
    screenshot(&client, "build-sticky-error").await;
    click(&client, "[data-testid='toast-dismiss']").await;
    eventually("the error is dismissed", || async {
        client.find(fantoccini::Locator::Css("[data-testid='toast']")).await.is_err().then_some(())
    })
    .await;

    // Delete a node: a notice offers Undo, which brings it back.
    click(&client, "[data-list-node='end']").await;
    click(&client, "[data-testid='delete-node']").await;
    wait_text(&client, "[data-testid='toast']", "Deleted node “end”").await;
    wait(&client, "[data-testid='canvas-invalid']").await;
    screenshot(&client, "build-delete-undo").await;
    click(&client, "[data-testid='toast-action']").await;
    wait(&client, "[data-list-node='end']").await;
    wait(&client, "[data-testid='canvas-valid']").await;

    // Undo and redo by keyboard, through the same history: the rename goes back and comes again.
    // The dispatcher drops a repeat of one command within REPEAT_MS (a chord that reaches both the
    // native accelerator and the page acts once): the same chord again comes after that, as a person's would.
    let repeat = std::time::Duration::from_millis(400);
    press_ctrl(&client, false, 'z').await;
    wait(&client, "[data-list-node='start']").await;
    press_ctrl(&client, true, 'z').await;
    wait(&client, "[data-list-node='welcome']").await;
    tokio::time::sleep(repeat).await;
    press_ctrl(&client, false, 'z').await;
    wait(&client, "[data-list-node='start']").await;
    tokio::time::sleep(repeat).await;
    press_ctrl(&client, false, 'y').await;
    wait(&client, "[data-list-node='welcome']").await;
    // And with the buttons.
    click(&client, "[data-testid='undo']").await;
    wait(&client, "[data-list-node='start']").await;
    click(&client, "[data-testid='redo']").await;
    wait(&client, "[data-list-node='welcome']").await;

    // The palette by keyboard: arrows move along it, Enter adds; the new node's panel takes the focus.
    let trigger = wait(&client, "[data-testid='add-trigger']").await;
    client
        .execute("arguments[0].focus()", vec![serde_json::to_value(&trigger).expect("element")])
        .await
        .expect("focus the palette");
    press(&client, Key::Right).await;
    assert_eq!(focused_test_id(&client).await, "add-wait");
    press(&client, Key::Enter).await;
    wait_text(&client, "[data-testid='node-panel'] .side-title strong", "wait_1").await;
    eventually("the new node's name field has focus", || async {
        (focused_test_id(&client).await == "node-name").then_some(())
    })
    .await;

    // Delete a whole journey; its notice's Undo brings it back.
    click(&client, "[data-testid='delete-journey']").await;
    wait_text(&client, "[data-testid='toast']", "Deleted journey “onboarding B”").await;
    eventually("four journeys", || async { (journey_names(&client).await.len() == 4).then_some(()) }).await;
    click(&client, "[data-testid='toast-action']").await;
    eventually("five journeys again", || async { (journey_names(&client).await.len() == 5).then_some(()) }).await;

    // Percentages are entered and shown as percents: the coupon's 20 % discount, made 15 %.
    wait(&client, "[data-testid='journey-select']").await.select_by_value("2").await.expect("the coupon journey");
    click(&client, "[data-list-node='coupon']").await;
    wait_value(&client, "[data-testid='discount-depth']", "shows 20", |v| v == "20").await;
    // Typed into the field itself: a click-then-type could lose the focus to the panel still settling.
    set_input(&client, "[data-testid='discount-depth']", "15").await;
    let toml = raw_toml_back_to_canvas(&client, "stores the share", |t| t.contains("depth = 0.15")).await;
    assert!(!toml.contains("depth = 0.2"), "{toml}");

    // Opening another scenario with unsaved edits asks first: Cancel keeps them, Discard drops them.
    wait_text(&client, "[data-testid='doc-name']", "•").await;
    // Quitting (Ctrl+Q; the window's close button takes the same path) asks too; Cancel keeps the app open.
    press_ctrl(&client, false, 'q').await;
    wait(&client, "[data-testid='unsaved-prompt'][open]").await;
    click(&client, "[data-testid='unsaved-cancel']").await;
    eventually("the question is closed", || async {
        client.find(fantoccini::Locator::Css("[data-testid='unsaved-prompt'][open]")).await.is_err().then_some(())
    })
    .await;
    click(&client, "[data-screen='library']").await;
    click(&client, "[data-example='churn_prevention']").await;
    wait(&client, "[data-testid='unsaved-prompt'][open]").await;
    screenshot(&client, "build-unsaved-prompt").await;
    click(&client, "[data-testid='unsaved-cancel']").await;
    wait_text(&client, "[data-testid='doc-name']", "Cart abandonment").await;
    click(&client, "[data-screen='journeys']").await;
    // The canvas reads the kept text's journeys once it is shown.
    eventually("the edits are still there (5 journeys)", || async {
        (journey_names(&client).await.len() == 5).then_some(())
    })
    .await;
    click(&client, "[data-screen='library']").await;
    click(&client, "[data-example='churn_prevention']").await;
    click(&client, "[data-testid='unsaved-discard']").await;
    wait(&client, "[data-testid='valid']").await;
    let name = text(&client, "[data-testid='doc-name']").await;
    assert!(!name.contains("Cart abandonment") && !name.contains('•'), "the other scenario is open, clean: {name}");
    client.close().await.expect("close");
}
