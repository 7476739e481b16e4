//! Sizes and products: the work and output of every stage grow with the
//! input, never with the product of two counts an author controls. Each
//! test uses an input that blew up before the fix (a full edit-distance
//! table, one L001 per pair of directives, `defaults` copied into every
//! team) and asserts on counts and sizes, never on time.

use supportlint::MAX_LABELS;
use supportlint::syntax::Limits;
use supportlint::{Checker, FileReport, Source};

fn check(text: &str) -> FileReport {
    Checker::new().check(&Source::new("bounds.policy", text))
}

fn codes(report: &FileReport) -> Vec<&str> {
    report.diagnostics.iter().map(|d| d.code.as_ref()).collect()
}

#[test]
fn conflicting_directives_are_reported_once_per_kind_with_the_pair_count() {
    let directives: String = (0..2000)
        .map(|i| format!("  directive executive: {} handle_time\n", if i % 2 == 0 { "minimize" } else { "maximize" }))
        .collect();
    let report = check(&format!("team \"T\" {{\n  channel phone\n{directives}}}\n"));
    let l001: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "L001").collect();
    assert_eq!(l001.len(), 1, "{:?}", codes(&report));
    assert!(l001[0].message.contains("(1000000 conflicting pairs of directives)"), "{}", l001[0].message);
    assert_eq!(l001[0].labels.len(), MAX_LABELS);
    assert_eq!(l001[0].labels.len() + l001[0].omitted_labels, 2000);
}

#[test]
fn caps_and_floors_count_only_the_pairs_that_conflict() {
    let report = check(
        "team \"T\" {\n  channel phone\n  directive executive: cap occupancy at 70%\n  directive director: cap occupancy at 80%\n  directive manager: cap occupancy at 90%\n  directive supervisor: floor occupancy at 75%\n  directive supervisor: floor occupancy at 85%\n}\n",
    );
    let l001: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "L001").collect();
    assert_eq!(l001.len(), 1);
    // 70% < 75%, 70% < 85%, 80% < 85%.
    assert!(l001[0].message.contains("(3 conflicting pairs of directives)"), "{}", l001[0].message);
    assert!(l001[0].message.contains("capped at 70% and floored at 75%"), "{}", l001[0].message);
}

#[test]
fn a_target_against_many_directives_is_one_finding() {
    let mut text = String::from("team \"T\" {\n  channel phone\n");
    for _ in 0..3000 {
        text.push_str("  target handle_time <= 3m set_by manager\n  directive executive: require thorough\n");
    }
    text.push_str("}\n");
    let report = check(&text);
    let l003 = report.diagnostics.iter().filter(|d| d.code == "L003").count();
    assert_eq!(l003, 3000, "one per target, not one per target and directive");
}

#[test]
fn defaults_inherited_by_too_many_teams_are_a_limit() {
    let targets: String = (0..1000).map(|i| format!("  target handle_time <= {}m weight 1%\n", i % 9 + 1)).collect();
    let teams: String = (0..600).map(|i| format!("team \"T{i}\" {{ channel phone promise thorough }}\n")).collect();
    let report = check(&format!("defaults {{\n{targets}}}\n{teams}"));
    assert_eq!(codes(&report), ["E008"], "no team is checked");
    let e008 = &report.diagnostics[0];
    assert!(e008.message.contains("600000 in all, over the limit of 500000"), "{}", e008.message);
    let at = report.source.line_col(e008.primary_span().start as usize);
    assert_eq!((at.line, at.column), (1, 1));
    // Under the limit, the same defaults are shared and every team is checked.
    let targets: String = (0..1000).map(|i| format!("  target csat >= {}% weight 1%\n", i % 20 + 70)).collect();
    let teams: String = (0..400).map(|i| format!("team \"T{i}\" {{ channel phone promise thorough }}\n")).collect();
    let report = check(&format!("defaults {{\n{targets}}}\n{teams}"));
    assert_eq!(report.diagnostics.iter().filter(|d| d.code == "K005").count(), 400);
}

#[test]
fn a_team_with_a_value_error_is_not_checked_by_the_rules() {
    let report = check(
        "team \"Bad\" {\n  channel phone\n  demand 600/h\n  agents 42\n  target handle_time <= 3mins\n}\nteam \"Good\" {\n  channel phone\n  demand 600/h\n  agents 42\n  shrinkage 30%\n}\n",
    );
    let bad: Vec<&str> =
        report.diagnostics.iter().filter(|d| d.team.as_deref() == Some("Bad")).map(|d| d.code.as_ref()).collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(codes(&report).contains(&"E001"));
    assert!(codes(&report).contains(&"S001"), "the other team is still checked: {:?}", codes(&report));
    // A value error in `defaults` touches every team.
    let report = check(
        "defaults {\n  target handle_time <= 3mins\n}\nteam \"T\" {\n  channel phone\n  demand 600/h\n  agents 42\n}\n",
    );
    assert_eq!(codes(&report), ["E001"]);
}

#[test]
fn names_repeated_in_findings_are_bounded() {
    let long = "a".repeat(300_000);
    for text in [
        format!("team \"{long}\" {{ channel phone }}\n"),
        format!(
            "rule \"{}\" {{ when channel == phone message \"m\" }}\nteam \"T\" {{ channel phone }}\n",
            "r".repeat(5000)
        ),
        format!("chain {long} > b\nteam \"T\" {{ channel phone\n  directive {long}x: minimize handle_time }}\n"),
        format!("team \"T\" {{ channel phone\n  drivers {{ \"{long}\" 10% }} }}\n"),
        format!("team \"T\" {{ channel phone\n  allow K001 \"{long}\" }}\n"),
    ] {
        let report = check(&text);
        assert!(codes(&report).contains(&"E008"), "{:?}", codes(&report));
        let size: usize = report
            .diagnostics
            .iter()
            .map(|d| d.message.len() + d.help.as_ref().map_or(0, String::len) + d.team.as_ref().map_or(0, String::len))
            .sum();
        assert!(size < 2000, "{size} bytes of messages for a {}-byte file", text.len());
    }
}

#[test]
fn an_allow_of_a_long_name_gets_no_suggestion_and_a_short_message() {
    let rule = "r".repeat(200_000);
    let text = format!(
        "rule \"{}\" {{ when channel == phone message \"m\" }}\nallow {rule}x \"reason\"\nteam \"T\" {{ channel phone }}\n",
        "r".repeat(60)
    );
    let report = check(&text);
    let x002 = report.diagnostics.iter().find(|d| d.code == "X002").expect("X002");
    assert!(x002.message.len() < 100, "{}", x002.message);
}

#[test]
fn checking_stops_with_an_error_past_the_findings_limit() {
    let rules: String = (0..20).map(|i| format!("rule \"r{i}\" {{ when channel == phone message \"m\" }}\n")).collect();
    let teams: String = (0..500).map(|i| format!("team \"T{i}\" {{ channel phone }}\n")).collect();
    let text = format!("{rules}{teams}");
    // The limit grows with the text: one finding per 4 bytes at least.
    let cap = text.len() / 4;
    let limits = Limits { max_findings: 1000, ..Limits::default() };
    let report = Checker::new().with_limits(limits).check(&Source::new("many.policy", text));
    let n = report.diagnostics.len();
    assert!((cap..=cap + 25).contains(&n), "{n} diagnostics, cap {cap}");
    let e008 = report.diagnostics.iter().find(|d| d.code == "E008").expect("E008");
    assert!(e008.message.starts_with(&format!("more than {cap} problems in one file")), "{}", e008.message);
}
