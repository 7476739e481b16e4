//! Suppressions: `allow RULE "reason"` in a team, in `defaults` (every team)
//! or at top level (the whole file). A silenced finding stays in the report,
//! marked, and does not count. An `allow` that names no rule is X002; one
//! that silenced nothing is X001, reported at the `allow` itself.

use std::collections::{HashMap, HashSet};

use super::levels::RuleLevels;
use crate::diagnostic::excerpt;
use crate::fix::remove_statement;
use crate::model::policy::{Allow, AllowScope, Policy, Team};
use crate::model::vocab::closest;
use crate::rules::front_end::{UnknownRule, UnusedAllow};
use crate::rules::{Category, Lookup, lookup, metas};
use crate::{Diagnostic, Fix, Source, Span, Suppression, SuppressionKind};

/// What an `allow` names.
enum Target {
    /// A rule that can be allowed, by code.
    Rule(String),
    /// A front-end error, which cannot.
    FrontEnd(&'static str),
    /// Nothing known.
    Unknown(Option<String>),
}

fn resolve(allow: &Allow, policy: &Policy, custom: &HashSet<&str>) -> Target {
    if custom.contains(allow.rule.as_str()) {
        return Target::Rule(allow.rule.clone());
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

/// The first `allow` of each rule code among `allows`.
fn by_code<'p>(allows: &'p [Allow], resolved: &'p HashMap<Span, Target>) -> HashMap<&'p str, &'p Allow> {
    let mut map = HashMap::new();
    for allow in allows {
        if let Some(Target::Rule(code)) = resolved.get(&allow.span) {
            map.entry(code.as_str()).or_insert(allow);
        }
    }
    map
}

/// Marks the findings the policy's `allow`s silence and reports X001/X002.
/// X001 is not reported for a file with front-end errors (its teams were
/// not all checked) or for a rule the configuration turned off.
///
/// Each `allow` statement is resolved once, and each finding looks its rule
/// up by code, so the cost is linear in the findings and the statements.
pub(crate) fn apply(source: &Source, policy: &Policy, diagnostics: &mut Vec<Diagnostic>, levels: &RuleLevels) {
    let front_end_errors = diagnostics.iter().any(|d| d.code.starts_with('E'));
    let custom: HashSet<&str> = policy.rules.iter().map(|r| r.name.as_str()).collect();
    // Every allow statement once: those of `defaults` are shared by every team.
    let defaults = policy.teams.first().map_or(&[][..], |t| t.allows.from_defaults());
    let distinct = policy
        .allows
        .iter()
        .map(|a| (a, None))
        .chain(defaults.iter().map(|a| (a, None)))
        .chain(policy.teams.iter().flat_map(|t| t.allows.own().iter().map(move |a| (a, Some(t)))));
    let distinct: Vec<(&Allow, Option<&Team>)> = distinct.collect();
    let resolved: HashMap<Span, Target> =
        distinct.iter().map(|(allow, _)| (allow.span, resolve(allow, policy, &custom))).collect();

    let file = by_code(&policy.allows, &resolved);
    let from_defaults = by_code(defaults, &resolved);
    let teams: HashMap<&str, &Team> = policy.teams.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut own: HashMap<&str, HashMap<&str, &Allow>> = HashMap::new();
    let mut used: HashSet<Span> = HashSet::new();
    for d in diagnostics.iter_mut() {
        if d.code.starts_with('E') || d.code.starts_with('X') {
            continue;
        }
        let code = d.code.as_ref();
        let team = d.team.as_deref().and_then(|name| teams.get(name));
        let in_team = team.and_then(|t| {
            from_defaults.get(code).copied().or_else(|| {
                own.entry(t.name.as_str()).or_insert_with(|| by_code(t.allows.own(), &resolved)).get(code).copied()
            })
        });
        if let Some(allow) = in_team.or_else(|| file.get(code).copied()) {
            d.suppression =
                Some(Suppression { kind: SuppressionKind::Allow, reason: allow.reason.clone(), span: allow.span });
            used.insert(allow.span);
        }
    }
    for (allow, team) in distinct {
        let mut finding = match resolved.get(&allow.span) {
            None => continue,
            Some(Target::Rule(code)) => {
                if used.contains(&allow.span) || front_end_errors || !levels.enabled(code) {
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
                .fix(Fix::safe(
                    format!("remove the unused `allow {}`", allow.rule),
                    vec![remove_statement(source.text(), allow.span)],
                ))
            }
            Some(Target::FrontEnd(name)) => Diagnostic::new(
                UnknownRule::META.code,
                UnknownRule::META.name,
                UnknownRule::META.default_severity,
                format!("`{name}` cannot be allowed: front-end errors are always reported"),
            )
            .primary(allow.rule_span, "not suppressible")
            .help("fix the error instead; a file with front-end errors is not fully checked"),
            Some(Target::Unknown(suggestion)) => {
                let label = suggestion.as_ref().map_or("not a rule".to_string(), |s| format!("did you mean `{s}`?"));
                Diagnostic::new(
                    UnknownRule::META.code,
                    UnknownRule::META.name,
                    UnknownRule::META.default_severity,
                    format!("`allow {}` names no rule", excerpt(&allow.rule)),
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
