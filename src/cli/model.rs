//! `journeylab model`: every behaviour parameter with its value, plausible range, unit and source.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::{Format, run::load};
use journeylab::api::{self, ParameterValue};

#[derive(Args, Debug)]
pub struct ModelArgs {
    /// A scenario whose `[model]` values to show (the defaults without one).
    scenario: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Serialize)]
struct Report {
    parameters: Vec<ParameterValue>,
}

pub fn model(args: ModelArgs) -> anyhow::Result<ExitCode> {
    let scenario = args.scenario.as_deref().map(load).transpose()?;
    let parameters = api::model_parameters(scenario.as_ref());
    match args.format {
        Format::Json => super::say(&serde_json::to_string_pretty(&Report { parameters })?),
        Format::Table => super::say(&table(&parameters)),
    }
    Ok(ExitCode::SUCCESS)
}

fn table(parameters: &[ParameterValue]) -> String {
    let width = parameters.iter().map(|p| p.name.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:>8}  {:>17}  {}\n", "parameter", "value", "plausible range", "unit");
    for p in parameters {
        let changed = if p.value == p.default { ' ' } else { '*' };
        let range = format!("{} – {}", p.low, p.high);
        out.push_str(&format!("{:width$}  {:>7}{changed}  {range:>17}  {}\n", p.name, p.value, p.unit));
        out.push_str(&format!("{:width$}  {} — {}\n", "", p.meaning, p.source));
    }
    out.push_str("* set by the scenario's [model] section");
    out
}
