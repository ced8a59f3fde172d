//! Command-line front end. Each subcommand lives in its own module and returns
//! `anyhow::Result<ExitCode>`; bad input is reported on stderr with exit code 2.

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod calibrate;
mod compare;
mod experiment;
mod fit;
mod import;
mod model;
mod robust;
mod run;
mod stats;

/// Exit code for input the user must fix (bad scenario, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "journeylab",
    version,
    about = "Simulate customer journeys, sequential A/B tests and retention strategies."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate every journey of a scenario on the same synthetic users.
    Run(run::RunArgs),
    /// Validate a scenario file and report every problem at once.
    Check(run::CheckArgs),
    /// Run the scenario's A/B experiment look by look, or many replications of it.
    Experiment(experiment::ExperimentArgs),
    /// Group-sequential boundaries (Pocock, O'Brien–Fleming, Haybittle–Peto, error spending).
    Design(stats::DesignArgs),
    /// Monte Carlo of an experiment looked at K times: false-positive rate or power.
    Peek(stats::PeekArgs),
    /// Users per arm and days for a fixed or group-sequential test.
    Plan(stats::PlanArgs),
    /// Per-look analysis of observed cumulative counts.
    Analyze(stats::AnalyzeArgs),
    /// Compare every strategy of a scenario over replicates: projections, charts, CSVs, summary.md.
    Compare(compare::CompareArgs),
    /// Does each verdict survive the plausible range of every `[model]` parameter? Tornado, holds share, summary.md.
    Robust(robust::RobustArgs),
    /// Fit a retention (sBG) or repeat-purchase (BG/NBD) model to your own cohorts.
    Fit(fit::FitArgs),
    /// List every behaviour parameter: value, plausible range, unit, meaning and source.
    Model(model::ModelArgs),
    /// Read an event export (CSV, JSON lines, gzip, Parquet) and summarise it: events, users, purchases.
    Import(import::ImportArgs),
    /// Fit a population to an event export and back-test it on a holdout period: scenario.toml, report, charts.
    Calibrate(calibrate::CalibrateArgs),
}

/// Output format shared by every subcommand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
}

/// A failure caused by the user's input: printed as is, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Reads the CSV file at `path` with `read`; every bad row becomes one line
/// of the error, `path:line: problem`, like a scenario's diagnostics.
pub fn read_csv<T>(
    path: &std::path::Path,
    read: impl FnOnce(&str) -> Result<T, Vec<journeylab::api::fit::RowError>>,
) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| BadInput(format!("cannot read {}: {e}", path.display())))?;
    read(&text).map_err(|errors| {
        let listing: Vec<String> = errors.iter().map(|e| format!("  {}:{e}", path.display())).collect();
        BadInput(format!("{} has {} problem(s):\n{}", path.display(), errors.len(), listing.join("\n"))).into()
    })
}

/// Prints a result on stdout, the CLI's output channel. A reader that goes
/// away early (`journeylab … | head`) is not an error: the rest is dropped.
pub fn say(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Check(args) => run::check(args),
        Command::Experiment(args) => experiment::experiment(args),
        Command::Design(args) => stats::design(args),
        Command::Peek(args) => stats::peek(args),
        Command::Plan(args) => stats::plan_command(args),
        Command::Analyze(args) => stats::analyze_command(args),
        Command::Compare(args) => compare::compare(args),
        Command::Robust(args) => robust::robust(args),
        Command::Fit(args) => fit::fit(args),
        Command::Model(args) => model::model(args),
        Command::Import(args) => import::import(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            #[allow(clippy::print_stderr, reason = "the CLI's error channel")]
            {
                eprintln!("error: {error:#}");
            }
            if error.downcast_ref::<BadInput>().is_some() { ExitCode::from(EXIT_BAD_INPUT) } else { ExitCode::FAILURE }
        }
    }
}
