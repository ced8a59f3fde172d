//! Timestamps of any export to calendar days in the import's time zone.
//!
//! Accepted: ISO 8601 / RFC 3339 with an offset or `Z` (an instant); without an offset
//! (wall-clock time, read per [`NaiveTimes`]); a date alone (that day); a trailing ` UTC`
//! (BigQuery's text form); compact `YYYYMMDD` and `YYYYMMDDHHMMSS` digits (retail logs,
//! CleverTap's `ts`, read like a date or a wall-clock time); and Unix time, whose unit is
//! told by magnitude: below 10¹¹ seconds, below 10¹⁴ milliseconds, below 10¹⁷
//! microseconds, else nanoseconds (10¹¹ s is the year 5138; 10¹⁴ ms the year 5138).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::mapping::NaiveTimes;

/// A calendar day: days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

impl Day {
    pub fn of(date: Date) -> Day {
        Day(date.since(EPOCH).map_or(0, |s| s.get_days()))
    }

    pub fn date(self) -> Date {
        EPOCH.checked_add(jiff::Span::new().days(i64::from(self.0))).unwrap_or(EPOCH)
    }
}

const EPOCH: Date = jiff::civil::date(1970, 1, 1);

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.date())
    }
}

impl std::str::FromStr for Day {
    type Err = String;

    /// A date `YYYY-MM-DD`.
    fn from_str(text: &str) -> Result<Day, String> {
        text.trim().parse::<Date>().map(Day::of).map_err(|e| format!("{text:?} is not a date YYYY-MM-DD ({e})"))
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A time value as the export holds it.
#[derive(Clone, Copy, Debug)]
pub enum RawTime<'a> {
    Text(&'a str),
    Int(i64),
    Float(f64),
}

/// Turns export times into days of one time zone.
pub struct Clock {
    zone: TimeZone,
    utc: bool,
    naive: NaiveTimes,
}

impl Clock {
    pub fn new(zone: TimeZone, naive: NaiveTimes) -> Clock {
        let utc = zone == TimeZone::UTC;
        Clock { zone, utc, naive }
    }

    /// The day of `raw`, or why it is not a time (said so that the user can fix it).
    pub fn day(&self, raw: RawTime<'_>) -> Result<Day, String> {
        match raw {
            RawTime::Int(n) => self.unix(n as f64),
            RawTime::Float(x) => self.unix(x),
            RawTime::Text(s) => self.text(s.trim()),
        }
    }

    fn text(&self, s: &str) -> Result<Day, String> {
        if let Some(day) = self.iso(s.as_bytes()) {
            return Ok(day);
        }
        self.parsed(s)
    }

    /// The general reading of a time text: each accepted form tried in turn.
    fn parsed(&self, s: &str) -> Result<Day, String> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(day) = self.compact(s) {
                return day;
            }
        }
        if let Ok(x) = s.parse::<f64>() {
            return self.unix(x);
        }
        let s = s.strip_suffix(" UTC").map_or(s, |t| t);
        if let Ok(ts) = s.parse::<Timestamp>() {
            return Ok(self.instant(ts));
        }
        if let Ok(dt) = s.parse::<DateTime>() {
            return Ok(self.naive(dt));
        }
        if let Ok(date) = s.parse::<Date>() {
            return Ok(Day::of(date));
        }
        Err(format!("time {s:?} is not ISO 8601 (2024-03-01T10:00:00Z), a date (2024-03-01) or Unix seconds, ms or µs"))
    }

    /// The commonest form in exports, `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` or a
    /// date alone, read without the general parsers (the importer's hot path); None leaves
    /// the text to them: any other form, and the unusual cases (a year outside 1970–2999, a
    /// leap second, an offset of a day or more, a naive time that the zone would move).
    /// Where it answers, it answers as they do (tested against them).
    fn iso(&self, s: &[u8]) -> Option<Day> {
        let number = |at: usize, len: usize| -> Option<i64> {
            s.get(at..at + len)?.iter().try_fold(0, |n, &b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
        };
        if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
            return None;
        }
        let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
        if !(1970..=2999).contains(&year) || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let date = days_from_civil(year, month, day);
        let naive = || (self.naive == NaiveTimes::Local || self.utc).then_some(Day(date as i32));
        if s.len() == 10 {
            return naive();
        }
        if !matches!(s[10], b'T' | b' ') || s.get(13) != Some(&b':') || s.get(16) != Some(&b':') {
            return None;
        }
        let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut rest = &s[19..];
        if let [b'.', fraction @ ..] = rest {
            let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            rest = &fraction[digits..];
        }
        let offset = match rest {
            [] => return naive(),
            [b'Z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
                let two = |a: u8, b: u8| {
                    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from((a - b'0') * 10 + b - b'0'))
                };
                let (h, m) = (two(*h1, *h2)?, two(*m1, *m2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                if *sign == b'-' { -(h * 3600 + m * 60) } else { h * 3600 + m * 60 }
            }
            _ => return None,
        };
        let instant = date * 86_400 + hour * 3600 + minute * 60 + second - offset;
        if self.utc {
            return Some(Day(instant.div_euclid(86_400) as i32));
        }
        Timestamp::from_second(instant).ok().map(|ts| self.instant(ts))
    }

    /// `YYYYMMDD` as a date, `YYYYMMDDHHMMSS` as a wall-clock time; None for other digit strings.
    fn compact(&self, s: &str) -> Option<Result<Day, String>> {
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<i16>().ok());
        let plausible = |y: i16| (1900..2200).contains(&y);
        match s.len() {
            8 if num(0..4).is_some_and(plausible) => {
                let date = Date::new(num(0..4)?, num(4..6)? as i8, num(6..8)? as i8);
                Some(date.map(Day::of).map_err(|_| format!("time {s:?}: not a valid YYYYMMDD date")))
            }
            14 if num(0..4).is_some_and(plausible) => {
                let dt = DateTime::new(
                    num(0..4)?,
                    num(4..6)? as i8,
                    num(6..8)? as i8,
                    num(8..10)? as i8,
                    num(10..12)? as i8,
                    num(12..14)? as i8,
                    0,
                );
                Some(dt.map(|dt| self.naive(dt)).map_err(|_| format!("time {s:?}: not a valid YYYYMMDDHHMMSS time")))
            }
            _ => None,
        }
    }

    fn unix(&self, x: f64) -> Result<Day, String> {
        if !x.is_finite() || x < 0.0 {
            return Err(format!("time {x} is not a Unix time (negative or not finite)"));
        }
        let seconds = if x < 1e11 {
            x
        } else if x < 1e14 {
            x / 1e3
        } else if x < 1e17 {
            x / 1e6
        } else {
            x / 1e9
        };
        let ts = Timestamp::from_second(seconds.floor() as i64)
            .map_err(|_| format!("time {x} is beyond the year 9999 in any Unix unit"))?;
        Ok(self.instant(ts))
    }

    fn instant(&self, ts: Timestamp) -> Day {
        let offset = if self.utc { 0 } else { i64::from(self.zone.to_offset(ts).seconds()) };
        Day((ts.as_second() + offset).div_euclid(86_400) as i32)
    }

    fn naive(&self, dt: DateTime) -> Day {
        match self.naive {
            NaiveTimes::Local => Day::of(dt.date()),
            NaiveTimes::Utc if self.utc => Day::of(dt.date()),
            NaiveTimes::Utc => match TimeZone::UTC.to_ambiguous_timestamp(dt).compatible() {
                Ok(ts) => self.instant(ts),
                Err(_) => Day::of(dt.date()),
            },
        }
    }
}

/// Days in a month of the proleptic Gregorian calendar (`month` in 1..=12).
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid civil date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(clock: &Clock, s: &str) -> String {
        clock.day(RawTime::Text(s)).map(|d| d.to_string()).unwrap_or_else(|e| e)
    }

    #[test]
    fn every_accepted_form_in_utc() {
        let c = Clock::new(TimeZone::UTC, NaiveTimes::Local);
        for (text, want) in [
            ("2024-03-01T23:30:00Z", "2024-03-01"),
            ("2024-03-01T23:30:00-05:00", "2024-03-02"),
            ("2024-03-01 23:30:00.123000", "2024-03-01"),
            ("2024-03-01 23:30:00 UTC", "2024-03-01"),
            ("2024-03-01T23:30:00+0100", "2024-03-01"),
            ("2024-03-01", "2024-03-01"),
            ("19970101", "1997-01-01"),
            ("20240301233000", "2024-03-01"),
            ("1709335800", "2024-03-01"),
            ("1709335800123", "2024-03-01"),
            ("1709335800123456", "2024-03-01"),
            ("1709335800123456789", "2024-03-01"),
            ("1709335800.5", "2024-03-01"),
        ] {
            assert_eq!(day(&c, text), want, "{text}");
        }
        assert_eq!(c.day(RawTime::Int(1_709_335_800_123_456)).expect("µs").to_string(), "2024-03-01");
        for bad in ["yesterday", "2024-13-01", "19971301", "-5", "01/03/2024"] {
            assert!(day(&c, bad).contains(bad), "{bad}: {}", day(&c, bad));
        }
    }

    #[test]
    fn time_zone_moves_instants_and_reads_naive_times_per_the_mapping() {
        let tokyo = TimeZone::get("Asia/Tokyo").expect("bundled tzdb");
        let local = Clock::new(tokyo.clone(), NaiveTimes::Local);
        let utc_naive = Clock::new(tokyo, NaiveTimes::Utc);
        // 2024-03-01T20:00Z is 2024-03-02 05:00 in Tokyo.
        assert_eq!(day(&local, "2024-03-01T20:00:00Z"), "2024-03-02");
        assert_eq!(day(&local, "1709323200"), "2024-03-02");
        assert_eq!(day(&local, "2024-03-01 20:00:00"), "2024-03-01");
        assert_eq!(day(&utc_naive, "2024-03-01 20:00:00"), "2024-03-02");
        assert_eq!(day(&utc_naive, "2024-03-01"), "2024-03-01");
    }

    #[test]
    fn the_fast_path_answers_as_the_general_parsers_do() {
        let zones = ["UTC", "Asia/Tokyo", "America/New_York"].map(|z| TimeZone::get(z).expect("bundled tzdb"));
        let clocks: Vec<Clock> =
            zones.iter().flat_map(|z| [NaiveTimes::Local, NaiveTimes::Utc].map(|n| Clock::new(z.clone(), n))).collect();
        let mut texts = Vec::new();
        for date in [
            "1969-12-31",
            "1970-01-01",
            "2000-02-29",
            "2023-02-29",
            "2024-02-29",
            "2024-12-31",
            "2024-04-31",
            "2024-00-10",
            "2024-13-01",
            "2024-06-00",
            "2024-06-32",
            "2999-12-31",
            "3000-01-01",
            "2024-6-01",
            "2024/06/01",
        ] {
            texts.push(date.to_string());
            for time in
                ["T00:00:00", " 23:59:59", "T23:59:60", "T24:00:00", "T12:60:00", "t12:00:00", "T12:00", "T1:00:00"]
            {
                for fraction in ["", ".5", ".123456789", ".1234567891", ".", ",5"] {
                    for offset in
                        ["", "Z", "z", "+00:00", "-00:00", "+05:30", "-0800", "+23:59", "+24:00", "+1", " UTC", "x"]
                    {
                        texts.push(format!("{date}{time}{fraction}{offset}"));
                    }
                }
            }
        }
        let mut fast = 0;
        for clock in &clocks {
            for text in &texts {
                if let Some(day) = clock.iso(text.as_bytes()) {
                    fast += 1;
                    assert_eq!(clock.parsed(text), Ok(day), "{text}");
                }
            }
        }
        // 5 dates in range × 2 times × 3 fractions × 7 offsets, less the naive times the zone moves.
        assert!(fast > 1000, "the fast path took only {fast} of {}", texts.len() * clocks.len());
        let utc = Clock::new(TimeZone::UTC, NaiveTimes::Local);
        assert_eq!(utc.iso(b"2024-01-01T00:00:31+00:00").map(|d| d.to_string()).as_deref(), Some("2024-01-01"));
    }

    #[test]
    fn day_round_trips() {
        for d in [-1, 0, 10_000, 19_783] {
            assert_eq!(Day::of(Day(d).date()), Day(d));
        }
    }
}
