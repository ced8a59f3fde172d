//! Fit speed (issue 13, point 5): the BG/NBD fit on 235,700 customers — the CDNOW
//! sample summary (tests/data/cdnow_customers_summary.csv) repeated 100 times —
//! against lifetimes' `BetaGeoFitter.fit` on the same data (docs/predict.md quotes both).

use criterion::{Criterion, criterion_group, criterion_main};
use journeylab::api::fit::bgnbd::{self, Customer};

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

fn bgnbd_fit(c: &mut Criterion) {
    let customers = cdnow_times(100);
    let mut group = c.benchmark_group("predict");
    group.sample_size(10);
    group.bench_function("bgnbd fit, CDNOW x100 (235,700 customers)", |b| {
        b.iter(|| bgnbd::fit(&customers).expect("fits"))
    });
    group.finish();
}

criterion_group!(benches, bgnbd_fit);
criterion_main!(benches);
