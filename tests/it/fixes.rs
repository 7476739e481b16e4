//! Every fix of every finding in the repository's fixtures and example
//! policies, applied alone: the file still parses, the finding it fixes is
//! gone (one finding fewer of its rule for its team), and a safe fix changes
//! nothing else.

use std::path::Path;

use supportlint::fix::apply;
use supportlint::{Applicability, Checker, FileReport, Source};

fn policies() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in ["tests/fixtures/rules", "policies", "tests/fixtures/ci"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for path in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "policy")) {
            let text = std::fs::read_to_string(&path).unwrap();
            sources.push(Source::new(path.strip_prefix(root).unwrap().display().to_string(), text));
        }
    }
    sources
}

fn count(report: &FileReport, code: &str, team: &Option<String>) -> usize {
    report.diagnostics.iter().filter(|d| !d.is_suppressed() && d.code == code && &d.team == team).count()
}

#[test]
fn every_fix_removes_its_finding_and_leaves_a_file_that_parses() {
    let checker = Checker::new();
    let mut fixes = 0;
    for source in policies() {
        let report = checker.check(&source);
        for d in report.diagnostics.iter().filter(|d| !d.is_suppressed()) {
            for fix in &d.fixes {
                let fixed = apply(source.text(), &[fix]);
                assert_eq!(fixed.applied, 1, "{}: `{}` did not apply", source.name(), fix.title);
                let after = checker.check(&Source::new(source.name(), fixed.text.clone()));
                let errors: Vec<&str> =
                    after.diagnostics.iter().filter(|e| e.code.starts_with('E')).map(|e| e.message.as_str()).collect();
                assert!(
                    errors.is_empty(),
                    "{}: `{}` broke the file: {errors:?}\n{}",
                    source.name(),
                    fix.title,
                    fixed.text
                );
                let (before_n, after_n) = (count(&report, &d.code, &d.team), count(&after, &d.code, &d.team));
                assert!(
                    after_n < before_n,
                    "{}: `{}` left {} {:?} of {:?}\n{}",
                    source.name(),
                    fix.title,
                    after_n,
                    d.code,
                    d.team,
                    d.message
                );
                if fix.applicability == Applicability::Safe {
                    let others = |r: &FileReport| {
                        let mut v: Vec<(String, Option<String>, String)> = r
                            .diagnostics
                            .iter()
                            .filter(|e| e.code != d.code)
                            .map(|e| (e.code.to_string(), e.team.clone(), e.message.clone()))
                            .collect();
                        v.sort();
                        v
                    };
                    assert_eq!(
                        others(&report),
                        others(&after),
                        "{}: safe `{}` changed other findings",
                        source.name(),
                        fix.title
                    );
                }
                fixes += 1;
            }
        }
    }
    assert!(fixes > 100, "only {fixes} fixes checked");
}
