//! End-to-end: accessibility. axe-core checks every screen of the app (the sidebar's table,
//! each with what it shows once used: a run's results, a comparison, a replay, a plan) and the
//! panels and dialogs that matter (the model panel, the robustness panel, the glossary), in the
//! light and in the dark theme, against WCAG 2.1 A and AA and axe's best practices: no
//! violation anywhere. A screenshot of
//! each screen in each theme goes to target/screenshots/a11y-<theme>-<screen>.png.

use std::collections::BTreeMap;
use std::path::Path;

use fantoccini::{Client, Locator};
use journeylab_e2e::*;

/// What the audit found, screen by screen.
#[derive(Default)]
struct Audit {
    theme: &'static str,
    found: Vec<(String, Vec<Violation>)>,
}

impl Audit {
    /// Runs axe-core on the page as it is now and keeps its screenshot.
    async fn check(&mut self, client: &Client, screen: &str) {
        screenshot(client, &format!("a11y-{}-{screen}", self.theme)).await;
        let violations = axe_violations(client).await;
        self.found.push((screen.to_owned(), violations));
    }

    /// Fails with every violation of every screen, and a count by rule, unless there are none.
    #[allow(clippy::print_stderr, reason = "the test log tells how many screens were audited")]
    fn assert_clean(&self) {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        let mut listed = String::new();
        for (screen, violations) in &self.found {
            for v in violations {
                *by_rule.entry(&v.id).or_default() += v.nodes.len();
            }
            if !violations.is_empty() {
                listed.push_str(&format!("== {screen}\n{}", report(violations)));
            }
        }
        let screens: Vec<&str> = self.found.iter().map(|(s, _)| s.as_str()).collect();
        eprintln!("{} theme: audited {}", self.theme, screens.join(", "));
        assert!(
            by_rule.is_empty(),
            "{} theme: accessibility violations (elements by rule) {by_rule:?}\n{listed}",
            self.theme
        );
    }
}

/// The contrast of each sidebar item not open yet with the sidebar, as shown (its opacity
/// included). axe-core leaves disabled controls out, but these name screens a person reads to find
/// their way.
async fn disabled_screens_contrast(client: &Client) -> Vec<(String, f64)> {
    let script = "const rgb = (s) => s.match(/[\\d.]+/g).map(Number); \
        const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; \
        const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b); \
        const bg = rgb(getComputedStyle(document.querySelector('nav.sidebar')).backgroundColor); \
        return [...document.querySelectorAll('nav [data-screen]:disabled')].map((b) => { \
          const style = getComputedStyle(b); const fg = rgb(style.color); \
          const a = Number(style.opacity) * (fg[3] ?? 1); \
          const shown = [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a)); \
          const [hi, lo] = [lum(shown), lum(bg)].sort((x, y) => y - x); \
          return [b.dataset.screen, (hi + 0.05) / (lo + 0.05)]; });";
    let answer = client.execute(script, vec![]).await.expect("contrast of the disabled screens");
    serde_json::from_value(answer).expect("pairs of screen and ratio")
}

/// Every screen, the ones a scenario or a run unlocks after a small scenario is run.
async fn audit_every_screen(client: &Client, audit: &mut Audit) {
    audit.check(client, "library").await;
    let disabled = disabled_screens_contrast(client).await;
    assert!(disabled.len() >= 5, "screens that need a scenario or a run are not open yet: {disabled:?}");
    for (screen, ratio) in &disabled {
        assert!(*ratio >= 4.5, "{} theme: the disabled {screen} reads at {ratio:.2}:1, under 4.5:1", audit.theme);
    }

    click(client, "[data-testid='open-glossary']").await;
    wait(client, "dialog[open] [data-testid='glossary-search']").await;
    audit.check(client, "glossary").await;
    click(client, "[data-testid='glossary-close']").await;
    eventually("the glossary closed", || async {
        client.find(Locator::Css("dialog[open]")).await.is_err().then_some(())
    })
    .await;

    // Screens that need nothing, before a scenario is open.
    click(client, "[data-screen='peeking']").await;
    wait_text(client, "[data-testid='peek-status']", "Settled").await;
    wait(client, "[data-testid='peek-chart'] svg").await;
    audit.check(client, "peeking").await;
    click(client, "[data-screen='calibrate']").await;
    wait(client, "[data-testid='calibrate-choose']").await;
    audit.check(client, "calibrate").await;

    click(client, "[data-screen='library']").await;
    click(client, "[data-example='cart_abandonment']").await;
    wait(client, "[data-testid='valid']").await;
    wait(client, "[data-path='simulation.users'] input").await;
    audit.check(client, "scenario").await;
    click(client, "[data-testid='model-tab']").await;
    wait(client, "[data-testid='model-panel']").await;
    audit.check(client, "scenario-model-panel").await;

    click(client, "[data-screen='journeys']").await;
    wait(client, "[data-testid='canvas-valid']").await;
    audit.check(client, "journeys").await;

    click(client, "[data-screen='run']").await;
    wait(client, "[data-testid='start-run']").await;
    audit.check(client, "run").await;
    run_small(client, "3000").await;
    wait(client, "[data-testid='chart'] svg").await;
    audit.check(client, "results").await;

    click(client, "[data-screen='compare']").await;
    set_input(client, "[data-testid='compare-users']", "3000").await;
    set_input(client, "[data-testid='compare-replications']", "2").await;
    click(client, "[data-testid='start-compare']").await;
    wait(client, "[data-testid='compare-verdict']").await;
    wait(client, "[data-testid='compare-chart'] svg").await;
    audit.check(client, "compare").await;
    click(client, "[data-testid='compare-tab-robustness']").await;
    set_input(client, "[data-testid='robust-samples']", "8").await;
    set_input(client, "[data-testid='robust-users']", "2000").await;
    wait_text(client, "[data-testid='robust-plan']", "runs of 2,000 users").await;
    click(client, "[data-testid='robust-start']").await;
    wait(client, "[data-testid='robust-tornado'] svg").await;
    audit.check(client, "compare-robustness-panel").await;

    // The experiment screens, with an experiment scenario.
    // "Edit the scenario": the card itself opens the replay at once (app_start covers that path).
    click(client, "[data-screen='library']").await;
    click(client, "[data-example-edit='experiment_ab']").await;
    wait(client, "[data-testid='valid']").await;
    click(client, "[data-screen='monitor']").await;
    click(client, "[data-testid='monitor-run']").await;
    wait(client, "[data-testid='monitor-chart'] svg").await;
    wait(client, "[data-testid='monitor-table']").await;
    audit.check(client, "monitor").await;
    set_input(client, "[data-testid='replications']", "2").await;
    click(client, "[data-testid='replications-run']").await;
    wait(client, "[data-testid='replication-table']").await;
    audit.check(client, "monitor-replications").await;
    click(client, "[data-screen='planner']").await;
    wait_text(client, "[data-testid='plan-traffic']", "From the open scenario").await;
    click(client, "[data-testid='plan-compute']").await;
    wait(client, "[data-testid='plan-boundaries'] tbody tr").await;
    audit.check(client, "planner").await;

    // A field's diagnostic, last: the open scenario is left with an edit.
    click(client, "[data-screen='scenario']").await;
    set_input(client, "[data-path='simulation.horizon_days'] input", "-3").await;
    wait(client, "[data-path='simulation.horizon_days'] [data-testid='field-error']").await;
    wait(client, "[data-testid='invalid']").await;
    audit.check(client, "scenario-diagnostic").await;
}

/// Every screen of the sidebar's table was audited (its `data-screen` buttons are the table).
async fn assert_every_screen_seen(client: &Client, audit: &Audit) {
    let buttons = client.find_all(Locator::Css("nav [data-screen]")).await.expect("sidebar");
    assert!(buttons.len() >= 10, "the sidebar lists every screen: {}", buttons.len());
    for button in buttons {
        let id = button.attr("data-screen").await.expect("attr").expect("a screen id");
        assert!(audit.found.iter().any(|(screen, _)| screen.starts_with(&id)), "screen {id} was not audited");
    }
}

async fn audit_theme(theme: &'static str, env: &[(&str, &Path)]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start_with_env(dir.path(), env);
    let (client, _) = launch(&driver).await;
    let dark =
        client.execute("return matchMedia('(prefers-color-scheme: dark)').matches", vec![]).await.expect("media");
    assert_eq!(dark, serde_json::Value::Bool(theme == "dark"), "the page sees the {theme} theme");
    let mut audit = Audit { theme, ..Audit::default() };
    audit_every_screen(&client, &mut audit).await;
    assert_every_screen_seen(&client, &audit).await;
    client.close().await.expect("close");
    audit.assert_clean();
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn every_screen_meets_wcag_2_1_aa_in_the_light_theme() {
    audit_theme("light", &[]).await;
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn every_screen_meets_wcag_2_1_aa_in_the_dark_theme() {
    // GTK's dark variant, which WebKitGTK reports to the page as prefers-color-scheme: dark.
    audit_theme("dark", &[("GTK_THEME", Path::new("Adwaita:dark"))]).await;
}
