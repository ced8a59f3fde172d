//! The CSV readers of the command line (`fit bgnbd`'s customer summary,
//! `analyze`'s looks) on arbitrary bytes: they never panic, every problem is
//! at a line of the text, and what they accept is what the models take; the
//! BG/NBD fit and the per-look analysis then run on it without panicking
//! (a refusal is an error value).
#![no_main]

use journeylab::api::fit::{bgnbd, summary};
use journeylab::api::stats::Method;
use journeylab::api::stats::{ObservedLooks, analyze_looks, read_looks};
use journeylab::api::fit::RowError;
use libfuzzer_sys::fuzz_target;

fn located(errors: &[RowError], lines: usize) {
    assert!(!errors.is_empty(), "rejected without a problem");
    for e in errors {
        assert!(e.line >= 1 && e.line <= lines.max(1), "{e} is outside the text's {lines} lines");
    }
    assert!(errors.windows(2).all(|w| w[0].line <= w[1].line), "problems out of line order: {errors:?}");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count();
    match summary::read(&text) {
        Ok(s) => {
            assert_eq!(s.ids.len(), s.customers.len());
            for c in &s.customers {
                assert!(c.problem().is_none(), "accepted an impossible customer {c:?}");
            }
            // Small files only: the fit's optimiser is the slow part.
            if s.customers.len() <= 64 {
                let _ = bgnbd::fit(&s.customers);
            }
        }
        Err(errors) => located(&errors, lines),
    }
    match read_looks(&text) {
        Ok(observed) => {
            match &observed {
                ObservedLooks::Proportions(looks) => assert!(looks.iter().all(|l| l.control.users <= 1 << 53)),
                ObservedLooks::Means(looks) => {
                    assert!(looks.iter().all(|l| l.control.sum.is_finite() && l.treatment.sum_sq.is_finite()))
                }
            }
            for method in ["naive", "gst:obf", "msprt", "cs"] {
                let method = Method::parse(method).expect("a known method");
                let _ = analyze_looks(observed.looks(), &method, 0.05, None, None);
            }
        }
        Err(errors) => located(&errors, lines),
    }
});
