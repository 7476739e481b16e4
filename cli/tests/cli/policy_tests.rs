//! `supportlint test`: policy files with `# expect:` markers run as tests,
//! with coverage of the rules they make fire.

use std::path::Path;
use std::process::Output;

use super::common::*;

const PASS: &str = "tests/fixtures/policy-tests/pass";
const FAIL: &str = "tests/fixtures/policy-tests/fail";

fn test(args: &[&str]) -> Output {
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    run_in(Path::new(ROOT), &all)
}

#[test]
fn a_directory_of_passing_tests_exits_0() {
    let out = test(&[PASS]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert_eq!(
        text,
        "passed  tests/fixtures/policy-tests/pass/refund_rules.policy\n\
         passed  tests/fixtures/policy-tests/pass/scorecard.policy\n\
         \n\
         tested 2 files: 2 passed, 0 failed\n"
    );
}

#[test]
fn a_failing_test_exits_1_with_the_difference_per_line() {
    let out = test(&[PASS, FAIL]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let expected = "\
failed  tests/fixtures/policy-tests/fail/wrong_lines.policy
  line 6: expected K001; found nothing
    missing     K001 handle-time-below-promise
  line 7: expected K004; found nothing
    missing     K004 speed-without-resolution
                it fired on line 8: a marker names its own line, so put it at the end of line 8
  line 8: expected nothing; found K001, K004
    unexpected  K001 handle-time-below-promise (error) team \"Care\": handle time is capped at 3m, but a thorough phone contact takes at least 6m
    unexpected  K004 speed-without-resolution (warning) team \"Care\": `handle_time` is targeted, but nothing measures whether contacts are resolved
  line 10: expected P002; found nothing
    missing     P002 one-off-training
";
    assert!(text.starts_with(expected), "{text}");
    assert!(text.contains("passed  tests/fixtures/policy-tests/pass/scorecard.policy\n"), "{text}");
    assert!(text.ends_with("tested 3 files: 2 passed, 1 failed\n"), "{text}");
}

#[test]
fn coverage_lists_custom_rules_and_the_built_in_rules_that_never_fired() {
    let out = test(&["--coverage", PASS]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let builtin = supportlint::rules::builtin().len();
    // Fired: K001, K003, K004 and one of the two custom rules.
    assert!(text.contains(&format!("  all rules: 4 of {} fired", builtin + 2)), "{text}");
    assert!(text.contains(&format!("  built-in rules: 3 of {builtin} fired")), "{text}");
    assert!(text.contains("  custom rules: 1 of 2 fired (50.0%)"), "{text}");
    // Only what never fired is listed: custom rules first, with their file.
    let never = &text[text.find("rules no test made fire:\n").unwrap()..];
    assert!(never.contains("  no-weekend-email (custom, tests/fixtures/policy-tests/pass/refund_rules.policy)\n"));
    assert!(!never.contains("phone-refund-floor"), "{never}");
    for code in ["K002", "K005", "S001", "A001", "L001", "P005"] {
        assert!(never.contains(&format!("  {code} ")), "{code}: {never}");
    }
    for code in ["K001", "K003", "K004"] {
        assert!(!never.contains(&format!("  {code} ")), "{code}: {never}");
    }
    assert_eq!(never.lines().count(), 1 + 1 + builtin - 3);
}

#[test]
fn fail_under_fails_when_too_few_rules_fired() {
    // 4 of the built-in rules and the two custom ones fired: shown rounded
    // down to a tenth of a percent.
    let all = supportlint::rules::builtin().len() + 2;
    let tenths = 4 * 1000 / all;
    let (low, high) =
        (format!("{}.{}", tenths / 10, tenths % 10), format!("{}.{}", (tenths + 1) / 10, (tenths + 1) % 10));
    assert_eq!(test(&["--fail-under", &low, PASS]).status.code(), Some(0));
    let out = test(&["--fail-under", &high, PASS]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains(&format!("coverage of all rules is {low}%, below --fail-under {high}%")), "{text}");
    // Only the custom rules: 1 of 2.
    assert_eq!(test(&["--fail-under", "50", "--coverage-of", "custom", PASS]).status.code(), Some(0));
    assert_eq!(test(&["--fail-under", "51", "--coverage-of", "custom", PASS]).status.code(), Some(1));
    assert_eq!(test(&["--fail-under", "150", PASS]).status.code(), Some(2));
}

#[test]
fn unreadable_paths_bad_configurations_and_empty_runs_exit_2() {
    let out = test(&[PASS, "tests/fixtures/policy-tests/missing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["test"]).status.code(), Some(2));
    std::fs::write(dir.path().join("a.policy"), "team \"A\" {\n  channel phone\n}\n").unwrap();
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  K001: loud\n").unwrap();
    let out = run_in(dir.path(), &["test"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("supportlint.yaml:2:"), "{}", stderr(&out));
}

#[test]
fn the_configuration_is_found_as_for_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("teams")).unwrap();
    let policy = "team \"Care\" {\n  channel phone\n  promise thorough\n  target handle_time <= 3m   # expect: K001\n  target first_contact_resolution >= 70%\n}\n";
    std::fs::write(dir.path().join("teams/care.policy"), policy).unwrap();
    assert_eq!(run_in(dir.path(), &["test", "teams"]).status.code(), Some(0));
    // A configuration above the file turns the rule off: the marker fails.
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  K001: off\n").unwrap();
    let out = run_in(&dir.path().join("teams"), &["test", "--coverage"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("  line 4: expected K001; found nothing"), "{text}");
    assert!(text.contains("  K001 handle-time-below-promise (off in the configuration)"), "{text}");
    // `--config` replaces the lookup.
    std::fs::write(dir.path().join("plain.yaml"), "fail_on: error\n").unwrap();
    let out = run_in(dir.path(), &["test", "--config", "plain.yaml", "teams"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn control_characters_in_names_and_messages_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "team \"Care\u{1b}[2J\" {\n  channel phone\n  promise thorough\n  target handle_time <= 3m\n}\n# expect: X\u{1b}]0;owned\u{7}\n";
    std::fs::write(dir.path().join("care.policy"), policy).unwrap();
    let out = run_in(dir.path(), &["test"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(text.contains("team \"Care\\u{1b}[2J\""), "{text}");
    assert!(text.contains("names `X\\u{1b}]0;owned\\u{7}`"), "{text}");
}
