//! Helpers shared by the integration tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use journeylab::api::{self, RunConfig, RunResults, Scenario};

pub fn simulations() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("simulations")
}

pub fn load(name: &str) -> Scenario {
    api::load_scenario(&simulations().join(name)).unwrap_or_else(|e| panic!("{e}"))
}

pub fn run_with(scenario: &Scenario, config: RunConfig) -> RunResults {
    api::run(scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("the run completes")
}
