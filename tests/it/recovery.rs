//! Recovery from syntax errors: each broken item and statement gets its own
//! located E001, and everything else is still read and checked.

use supportlint::{Checker, FileReport, Source};

fn check(text: &str) -> FileReport {
    Checker::new().check(&Source::new("recovery.policy", text))
}

/// `(line, code, team)` of every diagnostic.
fn found(report: &FileReport) -> Vec<(u32, String, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                report.source.line_col(d.primary_span().start as usize).line,
                d.code.to_string(),
                d.team.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn codes_of(report: &FileReport, team: &str) -> Vec<String> {
    report.diagnostics.iter().filter(|d| d.team.as_deref() == Some(team)).map(|d| d.code.to_string()).collect()
}

#[test]
fn three_typos_in_one_team_are_three_errors_and_other_teams_are_checked() {
    let report = check(
        r#"team "Typos" {
  chanel phone
  demand 600/h
  agents 42
  service_level 80/20
  target handle_time <= 3m weigth 40%
  promise thorough
}

team "Clean but contradictory" {
  channel phone
  target handle_time <= 3m
  promise thorough
}
"#,
    );
    let e001: Vec<u32> = found(&report).into_iter().filter(|(_, c, _)| c == "E001").map(|(l, _, _)| l).collect();
    assert_eq!(e001, [2, 5, 6], "{:#?}", report.diagnostics);
    assert!(codes_of(&report, "Typos").iter().all(|c| c.starts_with('E')), "a broken team is not checked");
    assert!(codes_of(&report, "Clean but contradictory").contains(&"K001".to_string()));
}

#[test]
fn a_statement_with_a_bad_argument_is_reported_at_the_argument() {
    let report = check("team \"T\" {\n  channel phone\n  service_level 80/20\n  target csat >= 80%\n}\n");
    assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
    let d = &report.diagnostics[0];
    assert_eq!(d.message, "expected a percentage like `80%` followed by `within` and a duration after `service_level`");
    assert_eq!(report.source.slice(d.primary_span()), "80/20");
}

#[test]
fn errors_in_several_blocks_are_each_reported() {
    let report = check(
        r#"team "First" {
  channel phone
  agnets 4
}
teem "Second" {
  channel phone
}
team "Third" {
  channel phone
  target handle_time <= 2m
  promise thorough

team "Fourth" {
  channel phone
  target occupancy >= 95%
}
rule "r" {
  when agents >
  message "m"
}
"#,
    );
    let e001: Vec<u32> = found(&report).into_iter().filter(|(_, c, _)| c == "E001").map(|(l, _, _)| l).collect();
    assert_eq!(e001, [3, 5, 11, 18], "{:#?}", report.diagnostics);
    assert!(!report.diagnostics.iter().any(|d| d.code == "E006"), "no consequence of a syntax error is reported");
    assert!(codes_of(&report, "Fourth").contains(&"K007".to_string()), "the untouched team is checked");
    assert!(codes_of(&report, "Third").is_empty(), "an unclosed team is not checked");
}

#[test]
fn a_broken_defaults_block_keeps_every_team_unchecked_and_says_so_once() {
    let report = check(
        "defaults {\n  shrinkage 30%\n  promise thorough,\n}\nteam \"A\" {\n  channel phone\n  target handle_time <= 3m\n}\nteam \"B\" {\n  channel chat\n}\n",
    );
    assert_eq!(found(&report), [(3, "E001".to_string(), String::new())], "{:#?}", report.diagnostics);
    let help = report.diagnostics[0].help.as_deref().unwrap_or_default();
    assert!(help.ends_with("no team is checked until `defaults` reads: every team depends on it"), "{help}");
}

#[test]
fn a_stray_brace_after_a_block_is_its_own_error() {
    let report =
        check("team \"A\" {\n  channel phone\n}\n}\nteam \"B\" {\n  channel phone\n  target occupancy >= 95%\n}\n");
    let codes: Vec<(u32, String, String)> = found(&report);
    assert_eq!(codes[0].0, 4);
    assert_eq!(codes[0].1, "E001");
    assert!(codes_of(&report, "B").contains(&"K007".to_string()));
}

#[test]
fn several_statements_on_one_line_still_read() {
    let report = check("team \"A\" { channel phone demand 60/h agents 60 shrinkage 0% }\n");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let report = check("team \"A\" { channel phone demand 600/h agnets 60 }\n");
    assert_eq!(found(&report).iter().filter(|(_, c, _)| c == "E001").count(), 1, "{:#?}", report.diagnostics);
}
