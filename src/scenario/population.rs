//! `[population]`: behavioural segments, their trait distributions, and the
//! "typical app" defaults every omitted trait falls back to.

use super::fields::{Ctx, Fields, Interval, Named, Value, check_shares, report_duplicates, suggest};
use super::read::per_channel;
use super::{
    Acquisition, ActivityProfile, ChannelTraits, DiagnosticKind, Population, Positive, Rhythm, Segment, Share,
    TimeZones,
};

/// The segment used when a file has no `[[population.segment]]`, and the
/// default of every trait a segment leaves out: a mid-sized consumer app.
///
/// Anchors (see docs/scenarios.md and ../shared/design/model-sources.md): push
/// opt-in between iOS ≈ 41–51% and Android ≈ 81% (Accengage 2015, Airship).
/// Responsiveness is the open chance of a triggered, fresh message at the user's
/// peak hour and no fatigue; it is set so that a weekly scheduled campaign to the
/// whole list lands on the benchmarks tests/calibration.rs checks (email opens ≈ 21%,
/// clicks ≈ 2.6%, Mailchimp; push direct opens 3–8%, Braze/Leanplum). Tolerance is
/// Gamma-spread (shape ≈ 1.4) so that push fatigue within four weeks matches
/// Localytics 2017 (10% would disable push at 1 push/week, 47% by 2–5, 80% by
/// 6–10). Visit rates and
/// hazards are wide (Gamma CV > 1) so that, with the engine's engagement
/// dynamics, most users drop out within days (Adjust: D1 ≈ 25%, D30 ≈ 6%); tests/calibration.rs keeps them there.
pub fn typical_segment() -> Segment {
    Segment {
        name: "typical".to_owned(),
        share: 1.0,
        visits_per_day: Positive { mean: 1.5, sd: 1.9 },
        feature_adoption: Share { mean: 0.3, sd: 0.15 },
        purchase_propensity: Share { mean: 0.08, sd: 0.06 },
        price_sensitivity: Share { mean: 0.5, sd: 0.2 },
        deal_sensitivity: Share { mean: 0.3, sd: 0.15 },
        churn_hazard: Positive { mean: 0.3, sd: 0.45 },
        purchase_dropout: Share { mean: 0.0, sd: 0.0 },
        order_value: None,
        engagement: Share { mean: 0.5, sd: 0.2 },
        fatigue_tolerance: Positive { mean: 3.5, sd: 3.0 },
        activity: vec![
            (ActivityProfile::EarlyBird, 0.15),
            (ActivityProfile::Commuter, 0.3),
            (ActivityProfile::Evening, 0.4),
            (ActivityProfile::NightOwl, 0.1),
            (ActivityProfile::Flat, 0.05),
        ],
        time_zones: TimeZones { home: vec![(0, 1.0)], traveller_share: 0.0, destinations: Vec::new(), trip_days: 7.0 },
        channels: [
            ChannelTraits { reachable: 0.6, responsiveness: Share { mean: 0.35, sd: 0.15 } },
            ChannelTraits { reachable: 1.0, responsiveness: Share { mean: 0.25, sd: 0.12 } },
            ChannelTraits { reachable: 0.85, responsiveness: Share { mean: 0.55, sd: 0.2 } },
            ChannelTraits { reachable: 0.3, responsiveness: Share { mean: 0.1, sd: 0.06 } },
        ],
    }
}

/// Default acquisition window: a third of the horizon, so cohorts are staggered.
fn default_acquisition_days(horizon_days: u32) -> u32 {
    horizon_days / 3
}

const PROFILES: [(&str, ActivityProfile); 5] = [
    ("early_bird", ActivityProfile::EarlyBird),
    ("commuter", ActivityProfile::Commuter),
    ("evening", ActivityProfile::Evening),
    ("night_owl", ActivityProfile::NightOwl),
    ("flat", ActivityProfile::Flat),
];

pub(super) fn population(ctx: &mut Ctx, mut f: Fields, horizon_days: u32) -> Population {
    let segments = match f.get("segment") {
        None => vec![typical_segment()],
        Some(list) => segments(ctx, &list),
    };
    let mut acquisition = f.table(ctx, "acquisition");
    let max_days = i64::from(horizon_days.saturating_sub(1));
    let days = acquisition.int_or(ctx, "days", default_acquisition_days(horizon_days), 0, max_days);
    let first_purchase = acquisition.get("first_purchase").and_then(|v| v.boolean(ctx)).unwrap_or(false);
    acquisition.finish(ctx);
    let section = f.table(ctx, "rhythm");
    let rhythm = rhythm(ctx, section);
    f.finish(ctx);
    Population { segments, acquisition: Acquisition { days, first_purchase }, rhythm }
}

/// `[population.rhythm]`: `weekday` (7 values, Monday first) and `month` (12 values), relative
/// visit rates normalised to mean 1.
fn rhythm(ctx: &mut Ctx, mut f: Fields) -> Rhythm {
    let mut read = |key, out: &mut [f64], names: &str| {
        let Some(value) = f.get(key) else { return };
        let Some(items) = value.array(ctx) else { return };
        if items.len() != out.len() {
            let hint = format!("give {} relative rates, {names}", out.len());
            value.out_of_range(ctx, format!("expected {} values, found {}", out.len(), items.len()), hint);
            return;
        }
        let values: Vec<Option<f64>> = items.iter().map(|v| v.float_in(ctx, Interval::POSITIVE)).collect();
        if let Some(values) = values.into_iter().collect::<Option<Vec<f64>>>() {
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            out.iter_mut().zip(values).for_each(|(o, v)| *o = v / mean);
        }
    };
    let mut rhythm = Rhythm::default();
    read("weekday", &mut rhythm.weekday, "Monday first");
    read("month", &mut rhythm.month, "January first");
    f.finish(ctx);
    rhythm
}

fn segments(ctx: &mut Ctx, list: &Value) -> Vec<Segment> {
    let Some(items) = list.array(ctx) else { return vec![typical_segment()] };
    if items.is_empty() {
        list.out_of_range(
            ctx,
            "the population has no segment",
            "add a [[population.segment]] or remove the empty list",
        );
        return vec![typical_segment()];
    }
    let single = items.len() == 1;
    let mut segments = Vec::new();
    let mut names = Vec::new();
    for item in &items {
        let Some(mut f) = item.table(ctx) else { continue };
        let (segment, name) = segment(ctx, &mut f, single);
        f.finish(ctx);
        names.extend(name);
        segments.push(segment);
    }
    report_duplicates(ctx, &names, "segment");
    // A lone segment may leave its share out (it is 1), but a share it states must still be 1.
    check_shares(ctx, &list.span(), list.path.as_str(), segments.iter().map(|s| s.share));
    segments
}

fn segment<'a>(ctx: &mut Ctx, f: &mut Fields<'a, '_>, single: bool) -> (Segment, Option<Named<'a>>) {
    let typical = typical_segment();
    let name_value = f.require(ctx, "name", "name the segment, e.g. name = \"new users\"");
    let name = name_value
        .as_ref()
        .and_then(|v| v.string(ctx).map(|s| Named { name: s, span: v.span(), path: v.path.clone() }));
    let share = if single {
        f.float_or(ctx, "share", 1.0, SEGMENT_SHARE)
    } else {
        let hint = "with several segments each needs its share of users, e.g. share = 0.25";
        f.require(ctx, "share", hint).and_then(|v| positive_share(ctx, &v)).unwrap_or(0.0)
    };
    let mut positive_or = |ctx: &mut Ctx, key, default| f.get(key).and_then(|v| positive(ctx, &v)).unwrap_or(default);
    let visits_per_day = positive_or(ctx, "visits_per_day", typical.visits_per_day);
    let churn_hazard = positive_or(ctx, "churn_hazard", typical.churn_hazard);
    let fatigue_tolerance = positive_or(ctx, "fatigue_tolerance", typical.fatigue_tolerance);
    let mut share_or = |ctx: &mut Ctx, key, default| f.get(key).and_then(|v| share_of(ctx, &v)).unwrap_or(default);
    let feature_adoption = share_or(ctx, "feature_adoption", typical.feature_adoption);
    let purchase_propensity = share_or(ctx, "purchase_propensity", typical.purchase_propensity);
    let price_sensitivity = share_or(ctx, "price_sensitivity", typical.price_sensitivity);
    let deal_sensitivity = share_or(ctx, "deal_sensitivity", typical.deal_sensitivity);
    let engagement = share_or(ctx, "engagement", typical.engagement);
    let purchase_dropout = share_or(ctx, "purchase_dropout", typical.purchase_dropout);
    let order_value = f.get("order_value").and_then(|v| v.float_in(ctx, Interval::POSITIVE));
    let activity = match f.get("activity").and_then(|v| v.table(ctx)) {
        Some(table) => activity(ctx, &table),
        None => typical.activity,
    };
    let zone_fields = f.table(ctx, "time_zones");
    let time_zones = time_zones(ctx, zone_fields, typical.time_zones);
    let channel_fields = f.table(ctx, "channels");
    let channels = per_channel(ctx, channel_fields, typical.channels, |ctx, value, default| {
        let mut c = value.table(ctx)?;
        let reachable = c.float_or(ctx, "reachable", default.reachable, Interval::PROBABILITY);
        let responsiveness = c.get("responsiveness").and_then(|v| share_of(ctx, &v)).unwrap_or(default.responsiveness);
        c.finish(ctx);
        Some(ChannelTraits { reachable, responsiveness })
    });
    let segment = Segment {
        name: name.as_ref().map_or(String::new(), |n| n.name.to_owned()),
        share,
        visits_per_day,
        feature_adoption,
        purchase_propensity,
        price_sensitivity,
        deal_sensitivity,
        churn_hazard,
        purchase_dropout,
        order_value,
        engagement,
        fatigue_tolerance,
        activity,
        time_zones,
        channels,
    };
    (segment, name)
}

/// A segment's share of users.
const SEGMENT_SHARE: Interval = Interval::left_open(0.0, 1.0);

/// A segment's share of users, in (0, 1].
fn positive_share(ctx: &mut Ctx, v: &Value) -> Option<f64> {
    v.float_in(ctx, SEGMENT_SHARE)
}

/// A positive quantity: Gamma by mean and sd.
fn positive(ctx: &mut Ctx, v: &Value) -> Option<Positive> {
    if !v.is_table() {
        return number_or_spread(ctx, v, Interval::POSITIVE).map(|mean| Positive { mean, sd: 0.0 });
    }
    let mut f = v.table(ctx)?;
    let mean = f.require(ctx, "mean", "write { mean = …, sd = … }").and_then(|m| m.float_in(ctx, Interval::POSITIVE));
    let sd = f.float_or(ctx, "sd", 0.0, Interval::NON_NEGATIVE);
    f.finish(ctx);
    Some(Positive { mean: mean?, sd })
}

/// A probability: Beta by mean and sd, with sd² < mean·(1 − mean) unless sd = 0.
fn share_of(ctx: &mut Ctx, v: &Value) -> Option<Share> {
    if !v.is_table() {
        return number_or_spread(ctx, v, Interval::PROBABILITY).map(|mean| Share { mean, sd: 0.0 });
    }
    let mut f = v.table(ctx)?;
    let mean =
        f.require(ctx, "mean", "write { mean = …, sd = … }").and_then(|m| m.float_in(ctx, Interval::PROBABILITY));
    let sd_value = f.get("sd");
    let sd = sd_value.as_ref().and_then(|s| s.float_in(ctx, Interval::NON_NEGATIVE)).unwrap_or(0.0);
    f.finish(ctx);
    let mean = mean?;
    let limit = (mean * (1.0 - mean)).sqrt();
    if sd > 0.0 && sd >= limit {
        if let Some(sd_value) = sd_value {
            let message = format!(
                "sd = {sd} is too large for mean {mean}: a Beta spread needs sd < √(mean·(1 − mean)) = {limit:.4}"
            );
            let hint = if limit > 0.0 {
                format!("use an sd below {limit:.4}, or move the mean towards 0.5")
            } else {
                "a mean of 0 or 1 allows no spread: set sd = 0".to_owned()
            };
            sd_value.out_of_range(ctx, message, hint);
        }
        return None;
    }
    Some(Share { mean, sd })
}

fn number_or_spread(ctx: &mut Ctx, v: &Value, interval: Interval) -> Option<f64> {
    if !v.is_number() {
        v.wrong_type(ctx, "a number or { mean = …, sd = … }", "write e.g. 0.3 or { mean = 0.3, sd = 0.1 }");
        return None;
    }
    v.float_in(ctx, interval)
}

fn activity(ctx: &mut Ctx, table: &Fields) -> Vec<(ActivityProfile, f64)> {
    let mut shares = Vec::new();
    let entries = table.entries();
    for (name, key_span, value) in &entries {
        let Some((_, profile)) = PROFILES.iter().find(|(n, _)| n == name) else {
            let hint = suggest(name, PROFILES.iter().map(|(n, _)| *n));
            ctx.report(
                DiagnosticKind::UnknownValue,
                key_span,
                &value.path,
                format!("unknown activity profile `{name}`"),
                hint,
            );
            continue;
        };
        if let Some(share) = value.float_in(ctx, Interval::PROBABILITY) {
            shares.push((*profile, share));
        }
    }
    // The sum is only meaningful once every entry is valid.
    if shares.len() == entries.len() {
        check_shares(ctx, &table.span(), table.path(), shares.iter().map(|(_, s)| *s));
    }
    shares
}

fn time_zones(ctx: &mut Ctx, mut f: Fields, default: TimeZones) -> TimeZones {
    let home = f.get("home").and_then(|v| offsets(ctx, &v)).unwrap_or(default.home);
    let traveller_share = f.float_or(ctx, "traveller_share", default.traveller_share, Interval::PROBABILITY);
    let destinations = match f.get("destinations") {
        Some(v) => {
            if traveller_share == 0.0 {
                let hint = "set traveller_share above 0, or remove destinations";
                v.out_of_range(ctx, "destinations are given but traveller_share is 0", hint);
            }
            offsets(ctx, &v).unwrap_or_default()
        }
        None => {
            if traveller_share > 0.0 {
                let hint = "say where travellers go, e.g. destinations = { \"UTC+8\" = 1.0 }";
                ctx.report(
                    DiagnosticKind::MissingField,
                    &f.span(),
                    &format!("{}.destinations", f.path()),
                    "missing field `destinations`",
                    hint,
                );
            }
            Vec::new()
        }
    };
    let trip_days = f.float_or(ctx, "trip_days", default.trip_days, Interval::POSITIVE);
    f.finish(ctx);
    TimeZones { home, traveller_share, destinations, trip_days }
}

/// `{ "UTC+1" = 0.6, "UTC-5" = 0.4 }`: UTC offsets with shares summing to 1.
fn offsets(ctx: &mut Ctx, v: &Value) -> Option<Vec<(i8, f64)>> {
    let table = v.table(ctx)?;
    let mut shares: Vec<(i8, f64)> = Vec::new();
    let mut names = Vec::new();
    for (name, key_span, value) in table.entries() {
        let share = value.float_in(ctx, Interval::PROBABILITY);
        let Some(offset) = utc_offset(name) else {
            let message = format!("`{name}` is not a UTC offset");
            let hint = "write whole-hour offsets as \"UTC\", \"UTC+1\" or \"UTC-5\"";
            ctx.report(DiagnosticKind::UnknownValue, &key_span, &value.path, message, hint);
            continue;
        };
        if !(-12..=14).contains(&offset) {
            let hint = "UTC offsets run from UTC-12 to UTC+14";
            ctx.report(DiagnosticKind::OutOfRange, &key_span, &value.path, format!("{name} is not a time zone"), hint);
            continue;
        }
        names.push(Named {
            name: OFFSET_NAMES[usize::try_from(offset + 12).unwrap_or(0)],
            span: key_span,
            path: value.path.clone(),
        });
        shares.extend(share.zip(i8::try_from(offset).ok()).map(|(s, o)| (o, s)));
    }
    report_duplicates(ctx, &names, "time zone");
    // The sum is only meaningful once every entry is valid.
    if shares.len() == table.entries().len() {
        check_shares(ctx, &v.span(), &v.path, shares.iter().map(|(_, s)| *s));
    }
    Some(shares)
}

/// Canonical names of offsets −12…14, so that "UTC+1" and "UTC+01" count as one.
const OFFSET_NAMES: [&str; 27] = [
    "UTC-12", "UTC-11", "UTC-10", "UTC-9", "UTC-8", "UTC-7", "UTC-6", "UTC-5", "UTC-4", "UTC-3", "UTC-2", "UTC-1",
    "UTC", "UTC+1", "UTC+2", "UTC+3", "UTC+4", "UTC+5", "UTC+6", "UTC+7", "UTC+8", "UTC+9", "UTC+10", "UTC+11",
    "UTC+12", "UTC+13", "UTC+14",
];

/// "UTC" → 0, "UTC+5" → 5, "UTC-03" → −3; anything else → None.
fn utc_offset(name: &str) -> Option<i32> {
    let rest = name.strip_prefix("UTC")?;
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, digits) = match rest.split_at_checked(1)? {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i32>().ok().map(|h| sign * h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_offsets_parse_whole_hours_only() {
        assert_eq!(utc_offset("UTC"), Some(0));
        assert_eq!(utc_offset("UTC+5"), Some(5));
        assert_eq!(utc_offset("UTC-03"), Some(-3));
        assert_eq!(utc_offset("UTC+5:30"), None);
        assert_eq!(utc_offset("GMT+1"), None);
        assert_eq!(utc_offset("UTC+"), None);
    }

    #[test]
    fn typical_segment_satisfies_the_model_invariants() {
        let s = typical_segment();
        let shares = [s.feature_adoption, s.purchase_propensity, s.price_sensitivity, s.deal_sensitivity, s.engagement]
            .into_iter()
            .chain(s.channels.iter().map(|c| c.responsiveness));
        for share in shares {
            assert!(share.sd * share.sd < share.mean * (1.0 - share.mean), "{share:?}");
        }
        let activity: f64 = s.activity.iter().map(|(_, p)| p).sum();
        assert!((activity - 1.0).abs() < 1e-12);
    }
}
