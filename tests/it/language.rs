//! Every example of the language reference (docs/language.md) parses and
//! builds without a front-end diagnostic.
//!
//! Blocks fenced as `policy` are whole files; `policy-team` blocks are team
//! statements and are checked inside a `defaults` block of a file with one
//! chat team.

use supportlint::{Checker, Source};

#[test]
fn every_example_in_the_language_reference_is_valid() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md")).unwrap();
    let mut examples = 0;
    let mut lines = doc.lines().enumerate();
    while let Some((start, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else { continue };
        let info = info.trim();
        let body: Vec<&str> = lines.by_ref().map(|(_, l)| l).take_while(|l| !l.starts_with("```")).collect();
        let body = body.join("\n");
        let text = match info {
            "policy" => body,
            "policy-team" => format!("defaults {{\n{body}\n}}\nteam \"Example\" {{ channel chat }}\n"),
            _ => continue,
        };
        examples += 1;
        let report = Checker::new().check(&Source::new(format!("docs/language.md:{}", start + 1), text));
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.code.starts_with('E')).collect();
        assert!(errors.is_empty(), "example at docs/language.md line {}:\n{errors:#?}", start + 1);
    }
    assert!(examples >= 20, "only {examples} examples found");
}

/// The specification's whole-file example produces exactly the six
/// findings the specification lists for it, with every rule enabled.
#[test]
fn the_whole_file_example_has_exactly_its_documented_findings() {
    let rendered = crate::harness::check_fixture(&Checker::new(), "language", "whole_file.policy", |_| true);
    insta::assert_snapshot!("whole_file", rendered);
}
