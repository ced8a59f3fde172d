//! The shapes the UI sees. Engine types are not the IPC shape: these are
//! converted from them here. Their TypeScript is generated with the commands'
//! (tauri-specta, `crate::ipc`) into ui/src/bindings.ts; tests/bindings.rs fails when it is stale.

use journeylab::api::scenario::DiagnosticKind;
use journeylab::api::{
    self, Better, CompareReport, Diagnostic, Field, FieldChoice, FieldInput, FieldKind, JourneyOutline, Metric,
    Projected, Recommendation, RunEntry, RunResults, ScenarioVersion, Unit, Verdict, Winner,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::screens::ScreenId;

/// What kind of problem a diagnostic is (the core's `DiagnosticKind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKindDto {
    Syntax,
    UnknownKey,
    MissingField,
    WrongType,
    OutOfRange,
    SharesSum,
    DuplicateName,
    UnknownChannel,
    UnknownValue,
    DanglingReference,
    CycleWithoutWait,
    UnreachableNode,
    Trigger,
}

impl From<DiagnosticKind> for DiagnosticKindDto {
    fn from(k: DiagnosticKind) -> Self {
        use DiagnosticKind as K;
        match k {
            K::Syntax => DiagnosticKindDto::Syntax,
            K::UnknownKey => DiagnosticKindDto::UnknownKey,
            K::MissingField => DiagnosticKindDto::MissingField,
            K::WrongType => DiagnosticKindDto::WrongType,
            K::OutOfRange => DiagnosticKindDto::OutOfRange,
            K::SharesSum => DiagnosticKindDto::SharesSum,
            K::DuplicateName => DiagnosticKindDto::DuplicateName,
            K::UnknownChannel => DiagnosticKindDto::UnknownChannel,
            K::UnknownValue => DiagnosticKindDto::UnknownValue,
            K::DanglingReference => DiagnosticKindDto::DanglingReference,
            K::CycleWithoutWait => DiagnosticKindDto::CycleWithoutWait,
            K::UnreachableNode => DiagnosticKindDto::UnreachableNode,
            K::Trigger => DiagnosticKindDto::Trigger,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct DiagnosticDto {
    pub kind: DiagnosticKindDto,
    pub line: u32,
    pub column: u32,
    /// Field path, e.g. `population.segment[0].share`: the form shows the diagnostic at this field.
    pub path: String,
    pub message: String,
    pub hint: String,
}

impl From<&Diagnostic> for DiagnosticDto {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticDto {
            kind: d.kind.into(),
            line: d.line as u32,
            column: d.column as u32,
            path: d.path.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// What an export writes. Each export command takes the formats it has (a run: `summary-csv`,
/// `daily-csv`, `json`, `svg`, `png`; a comparison and a sweep: `csv`, `json`, `svg`, `png`;
/// a lab chart: `svg`, `png`) and refuses the others with `file.failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    SummaryCsv,
    DailyCsv,
    Csv,
    Json,
    Svg,
    Png,
}

impl ExportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::SummaryCsv => "summary-csv",
            ExportFormat::DailyCsv => "daily-csv",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
        }
    }

    /// The image format of `svg` or `png`; None for a text format.
    pub fn image(self) -> Option<api::ImageFormat> {
        match self {
            ExportFormat::Svg => Some(api::ImageFormat::Svg),
            ExportFormat::Png => Some(api::ImageFormat::Png),
            _ => None,
        }
    }
}

/// A ready-made scenario in the library.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct Example {
    pub id: String,
    pub title: String,
    /// The lesson's first sentence (or two), and its whole paragraph.
    pub lesson: String,
    pub details: String,
    /// Where its answer is read: the experiment monitor for an A/B or A/A test, Compare otherwise.
    pub answer: ScreenId,
}

/// A "Start here" question: the example that answers it, the screen its answer is read on, and
/// what the user reads there.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct StartQuestion {
    pub question: String,
    /// The example's id and title.
    pub example: String,
    pub title: String,
    pub answer: ScreenId,
    pub read: String,
}

/// The screen a core answer is read on.
pub fn answer_screen(answer: api::Answer) -> ScreenId {
    match answer {
        api::Answer::Compare => ScreenId::Compare,
        api::Answer::Experiment => ScreenId::Monitor,
    }
}

/// Scenario text open in the editor, and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ScenarioDoc {
    pub name: String,
    pub toml: String,
    /// `example`, `saved` (the user's library), `file` or `run`.
    pub origin: String,
}

/// One of the user's saved scenarios (latest version).
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct UserScenario {
    pub name: String,
    pub version: u32,
    /// Seconds since the Unix epoch.
    pub saved_at: f64,
}

impl From<&ScenarioVersion> for UserScenario {
    fn from(v: &ScenarioVersion) -> Self {
        UserScenario { name: v.name.clone(), version: v.version as u32, saved_at: v.saved_at as f64 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKindDto {
    Integer,
    Float,
    Text,
    Boolean,
    Date,
    Raw,
}

/// How the form edits a field (the core's field definitions choose it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum FieldInputDto {
    Number,
    /// A proportion of 0–1 in the file, entered and shown as a percentage.
    Percent,
    Select,
    /// Several of the choices, in order, written as a list.
    Multi,
    Toggle,
    Text,
    LongText,
    Date,
    /// TOML written as is.
    Raw,
}

/// One value a select offers: as written in the file and as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct FieldChoiceDto {
    pub value: String,
    pub label: String,
}

impl From<FieldChoice> for FieldChoiceDto {
    fn from(c: FieldChoice) -> Self {
        FieldChoiceDto { value: c.value, label: c.label }
    }
}

/// One setting of the scenario, for the form, with its plain-language label, help, unit and range
/// from the core's field definitions.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct FieldDto {
    pub path: String,
    pub section: String,
    /// The section's title for people, e.g. "Segment 1: bargain hunters › Time zones and travel".
    pub section_title: String,
    /// The field's name within its section as written in the file, e.g. `purchase_propensity.mean`.
    pub label: String,
    /// Its plain-language title, e.g. "Chance a visit reaches the cart · average".
    pub title: String,
    pub help: String,
    /// Shown beside the input: "%", "days", "EUR"; empty for none.
    pub unit: String,
    pub input: FieldInputDto,
    /// Allowed range in the file's units (a percent field's 0–1); null where not fixed.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The number input's step, in the file's units.
    pub step: f64,
    /// The allowed values in the form's words, e.g. "from 0 % to 100 %"; empty when free.
    pub range: String,
    pub choices: Vec<FieldChoiceDto>,
    pub kind: FieldKindDto,
    pub value: String,
}

impl From<Field> for FieldDto {
    fn from(f: Field) -> Self {
        let kind = match f.kind {
            FieldKind::Integer => FieldKindDto::Integer,
            FieldKind::Float => FieldKindDto::Float,
            FieldKind::Text => FieldKindDto::Text,
            FieldKind::Boolean => FieldKindDto::Boolean,
            FieldKind::Date => FieldKindDto::Date,
            FieldKind::Raw => FieldKindDto::Raw,
        };
        let input = match f.input {
            FieldInput::Number => FieldInputDto::Number,
            FieldInput::Percent => FieldInputDto::Percent,
            FieldInput::Select => FieldInputDto::Select,
            FieldInput::Multi => FieldInputDto::Multi,
            FieldInput::Toggle => FieldInputDto::Toggle,
            FieldInput::Text => FieldInputDto::Text,
            FieldInput::LongText => FieldInputDto::LongText,
            FieldInput::Date => FieldInputDto::Date,
            FieldInput::Raw => FieldInputDto::Raw,
        };
        FieldDto {
            path: f.path,
            section: f.section,
            section_title: f.section_title,
            label: f.label,
            title: f.title,
            help: f.help,
            unit: f.unit,
            input,
            min: f.min,
            max: f.max,
            step: f.step,
            range: f.range,
            choices: f.choices.into_iter().map(FieldChoiceDto::from).collect(),
            kind,
            value: f.value,
        }
    }
}

/// One journey as the form lists it, each step in the canvas's words.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct JourneyOutlineDto {
    pub name: String,
    pub steps: Vec<OutlineStepDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct OutlineStepDto {
    pub id: String,
    /// `trigger`, `wait`, `branch`, `message`, `exit` or `unknown`.
    pub kind: String,
    /// The canvas card's summary.
    pub summary: String,
    /// Where it goes next: "done", or "yes: done · no: next_visit".
    pub then: String,
}

impl From<JourneyOutline> for JourneyOutlineDto {
    fn from(j: JourneyOutline) -> Self {
        JourneyOutlineDto {
            name: j.name,
            steps: j
                .steps
                .into_iter()
                .map(|s| OutlineStepDto { id: s.id, kind: s.kind, summary: s.summary, then: s.then })
                .collect(),
        }
    }
}

/// Validation of editor text: every diagnostic, and the form's fields (empty if the TOML does not parse).
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CheckReport {
    pub valid: bool,
    pub diagnostics: Vec<DiagnosticDto>,
    pub fields: Vec<FieldDto>,
    /// Every journey's steps in the canvas's words (also when the text is invalid but parses).
    pub outlines: Vec<JourneyOutlineDto>,
    pub journeys: Vec<String>,
    pub users: u32,
    pub days: u32,
    /// The scenario has an `[experiment]` (the Experiment and Planner screens use it).
    pub has_experiment: bool,
}

/// Overrides the run screen may set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Type)]
pub struct RunOptions {
    pub users: Option<u32>,
    pub days: Option<u32>,
}

/// Streamed over the run's channel, at most ~10 per second.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum RunEvent {
    /// The job id to pass to `cancel_run`.
    Started {
        job: u32,
        users_total: f64,
    },
    Progress {
        users_done: f64,
        users_total: f64,
        elapsed_ms: f64,
    },
}

/// A run in the history list.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RunSummary {
    pub id: f64,
    pub scenario_name: String,
    pub started_at: f64,
    pub seconds: f64,
    pub users: u32,
    pub days: u32,
}

impl From<&RunEntry> for RunSummary {
    fn from(r: &RunEntry) -> Self {
        RunSummary {
            id: r.id as f64,
            scenario_name: r.scenario_name.clone(),
            started_at: r.started_at as f64,
            seconds: r.seconds,
            users: r.users,
            days: r.days,
        }
    }
}

/// One row of the results: a metric (its id in the core's vocabulary, which names it) across journeys.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct MetricRow {
    pub metric: String,
    pub values: Vec<Option<f64>>,
}

/// A chart the screen shows: its id (what `draw_chart` draws, at the size it is shown) and the core's title.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct ChartDto {
    pub id: String,
    pub title: String,
}

/// A finished (or reopened) run, ready to show. Rows carry metric ids: names, definitions and units
/// come from the `vocabulary` command in the run's `currency`.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct RunView {
    pub run: RunSummary,
    pub seed: String,
    pub journeys: Vec<String>,
    /// The currency of every amount of money (the scenario's `[economics] currency`).
    pub currency: String,
    /// The core's headline metrics of a run, in order; the first journey is the baseline.
    pub headline: Vec<MetricRow>,
    /// Every metric of the vocabulary the run reports, in the vocabulary's order.
    pub table: Vec<MetricRow>,
    /// Per journey: users who entered it at least once.
    pub entered: Vec<f64>,
    /// Per journey: users held out of it.
    pub held_out: Vec<f64>,
    pub charts: Vec<ChartDto>,
    /// The metric the run's scenario judges designs by (`[verdict] primary_metric`).
    pub primary_metric: String,
}

impl RunView {
    /// The run as the screen shows it; `scenario` is the text it was made from (for its primary metric).
    pub fn new(entry: &RunEntry, results: &RunResults, charts: Vec<ChartDto>, scenario: &str) -> Self {
        let summaries: Vec<serde_json::Value> =
            results.journeys.iter().map(|j| serde_json::to_value(&j.summary).unwrap_or_default()).collect();
        // A metric the summary reports (its key), one value per journey.
        let row = |id: &str| {
            summaries.first().and_then(|s| s.get(id)).map(|_| MetricRow {
                metric: id.to_owned(),
                values: summaries.iter().map(|s| s[id].as_f64()).collect(),
            })
        };
        RunView {
            run: RunSummary::from(entry),
            // u64 does not fit a JS number exactly.
            seed: results.seed.to_string(),
            journeys: results.journeys.iter().map(|j| j.name.clone()).collect(),
            currency: results.currency.clone(),
            headline: api::RUN_HEADLINE.iter().filter_map(|id| row(id)).collect(),
            table: api::metrics().iter().filter_map(|m| row(m.id)).collect(),
            entered: results.journeys.iter().map(|j| j.summary.entered as f64).collect(),
            held_out: results.journeys.iter().map(|j| j.summary.held_out as f64).collect(),
            charts,
            primary_metric: api::check_scenario(scenario)
                .map_or(api::COMPARE_PRIMARY, |s| s.verdict.primary_metric)
                .to_owned(),
        }
    }
}

/// One trait of a segment: its distribution as a sparkline histogram drawn by the core.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct TraitDto {
    /// The segment's key in the scenario file where there is one, e.g. `visits_per_day`.
    pub id: String,
    pub label: String,
    /// Mean of the drawn users.
    pub mean: f64,
    /// The mean the scenario sets, where it sets one.
    pub configured_mean: Option<f64>,
    /// Range of the bars; draws beyond `upper` are in the last bar.
    pub lower: f64,
    pub upper: f64,
    pub draws: f64,
    /// A proportion: its numbers are shown as percentages, as the form enters them.
    pub percent: bool,
    pub svg: String,
}

/// A segment's drawn traits.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct SegmentTraitsDto {
    pub name: String,
    pub traits: Vec<TraitDto>,
}

/// What the Compare screen may override; null takes the core's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Type)]
pub struct CompareOptions {
    /// Replicates, 1 … `CompareSettings.replications_max`.
    pub replications: Option<u32>,
    pub users: Option<u32>,
}

/// The Compare screen's default and most replicates, as the core sets them (a constant of the
/// bindings, `COMPARE_SETTINGS`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Type)]
pub struct CompareSettings {
    pub replications: u32,
    pub replications_max: u32,
}

impl CompareSettings {
    pub fn from_core() -> Self {
        CompareSettings {
            replications: api::COMPARE_PANEL_REPLICATIONS,
            replications_max: api::COMPARE_PANEL_MAX_REPLICATIONS,
        }
    }
}

/// Which way a metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum BetterDto {
    Higher,
    Lower,
}

impl From<Better> for BetterDto {
    fn from(b: Better) -> Self {
        match b {
            Better::Higher => BetterDto::Higher,
            Better::Lower => BetterDto::Lower,
        }
    }
}

/// What a metric's numbers are, as the core says: the UI formats by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum UnitDto {
    /// A fraction (shown as a percentage; differences in percentage points).
    Share,
    /// Currency units per user.
    Money,
    /// A count per user or customer.
    Count,
}

impl From<Unit> for UnitDto {
    fn from(u: Unit) -> Self {
        match u {
            Unit::Share => UnitDto::Share,
            Unit::Money => UnitDto::Money,
            Unit::Count => UnitDto::Count,
        }
    }
}

/// A mean and its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Type)]
pub struct IntervalDto {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

impl From<Projected> for IntervalDto {
    fn from(p: Projected) -> Self {
        IntervalDto { value: p.value, lower: p.lower, upper: p.upper }
    }
}

/// One headline metric across journeys, with the winner if the lead is beyond its interval.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CompareMetricDto {
    pub id: String,
    pub label: String,
    pub better: BetterDto,
    pub unit: UnitDto,
    pub values: Vec<Option<IntervalDto>>,
    /// Per journey: its paired difference from the baseline (the first journey) with a 95 % interval; null for the baseline.
    pub vs_baseline: Vec<Option<IntervalDto>>,
    /// Index of the clear winner (or of the only journey with a value).
    pub winner: Option<u32>,
    /// Index of the leader when its lead is not clear.
    pub leader: Option<u32>,
    /// The winner's or leader's paired lead over the runner-up, in the good direction.
    pub lead: Option<IntervalDto>,
}

impl From<&Metric> for CompareMetricDto {
    fn from(m: &Metric) -> Self {
        let (winner, leader, lead) = match &m.winner {
            Winner::None => (None, None, None),
            Winner::Only(j) => (Some(*j as u32), None, None),
            Winner::Clear { journey, lead } => (Some(*journey as u32), None, Some((*lead).into())),
            Winner::Unclear { leader, lead } => (None, Some(*leader as u32), Some((*lead).into())),
        };
        CompareMetricDto {
            id: m.id.to_owned(),
            label: m.label.to_owned(),
            better: m.better.into(),
            unit: m.unit.into(),
            values: m.values.iter().map(|v| v.map(IntervalDto::from)).collect(),
            vs_baseline: m.vs_baseline.iter().map(|v| v.map(IntervalDto::from)).collect(),
            winner,
            leader,
            lead,
        }
    }
}

/// What a comparison recommends (Statsig's roll out / discuss / don't).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum RecommendationDto {
    /// The leader beats the runner-up on net margin and no guardrail is worse.
    Ship,
    /// The leader beats the runner-up but a guardrail is worse.
    Discuss,
    /// The lead is within its interval.
    Inconclusive,
    /// Fewer than two designs have a value.
    NothingToChoose,
}

/// The comparison's answer in one sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct VerdictDto {
    pub recommendation: RecommendationDto,
    /// Index of the design the sentence is about.
    pub journey: Option<u32>,
    pub text: String,
}

impl From<&Verdict> for VerdictDto {
    fn from(v: &Verdict) -> Self {
        VerdictDto {
            recommendation: match v.recommendation {
                Recommendation::Ship => RecommendationDto::Ship,
                Recommendation::Discuss => RecommendationDto::Discuss,
                Recommendation::Inconclusive => RecommendationDto::Inconclusive,
                Recommendation::NothingToChoose => RecommendationDto::NothingToChoose,
            },
            journey: v.journey.map(|j| j as u32),
            text: v.text.clone(),
        }
    }
}

/// The verdict when `metric` is the primary metric.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct PrimaryVerdictDto {
    pub metric: String,
    pub verdict: VerdictDto,
}

/// A finished comparison of a scenario's journeys.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
pub struct CompareView {
    pub scenario: String,
    pub journeys: Vec<String>,
    /// The currency of every amount of money (the scenario's `[economics] currency`).
    pub currency: String,
    pub users: f64,
    pub days: u32,
    pub replications: u32,
    pub metrics: Vec<CompareMetricDto>,
    /// The journey the discount chart and the differences measure against (the first).
    pub baseline: String,
    /// The metric the scenario's verdict ranks designs by (`[verdict] primary_metric`).
    pub primary: String,
    /// The verdict with each metric a verdict can rank by as the primary one (the scenario's first), so the
    /// screen can switch the primary metric: each decided by the core from that metric and the guardrails.
    pub verdicts: Vec<PrimaryVerdictDto>,
    /// Per journey, the 12-month projection model(s) chosen across replicates, e.g. "BdW" or "BdW ×3, sBG ×2".
    pub retention_models: Vec<String>,
    pub charts: Vec<ChartDto>,
}

impl CompareView {
    pub fn new(report: &CompareReport, charts: Vec<ChartDto>) -> Self {
        CompareView {
            scenario: report.scenario.clone(),
            journeys: report.journeys.clone(),
            currency: report.currency.as_str().to_owned(),
            users: report.users as f64,
            days: report.days,
            replications: report.replications as u32,
            metrics: report.metrics.iter().map(CompareMetricDto::from).collect(),
            baseline: report.journeys.first().cloned().unwrap_or_default(),
            primary: report.primary.to_owned(),
            verdicts: std::iter::once(report.primary)
                .chain(api::COMPARE_PRIMARY_CHOICES.iter().copied().filter(|id| *id != report.primary))
                .filter(|id| report.metrics.iter().any(|m| m.id == *id))
                .map(|id| {
                    let verdict =
                        if id == report.primary { report.verdict.clone() } else { api::compare_verdict(report, id) };
                    PrimaryVerdictDto { metric: id.to_owned(), verdict: VerdictDto::from(&verdict) }
                })
                .collect(),
            retention_models: report.retention_models.iter().map(|m| api::describe_retention_models(m)).collect(),
            charts,
        }
    }
}
