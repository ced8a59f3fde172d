//! The journey's side of a user's simulation: tracked events reaching the
//! journey platform (after loss, duplication and delay), entry, and the walk
//! through the graph with its branches and predictive-score conditions.

use rand::Rng as _;

use super::*;

impl Sim<'_> {
    /// Passes a true event through tracking: lost, duplicated or delayed.
    #[inline]
    pub(super) fn track(&mut self, t: u32, event: Tracked) {
        if self.ctx.exact_tracking {
            self.scratch.pending.push((t, event));
        } else {
            self.track_noisy(t, event);
        }
    }

    /// `track` under tracking noise (kept out of line: the exact case is a push, called for every session).
    #[inline(never)]
    fn track_noisy(&mut self, t: u32, event: Tracked) {
        let tracking = self.ctx.scenario.tracking;
        let salt = (u64::from(t) << 3) | event as u64;
        let mut rng = self.streams.stream(Purpose::Tracking, salt);
        if rng.random::<f64>() < tracking.loss {
            return;
        }
        let copies = if rng.random::<f64>() < tracking.duplicate { 2 } else { 1 };
        for _ in 0..copies {
            let delay = -tracking.delay_hours * (1.0 - rng.random::<f64>()).ln();
            self.scratch.pending.push((t + delay.round() as u32, event));
        }
    }

    pub(super) fn on_tracked(&mut self, t: u32, event: Tracked) {
        match event {
            Tracked::Session => {
                self.last_tracked_session = Some(t);
                self.inactivity_fired = false;
                if let Some(count) = self.scratch.tracked_by_day.get_mut(day(t)) {
                    *count = count.saturating_add(1);
                }
                if self.waiting_for_session && self.node.is_some() {
                    self.waiting_for_session = false;
                    self.wake = t;
                }
            }
            Tracked::Signup => {
                self.last_tracked_session = Some(t);
                if self.trigger() == Trigger::Signup {
                    self.enter(t, RELEVANCE_TRIGGERED);
                }
            }
            Tracked::CartAbandoned if self.trigger() == Trigger::CartAbandoned => self.enter(t, RELEVANCE_TRIGGERED),
            Tracked::Purchase if self.trigger() == Trigger::Purchase => self.enter(t, RELEVANCE_TRIGGERED),
            Tracked::CartAbandoned | Tracked::Purchase => {}
        }
    }

    pub(super) fn enter(&mut self, t: u32, relevance: f64) {
        if self.held_out || self.node.is_some() || (self.entered && !self.reentry()) {
            return;
        }
        self.entered = true;
        if let Some(probe) = self.probe.as_deref_mut() {
            probe.outcome.enrolled_at.get_or_insert(t);
        }
        self.relevance = relevance;
        self.node = Some(self.ctx.scenario.journeys[self.journey].entry());
        self.arrival = Arrival::Entry;
        self.step(t);
    }

    /// Walks the graph from the current node until a wait, a hold or an exit.
    pub(super) fn step(&mut self, t: u32) {
        let journey = &self.ctx.scenario.journeys[self.journey];
        // Validation guarantees a wait on every cycle; the bound only guards against a bug.
        for _ in 0..=journey.nodes().len() {
            let Some(id) = self.node else { return };
            match std::mem::replace(&mut self.arrival, Arrival::Again) {
                Arrival::Again => {}
                arrival => {
                    if let Arrival::Along(from, edge) = arrival {
                        self.tally.add_node(self.journey, from, edge);
                    }
                    self.tally.add_node(self.journey, id, NodeMetric::Entered);
                    self.scratch.arrived_at[id] = Some(t);
                }
            }
            let along_first = Arrival::Along(id, NodeMetric::FirstEdge);
            match &journey.nodes()[id].kind {
                NodeKind::Trigger { next, .. } => (self.node, self.arrival) = (Some(*next), along_first),
                NodeKind::Wait { wait, next } => {
                    (self.node, self.arrival) = (Some(*next), along_first);
                    self.wake = match *wait {
                        Wait::Delay { hours } => t + hours,
                        Wait::NextActive { max_hours } => {
                            self.waiting_for_session = true;
                            t + max_hours
                        }
                        Wait::BestHour => t + hours_until(self.user.local_hour(t), self.predicted_hour()),
                    };
                    return;
                }
                NodeKind::Branch { condition, yes, no } => {
                    let (to, edge) = if self.holds(condition, t) {
                        (*yes, NodeMetric::FirstEdge)
                    } else {
                        (*no, NodeMetric::SecondEdge)
                    };
                    (self.node, self.arrival) = (Some(to), Arrival::Along(id, edge));
                }
                NodeKind::Message { content, channels, delivery, next } => {
                    if let Some(wake) = self.message(t, id, *content, channels, *delivery) {
                        self.tally.add_node(self.journey, id, NodeMetric::Deferred);
                        self.wake = wake;
                        return;
                    }
                    (self.node, self.arrival) = (Some(*next), along_first);
                }
                NodeKind::Exit { .. } => self.node = None,
            }
        }
        self.node = None;
    }

    fn predicted_hour(&self) -> u8 {
        if self.user.hour_draw < self.ctx.best_hour_hit_rate {
            self.user.peak_hour
        } else {
            // A miss lands one to three hours off the peak, either side.
            let spread = ((self.user.hour_draw * 1e6) as u32 % 6) as i32;
            let shift = if spread < 3 { spread + 1 } else { -(spread - 2) };
            (i32::from(self.user.peak_hour) + shift).rem_euclid(24) as u8
        }
    }

    fn holds(&self, condition: &Condition, t: u32) -> bool {
        match *condition {
            Condition::Sessions { days, at_least } => {
                let today = day(t);
                let from = today.saturating_sub(days as usize - 1);
                let counts = &self.scratch.tracked_by_day[from..=today.min(self.scratch.tracked_by_day.len() - 1)];
                counts.iter().map(|&c| u32::from(c)).sum::<u32>() >= at_least
            }
            Condition::FeatureAdopted => self.adopted,
            Condition::OpenedLastMessage => self.opened_last,
            Condition::Score { score, above } => {
                let i = match score {
                    Score::ChurnRisk => 0,
                    Score::ConversionIntent => 1,
                    Score::LifetimeValue => 2,
                };
                // Ranked among users of the same age day (see engine/pilot.rs).
                let age = (t.saturating_sub(self.user.arrival_hour) / 24) as usize;
                self.ctx.score_percentile(i, age, self.log_latents()[i], self.user.score_noise[i]) > above
            }
        }
    }
}
