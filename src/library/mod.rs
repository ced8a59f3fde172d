//! The ready-made scenarios of `simulations/`, compiled in so every front end
//! can offer them, each with the one-line lesson from its header comment.

/// A ready-made scenario: its file stem and text.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    pub id: &'static str,
    pub text: &'static str,
}

macro_rules! examples {
    ($($id:literal),* $(,)?) => {
        &[$(Example { id: $id, text: include_str!(concat!("../../simulations/", $id, ".toml")) }),*]
    };
}

/// Every file of `simulations/` (a test checks none is missing).
pub const EXAMPLES: &[Example] = examples![
    "cart_abandonment",
    "churn_prevention",
    "onboarding",
    "discount_spiral",
    "blast_vs_priority",
    "send_time",
    "experiment_ab",
    "experiment_aa",
    "experiment_revenue",
];

/// A new scenario's starting text.
pub const TEMPLATE: &str = include_str!("template.toml");

/// A lesson shorter than this takes the next sentence too.
const MIN_LESSON_CHARS: usize = 40;

/// The first sentence (or two, if the first is a title) of the header's `# Lesson:` paragraph, capitalised.
pub fn lesson(text: &str) -> Option<String> {
    let mut paragraph = String::new();
    for line in text.lines() {
        let Some(comment) = line.trim_start().strip_prefix('#') else { break };
        let comment = comment.trim();
        if paragraph.is_empty() {
            if let Some(rest) = comment.strip_prefix("Lesson:") {
                paragraph.push_str(rest.trim());
            }
        } else if comment.is_empty() {
            break;
        } else {
            paragraph.push(' ');
            paragraph.push_str(comment);
        }
    }
    // Sentences until there is enough to say something ("The discount spiral." alone does not).
    let mut end = 0;
    while end < MIN_LESSON_CHARS {
        match paragraph[end..].find(". ") {
            Some(i) => end += i + 1,
            None => {
                end = paragraph.len();
                break;
            }
        }
    }
    let sentence = paragraph[..end].trim();
    let mut chars = sentence.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_simulation_file_is_bundled_valid_and_has_a_lesson() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/simulations");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("simulations/")
            .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = EXAMPLES.iter().map(|e| e.id.to_owned()).collect();
        bundled.sort();
        assert_eq!(bundled, on_disk);
        for example in EXAMPLES {
            assert!(crate::api::check_scenario(example.text).is_ok(), "{} is invalid", example.id);
            let lesson = lesson(example.text).unwrap_or_default();
            assert!(lesson.len() > 20, "{} has no lesson", example.id);
        }
    }

    #[test]
    fn the_template_is_valid() {
        if let Err(diagnostics) = crate::api::check_scenario(TEMPLATE) {
            panic!("template: {diagnostics:?}");
        }
    }

    #[test]
    fn the_lesson_is_the_first_sentence_of_the_lesson_paragraph() {
        let text = "# Lesson: short wins. Longer text\n# continues here.\n#\n# Compare: x\n[simulation]\n";
        assert_eq!(lesson(text).as_deref(), Some("Short wins. Longer text continues here."));
        let text = "# Lesson: a first sentence long enough to stand alone. Second.\n";
        assert_eq!(lesson(text).as_deref(), Some("A first sentence long enough to stand alone."));
        let text = "# Lesson: one line that\n# wraps\n\n[a]\n";
        assert_eq!(lesson(text).as_deref(), Some("One line that wraps"));
        assert_eq!(lesson("[simulation]\n"), None);
    }
}
