//! Suppressions: `allow RULE "reason"` in a team, in `defaults` (every team)
//! or at top level (the whole file). A silenced finding stays in the report,
//! marked, and does not count. An `allow` that names no rule is X002; one
//! that silenced nothing is X001, reported at the `allow` itself.

use std::collections::{BTreeSet, HashMap};

use super::levels::RuleLevels;
use crate::model::policy::{Allow, AllowScope, Policy, Team};
use crate::model::vocab::closest;
use crate::rules::front_end::{UnknownRule, UnusedAllow};
use crate::rules::{Category, Lookup, lookup, metas};
use crate::{Diagnostic, Span, Suppression, SuppressionKind};

/// What an `allow` names.
enum Target {
    /// A rule that can be allowed, by code.
    Rule(String),
    /// A front-end error, which cannot.
    FrontEnd(&'static str),
    /// Nothing known.
    Unknown(Option<String>),
}

fn resolve(allow: &Allow, policy: &Policy) -> Target {
    if let Some(rule) = policy.rules.iter().find(|r| r.name == allow.rule) {
        return Target::Rule(rule.name.clone());
    }
    match lookup(&allow.rule) {
        Lookup::Found(meta) if meta.category == Category::Syntax => Target::FrontEnd(meta.name),
        Lookup::Found(meta) => Target::Rule(meta.code.to_string()),
        Lookup::Unknown(_) => {
            let custom = policy.rules.iter().map(|r| r.name.as_str());
            Target::Unknown(closest(&allow.rule, metas().map(|m| m.name).chain(custom)).map(str::to_string))
        }
    }
}

/// Marks the findings the policy's `allow`s silence and reports X001/X002.
/// X001 is not reported for a file with front-end errors (its teams were
/// not all checked) or for a rule the configuration turned off.
pub(crate) fn apply(policy: &Policy, diagnostics: &mut Vec<Diagnostic>, levels: &RuleLevels) {
    let front_end_errors = diagnostics.iter().any(|d| d.code.starts_with('E'));
    let teams: HashMap<&str, &Team> = policy.teams.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut used: BTreeSet<Span> = BTreeSet::new();
    for d in diagnostics.iter_mut() {
        if d.code.starts_with('E') || d.code.starts_with('X') {
            continue;
        }
        let team = d.team.as_deref().and_then(|name| teams.get(name));
        let candidates = team.into_iter().flat_map(|t| &t.allows).chain(&policy.allows);
        for allow in candidates {
            if matches!(resolve(allow, policy), Target::Rule(code) if code == d.code) {
                d.suppression =
                    Some(Suppression { kind: SuppressionKind::Allow, reason: allow.reason.clone(), span: allow.span });
                used.insert(allow.span);
                break;
            }
        }
    }
    // Every allow statement once: those of `defaults` are in every team.
    let mut seen: BTreeSet<Span> = BTreeSet::new();
    let in_teams =
        policy.teams.iter().flat_map(|t| t.allows.iter().map(move |a| (a, (a.scope == AllowScope::Team).then_some(t))));
    for (allow, team) in policy.allows.iter().map(|a| (a, None)).chain(in_teams) {
        if !seen.insert(allow.span) {
            continue;
        }
        let mut finding = match resolve(allow, policy) {
            Target::Rule(code) => {
                if used.contains(&allow.span) || front_end_errors || !levels.enabled(&code) {
                    continue;
                }
                let scope = match allow.scope {
                    AllowScope::Team => "in this team",
                    AllowScope::Defaults => "in any team",
                    AllowScope::File => "in this file",
                };
                Diagnostic::new(
                    UnusedAllow::META.code,
                    UnusedAllow::META.name,
                    UnusedAllow::META.default_severity,
                    format!("`allow {}` silenced nothing {scope}", allow.rule),
                )
                .primary(allow.span, format!("no `{}` finding to silence", allow.rule))
                .help("remove it: a stale `allow` hides the next real finding of its rule")
            }
            Target::FrontEnd(name) => Diagnostic::new(
                UnknownRule::META.code,
                UnknownRule::META.name,
                UnknownRule::META.default_severity,
                format!("`{name}` cannot be allowed: front-end errors are always reported"),
            )
            .primary(allow.rule_span, "not suppressible")
            .help("fix the error instead; a file with front-end errors is not fully checked"),
            Target::Unknown(suggestion) => {
                let label = suggestion.map_or("not a rule".to_string(), |s| format!("did you mean `{s}`?"));
                Diagnostic::new(
                    UnknownRule::META.code,
                    UnknownRule::META.name,
                    UnknownRule::META.default_severity,
                    format!("`allow {}` names no rule", allow.rule),
                )
                .primary(allow.rule_span, label)
                .help("name a rule by its code (`P002`) or name (`one-off-training`); `supportlint rules` lists them")
            }
        };
        if let Some(team) = team {
            finding = finding.team(team.name.clone());
        }
        diagnostics.push(finding);
    }
}
