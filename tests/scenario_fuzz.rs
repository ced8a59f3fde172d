//! No input, however malformed, makes `scenario::read` panic: every prefix of
//! the full example, every line removed or doubled, and seeded random edits.

use std::panic::{AssertUnwindSafe, catch_unwind};

use journeylab::api::check_scenario as read;

fn full_example() -> String {
    std::fs::read_to_string("tests/data/scenario_full.toml").expect("the example file exists")
}

/// Reads `text`, failing the test with the input if `read` panics.
fn survives(text: &str) {
    let outcome = catch_unwind(AssertUnwindSafe(|| read(text)));
    assert!(outcome.is_ok(), "read panicked on:\n{text}");
}

/// SplitMix64 (Steele, Lea & Flood 2014): a fixed, dependency-free stream of edits.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

#[test]
fn every_prefix_reads_without_panicking() {
    let text = full_example();
    for (end, _) in text.char_indices() {
        survives(&text[..end]);
    }
}

#[test]
fn removing_or_doubling_any_line_reads_without_panicking() {
    let text = full_example();
    let lines: Vec<&str> = text.lines().collect();
    for i in 0..lines.len() {
        let mut removed = lines.clone();
        removed.remove(i);
        survives(&removed.join("\n"));
        let mut doubled = lines.clone();
        doubled.insert(i, lines[i]);
        survives(&doubled.join("\n"));
    }
}

#[test]
fn seeded_random_edits_read_without_panicking() {
    // Bytes and tokens that stress the parser and the reader: quotes, brackets,
    // signs, huge and non-finite numbers, dates, empty values, non-ASCII text.
    const TOKENS: [&str; 16] = [
        "\"",
        "[",
        "]",
        "{",
        "}",
        "=",
        "-1",
        "0",
        "1e999",
        "nan",
        "-inf",
        "99999999999999999999",
        "2026-13-45",
        "\"\"",
        "é",
        "\n",
    ];
    let text = full_example();
    let mut rng = SplitMix(0x5CE7_A210);
    for _ in 0..3000 {
        let mut bytes = text.clone().into_bytes();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => bytes[at] = u8::try_from(rng.below(256)).unwrap_or(0),
                1 => {
                    bytes.splice(at..at, TOKENS[rng.below(TOKENS.len())].bytes());
                }
                _ => {
                    let end = (at + 1 + rng.below(8)).min(bytes.len());
                    bytes.drain(at..end);
                }
            }
        }
        survives(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn replacing_any_value_with_an_odd_one_reads_without_panicking() {
    const ODD: [&str; 12] = [
        "-1",
        "0",
        "1e308",
        "-0.0",
        "\"x\"",
        "[]",
        "{}",
        "true",
        "2026-01-05",
        "[1, \"a\"]",
        "{ mean = -1, sd = 9 }",
        "0x7FFFFFFFFFFFFFFF",
    ];
    let text = full_example();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((key, _)) = line.split_once(" = ") else { continue };
        for odd in ODD {
            let mut edited = lines.clone();
            let replaced = format!("{key} = {odd}");
            edited[i] = &replaced;
            survives(&edited.join("\n"));
        }
    }
}
