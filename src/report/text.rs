//! The one-line formats: `concise` for people and editors, `github` for
//! GitHub Actions workflow commands. Both leave suppressed findings out, and
//! both name the team: a finding inherited from `defaults` points at the
//! same line for every team that inherits it.

use super::fingerprint::normalize_path;
use crate::Severity;
use crate::engine::FileReport;

/// `path:line:col: severity[code/name] message`, one line per finding; the
/// message starts with `team "NAME": ` when the finding is about one team.
pub fn concise(report: &FileReport) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.is_suppressed()) {
        let at = report.source.line_col(d.primary_span().start as usize);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}{}\n",
            report.source.name(),
            at.line,
            at.column,
            d.severity,
            rule_id(d, "/"),
            d.team.as_ref().map_or(String::new(), |t| format!("team \"{t}\": ")),
            d.message.replace('\n', " ")
        ));
    }
    out
}

/// `code` `separator` `name`, or the name alone for a custom rule (whose
/// code is its name).
fn rule_id(d: &crate::Diagnostic, separator: &str) -> String {
    if d.code == d.name { d.name.to_string() } else { format!("{}{separator}{}", d.code, d.name) }
}

/// Escapes the data of a workflow command (the text after `::`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property of a workflow command (`file=`, `title=`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: `::error file=...,line=...::message`.
pub fn github(report: &FileReport) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.is_suppressed()) {
        let span = d.primary_span();
        let (start, end) = (report.source.line_col(span.start as usize), report.source.line_col(span.end as usize));
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            escape_property(&normalize_path(report.source.name())),
            start.line,
            end.line,
            start.column,
            end.column,
            escape_property(&match &d.team {
                Some(team) => format!("{} (team \"{team}\")", rule_id(d, " ")),
                None => rule_id(d, " "),
            }),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_github_reads() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c%\r\n"), "a%3Ab%2Cc%25%0D%0A");
    }
}
