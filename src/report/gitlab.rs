//! GitLab Code Quality: the JSON array a job publishes as
//! `artifacts:reports:codequality`, which GitLab shows in the merge request
//! widget and beside the changed lines. Suppressed findings are left out,
//! as in the human output.
//!
//! Severities map as follows: a front-end error (E001-E008: the file, or a
//! team, could not be checked at all) is `critical`; any other error is
//! `major`; a warning is `minor`; info is `info`. `blocker` is not used.
//!
//! Fingerprints are the line-independent ones of [`super::fingerprint`], so
//! GitLab tells new findings from old ones when lines move. GitLab keeps
//! one entry per fingerprint, so an entry whose fingerprint another entry
//! of the report already has (the same file given twice under two spellings
//! of its path) gets a derived one, as a second identical finding in a file
//! does.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::fingerprint::{fingerprints, fnv1a, hex, normalize_path};
use crate::engine::FileReport;
use crate::escape::visible;
use crate::rules::{Category, metas};
use crate::{Diagnostic, Severity};

/// One entry of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The rule, the team and the message, then the help.
    pub description: String,
    /// The rule's code (a custom rule's code is its name).
    pub check_name: String,
    /// 16 hex digits, unique within the report.
    pub fingerprint: String,
    /// `critical`, `major`, `minor` or `info`.
    pub severity: &'static str,
    /// Where the finding's primary statement is.
    pub location: Location,
}

/// A file and a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The path as given on the command line, with `/` separators and no
    /// leading `./`: relative to the repository root when run from there.
    pub path: String,
    /// The line.
    pub lines: Lines,
}

/// The line of a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lines {
    /// 1-based line of the primary statement.
    pub begin: u32,
}

/// The GitLab severity of a finding: `critical` for front-end errors,
/// `major` for other errors, `minor` for warnings, `info` for info.
pub fn severity(d: &Diagnostic) -> &'static str {
    // Not `category_of`: a lookup that misses (a custom rule) computes a
    // suggestion, which would cost every finding of a custom rule.
    let front_end = || metas().any(|m| m.code == d.code && m.category == Category::Syntax);
    match d.severity {
        Severity::Error if front_end() => "critical",
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn description(d: &Diagnostic) -> String {
    let mut text = if d.code == d.name { d.code.to_string() } else { format!("{} {}", d.code, d.name) };
    if let Some(team) = &d.team {
        text.push_str(&format!(" (team \"{team}\")"));
    }
    text.push_str(": ");
    text.push_str(&d.message);
    if let Some(help) = &d.help {
        text.push_str("; help: ");
        text.push_str(help);
    }
    visible(&text).into_owned()
}

/// The issues of `reports`, unsuppressed findings only, in output order.
pub fn issues(reports: &[FileReport]) -> Vec<Issue> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut repeats: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for report in reports {
        let path = normalize_path(report.source.name());
        let prints = fingerprints(&report.diagnostics, &report.source);
        for (d, print) in report.diagnostics.iter().zip(prints).filter(|(d, _)| !d.is_suppressed()) {
            let mut fingerprint = print.clone();
            while taken.contains(&fingerprint) {
                let n = repeats.entry(print.clone()).or_insert(1);
                *n += 1;
                fingerprint = hex(fnv1a(&[&print, "across files", &n.to_string()]));
            }
            taken.insert(fingerprint.clone());
            let begin = report.source.line_col(d.primary_span().start as usize).line;
            out.push(Issue {
                description: description(d),
                check_name: d.code.to_string(),
                fingerprint,
                severity: severity(d),
                location: Location { path: path.clone(), lines: Lines { begin } },
            });
        }
    }
    out
}

/// The Code Quality report for `reports`, as pretty JSON.
pub fn report(reports: &[FileReport]) -> String {
    serde_json::to_string_pretty(&issues(reports)).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Checker, Source};

    const TWO_ALIKE: &str = "team \"A\" {\n  channel phone\n  promise thorough\n  target handle_time <= 3m\n  target handle_time <= 3m\n}\n";

    #[test]
    fn the_same_file_twice_still_gives_distinct_fingerprints() {
        let checker = Checker::new();
        let reports =
            [checker.check(&Source::new("a.policy", TWO_ALIKE)), checker.check(&Source::new("./a.policy", TWO_ALIKE))];
        let issues = issues(&reports);
        assert!(issues.len() >= 4, "{issues:#?}");
        let distinct: HashSet<&str> = issues.iter().map(|i| i.fingerprint.as_str()).collect();
        assert_eq!(distinct.len(), issues.len(), "{issues:#?}");
        // The first file keeps the fingerprints every other format shows.
        let first = fingerprints(&reports[0].diagnostics, &reports[0].source);
        assert_eq!(issues[0].fingerprint, first[0]);
    }

    #[test]
    fn severities_map_front_end_errors_to_critical() {
        let checker = Checker::new();
        let broken = checker.check(&Source::new("b.policy", "team \"B\" {\n  chanel phone\n}\n"));
        assert_eq!(issues(&[broken])[0].severity, "critical");
        let k001 = checker.check(&Source::new("k.policy", TWO_ALIKE));
        let found = issues(&[k001]);
        assert!(found.iter().any(|i| i.check_name == "K001" && i.severity == "major"), "{found:#?}");
    }

    #[test]
    fn control_characters_in_team_names_are_escaped() {
        let text = TWO_ALIKE.replace("\"A\"", "\"A\u{1b}[2J\u{202e}\"");
        let report = Checker::new().check(&Source::new("c.policy", text));
        let found = issues(&[report]);
        assert!(found[0].description.contains("A\\u{1b}[2J\\u{202e}"), "{}", found[0].description);
    }
}
