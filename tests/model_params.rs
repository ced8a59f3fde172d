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
    let table = journeylab::behavior::markdown_table();
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
