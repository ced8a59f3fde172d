//! One vocabulary for every front end: each metric's id, name, one-line
//! definition, unit and direction (`METRICS`), and the statistical terms the
//! screens and reports use (`GLOSSARY`, in `glossary.rs`). The CLI's tables,
//! `compare`, `robust`, docs/results.md's metric table (checked by
//! tests/vocabulary.rs) and the app all read them from here, so one thing has
//! one name.
//!
//! "Retention" is activity: a session on age day N. "Survival" is not yet lost
//! for good (churned or uninstalled): a user who lapsed but may come back
//! still survives. They have distinct ids (`retention_*`, `survival_*`) and
//! names everywhere.

mod glossary;

pub use glossary::{GLOSSARY, Term, glossary_markdown, term};

/// Which way a metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Better {
    Higher,
    Lower,
}

impl Better {
    /// +1 when higher is better, −1 when lower is.
    pub fn sign(self) -> f64 {
        if self == Better::Higher { 1.0 } else { -1.0 }
    }

    /// "higher" or "lower".
    pub fn word(self) -> &'static str {
        if self == Better::Higher { "higher" } else { "lower" }
    }
}

/// What a metric's numbers are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// A fraction of users or purchases (shown as a percentage; differences in percentage points).
    Share,
    /// Money in the scenario's currency, per user.
    Money,
    /// A count per user, message or customer (messages, purchases).
    Count,
}

/// One metric: the same id in results JSON, CSVs and reports, and the same name and definition on every screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MetricDef {
    /// Stable id, e.g. `retention_d30` (a key of the results JSON's `summary` where the run reports it).
    pub id: &'static str,
    /// Its one name, e.g. "D30 retention", as a table row or a label starts it.
    pub name: &'static str,
    /// What it measures, in one line.
    pub definition: &'static str,
    pub unit: Unit,
    /// What a number is counted against: "users", "purchases", "per user", "messages per user"…
    pub per: &'static str,
    pub better: Better,
}

impl MetricDef {
    /// The unit as a reader sees it beside a number: "% of users", "USD per user", "messages per user".
    pub fn unit_text(&self, currency: &str) -> String {
        match self.unit {
            Unit::Share => format!("% of {}", self.per),
            Unit::Money => format!("{currency} {}", self.per),
            Unit::Count => self.per.to_owned(),
        }
    }

    /// A value as a table shows it, with its unit: "6.5%", "1.23 USD", "0.042 messages per user"; "—" for
    /// none (nothing observed).
    pub fn format(&self, value: Option<f64>, currency: &str) -> String {
        let Some(x) = value.filter(|x| x.is_finite()) else { return "—".to_owned() };
        // Small values keep two significant digits (a message cost of 0.0003, an opt-out rate of 0.04 %).
        let decimals = |x: f64, usual: usize| if x != 0.0 && x.abs() < 0.1 { usual + 2 } else { usual };
        match self.unit {
            Unit::Share => format!("{:.*}%", decimals(100.0 * x, 1), 100.0 * x),
            Unit::Money => format!("{:.*} {currency}", decimals(x, 2), x),
            Unit::Count => format!("{:.*}", decimals(x, 2), x),
        }
    }

    /// The name inside a sentence: "net margin per user", but "D30 retention" and "BG/NBD: …" keep their capitals.
    pub fn name_in_sentence(&self) -> String {
        lower_first(self.name)
    }
}

/// "Opt-out rate" → "opt-out rate"; a word that reads as an acronym ("D30", "BG/NBD", "sBG") keeps its case.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

/// "reminder" → "Reminder", for a name that starts a sentence.
pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

const fn metric(
    id: &'static str,
    name: &'static str,
    definition: &'static str,
    unit: Unit,
    per: &'static str,
    better: Better,
) -> MetricDef {
    MetricDef { id, name, definition, unit, per, better }
}

/// Every metric, in the order reports list them. Money is per user; shares are of all simulated users unless
/// the `per` says otherwise.
pub const METRICS: [MetricDef; 28] = {
    use Better::{Higher, Lower};
    use Unit::{Count, Money, Share};
    [
        metric(
            "retention_d1",
            "D1 retention",
            "Share of users active (at least one session) on day 1 after arrival, among users observed that long.",
            Share,
            "users",
            Higher,
        ),
        metric(
            "retention_d7",
            "D7 retention",
            "Share of users active (at least one session) on day 7 after arrival, among users observed that long.",
            Share,
            "users",
            Higher,
        ),
        metric(
            "retention_d30",
            "D30 retention",
            "Share of users active (at least one session) on day 30 after arrival, among users observed that long.",
            Share,
            "users",
            Higher,
        ),
        metric(
            "retention_d90",
            "D90 retention",
            "Share of users active (at least one session) on day 90 after arrival, among users observed that long.",
            Share,
            "users",
            Higher,
        ),
        metric(
            "retention_horizon",
            "Retention on the last day",
            "Share of users active (at least one session) on the last age day the horizon fully observes.",
            Share,
            "users",
            Higher,
        ),
        metric(
            "survival_d1",
            "D1 survival",
            "Share of users not yet lost for good (churned or uninstalled) at the end of day 1 after arrival (Kaplan–Meier); a lapsed user who may come back still survives.",
            Share,
            "users",
            Higher,
        ),
        metric(
            "survival_d7",
            "D7 survival",
            "Share of users not yet lost for good (churned or uninstalled) at the end of day 7 after arrival (Kaplan–Meier).",
            Share,
            "users",
            Higher,
        ),
        metric(
            "survival_d30",
            "D30 survival",
            "Share of users not yet lost for good (churned or uninstalled) at the end of day 30 after arrival (Kaplan–Meier).",
            Share,
            "users",
            Higher,
        ),
        metric(
            "survival_d90",
            "D90 survival",
            "Share of users not yet lost for good (churned or uninstalled) at the end of day 90 after arrival (Kaplan–Meier).",
            Share,
            "users",
            Higher,
        ),
        metric(
            "survival_horizon",
            "Survival on the last day",
            "Share of users not yet lost for good at the end of the last age day the horizon fully observes (Kaplan–Meier).",
            Share,
            "users",
            Higher,
        ),
        metric(
            "survival_12m",
            "12-month survival, projected",
            "Share of users not yet lost for good 12 months after arrival: simulated when the run is that long, otherwise projected by an sBG or BdW fitted to the run.",
            Share,
            "users",
            Higher,
        ),
        metric("conversion", "Conversion", "Share of users with at least one purchase.", Share, "users", Higher),
        metric(
            "purchases_per_user",
            "Purchases per user",
            "Purchases divided by users.",
            Count,
            "purchases per user",
            Higher,
        ),
        metric(
            "full_price_share",
            "Full-price share",
            "Purchases at full price divided by all purchases.",
            Share,
            "purchases",
            Higher,
        ),
        metric("revenue_per_user", "Revenue per user", "Money paid divided by users.", Money, "per user", Higher),
        metric(
            "gross_margin_per_user",
            "Gross margin per user",
            "Price paid less the cost of the goods sold, divided by users; a discount deeper than the margin is a loss.",
            Money,
            "per user",
            Higher,
        ),
        metric(
            "discount_cost_per_user",
            "Discount cost per user",
            "List price less price paid, summed over purchases, divided by users.",
            Money,
            "per user",
            Lower,
        ),
        metric(
            "message_cost_per_user",
            "Message cost per user",
            "What the messages cost to send, divided by users.",
            Money,
            "per user",
            Lower,
        ),
        metric(
            "net_margin_per_user",
            "Net margin per user",
            "Gross margin less message cost, divided by users: what a design earns per user.",
            Money,
            "per user",
            Higher,
        ),
        metric(
            "messages_per_user",
            "Messages per user",
            "Messages delivered on all channels divided by users.",
            Count,
            "messages per user",
            Lower,
        ),
        metric(
            "opens_per_message",
            "Opens per message",
            "Messages opened divided by messages delivered.",
            Count,
            "opens per message",
            Higher,
        ),
        metric(
            "clicks_per_message",
            "Clicks per message",
            "Messages clicked divided by messages delivered.",
            Count,
            "clicks per message",
            Higher,
        ),
        metric(
            "quiet_hour_deliveries_per_user",
            "Quiet-hour deliveries per user",
            "Messages delivered inside quiet hours (the journey's, or 21:00–08:00 local) divided by users.",
            Count,
            "messages per user",
            Lower,
        ),
        metric(
            "opt_out_rate",
            "Opt-out rate",
            "Share of users who opted out of at least one channel.",
            Share,
            "users",
            Lower,
        ),
        metric("uninstall_rate", "Uninstall rate", "Share of users who uninstalled the app.", Share, "users", Lower),
        metric(
            "churn_rate",
            "Churn rate",
            "Share of users lost for good (churned or uninstalled) within the horizon.",
            Share,
            "users",
            Lower,
        ),
        metric(
            "bgnbd_expected_purchases",
            "BG/NBD expected purchases",
            "Purchases the BG/NBD expects per customer in the next 12 months, from each customer's purchase history.",
            Count,
            "purchases per customer",
            Higher,
        ),
        metric(
            "bgnbd_p_alive",
            "BG/NBD P(alive)",
            "Mean probability, under the BG/NBD, that a customer is still alive (may still buy).",
            Share,
            "customers",
            Higher,
        ),
    ]
};

/// The metrics a single run's table shows (the CLI's `run` table, the app's Results headline), in order.
pub const RUN_HEADLINE: [&str; 15] = [
    "retention_d1",
    "retention_d7",
    "retention_d30",
    "survival_horizon",
    "conversion",
    "purchases_per_user",
    "full_price_share",
    "revenue_per_user",
    "discount_cost_per_user",
    "message_cost_per_user",
    "net_margin_per_user",
    "messages_per_user",
    "opt_out_rate",
    "uninstall_rate",
    "churn_rate",
];

/// The metric with this id.
pub fn metric_def(id: &str) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.id == id)
}

/// The metric with this id, for ids the core itself names (a missing one is a programming error caught by tests).
pub(crate) fn known(id: &str) -> &'static MetricDef {
    metric_def(id).unwrap_or_else(|| unreachable!("metric {id} is not in vocabulary::METRICS"))
}

/// docs/results.md's metric table: id, name, definition, unit and which way is better.
pub fn metrics_markdown_table() -> String {
    let mut out = String::from("| id | name | definition | unit | better |\n|---|---|---|---|---|\n");
    for m in &METRICS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            m.id,
            m.name,
            m.definition,
            m.unit_text("currency"),
            m.better.word()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_experiments_guardrails_are_vocabulary_metrics_of_share_units() {
        use crate::scenario::Guardrail;
        for g in [Guardrail::OptOut, Guardrail::Uninstall] {
            let def = metric_def(g.metric_id()).unwrap_or_else(|| panic!("{g:?}"));
            assert!(matches!(def.unit, Unit::Share), "{def:?}");
        }
    }

    #[test]
    fn ids_and_names_are_unique_and_retention_is_not_survival() {
        for (i, a) in METRICS.iter().enumerate() {
            for b in &METRICS[i + 1..] {
                assert!(a.id != b.id && a.name != b.name, "{a:?} and {b:?}");
            }
            if a.id.starts_with("retention_") {
                assert!(a.name.contains("etention") && a.definition.contains("active"), "{a:?}");
            }
            if a.id.starts_with("survival_") {
                assert!(a.name.contains("urvival") && a.definition.contains("not yet lost"), "{a:?}");
            }
            assert!(a.definition.ends_with('.') && !a.definition.contains('\n'), "one line: {a:?}");
        }
    }

    #[test]
    fn the_run_headline_names_known_metrics() {
        for id in RUN_HEADLINE {
            assert!(metric_def(id).is_some(), "{id} is not in METRICS");
        }
    }

    #[test]
    fn names_inside_sentences_keep_acronyms() {
        assert_eq!(known("net_margin_per_user").name_in_sentence(), "net margin per user");
        assert_eq!(known("retention_d30").name_in_sentence(), "D30 retention");
        assert_eq!(known("bgnbd_p_alive").name_in_sentence(), "BG/NBD P(alive)");
        assert_eq!(lower_first("sBG"), "sBG");
        assert_eq!(upper_first("reminder"), "Reminder");
        assert_eq!(known("net_margin_per_user").unit_text("EUR"), "EUR per user");
        assert_eq!(known("opt_out_rate").unit_text("EUR"), "% of users");
        assert_eq!(known("retention_d30").format(Some(0.0651), "USD"), "6.5%");
        assert_eq!(known("opt_out_rate").format(Some(0.0004), "USD"), "0.040%");
        assert_eq!(known("net_margin_per_user").format(Some(12.345), "EUR"), "12.35 EUR");
        assert_eq!(known("message_cost_per_user").format(Some(0.0012), "EUR"), "0.0012 EUR");
        assert_eq!(known("messages_per_user").format(Some(3.0), "EUR"), "3.00");
        assert_eq!(known("full_price_share").format(None, "EUR"), "—");
    }
}
