//! Every setting of a file as a [`Field`] whose path uses the same notation as
//! [`crate::scenario::Diagnostic::path`] (so a diagnostic lands on its field),
//! and [`set_field`] to change one value while keeping comments and layout.

use std::collections::HashMap;

use toml_edit::{Item, Table, TableLike, Value};

use super::{EditError, document, model};
use crate::scenario::Currency;
use crate::scenario::definitions::{self, Input};
use crate::scenario::path::{join, steps};

/// The TOML type of a field's value.
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

/// The input the form edits a field with (from [`crate::scenario::definitions`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldInput {
    Number,
    /// A proportion of 0–1 in the file, entered and shown as a percentage.
    Percent,
    /// One of [`Field::choices`].
    Select,
    /// Several of [`Field::choices`], in order, written as a TOML list.
    Multi,
    Toggle,
    Text,
    LongText,
    Date,
    /// TOML written as is (lists, or a key the format does not have).
    Raw,
}

/// One value a select offers: as written in the file and as shown.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FieldChoice {
    pub value: String,
    pub label: String,
}

impl From<&definitions::Choice> for FieldChoice {
    fn from(c: &definitions::Choice) -> Self {
        FieldChoice { value: c.value.to_owned(), label: c.label.to_owned() }
    }
}

/// The choices of a setting by its field pattern, whether or not a text sets it: the canvas's menu
/// for a node that has no `delivery` yet offers the same words as the form.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ChoiceSet {
    /// The field pattern of [`definitions::DEFINITIONS`], e.g. `journey.node.delivery`.
    pub pattern: String,
    /// The setting's plain-language title, e.g. "Send on".
    pub title: String,
    pub choices: Vec<FieldChoice>,
}

/// The choice set of every setting of a journey (its nodes' and its policies') that has choices.
pub fn journey_choice_sets() -> Vec<ChoiceSet> {
    definitions::DEFINITIONS
        .iter()
        .filter(|d| d.pattern.starts_with("journey.") && !d.choices().is_empty())
        .map(|d| ChoiceSet {
            pattern: d.pattern.to_owned(),
            title: d.label.to_owned(),
            choices: d.choices().iter().map(FieldChoice::from).collect(),
        })
        .collect()
}

/// One setting of a scenario file, with what the form needs to show it in plain language.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Field {
    /// Full path, e.g. `population.segment[0].purchase_propensity.mean`.
    pub path: String,
    /// The table the field belongs to, e.g. `population.segment[0]`.
    pub section: String,
    /// The section's title for people, e.g. "Segment 1: bargain hunters › Time zones and travel".
    pub section_title: String,
    /// The field's own name within its section as written, e.g. `purchase_propensity.mean`.
    pub label: String,
    /// Its plain-language title, e.g. "Chance a visit reaches the cart · average".
    pub title: String,
    /// One line on what it means.
    pub help: String,
    /// What the value is counted in, as shown beside the input: "%", "days", "EUR" ("" for none).
    pub unit: String,
    pub input: FieldInput,
    /// The allowed range in the file's units (a percent field's 0–1), where fixed.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The number input's step, in the file's units.
    pub step: f64,
    /// The allowed values in the form's words: "from 0 % to 100 %" ("" when free).
    pub range: String,
    /// A select's values.
    pub choices: Vec<FieldChoice>,
    pub kind: FieldKind,
    /// The value as the form shows it (numbers without digit separators).
    pub value: String,
}

/// Every scalar setting of `text`, in file order.
pub fn fields(text: &str) -> Result<Vec<Field>, EditError> {
    let doc = document(text)?;
    let currency = doc
        .get("economics")
        .and_then(|e| e.get("currency"))
        .and_then(Item::as_str)
        .unwrap_or(Currency::DEFAULT.as_str())
        .to_owned();
    let mut walk = Walk { currency, names: HashMap::new(), out: Vec::new() };
    walk.table(doc.as_table(), "");
    Ok(walk.out)
}

/// The fields of one table of `text` (e.g. `journey[0].node[2]`), paths in full.
pub(super) fn fields_of(table: &Table, path: &str) -> Vec<Field> {
    let mut walk = Walk { currency: Currency::DEFAULT.as_str().to_owned(), names: HashMap::new(), out: Vec::new() };
    walk.table(table, path);
    walk.out
}

/// One walk over a document's tables, collecting fields.
struct Walk {
    /// The scenario's currency, the unit of money fields.
    currency: String,
    /// The `name` or `id` of each table walked into, for section titles.
    names: HashMap<String, String>,
    out: Vec<Field>,
}

/// The section a value is in, for its field.
struct Section<'s> {
    path: &'s str,
    title: &'s str,
    /// The journey node's `type` when the section is a node.
    node_type: Option<&'s str>,
}

impl Walk {
    fn table(&mut self, table: &Table, path: &str) {
        let own_name = table.get("name").or_else(|| table.get("id")).and_then(Item::as_str);
        if let Some(name) = own_name {
            self.names.insert(path.to_owned(), name.to_owned());
        }
        let title = definitions::section_title(path, |p| self.names.get(p).cloned());
        let section = Section { path, title: &title, node_type: table.get("type").and_then(Item::as_str) };
        for (key, item) in table.iter() {
            let here = join(path, key);
            match item {
                Item::Value(value) => self.value(value, &here, &section),
                Item::Table(t) if t.is_dotted() => self.dotted(t, &here, &section),
                Item::Table(t) => self.table(t, &here),
                Item::ArrayOfTables(tables) => {
                    for (i, t) in tables.iter().enumerate() {
                        self.table(t, &format!("{here}[{i}]"));
                    }
                }
                Item::None => {}
            }
        }
    }

    /// Dotted keys (`caps.push = …`) stay in their section: they are written there.
    fn dotted(&mut self, table: &Table, path: &str, section: &Section) {
        for (key, item) in table.iter() {
            let here = join(path, key);
            match item {
                Item::Value(value) => self.value(value, &here, section),
                Item::Table(t) => self.dotted(t, &here, section),
                _ => {}
            }
        }
    }

    fn value(&mut self, value: &Value, path: &str, section: &Section) {
        if let Value::InlineTable(t) = value {
            for (key, v) in t.iter() {
                self.value(v, &join(path, key), section);
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
        let label = path.strip_prefix(section.path).unwrap_or(path).trim_start_matches('.').to_owned();
        let field = match definitions::describe(path, section.node_type) {
            Some(d) => {
                let (input, choices) = match d.input {
                    Input::Number => (FieldInput::Number, &[][..]),
                    Input::Percent => (FieldInput::Percent, &[][..]),
                    Input::Select(choices) => (FieldInput::Select, choices),
                    Input::Multi(choices) => (FieldInput::Multi, choices),
                    Input::Toggle => (FieldInput::Toggle, &[][..]),
                    Input::Text => (FieldInput::Text, &[][..]),
                    Input::LongText => (FieldInput::LongText, &[][..]),
                    Input::Date => (FieldInput::Date, &[][..]),
                    Input::List => (FieldInput::Raw, &[][..]),
                };
                let unit = d.unit_text(&self.currency);
                Field {
                    path: path.to_owned(),
                    section: section.path.to_owned(),
                    section_title: section.title.to_owned(),
                    label,
                    title: d.label,
                    help: d.help,
                    unit,
                    input,
                    min: d.min,
                    max: d.max,
                    step: d.step,
                    range: d.range,
                    choices: choices.iter().map(FieldChoice::from).collect(),
                    kind,
                    value: shown,
                }
            }
            // A key the format does not have: the reader reports it; the form shows it as written.
            None => Field {
                path: path.to_owned(),
                section: section.path.to_owned(),
                section_title: section.title.to_owned(),
                title: label.replace('_', " "),
                label,
                help: String::new(),
                unit: String::new(),
                input: FieldInput::Raw,
                min: None,
                max: None,
                step: 1.0,
                range: String::new(),
                choices: Vec::new(),
                kind,
                value: shown,
            },
        };
        self.out.push(field);
    }
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
