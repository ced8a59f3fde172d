//! The event importer on arbitrary bytes (any format it may detect: CSV, JSON
//! lines, gzip, Parquet): it never panics, and whatever it accepts adds up —
//! every event read is used, rejected or a duplicate, and every rejection
//! reported is counted.
#![no_main]

use journeylab::api::import::{self, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("journeylab-fuzz-import-{}", std::process::id()));
    std::fs::write(&path, data).expect("the temporary file is writable");
    let mut rejections = 0u64;
    if let Ok(imported) = import::read(&path, &Options::default(), &mut |_| rejections += 1) {
        let c = imported.summary.events;
        assert_eq!(c.read, c.used + c.rejected + c.duplicates, "{c:?}");
        assert_eq!(rejections, c.rejected, "every rejection is reported once");
    }
});
