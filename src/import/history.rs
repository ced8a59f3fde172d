//! Events to per-user histories: each row is used, rejected (with its line and
//! why) or a duplicate, so `read = used + rejected + duplicates` always holds.
//! Memory grows with users and their active days, not with events: rows carrying
//! an insert id are deduplicated against a bounded window of each user's recent
//! keys ([`RecentKeys`]), not against every key ever seen.
//!
//! Purchases follow the customer-base tools' convention (lifetimes, PyMC-Marketing,
//! R's BTYD): times are truncated to days and a user's purchases on one day are one
//! purchase occasion, their values summed.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use serde::Serialize;

use super::mapping::{Field, Mapping};
use super::preview::{Outcome, Sample};
use super::record::{Cell, Record};
use super::time::{Clock, Day, RawTime};

/// Why a row was not used.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "reason", content = "detail", rename_all = "snake_case")]
pub enum Reason {
    /// The row could not be read as a record (malformed JSON, wrong field count, not UTF-8).
    Malformed(String),
    NoUser,
    NoTime,
    BadTime(String),
    NoEvent,
    BadRevenue(String),
}

impl Reason {
    /// A short name grouping reasons in summaries and rejected.csv.
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::Malformed(_) => "malformed",
            Reason::NoUser => "no_user",
            Reason::NoTime => "no_time",
            Reason::BadTime(_) => "bad_time",
            Reason::NoEvent => "no_event",
            Reason::BadRevenue(_) => "bad_revenue",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Malformed(why) | Reason::BadTime(why) | Reason::BadRevenue(why) => f.write_str(why),
            Reason::NoUser => f.write_str("no user id in the column(s) mapped to user; check the mapping's user=…"),
            Reason::NoTime => f.write_str("no timestamp in the column(s) mapped to time; check the mapping's time=…"),
            Reason::NoEvent => {
                f.write_str("no event name in the column(s) mapped to event; check the mapping's event=…")
            }
        }
    }
}

/// A row that was not used: its line in the file (the row number in Parquet) and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rejection {
    pub line: u64,
    #[serde(flatten)]
    pub reason: Reason,
}

/// Every row read is used, rejected or a duplicate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    pub duplicates: u64,
}

/// A user's events on one day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ActiveDay {
    pub day: Day,
    pub events: u32,
    /// Session events that day (0 when the export has none).
    pub sessions: u32,
}

/// A purchase occasion: one user's purchases on one day, merged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PurchaseDay {
    pub day: Day,
    pub transactions: u32,
    /// The day's purchase values summed (0 when the export has no revenue).
    pub revenue: f64,
}

/// One user's history, days in increasing order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserHistory {
    pub id: String,
    pub first_seen: Day,
    pub active_days: Vec<ActiveDay>,
    pub purchases: Vec<PurchaseDay>,
    /// First-touch attributes: the first non-empty value seen, by field key.
    pub attributes: BTreeMap<&'static str, String>,
}

const ATTRIBUTES: [Field; 5] = [Field::Channel, Field::Campaign, Field::Platform, Field::TimeZone, Field::Country];
/// Event names counted by name; past this many distinct names the rest are not named.
const MAX_NAMES: usize = 1000;

/// The hasher of the builder's maps: fast, and fixed so that an import is the same every run.
type Fast = foldhash::fast::FixedState;

/// Accumulates rows into histories. Per row it allocates nothing: user ids and event
/// names are looked up by the row's own bytes and copied only when first seen.
pub struct Builder<'a> {
    clock: Clock,
    mapping: &'a Mapping,
    has_event: bool,
    index: HashMap<Box<str>, u32, Fast>,
    users: Vec<UserHistory>,
    counts: Counts,
    /// Each user's recent dedupe keys, by the user's index (grown when a user first has one).
    recent: Vec<RecentKeys>,
    /// The hasher of the dedupe keys (foldhash's quality variant: keys are compared by hash alone).
    dedupe: foldhash::quality::FixedState,
    /// Event names (the first [`MAX_NAMES`]): their index in `kinds`.
    names: HashMap<Box<str>, u32, Fast>,
    kinds: Vec<NameKind>,
    currencies: BTreeMap<String, u64>,
    on_reject: &'a mut dyn FnMut(&Rejection),
    rejected_by_kind: BTreeMap<&'static str, (u64, Rejection)>,
    sample: Option<Sample>,
}

/// An event name's count and what it is, settled when the name is first seen.
struct NameKind {
    count: u64,
    /// Named among the purchase events.
    listed_purchase: bool,
    session: bool,
}

/// What a builder made of an export.
pub struct Built {
    pub users: Vec<UserHistory>,
    pub counts: Counts,
    /// Event names by count, most frequent first (at most the first 1000 distinct names).
    pub names: Vec<(String, u64)>,
    /// Purchases by currency, when the export has one.
    pub currencies: BTreeMap<String, u64>,
    /// Per reason kind: how many rows, and the first such rejection.
    pub rejected_by_kind: BTreeMap<&'static str, (u64, Rejection)>,
    /// The first rows, when previewing.
    pub sample: Option<Sample>,
}

impl<'a> Builder<'a> {
    /// `has_event`: the export has an event field; without one every row is a purchase.
    pub fn new(
        clock: Clock,
        mapping: &'a Mapping,
        has_event: bool,
        on_reject: &'a mut dyn FnMut(&Rejection),
    ) -> Builder<'a> {
        Builder {
            clock,
            mapping,
            has_event,
            index: HashMap::default(),
            users: Vec::new(),
            counts: Counts::default(),
            recent: Vec::new(),
            dedupe: foldhash::quality::FixedState::default(),
            names: HashMap::default(),
            kinds: Vec::new(),
            currencies: BTreeMap::new(),
            on_reject,
            rejected_by_kind: BTreeMap::new(),
            sample: None,
        }
    }

    /// Keeps the first rows as read (a preview); None reads everything.
    pub fn sampling(mut self, sample: Option<Sample>) -> Self {
        self.sample = sample;
        self
    }

    /// Whether a preview has all the rows it wants: the reader stops.
    pub fn sampled(&self) -> bool {
        self.sample.as_ref().is_some_and(Sample::full)
    }

    /// Counts a row that was read and rejected (a row that is not even a record).
    pub fn reject(&mut self, line: u64, reason: Reason) {
        if let Some(sample) = &mut self.sample {
            sample.push(line, None, Outcome::Rejected(reason.clone()));
        }
        self.count_rejected(line, reason);
    }

    fn count_rejected(&mut self, line: u64, reason: Reason) {
        self.counts.read += 1;
        self.counts.rejected += 1;
        let rejection = Rejection { line, reason };
        (self.on_reject)(&rejection);
        let entry = self.rejected_by_kind.entry(rejection.reason.kind()).or_insert((0, rejection));
        entry.0 += 1;
    }

    /// The histories and tallies, the builder's borrows released.
    pub fn finish(self) -> Built {
        let kinds = self.kinds;
        let mut names: Vec<(String, u64)> =
            self.names.into_iter().map(|(name, at)| (name.into_string(), kinds[at as usize].count)).collect();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Built {
            users: self.users,
            counts: self.counts,
            names,
            currencies: self.currencies,
            rejected_by_kind: self.rejected_by_kind,
            sample: self.sample,
        }
    }

    /// Reads one row.
    pub fn row(&mut self, line: u64, record: &dyn Record) {
        let event = self.event(record);
        if let Some(sample) = &mut self.sample {
            let outcome = match &event {
                Ok(Some(e)) => {
                    let listed = e.name.as_deref().map(|n| self.mapping.purchase_events.iter().any(|p| p == n));
                    Outcome::Used { day: e.day, purchase: is_purchase(self.mapping, listed, e.revenue) }
                }
                Ok(None) => Outcome::Duplicate,
                Err(reason) => Outcome::Rejected(reason.clone()),
            };
            sample.push(line, Some(record), outcome);
        }
        match event {
            Ok(Some(event)) => {
                self.counts.read += 1;
                self.counts.used += 1;
                self.add(event);
            }
            Ok(None) => {
                self.counts.read += 1;
                self.counts.duplicates += 1;
            }
            Err(reason) => self.count_rejected(line, reason),
        }
    }

    /// The row as an event, borrowing its text from the row; None for a duplicate.
    fn event<'r>(&mut self, record: &'r dyn Record) -> Result<Option<Event<'r>>, Reason> {
        let cell = |f| record.cell(f).map_err(Reason::Malformed);
        let user = cell(Field::User)?.ok_or(Reason::NoUser)?.into_text();
        let day = match cell(Field::Time)?.ok_or(Reason::NoTime)? {
            Cell::Text(s) => self.clock.day(RawTime::Text(&s)),
            Cell::Int(n) => self.clock.day(RawTime::Int(n)),
            Cell::Float(x) => self.clock.day(RawTime::Float(x)),
        }
        .map_err(Reason::BadTime)?;
        let name = if self.has_event { Some(cell(Field::Event)?.ok_or(Reason::NoEvent)?.into_text()) } else { None };
        let revenue = match cell(Field::Revenue)? {
            None => None,
            Some(Cell::Int(n)) => Some(n as f64),
            Some(Cell::Float(x)) => Some(x),
            Some(Cell::Text(s)) => Some(
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| Reason::BadRevenue(format!("revenue {s:?} is not a number")))?,
            ),
        };
        let at = self.index.get(user.as_ref()).copied();
        let key = match cell(Field::InsertId)? {
            None => None,
            Some(id) => {
                let key = self.dedupe.hash_one((name.as_deref(), &*id.text()));
                if at.and_then(|at| self.recent.get(at as usize)).is_some_and(|r| r.holds(key)) {
                    return Ok(None);
                }
                Some(key)
            }
        };
        let mut attributes = [const { None }; ATTRIBUTES.len()];
        for (value, field) in attributes.iter_mut().zip(ATTRIBUTES) {
            *value = cell(field)?.map(Cell::into_text);
        }
        let currency = cell(Field::Currency)?.map(Cell::into_text);
        Ok(Some(Event { user, at, key, day, name, revenue, currency, attributes }))
    }

    /// Counts an event name; whether it is a listed purchase event and a session event.
    fn name(&mut self, name: &str) -> (bool, bool) {
        if let Some(&at) = self.names.get(name) {
            let kind = &mut self.kinds[at as usize];
            kind.count += 1;
            return (kind.listed_purchase, kind.session);
        }
        let listed = |events: &[String]| events.iter().any(|e| e == name);
        let (listed_purchase, session) = (listed(&self.mapping.purchase_events), listed(&self.mapping.session_events));
        if self.names.len() < MAX_NAMES {
            self.names.insert(name.into(), self.kinds.len() as u32);
            self.kinds.push(NameKind { count: 1, listed_purchase, session });
        }
        (listed_purchase, session)
    }

    fn add(&mut self, e: Event<'_>) {
        let (listed, session) = match e.name.as_deref().map(|n| self.name(n)) {
            None => (None, false),
            Some((listed, session)) => (Some(listed), session),
        };
        let purchase = is_purchase(self.mapping, listed, e.revenue);
        if purchase {
            if let Some(c) = e.currency {
                match self.currencies.get_mut(c.as_ref()) {
                    Some(count) => *count += 1,
                    None => drop(self.currencies.insert(c.into_owned(), 1)),
                }
            }
        }
        let at = match e.at {
            Some(at) => at as usize,
            None => {
                self.index.insert(e.user.as_ref().into(), self.users.len() as u32);
                self.users.push(UserHistory {
                    id: e.user.into_owned(),
                    first_seen: e.day,
                    active_days: Vec::new(),
                    purchases: Vec::new(),
                    attributes: BTreeMap::new(),
                });
                self.users.len() - 1
            }
        };
        if let Some(key) = e.key {
            if self.recent.len() <= at {
                self.recent.resize_with(at + 1, RecentKeys::default);
            }
            self.recent[at].keep(key, e.day);
        }
        let user = &mut self.users[at];
        user.first_seen = user.first_seen.min(e.day);
        for (field, value) in ATTRIBUTES.iter().zip(e.attributes) {
            if let Some(value) = value {
                user.attributes.entry(field.key()).or_insert_with(|| value.into_owned());
            }
        }
        let active = upsert(&mut user.active_days, e.day, |d| d.day, |day| ActiveDay { day, events: 0, sessions: 0 });
        active.events += 1;
        active.sessions += u32::from(session);
        if purchase {
            let p =
                upsert(&mut user.purchases, e.day, |p| p.day, |day| PurchaseDay { day, transactions: 0, revenue: 0.0 });
            p.transactions += 1;
            p.revenue += e.revenue.unwrap_or(0.0);
        }
    }
}

/// Every row of a transaction log (no event name: `listed` None); else an event named as a
/// purchase (`listed`: whether its name is among the purchase events), or, when no name is, one
/// with a positive revenue.
fn is_purchase(mapping: &Mapping, listed: Option<bool>, revenue: Option<f64>) -> bool {
    match listed {
        None => true,
        Some(listed) if !mapping.purchase_events.is_empty() => listed,
        Some(_) => revenue.is_some_and(|r| r > 0.0),
    }
}

/// A row's event, its text borrowed from the row.
struct Event<'r> {
    user: Cow<'r, str>,
    /// The user's index when seen before.
    at: Option<u32>,
    /// The dedupe key of (event name, insert id), when the row has an insert id.
    key: Option<u64>,
    day: Day,
    name: Option<Cow<'r, str>>,
    revenue: Option<f64>,
    currency: Option<Cow<'r, str>>,
    /// The [`ATTRIBUTES`] in order.
    attributes: [Option<Cow<'r, str>>; ATTRIBUTES.len()],
}

/// The most dedupe keys kept per user: a retried batch of up to this many of one user's
/// events is caught whole.
const DEDUPE_WINDOW: usize = 64;

/// A user's dedupe window: the keys of (event name, insert id) of its latest keyed events,
/// at most [`DEDUPE_WINDOW`] (the oldest overwritten first), all dropped when the user's
/// latest day jumps two days or more ahead. Client retries resend an event with its time,
/// so a copy sits near its first copy in a user's stream and is caught; a copy read after
/// 64 newer keys of that user, or after such a jump, is not. Memory is bounded by users,
/// not events (docs/calibration.md, "Duplicates").
#[derive(Default)]
struct RecentKeys {
    /// The latest day of the user's keyed events.
    latest: Option<Day>,
    keys: Vec<u64>,
    /// Where the next key goes once `keys` is full.
    next: usize,
}

impl RecentKeys {
    fn holds(&self, key: u64) -> bool {
        self.keys.contains(&key)
    }

    fn keep(&mut self, key: u64, day: Day) {
        match self.latest {
            Some(latest) if day <= latest => {}
            Some(latest) if i64::from(day.0) - i64::from(latest.0) == 1 => self.latest = Some(day),
            _ => {
                self.keys.clear();
                self.next = 0;
                self.latest = Some(day);
            }
        }
        if self.keys.len() < DEDUPE_WINDOW {
            self.keys.push(key);
        } else {
            self.keys[self.next] = key;
            self.next = (self.next + 1) % DEDUPE_WINDOW;
        }
    }
}

/// The entry for `day` in a day-sorted vector, inserted if new (exports are mostly in time
/// order, so the last entry is checked first).
fn upsert<T>(items: &mut Vec<T>, day: Day, key: impl Fn(&T) -> Day, new: impl Fn(Day) -> T) -> &mut T {
    let at = match items.last().map(&key) {
        Some(last) if last == day => items.len() - 1,
        Some(last) if last < day => {
            items.push(new(day));
            items.len() - 1
        }
        None => {
            items.push(new(day));
            0
        }
        Some(_) => match items.binary_search_by_key(&day, &key) {
            Ok(i) => i,
            Err(i) => {
                items.insert(i, new(day));
                i
            }
        },
    };
    &mut items[at]
}
