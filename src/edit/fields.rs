//! Every setting of a file as a [`Field`] whose path uses the same notation as
//! [`crate::scenario::Diagnostic::path`] (so a diagnostic lands on its field),
//! and [`set_field`] to change one value while keeping comments and layout.

use toml_edit::{Item, Table, TableLike, Value};

use super::{EditError, document, model};
use crate::scenario::path::{join, steps};

/// How the form should edit a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Integer,
    Float,
    Text,
    Boolean,
    Date,
    /// A list or anything else edited as raw TOML.
    Raw,
}

/// One setting of a scenario file.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Field {
    /// Full path, e.g. `population.segment[0].purchase_propensity.mean`.
    pub path: String,
    /// The table the field belongs to, e.g. `population.segment[0]`.
    pub section: String,
    /// The field's own name within its section, e.g. `purchase_propensity.mean`.
    pub label: String,
    pub kind: FieldKind,
    /// The value as the form shows it (numbers without digit separators).
    pub value: String,
}

/// Every scalar setting of `text`, in file order.
pub fn fields(text: &str) -> Result<Vec<Field>, EditError> {
    let doc = document(text)?;
    let mut out = Vec::new();
    walk_table(doc.as_table(), "", &mut out);
    Ok(out)
}

/// The fields of one table of `text` (e.g. `journey[0].node[2]`), paths in full.
pub(super) fn fields_of(table: &Table, path: &str) -> Vec<Field> {
    let mut out = Vec::new();
    walk_table(table, path, &mut out);
    out
}

fn walk_table(table: &Table, path: &str, out: &mut Vec<Field>) {
    for (key, item) in table.iter() {
        let here = join(path, key);
        match item {
            Item::Value(value) => walk_value(value, &here, path, out),
            Item::Table(t) if t.is_dotted() => walk_dotted(t, &here, path, out),
            Item::Table(t) => walk_table(t, &here, out),
            Item::ArrayOfTables(tables) => {
                for (i, t) in tables.iter().enumerate() {
                    walk_table(t, &format!("{here}[{i}]"), out);
                }
            }
            Item::None => {}
        }
    }
}

/// Dotted keys (`caps.push = …`) stay in their section: they are written there.
fn walk_dotted(table: &Table, path: &str, section: &str, out: &mut Vec<Field>) {
    for (key, item) in table.iter() {
        let here = join(path, key);
        match item {
            Item::Value(value) => walk_value(value, &here, section, out),
            Item::Table(t) => walk_dotted(t, &here, section, out),
            _ => {}
        }
    }
}

fn walk_value(value: &Value, path: &str, section: &str, out: &mut Vec<Field>) {
    if let Value::InlineTable(t) = value {
        for (key, v) in t.iter() {
            walk_value(v, &join(path, key), section, out);
        }
        return;
    }
    let (kind, shown) = match value {
        Value::Integer(i) => (FieldKind::Integer, i.value().to_string()),
        Value::Float(f) => (FieldKind::Float, format!("{:?}", f.value())),
        Value::String(s) => (FieldKind::Text, s.value().clone()),
        Value::Boolean(b) => (FieldKind::Boolean, b.value().to_string()),
        Value::Datetime(d) => (FieldKind::Date, d.value().to_string()),
        other => (FieldKind::Raw, other.to_string().trim().to_owned()),
    };
    let label = path.strip_prefix(section).unwrap_or(path).trim_start_matches('.').to_owned();
    out.push(Field { path: path.to_owned(), section: section.to_owned(), label, kind, value: shown });
}

/// `text` with the setting at `path` replaced by `input`, read as the field's
/// kind. Input that does not read as that kind is written as a string, so the
/// validator reports it at the field like any other wrong value. A `[model]`
/// parameter is written even when not in the text yet, and removed (back to its
/// default) by empty input; see [`super::model`].
pub fn set_field(text: &str, path: &str, input: &str) -> Result<String, EditError> {
    let mut doc = document(text)?;
    if let Some(name) = model::parameter_key(path) {
        model::set(&mut doc, name, input)?;
        return Ok(doc.to_string());
    }
    let missing = || EditError::NoField(path.to_owned());
    let steps = steps(path).ok_or_else(missing)?;
    let (last, parents) = steps.split_last().ok_or_else(missing)?;
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    for (key, index) in parents {
        let item = table.get_mut(key).ok_or_else(missing)?;
        table = match (item, index) {
            (Item::ArrayOfTables(tables), Some(i)) => tables.get_mut(*i).ok_or_else(missing)?,
            (item, None) => item.as_table_like_mut().ok_or_else(missing)?,
            _ => return Err(missing()),
        };
    }
    let slot = table.get_mut(&last.0).ok_or_else(missing)?;
    let old = slot.as_value().ok_or_else(missing)?;
    let mut new = parse_as(old, input);
    *new.decor_mut() = old.decor().clone();
    *slot = Item::Value(new);
    Ok(doc.to_string())
}

pub(super) fn parse_as(old: &Value, input: &str) -> Value {
    let input = input.trim();
    let number = input.replace('_', "");
    match old {
        Value::Integer(_) => number.parse::<i64>().map(Value::from).ok(),
        Value::Float(_) => number.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from),
        Value::Boolean(_) => input.parse::<bool>().map(Value::from).ok(),
        Value::Datetime(_) => input.parse::<toml_edit::Datetime>().map(Value::from).ok(),
        // A string left by an unreadable number entry ("", "12x") takes a number again.
        Value::String(s) if looks_like_failed_number(s.value()) => number
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| number.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from)),
        Value::String(_) => Some(Value::from(input)),
        _ => input.parse::<Value>().ok(),
    }
    .unwrap_or_else(|| Value::from(input))
}

fn looks_like_failed_number(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# Lesson: x\n[simulation]\nusers = 50_000 # how many\nname = \"a\"\n\n[[population.segment]]\nname = \"s\"\nshare = 1.0\nvisits = { mean = 2.0, sd = 1.0 }\n\n[journey.policies]\ncaps.push = { per_week = 3 }\n";

    #[test]
    fn fields_use_the_diagnostic_path_notation() {
        let paths: Vec<_> = fields(TEXT).expect("fields").into_iter().map(|f| (f.path, f.label, f.value)).collect();
        let expect = [
            ("simulation.users", "users", "50000"),
            ("simulation.name", "name", "a"),
            ("population.segment[0].name", "name", "s"),
            ("population.segment[0].share", "share", "1.0"),
            ("population.segment[0].visits.mean", "visits.mean", "2.0"),
            ("population.segment[0].visits.sd", "visits.sd", "1.0"),
            ("journey.policies.caps.push.per_week", "caps.push.per_week", "3"),
        ];
        let expect: Vec<_> = expect.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
        assert_eq!(paths, expect);
    }

    #[test]
    fn setting_a_field_keeps_comments_and_other_text() {
        let out = set_field(TEXT, "simulation.users", "1200").expect("set");
        assert!(out.contains("users = 1200 # how many"), "{out}");
        assert!(out.starts_with("# Lesson: x\n"));
        let out = set_field(TEXT, "population.segment[0].visits.sd", "0.5").expect("set nested");
        assert!(out.contains("visits = { mean = 2.0, sd = 0.5 }"), "{out}");
    }

    #[test]
    fn unreadable_input_becomes_a_string_the_validator_will_reject() {
        let out = set_field(TEXT, "simulation.users", "lots").expect("set");
        assert!(out.contains("users = \"lots\""), "{out}");
        // Cleared, then a number typed: a number again, not the string "-3".
        let cleared = set_field(TEXT, "simulation.users", "").expect("clear");
        let out = set_field(&cleared, "simulation.users", "-3").expect("retype");
        assert!(out.contains("users = -3 # how many"), "{out}");
        let named = set_field(TEXT, "simulation.name", "b").expect("text stays text");
        assert!(named.contains("name = \"b\""), "{named}");
    }

    #[test]
    fn a_diagnostic_on_a_quoted_key_lands_on_its_field_and_the_field_can_be_set() {
        let full = include_str!("../../tests/data/scenario_full.toml");
        let text = full.replace("\"UTC+1\" = 0.5", "\"UTC+1\" = -0.5");
        assert_ne!(text, full, "the fixture has a UTC+1 share to break");
        let diagnostics = crate::scenario::read(&text).expect_err("a negative share");
        let on_key = diagnostics.iter().find(|d| d.path.ends_with(".\"UTC+1\"")).expect("a diagnostic at the key");
        let field = fields(&text).expect("fields").into_iter().find(|f| f.path == on_key.path);
        let field = field.unwrap_or_else(|| panic!("no form field at {}", on_key.path));
        assert_eq!(field.value, "-0.5");
        let fixed = set_field(&text, &field.path, "0.5").expect("the field's path finds the key");
        assert_eq!(fixed, full);
    }

    #[test]
    fn unknown_paths_and_broken_text_are_errors() {
        assert_eq!(set_field(TEXT, "simulation.nope", "1"), Err(EditError::NoField("simulation.nope".into())));
        assert_eq!(
            set_field(TEXT, "population.segment[3].name", "x"),
            Err(EditError::NoField("population.segment[3].name".into()))
        );
        assert!(matches!(fields("[a"), Err(EditError::Syntax(_))));
    }
}
