//! The scenario reader on arbitrary bytes: it never panics, and every
//! diagnostic it gives is located inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(diagnostics) = journeylab::api::check_scenario(&text) {
        assert!(!diagnostics.is_empty(), "an invalid scenario without a diagnostic");
        let lines = text.split('\n').count();
        for d in &diagnostics {
            assert!(d.line >= 1 && d.line <= lines && d.column >= 1, "{d} is outside the text's {lines} lines");
        }
    }
});
