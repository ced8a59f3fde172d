//! End-to-end: the window keeps its size across a restart, and the keyboard
//! shortcuts for open, save, run and cancel work in the real app (key chords
//! sent through WebDriver, each acting exactly once).

use std::time::Duration;

use journeylab_e2e::*;

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn the_window_size_is_remembered_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Not the default 1200 × 780 of tauri.conf.json.
    let wanted = (1010, 690);
    let size = {
        let driver = Driver::start(dir.path());
        let (client, _) = launch(&driver).await;
        client.set_window_rect(20, 20, wanted.0, wanted.1).await.expect("resize the window");
        let want = (u64::from(wanted.0), u64::from(wanted.1));
        let session = &client;
        let size = eventually(&format!("the window taking the size {want:?}"), || async move {
            session.get_window_size().await.ok().filter(|&size| size == want)
        })
        .await;
        // Quit normally (Ctrl+Q, File → Quit). WebDriver's own "close window" and "end session"
        // kill the process without an exit, so they cannot show what a person's quit does.
        // The app may quit before WebDriver answers the key action.
        let _ = try_press_ctrl(&client, false, 'q').await;
        let _ = client.close().await;
        size
    };
    let saved = dir.path().join("config/com.journeylab.app/.window-state.json");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !saved.exists() {
        if std::time::Instant::now() > deadline {
            let listing = std::process::Command::new("find").arg(dir.path()).output().expect("find");
            panic!("no window state at {}: {}", saved.display(), String::from_utf8_lossy(&listing.stdout));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;
    assert_eq!(client.get_window_size().await.expect("size"), size, "the same size after a restart");
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn open_save_run_and_cancel_from_the_keyboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dialogs = dir.path().join("dialogs");
    std::fs::create_dir_all(&dialogs).expect("dialog dir");
    let source = std::fs::read_to_string(root().join("simulations/churn_prevention.toml")).expect("example");
    std::fs::write(dialogs.join("churn.toml"), &source).expect("place the scenario");
    let driver = Driver::start_with_env(dir.path(), &[("JOURNEYLAB_TEST_DIALOG_DIR", &dialogs)]);
    let (client, _) = launch(&driver).await;

    press_ctrl(&client, false, 'o').await;
    wait(&client, "[data-testid='valid']").await;
    wait_text(&client, "[data-testid='doc-name']", "").await;

    press_ctrl(&client, false, 's').await;
    wait_text(&client, "[data-testid='toast']", "(version 1)").await;

    // A run long enough to cancel.
    click(&client, "[data-screen='run']").await;
    set_input(&client, "[data-testid='users-override']", "5000000").await;
    press_ctrl(&client, false, 'r').await;
    wait(&client, "[data-testid='cancel']").await;
    wait_text(&client, "[data-testid='progress-text']", "of 5,000,000 users").await;
    press_ctrl(&client, false, '.').await;
    wait_text(&client, "[data-testid='toast']", "Run cancelled").await;

    // Each chord acted once: one saved version, one run started (and cancelled, so none kept).
    press_ctrl(&client, false, '1').await;
    let mine = wait_text(&client, "[data-testid='my-scenarios']", "version").await;
    assert!(mine.contains("version 1") && !mine.contains("version 2"), "saved once: {mine}");
    client.close().await.expect("close");
}
