//! A deterministic layered layout for nodes the file gives no position,
//! top to bottom like a journey is read. Each node sits one layer below the
//! deepest node leading to it (longest path from the trigger, loops broken at
//! their back edge), so a node two paths reach sits below both; nodes of a
//! layer stand side by side in depth-first order (a branch's `yes` before its
//! `no`), centred, nudged right past any box already taken. Positions are only
//! shown; the canvas writes them when the user first moves a node.

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

/// Depth-first from the trigger (then from every node not yet seen, in file
/// order): the preorder, and each edge marked when it closes a loop.
fn depth_first(nodes: &[Place]) -> (Vec<usize>, Vec<Vec<bool>>) {
    let n = nodes.len();
    let mut back: Vec<Vec<bool>> = nodes.iter().map(|p| vec![false; p.targets.len()]).collect();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the path, 2 done
    let mut preorder = Vec::with_capacity(n);
    let roots = (0..n).filter(|&i| nodes[i].is_trigger).chain(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        preorder.push(root);
        let mut path = vec![(root, 0usize)];
        while let Some(&mut (u, ref mut next)) = path.last_mut() {
            let Some(&v) = nodes[u].targets.get(*next) else {
                state[u] = 2;
                path.pop();
                continue;
            };
            let edge = *next;
            *next += 1;
            match state.get(v) {
                Some(0) => {
                    state[v] = 1;
                    preorder.push(v);
                    path.push((v, 0));
                }
                Some(1) => back[u][edge] = true,
                _ => {}
            }
        }
    }
    (preorder, back)
}

/// A position for every node: the stored one, or a free slot of the layered layout.
pub(super) fn layout(nodes: &[Place]) -> Vec<(f64, f64)> {
    let n = nodes.len();
    let (order, back) = depth_first(nodes);
    // Longest path over the edges that close no loop (a DAG): relax until stable, at most n rounds.
    let mut layer = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for u in 0..n {
            for (e, &v) in nodes[u].targets.iter().enumerate() {
                if v < n && !back[u][e] && layer[v] < layer[u] + 1 {
                    layer[v] = layer[u] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let layers = layer.iter().max().map_or(0, |l| l + 1);
    let mut width = vec![0usize; layers];
    for u in (0..n).filter(|&u| nodes[u].stored.is_none()) {
        width[layer[u]] += 1;
    }
    let mut taken: Vec<(f64, f64)> = nodes.iter().filter_map(|p| p.stored).collect();
    let mut placed = vec![0usize; layers];
    let mut out: Vec<(f64, f64)> = nodes.iter().map(|p| p.stored.unwrap_or_default()).collect();
    for u in order {
        if nodes[u].stored.is_some() {
            continue;
        }
        let l = layer[u];
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
    fn layers_follow_the_longest_path_from_the_trigger() {
        // trigger(1) → branch(2); yes → exit(0), no → wait(3) → exit(0); 4 unreachable.
        let nodes =
            [place(&[], false), place(&[2], true), place(&[0, 3], false), place(&[0], false), place(&[], false)];
        let at = layout(&nodes);
        assert_eq!(at[1], (-SLOT / 2.0, 0.0), "the trigger starts the first layer, left of the unreachable node");
        assert_eq!(at[4], (SLOT / 2.0, 0.0), "an unreachable node starts its own chain");
        assert_eq!(at[2], (0.0, LAYER), "a lone node is centred");
        assert_eq!(at[3], (0.0, 2.0 * LAYER));
        assert_eq!(at[0], (0.0, 3.0 * LAYER), "a node two paths reach sits below both");
        assert_no_overlaps(&at);
        assert_eq!(at, layout(&nodes), "deterministic");
    }

    #[test]
    fn loops_are_layered_by_breaking_their_back_edge() {
        // trigger(0) → wait(1) → message(2) → wait(1) again; branch(3) never reached.
        let nodes = [place(&[1], true), place(&[2], false), place(&[1], false), place(&[2, 1], false)];
        let at = layout(&nodes);
        assert_eq!((at[0].1, at[1].1, at[2].1), (0.0, LAYER, 2.0 * LAYER));
        assert_no_overlaps(&at);
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
