//! The ready-made scenarios of `simulations/`, compiled in so every front end
//! can offer them, each with the one-line lesson from its header comment (and the
//! whole lesson paragraph), and the questions a first run starts from ([`QUESTIONS`]):
//! each names the example that answers it and where its answer is read.

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

/// Where a question's answer is read once its example is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Compare the scenario's designs over replicates: the verdict on the primary metric.
    Compare,
    /// Replay the scenario's A/B experiment day by day: when the result is valid, and what peeking claimed.
    Experiment,
}

/// A question a first run starts from: the example that answers it, where, and what to read there.
#[derive(Clone, Copy, Debug)]
pub struct Question {
    pub question: &'static str,
    /// The [`Example::id`] that answers it.
    pub example: &'static str,
    pub answer: Answer,
    /// What the user reads when the answer is in, in one sentence.
    pub read: &'static str,
}

/// The "Start here" questions, most common first (a test checks each names a bundled example whose
/// kind — with or without an `[experiment]` — fits its answer).
pub const QUESTIONS: &[Question] = &[
    Question {
        question: "Coupon or reminder for abandoned carts?",
        example: "cart_abandonment",
        answer: Answer::Compare,
        read: "The verdict weighs net margin per user, with its interval, against opt-outs.",
    },
    Question {
        question: "When may I stop my A/B test?",
        example: "experiment_ab",
        answer: Answer::Experiment,
        read: "The replay shows the day the result became valid, and what peeking every day would have claimed.",
    },
    Question {
        question: "Do weekly discounts pay?",
        example: "discount_spiral",
        answer: Answer::Compare,
        read: "The verdict compares a weekly sale with a value message on margin and full-price buying.",
    },
    Question {
        question: "Does my A/B tool find winners that are not there?",
        example: "experiment_aa",
        answer: Answer::Experiment,
        read: "Two identical journeys: any winner declared is a false positive.",
    },
    Question {
        question: "Does onboarding keep new users?",
        example: "onboarding",
        answer: Answer::Compare,
        read: "The verdict compares behavioural onboarding and a daily push against no journey.",
    },
    Question {
        question: "Should I send on every channel at once?",
        example: "blast_vs_priority",
        answer: Answer::Compare,
        read: "The verdict compares a blast with channel priority, opt-outs and uninstalls included.",
    },
];

/// Where an example's own answer is read: the experiment replay for a scenario with an `[experiment]`,
/// a comparison of its designs otherwise.
pub fn answer_of(text: &str) -> Answer {
    match crate::api::check_scenario(text) {
        Ok(scenario) if scenario.experiment.is_some() => Answer::Experiment,
        _ => Answer::Compare,
    }
}

/// A new scenario's starting text.
pub const TEMPLATE: &str = include_str!("template.toml");

/// A lesson shorter than this takes the next sentence too.
const MIN_LESSON_CHARS: usize = 40;

/// The header's whole `# Lesson:` paragraph, joined into one line and capitalised; `None` without one.
pub fn lesson_paragraph(text: &str) -> Option<String> {
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
    capitalised(&paragraph)
}

fn capitalised(text: &str) -> Option<String> {
    let mut chars = text.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The first sentence (or two, if the first is a title) of the header's `# Lesson:` paragraph, capitalised.
pub fn lesson(text: &str) -> Option<String> {
    let paragraph = lesson_paragraph(text)?;
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
    capitalised(paragraph[..end].trim())
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
    fn every_question_names_a_bundled_example_of_its_kind() {
        assert!(QUESTIONS.len() >= 4);
        for q in QUESTIONS {
            let example = EXAMPLES.iter().find(|e| e.id == q.example).unwrap_or_else(|| panic!("{}", q.example));
            assert_eq!(answer_of(example.text), q.answer, "{}", q.question);
            assert!(q.question.ends_with('?') && q.read.ends_with('.'), "{}", q.question);
        }
        let experiments: Vec<&str> =
            EXAMPLES.iter().filter(|e| answer_of(e.text) == Answer::Experiment).map(|e| e.id).collect();
        assert_eq!(experiments, ["experiment_ab", "experiment_aa", "experiment_revenue"]);
    }

    #[test]
    fn the_whole_lesson_paragraph_is_kept_for_the_card() {
        let text = "# Lesson: short wins. Longer text\n# continues here.\n#\n# Compare: x\n[simulation]\n";
        assert_eq!(lesson_paragraph(text).as_deref(), Some("Short wins. Longer text continues here."));
        assert_eq!(lesson_paragraph("[simulation]\n"), None);
        let cart = EXAMPLES.iter().find(|e| e.id == "cart_abandonment").expect("cart");
        let full = lesson_paragraph(cart.text).expect("lesson");
        assert!(full.ends_with("(reference price falls, deal-waiting rises)."), "{full}");
        assert!(full.starts_with(&lesson(cart.text).expect("short")));
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
