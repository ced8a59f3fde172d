use std::cell::RefCell;

use super::*;
use crate::edit::{FieldInput, fields};
use crate::library::{EXAMPLES, TEMPLATE};

thread_local! {
    /// Every field path the reader asked for on this thread (see `Fields::get`).
    static ASKED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

pub(in crate::scenario) fn record_asked(path: &str) {
    ASKED.with(|a| a.borrow_mut().push(path.to_owned()));
}

const FULL: &str = include_str!("../../../tests/data/scenario_full.toml");

/// Every text the tests read: the examples, the template, the complete fixture, and one with
/// every `[experiment]` setting and a purchase dropout (the fixture has neither).
fn texts() -> Vec<String> {
    let experiment = format!(
        "{FULL}\n[experiment]\narms = [\"reminder\", \"coupon\"]\nallocation = [0.5, 0.5]\nholdout = 0.1\nmetric = \"retention\"\nwindow_days = 7\nguardrails = [\"opt_out\"]\nlooks = [7, 14]\nmethod = \"gst:obf\"\nalpha = 0.05\npower = 0.8\nmde = 0.01\nmde_relative = true\n"
    )
    .replace("churn_hazard = 0.01\n", "churn_hazard = 0.01\npurchase_dropout = { mean = 0.1, sd = 0.05 }\n")
    // The arms of an experiment start on the same trigger.
    .replace("event = \"schedule\"\nfirst_day = 7\nevery_days = 7\nhour = 9\nclock = \"local\"", "event = \"cart_abandoned\"");
    EXAMPLES.iter().map(|e| e.text.to_owned()).chain([TEMPLATE.to_owned(), FULL.to_owned(), experiment]).collect()
}

#[test]
fn every_definition_has_a_label_help_and_the_right_details_for_its_input() {
    for d in DEFINITIONS {
        assert!(!d.label.is_empty() && !d.help.is_empty(), "{}: label and help", d.pattern);
        assert!(d.help.ends_with('.') || d.help.ends_with(')'), "{}: help is a sentence", d.pattern);
        assert!(!d.label.contains('_'), "{}: the label is not a key", d.pattern);
        match d.input {
            Input::Number | Input::Percent => {
                assert!(!d.range_text().is_empty(), "{}: a number has a range", d.pattern);
                assert!(d.step > 0.0, "{}: a step", d.pattern);
                assert!(
                    d.unit != Unit::None || d.pattern.contains("spread") || d.pattern.contains("mde"),
                    "{}: a unit",
                    d.pattern
                );
            }
            Input::Select(c) | Input::Multi(c) => assert!(c.len() >= 2, "{}: choices", d.pattern),
            _ => {}
        }
        assert_eq!(d.input == Input::Percent, d.unit == Unit::Percent, "{}: percent input iff percent unit", d.pattern);
        let twice = DEFINITIONS.iter().filter(|o| o.pattern == d.pattern).count();
        assert_eq!(twice, 1, "{} is defined once", d.pattern);
    }
}

#[test]
fn every_field_of_every_scenario_is_defined() {
    let mut seen = 0;
    for text in texts() {
        for f in fields(&text).expect("the texts are TOML") {
            assert!(!f.title.is_empty() && !f.help.is_empty(), "{}: no definition", f.path);
            if matches!(f.input, FieldInput::Number | FieldInput::Percent) {
                assert!(!f.range.is_empty(), "{}: a range", f.path);
                assert!(f.step > 0.0, "{}: a step", f.path);
            }
            if f.input == FieldInput::Percent {
                assert_eq!(f.unit, "%", "{}", f.path);
                assert!(f.max.is_some_and(|m| m <= 1.0), "{}: a proportion", f.path);
            }
            assert!(!f.section_title.contains('['), "{}", f.section_title);
            seen += 1;
        }
    }
    assert!(seen > 500, "{seen} fields");
}

/// Fails when the reader learns a key that the table does not define: reading every text
/// records each key the reader asks for, tables included.
#[test]
fn every_key_the_reader_asks_for_is_defined() {
    ASKED.with(|a| a.borrow_mut().clear());
    for text in texts() {
        crate::scenario::read(&text).expect("the texts are valid scenarios");
    }
    let asked = ASKED.with(|a| a.borrow().clone());
    assert!(asked.len() > 300, "{} keys asked", asked.len());
    let mut missing: Vec<String> = Vec::new();
    for path in asked {
        let (pattern, _) = pattern_of(&path).expect("a path the reader wrote");
        // A table, or `[model]`, whose parameters come from the model's own table.
        let table = pattern == "model" || DEFINITIONS.iter().any(|d| d.pattern.starts_with(&format!("{pattern}.")));
        if describe(&path, None).is_none() && !table && !missing.contains(&pattern) {
            missing.push(pattern);
        }
    }
    assert!(missing.is_empty(), "keys the reader reads without a definition: {missing:?}");
}

#[test]
fn fields_carry_plain_labels_units_and_ranges() {
    let all = fields(FULL).expect("fields");
    let get = |path: &str| all.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path}"));
    let mean = get("population.segment[0].purchase_propensity.mean");
    assert_eq!(mean.title, "Chance a visit reaches the cart · average");
    assert_eq!((mean.input, mean.unit.as_str(), mean.min, mean.max), (FieldInput::Percent, "%", Some(0.0), Some(1.0)));
    assert_eq!(mean.range, "from 0 % to 100 %");
    assert_eq!(mean.section_title, "Segment 1: bargain hunters");
    let sd = get("population.segment[0].purchase_propensity.sd");
    assert_eq!((sd.min, sd.max, sd.range.as_str()), (Some(0.0), Some(0.5), "from 0 % to less than 50 %"));
    let visits = get("population.segment[0].visits_per_day.sd");
    assert_eq!((visits.max, visits.range.as_str()), (None, "0 or more per day"));
    let users = get("simulation.users");
    assert_eq!(
        (users.title.as_str(), users.unit.as_str(), users.input),
        ("Simulated users", "users", FieldInput::Number)
    );
    assert_eq!(users.range, "from 1 to 4,294,967,295 users");
    assert_eq!(get("economics.order_value").unit, "EUR", "money in the scenario's currency");
    assert_eq!(get("economics.message_cost.sms").title, "Cost of one message · SMS", "which channel");
    assert_eq!(get("population.segment[0].time_zones.home.\"UTC+1\"").title, "Users living in this time zone · UTC+1");
    assert_eq!(get("predictions.churn_risk.auc").title, "Score quality (AUC) · churn risk");
    let currency = get("economics.currency");
    assert_eq!(currency.input, FieldInput::Select);
    assert!(currency.choices.iter().any(|c| c.value == "EUR"));
    assert_eq!(get("journey[0].policies.reentry").input, FieldInput::Toggle);
    let channels = get("journey[0].node[2].channels");
    assert_eq!(channels.input, FieldInput::Multi);
    assert_eq!(
        channels.choices.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(),
        ["push", "in_app", "email", "sms"]
    );
    assert_eq!(get("journey[0].node[3].days").title, "Within the last", "a branch's days");
}

#[test]
fn section_titles_are_plain() {
    let all = fields(FULL).expect("fields");
    let titles: Vec<&str> = all.iter().map(|f| f.section_title.as_str()).collect();
    for expected in [
        "Scenario",
        "How new users arrive",
        "Segment 1: bargain hunters › Time zones and travel",
        "Segment 1: bargain hunters › Channels › Channel: Push",
        "Money",
        "Prediction quality: churn risk",
        "Journey 1: reminder › Sending rules",
        "Journey 2: coupon › Step 4: coupon",
    ] {
        assert!(titles.contains(&expected), "{expected} in {titles:?}");
    }
}

#[test]
fn range_and_type_messages_use_the_forms_words() {
    let text = FULL.replace("margin = 0.35", "margin = 1.5").replace("users = 50_000", "users = \"many\"");
    let diagnostics = crate::scenario::read(&text).expect_err("two problems");
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"Gross margin must be from 0 % to 100 %; 150 % is not"), "{messages:?}");
    assert!(messages.contains(&"Simulated users must be a whole number, not a string"), "{messages:?}");
    let days = FULL.replace("horizon_days = 60", "horizon_days = 4000");
    let diagnostics = crate::scenario::read(&days).expect_err("too long");
    assert_eq!(diagnostics[0].message, "Days simulated must be from 1 to 3,650 days; 4,000 is not");
}

#[test]
fn numbers_are_shown_without_float_noise() {
    assert_eq!(show(Unit::Percent, 0.07), "7 %");
    assert_eq!(show(Unit::Percent, 0.123_45), "12.345 %");
    assert_eq!(show(Unit::Words("days"), 3650.0), "3,650");
    assert_eq!(describe_interval(Interval::POSITIVE, Unit::Words("per day")), "more than 0 per day");
    assert_eq!(describe_interval(Interval::right_open(0.0, 1.0), Unit::Percent), "from 0 % to less than 100 %");
    assert_eq!(show(Unit::None, -0.5), "-0.5");
    assert_eq!(show(Unit::None, 1_000_000.0), "1,000,000");
}

/// The form's journey list and the canvas's cards summarise a step in the same words, and a
/// message's delivery in the words of the delivery select.
#[test]
fn journey_outlines_speak_as_the_canvas_does() {
    let outlines = crate::edit::journey_outlines(FULL).expect("outlines");
    assert_eq!(outlines.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["reminder", "coupon"]);
    for (j, outline) in outlines.iter().enumerate() {
        let graph = crate::edit::journey_graph(FULL, j).expect("graph");
        let cards: Vec<(&str, &str)> = graph.nodes.iter().map(|n| (n.id.as_str(), n.summary.as_str())).collect();
        let steps: Vec<(&str, &str)> = outline.steps.iter().map(|s| (s.id.as_str(), s.summary.as_str())).collect();
        assert_eq!(steps, cards);
    }
    let remind = &outlines[0].steps[2];
    assert_eq!(remind.summary, format!("Reminder · Push, Email · {}", DELIVERIES[0].label));
    assert_eq!(outlines[0].steps[3].then, "yes: done · no: next_visit");
    assert_eq!(outlines[0].steps[0].then, "wait_4h");
    let coupon = &outlines[1].steps[3];
    assert_eq!(coupon.summary, "20% off · Email, SMS, In-app · every reachable channel");
}
