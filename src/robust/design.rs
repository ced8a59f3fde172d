//! Which runs a robustness sweep makes: the scenario's own values (K replicates, for the Monte
//! Carlo error), every `[model]` parameter at its low and its high end (one at a time), and N
//! joint points of a Latin hypercube over every parameter's range — each of the last two at
//! replicates 0 … R − 1. Every run is a pure function of (scenario, parameter values, seed,
//! replicate): the job list is numbered once, and a shard is the jobs whose number is i mod n.

use rand::Rng as _;
use serde::{Deserialize, Serialize};

use crate::rng::{Purpose, stream};

/// Which parameter values a run uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Point {
    /// The scenario's own values.
    Scenario,
    /// The named parameter at the low end of its range, all else at the scenario's values.
    Low(String),
    /// The named parameter at the high end of its range, all else at the scenario's values.
    High(String),
    /// Joint point k of the Latin hypercube: every parameter moved at once.
    Joint(u32),
}

/// One run of the sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub point: Point,
    pub replicate: u32,
}

/// A parameter's range and the scenario's value of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    pub name: String,
    /// The scenario's value.
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// Read as whole hours by the engine: design values are rounded.
    pub whole: bool,
}

/// Every job of a sweep, in job-number order: the scenario at replicates 0 … `noise` − 1, then each
/// parameter's low end and high end at replicates 0 … `replicates` − 1, then each joint point likewise.
pub fn jobs(parameters: &[Range], samples: u32, replicates: u32, noise: u32) -> Vec<Job> {
    let at = |point: Point| (0..replicates).map(move |replicate| Job { point: point.clone(), replicate });
    let scenario = (0..noise).map(|replicate| Job { point: Point::Scenario, replicate });
    let one_at_a_time =
        parameters.iter().flat_map(|p| at(Point::Low(p.name.clone())).chain(at(Point::High(p.name.clone()))));
    let joint = (0..samples).flat_map(|k| at(Point::Joint(k)));
    scenario.chain(one_at_a_time).chain(joint).collect()
}

/// The Latin hypercube: `samples` points, each a value of every parameter (McKay, Beckman &
/// Conover 1979, "A comparison of three methods for selecting values of input variables in the
/// analysis of output from a computer code", Technometrics 21(2)).
///
/// # Formula
/// Parameter d of point k: x = low + (π_d(k) + u_{k,d}) / N · (high − low), where π_d is a
/// uniformly random permutation of 0 … N − 1 (Fisher–Yates) and u ~ U[0, 1), each drawn from the
/// stream (seed, 0, d, `Design`, 0). Every parameter's range is cut into N equal strata and each
/// stratum holds exactly one point; the permutations are independent, so the parameters are
/// uncorrelated in expectation. Whole-hour parameters are rounded.
pub fn latin_hypercube(parameters: &[Range], samples: u32, seed: u64) -> Vec<Vec<f64>> {
    let n = samples as usize;
    let columns: Vec<Vec<f64>> = parameters
        .iter()
        .enumerate()
        .map(|(d, p)| {
            let mut rng = stream(seed, 0, d as u64, Purpose::Design, 0);
            let mut strata: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                strata.swap(i, rng.random_range(0..=i));
            }
            strata
                .iter()
                .map(|&s| {
                    let x = p.low + (s as f64 + rng.random::<f64>()) / n as f64 * (p.high - p.low);
                    if p.whole { x.round() } else { x }
                })
                .collect()
        })
        .collect();
    (0..n).map(|k| columns.iter().map(|c| c[k]).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges() -> Vec<Range> {
        vec![
            Range { name: "a".into(), value: 0.5, low: 0.0, high: 1.0, whole: false },
            Range { name: "h".into(), value: 72.0, low: 24.0, high: 168.0, whole: true },
        ]
    }

    #[test]
    fn every_stratum_of_every_parameter_holds_one_point() {
        let n = 16;
        let design = latin_hypercube(&ranges(), n, 7);
        assert_eq!(design.len(), n as usize);
        let mut strata: Vec<usize> = design.iter().map(|x| (x[0] * f64::from(n)) as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..n as usize).collect::<Vec<_>>());
        assert!(design.iter().all(|x| x[1].fract() == 0.0 && (24.0..=168.0).contains(&x[1])), "whole hours");
        assert_eq!(design, latin_hypercube(&ranges(), n, 7), "a function of the seed");
        assert_ne!(design, latin_hypercube(&ranges(), n, 8));
    }

    #[test]
    fn jobs_are_numbered_scenario_then_one_at_a_time_then_joint() {
        let jobs = jobs(&ranges(), 3, 2, 8);
        assert_eq!(jobs.len(), 8 + 2 * 2 * 2 + 3 * 2);
        assert_eq!(jobs[7], Job { point: Point::Scenario, replicate: 7 });
        assert_eq!(jobs[8], Job { point: Point::Low("a".into()), replicate: 0 });
        assert_eq!(jobs[10], Job { point: Point::High("a".into()), replicate: 0 });
        assert_eq!(jobs[21], Job { point: Point::Joint(2), replicate: 1 });
    }
}
