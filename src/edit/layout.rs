//! A deterministic layered layout for nodes the file gives no position,
//! top to bottom like a journey is read: layers by breadth-first depth from
//! the trigger (then from any node not yet placed, in file order), nodes of a
//! layer side by side in visit order and centred, nudged right past any box
//! already taken. Positions are only shown; the file changes when the user
//! moves a node.

/// The box a node card occupies on the canvas, in canvas units.
pub const NODE_WIDTH: f64 = 240.0;
pub const NODE_HEIGHT: f64 = 130.0;
/// Distance between the tops of two layers and the left edges of two neighbours.
const LAYER: f64 = NODE_HEIGHT + 50.0;
const SLOT: f64 = NODE_WIDTH + 40.0;

/// One node as the layout sees it.
pub(super) struct Place {
    pub(super) stored: Option<(f64, f64)>,
    /// Indices of the nodes it connects to, in slot order.
    pub(super) targets: Vec<usize>,
    pub(super) is_trigger: bool,
}

/// A position for every node: the stored one, or a free slot of the layered layout.
pub(super) fn layout(nodes: &[Place]) -> Vec<(f64, f64)> {
    let n = nodes.len();
    let mut layer: Vec<Option<usize>> = vec![None; n];
    let mut order = Vec::with_capacity(n);
    let roots = (0..n).filter(|&i| nodes[i].is_trigger).chain(0..n);
    for root in roots {
        if layer[root].is_some() {
            continue;
        }
        layer[root] = Some(0);
        let mut queue = std::collections::VecDeque::from([root]);
        while let Some(u) = queue.pop_front() {
            order.push(u);
            let next = layer[u].map_or(0, |l| l + 1);
            for &v in &nodes[u].targets {
                if v < n && layer[v].is_none() {
                    layer[v] = Some(next);
                    queue.push_back(v);
                }
            }
        }
    }
    let layers = layer.iter().flatten().max().map_or(0, |l| l + 1);
    let mut width = vec![0usize; layers];
    for u in (0..n).filter(|&u| nodes[u].stored.is_none()) {
        width[layer[u].unwrap_or(0)] += 1;
    }
    let mut taken: Vec<(f64, f64)> = nodes.iter().filter_map(|p| p.stored).collect();
    let mut placed = vec![0usize; layers];
    let mut out: Vec<(f64, f64)> = nodes.iter().map(|p| p.stored.unwrap_or_default()).collect();
    for u in order {
        if nodes[u].stored.is_some() {
            continue;
        }
        let l = layer[u].unwrap_or(0);
        let y = l as f64 * LAYER;
        let mut x = (placed[l] as f64 - (width[l] as f64 - 1.0) / 2.0) * SLOT;
        while taken.iter().any(|&other| overlaps((x, y), other)) {
            x += SLOT;
        }
        placed[l] += 1;
        taken.push((x, y));
        out[u] = (x, y);
    }
    out
}

/// Whether two node boxes with these top-left corners intersect.
pub(super) fn overlaps(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() < NODE_WIDTH && (a.1 - b.1).abs() < NODE_HEIGHT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(targets: &[usize], is_trigger: bool) -> Place {
        Place { stored: None, targets: targets.to_vec(), is_trigger }
    }

    fn assert_no_overlaps(at: &[(f64, f64)]) {
        for (i, a) in at.iter().enumerate() {
            for b in &at[i + 1..] {
                assert!(!overlaps(*a, *b), "{a:?} and {b:?} overlap in {at:?}");
            }
        }
    }

    #[test]
    fn layers_follow_the_graph_from_the_trigger() {
        // exit(0) ← branch(2) ← trigger(1); branch → 3 (wait) → 0; 4 unreachable.
        let nodes = [place(&[], false), place(&[2], true), place(&[0, 3], false), place(&[0], false), place(&[], false)];
        let at = layout(&nodes);
        assert_eq!(at[1].1, 0.0, "the trigger starts the first layer");
        assert_eq!(at[2], (0.0, LAYER), "a lone node is centred under the layer above");
        assert_eq!((at[0].1, at[3].1), (2.0 * LAYER, 2.0 * LAYER), "yes and no share the next layer");
        assert_eq!((at[0].0, at[3].0), (-SLOT / 2.0, SLOT / 2.0), "yes left of no, centred");
        assert_eq!(at[4].1, 0.0, "an unreachable node starts its own chain");
        assert_no_overlaps(&at);
        assert_eq!(at, layout(&nodes), "deterministic");
    }

    #[test]
    fn auto_placed_nodes_avoid_stored_ones() {
        let mut nodes = vec![place(&[1], true), place(&[2], false), place(&[], false)];
        nodes[0].stored = Some((10.0, LAYER + 5.0)); // where node 1 would go
        nodes[2].stored = Some((0.0, 0.0));
        let at = layout(&nodes);
        assert_eq!(at[0], (10.0, LAYER + 5.0));
        assert_eq!(at[2], (0.0, 0.0));
        assert_no_overlaps(&at);
    }

    #[test]
    fn many_unconnected_nodes_never_overlap() {
        let nodes: Vec<Place> = (0..40).map(|i| place(&[(i * 7 + 3) % 40], i == 5)).collect();
        assert_no_overlaps(&layout(&nodes));
    }
}
