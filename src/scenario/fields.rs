//! The field reader: typed access to the span-preserving TOML tree that records
//! every problem instead of stopping at the first.
//!
//! [`Fields`] wraps one table and remembers which keys the reader asked for;
//! [`Fields::finish`] reports every other key as unknown, suggesting the closest
//! key that was asked for. [`Value`] converts one value, reporting a wrong type
//! or an out-of-range number at the value's position. Readers return `None` on
//! a problem and the caller falls back to a default, so that reading goes on
//! and every problem of the file is found in one pass.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::definitions;
use super::path::join;
use super::{Date, Diagnostic, DiagnosticKind};

/// Collects diagnostics and turns byte offsets into 1-based line and column.
pub(super) struct Ctx<'t> {
    text: &'t str,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl<'t> Ctx<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Ctx { text, line_starts, diagnostics: Vec::new() }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = match self.text.get(start..offset) {
            Some(prefix) => prefix.chars().count(),
            // Not on a character boundary: count bytes rather than fail.
            None => offset - start,
        };
        (line, column + 1)
    }

    pub(super) fn report(
        &mut self,
        kind: DiagnosticKind,
        span: &Range<usize>,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let (line, column) = self.position(span.start);
        self.diagnostics.push(Diagnostic {
            kind,
            line,
            column,
            path: path.to_owned(),
            message: message.into(),
            hint: hint.into(),
        });
    }

    pub(super) fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    /// Every diagnostic, in file order (stable for equal positions).
    pub(super) fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        self.diagnostics
    }
}

/// A numeric interval, printed the mathematical way: `[0, 1)`, `(0, ∞)`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Interval {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
}

impl Interval {
    /// [0, 1].
    pub(super) const PROBABILITY: Interval = Interval::closed(0.0, 1.0);
    /// [0, ∞).
    pub(super) const NON_NEGATIVE: Interval = Interval { lo: 0.0, lo_open: false, hi: f64::INFINITY, hi_open: true };
    /// (0, ∞).
    pub(super) const POSITIVE: Interval = Interval { lo: 0.0, lo_open: true, hi: f64::INFINITY, hi_open: true };

    pub(super) const fn closed(lo: f64, hi: f64) -> Interval {
        Interval { lo, lo_open: false, hi, hi_open: false }
    }

    /// [lo, hi).
    pub(super) const fn right_open(lo: f64, hi: f64) -> Interval {
        Interval { lo, lo_open: false, hi, hi_open: true }
    }

    /// (lo, hi].
    pub(super) const fn left_open(lo: f64, hi: f64) -> Interval {
        Interval { lo, lo_open: true, hi, hi_open: false }
    }

    /// (lo, hi).
    pub(super) const fn open(lo: f64, hi: f64) -> Interval {
        Interval { lo, lo_open: true, hi, hi_open: true }
    }

    pub(super) fn lower(self) -> f64 {
        self.lo
    }

    pub(super) fn upper(self) -> f64 {
        self.hi
    }

    pub(super) fn lower_open(self) -> bool {
        self.lo_open
    }

    pub(super) fn upper_open(self) -> bool {
        self.hi_open
    }

    pub(super) fn contains(self, x: f64) -> bool {
        let above = if self.lo_open { x > self.lo } else { x >= self.lo };
        let below = if self.hi_open { x < self.hi } else { x <= self.hi };
        above && below
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hi = if self.hi.is_infinite() { "∞".to_owned() } else { self.hi.to_string() };
        let (open, close) = (if self.lo_open { '(' } else { '[' }, if self.hi_open { ')' } else { ']' });
        write!(f, "{open}{}, {hi}{close}", self.lo)
    }
}

/// "did you mean `x`?" when a known name is close to `given`, else the list of names.
pub(super) fn suggest<'n>(given: &str, names: impl IntoIterator<Item = &'n str>) -> String {
    let mut known: Vec<&str> = Vec::new();
    for name in names {
        if !known.contains(&name) {
            known.push(name);
        }
    }
    let closest = known.iter().map(|k| (edit_distance(given, k), *k)).min();
    match closest {
        Some((distance, name)) if distance <= 2.max(given.chars().count() / 3) => format!("did you mean `{name}`?"),
        _ if known.is_empty() => "remove it".to_owned(),
        _ => format!("expected one of: {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Tolerance on shares that must sum to 1, relative to 1.
pub(super) const SHARES_TOLERANCE: f64 = 1e-9;

/// Reports shares that do not sum to 1 (within [`SHARES_TOLERANCE`]).
pub(super) fn check_shares(ctx: &mut Ctx, span: &Range<usize>, path: &str, shares: impl IntoIterator<Item = f64>) {
    // Folding from +0.0: an empty `sum()` of floats is −0.0.
    let sum = shares.into_iter().fold(0.0, |a, b| a + b);
    if (sum - 1.0).abs() > SHARES_TOLERANCE {
        let hint = if sum > 0.0 {
            format!("make them add up to 1, e.g. divide each by {sum}")
        } else {
            "give at least one a positive share".to_owned()
        };
        ctx.report(DiagnosticKind::SharesSum, span, path, format!("shares sum to {sum}, not 1"), hint);
    }
}

/// A name the user gave, where it was written.
#[derive(Clone)]
pub(super) struct Named<'n> {
    pub(super) name: &'n str,
    pub(super) span: Range<usize>,
    pub(super) path: String,
}

/// Reports every repeat of a name already used (`what`: "segment", "journey"…).
pub(super) fn report_duplicates(ctx: &mut Ctx, names: &[Named], what: &str) {
    for (i, later) in names.iter().enumerate() {
        if let Some(first) = names[..i].iter().find(|n| n.name == later.name) {
            let (line, _) = ctx.position(first.span.start);
            let message = format!("{what} name \"{}\" is already used on line {line}", later.name);
            let hint = format!("give each {what} a different name");
            ctx.report(DiagnosticKind::DuplicateName, &later.span, &later.path, message, hint);
        }
    }
}

/// One value of the tree with its field path.
pub(super) struct Value<'a, 'i> {
    item: &'a Spanned<DeValue<'i>>,
    pub(super) path: String,
}

impl<'a, 'i> Value<'a, 'i> {
    pub(super) fn span(&self) -> Range<usize> {
        self.item.span()
    }

    fn type_name(&self) -> &'static str {
        match self.item.get_ref() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "a whole number",
            DeValue::Float(_) => "a decimal number",
            DeValue::Boolean(_) => "true/false",
            DeValue::Datetime(_) => "a date or time",
            DeValue::Array(_) => "a list",
            DeValue::Table(_) => "a table",
        }
    }

    /// Reports a wrong type: "Gross margin must be a number, not a string" (the field's label
    /// from [`definitions`]), or "expected `expected`, found a string".
    pub(super) fn wrong_type(&self, ctx: &mut Ctx, expected: &str, hint: &str) {
        let found = self.type_name();
        let message = definitions::wrong_type(&self.path, expected, found)
            .unwrap_or_else(|| format!("expected {expected}, found {found}"));
        ctx.report(DiagnosticKind::WrongType, &self.span(), &self.path, message, hint);
    }

    pub(super) fn out_of_range(&self, ctx: &mut Ctx, message: impl Into<String>, hint: impl Into<String>) {
        ctx.report(DiagnosticKind::OutOfRange, &self.span(), &self.path, message, hint);
    }

    /// The exact integer, whatever its radix; `None` if it does not fit in an i64.
    fn integer(&self) -> Option<Option<i64>> {
        match self.item.get_ref() {
            DeValue::Integer(i) => Some(i64::from_str_radix(i.as_str(), i.radix()).ok()),
            _ => None,
        }
    }

    /// A finite number; integers are accepted where decimals are.
    pub(super) fn float(&self, ctx: &mut Ctx) -> Option<f64> {
        let x = match self.item.get_ref() {
            DeValue::Float(x) => x.as_str().parse::<f64>().ok(),
            DeValue::Integer(_) => self.integer().flatten().map(|i| i as f64),
            _ => {
                self.wrong_type(ctx, "a number", "write a number such as 0.5");
                return None;
            }
        };
        match x {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.out_of_range(ctx, "the number is not finite", "write an ordinary number (no inf or nan)");
                None
            }
        }
    }

    /// A number inside `interval`.
    pub(super) fn float_in(&self, ctx: &mut Ctx, interval: Interval) -> Option<f64> {
        let x = self.float(ctx)?;
        if interval.contains(x) {
            Some(x)
        } else {
            let message = definitions::out_of_range(&self.path, x, interval)
                .unwrap_or_else(|| format!("{x} is outside {interval}"));
            self.out_of_range(ctx, message, format!("in the file, a value in {interval}"));
            None
        }
    }

    /// A whole number in lo..=hi, converted to the target type.
    pub(super) fn int_in<T: TryFrom<i64>>(&self, ctx: &mut Ctx, lo: i64, hi: i64) -> Option<T> {
        let range_hint = || format!("use a whole number from {lo} to {hi}");
        match self.integer() {
            None => {
                self.wrong_type(ctx, "a whole number", "write it without a decimal point, e.g. 7");
                None
            }
            Some(Some(i)) if (lo..=hi).contains(&i) => T::try_from(i).ok(),
            Some(Some(i)) => {
                let interval = Interval::closed(lo as f64, hi as f64);
                let message = definitions::out_of_range(&self.path, i as f64, interval)
                    .unwrap_or_else(|| format!("{i} is outside {lo}…{hi}"));
                self.out_of_range(ctx, message, range_hint());
                None
            }
            Some(None) => {
                self.out_of_range(ctx, "the number is too large", range_hint());
                None
            }
        }
    }

    pub(super) fn string(&self, ctx: &mut Ctx) -> Option<&'a str> {
        match self.item.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => {
                self.wrong_type(ctx, "a string", "put the text in double quotes");
                None
            }
        }
    }

    pub(super) fn boolean(&self, ctx: &mut Ctx) -> Option<bool> {
        match self.item.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(ctx, "true or false", "write true or false, without quotes");
                None
            }
        }
    }

    /// A TOML local date such as 2026-01-05 (no time, no offset).
    pub(super) fn date(&self, ctx: &mut Ctx) -> Option<Date> {
        match self.item.get_ref() {
            DeValue::Datetime(toml::value::Datetime { date: Some(d), time: None, offset: None }) => {
                Some(Date { year: i32::from(d.year), month: d.month, day: d.day })
            }
            _ => {
                self.wrong_type(ctx, "a date", "write a date without quotes or time, e.g. 2026-01-05");
                None
            }
        }
    }

    pub(super) fn is_number(&self) -> bool {
        matches!(self.item.get_ref(), DeValue::Integer(_) | DeValue::Float(_))
    }

    pub(super) fn is_array(&self) -> bool {
        matches!(self.item.get_ref(), DeValue::Array(_))
    }

    pub(super) fn is_table(&self) -> bool {
        matches!(self.item.get_ref(), DeValue::Table(_))
    }

    pub(super) fn table(&self, ctx: &mut Ctx) -> Option<Fields<'a, 'i>> {
        match self.item.get_ref() {
            DeValue::Table(table) => {
                Some(Fields { table: Some(table), span: self.span(), path: self.path.clone(), asked: Vec::new() })
            }
            _ => {
                self.wrong_type(ctx, "a table", "write it as a [section] or an inline table { key = value }");
                None
            }
        }
    }

    /// The elements of a list, each with its indexed path.
    pub(super) fn array(&self, ctx: &mut Ctx) -> Option<Vec<Value<'a, 'i>>> {
        match self.item.get_ref() {
            DeValue::Array(items) => Some(
                items.iter().enumerate().map(|(i, item)| Value { item, path: format!("{}[{i}]", self.path) }).collect(),
            ),
            _ => {
                self.wrong_type(ctx, "a list", "write a list in square brackets, e.g. [\"push\", \"email\"]");
                None
            }
        }
    }

    /// A string naming one of `options`; an unknown name is reported as `kind`.
    pub(super) fn choice<T: Copy>(&self, ctx: &mut Ctx, options: &[(&str, T)], kind: DiagnosticKind) -> Option<T> {
        let name = self.string(ctx)?;
        if let Some((_, value)) = options.iter().find(|(n, _)| *n == name) {
            return Some(*value);
        }
        let hint = suggest(name, options.iter().map(|(n, _)| *n));
        ctx.report(kind, &self.span(), &self.path, format!("unknown value \"{name}\""), hint);
        None
    }
}

/// One table being read: remembers which keys were asked for.
pub(super) struct Fields<'a, 'i> {
    /// None: the table is absent from the file and every field takes its default.
    table: Option<&'a DeTable<'i>>,
    /// Where missing fields are reported: the table's header, or its parent's when absent.
    span: Range<usize>,
    path: String,
    asked: Vec<&'static str>,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub(super) fn root(document: &'a Spanned<DeTable<'i>>) -> Self {
        Fields { table: Some(document.get_ref()), span: document.span(), path: String::new(), asked: Vec::new() }
    }

    pub(super) fn path(&self) -> &str {
        &self.path
    }

    pub(super) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The value at `key`, if present.
    pub(super) fn get(&mut self, key: &'static str) -> Option<Value<'a, 'i>> {
        self.asked.push(key);
        #[cfg(test)]
        definitions::tests::record_asked(&join(&self.path, key));
        let item = self.table?.get(key)?;
        Some(Value { item, path: join(&self.path, key) })
    }

    /// The string at `key`, without asking for it (no diagnostic if absent or not a string).
    pub(super) fn peek_str(&self, key: &str) -> Option<&'a str> {
        match self.table?.get(key)?.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// Counts `keys` as asked for without reading them: after an unknown
    /// choice, the fields that depend on it are not reported as unknown too.
    pub(super) fn skip(&mut self, keys: &[&'static str]) {
        self.asked.extend_from_slice(keys);
        #[cfg(test)]
        keys.iter().for_each(|key| definitions::tests::record_asked(&join(&self.path, key)));
    }

    /// Whether `key` is present, without asking for it.
    pub(super) fn has(&self, key: &str) -> bool {
        self.table.is_some_and(|t| t.contains_key(key))
    }

    /// The value at `key`; reports a missing field with `hint` when absent.
    pub(super) fn require(&mut self, ctx: &mut Ctx, key: &'static str, hint: &str) -> Option<Value<'a, 'i>> {
        let value = self.get(key);
        if value.is_none() {
            let path = join(&self.path, key);
            ctx.report(DiagnosticKind::MissingField, &self.span, &path, format!("missing field `{key}`"), hint);
        }
        value
    }

    /// The sub-table at `key`; an absent (or mistyped) one reads as empty.
    pub(super) fn table(&mut self, ctx: &mut Ctx, key: &'static str) -> Fields<'a, 'i> {
        match self.get(key) {
            Some(value) => value.table(ctx).unwrap_or_else(|| self.absent(key)),
            None => self.absent(key),
        }
    }

    fn absent(&self, key: &str) -> Fields<'a, 'i> {
        Fields { table: None, span: self.span.clone(), path: join(&self.path, key), asked: Vec::new() }
    }

    /// Every entry, for tables keyed by user-chosen names (channels, profiles, time zones).
    pub(super) fn entries(&self) -> Vec<(&'a str, Range<usize>, Value<'a, 'i>)> {
        let Some(table) = self.table else { return Vec::new() };
        table
            .iter()
            .map(|(key, item)| {
                let name: &str = key.get_ref().as_ref();
                (name, key.span(), Value { item, path: join(&self.path, name) })
            })
            .collect()
    }

    /// A number at `key` inside `interval`, or `default`.
    pub(super) fn float_or(&mut self, ctx: &mut Ctx, key: &'static str, default: f64, interval: Interval) -> f64 {
        self.get(key).and_then(|v| v.float_in(ctx, interval)).unwrap_or(default)
    }

    /// A whole number at `key` in lo..=hi, or `default`.
    pub(super) fn int_or<T: TryFrom<i64>>(
        &mut self,
        ctx: &mut Ctx,
        key: &'static str,
        default: T,
        lo: i64,
        hi: i64,
    ) -> T {
        self.get(key).and_then(|v| v.int_in(ctx, lo, hi)).unwrap_or(default)
    }

    /// Reports every key that was not asked for as unknown.
    pub(super) fn finish(self, ctx: &mut Ctx) {
        self.finish_explained(ctx, |_| None);
    }

    /// Like [`Fields::finish`]; `explain` may give a better hint for a key that
    /// belongs elsewhere (e.g. a trigger's field on a wait node).
    pub(super) fn finish_explained(self, ctx: &mut Ctx, explain: impl Fn(&str) -> Option<String>) {
        let Some(table) = self.table else { return };
        for (key, _) in table.iter() {
            let name: &str = key.get_ref().as_ref();
            if self.asked.contains(&name) {
                continue;
            }
            let hint = explain(name).unwrap_or_else(|| suggest(name, self.asked.iter().copied()));
            let path = join(&self.path, name);
            ctx.report(DiagnosticKind::UnknownKey, &key.span(), &path, format!("unknown key `{name}`"), hint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let ctx = Ctx::new("ab\né = 1\n");
        assert_eq!(ctx.position(0), (1, 1));
        assert_eq!(ctx.position(3), (2, 1));
        // 'é' is two bytes: the space after it is the second character.
        assert_eq!(ctx.position(5), (2, 2));
        assert_eq!(ctx.position(999), (3, 1));
    }

    #[test]
    fn suggestions_pick_close_names_only() {
        assert_eq!(suggest("sede", ["seed", "users"]), "did you mean `seed`?");
        assert_eq!(suggest("zzzzzz", ["seed", "users"]), "expected one of: `seed`, `users`");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn intervals_print_their_openness() {
        assert_eq!(Interval::right_open(0.0, 1.0).to_string(), "[0, 1)");
        assert_eq!(Interval::POSITIVE.to_string(), "(0, ∞)");
        assert!(!Interval::open(0.0, 1.0).contains(1.0));
    }
}
