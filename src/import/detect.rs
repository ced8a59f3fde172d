//! What a file holds, told from its first bytes rather than its name: gzip
//! (`1f 8b`), Parquet (`PAR1`), JSON lines (a `{` first), else delimited text
//! whose delimiter is sniffed from the first lines. Archives and compressions the
//! importer does not open are named, so the user knows what to run first.

use serde::Serialize;

/// The layout of an export's (decompressed) content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Layout {
    Csv { delimiter: char },
    JsonLines,
    Parquet,
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Layout::Csv { delimiter: '\t' } => f.write_str("CSV (tab-delimited)"),
            Layout::Csv { delimiter } => write!(f, "CSV (delimiter '{delimiter}')"),
            Layout::JsonLines => f.write_str("JSON lines"),
            Layout::Parquet => f.write_str("Parquet"),
        }
    }
}

/// What the first bytes say.
#[derive(Debug, PartialEq, Eq)]
pub enum Sniffed {
    Gzip,
    Layout(Layout),
    /// Not something the importer reads; the message says what it is and what to do.
    Refused(String),
}

/// Looks at the first bytes of a file (or of its decompressed content); `head` should hold
/// a few kilobytes when the file has them.
pub fn sniff(head: &[u8]) -> Sniffed {
    let refuse = |s: &str| Sniffed::Refused(s.to_string());
    match head {
        [0x1f, 0x8b, ..] => return Sniffed::Gzip,
        [b'P', b'A', b'R', b'1', ..] => return Sniffed::Layout(Layout::Parquet),
        [b'P', b'K', 3, 4, ..] => {
            return refuse(
                "a ZIP archive: unzip it first and import the files inside (Amplitude's export is a ZIP of gzipped JSON-lines files; `cat *.gz > all.gz` joins them)",
            );
        }
        [0x28, 0xb5, 0x2f, 0xfd, ..] => return refuse("zstd-compressed: decompress it first (`zstd -d FILE`)"),
        [b'B', b'Z', b'h', ..] => return refuse("bzip2-compressed: decompress it first (`bunzip2 FILE`)"),
        [] => return refuse("empty"),
        _ => {}
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    // Sniffing reads the text up to the first byte that is not text (a bad row further on is
    // the row's problem, rejected when read); binary data has no whole line before it.
    let (valid, stop) = match std::str::from_utf8(text) {
        Ok(s) => (s, None),
        Err(e) => {
            (std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default(), e.error_len().map(|_| "not UTF-8"))
        }
    };
    let (valid, stop) = match valid.find('\0') {
        Some(at) => (&valid[..at], Some("it contains NUL bytes")),
        None => (valid, stop),
    };
    if let Some(what) = stop.filter(|_| !valid.contains('\n')) {
        return Sniffed::Refused(format!("binary data, not a text export ({what})"));
    }
    match valid.trim_start().chars().next() {
        Some('{') => Sniffed::Layout(Layout::JsonLines),
        Some('[') => {
            refuse("a JSON array, not JSON lines: write one object per line first (`jq -c '.[]' FILE > events.jsonl`)")
        }
        Some('<') => refuse("XML or HTML, not an event export: export CSV, JSON lines or Parquet instead"),
        None => refuse("empty (only white space)"),
        Some(_) => Sniffed::Layout(Layout::Csv { delimiter: delimiter(valid) }),
    }
}

/// The delimiter of delimited text: among `,` `;` tab `|`, the one found the same
/// (non-zero) number of times outside quotes on the most of the first lines, ties going to
/// the one with more fields; a comma when none is found (a one-column file).
fn delimiter(text: &str) -> char {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    // The last line of the head may be cut short.
    let whole = if lines.len() > 1 { &lines[..lines.len() - 1] } else { &lines[..] };
    let mut best = (',', 0, 0);
    for candidate in [',', ';', '\t', '|'] {
        let counts: Vec<usize> = whole.iter().map(|l| count_outside_quotes(l, candidate)).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        let agree = counts.iter().filter(|&&c| c == first).count();
        if (agree, first) > (best.1, best.2) {
            best = (candidate, agree, first);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: char) -> usize {
    let mut quoted = false;
    line.chars()
        .filter(|&c| {
            if c == '"' {
                quoted = !quoted;
            }
            c == delimiter && !quoted
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(sniff(b"\x1f\x8b\x08\0"), Sniffed::Gzip);
        assert_eq!(sniff(b"PAR1\x15\x04"), Sniffed::Layout(Layout::Parquet));
        assert_eq!(sniff(b"\n  {\"event\": 1}\n"), Sniffed::Layout(Layout::JsonLines));
        assert_eq!(sniff(b"\xef\xbb\xbfuser;time\na;1\n"), Sniffed::Layout(Layout::Csv { delimiter: ';' }));
        for (head, says) in [
            (&b"PK\x03\x04.."[..], "ZIP"),
            (b"\x28\xb5\x2f\xfd", "zstd"),
            (b"[{\"a\":1}]", "jq"),
            (b"<?xml", "XML"),
            (b"", "empty"),
            (b"ab\0cd", "NUL"),
            (b"\xff\xfe\xfd", "UTF-8"),
        ] {
            match sniff(head) {
                Sniffed::Refused(why) => assert!(why.contains(says), "{why}"),
                other => panic!("{head:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn delimiter_is_the_consistent_one_outside_quotes() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n4,5,6\n"), ',');
        assert_eq!(delimiter("a;b;c\n\"1,5\";2;3\n\"4,5\";5;6\n"), ';');
        assert_eq!(delimiter("a\tb\n1\t2\n"), '\t');
        assert_eq!(delimiter("a|b|c\n1|2|3\n"), '|');
        assert_eq!(delimiter("user\nx\n"), ',');
    }
}
