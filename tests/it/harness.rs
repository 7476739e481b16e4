//! Fixture files with inline expectations, and rendering for snapshots.
//!
//! A fixture marks each line where a diagnostic's primary label must start
//! with `# expect: CODE` (a code or a kebab-case name; several separated by
//! commas, repeated for several findings on one line). The check is exact:
//! every expected finding is present and no other is. The markers are read
//! and compared by `supportlint::testing`, the code `supportlint test` runs.

use std::path::{Path, PathBuf};

use supportlint::report::human::{self, Style};
use supportlint::{Checker, Diagnostic, FileReport, Source, testing};

/// The `*.policy` file names in `dir` (relative to the repository), sorted.
pub fn policy_names(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".policy"))
        .collect();
    names.sort();
    names
}

/// The example policies of `policies/`, checked, in path order and named as
/// the CLI names them.
pub fn example_reports() -> Vec<FileReport> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    policy_names("policies")
        .iter()
        .map(|n| {
            Checker::new().check(&Source::new(format!("policies/{n}"), std::fs::read_to_string(dir.join(n)).unwrap()))
        })
        .collect()
}

pub fn fixture_path(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(name)
}

/// Loads a fixture with a stable display name (relative to the repository).
pub fn load(dir: &str, name: &str) -> Source {
    let text = std::fs::read_to_string(fixture_path(dir, name)).unwrap();
    Source::new(format!("tests/fixtures/{dir}/{name}"), text)
}

pub fn render(report: &FileReport, keep: impl Fn(&Diagnostic) -> bool) -> String {
    let style = Style { color: false, unicode: true, width: 100 };
    report
        .diagnostics
        .iter()
        .filter(|d| keep(d))
        .map(|d| human::render(d, &report.source, style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks the fixture `dir/name` against its markers, keeping only the
/// diagnostics `keep` selects (a rule fixture keeps its own rule and the
/// front-end errors), and returns the rendered output for a snapshot.
pub fn check_fixture(checker: &Checker, dir: &str, name: &str, keep: impl Fn(&Diagnostic) -> bool + Copy) -> String {
    let source = load(dir, name);
    let report = checker.check(&source);
    let outcome = testing::check_with(&report, keep);
    assert!(!outcome.expected.is_empty() || name.contains("near_misses"), "{name} has no `# expect:` marker");
    assert!(
        outcome.passed(),
        "\n{name}: findings differ from the markers\n{}\n{}",
        testing::describe(&outcome, &source),
        render(&report, keep)
    );
    render(&report, keep)
}
