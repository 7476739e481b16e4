//! Suppressions: `allow RULE "reason" [owner "NAME"] [until DATE]` in a
//! team, in `defaults` (every team) or at top level (the whole file). A
//! silenced finding stays in the report, marked, and does not count.
//!
//! An `allow` that names no rule is X002; one past its `until` silences
//! nothing and is X004; one the configuration's `suppressions:` settings
//! forbid silences nothing and is X005; one that silenced nothing is X001.
//! Each is reported at the `allow` itself, and every `allow` is listed with
//! its state for the audit trail ([`AllowStatus`]).

use std::collections::{HashMap, HashSet};

use super::levels::RuleLevels;
use crate::diagnostic::excerpt;
use crate::fix::remove_statement;
use crate::model::policy::{Allow, AllowScope, Policy, Team};
use crate::model::units::Date;
use crate::model::vocab::closest;
use crate::rules::{AllowNotPermitted, ExpiredAllow, UnknownRule, UnusedAllow};
use crate::rules::{Catalog, Category, RuleMeta};
use crate::{Diagnostic, Fix, Source, Span, Suppression, SuppressionKind};

/// What the configuration requires of every `allow` (`suppressions:` in
/// `supportlint.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuppressionPolicy {
    /// Every `allow` names an `owner`.
    pub require_owner: bool,
    /// Every `allow` has an `until` at most this many days after today.
    pub max_days: Option<u32>,
    /// Rules (by code) that may not be suppressed.
    pub forbidden_rules: Vec<String>,
    /// Categories whose rules may not be suppressed.
    pub forbidden_categories: Vec<Category>,
}

/// One `allow` statement and what became of it: the audit trail of
/// `supportlint suppressions`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AllowStatus {
    /// The rule as written.
    pub rule: String,
    /// The rule's code, when the name is known.
    pub code: Option<String>,
    /// File, `defaults` or one team.
    pub scope: AllowScope,
    /// The team, for an `allow` in a team.
    pub team: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// Who answers for it.
    pub owner: Option<String>,
    /// When it stops silencing.
    pub until: Option<Date>,
    /// Whether it silenced at least one finding.
    pub used: bool,
    /// Whether `until` has come (it silences nothing).
    pub expired: bool,
    /// Whether the configuration permits it (if not, it silences nothing).
    pub permitted: bool,
    /// The statement.
    pub span: Span,
}

/// What an `allow` names.
enum Target {
    /// A rule that can be allowed, by code, with its category.
    Rule(String, Category),
    /// A front-end error, which cannot.
    FrontEnd(&'static str),
    /// Nothing known.
    Unknown(Option<String>),
}

fn resolve(allow: &Allow, policy: &Policy, catalog: &Catalog, custom: &HashSet<&str>) -> Target {
    if custom.contains(allow.rule.as_str()) {
        return Target::Rule(allow.rule.clone(), Category::Custom);
    }
    match catalog.find(&allow.rule) {
        Some(meta) if meta.category == Category::Syntax => Target::FrontEnd(meta.name),
        Some(meta) => Target::Rule(meta.code.to_string(), meta.category),
        None => {
            let custom = policy.rules.iter().map(|r| r.name.as_str());
            let names = catalog.metas().flat_map(|m| [m.code, m.name]).chain(custom);
            Target::Unknown(closest(&allow.rule, names).map(str::to_string))
        }
    }
}

/// Why the configuration does not permit an `allow`, if it does not.
fn not_permitted(
    allow: &Allow,
    code: &str,
    category: Category,
    policy: &SuppressionPolicy,
    today: Option<Date>,
) -> Vec<String> {
    let mut why = Vec::new();
    if policy.forbidden_rules.iter().any(|r| r == code) {
        why.push(format!("`{code}` may not be suppressed"));
    } else if policy.forbidden_categories.contains(&category) {
        why.push(format!("rules of the `{}` category may not be suppressed", category.as_str()));
    }
    if policy.require_owner && allow.owner.is_none() {
        why.push("every `allow` names an `owner`".to_string());
    }
    if let Some(max) = policy.max_days {
        match (allow.until, today) {
            (None, _) => why.push(format!("every `allow` ends with an `until` at most {max} days ahead")),
            (Some((until, _)), Some(today)) if today.days_until(until) > i64::from(max) => {
                let latest = Date::from_days_since_epoch(today.days_since_epoch() + i64::from(max));
                why.push(format!(
                    "its `until` is {} days ahead, more than {max}{}",
                    today.days_until(until),
                    latest.map_or(String::new(), |d| format!(" (the latest is {d})"))
                ));
            }
            _ => {}
        }
    }
    why
}

/// The state of each distinct `allow`, by its span.
struct Judged {
    target: Target,
    expired: bool,
    refused: Vec<String>,
}

impl Judged {
    /// The code of a rule it may silence: known, unexpired and permitted.
    fn silences(&self) -> Option<&str> {
        match &self.target {
            Target::Rule(code, _) if !self.expired && self.refused.is_empty() => Some(code),
            _ => None,
        }
    }
}

/// The first `allow` of each rule code among `allows` that may silence it.
fn by_code<'p>(allows: &'p [Allow], judged: &'p HashMap<Span, Judged>) -> HashMap<&'p str, &'p Allow> {
    let mut map = HashMap::new();
    for allow in allows {
        if let Some(code) = judged.get(&allow.span).and_then(Judged::silences) {
            map.entry(code).or_insert(allow);
        }
    }
    map
}

fn diagnostic(meta: &RuleMeta, message: String) -> Diagnostic {
    Diagnostic::new(meta.code, meta.name, meta.default_severity, message).in_category(meta.category)
}

/// Marks the findings the policy's `allow`s silence, reports X001, X002,
/// X004 and X005, and returns every `allow` with its state. X001 is not
/// reported for a file with front-end errors (its teams were not all
/// checked) or for a rule the configuration turned off.
///
/// Each `allow` statement is resolved once, and each finding looks its rule
/// up by code, so the cost is linear in the findings and the statements.
pub(crate) fn apply(
    source: &Source,
    policy: &Policy,
    diagnostics: &mut Vec<Diagnostic>,
    catalog: &Catalog,
    levels: &RuleLevels,
    rules: &SuppressionPolicy,
    today: Option<Date>,
) -> Vec<AllowStatus> {
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
    let judged: HashMap<Span, Judged> = distinct
        .iter()
        .map(|(allow, _)| {
            let target = resolve(allow, policy, catalog, &custom);
            let expired = allow.until.zip(today).is_some_and(|((until, _), today)| until <= today);
            let refused = match &target {
                Target::Rule(code, category) => not_permitted(allow, code, *category, rules, today),
                _ => Vec::new(),
            };
            (allow.span, Judged { target, expired, refused })
        })
        .collect();

    let file = by_code(&policy.allows, &judged);
    let from_defaults = by_code(defaults, &judged);
    // A team is looked up by name only when an `allow` can silence its
    // findings: one of `defaults`, or one of its own.
    let teams: HashMap<&str, &Team> = policy
        .teams
        .iter()
        .filter(|t| !from_defaults.is_empty() || !t.allows.own().is_empty())
        .map(|t| (t.name.as_str(), t))
        .collect();
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
                own.entry(t.name.as_str()).or_insert_with(|| by_code(t.allows.own(), &judged)).get(code).copied()
            })
        });
        if let Some(allow) = in_team.or_else(|| file.get(code).copied()) {
            d.suppression =
                Some(Suppression { kind: SuppressionKind::Allow, reason: allow.reason.clone(), span: allow.span });
            used.insert(allow.span);
        }
    }

    let mut statuses = Vec::with_capacity(distinct.len());
    for (allow, team) in distinct {
        let Some(state) = judged.get(&allow.span) else { continue };
        let team = team.filter(|_| allow.scope == AllowScope::Team);
        statuses.push(AllowStatus {
            rule: allow.rule.clone(),
            code: match &state.target {
                Target::Rule(code, _) => Some(code.clone()),
                _ => None,
            },
            scope: allow.scope,
            team: team.map(|t| t.name.clone()),
            reason: allow.reason.clone(),
            owner: allow.owner.clone(),
            until: allow.until.map(|(d, _)| d),
            used: used.contains(&allow.span),
            expired: state.expired,
            permitted: state.refused.is_empty(),
            span: allow.span,
        });
        let rule = excerpt(&allow.rule);
        let owner = allow.owner.as_ref().map_or(String::new(), |o| format!(", owned by {}", excerpt(o)));
        let mut found = Vec::new();
        match &state.target {
            Target::Rule(code, category) => {
                if let Some((until, until_span)) = allow.until.filter(|_| state.expired) {
                    found.push(
                        diagnostic(&ExpiredAllow::META, format!("`allow {rule}` expired on {until}{owner}"))
                            .primary(allow.span, format!("expired on {until}: it silences nothing"))
                            .secondary(until_span, "the end date")
                            .help(format!(
                                "fix the {} finding it silenced, or renew the exception with a later `until` and a reason",
                                code
                            ))
                            .fix(Fix::unsafe_(
                                format!("remove the expired `allow {rule}`"),
                                vec![remove_statement(source.text(), allow.span)],
                            )),
                    );
                }
                if !state.refused.is_empty() {
                    found.push(
                        diagnostic(
                            &AllowNotPermitted::META,
                            format!(
                                "`allow {rule}` is not permitted here: {}",
                                state.refused.join("; ")
                            ),
                        )
                        .primary(allow.span, "it silences nothing")
                        .help("the configuration's `suppressions:` settings decide what an `allow` may do; fix the finding, or meet them"),
                    );
                }
                let unused = state.silences().is_some() && !used.contains(&allow.span);
                if unused && !front_end_errors && levels.enabled(code, *category) {
                    let scope = match allow.scope {
                        AllowScope::Team => "in this team",
                        AllowScope::Defaults => "in any team",
                        AllowScope::File => "in this file",
                    };
                    found.push(
                        diagnostic(&UnusedAllow::META, format!("`allow {rule}` silenced nothing {scope}"))
                            .primary(allow.span, format!("no `{rule}` finding to silence"))
                            .help("remove it: a stale `allow` hides the next real finding of its rule")
                            .fix(Fix::safe(
                                format!("remove the unused `allow {rule}`"),
                                vec![remove_statement(source.text(), allow.span)],
                            )),
                    );
                }
            }
            Target::FrontEnd(name) => found.push(
                diagnostic(
                    &UnknownRule::META,
                    format!("`{name}` cannot be allowed: front-end errors are always reported"),
                )
                .primary(allow.rule_span, "not suppressible")
                .help("fix the error instead; a file with front-end errors is not fully checked"),
            ),
            Target::Unknown(suggestion) => {
                let label = suggestion.as_ref().map_or("not a rule".to_string(), |s| format!("did you mean `{s}`?"));
                found.push(
                    diagnostic(&UnknownRule::META, format!("`allow {rule}` names no rule"))
                        .primary(allow.rule_span, label)
                        .help(
                            "name a rule by its code (`P002`) or name (`one-off-training`); `supportlint rules` lists them",
                        ),
                );
            }
        }
        for mut finding in found {
            if let Some(team) = team {
                finding = finding.team(team.name.clone());
            }
            diagnostics.push(finding);
        }
    }
    statuses
}
