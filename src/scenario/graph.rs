//! A journey's nodes as read, with references still by name → the validated
//! graph: unique ids, exactly one trigger, no dangling reference, no loop
//! without a wait, every node reachable from the trigger.

use std::ops::Range;

use super::fields::{Ctx, Named, report_duplicates, suggest};
use super::{DiagnosticKind, Node, NodeId, NodeKind};

/// One `[[journey.node]]` before its references are resolved.
pub(super) struct RawNode<'a> {
    pub(super) id: Option<Named<'a>>,
    /// The node's table (its `[[journey.node]]` header).
    pub(super) span: Range<usize>,
    pub(super) path: String,
    /// None when a field is missing or invalid (already reported).
    pub(super) kind: Option<NodeKind>,
    /// Whether the type is known: then `targets` holds every reference of the node.
    pub(super) typed: bool,
    pub(super) is_trigger: bool,
    /// Where `type` is written, for a second trigger.
    pub(super) type_span: Range<usize>,
    /// The names written for the node's references, in [`targets_mut`] order
    /// (`next`, or `yes` then `no`); None where missing or mistyped (already reported).
    pub(super) targets: Vec<Option<Named<'a>>>,
    pub(super) position: Option<(f64, f64)>,
}

/// The references of a node kind, in file-reading order: `next`, or `yes` then `no`.
pub(super) fn targets_mut(kind: &mut NodeKind) -> Vec<&mut NodeId> {
    match kind {
        NodeKind::Trigger { next, .. } | NodeKind::Wait { next, .. } | NodeKind::Message { next, .. } => vec![next],
        NodeKind::Branch { yes, no, .. } => vec![yes, no],
        NodeKind::Exit { .. } => Vec::new(),
    }
}

/// Resolves references and checks the graph; returns the nodes in file order.
/// `journey_span` is where a missing trigger is reported.
pub(super) fn build(ctx: &mut Ctx, journey_span: &Range<usize>, journey_path: &str, raw: Vec<RawNode>) -> Vec<Node> {
    let ids: Vec<Named> = raw.iter().filter_map(|n| n.id.clone()).collect();
    report_duplicates(ctx, &ids, "node");
    let index_of = |name: &str| raw.iter().position(|n| n.id.as_ref().is_some_and(|id| id.name == name));

    let triggers: Vec<usize> = raw.iter().enumerate().filter(|(_, n)| n.is_trigger).map(|(i, _)| i).collect();
    let all_typed = raw.iter().all(|n| n.typed);
    if triggers.is_empty() && all_typed {
        let hint = "add a [[journey.node]] with type = \"trigger\" and an event, e.g. event = \"signup\"";
        ctx.report(DiagnosticKind::Trigger, journey_span, journey_path, "the journey has no trigger node", hint);
    }
    for &extra in triggers.iter().skip(1) {
        let hint = "a journey starts from exactly one trigger: split it into two journeys";
        let path = format!("{}.type", raw[extra].path);
        ctx.report(DiagnosticKind::Trigger, &raw[extra].type_span, &path, "a second trigger node", hint);
    }
    let entry = triggers.first().copied();

    // Every reference resolved: the reachability check is meaningful only then.
    let mut complete = all_typed;
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); raw.len()];
    let mut nodes = Vec::with_capacity(raw.len());
    for (i, n) in raw.iter().enumerate() {
        let mut resolved = Vec::with_capacity(n.targets.len());
        for target in &n.targets {
            let Some(target) = target else {
                complete = false;
                continue;
            };
            let key = target.path.rsplit('.').next().unwrap_or("next");
            match index_of(target.name) {
                Some(t) if Some(t) == entry => {
                    let message = format!("`{key}` points back to the trigger \"{}\"", target.name);
                    let hint = "users enter through the trigger only; loop to a node after it, through a wait";
                    ctx.report(DiagnosticKind::DanglingReference, &target.span, &target.path, message, hint);
                }
                Some(t) => {
                    resolved.push(t);
                    edges[i].push(t);
                }
                None => {
                    complete = false;
                    let message = format!("`{key}` names node \"{}\", which does not exist", target.name);
                    let hint = suggest(target.name, ids.iter().map(|id| id.name));
                    ctx.report(DiagnosticKind::DanglingReference, &target.span, &target.path, message, hint);
                }
            }
        }
        // An invalid node (already reported) becomes an exit so that the graph checks can run.
        let mut kind = n.kind.clone().unwrap_or(NodeKind::Exit { goal: None });
        for (slot, t) in targets_mut(&mut kind).into_iter().zip(resolved) {
            *slot = t;
        }
        let name = n.id.as_ref().map_or(String::new(), |id| id.name.to_owned());
        nodes.push(Node { name, kind, position: n.position });
    }

    if let (Some(entry), true) = (entry, complete) {
        report_unreachable(ctx, &raw, &edges, entry);
    }
    report_loops_without_wait(ctx, &raw, &nodes, &edges);
    nodes
}

fn report_unreachable(ctx: &mut Ctx, raw: &[RawNode], edges: &[Vec<usize>], entry: usize) {
    let mut seen = vec![false; raw.len()];
    let mut stack = vec![entry];
    seen[entry] = true;
    while let Some(u) = stack.pop() {
        for &v in &edges[u] {
            if !seen[v] {
                seen[v] = true;
                stack.push(v);
            }
        }
    }
    let trigger = raw[entry].id.as_ref().map_or("", |id| id.name);
    for (n, _) in raw.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        let name = n.id.as_ref().map_or("", |id| id.name);
        let message = format!("node \"{name}\" is never reached from the trigger \"{trigger}\"");
        let hint = "point a `next`, `yes` or `no` at it, or remove it";
        ctx.report(DiagnosticKind::UnreachableNode, &n.span, &n.path, message, hint);
    }
}

/// A loop whose nodes are all instantaneous would spin forever at one instant.
/// Nodes u and v share such a loop when each reaches the other through
/// non-wait nodes only; each loop is reported once, at its first node.
fn report_loops_without_wait(ctx: &mut Ctx, raw: &[RawNode], nodes: &[Node], edges: &[Vec<usize>]) {
    let instant: Vec<bool> = nodes.iter().map(|n| !matches!(n.kind, NodeKind::Wait { .. })).collect();
    // reach[u]: nodes reachable from u in one or more steps through instant nodes.
    let reach: Vec<Vec<bool>> = (0..nodes.len())
        .map(|u| {
            let mut seen = vec![false; nodes.len()];
            let mut stack: Vec<usize> = if instant[u] { edges[u].clone() } else { Vec::new() };
            while let Some(v) = stack.pop() {
                if instant[v] && !seen[v] {
                    seen[v] = true;
                    stack.extend(&edges[v]);
                }
            }
            seen
        })
        .collect();
    let mut reported = vec![false; nodes.len()];
    for u in 0..nodes.len() {
        if reported[u] || !reach[u][u] {
            continue;
        }
        let members: Vec<usize> = (u..nodes.len()).filter(|&v| reach[u][v] && reach[v][u]).collect();
        for &v in &members {
            reported[v] = true;
        }
        let names: Vec<String> = members.iter().map(|&v| format!("\"{}\"", nodes[v].name)).collect();
        let message = format!("nodes {} form a loop with no wait node", names.join(" → "));
        let hint = "put a wait node in the loop, so users do not cycle at one instant";
        ctx.report(DiagnosticKind::CycleWithoutWait, &raw[u].span, &raw[u].path, message, hint);
    }
}
