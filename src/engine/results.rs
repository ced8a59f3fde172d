//! Run results: per journey, daily series, retention by user age, per-channel
//! and per-node counts, and a summary. Serialised as the stable JSON schema
//! `journeylab.run/1` documented in docs/results.md.

use serde::{Deserialize, Serialize};

use super::tally::{ByAge, Daily, NodeMetric, PerUser, Tally};
use crate::scenario::{Channel, Node, NodeKind, Scenario};

pub const SCHEMA: &str = "journeylab.run/1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResults {
    /// Read back as this build's schema: the history checks the stored name before parsing.
    #[serde(skip_deserializing, default = "schema")]
    pub schema: &'static str,
    pub scenario: String,
    pub seed: u64,
    pub users: u32,
    pub days: u32,
    /// The currency of every amount of money (the scenario's `[economics] currency`); runs stored before it
    /// existed read as USD, the default.
    #[serde(default = "default_currency")]
    pub currency: String,
    pub journeys: Vec<JourneyResults>,
}

fn default_currency() -> String {
    crate::scenario::Currency::DEFAULT.as_str().to_owned()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JourneyResults {
    pub name: String,
    pub summary: Summary,
    pub channels: Vec<ChannelSummary>,
    pub series: Series,
    pub retention: RetentionCurves,
    pub nodes: Vec<NodeFlow>,
}

/// Headline numbers; rates are shares of all simulated users unless named otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub users: u64,
    /// Users who entered the journey at least once.
    pub entered: u64,
    pub held_out: u64,
    /// Share of users active on age day 1, 7, 30 and the last observable day (null if not observed).
    pub retention_d1: Option<f64>,
    pub retention_d7: Option<f64>,
    pub retention_d30: Option<f64>,
    pub retention_horizon: Option<f64>,
    /// Kaplan–Meier share still alive (not churned, not uninstalled) at the end of age day 1, 7, 30, horizon.
    pub survival_d1: Option<f64>,
    pub survival_d7: Option<f64>,
    pub survival_d30: Option<f64>,
    pub survival_horizon: Option<f64>,
    /// Share of users with at least one purchase.
    pub conversion: f64,
    pub purchases_per_user: f64,
    /// Share of purchases paid at full price.
    pub full_price_share: Option<f64>,
    pub revenue_per_user: f64,
    pub gross_margin_per_user: f64,
    pub discount_cost_per_user: f64,
    pub message_cost_per_user: f64,
    /// Gross margin less message cost.
    pub net_margin_per_user: f64,
    pub messages_per_user: f64,
    /// Opens per message delivered (0 when nothing was sent).
    pub opens_per_message: f64,
    pub clicks_per_message: f64,
    /// Messages delivered in quiet hours (the journey's, or 21:00–08:00 local if it sets none), per user.
    pub quiet_hour_deliveries_per_user: f64,
    pub opt_out_rate: f64,
    pub uninstall_rate: f64,
    pub churn_rate: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelSummary {
    pub channel: Channel,
    pub sent: u64,
    pub opt_outs: u64,
    pub cost: f64,
}

/// Daily series by calendar day (UTC), each as long as the horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub arrived: Vec<u64>,
    /// Users arrived and not lost by the end of the day.
    pub alive: Vec<u64>,
    pub active_users: Vec<u64>,
    pub sessions: Vec<u64>,
    pub carts_abandoned: Vec<u64>,
    pub conversions: Vec<u64>,
    pub full_price_purchases: Vec<u64>,
    pub discounted_purchases: Vec<u64>,
    pub revenue: Vec<f64>,
    /// Revenue less the cost of the goods sold (list value × (1 − margin)): negative on a day when
    /// discounts deeper than the margin sell at a loss.
    pub gross_margin: Vec<f64>,
    pub discount_cost: Vec<f64>,
    pub message_cost: Vec<f64>,
    pub sent_push: Vec<u64>,
    pub sent_in_app: Vec<u64>,
    pub sent_email: Vec<u64>,
    pub sent_sms: Vec<u64>,
    pub quiet_hour_deliveries: Vec<u64>,
    pub dropped_by_caps: Vec<u64>,
    pub dropped_by_quiet_hours: Vec<u64>,
    pub opens: Vec<u64>,
    pub clicks: Vec<u64>,
    pub opt_outs_push: Vec<u64>,
    pub opt_outs_in_app: Vec<u64>,
    pub opt_outs_email: Vec<u64>,
    pub opt_outs_sms: Vec<u64>,
    pub uninstalls: Vec<u64>,
    pub churned: Vec<u64>,
    /// Users who lapsed (dormant; they may come back) that day, and dormant users who came back.
    pub lapsed: Vec<u64>,
    pub returned: Vec<u64>,
}

/// Curves by age day k (days since each user's arrival), with staggered arrivals censored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetentionCurves {
    /// Users observed through age day k.
    pub observed: Vec<u64>,
    /// Share of observed users active on age day k (classic D-k retention).
    pub active: Vec<Option<f64>>,
    /// Kaplan–Meier survival S(k) = Π_{j ≤ k} (1 − d_j / n_j): never rises.
    pub retained: Vec<f64>,
    /// n_k: users alive at the start of age day k and observed through it (the risk set).
    pub at_risk: Vec<u64>,
    /// d_k: of those, users lost (churned or uninstalled) during age day k.
    pub lost: Vec<u64>,
}

/// Flow through one node of a journey (for the canvas). Fields added after
/// the first release default to 0 so that older stored runs still read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeFlow {
    pub node: String,
    pub entered: u64,
    pub sent: u64,
    pub opened: u64,
    pub dropped_by_caps: u64,
    pub dropped_by_quiet_hours: u64,
    pub deferred: u64,
    /// Arrivals followed by a purchase within 72 h (once per arrival).
    #[serde(default)]
    pub converted: u64,
    /// Orders attributed to this node's message, as email platforms count them: placed
    /// within 5 days (120 h) of opening it, each open crediting at most one order, and
    /// only the user's latest opened message credited (Klaviyo's default last-touch
    /// attribution). Divided by `sent`, Klaviyo's "placed-order rate".
    #[serde(default)]
    pub attributed: u64,
    /// Opt-outs in response to this node's messages.
    #[serde(default)]
    pub opted_out: u64,
    /// Moves along each outgoing reference, in file order (`next`, or `yes` then `no`).
    #[serde(default)]
    pub edges: Vec<EdgeFlow>,
}

/// Users who moved along one edge of the journey graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeFlow {
    /// `next`, `yes` or `no`.
    pub slot: String,
    /// The id of the node it leads to.
    pub to: String,
    pub moved: u64,
}

fn schema() -> &'static str {
    SCHEMA
}

fn money(micros: u64) -> f64 {
    micros as f64 / 1e6
}

impl RunResults {
    pub(super) fn from_tally(scenario: &Scenario, tally: &Tally) -> Self {
        let journeys = scenario
            .journeys
            .iter()
            .enumerate()
            .map(|(j, journey)| {
                let series = Series::from_tally(tally, j);
                let retention = RetentionCurves::from_tally(tally, j);
                let channels = Channel::ALL
                    .iter()
                    .map(|&c| {
                        let sent = (0..tally.days()).map(|d| tally.daily(j, d, Daily::sent(c.index()))).sum();
                        ChannelSummary {
                            channel: c,
                            sent,
                            opt_outs: (0..tally.days()).map(|d| tally.daily(j, d, Daily::opt_out(c.index()))).sum(),
                            cost: sent as f64 * scenario.economics.message_cost[c.index()],
                        }
                    })
                    .collect();
                let nodes = journey
                    .nodes()
                    .iter()
                    .enumerate()
                    .map(|(n, node)| NodeFlow {
                        edges: edge_flows(tally, j, n, journey.nodes()),
                        converted: tally.node(j, n, NodeMetric::Converted),
                        attributed: tally.node(j, n, NodeMetric::Attributed),
                        opted_out: tally.node(j, n, NodeMetric::OptedOut),
                        node: node.name.clone(),
                        entered: tally.node(j, n, NodeMetric::Entered),
                        sent: tally.node(j, n, NodeMetric::Sent),
                        opened: tally.node(j, n, NodeMetric::Opened),
                        dropped_by_caps: tally.node(j, n, NodeMetric::DroppedByCaps),
                        dropped_by_quiet_hours: tally.node(j, n, NodeMetric::DroppedByQuietHours),
                        deferred: tally.node(j, n, NodeMetric::Deferred),
                    })
                    .collect();
                JourneyResults {
                    name: journey.name.clone(),
                    summary: Summary::new(tally, j, &retention),
                    channels,
                    series,
                    retention,
                    nodes,
                }
            })
            .collect();
        RunResults {
            schema: SCHEMA,
            scenario: scenario.simulation.name.clone(),
            seed: scenario.simulation.seed,
            users: scenario.simulation.users,
            days: scenario.simulation.horizon_days,
            currency: scenario.economics.currency.as_str().to_owned(),
            journeys,
        }
    }
}

fn edge_flows(tally: &Tally, j: usize, n: usize, nodes: &[Node]) -> Vec<EdgeFlow> {
    let edge = |slot: &str, to: usize, metric| EdgeFlow {
        slot: slot.to_owned(),
        to: nodes[to].name.clone(),
        moved: tally.node(j, n, metric),
    };
    match nodes[n].kind {
        NodeKind::Trigger { next, .. } | NodeKind::Wait { next, .. } | NodeKind::Message { next, .. } => {
            vec![edge("next", next, NodeMetric::FirstEdge)]
        }
        NodeKind::Branch { yes, no, .. } => {
            vec![edge("yes", yes, NodeMetric::FirstEdge), edge("no", no, NodeMetric::SecondEdge)]
        }
        NodeKind::Exit { .. } => Vec::new(),
    }
}

impl Series {
    fn from_tally(tally: &Tally, j: usize) -> Self {
        let count = |m: Daily| (0..tally.days()).map(|d| tally.daily(j, d, m)).collect::<Vec<u64>>();
        let cash = |m: Daily| (0..tally.days()).map(|d| money(tally.daily(j, d, m))).collect::<Vec<f64>>();
        let arrived = count(Daily::Arrived);
        let churned = count(Daily::Churned);
        let alive = arrived
            .iter()
            .zip(&churned)
            .scan(0u64, |alive, (a, c)| {
                *alive = *alive + a - c;
                Some(*alive)
            })
            .collect();
        let full = count(Daily::FullPricePurchases);
        let discounted = count(Daily::DiscountedPurchases);
        Series {
            conversions: full.iter().zip(&discounted).map(|(a, b)| a + b).collect(),
            arrived,
            alive,
            active_users: count(Daily::ActiveUsers),
            sessions: count(Daily::Sessions),
            carts_abandoned: count(Daily::CartsAbandoned),
            full_price_purchases: full,
            discounted_purchases: discounted,
            revenue: cash(Daily::Revenue),
            gross_margin: cash(Daily::Revenue).iter().zip(cash(Daily::CostOfGoods)).map(|(r, c)| r - c).collect(),
            discount_cost: cash(Daily::DiscountCost),
            message_cost: cash(Daily::MessageCost),
            sent_push: count(Daily::SentPush),
            sent_in_app: count(Daily::SentInApp),
            sent_email: count(Daily::SentEmail),
            sent_sms: count(Daily::SentSms),
            quiet_hour_deliveries: count(Daily::QuietHourDeliveries),
            dropped_by_caps: count(Daily::DroppedByCaps),
            dropped_by_quiet_hours: count(Daily::DroppedByQuietHours),
            opens: count(Daily::Opens),
            clicks: count(Daily::Clicks),
            opt_outs_push: count(Daily::OptOutPush),
            opt_outs_in_app: count(Daily::OptOutInApp),
            opt_outs_email: count(Daily::OptOutEmail),
            opt_outs_sms: count(Daily::OptOutSms),
            uninstalls: count(Daily::Uninstalls),
            churned,
            lapsed: count(Daily::Lapsed),
            returned: count(Daily::Returned),
        }
    }
}

impl RetentionCurves {
    fn from_tally(tally: &Tally, j: usize) -> Self {
        let days = tally.days();
        let observed: Vec<u64> = (0..days).map(|k| tally.by_age(j, k, ByAge::Observed)).collect();
        let active = (0..days)
            .map(|k| (observed[k] > 0).then(|| tally.by_age(j, k, ByAge::Active) as f64 / observed[k] as f64))
            .collect();
        let at_risk: Vec<u64> = (0..days).map(|k| tally.by_age(j, k, ByAge::AtRisk)).collect();
        let lost: Vec<u64> = (0..days).map(|k| tally.by_age(j, k, ByAge::Died)).collect();
        let retained = at_risk
            .iter()
            .zip(&lost)
            .scan(1.0, |s: &mut f64, (&n, &d)| {
                if n > 0 {
                    *s *= 1.0 - d as f64 / n as f64;
                }
                Some(*s)
            })
            .collect();
        RetentionCurves { observed, active, retained, at_risk, lost }
    }
}

impl Summary {
    fn new(tally: &Tally, j: usize, retention: &RetentionCurves) -> Self {
        let users = tally.per_user(j, PerUser::Users);
        let n = users.max(1) as f64;
        let total = |m: Daily| (0..tally.days()).map(|d| tally.daily(j, d, m)).sum::<u64>();
        let per_user = |m: Daily| money(total(m)) / n;
        let last_observed = retention.observed.iter().rposition(|&o| o > 0);
        let at = |k: usize| retention.active.get(k).copied().flatten();
        let survival =
            |k: usize| (k < retention.observed.len() && retention.observed[k] > 0).then(|| retention.retained[k]);
        let full = total(Daily::FullPricePurchases);
        let purchases = full + total(Daily::DiscountedPurchases);
        let sent: u64 = (0..4).map(|c| total(Daily::sent(c))).sum();
        let gross = per_user(Daily::Revenue) - per_user(Daily::CostOfGoods);
        let messages = per_user(Daily::MessageCost);
        Summary {
            users,
            entered: tally.per_user(j, PerUser::Entered),
            held_out: tally.per_user(j, PerUser::HeldOut),
            retention_d1: at(1),
            retention_d7: at(7),
            retention_d30: at(30),
            retention_horizon: last_observed.and_then(at),
            survival_d1: survival(1),
            survival_d7: survival(7),
            survival_d30: survival(30),
            survival_horizon: last_observed.and_then(survival),
            conversion: tally.per_user(j, PerUser::Converted) as f64 / n,
            purchases_per_user: purchases as f64 / n,
            full_price_share: (purchases > 0).then(|| full as f64 / purchases as f64),
            revenue_per_user: per_user(Daily::Revenue),
            gross_margin_per_user: gross,
            discount_cost_per_user: per_user(Daily::DiscountCost),
            message_cost_per_user: messages,
            net_margin_per_user: gross - messages,
            messages_per_user: sent as f64 / n,
            opens_per_message: total(Daily::Opens) as f64 / sent.max(1) as f64,
            clicks_per_message: total(Daily::Clicks) as f64 / sent.max(1) as f64,
            quiet_hour_deliveries_per_user: total(Daily::QuietHourDeliveries) as f64 / n,
            opt_out_rate: tally.per_user(j, PerUser::OptedOutAny) as f64 / n,
            uninstall_rate: tally.per_user(j, PerUser::Uninstalled) as f64 / n,
            churn_rate: total(Daily::Churned) as f64 / n,
        }
    }
}
