//! One vocabulary: docs/results.md's metric table and glossary are generated from the core's tables, and every
//! number a run or a comparison reports is defined there.

use std::sync::atomic::AtomicBool;

use journeylab::api;

const DOC: &str = "docs/results.md";

/// Checks (or, with UPDATE_DOCS=1, rewrites) the generated text between `<!-- {name}:begin … -->` and its end.
fn generated_section(name: &str, table: &str) {
    let doc = std::fs::read_to_string(DOC).expect("docs/results.md exists");
    let marker = format!("<!-- {name}:begin");
    let begin = doc.find(&marker).unwrap_or_else(|| panic!("docs/results.md has the {name}:begin marker"));
    let start = begin + doc[begin..].find("-->\n").expect("the marker ends") + "-->\n".len();
    let end = doc.find(&format!("<!-- {name}:end -->")).unwrap_or_else(|| panic!("{name}:end marker"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(DOC, format!("{}{table}{}", &doc[..start], &doc[end..])).expect("docs/results.md is writable");
        return;
    }
    assert_eq!(
        &doc[start..end],
        table,
        "docs/results.md's {name} is stale: run UPDATE_DOCS=1 cargo test --test vocabulary"
    );
}

#[test]
fn docs_metric_table_and_glossary_are_generated_from_the_core() {
    generated_section("metrics", &api::vocabulary::metrics_markdown_table());
    generated_section("glossary", &api::vocabulary::glossary_markdown());
}

const SCENARIO: &str = r#"[simulation]
name = "vocabulary"
users = 300
horizon_days = 35

[economics]
currency = "EUR"

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

[[journey]]
name = "also none"

[[journey.node]]
id = "start"
type = "trigger"
event = "signup"
next = "end"

[[journey.node]]
id = "end"
type = "exit"
"#;

#[test]
fn every_reported_metric_is_defined_once() {
    let scenario = api::check_scenario(SCENARIO).expect("valid scenario");
    let results = api::run(&scenario, &api::RunConfig::default(), &|_| {}, &AtomicBool::new(false)).expect("run");
    let summary = serde_json::to_value(&results.journeys[0].summary).expect("summary serialises");
    for key in summary.as_object().expect("an object").keys() {
        // The three counts of users describe the run; every other number is a metric.
        if !["users", "entered", "held_out"].contains(&key.as_str()) {
            assert!(api::metric_def(key).is_some(), "summary key {key} is not in the vocabulary");
        }
    }
    let config = api::CompareConfig { replications: 2, ..api::CompareConfig::default() };
    let report = api::compare(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("compare");
    assert_eq!(report.currency.as_str(), "EUR");
    for m in &report.metrics {
        let def = api::metric_def(m.id).expect("a compare metric is in the vocabulary");
        assert_eq!((m.label, m.definition, m.better, m.unit), (def.name, def.definition, def.better, def.unit));
    }
    for id in ["retention_d30", "survival_d30"] {
        assert!(report.metrics.iter().any(|m| m.id == id), "compare reports {id}");
    }
    let (retention, survival) = (api::metric_def("retention_d30"), api::metric_def("survival_d30"));
    assert_ne!(retention.map(|m| m.name), survival.map(|m| m.name), "retention and survival have distinct names");
    for term in ["alpha", "z", "gst", "msprt", "sbg", "bgnbd", "mde", "information_fraction", "efficacy_z"] {
        assert!(api::glossary().iter().any(|t| t.id == term), "the glossary defines {term}");
    }
    for term in ["nominal_p", "alpha_spent", "srm", "confidence_sequence", "always_valid_p"] {
        assert!(api::vocabulary::term(term).is_some(), "the glossary defines {term}");
    }
}
