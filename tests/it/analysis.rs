//! The queueing figures against an independent high-precision reference
//! (tests/fixtures/analysis/reference.py, mpmath at 40 to 60 digits, sharing no
//! algorithm with src/analysis), and their properties.

use proptest::prelude::*;
use supportlint::analysis::erlang::{ErlangB, ErlangC, required_servers};
use supportlint::analysis::erlang_a::{self, ErlangA};
use supportlint::analysis::exact;
use supportlint::analysis::{Condition, NoPlan, NotComputed, QueueTarget, Staffing, TargetKind};
use supportlint::num::Rational;
use supportlint::report::analysis::{AnalysisJson, JSON_VERSION, TABLE_WIDTH, file_json, human_table};

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

/// The figures of the one team of `body`. A team whose figures are beyond
/// the model's bounds gets its E008 saying so, and nothing else.
fn figures(body: &str) -> supportlint::analysis::TeamFigures {
    let report = supportlint::Checker::new()
        .check(&supportlint::Source::new("t.policy", format!("team \"T\" {{\n{body}\n}}\n")));
    let not_computed = |d: &supportlint::Diagnostic| d.code == "E008" && d.message.contains("are not computed");
    assert!(
        !report.diagnostics.iter().any(|d| d.code.starts_with('E') && !not_computed(d)),
        "{:#?}",
        report.diagnostics
    );
    report.figures().first().unwrap().clone()
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

/// A generated team: random demand, handle time, shrinkage, concurrency,
/// patience, occupancy norm, emotional load and queue targets. `{agents}`
/// is filled in later.
#[derive(Debug, Clone)]
struct GeneratedTeam {
    body: String,
}

impl GeneratedTeam {
    fn with_agents(&self, agents: Option<u64>) -> String {
        let agents = agents.map_or(String::new(), |a| format!("  agents {a}\n"));
        self.body.replace("{agents}", &agents)
    }
}

prop_compose! {
    fn generated_team()(
        channel in prop_oneof![Just("phone"), Just("chat"), Just("email")],
        demand in prop_oneof![1u64..200, 1u64..3_000],
        handle in prop_oneof![Just(None), (20u64..1_200).prop_map(Some)],
        shrinkage_tenths in prop_oneof![Just(None), (0u64..700).prop_map(Some)],
        concurrency in 1u32..4,
        patience in prop_oneof![Just(None), (5u64..1_800).prop_map(Some)],
        service_level in prop_oneof![Just(None), (500u64..1000, 1u64..120).prop_map(Some)],
        answer in prop_oneof![Just(None), (1u64..90, 0usize..3).prop_map(Some)],
        abandonment in prop_oneof![Just(None), (1u64..150).prop_map(Some)],
        occupancy in prop_oneof![Just(None), (50u64..101).prop_map(Some), Just(Some(100))],
        high_load in any::<bool>(),
        thorough in any::<bool>(),
    ) -> GeneratedTeam {
        let mut body = String::new();
        if let Some(o) = occupancy {
            body.push_str(&format!("norms {{\n  max_occupancy {o}%\n}}\n"));
        }
        body.push_str(&format!("team \"T\" {{\n  channel {channel}\n  demand {demand}/h\n{{agents}}"));
        if let Some(h) = handle {
            body.push_str(&format!("  target handle_time <= {h}s\n"));
        }
        if let Some(s) = shrinkage_tenths {
            body.push_str(&format!("  shrinkage {}.{}%\n", s / 10, s % 10));
        }
        if channel == "chat" {
            body.push_str(&format!("  concurrency {concurrency}\n"));
        }
        if let Some(p) = patience {
            body.push_str(&format!("  patience {p}s\n"));
        }
        if let Some((share, within)) = service_level {
            body.push_str(&format!("  service_level {}.{}% within {within}s\n", share / 10, share % 10));
        }
        match answer {
            Some((a, 0)) => body.push_str(&format!("  target speed_of_answer <= {a}s\n")),
            Some((a, 1)) => body.push_str(&format!("  target speed_of_answer < {a}s\n")),
            Some((a, _)) => body.push_str(&format!("  target speed_of_answer between 0s and {a}s\n")),
            None => {}
        }
        if let Some(a) = abandonment {
            body.push_str(&format!("  target abandonment <= {}.{}%\n", a / 10, a % 10));
        }
        if high_load {
            body.push_str("  emotional_load high\n");
        }
        if thorough {
            body.push_str("  promise thorough\n");
        }
        body.push_str("}\n");
        GeneratedTeam { body }
    }
}

/// The figures of the one team of a whole policy text.
fn figures_of(text: &str) -> supportlint::analysis::TeamFigures {
    let report = supportlint::Checker::new().check(&supportlint::Source::new("t.policy", text.to_string()));
    assert!(!report.diagnostics.iter().any(|d| d.code.starts_with('E')), "{text}\n{:#?}", report.diagnostics);
    report.figures().first().unwrap().clone()
}

/// Whether the figures of the one team of `text` are beyond the model (E008).
fn not_computed(text: &str) -> bool {
    let report = supportlint::Checker::new().check(&supportlint::Source::new("t.policy", text.to_string()));
    report.diagnostics.iter().any(|d| d.code == "E008")
}

/// The judgements a queue shows for its staffing are the model's, bit for
/// bit: what a rule reads and what the plan searched with cannot differ.
fn same_figures_as_the_model(q: &supportlint::analysis::Queue) -> Result<(), TestCaseError> {
    let servers = q.servers().unwrap();
    let bits = |x: Option<f64>| x.map(f64::to_bits);
    for status in q.targets() {
        let model = q.model.figure(status.target.kind, servers).unwrap();
        prop_assert_eq!(bits(status.figure), bits(model), "{:?}", status);
        prop_assert_eq!(status.met, Some(q.model.met(Condition::Target(status.target), servers).unwrap()));
    }
    // The joint judgement of every condition is the one-by-one one.
    let one_by_one = {
        let mut conditions = q.model.conditions();
        conditions.sort_by_key(|c| !matches!(c, Condition::Stability));
        conditions.into_iter().find(|&c| !q.model.met(c, servers).unwrap())
    };
    prop_assert_eq!(q.model.first_unmet(servers).unwrap(), one_by_one);
    prop_assert_eq!(bits(q.occupancy), bits(q.model.occupancy(servers).unwrap()));
    prop_assert_eq!(q.occupancy_met(), Some(q.model.occupancy_met(servers).unwrap()));
    if q.model.patience_s.is_some() {
        prop_assert_eq!(bits(q.abandonment), bits(q.model.abandonment(servers).unwrap()));
        prop_assert_eq!(bits(q.waiting), bits(q.model.waiting(servers).unwrap()));
    }
    Ok(())
}

/// The contract of RULES.md's staffing plan, on our own judgements: at the
/// plan every condition (each queue target, the occupancy ceiling,
/// stability) is met, and one agent fewer fails at least one; each
/// condition's own minimum is exact in the same way. At the planned and at
/// the honest handle time.
fn check_plan(team: &GeneratedTeam, honest: bool) -> Result<(), TestCaseError> {
    let pick = |f: &supportlint::analysis::TeamFigures| {
        if honest { f.honest.clone().unwrap() } else { f.planned.clone().unwrap() }
    };
    let without = pick(&figures_of(&team.with_agents(None)));
    // The service level's own minimum, asked for first, is the plan's.
    let required = without.required_scheduled();
    let plan = *without.plan();
    if let Some(sl) = without.model.targets.first().filter(|t| t.target.is_none()) {
        let alone = supportlint::analysis::plan::minimum(&without.model, Condition::Target(*sl));
        prop_assert_eq!(required, alone.ok().map(|s| s.scheduled));
    }
    let Ok(staffing) = plan.plan else { return Ok(()) };
    prop_assert!(staffing.scheduled > 0, "{}", team.body);
    let at_plan = pick(&figures_of(&team.with_agents(Some(staffing.scheduled))));
    same_figures_as_the_model(&at_plan)?;
    prop_assert_eq!(at_plan.first_unmet(), Some(None), "plan {:?}\n{}", staffing, team.body);
    prop_assert_eq!(at_plan.all_targets_met(), Some(true));
    prop_assert_eq!(at_plan.occupancy_met(), Some(true));
    prop_assert!(at_plan.stable);
    // Zero agents with demand is E004, so one agent fewer than a plan of
    // one is judged on the model alone.
    let fewer = if staffing.scheduled > 1 {
        pick(&figures_of(&team.with_agents(Some(staffing.scheduled - 1)))).first_unmet().unwrap()
    } else {
        without.model.first_unmet(0).unwrap()
    };
    prop_assert!(fewer.is_some(), "plan {:?} minus one meets all\n{}", staffing, team.body);
    if staffing.scheduled > 1 {
        same_figures_as_the_model(&pick(&figures_of(&team.with_agents(Some(staffing.scheduled - 1)))))?;
    }
    // Each condition alone: its minimum meets it, one server fewer does not.
    let model = &without.model;
    let minima = without.minima();
    prop_assert_eq!(minima.len(), model.conditions().len());
    prop_assert_eq!(
        minima.iter().map(|m| m.staffing.unwrap().servers).max(),
        Some(staffing.servers),
        "the plan is the largest minimum"
    );
    let binding = plan.binding.unwrap();
    prop_assert_eq!(without.minimum(binding).unwrap().unwrap().servers, staffing.servers);
    for m in &minima {
        let s = m.staffing.unwrap();
        prop_assert!(model.met(m.condition, s.servers).unwrap(), "{:?}\n{}", m, team.body);
        if s.servers > 0 {
            prop_assert!(!model.met(m.condition, s.servers - 1).unwrap(), "{:?}\n{}", m, team.body);
        }
        prop_assert!(s.servers <= staffing.servers);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_plan_meets_every_condition_and_one_agent_fewer_does_not(team in generated_team()) {
        check_plan(&team, false)?;
        check_plan(&team, true)?;
    }

    #[test]
    fn the_headroom_is_the_last_tenth_of_a_percent_that_holds(team in generated_team(), agents in 1u64..400) {
        check_headroom(&team, agents)?;
    }
}

/// `text` with its demand of `demand`/h multiplied by (1000 + tenths) / 1000,
/// written as the decimal a planner would write.
fn grown(text: &str, demand: u64, tenths: u64) -> String {
    let scaled = demand * (1000 + tenths);
    text.replace(&format!("demand {demand}/h"), &format!("demand {}.{:03}/h", scaled / 1000, scaled % 1000))
}

/// The headroom of RULES.md/issue 15, on whole policies: every condition
/// holds at the reported growth, one tenth of a percent more fails the
/// condition it names; 0 exactly when one fails today; the plan at +10%
/// and +25% is the plan of the grown demand.
fn check_headroom(team: &GeneratedTeam, agents: u64) -> Result<(), TestCaseError> {
    let text = team.with_agents(Some(agents));
    let figures = figures_of(&text);
    let demand: u64 = text.split("demand ").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
    let today = figures.planned.as_ref().unwrap().first_unmet().unwrap();
    let headroom = figures.headroom().unwrap();
    if let Some(failing) = today {
        prop_assert_eq!((headroom.tenths, headroom.limit), (0, Some(failing)));
    } else {
        let grown_text = grown(&text, demand, headroom.tenths);
        // With no condition failing before the model's largest load, the
        // honest handle time can take the grown team past it first (E008).
        if headroom.limit.is_some() || !not_computed(&grown_text) {
            let at = figures_of(&grown_text);
            prop_assert_eq!(at.planned.as_ref().unwrap().first_unmet(), Some(None), "{:?}\n{}", headroom, text);
        }
        if let Some(limit) = headroom.limit {
            let beyond = figures_of(&grown(&text, demand, headroom.tenths + 1));
            let first = beyond.planned.as_ref().unwrap().first_unmet();
            prop_assert_eq!(first, Some(Some(limit)), "{:?}\n{}", headroom, text);
        }
    }
    for &(growth, plan) in figures.plans_at_demand() {
        let at = figures_of(&grown(&team.with_agents(None), demand, u64::from(growth) * 10));
        prop_assert_eq!(plan, at.planned.as_ref().unwrap().plan().plan, "+{}%\n{}", growth, text);
    }
    Ok(())
}

#[test]
fn the_published_example_plans_14_agents_20_with_shrinkage() {
    // 200 an hour at 3m is 10 Erlangs; 80/20 needs 14 servers, the 85%
    // ceiling 12, stability 11: the service level decides.
    let f = figures(
        "channel phone\ndemand 200/h\nagents 20\nshrinkage 30%\ntarget handle_time <= 3m\nservice_level 80% within 20s",
    );
    let q = f.planned.as_ref().unwrap();
    let plan = q.plan();
    let servers: Vec<u64> = q.minima().iter().map(|m| m.staffing.unwrap().servers).collect();
    assert_eq!(servers, [14, 12, 11]);
    assert_eq!(plan.plan.unwrap(), Staffing { servers: 14, productive: 14, scheduled: 20 });
    assert!(matches!(plan.binding, Some(Condition::Target(QueueTarget { target: None, .. }))));
    assert_eq!(q.required_scheduled(), Some(20));
    assert_eq!(q.first_unmet(), Some(None));
    let sl = q.target(None).unwrap();
    assert!((sl.figure.unwrap() - 0.888_350).abs() < 1e-6 && sl.met == Some(true));
    // 20 scheduled agents absorb 8.6% more contacts: at 217.2/h the
    // service level is still 80.11% (mpmath), at 217.4/h it is 79.98%.
    let headroom = f.headroom().unwrap();
    assert_eq!(headroom.tenths, 86, "{headroom:?}");
    assert!(matches!(headroom.limit, Some(Condition::Target(QueueTarget { target: None, .. }))));
}

#[test]
fn queue_targets_are_the_service_level_and_ceilings_on_answer_time_and_abandonment() {
    let body = "channel phone\ndemand 200/h\nagents 20\nservice_level 80% within 20s\n\
        target speed_of_answer <= 30s\ntarget speed_of_answer >= 1s\ntarget speed_of_answer between 2s and 40s\n\
        target abandonment < 5%\ntarget csat >= 80%";
    let kinds = |f: &supportlint::analysis::TeamFigures| -> Vec<(Option<usize>, TargetKind)> {
        f.planned.as_ref().unwrap().targets().iter().map(|t| (t.target.target, t.target.kind)).collect()
    };
    // Without patience the abandonment target is not judged.
    let f = figures(body);
    let k = kinds(&f);
    assert_eq!(k.iter().map(|t| t.0).collect::<Vec<_>>(), [None, Some(0), Some(2)]);
    assert!(matches!(k[2].1, TargetKind::SpeedOfAnswer { ceiling } if ceiling.secs() == Rational::from_int(40)));
    // With it, it is.
    let k = kinds(&figures(&format!("{body}\npatience 1m")));
    assert_eq!(k.iter().map(|t| t.0).collect::<Vec<_>>(), [None, Some(0), Some(2), Some(3)]);
    assert!(matches!(k[3].1, TargetKind::Abandonment { .. }));
}

#[test]
fn targets_no_staffing_meets_have_no_plan_and_say_why() {
    let base = "channel phone\ndemand 200/h\nagents 20\ntarget handle_time <= 3m";
    for (extra, why) in [
        ("service_level 100% within 20s", NoPlan::FullServiceLevel),
        ("target speed_of_answer <= 0s", NoPlan::ZeroAnswerTime),
        ("patience 1m\ntarget abandonment <= 0%", NoPlan::ZeroAbandonment),
        ("shrinkage 100%", NoPlan::FullShrinkage),
    ] {
        let f = figures(&format!("{base}\n{extra}"));
        let q = f.planned.as_ref().unwrap();
        assert_eq!(q.plan().plan, Err(why), "{extra}");
        assert!(!why.to_string().is_empty() && !why.to_string().ends_with('.'));
        // Such a target is never met, so the staffing has no headroom.
        assert_eq!(f.headroom().map(|h| h.tenths), Some(0), "{extra}");
    }
    // An abandonment target without patience is not a queue target at all.
    let f = figures(&format!("{base}\ntarget abandonment <= 0%"));
    assert!(f.planned.as_ref().unwrap().plan().plan.is_ok());
}

#[test]
fn figures_beyond_the_bounds_say_so_and_keep_the_exact_ones() {
    // 4,000,000 Erlangs: stability and occupancy are exact, the rest is not computed.
    let text =
        "channel phone\ndemand 40000000/h\nagents 4000000\ntarget handle_time <= 6m\nservice_level 80% within 20s";
    let f = figures(text);
    let q = f.planned.as_ref().unwrap();
    assert!(matches!(q.not_computed, Some(NotComputed::LoadTooLarge { .. })));
    assert_eq!(f.not_computed, q.not_computed);
    assert!(!q.stable);
    assert_eq!(q.offered_occupancy, Some(Rational::ONE));
    assert_eq!(q.occupancy_met(), Some(false));
    // Unstable is exact: everyone waits and nobody is answered in time.
    assert_eq!((q.service_level, q.waiting, q.speed_of_answer()), (Some(0.0), Some(1.0), None));
    assert_eq!(q.target(None).unwrap().met, Some(false));
    let f = figures(&text.replace("agents 4000000", "agents 5000000"));
    let stable = f.planned.as_ref().unwrap();
    assert!(stable.stable && stable.occupancy_met() == Some(true));
    assert_eq!((stable.service_level, stable.waiting, stable.speed_of_answer()), (None, None, None));
    assert_eq!(stable.target(None).unwrap().met, None);
    assert_eq!(stable.first_unmet(), None);
    assert!(matches!(q.plan().plan, Err(NoPlan::NotComputed(NotComputed::LoadTooLarge { .. }))));
    // The exact conditions still have their minimum.
    assert_eq!(q.minimum(Condition::Stability).unwrap().unwrap().servers, 4_000_001);
    assert_eq!(f.headroom(), None);
    // Patience of a million handle times on 10 Erlangs: beyond the shape
    // bound; a hundred thousand is not.
    let text = "channel phone\ndemand 600/h\nagents 50\ntarget handle_time <= 1m\npatience 1000000m";
    assert_eq!(figures(&text.replace("1000000m", "100000m")).not_computed, None);
    let f = figures(text);
    assert!(matches!(f.not_computed, Some(NotComputed::PatienceTooLong { .. })), "{:?}", f.not_computed);
    assert!(f.not_computed.unwrap().to_string().contains("patience"));
}

#[test]
fn the_analyze_table_of_the_example_policies() {
    let tables: Vec<String> = super::harness::example_reports().iter().map(human_table).collect();
    let text = tables.join("\n");
    for line in text.lines() {
        assert!(line.chars().count() <= TABLE_WIDTH, "{} columns: {line}", line.chars().count());
    }
    insta::assert_snapshot!(text);
}

#[test]
fn the_analyze_json_has_the_plan_and_the_headroom() {
    let reports = super::harness::example_reports();
    let doc = AnalysisJson { version: JSON_VERSION, files: reports.iter().map(file_json).collect() };
    let doc = serde_json::to_value(&doc).unwrap();
    let teams: Vec<&serde_json::Value> =
        doc["files"].as_array().unwrap().iter().flat_map(|f| f["teams"].as_array().unwrap()).collect();
    let consumer_care = teams.iter().find(|t| t["team"] == "Consumer Care").unwrap();
    // Unstable at 3m: the plan at 3m and at the honest 6m, no headroom.
    assert_eq!(consumer_care["plan_scheduled_agents"], 52);
    assert_eq!(consumer_care["honest_plan_scheduled_agents"], 102);
    assert_eq!(consumer_care["demand_headroom_percent"], 0.0);
    assert_eq!(consumer_care["demand_headroom_limit"], "stability");
    assert_eq!(consumer_care["plan_scheduled_agents_at_demand"], serde_json::json!({"10": 56, "25": 65}));
    // The service-level-only figure is kept as it was.
    assert_eq!(consumer_care["required_scheduled_agents"], 50);
    for team in &teams {
        for field in [
            "plan_scheduled_agents",
            "honest_plan_scheduled_agents",
            "no_plan_reason",
            "honest_no_plan_reason",
            "demand_headroom_percent",
            "demand_headroom_limit",
            "plan_scheduled_agents_at_demand",
        ] {
            assert!(team.get(field).is_some(), "{field} missing: {team}");
        }
        // One decimal: ten times the figure is whole.
        let headroom = team["demand_headroom_percent"].as_f64().unwrap();
        assert!(((headroom * 10.0).round() - headroom * 10.0).abs() < 1e-9, "{headroom}");
        // Every staffed example team has a plan, and following it...
        let plan = team["plan_scheduled_agents"].as_u64().unwrap();
        assert!(team["no_plan_reason"].is_null());
        assert!(team["plan_scheduled_agents_at_demand"]["25"].as_u64().unwrap() >= plan);
        // ...the headroom is 0 exactly when the team is short of it today
        // (the plan is the fewest agents meeting every condition).
        let agents = team["scheduled_agents"].as_u64().unwrap();
        assert_eq!(headroom == 0.0, agents < plan, "{team}");
    }
}

#[test]
fn a_hostile_team_name_is_escaped_and_cut_to_fit() {
    // As long as a name may be (200 characters), with escape sequences and
    // a right-to-left override; longer names are an E008.
    let name = format!("\u{1b}[31mRed\u{202e}{}", "x".repeat(190));
    let text = format!(
        "team \"{name}\" {{\n  channel phone\n  demand 200/h\n  agents 20\n  service_level 80% within 20s\n}}\n"
    );
    let report = supportlint::Checker::new().check(&supportlint::Source::new("bad\u{7}name.policy", text));
    assert!(!report.diagnostics.iter().any(|d| d.code.starts_with('E')), "{:#?}", report.diagnostics);
    let table = human_table(&report);
    assert!(!table.chars().any(|c| c.is_control() && c != '\n'), "{table}");
    assert!(!table.contains('\u{202e}'));
    assert!(table.starts_with("bad\\u{7}name.policy\n"), "{table}");
    assert!(table.contains("\\u{1b}[31mRed\\u{202e}xxx"), "{table}");
    for line in table.lines() {
        assert!(line.chars().count() <= TABLE_WIDTH, "{} columns: {line}", line.chars().count());
    }
    assert!(table.contains("x…  "), "{table}");
    // JSON carries the name as it is (serde escapes it).
    let json = serde_json::to_string(&file_json(&report)).unwrap();
    assert!(json.contains("\\u001b[31mRed"));
}

#[test]
fn the_readme_shows_the_real_analyze_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let after = readme.split("**Staffing figures.**").nth(1).unwrap();
    let block = after.split("```text\n").nth(1).unwrap().split("```").next().unwrap();
    let report =
        super::harness::example_reports().into_iter().find(|r| r.source.name() == "policies/telecommunications.policy");
    assert_eq!(block, human_table(&report.unwrap()), "README.md's `analyze` example is out of date");
}

/// A report's figures are computed when first asked for, from its policy:
/// one per team in order, the same as the rules judged on, and nothing for
/// a team a front-end error touches.
#[test]
fn a_report_computes_its_figures_on_first_use_one_per_team() {
    let text = "norms {\n  max_occupancy 70%\n}\n\
                team \"A\" {\n  channel phone\n  demand 120/h\n  agents 10\n  service_level 80% within 20s\n}\n\
                team \"B\" {\n  channel phone\n  demand 60/h\n  agents 12\n  agents 13\n}\n\
                team \"C\" {\n  channel chat\n  demand 30/h\n  agents 4\n}\n";
    let report = supportlint::Checker::new().check(&supportlint::Source::new("t.policy", text));
    let teams = &report.policy.as_ref().unwrap().teams;
    let figures = report.figures();
    assert_eq!(figures.len(), teams.len());
    assert!(teams[1].has_errors && !teams[0].has_errors && !teams[2].has_errors);
    assert_eq!(figures[1], supportlint::analysis::TeamFigures::unanalysed());
    for i in [0, 2] {
        assert_eq!(
            figures[i],
            supportlint::analysis::TeamFigures::of(&teams[i], &report.policy.as_ref().unwrap().norms)
        );
        assert_eq!(report.figures_of(&teams[i].name), Some(&figures[i]));
    }
    assert_eq!(figures[0].scheduled, Some(10));
    // Under the file's norms, as the rules were.
    assert_eq!(figures[0].occupancy_ceiling.fraction(), supportlint::num::Rational::new(7, 10).unwrap());
    // The rules judged A on these figures: its load is above its agents.
    assert!(!figures[0].planned.as_ref().unwrap().stable);
    assert!(report.diagnostics.iter().any(|d| d.code == "S001" && d.team.as_deref() == Some("A")));
    // Asked again, the same figures, not new ones.
    assert!(std::ptr::eq(report.figures(), figures));
}
