//! End-to-end: the journey canvas. Add a message node from the palette,
//! connect it by dragging between handles (and with the "connect to…"
//! control), move it, see the TOML change, run, and see per-node counts.

use std::time::Duration;

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, Locator};
use journeylab_e2e::*;

/// The scenario text as the Scenario screen's raw editor shows it.
async fn raw_toml(client: &Client) -> String {
    click(client, "[data-screen='scenario']").await;
    wait(client, "[data-testid='raw']").await.prop("value").await.expect("raw").unwrap_or_default()
}

/// Presses the mouse on `from`, moves in steps (so the page sees a drag) and releases on `to`.
async fn drag(client: &Client, from: &str, to: &str, offset: (f64, f64)) {
    let from = wait(client, from).await;
    let to = wait(client, to).await;
    let step = Some(Duration::from_millis(120));
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: from.clone(), duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveToElement { element: from, duration: step, x: 12.0, y: 6.0 })
        .then(PointerAction::MoveToElement { element: to.clone(), duration: step, x: offset.0 - 4.0, y: offset.1 })
        .then(PointerAction::MoveToElement { element: to, duration: step, x: offset.0, y: offset.1 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(mouse).await.expect("drag");
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

    // Connect by dragging from "value"'s outgoing handle onto the new node's incoming handle.
    drag(
        &client,
        ".svelte-flow__node[data-id='value'] .svelte-flow__handle.source",
        ".svelte-flow__node[data-id='message_1'] .svelte-flow__handle.target",
        (0.0, 0.0),
    )
    .await;
    wait(&client, ".svelte-flow__edge[data-id='value:next']").await;
    let text = raw_toml(&client).await;
    assert!(node_block(&text, "value").contains("next = \"message_1\""), "the drag connected value → message_1");

    // And the accessible way: the selected node's "then go to" control.
    click(&client, "[data-screen='journeys']").await;
    click(&client, ".svelte-flow__node[data-id='message_1'] .jnode-summary").await;
    wait(&client, "[data-testid='connect-next']").await.select_by_value("end").await.expect("connect to end");
    wait(&client, "[data-testid='canvas-valid']").await;

    // Move it: the position is written when the drag ends.
    drag(
        &client,
        ".svelte-flow__node[data-id='message_1'] .jnode-summary",
        ".svelte-flow__node[data-id='message_1'] .jnode-summary",
        (0.0, 90.0),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let text = raw_toml(&client).await;
    let block = node_block(&text, "message_1");
    assert!(block.contains("type = \"message\"") && block.contains("next = \"end\""), "{block}");
    assert!(block.contains("position = ["), "the node's position is stored: {block}");
    wait(&client, "[data-testid='valid']").await;

    // Run, then see each node's counts and each edge's flow.
    run_small(&client, "4000").await;
    click(&client, "[data-screen='journeys']").await;
    let entered = wait_text(&client, "[data-node='three quiet days'] [data-stat='entered']", "").await;
    assert_ne!(entered, "0", "users entered the trigger");
    let sent = wait(&client, "[data-node='value'] [data-stat='sent']").await.text().await.expect("sent");
    assert_ne!(sent, "0", "the value message was sent");
    wait(&client, "[data-node='message_1'] [data-stat='entered']").await;
    let labels = client.find_all(Locator::Css(".svelte-flow__edge-text")).await.expect("edge labels");
    let mut text = Vec::new();
    for label in labels {
        text.push(label.text().await.unwrap_or_default());
    }
    assert!(text.iter().any(|t| t.contains("users")), "edges show flow: {text:?}");
    client.find(Locator::Css(".svelte-flow__pane")).await.expect("pane").click().await.expect("deselect");
    screenshot(&client, "canvas").await;
    client.close().await.expect("close");
}
