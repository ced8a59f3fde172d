//! The raw results of a sweep's runs, as a shard writes them (`points-<i>-of-<n>.jsonl`): one JSON
//! header line with everything the analysis needs (so `merge` needs no scenario), then one line per
//! run. Floats are written so that they read back bit for bit (serde_json's `float_roundtrip`), so
//! a merge of shards analyses exactly the numbers a whole run holds in memory.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::RobustError;
use super::design::{self, Job, Point, Range};

/// The points file's schema.
pub const POINTS_SCHEMA: &str = "journeylab.robust-points/1";

/// Which slice of the jobs a run makes: those whose number is `index` mod `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Refuses a count of 0 and an index not below the count.
    pub fn new(index: u32, count: u32) -> Result<Shard, RobustError> {
        if count == 0 || index >= count {
            return Err(RobustError::BadShard { index, count });
        }
        Ok(Shard { index, count })
    }

    pub fn holds(self, job: u64) -> bool {
        job % u64::from(self.count) == u64::from(self.index)
    }

    /// The points file name of this shard.
    pub fn file_name(self) -> String {
        format!("points-{}-of-{}.jsonl", self.index, self.count)
    }
}

/// What a sweep ran and on what: identical in every shard of one sweep but for `shard`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub schema: String,
    pub scenario: String,
    /// FNV-1a of the scenario as validated (its JSON form): shards of different scenarios do not merge.
    pub fingerprint: String,
    pub journeys: Vec<String>,
    /// Metric ids, in the order of each run's values.
    pub metrics: Vec<String>,
    pub parameters: Vec<Range>,
    pub seed: u64,
    pub samples: u32,
    pub replicates: u32,
    /// Replicates run at the scenario's values (≥ `replicates`).
    pub noise_replicates: u32,
    pub users: u32,
    pub days: u32,
    pub shard: Shard,
}

impl Header {
    /// Every job of the sweep, numbered.
    pub fn jobs(&self) -> Vec<Job> {
        design::jobs(&self.parameters, self.samples, self.replicates, self.noise_replicates)
    }
}

/// One run's headline values: per journey, per metric (None where it cannot be computed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunValues {
    pub job: u64,
    pub point: Point,
    pub replicate: u32,
    pub values: Vec<Vec<Option<f64>>>,
}

/// A shard's (or a whole sweep's) header and runs, in job order.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    pub header: Header,
    pub runs: Vec<RunValues>,
}

/// A problem at one line of a points file.
fn at(line: usize, problem: impl std::fmt::Display) -> RobustError {
    RobustError::Points { line, problem: problem.to_string() }
}

impl Points {
    /// The JSON-lines text: the header, then one line per run.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for line in
            std::iter::once(serde_json::to_string(&self.header)).chain(self.runs.iter().map(serde_json::to_string))
        {
            // Plain data of strings, integers and floats: serialising cannot fail.
            let _ = writeln!(text, "{}", line.unwrap_or_default());
        }
        text
    }

    /// Reads a points file; a problem names its line (1-based). Checks that every run is the
    /// job its number says and belongs to the header's shard.
    pub fn parse(text: &str) -> Result<Points, RobustError> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let (_, first) = lines.next().ok_or_else(|| at(1, "empty: no header line"))?;
        let header: Header = serde_json::from_str(first).map_err(|e| at(1, format!("not a points header: {e}")))?;
        if header.schema != POINTS_SCHEMA {
            return Err(at(1, format!("schema {:?}, expected {POINTS_SCHEMA:?}", header.schema)));
        }
        Shard::new(header.shard.index, header.shard.count).map_err(|e| at(1, e))?;
        let jobs = header.jobs();
        let width = (header.journeys.len(), header.metrics.len());
        let mut runs: Vec<RunValues> = Vec::new();
        for (i, line) in lines {
            let run: RunValues = serde_json::from_str(line).map_err(|e| at(i + 1, format!("not a run: {e}")))?;
            let expected = usize::try_from(run.job).ok().and_then(|j| jobs.get(j));
            if expected != Some(&Job { point: run.point.clone(), replicate: run.replicate }) {
                return Err(at(i + 1, format!("run {} is not job {} of this sweep", run.job, run.job)));
            }
            if !header.shard.holds(run.job) || runs.last().is_some_and(|r| r.job >= run.job) {
                return Err(at(i + 1, format!("job {} is out of order or not in shard {:?}", run.job, header.shard)));
            }
            if run.values.len() != width.0 || run.values.iter().any(|v| v.len() != width.1) {
                return Err(at(i + 1, format!("expected {} journeys × {} metrics", width.0, width.1)));
            }
            runs.push(run);
        }
        Ok(Points { header, runs })
    }

    /// Whether every job of the sweep is here.
    pub fn is_complete(&self) -> bool {
        self.header.shard == Shard::WHOLE && self.runs.len() == self.header.jobs().len()
    }
}

/// Combines the shards of one sweep into the whole sweep (shard 0/1), exactly as one whole run
/// would have produced it. `shards` are (label, points), the label naming the file in errors.
pub fn merge(shards: Vec<(String, Points)>) -> Result<Points, RobustError> {
    let merge_error = |m: String| Err(RobustError::Merge(m));
    let Some((first_label, first)) = shards.first() else {
        return merge_error("no points files to merge".into());
    };
    let count = first.header.shard.count;
    let mut seen: Vec<Option<&str>> = vec![None; count as usize];
    for (label, points) in &shards {
        let mut header = points.header.clone();
        header.shard = first.header.shard;
        if header != first.header {
            let differs = differing_fields(&header, &first.header);
            return merge_error(format!("{label} is from another sweep than {first_label} (differs in: {differs})"));
        }
        let index = points.header.shard.index as usize;
        if points.header.shard.count != count {
            return merge_error(format!(
                "{label} is a shard of {} but {first_label} of {count}",
                points.header.shard.count
            ));
        }
        if let Some(other) = seen[index].replace(label) {
            return merge_error(format!("shard {index}/{count} twice: {other} and {label}"));
        }
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(i, _)| format!("{i}/{count}")).collect();
    if !missing.is_empty() {
        return merge_error(format!("missing shard(s) {}: run them with --shard and merge again", missing.join(", ")));
    }
    let header = Header { shard: Shard::WHOLE, ..first.header.clone() };
    let mut runs: Vec<RunValues> = shards.into_iter().flat_map(|(_, p)| p.runs).collect();
    runs.sort_by_key(|r| r.job);
    let merged = Points { header, runs };
    if !merged.is_complete() {
        return merge_error(format!(
            "{} of {} runs present: a shard was cut short (run it again)",
            merged.runs.len(),
            merged.header.jobs().len()
        ));
    }
    Ok(merged)
}

/// The header fields in which two headers differ, by name.
fn differing_fields(a: &Header, b: &Header) -> String {
    let (a, b) = (serde_json::to_value(a).unwrap_or_default(), serde_json::to_value(b).unwrap_or_default());
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return String::new() };
    a.iter().filter(|(k, v)| b.get(*k) != Some(v)).map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", ")
}

/// FNV-1a (64 bit) of a text, as 16 hex digits (Fowler, Noll & Vo; the published offset basis and prime).
pub fn fingerprint(text: &str) -> String {
    let hash =
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference test suite: "" and "a".
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn shards_are_checked() {
        assert!(Shard::new(3, 2).is_err());
        assert!(Shard::new(0, 0).is_err());
        let s = Shard::new(1, 3).expect("valid");
        assert!(s.holds(4) && !s.holds(3));
        assert_eq!(s.file_name(), "points-1-of-3.jsonl");
    }
}
