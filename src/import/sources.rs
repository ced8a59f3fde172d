//! The three readers — delimited text, JSON lines, Parquet — each streaming rows
//! into a [`Builder`]: one record in memory at a time (one row group for Parquet).

use std::io::BufRead;

use serde_json::Value;

use super::history::{Builder, Built, Reason, Rejection};
use super::mapping::{Field, Mapping};
use super::record::{Columns, CsvRecord, JsonRecord, lookup};
use super::{ImportError, Plan};

/// Longest JSON line read (a file without line breaks is not JSON lines).
const MAX_LINE: u64 = 16 << 20;

/// Reads delimited text with a header row.
pub fn delimited(
    reader: impl BufRead,
    delimiter: u8,
    plan: &Plan,
    on_reject: &mut dyn FnMut(&Rejection),
) -> Result<(Mapping, Built), ImportError> {
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let read_error = |line: u64, e: csv::Error| plan.read_error(line, &e.to_string());
    if !csv.read_byte_record(&mut record).map_err(|e| read_error(1, e))? {
        return Err(plan.not_an_export("empty: no header row"));
    }
    let header: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            if i == 0 { h.trim_start_matches('\u{feff}').trim().to_string() } else { h.trim().to_string() }
        })
        .collect();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mapping =
        plan.mapping(&|p| super::record::find(&names, p).is_some(), &format!("the header has {}", list(&names)))?;
    let columns = Columns::resolve(&names, &mapping);
    for field in [Field::User, Field::Time] {
        if !columns.has(field) {
            return Err(plan.mapping_error(&format!(
                "no column for {} ({}); the header has {}: map {}=COLUMN",
                field.key(),
                mapping.paths(field).join(" or "),
                list(&names),
                field.key()
            )));
        }
    }
    let mut builder = Builder::new(plan.clock(&mapping), &mapping, columns.has(Field::Event), on_reject)
        .sampling(plan.sample(&names));
    let mut line = 1;
    while !builder.sampled() {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(read_error(line + 1, e)),
        }
        line = record.position().map_or(line + 1, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line holds no row
        }
        if record.len() != names.len() {
            let why = format!("the row has {} fields, the header {}", record.len(), names.len());
            builder.reject(line, Reason::Malformed(why));
            continue;
        }
        builder.row(line, &CsvRecord { record: &record, columns: &columns });
    }
    Ok((mapping.clone(), builder.finish()))
}

/// Reads JSON lines: one object per line; blank lines are skipped.
pub fn json_lines(
    mut reader: impl BufRead,
    plan: &Plan,
    on_reject: &mut dyn FnMut(&Rejection),
) -> Result<(Mapping, Built), ImportError> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    // The first object decides the mapping when none is given; the lines before it are kept
    // (a few at most) and replayed in order.
    let mut early = Vec::new();
    let first = loop {
        match next_line(&mut reader, &mut buf, &mut line, plan)? {
            Some(Ok(value)) if value.is_object() => {
                early.push((line, Ok(value.clone())));
                break value;
            }
            Some(other) if early.len() < 100 => early.push((line, other)),
            _ => return Err(plan.not_an_export(&format!("no JSON object in the first {line} line(s)"))),
        }
    };
    let keys: Vec<&str> = first.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    let mapping =
        plan.mapping(&|p| lookup(&first, p).is_some(), &format!("the first object has keys {}", list(&keys)))?;
    let mut builder = Builder::new(plan.clock(&mapping), &mapping, !mapping.paths(Field::Event).is_empty(), on_reject)
        .sampling(plan.sample(&keys));
    let take = |builder: &mut Builder<'_>, line: u64, parsed: Result<Value, String>| match parsed {
        Ok(value) if value.is_object() => builder.row(line, &JsonRecord { value: &value, mapping: &mapping }),
        Ok(_) => builder.reject(line, Reason::Malformed("the line is JSON but not an object".into())),
        Err(why) => builder.reject(line, Reason::Malformed(why)),
    };
    for (at, parsed) in early {
        take(&mut builder, at, parsed);
    }
    while !builder.sampled() {
        let Some(parsed) = next_line(&mut reader, &mut buf, &mut line, plan)? else { break };
        take(&mut builder, line, parsed);
    }
    Ok((mapping.clone(), builder.finish()))
}

/// The next non-blank line parsed as JSON (or why it is not), None at the end.
fn next_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    line: &mut u64,
    plan: &Plan,
) -> Result<Option<Result<Value, String>>, ImportError> {
    loop {
        buf.clear();
        let n = std::io::Read::take(&mut *reader, MAX_LINE + 1)
            .read_until(b'\n', buf)
            .map_err(|e| plan.read_error(*line + 1, &e.to_string()))?;
        if n == 0 {
            return Ok(None);
        }
        *line += 1;
        if n as u64 > MAX_LINE {
            return Err(plan.not_an_export(&format!("line {line} is longer than 16 MiB: not JSON lines")));
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Ok(Some(serde_json::from_slice::<Value>(buf).map_err(|e| format!("not valid JSON: {e}"))));
    }
}

fn list(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut s = names.iter().take(SHOWN).map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}
