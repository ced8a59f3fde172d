//! The canvas's flow counts: users are conserved along the journey graph and
//! every per-node count is consistent with the journey's totals.

mod common;

use common::{load, run_with};
use journeylab::api::RunConfig;
use journeylab::api::scenario::NodeKind;

#[test]
fn flow_along_edges_adds_up_to_arrivals() {
    for name in ["cart_abandonment.toml", "churn_prevention.toml", "send_time.toml", "discount_spiral.toml"] {
        let scenario = load(name);
        let results = run_with(&scenario, RunConfig { users: Some(3_000), days: Some(45), ..RunConfig::default() });
        for (journey, design) in results.journeys.iter().zip(&scenario.journeys) {
            let context = format!("{name} / {}", journey.name);
            for (n, (flow, node)) in journey.nodes.iter().zip(design.nodes()).enumerate() {
                // Every arrival at a node other than the trigger came along exactly one edge.
                let inflow: u64 =
                    journey.nodes.iter().flat_map(|f| &f.edges).filter(|e| e.to == flow.node).map(|e| e.moved).sum();
                if n == design.entry() {
                    assert_eq!(inflow, 0, "{context}: nothing flows back into the trigger");
                    assert!(
                        flow.entered >= journey.summary.entered,
                        "{context}: every entering user passes the trigger"
                    );
                } else {
                    assert_eq!(flow.entered, inflow, "{context} / {}", flow.node);
                }
                // A node is left at most as often as it is reached.
                let outflow: u64 = flow.edges.iter().map(|e| e.moved).sum();
                assert!(outflow <= flow.entered, "{context} / {}: {outflow} out of {}", flow.node, flow.entered);
                let slots: Vec<&str> = flow.edges.iter().map(|e| e.slot.as_str()).collect();
                let expected: &[&str] = match node.kind {
                    NodeKind::Branch { .. } => &["yes", "no"],
                    NodeKind::Exit { .. } => &[],
                    _ => &["next"],
                };
                assert_eq!(slots, expected, "{context}");
                assert!(flow.converted <= flow.entered, "{context}: conversions are counted once per arrival");
                if !matches!(node.kind, NodeKind::Message { .. }) {
                    assert_eq!((flow.sent, flow.opted_out), (0, 0), "{context}: only messages send");
                }
            }
            // Opt-outs by node are the journey's opt-outs by channel.
            let by_node: u64 = journey.nodes.iter().map(|f| f.opted_out).sum();
            let by_channel: u64 = journey.channels.iter().map(|c| c.opt_outs).sum();
            assert_eq!(by_node, by_channel, "{context}");
        }
    }
}

#[test]
fn a_branch_splits_its_users_between_yes_and_no() {
    let scenario = load("churn_prevention.toml");
    let results = run_with(&scenario, RunConfig { users: Some(3_000), days: Some(45), ..RunConfig::default() });
    let branches: Vec<_> = results
        .journeys
        .iter()
        .zip(&scenario.journeys)
        .flat_map(|(r, d)| r.nodes.iter().zip(d.nodes()))
        .filter(|(_, node)| matches!(node.kind, NodeKind::Branch { .. }))
        .map(|(flow, _)| flow)
        .collect();
    assert!(!branches.is_empty(), "the scenario has a branch");
    assert!(branches.iter().any(|b| b.edges.iter().all(|e| e.moved > 0)), "both ways taken: {branches:#?}");
}
