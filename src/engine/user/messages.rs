//! Messages: quiet hours, caps and channel priority decide what is sent and
//! when; each delivery then draws its open, click, opt-out and uninstall from
//! the response stream.

use rand::Rng as _;

use super::*;

/// One message on one channel, as delivered.
#[derive(Clone, Copy)]
struct OneDelivery {
    t: u32,
    node: NodeId,
    channel: Channel,
    content: Content,
    /// The open chance's timing factor: how awake the user is at the delivery hour (1 = peak) for a
    /// notification, seen now or never; 1 for an email, which waits in the inbox until the user is awake.
    wakefulness: f64,
    /// False for the second and later channels of a blast: it is opened at most once.
    may_open: bool,
}

/// The distinct channels of one send, in the journey's order, without allocating.
#[derive(Clone, Copy)]
struct Channels {
    items: [Channel; 4],
    len: usize,
}

impl Default for Channels {
    fn default() -> Self {
        Channels { items: Channel::ALL, len: 0 }
    }
}

impl Channels {
    fn push(&mut self, c: Channel) {
        if self.len < self.items.len() && !self.as_slice().contains(&c) {
            self.items[self.len] = c;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[Channel] {
        &self.items[..self.len]
    }
}

/// A clicked email read while the user was asleep: its session starts at the next waking hour.
#[derive(Clone, Copy)]
pub(super) struct PendingClick {
    pub(super) at: u32,
    context: SessionContext,
    node: NodeId,
}

/// An in-app message waiting for the user's next session.
#[derive(Clone, Copy)]
pub(super) struct PendingInApp {
    content: Content,
    relevance: f64,
    node: NodeId,
    pub(super) until: u32,
}

impl Sim<'_> {
    /// Applies quiet hours and caps, then sends. Returns the hour to retry at if the message is deferred.
    pub(super) fn message(
        &mut self,
        t: u32,
        node: NodeId,
        content: Content,
        channels: &[Channel],
        delivery: Delivery,
    ) -> Option<u32> {
        let policies = &self.ctx.scenario.journeys[self.journey].policies;
        let local = self.user.local_hour(t);
        if let Some(quiet) = policies.quiet_hours.filter(|q| in_quiet_hours(q, local)) {
            return match quiet.action {
                Hold::Defer => Some(t + hours_until(local, quiet.end)),
                Hold::Drop => {
                    self.tally.add(self.journey, day(t), Daily::DroppedByQuietHours, 1);
                    self.tally.add_node(self.journey, node, NodeMetric::DroppedByQuietHours);
                    None
                }
            };
        }
        let mut chosen = Channels::default();
        for &c in channels.iter().filter(|c| self.reachable[c.index()]) {
            chosen.push(c);
            if delivery == Delivery::Priority {
                break;
            }
        }
        let day_start = t - u32::from(local).min(t);
        let allowed_at = |c: Channel| match policies.caps[c.index()] {
            Some(cap) => cap_allows_at(&cap, &self.scratch.sends[c.index()], t, day_start),
            None => t,
        };
        let mut sendable = Channels::default();
        for &c in chosen.as_slice().iter().filter(|&&c| allowed_at(c) <= t) {
            sendable.push(c);
        }
        if sendable.as_slice().is_empty() && !chosen.as_slice().is_empty() {
            return match policies.on_cap {
                Hold::Defer => chosen.as_slice().iter().map(|&c| allowed_at(c)).min(),
                Hold::Drop => {
                    self.tally.add(self.journey, day(t), Daily::DroppedByCaps, 1);
                    self.tally.add_node(self.journey, node, NodeMetric::DroppedByCaps);
                    None
                }
            };
        }
        self.send(t, node, content, sendable.as_slice());
        None
    }

    /// Delivers one message on each channel given; a blast is opened at most once.
    fn send(&mut self, t: u32, node: NodeId, content: Content, channels: &[Channel]) {
        if channels.is_empty() {
            return;
        }
        let salt = (u64::from(t) << 8) | node as u64;
        let mut rng = stream(self.ctx.seed, self.ctx.replicate, self.index, Purpose::Response, salt);
        self.annoyance += self.model().blast_annoyance * (channels.len() - 1) as f64;
        let mut opened = false;
        for &channel in channels {
            if channel == Channel::InApp {
                let pending = PendingInApp {
                    content,
                    relevance: self.relevance,
                    node,
                    until: t + Model::hours(self.model().in_app_wait_hours),
                };
                self.in_app = Some(pending);
                continue;
            }
            let wakefulness = match channel {
                Channel::Email => 1.0,
                _ => self.user.wakefulness(self.user.local_hour(t)),
            };
            let delivery = OneDelivery { t, node, channel, content, wakefulness, may_open: !opened };
            if let Some(context) = self.deliver(delivery, &mut rng) {
                opened = true;
                let at = if channel == Channel::Email { self.next_waking_hour(t) } else { t };
                if at == t {
                    self.session(t, context, &mut rng);
                } else if self.clicked_email.is_none() {
                    // Read in the morning: the click's session waits for the user to wake (one session serves all).
                    self.clicked_email = Some(PendingClick { at, context, node });
                }
            }
        }
        self.opened_last = opened;
    }

    /// The first hour from `t` at which the user is awake (wakefulness at least `night_wakefulness`).
    fn next_waking_hour(&self, t: u32) -> u32 {
        let awake = |h: u32| self.user.wakefulness(self.user.local_hour(h)) >= self.model().night_wakefulness;
        (t..t + 24).find(|&h| awake(h)).unwrap_or(t)
    }

    /// Starts the session of an email clicked while the user was asleep, at the hour they wake.
    pub(super) fn open_clicked_email(&mut self, pending: PendingClick) {
        let salt = (u64::from(pending.at) << 8) | pending.node as u64 | 0x40;
        let mut rng = stream(self.ctx.seed, self.ctx.replicate, self.index, Purpose::Response, salt);
        self.session(pending.at, pending.context, &mut rng);
    }

    /// Shows a pending in-app message at session start; returns the session context it sets if clicked.
    pub(super) fn show_in_app(&mut self, t: u32, pending: PendingInApp) -> Option<SessionContext> {
        let salt = (u64::from(t) << 8) | pending.node as u64 | 0x80;
        let mut rng = stream(self.ctx.seed, self.ctx.replicate, self.index, Purpose::Response, salt);
        let saved = self.relevance;
        self.relevance = pending.relevance;
        let delivery = OneDelivery {
            t,
            node: pending.node,
            channel: Channel::InApp,
            content: pending.content,
            wakefulness: 1.0,
            may_open: true,
        };
        let opened = self.deliver(delivery, &mut rng);
        self.relevance = saved;
        self.opened_last = opened.is_some();
        opened
    }

    fn opt_out(&mut self, t: u32, node: NodeId, c: Channel) {
        self.reachable[c.index()] = false;
        self.opted_out = true;
        if let Some(probe) = self.probe.as_deref_mut().filter(|p| p.in_window(t)) {
            probe.outcome.opted_out = true;
        }
        self.tally.add(self.journey, day(t), Daily::opt_out(c.index()), 1);
        self.tally.add_node(self.journey, node, NodeMetric::OptedOut);
    }

    /// A user who has left for good still gets email, SMS and (with the app still installed) push,
    /// and reads them — and unsubscribes — at `departed_open` times their chance; an open or click
    /// is counted but brings no session, purchase or habit (leaving is for good: the BTYD "death").
    /// An in-app message needs a session: never seen.
    fn departed_read(&mut self, delivery: OneDelivery, rng: &mut Rng) -> Option<SessionContext> {
        let OneDelivery { t, node, channel: c, content, wakefulness, may_open } = delivery;
        if c == Channel::InApp {
            return None;
        }
        let (j, d, ci) = (self.journey, day(t), c.index());
        let m = &self.ctx.scenario.model;
        let (tolerance, fatigue) = (self.user.tolerance, self.fatigue[ci]);
        let open_p = self.open_chance(c, content, wakefulness) * m.departed_open;
        let opened = may_open && rng.random::<f64>() < open_p;
        // Only what is looked at is unsubscribed from.
        if rng.random::<f64>() < m.departed_open * behavior::opt_out_probability(m, c, fatigue, tolerance) {
            self.opt_out(t, node, c);
        }
        if opened {
            self.tally.add(j, d, Daily::Opens, 1);
            self.tally.add_node(j, node, NodeMetric::Opened);
            if rng.random::<f64>() < m.click_given_open()[ci] {
                self.tally.add(j, d, Daily::Clicks, 1);
            }
        }
        None
    }

    /// P(open) of this delivery, counting it towards the content's novelty loss: the same content
    /// again loses novelty, and recovers with rest (Yancey & Settles 2020).
    fn open_chance(&mut self, c: Channel, content: Content, wakefulness: f64) -> f64 {
        let m = &self.ctx.scenario.model;
        let ci = c.index();
        let open_p = behavior::open_probability(
            m,
            self.user.responsiveness[ci],
            self.relevance,
            wakefulness,
            self.fatigue[ci],
            self.user.tolerance,
            content,
        );
        let kind = content_kind(content);
        let open_p = open_p * (1.0 - m.novelty_loss).powf(self.recent[kind]);
        self.recent[kind] += 1.0;
        open_p
    }

    /// Counts one delivery and draws the user's response; Some(context) when the message is clicked.
    fn deliver(&mut self, delivery: OneDelivery, rng: &mut Rng) -> Option<SessionContext> {
        let OneDelivery { t, node, channel: c, content, wakefulness, may_open } = delivery;
        let (j, d, ci) = (self.journey, day(t), c.index());
        self.tally.add(j, d, Daily::sent(ci), 1);
        let cost = micros(self.ctx.scenario.economics.message_cost[ci]);
        self.tally.add(j, d, Daily::MessageCost, cost);
        if let Some(probe) = self.probe.as_deref_mut().filter(|p| p.in_window(t)) {
            probe.outcome.margin -= cost as i64;
        }
        self.tally.add_node(j, node, NodeMetric::Sent);
        if in_quiet_hours(&self.ctx.report_quiet[j], self.user.local_hour(t)) {
            self.tally.add(j, d, Daily::QuietHourDeliveries, 1);
        }
        self.scratch.sends[ci].push(t);
        let ctx = self.ctx;
        let m = &ctx.scenario.model;
        let weight = if c == Channel::Email { m.email_fatigue } else { 1.0 };
        self.fatigue[ci] += weight * if self.relevance >= RELEVANCE_TRIGGERED { m.triggered_fatigue } else { 1.0 };
        if !self.alive {
            return self.departed_read(delivery, rng);
        }
        // Only a notification wakes the user; an email waits silently in the inbox.
        if c != Channel::Email && wakefulness < m.night_wakefulness {
            self.annoyance += m.night_annoyance;
        }
        let tolerance = self.user.tolerance;
        let open_p = self.open_chance(c, content, wakefulness);
        let opened = may_open && rng.random::<f64>() < open_p;
        if rng.random::<f64>() < behavior::opt_out_probability(m, c, self.fatigue[ci], tolerance) {
            self.opt_out(t, node, c);
        }
        if rng.random::<f64>() < behavior::uninstall_probability(m, c, &self.fatigue, tolerance) {
            self.die(t, true);
            return None;
        }
        if !opened {
            return None;
        }
        self.tally.add(j, d, Daily::Opens, 1);
        self.tally.add_node(j, node, NodeMetric::Opened);
        self.last_open = Some((node, t));
        // A relevant message opened by a lapsed user can bring them back.
        let comeback = rng.random::<f64>() < m.message_return * self.relevance;
        if self.dormant && comeback {
            self.come_back(t);
        }
        self.engagement += m.open_habit * (1.0 - self.engagement);
        if content == Content::Value {
            // Reading what the product does for them rebuilds the habit, clicked or not.
            self.engagement += m.value_habit * (1.0 - self.engagement);
            if !self.adopted && rng.random::<f64>() < m.value_adoption {
                self.adopted = true;
            }
        }
        if let Content::Discount { depth, valid_hours } = content {
            self.offer = Some((depth, t + valid_hours));
            self.expectation += m.deal_expectation_rate * (1.0 - self.expectation);
            let smoothing = m.offer_reference_smoothing;
            self.reference = smoothing * self.reference + (1.0 - smoothing) * (1.0 - depth);
        }
        if rng.random::<f64>() >= m.click_given_open()[ci] {
            return None;
        }
        self.tally.add(j, d, Daily::Clicks, 1);
        let cart_open = self.cart_until.is_some_and(|until| until >= t);
        Some(match content {
            Content::Reminder => SessionContext { cart_multiplier: 1.0, resume_cart: cart_open },
            Content::Recommendation => SessionContext { cart_multiplier: m.recommendation_cart, resume_cart: false },
            Content::Value => ORGANIC,
            Content::Discount { .. } => SessionContext { cart_multiplier: m.discount_cart, resume_cart: cart_open },
        })
    }
}

/// Index of a message's content kind, for the per-kind novelty counters.
fn content_kind(content: Content) -> usize {
    match content {
        Content::Discount { .. } => 0,
        Content::Reminder => 1,
        Content::Recommendation => 2,
        Content::Value => 3,
    }
}
