//! `journeylab import`: reads an event export and prints what it holds (events
//! read, used, rejected and duplicated; users; dates; purchases; revenue), writing
//! the rejected rows to a CSV when asked.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use journeylab::api;
use journeylab::api::import::{self, Field, Import, Options, Setting, Summary};

use super::{BadInput, Format};

/// Which export to read and how: shared by `import` and `calibrate`.
#[derive(Args)]
pub struct ExportArgs {
    /// The export: CSV (any delimiter), JSON lines, either gzipped, or Parquet (told by content).
    pub file: PathBuf,
    /// A vendor's export layout: mixpanel, amplitude, segment, posthog, clevertap, ga4, generic
    /// (default: guessed from the first record).
    #[arg(long)]
    preset: Option<String>,
    /// Columns or dotted JSON paths per field, e.g. user=customer_id,time=date,revenue=amount
    /// (alternatives with |; fields: user, time, event, revenue, currency, channel, campaign,
    /// platform, timezone, country, insert_id). Applied over --preset.
    #[arg(long)]
    map: Option<String>,
    /// IANA time zone the export's clock times are written in, and of the days (default UTC).
    #[arg(long)]
    timezone: Option<String>,
    /// An event name that is a purchase (repeatable; replaces the preset's).
    #[arg(long = "purchase-event")]
    purchase_events: Vec<String>,
    /// An event name that counts as one session (repeatable; replaces the preset's).
    #[arg(long = "session-event")]
    session_events: Vec<String>,
}

impl ExportArgs {
    /// Reads the export, every rejected row (line, reason, detail) written to `rejected` when given.
    pub fn read(&self, rejected: Option<&Path>) -> anyhow::Result<Import> {
        let options = Options {
            preset: self.preset.clone(),
            map: self.map.clone(),
            time_zone: self.timezone.clone(),
            purchase_events: self.purchase_events.clone(),
            session_events: self.session_events.clone(),
        };
        let mut out = match rejected {
            Some(path) => {
                let mut w = csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
                w.write_record(["line", "reason", "detail"])?;
                Some(w)
            }
            None => None,
        };
        let mut write_error = None;
        let result = import::read(&self.file, &options, &mut |r| {
            if let (Some(w), None) = (out.as_mut(), &write_error) {
                let line = r.line.to_string();
                if let Err(e) = w.write_record([line.as_str(), r.reason.kind(), &r.reason.to_string()]) {
                    write_error = Some(e);
                }
            }
        });
        if let Some(e) = write_error {
            return Err(e.into());
        }
        if let Some(mut w) = out {
            w.flush()?;
        }
        Ok(result.map_err(|e| BadInput(with_flags(&e.to_string(), &e.settings())))?)
    }
}

/// A core message (which names settings in neutral words) followed by the flags that set them.
pub fn with_flags(message: &str, settings: &[Setting]) -> String {
    if settings.is_empty() {
        return message.to_string();
    }
    let flags: Vec<&str> = settings
        .iter()
        .map(|s| match s {
            Setting::Preset => "--preset",
            Setting::Mapping => "--map",
            Setting::TimeZone => "--timezone",
            Setting::PurchaseEvents => "--purchase-event",
            Setting::HoldoutFrom => "--holdout-from",
            Setting::HoldoutTo => "--holdout-to",
        })
        .collect();
    format!("{message} [{}]", flags.join(", "))
}

#[derive(Args)]
pub struct ImportArgs {
    #[command(flatten)]
    export: ExportArgs,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Write every rejected row (line, reason, detail) to this CSV file.
    #[arg(long)]
    rejected: Option<PathBuf>,
}

pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let summary = args.export.read(args.rejected.as_deref())?.summary;
    match args.format {
        Format::Json => super::say(&serde_json::to_string_pretty(&summary)?),
        Format::Table => super::say(&table(&args.export.file, &summary)?),
    }
    if summary.events.used == 0 {
        return Err(BadInput(format!(
            "{}: no row could be used; see the rejected rows{}",
            args.export.file.display(),
            if args.rejected.is_some() { "" } else { " (--rejected FILE writes them all)" }
        ))
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

fn table(file: &Path, s: &Summary) -> anyhow::Result<String> {
    let n = |x: u64| api::thousands(x);
    let mut out = String::new();
    let gzip = if s.gzip { ", gzip" } else { "" };
    let preset = s.mapping.preset.unwrap_or("custom mapping");
    writeln!(out, "{}: {}{gzip}, preset {preset}, days in {}", file.display(), s.layout, s.time_zone)?;
    let e = s.events;
    writeln!(
        out,
        "events      read {}  used {}  rejected {}  duplicates {}",
        n(e.read),
        n(e.used),
        n(e.rejected),
        n(e.duplicates)
    )?;
    let range = match (s.first_day, s.last_day) {
        (Some(a), Some(b)) => format!("{a} … {b}"),
        _ => "no dates".to_string(),
    };
    writeln!(out, "users       {}  ({range})", n(s.users))?;
    writeln!(
        out,
        "purchases   {} on {} purchase days (same-day merged); {} buyers, {} repeat buyers",
        n(s.transactions),
        n(s.purchase_days),
        n(s.buyers),
        n(s.repeat_buyers)
    )?;
    let currencies: Vec<String> = s.currencies.iter().map(|(c, k)| format!("{c} × {}", n(*k))).collect();
    let currencies = if currencies.is_empty() {
        String::new()
    } else {
        format!("  (purchases by currency: {})", currencies.join(", "))
    };
    let revenue = format!("{:.2}", s.revenue.abs());
    let (units, cents) = revenue.split_once('.').unwrap_or((&revenue, "00"));
    let sign = if s.revenue < 0.0 { "-" } else { "" };
    writeln!(out, "revenue     {sign}{}.{cents}{currencies}", api::thousands(units.parse().unwrap_or_default()))?;
    if s.sessions > 0 {
        writeln!(out, "sessions    {} ({})", n(s.sessions), s.mapping.session_events.join(", "))?;
    } else {
        writeln!(out, "sessions    none in the export: active days stand for sessions (--session-event NAME)")?;
    }
    for r in &s.rejected {
        writeln!(out, "rejected    {} × {}; first at line {}: {}", n(r.count), r.kind, r.first.line, r.first.reason)?;
    }
    if !s.top_events.is_empty() {
        let top: Vec<String> = s.top_events.iter().take(8).map(|(name, k)| format!("{name} {}", n(*k))).collect();
        writeln!(out, "top events  {}", top.join(", "))?;
    }
    let purchases = if s.mapping.paths(Field::Event).is_empty() {
        "every row (no event field: a transaction log)".to_string()
    } else if s.mapping.purchase_events.is_empty() {
        "events with a positive revenue (--purchase-event NAME to name them)".to_string()
    } else {
        format!("events named {} (--purchase-event NAME to change)", s.mapping.purchase_events.join(", "))
    };
    writeln!(out, "purchases = {purchases}")?;
    Ok(out.trim_end().to_string())
}
