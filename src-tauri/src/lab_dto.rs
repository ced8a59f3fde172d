//! The IPC shapes of the lab screens (experiment monitor, peeking lab,
//! planner), converted from the core's reports. Counts are `f64`: JS numbers
//! are doubles.

use journeylab::api::lab::{
    Decision, ExperimentReport, GuardrailStatus, LookStatus, MethodReport, NaiveClaim, PeekReport, PlanReport,
    ReplicationSummary, RuleSummary, SRM_THRESHOLD, Traffic,
};
use journeylab::api::scenario::Metric;
use serde::{Deserialize, Serialize};
use specta::Type;

/// An experiment's primary metric, per enrolled user over its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExperimentMetricDto {
    Conversion,
    Retention,
    Revenue,
    Margin,
}

impl From<Metric> for ExperimentMetricDto {
    fn from(m: Metric) -> Self {
        match m {
            Metric::Conversion => ExperimentMetricDto::Conversion,
            Metric::Retention => ExperimentMetricDto::Retention,
            Metric::Revenue => ExperimentMetricDto::Revenue,
            Metric::Margin => ExperimentMetricDto::Margin,
        }
    }
}

/// What the valid method says at a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionDto {
    Continue,
    /// Declare a difference (reject H0).
    Reject,
    /// The last look, without rejection.
    AcceptH0,
}

impl From<Decision> for DecisionDto {
    fn from(d: Decision) -> Self {
        match d {
            Decision::Continue => DecisionDto::Continue,
            Decision::Reject => DecisionDto::Reject,
            Decision::AcceptH0 => DecisionDto::AcceptH0,
        }
    }
}

/// Overrides of an experiment run from the monitor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Type)]
pub struct LabRunOptions {
    pub users: Option<u32>,
}

/// The sample-ratio check at a look: is the split of users the planned one?
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct SrmDto {
    pub p_value: f64,
    /// Below the alarm threshold: the split is not chance, something drops or duplicates users.
    pub mismatch: bool,
    pub threshold: f64,
}

/// A guardrail at a look: a rate the treatment must not make worse.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct GuardrailDto {
    /// The vocabulary's metric id (its name, definition and unit come from the `vocabulary` command).
    pub metric: String,
    /// Control, treatment.
    pub rates: [f64; 2],
    /// One-sided p-value of "the treatment is worse".
    pub p_value: f64,
    /// The treatment made it worse (p < α).
    pub harmed: bool,
}

impl From<&GuardrailStatus> for GuardrailDto {
    fn from(g: &GuardrailStatus) -> Self {
        GuardrailDto {
            metric: g.guardrail.metric_id().to_owned(),
            rates: g.rates,
            p_value: g.p_value,
            harmed: g.breached,
        }
    }
}

/// One look of the replayed experiment: the numbers beside the chart, and what the monitor
/// knows besides the test at that day (split, guardrails, what is still needed).
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct MonitorLook {
    pub day: u32,
    pub users: [f64; 2],
    /// Control and treatment rate (or mean per user) with each arm's 95 % interval (a rate's within 0–1).
    pub rates: [f64; 2],
    pub rate_intervals: [[f64; 2]; 2],
    /// Treatment − control and the valid method's interval.
    pub estimate: f64,
    pub interval: [f64; 2],
    pub z: f64,
    pub naive_p: f64,
    pub method_p: Option<f64>,
    pub boundary: Option<f64>,
    pub decision: DecisionDto,
    pub srm: Option<SrmDto>,
    pub guardrails: Vec<GuardrailDto>,
    /// While the valid method has not declared and the planned size is not reached: users (both arms)
    /// still needed, and the days that takes at the enrolment so far (null when none enrolled).
    pub more_users: Option<f64>,
    pub more_days: Option<f64>,
}

impl MonitorLook {
    fn new(r: &ExperimentReport, k: usize) -> Self {
        let l = &r.looks[k];
        let status = r.status_at(k).unwrap_or(LookStatus { srm: None, guardrails: Vec::new(), not_yet: None });
        MonitorLook {
            day: l.day,
            users: l.users.map(|u| u as f64),
            rates: l.rates,
            rate_intervals: r.shown_rate_intervals(l),
            estimate: l.estimate,
            interval: l.interval,
            z: l.z,
            naive_p: l.naive_p,
            method_p: l.method_p,
            boundary: l.boundary,
            decision: l.decision.into(),
            srm: status.srm.map(|s| SrmDto { p_value: s.p_value, mismatch: s.mismatch, threshold: SRM_THRESHOLD }),
            guardrails: status.guardrails.iter().map(GuardrailDto::from).collect(),
            more_users: status.not_yet.as_ref().map(|n| n.more_users as f64),
            more_days: status.not_yet.and_then(|n| n.more_days).map(|d| d as f64),
        }
    }
}

/// What naive peeking claimed on the day it stopped, beside the true effect.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct NaiveClaimDto {
    pub day: u32,
    /// Treatment − control then, and relative to the control arm (null when the control was 0).
    pub estimate: f64,
    pub relative: Option<f64>,
    pub true_effect: f64,
    pub true_relative: Option<f64>,
}

impl From<NaiveClaim> for NaiveClaimDto {
    fn from(c: NaiveClaim) -> Self {
        NaiveClaimDto {
            day: c.day,
            estimate: c.estimate,
            relative: c.relative,
            true_effect: c.true_effect,
            true_relative: c.true_relative,
        }
    }
}

/// One replication of the experiment, ready to replay day by day.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct MonitorView {
    pub scenario: String,
    /// Control, treatment.
    pub arms: [String; 2],
    pub metric: ExperimentMetricDto,
    pub binary: bool,
    pub window_days: u32,
    /// The valid method's name for people.
    pub method: String,
    pub alpha: f64,
    pub looks: Vec<MonitorLook>,
    /// Whether the method has a boundary to draw the observed z against (the `monitor` chart; mSPRT and
    /// confidence sequences have none). Every chart is drawn on request (`draw_chart`) through a look.
    pub has_boundary: bool,
    pub valid_day: Option<u32>,
    pub naive_day: Option<u32>,
    /// The effect on this population (the simulation knows it) and its 95 % interval.
    pub true_effect: f64,
    pub true_interval: [f64; 2],
    pub planned_per_arm: f64,
    pub mde: f64,
    /// What naive peeking claimed when it stopped; null when it never did.
    pub naive_claim: Option<NaiveClaimDto>,
    /// The currency of a revenue or margin metric (the scenario's `[economics] currency`).
    pub currency: String,
    pub seconds: f64,
}

impl MonitorView {
    pub fn new(r: &ExperimentReport, currency: String, has_boundary: bool, seconds: f64) -> Self {
        MonitorView {
            scenario: r.scenario.clone(),
            arms: r.arms.clone(),
            metric: r.metric.into(),
            binary: r.metric.is_binary(),
            window_days: r.window_days,
            method: r.method_title.clone(),
            alpha: r.alpha,
            looks: (0..r.looks.len()).map(|k| MonitorLook::new(r, k)).collect(),
            has_boundary,
            valid_day: r.valid_day,
            naive_day: r.naive_first_significant_day,
            true_effect: r.truth.effect,
            true_interval: r.truth.ci,
            planned_per_arm: r.plan.n_needed_per_arm as f64,
            mde: r.plan.mde,
            naive_claim: r.naive_claim().map(NaiveClaimDto::from),
            currency,
            seconds,
        }
    }
}

/// How one stopping rule fared over the replications.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RuleRow {
    /// The method's name for people.
    pub method: String,
    pub declared_rate: f64,
    pub declared_interval: [f64; 2],
    pub wrong_rate: f64,
    pub mean_stop_day: f64,
    pub exaggeration: Option<f64>,
}

impl From<&RuleSummary> for RuleRow {
    fn from(r: &RuleSummary) -> Self {
        RuleRow {
            method: r.title.clone(),
            declared_rate: r.declared_rate,
            declared_interval: r.declared_ci,
            wrong_rate: r.wrong_rate,
            mean_stop_day: r.mean_stop_day,
            exaggeration: r.exaggeration,
        }
    }
}

/// Naive peeking against the valid method over many replications.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ReplicationView {
    pub replications: f64,
    pub true_effect: f64,
    pub naive: RuleRow,
    pub valid: RuleRow,
    pub seconds: f64,
}

impl ReplicationView {
    pub fn new(s: &ReplicationSummary, seconds: f64) -> Self {
        ReplicationView {
            replications: s.replications as f64,
            true_effect: s.truth.effect,
            naive: RuleRow::from(&s.naive),
            valid: RuleRow::from(&s.valid),
            seconds,
        }
    }
}

/// The peeking lab's settings.
#[derive(Clone, Debug, PartialEq, Deserialize, Type)]
pub struct PeekSettings {
    pub looks: u32,
    pub alpha: f64,
    pub baseline: f64,
    /// Relative lift of B (0 = A/A).
    pub lift: f64,
    pub users_per_look: u32,
    /// Method specs as the CLI takes them: `naive`, `gst:obf`, `msprt`, `cs`, `bayes:0.95`, …
    pub methods: Vec<String>,
}

/// One method's running estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct MethodRate {
    pub method: String,
    /// The method's name for people.
    pub title: String,
    pub rate: f64,
    pub interval: [f64; 2],
    pub declared: f64,
}

impl From<&MethodReport> for MethodRate {
    fn from(m: &MethodReport) -> Self {
        MethodRate {
            method: m.method.clone(),
            title: m.title.clone(),
            rate: m.rate,
            interval: m.ci,
            declared: m.declared as f64,
        }
    }
}

/// The Monte Carlo's estimate after a batch.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct PeekBatch {
    pub sims: f64,
    pub settled: bool,
    /// Since the settings were received.
    pub elapsed_ms: f64,
    pub methods: Vec<MethodRate>,
}

impl PeekBatch {
    pub fn new(report: &PeekReport, settled: bool, elapsed_ms: f64) -> Self {
        PeekBatch {
            sims: report.config.sims as f64,
            settled,
            elapsed_ms,
            methods: report.methods.iter().map(MethodRate::from).collect(),
        }
    }
}

/// Streamed over the peeking lab's channel.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum PeekEvent {
    Started { job: u32 },
    Batch(PeekBatch),
}

/// The scenario's experiment traffic, from a short pilot.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct TrafficView {
    pub metric: ExperimentMetricDto,
    pub binary: bool,
    pub baseline: f64,
    pub sd: f64,
    pub arrivals_per_day: f64,
    pub enrolment: f64,
    pub daily_users: f64,
    pub pilot_users: f64,
    /// The currency of a revenue or margin baseline (the scenario's `[economics] currency`).
    pub currency: String,
}

impl TrafficView {
    pub fn new(t: &Traffic, metric: Metric, currency: String) -> Self {
        TrafficView {
            metric: metric.into(),
            binary: metric.is_binary(),
            baseline: t.baseline,
            sd: t.sd,
            arrivals_per_day: t.arrivals_per_day,
            enrolment: t.enrolment,
            daily_users: t.daily_users,
            pilot_users: t.pilot_users as f64,
            currency,
        }
    }
}

/// What the planner plans for: a 0/1 outcome's rate, or a mean per user (with its sd).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PlanMetric {
    Rate,
    Mean,
}

/// What the planner is asked.
#[derive(Clone, Debug, PartialEq, Deserialize, Type)]
pub struct PlanInput {
    pub metric: PlanMetric,
    /// The rate, or the mean per user.
    pub baseline: f64,
    /// Per-user sd (means only).
    pub sd: Option<f64>,
    pub mde: f64,
    pub mde_relative: bool,
    pub alpha: f64,
    pub power: f64,
    pub two_sided: bool,
    /// `fixed`, or a boundary family as the CLI takes it: `obf`, `pocock`, `haybittle-peto`, …
    pub design: String,
    pub looks: u32,
    /// Non-binding O'Brien–Fleming-type β-spending futility (one-sided designs only).
    pub futility: bool,
    pub daily_users: f64,
}

/// One look of the design.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct BoundaryRow {
    pub look: u32,
    pub fraction: f64,
    pub users_per_arm: f64,
    pub day: f64,
    pub efficacy_z: f64,
    pub nominal_p: f64,
    pub alpha_spent: f64,
    pub futility_z: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct DetectableRow {
    pub weeks: u32,
    pub users_per_arm: f64,
    pub absolute: Option<f64>,
    pub relative: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct DurationRow {
    pub relative: f64,
    pub users_per_arm: f64,
    pub days: f64,
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct PlanView {
    pub per_arm: f64,
    pub total: f64,
    pub fixed_per_arm: f64,
    pub days: f64,
    pub inflation: f64,
    /// Expected users per arm if there is no effect / at the MDE (sequential designs).
    pub expected_h0: Option<f64>,
    pub expected_h1: Option<f64>,
    /// The MDE in absolute units and relative to the baseline.
    pub mde_absolute: f64,
    pub mde_relative: Option<f64>,
    pub boundaries: Vec<BoundaryRow>,
    pub detectable: Vec<DetectableRow>,
    pub durations: Vec<DurationRow>,
}

impl From<&PlanReport> for PlanView {
    fn from(r: &PlanReport) -> Self {
        let two_sided = r.request.errors.sides == journeylab::api::lab::Sides::Two;
        PlanView {
            per_arm: r.plan.n_per_arm as f64,
            total: r.total_users as f64,
            fixed_per_arm: r.plan.n_fixed_per_arm as f64,
            days: r.plan.days.unwrap_or(0) as f64,
            inflation: r.inflation,
            expected_h0: r.plan.expected_n_h0,
            expected_h1: r.plan.expected_n_h1,
            mde_absolute: r.mde_absolute,
            mde_relative: r.mde_relative,
            boundaries: r
                .looks
                .iter()
                .enumerate()
                .map(|(k, l)| BoundaryRow {
                    look: k as u32 + 1,
                    fraction: l.boundary.fraction,
                    users_per_arm: l.users_per_arm as f64,
                    day: l.day as f64,
                    efficacy_z: l.boundary.upper,
                    nominal_p: l.boundary.nominal_p,
                    alpha_spent: l.boundary.alpha_spent,
                    // A two-sided design's lower bound mirrors the efficacy bound: it is not futility.
                    futility_z: if two_sided { None } else { l.boundary.lower },
                })
                .collect(),
            detectable: r
                .detectable
                .iter()
                .map(|d| DetectableRow {
                    weeks: d.weeks,
                    users_per_arm: d.users_per_arm as f64,
                    absolute: d.absolute,
                    relative: d.relative,
                })
                .collect(),
            durations: r
                .durations
                .iter()
                .map(|d| DurationRow {
                    relative: d.relative,
                    users_per_arm: d.users_per_arm as f64,
                    days: d.days as f64,
                })
                .collect(),
        }
    }
}
