//! The staffing plan and the staffing rules agree: a team staffed at the
//! plan that `analyze` reports has no S001, S002, S004 or S007 finding, one
//! agent fewer has at least one (the plan is minimal), and the same holds at
//! the honest handle time for S003. Generated teams, deterministic.

use supportlint::{Checker, FileReport, Source};

/// A small deterministic generator (xorshift), so the cases are the same on
/// every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// One team's statements other than `agents`.
fn team(rng: &mut Rng) -> String {
    let channel = rng.pick(&["phone", "phone", "chat", "email"]);
    let mut body = format!("  channel {channel}\n  demand {}/h\n", rng.range(5, 900));
    if channel == "chat" {
        body.push_str(&format!("  concurrency {}\n", rng.range(1, 3)));
    }
    body.push_str(&format!("  shrinkage {}%\n", rng.pick(&["0", "15", "30", "33.3", "40"])));
    body.push_str(&format!("  target handle_time <= {}\n", rng.pick(&["2m", "3m", "4m30s", "6m", "9m"])));
    if rng.one_in(2) {
        body.push_str(&format!("  promise {}\n", rng.pick(&["thorough", "personalized", "empathetic"])));
    }
    let patience = rng.one_in(3);
    if patience {
        body.push_str(&format!("  patience {}\n", rng.pick(&["30s", "1m", "2m", "5m"])));
    }
    if !rng.one_in(4) {
        body.push_str(&format!(
            "  service_level {}% within {}\n",
            rng.pick(&["70", "80", "85", "90"]),
            rng.pick(&["15s", "20s", "30s", "1m"])
        ));
    }
    if rng.one_in(2) {
        body.push_str(&format!("  target speed_of_answer <= {}\n", rng.pick(&["5s", "10s", "20s", "45s"])));
    }
    if patience && rng.one_in(2) {
        body.push_str(&format!("  target abandonment <= {}\n", rng.pick(&["2%", "3%", "5%", "8%"])));
    }
    if rng.one_in(3) {
        body.push_str("  emotional_load high\n");
    }
    body
}

fn check(body: &str, agents: u64) -> FileReport {
    Checker::new().check(&Source::new("plan.policy", format!("team \"T\" {{\n{body}  agents {agents}\n}}\n")))
}

fn fired<'r>(report: &'r FileReport, codes: &[&str]) -> Vec<&'r str> {
    report.diagnostics.iter().map(|d| d.code.as_ref()).filter(|c| codes.contains(c)).collect()
}

#[test]
fn staffing_at_the_plan_silences_the_staffing_rules_and_one_fewer_does_not() {
    let mut rng = Rng(0x5eed_2026);
    let (mut planned, mut honest) = (0, 0);
    for _ in 0..200 {
        let body = team(&mut rng);
        let report = check(&body, 1);
        assert!(!report.diagnostics.iter().any(|d| d.code.starts_with('E')), "{body}\n{:#?}", report.diagnostics);
        let figures = &report.figures()[0];
        if let Some(plan) = figures.planned.as_ref().and_then(|q| q.plan().scheduled()).filter(|&p| p > 0) {
            let rules = ["S001", "S002", "S004", "S007"];
            let at = check(&body, plan);
            assert!(fired(&at, &rules).is_empty(), "plan {plan}:\n{body}\n{:#?}", fired(&at, &rules));
            let below = check(&body, plan - 1);
            assert!(!fired(&below, &rules).is_empty(), "plan {plan} is not minimal:\n{body}");
            planned += 1;
        }
        if let Some(plan) = figures.honest.as_ref().and_then(|q| q.plan().scheduled()).filter(|&p| p > 0) {
            let rules = ["S001", "S002", "S003", "S004", "S007"];
            let at = check(&body, plan);
            assert!(fired(&at, &rules).is_empty(), "honest plan {plan}:\n{body}\n{:#?}", fired(&at, &rules));
            honest += 1;
        }
    }
    assert!(planned > 130 && honest > 130, "{planned} planned, {honest} honest cases");
}
