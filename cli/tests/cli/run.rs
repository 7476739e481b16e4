//! The `supportlint` binary as a user runs it: exit codes and streams.

use std::process::Command;

use super::common::*;

#[test]
fn exit_code_is_1_when_an_error_is_found() {
    let out = run(&["check", "tests/fixtures/rules/K001_norms_override.policy"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("K001[handle-time-below-promise]"));
}

#[test]
fn exit_code_is_0_when_nothing_is_found() {
    let out = run(&["check", "tests/fixtures/rules/K001_near_misses.policy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn exit_code_is_1_for_front_end_errors() {
    let out = run(&["check", "tests/fixtures/errors/E001_misspelt_statement.policy"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn exit_code_is_2_for_an_unreadable_path() {
    let out = run(&["check", "tests/fixtures/no-such-file.policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.policy"));
}

#[test]
fn exit_code_is_2_for_a_usage_error() {
    let out = run(&["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn directories_are_searched_for_policy_files_in_order() {
    let out = run(&["check", "tests/fixtures/rules"]);
    std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
    let text = stdout(&out);
    let first = text.find("K001_handle_time_below_promise.policy").unwrap();
    let second = text.find("K001_norms_override.policy").unwrap();
    assert!(first < second);
    let files = std::fs::read_dir("tests/fixtures/rules").unwrap().count();
    assert!(text.contains(&format!("checked {files} files")), "{text}");
}

/// Regression: opening a FIFO blocked forever.
#[cfg(unix)]
#[test]
fn a_fifo_is_not_read() {
    let dir = std::env::temp_dir().join(format!("supportlint-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("pipe.policy");
    let _ = std::fs::remove_file(&fifo);
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = run(&["check", fifo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn analyze_prints_json_in_the_documented_shape() {
    let out = run(&["analyze", "--format", "json", "policies/telecommunications.policy"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let team = &doc["files"][0]["teams"][0];
    for field in [
        "team",
        "channel",
        "arrival_rate_per_hour",
        "planned_handle_time_s",
        "honest_handle_time_s",
        "offered_load_erlangs",
        "scheduled_agents",
        "productive_agents",
        "servers",
        "stable",
        "waiting_probability",
        "service_level",
        "speed_of_answer_s",
        "occupancy",
        "abandonment",
        "required_productive_agents",
        "required_scheduled_agents",
        "honest_required_scheduled_agents",
        "max_first_contact_resolution",
        "plan_scheduled_agents",
        "honest_plan_scheduled_agents",
        "demand_headroom_percent",
        "plan_scheduled_agents_at_demand",
    ] {
        assert!(team.get(field).is_some(), "missing {field}");
    }
    // An unstable queue has no speed of answer; no patience, no abandonment.
    assert_eq!(team["stable"], false);
    assert!(team["speed_of_answer_s"].is_null());
    assert!(team["abandonment"].is_null());
    // The plan at both handle times, no headroom, the plan at more demand.
    assert_eq!(
        (team["plan_scheduled_agents"].as_u64(), team["honest_plan_scheduled_agents"].as_u64()),
        (Some(52), Some(102))
    );
    assert_eq!(team["demand_headroom_percent"], 0.0);
    assert_eq!(team["plan_scheduled_agents_at_demand"]["10"], 56);
}

#[test]
fn analyze_prints_a_table() {
    let out = run(&["analyze", "policies/telecommunications.policy"]);
    let text = stdout(&out);
    assert!(text.contains("Consumer Care") && text.contains("unstable"), "{text}");
}
