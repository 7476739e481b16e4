//! The queueing searches on the sizes.
//!
//! - Required agents for the service level alone: 20,000 contacts an hour
//!   at 300 s and 80/20 (about 1,683 servers), and 400,000 (about 33,356).
//!   Targets: under 20 µs and under 500 µs.
//! - The staffing plan (service level, a 20 s answer-time ceiling, the 85%
//!   occupancy ceiling, stability; with patience also a 5% abandonment
//!   ceiling) and the demand headroom of a staffing 10% above the plan, on a
//!   small team (200 an hour at 180 s, 10 Erlangs) and a large one (20,000
//!   an hour at 300 s, 1,667 Erlangs), under Erlang C and Erlang A
//!   (patience 2m); the Erlang C plan at 400,000 an hour, whose cost must
//!   grow like the servers, not their square; and the Erlang A plan at the
//!   shape bound (1,000 Erlangs, patience 1,000 handle times), the most a
//!   team can cost.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use supportlint::analysis::erlang::required_servers;
use supportlint::analysis::erlang_a;
use supportlint::analysis::exact::offered_load;
use supportlint::analysis::plan::{demand_headroom, plan};
use supportlint::analysis::{QueueModel, QueueTarget, TargetKind};
use supportlint::model::units::{Ratio, Seconds};
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

/// A team of `rate` contacts an hour at `handle` seconds with 80/20, a 20 s
/// answer-time ceiling, 30% shrinkage and the 85% ceiling; with `patience`
/// also a 5% abandonment ceiling.
fn model(rate: i64, handle: i64, patience: Option<f64>) -> QueueModel {
    let mut targets = vec![
        QueueTarget {
            target: None,
            kind: TargetKind::ServiceLevel { share: Ratio::percent(80), within: Seconds::from_secs(20) },
        },
        QueueTarget { target: Some(0), kind: TargetKind::SpeedOfAnswer { ceiling: Seconds::from_secs(20) } },
    ];
    if patience.is_some() {
        targets.push(QueueTarget { target: Some(1), kind: TargetKind::Abandonment { ceiling: Ratio::percent(5) } });
    }
    QueueModel {
        load: offered_load(Rational::from_int(rate), Rational::from_int(handle)).unwrap(),
        handle_s: handle as f64,
        patience_s: patience,
        targets,
        occupancy_ceiling: Ratio::percent(85),
        concurrency: 1,
        shrinkage: Rational::new(3, 10).unwrap(),
    }
}

fn staffing_plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    let cases = [
        ("erlang_c_small", model(200, 180, None)),
        ("erlang_c_large", model(20_000, 300, None)),
        ("erlang_c_400000_per_hour", model(400_000, 300, None)),
        ("erlang_a_small", model(200, 180, Some(120.0))),
        ("erlang_a_large", model(20_000, 300, Some(120.0))),
        // The worst a team can cost: 1,000 Erlangs patient for 1,000 handle
        // times, at MAX_ERLANG_A_SHAPE.
        ("erlang_a_at_shape_bound", model(12_000, 300, Some(300_000.0))),
    ];
    for (name, m) in &cases {
        assert!(plan(m).plan.is_ok());
        group.bench_with_input(BenchmarkId::from_parameter(name), m, |b, m| b.iter(|| plan(black_box(m))));
    }
    group.finish();
    let mut group = c.benchmark_group("headroom");
    for (name, m) in cases.iter().filter(|(n, _)| !n.contains("400000") && !n.contains("bound")) {
        let servers = plan(m).plan.unwrap().servers * 11 / 10;
        assert!(demand_headroom(m, servers).unwrap().tenths > 0);
        group.bench_with_input(BenchmarkId::from_parameter(name), m, |b, m| {
            b.iter(|| demand_headroom(black_box(m), servers))
        });
    }
    group.finish();
}

criterion_group!(benches, required_agents, staffing_plan);
criterion_main!(benches);
