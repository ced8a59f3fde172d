//! `journeylab experiment`: one replication look by look, or many replications summarised.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use journeylab::api::lab::{ExperimentError, ExperimentReport, ReplicationSummary, RuleSummary, monitor_chart};
use journeylab::api::{self, ImageFormat};

use super::run::{Overrides, load};
use super::{BadInput, Format};

#[derive(Args)]
pub struct ExperimentArgs {
    /// Scenario file with an [experiment] section.
    scenario: PathBuf,
    /// Replicates: re-run the experiment this many times and report how often each stopping rule was right.
    #[arg(long, visible_alias = "replicates")]
    replications: Option<u64>,
    #[command(flatten)]
    overrides: Overrides,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Also write the report (JSON), its looks (CSV) and the sequential monitor chart (SVG and PNG) into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn experiment(args: ExperimentArgs) -> anyhow::Result<ExitCode> {
    if args.replications == Some(0) {
        return Err(BadInput("--replications must be at least 1".into()).into());
    }
    let config = args.overrides.config()?;
    let scenario = load(&args.scenario)?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} simulated users  {elapsed} (ETA {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |p: api::Progress| {
        bar.set_length(p.users_total);
        bar.set_position(p.users_done);
    };
    let cancel = AtomicBool::new(false);
    let bad = |e: ExperimentError| match e {
        ExperimentError::NoExperiment | ExperimentError::Stats(_) => anyhow::Error::new(BadInput(e.to_string())),
        ExperimentError::Run(_) => anyhow::Error::new(e),
    };
    match args.replications {
        None => {
            let report = api::experiment(&scenario, &config, &progress, &cancel).map_err(bad)?;
            bar.finish_and_clear();
            if let Some(dir) = &args.out {
                write_report(dir, &report)?;
            }
            match args.format {
                Format::Json => super::say(&serde_json::to_string_pretty(&report)?),
                Format::Table => super::say(&report_table(&report)),
            }
        }
        Some(r) => {
            let summary = api::replicate_experiment(&scenario, &config, r, &progress, &cancel).map_err(bad)?;
            bar.finish_and_clear();
            if let Some(dir) = &args.out {
                write_file(dir, "replications.json", serde_json::to_string_pretty(&summary)?.as_bytes())?;
            }
            match args.format {
                Format::Json => super::say(&serde_json::to_string_pretty(&summary)?),
                Format::Table => super::say(&summary_table(&summary)),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(name);
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// The report as JSON, its looks as CSV, and the monitor chart: z by look against the boundary,
/// the naive line at the experiment's α, and the z the true effect would give at each look.
fn write_report(dir: &Path, r: &ExperimentReport) -> anyhow::Result<()> {
    write_file(dir, "experiment.json", serde_json::to_string_pretty(r)?.as_bytes())?;
    let mut csv = String::from(
        "day,users_control,users_treatment,rate_control,rate_treatment,estimate,interval_low,interval_high,z,naive_p,method_p,boundary,decision\n",
    );
    for l in &r.looks {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{},{},{},{:?}",
            l.day,
            l.users[0],
            l.users[1],
            l.rates[0],
            l.rates[1],
            l.estimate,
            l.interval[0],
            l.interval[1],
            l.z,
            l.naive_p,
            l.method_p.map_or(String::new(), |p| p.to_string()),
            l.boundary.map_or(String::new(), |b| b.to_string()),
            l.decision
        );
    }
    write_file(dir, "looks.csv", csv.as_bytes())?;
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        if let Some(bytes) = monitor_chart(r, "monitor", None, format)? {
            write_file(dir, &format!("monitor.{}", format.extension()), &bytes)?;
        }
    }
    Ok(())
}

fn report_table(r: &ExperimentReport) -> String {
    let mut out = format!(
        "{}\n{} (control) vs {} (treatment); metric {:?} within {} days; method {}\n{}; SE {}; p-value {}; lift {}\n",
        r.scenario,
        r.arms[0],
        r.arms[1],
        r.metric,
        r.window_days,
        r.method,
        r.conventions.sides,
        r.conventions.standard_error,
        r.conventions.p_value,
        r.conventions.lift
    );
    let _ = writeln!(
        out,
        "planned: baseline {:.4}, MDE {:.4} absolute, {} users per arm for a fixed test, {} with the sequential design\n",
        r.plan.baseline, r.plan.mde, r.plan.n_fixed_per_arm, r.plan.n_needed_per_arm
    );
    let _ = writeln!(
        out,
        "{:>4} {:>8} {:>8} {:>9} {:>21} {:>8} {:>9} {:>8}  decision",
        "day", "users A", "users B", "estimate", "interval", "naive p", "method p", "|z| bnd"
    );
    for l in &r.looks {
        let _ = writeln!(
            out,
            "{:>4} {:>8} {:>8} {:>+9.4} [{:>+9.4}, {:>+9.4}] {:>8.4} {:>9} {:>8}  {:?}{}",
            l.day,
            l.users[0],
            l.users[1],
            l.estimate,
            l.interval[0],
            l.interval[1],
            l.naive_p,
            l.method_p.map_or("—".into(), |p| format!("{p:.4}")),
            l.boundary.map_or("—".into(), |b| format!("{b:.3}")),
            l.decision,
            if l.naive_p < r.alpha { "  (naive: significant)" } else { "" }
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "true effect on this population: {:+.4} (95% interval {:+.4} to {:+.4}, {} users)",
        r.truth.effect, r.truth.ci[0], r.truth.ci[1], r.truth.users
    );
    let _ = writeln!(
        out,
        "naive peeking first 'significant': {}",
        r.naive_first_significant_day.map_or("never".into(), |d| format!("day {d}"))
    );
    match (&r.valid_day, &r.not_yet) {
        (Some(d), _) => {
            let _ = writeln!(out, "valid result ({}): day {d}", r.method);
        }
        (None, Some(n)) => {
            let days = n.more_days.map_or(String::new(), |d| format!(" / {d} more days"));
            let _ = writeln!(out, "valid result ({}): not yet — about {} more users{days}", r.method, n.more_users);
        }
        (None, None) => {
            let _ = writeln!(out, "valid result ({}): no difference at the planned size", r.method);
        }
    }
    if let Some(srm) = &r.srm {
        let _ = writeln!(
            out,
            "sample ratio: chi-square p = {:.4}{}",
            srm.p_value,
            if srm.mismatch { "  MISMATCH" } else { " (ok)" }
        );
    }
    for g in &r.guardrails {
        let _ = writeln!(
            out,
            "guardrail {:?}: {:.4} vs {:.4}, p = {:.4}{}",
            g.guardrail,
            g.rates[0],
            g.rates[1],
            g.p_value,
            if g.breached { "  BREACHED" } else { " (ok)" }
        );
    }
    out
}

fn summary_table(s: &ReplicationSummary) -> String {
    let mut out = format!(
        "{} — {} replicates of {} users, metric {:?}\ntrue effect: {:+.5} (95% interval {:+.5} to {:+.5})\n\n",
        s.scenario, s.replications, s.users, s.metric, s.truth.effect, s.truth.ci[0], s.truth.ci[1]
    );
    let _ = writeln!(
        out,
        "{:<34} {:>10} {:>18} {:>10} {:>10} {:>13}",
        "rule", "declared", "95% interval", "wrong", "stop day", "exaggeration"
    );
    let row = |out: &mut String, r: &RuleSummary| {
        let _ = writeln!(
            out,
            "{:<34} {:>9.1}% {:>7.1}% – {:>5.1}% {:>9.1}% {:>10.1} {:>13}",
            r.method,
            100.0 * r.declared_rate,
            100.0 * r.declared_ci[0],
            100.0 * r.declared_ci[1],
            100.0 * r.wrong_rate,
            r.mean_stop_day,
            r.exaggeration.map_or("—".into(), |x| format!("{x:.2}×"))
        );
    };
    row(&mut out, &s.naive);
    row(&mut out, &s.valid);
    out
}
