//! The one-line formats: `concise` for people and editors, `github` for
//! GitHub Actions workflow commands. Both leave suppressed findings out, and
//! both name the team: a finding inherited from `defaults` points at the
//! same line for every team that inherits it.
//!
//! User text (the path, names, messages) is made visible first
//! (`crate::escape`), so a finding is one line whatever the policy holds,
//! and no line starts a workflow command the tool did not mean. Statements
//! beyond a finding's labels are not mentioned: these formats show one
//! position per finding, never the labels.

use super::fingerprint::normalize_path;
use crate::Severity;
use crate::engine::FileReport;
use crate::escape::{MAX_NAME, MAX_TEXT, shortened, visible};

/// `path:line:col: severity[code/name] message`, one line per finding; the
/// message starts with `team "NAME": ` when the finding is about one team.
pub fn concise(report: &FileReport) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.is_suppressed()) {
        let at = report.source.line_col(d.primary_span().start as usize);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}{}\n",
            visible(report.source.name()),
            at.line,
            at.column,
            d.severity,
            rule_id(d, "/"),
            team(d),
            shortened(&d.message, MAX_TEXT)
        ));
    }
    out
}

/// `code` `separator` `name`, or the name alone for a custom rule (whose
/// code is its name), made visible.
fn rule_id(d: &crate::Diagnostic, separator: &str) -> String {
    let (code, name) = (shortened(&d.code, MAX_NAME), shortened(&d.name, MAX_NAME));
    if d.code == d.name { name.into_owned() } else { format!("{code}{separator}{name}") }
}

/// `team "NAME": `, or nothing for a finding about the whole file.
fn team(d: &crate::Diagnostic) -> String {
    d.team.as_ref().map_or(String::new(), |t| format!("team \"{}\": ", shortened(t, MAX_NAME)))
}

/// Escapes the data of a workflow command (the text after `::`). Control
/// characters other than line ends are the caller's: [`github`] makes every
/// user text visible first.
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
        let mut message = shortened(&d.message, MAX_TEXT).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&shortened(help, MAX_TEXT));
        }
        out.push_str(&format!(
            "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            escape_property(&visible(&normalize_path(report.source.name()))),
            start.line,
            end.line,
            start.column,
            end.column,
            escape_property(&match &d.team {
                Some(team) => format!("{} (team \"{}\")", rule_id(d, " "), shortened(team, MAX_NAME)),
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
