//! End-to-end: the real app (debug build) driven through tauri-driver and
//! WebKitWebDriver. Needs a display: `make e2e` runs it under xvfb-run.
//! Screenshots of each screen go to docs/screenshots/; the launch time to an
//! interactive library goes to target/e2e-launch-ms.txt.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

const TAB: &str = "\u{E004}";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// tauri-driver in its own process group: stopping the group also stops
/// WebKitWebDriver, which would otherwise hold the test's output open.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(port: u16, data: &Path) -> Driver {
        use std::os::unix::process::CommandExt;
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            .env("XDG_DATA_HOME", data.join("data"))
            .env("XDG_CONFIG_HOME", data.join("config"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("tauri-driver on PATH (cargo install tauri-driver --locked)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The child leads its own group (process_group(0)), so its pgid is its pid.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

/// Launches the app and returns the session and how long until the library was interactive.
async fn launch(driver: &Driver) -> (Client, Duration) {
    let app = root().join("target/debug/journeylab-app");
    assert!(app.exists(), "build the app first: cargo build -p journeylab-app");
    let mut caps = serde_json::Map::new();
    caps.insert("tauri:options".into(), json!({ "application": app }));
    let started = Instant::now();
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("WebDriver session");
    wait(&client, "[data-example='cart_abandonment']").await;
    (client, started.elapsed())
}

async fn wait(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
}

async fn click(client: &Client, css: &str) {
    wait(client, css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Waits until the element's text contains `needle`.
async fn wait_text(client: &Client, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Ok(el) = client.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
            && text.contains(needle)
        {
            return text;
        }
        assert!(Instant::now() < deadline, "{css} never contained {needle:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(client: &Client, name: &str) {
    // Let the last change paint before capturing it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let png = client.screenshot().await.expect("screenshot");
    let dir = root().join("docs/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

async fn set_input(client: &Client, css: &str, value: &str) {
    let input = wait(client, css).await;
    input.clear().await.expect("clear");
    input.send_keys(&format!("{value}{TAB}")).await.expect("type");
}

async fn run_small(client: &Client, users: &str) {
    click(client, "[data-screen='run']").await;
    set_input(client, "[data-testid='users-override']", users).await;
    click(client, "[data-testid='start-run']").await;
    wait(client, "[data-testid='results-title']").await;
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn open_a_ready_made_scenario_run_it_and_see_results_and_charts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(4444, dir.path());
    let (client, launch_time) = launch(&driver).await;
    std::fs::write(root().join("target/e2e-launch-ms.txt"), format!("{}\n", launch_time.as_millis())).expect("timing");
    screenshot(&client, "library").await;
    click(&client, "[data-example='cart_abandonment']").await;
    wait(&client, "[data-testid='valid']").await;
    wait(&client, "[data-path='simulation.users'] input").await;
    screenshot(&client, "scenario").await;
    run_small(&client, "20000").await;
    let title = wait(&client, "[data-testid='results-title']").await.text().await.expect("title");
    assert_eq!(title, "Cart abandonment: reminder vs coupon");
    let headline = wait(&client, "[data-testid='headline']").await.text().await.expect("headline");
    for label in
        ["D1 retention", "D30 retention", "Conversion", "Net margin per user", "Opt-outs", "Uninstalls", "coupon"]
    {
        assert!(headline.contains(label), "headline lacks {label}: {headline}");
    }
    let charts = client.find_all(Locator::Css("[data-testid='chart'] svg")).await.expect("charts");
    assert_eq!(charts.len(), 3, "retention, margin and channel charts");
    wait(&client, "[data-testid='data-table']").await;
    screenshot(&client, "results").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn a_long_run_can_be_cancelled_and_the_app_stays_responsive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(4454, dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='churn_prevention']").await;
    wait(&client, "[data-testid='valid']").await;
    click(&client, "[data-screen='run']").await;
    set_input(&client, "[data-testid='users-override']", "5000000").await;
    click(&client, "[data-testid='start-run']").await;
    wait(&client, "[data-testid='cancel']").await;
    // An estimate of the time left, not just "estimating".
    wait_text(&client, "[data-testid='progress-text']", "About").await;
    screenshot(&client, "run").await;
    // While it runs, the window answers: another screen opens and shows its content.
    let asked = Instant::now();
    click(&client, "[data-screen='library']").await;
    wait(&client, "[data-example='send_time']").await;
    let answered = asked.elapsed();
    assert!(answered < Duration::from_secs(2), "the library took {answered:?} to open during a run");
    click(&client, "[data-screen='run']").await;
    click(&client, "[data-testid='cancel']").await;
    wait_text(&client, "[data-testid='toast']", "Run cancelled").await;
    let start = wait(&client, "[data-testid='start-run']").await;
    assert!(start.is_enabled().await.expect("enabled"), "a new run can start after cancelling");
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn an_impossible_value_shows_its_diagnostic_at_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(4464, dir.path());
    let (client, _) = launch(&driver).await;
    click(&client, "[data-example='send_time']").await;
    wait(&client, "[data-testid='valid']").await;
    set_input(&client, "[data-path='simulation.horizon_days'] input", "-3").await;
    let error = wait_text(&client, "[data-path='simulation.horizon_days'] [data-testid='field-error']", "").await;
    assert!(!error.is_empty(), "the diagnostic is shown at the field");
    wait(&client, "[data-testid='invalid']").await;
    let raw = wait(&client, "[data-testid='raw']").await.prop("value").await.expect("raw").unwrap_or_default();
    assert!(raw.contains("horizon_days = -3"), "the TOML follows the form");
    assert!(!wait(&client, "[data-testid='run']").await.is_enabled().await.expect("enabled"));
    screenshot(&client, "diagnostic").await;
    client.close().await.expect("close");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn a_saved_scenario_and_its_run_are_in_the_history_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let driver = Driver::start(4474, dir.path());
        let (client, _) = launch(&driver).await;
        click(&client, "[data-example='blast_vs_priority']").await;
        wait(&client, "[data-testid='valid']").await;
        click(&client, "[data-testid='save']").await;
        wait_text(&client, "[data-testid='toast']", "Saved").await;
        run_small(&client, "3000").await;
        client.close().await.expect("quit");
    }
    let driver = Driver::start(4484, dir.path());
    let (client, _) = launch(&driver).await;
    let mine = wait_text(&client, "[data-testid='my-scenarios']", "Blast on every channel").await;
    assert!(mine.contains("version 1"), "{mine}");
    wait_text(&client, "[data-testid='recent-runs']", "Blast on every channel").await;
    click(&client, "[data-testid='recent-runs'] [data-run]").await;
    let title = wait(&client, "[data-testid='results-title']").await.text().await.expect("title");
    assert_eq!(title, "Blast on every channel vs channel priority");
    wait(&client, "[data-testid='chart']").await;
    client.close().await.expect("close");
}
