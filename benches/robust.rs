//! Robustness sweep throughput (issue 12's target: 64 joint points × 1 replicate × 20,000 users on
//! cart_abandonment in under 60 s on a 2-core machine). The sweep also runs the one-at-a-time
//! ends of every parameter (2 × P runs) and the noise replicates at the scenario's values.

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use journeylab::api::{self, RobustConfig, RunConfig};

fn robust(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations/cart_abandonment.toml");
    let scenario = api::load_scenario(&path).expect("the ready-made scenario is valid");
    let config = RobustConfig {
        samples: 64,
        replicates: 1,
        run: RunConfig { users: Some(20_000), ..RunConfig::default() },
        ..RobustConfig::default()
    };
    let mut group = c.benchmark_group("robust");
    group.sample_size(10);
    group.bench_function("cart_abandonment_64_points_1_replicate_20000_users", |b| {
        b.iter(|| api::robust(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("runs"));
    });
    group.finish();
}

criterion_group!(benches, robust);
criterion_main!(benches);
