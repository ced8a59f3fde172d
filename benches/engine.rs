//! Engine throughput: simulated user-days per second on the cart-abandonment
//! scenario (issue 11's target: ≥ 30M user-days per second per core at 1M users × 90 days ×
//! 3 journeys, i.e. a median of at most 9 s with `RAYON_NUM_THREADS=1`).
//! Set JOURNEYLAB_BENCH_USERS to change the population (default 1,000,000).
//! Also the cancel latency: from setting the flag mid-run to the run's return.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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

/// A run is cancelled once its first chunk of users is done; timed from the flag to the return.
fn cancel_latency(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations/cart_abandonment.toml");
    let scenario = api::load_scenario(&path).expect("the ready-made scenario is valid");
    let config = RunConfig { users: Some(5_000_000), ..RunConfig::default() };
    c.bench_function("engine/cancel_latency", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let cancel = AtomicBool::new(false);
                let flagged = std::sync::OnceLock::new();
                let on_chunk = |_| {
                    if !cancel.swap(true, Ordering::Relaxed) {
                        let _ = flagged.set(Instant::now());
                    }
                };
                let outcome = api::run(&scenario, &config, &on_chunk, &cancel);
                assert!(outcome.is_err(), "the run was cancelled");
                total += flagged.get().expect("a chunk finished").elapsed();
            }
            total
        });
    });
}

criterion_group!(benches, engine, cancel_latency);
criterion_main!(benches);
