//! Owned, expiring suppressions: `allow ... owner ... until`, X004 when the
//! date has come, X005 when the configuration's `suppressions:` settings
//! forbid the `allow`, and the audit trail of every `allow`.

use supportlint::model::units::Date;
use supportlint::rules::Category;
use supportlint::{AllowStatus, SuppressionPolicy};
use supportlint::{Checker, FileReport, Source};

const POLICY: &str = r#"allow one-off-training "course being designed" owner "Training Lead" until 2027-03-31
team "A" {
  channel phone
  training { cadence once }
  allow K001 "fast lane pilot" until 2026-11-25
  target handle_time <= 3m
  promise thorough
}
team "B" {
  channel phone
  target handle_time <= 3m
  promise thorough
  allow K001 "pilot" owner "Ops" until 2026-11-26
  allow K004 "resolution measured elsewhere" owner "Ops"
}
"#;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn check(checker: Checker) -> FileReport {
    checker.check(&Source::new("governance.policy", POLICY))
}

/// `(line, code, suppressed)` of every diagnostic.
fn found(report: &FileReport) -> Vec<(u32, String, bool)> {
    report
        .diagnostics
        .iter()
        .map(|d| (report.source.line_col(d.primary_span().start as usize).line, d.code.to_string(), d.is_suppressed()))
        .collect()
}

fn status(report: &FileReport, line: u32) -> &AllowStatus {
    report.allows.iter().find(|a| report.source.line_col(a.span.start as usize).line == line).unwrap()
}

#[test]
fn an_allow_expires_on_its_until_day() {
    let report = check(Checker::new().with_today(date("2026-11-25")));
    let found = found(&report);
    // Team A's allow ends today: it silences nothing and is X004.
    assert!(found.contains(&(5, "X004".into(), false)), "{found:?}");
    assert!(found.contains(&(6, "K001".into(), false)), "{found:?}");
    // Team B's ends tomorrow: it still silences.
    assert!(found.contains(&(11, "K001".into(), true)), "{found:?}");
    let x004 = report.diagnostics.iter().find(|d| d.code == "X004").unwrap();
    assert_eq!(x004.message, "`allow K001` expired on 2026-11-25");
    assert!(status(&report, 5).expired && !status(&report, 5).used);
    assert!(!status(&report, 13).expired && status(&report, 13).used);
    // The day after, both have expired; the owner is named.
    let report = check(Checker::new().with_today(date("2026-11-26")));
    let x004: Vec<&str> = report.diagnostics.iter().filter(|d| d.code == "X004").map(|d| d.message.as_str()).collect();
    assert_eq!(x004, ["`allow K001` expired on 2026-11-25", "`allow K001` expired on 2026-11-26, owned by Ops"]);
}

#[test]
fn without_a_date_no_allow_expires() {
    let report = check(Checker::new());
    assert!(!report.diagnostics.iter().any(|d| d.code == "X004"));
    assert!(report.allows.iter().all(|a| !a.expired));
}

#[test]
fn the_configuration_can_require_owners_and_near_end_dates_and_forbid_rules() {
    let policy = SuppressionPolicy {
        require_owner: true,
        max_days: Some(60),
        forbidden_rules: vec!["K004".into()],
        forbidden_categories: vec![Category::Practice],
    };
    let report = check(Checker::new().with_today(date("2026-11-20")).with_suppression_policy(policy));
    let x005: Vec<(u32, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "X005")
        .map(|d| (report.source.line_col(d.primary_span().start as usize).line, d.message.as_str()))
        .collect();
    assert_eq!(
        x005,
        [
            (
                1,
                "`allow one-off-training` is not permitted here: rules of the `practice` category may not be suppressed; its `until` is 131 days ahead, more than 60 (the latest is 2027-01-19)"
            ),
            (5, "`allow K001` is not permitted here: every `allow` names an `owner`"),
            (
                14,
                "`allow K004` is not permitted here: `K004` may not be suppressed; every `allow` ends with an `until` at most 60 days ahead"
            ),
        ]
    );
    // A refused allow silences nothing.
    assert!(found(&report).contains(&(6, "K001".into(), false)));
    assert!(found(&report).contains(&(4, "P002".into(), false)));
    assert!(!status(&report, 1).permitted && status(&report, 13).permitted);
}
