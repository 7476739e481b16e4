//! Hostile names and text through the binary: nothing a terminal or a CI
//! log would act on reaches standard output or standard error raw.

use super::common::*;

/// No control character but line ends, and no line a GitHub runner would
/// run as a workflow command unless the github format meant it.
fn assert_safe(what: &str, bytes: &[u8], github: bool) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let raw = text.chars().find(|&c| c != '\n' && supportlint::escape::is_hidden(c));
    assert_eq!(raw, None, "{what}: a raw control character in\n{text}");
    for line in text.lines() {
        let meant =
            github && ["::error file=", "::warning file=", "::notice file="].iter().any(|c| line.starts_with(c));
        assert!(meant || !line.trim_start().starts_with("::"), "{what}: a workflow command: {line}");
    }
}

const POLICY: &str = "team \"A\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}\n";

/// Regression (issue 8): a policy whose file name holds a newline and
/// `::error file=...::` made the human and concise formats print a line
/// that GitHub Actions runs.
#[cfg(unix)]
#[test]
fn a_file_name_with_a_newline_and_a_workflow_command_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error file=evil.policy,line=1::pwned\x1b[2J.policy";
    std::fs::write(dir.path().join(name), POLICY).unwrap();
    for format in ["human", "concise", "github", "json", "sarif"] {
        for path in [".", name] {
            let out = run_in(dir.path(), &["check", "--format", format, path]);
            assert_eq!(out.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&out.stderr));
            assert_safe(format, &out.stdout, format == "github");
            assert_safe(format, &out.stderr, false);
            if matches!(format, "json" | "sarif") {
                let _: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            }
        }
    }
    let concise = run_in(dir.path(), &["check", "--format", "concise", "."]);
    let text = String::from_utf8(concise.stdout).unwrap();
    assert!(
        text.starts_with("x\\n\\u{3a}:error file=evil.policy,line=1::pwned\\u{1b}[2J.policy:3:3: error[K001/"),
        "{text}"
    );
}

/// Stale baseline entries come from a file that may have been edited by
/// hand; they are listed escaped (on standard output for human, standard
/// error for the line formats).
#[test]
fn stale_baseline_entries_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.policy"), POLICY).unwrap();
    let entry = serde_json::json!({
        "fingerprint": "0000000000000000",
        "code": "K001\u{1b}]0;x\u{7}",
        "file": "team.policy",
        "team": "T\n::error file=a::b",
        "message": "fixed\u{9b}2J\r\n::warning::pwned"
    });
    let baseline = serde_json::json!({ "version": 1, "findings": [entry] });
    std::fs::write(dir.path().join("baseline.json"), baseline.to_string()).unwrap();
    for format in ["human", "concise", "github"] {
        let out = run_in(dir.path(), &["check", "--format", format, "--baseline", "baseline.json", "team.policy"]);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let listed = if format == "human" { &stdout } else { &stderr };
        assert!(listed.contains("1 baseline entry matched no finding"), "{format}: {listed}");
        assert!(listed.contains("team \"T\\n\\u{3a}:error file=a::b\""), "{format}: {listed}");
        assert_safe(format, &out.stdout, format == "github");
        assert_safe(format, &out.stderr, false);
    }
}

/// Paths in error messages, names given to `explain` and `--level` are the
/// user's text too.
#[test]
fn command_line_text_in_errors_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 4] = [
        &["check", "no\x1b]0;x\x07such.policy"],
        &["explain", "K\x1b[31m001"],
        &["check", "--level", "\x1b[2Jnope=off", "."],
        &["check", "--config", "\n::error::x.yaml", "."],
    ];
    for args in cases {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
        assert_safe(&format!("{args:?}"), &out.stderr, false);
    }
}

/// A configuration file's problems are rendered like findings: escaped.
#[test]
fn configuration_errors_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.policy"), POLICY).unwrap();
    std::fs::write(
        dir.path().join("supportlint.yaml"),
        "rules:\n  \"\\e]0;x\\a\": off\n  \"\\u009b2J-rule\": warning\nextends: \"\\n::error::x.yaml\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "team.policy"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u{1b}]0;x\\u{7}"));
    assert_safe("stderr", &out.stderr, false);
}
