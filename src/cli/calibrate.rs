//! `journeylab calibrate`: imports an export, fits a population to its calibration period,
//! back-tests it on the holdout and writes DIR/scenario.toml, report.json, report.md, the charts
//! (SVG and PNG) and rejected.csv. Progress goes to stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use journeylab::api::calibrate::{self, CalibrateError, Options, Update};
use journeylab::api::import::Day;
use journeylab::api::{ImageFormat, thousands};

use super::BadInput;
use super::import::{ExportArgs, with_flags};

#[derive(Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    export: ExportArgs,
    /// First day of the holdout (YYYY-MM-DD); the fit sees only the days before it.
    #[arg(long = "holdout-from")]
    holdout_from: String,
    /// Last day of the holdout (default: the export's last day).
    #[arg(long = "holdout-to")]
    holdout_to: Option<String>,
    /// The scenario's seed (and the search's common random numbers).
    #[arg(long, default_value_t = calibrate::DEFAULT_SEED)]
    seed: u64,
    /// Folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
}

fn day(flag: &str, text: &str) -> Result<Day, BadInput> {
    text.parse().map_err(|e| BadInput(format!("{flag} {e}")))
}

#[allow(clippy::print_stderr, reason = "progress goes to stderr")]
fn say_progress(message: &str) {
    eprintln!("calibrate: {message}");
}

pub fn calibrate(args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let holdout_from = day("--holdout-from", &args.holdout_from)?;
    let holdout_to = args.holdout_to.as_deref().map(|t| day("--holdout-to", t)).transpose()?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    say_progress(&format!("reading {}", args.export.file.display()));
    let imported = args.export.read(Some(&args.out.join("rejected.csv")))?;
    let e = imported.summary.events;
    say_progress(&format!(
        "events read {}, used {}, rejected {}, duplicates {}; {} users",
        thousands(e.read),
        thousands(e.used),
        thousands(e.rejected),
        thousands(e.duplicates),
        thousands(imported.summary.users)
    ));
    let source = args
        .export
        .file
        .file_name()
        .map_or_else(|| args.export.file.display().to_string(), |n| n.to_string_lossy().into());
    let options = Options { holdout_from, holdout_to, seed: args.seed, source };
    let cancel = AtomicBool::new(false);
    let on_update = |update: Update<'_>| {
        if let Update::Note(note) = update {
            say_progress(note);
        }
    };
    let calibration = calibrate::calibrate(&imported, &options, &cancel, &on_update).map_err(|e| match e {
        CalibrateError::BadInput { message, settings } => anyhow::Error::from(BadInput(format!(
            "{}: {}",
            args.export.file.display(),
            with_flags(&message, &settings)
        ))),
        other => other.into(),
    })?;
    write(&args.out, "scenario.toml", calibration.scenario.as_bytes())?;
    write(&args.out, "report.json", serde_json::to_string_pretty(&calibration.report)?.as_bytes())?;
    let markdown = calibrate::markdown(&calibration);
    write(&args.out, "report.md", markdown.as_bytes())?;
    for (stem, chart) in calibrate::charts(&calibration) {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let bytes = calibrate::draw(&chart, format)?;
            write(&args.out, &format!("{stem}.{}", format.extension()), &bytes)?;
        }
    }
    let h = calibration.report.backtest.holdout_repeat_purchases;
    let (sim, model) = calibration.extras.by_frequency_error;
    super::say(&format!(
        "holdout repeat purchases: actual {:.0}, simulated {:.0} ({:+.1} %), BG/NBD {:.0} ({:+.1} %)\n\
         by-frequency mean absolute error (user-weighted): simulated {sim:.3}, BG/NBD {model:.3}\n\
         wrote {}: scenario.toml, report.json, report.md, tracking/by-frequency/activity (.svg, .png), rejected.csv",
        h.actual,
        h.simulated,
        100.0 * (h.simulated / h.actual - 1.0),
        h.bgnbd,
        100.0 * (h.bgnbd / h.actual - 1.0),
        args.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
}
