//! From accumulated outcomes to the look-by-look report, and from many
//! replications to how often each stopping rule ships the wrong journey.

use serde::Serialize;

use super::{Accumulated, ExperimentError, look_days};
use crate::scenario::{Experiment, Guardrail, Scenario};
use crate::stats::fixed::{ArmCounts, two_proportion_z_test};
use crate::stats::method::{Conventions, Method, MetricKind};
use crate::stats::monitor::{ArmMoments, Decision, LookCounts, LookMeans, Looks, analyze_looks};
use crate::stats::peeking::clopper_pearson;
use crate::stats::plan::{Effect, Errors, means_per_arm, proportions_per_arm};
use crate::stats::sequential::{Design, DesignSpec, equal_fractions};
use crate::stats::srm::{SRM_THRESHOLD, SrmCheck, sample_ratio_mismatch};
use crate::stats::{Sides, Z_975};

pub const REPORT_SCHEMA: &str = "journeylab.experiment/1";
pub const REPLICATIONS_SCHEMA: &str = "journeylab.replications/1";
/// Design looks used to size a sequential design with daily looks (inflation barely changes past 20).
const MAX_DESIGN_LOOKS: usize = 20;
/// Micro-units per currency unit: money is accumulated exactly in micro-units.
const MICROS: f64 = 1e6;

/// The sample size the experiment was planned for, from a pilot of the control arm.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// Control rate, or mean per enrolled user in currency units, in the pilot.
    pub baseline: f64,
    /// The pilot's sd per enrolled user (currency units) for revenue and margin; `None` for rates.
    pub sd: Option<f64>,
    /// The smallest effect worth detecting, absolute (currency units for money).
    pub mde: f64,
    pub n_fixed_per_arm: u64,
    /// Users per arm the valid method needs to detect the MDE with the planned power
    /// (the fixed size × the sequential design's inflation).
    pub n_needed_per_arm: u64,
    /// Users entering the experiment per day (both arms) in the pilot: the pace "not yet" counts days at.
    #[serde(skip)]
    pub daily_users: f64,
}

impl Plan {
    /// From the pilot's control rate or mean and sd: proportions by Fleiss–Levin–Paik,
    /// money by `stats::plan::means_per_arm` with the pilot's sd.
    pub(super) fn new(scenario: &Scenario, pilot: &super::Traffic) -> Result<Plan, ExperimentError> {
        let (baseline, sd) = (pilot.baseline, pilot.sd);
        let e = scenario.experiment.as_ref().ok_or(ExperimentError::NoExperiment)?;
        let binary = e.metric.is_binary();
        if !binary && matches!(e.method, Method::Bayes { .. }) {
            return Err(ExperimentError::Stats(
                "bayes is for conversions (Beta-Binomial): monitor revenue or margin with naive, gst, msprt or cs"
                    .into(),
            ));
        }
        let stats = |err: crate::stats::StatsError| ExperimentError::Stats(err.to_string());
        let effect = if e.mde_relative { Effect::Relative(e.mde) } else { Effect::Absolute(e.mde) };
        let errors = Errors { alpha: e.alpha, power: e.power, sides: Sides::Two };
        let n_fixed = if binary {
            proportions_per_arm(baseline, effect, errors)
        } else {
            means_per_arm(sd, effect.absolute_on(baseline), errors)
        }
        .map_err(|err| {
            ExperimentError::Stats(format!(
                "cannot plan the experiment from the pilot's baseline {baseline:.4} (sd {sd:.4}): {err}"
            ))
        })?;
        let inflation = match e.method {
            Method::GroupSequential { family } => {
                let k = look_days(e, scenario.simulation.horizon_days).len().clamp(1, MAX_DESIGN_LOOKS);
                let spec = DesignSpec {
                    fractions: equal_fractions(k),
                    family,
                    alpha: e.alpha,
                    sides: Sides::Two,
                    power: e.power,
                    futility: None,
                };
                Design::new(spec).map_err(stats)?.inflation
            }
            _ => 1.0,
        };
        Ok(Plan {
            baseline,
            sd: (!binary).then_some(sd),
            mde: effect.absolute_on(baseline),
            n_fixed_per_arm: n_fixed.ceil() as u64,
            n_needed_per_arm: (n_fixed * inflation).ceil() as u64,
            daily_users: pilot.daily_users,
        })
    }
}

/// The effect on this population: the mean paired difference between arms over
/// every enrolled user whose window closed, with a normal 95 % interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Truth {
    pub effect: f64,
    pub ci: [f64; 2],
    pub users: u64,
}

/// One look of the experiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookReport {
    pub day: u32,
    /// Enrolled users with a closed window, control and treatment.
    pub users: [u64; 2],
    /// Control and treatment rate, or mean per user in currency units for revenue and margin.
    pub rates: [f64; 2],
    /// 95 % interval of each arm's rate (Wald) or mean (normal, sample sd).
    pub rate_intervals: [[f64; 2]; 2],
    /// Absolute difference treatment − control and the method's interval.
    pub estimate: f64,
    pub interval: [f64; 2],
    pub z: f64,
    pub naive_p: f64,
    pub method_p: Option<f64>,
    pub boundary: Option<f64>,
    pub decision: Decision,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GuardrailStatus {
    pub guardrail: Guardrail,
    pub rates: [f64; 2],
    /// One-sided p-value of "the treatment is worse".
    pub p_value: f64,
    pub breached: bool,
}

/// When the result would become valid, if it has not yet: the users (both arms) still needed to
/// detect the planned MDE with the planned power, and the days that takes at the observed enrolment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotYet {
    pub more_users: u64,
    pub more_days: Option<u64>,
}

/// What the monitor knows at one look besides the test itself: whether the split is the planned
/// one, whether the guardrails held, and how far the valid method still is from the planned size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookStatus {
    /// The sample-ratio check of the look's users against the planned allocation.
    pub srm: Option<SrmCheck>,
    /// Each guardrail on the users whose window closed by the look's day.
    pub guardrails: Vec<GuardrailStatus>,
    /// Set while the valid method has not declared by this look and the planned size is not reached.
    pub not_yet: Option<NotYet>,
}

/// What naive peeking claimed on the day it stopped, beside the truth the simulation knows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NaiveClaim {
    pub day: u32,
    /// Treatment − control at that look, and relative to that look's control rate or mean.
    pub estimate: f64,
    pub relative: Option<f64>,
    /// The true effect, and relative to the control arm's rate or mean at the last look.
    pub true_effect: f64,
    pub true_relative: Option<f64>,
}

/// One replication, look by look.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExperimentReport {
    pub schema: &'static str,
    pub scenario: String,
    pub arms: [String; 2],
    pub metric: crate::scenario::Metric,
    pub window_days: u32,
    pub method: String,
    /// The method's name for people, e.g. "Group-sequential, O'Brien–Fleming spending".
    pub method_title: String,
    pub conventions: Conventions,
    pub alpha: f64,
    pub plan: Plan,
    pub looks: Vec<LookReport>,
    /// First day the valid method declared a difference.
    pub valid_day: Option<u32>,
    /// Set when the valid method has not declared and the planned size is not reached yet; when both
    /// this and `valid_day` are null, the planned size was reached without a difference.
    pub not_yet: Option<NotYet>,
    /// First day a naive p < α appeared (peeking would have stopped here).
    pub naive_first_significant_day: Option<u32>,
    pub truth: Truth,
    pub srm: Option<SrmCheck>,
    pub guardrails: Vec<GuardrailStatus>,
    /// The planned split (control, treatment), for the sample-ratio check at any look.
    #[serde(skip)]
    allocation: [f64; 2],
    /// The guardrails at each look, aligned with `looks` (`guardrails` is the last day's).
    #[serde(skip)]
    guardrails_by_look: Vec<Vec<GuardrailStatus>>,
    #[serde(skip)]
    truth_sums: (u64, i128, i128),
    #[serde(skip)]
    naive: RuleOutcome,
    #[serde(skip)]
    valid: RuleOutcome,
}

/// What one stopping rule did in one replication.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct RuleOutcome {
    declared: bool,
    stop_day: u32,
    estimate: f64,
}

/// Cumulative per-arm sums at each look day.
fn cumulative<T: Copy + std::iter::Sum<T>>(
    acc: &Accumulated,
    days: &[u32],
    pick: impl Fn(&super::ArmDays) -> &Vec<T>,
) -> Vec<[T; 2]> {
    days.iter().map(|&d| acc.arms.each_ref().map(|arm| pick(arm)[..=d as usize].iter().copied().sum())).collect()
}

fn analysed(
    looks: Looks<'_>,
    days: &[u32],
    method: &Method,
    alpha: f64,
    n_max: Option<f64>,
) -> Result<(Vec<crate::stats::monitor::LookAnalysis>, RuleOutcome), ExperimentError> {
    let analysis =
        analyze_looks(looks, method, alpha, n_max, None).map_err(|e| ExperimentError::Stats(e.to_string()))?;
    let stop = analysis.first_rejection.map_or(looks.len(), |k| k);
    let outcome = RuleOutcome {
        declared: analysis.first_rejection.is_some(),
        stop_day: days[stop - 1],
        estimate: analysis.looks[stop - 1].estimate,
    };
    Ok((analysis.looks, outcome))
}

/// The looks as the monitor takes them: counts for rates, sums in currency units for money.
enum Observed {
    Proportions(Vec<LookCounts>),
    Means(Vec<LookMeans>),
}

impl Observed {
    fn looks(&self) -> Looks<'_> {
        match self {
            Observed::Proportions(l) => Looks::Proportions(l),
            Observed::Means(l) => Looks::Means(l),
        }
    }
}

pub(super) fn report(
    scenario: &Scenario,
    e: &Experiment,
    plan: &Plan,
    acc: &Accumulated,
) -> Result<ExperimentReport, ExperimentError> {
    let binary = e.metric.is_binary();
    let kind = if binary { MetricKind::Proportion } else { MetricKind::Mean };
    let all_days = look_days(e, scenario.simulation.horizon_days);
    let users = cumulative(acc, &all_days, |a| &a.users);
    let sums = cumulative(acc, &all_days, |a| &a.sum);
    let sums_sq = cumulative(acc, &all_days, |a| &a.sum_sq);
    // Looks start once both arms have someone to compare (two each for a mean's variance).
    let least = if binary { 1 } else { 2 };
    let first = users.iter().position(|u| u[0] >= least && u[1] >= least).unwrap_or(users.len());
    let days = all_days[first..].to_vec();
    let observed = if binary {
        let arm = |k: usize, i: usize| ArmCounts { users: users[k][i], conversions: sums[k][i].max(0) as u64 };
        Observed::Proportions(
            (first..all_days.len()).map(|k| LookCounts { control: arm(k, 0), treatment: arm(k, 1) }).collect(),
        )
    } else {
        let arm = |k: usize, i: usize| ArmMoments {
            users: users[k][i],
            sum: sums[k][i] as f64 / MICROS,
            sum_sq: sums_sq[k][i] as f64 / (MICROS * MICROS),
        };
        Observed::Means(
            (first..all_days.len()).map(|k| LookMeans { control: arm(k, 0), treatment: arm(k, 1) }).collect(),
        )
    };
    let looks = observed.looks();
    let look_users = &users[first..];
    let truth = truth(acc, binary);
    if looks.is_empty() {
        return Err(ExperimentError::Stats(
            "no user's window closed in both arms within the horizon: lengthen horizon_days or shorten window_days"
                .into(),
        ));
    }
    // The experiment runs until the horizon: its maximum information is the enrolment at the last
    // look. Enrolment depends on traffic, never on outcomes, so using it to place the looks'
    // information fractions spends α exactly (Lan & DeMets 1983) without looking at results.
    let last = look_users[look_users.len() - 1];
    let n_max = 0.5 * (last[0] + last[1]) as f64;
    let (naive_looks, naive) = analysed(looks, &days, &Method::Naive, e.alpha, None)?;
    // mSPRT's mixing variance is tuned to the planned baseline (rate or sd), not to the first look's few users.
    let method = match e.method {
        Method::Msprt { tau2: None } => {
            let unit_variance = match plan.sd {
                Some(sd) => 2.0 * sd * sd,
                None => {
                    let p = plan.baseline.clamp(1e-6, 1.0 - 1e-6);
                    2.0 * p * (1.0 - p)
                }
            };
            Method::Msprt { tau2: Some(unit_variance.max(f64::MIN_POSITIVE) / n_max.max(1.0)) }
        }
        other => other,
    };
    let (valid_analysis, valid) = analysed(looks, &days, &method, e.alpha, Some(n_max))?;
    let reports = naive_looks
        .iter()
        .zip(&valid_analysis)
        .enumerate()
        .map(|(k, (naive, method))| LookReport {
            day: days[k],
            users: look_users[k],
            rates: naive.values,
            rate_intervals: arm_intervals(&observed, k),
            estimate: naive.estimate,
            interval: method.interval,
            z: naive.z,
            naive_p: naive.naive_p,
            method_p: method.method_p,
            boundary: method.boundary,
            decision: method.decision,
        })
        .collect::<Vec<_>>();
    let not_yet = not_yet(plan, last, valid.declared);
    let srm = sample_ratio_mismatch(&last, &e.allocation, SRM_THRESHOLD).ok();
    let guardrails = guardrails_through(acc, e, all_days.last().copied());
    let guardrails_by_look = days.iter().map(|&d| guardrails_through(acc, e, Some(d))).collect();
    Ok(ExperimentReport {
        schema: REPORT_SCHEMA,
        scenario: scenario.simulation.name.clone(),
        arms: e.arms.map(|j| scenario.journeys[j].name.clone()),
        metric: e.metric,
        window_days: e.window_days,
        method: e.method.label(),
        method_title: e.method.title(),
        conventions: e.method.conventions_for(kind),
        alpha: e.alpha,
        plan: plan.clone(),
        valid_day: valid.declared.then_some(valid.stop_day),
        not_yet,
        naive_first_significant_day: naive.declared.then_some(naive.stop_day),
        looks: reports,
        truth: truth.0,
        srm,
        guardrails,
        allocation: e.allocation,
        guardrails_by_look,
        truth_sums: truth.1,
        naive,
        valid,
    })
}

/// Each arm's 95 % interval at look `k`: Wald for a rate, normal with the sample sd for a mean.
fn arm_intervals(observed: &Observed, k: usize) -> [[f64; 2]; 2] {
    let arms: [(f64, f64, u64); 2] = match observed {
        Observed::Proportions(l) => [l[k].control, l[k].treatment].map(|a| {
            let p = a.rate();
            (p, p * (1.0 - p), a.users)
        }),
        Observed::Means(l) => [l[k].control, l[k].treatment].map(|a| {
            let s = a.summary();
            (s.mean, s.sd * s.sd, s.users)
        }),
    };
    arms.map(|(mean, variance, n)| {
        let se = (variance.max(0.0) / n.max(1) as f64).sqrt();
        [mean - Z_975 * se, mean + Z_975 * se]
    })
}

/// Mean paired difference and its normal interval; money is converted from micro-units.
fn truth(acc: &Accumulated, binary: bool) -> (Truth, (u64, i128, i128)) {
    let sums = (acc.truth_n, acc.truth_sum, acc.truth_sum_sq);
    (truth_from(sums, binary), sums)
}

fn truth_from((n, sum, sum_sq): (u64, i128, i128), binary: bool) -> Truth {
    let scale = if binary { 1.0 } else { MICROS };
    let count = n.max(1) as f64;
    let mean = sum as f64 / count / scale;
    let variance = if n > 1 { ((sum_sq as f64 / scale / scale) - count * mean * mean) / (count - 1.0) } else { 0.0 };
    let half = Z_975 * (variance.max(0.0) / count).sqrt();
    Truth { effect: mean, ci: [mean - half, mean + half], users: n }
}

/// "Not yet" only while the valid method has not declared and the planned size is not reached (past
/// it, no difference was found); the days at the pilot's enrolment per day. (The enrolment observed so
/// far is no pace: it ramps up over the first weeks while new users find their way to the trigger, so
/// a first look's few users would promise years.)
fn not_yet(plan: &Plan, users: [u64; 2], declared: bool) -> Option<NotYet> {
    let have = users[0] + users[1];
    let more_users = (2 * plan.n_needed_per_arm).saturating_sub(have);
    (!declared && more_users > 0).then(|| NotYet {
        more_users,
        more_days: (plan.daily_users > 0.0).then(|| (more_users as f64 / plan.daily_users).ceil() as u64),
    })
}

impl ExperimentReport {
    /// The sample-ratio check, the guardrails and what the valid method still needs at look `k`
    /// (an index into `looks`), from that look's users only; `None` past the last look.
    pub fn status_at(&self, k: usize) -> Option<LookStatus> {
        let look = self.looks.get(k)?;
        let declared = self.valid_day.is_some_and(|d| d <= look.day);
        Some(LookStatus {
            srm: sample_ratio_mismatch(&look.users, &self.allocation, SRM_THRESHOLD).ok(),
            guardrails: self.guardrails_by_look.get(k).cloned().unwrap_or_default(),
            not_yet: not_yet(&self.plan, look.users, declared),
        })
    }

    /// What naive peeking claimed on its first significant day, beside the true effect; `None` when
    /// naive peeking never stopped.
    pub fn naive_claim(&self) -> Option<NaiveClaim> {
        let day = self.naive_first_significant_day?;
        let look = self.looks.iter().find(|l| l.day == day)?;
        let relative_to = |x: f64, base: f64| (base.abs() > 0.0).then(|| x / base);
        let last_control = self.looks.last().map_or(0.0, |l| l.rates[0]);
        Some(NaiveClaim {
            day,
            estimate: look.estimate,
            relative: relative_to(look.estimate, look.rates[0]),
            true_effect: self.truth.effect,
            true_relative: relative_to(self.truth.effect, last_control),
        })
    }

    /// Each arm's 95 % interval at a look as shown: a rate's kept within [0, 1] (a Wald interval
    /// of a few users' rate can reach below 0), a mean's as computed.
    pub fn shown_rate_intervals(&self, look: &LookReport) -> [[f64; 2]; 2] {
        let intervals = look.rate_intervals;
        if self.metric.is_binary() {
            intervals.map(|[lo, hi]| [lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0)])
        } else {
            intervals
        }
    }
}

/// Each guardrail on the users whose window closed by `through` (none without a day).
fn guardrails_through(acc: &Accumulated, e: &Experiment, through: Option<u32>) -> Vec<GuardrailStatus> {
    let Some(last) = through else { return Vec::new() };
    let users = acc.arms.each_ref().map(|a| a.users[..=last as usize].iter().sum::<u64>());
    e.guardrails
        .iter()
        .filter_map(|&g| {
            let events = acc.arms.each_ref().map(|a| {
                let v = match g {
                    Guardrail::OptOut => &a.opted_out,
                    Guardrail::Uninstall => &a.uninstalled,
                };
                v[..=last as usize].iter().sum::<u64>()
            });
            let arm = |i: usize| ArmCounts { users: users[i], conversions: events[i] };
            let test = two_proportion_z_test(arm(0), arm(1), e.alpha, Sides::One).ok()?;
            Some(GuardrailStatus {
                guardrail: g,
                rates: [test.control, test.treatment],
                p_value: test.p_value,
                breached: test.p_value < e.alpha,
            })
        })
        .collect()
}

/// How one stopping rule fared over the replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleSummary {
    pub method: String,
    /// The method's name for people.
    pub title: String,
    /// Share of replications in which the rule declared a winner, with its 95 % Clopper–Pearson interval.
    pub declared_rate: f64,
    pub declared_ci: [f64; 2],
    /// Share of replications in which it declared a winner that was wrong: the opposite sign of the
    /// true effect, or a true effect of exactly zero.
    pub wrong_rate: f64,
    /// Mean day on which the rule stopped (its last look when it never declared).
    pub mean_stop_day: f64,
    /// Mean |estimate at stop| / |true effect| over declared replications with a non-zero truth.
    pub exaggeration: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicationSummary {
    pub schema: &'static str,
    pub scenario: String,
    pub replications: u64,
    pub users: u32,
    pub metric: crate::scenario::Metric,
    /// The effect over every replication's population pooled.
    pub truth: Truth,
    pub naive: RuleSummary,
    pub valid: RuleSummary,
    pub plan: Plan,
}

pub(super) fn summarise(
    scenario: &Scenario,
    e: &Experiment,
    plan: &Plan,
    reports: &[ExperimentReport],
) -> ReplicationSummary {
    let pooled = reports
        .iter()
        .fold((0u64, 0i128, 0i128), |(n, s, q), r| (n + r.truth_sums.0, s + r.truth_sums.1, q + r.truth_sums.2));
    let rule = |method: &Method, pick: fn(&ExperimentReport) -> RuleOutcome| {
        let r = reports.len().max(1) as f64;
        let declared = reports.iter().filter(|x| pick(x).declared).count() as u64;
        let wrong = reports
            .iter()
            .filter(|x| {
                let o = pick(x);
                o.declared && (x.truth.effect == 0.0 || o.estimate.signum() != x.truth.effect.signum())
            })
            .count();
        let ratios: Vec<f64> = reports
            .iter()
            .filter(|x| pick(x).declared && x.truth.effect != 0.0)
            .map(|x| pick(x).estimate.abs() / x.truth.effect.abs())
            .collect();
        RuleSummary {
            method: method.label(),
            title: method.title(),
            declared_rate: declared as f64 / r,
            declared_ci: clopper_pearson(declared, reports.len() as u64).unwrap_or([0.0, 1.0]),
            wrong_rate: wrong as f64 / r,
            mean_stop_day: reports.iter().map(|x| f64::from(pick(x).stop_day)).sum::<f64>() / r,
            exaggeration: (!ratios.is_empty()).then(|| ratios.iter().sum::<f64>() / ratios.len() as f64),
        }
    };
    ReplicationSummary {
        schema: REPLICATIONS_SCHEMA,
        scenario: scenario.simulation.name.clone(),
        replications: reports.len() as u64,
        users: scenario.simulation.users,
        metric: e.metric,
        truth: truth_from(pooled, e.metric.is_binary()),
        naive: rule(&Method::Naive, |x| x.naive),
        valid: rule(&e.method, |x| x.valid),
        plan: plan.clone(),
    }
}
