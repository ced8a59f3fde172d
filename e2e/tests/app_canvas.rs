//! End-to-end: the journey canvas. Add a message node from the palette,
//! connect it by dragging between handles (and with the "connect to…"
//! control), move it, see the TOML change, run, and see per-node counts.

use std::time::Duration;

use fantoccini::Client;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use journeylab_e2e::*;

/// Waits until the canvas has finished fitting its nodes into view (after a journey is drawn or a node added).
async fn view_settled(client: &Client) {
    wait(client, ".flow-wrap[data-fitted='yes']").await;
}

/// The centre of the element `css`, in viewport pixels.
async fn centre(client: &Client, css: &str) -> (f64, f64) {
    wait(client, css).await;
    let script = "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];";
    let at = client.execute(script, vec![serde_json::json!(css)]).await.expect("rect");
    let number = |i: usize| at[i].as_f64().unwrap_or_else(|| panic!("no coordinates for {css}: {at}"));
    (number(0), number(1))
}

/// Presses the mouse on `from`, moves in steps (so the page sees a drag) and releases on `to` plus `offset`.
/// Viewport coordinates, not elements: WebKitWebDriver refuses to point at a handle half outside its node.
async fn drag(client: &Client, from: &str, to: &str, offset: (f64, f64)) {
    let (x0, y0) = centre(client, from).await;
    let (x1, y1) = centre(client, to).await;
    let (x1, y1) = (x1 + offset.0, y1 + offset.1);
    let step = Some(Duration::from_millis(120));
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x: x0, y: y0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveTo { duration: step, x: x0 + 8.0, y: y0 + 4.0 })
        .then(PointerAction::MoveTo { duration: step, x: x1 - 3.0, y: y1 })
        .then(PointerAction::MoveTo { duration: step, x: x1, y: y1 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(mouse).await.expect("drag");
}

/// Clicks the centre of `css` by coordinates (a node card inside the zoomed canvas); false if
/// that point is outside the window (the view is still being fitted).
async fn press(client: &Client, css: &str) -> bool {
    let (x, y) = centre(client, css).await;
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x, y })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(mouse).await.is_ok()
}

/// Selects node `id` by clicking its card, again while the view is still settling (a fit in progress).
async fn select_node(client: &Client, id: &str) {
    for _ in 0..20 {
        let pressed = press(client, &format!(".svelte-flow__node[data-id='{id}'] .jnode-summary")).await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        if pressed
            && let Ok(title) =
                client.find(fantoccini::Locator::Css("[data-testid='node-panel'] .side-title strong")).await
            && title.text().await.is_ok_and(|t| t == id)
        {
            return;
        }
    }
    panic!("node {id} could not be selected");
}

/// The `[[journey.node]]` block of `id` in `text`, up to the next table.
fn node_block<'a>(text: &'a str, id: &str) -> &'a str {
    let start = text.find(&format!("id = \"{id}\"")).unwrap_or_else(|| panic!("no node {id} in:\n{text}"));
    let rest = &text[start..];
    &rest[..rest.find("\n[").unwrap_or(rest.len())]
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn add_connect_and_move_a_node_then_run_and_see_the_flow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='churn_prevention']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='journeys']").await;
    wait(&client, "[data-testid='canvas-valid']").await;
    wait(&client, "[data-node='at risk?']").await;

    // Add a message from the palette: it appears, selected, with its problem (not connected yet).
    click(&client, "[data-testid='add-message']").await;
    wait(&client, "[data-node='message_1']").await;
    wait(&client, "[data-testid='node-panel']").await;
    wait(&client, "[data-node='message_1'] [data-testid='node-problem']").await;

    // Its menus speak the core's words, also for a setting the new node does not write yet (its delivery).
    const DELIVERY: &str = "[data-testid='node-panel'] [data-testid='node-delivery']";
    let delivery = wait(&client, DELIVERY).await;
    assert_eq!(delivery.prop("value").await.expect("value").as_deref(), Some("priority"), "the reader's default");
    let labels = client
        .execute(
            "return [...document.querySelector(arguments[0]).options].map(o => o.textContent)",
            vec![serde_json::json!(DELIVERY)],
        )
        .await
        .expect("options");
    assert_eq!(labels, serde_json::json!(["first reachable channel", "every reachable channel"]));
    // The menu drawn open (a native popup is no part of the page's screenshot), then closed again.
    let open = "const menu = document.querySelector(arguments[0]); menu.size = menu.length; menu.scrollIntoView({ block: 'center' })";
    client.execute(open, vec![serde_json::json!(DELIVERY)]).await.expect("open");
    screenshot(&client, "canvas-node-menu").await;
    client
        .execute("document.querySelector(arguments[0]).size = 0", vec![serde_json::json!(DELIVERY)])
        .await
        .expect("close");
    wait(&client, DELIVERY).await.select_by_value("blast").await.expect("every reachable channel");

    // Connect by dragging from the branch's "no" handle onto the new node's incoming handle
    // (once the view has settled around the new node).
    view_settled(&client).await;
    drag(
        &client,
        ".svelte-flow__node[data-id='at risk?'] .svelte-flow__handle.source[data-handleid='no']",
        ".svelte-flow__node[data-id='message_1'] .svelte-flow__handle.target",
        (0.0, 0.0),
    )
    .await;
    let connected =
        |text: &str| text.contains("id = \"at risk?\"") && node_block(text, "at risk?").contains("no = \"message_1\"");
    let text = raw_toml_on_scenario_screen(&client, "connects at risk? → message_1", connected).await;
    assert!(!text.contains("position"), "nothing is placed until the user moves a node");

    // And the accessible way: the selected node's "then go to" control.
    click(&client, "[data-screen='journeys']").await;
    select_node(&client, "message_1").await;
    wait(&client, "[data-testid='connect-next']").await.select_by_value("end").await.expect("connect to end");
    wait(&client, "[data-testid='canvas-valid']").await;

    // Move the exit a little lower: the first move writes every node's position.
    view_settled(&client).await;
    drag(
        &client,
        ".svelte-flow__node[data-id='end'] .jnode-summary",
        ".svelte-flow__node[data-id='end'] .jnode-summary",
        (0.0, 30.0),
    )
    .await;
    let text =
        raw_toml_on_scenario_screen(&client, "places every node", |text| text.matches("position = [").count() == 5)
            .await;
    let block = node_block(&text, "message_1");
    assert!(block.contains("type = \"message\"") && block.contains("next = \"end\""), "{block}");
    assert!(block.contains("delivery = \"blast\""), "the delivery menu writes its value: {block}");
    assert!(block.contains("position = ["), "the new node's position is stored: {block}");
    assert!(node_block(&text, "end").contains("position = ["), "the moved node's position is stored");
    assert_eq!(text.matches("position = [").count(), 5, "every node of the journey is placed: {text}");
    wait(&client, "[data-testid='valid']").await;

    // Run, then see each node's counts and each edge's flow.
    run_small(&client, "4000").await;
    click(&client, "[data-screen='journeys']").await;
    let entered = wait_text(&client, "[data-node='three quiet days'] [data-stat='entered']", "").await;
    assert_ne!(entered, "0", "users entered the trigger");
    let sent = wait(&client, "[data-node='value'] [data-stat='sent']").await.text().await.expect("sent");
    assert_ne!(sent, "0", "the value message was sent");
    wait(&client, "[data-node='message_1'] [data-stat='entered']").await;
    wait_text(&client, ".svelte-flow__edge-label", "users").await;
    screenshot(&client, "canvas").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn pick_a_journey_and_delete_a_node_with_the_delete_key() {
    use fantoccini::actions::{KeyAction, KeyActions};
    const DELETE: char = '\u{E017}';
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='journeys']").await;
    wait(&client, "[data-testid='journey-select']").await.select_by_value("1").await.expect("the reminder journey");
    wait(&client, "[data-node='remind']").await;
    view_settled(&client).await;
    select_node(&client, "remind").await;
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: DELETE })
        .then(KeyAction::Up { value: DELETE });
    client.perform_actions(keys).await.expect("press Delete");
    // The reference to it goes too: the wait before it is left without a `next`, and says so.
    wait(&client, "[data-node='wait'] [data-testid='node-problem']").await;
    wait(&client, "[data-testid='canvas-invalid']").await;
    let text = raw_toml_on_scenario_screen(&client, "without the node", |text| !text.contains("id = \"remind\"")).await;
    assert!(text.contains("id = \"coupon\""), "other journeys are untouched");
    client.close().await.expect("close");
}
