//! End-to-end: the file flows of the real app through its dialog seam. The debug
//! build, started with JOURNEYLAB_TEST_DIALOG_DIR, answers "open" with the .toml
//! placed in that folder and "save" with a path in it (a file named CANCEL there
//! cancels once), so every button below goes through the same commands as a person's.

use journeylab_e2e::*;

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn open_save_run_and_export_every_format_through_the_dialogs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dialogs = dir.path().join("dialogs");
    std::fs::create_dir_all(&dialogs).expect("dialog dir");
    let source = std::fs::read_to_string(root().join("simulations/cart_abandonment.toml")).expect("example");
    std::fs::write(dialogs.join("reminder plan.toml"), &source).expect("place the scenario");
    let driver = Driver::start_with_env(dir.path(), &[(DIALOG_DIR, &dialogs)]);
    let (client, _) = launch(&driver).await;

    // File → Open (the library's button sends the same command as the menu item).
    click(&client, "[data-testid='open-file']").await;
    wait(&client, "[data-testid='valid']").await;
    wait_text(&client, "[data-testid='doc-name']", "Cart abandonment").await;
    let raw = wait(&client, "[data-testid='raw']").await.prop("value").await.expect("raw").unwrap_or_default();
    assert_eq!(raw, source, "the file's text, unchanged");

    // Edit, then save as a file: the dialog answers with a path in the folder.
    set_input(&client, "[data-path='simulation.users'] input", "4321").await;
    wait_value(&client, "[data-testid='raw']", "has the edit", |raw| raw.contains("users = 4321")).await;
    wait_text(&client, "[data-testid='doc-name']", "•").await;
    click(&client, "[data-testid='save-file']").await;
    let saved = dialogs.join("reminder plan.toml");
    // The file first, then the message: if this ever stalls again (once, under make test's load),
    // the panic says whether the click was lost (no file) or the five-second message was missed.
    eventually("the saved file with the edit", || async {
        std::fs::read_to_string(&saved).ok().filter(|text| text.contains("users = 4321")).map(|_| ())
    })
    .await;
    let toast = wait_text(&client, "[data-testid='toast']", "Saved to").await;
    assert!(toast.contains(&saved.display().to_string()), "{toast}");
    let text = std::fs::read_to_string(&saved).expect("saved file");
    assert!(text.contains("users = 4321"), "the edit is in the saved file");

    // Run, then export every format from Results.
    run_small(&client, "3000").await;
    wait(&client, "[data-testid='chart']").await;
    export(&client, "[data-testid='export-summary-csv']", "csv").await;
    export(&client, "[data-testid='export-daily-csv']", "csv").await;
    export(&client, "[data-testid='export-json']", "json").await;
    export(&client, "[data-testid='chart'] [data-testid='export-svg']", "svg").await;
    export(&client, "[data-testid='chart'] [data-testid='export-png']", "png").await;

    // Cancelling the dialog changes nothing: no file, no message.
    let before: Vec<_> = std::fs::read_dir(&dialogs).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    std::fs::write(dialogs.join("CANCEL"), "").expect("cancel marker");
    click(&client, "[data-testid='export-json']").await;
    // The scripted dialog takes the marker away when it answers "cancelled".
    let marker = dialogs.join("CANCEL");
    eventually("the save dialog answering", || std::future::ready((!marker.exists()).then_some(()))).await;
    let after: Vec<_> = std::fs::read_dir(&dialogs).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    assert_eq!(before, after, "a cancelled export writes nothing");
    assert!(client.find(fantoccini::Locator::Css("[data-testid='toast']")).await.is_err(), "and says nothing");
    wait(&client, "[data-testid='results-title']").await;
    client.close().await.expect("close");
}
