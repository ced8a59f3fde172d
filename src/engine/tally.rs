//! Integer aggregates that users stream into. Money is counted in micro-units
//! (1e-6 of the currency) so that every sum is exact and order-independent:
//! merging per-thread tallies gives the same totals for any thread count.

/// Metrics counted per journey per calendar day (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Daily {
    Arrived,
    ActiveUsers,
    Sessions,
    CartsAbandoned,
    FullPricePurchases,
    DiscountedPurchases,
    Revenue,
    /// List value of the goods sold times (1 − margin): gross margin is revenue less this, so a discount
    /// deeper than the margin books a loss.
    CostOfGoods,
    DiscountCost,
    MessageCost,
    SentPush,
    SentInApp,
    SentEmail,
    SentSms,
    QuietHourDeliveries,
    DroppedByCaps,
    DroppedByQuietHours,
    Opens,
    Clicks,
    OptOutPush,
    OptOutInApp,
    OptOutEmail,
    OptOutSms,
    Uninstalls,
    /// Users who lapsed that day: dormant, they may come back.
    Lapsed,
    /// Dormant users who came back that day (by themselves or after a message).
    Returned,
    /// Users lost for good that day: churned or uninstalled (uninstalls are also counted on their own).
    Churned,
}

impl Daily {
    pub const COUNT: usize = Daily::Churned as usize + 1;

    pub fn sent(channel: usize) -> Daily {
        [Daily::SentPush, Daily::SentInApp, Daily::SentEmail, Daily::SentSms][channel]
    }

    pub fn opt_out(channel: usize) -> Daily {
        [Daily::OptOutPush, Daily::OptOutInApp, Daily::OptOutEmail, Daily::OptOutSms][channel]
    }
}

/// Metrics counted per journey per day of user age (days since arrival).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByAge {
    /// Users whose age day k lies wholly inside the horizon (counted once per user, see [`Tally::add_observed`]).
    Observed,
    /// Of those, users with at least one session on age day k.
    Active,
    /// Users alive at the start of age day k and observed through it (the Kaplan–Meier risk set).
    AtRisk,
    /// Of those, users who churned or uninstalled during age day k.
    Died,
}

impl ByAge {
    pub const COUNT: usize = ByAge::Died as usize + 1;
}

/// Per-user totals counted per journey (one count per user, not per event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerUser {
    Users,
    Converted,
    OptedOutAny,
    Uninstalled,
    Entered,
    HeldOut,
}

impl PerUser {
    pub const COUNT: usize = PerUser::HeldOut as usize + 1;
}

/// Counters of one node of one journey (for the canvas): arrivals, sends,
/// holds, responses, and moves along its outgoing edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeMetric {
    /// Arrivals at the node (a deferred message's retry is not a new arrival).
    Entered,
    Sent,
    DroppedByCaps,
    DroppedByQuietHours,
    Deferred,
    Opened,
    /// Arrivals followed by a purchase within the conversion window.
    Converted,
    /// Orders attributed to the node's message by the last open within the attribution window.
    Attributed,
    /// Opt-outs in response to a message from the node.
    OptedOut,
    /// Moves along the node's first reference (`next`, or a branch's `yes`).
    FirstEdge,
    /// Moves along a branch's `no`.
    SecondEdge,
}

impl NodeMetric {
    pub const COUNT: usize = NodeMetric::SecondEdge as usize + 1;
}

/// All counters of a run; `merge` is addition, so order never matters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    days: usize,
    node_offsets: Vec<usize>,
    daily: Vec<u64>,
    by_age: Vec<u64>,
    /// Per journey, users by their number of observed age days (0…days): `Observed` is its tail sum.
    observed_days: Vec<u64>,
    per_user: Vec<u64>,
    nodes: Vec<u64>,
}

impl Tally {
    /// `node_counts[j]` is the number of nodes of journey j.
    pub fn new(node_counts: &[usize], days: usize) -> Self {
        let journeys = node_counts.len();
        let mut node_offsets = Vec::with_capacity(journeys + 1);
        let mut total = 0;
        for &n in node_counts {
            node_offsets.push(total);
            total += n;
        }
        node_offsets.push(total);
        Tally {
            days,
            node_offsets,
            daily: vec![0; journeys * days * Daily::COUNT],
            by_age: vec![0; journeys * days * ByAge::COUNT],
            observed_days: vec![0; journeys * (days + 1)],
            per_user: vec![0; journeys * PerUser::COUNT],
            nodes: vec![0; total * NodeMetric::COUNT],
        }
    }

    pub fn days(&self) -> usize {
        self.days
    }

    /// Adds `amount` on calendar day `day`; events past the horizon are not counted.
    pub fn add(&mut self, journey: usize, day: usize, metric: Daily, amount: u64) {
        if day < self.days {
            self.daily[(journey * self.days + day) * Daily::COUNT + metric as usize] += amount;
        }
    }

    pub fn add_age(&mut self, journey: usize, age: usize, metric: ByAge) {
        if age < self.days {
            self.by_age[(journey * self.days + age) * ByAge::COUNT + metric as usize] += 1;
        }
    }

    /// Counts one user whose age days 0…`days` − 1 lie wholly inside the horizon: one write instead of
    /// one per day (it was 3 % of a run), read back as `by_age(…, ByAge::Observed)`.
    pub fn add_observed(&mut self, journey: usize, days: usize) {
        self.observed_days[journey * (self.days + 1) + days.min(self.days)] += 1;
    }

    pub fn add_user(&mut self, journey: usize, metric: PerUser) {
        self.per_user[journey * PerUser::COUNT + metric as usize] += 1;
    }

    pub fn add_node(&mut self, journey: usize, node: usize, metric: NodeMetric) {
        self.nodes[(self.node_offsets[journey] + node) * NodeMetric::COUNT + metric as usize] += 1;
    }

    pub fn daily(&self, journey: usize, day: usize, metric: Daily) -> u64 {
        self.daily[(journey * self.days + day) * Daily::COUNT + metric as usize]
    }

    pub fn by_age(&self, journey: usize, age: usize, metric: ByAge) -> u64 {
        if metric == ByAge::Observed {
            let counts = &self.observed_days[journey * (self.days + 1)..(journey + 1) * (self.days + 1)];
            return counts[age + 1..].iter().sum();
        }
        self.by_age[(journey * self.days + age) * ByAge::COUNT + metric as usize]
    }

    pub fn per_user(&self, journey: usize, metric: PerUser) -> u64 {
        self.per_user[journey * PerUser::COUNT + metric as usize]
    }

    pub fn node(&self, journey: usize, node: usize, metric: NodeMetric) -> u64 {
        self.nodes[(self.node_offsets[journey] + node) * NodeMetric::COUNT + metric as usize]
    }

    pub fn merge(mut self, other: Tally) -> Tally {
        for (a, b) in [
            (&mut self.daily, &other.daily),
            (&mut self.by_age, &other.by_age),
            (&mut self.observed_days, &other.observed_days),
            (&mut self.per_user, &other.per_user),
            (&mut self.nodes, &other.nodes),
        ] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self
    }
}

/// Money in micro-units, rounded to the nearest.
pub fn micros(amount: f64) -> u64 {
    (amount * 1e6).round().max(0.0) as u64
}
