//! End-to-end: the file flows of the real app through its dialog seam. The debug
//! build, started with JOURNEYLAB_TEST_DIALOG_DIR, answers "open" with the .toml
//! placed in that folder and "save" with a path in it (a file named CANCEL there
//! cancels once), so every button below goes through the same commands as a person's.

use std::path::Path;
use std::time::Duration;

use journeylab_e2e::*;

const DIALOG_DIR: &str = "JOURNEYLAB_TEST_DIALOG_DIR";

/// Waits until the toast says where the export went and returns that path.
async fn exported(client: &fantoccini::Client, before: &str) -> std::path::PathBuf {
    let toast = wait_text(client, "[data-testid='toast']", "Exported to ").await;
    assert_ne!(toast, before, "a new export, not the last toast");
    let path = toast.trim_start_matches("Exported to ").trim_end_matches('.');
    std::path::PathBuf::from(path)
}

fn check_file(path: &Path, format: &str) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match format {
        "png" => assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature"),
        "svg" => {
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.trim_start().starts_with("<svg") && text.trim_end().ends_with("</svg>"), "SVG root");
        }
        "json" => {
            let v: serde_json::Value = serde_json::from_slice(&bytes).expect("the JSON parses");
            assert!(v.is_object(), "a JSON document");
        }
        "csv" => {
            let text = String::from_utf8(bytes).expect("utf8");
            let header = text.lines().next().expect("a header line");
            assert!(header.split(',').count() >= 2 && text.lines().count() > 1, "CSV header: {header}");
        }
        other => panic!("unknown format {other}"),
    }
}

/// Clicks an export button and checks the file it wrote; removes it so the next one is new.
async fn export(client: &fantoccini::Client, button: &str, format: &str) {
    // Clear the last toast first so the next one is this export's.
    let before = match client.find(fantoccini::Locator::Css("[data-testid='toast']")).await {
        Ok(t) => t.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    click(client, button).await;
    let path = loop {
        let path = exported(client, &before).await;
        if path.exists() {
            break path;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some(format), "{}", path.display());
    check_file(&path, format);
    std::fs::remove_file(&path).expect("remove the export");
    // Let the toast go so the next export's toast is told apart from this one.
    let deadline = std::time::Instant::now() + Duration::from_secs(8);
    while client.find(fantoccini::Locator::Css("[data-testid='toast']")).await.is_ok() {
        assert!(std::time::Instant::now() < deadline, "the toast never went away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

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
    let toast = wait_text(&client, "[data-testid='toast']", "Saved to").await;
    let saved = dialogs.join("reminder plan.toml");
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
