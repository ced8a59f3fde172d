//! From a whole sweep's runs to the report: per pair of journeys and metric, the winner at the
//! scenario's values, how often it holds over the joint points beyond Monte Carlo error, the
//! tornado and the sensitivity indices.
//!
//! # Monte Carlo error against parameter effects
//! Every point runs the same replicates (common random numbers), so a difference between points
//! is the parameters' effect plus what is left of the noise. The noise of the paired difference
//! d = A − B is measured where the parameters do not move: at the scenario's values over K
//! replicates, its sample sd s. A joint point's d (the mean of its R replicates) counts as clear
//! when |d| > t₀.₉₇₅,K−1 · s/√R (a 95 % two-sided bound on pure noise, assuming the noise is
//! about as large across the space as at the scenario's values); then it *holds* when its sign is
//! the scenario winner's and *reverses* otherwise. Not clear: *unclear*.

use std::collections::HashMap;

use super::design::{Point, latin_hypercube};
use super::points::{Points, RunValues};
use super::sensitivity::{self, Method};
use super::{METRICS, PairReport, ROBUST_SCHEMA, RobustError, RobustReport, SensitivityIndex, TornadoBar};
use crate::vocabulary::Better;

/// The report of a complete sweep (shard 0/1 with every job).
pub fn analyse(points: &Points) -> Result<RobustReport, RobustError> {
    if !points.is_complete() {
        return Err(RobustError::Merge(format!(
            "the points hold {} of {} runs (shard {}/{}): merge every shard first",
            points.runs.len(),
            points.header.jobs().len(),
            points.header.shard.index,
            points.header.shard.count
        )));
    }
    let h = &points.header;
    let mut by_point: HashMap<&Point, Vec<&RunValues>> = HashMap::new();
    for run in &points.runs {
        by_point.entry(&run.point).or_default().push(run);
    }
    let design = latin_hypercube(&h.parameters, h.samples, h.seed);
    let noise = crate::stats::t_975(f64::from(h.noise_replicates) - 1.0);
    let journeys = h.journeys.len();
    let mut pairs = Vec::new();
    for a in 0..journeys {
        for b in a + 1..journeys {
            for (m, metric) in METRICS.iter().map(|&id| crate::vocabulary::known(id)).enumerate() {
                // Per replicate: A − B at one point (None if either is missing).
                let diffs = |point: &Point| -> Vec<Option<f64>> {
                    by_point.get(point).map_or_else(Vec::new, |runs| {
                        runs.iter().map(|r| Some(r.values[a][m]? - r.values[b][m]?)).collect()
                    })
                };
                let first = |d: &[Option<f64>]| mean(d.get(..h.replicates as usize).unwrap_or_default());
                let at = |point: &Point| first(&diffs(point));
                let scenario = diffs(&Point::Scenario);
                let difference = first(&scenario);
                let threshold = sd(&scenario).map(|s| noise * s / f64::from(h.replicates).sqrt());
                let joint: Vec<Option<f64>> = (0..h.samples).map(|k| at(&Point::Joint(k))).collect();
                let direction = if metric.better == Better::Higher { 1.0 } else { -1.0 };
                let lead = difference.map_or(0.0, |d| direction * d);
                let winner = if lead > 0.0 {
                    Some(a)
                } else if lead < 0.0 {
                    Some(b)
                } else {
                    None
                };
                let (mut holds, mut reverses) = (0u32, 0u32);
                for d in joint.iter().flatten() {
                    if threshold.is_some_and(|t| d.abs() > t) {
                        if winner.is_some() && (direction * d > 0.0) == (lead > 0.0) {
                            holds += 1;
                        } else {
                            reverses += 1;
                        }
                    }
                }
                let n = f64::from(h.samples);
                let mut tornado: Vec<TornadoBar> = h
                    .parameters
                    .iter()
                    .map(|p| TornadoBar {
                        parameter: p.name.clone(),
                        low: at(&Point::Low(p.name.clone())),
                        high: at(&Point::High(p.name.clone())),
                    })
                    .collect();
                tornado.sort_by(|x, y| y.swing().total_cmp(&x.swing()).then_with(|| x.parameter.cmp(&y.parameter)));
                let s = sensitivity::indices(&design, &joint, h.parameters.len());
                let mut sensitivity: Vec<SensitivityIndex> = h
                    .parameters
                    .iter()
                    .zip(&s.index)
                    .map(|(p, index)| SensitivityIndex { parameter: p.name.clone(), index: *index })
                    .collect();
                sensitivity.sort_by(|x, y| {
                    y.index.abs().total_cmp(&x.index.abs()).then_with(|| x.parameter.cmp(&y.parameter))
                });
                if s.method == Method::None {
                    sensitivity.clear();
                }
                pairs.push(PairReport {
                    a: h.journeys[a].clone(),
                    b: h.journeys[b].clone(),
                    metric: metric.id.to_owned(),
                    better: metric.better,
                    winner: winner.map(|w| h.journeys[w].clone()),
                    difference,
                    mc_threshold: threshold,
                    holds_share: f64::from(holds) / n,
                    reverses_share: f64::from(reverses) / n,
                    unclear_share: f64::from(h.samples - holds - reverses) / n,
                    tornado,
                    sensitivity_method: s.method,
                    r_squared: s.r_squared,
                    sensitivity,
                });
            }
        }
    }
    Ok(RobustReport {
        schema: ROBUST_SCHEMA,
        scenario: h.scenario.clone(),
        seed: h.seed,
        samples: h.samples,
        replicates: h.replicates,
        noise_replicates: h.noise_replicates,
        users: h.users,
        days: h.days,
        design: "latin_hypercube",
        parameters: h.parameters.len(),
        pairs,
    })
}

/// The mean, None if any value is missing or there are none.
fn mean(values: &[Option<f64>]) -> Option<f64> {
    let v: Option<Vec<f64>> = values.iter().copied().collect();
    let v = v.filter(|v| !v.is_empty())?;
    Some(v.iter().sum::<f64>() / v.len() as f64)
}

/// The sample standard deviation, None if any value is missing or there are fewer than two.
fn sd(values: &[Option<f64>]) -> Option<f64> {
    let m = mean(values).filter(|_| values.len() >= 2)?;
    let n = values.len() as f64;
    Some((values.iter().flatten().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}
