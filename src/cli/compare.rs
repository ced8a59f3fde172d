//! `journeylab compare`: writes what `api::compare` found — every chart as SVG
//! and PNG, a CSV per chart series and the headline metrics, and summary.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use journeylab::api::{
    self, BGNBD_SAMPLE, Better, COMPARE_CHARTS, COMPARE_GUARDRAILS, CompareConfig, CompareReport, Curve, ImageFormat,
    MAX_REPLICATIONS, Metric, NamedCurve, PROJECT_DAYS, Projected, Unit, Winner,
};

use super::BadInput;

#[derive(Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Folder for the charts, CSVs and summary.md (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Replicates: fresh users and noise from the same seed; intervals come from their spread.
    #[arg(long, visible_alias = "replicates", default_value_t = 5)]
    replications: u64,
    /// Override the number of simulated users per replicate.
    #[arg(long)]
    users: Option<u32>,
}

pub fn compare(args: CompareArgs) -> anyhow::Result<ExitCode> {
    if args.replications == 0 || args.replications > MAX_REPLICATIONS || args.users == Some(0) {
        return Err(BadInput(format!("--replications must be 1 … {MAX_REPLICATIONS} and --users at least 1")).into());
    }
    let scenario = super::run::load(&args.scenario)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let config =
        CompareConfig { replications: args.replications, users: args.users, purchase_model: true, checks: true };
    let report = api::compare(&scenario, &config, &|_| {}, &AtomicBool::new(false))?;
    for id in COMPARE_CHARTS {
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            let Some(bytes) = api::compare_chart(&report, id, format) else { continue };
            let path = args.out.join(format!("{id}.{}", format.extension()));
            std::fs::write(&path, bytes?).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    write_csvs(&args.out, &report)?;
    let summary = summary_markdown(&report)?;
    std::fs::write(args.out.join("summary.md"), &summary)?;
    super::say(&summary);
    Ok(ExitCode::SUCCESS)
}

/// One CSV per chart series (strategy, x, mean, lower, upper) and headline.csv.
fn write_csvs(dir: &Path, report: &CompareReport) -> anyhow::Result<()> {
    let write = |name: &str, x_name: &str, curves: &[(&str, &Curve)]| -> anyhow::Result<()> {
        let mut csv = format!("strategy,{x_name},mean,lower,upper\n");
        for (strategy, c) in curves {
            for (i, (x, y)) in c.x.iter().zip(&c.y).enumerate() {
                let (lower, upper) = c.band.as_ref().map_or((*y, *y), |b| (b.lower[i], b.upper[i]));
                writeln!(csv, "{},{x},{y},{lower},{upper}", strategy.replace(',', ";"))?;
            }
        }
        std::fs::write(dir.join(name), csv).with_context(|| format!("writing {name}"))
    };
    let charts = &report.charts;
    let simulated: Vec<(&str, &Curve)> =
        charts.retention.strategies.iter().map(|s| (s.name.as_str(), &s.simulated)).collect();
    let projected: Vec<(&str, &Curve)> =
        charts.retention.strategies.iter().filter_map(|s| Some((s.name.as_str(), s.projected.as_ref()?))).collect();
    write("retention_simulated.csv", "age_day", &simulated)?;
    write("retention_projected.csv", "age_day", &projected)?;
    write("cumulative_margin.csv", "day", &named(&charts.margin.strategies))?;
    write("full_price_share.csv", "week", &named(&charts.full_price.strategies))?;
    std::fs::write(dir.join("headline.csv"), api::compare_csv(report)).context("writing headline.csv")
}

fn named(curves: &[NamedCurve]) -> Vec<(&str, &Curve)> {
    curves.iter().map(|c| (c.name.as_str(), &c.curve)).collect()
}

fn winner_text(report: &CompareReport, m: &Metric) -> String {
    let name = |j: &usize| report.journeys[*j].as_str();
    let signed = |x: f64| m.unit.signed(x, report.currency.as_str());
    match &m.winner {
        Winner::None => "n/a".into(),
        Winner::Only(j) => name(j).to_owned(),
        Winner::Clear { journey, lead } => {
            format!("{} ({} [{}, {}])", name(journey), signed(lead.value), signed(lead.lower), signed(lead.upper))
        }
        Winner::Unclear { leader, lead } => format!(
            "no clear winner ({} leads by {} [{}, {}])",
            name(leader),
            signed(lead.value),
            signed(lead.lower),
            signed(lead.upper)
        ),
    }
}

/// A metric's row label with the unit of its numbers: "D30 retention (%)", "Net margin per user (USD per user)";
/// differences of shares are in percentage points, "(pp)".
fn row_label(report: &CompareReport, m: &Metric, difference: bool) -> String {
    let unit = match (m.unit, api::metric_def(m.id)) {
        (Unit::Share, _) if difference => "pp".to_owned(),
        (Unit::Share, _) => "%".to_owned(),
        (_, Some(def)) => def.unit_text(report.currency.as_str()),
        (_, None) => String::new(),
    };
    // "Messages per user" says its unit already.
    if unit.is_empty() || m.label.eq_ignore_ascii_case(&unit) {
        m.label.to_owned()
    } else {
        format!("{} ({unit})", m.label)
    }
}

/// A number in its row's unit (shares as percentages), four significant places for small ones.
fn number(unit: Unit, x: f64) -> String {
    let x = if unit == Unit::Share { 100.0 * x } else { x };
    if x != 0.0 && x.abs() < 0.1 { format!("{x:.4}") } else { format!("{x:.2}") }
}

/// A difference in its row's unit with its sign ("+0.12", "−0.40").
fn signed_number(unit: Unit, x: f64) -> String {
    format!("{}{}", if x < 0.0 { "−" } else { "+" }, number(unit, x.abs()))
}

/// Each journey against the first (the baseline): the paired difference per replicate with its 95 % interval,
/// and whether it is better, worse or inconclusive in the metric's good direction.
fn differences_markdown(md: &mut String, report: &CompareReport) -> anyhow::Result<()> {
    let [baseline, others @ ..] = report.journeys.as_slice() else { return Ok(()) };
    if others.is_empty() {
        return Ok(());
    }
    writeln!(md, "\n## Difference from {baseline}\n")?;
    writeln!(
        md,
        "Each journey minus \"{baseline}\" on the same users and noise (paired per replicate), with its 95 % t-interval: \
         better or worse when the interval excludes 0, otherwise inconclusive.\n"
    )?;
    write!(md, "| metric |")?;
    others.iter().try_for_each(|j| write!(md, " {j} |"))?;
    writeln!(md, "\n|---|{}", "---|".repeat(others.len()))?;
    for m in &report.metrics {
        write!(md, "| {} |", row_label(report, m, true))?;
        for diff in &m.vs_baseline[1..] {
            match diff {
                Some(d) => {
                    let s = |x: f64| signed_number(m.unit, x);
                    write!(md, " {} [{}, {}] {} |", s(d.value), s(d.lower), s(d.upper), direction(m.better, d))?
                }
                None => write!(md, " n/a |")?,
            }
        }
        writeln!(md)?;
    }
    Ok(())
}

/// "better", "worse" or "inconclusive": where a difference's interval lies, read in the metric's good direction.
fn direction(better: Better, d: &Projected) -> &'static str {
    let sign = if better == Better::Higher { 1.0 } else { -1.0 };
    let (low, high) = if sign > 0.0 { (d.lower, d.upper) } else { (-d.upper, -d.lower) };
    if low > 0.0 {
        "better"
    } else if high < 0.0 {
        "worse"
    } else {
        "inconclusive"
    }
}

fn summary_markdown(report: &CompareReport) -> anyhow::Result<String> {
    let days = report.days;
    let mut md = String::new();
    writeln!(md, "# {}\n", report.scenario)?;
    let name = |id: &str| api::metric_def(id).map_or_else(|| id.to_owned(), |m| m.name_in_sentence());
    let guardrails: Vec<String> = COMPARE_GUARDRAILS.iter().map(|id| name(id)).collect();
    writeln!(
        md,
        "Verdict: {}\n\n({} decides; {} are guardrails the shipped design must not make worse than the design it beats.)\n",
        report.verdict.text,
        api::vocabulary::upper_first(&name(report.primary)),
        guardrails.join(", ")
    )?;
    writeln!(
        md,
        "{} replicate(s) of {} users over {days} days; means with 95 % t-intervals across replicates; money in {}. \
         Survival projected to 12 months by an sBG or a BdW fitted to each replicate's daily risk sets, \
         the model chosen on the last third of the days it saw (docs/predict.md). \
         Leads are in each metric's good direction (fewer messages, opt-outs, uninstalls and discount cost are better).\n",
        report.replications,
        api::thousands(report.users),
        report.currency
    )?;
    write!(md, "| metric |")?;
    report.journeys.iter().try_for_each(|j| write!(md, " {j} |"))?;
    writeln!(md, " winner |")?;
    writeln!(md, "|---|{}---|", "---|".repeat(report.journeys.len()))?;
    for m in &report.metrics {
        write!(md, "| {} |", row_label(report, m, false))?;
        for value in &m.values {
            let n = |x: f64| number(m.unit, x);
            match value {
                Some(p) => write!(md, " {} [{}, {}] |", n(p.value), n(p.lower), n(p.upper))?,
                None => write!(md, " n/a |")?,
            }
        }
        writeln!(md, " {} |", winner_text(report, m))?;
    }
    write!(md, "| 12-month projection model |")?;
    report.retention_models.iter().try_for_each(|m| write!(md, " {} |", api::describe_retention_models(m)))?;
    writeln!(md, "  |")?;
    differences_markdown(&mut md, report)?;
    if !report.projection_checks.is_empty() {
        writeln!(md, "\n## Projection against a longer simulation\n")?;
        writeln!(
            md,
            "One replicate run to {PROJECT_DAYS} days; its Kaplan–Meier share not yet lost at the last observed age (± its Greenwood standard error on the log scale) against the retention model fitted to the first {days} days of the same run. \
             \"Agree?\" is yes when the two differ by less than their joint 95 % error (the projection's interval and the run's own sampling error, added in quadrature on the log scale).\n"
        )?;
        writeln!(
            md,
            "| strategy | age (days) | simulated survival, % (log se) | projected survival, % [95 %] | model | agree? |\n|---|---|---|---|---|---|"
        )?;
        for c in &report.projection_checks {
            let p = c.projected;
            let inside = if c.holds() { "yes" } else { "no" };
            writeln!(
                md,
                "| {} | {} | {:.2} ({:.3}) | {:.2} [{:.2}, {:.2}] | {} | {inside} |",
                c.journey,
                c.age_days,
                100.0 * c.simulated,
                c.simulated_log_se,
                100.0 * p.value,
                100.0 * p.lower,
                100.0 * p.upper,
                c.model.title()
            )?;
        }
    }
    if !report.purchase_checks.is_empty() {
        writeln!(md, "\n## Purchase projection against a longer simulation\n")?;
        writeln!(
            md,
            "The same {BGNBD_SAMPLE} users run for another 52 weeks: the BG/NBD fitted to their first {days} days predicts each customer's purchases in those weeks (eq. 10, Fader, Hardie & Lee 2005); the simulation counts them.\n"
        )?;
        writeln!(
            md,
            "| strategy | customers | predicted purchases per customer | simulated purchases per customer |\n|---|---|---|---|"
        )?;
        for c in &report.purchase_checks {
            writeln!(
                md,
                "| {} | {} | {:.4} | {:.4} |",
                c.journey, c.customers, c.predicted_per_customer, c.simulated_per_customer
            )?;
        }
    }
    Ok(md)
}
