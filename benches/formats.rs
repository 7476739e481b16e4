//! The CI formats, the marker check and the planner's HTML report on the
//! report of a generated policy of 10,000 teams (tens of thousands of
//! findings), and the HTML report of hostile staffings.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use supportlint::config::FailOn;
use supportlint::report::{gitlab, html, junit, markdown};
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
    // The analysis figures are computed lazily and kept: the first page
    // pays for every team's figures, the headroom and honest plans, later
    // ones only for curves.
    group.bench_function("html_report", |b| b.iter(|| html::page(&reports)));
    group.finish();
}

/// Teams a planner would not write: a huge load with patience (Erlang A at
/// every curve point), and a huge staffing for a trickle of demand (a wide
/// range of agents to sample).
fn html_report_hostile(c: &mut Criterion) {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!(
            "team \"a{i}\" {{ channel phone demand 10000000/h agents {} shrinkage 30% patience 1m service_level 80% within 20s target abandonment <= 5% }}\n",
            2_000_000 + i
        ));
        text.push_str(&format!(
            "team \"b{i}\" {{ channel phone demand 1/h agents 100000000000 service_level 80% within 20s target speed_of_answer <= 20s }}\n"
        ));
    }
    let reports = vec![Checker::new().check(&Source::new("hostile.policy", text))];
    let _warm = html::page(&reports);
    let mut group = c.benchmark_group("html_report_hostile_100_teams");
    group.sample_size(10);
    group.bench_function("page", |b| b.iter(|| html::page(&reports)));
    group.finish();
}

criterion_group!(benches, formats_10k_teams, html_report_hostile);
criterion_main!(benches);
