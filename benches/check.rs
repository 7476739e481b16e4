//! Parse + model + check throughput, and the formatter's, on a generated
//! policy of 10,000 teams.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use supportlint::{Checker, Source};

#[path = "support/generate.rs"]
mod generate;

fn check_10k_teams(c: &mut Criterion) {
    let text = generate::policy(10_000);
    let source = Source::new("generated.policy", text);
    let checker = Checker::new();
    let report = checker.check(&source);
    assert!(!report.diagnostics.iter().any(|d| d.code.starts_with('E')), "the generated policy must be valid");
    assert_eq!(report.policy.as_ref().map(|p| p.teams.len()), Some(10_000));
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(source.text().len() as u64));
    group.sample_size(10);
    group.bench_function("10k_teams", |b| b.iter(|| checker.check(&source)));
    group.bench_function("10k_teams_parse_only", |b| b.iter(|| supportlint::syntax::parse(&source, checker.limits())));
    group.finish();

    // The formatter on the same policy, and on the same teams laid out
    // badly (joined on few lines, extra blank lines): both the no-change
    // and the rewrite path.
    let formatted = supportlint::format(&source).expect("the generated policy formats");
    let messy = Source::new("messy.policy", formatted.replace("\n  ", " ").replace("}\n", "}\n\n\n"));
    assert_eq!(supportlint::format(&messy).as_deref(), Ok(formatted.as_str()), "the messy policy formats back");
    let mut group = c.benchmark_group("format");
    group.throughput(Throughput::Bytes(source.text().len() as u64));
    group.sample_size(10);
    group.bench_function("10k_teams", |b| b.iter(|| supportlint::format(&source)));
    group.bench_function("10k_teams_messy", |b| b.iter(|| supportlint::format(&messy)));
    group.finish();
}

criterion_group!(benches, check_10k_teams);
criterion_main!(benches);
