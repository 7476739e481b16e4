//! Fixture files with inline expectations, and rendering for snapshots.
//!
//! A fixture marks each line where a diagnostic's primary label must start
//! with `# expect: CODE` (a code or a kebab-case name; several separated by
//! commas, repeated for several findings on one line). The check is exact:
//! every expected finding is present and no other is.

use std::path::{Path, PathBuf};

use supportlint::report::human::{self, Style};
use supportlint::rules::{Lookup, lookup};
use supportlint::{Checker, Diagnostic, FileReport, Source};

pub fn fixture_path(dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(name)
}

/// Loads a fixture with a stable display name (relative to the repository).
pub fn load(dir: &str, name: &str) -> Source {
    let text = std::fs::read_to_string(fixture_path(dir, name)).unwrap();
    Source::new(format!("tests/fixtures/{dir}/{name}"), text)
}

/// `(line, code)` for every `# expect:` marker.
pub fn expectations(source: &Source) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (index, line) in source.text().lines().enumerate() {
        let Some((_, list)) = line.split_once("# expect:") else { continue };
        for reference in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let code = match lookup(reference) {
                Lookup::Found(meta) => meta.code.to_string(),
                Lookup::Unknown(_) => reference.to_string(),
            };
            out.push((index as u32 + 1, code));
        }
    }
    out.sort();
    out
}

/// `(line, code)` of every diagnostic's primary label.
pub fn actual(report: &FileReport, keep: impl Fn(&Diagnostic) -> bool) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = report
        .diagnostics
        .iter()
        .filter(|d| keep(d))
        .map(|d| (report.source.line_col(d.primary_span().start as usize).line, d.code.to_string()))
        .collect();
    out.sort();
    out
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
    let expected = expectations(&source);
    assert!(!expected.is_empty() || name.contains("near_misses"), "{name} has no `# expect:` marker");
    let actual = actual(&report, keep);
    assert_eq!(actual, expected, "\n{name}: findings (line, code) differ from the markers\n{}", render(&report, keep));
    render(&report, keep)
}
