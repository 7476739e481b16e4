//! One fixture per rule: the lines that must fire, and near misses that
//! must not, plus a snapshot of what the user sees.

use supportlint::{Checker, Diagnostic};

use crate::harness::check_fixture;

/// A rule fixture enables only its rule (and the front-end errors, which
/// must not occur).
fn only(code: &'static str) -> impl Fn(&Diagnostic) -> bool + Copy {
    move |d: &Diagnostic| d.code == code || d.code.starts_with('E')
}

macro_rules! rule_fixtures {
    ($($test:ident: $code:literal => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            let rendered = check_fixture(&Checker::new(), "rules", $file, only($code));
            insta::assert_snapshot!(stringify!($test), rendered);
        }
    )*};
}

rule_fixtures! {
    k001_handle_time_below_promise: "K001" => "K001_handle_time_below_promise.policy",
    k001_from_defaults: "K001" => "K001_from_defaults.policy",
    k001_near_misses: "K001" => "K001_near_misses.policy",
    k001_with_norms_override: "K001" => "K001_norms_override.policy",
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
