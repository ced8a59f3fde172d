//! The one façade both front ends (the CLI and the desktop app) call, and the
//! only public module of the crate: every other module is `pub(crate)`, and
//! the plain types the front ends, the integration tests and the benches need
//! are re-exported here (`api::scenario`, `api::stats`, `api::lab`, `api::fit`,
//! `api::chart`). It adds no logic of its own beyond joining the pieces: load
//! and validate a scenario, run it, and render results. `tests/api_boundary.rs`
//! fails when a front end, a test or a bench names another path of the crate.

use std::path::Path;
use std::sync::atomic::AtomicBool;

pub use crate::behavior::{Model, PARAMETERS, Parameter, ParameterValue, markdown_table as model_markdown_table};
pub use crate::engine::{
    ChannelSummary, EdgeFlow, JourneyResults, NodeFlow, Progress, PurchaseHistory, RetentionCurves, RunConfig,
    RunError, RunResults, Series, Summary,
};
pub use crate::numbers::thousands;
pub use crate::scenario::grammar::NODE_KEYS;
pub use crate::scenario::{Diagnostic, DiagnosticKind, LoadError, Scenario};

/// Reads and validates a scenario file; every problem is reported at once.
pub fn load_scenario(path: &Path) -> Result<Scenario, LoadError> {
    crate::scenario::load(path)
}

/// Validates scenario text (from an editor) without touching the disk.
pub fn check_scenario(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    crate::scenario::read(text)
}

/// Every behaviour parameter with its value in `scenario` (the defaults without one), range, unit and source.
pub fn model_parameters(scenario: Option<&Scenario>) -> Vec<ParameterValue> {
    let defaults = Model::default();
    crate::behavior::parameter_values(scenario.map_or(&defaults, |s| &s.model))
}

/// Runs every journey of the scenario on the same users; see [`crate::engine::run`].
pub fn run(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<RunResults, RunError> {
    crate::engine::run(scenario, config, progress, cancel)
}

/// Runs one replication of the scenario's experiment and reports it look by look.
pub fn experiment(
    scenario: &Scenario,
    config: &RunConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<crate::experiment::ExperimentReport, crate::experiment::ExperimentError> {
    crate::experiment::run(scenario, config, progress, cancel)
}

/// Re-runs the scenario's experiment `replications` times and compares naive peeking with the valid method.
pub fn replicate_experiment(
    scenario: &Scenario,
    config: &RunConfig,
    replications: u64,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<crate::experiment::ReplicationSummary, crate::experiment::ExperimentError> {
    crate::experiment::replicate(scenario, config, replications, progress, cancel)
}

/// Purchase histories of a sample of users under one journey, split at `calibration_days`
/// (for fitting customer-base models); see [`crate::engine::purchase_histories`].
pub fn purchase_histories(
    scenario: &Scenario,
    config: &RunConfig,
    journey: usize,
    users: u32,
    calibration_days: u32,
    cancel: &AtomicBool,
) -> Result<Vec<PurchaseHistory>, RunError> {
    crate::engine::purchase_histories(scenario, config, journey, users, calibration_days, cancel)
}

pub use crate::edit::{
    ChoiceSet, EditError, Field, FieldChoice, FieldInput, FieldKind, GraphEdge, GraphNode, JourneyEdit, JourneyGraph,
    JourneyOutline, NODE_HEIGHT, NODE_WIDTH, NodeType, OutlineStep, Slot,
};
pub use crate::library::{Answer, Example, QUESTIONS, Question};
pub use crate::store::{NewRun, Recovery, RunEntry, ScenarioVersion, Store, StoreError, now};

/// The validated scenario's types (the contract between the file and the engine), as
/// [`check_scenario`] returns them.
pub mod scenario {
    pub use crate::scenario::grammar::{NODE_KEYS, NodeType, Slot};
    pub use crate::scenario::model::*;
    pub use crate::scenario::{Diagnostic, DiagnosticKind, LoadError, typical_segment};
}

/// The chart module's plain data structs and their drawing functions (SVG/PNG).
pub mod chart {
    pub use crate::chart::*;
}

/// The statistics toolkit of docs/statistics.md: fixed-horizon tests, sample-size plans,
/// group-sequential designs, always-valid inference, per-look monitoring, the peeking
/// Monte Carlo. [`lab`] re-exports it with the lab screens' functions.
pub mod stats {
    pub use crate::stats::bayes::{BayesSummary, BetaPrior, beta_binomial};
    pub use crate::stats::fixed::{
        ArmCounts, ArmSummary, FixedTest, Margin, two_proportion_margin_test, two_proportion_z_test, welch_margin_test,
        welch_t_test,
    };
    pub use crate::stats::method::{Conventions, Method, MetricKind};
    pub use crate::stats::monitor::{
        Analysis, ArmMoments, Decision, LookAnalysis, LookCounts, LookMeans, Looks, ObservedLooks, analyze,
        analyze_looks, read_looks,
    };
    pub use crate::stats::peeking::{
        Control, Increments, MethodReport, PeekConfig, PeekReport, Progress as PeekProgress, clopper_pearson, simulate,
    };
    pub use crate::stats::plan::{
        Baseline, Effect, Errors, Plan, means_margin_per_arm, plan, proportions_margin_per_arm, proportions_per_arm,
    };
    pub use crate::stats::sequential::{
        BoundaryFamily, ChoiceError, ConditionalPower, ConfidenceSequence, Design, DesignChoice, DesignSpec, Futility,
        FutilityChoice, LookBoundary, Msprt, SpendingFunction, efficacy_bounds, equal_fractions, naive_peeking_curve,
        repeated_test_size,
    };
    pub use crate::stats::srm::{SRM_THRESHOLD, SrmCheck, sample_ratio_mismatch};
    pub use crate::stats::{Sides, StatsError, Z_975, t_975};
}

/// The one vocabulary of every front end: each metric's id, name, one-line definition, unit and direction,
/// and the glossary of statistical terms (see [`crate::vocabulary`]).
pub mod vocabulary {
    pub use crate::scenario::Currency;
    pub use crate::vocabulary::{
        Better, GLOSSARY, METRICS, MetricDef, RUN_HEADLINE, Term, Unit, glossary_markdown, lower_first, metric_def,
        metrics_markdown_table, term, upper_first,
    };
}

/// Every metric the core reports, with its name, definition, unit and direction.
pub fn metrics() -> &'static [MetricDef] {
    &crate::vocabulary::METRICS
}

/// The statistical terms the screens and reports use, each with a one-line definition.
pub fn glossary() -> &'static [Term] {
    &crate::vocabulary::GLOSSARY
}

pub use crate::vocabulary::{MetricDef, RUN_HEADLINE, Term, metric_def};

/// Every setting of scenario text as form fields, with diagnostic-style paths.
pub fn scenario_fields(text: &str) -> Result<Vec<Field>, EditError> {
    crate::edit::fields(text)
}

/// Every journey of scenario text as a list of steps in the canvas's words.
pub fn journey_outlines(text: &str) -> Result<Vec<JourneyOutline>, EditError> {
    crate::edit::journey_outlines(text)
}

/// Scenario text with one setting changed; comments and layout kept.
pub fn set_scenario_field(text: &str, path: &str, value: &str) -> Result<String, EditError> {
    crate::edit::set_field(text, path, value)
}

/// One journey of scenario text as the canvas draws it, each problem on its node.
pub fn journey_graph(text: &str, journey: usize) -> Result<JourneyGraph, EditError> {
    crate::edit::journey_graph(text, journey)
}

/// Scenario text with one structure edit of journey `journey` applied; the rest kept byte for byte.
pub fn edit_journey(text: &str, journey: usize, edit: &JourneyEdit) -> Result<String, EditError> {
    crate::edit::apply(text, journey, edit)
}

/// The ready-made scenarios of `simulations/`.
pub fn examples() -> &'static [Example] {
    crate::library::EXAMPLES
}

/// A new scenario's starting text.
pub fn template() -> &'static str {
    crate::library::TEMPLATE
}

/// The one-line lesson from a scenario's header comment.
pub fn lesson(text: &str) -> Option<String> {
    crate::library::lesson(text)
}

/// The whole lesson paragraph of a scenario's header comment.
pub fn lesson_paragraph(text: &str) -> Option<String> {
    crate::library::lesson_paragraph(text)
}

/// Where a scenario's answer is read: its experiment's replay, or a comparison of its designs.
pub fn answer_of(text: &str) -> Answer {
    crate::library::answer_of(text)
}

/// Opens the run history (creating or migrating it); see [`Store::open`].
pub fn open_history(path: &Path) -> Result<(Store, Option<Recovery>), StoreError> {
    Store::open(path)
}

/// Results as the `journeylab.run/1` JSON document.
pub fn results_json(results: &RunResults) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(results)
}

/// The headline metrics, one column per journey, as CSV.
pub fn summary_csv(results: &RunResults) -> String {
    crate::export::summary_csv(results)
}

/// Every journey's daily series as CSV.
pub fn daily_csv(results: &RunResults) -> String {
    crate::export::daily_csv(results)
}

pub use crate::chart::{Band, Chart, ChartOptions, Curve, DataTable, ImageFormat, NamedCurve, Theme};
pub use crate::run_charts::{IDS as RUN_CHARTS, RunChart};

/// Draws one of a run's charts ([`RUN_CHARTS`]) with the core's chart module.
pub fn run_chart(results: &RunResults, id: &str, format: ImageFormat) -> Result<RunChart, crate::chart::ChartError> {
    crate::run_charts::draw(results, id, format)
}

/// Draws one of a run's charts at the size it is shown (pixels) and in a theme.
pub fn run_chart_with(
    results: &RunResults,
    id: &str,
    format: ImageFormat,
    options: &ChartOptions,
) -> Result<RunChart, crate::chart::ChartError> {
    crate::run_charts::draw_with(results, id, format, options)
}

/// The values one of a run's charts draws, as a table (its "show as table" view and text alternative).
pub fn run_chart_table(results: &RunResults, id: &str) -> Result<DataTable, crate::chart::ChartError> {
    crate::run_charts::table(results, id)
}

/// Fitting the projection models to a team's own cohorts: the sBG and the BG/NBD of `journeylab fit`
/// and the customer-summary CSV they read, and the Pareto/NBD (`journeylab calibrate` fits it to
/// active days).
pub mod fit {
    pub use crate::predict::summary::{self, Summary};
    pub use crate::predict::{Estimate, PredictError, bdw, bgnbd, paretonbd, retention, sbg};
    pub use crate::table::RowError;
}

/// The lab screens' façade: experiment monitor, peeking lab, planner.
pub mod lab {
    use std::sync::atomic::AtomicBool;

    use super::{Chart, ChartOptions, ImageFormat, RunConfig, Scenario};

    pub use super::stats::*;
    pub use crate::chart::ChartError;
    pub use crate::chart::{Peeking, peeking as draw_peeking};
    pub use crate::experiment::{
        ExperimentError, ExperimentReport, GuardrailStatus, LookReport, LookStatus, NaiveClaim, NotYet,
        ReplicationSummary, RuleSummary, Traffic, Truth,
    };
    pub use crate::stats::peeking::simulate as simulate_peeking;
    pub use crate::stats::peeking::stream::Settle;
    pub use crate::stats::planner::{PlanReport, PlanRequest, SequentialDesign};

    /// The scenario's experiment traffic (users entering per day) and baseline, from a short pilot.
    pub fn experiment_traffic(
        scenario: &Scenario,
        config: &RunConfig,
        cancel: &AtomicBool,
    ) -> Result<Traffic, ExperimentError> {
        crate::experiment::traffic(scenario, config, cancel)
    }

    /// One of the experiment monitor's charts through `through` looks: `monitor` (the statistic against
    /// its boundary), `monitor-arms` (each arm's estimate with its interval) or `monitor-p` (the naive
    /// p-value path against the experiment's α). `None` when there is nothing of that kind to draw (no boundary
    /// for mSPRT and confidence sequences).
    pub fn monitor_chart(
        report: &ExperimentReport,
        chart: &str,
        through: Option<usize>,
        format: ImageFormat,
    ) -> Result<Option<Vec<u8>>, ChartError> {
        monitor_chart_data(report, chart, through)?.map(|c| c.render(format, &ChartOptions::default())).transpose()
    }

    /// One of the experiment monitor's charts (as [`monitor_chart`]) as data: draw it at the size it is shown
    /// and in a theme, or read its values as a table. `None` when there is nothing of that kind to draw.
    pub fn monitor_chart_data(
        report: &ExperimentReport,
        chart: &str,
        through: Option<usize>,
    ) -> Result<Option<Box<dyn Chart>>, ChartError> {
        use crate::experiment;
        Ok(match chart {
            "monitor" => experiment::monitor_chart(report, through).map(|c| Box::new(c) as Box<dyn Chart>),
            "monitor-arms" => experiment::arm_chart(report, through).map(|c| Box::new(c) as Box<dyn Chart>),
            "monitor-p" => experiment::p_value_chart(report, through).map(|c| Box::new(c) as Box<dyn Chart>),
            other => return Err(ChartError::InvalidData(format!("no monitor chart {other:?}"))),
        })
    }

    /// The peeking Monte Carlo, streamed batch by batch until every interval is within
    /// `settle.half_width`; see [`crate::stats::peeking::stream::stream`].
    pub fn stream_peeking(
        config: &PeekConfig,
        methods: &[Method],
        settle: Settle,
        cancel: &AtomicBool,
        on_batch: &mut dyn FnMut(&PeekReport, bool),
    ) -> Result<PeekReport, StatsError> {
        crate::stats::peeking::stream::stream(config, methods, settle, Some(cancel), on_batch)
    }

    /// The peeking lab's chart: cumulative rates by look with intervals, the exact naive curve and α.
    pub fn peeking_chart(report: &PeekReport, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
        crate::chart::peeking(&peeking_chart_data(report)?, format)
    }

    /// The peeking lab's chart as data: draw it at the size it is shown and in a theme, or read its table.
    pub fn peeking_chart_data(report: &PeekReport) -> Result<Peeking, ChartError> {
        crate::stats::peeking::by_look::chart(report).map_err(|e| ChartError::InvalidData(e.to_string()))
    }

    /// Sample size, duration, boundary table and what the traffic can detect.
    pub fn plan_experiment(request: &PlanRequest) -> Result<PlanReport, StatsError> {
        crate::stats::planner::plan_experiment(request)
    }
}

pub use crate::compare::{
    BGNBD_SAMPLE, Better, CHART_IDS as COMPARE_CHARTS, CompareConfig, CompareError, CompareReport,
    GUARDRAILS as COMPARE_GUARDRAILS, MAX_REPLICATIONS, Metric, PRIMARY as COMPARE_PRIMARY,
    PRIMARY_CHOICES as COMPARE_PRIMARY_CHOICES, PROJECT_DAYS, ProjectionCheck, Recommendation, Unit, Verdict, Winner,
    projection_checks,
};
pub use crate::predict::Projected;
pub use crate::predict::retention::describe as describe_retention_models;

/// The app's Compare screen: its default and most replicates, and the comparison it runs.
pub use crate::compare::panel::{
    PANEL_MAX_REPLICATIONS as COMPARE_PANEL_MAX_REPLICATIONS, PANEL_REPLICATIONS as COMPARE_PANEL_REPLICATIONS,
    PanelError as ComparePanelError, panel_config as compare_panel_config,
};

/// Compares every journey of the scenario over replicates; see [`crate::compare`].
pub fn compare(
    scenario: &Scenario,
    config: &CompareConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<CompareReport, CompareError> {
    crate::compare::compare(scenario, config, progress, cancel)
}

/// The comparison's verdict with `primary` (a metric id, see [`COMPARE_PRIMARY_CHOICES`]) as the metric that ranks
/// the designs, instead of the scenario's; "nothing to choose" when the comparison has no such metric.
pub fn compare_verdict(report: &CompareReport, primary: &str) -> Verdict {
    crate::compare::decide(&report.metrics, &report.journeys, report.currency, primary)
}

/// A comparison's headline metrics as CSV.
pub fn compare_csv(report: &CompareReport) -> String {
    crate::compare::headline_csv(report)
}

/// One of a comparison's charts ([`COMPARE_CHARTS`]) as data: draw it at the size it is shown and in a theme
/// ([`chart::Chart::render`]), or read its values as a table ([`chart::Chart::table`]); None if it has no such chart.
pub fn compare_chart_data<'a>(report: &'a CompareReport, id: &str) -> Option<&'a dyn Chart> {
    crate::compare::chart(&report.charts, id)
}

/// Draws one of a comparison's charts ([`COMPARE_CHARTS`]); None if it has no such chart.
pub fn compare_chart(
    report: &CompareReport,
    id: &str,
    format: ImageFormat,
) -> Option<Result<Vec<u8>, crate::chart::ChartError>> {
    crate::compare::draw(&report.charts, id, format)
}

pub use crate::population::{SegmentTraits, TraitHistogram};

/// Each segment's trait distributions, binned from users drawn by the run's own sampler
/// ([`crate::population::TRAIT_DRAWS`] per segment, the scenario's seed).
pub fn segment_traits(scenario: &Scenario) -> Vec<SegmentTraits> {
    crate::population::segment_traits(scenario, crate::population::TRAIT_DRAWS)
}

/// One trait's histogram as a sparkline, the mean of a trait the scenario sets marked
/// (hours and time zones go round the clock: their mean would mislead).
pub fn trait_sparkline(histogram: &TraitHistogram, format: ImageFormat) -> Result<Vec<u8>, crate::chart::ChartError> {
    let chart = crate::chart::SparklineHistogram {
        counts: histogram.counts.clone(),
        lower: histogram.lower,
        upper: histogram.upper,
        marker: histogram.configured_mean.map(|_| histogram.mean),
    };
    crate::chart::sparkline_histogram(&chart, format)
}

/// Importing an event export (docs/calibration.md): CSV, JSON lines, gzip, Parquet; vendor
/// presets or a mapping spec; per-user histories for the customer-base fits.
pub mod import {
    use std::path::Path;

    pub use crate::import::btyd::{self, CustomerPeriods};
    pub use crate::import::{
        ActiveDay, Counts, Day, Field, Import, ImportError, Layout, Mapping, NaiveTimes, Options, PRESETS, Preset,
        Preview, PreviewRow, PurchaseDay, Reason, RejectedKind, Rejection, Setting, Summary, UserHistory,
    };

    /// Reads an export, streaming; `on_reject` sees every rejected row (line and reason).
    pub fn read(path: &Path, options: &Options, on_reject: &mut dyn FnMut(&Rejection)) -> Result<Import, ImportError> {
        crate::import::read(path, options, on_reject)
    }

    /// The first `rows` rows (at most [`PREVIEW_MAX_ROWS`]) as the importer would read them: layout,
    /// mapping (with its spec to edit), and per row the fields found and the outcome.
    pub fn preview(path: &Path, options: &Options, rows: usize) -> Result<Preview, ImportError> {
        crate::import::preview(path, options, rows)
    }

    pub use crate::import::preview::MAX_ROWS as PREVIEW_MAX_ROWS;
}

/// Calibrating a population from an imported export and back-testing it on a holdout period
/// (`journeylab calibrate`, docs/calibration.md).
pub mod calibrate {
    use std::sync::atomic::AtomicBool;

    pub use crate::calibrate::{
        Backtest, CalibrateError, Calibration, DEFAULT_SEED, Extras, Fit, FrequencyRow, Options, Period, Report,
        SegmentFit, TrackingRow, Triple, Update, suggested_holdout_from,
    };
    pub use crate::chart::BacktestChart;

    /// Fits a population to `import`'s calibration period and back-tests it on the holdout.
    pub fn calibrate(
        import: &super::import::Import,
        options: &Options,
        cancel: &AtomicBool,
        on_update: &dyn Fn(Update<'_>),
    ) -> Result<Calibration, CalibrateError> {
        crate::calibrate::calibrate(import, options, cancel, on_update)
    }

    /// report.md.
    pub fn markdown(calibration: &Calibration) -> String {
        crate::calibrate::markdown(calibration)
    }

    /// The back-test in one paragraph: what happened in the holdout, the simulation and the BG/NBD.
    pub fn verdict(calibration: &Calibration) -> String {
        crate::calibrate::verdict(calibration)
    }

    /// The headline, by-frequency and segment tables as display text (labels and rounding the core's).
    pub fn tables(calibration: &Calibration) -> Vec<super::DataTable> {
        crate::calibrate::tables(calibration)
    }

    /// The back-test's charts, each with its file stem.
    pub fn charts(calibration: &Calibration) -> Vec<(&'static str, BacktestChart)> {
        crate::calibrate::charts(calibration)
    }

    /// Draws one of the back-test's charts.
    pub fn draw(chart: &BacktestChart, format: super::ImageFormat) -> Result<Vec<u8>, crate::chart::ChartError> {
        crate::calibrate::draw(chart, format)
    }
}

pub use crate::robust::{
    ChartFile as RobustChartFile, ChartKind as RobustChartKind, MAX_REPLICATES as ROBUST_MAX_REPLICATES,
    MAX_SAMPLES as ROBUST_MAX_SAMPLES, PANEL_MAX_SAMPLES as ROBUST_PANEL_MAX_SAMPLES,
    PANEL_MAX_USERS as ROBUST_PANEL_MAX_USERS, PANEL_METRIC as ROBUST_PANEL_METRIC,
    PANEL_SAMPLES as ROBUST_PANEL_SAMPLES, PANEL_USERS as ROBUST_PANEL_USERS, PairReport, Plan as RobustPlan,
    Points as RobustPoints, RobustConfig, RobustError, RobustReport, SensitivityMethod as RobustSensitivityMethod,
    Shard, metric_label as robust_metric_label,
};

/// The sweep the app's Robustness panel runs for these inputs (`None`: the panel's default);
/// errors say what is allowed.
pub fn robust_panel_config(samples: Option<u32>, users: Option<u32>) -> Result<RobustConfig, RobustError> {
    crate::robust::panel_config(samples, users)
}

/// How many runs of how many users a whole sweep makes, before it runs; the sweep's own error
/// when it would refuse to run (too few journeys, settings out of range).
pub fn robust_plan(scenario: &Scenario, config: &RobustConfig) -> Result<RobustPlan, RobustError> {
    crate::robust::plan(scenario, config)
}

/// Robustness: every pair of journeys over the `[model]` parameters' plausible ranges — one at a
/// time and jointly, on common random numbers — with how often each winner holds; see [`crate::robust`].
/// Returns the raw runs (for `robust_merge`) and the report.
pub fn robust(
    scenario: &Scenario,
    config: &RobustConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<(RobustPoints, RobustReport), RobustError> {
    crate::robust::robust(scenario, config, progress, cancel)
}

/// One shard of a robustness sweep (`config.shard`): its runs' raw values, to merge later.
pub fn robust_shard(
    scenario: &Scenario,
    config: &RobustConfig,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<RobustPoints, RobustError> {
    crate::robust::sweep(scenario, config, progress, cancel)
}

/// Reads a shard's points file (`points-<i>-of-<n>.jsonl`); errors name the line.
pub fn robust_points(text: &str) -> Result<RobustPoints, RobustError> {
    RobustPoints::parse(text)
}

/// Combines every shard of one sweep (labelled for errors, e.g. by path) and reports on it:
/// the same points and report as one whole run.
pub fn robust_merge(shards: Vec<(String, RobustPoints)>) -> Result<(RobustPoints, RobustReport), RobustError> {
    let points = crate::robust::merge(shards)?;
    let report = crate::robust::analyse(&points)?;
    Ok((points, report))
}

/// The report in plain words (summary.md).
pub fn robust_summary(report: &RobustReport) -> String {
    crate::robust::summary_markdown(report)
}

/// Each pair of the report (in report order) in plain words, as the app shows it.
pub fn robust_sentences(report: &RobustReport) -> Vec<String> {
    crate::robust::pair_sentences(report)
}

/// The report as a flat table (robust.csv): one row per pair of journeys and metric.
pub fn robust_csv(report: &RobustReport) -> String {
    crate::robust::pairs_csv(report)
}

/// Every chart of a robustness report: the file name (no extension) the CLI uses, its title, which chart.
pub fn robust_charts(report: &RobustReport) -> Vec<RobustChartFile> {
    crate::robust::chart_files(report)
}

/// One chart of a robustness report as data: draw it at the size it is shown and in a theme, or read its
/// values as a table; None when the report has no such chart.
pub fn robust_chart_data(report: &RobustReport, kind: &RobustChartKind) -> Option<Box<dyn Chart>> {
    crate::robust::chart_data(report, kind)
}

/// Draws one chart of a robustness report.
pub fn robust_chart(
    report: &RobustReport,
    kind: &RobustChartKind,
    format: ImageFormat,
) -> Result<Vec<u8>, crate::chart::ChartError> {
    crate::robust::draw(report, kind, format)
}
