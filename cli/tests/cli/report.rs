//! `supportlint report`: the HTML page written where `-o` says, with the
//! configuration found as `check` finds it.

use std::path::Path;
use std::process::Command;

use super::common::*;

#[test]
fn writes_one_page_for_the_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.html");
    let out = run(&["report", "policies", "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("wrote "), "{}", stderr(&out));
    assert!(stderr(&out).contains("7 files, 20 teams"), "{}", stderr(&out));
    let page = std::fs::read_to_string(&out_path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<h2 id=\"f1-h\">policies/financial_services.policy</h2>"));
    assert!(out.stdout.is_empty());
    // `-o -` writes the same page to standard output.
    let again = run(&["report", "policies", "-o", "-"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(String::from_utf8(again.stdout).unwrap(), page);
}

#[test]
fn the_nearest_configuration_sets_the_levels() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "team \"Care\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}\n";
    std::fs::write(dir.path().join("care.policy"), policy).unwrap();
    let report = |dir: &Path| {
        let out = run_in(dir, &["report", "care.policy", "-o", "-"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(report(dir.path()).contains("id=\"rule-K001\""));
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  K001: off\n").unwrap();
    assert!(!report(dir.path()).contains("id=\"rule-K001\""), "the configuration turned K001 off");
    // `--level` wins over the file.
    let out = run_in(dir.path(), &["report", "care.policy", "-o", "-", "--level", "K001=warning"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains("<span class=\"status warning\">warning</span>"));
}

#[test]
fn a_broken_configuration_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("care.policy"), "team \"Care\" { channel phone }\n").unwrap();
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  K001: loud\n").unwrap();
    let out = run_in(dir.path(), &["report", "care.policy", "-o", "report.html"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no report was written"), "{}", stderr(&out));
    assert!(!dir.path().join("report.html").exists());
    // A name that is no rule is taken to be a policy's own rule: a warning,
    // as with `check`, and the page is written.
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  no-such-rule: off\n").unwrap();
    let out = run_in(dir.path(), &["report", "care.policy", "-o", "report.html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("`no-such-rule` names no built-in rule"), "{}", stderr(&out));
    assert!(dir.path().join("report.html").exists());
}

#[test]
fn front_end_errors_are_reported_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.policy"), "team \"A\" { chanel phone }\n").unwrap();
    let out = run_in(dir.path(), &["report", "bad.policy", "-o", "report.html"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(page.contains("E001"));
}

#[test]
fn an_unwritable_output_is_an_error() {
    let out = run(&["report", "policies/well_run.policy", "-o", "no/such/dir/report.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: no/such/dir/report.html: "), "{}", stderr(&out));
}

/// The page as headless Chromium renders it, offline: it loads, and every
/// chart is in the rendered document. Skipped when Chromium is not
/// installed.
#[test]
fn chromium_renders_the_page_offline() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        assert!(std::env::var_os("SUPPORTLINT_REQUIRE_CLIENTS").is_none(), "no chromium on PATH");
        eprintln!("skipped: no chromium on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = run(&["report", "policies/telecommunications.policy", "-o", page.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let profile = dir.path().join("profile");
    let rendered = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--proxy-server=127.0.0.1:9",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(rendered.status.success(), "{}", stderr(&rendered));
    let dom = String::from_utf8_lossy(&rendered.stdout);
    // Four teams, each with a service-level and an occupancy chart.
    assert_eq!(dom.matches("data-chart=\"service-level\"").count(), 4, "{dom}");
    assert_eq!(dom.matches("data-chart=\"occupancy\"").count(), 4);
    assert!(dom.contains("data-marker=\"today\""));
    assert!(!dom.contains("<script"));
}
