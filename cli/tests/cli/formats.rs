//! The CI formats of `check`: GitLab Code Quality, JUnit XML and Markdown
//! for pull request comments, read back the way their consumers read them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use super::common::*;

/// Files with errors of every kind, warnings, suppressed findings, custom
/// rules, identical findings in one file and a clean file.
const MIXED: [&str; 6] = [
    "policies",
    "tests/fixtures/ci",
    "tests/fixtures/errors/E003_E004_every_problem_reported.policy",
    "tests/fixtures/errors/E005_duplicates.policy",
    "tests/fixtures/rules/P002_one_off_training.policy",
    "tests/fixtures/rules/K001_near_misses.policy",
];

fn check(format: &str, extra: &[&str], paths: &[&str]) -> Output {
    let mut args = vec!["check", "--format", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    run_in(Path::new(ROOT), &args)
}

/// The unsuppressed findings of the JSON output: (file, code, severity, line).
fn findings(paths: &[&str]) -> Vec<(String, String, String, u64)> {
    let doc: Value = serde_json::from_slice(&check("json", &[], paths).stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false)
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("file"), s("code"), s("severity"), f["location"]["start"]["line"].as_u64().unwrap())
        })
        .collect()
}

/// The `summary` of the JSON output.
fn summary(paths: &[&str]) -> Value {
    let doc: Value = serde_json::from_slice(&check("json", &[], paths).stdout).unwrap();
    doc["summary"].clone()
}

/// A project whose team names hold everything that could break a format.
fn hostile_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "Pipe | and `tick` and <script>alert(1)</script> & co",
        "Esc \u{1b}[2J\u{1b}]8;;http://x\u{7} bell \u{7f} del \u{85} nel \u{202e}desrever",
        "@everyone *bold* _it_ [link](http://x) # $5 ~~s~~ \\ back",
        "Soh \u{1} and bom \u{feff} and ffff \u{ffff}",
    ];
    let mut text = String::new();
    for name in names {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        text.push_str(&format!(
            "team \"{quoted}\" {{\n  channel phone\n  promise thorough\n  target handle_time <= 3m\n}}\n\n"
        ));
    }
    std::fs::write(dir.path().join("hostile.policy"), text).unwrap();
    dir
}

/// Whether `text` holds a character no format may print raw.
fn has_raw_control(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{ffff}')
    })
}

// ------------------------------------------------------------------ gitlab

#[test]
fn gitlab_report_validates_against_gitlab_s_code_quality_schemas() {
    let out = check("gitlab", &[], &MIXED);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The schema GitLab validates each entry with, and one written from its
    // documentation that also pins the severities and required fields.
    validate(&read_json("tests/fixtures/schemas/gitlab-code-quality.json"), &report);
    let gitlab_own = read_json("tests/fixtures/schemas/gitlab-codeclimate.json");
    let entries = report.as_array().unwrap();
    for entry in entries {
        validate(&gitlab_own, entry);
    }
    // One entry per unsuppressed finding, in the same order, at the same line.
    let expected = findings(&MIXED);
    assert_eq!(entries.len(), expected.len());
    for (entry, (file, code, severity, line)) in entries.iter().zip(&expected) {
        assert_eq!(entry["location"]["path"], file.as_str());
        assert_eq!(entry["check_name"], code.as_str());
        assert_eq!(entry["location"]["lines"]["begin"], *line);
        let mapped = match (severity.as_str(), code.starts_with('E')) {
            ("error", true) => "critical",
            ("error", false) => "major",
            ("warning", _) => "minor",
            _ => "info",
        };
        assert_eq!(entry["severity"], mapped, "{entry}");
        assert!(entry["description"].as_str().unwrap().starts_with(code.as_str()), "{entry}");
    }
    // GitLab keeps one entry per fingerprint: none may repeat, even for
    // identical findings in one file (E005_duplicates has them).
    let prints: BTreeSet<&str> = entries.iter().map(|e| e["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(prints.len(), entries.len());
    // Suppressed findings are left out.
    let suppressions = "tests/fixtures/ci/suppressions.policy";
    assert!(!entries.iter().any(|e| e["location"]["path"] == suppressions && e["location"]["lines"]["begin"] == 17));
}

#[test]
fn gitlab_fingerprints_stay_distinct_when_a_file_is_named_twice() {
    let file = "tests/fixtures/rules/K001_handle_time_below_promise.policy";
    let dotted = format!("./{file}");
    let out = check("gitlab", &[], &[file, &dotted]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = report.as_array().unwrap();
    let prints: BTreeSet<&str> = entries.iter().map(|e| e["fingerprint"].as_str().unwrap()).collect();
    assert!(entries.len() >= 10, "{}", entries.len());
    assert_eq!(prints.len(), entries.len());
}

// ------------------------------------------------------------------- junit

struct Junit {
    tests: usize,
    failures: usize,
    cases: Vec<(String, usize)>,
    failure_messages: Vec<String>,
}

fn parse_junit(xml: &str) -> Junit {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    let attr = |name: &str| suite.attribute(name).unwrap().parse::<usize>().unwrap();
    let cases: Vec<(String, usize)> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| (c.attribute("name").unwrap().to_string(), c.children().filter(|f| f.has_tag_name("failure")).count()))
        .collect();
    let failure_messages = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|f| f.attribute("message").unwrap().to_string())
        .collect();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), suite.attribute("tests"));
    assert_eq!(root.attribute("failures"), suite.attribute("failures"));
    Junit { tests: attr("tests"), failures: attr("failures"), cases, failure_messages }
}

#[test]
fn junit_has_a_test_case_per_file_and_a_failure_per_finding_at_the_threshold() {
    let expected = findings(&MIXED);
    for (fail_on, failing) in [("error", &["error"][..]), ("warning", &["error", "warning"]), ("never", &[])] {
        let out = check("junit", &["--fail-on", fail_on], &MIXED);
        let junit = parse_junit(&stdout(&out));
        let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
        for (file, _, severity, _) in &expected {
            *per_file.entry(file).or_default() += usize::from(failing.contains(&severity.as_str()));
        }
        // Every file checked is a test case, failing or not.
        assert_eq!(junit.cases.len() as u64, summary(&MIXED)["files"].as_u64().unwrap(), "{fail_on}");
        assert_eq!(junit.tests, junit.cases.len());
        for (name, failures) in &junit.cases {
            assert_eq!(*failures, per_file.get(name.as_str()).copied().unwrap_or(0), "{fail_on}: {name}");
        }
        let failed_cases = junit.cases.iter().filter(|(_, n)| *n > 0).count();
        assert_eq!(junit.failures, failed_cases, "{fail_on}");
        let total: usize = per_file.values().sum();
        assert_eq!(junit.failure_messages.len(), total, "{fail_on}");
        assert_eq!(out.status.code(), Some(if total > 0 { 1 } else { 0 }), "{fail_on}");
    }
    // The clean file passes; the message names code, rule and team.
    let junit = parse_junit(&stdout(&check("junit", &[], &MIXED)));
    assert!(junit.cases.iter().any(|(name, n)| name == "tests/fixtures/rules/K001_near_misses.policy" && *n == 0));
    assert!(
        junit.failure_messages.iter().any(|m| m.starts_with("K001 handle-time-below-promise (team \"Billing\"): ")),
        "{:?}",
        junit.failure_messages
    );
}

#[test]
fn junit_escapes_markup_and_characters_xml_forbids() {
    let dir = hostile_project();
    let out = run_in(dir.path(), &["check", "--format", "junit", "hostile.policy"]);
    let xml = stdout(&out);
    assert!(!has_raw_control(&xml), "{xml:?}");
    let junit = parse_junit(&xml);
    assert_eq!((junit.tests, junit.failures), (1, 1));
    assert_eq!(junit.failure_messages.len(), 4, "{:?}", junit.failure_messages);
    let messages = junit.failure_messages.join("\n");
    assert!(messages.contains("Pipe | and `tick` and <script>alert(1)</script> & co"), "{messages}");
    assert!(messages.contains("Esc \\u{1b}[2J"), "{messages}");
    assert!(messages.contains("Soh \\u{1} and bom \\u{feff} and ffff \\u{ffff}"), "{messages}");
}

// ---------------------------------------------------------------- markdown

#[test]
fn markdown_has_a_summary_table_and_findings_by_file_and_team() {
    let out = check("markdown", &[], &MIXED);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let expected = findings(&MIXED);
    let (errors, warnings) =
        (expected.iter().filter(|f| f.2 == "error").count(), expected.iter().filter(|f| f.2 == "warning").count());
    assert!(text.starts_with(&format!("## supportlint: {errors} errors, {warnings} warnings in ")), "{text}");
    assert!(text.contains(&format!("| **total** | **{errors}** | **{warnings}** | **0** |")), "{text}");
    assert!(text.contains("| `tests/fixtures/ci/suppressions.policy` | 3 | 2 | 0 |"), "{text}");
    // One item per unsuppressed finding, under its file and team.
    assert_eq!(text.lines().filter(|l| l.starts_with("- **")).count(), expected.len());
    let billing = text.find("### `tests/fixtures/ci/suppressions.policy`").unwrap();
    let team = billing + text[billing..].find("**team `Billing`**").unwrap();
    assert!(text[team..].contains("- **error** K001 `handle-time-below-promise`, line 25: "), "{text}");
    let suppressed = summary(&MIXED)["suppressed"].as_u64().unwrap();
    assert!(suppressed > 1);
    assert!(text.contains(&format!("{suppressed} findings silenced by an `allow` or the baseline are not shown.")));
    assert!(!text.contains("more finding"), "{text}");
}

#[test]
fn markdown_escapes_team_names_and_never_prints_control_characters() {
    let dir = hostile_project();
    let text = stdout(&run_in(dir.path(), &["check", "--format", "markdown", "hostile.policy"]));
    assert!(!has_raw_control(&text), "{text:?}");
    // Names are code spans: fenced past their backticks, `|` harmless.
    assert!(text.contains("**team ``Pipe | and `tick` and <script>alert(1)</script> & co``**"), "{text}");
    assert!(
        text.contains(
            "**team `Esc \\u{1b}[2J\\u{1b}]8;;http://x\\u{7} bell \\u{7f} del \\u{85} nel \\u{202e}desrever`**"
        )
    );
    // Outside code spans nothing can become markup, HTML or a mention.
    for line in text.lines().filter(|l| !l.starts_with("**team")) {
        assert!(!line.contains("<script>") && !line.contains("@everyone"), "{line}");
    }
}

/// A policy with 30,000 findings: five for each of 6,000 teams, from
/// statements in `defaults`.
fn thirty_thousand_findings() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "defaults {\n  channel phone\n  promise thorough, personalized\n  target handle_time <= 3m\n  scripts verbatim\n  training {\n    cadence once\n  }\n  hiring {\n    screen_for friendliness\n  }\n}\n",
    );
    for i in 0..6000 {
        text.push_str(&format!("team \"Team {i} | `<b>`\" {{}}\n"));
    }
    std::fs::write(dir.path().join("big.policy"), text).unwrap();
    dir
}

#[test]
fn markdown_stays_under_github_s_comment_limit_with_30000_findings() {
    let dir = thirty_thousand_findings();
    let out = run_in(dir.path(), &["check", "--format", "markdown", "big.policy"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.chars().count() < 65_536 && text.len() <= 65_000, "{} bytes", text.len());
    assert!(text.starts_with("## supportlint: 6000 errors, 24000 warnings in 1 of 1 file\n"), "{}", &text[..200]);
    let shown = text.lines().filter(|l| l.starts_with("- **")).count();
    assert!(shown > 100, "{shown}");
    let last = text.lines().last().unwrap();
    let hidden = 30_000 - shown;
    assert!(last.starts_with(&format!("**and {hidden} more findings**")), "{last}");
    // The comment is filled, not cut short: the next item would not fit.
    assert!(text.len() > 60_000, "{}", text.len());
}
