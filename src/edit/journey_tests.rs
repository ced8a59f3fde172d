use super::*;
use crate::edit::journey_graph;
use crate::scenario::{
    Cap, Channel, Content, DiagnosticKind, Hold, Journey, NodeKind, QuietHours, Scenario, Wait, read,
};

const TEXT: &str = r#"# Lesson: a reminder
[simulation]
name = "t"   # the name
users = 100

[[journey]]
name = "reminder"
# policies come first
[journey.policies]
caps.push = { per_week = 3 }   # three a week

[[journey.node]]
id = "start"
type = "trigger"
event = "cart_abandoned"
next = "wait"   # then wait

[[journey.node]]
id = "wait"
type = "wait"
hours = 4
next = "remind"

# The message
[[journey.node]]
id = "remind"
type = "message"
content = "reminder"
channels = ["push", "email"]
next = "done"

[[journey.node]]
id = "done"
type = "exit"

[[journey]]
name = "second"

[[journey.node]]
id = "s"
type = "trigger"
event = "signup"
next = "e"

[[journey.node]]
id = "e"
type = "exit"
"#;

fn edit(text: &str, journey: usize, op: JourneyEdit) -> String {
    apply(text, journey, &op).unwrap_or_else(|e| panic!("{op:?}: {e}"))
}

fn valid(text: &str) -> Scenario {
    read(text).unwrap_or_else(|d| panic!("{d:#?}\n{text}"))
}

fn node<'a>(journey: &'a Journey, id: &str) -> &'a crate::scenario::Node {
    journey.nodes().iter().find(|n| n.name == id).unwrap_or_else(|| panic!("no node {id}"))
}

fn index(journey: &Journey, id: &str) -> usize {
    journey.nodes().iter().position(|n| n.name == id).unwrap_or_else(|| panic!("no node {id}"))
}

fn s(text: &str) -> String {
    text.to_owned()
}

/// `out` is `TEXT` with exactly `removed` taken out and `added` put in its place.
fn only_changed(out: &str, removed: &str, added: &str) {
    assert_eq!(TEXT.matches(removed).count(), 1, "{removed:?} must be unique in TEXT");
    assert_eq!(out, TEXT.replacen(removed, added, 1), "unrelated text must survive byte for byte");
}

#[test]
fn the_example_reads() {
    let scenario = valid(TEXT);
    assert_eq!(scenario.journeys.len(), 2);
}

#[test]
fn add_then_connect_builds_a_valid_journey() {
    let add = JourneyEdit::AddNode { kind: NodeType::Message, position: Some((600.4, 199.6)) };
    let added = edit(TEXT, 0, add);
    let block = "\n[[journey.node]]\nid = \"message_1\"\ntype = \"message\"\ncontent = \"reminder\"\nchannels = [\"push\", \"email\"]\nposition = [600, 200]\n";
    only_changed(&added, "type = \"exit\"\n\n[[journey]]", &format!("type = \"exit\"\n{block}\n[[journey]]"));
    // Not connected yet: the new node is reported, on its own path.
    let problems = read(&added).expect_err("an unconnected node is a problem");
    assert!(problems.iter().all(|d| d.path.starts_with("journey[0].node[4]")), "{problems:#?}");
    assert!(problems.iter().any(|d| d.kind == DiagnosticKind::MissingField && d.path == "journey[0].node[4].next"));

    let linked = edit(&added, 0, JourneyEdit::Connect { from: s("remind"), slot: Slot::Next, to: s("message_1") });
    let linked = edit(&linked, 0, JourneyEdit::Connect { from: s("message_1"), slot: Slot::Next, to: s("done") });
    let journey = &valid(&linked).journeys[0];
    let new = node(journey, "message_1");
    assert_eq!(new.position, Some((600.0, 200.0)));
    assert!(matches!(&new.kind, NodeKind::Message { content: Content::Reminder, channels, next, .. }
        if channels == &[Channel::Push, Channel::Email] && *next == index(journey, "done")));
    assert!(
        matches!(node(journey, "remind").kind, NodeKind::Message { next, .. } if next == index(journey, "message_1"))
    );
    assert!(linked.contains("# The message\n[[journey.node]]\nid = \"remind\""), "comments stay: {linked}");
}

#[test]
fn new_ids_are_unique_per_kind() {
    let one = edit(TEXT, 0, JourneyEdit::AddNode { kind: NodeType::Wait, position: None });
    let two = edit(&one, 0, JourneyEdit::AddNode { kind: NodeType::Wait, position: None });
    assert!(two.contains("id = \"wait_1\"") && two.contains("id = \"wait_2\""), "{two}");
    assert!(!two.contains("position"), "no position until the user moves the node");
    for kind in NodeType::ALL {
        let out = edit(TEXT, 1, JourneyEdit::AddNode { kind, position: None });
        let problems = read(&out).expect_err("unconnected");
        // Only structure is missing: every default setting is valid.
        assert!(
            problems.iter().all(|d| matches!(
                d.kind,
                DiagnosticKind::MissingField | DiagnosticKind::UnreachableNode | DiagnosticKind::Trigger
            ) && (d.kind != DiagnosticKind::MissingField
                || d.path.ends_with(".next")
                || d.path.ends_with(".yes")
                || d.path.ends_with(".no"))),
            "{kind:?}: {problems:#?}"
        );
    }
}

#[test]
fn move_writes_the_position_in_place() {
    let moved = edit(TEXT, 0, JourneyEdit::Move { node: s("wait"), x: 10.0, y: -20.2 });
    only_changed(&moved, "next = \"remind\"\n", "next = \"remind\"\nposition = [10, -20]\n");
    let again = edit(&moved, 0, JourneyEdit::Move { node: s("wait"), x: 30.0, y: 40.0 });
    assert_eq!(again, moved.replace("position = [10, -20]", "position = [30, 40]"));
    assert_eq!(node(&valid(&again).journeys[0], "wait").position, Some((30.0, 40.0)));
}

#[test]
fn delete_drops_the_node_and_references_to_it() {
    let out = edit(TEXT, 0, JourneyEdit::Delete { node: s("remind") });
    let block = "\n# The message\n[[journey.node]]\nid = \"remind\"\ntype = \"message\"\ncontent = \"reminder\"\nchannels = [\"push\", \"email\"]\nnext = \"done\"\n";
    assert_eq!(out, TEXT.replacen(block, "", 1).replacen("next = \"remind\"\n", "", 1));
    let problems = read(&out).expect_err("wait has lost its next");
    assert!(problems.iter().any(|d| d.path == "journey[0].node[1].next"), "{problems:#?}");
    // Reconnect: valid again, with one node fewer.
    let fixed = edit(&out, 0, JourneyEdit::Connect { from: s("wait"), slot: Slot::Next, to: s("done") });
    assert_eq!(valid(&fixed).journeys[0].nodes().len(), 3);
}

#[test]
fn disconnect_removes_only_that_key() {
    let out = edit(TEXT, 0, JourneyEdit::Disconnect { from: s("start"), slot: Slot::Next });
    only_changed(&out, "next = \"wait\"   # then wait\n", "");
}

#[test]
fn connect_replaces_a_target_keeping_its_comment() {
    let out = edit(TEXT, 0, JourneyEdit::Connect { from: s("start"), slot: Slot::Next, to: s("remind") });
    only_changed(&out, "next = \"wait\"   # then wait", "next = \"remind\"   # then wait");
}

#[test]
fn node_settings_switch_forms_with_valid_defaults() {
    let set = |text: &str, node: &str, key: &str, value: Option<&str>| {
        edit(text, 0, JourneyEdit::SetNode { node: s(node), key: s(key), value: value.map(s) })
    };
    let out = set(TEXT, "wait", "hours", Some("8"));
    only_changed(&out, "hours = 4", "hours = 8");
    let out = set(TEXT, "wait", "until", Some("next_active"));
    assert!(matches!(
        node(&valid(&out).journeys[0], "wait").kind,
        NodeKind::Wait { wait: Wait::NextActive { max_hours: 72 }, .. }
    ));
    let out = set(TEXT, "remind", "content", Some("discount"));
    assert!(matches!(
        node(&valid(&out).journeys[0], "remind").kind,
        NodeKind::Message { content: Content::Discount { depth: 0.2, valid_hours: 48 }, .. }
    ));
    let back = set(&out, "remind", "content", Some("value"));
    assert!(!back.contains("depth"), "{back}");
    let out = set(TEXT, "remind", "channels", Some("[\"sms\"]"));
    only_changed(&out, "channels = [\"push\", \"email\"]", "channels = [\"sms\"]");
    let out = set(TEXT, "start", "event", Some("inactive"));
    assert!(valid(&out).journeys[0].trigger() == crate::scenario::Trigger::Inactive { days: 7 });
    let out = set(TEXT, "done", "goal", Some("purchase"));
    only_changed(&out, "type = \"exit\"\n\n[[journey]]", "type = \"exit\"\ngoal = \"purchase\"\n\n[[journey]]");
    // A wrong value lands in the text and is reported at the field, like any edit.
    let out = set(TEXT, "wait", "hours", Some("soon"));
    assert!(read(&out).expect_err("bad").iter().any(|d| d.path == "journey[0].node[1].hours"));
}

#[test]
fn policies_are_set_added_and_removed_in_place() {
    let policy = |text: &str, journey, key: &str, value: Option<&str>| {
        edit(text, journey, JourneyEdit::SetPolicy { key: s(key), value: value.map(s) })
    };
    let out = policy(TEXT, 0, "caps.push.per_week", Some("5"));
    only_changed(&out, "per_week = 3 }   # three", "per_week = 5 }   # three");
    let out = policy(TEXT, 0, "caps.email.per_day", Some("1"));
    only_changed(&out, "# three a week\n", "# three a week\ncaps.email = { per_day = 1 }\n");
    let out = policy(&out, 0, "quiet_hours", Some("{ start = 21, end = 8 }"));
    let policies = &valid(&out).journeys[0].policies;
    assert_eq!(
        policies.caps[Channel::Email.index()],
        Some(Cap { per_day: Some(1), per_week: None, min_gap_hours: None })
    );
    assert_eq!(policies.quiet_hours, Some(QuietHours { start: 21, end: 8, action: Hold::Defer }));
    let out = policy(&out, 0, "quiet_hours.action", Some("drop"));
    assert_eq!(valid(&out).journeys[0].policies.quiet_hours.map(|q| q.action), Some(Hold::Drop));
    // Removing the last value of a cap removes the cap.
    let out = policy(TEXT, 0, "caps.push.per_week", None);
    only_changed(&out, "caps.push = { per_week = 3 }   # three a week\n", "");
    // A journey without policies gets its table, before its nodes.
    let out = policy(TEXT, 1, "on_cap", Some("defer"));
    only_changed(&out, "name = \"second\"\n", "name = \"second\"\n\n[journey.policies]\non_cap = \"defer\"\n");
    assert_eq!(valid(&out).journeys[1].policies.on_cap, Hold::Defer);
}

#[test]
fn bad_targets_are_typed_errors() {
    let err = |journey, op: JourneyEdit| apply(TEXT, journey, &op).expect_err("must fail");
    assert_eq!(err(2, JourneyEdit::Delete { node: s("wait") }), EditError::NoJourney(2));
    assert_eq!(
        err(0, JourneyEdit::Move { node: s("nope"), x: 0.0, y: 0.0 }),
        EditError::NoNode { journey: 0, id: s("nope") }
    );
    assert_eq!(
        err(0, JourneyEdit::Connect { from: s("wait"), slot: Slot::Next, to: s("nope") }),
        EditError::NoNode { journey: 0, id: s("nope") }
    );
    assert_eq!(
        err(0, JourneyEdit::Connect { from: s("done"), slot: Slot::Next, to: s("wait") }),
        EditError::NoSlot { kind: s("exit"), slot: "next" }
    );
    assert_eq!(
        err(0, JourneyEdit::Disconnect { from: s("remind"), slot: Slot::Yes }),
        EditError::NoSlot { kind: s("message"), slot: "yes" }
    );
    assert_eq!(
        err(0, JourneyEdit::SetNode { node: s("wait"), key: s("next"), value: None }),
        EditError::Reserved(s("next"))
    );
    assert!(matches!(apply("[a", 0, &JourneyEdit::Delete { node: s("x") }), Err(EditError::Syntax(_))));
}

#[test]
fn the_graph_has_nodes_edges_summaries_and_diagnostics() {
    let text = edit(TEXT, 0, JourneyEdit::AddNode { kind: NodeType::Branch, position: None });
    let text = edit(&text, 0, JourneyEdit::Connect { from: s("branch_1"), slot: Slot::Yes, to: s("done") });
    let graph = journey_graph(&text, 0).expect("graph");
    assert_eq!(graph.journeys, [s("reminder"), s("second")]);
    let summary: Vec<(&str, &str, &str)> =
        graph.nodes.iter().map(|n| (n.id.as_str(), n.kind.as_str(), n.summary.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("start", "trigger", "When a cart is abandoned"),
            ("wait", "wait", "Wait 4 h"),
            ("remind", "message", "Reminder · Push, Email · first reachable channel"),
            ("done", "exit", "End of the journey"),
            ("branch_1", "branch", "Opened the last message?"),
        ]
    );
    let edges: Vec<(&str, &str, &str)> =
        graph.edges.iter().map(|e| (e.from.as_str(), e.to.as_str(), e.label.as_str())).collect();
    assert_eq!(
        edges,
        [("start", "wait", ""), ("wait", "remind", ""), ("remind", "done", ""), ("branch_1", "done", "yes")]
    );
    let branch = &graph.nodes[4];
    assert!(branch.diagnostics.iter().any(|d| d.path == "journey[0].node[4].no"), "{:#?}", branch.diagnostics);
    // Once every reference resolves, the validator can tell the branch is never reached.
    let complete = edit(&text, 0, JourneyEdit::Connect { from: s("branch_1"), slot: Slot::No, to: s("done") });
    let unreached = &journey_graph(&complete, 0).expect("graph").nodes[4].diagnostics;
    assert!(unreached.iter().any(|d| d.kind == DiagnosticKind::UnreachableNode), "{unreached:#?}");
    assert!(graph.nodes[..4].iter().all(|n| n.diagnostics.is_empty() && !n.placed));
    assert_eq!(
        graph.policies.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        ["journey[0].policies.caps.push.per_week"]
    );
    for (i, a) in graph.nodes.iter().enumerate() {
        for b in &graph.nodes[i + 1..] {
            assert!(!crate::edit::layout::overlaps(a.position, b.position), "{} and {} overlap", a.id, b.id);
        }
    }
    // Auto-layout is shown, never written: the text is unchanged by drawing it.
    assert!(!text.contains("position"));
    assert_eq!(journey_graph(&text, 0).expect("graph"), graph);
    assert_eq!(journey_graph(&text, 7), Err(EditError::NoJourney(7)));
}

/// `text` with both journeys starting on an abandoned cart, so they can be an experiment's arms.
fn same_trigger(text: &str) -> String {
    text.replace("event = \"signup\"", "event = \"cart_abandoned\"")
}

#[test]
fn rename_node_moves_every_reference() {
    let out = edit(TEXT, 0, JourneyEdit::RenameNode { node: s("wait"), to: s(" wait_4h ") });
    let journey = &valid(&out).journeys[0];
    let wait = index(journey, "wait_4h");
    assert!(matches!(node(journey, "start").kind, NodeKind::Trigger { next, .. } if next == wait));
    assert!(out.contains("next = \"wait_4h\"   # then wait"), "the comment stays: {out}");
    assert_eq!(journey.nodes().len(), 4);
    // The other journey's nodes are not touched.
    assert_eq!(valid(&out).journeys[1].nodes().len(), 2);
    let unchanged = edit(TEXT, 0, JourneyEdit::RenameNode { node: s("wait"), to: s("wait") });
    assert_eq!(unchanged, TEXT);
}

#[test]
fn rename_node_refuses_empty_and_taken_ids() {
    let taken = apply(TEXT, 0, &JourneyEdit::RenameNode { node: s("wait"), to: s("remind") });
    assert_eq!(taken, Err(EditError::Taken { what: "node", name: s("remind") }));
    assert!(taken.expect_err("taken").to_string().contains("already a node named \"remind\""));
    // Ids are per journey: the other journey's `s` is free here.
    valid(&edit(TEXT, 0, JourneyEdit::RenameNode { node: s("wait"), to: s("s") }));
    let empty = apply(TEXT, 0, &JourneyEdit::RenameNode { node: s("wait"), to: s("  ") });
    assert_eq!(empty, Err(EditError::EmptyName("node id")));
    let missing = apply(TEXT, 0, &JourneyEdit::RenameNode { node: s("nope"), to: s("x") });
    assert_eq!(missing, Err(EditError::NoNode { journey: 0, id: s("nope") }));
}

#[test]
fn add_journey_appends_a_valid_journey_with_a_free_name() {
    let one = edit(TEXT, 0, JourneyEdit::AddJourney { name: None });
    assert!(one.starts_with(TEXT), "the new journey comes after everything there was");
    let two = edit(&one, 5, JourneyEdit::AddJourney { name: None });
    let scenario = valid(&two);
    let names: Vec<&str> = scenario.journeys.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, ["reminder", "second", "new journey", "new journey 2"]);
    assert_eq!(scenario.journeys[3].nodes().len(), 2);
    let named = edit(TEXT, 0, JourneyEdit::AddJourney { name: Some(s("onboarding \"B\"")) });
    assert_eq!(valid(&named).journeys[2].name, "onboarding \"B\"");
    let taken = apply(TEXT, 0, &JourneyEdit::AddJourney { name: Some(s("second")) });
    assert_eq!(taken, Err(EditError::Taken { what: "journey", name: s("second") }));
    // A scenario without journeys gets its first one.
    let bare = "[simulation]\nname = \"t\"\nusers = 100\n";
    let first = edit(bare, 0, JourneyEdit::AddJourney { name: None });
    assert_eq!(valid(&first).journeys.len(), 1);
}

#[test]
fn duplicate_copies_nodes_policies_and_positions_before_later_sections() {
    let placed = edit(TEXT, 0, JourneyEdit::Move { node: s("wait"), x: 120.0, y: 240.0 });
    let text = format!("{}\n[experiment]\narms = [\"reminder\", \"second\"]\n", same_trigger(&placed));
    let out = edit(&text, 0, JourneyEdit::DuplicateJourney { name: None });
    assert!(out.starts_with(&same_trigger(&placed)), "the original text is kept: {out}");
    assert!(
        out.trim_end().ends_with("[experiment]\narms = [\"reminder\", \"second\"]"),
        "the copy is written before [experiment]: {out}"
    );
    let scenario = valid(&out);
    assert_eq!(scenario.journeys.len(), 3);
    let (original, copy) = (&scenario.journeys[0], &scenario.journeys[2]);
    assert_eq!(copy.name, "reminder copy");
    assert_eq!(copy.nodes(), original.nodes());
    assert_eq!(copy.policies, original.policies);
    assert_eq!(node(copy, "wait").position, Some((120.0, 240.0)));
    let again = edit(&out, 0, JourneyEdit::DuplicateJourney { name: None });
    assert_eq!(valid(&again).journeys[3].name, "reminder copy 2");
    let named = edit(TEXT, 1, JourneyEdit::DuplicateJourney { name: Some(s("variant B")) });
    assert_eq!(valid(&named).journeys[2].name, "variant B");
    assert_eq!(apply(TEXT, 7, &JourneyEdit::DuplicateJourney { name: None }), Err(EditError::NoJourney(7)));
}

#[test]
fn rename_journey_keeps_names_unique_and_the_experiment_arms_in_step() {
    let text = format!("{}\n[experiment]\narms = [\"reminder\", \"second\"]  # A then B\n", same_trigger(TEXT));
    let out = edit(&text, 0, JourneyEdit::RenameJourney { name: s("  reminder v2 ") });
    assert!(out.contains("name = \"reminder v2\"\n# policies come first"), "{out}");
    assert!(out.contains("arms = [\"reminder v2\", \"second\"]  # A then B"), "{out}");
    let scenario = valid(&out);
    assert_eq!(scenario.journeys[0].name, "reminder v2");
    assert!(scenario.experiment.is_some());
    let taken = apply(&text, 0, &JourneyEdit::RenameJourney { name: s("second") });
    assert_eq!(taken, Err(EditError::Taken { what: "journey", name: s("second") }));
    assert_eq!(apply(&text, 0, &JourneyEdit::RenameJourney { name: s("") }), Err(EditError::EmptyName("journey name")));
    assert_eq!(edit(&text, 0, JourneyEdit::RenameJourney { name: s("reminder") }), text);
}

#[test]
fn delete_journey_removes_it_but_never_the_last_nor_an_arm() {
    let out = edit(TEXT, 0, JourneyEdit::DeleteJourney);
    let scenario = valid(&out);
    assert_eq!(scenario.journeys.len(), 1);
    assert_eq!(scenario.journeys[0].name, "second");
    assert!(out.starts_with("# Lesson: a reminder\n[simulation]"), "{out}");
    assert_eq!(apply(&out, 0, &JourneyEdit::DeleteJourney), Err(EditError::LastJourney));
    let text = format!("{}\n[experiment]\narms = [\"reminder\", \"second\"]\n", same_trigger(TEXT));
    let arm = apply(&text, 1, &JourneyEdit::DeleteJourney);
    assert_eq!(arm, Err(EditError::ExperimentArm(s("second"))));
    let with_third = edit(&text, 0, JourneyEdit::AddJourney { name: None });
    let back = edit(&with_third, 2, JourneyEdit::DeleteJourney);
    valid(&back);
    assert_eq!(back, text, "adding then deleting a journey leaves the text as it was");
}

/// The canvas's side panels offer every node setting's choices, also where no node sets it (the
/// message here has no `delivery`, no trigger a `clock`), in the words a field of that key gets on
/// that node type in the form.
#[test]
fn the_graph_serves_every_node_settings_choices_in_the_forms_words() {
    use crate::scenario::definitions::{Input, describe};
    let graph = journey_graph(TEXT, 0).expect("graph");
    let set = |pattern: &str| graph.choice_sets.iter().find(|s| s.pattern == pattern);
    let written = |key: &str| graph.nodes.iter().flat_map(|n| &n.fields).any(|f| f.label == key);
    assert!(!written("delivery") && !written("clock") && !written("score"), "the journey leaves them out");
    let mut served = std::collections::BTreeSet::new();
    for kind in NodeType::ALL {
        for key in crate::scenario::grammar::NODE_KEYS {
            let Some(d) = describe(&format!("journey[0].node[0].{key}"), Some(kind.name())) else { continue };
            let (Input::Select(choices) | Input::Multi(choices)) = d.input else { continue };
            let Some(set) = set(&format!("journey.node.{key}")) else {
                panic!("`{key}` on a {} node has choices but the graph serves none", kind.name())
            };
            assert_eq!(set.title, d.label, "{key}");
            let pairs: Vec<(&str, &str)> = set.choices.iter().map(|c| (c.value.as_str(), c.label.as_str())).collect();
            assert_eq!(pairs, choices.iter().map(|c| (c.value, c.label)).collect::<Vec<_>>(), "{key}");
            served.insert(key);
        }
    }
    let menus = ["channels", "clock", "content", "delivery", "event", "if", "score", "type", "until"];
    assert_eq!(served.into_iter().collect::<Vec<_>>(), menus, "the node settings with choices");
    for pattern in ["journey.policies.on_cap", "journey.policies.quiet_hours.action"] {
        let path = pattern.replace("journey.", "journey[0].");
        let d = describe(&path, None).expect("defined");
        let set = set(pattern).unwrap_or_else(|| panic!("{pattern} is not served"));
        assert_eq!((set.title.as_str(), set.choices.len()), (d.label.as_str(), 2), "{pattern}");
    }
    let delivery = set("journey.node.delivery").expect("served");
    assert_eq!(delivery.choices[0].label, "first reachable channel", "the summary's words: {delivery:?}");
}
