//! The comparison's answer in one sentence: which design to ship, from a
//! primary metric and guardrails — Statsig's "roll out / discuss / don't" read
//! of an experiment scorecard, with Optimizely's improvement interval as the
//! number quoted.
//!
//! The leader on the primary metric is set against the runner-up (paired per
//! replicate, 95 % t-interval): ship it when that interval excludes 0 and no
//! guardrail is worse beyond its own interval; discuss when a guardrail is; say
//! so when the lead is within the interval.

use super::{Metric, Unit, mean_interval};
use crate::predict::Projected;
use crate::scenario::Currency;
use crate::vocabulary::{lower_first, upper_first};

/// The metric a verdict ranks designs by.
pub const PRIMARY: &str = "net_margin_per_user";
/// Metrics the shipped design must not make worse than the design it beats.
pub const GUARDRAILS: [&str; 4] = ["retention_d30", "survival_12m", "opt_out_rate", "uninstall_rate"];

/// What the comparison recommends.
#[derive(Clone, Debug, PartialEq)]
pub enum Recommendation {
    /// The leader beats the runner-up on the primary metric and no guardrail is worse.
    Ship,
    /// The leader beats the runner-up but at least one guardrail is worse.
    Discuss,
    /// The lead on the primary metric is within its interval.
    Inconclusive,
    /// Fewer than two designs have a value: nothing to choose.
    NothingToChoose,
}

/// The verdict: a recommendation and the sentence that says it.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub recommendation: Recommendation,
    /// The design the sentence is about (the leader), if any.
    pub journey: Option<usize>,
    /// One sentence a marketing lead can act on.
    pub text: String,
}

/// A guardrail the leader makes worse: the metric and the paired difference, leader − runner-up.
struct Worse<'a> {
    metric: &'a Metric,
    difference: Projected,
}

/// The verdict on `metrics` (as [`super::compare`] reports them) for designs named `journeys`, ranked by the
/// metric `primary` (an id; [`PRIMARY`] by default); the [`GUARDRAILS`] other than `primary` must not be worse.
pub fn decide(metrics: &[Metric], journeys: &[String], currency: Currency, primary: &str) -> Verdict {
    let currency = currency.as_str();
    let find = |id: &str| metrics.iter().find(|m| m.id == id);
    let named = crate::vocabulary::metric_def(primary).map_or_else(|| primary.to_owned(), |m| lower_first(m.name));
    let Some(primary) = find(primary) else {
        return nothing(&format!("the comparison has no {named}"));
    };
    let sign = primary.better.sign();
    let mut order: Vec<usize> =
        (0..journeys.len()).filter(|&j| primary.values.get(j).copied().flatten().is_some()).collect();
    let mean = |j: usize| sign * primary.values[j].map_or(f64::NAN, |p| p.value);
    order.sort_by(|&a, &b| mean(b).total_cmp(&mean(a)));
    let [leader, runner_up, ..] = order[..] else {
        return nothing(&format!("fewer than two designs have a {named}"));
    };
    let (name, other) = (&journeys[leader], &journeys[runner_up]);
    // The lead in the metric's good direction: positive when the leader is better.
    let paired = primary.paired(leader, runner_up);
    let lead = if sign > 0.0 {
        paired
    } else {
        Projected { value: -paired.value, lower: -paired.upper, upper: -paired.lower }
    };
    let what = lower_first(primary.label);
    if lead.lower <= 0.0 && lead.upper >= 0.0 || !lead.value.is_finite() {
        return Verdict {
            recommendation: Recommendation::Inconclusive,
            journey: Some(leader),
            text: format!(
                "No design is clearly ahead on {what}: {name} leads {other} by {} (95 % interval {} to {}). \
                 Run more replicates or users before choosing.",
                primary.unit.signed(lead.value, currency),
                primary.unit.signed(lead.lower, currency),
                primary.unit.signed(lead.upper, currency)
            ),
        };
    }
    let guardrails = || GUARDRAILS.iter().filter(|id| **id != primary.id).filter_map(|id| find(id));
    let worse: Vec<Worse> = guardrails()
        .filter_map(|m| {
            let d = m.paired(leader, runner_up);
            let s = m.better.sign();
            // Worse: the whole interval lies on the bad side of 0, read in the metric's good direction.
            (d.lower.is_finite() && (s * d.lower).max(s * d.upper) < 0.0).then_some(Worse { metric: m, difference: d })
        })
        .collect();
    let (size, lower, upper) = (
        primary.unit.magnitude(lead.value, currency),
        primary.unit.magnitude(lead.lower, currency),
        primary.unit.magnitude(lead.upper, currency),
    );
    // A sentence starts with a capital, whatever case the journey's name has.
    let headline = if primary.unit == Unit::Money && sign > 0.0 {
        format!("{} earns {size} more {what} than {other} (95 % interval {lower} to {upper})", upper_first(name))
    } else {
        format!("{} beats {other} on {what} by {size} (95 % interval {lower} to {upper})", upper_first(name))
    };
    if worse.is_empty() {
        let guarded: Vec<String> = guardrails().map(|m| lower_first(m.label)).collect();
        Verdict {
            recommendation: Recommendation::Ship,
            journey: Some(leader),
            text: format!("{headline}, with no guardrail worse ({}). Ship {name}.", guarded.join(", ")),
        }
    } else {
        let costs: Vec<String> = worse
            .iter()
            .map(|w| {
                let d = w.difference;
                format!(
                    "{} {} (95 % interval {} to {})",
                    lower_first(w.metric.label),
                    w.metric.unit.signed(d.value, currency),
                    w.metric.unit.signed(d.lower, currency),
                    w.metric.unit.signed(d.upper, currency)
                )
            })
            .collect();
        Verdict {
            recommendation: Recommendation::Discuss,
            journey: Some(leader),
            text: format!("{headline}, but it is worse on {}. Weigh that before shipping {name}.", costs.join("; ")),
        }
    }
}

fn nothing(why: &str) -> Verdict {
    Verdict {
        recommendation: Recommendation::NothingToChoose,
        journey: None,
        text: format!("Nothing to choose: {why}."),
    }
}

impl Metric {
    /// Journey a − journey b, paired per replicate (where both have a value), with its 95 % t-interval; NaN when none has.
    pub fn paired(&self, a: usize, b: usize) -> Projected {
        let d: Vec<f64> =
            self.replicates[a].iter().zip(&self.replicates[b]).filter_map(|(x, y)| Some((*x)? - (*y)?)).collect();
        if d.is_empty() {
            return Projected { value: f64::NAN, lower: f64::NAN, upper: f64::NAN };
        }
        mean_interval(&d)
    }
}

impl Unit {
    /// A difference with its sign: shares in percentage points, money with its currency, counts with two decimals.
    pub fn signed(self, x: f64, currency: &str) -> String {
        let sign = if x < 0.0 { "−" } else { "+" };
        format!("{sign}{}", self.magnitude(x, currency))
    }

    /// The size of a difference, without its sign.
    pub fn magnitude(self, x: f64, currency: &str) -> String {
        match self {
            Unit::Share => format!("{:.2} pp", 100.0 * x.abs()),
            Unit::Money => format!("{:.2} {currency}", x.abs()),
            Unit::Count => format!("{:.2}", x.abs()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Winner;

    fn metric(id: &'static str, replicates: Vec<Vec<f64>>) -> Metric {
        let def = crate::vocabulary::known(id);
        Metric {
            id,
            label: def.name,
            definition: def.definition,
            better: def.better,
            unit: def.unit,
            values: replicates.iter().map(|v| Some(mean_interval(v))).collect(),
            vs_baseline: vec![None; replicates.len()],
            winner: Winner::None,
            replicates: replicates.iter().map(|v| v.iter().copied().map(Some).collect()).collect(),
        }
    }

    fn names() -> Vec<String> {
        ["no journey", "reminder", "coupon"].map(String::from).to_vec()
    }

    #[test]
    fn a_clear_lead_without_worse_guardrails_ships_and_names_the_runner_up() {
        let margin = metric(PRIMARY, vec![vec![1.0, 1.1, 0.9], vec![2.0, 2.2, 2.1], vec![1.8, 2.0, 1.95]]);
        let opt_outs = metric("opt_out_rate", vec![vec![0.0; 3], vec![0.010, 0.011, 0.012], vec![0.012, 0.010, 0.013]]);
        let v = decide(&[margin.clone(), opt_outs.clone()], &names(), Currency::DEFAULT, PRIMARY);
        assert_eq!((v.recommendation.clone(), v.journey), (Recommendation::Ship, Some(1)), "{}", v.text);
        // Lead over the coupon: differences 0.2, 0.2, 0.15 → mean 0.1833.
        assert!(v.text.starts_with("Reminder earns 0.18 USD more net margin per user than coupon"), "{}", v.text);
        assert!(v.text.contains("no guardrail worse (opt-out rate)"), "{}", v.text);
        assert!(v.text.ends_with("Ship reminder."), "{}", v.text);
        let euros = decide(&[margin, opt_outs], &names(), Currency::new("EUR").expect("a code"), PRIMARY);
        assert!(euros.text.starts_with("Reminder earns 0.18 EUR more"), "{}", euros.text);
    }

    #[test]
    fn a_worse_guardrail_asks_for_discussion_and_a_lead_within_noise_is_inconclusive() {
        let margin = |c: Vec<f64>| metric(PRIMARY, vec![vec![1.0, 1.1, 0.9], vec![2.0, 2.2, 2.1], c]);
        let uninstalls =
            metric("uninstall_rate", vec![vec![0.0; 3], vec![0.030, 0.031, 0.032], vec![0.010, 0.011, 0.012]]);
        let v = decide(&[margin(vec![1.8, 2.0, 1.95]), uninstalls], &names(), Currency::DEFAULT, PRIMARY);
        assert_eq!(v.recommendation, Recommendation::Discuss, "{}", v.text);
        assert!(v.text.contains("worse on uninstall rate +2.00 pp"), "{}", v.text);
        let v = decide(&[margin(vec![2.3, 1.9, 2.15])], &names(), Currency::DEFAULT, PRIMARY);
        assert_eq!(v.recommendation, Recommendation::Inconclusive, "{}", v.text);
        assert!(v.text.contains("coupon leads reminder by +0.02 USD (95 % interval −0.73 USD"), "{}", v.text);
        let one = metric(PRIMARY, vec![vec![1.0]]);
        assert_eq!(
            decide(&[one], &names()[..1], Currency::DEFAULT, PRIMARY).recommendation,
            Recommendation::NothingToChoose
        );
    }

    #[test]
    fn another_primary_metric_ranks_by_it_in_its_good_direction_and_leaves_its_guardrail_out() {
        let margin = metric(PRIMARY, vec![vec![1.0, 1.1, 0.9], vec![2.0, 2.2, 2.1], vec![1.8, 2.0, 1.95]]);
        // Opt-outs, lower is better: "no journey" sends nothing, so it leads by 1.1 pp over the reminder.
        let opt_outs = metric("opt_out_rate", vec![vec![0.0; 3], vec![0.010, 0.011, 0.012], vec![0.012, 0.010, 0.013]]);
        let v = decide(&[margin.clone(), opt_outs.clone()], &names(), Currency::DEFAULT, "opt_out_rate");
        assert_eq!((v.recommendation.clone(), v.journey), (Recommendation::Ship, Some(0)), "{}", v.text);
        assert!(
            v.text
                .starts_with("No journey beats reminder on opt-out rate by 1.10 pp (95 % interval 0.85 pp to 1.35 pp)"),
            "{}",
            v.text
        );
        assert!(!v.text.contains("guardrail worse (opt-out rate"), "the primary is not its own guardrail: {}", v.text);
        let missing = decide(&[margin, opt_outs], &names(), Currency::DEFAULT, "retention_d30");
        assert_eq!(missing.recommendation, Recommendation::NothingToChoose);
        assert_eq!(missing.text, "Nothing to choose: the comparison has no D30 retention.");
    }
}
