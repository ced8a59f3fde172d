//! `journeylab robust`: runs a robustness sweep (or one shard of it) and writes what
//! `api::robust` found — robust.json, summary.md, the charts as SVG and PNG, and the raw runs
//! (`points-0-of-1.jsonl`); `journeylab robust merge` writes the same from shard folders.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use journeylab::api::{
    self, ImageFormat, ROBUST_MAX_REPLICATES, ROBUST_MAX_SAMPLES, RobustConfig, RobustPoints, RobustReport, Shard,
};

use super::BadInput;
use super::run::Overrides;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct RobustArgs {
    #[command(subcommand)]
    command: Option<RobustCommand>,
    /// Scenario file (TOML).
    #[arg(required = true)]
    scenario: Option<PathBuf>,
    /// Joint points of the Latin hypercube over every `[model]` parameter's range.
    #[arg(long, default_value_t = 64)]
    samples: u32,
    /// Replicates per point (the same at every point: common random numbers).
    #[arg(long, default_value_t = 1)]
    replicates: u32,
    #[command(flatten)]
    overrides: Overrides,
    /// Run only the runs numbered i mod n, e.g. 0/4 … 3/4 (an array job's index); merge them later.
    #[arg(long, value_name = "i/n")]
    shard: Option<String>,
    /// Folder for robust.json, summary.md, the charts and the raw runs (created if missing).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum RobustCommand {
    /// Combine the shards' folders into what one whole run writes.
    Merge(MergeArgs),
}

#[derive(Args)]
struct MergeArgs {
    /// Folders holding `points-<i>-of-<n>.jsonl` files (one folder may hold several shards).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    #[arg(long)]
    out: PathBuf,
}

/// "i/n" as a shard.
fn parse_shard(text: &str) -> Result<Shard, BadInput> {
    let bad = || BadInput(format!("--shard {text:?}: expected i/n with 0 ≤ i < n, e.g. --shard 0/4"));
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    Shard::new(i, n).map_err(|e| BadInput(format!("--shard {text}: {e}")))
}

pub fn robust(args: RobustArgs) -> anyhow::Result<ExitCode> {
    let (Some(scenario_path), Some(out)) = (&args.scenario, &args.out) else {
        let Some(RobustCommand::Merge(merge_args)) = args.command else {
            return Err(BadInput(
                "journeylab robust needs a scenario and --out (or: robust merge DIR… --out DIR)".into(),
            )
            .into());
        };
        return merge(merge_args);
    };
    if !(1..=ROBUST_MAX_SAMPLES).contains(&args.samples) || !(1..=ROBUST_MAX_REPLICATES).contains(&args.replicates) {
        return Err(BadInput(format!(
            "--samples must be 1 … {ROBUST_MAX_SAMPLES} and --replicates 1 … {ROBUST_MAX_REPLICATES}"
        ))
        .into());
    }
    let shard = args.shard.as_deref().map(parse_shard).transpose()?.unwrap_or(Shard::WHOLE);
    let config =
        RobustConfig { samples: args.samples, replicates: args.replicates, run: args.overrides.config()?, shard };
    let scenario = super::run::load(scenario_path)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let bar = ProgressBar::new(1).with_style(
        ProgressStyle::with_template("{bar:40} {percent:>3}% users simulated, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |p: api::Progress| {
        bar.set_length(p.users_total);
        bar.set_position(p.users_done);
    };
    let cancel = AtomicBool::new(false);
    if shard != Shard::WHOLE {
        let points = api::robust_shard(&scenario, &config, &progress, &cancel)?;
        bar.finish_and_clear();
        let path = out.join(shard.file_name());
        std::fs::write(&path, points.to_text()).with_context(|| format!("writing {}", path.display()))?;
        super::say(&format!(
            "wrote {} runs to {}; merge every shard with `journeylab robust merge`",
            points.runs.len(),
            path.display()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let (points, report) = api::robust(&scenario, &config, &progress, &cancel)?;
    bar.finish_and_clear();
    write_outputs(out, &points, &report)
}

/// Reads every points file of the folders and writes what a whole run would have.
fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let mut shards = Vec::new();
    for dir in &args.dirs {
        let entries =
            std::fs::read_dir(dir).map_err(|e| BadInput(format!("cannot read the folder {}: {e}", dir.display())))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                name.starts_with("points-") && name.contains("-of-") && name.ends_with(".jsonl")
            })
            .collect();
        if files.is_empty() {
            return Err(BadInput(format!(
                "{} holds no points-<i>-of-<n>.jsonl: write shards there with `journeylab robust SCENARIO --shard i/n --out {}`",
                dir.display(),
                dir.display()
            ))
            .into());
        }
        files.sort();
        for path in files {
            let text =
                std::fs::read_to_string(&path).map_err(|e| BadInput(format!("cannot read {}: {e}", path.display())))?;
            let points = api::robust_points(&text).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
            shards.push((path.display().to_string(), points));
        }
    }
    let (points, report) = api::robust_merge(shards).map_err(|e| BadInput(e.to_string()))?;
    write_outputs(&args.out, &points, &report)
}

/// The whole sweep's files: raw runs, robust.json, summary.md and every chart as SVG and PNG.
fn write_outputs(out: &Path, points: &RobustPoints, report: &RobustReport) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let write = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = out.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    };
    write(&Shard::WHOLE.file_name(), points.to_text().as_bytes())?;
    write("robust.json", report.to_json().as_bytes())?;
    for chart in api::robust_charts(report) {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            write(&format!("{}.{}", chart.stem, format.extension()), &api::robust_chart(report, &chart.kind, format)?)?;
        }
    }
    let summary = api::robust_summary(report);
    write("summary.md", summary.as_bytes())?;
    super::say(&summary);
    Ok(ExitCode::SUCCESS)
}
