//! `journeylab fit sbg` and `journeylab fit bgnbd`: fit the projection models
//! (docs/predict.md) to your own cohorts.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use journeylab::api::fit::{PredictError, Summary, bgnbd, sbg, summary};
use serde_json::json;

use super::{BadInput, Format};

#[derive(Args)]
pub struct FitArgs {
    #[command(subcommand)]
    model: FitModel,
}

#[derive(Subcommand)]
enum FitModel {
    /// Shifted-beta-geometric retention model (Fader & Hardie 2007) on a survivor table.
    Sbg(SbgArgs),
    /// BG/NBD repeat-purchase model (Fader, Hardie & Lee 2005) on a customer summary CSV.
    Bgnbd(BgNbdArgs),
}

#[derive(Args)]
struct SbgArgs {
    /// Survivors: the cohort size, then those still customers after each period (e.g. 1000,631,468).
    #[arg(long, value_delimiter = ',', required = true)]
    survivors: Vec<f64>,
    /// Fit on the first N periods only (default: all); the rest is held out.
    #[arg(long)]
    fit_periods: Option<usize>,
    /// Project survival to period M (default: the periods given).
    #[arg(long)]
    project: Option<usize>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Args)]
struct BgNbdArgs {
    /// CSV with columns id, frequency, recency, T (the `lifetimes` convention; any time unit).
    summary: PathBuf,
    /// Expected purchases over the next T periods, per customer.
    #[arg(long, default_value_t = 1.0)]
    predict: f64,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn fit(args: FitArgs) -> anyhow::Result<ExitCode> {
    match args.model {
        FitModel::Sbg(a) => fit_sbg(a),
        FitModel::Bgnbd(a) => fit_bgnbd(a),
    }
}

fn bad(e: PredictError) -> anyhow::Error {
    BadInput(e.to_string()).into()
}

fn fit_sbg(args: SbgArgs) -> anyhow::Result<ExitCode> {
    let periods = args.survivors.len().saturating_sub(1);
    let fit_periods = args.fit_periods.unwrap_or(periods);
    if fit_periods == 0 || fit_periods > periods {
        return Err(BadInput(format!(
            "--fit-periods {fit_periods}: must be between 1 and the {periods} period(s) given in --survivors"
        ))
        .into());
    }
    let project = args.project.unwrap_or(periods);
    if project > 10_000 {
        return Err(BadInput(format!("--project {project}: at most 10000 periods")).into());
    }
    let cohort = sbg::Cohort::from_survivors(&args.survivors).map_err(bad)?.first(fit_periods);
    let fit = sbg::fit(&cohort).map_err(bad)?;
    let projections: Vec<_> = (0..=project).map(|t| fit.project(t as f64)).collect();
    match args.format {
        Format::Json => {
            let value = json!({
                "alpha": fit.alpha.value,
                "beta": fit.beta.value,
                "alpha_se": fit.alpha.std_error,
                "beta_se": fit.beta.std_error,
                "log_likelihood": fit.log_likelihood,
                "fit_periods": fit_periods,
                "survival": projections.iter().map(|p| p.value).collect::<Vec<_>>(),
                "survival_lower": projections.iter().map(|p| p.lower).collect::<Vec<_>>(),
                "survival_upper": projections.iter().map(|p| p.upper).collect::<Vec<_>>(),
            });
            super::say(&serde_json::to_string_pretty(&value)?);
        }
        Format::Table => {
            let se = |e: Option<f64>| e.map_or("n/a".to_string(), |v| format!("{v:.4}"));
            let mut out = String::new();
            writeln!(out, "sBG fit on periods 1–{fit_periods} (Fader & Hardie 2007)")?;
            writeln!(out, "  alpha = {:.4} (se {})", fit.alpha.value, se(fit.alpha.std_error))?;
            writeln!(out, "  beta  = {:.4} (se {})", fit.beta.value, se(fit.beta.std_error))?;
            writeln!(out, "  log-likelihood = {:.4}", fit.log_likelihood)?;
            writeln!(out, "\nperiod  observed  projected  95% interval")?;
            let size = args.survivors[0];
            for (t, p) in projections.iter().enumerate() {
                let observed = args.survivors.get(t).map_or(String::new(), |s| format!("{:.4}", s / size));
                let held_out = if t > fit_periods && t <= periods { " (held out)" } else { "" };
                writeln!(out, "{t:>6}  {observed:>8}  {:>9.4}  [{:.4}, {:.4}]{held_out}", p.value, p.lower, p.upper)?;
            }
            super::say(out.trim_end());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn fit_bgnbd(args: BgNbdArgs) -> anyhow::Result<ExitCode> {
    if !(args.predict.is_finite() && args.predict > 0.0) {
        return Err(BadInput(format!("--predict {}: must be a positive number of periods", args.predict)).into());
    }
    let Summary { ids, customers } = super::read_csv(&args.summary, summary::read)?;
    let fit = bgnbd::fit(&customers).map_err(bad)?;
    let params = fit.params();
    let per_customer: Vec<(f64, f64)> =
        customers.iter().map(|c| (params.p_alive(c), params.conditional_expected(c, args.predict))).collect();
    match args.format {
        Format::Json => {
            let value = json!({
                "r": params.r,
                "alpha": params.alpha,
                "a": params.a,
                "b": params.b,
                "std_errors": { "r": fit.r.std_error, "alpha": fit.alpha.std_error, "a": fit.a.std_error, "b": fit.b.std_error },
                "log_likelihood": fit.log_likelihood,
                "predict_periods": args.predict,
                "customers": ids.iter().zip(&per_customer).map(|(id, (p, e))| json!({"id": id, "p_alive": p, "expected": e})).collect::<Vec<_>>(),
            });
            super::say(&serde_json::to_string_pretty(&value)?);
        }
        Format::Table => {
            let se = |e: Option<f64>| e.map_or("n/a".to_string(), |v| format!("{v:.4}"));
            let mut out = String::new();
            writeln!(out, "BG/NBD fit on {} customers (Fader, Hardie & Lee 2005)", customers.len())?;
            for (name, e) in [("r", fit.r), ("alpha", fit.alpha), ("a", fit.a), ("b", fit.b)] {
                writeln!(out, "  {name:<5} = {:.4} (se {})", e.value, se(e.std_error))?;
            }
            writeln!(out, "  log-likelihood = {:.4}", fit.log_likelihood)?;
            let total: f64 = per_customer.iter().map(|(_, e)| e).sum();
            let mean_alive = per_customer.iter().map(|(p, _)| p).sum::<f64>() / customers.len() as f64;
            writeln!(
                out,
                "  mean P(alive) = {mean_alive:.4}; expected purchases in the next {} periods: {total:.1}",
                args.predict
            )?;
            let mut order: Vec<usize> = (0..customers.len()).collect();
            order.sort_by(|&a, &b| per_customer[b].1.total_cmp(&per_customer[a].1));
            writeln!(out, "\ntop customers by expected purchases (all of them with --format json)")?;
            writeln!(
                out,
                "{:>12}  {:>9}  {:>7}  {:>7}  {:>7}  {:>8}",
                "id", "frequency", "recency", "T", "P(alive)", "expected"
            )?;
            for &i in order.iter().take(10) {
                let c = customers[i];
                writeln!(
                    out,
                    "{:>12}  {:>9}  {:>7.2}  {:>7.2}  {:>7.4}  {:>8.3}",
                    ids[i], c.frequency, c.recency, c.age, per_customer[i].0, per_customer[i].1
                )?;
            }
            super::say(out.trim_end());
        }
    }
    Ok(ExitCode::SUCCESS)
}
