//! The figures of the performance issue, measured inside one process: a
//! check with the six rules the peers implement (the others off), its JSON
//! written to a sink, on generated policies of 3, 100, 1,000 and 10,000
//! teams; one of 100,000 teams with the limits raised; and a run over 100
//! files of 1,000 teams, each file written before the next is checked.
//! Whole-process figures (start-up, peak memory) come from timing the
//! binary; these isolate the library's share.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::sink;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use supportlint::Limits;
use supportlint::config::Level;
use supportlint::report::json;
use supportlint::{Checker, Source};

#[path = "support/generate.rs"]
mod generate;

/// The rules the peers implement; every other built-in rule is off.
const SIX: [&str; 6] = ["K001", "K003", "S001", "S002", "P001", "P002"];

fn six_rules() -> Checker {
    let codes: Vec<String> = Checker::new().catalog().metas().map(|meta| meta.code.to_string()).collect();
    // The checks of the language itself (syntax, suppressions) cannot be
    // turned off, and stay on as in the yardstick.
    codes
        .iter()
        .filter(|code| !SIX.contains(&code.as_str()))
        .fold(Checker::new(), |checker, code| checker.clone().with_level(code, Level::Off).unwrap_or(checker))
}

/// Checks `sources` in order and writes one JSON document of their findings.
fn check_and_write(checker: &Checker, sources: &[Source]) -> usize {
    let mut out = sink();
    let mut writer = json::Writer::start(&mut out).expect("a sink takes every byte");
    let mut findings = 0;
    for source in sources {
        let report = checker.check(source);
        findings += report.diagnostics.len();
        writer.file(&mut out, &report).expect("a sink takes every byte");
    }
    writer.finish(&mut out, &[]).expect("a sink takes every byte");
    findings
}

fn peer_figures(c: &mut Criterion) {
    let checker = six_rules();
    let mut group = c.benchmark_group("peer");
    group.sample_size(10);
    for teams in [3, 100, 1_000, 10_000] {
        let source = Source::new("generated.policy", generate::policy(teams));
        let found = check_and_write(&checker, std::slice::from_ref(&source));
        assert!(found > 0, "the generated policy has findings under the six rules");
        group.throughput(Throughput::Bytes(source.text().len() as u64));
        group.bench_function(format!("{teams}_teams_json"), |b| {
            b.iter(|| check_and_write(&checker, std::slice::from_ref(&source)))
        });
    }

    let files: Vec<Source> =
        (0..100).map(|i| Source::new(format!("part-{i:03}.policy"), generate::policy(1_000))).collect();
    group.throughput(Throughput::Bytes(files.iter().map(|s| s.text().len() as u64).sum()));
    group.bench_function("100_files_of_1k_teams_json", |b| b.iter(|| check_and_write(&checker, &files)));

    // 100,000 teams are over the default limits (E008); raised, they are
    // checked like any file.
    let big = Source::new("big.policy", generate::policy(100_000));
    let limits =
        Limits { max_file_bytes: 128 * 1024 * 1024, max_teams: 200_000, max_findings: 10_000_000, ..Limits::default() };
    let raised = checker.clone().with_limits(limits);
    let report = raised.check(&big);
    assert!(!report.diagnostics.iter().any(|d| d.code.starts_with('E')), "the raised limits admit 100,000 teams");
    drop(report);
    group.throughput(Throughput::Bytes(big.text().len() as u64));
    group.bench_function("100k_teams_raised_limits_json", |b| {
        b.iter(|| check_and_write(&raised, std::slice::from_ref(&big)))
    });
    group.finish();
}

criterion_group!(benches, peer_figures);
criterion_main!(benches);
