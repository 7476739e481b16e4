//! One fixture per rule: the lines that must fire, and near misses that
//! must not, plus a snapshot of what the user sees.

use supportlint::{Checker, Diagnostic};

use crate::harness::check_fixture;

/// A rule fixture enables only its rule (and the front-end errors, which
/// must not occur).
fn only(code: &'static str) -> impl Fn(&Diagnostic) -> bool + Copy {
    move |d: &Diagnostic| d.code == code || d.code.starts_with('E')
}

/// Every file of tests/fixtures/rules/, named `<CODE>_<what>.policy`,
/// checked against its markers for its rule, with a snapshot of what the
/// user sees. New fixtures are picked up without registering them.
#[test]
fn every_rule_fixture_fires_exactly_where_marked() {
    let names = super::harness::policy_names("tests/fixtures/rules");
    assert!(names.len() >= 21, "only {} fixtures", names.len());
    let mut covered = std::collections::BTreeSet::new();
    for name in &names {
        let code: &'static str = Box::leak(name.split('_').next().unwrap().to_string().into_boxed_str());
        covered.insert(code);
        let rendered = check_fixture(&Checker::new(), "rules", name, only(code));
        let stem = name.trim_end_matches(".policy");
        insta::assert_snapshot!(stem.to_string(), rendered);
    }
    for rule in supportlint::rules::builtin() {
        assert!(covered.contains(rule.meta().code), "{} has no fixture", rule.meta().code);
    }
}

/// Every built-in rule's documented example fires that rule: the docs that
/// `explain` prints and SARIF carries cannot drift from the behaviour.
#[test]
fn every_rules_documented_example_fires_it() {
    for rule in supportlint::rules::builtin() {
        let meta = rule.meta();
        let docs = meta.documentation();
        let example: String = docs
            .split("```text")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_else(|| panic!("{} has no example", meta.code))
            .to_string();
        let text = if example.trim_start().starts_with("team") || example.trim_start().starts_with("defaults") {
            example.clone()
        } else {
            let channel = if example.contains("channel ") { "" } else { "  channel phone\n" };
            format!("team \"Example\" {{\n{channel}{example}\n}}\n")
        };
        let report = Checker::new().check(&supportlint::Source::new(format!("{} example", meta.code), text.clone()));
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_ref()).collect();
        assert!(!codes.iter().any(|c| c.starts_with('E')), "{}: example has errors {codes:?}\n{text}", meta.code);
        assert!(codes.contains(&meta.code), "{}: example does not fire it (found {codes:?})\n{text}", meta.code);
    }
}
