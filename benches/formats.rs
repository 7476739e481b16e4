//! The CI formats and the marker check on the report of a generated policy
//! of 10,000 teams (tens of thousands of findings).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use supportlint::config::FailOn;
use supportlint::report::{gitlab, junit, markdown};
use supportlint::{Checker, Source, testing};

#[path = "support/generate.rs"]
mod generate;

fn formats_10k_teams(c: &mut Criterion) {
    let source = Source::new("generated.policy", generate::policy(10_000));
    let reports = vec![Checker::new().check(&source)];
    let findings = reports[0].diagnostics.len();
    assert!(findings > 10_000, "{findings} findings");
    let mut group = c.benchmark_group(format!("formats_{findings}_findings"));
    group.sample_size(10);
    group.bench_function("gitlab", |b| b.iter(|| gitlab::report(&reports)));
    group.bench_function("junit", |b| b.iter(|| junit::report(&reports, &[FailOn::Warning])));
    group.bench_function("markdown", |b| b.iter(|| markdown::comment(&reports)));
    group.bench_function("expect_markers", |b| b.iter(|| testing::check(&reports[0])));
    group.finish();
}

criterion_group!(benches, formats_10k_teams);
criterion_main!(benches);
