//! The first rows of an export as the importer would read them, for a preview before a long
//! import (the app's Calibrate screen): the layout told from the content, the mapping (the preset
//! guessed or chosen, with the spec applied) and, row by row, the user, time, day, event and
//! revenue found, whether the row is a purchase, or why it would be rejected. Only those first
//! rows are read.

use serde::Serialize;

use super::history::Reason;
use super::mapping::{Field, Mapping};
use super::record::{Cell, Record};
use super::time::Day;

/// At most this many rows are previewed.
pub const MAX_ROWS: usize = 200;

/// An export's first rows, as the importer reads them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preview {
    pub layout: super::Layout,
    pub gzip: bool,
    pub mapping: Mapping,
    /// The mapping as a spec (`user=…,time=…`), to edit and pass back as `Options::map`.
    pub spec: String,
    pub time_zone: String,
    /// The header's column names (delimited text) or the first record's keys (JSON lines, Parquet).
    pub columns: Vec<String>,
    pub rows: Vec<PreviewRow>,
}

/// One row: what the mapping finds in it and what the importer makes of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewRow {
    /// Its line in the file (its row number in Parquet).
    pub line: u64,
    pub user: Option<String>,
    /// The time as written.
    pub time: Option<String>,
    /// The day it counts on, in the import's time zone.
    pub day: Option<Day>,
    pub event: Option<String>,
    pub revenue: Option<f64>,
    pub purchase: bool,
    pub duplicate: bool,
    /// Why the importer would reject it; None when used.
    pub rejected: Option<Reason>,
}

/// Collects the first rows while a reader runs; the reader stops once it is full.
#[derive(Debug, Default)]
pub struct Sample {
    pub capacity: usize,
    pub columns: Vec<String>,
    pub rows: Vec<PreviewRow>,
}

impl Sample {
    pub fn new(capacity: usize) -> Sample {
        Sample { capacity: capacity.min(MAX_ROWS), ..Sample::default() }
    }

    pub fn full(&self) -> bool {
        self.rows.len() >= self.capacity
    }

    /// Records a row read from `record` (None: a row that could not be read as a record at all).
    pub fn push(&mut self, line: u64, record: Option<&dyn Record>, outcome: Outcome) {
        if self.full() {
            return;
        }
        let text = |field| record.and_then(|r| r.cell(field).ok().flatten()).map(|c: Cell<'_>| c.text().into_owned());
        let revenue = record.and_then(|r| match r.cell(Field::Revenue).ok().flatten()? {
            Cell::Int(n) => Some(n as f64),
            Cell::Float(x) => Some(x),
            Cell::Text(s) => s.trim().parse().ok(),
        });
        let (day, purchase, duplicate, rejected) = match outcome {
            Outcome::Used { day, purchase } => (Some(day), purchase, false, None),
            Outcome::Duplicate => (None, false, true, None),
            Outcome::Rejected(reason) => (None, false, false, Some(reason)),
        };
        self.rows.push(PreviewRow {
            line,
            user: text(Field::User),
            time: text(Field::Time),
            day,
            event: text(Field::Event),
            revenue,
            purchase,
            duplicate,
            rejected,
        });
    }
}

/// What the importer made of a row.
pub enum Outcome {
    Used { day: Day, purchase: bool },
    Duplicate,
    Rejected(Reason),
}

impl Mapping {
    /// The mapping as a spec `user=…,time=…,event=…` (alternatives joined by `|`; unmapped
    /// fields left out), which [`Mapping::apply_spec`] reads back.
    pub fn spec(&self) -> String {
        Field::ALL
            .iter()
            .filter(|f| !self.paths(**f).is_empty())
            .map(|f| format!("{}={}", f.key(), self.paths(*f).join("|")))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::super::mapping::preset;

    #[test]
    fn a_spec_reads_back_as_the_same_mapping() {
        let m = preset("segment").expect("preset").mapping();
        let spec = m.spec();
        assert!(spec.starts_with("user=userId|anonymousId,time=timestamp"), "{spec}");
        let mut back = super::Mapping::empty();
        back.apply_spec(&spec).expect("spec");
        assert_eq!(back.paths, m.paths);
    }
}
