//! Gating in CI: configuration, suppressions, baselines, output formats,
//! exit codes and determinism, through the binary as a pipeline runs it.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::common::*;

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

const SUPPRESSIONS: &str = "tests/fixtures/ci/suppressions.policy";

// ---------------------------------------------------------------- schemas

#[test]
fn the_documented_schemas_are_the_ones_the_binary_prints() {
    for (which, file) in [("output", "docs/schemas/output.schema.json"), ("config", "docs/schemas/config.schema.json")]
    {
        let out = run(&["schema", which]);
        assert_eq!(out.status.code(), Some(0));
        let printed: Value = json(&out);
        assert_eq!(printed, read_json(file), "{file} is stale: regenerate it with `supportlint schema {which}`");
    }
}

#[test]
fn json_output_matches_its_documented_schema() {
    let schema = read_json("docs/schemas/output.schema.json");
    let out = run(&["check", "--format", "json", "policies", SUPPRESSIONS, "tests/fixtures/errors"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    validate(&schema, &doc);
    assert_eq!(doc["version"], 2);
    let findings = doc["findings"].as_array().unwrap();
    assert!(findings.len() > 40, "{}", findings.len());
    for f in findings {
        for field in
            ["file", "code", "name", "severity", "message", "team", "suppressed", "location", "label", "labels"]
        {
            assert!(f.get(field).is_some(), "missing {field} in {f}");
        }
        let start = &f["location"]["start"];
        assert!(start["line"].as_u64().unwrap() >= 1 && start["column"].as_u64().unwrap() >= 1);
        assert!(start["offset"].is_u64());
    }
    // File-level findings have a null team; team findings name it.
    assert!(findings.iter().any(|f| f["code"] == "X002" && f["team"].is_null()));
    assert!(findings.iter().any(|f| f["code"] == "K001" && f["team"] == "Billing"));
    // The primary label is the finding's `location` and `label`; the
    // others follow with their own locations, none of them repeating it.
    let k001 = findings.iter().find(|f| f["code"] == "K001" && f["team"] == "Billing").unwrap();
    assert!(k001["label"].as_str().is_some_and(|l| !l.is_empty()), "{k001}");
    let labels = k001["labels"].as_array().unwrap();
    assert!(!labels.is_empty() && labels.iter().all(|l| l["location"] != k001["location"]), "{k001}");
    assert!(labels.iter().all(|l| l.get("primary").is_none()), "{k001}");
}

#[test]
fn sarif_output_validates_against_sarif_2_1_0() {
    let schema = read_json("tests/fixtures/schemas/sarif-schema-2.1.0.json");
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "policies",
        SUPPRESSIONS,
        "tests/fixtures/ci/custom_rule.policy",
        "tests/fixtures/errors/E003_E004_every_problem_reported.policy",
    ]);
    let log = json(&out);
    validate(&schema, &log);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        // Each result points at its descriptor, which carries the rule docs.
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(rules[index]["fullDescription"]["text"].as_str().unwrap().len() > 20, "{}", rules[index]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.contains('\\') && !uri.starts_with('/'), "{uri}");
        assert_eq!(r["partialFingerprints"]["supportlint/v1"].as_str().unwrap().len(), 16);
    }
    // No two results of one file share a fingerprint, or code scanning
    // would merge them into one alert.
    let mut seen = std::collections::BTreeSet::new();
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        let fingerprint = r["partialFingerprints"]["supportlint/v1"].as_str().unwrap();
        assert!(seen.insert((uri, fingerprint)), "{uri}: {fingerprint} twice");
    }
    // Suppressed findings are listed, with the reason of their `allow`.
    let suppressed: Vec<&Value> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(suppressed.len(), 6);
    assert!(suppressed.iter().all(|r| r["suppressions"][0]["kind"] == "inSource"));
    assert!(suppressed.iter().any(|r| r["suppressions"][0]["justification"] == "a fast-lane pilot that ends in March"));
    // Descriptors of every built-in rule, even those that did not fire.
    for code in ["K001", "S001", "A001", "L001", "P001", "X001", "X002"] {
        assert!(rules.iter().any(|d| d["id"] == code), "{code}");
    }
}

// ------------------------------------------------------------ suppressions

/// `(line, code)` of the markers `# expect:` and `# silenced:`.
fn markers(text: &str, marker: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some((_, rest)) = line.split_once(marker) else { continue };
        let list = rest.split('#').next().unwrap_or_default();
        out.extend(list.split_whitespace().map(|code| (index as u64 + 1, code.to_string())));
    }
    out.sort();
    out
}

#[test]
fn allows_silence_findings_in_a_team_in_defaults_and_file_wide() {
    let text = std::fs::read_to_string(Path::new(ROOT).join(SUPPRESSIONS)).unwrap();
    let out = run(&["check", "--format", "json", SUPPRESSIONS]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let findings = doc["findings"].as_array().unwrap();
    let lines = |suppressed: bool| {
        let mut v: Vec<(u64, String)> = findings
            .iter()
            .filter(|f| f["suppressed"] == suppressed)
            .map(|f| (f["location"]["start"]["line"].as_u64().unwrap(), f["code"].as_str().unwrap().to_string()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(lines(false), markers(&text, "# expect:"));
    assert_eq!(lines(true), markers(&text, "# silenced:"));
    // Each silenced finding says which `allow` silenced it, and why.
    let k004 = findings.iter().find(|f| f["code"] == "K004" && f["team"] == "Billing").unwrap();
    assert_eq!(k004["suppression"]["kind"], "allow");
    assert_eq!(k004["suppression"]["reason"], "resolution is measured by the quality team");
    assert_eq!(k004["suppression"]["location"]["start"]["line"], 11);
    assert_eq!(doc["summary"]["suppressed"], 5);
}

#[test]
fn human_and_line_formats_leave_suppressed_findings_out_and_count_them() {
    let out = run(&["check", SUPPRESSIONS]);
    let text = stdout(&out);
    assert!(!text.contains("K001[handle-time-below-promise]: team \"Care\""), "{text}");
    assert!(text.contains("K001[handle-time-below-promise]: team \"Billing\""), "{text}");
    assert!(text.contains("X001[unused-allow]") && text.contains("X002[unknown-rule]"), "{text}");
    assert!(text.ends_with("checked 1 file: 3 errors, 2 warnings (5 suppressed)\n"), "{text}");
    let concise = stdout(&run(&["check", "--format", "concise", SUPPRESSIONS]));
    assert_eq!(concise.lines().count(), 5, "{concise}");
    let github = stdout(&run(&["check", "--format", "github", SUPPRESSIONS]));
    assert_eq!(github.lines().count(), 5, "{github}");
}

// ---------------------------------------------------------------- formats

#[test]
fn concise_is_one_line_per_finding_in_the_documented_shape() {
    let out = run(&["check", "--format", "concise", "tests/fixtures/rules/K001_norms_override.policy"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let first = text.lines().find(|l| l.contains("[K001/")).unwrap();
    let (place, rest) = first.split_once(": ").unwrap();
    let parts: Vec<&str> = place.split(':').collect();
    assert_eq!(parts[0], "tests/fixtures/rules/K001_norms_override.policy");
    assert!(parts[1].parse::<u32>().is_ok() && parts[2].parse::<u32>().is_ok(), "{first}");
    assert!(rest.starts_with("error[K001/handle-time-below-promise] team \""), "{first}");
}

#[test]
fn github_annotations_escape_percent_colon_comma_and_newlines() {
    let out = run(&["check", "--format", "github", "tests/fixtures/ci/escaping.policy"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = text.lines().find(|l| l.starts_with("::error ")).unwrap_or_else(|| panic!("{text}"));
    let (properties, message) = line.trim_start_matches("::error ").split_once("::").unwrap();
    // Properties: `:` and `,` inside a value are escaped, so they split only
    // where they should.
    assert!(
        properties.contains("title=K001 handle-time-below-promise (team \"Returns%3A 100%25%2C no questions\")"),
        "{properties}"
    );
    assert_eq!(properties.split(',').count(), 6, "{properties}");
    // Data: `%` and newlines are escaped; the help is on its own line.
    assert!(message.contains("%0Ahelp: "), "{message}");
    assert!(!message.contains('\n') && !message.contains('\r'));
    assert!(!message.replace("%25", "").replace("%0A", "").replace("%0D", "").contains('%'), "{message}");
}

#[test]
fn output_file_receives_the_output_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.sarif");
    let out = run(&["check", "--format", "sarif", "--output-file", target.to_str().unwrap(), SUPPRESSIONS]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
}

#[test]
fn output_file_over_an_old_one_holds_exactly_the_new_output() {
    // The file is written over in place and cut to length at the end: what
    // was there before, longer or shorter, must not show through.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    let args = ["check", "--format", "json", "--fail-on", "never", SUPPRESSIONS];
    let expected = run(&args).stdout;
    let with_file = |target: &std::path::Path| {
        let mut with_file = vec!["check", "--format", "json", "--fail-on", "never", "--output-file"];
        with_file.extend([target.to_str().unwrap(), SUPPRESSIONS]);
        assert_eq!(run(&with_file).status.code(), Some(0));
    };
    for old in [vec![b'x'; expected.len() * 3], vec![b'y'; 10], Vec::new()] {
        std::fs::write(&target, &old).unwrap();
        with_file(&target);
        assert_eq!(std::fs::read(&target).unwrap(), expected, "over {} old bytes", old.len());
    }
    // A link is followed: the file it names gets the output and stays a
    // file, and the link stays a link.
    #[cfg(unix)]
    {
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, vec![b'z'; expected.len() * 2]).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        with_file(&link);
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), expected);
    }
}

#[test]
fn a_run_that_fails_before_writing_leaves_no_old_report_in_the_output_file() {
    // The baseline cannot be read: nothing is written, and the file must
    // not keep the report of the run before as if it were this one's.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    std::fs::write(&target, "{\"findings\": [\"from the run before\"]}\n").unwrap();
    let missing = dir.path().join("missing.json");
    let args = ["check", "--format", "json", "--baseline", missing.to_str().unwrap(), "--output-file"];
    let out = run(&[&args[..], &[target.to_str().unwrap(), SUPPRESSIONS]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "");
}

// ------------------------------------------------------------- exit codes

#[test]
fn fail_on_sets_the_threshold_of_exit_code_1() {
    // Warnings only, after the errors are turned down in a configuration.
    let warnings_only = "tests/fixtures/rules/P002_one_off_training.policy";
    let code = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "concise"];
        args.extend_from_slice(extra);
        args.push(warnings_only);
        run(&args).status.code()
    };
    assert_eq!(code(&[]), Some(0));
    assert_eq!(code(&["--fail-on", "error"]), Some(0));
    assert_eq!(code(&["--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["--fail-on", "info"]), Some(1));
    let errors = ["check", "--fail-on", "never", "tests/fixtures/rules/K001_norms_override.policy"];
    assert_eq!(run(&errors).status.code(), Some(0));
    assert_eq!(run(&["check", "--fail-on", "sometimes", warnings_only]).status.code(), Some(2));
}

// -------------------------------------------------------------- determinism

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let paths = ["policies", "tests/fixtures/rules", "tests/fixtures/ci", "tests/fixtures/errors"];
    // The formats rendered from the same ordered reports need fewer runs.
    let runs = |format: &str| {
        if ["gitlab", "junit", "markdown"].contains(&format) { &["1", "8"][..] } else { &["1", "2", "2", "8"] }
    };
    for format in ["human", "concise", "json", "sarif", "github", "gitlab", "junit", "markdown"] {
        let outputs: Vec<Vec<u8>> = runs(format)
            .iter()
            .map(|threads| {
                let mut args = vec!["check", "--format", format, "--threads", threads];
                args.extend(paths);
                run(&args).stdout
            })
            .collect();
        assert!(outputs[0].len() > 1000, "{format}");
        for other in &outputs[1..] {
            assert!(outputs[0] == *other, "{format}: output differs between runs or thread counts");
        }
    }
}

// ---------------------------------------------------- fingerprints, baselines

const TEAM: &str = r#"team "Moving" {
  channel phone
  promise thorough
  target handle_time <= 3m weight 70%
  target first_contact_resolution >= 70% weight 30%
  demand 120/h
  agents 9
  shrinkage 30%
  service_level 80% within 20s
}
"#;

const OTHER: &str = r#"team "Staying" {
  channel email
  promise thorough
  target handle_time <= 5m
}
"#;

fn fingerprints(dir: &Path) -> Vec<(String, String, String)> {
    let doc = json(&run_in(dir, &["check", "--format", "json", "team.policy"]));
    let mut out: Vec<(String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("team"), s("code"), s("fingerprint"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn moving_a_team_twenty_lines_down_keeps_fingerprints_and_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("team.policy");
    std::fs::write(&policy, format!("{TEAM}\n{OTHER}")).unwrap();
    let before = fingerprints(dir.path());
    assert!(before.iter().any(|(team, code, _)| team == "Moving" && code == "K001"), "{before:?}");

    let out = run_in(dir.path(), &["check", "--write-baseline", "baseline.json", "team.policy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("recorded {} findings", before.len())), "{}", stderr(&out));

    // The other team and twenty more lines now stand above it.
    let padding = "# moved down\n".repeat(15);
    std::fs::write(&policy, format!("{OTHER}{padding}\n{TEAM}")).unwrap();
    assert_eq!(fingerprints(dir.path()), before);
    let out = run_in(dir.path(), &["check", "--format", "json", "--baseline", "baseline.json", "team.policy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let doc = json(&out);
    assert!(doc["findings"].as_array().unwrap().iter().all(|f| f["suppressed"] == true));
    assert_eq!(doc["findings"][0]["suppression"]["kind"], "baseline");
    assert_eq!(doc["stale_baseline"], serde_json::json!([]));

    // A new handle-time target is a new finding; the old entry is stale.
    std::fs::write(&policy, format!("{OTHER}{padding}\n{}", TEAM.replace("<= 3m", "<= 4m"))).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "--baseline", "baseline.json", "team.policy"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let new: Vec<&Value> = doc["findings"].as_array().unwrap().iter().filter(|f| f["suppressed"] == false).collect();
    assert!(
        new.iter()
            .any(|f| f["code"] == "K001" && f["team"] == "Moving" && f["message"].as_str().unwrap().contains("4m"))
    );
    let stale = doc["stale_baseline"].as_array().unwrap();
    assert!(stale.iter().any(|e| e["code"] == "K001" && e["team"] == "Moving"), "{stale:?}");
    // People see the stale entries too.
    let human = stdout(&run_in(dir.path(), &["check", "--baseline", "baseline.json", "team.policy"]));
    assert!(human.contains("matched no finding"), "{human}");
}

#[test]
fn a_baseline_counts_identical_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.policy"), TEAM).unwrap();
    run_in(dir.path(), &["check", "--write-baseline", "baseline.json", "team.policy"]);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["version"], 1);
    assert!(baseline["findings"].as_array().unwrap().iter().all(|e| e.get("line").is_none()));
    let out = run_in(dir.path(), &["check", "--baseline", "missing.json", "team.policy"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path().join("bad.json"), "{\"version\": 7, \"findings\": []}").unwrap();
    let out = run_in(dir.path(), &["check", "--baseline", "bad.json", "team.policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("version 7"), "{}", stderr(&out));
}

// ----------------------------------------------------------- configuration

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("teams")).unwrap();
    std::fs::write(dir.path().join("teams/team.policy"), TEAM).unwrap();
    std::fs::write(dir.path().join("supportlint.yaml"), config).unwrap();
    dir
}

fn codes(out: &Output) -> Vec<String> {
    json(out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_misspelt_rule_in_the_configuration_fails_with_exit_2_at_its_line() {
    let dir = project("fail_on: warning\nrules:\n  staffing: warning\n  handle-time-below-promsie: off\n");
    let out = run_in(dir.path(), &["check", "teams"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("X002[unknown-rule]"), "{err}");
    assert!(err.contains("supportlint.yaml:4:3"), "{err}");
    assert!(err.contains("did you mean `handle-time-below-promise`?"), "{err}");
    assert!(out.stdout.is_empty(), "nothing is checked with a broken configuration");
}

#[test]
fn every_configuration_problem_is_reported_at_its_line() {
    let config = "colour: red\nfail_on: sometimes\nrules:\n  staffing: loud\n  E001: off\nnorms:\n  max_occupancy: 120%\n  typical_handle_time:\n    fone: 5m\n  max_concurency: 3\n";
    let dir = project(config);
    let err = stderr(&run_in(dir.path(), &["check", "teams"]));
    for (place, text) in [
        ("supportlint.yaml:1:1", "unknown key `colour`"),
        ("supportlint.yaml:2:10", "`sometimes` is not a `fail_on` level"),
        ("supportlint.yaml:4:13", "`loud` is not a rule level"),
        ("supportlint.yaml:5:3", "`E001` cannot be configured: it is always an error"),
        ("supportlint.yaml:7:18", "above 100%"),
        ("supportlint.yaml:9:5", "unknown channel `fone`"),
        ("supportlint.yaml:10:3", "did you mean `max_concurrency`?"),
    ] {
        assert!(err.contains(place), "{place} missing:\n{err}");
        assert!(err.contains(text), "{text} missing:\n{err}");
    }
    let dir = project("rules: [K001]\n");
    let out = run_in(dir.path(), &["check", "teams"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("supportlint.yaml:1:"), "{}", stderr(&out));
}

#[test]
fn levels_by_code_name_and_category_with_the_rule_winning() {
    let dir = project("rules:\n  kpi: info\n  K001: error\n  staffing: off\n  speed-without-resolution: warning\n");
    let found = codes(&run_in(dir.path(), &["check", "--format", "json", "teams"]));
    assert!(found.contains(&"K001:error".to_string()), "{found:?}");
    assert!(found.iter().all(|c| !c.starts_with('S')), "{found:?}");
    assert!(
        found.iter().filter(|c| c.starts_with('K') && c.as_str() != "K001:error").all(|c| c.ends_with(":info")),
        "{found:?}"
    );
    // Without the configuration the staffing rules fire on this team.
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("team.policy"), TEAM).unwrap();
    let found = codes(&run_in(plain.path(), &["check", "--format", "json", "team.policy"]));
    assert!(found.iter().any(|c| c.starts_with('S')), "{found:?}");
}

#[test]
fn configuration_is_found_walking_up_and_can_be_given_explicitly() {
    let dir = project("fail_on: never\n");
    // Found from a subdirectory of the checked file.
    assert_eq!(run_in(dir.path(), &["check", "teams/team.policy"]).status.code(), Some(0));
    assert_eq!(run_in(&dir.path().join("teams"), &["check", "team.policy"]).status.code(), Some(0));
    // `--config` replaces discovery; the command line beats `fail_on`.
    std::fs::write(dir.path().join("strict.yaml"), "fail_on: error\n").unwrap();
    assert_eq!(run_in(dir.path(), &["check", "--config", "strict.yaml", "teams"]).status.code(), Some(1));
    assert_eq!(run_in(dir.path(), &["check", "--fail-on", "error", "teams"]).status.code(), Some(1));
    assert_eq!(run_in(dir.path(), &["check", "--config", "nothing.yaml", "teams"]).status.code(), Some(2));
}

#[test]
fn extends_merges_key_by_key_and_refuses_loops() {
    let dir = project("extends: shared/base.yaml\nrules:\n  K001: warning\nnorms:\n  max_occupancy: 95%\n");
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/base.yaml"), "fail_on: warning\nrules:\n  K001: off\n  K003: off\n")
        .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "teams"]);
    // fail_on from the base, K001 from this file, K003 off from the base.
    assert_eq!(out.status.code(), Some(1));
    let found = codes(&out);
    assert!(found.contains(&"K001:warning".to_string()), "{found:?}");
    assert!(!found.iter().any(|c| c.starts_with("K003")), "{found:?}");

    std::fs::write(dir.path().join("shared/base.yaml"), "extends: ../supportlint.yaml\n").unwrap();
    let out = run_in(dir.path(), &["check", "teams"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("would loop"), "{}", stderr(&out));
}

#[test]
fn norms_in_the_configuration_apply_and_a_policy_norms_block_wins() {
    // 3m is below the thorough phone floor of 6m; a floor of 2m clears it.
    let dir = project("norms:\n  handle_time_floor:\n    thorough:\n      phone: 2m\n");
    let found = codes(&run_in(dir.path(), &["check", "--format", "json", "teams"]));
    assert!(!found.iter().any(|c| c.starts_with("K001")), "{found:?}");
    std::fs::write(
        dir.path().join("teams/team.policy"),
        format!("norms {{\n  handle_time_floor thorough phone 4m\n}}\n\n{TEAM}"),
    )
    .unwrap();
    let found = codes(&run_in(dir.path(), &["check", "--format", "json", "teams"]));
    assert!(found.iter().any(|c| c.starts_with("K001")), "{found:?}");
}

#[test]
fn the_readme_configuration_example_is_valid() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let start = readme.find("```yaml\n# supportlint.yaml\n").expect("README has a configuration example") + 8;
    let text = &readme[start..start + readme[start..].find("```").unwrap()];
    let source = supportlint::Source::new("README.md", text);
    let parsed = supportlint::config::parse(&source);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    // It also passes the schema editors use (read as YAML 1.2, where `off`
    // is a string, as editors read it).
    let yaml_1_2 = serde_saphyr::options! { strict_booleans: true };
    let as_json: Value = serde_saphyr::from_str_with_options(text, yaml_1_2).unwrap();
    validate(&read_json("docs/schemas/config.schema.json"), &as_json);
    // And a typo is caught by the schema, too.
    let typo: Value = serde_saphyr::from_str("fail_on: sometimes\n").unwrap();
    let validator = jsonschema::validator_for(&read_json("docs/schemas/config.schema.json")).unwrap();
    assert!(!validator.is_valid(&typo));
}

#[test]
fn level_flags_win_over_the_configuration_and_unknown_names_are_x002() {
    let dir = project("rules:\n  K001: off\n  staffing: error\n");
    let out =
        run_in(dir.path(), &["check", "--format", "json", "--level", "K001=warning", "--level", "S004=off", "teams"]);
    let found = codes(&out);
    assert!(found.contains(&"K001:warning".to_string()), "{found:?}");
    assert!(found.iter().any(|c| c.starts_with('S')) && !found.iter().any(|c| c.starts_with("S004")), "{found:?}");
    let out = run_in(dir.path(), &["check", "--level", "K0001=off", "teams"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error[X002/unknown-rule]: `--level K0001` names no rule (did you mean `K001`?)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(run_in(dir.path(), &["check", "--level", "K001=loud", "teams"]).status.code(), Some(2));
    assert_eq!(run_in(dir.path(), &["check", "--level", "E001=off", "teams"]).status.code(), Some(2));
}

#[test]
fn writing_a_baseline_still_reports_what_cannot_be_baselined() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.policy"), TEAM).unwrap();
    std::fs::write(dir.path().join("broken.policy"), "team \"A\" {\n  chanel phone\n}\n").unwrap();
    let out = run_in(dir.path(), &["check", "--format", "concise", "--write-baseline", "b.json", "."]);
    // The syntax error is not recorded, is shown, and fails the run.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "broken.policy:2:3: error[E001/syntax-error] unknown statement `chanel`\n");
    let out = run_in(dir.path(), &["check", "--format", "concise", "--baseline", "b.json", "team.policy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn stale_entries_are_those_of_the_files_checked_and_print_safely() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.policy"), TEAM).unwrap();
    let entry = |file: &str, message: &str| serde_json::json!({"fingerprint": "0", "code": "K001", "file": file, "team": null, "message": message});
    let baseline = serde_json::json!({"version": 1, "findings": [
        entry("team.policy", "fixed\n::error file=README.md,line=1::injected"),
        entry("other.policy", "a file not checked in this run"),
    ]});
    std::fs::write(dir.path().join("b.json"), baseline.to_string()).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "github", "--baseline", "b.json", "team.policy"]);
    let err = stderr(&out);
    assert!(err.contains("1 baseline entry matched no finding"), "{err}");
    assert!(!err.contains("other.policy"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("::")), "a stale entry must not become a workflow command:\n{err}");
}

#[cfg(unix)]
#[test]
fn a_baseline_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.policy"), TEAM).unwrap();
    assert!(Command::new("mkfifo").arg(dir.path().join("fifo")).status().unwrap().success());
    let out = run_in(dir.path(), &["check", "--baseline", "fifo", "team.policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a regular file"), "{}", stderr(&out));
}

#[test]
fn custom_rules_are_configured_by_name_and_unknown_ones_are_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(ROOT).join("tests/fixtures/ci/custom_rule.policy"), dir.path().join("c.policy")).unwrap();
    std::fs::write(
        dir.path().join("supportlint.yaml"),
        "rules:\n  phone-refund-floor: error\n  phone-refund-flor: off\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "c.policy"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(codes(&out).contains(&"phone-refund-floor:error".to_string()), "{:?}", codes(&out));
    let err = stderr(&out);
    assert!(err.contains("supportlint.yaml:3:3") && err.contains("did you mean `phone-refund-floor`?"), "{err}");
    let out = run_in(dir.path(), &["check", "--format", "json", "--level", "phone-refund-floor=off", "c.policy"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(codes(&out).is_empty(), "{:?}", codes(&out));
}

#[test]
fn a_category_on_the_command_line_overrides_the_configuration_s_rules() {
    let dir = project("rules:\n  K001: off\n");
    let out = run_in(dir.path(), &["check", "--format", "json", "--level", "kpi=warning", "teams"]);
    assert!(codes(&out).contains(&"K001:warning".to_string()), "{:?}", codes(&out));
}

#[test]
fn empty_sections_and_numbers_are_accepted_by_parser_and_schema_alike() {
    let text = "rules:\nnorms:\n  max_concurrency: 2\n  typical_handle_time:\n";
    assert!(supportlint::config::parse(&supportlint::Source::new("c.yaml", text)).is_ok());
    let yaml_1_2 = serde_saphyr::options! { strict_booleans: true };
    let as_json: Value = serde_saphyr::from_str_with_options(text, yaml_1_2).unwrap();
    validate(&read_json("docs/schemas/config.schema.json"), &as_json);
}
