//! Governance through the binary: `--today` and expiring allows, the
//! `suppressions` audit trail, and `--new-from-rev` in a real git repository.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::common::*;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

const POLICY: &str = r#"team "Care" {
  channel phone
  promise thorough
  target handle_time <= 3m
  allow K004 "resolution is measured by the quality team" owner "QA Lead" until 2027-01-31
}
"#;

#[test]
fn an_allow_stops_silencing_on_its_until_day() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("care.policy"), POLICY).unwrap();
    let before = run_in(dir.path(), &["check", "--today", "2027-01-30", "--format", "concise", "care.policy"]);
    let text = String::from_utf8_lossy(&before.stdout);
    assert!(!text.contains("K004") && !text.contains("X004"), "{text}");
    let after = run_in(dir.path(), &["check", "--today", "2027-01-31", "--format", "concise", "care.policy"]);
    let text = String::from_utf8_lossy(&after.stdout);
    assert!(text.contains("X004/expired-allow") && text.contains("expired on 2027-01-31, owned by QA Lead"), "{text}");
    assert!(text.contains("K004/speed-without-resolution"), "{text}");
    let bad = run_in(dir.path(), &["check", "--today", "2027-02-30", "care.policy"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn suppressions_lists_every_allow_with_its_state() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("care.policy"), POLICY).unwrap();
    std::fs::write(dir.path().join("supportlint.yaml"), "suppressions:\n  forbid: [K001]\n").unwrap();
    let out = run_in(dir.path(), &["suppressions", "--format", "json", "--today", "2027-02-01", "care.policy"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let allow = &doc["allows"][0];
    assert_eq!(allow["rule"], "K004");
    assert_eq!(allow["owner"], "QA Lead");
    assert_eq!(allow["until"], "2027-01-31");
    assert_eq!(
        (allow["expired"].as_bool(), allow["used"].as_bool(), allow["permitted"].as_bool()),
        (Some(true), Some(false), Some(true))
    );
    let human = run_in(dir.path(), &["suppressions", "--today", "2027-01-01", "care.policy"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("care.policy:5: allow K004 in team \"Care\": in use"), "{text}");
}

#[test]
fn new_from_rev_reports_only_what_a_commit_added() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("care.policy");
    std::fs::write(&path, POLICY).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    // The second commit adds a contradiction: a quota that leaves no time
    // for a thorough call.
    std::fs::write(
        &path,
        POLICY.replace("  promise thorough\n", "  promise thorough\n  target contacts_per_hour >= 12\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("new.policy"), "team \"New\" {\n  channel chat\n  target occupancy >= 90%\n}\n")
        .unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "second"]);

    let out = run_in(dir.path(), &["check", "--new-from-rev", "HEAD~1", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let new: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false)
        .map(|f| (f["file"].as_str().unwrap().to_string(), f["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        new,
        [
            ("care.policy".into(), "K006".into()),
            ("new.policy".into(), "K004".into()),
            ("new.policy".into(), "K007".into())
        ]
    );
    // Against the revision checked out, nothing is new.
    let same = run_in(dir.path(), &["check", "--new-from-rev", "HEAD", "."]);
    assert_eq!(same.status.code(), Some(0), "{}", String::from_utf8_lossy(&same.stdout));
    // An unknown revision, or no repository at all, is a usage error.
    let unknown = run_in(dir.path(), &["check", "--new-from-rev", "no-such-branch", "."]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`no-such-branch` is no revision"));
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("care.policy"), POLICY).unwrap();
    let outside = run_in(elsewhere.path(), &["check", "--new-from-rev", "HEAD", "."]);
    assert_eq!(outside.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&outside.stderr).contains("needs a git work tree"));
}
