//! Required agents for the service level, on the two sizes: 20,000
//! contacts an hour at 300 s and 80/20 (about 1,683 servers), and 400,000
//! (about 33,356). Targets: under 20 µs and under 500 µs.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use supportlint::analysis::erlang::required_servers;
use supportlint::analysis::erlang_a;
use supportlint::analysis::exact::offered_load;
use supportlint::num::Rational;

fn required_agents(c: &mut Criterion) {
    let mut group = c.benchmark_group("required_agents");
    for (rate, expected) in [(20_000i64, 1_683u64), (400_000, 33_356)] {
        let load = offered_load(Rational::from_int(rate), Rational::from_int(300)).unwrap();
        assert_eq!(required_servers(load, 300.0, 20.0, 0.8), Some(expected));
        group.bench_with_input(BenchmarkId::new("erlang_c", rate), &load, |b, &load| {
            b.iter(|| required_servers(black_box(load), 300.0, 20.0, 0.8))
        });
        group.bench_with_input(BenchmarkId::new("erlang_a_patience_2m", rate), &load, |b, &load| {
            b.iter(|| erlang_a::required_servers(black_box(load.to_f64()), 300.0, 120.0, 20.0, 0.8))
        });
    }
    group.finish();
}

criterion_group!(benches, required_agents);
criterion_main!(benches);
