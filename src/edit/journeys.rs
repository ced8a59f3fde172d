//! Whole-journey edits on the scenario text: add, duplicate, rename and delete a
//! `[[journey]]`. Names stay unique (they are how `[experiment] arms` and the
//! results name a journey); a rename carries the experiment's arms along, and a
//! journey that is an arm is not deleted from under the experiment.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use super::EditError;
use super::journey::{journey_table, set_value};

/// What a new journey starts as: a trigger connected to an exit, so it is valid at once.
const NEW_JOURNEY: &str = r#"[[journey]]
name = ""

[[journey.node]]
id = "start"
type = "trigger"
event = "signup"
next = "end"

[[journey.node]]
id = "end"
type = "exit"
"#;

pub(super) fn add(doc: &mut DocumentMut, name: Option<&str>) -> Result<(), EditError> {
    let names = names(doc);
    let name = chosen_name(name, "new journey", &names)?;
    let mut template: DocumentMut =
        NEW_JOURNEY.parse().map_err(|e: toml_edit::TomlError| EditError::Syntax(e.to_string()))?;
    let mut journey = template
        .get_mut("journey")
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|list| list.get_mut(0))
        .map(std::mem::take)
        .ok_or_else(|| EditError::NotEditable("the new journey template".into()))?;
    set_value(&mut journey, "name", Value::from(name.as_str()));
    push(doc, journey)
}

pub(super) fn duplicate(doc: &mut DocumentMut, journey: usize, name: Option<&str>) -> Result<(), EditError> {
    let names = names(doc);
    let original = journey_table(doc, journey)?;
    let current = original.get("name").and_then(Item::as_str).unwrap_or("journey").to_owned();
    let mut copy = original.clone();
    let name = chosen_name(name, &format!("{current} copy"), &names)?;
    set_value(&mut copy, "name", Value::from(name.as_str()));
    push(doc, copy)
}

pub(super) fn rename(doc: &mut DocumentMut, journey: usize, name: &str) -> Result<(), EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EditError::EmptyName("journey name"));
    }
    let names = names(doc);
    let table = journey_table(doc, journey)?;
    let old = table.get("name").and_then(Item::as_str).map(str::to_owned);
    if old.as_deref() == Some(name) {
        return Ok(());
    }
    if names.iter().any(|n| n == name) {
        return Err(EditError::Taken { what: "journey", name: name.to_owned() });
    }
    set_value(table, "name", Value::from(name));
    let Some(old) = old else { return Ok(()) };
    if let Some(arms) = doc.get_mut("experiment").and_then(|e| e.get_mut("arms")).and_then(Item::as_array_mut) {
        for arm in arms.iter_mut() {
            if arm.as_str() == Some(old.as_str()) {
                let decor = arm.decor().clone();
                *arm = Value::from(name);
                *arm.decor_mut() = decor;
            }
        }
    }
    Ok(())
}

pub(super) fn delete(doc: &mut DocumentMut, journey: usize) -> Result<(), EditError> {
    let name = journey_table(doc, journey)?.get("name").and_then(Item::as_str).map(str::to_owned);
    if let Some(name) = name {
        let arms = doc.get("experiment").and_then(|e| e.get("arms")).and_then(Item::as_array);
        if arms.is_some_and(|arms| arms.iter().any(|arm| arm.as_str() == Some(name.as_str()))) {
            return Err(EditError::ExperimentArm(name));
        }
    }
    let list = list(doc)?;
    if list.len() <= 1 {
        return Err(EditError::LastJourney);
    }
    list.remove(journey);
    Ok(())
}

/// Every journey's name, in file order (unnamed journeys are left out).
fn names(doc: &DocumentMut) -> Vec<String> {
    doc.get("journey")
        .and_then(Item::as_array_of_tables)
        .map(|list| list.iter().filter_map(|t| t.get("name").and_then(Item::as_str).map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// `wanted` if given (trimmed, not empty, not taken), else the first free of `base`, `base 2`, `base 3`, ….
fn chosen_name(wanted: Option<&str>, base: &str, taken: &[String]) -> Result<String, EditError> {
    let free = |n: &str| !taken.iter().any(|t| t == n);
    match wanted.map(str::trim) {
        Some("") => Err(EditError::EmptyName("journey name")),
        Some(name) if free(name) => Ok(name.to_owned()),
        Some(name) => Err(EditError::Taken { what: "journey", name: name.to_owned() }),
        None => Ok((1..)
            .map(|n| if n == 1 { base.to_owned() } else { format!("{base} {n}") })
            .find(|n| free(n))
            .unwrap_or_else(|| base.to_owned())),
    }
}

fn list(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, EditError> {
    if !doc.contains_key("journey") {
        doc.insert("journey", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    doc.get_mut("journey")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| EditError::NotEditable("`journey`".into()))
}

/// Appends `journey` after the last journey. Its tables lose their place in the file they
/// came from, so they are written right after the journey before them (before any later
/// section such as `[experiment]`), with one blank line above the header.
fn push(doc: &mut DocumentMut, mut journey: Table) -> Result<(), EditError> {
    unplace(&mut journey);
    journey.decor_mut().set_prefix("\n");
    list(doc)?.push(journey);
    Ok(())
}

fn unplace(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => unplace(t),
            Item::ArrayOfTables(list) => list.iter_mut().for_each(unplace),
            _ => {}
        }
    }
}
