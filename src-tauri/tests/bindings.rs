//! ui/src/bindings.ts — every command with its arguments, result and error, the events, and the
//! constants the UI shares — is generated from the one IPC registry (`journeylab_app::ipc`);
//! this test fails when it is stale. Regenerate with `make bindings`
//! (`UPDATE_BINDINGS=1 cargo test -p journeylab-app --test bindings`).

use std::path::Path;

use specta_typescript::Typescript;

const HEADER: &str = "// Generated from src-tauri (journeylab_app::ipc) by `make bindings`: do not edit.";

#[test]
fn typescript_bindings_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let dir = tempfile::tempdir().expect("temporary dir");
    let fresh = dir.path().join("bindings.ts");
    journeylab_app::ipc::<tauri::test::MockRuntime>()
        .export(Typescript::default().header(HEADER), &fresh)
        .expect("the IPC registry exports to TypeScript");
    let fresh = std::fs::read_to_string(&fresh).expect("exported bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh).expect("write ui/src/bindings.ts");
    }
    for command in ["runScenario", "compareDesigns", "robustRun", "cancelRun", "peekingStart"] {
        assert!(fresh.contains(&format!("\t{command}: (")), "the bindings have {command}");
    }
    assert!(fresh.contains("\"scenario.invalid\""), "the error codes are a union");
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(on_disk == fresh, "ui/src/bindings.ts is stale: run `make bindings`");
}

/// Every file of the UI (ui/src, but the generated bindings and the tests) and of the shell (src-tauri/src).
fn ui_and_shell_sources() -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if path.is_dir() {
                walk(&path, out);
            } else if name != "bindings.ts"
                && !name.ends_with(".test.ts")
                && [".rs", ".ts", ".svelte"].iter().any(|ext| name.ends_with(ext))
            {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("../ui/src"), &mut files);
    walk(&root.join("src"), &mut files);
    files
}

/// Where `phrase` occurs in `line` as whole words (not inside an identifier such as `opt_out_rate`).
fn occurrences(line: &str, phrase: &str) -> Vec<usize> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    line.match_indices(phrase)
        .map(|(at, _)| at)
        .filter(|&at| !word(line[..at].chars().next_back()) && !word(line[at + phrase.len()..].chars().next()))
        .collect()
}

/// Each line of `files` where one of `phrases` is written, as `file:line: "phrase"`. In Rust only
/// string literals count (an odd number of quotes before it): `Metric::Conversion` is code.
fn written(files: &[std::path::PathBuf], phrases: &[impl AsRef<str>]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let rust = file.extension().is_some_and(|e| e == "rs");
        let text = std::fs::read_to_string(file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            for phrase in phrases.iter().map(AsRef::as_ref) {
                let literal = |at: &usize| !rust || line[..*at].matches('"').count() % 2 == 1;
                if occurrences(line, phrase).iter().any(literal) {
                    found.push(format!("{}:{}: {phrase:?}", file.display(), n + 1));
                }
            }
        }
    }
    found
}

#[test]
fn no_metric_name_or_definition_is_written_in_the_ui_or_the_shell() {
    let files = ui_and_shell_sources();
    assert!(files.iter().any(|f| f.ends_with("views/Results.svelte")), "the scan sees the UI");
    let mut found = Vec::new();
    for m in journeylab::api::metrics() {
        // "Net margin per user" as a label, "net margin per user" inside a sentence, and the definition.
        let mut phrases = vec![m.name.to_owned(), m.definition.to_owned()];
        // (A one-word name in lower case, "conversion", is a plain word: "conversion intent" is a score.)
        let in_sentence = journeylab::api::vocabulary::lower_first(m.name);
        if m.name.contains(' ') && in_sentence != m.name {
            phrases.push(in_sentence);
        }
        found.extend(written(&files, &phrases));
    }
    assert!(
        found.is_empty(),
        "metric names and definitions come from the core's vocabulary (the `vocabulary` command), not literals:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_journey_settings_choice_label_is_written_in_the_ui_or_the_shell() {
    let text = include_str!("../../simulations/cart_abandonment.toml");
    let sets = journeylab::api::journey_graph(text, 0).expect("a graph").choice_sets;
    assert!(sets.iter().any(|s| s.pattern == "journey.node.delivery"), "the graph serves the menus' choices");
    // Titles and labels of more than one word: a one-word label ("Push", "Discount") is also a plain word.
    let phrases: Vec<&str> = sets
        .iter()
        .flat_map(|s| std::iter::once(s.title.as_str()).chain(s.choices.iter().map(|c| c.label.as_str())))
        .filter(|p| p.contains(' '))
        .collect();
    assert!(phrases.contains(&"first reachable channel") && phrases.contains(&"Hour on the clock of"), "{phrases:?}");
    let found = written(&ui_and_shell_sources(), &phrases);
    assert!(
        found.is_empty(),
        "the canvas's menus take their titles and choices from the graph's choice sets (the core's field definitions), not literals:\n{}",
        found.join("\n")
    );
}
