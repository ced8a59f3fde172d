//! Engine throughput: simulated user-days per second on the cart-abandonment
//! scenario (issue target: ≥ 10M user-days per second per core at 1M users × 90 days).
//! Set JOURNEYLAB_BENCH_USERS to change the population (default 1,000,000).

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journeylab::api::{self, RunConfig};

fn engine(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations/cart_abandonment.toml");
    let scenario = api::load_scenario(&path).expect("the ready-made scenario is valid");
    let users: u32 = std::env::var("JOURNEYLAB_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let days = 90;
    let journeys = scenario.journeys.len() as u64;
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(users) * u64::from(days) * journeys));
    group.bench_function(format!("cart_abandonment_{users}_users_{days}_days"), |b| {
        b.iter(|| {
            let config = RunConfig { users: Some(users), days: Some(days), ..RunConfig::default() };
            api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("runs")
        });
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
