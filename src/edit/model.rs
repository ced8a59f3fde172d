//! The `[model]` section's settings as form fields. Unlike the other fields they
//! are optional: each one left out keeps its default from
//! [`crate::behavior::PARAMETERS`]. So [`super::set_field`] writes a parameter
//! that is not in the text yet (adding the `[model]` section when there is
//! none) and removes it when the input is empty, which restores the default.

use toml_edit::{DocumentMut, Item, Table};

use super::EditError;
use super::journey::{parse_new, remove_path, set_value};

/// The section's name, as written in the file and in diagnostic paths.
const SECTION: &str = "model";

/// The parameter name of a field path `model.<name>` when `<name>` is a behaviour parameter.
pub(super) fn parameter_key(path: &str) -> Option<&str> {
    let name = path.strip_prefix(SECTION)?.strip_prefix('.')?;
    crate::behavior::parameter(name).map(|p| p.name)
}

/// Writes `input` as parameter `name` of `[model]`, or removes it (and a
/// `[model]` it leaves empty) when `input` is empty. The input is read as a
/// TOML value (`0.3`, `72`); anything else is written as text, which the
/// validator then reports at the field.
pub(super) fn set(doc: &mut DocumentMut, name: &str, input: &str) -> Result<(), EditError> {
    if input.trim().is_empty() {
        remove_path(doc.as_table_mut(), &[SECTION, name]);
        return Ok(());
    }
    if !doc.contains_key(SECTION) {
        let mut table = Table::new();
        table.decor_mut().set_prefix("\n");
        doc.insert(SECTION, Item::Table(table));
    }
    let section = doc
        .get_mut(SECTION)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| EditError::NotEditable(format!("{SECTION}.{name}")))?;
    set_value(section, name, parse_new(input));
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::edit::{EditError, fields, set_field};

    const TEXT: &str = "# Lesson: x\n[simulation]\nusers = 1_000 # few\n";

    #[test]
    fn only_known_parameters_are_model_fields() {
        assert_eq!(super::parameter_key("model.blast_annoyance"), Some("blast_annoyance"));
        assert_eq!(super::parameter_key("model.blast_anoyance"), None);
        assert_eq!(super::parameter_key("modelblast_annoyance"), None);
        assert_eq!(super::parameter_key("simulation.users"), None);
    }

    #[test]
    fn a_new_parameter_adds_the_section_and_clearing_it_restores_the_text() {
        let set = set_field(TEXT, "model.blast_annoyance", "0.4").expect("set");
        assert_eq!(set, format!("{TEXT}\n[model]\nblast_annoyance = 0.4\n"));
        let two = set_field(&set, "model.cart_memory_hours", " 96 ").expect("second");
        assert!(two.ends_with("[model]\nblast_annoyance = 0.4\ncart_memory_hours = 96\n"), "{two}");
        let changed = set_field(&two, "model.blast_annoyance", "0.1").expect("update");
        assert!(changed.contains("blast_annoyance = 0.1\ncart_memory_hours = 96\n"), "{changed}");
        let one = set_field(&changed, "model.cart_memory_hours", "").expect("reset");
        let none = set_field(&one, "model.blast_annoyance", "").expect("reset last");
        assert_eq!(none, TEXT, "resetting every parameter leaves the text as it was");
    }

    #[test]
    fn a_written_parameter_keeps_its_comment_and_place() {
        let text = "[model] # tuned\nloss_aversion = 2 # Kahneman\n\n[simulation]\nusers = 10\n";
        let out = set_field(text, "model.loss_aversion", "2.5").expect("set");
        assert_eq!(out, "[model] # tuned\nloss_aversion = 2.5 # Kahneman\n\n[simulation]\nusers = 10\n");
        let inline = set_field("model = { deal_wait = 0.5 }\n", "model.deal_wait", "0.6").expect("inline");
        assert_eq!(inline, "model = { deal_wait = 0.6 }\n");
    }

    #[test]
    fn unreadable_input_is_written_as_text_for_the_validator() {
        let out = set_field(TEXT, "model.deal_wait", "high").expect("set");
        assert!(out.ends_with("deal_wait = \"high\"\n"), "{out}");
        let field = fields(&out).expect("fields").into_iter().find(|f| f.path == "model.deal_wait");
        assert_eq!(field.map(|f| f.value), Some("high".to_owned()));
    }

    #[test]
    fn unknown_parameters_and_a_model_that_is_no_table_are_errors() {
        assert_eq!(
            set_field(TEXT, "model.blast_anoyance", "0.4"),
            Err(EditError::NoField("model.blast_anoyance".into()))
        );
        assert_eq!(
            set_field("model = 3\n", "model.deal_wait", "0.5"),
            Err(EditError::NotEditable("model.deal_wait".into()))
        );
    }
}
