//! The queueing figures against an independent high-precision reference
//! (tests/fixtures/analysis/reference.py, mpmath at 60 digits, sharing no
//! algorithm with src/analysis), and their properties.

use proptest::prelude::*;
use supportlint::analysis::erlang::{ErlangB, ErlangC, required_servers};
use supportlint::analysis::erlang_a::{self, ErlangA};
use supportlint::analysis::exact;
use supportlint::num::Rational;

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/fixtures/analysis/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

fn int(s: &str) -> u64 {
    s.parse().unwrap()
}

fn load(rate: u64, handle: u64) -> Rational {
    exact::offered_load(Rational::from_int(rate as i64), Rational::from_int(handle as i64)).unwrap()
}

#[test]
fn erlang_c_matches_the_reference_to_1e_6() {
    let rows = rows("erlang_c.csv");
    assert!(rows.len() > 400);
    for r in &rows {
        let (rate, h, t, target, n) = (int(&r[0]), int(&r[1]), int(&r[2]), int(&r[3]), int(&r[4]));
        let a = load(rate, h);
        let case = format!("{rate}/h, {h}s, N = {n}, A = {a:?}");
        let stable = r[5] == "1";
        assert_eq!(exact::is_stable(n, a), stable, "{case}");
        match ErlangC::new(n, a) {
            Some(c) => {
                assert!((c.waiting - num(&r[6])).abs() < 1e-6, "{case}: C {} vs {}", c.waiting, r[6]);
                let sl = c.service_level(t as f64, h as f64);
                assert!((sl - num(&r[7])).abs() < 1e-6, "{case}: SL {sl} vs {}", r[7]);
                let asa = c.speed_of_answer(h as f64);
                let expected = num(&r[8]);
                assert!((asa - expected).abs() <= 1e-6 * expected.max(1.0), "{case}: ASA {asa} vs {expected}");
            }
            None => assert!(!stable, "{case}"),
        }
        if !r[9].is_empty() {
            let required = required_servers(a, h as f64, t as f64, target as f64 / 100.0);
            assert_eq!(required, Some(int(&r[9])), "{case}: required servers for {target}% in {t}s");
        }
    }
}

#[test]
fn erlang_a_matches_the_reference_to_1e_6() {
    for r in &rows("erlang_a.csv") {
        let (rate, h, patience, t, n) = (int(&r[0]), int(&r[1]), int(&r[2]), int(&r[3]), int(&r[4]));
        let a = load(rate, h).to_f64();
        let got = ErlangA::new(n, a, h as f64, patience as f64, t as f64);
        let case = format!("{rate}/h, {h}s, patience {patience}s, N = {n}");
        assert!((got.waiting - num(&r[5])).abs() < 1e-6, "{case}: wait {} vs {}", got.waiting, r[5]);
        assert!((got.abandonment - num(&r[6])).abs() < 1e-6, "{case}: abandon {} vs {}", got.abandonment, r[6]);
        assert!((got.service_level - num(&r[7])).abs() < 1e-6, "{case}: SL {} vs {}", got.service_level, r[7]);
        let (asa, expected) = (got.speed_of_answer.unwrap(), num(&r[8]));
        assert!((asa - expected).abs() <= 1e-6 * expected.max(1.0), "{case}: ASA {asa} vs {expected}");
    }
}

/// The mean wait of answered contacts (contacts answered at once included),
/// with waiting and abandonment, from loads of 0.5 to 4,000 Erlangs,
/// patience from 10 s to 10 h, servers from half the load to well above it,
/// against the truncated birth-death chain at 60 digits.
#[test]
fn erlang_a_answered_wait_matches_the_chain_to_1e_6() {
    let rows = rows("erlang_a_wait.csv");
    assert!(rows.len() >= 190);
    let within = |got: f64, expected: f64| (got - expected).abs() <= 1e-6 * expected.abs().max(1.0);
    for r in &rows {
        let (rate, h, patience, n) = (int(&r[0]), int(&r[1]), int(&r[2]), int(&r[3]));
        let a = load(rate, h).to_f64();
        let got = ErlangA::new(n, a, h as f64, patience as f64, 20.0);
        let case = format!("{rate}/h, {h}s, patience {patience}s, N = {n}, A = {a}");
        assert!(within(got.waiting, num(&r[4])), "{case}: wait {} vs {}", got.waiting, r[4]);
        assert!(within(got.abandonment, num(&r[5])), "{case}: abandon {} vs {}", got.abandonment, r[5]);
        let asa = got.speed_of_answer.unwrap();
        assert!(within(asa, num(&r[6])), "{case}: answered wait {asa} vs {}", r[6]);
    }
}

#[test]
fn scheduled_agents_after_shrinkage_are_exact() {
    for r in &rows("shrinkage.csv") {
        let shrinkage = Rational::new(i128::from(int(&r[1]) as i64), 100).unwrap();
        assert_eq!(exact::scheduled_for(int(&r[0]), shrinkage), Some(int(&r[2])), "{r:?}");
    }
}

#[test]
fn the_benchmark_cases_need_the_published_agents() {
    // 20,000 an hour at 300 s and 80/20: about 1,683; 400,000: about 33,356.
    assert_eq!(required_servers(load(20_000, 300), 300.0, 20.0, 0.8), Some(1683));
    assert_eq!(required_servers(load(400_000, 300), 300.0, 20.0, 0.8), Some(33_356));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn service_level_rises_with_agents(rate in 10u64..20_000, h in 120u64..900, extra in 1u64..50) {
        let a = load(rate, h);
        let first = u64::try_from(a.floor()).unwrap() + 1;
        let (low, high) = (ErlangC::new(first, a).unwrap(), ErlangC::new(first + extra, a).unwrap());
        prop_assert!(high.service_level(20.0, h as f64) >= low.service_level(20.0, h as f64));
    }

    #[test]
    fn required_agents_meet_the_target_and_one_fewer_does_not(rate in 10u64..20_000, h in 120u64..900, target in 50u64..99) {
        let a = load(rate, h);
        let target = target as f64 / 100.0;
        let n = required_servers(a, h as f64, 20.0, target).unwrap();
        prop_assert!(ErlangC::new(n, a).unwrap().service_level(20.0, h as f64) >= target - 1e-9);
        if let Some(fewer) = ErlangC::new(n - 1, a) {
            prop_assert!(fewer.service_level(20.0, h as f64) < target - 1e-9);
        }
    }

    #[test]
    fn probabilities_stay_in_range_up_to_100000_erlangs(
        erlangs in 0.01f64..100_000.0,
        ratio in 0.0f64..2.0,
        patience in 10.0f64..3600.0,
    ) {
        let n = (erlangs * ratio) as u64;
        let b = ErlangB::at(n, erlangs).value();
        prop_assert!((0.0..=1.0).contains(&b));
        let a = ErlangA::new(n, erlangs, 300.0, patience, 20.0);
        for v in [a.waiting, a.abandonment, a.service_level] {
            prop_assert!(v.is_finite() && (0.0..=1.0).contains(&v), "{a:?}");
        }
        if let Some(asa) = a.speed_of_answer {
            prop_assert!(asa.is_finite() && asa >= 0.0, "{a:?}");
        }
        let sl = erlang_a::service_level(n, erlangs, 300.0, patience, 20.0);
        prop_assert!(sl.is_finite());
    }
}

/// The figures of the one team of `body`.
fn figures(body: &str) -> supportlint::analysis::TeamFigures {
    let report = supportlint::Checker::new()
        .check(&supportlint::Source::new("t.policy", format!("team \"T\" {{\n{body}\n}}\n")));
    assert!(!report.diagnostics.iter().any(|d| d.code.starts_with('E')), "{:#?}", report.diagnostics);
    report.figures.into_iter().next().unwrap()
}

fn secs(f: &supportlint::analysis::TeamFigures) -> (f64, f64) {
    (f.planned_handle_time.unwrap().0.secs().to_f64(), f.honest_handle_time.unwrap().0.secs().to_f64())
}

#[test]
fn planned_handle_time_is_the_lowest_ceiling_then_typical_then_raised_to_a_floor() {
    // The lowest upper bound among targets and cap directives.
    let f = figures(
        "channel phone\ntarget handle_time <= 5m\ntarget handle_time between 2m and 4m\ndirective executive: cap handle_time at 4m30s",
    );
    assert_eq!(secs(&f), (240.0, 240.0));
    // Without one, the channel's typical handle time (phone 6m).
    assert_eq!(secs(&figures("channel phone")), (360.0, 360.0));
    // ... raised to the highest lower bound of a target, if higher.
    assert_eq!(secs(&figures("channel phone\ntarget handle_time >= 7m")), (420.0, 420.0));
    assert_eq!(secs(&figures("channel phone\ntarget handle_time >= 5m")), (360.0, 360.0));
    // A floor directive does not raise it.
    assert_eq!(secs(&figures("channel phone\ndirective manager: floor handle_time at 9m")), (360.0, 360.0));
}

#[test]
fn honest_handle_time_is_raised_to_the_promises_floors_only() {
    // thorough on the phone: 6m.
    assert_eq!(secs(&figures("channel phone\ntarget handle_time <= 3m\npromise thorough, empathetic")), (180.0, 360.0));
    // A required promise is not a promise of the team.
    assert_eq!(
        secs(&figures("channel phone\ntarget handle_time <= 3m\ndirective director: require thorough")),
        (180.0, 180.0)
    );
}

#[test]
fn shrinkage_concurrency_and_the_published_staffing() {
    let f = figures(
        "channel chat\nconcurrency 3\nagents 30\nshrinkage 30%\ndemand 200/h\ntarget handle_time <= 9m\nservice_level 80% within 20s",
    );
    assert_eq!((f.productive, f.servers), (Some(21), Some(63)));
    // 200 chats an hour at 9 min wall clock is 30 Erlangs on 63 slots.
    let q = f.planned.unwrap();
    assert_eq!(q.load, Rational::from_int(30));
    assert!((q.occupancy.unwrap() - 30.0 / 63.0).abs() < 1e-12);
    // Required servers come in whole agents of 3 slots.
    let servers = q.required_servers().unwrap();
    assert_eq!(q.required_productive(), Some(servers.div_ceil(3)));
}

#[test]
fn first_contact_resolution_ceiling_counts_what_agents_cannot_do_alone() {
    let f = figures(concat!(
        "channel phone\n",
        "authority {\n refund up_to $50\n credit up_to $20 approval supervisor\n replacement allowed\n}\n",
        "drivers {\n",
        " \"small refund\" 10% needs refund up_to $50\n", // within the limit
        " \"large refund\" 15% needs refund up_to $120\n", // over it
        " \"credit\" 20% needs credit\n",                 // approval every time
        " \"replacement\" 5% needs replacement\n",        // allowed
        " \"fee\" 10% needs fee_waiver\n",                // not granted
        " \"plan\" 25%\n",
        "}"
    ));
    // 100% - (15% + 20% + 10%) = 55%; the 15% without a driver count as resolvable.
    assert_eq!(f.max_first_contact_resolution.fraction(), Rational::new(55, 100).unwrap());
}
