//! Importing an event export (docs/calibration.md, "The importer"): CSV with any
//! delimiter, JSON lines, either gzip-compressed, or Parquet, told apart by content;
//! vendor presets or a mapping spec; streamed into compact per-user histories
//! (first seen, active days with sessions, purchase days merged per day) for the
//! customer-base fits. Every row is used, rejected with its line and reason, or
//! a duplicate; no input makes it panic.
//!
//! [`read`] does the I/O of reading the export; it prints nothing.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod btyd;
mod columnar;
pub mod detect;
mod history;
pub mod mapping;
pub mod preview;
mod record;
mod sources;
pub mod time;

pub use detect::Layout;
pub use history::{ActiveDay, Counts, PurchaseDay, Reason, Rejection, UserHistory};
pub use mapping::{Field, Mapping, NaiveTimes, PRESETS, Preset};
pub use preview::{Preview, PreviewRow};
pub use time::Day;

/// How to read an export.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A vendor preset ([`PRESETS`]); none: guessed from the first record unless `map` is given.
    pub preset: Option<String>,
    /// A mapping spec `user=COL,time=COL,event=COL,revenue=COL,…`, applied over the preset.
    pub map: Option<String>,
    /// The IANA time zone of the export's clock times and of the days (default UTC).
    pub time_zone: Option<String>,
    /// Event names that are purchases (replacing the preset's).
    pub purchase_events: Vec<String>,
    /// Event names that each count as a session (replacing the preset's).
    pub session_events: Vec<String>,
}

/// Why an export could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot open: {source}")]
    Open { path: PathBuf, source: std::io::Error },
    #[error("{path}: not an event export: {what}")]
    NotAnExport { path: PathBuf, what: String },
    #[error(
        "{path}: reading stopped at line {line}: {message} (the file is cut short or corrupt; nothing was imported)"
    )]
    Read { path: PathBuf, line: u64, message: String },
    /// The mapping (a preset's or a spec's) does not fit the export.
    #[error("{path}: {message}")]
    Mapping { path: PathBuf, message: String },
    /// A setting is not valid whatever the export.
    #[error("{message}")]
    Options { setting: Setting, message: String },
}

/// A setting of reading or calibrating an export. Errors name it in neutral words; the CLI adds
/// its flag and the app points at its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    Preset,
    Mapping,
    TimeZone,
    PurchaseEvents,
    HoldoutFrom,
    HoldoutTo,
}

impl ImportError {
    /// The settings to change for this error (a mapping that does not fit: the preset or the mapping).
    pub fn settings(&self) -> Vec<Setting> {
        match self {
            ImportError::Options { setting, .. } => vec![*setting],
            ImportError::Mapping { .. } => vec![Setting::Preset, Setting::Mapping],
            _ => Vec::new(),
        }
    }
}

/// The export's counts and totals, as `journeylab import` prints them.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub layout: Layout,
    pub gzip: bool,
    pub mapping: Mapping,
    pub time_zone: String,
    pub events: Counts,
    /// Rejected rows by reason: how many, and the first one (in the order of those first lines).
    pub rejected: Vec<RejectedKind>,
    pub users: u64,
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    /// Purchase events, before same-day merging.
    pub transactions: u64,
    /// Purchase occasions: distinct (user, day) pairs with a purchase.
    pub purchase_days: u64,
    pub buyers: u64,
    /// Users with purchases on two or more days.
    pub repeat_buyers: u64,
    pub revenue: f64,
    /// Purchases by currency (empty when the export has no currency field).
    pub currencies: BTreeMap<String, u64>,
    /// Session events (0 when the export has none).
    pub sessions: u64,
    /// The most frequent event names, most frequent first (at most 20).
    pub top_events: Vec<(String, u64)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RejectedKind {
    pub kind: &'static str,
    pub count: u64,
    pub first: Rejection,
}

/// An imported export: its summary and every user's history, in order of first appearance.
#[derive(Clone, Debug)]
pub struct Import {
    pub summary: Summary,
    pub users: Vec<UserHistory>,
}

/// Reads the export at `path`, calling `on_reject` for every rejected row (for rejected.csv).
pub fn read(path: &Path, options: &Options, on_reject: &mut dyn FnMut(&Rejection)) -> Result<Import, ImportError> {
    let (layout, gzip, mapping, zone_name, built) = read_rows(path, options, None, on_reject)?;
    Ok(Import { summary: summarise(layout, gzip, mapping, zone_name, &built), users: built.users })
}

/// Reads only the first `rows` rows (at most [`preview::MAX_ROWS`]): what the importer would
/// make of them with these options.
pub fn preview(path: &Path, options: &Options, rows: usize) -> Result<Preview, ImportError> {
    let (layout, gzip, mapping, time_zone, built) = read_rows(path, options, Some(rows.max(1)), &mut |_| {})?;
    let sample = built.sample.unwrap_or_default();
    Ok(Preview { layout, gzip, spec: mapping.spec(), mapping, time_zone, columns: sample.columns, rows: sample.rows })
}

type Rows = (Layout, bool, Mapping, String, history::Built);

/// Reads the export, all of it or (`preview`) its first rows.
fn read_rows(
    path: &Path,
    options: &Options,
    preview: Option<usize>,
    on_reject: &mut dyn FnMut(&Rejection),
) -> Result<Rows, ImportError> {
    let zone_name = options.time_zone.clone().unwrap_or_else(|| "UTC".to_string());
    let zone = jiff::tz::TimeZone::get(&zone_name).map_err(|e| ImportError::Options {
        setting: Setting::TimeZone,
        message: format!(
            "the time zone {zone_name:?} is not an IANA time zone ({e}); e.g. Europe/Berlin, America/New_York, UTC"
        ),
    })?;
    let base = match &options.preset {
        Some(name) => Some(
            mapping::preset(name)
                .map_err(|message| ImportError::Options { setting: Setting::Preset, message })?
                .mapping(),
        ),
        None => options.map.as_ref().map(|_| Mapping::empty()),
    };
    let plan = Plan { path: path.to_path_buf(), options, base, zone, preview };
    let file = File::open(path).map_err(|source| ImportError::Open { path: path.to_path_buf(), source })?;
    let mut reader = BufReader::with_capacity(1 << 18, file);
    let head = reader.fill_buf().map_err(|e| plan.read_error(1, &e.to_string()))?.to_vec();
    let (layout, gzip, (mapping, built)) = match detect::sniff(&head) {
        detect::Sniffed::Refused(what) => return Err(plan.not_an_export(&what)),
        detect::Sniffed::Layout(Layout::Parquet) => {
            (Layout::Parquet, false, columnar::read(reader.into_inner(), &plan, on_reject)?)
        }
        detect::Sniffed::Layout(layout) => (layout, false, text(layout, reader, &plan, on_reject)?),
        detect::Sniffed::Gzip => {
            let mut inner = BufReader::with_capacity(1 << 18, flate2::bufread::MultiGzDecoder::new(reader));
            let head = inner.fill_buf().map_err(|e| plan.read_error(1, &format!("gzip: {e}")))?.to_vec();
            match detect::sniff(&head) {
                detect::Sniffed::Layout(Layout::Parquet) | detect::Sniffed::Gzip => {
                    return Err(plan.not_an_export("gzip holding Parquet or gzip: decompress it first (`gunzip FILE`)"));
                }
                detect::Sniffed::Refused(what) => return Err(plan.not_an_export(&format!("gzip holding {what}"))),
                detect::Sniffed::Layout(layout) => (layout, true, text(layout, inner, &plan, on_reject)?),
            }
        }
    };
    Ok((layout, gzip, mapping, zone_name, built))
}

fn text(
    layout: Layout,
    reader: impl BufRead,
    plan: &Plan,
    on_reject: &mut dyn FnMut(&Rejection),
) -> Result<(Mapping, history::Built), ImportError> {
    match layout {
        Layout::Csv { delimiter } => sources::delimited(reader, delimiter as u8, plan, on_reject),
        _ => sources::json_lines(reader, plan, on_reject),
    }
}

fn summarise(layout: Layout, gzip: bool, mapping: Mapping, time_zone: String, built: &history::Built) -> Summary {
    let users = &built.users;
    let days = || users.iter().flat_map(|u| u.active_days.iter().map(|d| d.day));
    let purchases = || users.iter().flat_map(|u| u.purchases.iter());
    let mut rejected: Vec<RejectedKind> = built
        .rejected_by_kind
        .iter()
        .map(|(kind, (count, first))| RejectedKind { kind, count: *count, first: first.clone() })
        .collect();
    rejected.sort_by_key(|r| r.first.line);
    Summary {
        schema: "journeylab.import/1",
        layout,
        gzip,
        mapping,
        time_zone,
        events: built.counts,
        rejected,
        users: users.len() as u64,
        first_day: days().min(),
        last_day: days().max(),
        transactions: purchases().map(|p| u64::from(p.transactions)).sum(),
        purchase_days: purchases().count() as u64,
        buyers: users.iter().filter(|u| !u.purchases.is_empty()).count() as u64,
        repeat_buyers: users.iter().filter(|u| u.purchases.len() > 1).count() as u64,
        revenue: purchases().map(|p| p.revenue).sum(),
        currencies: built.currencies.clone(),
        sessions: users.iter().flat_map(|u| &u.active_days).map(|d| u64::from(d.sessions)).sum(),
        top_events: built.names.iter().take(20).cloned().collect(),
    }
}

/// What the readers need: where errors point, and how to settle the mapping and the clock.
pub(crate) struct Plan<'a> {
    path: PathBuf,
    options: &'a Options,
    /// The preset's mapping, or an empty one when only a spec is given; None: guess.
    base: Option<Mapping>,
    zone: jiff::tz::TimeZone,
    /// Previewing: how many rows to keep (the readers stop there).
    preview: Option<usize>,
}

impl Plan<'_> {
    /// A preview's sample of the first rows, the export's `columns` with it; None when reading all.
    fn sample(&self, columns: &[&str]) -> Option<preview::Sample> {
        let mut sample = preview::Sample::new(self.preview?);
        sample.columns = columns.iter().map(|c| (*c).to_string()).collect();
        Some(sample)
    }

    /// The mapping for an export whose first record has the paths `has` accepts;
    /// `seen` describes that record for the error when nothing fits.
    fn mapping(&self, has: &dyn Fn(&str) -> bool, seen: &str) -> Result<Mapping, ImportError> {
        let mut m = match &self.base {
            Some(m) => m.clone(),
            None => mapping::guess(has).ok_or_else(|| {
                self.mapping_error(&format!(
                    "no preset fits ({seen}): choose a preset ({}) or map the columns, user=COL,time=COL,event=COL,revenue=COL",
                    PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
                ))
            })?,
        };
        if let Some(spec) = &self.options.map {
            m.apply_spec(spec).map_err(|message| ImportError::Options { setting: Setting::Mapping, message })?;
        }
        if !self.options.purchase_events.is_empty() {
            m.purchase_events.clone_from(&self.options.purchase_events);
        }
        if !self.options.session_events.is_empty() {
            m.session_events.clone_from(&self.options.session_events);
        }
        m.check().map_err(|e| self.mapping_error(&e))?;
        Ok(m)
    }

    fn clock(&self, mapping: &Mapping) -> time::Clock {
        time::Clock::new(self.zone.clone(), mapping.naive_times)
    }

    fn read_error(&self, line: u64, message: &str) -> ImportError {
        ImportError::Read { path: self.path.clone(), line, message: message.to_string() }
    }

    fn not_an_export(&self, what: &str) -> ImportError {
        ImportError::NotAnExport { path: self.path.clone(), what: what.to_string() }
    }

    fn mapping_error(&self, message: &str) -> ImportError {
        ImportError::Mapping { path: self.path.clone(), message: message.to_string() }
    }
}
