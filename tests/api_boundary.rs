//! `api` is the core's only public surface (ARCHITECTURE.md, "Invariants"):
//! src/lib.rs declares no other public module, and the CLI, the desktop shell,
//! the E2E tests, the fuzz targets, the integration tests and the benches name
//! no path of the crate but `journeylab::api`. The compiler enforces the first
//! for code outside the crate; this test keeps the declaration and every path
//! honest, including in files the workspace build does not compile (fuzz/).

use std::path::{Path, PathBuf};

/// Where the front ends and the crate's outside users live.
const OUTSIDE: [&str; 9] = [
    "src/cli",
    "src/main.rs",
    "src-tauri/src",
    "src-tauri/tests",
    "tests",
    "benches",
    "fuzz/fuzz_targets",
    "e2e/src",
    "e2e/tests",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_owned());
        }
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        rust_files(&entry, out);
    }
}

/// Each `journeylab::` path in `text` that does not go through `api`, as `line: text`.
fn paths_past_the_api(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for (at, _) in line.match_indices("journeylab::") {
            // `journeylab_app::` and other crates whose names end in journeylab are not this crate.
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &line[at + "journeylab::".len()..];
            let through_api = rest
                .strip_prefix("api")
                .is_some_and(|after| after.chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '_')));
            if !through_api {
                found.push(format!("{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn only_api_is_public_in_lib_rs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    let public: Vec<&str> = lib
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("pub mod") || l.starts_with("pub use") || l.starts_with("pub extern"))
        .collect();
    assert_eq!(public, ["pub mod api;"], "src/lib.rs must make only `api` public; the rest is pub(crate)");
}

#[test]
fn front_ends_tests_and_benches_use_only_the_api() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for place in OUTSIDE {
        rust_files(&root.join(place), &mut files);
    }
    assert!(files.len() > 40, "the scan found only {} files: are the folders still there?", files.len());
    let mut offences = Vec::new();
    // This file quotes the pattern it looks for.
    for file in files.iter().filter(|f| !f.ends_with("tests/api_boundary.rs")) {
        let text = std::fs::read_to_string(file).expect("readable");
        for hit in paths_past_the_api(&text) {
            offences.push(format!("{}:{hit}", file.strip_prefix(root).unwrap_or(file).display()));
        }
    }
    assert!(
        offences.is_empty(),
        "these name the core past `journeylab::api`; re-export what they need from src/api.rs instead:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_scan_catches_a_path_past_the_api() {
    assert!(paths_past_the_api("use journeylab::api::{self, Scenario};\nuse journeylab::api;").is_empty());
    assert!(paths_past_the_api("use journeylab_app::run; // journeylab_app::x").is_empty());
    assert_eq!(paths_past_the_api("let s = journeylab::stats::Sides::Two;").len(), 1);
    assert_eq!(paths_past_the_api("use journeylab::{api, stats};\nuse journeylab::apix::Y;").len(), 2);
}
