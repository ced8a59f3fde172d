//! Which column or JSON path holds each field of the common event schema:
//! the vendor presets, the `user=COL,time=COL,…` mapping spec, and guessing a
//! preset from the first record. The presets follow each vendor's documented
//! export (calibration-notes.md, "What exports look like").

use serde::Serialize;

/// A field of the common event schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    User,
    Time,
    Event,
    Revenue,
    Currency,
    Channel,
    Campaign,
    Platform,
    TimeZone,
    Country,
    InsertId,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::User,
        Field::Time,
        Field::Event,
        Field::Revenue,
        Field::Currency,
        Field::Channel,
        Field::Campaign,
        Field::Platform,
        Field::TimeZone,
        Field::Country,
        Field::InsertId,
    ];

    /// The key naming this field in a mapping spec.
    pub fn key(self) -> &'static str {
        match self {
            Field::User => "user",
            Field::Time => "time",
            Field::Event => "event",
            Field::Revenue => "revenue",
            Field::Currency => "currency",
            Field::Channel => "channel",
            Field::Campaign => "campaign",
            Field::Platform => "platform",
            Field::TimeZone => "timezone",
            Field::Country => "country",
            Field::InsertId => "insert_id",
        }
    }

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or_default()
    }
}

/// How a time without an offset (`2024-03-01 10:00:00`) is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NaiveTimes {
    /// As UTC (Amplitude's `event_time`, GA4, PostHog, Segment).
    Utc,
    /// As wall-clock time in the import's time zone (`--timezone`; CleverTap, hand-made logs).
    Local,
}

/// Where each schema field is found, and which events are purchases and sessions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mapping {
    /// The preset this mapping started from, if any.
    pub preset: Option<&'static str>,
    /// Per field (in [`Field::ALL`] order), the column names or dotted JSON paths to try in
    /// turn; the first non-empty one is taken. Empty: the field is not in the export.
    #[serde(serialize_with = "paths_by_key")]
    pub paths: Vec<Vec<String>>,
    pub naive_times: NaiveTimes,
    /// Event names that are purchases. Empty: an event carrying a positive revenue is a
    /// purchase; with no event field at all, every row is a purchase (a transaction log).
    pub purchase_events: Vec<String>,
    /// Event names that each count as one session. Empty: the export has no session events.
    pub session_events: Vec<String>,
}

/// The paths as an object keyed by field (`{"user": ["userId", "anonymousId"], …}`), unmapped
/// fields left out.
fn paths_by_key<S: serde::Serializer>(paths: &[Vec<String>], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(None)?;
    for (field, p) in Field::ALL.iter().zip(paths).filter(|(_, p)| !p.is_empty()) {
        map.serialize_entry(field.key(), p)?;
    }
    map.end()
}

/// A vendor's export layout.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    fields: &'static [(Field, &'static str)],
    naive_times: NaiveTimes,
    purchase_events: &'static [&'static str],
    session_events: &'static [&'static str],
}

/// The vendor presets; paths separated by `|` are alternatives tried in turn.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "mixpanel",
        description: "Mixpanel raw export (JSON lines): event, properties.time (Unix s), properties.distinct_id",
        fields: &[
            (Field::User, "properties.distinct_id"),
            (Field::Time, "properties.time"),
            (Field::Event, "event"),
            (Field::Revenue, "properties.revenue|properties.$amount|properties.amount"),
            (Field::Currency, "properties.currency"),
            (Field::Channel, "properties.utm_medium"),
            (Field::Campaign, "properties.utm_campaign"),
            (Field::Platform, "properties.$os|properties.mp_lib"),
            (Field::TimeZone, "properties.$timezone"),
            (Field::Country, "properties.mp_country_code"),
            (Field::InsertId, "properties.$insert_id"),
        ],
        naive_times: NaiveTimes::Utc,
        purchase_events: &[],
        session_events: &["$ae_session", "$session_start"],
    },
    Preset {
        name: "amplitude",
        description: "Amplitude export API (JSON lines): user_id, event_type, event_time (UTC), revenue/$revenue",
        fields: &[
            (Field::User, "user_id|amplitude_id"),
            (Field::Time, "event_time"),
            (Field::Event, "event_type"),
            (Field::Revenue, "revenue|event_properties.$revenue|event_properties.revenue"),
            (Field::Currency, "event_properties.currency|event_properties.$currency"),
            (Field::Channel, "user_properties.utm_medium"),
            (Field::Campaign, "user_properties.utm_campaign"),
            (Field::Platform, "platform"),
            (Field::Country, "country"),
            (Field::InsertId, "$insert_id|uuid"),
        ],
        naive_times: NaiveTimes::Utc,
        purchase_events: &[],
        session_events: &["session_start"],
    },
    Preset {
        name: "segment",
        description: "Segment S3 or warehouse export (JSON lines): userId/anonymousId, event, timestamp, properties.revenue",
        fields: &[
            (Field::User, "userId|anonymousId"),
            (Field::Time, "timestamp"),
            (Field::Event, "event|type"),
            (Field::Revenue, "properties.revenue|properties.total"),
            (Field::Currency, "properties.currency"),
            (Field::Channel, "context.campaign.medium"),
            (Field::Campaign, "context.campaign.name"),
            (Field::Platform, "context.os.name|context.device.type"),
            (Field::TimeZone, "context.timezone"),
            (Field::Country, "context.location.country"),
            (Field::InsertId, "messageId"),
        ],
        naive_times: NaiveTimes::Utc,
        purchase_events: &["Order Completed"],
        session_events: &["Application Opened"],
    },
    Preset {
        name: "posthog",
        description: "PostHog batch export (Parquet or JSON lines): distinct_id, event, timestamp; properties may be a JSON string",
        fields: &[
            (Field::User, "distinct_id"),
            (Field::Time, "timestamp"),
            (Field::Event, "event"),
            (Field::Revenue, "properties.revenue|properties.$revenue"),
            (Field::Currency, "properties.currency"),
            (Field::Channel, "properties.utm_medium"),
            (Field::Campaign, "properties.utm_campaign"),
            (Field::Platform, "properties.$os"),
            (Field::TimeZone, "properties.$timezone"),
            (Field::Country, "properties.$geoip_country_code"),
            (Field::InsertId, "uuid"),
        ],
        naive_times: NaiveTimes::Utc,
        purchase_events: &[],
        session_events: &[],
    },
    Preset {
        name: "clevertap",
        description: "CleverTap event export (CSV, JSON or Parquet): profile.identity/objectId, eventName, ts (project time zone); purchases are Charged",
        fields: &[
            (Field::User, "profile.identity|profile.objectId|objectId"),
            (Field::Time, "ts"),
            (Field::Event, "eventName"),
            (Field::Revenue, "eventProps.Amount|eventProps.amount"),
            (Field::Currency, "eventProps.Currency|eventProps.currency"),
            (Field::Platform, "profile.platform"),
            (Field::Country, "profile.country|profile.location.country"),
        ],
        naive_times: NaiveTimes::Local,
        purchase_events: &["Charged"],
        session_events: &["App Launched"],
    },
    Preset {
        name: "ga4",
        description: "GA4 BigQuery export as JSON: user_pseudo_id, event_name, event_timestamp (µs UTC), ecommerce.purchase_revenue",
        fields: &[
            (Field::User, "user_pseudo_id"),
            (Field::Time, "event_timestamp"),
            (Field::Event, "event_name"),
            (Field::Revenue, "ecommerce.purchase_revenue"),
            (Field::Channel, "traffic_source.medium"),
            (Field::Campaign, "traffic_source.name"),
            (Field::Platform, "platform"),
            (Field::Country, "geo.country"),
        ],
        naive_times: NaiveTimes::Utc,
        purchase_events: &["purchase"],
        session_events: &["session_start"],
    },
    Preset {
        name: "generic",
        description: "A plain event or transaction table: user_id/customer_id, timestamp/date, event, revenue",
        fields: &[
            (Field::User, "user_id|customer_id|userId|user|customer"),
            (Field::Time, "timestamp|time|date|event_time|datetime"),
            (Field::Event, "event|event_name|event_type|name"),
            (Field::Revenue, "revenue|amount|value|total|price"),
            (Field::Currency, "currency"),
            (Field::Channel, "channel"),
            (Field::Campaign, "campaign"),
            (Field::Platform, "platform"),
            (Field::TimeZone, "timezone|time_zone"),
            (Field::Country, "country"),
            (Field::InsertId, "insert_id|event_id|message_id|uuid"),
        ],
        naive_times: NaiveTimes::Local,
        purchase_events: &["purchase"],
        session_events: &["session_start"],
    },
];

impl Preset {
    pub fn mapping(&self) -> Mapping {
        let mut paths = vec![Vec::new(); Field::ALL.len()];
        for (field, alternatives) in self.fields {
            paths[field.index()] = alternatives.split('|').map(str::to_string).collect();
        }
        Mapping {
            preset: Some(self.name),
            paths,
            naive_times: self.naive_times,
            purchase_events: self.purchase_events.iter().map(|s| s.to_string()).collect(),
            session_events: self.session_events.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The preset called `name` (case-insensitive), or an error listing them.
pub fn preset(name: &str) -> Result<&'static Preset, String> {
    PRESETS.iter().find(|p| p.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
        let names: Vec<_> = PRESETS.iter().map(|p| p.name).collect();
        format!("there is no preset {name:?}: choose one of {}", names.join(", "))
    })
}

impl Mapping {
    /// A mapping with no field mapped, naive times read in the import's time zone.
    pub fn empty() -> Mapping {
        Mapping {
            preset: None,
            paths: vec![Vec::new(); Field::ALL.len()],
            naive_times: NaiveTimes::Local,
            purchase_events: Vec::new(),
            session_events: Vec::new(),
        }
    }

    /// The paths tried for `field`.
    pub fn paths(&self, field: Field) -> &[String] {
        &self.paths[field.index()]
    }

    /// Applies a mapping spec `user=COL,time=COL,event=COL,revenue=COL|COL2,…` on top of this
    /// mapping (fields it names are replaced; `event=` with nothing removes the event field,
    /// making every row a purchase).
    pub fn apply_spec(&mut self, spec: &str) -> Result<(), String> {
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((key, value)) = item.split_once('=') else {
                return Err(format!("the mapping's {item:?} is not FIELD=COLUMN (e.g. user=customer_id)"));
            };
            let key = key.trim();
            let field = Field::ALL.iter().find(|f| f.key().eq_ignore_ascii_case(key)).ok_or_else(|| {
                let keys: Vec<_> = Field::ALL.iter().map(|f| f.key()).collect();
                format!("the mapping names an unknown field {key:?}; the fields are {}", keys.join(", "))
            })?;
            self.paths[field.index()] =
                value.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
        }
        Ok(())
    }

    /// Checks that user and time are mapped.
    pub fn check(&self) -> Result<(), String> {
        for field in [Field::User, Field::Time] {
            if self.paths(field).is_empty() {
                return Err(format!(
                    "no column is mapped to {0}: add {0}=COLUMN to the mapping (or choose a preset)",
                    field.key()
                ));
            }
        }
        Ok(())
    }
}

/// The first preset whose user, time and event paths all resolve in a record (`has` tells
/// whether a path resolves); the generic preset without its event path when only user and
/// time resolve (a transaction log).
pub fn guess(has: &dyn Fn(&str) -> bool) -> Option<Mapping> {
    let resolves = |m: &Mapping, f: Field| m.paths(f).iter().any(|p| has(p));
    for preset in PRESETS {
        let m = preset.mapping();
        if [Field::User, Field::Time, Field::Event].iter().all(|f| resolves(&m, *f)) {
            return Some(m);
        }
    }
    let mut generic = PRESETS.last()?.mapping();
    if resolves(&generic, Field::User) && resolves(&generic, Field::Time) {
        generic.paths[Field::Event.index()].clear();
        return Some(generic);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_overrides_and_rejects_unknown_fields() {
        let mut m = preset("Mixpanel").expect("preset").mapping();
        m.apply_spec("revenue=properties.price|properties.value, event=").expect("spec");
        assert_eq!(m.paths(Field::Revenue), ["properties.price", "properties.value"]);
        assert!(m.paths(Field::Event).is_empty());
        let e = m.apply_spec("usr=id").expect_err("unknown");
        assert!(e.contains("unknown field \"usr\"") && e.contains("insert_id"), "{e}");
        assert!(m.apply_spec("user").expect_err("no =").contains("FIELD=COLUMN"));
        assert!(preset("heap").expect_err("no preset").contains("clevertap"));
    }

    #[test]
    fn guess_picks_the_vendor_then_a_transaction_log() {
        let cols = ["event_type", "event_time", "user_id", "revenue"];
        let m = guess(&|p| cols.contains(&p)).expect("amplitude");
        assert_eq!(m.preset, Some("amplitude"));
        let cols = ["customer_id", "date", "amount"];
        let m = guess(&|p| cols.contains(&p)).expect("generic");
        assert_eq!((m.preset, m.paths(Field::Event).len()), (Some("generic"), 0));
        assert!(guess(&|_| false).is_none());
    }
}
