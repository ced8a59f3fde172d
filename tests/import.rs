//! The importer on every preset's hand-made export (exact counts), the CDNOW
//! sample transaction log (the published calibration/holdout figures of
//! calibration-notes.md), and bad input: the accounting identity, clear errors,
//! no panic.

use std::path::{Path, PathBuf};

use journeylab::api::import::{self, Day, Import, ImportError, Options, Rejection};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import").join(name)
}

fn read_with(name: &str, options: &Options) -> (Import, Vec<Rejection>) {
    let mut rejected = Vec::new();
    let import =
        import::read(&data(name), options, &mut |r| rejected.push(r.clone())).unwrap_or_else(|e| panic!("{name}: {e}"));
    let e = import.summary.events;
    assert_eq!(e.read, e.used + e.rejected + e.duplicates, "{name}: accounting identity");
    assert_eq!(e.rejected, rejected.len() as u64, "{name}: every rejection reported");
    (import, rejected)
}

fn preset(name: &str) -> Options {
    Options { preset: Some(name.to_string()), ..Options::default() }
}

/// (read, used, rejected, duplicates), users, transactions, purchase days, buyers, repeat buyers, revenue, sessions.
type Expected = ((u64, u64, u64, u64), u64, u64, u64, u64, u64, f64, u64);

fn check(name: &str, options: &Options, want: Expected) -> Import {
    let (import, _) = read_with(name, options);
    let s = &import.summary;
    let e = s.events;
    let got = (
        (e.read, e.used, e.rejected, e.duplicates),
        s.users,
        s.transactions,
        s.purchase_days,
        s.buyers,
        s.repeat_buyers,
        (s.revenue * 100.0).round() / 100.0,
        s.sessions,
    );
    assert_eq!(got, want, "{name}");
    import
}

fn rejected_lines(name: &str, options: &Options) -> Vec<(u64, String)> {
    read_with(name, options).1.into_iter().map(|r| (r.line, r.reason.kind().to_string())).collect()
}

#[test]
fn mixpanel_dedupes_on_insert_id_and_merges_same_day_purchases() {
    let i = check("mixpanel.jsonl", &preset("mixpanel"), ((8, 6, 1, 1), 3, 3, 2, 1, 1, 55.0, 2));
    assert_eq!(rejected_lines("mixpanel.jsonl", &preset("mixpanel")), [(8, "no_user".into())]);
    let u1 = &i.users[0];
    assert_eq!((u1.purchases[0].transactions, u1.purchases[0].revenue), (2, 25.0));
    assert_eq!(u1.attributes.get("country").map(String::as_str), Some("DE"));
    assert_eq!(i.summary.currencies.get("EUR"), Some(&3));
    assert_eq!(
        (i.summary.first_day.map(|d| d.to_string()), i.summary.last_day.map(|d| d.to_string())),
        (Some("2024-03-01".into()), Some("2024-03-08".into()))
    );
}

#[test]
fn amplitude_gzip_reads_naive_utc_times_and_the_time_zone_moves_days() {
    let opts = preset("amplitude");
    check("amplitude.json.gz", &opts, ((8, 6, 1, 1), 3, 3, 3, 2, 1, 40.0, 2));
    let (i, rejected) = read_with("amplitude.json.gz", &opts);
    assert!(i.summary.gzip);
    assert_eq!(i.users[1].id, "987", "the numeric amplitude_id stands in for a missing user_id");
    assert_eq!((rejected[0].line, rejected[0].reason.to_string()), (5, "revenue \"abc\" is not a number".into()));
    // 2024-03-02 03:00 UTC is 2024-03-01 22:00 in New York: a1's two purchases are one day there.
    let ny = Options { time_zone: Some("America/New_York".into()), ..preset("amplitude") };
    check("amplitude.json.gz", &ny, ((8, 6, 1, 1), 3, 3, 2, 2, 0, 40.0, 2));
}

#[test]
fn segment_takes_anonymous_ids_page_calls_and_offsets() {
    let i = check("segment.jsonl", &preset("segment"), ((7, 5, 1, 1), 2, 3, 3, 2, 1, 65.0, 1));
    assert_eq!(rejected_lines("segment.jsonl", &preset("segment")), [(5, "bad_time".into())]);
    let days: Vec<String> = i.users[0].purchases.iter().map(|p| p.day.to_string()).collect();
    assert_eq!(days, ["2024-03-01", "2024-03-10"], "23:30 at −01:00 is the next day in UTC");
    let attrs = &i.users[0].attributes;
    assert_eq!(
        (attrs.get("channel"), attrs.get("campaign"), attrs.get("timezone")),
        (Some(&"email".to_string()), Some(&"spring".to_string()), Some(&"Europe/Paris".to_string()))
    );
}

#[test]
fn posthog_parquet_with_json_string_properties() {
    let i = check("posthog.parquet", &preset("posthog"), ((7, 5, 1, 1), 2, 3, 3, 2, 1, 42.5, 0));
    assert_eq!(i.summary.layout, import::Layout::Parquet);
    assert_eq!(rejected_lines("posthog.parquet", &preset("posthog")), [(5, "no_user".into())]);
    // Guessed from the columns when no preset is named.
    let (guessed, _) = read_with("posthog.parquet", &Options::default());
    assert_eq!(guessed.summary.mapping.preset, Some("posthog"));
}

#[test]
fn clevertap_csv_compact_local_times_and_charged() {
    let opts = Options { time_zone: Some("Asia/Kolkata".into()), ..preset("clevertap") };
    let i = check("clevertap.csv", &opts, ((7, 5, 2, 0), 2, 4, 3, 2, 1, 850.0, 1));
    assert_eq!(rejected_lines("clevertap.csv", &opts), [(6, "no_user".into()), (7, "bad_revenue".into())]);
    assert_eq!(i.users[1].id, "__g2", "objectId stands in for a missing identity");
    assert_eq!(i.summary.currencies.get("INR"), Some(&4));
}

#[test]
fn ga4_microseconds_as_text_or_numbers() {
    check("ga4.jsonl", &preset("ga4"), ((6, 4, 2, 0), 2, 2, 2, 1, 1, 59.9, 2));
    assert_eq!(
        rejected_lines("ga4.jsonl", &preset("ga4")),
        [(6, "no_user".into()), (7, "malformed".into())],
        "the blank line 4 is skipped, not counted"
    );
}

/// Imports a CSV of (user, day of March 2024, event, insert id) rows written here.
fn import_rows(rows: &[Row]) -> import::Counts {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("events.csv");
    let mut csv = String::from("user_id,timestamp,event,insert_id\n");
    for (user, day, event, id) in rows {
        csv.push_str(&format!("{user},2024-03-{day:02}T12:00:00Z,{event},{id}\n"));
    }
    std::fs::write(&path, csv).expect("write");
    let import = import::read(&path, &Options::default(), &mut |_| {}).expect("import");
    let e = import.summary.events;
    assert_eq!(e.read, e.used + e.rejected + e.duplicates, "accounting identity");
    e
}

type Row = (&'static str, u32, &'static str, String);

fn row(user: &'static str, day: u32, event: &'static str, id: impl ToString) -> Row {
    (user, day, event, id.to_string())
}

#[test]
fn duplicates_are_caught_within_each_users_recent_window() {
    // A retry next to its first copy; copies after an earlier-day event (out of order) and
    // later the same day; the same insert id under another event name or user is no copy.
    let rows = [
        row("u1", 1, "view", "a"),
        row("u1", 1, "view", "a"),
        row("u1", 3, "view", "b"),
        row("u1", 2, "view", "c"),
        row("u1", 3, "view", "b"),
        row("u1", 2, "view", "c"),
        row("u1", 3, "buy", "b"),
        row("u2", 3, "view", "b"),
    ];
    let e = import_rows(&rows);
    assert_eq!((e.read, e.used, e.duplicates), (8, 5, 3));

    // A retried batch of 50 events of one user, resent whole after the batch, is caught whole,
    // also when the resend crosses midnight.
    let mut batch: Vec<_> = (0..50).map(|i| row("u1", 1, "view", i)).collect();
    batch.extend((0..50).map(|i| row("u1", 1, "view", i)));
    batch.push(row("u1", 2, "view", "late"));
    batch.extend((0..50).map(|i| row("u1", 1, "view", i)));
    let e = import_rows(&batch);
    assert_eq!((e.read, e.used, e.duplicates), (151, 51, 100));

    // Not caught: a copy read after 64 newer keys of its user, or after the user's days jumped
    // two days ahead (memory is bounded by users: older keys are not kept).
    let mut far: Vec<_> = vec![row("u1", 1, "view", "first")];
    far.extend((0..64).map(|i| row("u1", 1, "view", i)));
    far.push(row("u1", 1, "view", "first"));
    far.extend([row("u2", 1, "view", "x"), row("u2", 3, "view", "y"), row("u2", 1, "view", "x")]);
    let e = import_rows(&far);
    assert_eq!((e.read, e.used, e.duplicates), (69, 69, 0));
}

#[test]
fn a_transaction_log_without_events_is_all_purchases_whatever_the_name() {
    let i = check("retail.txt", &Options::default(), ((5, 5, 0, 0), 3, 5, 4, 3, 1, 50.0, 0));
    assert_eq!(i.summary.layout, import::Layout::Csv { delimiter: ';' });
    assert_eq!(i.summary.mapping.preset, Some("generic"));
}

#[test]
fn a_mapping_spec_maps_any_columns() {
    let opts = Options { map: Some("user=customer, time=date, revenue=amount".into()), ..Options::default() };
    check("retail.txt", &opts, ((5, 5, 0, 0), 3, 5, 4, 3, 1, 50.0, 0));
    let bad = Options { map: Some("user=client,time=date".into()), ..Options::default() };
    let e = import::read(&data("retail.txt"), &bad, &mut |_| {}).expect_err("no column client");
    let msg = e.to_string();
    assert!(msg.contains("no column for user") && msg.contains("\"customer\""), "{msg}");
}

/// CDNOW sample (Fader, Hardie & Lee 2005) from lifetimes 0.11.3: 2,357 customers, 6,919
/// transactions; with same-day merging and calibration to 1997-09-30, 2,457 calibration
/// repeat purchases and 1,882 in the holdout to 1998-06-30 (calibration-notes.md).
#[test]
fn cdnow_reproduces_the_published_calibration_and_holdout_counts() {
    let (i, _) = read_with("cdnow_events.csv", &Options::default());
    let s = &i.summary;
    assert_eq!((s.events.read, s.events.used, s.users, s.transactions), (6919, 6919, 2357, 6919));
    assert_eq!(
        (s.first_day.map(|d| d.to_string()), s.last_day.map(|d| d.to_string())),
        (Some("1997-01-01".into()), Some("1998-06-30".into()))
    );
    let day = |s: &str| Day::of(s.parse().expect("date"));
    let periods = import::btyd::periods(&i.users, day("1997-09-30"), day("1998-06-30"));
    assert_eq!(periods.len(), 2357);
    assert_eq!(periods.iter().map(|p| u64::from(p.frequency)).sum::<u64>(), 2457);
    assert_eq!(periods.iter().map(|p| u64::from(p.holdout_frequency)).sum::<u64>(), 1882);
    assert_eq!(periods.iter().filter(|p| p.frequency > 0).count(), 946, "946 repeat buyers (Gamma–Gamma's sample)");
    // lifetimes' cdnow_customers_summary.csv (weeks, calibration to week 39 = 1997-09-30 − 1997-01-01 = 272 days).
    let published =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cdnow_customers_summary.csv"))
            .expect("summary");
    for (line, p) in published.lines().skip(1).zip(&periods) {
        let cols: Vec<f64> = line.split(',').skip(1).map(|c| c.parse().expect("number")).collect();
        assert_eq!(f64::from(p.frequency), cols[0], "{line}");
        assert!((p.recency / 7.0 - cols[1]).abs() < 0.006 && (p.age / 7.0 - cols[2]).abs() < 0.006, "{line}: {p:?}");
    }
}

#[test]
fn bad_rows_are_rejected_with_their_line_and_reason() {
    let (i, rejected) = read_with("bad_rows.csv", &Options::default());
    let got: Vec<(u64, &str)> = rejected.iter().map(|r| (r.line, r.reason.kind())).collect();
    assert_eq!(
        got,
        [(3, "no_user"), (4, "bad_time"), (5, "malformed"), (6, "malformed"), (7, "bad_revenue"), (8, "no_event")]
    );
    assert_eq!((i.summary.events.read, i.summary.events.used), (8, 2));
    assert!(rejected[2].reason.to_string().contains("3 fields, the header 4"), "{}", rejected[2].reason);
    assert!(rejected[3].reason.to_string().contains("not UTF-8"), "{}", rejected[3].reason);
    let (j, rejected) = read_with("bad_lines.jsonl", &Options::default());
    let got: Vec<(u64, &str)> = rejected.iter().map(|r| (r.line, r.reason.kind())).collect();
    assert_eq!(got, [(2, "malformed"), (3, "malformed"), (4, "malformed"), (6, "malformed")]);
    assert_eq!((j.summary.events.used, j.summary.purchase_days, j.summary.revenue), (3, 1, 12.0));
}

#[test]
fn a_truncated_gzip_says_how_far_it_got() {
    let e = import::read(&data("truncated.jsonl.gz"), &preset("mixpanel"), &mut |_| {}).expect_err("truncated");
    let ImportError::Read { line, .. } = &e else { panic!("{e}") };
    assert!(*line > 100, "{e}");
    assert!(e.to_string().contains("cut short or corrupt"), "{e}");
}

#[test]
fn files_that_are_not_exports_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (bytes, says) in [
        (&b"PK\x03\x04rest"[..], "ZIP"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0", "binary"),
        (b"[{\"event\":\"a\"}]", "JSON array"),
        (b"PAR1 but no footer", "Parquet"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "cut short"),
        (b"{\"a\":1}\n", "no preset fits"),
        (b"one column\nx\n", "no preset fits"),
    ] {
        let path = dir.path().join("export");
        std::fs::write(&path, bytes).expect("write");
        let e = import::read(&path, &Options::default(), &mut |_| {}).expect_err("refused");
        assert!(e.to_string().contains(says), "{bytes:?}: {e}");
    }
    let e = import::read(
        &data("retail.txt"),
        &Options { time_zone: Some("Mars/Olympus".into()), ..Options::default() },
        &mut |_| {},
    )
    .expect_err("zone");
    assert!(e.to_string().contains("IANA"), "{e}");
}

/// Every example with bytes flipped, cut or spliced: never a panic, and whatever is read
/// is accounted for. Deterministic (a fixed xorshift sequence).
#[test]
fn mangled_exports_never_panic_and_always_add_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let files = [
        "mixpanel.jsonl",
        "amplitude.json.gz",
        "segment.jsonl",
        "posthog.parquet",
        "clevertap.csv",
        "ga4.jsonl",
        "retail.txt",
        "bad_rows.csv",
    ];
    let mut reads = 0;
    for name in files {
        let original = std::fs::read(data(name)).expect("example");
        for _ in 0..60 {
            let mut bytes = original.clone();
            match next() % 3 {
                0 => {
                    for _ in 0..1 + next() % 4 {
                        let at = (next() as usize) % bytes.len();
                        bytes[at] = next() as u8;
                    }
                }
                1 => bytes.truncate((next() as usize) % bytes.len()),
                _ => {
                    let at = (next() as usize) % bytes.len();
                    let from = (next() as usize) % original.len();
                    bytes.splice(at..at, original[from..].iter().take(40).copied());
                }
            }
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("write");
            for options in [Options::default(), preset("mixpanel"), preset("clevertap")] {
                let mut rejected = 0;
                if let Ok(i) = import::read(&path, &options, &mut |_| rejected += 1) {
                    let e = i.summary.events;
                    assert_eq!(e.read, e.used + e.rejected + e.duplicates, "{name}");
                    assert_eq!(e.rejected, rejected, "{name}");
                    reads += 1;
                }
            }
        }
    }
    assert!(reads > 100, "only {reads} mangled files were readable at all");
}

fn journeylab(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_journeylab")).args(args).output().expect("the binary runs")
}

#[test]
fn the_cli_prints_the_summary_and_writes_rejected_rows() {
    let cdnow = data("cdnow_events.csv");
    let out = journeylab(&["import", cdnow.to_str().expect("path"), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (v["schema"].as_str(), v["users"].as_u64(), v["events"]["read"].as_u64()),
        (Some("journeylab.import/1"), Some(2357), Some(6919))
    );
    assert_eq!((v["purchase_days"].as_u64(), v["repeat_buyers"].as_u64()), (Some(6696), Some(1139)));

    let dir = tempfile::tempdir().expect("tempdir");
    let rejected = dir.path().join("rejected.csv");
    let bad = data("bad_rows.csv");
    let out = journeylab(&["import", bad.to_str().expect("path"), "--rejected", rejected.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("read 8  used 2  rejected 6  duplicates 0"), "{table}");
    let written = std::fs::read_to_string(&rejected).expect("rejected.csv");
    assert_eq!(written.lines().count(), 7, "{written}");
    assert!(written.starts_with("line,reason,detail\n3,no_user,"), "{written}");

    let out = journeylab(&["import", data("posthog.parquet").to_str().expect("path"), "--preset", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no preset \"nope\""));
}

#[test]
fn a_preview_reads_only_the_first_rows_with_the_mapping_and_each_outcome() {
    let p = import::preview(&data("cdnow_events.csv"), &Options::default(), 5).expect("preview");
    assert_eq!(p.layout.to_string(), "CSV (delimiter ',')");
    assert_eq!(p.mapping.preset, Some("generic"));
    assert_eq!(p.columns, ["customer_id", "date", "event", "cds", "revenue"]);
    assert_eq!(p.rows.len(), 5, "only the rows asked for");
    let first = &p.rows[0];
    assert_eq!((first.line, first.user.as_deref(), first.time.as_deref()), (2, Some("00004"), Some("1997-01-01")));
    assert_eq!(
        (first.day.map(|d| d.to_string()), first.revenue, first.purchase),
        (Some("1997-01-01".into()), Some(29.33), true)
    );
    // The spec reads back: editing it remaps the columns.
    let spec = format!("{},revenue=cds", p.spec);
    let remapped = import::preview(&data("cdnow_events.csv"), &Options { map: Some(spec), ..Options::default() }, 1)
        .expect("remapped");
    assert_eq!(remapped.rows[0].revenue, Some(2.0));

    let bad = import::preview(&data("bad_rows.csv"), &Options::default(), 200).expect("bad rows preview");
    let (import, rejected) = read_with("bad_rows.csv", &Options::default());
    assert_eq!(bad.rows.len() as u64, import.summary.events.read, "a short file is previewed whole");
    let previewed: Vec<(u64, &str)> =
        bad.rows.iter().filter_map(|r| Some((r.line, r.rejected.as_ref()?.kind()))).collect();
    let read: Vec<(u64, &str)> = rejected.iter().map(|r| (r.line, r.reason.kind())).collect();
    assert_eq!(previewed, read, "the preview rejects what the import rejects, at the same lines");
    assert!(import::preview(&data("truncated.jsonl.gz"), &Options::default(), 3).is_ok(), "the cut comes later");
}
