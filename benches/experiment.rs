//! Experiment replications on the A/A scenario (issue target: 1,000 replications of
//! 20,000 users in under 60 s on this 2-core machine; this benchmark times 100 and
//! reports replications per second — multiply the median by 10 for the target).

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journeylab::api::{self, RunConfig};

fn replications(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations/experiment_aa.toml");
    let scenario = api::load_scenario(&path).expect("the ready-made scenario is valid");
    let replications = 100;
    let mut group = c.benchmark_group("experiment");
    group.sample_size(10);
    group.throughput(Throughput::Elements(replications));
    group.bench_function("aa_100_replications_20000_users", |b| {
        b.iter(|| {
            let config = RunConfig { users: Some(20_000), ..RunConfig::default() };
            api::replicate_experiment(&scenario, &config, replications, &|_| {}, &AtomicBool::new(false)).expect("runs")
        });
    });
    group.finish();
}

criterion_group!(benches, replications);
criterion_main!(benches);
