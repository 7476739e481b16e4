//! JUnit XML, the test report CI servers read (GitLab's `artifacts:reports:junit`,
//! Jenkins, GitHub test-report actions). Each checked file is one test
//! case; each unsuppressed finding at or above the `--fail-on` threshold is
//! one `<failure>` of it, and findings below the threshold are listed in
//! the test case's `<system-out>`. Suppressed findings are left out, as in
//! the human output.
//!
//! The counts follow JUnit: `tests` is the number of test cases (files),
//! `failures` the number of test cases with at least one failure, `errors`
//! and `skipped` are 0. Text is escaped for XML, and characters XML 1.0
//! forbids (control characters) are written as visible escapes such as
//! `\u{1b}`, so any XML parser reads the report.

use super::fingerprint::normalize_path;
use crate::engine::FileReport;
use crate::engine::config::FailOn;
use crate::{Diagnostic, Source};

/// `text` escaped for XML character data and attribute values: the same
/// as [`crate::escape::markup`].
pub fn escape(text: &str) -> String {
    crate::escape::markup(text)
}

/// `K001 handle-time-below-promise (team "Care"): message`.
fn headline(d: &Diagnostic) -> String {
    let mut text = if d.code == d.name { d.code.to_string() } else { format!("{} {}", d.code, d.name) };
    if let Some(team) = &d.team {
        text.push_str(&format!(" (team \"{team}\")"));
    }
    text.push_str(": ");
    text.push_str(&d.message);
    text
}

fn place(d: &Diagnostic, source: &Source) -> String {
    let at = source.line_col(d.primary_span().start as usize);
    format!("{}:{}:{}", normalize_path(source.name()), at.line, at.column)
}

/// Counts of one run, as the `<testsuite>` attributes give them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Test cases: the files checked.
    pub tests: usize,
    /// Test cases with at least one failure.
    pub failures: usize,
    /// `<failure>` elements: the findings at or above the threshold.
    pub failed_findings: usize,
}

/// The counts of `reports` with the threshold of each (`fail_on[i]` for
/// `reports[i]`; error where none is given).
pub fn counts(reports: &[FileReport], fail_on: &[FailOn]) -> Counts {
    let mut counts = Counts { tests: reports.len(), ..Counts::default() };
    for (i, report) in reports.iter().enumerate() {
        let threshold = fail_on.get(i).copied().unwrap_or(FailOn::Error);
        let failed = report.diagnostics.iter().filter(|d| !d.is_suppressed() && threshold.fails(d.severity)).count();
        counts.failed_findings += failed;
        counts.failures += usize::from(failed > 0);
    }
    counts
}

/// The JUnit XML document for `reports`; `fail_on[i]` is the threshold of
/// `reports[i]` (its configuration or `--fail-on`; error where none is
/// given).
pub fn report(reports: &[FileReport], fail_on: &[FailOn]) -> String {
    let counts = counts(reports, fail_on);
    let totals = format!("tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\"", counts.tests, counts.failures);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<testsuites name=\"supportlint\" {totals}>\n"));
    out.push_str(&format!("  <testsuite name=\"supportlint\" {totals}>\n"));
    for (i, report) in reports.iter().enumerate() {
        let threshold = fail_on.get(i).copied().unwrap_or(FailOn::Error);
        let path = escape(&normalize_path(report.source.name()));
        let shown = report.diagnostics.iter().filter(|d| !d.is_suppressed());
        let (failed, below): (Vec<&Diagnostic>, Vec<&Diagnostic>) = shown.partition(|d| threshold.fails(d.severity));
        let open = format!("    <testcase name=\"{path}\" classname=\"{path}\" file=\"{path}\"");
        if failed.is_empty() && below.is_empty() {
            out.push_str(&open);
            out.push_str("/>\n");
            continue;
        }
        out.push_str(&open);
        out.push_str(">\n");
        for d in &failed {
            // Escaped piece by piece: the line break is the report's own.
            let mut body = escape(&place(d, &report.source));
            if let Some(help) = &d.help {
                body.push_str("\nhelp: ");
                body.push_str(&escape(help));
            }
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\">{body}</failure>\n",
                escape(&headline(d)),
                d.severity,
            ));
        }
        if !below.is_empty() {
            out.push_str("      <system-out>");
            for d in &below {
                out.push_str(&escape(&format!("{}: {}: {}", place(d, &report.source), d.severity, headline(d))));
                out.push('\n');
            }
            out.push_str("</system-out>\n");
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("x\u{0}y\u{1b}z\u{fffe}"), "x\\u{0}y\\u{1b}z\\u{fffe}");
        assert_eq!(escape("Équipe 東京"), "Équipe 東京");
    }
}
