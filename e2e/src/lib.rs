//! What every end-to-end test shares: tauri-driver in its own process group,
//! launching the real app (debug build), waiting for elements and conditions
//! (never for a fixed time), typing, and screenshots (under target/screenshots/).
//! Tests live in tests/app*.rs; `make e2e` runs them under xvfb-run (they are
//! #[ignore]d in the plain `cargo test`).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub const TAB: &str = "\u{E004}";
const BACKSPACE: &str = "\u{E003}";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// tauri-driver in its own process group: stopping the group also stops
/// WebKitWebDriver, which would otherwise hold the test's output open.
pub struct Driver {
    child: Child,
    pub port: u16,
}

/// A port nobody listens on now, so E2E runs in several checkouts at once do not collide.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a free local port");
    listener.local_addr().expect("local address").port()
}

impl Driver {
    /// Starts tauri-driver with the app's data and config under `data` (a fresh profile per test).
    pub fn start(data: &Path) -> Driver {
        Driver::start_with_env(data, &[])
    }

    /// As [`Driver::start`], with extra environment for the app (e.g. the scripted dialogs' folder).
    pub fn start_with_env(data: &Path, env: &[(&str, &Path)]) -> Driver {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let native_port = free_port();
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("XDG_DATA_HOME", data.join("data"))
            .env("XDG_CONFIG_HOME", data.join("config"))
            .envs(env.iter().copied())
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
/// How long one request for a WebDriver session (which launches the app) may take.
const SESSION_TIMEOUT: Duration = Duration::from_secs(40);

#[allow(clippy::print_stderr, reason = "the test log says when a session request is retried")]
pub async fn launch(driver: &Driver) -> (Client, Duration) {
    let app = root().join("target/debug/journeylab-app");
    assert!(app.exists(), "build the app first: cargo build -p journeylab-app");
    let mut caps = serde_json::Map::new();
    caps.insert("tauri:options".into(), json!({ "application": app }));
    let started = Instant::now();
    let url = format!("http://127.0.0.1:{}", driver.port);
    // A session request has been seen to hang once in many runs (the app never reached
    // WebKitWebDriver): bound each attempt and ask again, so a hiccup neither hangs nor fails the suite.
    let mut attempts = 0;
    let client = loop {
        attempts += 1;
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps.clone());
        match tokio::time::timeout(SESSION_TIMEOUT, builder.connect(&url)).await {
            Ok(Ok(client)) => break client,
            Ok(Err(e)) if attempts >= 3 => panic!("WebDriver session: {e}"),
            Err(_) if attempts >= 3 => panic!("no WebDriver session after {attempts} attempts of {SESSION_TIMEOUT:?}"),
            Ok(Err(e)) => eprintln!("WebDriver session failed ({e}); asking again"),
            Err(_) => eprintln!("no WebDriver session after {SESSION_TIMEOUT:?}; asking again"),
        }
    };
    wait(&client, "[data-example='cart_abandonment']").await;
    (client, started.elapsed())
}

/// How long a wait may last before the test fails: a bound, never a delay (each wait ends as soon
/// as its condition holds), generous because a loaded 2-core machine runs a comparison slowly.
const PATIENCE: Duration = Duration::from_secs(240);

pub async fn wait(client: &Client, css: &str) -> Element {
    client.wait().at_most(PATIENCE).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"))
}

pub async fn click(client: &Client, css: &str) {
    wait(client, css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Asks `probe` again every 100 ms until it answers, for at most [`PATIENCE`]; panics saying `what` never happened.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(Instant::now() < deadline, "{what} never happened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until exactly `n` elements match `css` (charts are drawn after their screen appears, at the size shown).
pub async fn wait_count(client: &Client, css: &str, n: usize) -> Vec<Element> {
    eventually(&format!("{n} of {css}"), || async move {
        let found = client.find_all(Locator::Css(css)).await.ok()?;
        (found.len() == n).then_some(found)
    })
    .await
}

/// Waits until the element's text contains `needle`.
pub async fn wait_text(client: &Client, css: &str, needle: &str) -> String {
    eventually(&format!("{css} containing {needle:?}"), || async move {
        let text = client.find(Locator::Css(css)).await.ok()?.text().await.ok()?;
        text.contains(needle).then_some(text)
    })
    .await
}

/// Waits until the value of the form control `css` (an input, a textarea) satisfies `wanted`.
pub async fn wait_value(client: &Client, css: &str, what: &str, wanted: impl Fn(&str) -> bool) -> String {
    let wanted = &wanted;
    eventually(&format!("{css} {what}"), || async move {
        let value = client.find(Locator::Css(css)).await.ok()?.prop("value").await.ok()??;
        wanted(&value).then_some(value)
    })
    .await
}

/// Opens the Scenario screen and returns its raw text editor's TOML once it is `what` (`wanted`):
/// an edit made on another screen reaches the text a moment later. Stays on the Scenario screen.
pub async fn raw_toml_on_scenario_screen(client: &Client, what: &str, wanted: impl Fn(&str) -> bool) -> String {
    click(client, "[data-screen='scenario']").await;
    wait_value(client, "[data-testid='raw']", what, wanted).await
}

/// Presses `key` with Ctrl held, as a person would (WebDriver key actions).
pub async fn press_ctrl(client: &Client, shift: bool, key: char) {
    try_press_ctrl(client, shift, key).await.expect("key chord");
}

/// As [`press_ctrl`], for a chord after which the app may be gone (Ctrl+Q).
pub async fn try_press_ctrl(client: &Client, shift: bool, key: char) -> Result<(), fantoccini::error::CmdError> {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::key::Key;
    let mut keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: Key::Control.into() });
    if shift {
        keys = keys.then(KeyAction::Down { value: Key::Shift.into() });
    }
    keys = keys.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    if shift {
        keys = keys.then(KeyAction::Up { value: Key::Shift.into() });
    }
    keys = keys.then(KeyAction::Up { value: Key::Control.into() });
    client.perform_actions(keys).await
}

/// Waits until the page has painted its last change: two animation frames, the second one
/// starting after the first frame's paint.
pub async fn painted(client: &Client) {
    client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await
        .expect("animation frames");
}

/// Saves a screenshot of the window as target/screenshots/`name`.png, once the last change is
/// painted. `make screenshots` copies them to docs/screenshots/ when they are meant to change.
pub async fn screenshot(client: &Client, name: &str) {
    painted(client).await;
    let png = client.screenshot().await.expect("screenshot");
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// The text of the element `css` selects, once it is there.
pub async fn text(client: &Client, css: &str) -> String {
    wait(client, css).await.text().await.unwrap_or_else(|e| panic!("text of {css}: {e}"))
}

/// Scrolls the element `css` selects to the top of the window (before a screenshot of it).
pub async fn scroll_to(client: &Client, css: &str) {
    let element = wait(client, css).await;
    client
        .execute("arguments[0].scrollIntoView({block: 'start'})", vec![serde_json::to_value(&element).expect("el")])
        .await
        .expect("scroll");
}

/// Clears the input, types `value` and leaves it with Tab. WebDriver's clear sends its own
/// change (an empty value) before the typing, so the app gets two edits in quick succession.
/// Replaces an input's text as a user does — erase it, type, Tab away — so the app sees one change.
/// (WebDriver's clear() fires a change of its own with the field empty, whose round trip can land
/// while the new value is being typed.) Typing into a field puts the caret at its end first.
pub async fn set_input(client: &Client, css: &str, value: &str) {
    let input = wait(client, css).await;
    let old = input.prop("value").await.expect("the input's value").unwrap_or_default();
    let erase = BACKSPACE.repeat(old.chars().count());
    input.send_keys(&format!("{erase}{value}{TAB}")).await.expect("type");
}

pub async fn run_small(client: &Client, users: &str) {
    click(client, "[data-screen='run']").await;
    set_input(client, "[data-testid='users-override']", users).await;
    click(client, "[data-testid='start-run']").await;
    wait(client, "[data-testid='results-title']").await;
}

/// The environment variable that makes the debug build answer file dialogs from a folder
/// (open: the .toml placed there; save: a path in it; a file named CANCEL cancels once).
pub const DIALOG_DIR: &str = "JOURNEYLAB_TEST_DIALOG_DIR";

/// Waits until the toast says where the export went and returns that path.
async fn exported(client: &Client, before: &str) -> PathBuf {
    // The message alone: the toast also holds its dismiss button.
    let toast = wait_text(client, "[data-testid='toast-text']", "Exported to ").await;
    assert_ne!(toast, before, "a new export, not the last toast");
    let path = toast.trim_start_matches("Exported to ").trim_end_matches('.');
    PathBuf::from(path)
}

/// What each exported format must look like.
fn check_file(bytes: &[u8], format: &str) {
    match format {
        "png" => assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature"),
        "svg" => {
            let text = String::from_utf8_lossy(bytes);
            assert!(text.trim_start().starts_with("<svg") && text.trim_end().ends_with("</svg>"), "SVG root");
        }
        "json" => {
            let v: serde_json::Value = serde_json::from_slice(bytes).expect("the JSON parses");
            assert!(v.is_object(), "a JSON document");
        }
        "csv" => {
            let text = String::from_utf8_lossy(bytes);
            let header = text.lines().next().expect("a header line");
            assert!(header.split(',').count() >= 2 && text.lines().count() > 1, "CSV header: {header}");
        }
        other => panic!("unknown format {other}"),
    }
}

/// Clicks an export button (the app started with [`DIALOG_DIR`]), checks the file it wrote and
/// removes it so the next one is new; returns the file's path and its bytes.
pub async fn export(client: &Client, button: &str, format: &str) -> (PathBuf, Vec<u8>) {
    // Clear the last toast first so the next one is this export's.
    let before = match client.find(Locator::Css("[data-testid='toast-text']")).await {
        Ok(t) => t.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    click(client, button).await;
    let deadline = Instant::now() + PATIENCE;
    let path = loop {
        let path = exported(client, &before).await;
        if path.exists() {
            break path;
        }
        assert!(Instant::now() < deadline, "the export said {} but no file is there", path.display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some(format), "{}", path.display());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    check_file(&bytes, format);
    std::fs::remove_file(&path).expect("remove the export");
    // Let the toast go so the next export's toast is told apart from this one.
    let deadline = Instant::now() + Duration::from_secs(8);
    while let Ok(toast) = client.find(Locator::Css("[data-testid='toast']")).await {
        assert!(Instant::now() < deadline, "the toast never went away: {}", toast.text().await.unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (path, bytes)
}

/// What every screen is held to (axe-core's tags): WCAG 2.0 and 2.1, A and AA, and axe's best
/// practices (landmarks, headings, table headers).
const RULES: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// One rule axe-core found broken on the page: the rule, how bad, and each element that breaks
/// it (its CSS selector and axe's summary of what is wrong there).
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    pub nodes: Vec<ViolatingNode>,
}

#[derive(Debug, Clone)]
pub struct ViolatingNode {
    pub target: String,
    pub summary: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let impact = self.impact.as_deref().unwrap_or("unrated");
        writeln!(f, "{} ({impact}): {}", self.id, self.help)?;
        for node in &self.nodes {
            writeln!(f, "    {}\n      {}", node.target, node.summary.replace('\n', "\n      "))?;
        }
        Ok(())
    }
}

/// Runs axe-core (ui/node_modules/axe-core, the version ui/package.json pins) inside the app's
/// page as it is now, against WCAG 2.1 A and AA and axe's best practices, and returns what it
/// finds broken.
pub async fn axe_violations(client: &Client) -> Vec<Violation> {
    let path = root().join("ui/node_modules/axe-core/axe.min.js");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run npm ci in ui/)", path.display()));
    let loaded = client.execute("return typeof window.axe === 'object';", vec![]).await.expect("axe present?");
    if loaded != serde_json::Value::Bool(true) {
        client.execute(&source, vec![]).await.expect("inject axe-core");
    }
    painted(client).await;
    let script = "const done = arguments[arguments.length - 1]; \
        axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] }) \
          .then((r) => done(JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, \
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '' })) }))))) \
          .catch((e) => done(JSON.stringify({ error: String(e) })));";
    let answer = client.execute_async(script, vec![json!(RULES)]).await.expect("axe.run");
    let answer = answer.as_str().expect("axe's answer as JSON text");
    let parsed: serde_json::Value = serde_json::from_str(answer).expect("axe's answer parses");
    let Some(violations) = parsed.as_array() else { panic!("axe-core failed: {answer}") };
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    violations
        .iter()
        .map(|v| Violation {
            id: text(v, "id"),
            impact: v["impact"].as_str().map(str::to_owned),
            help: text(v, "help"),
            nodes: v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| ViolatingNode { target: text(n, "target"), summary: text(n, "summary") })
                .collect(),
        })
        .collect()
}

/// Fails with a readable list (rule, impact, element, what is wrong) unless axe-core finds the
/// page as it is now free of violations; `what` names the screen in the message.
pub async fn assert_accessible(client: &Client, what: &str) {
    let found = axe_violations(client).await;
    assert!(found.is_empty(), "{what}: {} accessibility violations\n{}", found.len(), report(&found));
}

/// The violations one per paragraph, as [`assert_accessible`] prints them.
pub fn report(violations: &[Violation]) -> String {
    violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("")
}
