//! The example policies produce exactly the findings policies/README.md
//! lists for them: the README is the expectation, so it cannot drift.

use std::collections::BTreeMap;

use supportlint::{Checker, Source};

/// `(code, team)` pairs per file, from the README's tables.
fn expected() -> BTreeMap<String, Vec<(String, String)>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/README.md")).unwrap();
    let mut files: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = heading.split(':').next().filter(|f| f.ends_with(".policy")).map(str::to_string);
            if let Some(file) = &current {
                files.entry(file.clone()).or_default();
            }
            continue;
        }
        let Some(file) = &current else { continue };
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [code, _name, team] = cells.as_slice() else { continue };
        if code.len() == 4 && code.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && code != &"code" {
            let team = team.split(" (").next().unwrap_or(team).to_string();
            files.entry(file.clone()).or_default().push((code.to_string(), team));
        }
    }
    files
}

#[test]
fn every_example_policy_produces_exactly_the_findings_its_readme_lists() {
    let expected = expected();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let on_disk = super::harness::policy_names("policies");
    assert_eq!(on_disk, expected.keys().cloned().collect::<Vec<_>>(), "every policy has a README section");
    for (file, findings) in expected {
        let text = std::fs::read_to_string(dir.join(&file)).unwrap();
        let report = Checker::new().check(&Source::new(format!("policies/{file}"), text));
        let mut actual: Vec<(String, String)> =
            report.diagnostics.iter().map(|d| (d.code.to_string(), d.team.clone().unwrap_or_default())).collect();
        actual.sort();
        let mut findings = findings;
        findings.sort();
        assert_eq!(actual, findings, "{file}: findings differ from policies/README.md");
    }
}

#[test]
fn the_well_run_policy_is_clean() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/well_run.policy")).unwrap();
    let report = Checker::new().check(&Source::new("well_run.policy", text));
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
}
