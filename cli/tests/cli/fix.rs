//! `check --fix`, `--unsafe-fixes` and `--diff` on real files.

use super::common::*;

const POLICY: &str = r#"team "Care" {
  channel phone
  demand 200/h
  agents 12
  shrinkage 0%
  target handle_time <= 3m
  target first_contact_resolution >= 70%
  service_level 80% within 20s
  allow P002 "the vendor trains them"
}
"#;

#[test]
fn fix_applies_only_the_safe_fixes_and_reports_on_the_fixed_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("care.policy");
    std::fs::write(&path, POLICY).unwrap();
    let out = run_in(dir.path(), &["check", "--fix", "--format", "concise", "care.policy"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, POLICY.replace("  allow P002 \"the vendor trains them\"\n", ""), "only the unused allow goes");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("X001") && stdout.contains("S002"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("applied 1 fix in 1 file"));
    assert_eq!(out.status.code(), Some(1), "S002 is still an error");
    // Nothing left to fix: the file is not written again.
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let again = run_in(dir.path(), &["check", "--fix", "care.policy"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("applied 0 fixes in 0 files"));
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);
}

#[test]
fn unsafe_fixes_resolve_the_staffing_finding_and_diff_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("care.policy");
    std::fs::write(&path, POLICY).unwrap();
    let diff = run_in(dir.path(), &["check", "--unsafe-fixes", "--diff", "care.policy"]);
    assert_eq!(diff.status.code(), Some(1), "a diff means there is something to apply");
    let shown = String::from_utf8_lossy(&diff.stdout);
    assert!(shown.contains("-  agents 12\n+  agents 14\n"), "{shown}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), POLICY, "--diff writes nothing");
    let out = run_in(dir.path(), &["check", "--unsafe-fixes", "--format", "concise", "care.policy"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("  agents 14\n") && !text.contains("allow P002"), "{text}");
}
