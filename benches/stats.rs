//! Statistics kernels: boundary computation and peeking Monte Carlo throughput.
//!
//! Targets (issue 3, 2-core machine): K = 20 boundaries < 10 ms; peeking at
//! ≥ 50M look-evaluations/s with exact binomial counts and ≥ 200M/s with
//! normal increments. Throughput is reported in elements = look evaluations.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journeylab::stats::Sides;
use journeylab::stats::method::Method;
use journeylab::stats::peeking::{Control, Increments, PeekConfig, simulate};
use journeylab::stats::sequential::{
    BoundaryFamily, Design, DesignSpec, SpendingFunction, efficacy_bounds, equal_fractions,
};

fn boundaries(c: &mut Criterion) {
    let obf = BoundaryFamily::Spending { function: SpendingFunction::ObrienFleming };
    let fractions = equal_fractions(20);
    c.bench_function("boundaries K=20 obf spending, two-sided", |b| {
        b.iter(|| efficacy_bounds(obf, black_box(0.05), Sides::Two, black_box(&fractions)).expect("valid"))
    });
    c.bench_function("design K=20 obf spending with power/inflation/ASN", |b| {
        b.iter(|| {
            Design::new(DesignSpec {
                fractions: fractions.clone(),
                family: obf,
                alpha: black_box(0.05),
                sides: Sides::Two,
                power: 0.8,
                futility: None,
            })
            .expect("valid")
        })
    });
}

fn peeking(c: &mut Criterion) {
    let mut group = c.benchmark_group("peeking");
    group.sample_size(10);
    for (name, increments) in [("binomial", Increments::Binomial), ("normal", Increments::Normal)] {
        let config = PeekConfig {
            looks: 10,
            sims: 1_000_000,
            alpha: 0.05,
            baseline: 0.1,
            lift: 0.0,
            users_per_look: 1000,
            seed: 7,
            increments,
        };
        // Count the evaluations once so throughput is exact (early stops evaluate fewer looks).
        let method = [Method::default_gst()];
        let evaluations = simulate(&config, &method, Control::default()).expect("valid").look_evaluations;
        group.throughput(Throughput::Elements(evaluations));
        group.bench_function(format!("gst obf, 1M sims x 10 looks, {name}"), |b| {
            b.iter(|| simulate(black_box(&config), &method, Control::default()).expect("valid"))
        });
    }
    group.finish();
}

criterion_group!(benches, boundaries, peeking);
criterion_main!(benches);
