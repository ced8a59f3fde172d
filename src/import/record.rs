//! One row of an export as the field values the importer asks for, whatever the
//! format: a CSV record through its resolved columns, or a JSON object (JSON
//! lines, and Parquet rows converted to JSON) through dotted paths.

use std::borrow::Cow;

use serde_json::Value;

use super::mapping::{Field, Mapping};

/// A value found in a row; empty text is never returned (it counts as missing).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Float(f64),
}

impl Cell<'_> {
    /// The value as text (ids may be numbers in JSON).
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s.as_ref()),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Float(x) => Cow::Owned(x.to_string()),
        }
    }
}

impl<'a> Cell<'a> {
    /// The value as text borrowed from the row where it is text (no copy per row).
    pub fn into_text(self) -> Cow<'a, str> {
        match self {
            Cell::Text(s) => s,
            other => Cow::Owned(other.text().into_owned()),
        }
    }
}

/// A row the importer reads fields from.
pub trait Record {
    /// The first non-empty value among `field`'s alternatives, or why the row cannot say.
    fn cell(&self, field: Field) -> Result<Option<Cell<'_>>, String>;
}

/// Looks up a dotted path in a JSON value. A key containing dots is matched whole first
/// (`"profile.identity"` as a flat key), then path segments in turn; a string met on the
/// way that holds a JSON object (PostHog's `properties` in Parquet and CSV) is parsed.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<Cow<'v, Value>> {
    if path.is_empty() {
        return Some(Cow::Borrowed(value));
    }
    match value {
        Value::Object(map) => {
            if let Some(v) = map.get(path) {
                return Some(Cow::Borrowed(v));
            }
            path.match_indices('.').find_map(|(at, _)| {
                let v = map.get(&path[..at])?;
                lookup(v, &path[at + 1..])
            })
        }
        Value::String(s) if s.trim_start().starts_with('{') => {
            let parsed: Value = serde_json::from_str(s).ok()?;
            lookup(&parsed, path).map(|v| Cow::Owned(v.into_owned()))
        }
        _ => None,
    }
}

/// A JSON value as a cell: null, empty strings, objects and arrays are missing.
pub fn json_cell(value: Cow<'_, Value>) -> Option<Cell<'_>> {
    let scalar = |v: &Value| match v {
        Value::Number(n) => n.as_i64().map(Cell::Int).or_else(|| n.as_f64().map(Cell::Float)),
        Value::Bool(b) => Some(Cell::Text(Cow::Borrowed(if *b { "true" } else { "false" }))),
        _ => None,
    };
    match value {
        Cow::Borrowed(Value::String(s)) => non_empty(Cow::Borrowed(s.as_str())),
        Cow::Owned(Value::String(s)) => non_empty(Cow::Owned(s)),
        v => scalar(&v),
    }
}

fn non_empty(s: Cow<'_, str>) -> Option<Cell<'_>> {
    if s.trim().is_empty() { None } else { Some(Cell::Text(s)) }
}

/// A JSON object row read through a mapping.
pub struct JsonRecord<'a> {
    pub value: &'a Value,
    pub mapping: &'a Mapping,
}

impl Record for JsonRecord<'_> {
    fn cell(&self, field: Field) -> Result<Option<Cell<'_>>, String> {
        Ok(self.mapping.paths(field).iter().find_map(|p| lookup(self.value, p).and_then(json_cell)))
    }
}

/// Where a mapped path is found in a CSV header: a column, and maybe a path inside it
/// when the column holds JSON (`properties.revenue` → column `properties`, path `revenue`).
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub index: usize,
    pub inner: Option<String>,
}

/// Each field's columns, resolved once from the header.
pub struct Columns {
    pub by_field: Vec<Vec<Column>>,
}

impl Columns {
    /// Resolves every path of the mapping against the header (exact name first, then
    /// ASCII case-insensitive, then a JSON column and a path inside it). Paths that match
    /// nothing are left out; [`Columns::has`] says whether a field resolved at all.
    pub fn resolve(header: &[&str], mapping: &Mapping) -> Columns {
        let by_field = Field::ALL.iter().map(|f| mapping.paths(*f).iter().filter_map(|p| find(header, p)).collect());
        Columns { by_field: by_field.collect() }
    }

    pub fn has(&self, field: Field) -> bool {
        !self.get(field).is_empty()
    }

    pub fn get(&self, field: Field) -> &[Column] {
        let i = Field::ALL.iter().position(|f| *f == field).unwrap_or_default();
        &self.by_field[i]
    }
}

/// The column a path names in a header (see [`Columns::resolve`]).
pub fn find(header: &[&str], path: &str) -> Option<Column> {
    let exact = |name: &str| header.iter().position(|h| *h == name);
    let loose = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    if let Some(index) = exact(path).or_else(|| loose(path)) {
        return Some(Column { index, inner: None });
    }
    path.match_indices('.').find_map(|(at, _)| {
        let index = exact(&path[..at]).or_else(|| loose(&path[..at]))?;
        Some(Column { index, inner: Some(path[at + 1..].to_string()) })
    })
}

/// A CSV record read through resolved columns.
pub struct CsvRecord<'a> {
    pub record: &'a csv::ByteRecord,
    pub columns: &'a Columns,
}

impl Record for CsvRecord<'_> {
    fn cell(&self, field: Field) -> Result<Option<Cell<'_>>, String> {
        for column in self.columns.get(field) {
            let Some(bytes) = self.record.get(column.index) else { continue };
            let text = std::str::from_utf8(bytes)
                .map_err(|e| format!("column {} is not UTF-8 text (byte {})", column.index + 1, e.valid_up_to() + 1))?;
            let found = match &column.inner {
                None => non_empty(Cow::Borrowed(text.trim())),
                Some(inner) => match serde_json::from_str::<Value>(text) {
                    Ok(v) => lookup(&v, inner).and_then(json_cell).map(|c| match c {
                        Cell::Text(s) => Cell::Text(Cow::Owned(s.into_owned())),
                        Cell::Int(n) => Cell::Int(n),
                        Cell::Float(x) => Cell::Float(x),
                    }),
                    Err(_) => None,
                },
            };
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lookup_walks_nested_flat_and_embedded_json() {
        let v = json!({"properties": {"time": 5, "$insert_id": "a"}, "profile.identity": "u1",
                       "props": "{\"revenue\": 9.5}", "n": null, "e": ""});
        let get = |p: &str| lookup(&v, p).and_then(json_cell);
        assert_eq!(get("properties.time"), Some(Cell::Int(5)));
        assert_eq!(get("properties.$insert_id"), Some(Cell::Text("a".into())));
        assert_eq!(get("profile.identity"), Some(Cell::Text("u1".into())));
        assert_eq!(get("props.revenue"), Some(Cell::Float(9.5)));
        assert_eq!((get("n"), get("e"), get("missing.x")), (None, None, None));
    }

    #[test]
    fn csv_columns_resolve_exact_loose_and_into_json() {
        let header = ["Customer_ID", "properties", "customer_id"];
        assert_eq!(find(&header, "customer_id"), Some(Column { index: 2, inner: None }));
        assert_eq!(find(&header, "CUSTOMER_ID"), Some(Column { index: 0, inner: None }));
        assert_eq!(find(&header, "properties.revenue"), Some(Column { index: 1, inner: Some("revenue".into()) }));
        assert_eq!(find(&header, "nothing"), None);
    }
}
