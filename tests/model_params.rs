//! The `[model]` section: the parameter table drives parsing, validation and
//! docs/model.md's table.

use journeylab::api;

const DOC: &str = "docs/model.md";
const BEGIN: &str =
    "<!-- parameters:begin (generated from src/behavior/model.rs; UPDATE_DOCS=1 cargo test --test model_params) -->\n";
const END: &str = "<!-- parameters:end -->";

#[test]
fn docs_parameter_table_is_generated_from_the_code() {
    let doc = std::fs::read_to_string(DOC).expect("docs/model.md exists");
    let start = doc.find(BEGIN).expect("docs/model.md has the parameters:begin marker") + BEGIN.len();
    let end = doc.find(END).expect("docs/model.md has the parameters:end marker");
    let table = api::model_markdown_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(DOC, format!("{}{table}{}", &doc[..start], &doc[end..])).expect("docs/model.md is writable");
        return;
    }
    assert_eq!(
        &doc[start..end],
        table,
        "docs/model.md's parameter table is stale: run UPDATE_DOCS=1 cargo test --test model_params"
    );
}

fn scenario_with_model(model: &str) -> String {
    format!(
        r#"[simulation]
name = "model"

[model]
{model}

[[journey]]
name = "none"

[[journey.node]]
id = "start"
type = "trigger"
event = "signup"
next = "end"

[[journey.node]]
id = "end"
type = "exit"
"#
    )
}

#[test]
fn a_model_value_reaches_the_scenario() {
    let scenario = api::check_scenario(&scenario_with_model("blast_annoyance = 0.4\nengagement_decay = 0.15"))
        .expect("valid scenario");
    assert_eq!(scenario.model.blast_annoyance, 0.4);
    assert_eq!(scenario.model.engagement_decay, 0.15);
    assert_eq!(scenario.model.session_habit, api::Model::default().session_habit);
}

#[test]
fn an_unknown_parameter_names_the_closest() {
    let diagnostics = api::check_scenario(&scenario_with_model("blast_anoyance = 0.4")).expect_err("invalid scenario");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!((d.line, d.column, d.path.as_str()), (5, 1, "model.blast_anoyance"));
    assert!(d.hint.contains("did you mean `blast_annoyance`?"), "{}", d.hint);
}

#[test]
fn an_out_of_range_value_is_located_with_its_range_and_source() {
    let diagnostics = api::check_scenario(&scenario_with_model("\nloss_aversion = 9")).expect_err("invalid scenario");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!((d.line, d.column, d.path.as_str()), (6, 17, "model.loss_aversion"));
    assert!(d.message.contains("[1.5, 3]"), "{}", d.message);
    assert!(d.hint.contains("Kahneman"), "{}", d.hint);
    let hours = api::check_scenario(&scenario_with_model("cart_memory_hours = 36.5")).expect_err("invalid scenario");
    assert!(hours[0].message.contains("whole number"), "{}", hours[0].message);
    let text = api::check_scenario(&scenario_with_model("deal_wait = \"high\"")).expect_err("invalid scenario");
    assert_eq!(text[0].path, "model.deal_wait");
}

/// Every parameter reaches the engine: set to either end of its plausible range, it changes the results of the
/// full example (plus a nightly value blast, with lapses on) or of the discount spiral (where discounted
/// purchases are common enough for the deal mechanisms to show).
#[test]
fn every_parameter_changes_a_run() {
    let mut text = std::fs::read_to_string("tests/data/scenario_full.toml").expect("the example file exists");
    assert!(text.contains("[model]\n"));
    text = text.replace("[model]\n", "[model]\nlapse_share = 0.5\n");
    text.push_str(
        r#"
[[journey]]
name = "nightly value"

[journey.policies]
reentry = true

[[journey.node]]
id = "every night"
type = "trigger"
event = "schedule"
hour = 3
every_days = 2
next = "value"

[[journey.node]]
id = "value"
type = "message"
content = "value"
channels = ["push", "in_app", "email"]
delivery = "blast"
next = "end"

[[journey.node]]
id = "end"
type = "exit"
"#,
    );
    let spiral = std::fs::read_to_string("simulations/discount_spiral.toml").expect("the spiral exists");
    let bases = [api::check_scenario(&text).expect("valid"), api::check_scenario(&spiral).expect("valid")];
    let config = api::RunConfig { users: Some(10_000), days: Some(60), ..api::RunConfig::default() };
    let run = |scenario: &api::Scenario| {
        let results = api::run(scenario, &config, &|_| {}, &std::sync::atomic::AtomicBool::new(false)).expect("run");
        serde_json::to_string(&results.journeys).expect("serialises")
    };
    let references: Vec<String> = bases.iter().map(run).collect();
    let mut inert = Vec::new();
    for p in api::PARAMETERS {
        let changed = bases.iter().zip(&references).any(|(base, reference)| {
            let current = base.model.get(p.name).expect("a parameter");
            [p.low, p.high].into_iter().filter(|&v| v != current).any(|v| {
                let mut scenario = base.clone();
                scenario.model.set(p.name, v);
                run(&scenario) != *reference
            })
        });
        if !changed {
            inert.push(p.name);
        }
    }
    assert!(inert.is_empty(), "parameters that changed nothing at either end of their range: {inert:?}");
}
