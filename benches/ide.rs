//! What the language server does after an edit to a policy of 500 teams:
//! check it again, then answer hover, completion and the outline on it.
//! The server waits 5 ms after the last edit, then checks; the check is
//! the part that grows with the file.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use supportlint::{Checker, Source, ide};

#[path = "support/generate.rs"]
mod generate;

fn after_an_edit(c: &mut Criterion) {
    let text = generate::policy(500);
    // An edit in the middle of the file, as an author makes one.
    let middle = text.find("team \"Team 250\"").unwrap();
    let edited = format!("{}  # edited\n{}", &text[..middle], &text[middle..]);
    let source = Source::new("generated.policy", edited.clone());
    let checker = Checker::new();
    let report = checker.check(&source);
    assert_eq!(report.policy.as_ref().map(|p| p.teams.len()), Some(500));
    let agents = middle + edited[middle..].find("agents").unwrap();
    let statement = middle + edited[middle..].find("  demand").unwrap() + 2;
    assert!(ide::hover(&report, agents).is_some_and(|h| h.markdown.contains("offered load")));
    assert!(!ide::complete(&report, statement).items.is_empty());

    let mut group = c.benchmark_group("ide_500_teams");
    group.throughput(Throughput::Bytes(edited.len() as u64));
    group.sample_size(20);
    group.bench_function("check", |b| b.iter(|| checker.check(&source)));
    group.bench_function("hover_on_agents", |b| b.iter(|| ide::hover(&report, agents)));
    group.bench_function("complete_a_statement", |b| b.iter(|| ide::complete(&report, statement)));
    group.bench_function("symbols", |b| b.iter(|| ide::symbols(&report)));
    group.finish();
}

criterion_group!(benches, after_an_edit);
criterion_main!(benches);
