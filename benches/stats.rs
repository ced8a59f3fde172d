//! Statistics kernels: boundary computation and peeking Monte Carlo throughput.
//!
//! Targets (issue 3, 2-core machine): K = 20 boundaries < 10 ms; peeking at
//! ≥ 50M look-evaluations/s with exact binomial counts and ≥ 200M/s with
//! normal increments. Throughput is reported in elements = look evaluations.
//!
//! Issue 7: the peeking lab settles (every method's 95 % interval within ±0.5
//! percentage points) within 1 s of a setting change — the streamed run from
//! the new setting to its settled batch, drawing the chart after every batch
//! as the app does.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journeylab::api::stats::Method;
use journeylab::api::stats::Sides;
use journeylab::api::stats::{BoundaryFamily, Design, DesignSpec, SpendingFunction, efficacy_bounds, equal_fractions};
use journeylab::api::stats::{Control, Increments, PeekConfig, simulate};

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

fn peeking_lab(c: &mut Criterion) {
    use journeylab::api::ImageFormat;
    use journeylab::api::lab::{Settle, peeking_chart, stream_peeking};
    let mut group = c.benchmark_group("peeking lab");
    group.sample_size(10);
    let config = PeekConfig {
        looks: 20,
        sims: 0,
        alpha: 0.05,
        baseline: 0.05,
        lift: 0.0,
        users_per_look: 1000,
        seed: 20_260_501,
        increments: Increments::Binomial,
    };
    let methods: Vec<Method> = ["naive", "gst:obf", "gst:pocock", "gst:haybittle-peto", "msprt", "cs", "bayes:0.95"]
        .iter()
        .map(|m| Method::parse(m).expect("method"))
        .collect();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    group.bench_function("setting change to settled, 20 looks, 7 methods, 1000 users/look, with charts", |b| {
        b.iter(|| {
            let mut on_batch = |report: &journeylab::api::lab::PeekReport, _settled: bool| {
                black_box(peeking_chart(report, ImageFormat::Svg).expect("chart"));
            };
            stream_peeking(black_box(&config), &methods, Settle::default(), &cancel, &mut on_batch).expect("settles")
        })
    });
    group.finish();
}

criterion_group!(benches, boundaries, peeking, peeking_lab);
criterion_main!(benches);
