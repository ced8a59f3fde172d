//! Every diagnostic class of `scenario::read`, each at its line, column and
//! field path, through one data-driven `check` helper.

use journeylab::api::check_scenario as read;
use journeylab::api::scenario::{Diagnostic, DiagnosticKind as K};

/// The smallest valid scenario. Tests append to it or replace one of its lines.
const BASE: &str = r#"[simulation]
name = "t"

[[journey]]
name = "j"

[[journey.node]]
id = "start"
type = "trigger"
event = "signup"
next = "done"

[[journey.node]]
id = "done"
type = "exit"
"#;

/// Expected diagnostic: kind, line, column, field path.
type Expect = (K, usize, usize, &'static str);

/// Asserts that `toml` yields exactly `expected`, in file order, each with a message and a hint.
fn check(toml: &str, expected: &[Expect]) {
    let diagnostics: Vec<Diagnostic> = read(toml).err().unwrap_or_default();
    let listing: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let actual: Vec<(K, usize, usize, &str)> =
        diagnostics.iter().map(|d| (d.kind, d.line, d.column, d.path.as_str())).collect();
    assert_eq!(actual, expected, "diagnostics:\n{}", listing.join("\n"));
    for d in &diagnostics {
        assert!(!d.message.is_empty() && !d.hint.is_empty(), "{d}");
    }
}

/// BASE with `from` (which must occur) replaced by `to`.
fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE has no {from:?}");
    BASE.replacen(from, to, 1)
}

#[test]
fn the_base_scenario_is_valid() {
    check(BASE, &[]);
}

#[test]
fn syntax_errors_point_at_the_broken_text() {
    check(&base_with("name = \"t\"", "name = \"t"), &[(K::Syntax, 2, 10, "")]);
    // Every syntax error at once; fields are not checked until the syntax is right.
    let two = base_with("[simulation]", "[simulation").replace("id = \"done\"", "id = done");
    check(&two, &[(K::Syntax, 1, 12, ""), (K::Syntax, 14, 6, "")]);
}

#[test]
fn unknown_keys_are_reported_with_the_closest_known_key() {
    check(&base_with("name = \"t\"", "name = \"t\"\nsede = 3"), &[(K::UnknownKey, 3, 1, "simulation.sede")]);
    let diagnostics = read(&base_with("name = \"t\"", "name = \"t\"\nsede = 3")).expect_err("sede is unknown");
    assert_eq!(diagnostics[0].hint, "did you mean `seed`?");
    // An unknown key inside [experiment], and a wrong type for its arms.
    check(
        &format!("{BASE}[experiment]\narms = 2\nalfa = 0.1\n"),
        &[(K::WrongType, 17, 8, "experiment.arms"), (K::UnknownKey, 18, 1, "experiment.alfa")],
    );
    // A field of another node type says so.
    check(
        &base_with("type = \"exit\"", "type = \"exit\"\nhours = 4"),
        &[(K::UnknownKey, 16, 1, "journey[0].node[1].hours")],
    );
    // A message's `delivery` on a trigger and an exit's `goal` on a trigger do not apply there:
    // they are not typos to correct.
    let misplaced = base_with("event = \"signup\"", "event = \"signup\"\ndelivery = \"blast\"\ngoal = \"x\"");
    check(
        &misplaced,
        &[(K::UnknownKey, 11, 1, "journey[0].node[0].delivery"), (K::UnknownKey, 12, 1, "journey[0].node[0].goal")],
    );
    let hints: Vec<String> = read(&misplaced).expect_err("misplaced keys").into_iter().map(|d| d.hint).collect();
    assert_eq!(
        hints,
        [
            "`delivery` does not apply to a trigger with event = \"signup\"; remove it",
            "`goal` does not apply to a trigger with event = \"signup\"; remove it",
        ]
    );
}

#[test]
fn missing_fields_are_reported_at_their_table() {
    check(&base_with("name = \"t\"\n", ""), &[(K::MissingField, 1, 1, "simulation.name")]);
    check(
        &base_with("id = \"done\"\n", ""),
        &[(K::DanglingReference, 11, 8, "journey[0].node[0].next"), (K::MissingField, 13, 1, "journey[0].node[1].id")],
    );
    check(
        &base_with("event = \"signup\"\n", "event = \"inactive\"\n"),
        &[(K::MissingField, 7, 1, "journey[0].node[0].days")],
    );
    check("[simulation]\nname = \"t\"\n", &[(K::MissingField, 1, 1, "journey")]);
}

#[test]
fn wrong_types_are_reported_at_the_value() {
    check(&base_with("name = \"t\"", "name = \"t\"\nusers = \"many\""), &[(K::WrongType, 3, 9, "simulation.users")]);
    check(
        &base_with("name = \"t\"", "name = \"t\"\nhorizon_days = 30.5"),
        &[(K::WrongType, 3, 16, "simulation.horizon_days")],
    );
    check(
        &base_with("name = \"t\"", "name = \"t\"\nstart_date = \"2026-01-05\""),
        &[(K::WrongType, 3, 14, "simulation.start_date")],
    );
    check(&base_with("next = \"done\"", "next = 3"), &[(K::WrongType, 11, 8, "journey[0].node[0].next")]);
}

#[test]
fn out_of_range_values_are_reported_at_the_value() {
    let segment = "[[population.segment]]\nname = \"s\"\n";
    // A probability above 1, a negative rate, a Beta sd too large for its mean.
    check(
        &format!("{BASE}{segment}engagement = 1.2\n"),
        &[(K::OutOfRange, 18, 14, "population.segment[0].engagement")],
    );
    check(
        &format!("{BASE}{segment}churn_hazard = {{ mean = -0.1 }}\n"),
        &[(K::OutOfRange, 18, 25, "population.segment[0].churn_hazard.mean")],
    );
    check(
        &format!("{BASE}{segment}visits_per_day = {{ mean = 1, sd = -1 }}\n"),
        &[(K::OutOfRange, 18, 35, "population.segment[0].visits_per_day.sd")],
    );
    check(
        &format!("{BASE}{segment}engagement = {{ mean = 0.1, sd = 0.35 }}\n"),
        &[(K::OutOfRange, 18, 33, "population.segment[0].engagement.sd")],
    );
    // Hours outside 0–23, a holdout of everyone, a time zone that does not exist.
    let schedule = "event = \"schedule\"\nhour = 24";
    check(&base_with("event = \"signup\"", schedule), &[(K::OutOfRange, 11, 8, "journey[0].node[0].hour")]);
    check(
        &base_with("name = \"j\"", "name = \"j\"\npolicies = { holdout = 1 }"),
        &[(K::OutOfRange, 6, 24, "journey[0].policies.holdout")],
    );
    check(
        &format!("{BASE}{segment}time_zones.home = {{ \"UTC+15\" = 1 }}\n"),
        &[(K::OutOfRange, 18, 21, "population.segment[0].time_zones.home.\"UTC+15\"")],
    );
}

#[test]
fn shares_that_do_not_sum_to_one_are_reported() {
    let segments =
        "[[population.segment]]\nname = \"a\"\nshare = 0.5\n[[population.segment]]\nname = \"b\"\nshare = 0.4\n";
    check(&format!("{BASE}{segments}"), &[(K::SharesSum, 16, 1, "population.segment")]);
    // Within 1e-9 relative is a sum of 1.
    let close = "[[population.segment]]\nname = \"a\"\nshare = 0.1\n[[population.segment]]\nname = \"b\"\nshare = 0.9000000000001\n";
    check(&format!("{BASE}{close}"), &[]);
    // A lone segment may omit its share, but a share it states must be 1.
    let lone = "[[population.segment]]\nname = \"a\"\nshare = 0.5\n";
    check(&format!("{BASE}{lone}"), &[(K::SharesSum, 16, 1, "population.segment")]);
    let activity = "[[population.segment]]\nname = \"a\"\nactivity = { evening = 0.5, commuter = 0.2 }\n";
    check(&format!("{BASE}{activity}"), &[(K::SharesSum, 18, 12, "population.segment[0].activity")]);
}

#[test]
fn duplicate_names_are_reported_at_the_repeat() {
    let segments =
        "[[population.segment]]\nname = \"a\"\nshare = 0.5\n[[population.segment]]\nname = \"a\"\nshare = 0.5\n";
    check(&format!("{BASE}{segments}"), &[(K::DuplicateName, 20, 8, "population.segment[1].name")]);
    check(
        &format!("{BASE}{}", &BASE[BASE.find("[[journey]]").unwrap_or(0)..]),
        &[(K::DuplicateName, 17, 8, "journey[1].name")],
    );
    check(
        &base_with("id = \"done\"", "id = \"start\""),
        &[(K::DanglingReference, 11, 8, "journey[0].node[0].next"), (K::DuplicateName, 14, 6, "journey[0].node[1].id")],
    );
}

#[test]
fn unknown_channels_are_reported_wherever_channels_are_named() {
    let message = "[[journey.node]]\nid = \"m\"\ntype = \"message\"\ncontent = \"value\"\nchannels = [\"push\", \"fax\"]\nnext = \"done\"\n";
    check(
        &format!("{BASE}{message}"),
        &[
            (K::UnreachableNode, 16, 1, "journey[0].node[2]"),
            (K::UnknownChannel, 20, 21, "journey[0].node[2].channels[1]"),
        ],
    );
    check(
        &format!("{BASE}[economics]\nmessage_cost = {{ mail = 0.1 }}\n"),
        &[(K::UnknownChannel, 17, 18, "economics.message_cost.mail")],
    );
    check(
        &base_with("name = \"j\"", "name = \"j\"\npolicies.caps.whatsapp = { per_day = 1 }"),
        &[(K::UnknownChannel, 6, 15, "journey[0].policies.caps.whatsapp")],
    );
}

#[test]
fn a_currency_is_an_iso_code() {
    for bad in ["\"usd\"", "\"EURO\"", "\"€\""] {
        check(&format!("{BASE}[economics]\ncurrency = {bad}\n"), &[(K::OutOfRange, 17, 12, "economics.currency")]);
    }
    check(&format!("{BASE}[economics]\ncurrency = 978\n"), &[(K::WrongType, 17, 12, "economics.currency")]);
    let diagnostics = read(&format!("{BASE}[economics]\ncurrency = \"usd\"\n")).expect_err("lower case");
    assert!(diagnostics[0].message.contains("\"usd\" is not a currency code"), "{:?}", diagnostics[0]);
    assert!(diagnostics[0].hint.contains("ISO 4217"), "{:?}", diagnostics[0]);
    let scenario = read(&format!("{BASE}[economics]\ncurrency = \"GBP\"\n")).expect("valid");
    assert_eq!(scenario.economics.currency.as_str(), "GBP");
    assert_eq!(read(BASE).expect("valid").economics.currency.as_str(), "USD", "the default");
}

#[test]
fn unknown_values_suggest_the_closest() {
    check(&base_with("type = \"exit\"", "type = \"exitt\""), &[(K::UnknownValue, 15, 8, "journey[0].node[1].type")]);
    check(
        &base_with("event = \"signup\"", "event = \"sign_up\""),
        &[(K::UnknownValue, 10, 9, "journey[0].node[0].event")],
    );
    let diagnostics = read(&base_with("event = \"signup\"", "event = \"sign_up\"")).expect_err("unknown event");
    assert_eq!(diagnostics[0].hint, "did you mean `signup`?");
}

#[test]
fn dangling_references_name_the_missing_node() {
    check(&base_with("next = \"done\"", "next = \"dne\""), &[(K::DanglingReference, 11, 8, "journey[0].node[0].next")]);
    let diagnostics = read(&base_with("next = \"done\"", "next = \"dne\"")).expect_err("dangling");
    assert_eq!(diagnostics[0].hint, "did you mean `done`?");
}

#[test]
fn loops_without_a_wait_are_reported_once_and_loops_through_a_wait_are_fine() {
    let branch = |next_type: &str, extra: &str| {
        format!(
            "{}[[journey.node]]\nid = \"b\"\ntype = \"branch\"\nif = \"feature_adopted\"\nyes = \"done\"\nno = \"m\"\n\
             [[journey.node]]\nid = \"m\"\ntype = \"{next_type}\"\n{extra}next = \"b\"\n",
            base_with("next = \"done\"", "next = \"b\"")
        )
    };
    let message = "content = \"value\"\nchannels = [\"push\"]\n";
    check(&branch("message", message), &[(K::CycleWithoutWait, 16, 1, "journey[0].node[2]")]);
    check(&branch("wait", "hours = 24\n"), &[]);
}

#[test]
fn unreachable_nodes_are_reported_at_their_header() {
    let orphan = "[[journey.node]]\nid = \"orphan\"\ntype = \"exit\"\n";
    check(&format!("{BASE}{orphan}"), &[(K::UnreachableNode, 16, 1, "journey[0].node[2]")]);
}

#[test]
fn a_journey_needs_exactly_one_trigger() {
    check(
        &base_with("type = \"trigger\"\nevent = \"signup\"\nnext = \"done\"", "type = \"exit\""),
        &[(K::Trigger, 4, 1, "journey[0]")],
    );
    let second = "[[journey.node]]\nid = \"again\"\ntype = \"trigger\"\nevent = \"purchase\"\nnext = \"done\"\n";
    check(
        &format!("{BASE}{second}"),
        &[(K::UnreachableNode, 16, 1, "journey[0].node[2]"), (K::Trigger, 18, 8, "journey[0].node[2].type")],
    );
}

#[test]
fn one_file_with_many_problems_reports_all_of_them_in_file_order() {
    let text = r#"[simulation]
nme = "typo"
users = 0

[economics]
margin = 1.5
message_cost = { pigeon = 1 }

[[population.segment]]
name = "a"
share = 0.7
engagement = { mean = 0.5, sd = 0.9 }

[[population.segment]]
name = "a"
share = 0.2

[[journey]]
name = "j"
policies = { on_cap = "delay", quiet_hours = { start = 21, end = 21 } }

[[journey.node]]
id = "start"
type = "trigger"
event = "cart_abandoned"
next = "loop"

[[journey.node]]
id = "loop"
type = "message"
content = "discount"
depth = 1.5
channels = ["push"]
next = "loop"

[[journey.node]]
id = "lost"
type = "exit"
"#;
    check(
        text,
        &[
            (K::MissingField, 1, 1, "simulation.name"),
            (K::UnknownKey, 2, 1, "simulation.nme"),
            (K::OutOfRange, 3, 9, "simulation.users"),
            (K::OutOfRange, 6, 10, "economics.margin"),
            (K::UnknownChannel, 7, 18, "economics.message_cost.pigeon"),
            (K::SharesSum, 9, 1, "population.segment"),
            (K::OutOfRange, 12, 33, "population.segment[0].engagement.sd"),
            (K::DuplicateName, 15, 8, "population.segment[1].name"),
            (K::UnknownValue, 20, 23, "journey[0].policies.on_cap"),
            (K::OutOfRange, 20, 66, "journey[0].policies.quiet_hours.end"),
            (K::CycleWithoutWait, 28, 1, "journey[0].node[1]"),
            (K::OutOfRange, 32, 9, "journey[0].node[1].depth"),
            (K::UnreachableNode, 36, 1, "journey[0].node[2]"),
        ],
    );
}

#[test]
fn an_experiment_between_journeys_without_a_trigger_is_reported_not_a_panic() {
    // Found by fuzzing: the arms' triggers were compared before the journeys had any.
    let no_nodes = "[[journey]]\nname = \"a\"\n\n[[journey]]\nname = \"b\"\n\n[experiment]\narms = [\"a\", \"b\"]\n";
    check(
        no_nodes,
        &[
            (K::MissingField, 1, 1, "simulation.name"),
            (K::MissingField, 1, 1, "journey[0].node"),
            (K::Trigger, 1, 1, "journey[0]"),
            (K::MissingField, 4, 1, "journey[1].node"),
            (K::Trigger, 4, 1, "journey[1]"),
        ],
    );
    // Nodes but no trigger: the entry used to fall on an exit node.
    let exits = "[[journey]]\nname = \"a\"\n[[journey.node]]\nid = \"x\"\ntype = \"exit\"\n\n[[journey]]\nname = \"b\"\n[[journey.node]]\nid = \"y\"\ntype = \"exit\"\n\n[experiment]\narms = [\"a\", \"b\"]\n";
    check(
        exits,
        &[
            (K::MissingField, 1, 1, "simulation.name"),
            (K::Trigger, 1, 1, "journey[0]"),
            (K::Trigger, 7, 1, "journey[1]"),
        ],
    );
}

#[test]
fn the_verdicts_primary_metric_defaults_to_net_margin_and_an_unknown_one_names_the_allowed_ids() {
    let default = read(BASE).expect("valid");
    assert_eq!(default.verdict.primary_metric, "net_margin_per_user");
    let chosen = read(&format!("{BASE}\n[verdict]\nprimary_metric = \"opt_out_rate\"\n")).expect("valid");
    assert_eq!(chosen.verdict.primary_metric, "opt_out_rate");
    let unknown = format!("{BASE}\n[verdict]\nprimary_metric = \"retention_d3\"\n");
    check(&unknown, &[(K::UnknownValue, 18, 18, "verdict.primary_metric")]);
    let d = &read(&unknown).expect_err("unknown")[0];
    assert!(d.message.contains("\"retention_d3\"") && d.message.contains("primary_metric"), "{d}");
    assert!(d.hint.starts_with("did you mean `retention_d30`?"), "{d}");
    assert!(d.hint.contains("`net_margin_per_user`") && d.hint.contains("`uninstall_rate`"), "the allowed ids: {d}");
    let typo = format!("{BASE}\n[verdict]\nprimary = \"retention_d30\"\n");
    check(&typo, &[(K::UnknownKey, 18, 1, "verdict.primary")]);
}
