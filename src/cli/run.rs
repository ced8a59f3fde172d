//! `journeylab run` and `journeylab check`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use journeylab::api::{self, LoadError, RunConfig, RunResults, Scenario};

use super::{BadInput, Format};

/// Overrides of a scenario's own settings, shared by every command that simulates.
#[derive(Args)]
pub struct Overrides {
    /// Override the number of simulated users.
    #[arg(long)]
    users: Option<u32>,
    /// Override the horizon in days.
    #[arg(long)]
    days: Option<u32>,
    /// Override the random seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results never depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

impl Overrides {
    /// The run configuration, refusing zero users, days or threads as bad input.
    pub fn config(&self) -> anyhow::Result<RunConfig> {
        if self.users == Some(0) || self.days == Some(0) || self.threads == Some(0) {
            return Err(BadInput("--users, --days and --threads must be at least 1".into()).into());
        }
        Ok(RunConfig { users: self.users, days: self.days, seed: self.seed, threads: self.threads, replicate: 0 })
    }
}

#[derive(Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    overrides: Overrides,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Also write results.json and daily.csv (every journey's daily series) into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
}

/// Loads a scenario, turning validation problems into bad input (exit code 2).
pub fn load(path: &Path) -> anyhow::Result<Scenario> {
    api::load_scenario(path).map_err(|e| match e {
        LoadError::Invalid { .. } | LoadError::Io { .. } => anyhow::Error::new(BadInput(e.to_string())),
    })
}

pub fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let scenario = load(&args.scenario)?;
    super::say(&format!(
        "{}: ok — \"{}\", {} users over {} days, {} segment(s), {} journey(s)",
        args.scenario.display(),
        scenario.simulation.name,
        scenario.simulation.users,
        scenario.simulation.horizon_days,
        scenario.population.segments.len(),
        scenario.journeys.len()
    ));
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let config = args.overrides.config()?;
    let scenario = load(&args.scenario)?;
    let total = u64::from(config.users.unwrap_or(scenario.simulation.users));
    let bar = ProgressBar::new(total).with_style(
        ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} users  {elapsed} (ETA {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let results = api::run(&scenario, &config, &|p| bar.set_position(p.users_done), &AtomicBool::new(false))?;
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        write_outputs(dir, &results)?;
    }
    match args.format {
        Format::Json => super::say(&serde_json::to_string_pretty(&results)?),
        Format::Table => super::say(&table(&results)),
    }
    Ok(ExitCode::SUCCESS)
}

fn write_outputs(dir: &Path, results: &RunResults) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let json = dir.join("results.json");
    std::fs::write(&json, serde_json::to_string_pretty(results)?)
        .with_context(|| format!("cannot write {}", json.display()))?;
    let daily = dir.join("daily.csv");
    std::fs::write(&daily, api::daily_csv(results)).with_context(|| format!("cannot write {}", daily.display()))?;
    Ok(())
}

fn table(results: &RunResults) -> String {
    let mut out = format!(
        "{} — {} users, {} days, seed {}; money in {}\n\n",
        results.scenario, results.users, results.days, results.seed, results.currency
    );
    let summaries: Vec<serde_json::Value> =
        results.journeys.iter().map(|j| serde_json::to_value(&j.summary).unwrap_or_default()).collect();
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "Entered journey (users)".to_owned(),
        results.journeys.iter().map(|j| api::thousands(j.summary.entered)).collect(),
    )];
    for def in api::RUN_HEADLINE.iter().filter_map(|id| api::metric_def(id)) {
        let cells = summaries.iter().map(|s| def.format(s[def.id].as_f64(), &results.currency)).collect();
        rows.push((def.name.to_owned(), cells));
    }
    let label_width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0) + 2;
    let width = rows
        .iter()
        .flat_map(|(_, cells)| cells.iter().map(|c| c.chars().count()))
        .chain(results.journeys.iter().map(|j| j.name.chars().count()))
        .max()
        .unwrap_or(0)
        .max(12);
    let _ = write!(out, "{:<label_width$}", "");
    for j in &results.journeys {
        let _ = write!(out, "{:>width$}", j.name, width = width + 2);
    }
    out.push('\n');
    for (label, cells) in rows {
        let _ = write!(out, "{label:<label_width$}");
        for cell in cells {
            let _ = write!(out, "{cell:>width$}", width = width + 2);
        }
        out.push('\n');
    }
    out
}
