//! Fit speed (issue 13, point 5; docs/predict.md, "Fit speed"): the BG/NBD and the Pareto/NBD fits
//! on the CDNOW sample summary (tests/data/cdnow_customers_summary.csv), once and repeated 100
//! times (235,700 customers), against lifetimes' fitters on the same data
//! (benches/lifetimes_fit.py).

use criterion::{Criterion, criterion_group, criterion_main};
use journeylab::api::fit::bgnbd::{self, Customer};
use journeylab::api::fit::paretonbd;

fn cdnow_times(copies: usize) -> Vec<Customer> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cdnow_customers_summary.csv");
    let text = std::fs::read_to_string(path).expect("CDNOW summary");
    let one: Vec<Customer> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<f64> = l.split(',').skip(1).map(|v| v.parse().expect("number")).collect();
            Customer { frequency: c[0] as u32, recency: c[1], age: c[2] }
        })
        .collect();
    one.iter().cycle().take(one.len() * copies).copied().collect()
}

fn fits(c: &mut Criterion) {
    let (once, hundred) = (cdnow_times(1), cdnow_times(100));
    let mut group = c.benchmark_group("predict");
    group.sample_size(10);
    group.bench_function("bgnbd fit, CDNOW x100 (235,700 customers)", |b| {
        b.iter(|| bgnbd::fit(&hundred).expect("fits"))
    });
    group.bench_function("paretonbd fit, CDNOW (2,357 customers)", |b| b.iter(|| paretonbd::fit(&once).expect("fits")));
    group.bench_function("paretonbd fit, CDNOW x100 (235,700 customers)", |b| {
        b.iter(|| paretonbd::fit(&hundred).expect("fits"))
    });
    group.finish();
}

criterion_group!(benches, fits);
criterion_main!(benches);
