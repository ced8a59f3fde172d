//! What the app's Robustness panel starts from and allows, and a sweep's size before it runs.
//!
//! The panel runs on the user's own machine while they wait, so its defaults are the bench's
//! sweep (benches/robust.rs: 64 joint points × 1 replicate × 20,000 users on cart_abandonment,
//! under a minute on 2 cores) and its bounds keep one sweep within tens of minutes there; larger
//! sweeps are for `journeylab robust --shard` on many machines (README).

use super::{NOISE_REPLICATES, RobustConfig, RobustError, Shard};
use crate::engine::RunConfig;
use crate::scenario::Scenario;

/// The panel's joint points when the user sets none.
pub const PANEL_SAMPLES: u32 = 64;
/// The panel's most joint points.
pub const PANEL_MAX_SAMPLES: u32 = 1024;
/// The panel's users per run when the user sets none (not the scenario's: a sweep makes
/// 2 × parameters + samples + 8 runs).
pub const PANEL_USERS: u32 = 20_000;
/// The panel's most users per run.
pub const PANEL_MAX_USERS: u32 = 1_000_000;
/// The metric whose tornado the panel shows first: the one the comparison's verdict decides on.
pub const PANEL_METRIC: &str = "net_margin_per_user";

/// The sweep the panel runs: one replicate per point, the scenario's seed and horizon; `None`
/// takes the panel's default. Errors say what is allowed.
pub fn panel_config(samples: Option<u32>, users: Option<u32>) -> Result<RobustConfig, RobustError> {
    let samples = samples.unwrap_or(PANEL_SAMPLES);
    let users = users.unwrap_or(PANEL_USERS);
    if !(1..=PANEL_MAX_SAMPLES).contains(&samples) {
        return Err(RobustError::BadConfig(format!(
            "joint points is {samples}: the app runs 1 … {PANEL_MAX_SAMPLES} (more with `journeylab robust --shard`)"
        )));
    }
    if !(1..=PANEL_MAX_USERS).contains(&users) {
        return Err(RobustError::BadConfig(format!(
            "users per run is {users}: the app runs 1 … {PANEL_MAX_USERS} (more with `journeylab robust --shard`)"
        )));
    }
    Ok(RobustConfig {
        samples,
        replicates: 1,
        run: RunConfig { users: Some(users), ..RunConfig::default() },
        shard: Shard::WHOLE,
    })
}

/// How many runs a whole sweep makes, and of how many users each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// At the scenario's values, for the Monte Carlo noise.
    pub noise_runs: u32,
    /// Each parameter at its low and its high end, at every replicate.
    pub one_at_a_time_runs: u32,
    /// The joint points at every replicate.
    pub joint_runs: u32,
    pub parameters: u32,
    pub users_per_run: u32,
}

impl Plan {
    pub fn runs(&self) -> u32 {
        self.noise_runs + self.one_at_a_time_runs + self.joint_runs
    }

    /// "114 runs of 2,000 users: 8 at the scenario's values …".
    pub fn describe(&self) -> String {
        format!(
            "{} runs of {} users: {} at the scenario's values (to measure the Monte Carlo noise), {} with one of the \
             {} [model] parameters at an end of its range, {} at joint points moving every parameter at once.",
            crate::numbers::thousands(u64::from(self.runs())),
            crate::numbers::thousands(u64::from(self.users_per_run)),
            self.noise_runs,
            self.one_at_a_time_runs,
            self.parameters,
            self.joint_runs
        )
    }
}

/// The runs of the whole sweep `config` describes on `scenario` (the same numbering as the
/// sweep); the sweep's own error when it would refuse to run.
pub fn plan(scenario: &Scenario, config: &RobustConfig) -> Result<Plan, RobustError> {
    super::check(scenario, config)?;
    let parameters = crate::behavior::PARAMETERS.iter().filter(|p| p.swept).count() as u32;
    Ok(Plan {
        noise_runs: config.replicates.max(NOISE_REPLICATES),
        one_at_a_time_runs: 2 * parameters * config.replicates,
        joint_runs: config.samples * config.replicates,
        parameters,
        users_per_run: config.run.users.unwrap_or(scenario.simulation.users),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let c = panel_config(None, None).expect("defaults");
        assert_eq!((c.samples, c.replicates, c.run.users), (PANEL_SAMPLES, 1, Some(PANEL_USERS)));
        assert!(panel_config(Some(0), None).expect_err("no points").to_string().contains("1 … 1024"));
        assert!(panel_config(Some(PANEL_MAX_SAMPLES + 1), None).is_err());
        assert!(panel_config(None, Some(0)).expect_err("no users").to_string().contains("users per run is 0"));
        assert!(panel_config(Some(PANEL_MAX_SAMPLES), Some(PANEL_MAX_USERS)).is_ok());
        assert!(
            super::super::METRICS.contains(&PANEL_METRIC),
            "the panel's first tornado is one of the sweep's metrics"
        );
    }

    #[test]
    fn the_plan_counts_the_sweeps_jobs() {
        let scenario = crate::scenario::read(
            crate::library::EXAMPLES.iter().find(|e| e.id == "cart_abandonment").expect("example").text,
        )
        .expect("valid");
        let config = panel_config(Some(8), Some(2000)).expect("config");
        let plan = plan(&scenario, &config).expect("a valid sweep");
        let header = super::super::header(&scenario, &config);
        assert_eq!(plan.runs() as usize, header.jobs().len());
        assert_eq!(plan.users_per_run, 2000);
        assert!(
            plan.describe().starts_with(&format!("{} runs of 2,000 users: 8 at", plan.runs())),
            "{}",
            plan.describe()
        );
        let mut alone = scenario.clone();
        alone.journeys.truncate(1);
        let refused = super::plan(&alone, &config).expect_err("one journey");
        assert!(refused.to_string().contains("needs two or more"), "{refused}");
    }
}
