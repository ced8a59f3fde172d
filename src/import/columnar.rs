//! Parquet through the `parquet` crate's row API (no arrow): rows are read one row
//! group at a time and turned into JSON objects, so the JSON path lookup serves
//! both. Timestamps become RFC 3339 text, decimals numbers.

use std::cell::Cell;
use std::fs::File;
use std::panic::AssertUnwindSafe;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field as PqField, Row};
use serde_json::{Map, Number, Value};

use super::history::{Builder, Built, Rejection};
use super::mapping::{Field, Mapping};
use super::record::{JsonRecord, lookup};
use super::time::Day;
use super::{ImportError, Plan};

/// Reads a Parquet file. The decoder can panic on corrupt pages (parquet 59 asserts on some
/// bit-packed runs); that is caught and reported as a read error at the row reached.
pub fn read(file: File, plan: &Plan, on_reject: &mut dyn FnMut(&Rejection)) -> Result<(Mapping, Built), ImportError> {
    let reached = Cell::new(0);
    std::panic::catch_unwind(AssertUnwindSafe(|| rows(file, plan, on_reject, &reached)))
        .unwrap_or_else(|_| Err(plan.read_error(reached.get() + 1, "the Parquet decoder failed on corrupt data")))
}

fn rows(
    file: File,
    plan: &Plan,
    on_reject: &mut dyn FnMut(&Rejection),
    reached: &Cell<u64>,
) -> Result<(Mapping, Built), ImportError> {
    let reader = SerializedFileReader::new(file)
        .map_err(|e| plan.not_an_export(&format!("starts like Parquet but its footer cannot be read ({e})")))?;
    let mut rows = reader.get_row_iter(None).map_err(|e| plan.read_error(1, &e.to_string()))?;
    let Some(first) = rows.next() else {
        return Err(plan.not_an_export("a Parquet file with no rows"));
    };
    let first = row_json(&first.map_err(|e| plan.read_error(1, &e.to_string()))?);
    let keys: Vec<&str> = first.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    let mapping = plan.mapping(&|p| lookup(&first, p).is_some(), &format!("the columns are {}", keys.join(", ")))?;
    let mut builder = Builder::new(plan.clock(&mapping), &mapping, !mapping.paths(Field::Event).is_empty(), on_reject)
        .sampling(plan.sample(&keys));
    builder.row(1, &JsonRecord { value: &first, mapping: &mapping });
    for (i, row) in rows.enumerate() {
        if builder.sampled() {
            break;
        }
        let at = i as u64 + 2;
        reached.set(at - 1);
        let row = row.map_err(|e| plan.read_error(at, &e.to_string()))?;
        builder.row(at, &JsonRecord { value: &row_json(&row), mapping: &mapping });
    }
    Ok((mapping.clone(), builder.finish()))
}

fn row_json(row: &Row) -> Value {
    Value::Object(row.get_column_iter().map(|(k, v)| (k.clone(), field_json(v))).collect())
}

fn field_json(field: &PqField) -> Value {
    let float = |x: f64| Number::from_f64(x).map_or(Value::Null, Value::Number);
    let instant = |t: Result<jiff::Timestamp, jiff::Error>| t.map_or(Value::Null, |t| Value::String(t.to_string()));
    match field {
        PqField::Null | PqField::TimeMillis(_) | PqField::TimeMicros(_) => Value::Null,
        PqField::Bool(b) => Value::Bool(*b),
        PqField::Byte(n) => Value::from(*n),
        PqField::Short(n) => Value::from(*n),
        PqField::Int(n) => Value::from(*n),
        PqField::Long(n) => Value::from(*n),
        PqField::UByte(n) => Value::from(*n),
        PqField::UShort(n) => Value::from(*n),
        PqField::UInt(n) => Value::from(*n),
        PqField::ULong(n) => Value::from(*n),
        PqField::Float16(x) => float(f64::from(*x)),
        PqField::Float(x) => float(f64::from(*x)),
        PqField::Double(x) => float(*x),
        PqField::Decimal(d) => float(decimal(d.data(), d.scale())),
        PqField::Str(s) => Value::String(s.clone()),
        PqField::Bytes(b) => Value::String(String::from_utf8_lossy(b.data()).into_owned()),
        PqField::Date(d) => Value::String(Day(*d).to_string()),
        PqField::TimestampMillis(ms) => instant(jiff::Timestamp::from_millisecond(*ms)),
        PqField::TimestampMicros(us) => instant(jiff::Timestamp::from_microsecond(*us)),
        PqField::Group(row) => row_json(row),
        PqField::ListInternal(list) => Value::Array(list.elements().iter().map(field_json).collect()),
        PqField::MapInternal(map) => {
            let entries = map.entries().iter().map(|(k, v)| {
                let key = match field_json(k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (key, field_json(v))
            });
            Value::Object(entries.collect::<Map<_, _>>())
        }
    }
}

/// A Parquet decimal (big-endian two's-complement unscaled value) as a float.
fn decimal(bytes: &[u8], scale: i32) -> f64 {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let unscaled = bytes.iter().fold(if negative { -1i128 } else { 0 }, |acc, b| (acc << 8) | i128::from(*b));
    unscaled as f64 / 10f64.powi(scale)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_read_with_their_scale() {
        assert_eq!(super::decimal(&[0x04, 0xd2], 2), 12.34);
        assert_eq!(super::decimal(&[0xfb, 0x2e], 2), -12.34);
        assert_eq!(super::decimal(&[], 0), 0.0);
    }
}
