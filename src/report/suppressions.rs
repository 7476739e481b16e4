//! The audit trail of `allow` statements (`supportlint suppressions`): every
//! `allow` with its scope, rule, reason, owner, end date, and whether it
//! silenced anything, has expired or is not permitted.

use schemars::JsonSchema;
use serde::Serialize;

use super::fingerprint::normalize_path;
use crate::engine::{AllowStatus, FileReport};
use crate::escape::visible;
use crate::model::policy::AllowScope;

/// The version of the JSON document.
pub const VERSION: u32 = 1;

/// The JSON document of `supportlint suppressions --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SuppressionsJson {
    /// The version of this shape (1).
    pub version: u32,
    /// Every `allow` of the files, in file and then statement order.
    pub allows: Vec<AllowJson>,
}

/// One `allow` statement.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AllowJson {
    /// The file, as given on the command line.
    pub file: String,
    /// 1-based line of the statement.
    pub line: u32,
    /// `file`, `defaults` or `team`.
    pub scope: &'static str,
    /// The team, for an `allow` inside a team.
    pub team: Option<String>,
    /// The rule as written.
    pub rule: String,
    /// The rule's code, when the name is known.
    pub code: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The day it stops silencing, `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Whether it silenced at least one finding.
    pub used: bool,
    /// Whether its `until` day has come.
    pub expired: bool,
    /// Whether the configuration's `suppressions:` settings permit it.
    pub permitted: bool,
}

fn scope(scope: AllowScope) -> &'static str {
    match scope {
        AllowScope::File => "file",
        AllowScope::Defaults => "defaults",
        AllowScope::Team => "team",
    }
}

fn allow_json(report: &FileReport, a: &AllowStatus) -> AllowJson {
    AllowJson {
        file: normalize_path(report.source.name()),
        line: report.source.line_col(a.span.start as usize).line,
        scope: scope(a.scope),
        team: a.team.clone(),
        rule: a.rule.clone(),
        code: a.code.clone(),
        reason: a.reason.clone(),
        owner: a.owner.clone(),
        until: a.until.map(|d| d.to_string()),
        used: a.used,
        expired: a.expired,
        permitted: a.permitted,
    }
}

/// Every `allow` of `reports` as JSON.
pub fn json(reports: &[FileReport]) -> SuppressionsJson {
    let mut allows: Vec<AllowJson> =
        reports.iter().flat_map(|r| r.allows.iter().map(move |a| allow_json(r, a))).collect();
    allows.sort_by(|a, b| (a.file.as_str(), a.line).cmp(&(b.file.as_str(), b.line)));
    SuppressionsJson { version: VERSION, allows }
}

/// What became of an `allow`, in a word or two.
fn state(a: &AllowJson) -> &'static str {
    if !a.permitted {
        "not permitted"
    } else if a.expired {
        "expired"
    } else if a.code.is_none() {
        "unknown rule"
    } else if a.used {
        "in use"
    } else {
        "unused"
    }
}

/// Every `allow` of `reports` as a list a person reads: one block per
/// `allow`, user text escaped.
pub fn human(reports: &[FileReport]) -> String {
    let doc = json(reports);
    let mut out = String::new();
    for a in &doc.allows {
        let place = match (&a.team, a.scope) {
            (Some(team), _) => format!("team \"{}\"", visible(team)),
            (None, "defaults") => "every team (defaults)".to_string(),
            _ => "the whole file".to_string(),
        };
        out.push_str(&format!(
            "{}:{}: allow {} in {place}: {}\n",
            visible(&a.file),
            a.line,
            visible(&a.rule),
            state(a)
        ));
        out.push_str(&format!("    reason: {}\n", visible(&a.reason)));
        out.push_str(&format!(
            "    owner: {}   until: {}\n",
            a.owner.as_deref().map_or("none".into(), visible),
            a.until.as_deref().unwrap_or("no end date")
        ));
    }
    let count = |f: fn(&AllowJson) -> bool| doc.allows.iter().filter(|a| f(a)).count();
    out.push_str(&format!(
        "{} allows: {} in use, {} unused, {} expired, {} not permitted, {} without an owner, {} without an end date\n",
        doc.allows.len(),
        count(|a| a.permitted && !a.expired && a.used),
        count(|a| a.permitted && !a.expired && !a.used && a.code.is_some()),
        count(|a| a.expired),
        count(|a| !a.permitted),
        count(|a| a.owner.is_none()),
        count(|a| a.until.is_none()),
    ));
    out
}
