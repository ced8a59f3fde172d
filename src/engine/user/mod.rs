//! One user under one journey design, from arrival to the horizon, event by
//! event at hour resolution. Organic behaviour draws from the user's
//! behaviour stream of each age day, message responses from the response
//! stream, tracking noise from the tracking stream: a journey that sends one
//! more message shifts no organic draw (common random numbers).

mod journey;
mod messages;

use messages::{PendingClick, PendingInApp};
use rand::Rng as _;

use super::RunContext;
use super::tally::{ByAge, Daily, NodeMetric, PerUser, Tally, micros};
use crate::behavior::{self, Model};
use crate::journey::{cap_allows_at, hours_until, in_quiet_hours};
use crate::population::User;
use crate::rng::{Purpose, Rng, UserStreams, stream};
use crate::scenario::{Channel, Clock, Condition, Content, Delivery, Hold, NodeId, NodeKind, Score, Trigger, Wait};

/// A behaviour event as the journey platform sees it (after tracking noise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tracked {
    Signup,
    Session,
    CartAbandoned,
    Purchase,
}

/// What an experiment measures of one user under one arm, over a window of
/// `window_days` after enrolment (the user's first entry into the journey).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Hour of enrolment; None if the user never entered the journey.
    pub enrolled_at: Option<u32>,
    /// A purchase within the window.
    pub converted: bool,
    /// Active on day `window_days` after enrolment (D-N retention).
    pub retained: bool,
    /// Money paid within the window, in micro-units.
    pub revenue: u64,
    /// Gross margin less message cost within the window, in micro-units.
    pub margin: i64,
    pub opted_out: bool,
    pub uninstalled: bool,
}

/// A user's purchases as a customer-base model sees them: the first and last purchase and the count
/// before `end` (the end of the calibration period), and the count from `end` on (the holdout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PurchaseHistory {
    pub end: u32,
    pub first: Option<u32>,
    pub last: Option<u32>,
    pub count: u32,
    pub later: u32,
}

impl PurchaseHistory {
    pub fn until(end: u32) -> Self {
        PurchaseHistory { end, first: None, last: None, count: 0, later: 0 }
    }

    fn record(&mut self, t: u32) {
        if t >= self.end {
            self.later += 1;
        } else {
            self.first.get_or_insert(t);
            self.last = Some(t);
            self.count += 1;
        }
    }
}

/// What a caller measures of one user: an experiment's outcome window, and the purchase history.
#[derive(Clone, Copy, Debug)]
pub struct Probe {
    pub window_days: u32,
    pub outcome: Outcome,
    pub history: PurchaseHistory,
}

impl Probe {
    /// A probe for an experiment's outcome window (no calibration split).
    pub fn window(window_days: u32) -> Self {
        Probe { window_days, outcome: Outcome::default(), history: PurchaseHistory::until(u32::MAX) }
    }
}

impl Probe {
    /// Whether hour `t` lies in the outcome window [enrolment, enrolment + window).
    fn in_window(&self, t: u32) -> bool {
        self.outcome.enrolled_at.is_some_and(|e| t >= e && t < e + 24 * self.window_days)
    }

    /// Whether hour `t` lies on the retention day [enrolment + 24N, enrolment + 24(N + 1)).
    fn on_retention_day(&self, t: u32) -> bool {
        self.outcome.enrolled_at.is_some_and(|e| {
            let start = e + 24 * self.window_days;
            t >= start && t < start + 24
        })
    }
}

/// Buffers reused from user to user on one thread: no allocation per user.
#[derive(Default)]
pub(crate) struct Scratch {
    sessions: Vec<u32>,
    pending: Vec<(u32, Tracked)>,
    sends: [Vec<u32>; 4],
    tracked_by_day: Vec<u16>,
    /// Per node of the journey: the hour of the latest arrival not yet credited with a conversion.
    arrived_at: Vec<Option<u32>>,
    /// Whether to record `latents` (the scores' pilot).
    record_latents: bool,
    /// Per age day: the user's log-latents at the start of the day if alive (see `Sim::log_latents`).
    latents: Vec<Option<[f64; 3]>>,
    /// Whether to record `record` (the calibration's simulated customer histories).
    record_days: bool,
    /// The last user's active days and purchases (hour, amount paid), when recorded.
    record: DaysRecord,
}

/// One user's active days and purchases, as a customer-base summary reads them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DaysRecord {
    /// Calendar days (since the simulation start) with a session, in order.
    pub active_days: Vec<u32>,
    /// Each purchase: the hour (since the simulation start) and the amount paid.
    pub purchases: Vec<(u32, f64)>,
}

impl Scratch {
    /// Buffers that also record each user's log-latents by age day.
    pub(crate) fn recording_latents() -> Self {
        Scratch { record_latents: true, ..Scratch::default() }
    }

    /// The last user's log-latents by age day (None: not alive that day, or not recorded).
    pub(crate) fn latents(&self) -> &[Option<[f64; 3]>] {
        &self.latents
    }

    /// Buffers that also record each user's active days and purchases.
    pub(crate) fn recording_days() -> Self {
        Scratch { record_days: true, ..Scratch::default() }
    }

    /// The last user's active days and purchases (empty unless recorded).
    pub(crate) fn take_record(&mut self) -> DaysRecord {
        std::mem::take(&mut self.record)
    }
}

/// A purchase within this many hours of a user's arrival at a node counts as
/// the node's conversion (once per arrival): the canvas's attribution window.
pub(crate) const CONVERSION_WINDOW_HOURS: u32 = 72;

/// An order placed within this many hours of opening a message is attributed to it
/// (Klaviyo's default lookback for email opens and clicks: 5 days).
const ATTRIBUTION_WINDOW_HOURS: u32 = 120;

/// How the user reaches `Sim::node` when the journey next runs.
#[derive(Clone, Copy)]
enum Arrival {
    /// Through the trigger.
    Entry,
    /// Along an outgoing edge of another node, counted on arrival.
    Along(NodeId, NodeMetric),
    /// Already there: a deferred message tried again.
    Again,
}

/// What a clicked message brings to the session it starts.
#[derive(Clone, Copy, Default)]
struct SessionContext {
    cart_multiplier: f64,
    resume_cart: bool,
}

const ORGANIC: SessionContext = SessionContext { cart_multiplier: 1.0, resume_cart: false };

/// Relevance of a message the user's own behaviour triggered: the unit the scheduled sends' relevance is set against.
const RELEVANCE_TRIGGERED: f64 = 1.0;

struct Sim<'a> {
    ctx: &'a RunContext<'a>,
    user: &'a User,
    index: u64,
    journey: usize,
    tally: &'a mut Tally,
    scratch: &'a mut Scratch,
    probe: Option<&'a mut Probe>,
    /// The user's random streams (`rng::stream` with the user's part of the hash done once).
    streams: UserStreams,
    /// The journey's entry trigger.
    trigger: Trigger,
    /// μ₀ · e^max(κ, 0): with (1 + A), a ceiling on the churn hazard while E is in [0, 1] (see `churns`).
    hazard_ceiling: f64,
    /// A dormant user's daily chance to forget the app for good, 1 − e^(−μ₀), once first needed.
    dormant_exit: Option<f64>,
    alive: bool,
    /// Lapsed: alive but no organic sessions until they come back.
    dormant: bool,
    engagement: f64,
    adopted: bool,
    annoyance: f64,
    reference: f64,
    deal: f64,
    expectation: f64,
    fatigue: [f64; 4],
    /// Recent messages of each content kind (decaying like fatigue, with the novelty half-life).
    recent: [f64; 4],
    reachable: [bool; 4],
    cart_until: Option<u32>,
    offer: Option<(f64, u32)>,
    in_app: Option<PendingInApp>,
    clicked_email: Option<PendingClick>,
    last_tracked_session: Option<u32>,
    inactivity_fired: bool,
    opened_last: bool,
    /// The node and hour of the latest message opened, until an order is attributed to it.
    last_open: Option<(NodeId, u32)>,
    purchases: u32,
    opted_out: bool,
    uninstalled: bool,
    last_active_day: Option<usize>,
    active_today: bool,
    // Journey position: the node to run at `wake`.
    node: Option<NodeId>,
    arrival: Arrival,
    wake: u32,
    waiting_for_session: bool,
    relevance: f64,
    entered: bool,
    held_out: bool,
    next_schedule: Option<u32>,
}

/// Simulates `user` under journey `journey` and streams its outcome into `tally`.
pub fn simulate(
    ctx: &RunContext<'_>,
    user: &User,
    index: u64,
    journey: usize,
    tally: &mut Tally,
    scratch: &mut Scratch,
    probe: Option<&mut Probe>,
) {
    let policies = &ctx.scenario.journeys[journey].policies;
    let streams = UserStreams::new(ctx.seed, ctx.replicate, index);
    let held_out = policies.holdout > 0.0
        && streams.stream(Purpose::Assignment, journey as u64).random::<f64>() < policies.holdout;
    scratch.pending.clear();
    scratch.sends.iter_mut().for_each(Vec::clear);
    scratch.tracked_by_day.clear();
    scratch.tracked_by_day.resize(ctx.horizon_days as usize, 0);
    scratch.arrived_at.clear();
    scratch.arrived_at.resize(ctx.scenario.journeys[journey].nodes().len(), None);
    scratch.latents.clear();
    scratch.record.active_days.clear();
    scratch.record.purchases.clear();
    if scratch.record_latents {
        scratch.latents.resize(ctx.horizon_days as usize, None);
    }
    let mut sim = Sim {
        ctx,
        user,
        index,
        journey,
        tally,
        scratch,
        probe,
        streams,
        trigger: ctx.scenario.journeys[journey].trigger(),
        hazard_ceiling: user.churn_hazard * ctx.max_engagement_hazard_factor,
        dormant_exit: None,
        alive: true,
        dormant: false,
        engagement: user.engagement,
        adopted: user.adopted,
        annoyance: 0.0,
        reference: 1.0,
        deal: user.deal_proneness,
        expectation: 0.0,
        fatigue: [0.0; 4],
        recent: [0.0; 4],
        reachable: user.reachable,
        cart_until: None,
        offer: None,
        in_app: None,
        clicked_email: None,
        last_tracked_session: None,
        inactivity_fired: false,
        opened_last: false,
        last_open: None,
        purchases: 0,
        opted_out: false,
        uninstalled: false,
        last_active_day: None,
        active_today: false,
        node: None,
        arrival: Arrival::Entry,
        wake: 0,
        waiting_for_session: false,
        relevance: RELEVANCE_TRIGGERED,
        entered: false,
        held_out,
        next_schedule: None,
    };
    sim.run();
}

impl Sim<'_> {
    fn model(&self) -> &Model {
        &self.ctx.scenario.model
    }

    fn trigger(&self) -> Trigger {
        self.trigger
    }

    fn run(&mut self) {
        let horizon = self.ctx.horizon_days * 24;
        let arrival = self.user.arrival_hour;
        self.tally.add(self.journey, day(arrival), Daily::Arrived, 1);
        self.next_schedule = self.schedule_after(arrival);
        let mut age = 0u32;
        loop {
            let start = arrival + 24 * age;
            if start >= horizon {
                break;
            }
            let end = (start + 24).min(horizon);
            let observed = start + 24 <= horizon;
            let alive_at_start = self.alive;
            if observed && alive_at_start {
                self.tally.add_age(self.journey, age as usize, ByAge::AtRisk);
            }
            self.active_today = false;
            self.age_day(age, start, end);
            if observed {
                if self.active_today {
                    self.tally.add_age(self.journey, age as usize, ByAge::Active);
                }
                if alive_at_start && !self.alive {
                    self.tally.add_age(self.journey, age as usize, ByAge::Died);
                }
            }
            if self.nothing_left_to_happen() {
                break;
            }
            age += 1;
        }
        self.finish();
    }

    /// A dead user with no journey business left can skip the rest of the horizon.
    fn nothing_left_to_happen(&self) -> bool {
        !self.alive
            && self.node.is_none()
            && self.scratch.pending.is_empty()
            && match self.trigger() {
                Trigger::Schedule { .. } => self.held_out || (self.entered && !self.reentry()),
                Trigger::Inactive { .. } => {
                    self.held_out || self.last_tracked_session.is_none() || (self.entered && !self.reentry())
                }
                _ => true,
            }
    }

    fn reentry(&self) -> bool {
        self.ctx.scenario.journeys[self.journey].policies.reentry
    }

    fn finish(&mut self) {
        let j = self.journey;
        self.tally.add_user(j, PerUser::Users);
        // Every age day wholly inside the horizon is observed, whether or not the loop ran it.
        let observed_days = (self.ctx.horizon_days * 24).saturating_sub(self.user.arrival_hour) / 24;
        self.tally.add_observed(j, observed_days as usize);
        for (flag, metric) in [
            (self.purchases > 0, PerUser::Converted),
            (self.opted_out, PerUser::OptedOutAny),
            (self.uninstalled, PerUser::Uninstalled),
            (self.entered, PerUser::Entered),
            (self.held_out, PerUser::HeldOut),
        ] {
            if flag {
                self.tally.add_user(j, metric);
            }
        }
    }

    fn age_day(&mut self, age: u32, start: u32, end: u32) {
        let fatigue_decay = self.ctx.fatigue_decay;
        if age > 0 {
            let m = self.model();
            let decay = if self.adopted { m.engagement_decay * m.adopted_decay_factor } else { m.engagement_decay };
            let (annoyance_decay, expectation_decay) = (m.annoyance_decay, m.deal_expectation_decay);
            let deal_decay = m.deal_proneness_decay;
            // Forgetting pulls E towards its floor (0 unless `habit_floor` is set: then exactly as before).
            self.engagement = self.engagement * (1.0 - decay) + decay * m.habit_floor * self.user.engagement;
            self.annoyance *= 1.0 - annoyance_decay;
            self.expectation *= 1.0 - expectation_decay;
            // Without discounts, learnt deal sensitivity fades back to the user's own level.
            self.deal += deal_decay * (self.user.deal_proneness - self.deal);
            self.fatigue.iter_mut().for_each(|f| *f *= fatigue_decay);
            let novelty_decay = self.ctx.novelty_decay;
            self.recent.iter_mut().for_each(|r| *r *= novelty_decay);
        }
        let mut rng = self.streams.stream(Purpose::Behaviour, u64::from(age));
        self.scratch.sessions.clear();
        if self.alive {
            // Three draws every day, whatever happens, so the day's later draws stay aligned across designs.
            let (exit, lapse, comeback) = (rng.random::<f64>(), rng.random::<f64>(), rng.random::<f64>());
            let m = self.model();
            let (lapse_share, organic_return) = (m.lapse_share, m.organic_return);
            if self.dormant {
                // A dormant user forgets the app for good at their base hazard, or comes back by themselves.
                let base = self.user.churn_hazard;
                if age > 0 && exit < *self.dormant_exit.get_or_insert_with(|| -(-base).exp_m1()) {
                    self.leave(start, lapse);
                } else if comeback < organic_return {
                    self.come_back(start);
                }
            } else if age > 0 && self.churns(exit) {
                if lapse < lapse_share {
                    self.dormant = true;
                    self.tally.add(self.journey, day(start), Daily::Lapsed, 1);
                } else {
                    // The lapse draw, rescaled above the lapse share, is again uniform.
                    self.leave(start, (lapse - lapse_share) / (1.0 - lapse_share));
                }
            }
            if self.alive && self.scratch.record_latents {
                let latents = self.log_latents();
                if let Some(slot) = self.scratch.latents.get_mut(age as usize) {
                    *slot = Some(latents);
                }
            }
            if self.alive && !self.dormant {
                if age == 0 {
                    self.scratch.sessions.push(start);
                }
                let rate = self.user.visits_per_day * self.engagement * self.ctx.rhythm[day(start)];
                let n = poisson(rate, rng.random());
                let local_start = self.user.local_hour(start);
                for _ in 0..n {
                    let local = self.user.session_hour(rng.random());
                    self.scratch.sessions.push(start + (u32::from(local) + 24 - u32::from(local_start)) % 24);
                }
                self.scratch.sessions.sort_unstable();
            }
        }
        if age == 0 {
            self.track(start, Tracked::Signup);
        }
        self.day_events(&mut rng, start, end);
    }

    /// Whether a user who is not dormant leaves today: the day's exit draw under 1 − e^(−μ),
    /// μ = μ₀ · exp(κ (1 − E)) · (1 + A) (see `behavior::churn_hazard`).
    ///
    /// Most days the draw clears a ceiling that needs no exponential: for E in [0, 1] and A ≥ 0,
    /// μ ≤ μ₀ · e^max(κ, 0) · (1 + A), and 1 − e^(−μ) < μ. The 1e-9 margin covers rounding, so the
    /// answer is the exact one bit for bit; only the two libm calls are skipped.
    fn churns(&self, exit: f64) -> bool {
        let (e, a) = (self.engagement, self.annoyance);
        if (0.0..=1.0).contains(&e) && a >= 0.0 && exit >= self.hazard_ceiling * (1.0 + a) * (1.0 + 1e-9) {
            return false;
        }
        let hazard = behavior::churn_hazard(self.model(), self.user.churn_hazard, e, a);
        exit < -(-hazard).exp_m1()
    }

    /// Runs the day's events in time order; ties go to tracked events, then the journey, then sessions.
    fn day_events(&mut self, rng: &mut Rng, start: u32, end: u32) {
        let mut next_session = 0;
        loop {
            let session_at = self.scratch.sessions.get(next_session).copied().unwrap_or(u32::MAX);
            let tracked_at = self.scratch.pending.iter().map(|p| p.0).min().unwrap_or(u32::MAX);
            let journey_at = if self.node.is_some() { self.wake.max(start) } else { u32::MAX };
            let schedule_at = self.next_schedule.unwrap_or(u32::MAX);
            let inactive_at = self.inactivity_due();
            let email_at = self.clicked_email.map_or(u32::MAX, |p| p.at);
            let t = session_at.min(tracked_at).min(journey_at).min(schedule_at).min(inactive_at).min(email_at);
            if t >= end {
                break;
            }
            if tracked_at == t {
                let i = self.scratch.pending.iter().position(|p| p.0 == t).unwrap_or(0);
                let (_, event) = self.scratch.pending.swap_remove(i);
                self.on_tracked(t, event);
            } else if schedule_at == t {
                self.next_schedule = self.schedule_after(t + 1);
                self.enter(t, self.model().relevance_scheduled);
            } else if inactive_at == t {
                self.inactivity_fired = true;
                self.enter(t, RELEVANCE_TRIGGERED);
            } else if email_at == t {
                if let Some(pending) = self.clicked_email.take() {
                    self.open_clicked_email(pending);
                }
            } else if journey_at == t {
                self.waiting_for_session = false;
                self.step(t);
            } else {
                next_session += 1;
                self.session(t, ORGANIC, rng);
                // Nothing was due before t and nothing tracked at t (or the session would have waited), so
                // if the session's own tracked event heads the queue, the next turn would pick exactly it
                // (ties go to tracked events, the first in queue order): handle it now, saving that turn.
                if self.scratch.pending.first().is_some_and(|p| p.0 == t) {
                    let (_, event) = self.scratch.pending.swap_remove(0);
                    self.on_tracked(t, event);
                }
            }
        }
    }

    fn inactivity_due(&self) -> u32 {
        match (self.trigger(), self.last_tracked_session) {
            (Trigger::Inactive { days }, Some(last)) if !self.inactivity_fired => last + 24 * days,
            _ => u32::MAX,
        }
    }

    /// The first scheduled send at or after hour `from` for this user.
    fn schedule_after(&self, from: u32) -> Option<u32> {
        let Trigger::Schedule { first_day, every_days, hour, clock } = self.trigger() else { return None };
        let from = from.max(self.user.arrival_hour);
        let offset = |t: u32| match clock {
            Clock::Utc => 0,
            Clock::Home => i64::from(self.user.home_offset),
            Clock::Local => i64::from(self.user.offset_at(t)),
        };
        let mut d = first_day.max((from / 24).saturating_sub(1));
        d = first_day + (d - first_day).div_ceil(every_days) * every_days;
        for _ in 0..4 {
            let at = i64::from(d) * 24 + i64::from(hour) - offset(d * 24);
            if at >= i64::from(from) {
                return u32::try_from(at).ok().filter(|&t| t < self.ctx.horizon_days * 24);
            }
            d += every_days;
        }
        None
    }

    fn mark_active(&mut self, t: u32) {
        if let Some(probe) = self.probe.as_deref_mut().filter(|p| p.on_retention_day(t)) {
            probe.outcome.retained = true;
        }
        self.active_today = true;
        if self.last_active_day != Some(day(t)) {
            self.last_active_day = Some(day(t));
            self.tally.add(self.journey, day(t), Daily::ActiveUsers, 1);
            if self.scratch.record_days {
                self.scratch.record.active_days.push(day(t) as u32);
            }
        }
    }

    fn session(&mut self, t: u32, context: SessionContext, rng: &mut Rng) {
        if !self.alive || self.dormant {
            return;
        }
        self.mark_active(t);
        self.tally.add(self.journey, day(t), Daily::Sessions, 1);
        self.engagement += self.model().session_habit * (1.0 - self.engagement);
        // Drawn even once adopted: a message that caused adoption must shift no later organic draw.
        let adopts = rng.random::<f64>() < self.model().adoption_per_session;
        self.adopted |= adopts;
        self.track(t, Tracked::Session);
        let mut context = context;
        if let Some(pending) = self.in_app.take().filter(|p| p.until >= t) {
            if let Some(shown) = self.show_in_app(t, pending) {
                context = shown;
            }
            if !self.alive {
                return;
            }
        }
        let cart_open = self.cart_until.is_some_and(|until| until >= t);
        // A customer file's users arrive with their first purchase (`acquisition.first_purchase`).
        let arrival_purchase = self.purchases == 0
            && t == self.user.arrival_hour
            && self.ctx.scenario.population.acquisition.first_purchase;
        let carted = arrival_purchase
            || (context.resume_cart && cart_open)
            || rng.random::<f64>() < (self.user.cart_propensity * context.cart_multiplier).min(1.0);
        if !carted {
            return;
        }
        let price = match self.offer {
            Some((depth, until)) if until >= t => 1.0 - depth,
            _ => 1.0,
        };
        let resumed = if context.resume_cart && cart_open { self.model().resumed_checkout } else { 1.0 };
        let p = resumed
            * behavior::checkout_probability(
                self.model(),
                price,
                self.reference,
                self.user.price_sensitivity,
                self.deal,
                self.expectation,
            );
        if arrival_purchase || rng.random::<f64>() < p {
            self.purchase(t, price);
        } else {
            self.cart_until = Some(t + Model::hours(self.model().cart_memory_hours));
            self.tally.add(self.journey, day(t), Daily::CartsAbandoned, 1);
            self.track(t, Tracked::CartAbandoned);
        }
    }

    fn purchase(&mut self, t: u32, price: f64) {
        let e = &self.ctx.scenario.economics;
        let (j, d) = (self.journey, day(t));
        self.purchases += 1;
        self.cart_until = None;
        for (node, arrived) in self.scratch.arrived_at.iter_mut().enumerate() {
            if arrived.is_some_and(|at| t >= at && t - at < CONVERSION_WINDOW_HOURS) {
                *arrived = None;
                self.tally.add_node(j, node, NodeMetric::Converted);
            }
        }
        if let Some((node, _)) = self.last_open.take().filter(|&(_, at)| t >= at && t - at < ATTRIBUTION_WINDOW_HOURS) {
            self.tally.add_node(j, node, NodeMetric::Attributed);
        }
        // The n-th order has the same list value under every design (its own stream).
        let order_rng = &mut self.streams.stream(Purpose::Order, u64::from(self.purchases));
        let list = self.ctx.spend.order(self.user.order_mean, order_rng);
        // After a repeat purchase the user may leave for good (the BG/NBD's dropout coin), drawn after
        // the order's value on the order's own stream, and only when the segment has such dropout.
        let dropout = self.user.purchase_dropout;
        let leaves = (self.purchases > 1 && dropout > 0.0)
            .then(|| (order_rng.random::<f64>(), order_rng.random::<f64>()))
            .filter(|&(coin, _)| coin < dropout)
            .map(|(_, uninstall)| uninstall);
        let paid = list * price;
        let cost_of_goods = list * (1.0 - e.margin);
        if self.scratch.record_days {
            self.scratch.record.purchases.push((t, paid));
        }
        if let Some(probe) = self.probe.as_deref_mut() {
            probe.history.record(t);
            if probe.in_window(t) {
                probe.outcome.converted = true;
                probe.outcome.revenue += micros(paid);
                probe.outcome.margin += micros(paid) as i64 - micros(cost_of_goods) as i64;
            }
        }
        self.tally.add(j, d, if price < 1.0 { Daily::DiscountedPurchases } else { Daily::FullPricePurchases }, 1);
        self.tally.add(j, d, Daily::Revenue, micros(paid));
        self.tally.add(j, d, Daily::CostOfGoods, micros(cost_of_goods));
        self.tally.add(j, d, Daily::DiscountCost, micros(list) - micros(paid));
        let m = self.model();
        let (smoothing, growth, habit) = (m.reference_smoothing, m.deal_proneness_growth, m.purchase_habit);
        self.engagement += habit * (1.0 - self.engagement);
        self.reference = smoothing * self.reference + (1.0 - smoothing) * price;
        if price < 1.0 {
            self.deal += growth * (1.0 - self.deal);
            self.offer = None;
        }
        self.track(t, Tracked::Purchase);
        if let Some(uninstall) = leaves {
            self.leave(t, uninstall);
        }
    }

    /// The logarithms of the latents the predictive scores read, from the user's current state: churn
    /// hazard μ, conversion intent λ·E·q and lifetime value λ·E·q/μ.
    fn log_latents(&self) -> [f64; 3] {
        let u = self.user;
        let hazard = behavior::churn_hazard(self.model(), u.churn_hazard, self.engagement, self.annoyance);
        let intent = u.visits_per_day * self.engagement * u.cart_propensity;
        [hazard, intent, intent / hazard].map(|latent| latent.max(1e-300).ln())
    }

    /// A dormant user comes back, with part of the habit they arrived with.
    fn come_back(&mut self, t: u32) {
        self.dormant = false;
        self.engagement = self.engagement.max(self.model().return_engagement * self.user.engagement);
        self.tally.add(self.journey, day(t), Daily::Returned, 1);
    }

    /// Leaves for good; `u` (uniform) below `departed_uninstall` takes the app with them, so push
    /// and in-app no longer reach them (email and SMS still do).
    fn leave(&mut self, t: u32, u: f64) {
        self.die(t, false);
        if u < self.model().departed_uninstall {
            self.reachable[Channel::Push.index()] = false;
            self.reachable[Channel::InApp.index()] = false;
        }
    }

    fn die(&mut self, t: u32, uninstall: bool) {
        self.alive = false;
        self.dormant = false;
        self.tally.add(self.journey, day(t), Daily::Churned, 1);
        if uninstall {
            if let Some(probe) = self.probe.as_deref_mut().filter(|p| p.in_window(t)) {
                probe.outcome.uninstalled = true;
            }
            self.uninstalled = true;
            self.reachable[Channel::Push.index()] = false;
            self.reachable[Channel::InApp.index()] = false;
            self.tally.add(self.journey, day(t), Daily::Uninstalls, 1);
        }
    }
}

/// Calendar day (UTC) of hour `t`.
fn day(t: u32) -> usize {
    (t / 24) as usize
}

/// A Poisson(mean) draw by inversion from one uniform (means here are small).
fn poisson(mean: f64, u: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    // e^(−m) ≥ 1 − m + m²/2 − m³/6 for m ≥ 0 (the alternating series cut after a negative term), so a
    // draw under that (less a margin far above rounding) is a zero for sure: the usual case, decided
    // without the exponential. For m > 1.6 the bound is negative and never decides.
    let lower = 1.0 - mean * (1.0 - mean * (0.5 - mean / 6.0));
    if u <= lower * (1.0 - 1e-9) {
        return 0;
    }
    let mut p = (-mean).exp();
    let mut cdf = p;
    let mut k = 0;
    while u > cdf && k < 1000 {
        k += 1;
        p *= mean / f64::from(k);
        cdf += p;
    }
    k
}
