//! End-to-end: a first run that leads somewhere. From a fresh start the sidebar says what unlocks
//! each greyed screen (readable), the Library's cards show their whole lesson, a "Start here"
//! question opens the experiment that answers it and lands on its replay with a stated result —
//! the sample-ratio check, the guardrails, what is still needed and peeking's claim against the
//! truth — and an experiment card opens its replay too. Screenshots: target/screenshots/
//! start-library.png, start-monitor-day1.png, start-monitor.png, start-aa-card.png.

use journeylab_e2e::*;
use serde_json::json;

/// The WCAG contrast ratio of the element's text colour against the sidebar's background.
async fn contrast_in_sidebar(client: &fantoccini::Client, css: &str) -> f64 {
    wait(client, css).await;
    client
        .execute(
            "const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number); \
             const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; \
               return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); \
               return 0.2126 * r + 0.7152 * g + 0.0722 * b; }; \
             const el = document.querySelector(arguments[0]); \
             const fg = lum(getComputedStyle(el).color); \
             const bg = lum(getComputedStyle(document.querySelector('.sidebar')).backgroundColor); \
             const opacity = Number(getComputedStyle(el).opacity); \
             const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05); \
             return opacity < 1 ? 0 : ratio;",
            vec![json!(css)],
        )
        .await
        .expect("contrast")
        .as_f64()
        .expect("a number")
}

/// Sets the replay's slider to `value` the way a drag does.
async fn slide_to(client: &fantoccini::Client, value: &str) {
    let css = "[data-testid='monitor-slider']";
    wait(client, css).await;
    client
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(css), json!(value)],
        )
        .await
        .expect("slide");
}

#[tokio::test]
#[ignore = "drives the real app under a display: run by `make e2e`"]
async fn a_start_here_question_lands_on_the_experiments_stated_result() {
    let dir = tempfile::tempdir().expect("tempdir");
    let driver = Driver::start(dir.path());
    let (client, _) = launch(&driver).await;

    // A greyed screen says what unlocks it, at a readable contrast (not faded).
    let results = text(&client, "[data-screen='results']").await;
    assert!(results.contains("Run a scenario first"), "{results}");
    let scenario = text(&client, "[data-screen='scenario']").await;
    assert!(scenario.contains("Open a scenario first"), "{scenario}");
    let ratio = contrast_in_sidebar(&client, "[data-screen='results'] .unlock").await;
    assert!(ratio >= 4.5, "the unlock hint's contrast is {ratio:.2}:1");
    let ratio = contrast_in_sidebar(&client, "[data-screen='results']").await;
    assert!(ratio >= 4.5, "a locked screen's name has contrast {ratio:.2}:1");

    // The cards show their whole lesson, the punchline included, and the onboarding example is one.
    wait(&client, "[data-example='onboarding']").await;
    let cart = text(&client, "[data-example='cart_abandonment'] [data-testid='card-lesson']").await;
    assert!(cart.ends_with("(reference price falls, deal-waiting rises)."), "{cart}");
    let clipped = client
        .execute(
            "return [...document.querySelectorAll(\"[data-testid='card-lesson']\")] \
               .filter((e) => e.scrollHeight > e.clientHeight + 1).length;",
            vec![],
        )
        .await
        .expect("clipped lessons");
    assert_eq!(clipped, json!(0), "no lesson is cut off");
    // A longer lesson opens in full on its card.
    let short = text(&client, "[data-example='discount_spiral'] [data-testid='card-lesson']").await;
    client
        .execute(
            "document.querySelector(\"[data-example='discount_spiral']\").closest('article') \
               .querySelector(\"[data-testid='lesson-more']\").click();",
            vec![],
        )
        .await
        .expect("expand");
    let full = wait_text(&client, "[data-example='discount_spiral'] [data-testid='card-lesson']", "(Anderson").await;
    assert!(full.len() > short.len() && full.starts_with(&short), "{short} → {full}");
    let questions = text(&client, "[data-testid='start-questions']").await;
    assert!(
        questions.contains("Coupon or reminder") && questions.contains("When may I stop my A/B test?"),
        "{questions}"
    );
    screenshot(&client, "start-library").await;

    // "When may I stop my A/B test?" opens the A/B experiment and replays it.
    click(&client, "[data-question='experiment_ab']").await;
    wait(&client, "[data-testid='monitor-play']").await;
    assert!(text(&client, "[data-screen='monitor']").await.starts_with("Experiment"));
    slide_to(&client, "0").await;
    wait_text(&client, "[data-testid='monitor-day']", "Day ").await;
    // Day one: not valid yet, and how far it is; the split is as planned; the guardrails are shown.
    let needs = wait_text(&client, "[data-testid='monitor-needs']", "Not yet").await;
    assert!(needs.contains("more users") && needs.contains("more days"), "{needs}");
    let srm = text(&client, "[data-testid='monitor-srm']").await;
    assert!(srm.contains("Sample ratio as planned") && srm.contains("p = "), "{srm}");
    let opt_out = text(&client, "[data-testid='monitor-guardrail'][data-metric='opt_out_rate']").await;
    assert!(
        opt_out.contains("Guardrail") && opt_out.contains("Opt-out rate") && opt_out.contains("harmed"),
        "{opt_out}"
    );
    wait(&client, "[data-testid='monitor-guardrail'][data-metric='uninstall_rate']").await;
    screenshot(&client, "start-monitor-day1").await;

    // The last day: the stated result, and peeking's claim against the truth.
    slide_to(&client, "999").await;
    let valid = wait_text(&client, "[data-testid='monitor-needs']", "Valid result").await;
    assert!(valid.contains("declared a difference on day"), "{valid}");
    let claim = text(&client, "[data-testid='monitor-claim']").await;
    assert!(claim.contains("Peeking claimed +") && claim.contains("the true effect is +"), "{claim}");
    let naive = text(&client, "[data-testid='monitor-naive']").await;
    let naive_day = naive.rsplit(' ').next().expect("day").to_owned();
    assert!(claim.contains(&format!("on day {naive_day}")), "{claim} / {naive}");
    // No file names in what the user reads: the scenario's title, not its file.
    let page = text(&client, "body").await;
    assert!(!page.contains("experiment_ab") && !page.contains(".toml"), "a file name on screen: {page}");
    assert!(text(&client, "[data-testid='doc-name']").await.starts_with("A/B test: reminder vs coupon"));
    client
        .execute("document.querySelector(\"[data-testid='monitor-checks']\").scrollIntoView();", vec![])
        .await
        .expect("scroll");
    screenshot(&client, "start-monitor").await;

    // An experiment card opens its replay, not a plain run.
    click(&client, "[data-screen='library']").await;
    click(&client, "[data-example='experiment_aa']").await;
    wait_text(&client, "[data-testid='doc-name']", "A/A test").await;
    wait(&client, "[data-testid='monitor-replay'][data-scenario^='A/A test']").await;
    let checks = text(&client, "[data-testid='monitor-checks']").await;
    assert!(checks.contains("Sample ratio") && checks.contains("Guardrail"), "{checks}");
    let monitor = text(&client, "h1").await;
    assert_eq!(monitor, "Experiment monitor");
    screenshot(&client, "start-aa-card").await;
    client.close().await.expect("close");
}
