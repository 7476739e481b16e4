//! One fixture per front-end diagnostic (E001-E008), plus the cases that
//! need generated input (deep nesting, size and count limits, bytes).

use supportlint::syntax::Limits;
use supportlint::{Checker, Diagnostic, Source};

use crate::harness::{check_fixture, render};

fn front_end(d: &Diagnostic) -> bool {
    d.code.starts_with('E')
}

macro_rules! error_fixtures {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            let rendered = check_fixture(&Checker::new(), "errors", $file, front_end);
            insta::assert_snapshot!(stringify!($test), rendered);
        }
    )*};
}

error_fixtures! {
    e001_misspelt_statement => "E001_misspelt_statement.policy",
    e001_misspelt_item => "E001_misspelt_item.policy",
    e001_unterminated_string => "E001_unterminated_string.policy",
    e001_unterminated_block => "E001_unterminated_block.policy",
    e001_stray_brace => "E001_stray_brace.policy",
    e001_statement_outside_team => "E001_statement_outside_team.policy",
    e001_unknown_escape => "E001_unknown_escape.policy",
    e001_thousands_separator => "E001_thousands_separator.policy",
    e001_missing_value => "E001_missing_value.policy",
    e001_literals => "E001_literals.policy",
    e001_literal_details => "E001_literal_details.policy",
    e001_unclosed_block_then_team => "E001_unclosed_block_then_team.policy",
    e002_e003_custom_rules => "E002_E003_custom_rules.policy",
    e003_e004_every_problem_reported => "E003_E004_every_problem_reported.policy",
    e002_unknown_names => "E002_unknown_names.policy",
    e003_unit_mismatch => "E003_unit_mismatch.policy",
    e004_out_of_range => "E004_out_of_range.policy",
    e005_duplicates => "E005_duplicates.policy",
    e006_missing_facts => "E006_missing_facts.policy",
    e006_empty_file => "E006_empty_file.policy",
    e007_currency_mismatch => "E007_currency_mismatch.policy",
}

fn only_diagnostic(report: &supportlint::FileReport) -> &Diagnostic {
    assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
    &report.diagnostics[0]
}

#[test]
fn e008_deep_nesting() {
    let depth = 40;
    let text =
        format!("rule \"deep\" {{\n  when {}agents > 1{}\n  message \"m\"\n}}\n", "(".repeat(depth), ")".repeat(depth));
    let report = Checker::new().check(&Source::new("deep.policy", text));
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E008");
    insta::assert_snapshot!("e008_deep_nesting", render(&report, |_| true));
}

#[test]
fn e008_deep_not_chain() {
    let text = format!("rule \"nots\" {{\n  when {}agents > 1\n  message \"m\"\n}}\n", "not ".repeat(100));
    let report = Checker::new().check(&Source::new("nots.policy", text));
    assert_eq!(only_diagnostic(&report).code, "E008");
}

#[test]
fn e008_file_too_large() {
    let limits = Limits { max_file_bytes: 64, ..Limits::default() };
    let text = format!("team \"A\" {{ channel phone }}\n{}", "# padding\n".repeat(10));
    let report = Checker::new().with_limits(limits).check(&Source::new("big.policy", text));
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E008");
    assert!(d.message.contains("over the limit of 64 bytes"), "{}", d.message);
}

#[test]
fn e008_too_many_teams() {
    let limits = Limits { max_teams: 3, ..Limits::default() };
    let text: String = (0..5).map(|i| format!("team \"T{i}\" {{ channel phone }}\n")).collect();
    let report = Checker::new().with_limits(limits).check(&Source::new("teams.policy", text));
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E008");
    assert_eq!(report.source.line_col(d.primary_span().start as usize).line, 4);
    assert_eq!(report.policy.as_ref().unwrap().teams.len(), 3);
}

#[test]
fn e008_too_many_statements() {
    let limits = Limits { max_statements: 4, ..Limits::default() };
    let text = "team \"A\" {\n channel phone\n promise thorough\n promise empathetic\n promise follow_up\n promise first_contact\n}\n";
    let report = Checker::new().with_limits(limits).check(&Source::new("stmts.policy", text));
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E008");
    assert_eq!(report.source.line_col(d.primary_span().start as usize).line, 6);
}

#[test]
fn e001_binary_data() {
    let report = Checker::new().check_bytes("blob.policy", vec![0x7f, b'E', b'L', b'F', 0, 0, 1, 2]);
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E001");
    assert!(d.message.contains("binary"), "{}", d.message);
    insta::assert_snapshot!("e001_binary_data", render(&report, |_| true));
}

#[test]
fn e001_not_utf8() {
    let report = Checker::new().check_bytes("latin1.policy", b"team \"Caf\xe9\" {\n  channel phone\n}\n".to_vec());
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E001");
    let at = report.source.line_col(d.primary_span().start as usize);
    assert_eq!((at.line, at.column), (1, 10));
    insta::assert_snapshot!("e001_not_utf8", render(&report, |_| true));
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_plain_text() {
    let text = "\u{feff}policy \"P\"\r\nteam \"A\" {\r\n  channel phone\r\n  chanel phone\r\n}\r\n";
    let report = Checker::new().check(&Source::new("bom.policy", text));
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E001");
    let at = report.source.line_col(d.primary_span().start as usize);
    assert_eq!((at.line, at.column), (4, 3));
    assert_eq!(report.source.slice(d.primary_span()), "chanel");
}

#[test]
fn e008_rule_block_too_large() {
    let text = format!("rule \"huge\" {{\n  when {}agents > 1\n  message \"m\"\n}}\n", "agents > 1 or ".repeat(6_000));
    let report = Checker::new().check(&Source::new("huge.policy", text));
    let d = only_diagnostic(&report);
    assert_eq!(d.code, "E008");
    assert!(d.message.contains("`rule` block"), "{}", d.message);
}

/// Regression: the snippet header counted a byte-order mark as a column.
#[test]
fn the_snippet_header_does_not_count_a_byte_order_mark() {
    let report = Checker::new().check(&Source::new("bom.policy", "\u{feff}team \"A\" { chanel phone }\n"));
    let rendered = render(&report, |_| true);
    assert!(rendered.contains("bom.policy:1:12]"), "{rendered}");
}

/// Each of a training block's statements may be stated once: a second one
/// is an E005 at the repeat, with the first labelled, and the first stands.
#[test]
fn a_training_statement_stated_twice_is_reported_at_the_repeat() {
    let text = "team \"T\" {\n  channel phone\n  training {\n    cadence monthly\n    sequence product, tools\n    case_reviews weekly\n    cadence weekly\n    case_reviews monthly\n    sequence tools\n  }\n}\n";
    let report = Checker::new().check(&Source::new("t.policy", text));
    let repeats: Vec<(&str, &str, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "E005")
        .map(|d| {
            let at = |i: usize| &text[d.labels[i].span.start as usize..d.labels[i].span.end as usize];
            (d.message.as_str(), at(0), at(1))
        })
        .collect();
    assert_eq!(
        repeats,
        [
            ("`cadence` is stated twice in one training block", "cadence weekly", "cadence monthly"),
            ("`case_reviews` is stated twice in one training block", "case_reviews monthly", "case_reviews weekly"),
            ("`sequence` is stated twice in one training block", "sequence tools", "sequence product, tools"),
        ]
    );
    let training = report.policy.as_ref().unwrap().teams[0].training.as_ref().unwrap();
    assert_eq!(training.cadence.map(|(c, _)| c.to_string()), Some("monthly".to_string()));
    // One of each is no problem.
    let once = "team \"T\" {\n  channel phone\n  training {\n    cadence monthly\n    sequence product\n    case_reviews weekly\n  }\n}\n";
    assert!(!Checker::new().check(&Source::new("t.policy", once)).diagnostics.iter().any(|d| d.code == "E005"));
}
