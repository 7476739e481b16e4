//! Hover: the findings at a place with their rule's explanation, what the
//! word there means (and the norm that applies to it), and the staffing
//! figures behind a team's staffing statement.

use super::context::{Slot, place};
use super::lex::{Tok, Token, lex};
use super::outline::{ItemKind, outline};
use super::{Hover, figures, words};
use crate::FileReport;
use crate::model::custom::{Fact, WordKind};
use crate::model::norms::NORM_NAMES;
use crate::model::vocab::{Action, Cadence, Channel, EmotionalLoad, Metric, Module, Promise, Scripts, Trait};
use crate::model::{Norms, Origin, Policy, Team};
use crate::rules::{self, Category};
use crate::{Diagnostic, Span};

/// Findings shown in full in one hover; more are counted.
const MAX_FINDINGS: usize = 3;
/// Teams listed for a statement of `defaults`; more are counted.
const MAX_TEAMS: usize = 8;

/// Whether `span` covers `offset` (an empty span covers its point).
pub(crate) fn covers(span: Span, offset: usize) -> bool {
    let (start, end) = (span.start as usize, span.end as usize);
    (start <= offset && offset < end) || (start == end && start == offset)
}

/// The hover at byte `offset` of the report's source.
pub(crate) fn hover(report: &FileReport, offset: usize) -> Option<Hover> {
    let text = report.source.text();
    let offset = super::floor_boundary(text, offset);
    let tokens = lex(text);
    let mut sections: Vec<String> = Vec::new();
    let mut range: Option<Span> = None;

    let token = tokens.get(tokens.partition_point(|t| (t.span.end as usize) <= offset)).copied();
    let word = token.filter(|t| t.kind == Tok::Word && covers(t.span, offset));
    if let Some(word) = word
        && let Some(meaning) = meaning(report, &tokens, word)
    {
        sections.push(meaning);
        range = Some(word.span);
    }
    if let Some((section, span)) = findings(report, offset) {
        sections.insert(0, section);
        range = range.or(Some(span));
    }
    if let Some((section, span)) = staffing(report, offset) {
        sections.push(section);
        range = range.or(Some(span));
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover { span: range.unwrap_or(Span::point(offset)), markdown: sections.join("\n\n---\n\n") })
}

/// The unsuppressed findings with a label at `offset`, each with its
/// rule's documentation (once per rule).
fn findings(report: &FileReport, offset: usize) -> Option<(String, Span)> {
    let here: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !d.is_suppressed() && d.labels.iter().any(|l| covers(l.span, offset)))
        .collect();
    let span = here.first()?.labels.iter().find(|l| covers(l.span, offset)).map(|l| l.span)?;
    let mut out = String::new();
    let mut documented: Vec<&str> = Vec::new();
    for d in here.iter().take(MAX_FINDINGS) {
        let team = d.team.as_ref().map_or(String::new(), |t| format!(", team \"{t}\""));
        let id = if d.code == d.name { format!("`{}`", d.name) } else { format!("{} `{}`", d.code, d.name) };
        out.push_str(&format!("**{id}** ({}{team}): {}\n\n", d.severity, d.message));
        if let Some(label) = d.labels.iter().find(|l| covers(l.span, offset) && !l.message.is_empty()) {
            out.push_str(&format!("here: {}\n\n", label.message));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("help: {help}\n\n"));
        }
        if !d.fixes.is_empty() {
            let titles: Vec<&str> = d.fixes.iter().map(|f| f.title.as_str()).collect();
            out.push_str(&format!("fixes: {}\n\n", titles.join("; ")));
        }
        if documented.contains(&d.code.as_ref()) {
            continue;
        }
        documented.push(&d.code);
        match report.rule(&d.code) {
            Some(meta) => out.push_str(&format!("{}\n\n", meta.documentation())),
            None => out.push_str("A rule of this file: its `rule` block says when it fires.\n\n"),
        }
    }
    if here.len() > MAX_FINDINGS {
        out.push_str(&format!("and {} more findings here\n", here.len() - MAX_FINDINGS));
    }
    Some((out.trim_end().to_string(), span))
}

/// The team whose block holds `offset`.
fn team_at(report: &FileReport, offset: usize) -> Option<&Team> {
    report.policy.as_ref()?.teams.iter().find(|t| covers(t.span, offset))
}

fn norms(report: &FileReport) -> Norms {
    report.policy.as_ref().map_or_else(Norms::default, |p| p.norms.clone())
}

/// What the word `token` means where it stands.
fn meaning(report: &FileReport, tokens: &[Token], token: Token) -> Option<String> {
    let text = report.source.text();
    let word = token.text(text);
    let at = place(text, tokens, token.span.start as usize);
    let slot = at.slot?;
    let team = team_at(report, token.span.start as usize);
    let channel = team.and_then(|t| t.channel.as_ref()).map(|c| c.value);
    let norms = norms(report);
    let body = match slot {
        Slot::Keywords(list) if list.contains(&word) => format!("`{word}`: {}", words::keyword(word)?),
        Slot::Keywords(_) => return None,
        Slot::Channel | Slot::PathValue(WordKind::Channel) => {
            let c = Channel::parse(word)?;
            let floors: Vec<String> =
                Promise::ALL.iter().filter_map(|p| norms.floor(*p, c).map(|f| format!("`{p}` {f}"))).collect();
            format!(
                "`{word}` (channel): {}\n\n- typical handle time: {} (`typical_handle_time {word}`)\n- handle-time floors: {}",
                c.description(),
                norms.typical(c),
                if floors.is_empty() { "none".to_string() } else { floors.join(", ") }
            )
        }
        Slot::Metric => {
            let m = Metric::parse(word)?;
            let mut out = format!("`{word}` (metric): {}", words::metric(m));
            if m == Metric::HandleTime {
                match channel {
                    Some(c) => out.push_str(&format!(
                        "\n\n- without a ceiling, the team is planned at the typical {} of {} {} contact (`typical_handle_time`)",
                        norms.typical(c),
                        crate::diagnostic::article(c.phrase()),
                        c.phrase()
                    )),
                    None => out.push_str("\n\n- without a ceiling, a team is planned at its channel's `typical_handle_time`"),
                }
                if let (Some(team), Some(c)) = (team, channel) {
                    for p in &team.promises {
                        if let Some(f) = norms.floor(p.value, c) {
                            out.push_str(&format!(
                                "\n- `{}` needs at least {f} on {} (`handle_time_floor`)",
                                p.value,
                                c.phrase()
                            ));
                        }
                    }
                }
            }
            if m == Metric::Occupancy {
                out.push_str(&format!(
                    "\n\n- ceiling: {} (`max_occupancy`), {} with `emotional_load high` (`max_occupancy_high_load`)",
                    norms.max_occupancy, norms.max_occupancy_high_load
                ));
            }
            if m == Metric::ContactsPerHour {
                out.push_str(&format!(
                    "\n\n- a quota of c contacts an hour leaves at most 3600s × {} / c a contact (K006)",
                    norms.max_occupancy
                ));
            }
            out
        }
        Slot::Promise => {
            let p = Promise::parse(word)?;
            let floors = match channel {
                Some(c) => match norms.floor(p, c) {
                    Some(f) => format!(
                        "a {word} {} contact takes at least {f} (`handle_time_floor {word} {c}`): a handle-time ceiling below it contradicts the promise (K001, S003)",
                        c.phrase()
                    ),
                    None => format!("no handle-time floor on {}", c.phrase()),
                },
                None => {
                    let all: Vec<String> =
                        Channel::ALL.iter().filter_map(|c| norms.floor(p, *c).map(|f| format!("{c} {f}"))).collect();
                    if all.is_empty() {
                        "no handle-time floor".to_string()
                    } else {
                        format!("handle-time floors (`handle_time_floor`): {}", all.join(", "))
                    }
                }
            };
            format!("`{word}` (promise): {}\n\n- {floors}", p.description())
        }
        Slot::Level => level(report, word)?,
        Slot::Action => format!("`{word}` (action): {}", Action::parse(word)?.description()),
        Slot::Module => {
            let m = Module::parse(word)?;
            let protective =
                if m.is_protective() { " Protects staff: P003 wants one before `customer_methods`." } else { "" };
            format!("`{word}` (training module): {}{protective}", m.description())
        }
        Slot::Trait => {
            let t = Trait::parse(word)?;
            let grounding = if t.is_grounding() {
                " Grounding: predicts handling hard cases without being overwhelmed (P004)."
            } else {
                ""
            };
            format!("`{word}` (screening trait): {}{grounding}", t.description())
        }
        Slot::Cadence | Slot::PathValue(WordKind::Cadence) => {
            format!("`{word}` (cadence): {}", Cadence::parse(word)?.description())
        }
        Slot::Scripts | Slot::PathValue(WordKind::Scripts) => {
            format!("`{word}` (scripts): {}", Scripts::parse(word)?.description())
        }
        Slot::EmotionalLoad | Slot::PathValue(WordKind::EmotionalLoad) => {
            format!("`{word}` (emotional load): {}", EmotionalLoad::parse(word)?.description())
        }
        Slot::RuleRef => rule_reference(report, tokens, word)?,
        Slot::Path => format!("`{word}` (fact): {}", words::path(Fact::parse(word)?)),
        Slot::Norm => norm(&norms, word)?,
    };
    Some(body)
}

/// A level of the file's chain, by rank.
fn level(report: &FileReport, word: &str) -> Option<String> {
    let default = crate::model::Chain::default();
    let chain = report.policy.as_ref().map_or(&default, |p: &Policy| &p.chain);
    let rank = chain.levels.iter().position(|l| l == word)?;
    let below: Vec<String> = chain.levels.iter().skip(rank + 1).map(|l| format!("`{l}`")).collect();
    Some(format!(
        "`{word}` (level {} of {} in the chain `{}`): {}",
        rank + 1,
        chain.levels.len(),
        chain.levels.join(" > "),
        if below.is_empty() {
            "the lowest level; agents are below it".to_string()
        } else {
            format!("ranks above {}", below.join(", "))
        }
    ))
}

/// A rule named in an `allow`.
fn rule_reference(report: &FileReport, tokens: &[Token], word: &str) -> Option<String> {
    let text = report.source.text();
    if let Some(rule) = outline(text, tokens)
        .into_iter()
        .find(|i| i.kind == ItemKind::Rule && i.name.as_ref().is_some_and(|(n, _)| n == word))
    {
        let line = report.source.line_col(rule.span.start as usize).line;
        return Some(format!("`{word}`: a rule of this file, defined on line {line}"));
    }
    let meta = report.rule(word)?;
    let note = if meta.category == Category::Syntax { "; front-end errors cannot be allowed" } else { "" };
    Some(format!(
        "**{} `{}`** ({}, {} by default{note})\n\n{}",
        meta.code,
        meta.name,
        meta.category.as_str(),
        meta.default_severity,
        meta.summary()
    ))
}

/// A norm with its value in force.
fn norm(norms: &Norms, word: &str) -> Option<String> {
    if !NORM_NAMES.contains(&word) {
        return None;
    }
    let defaults = Norms::default();
    let value = match word {
        "max_occupancy" => Some((norms.max_occupancy.to_string(), defaults.max_occupancy.to_string())),
        "max_occupancy_high_load" => {
            Some((norms.max_occupancy_high_load.to_string(), defaults.max_occupancy_high_load.to_string()))
        }
        "max_concurrency" => Some((norms.max_concurrency.to_string(), defaults.max_concurrency.to_string())),
        "max_preventable_share" => {
            Some((norms.max_preventable_share.to_string(), defaults.max_preventable_share.to_string()))
        }
        "max_approval_share" => Some((norms.max_approval_share.to_string(), defaults.max_approval_share.to_string())),
        _ => None,
    };
    let mut out = format!("`{word}` (norm): {}", words::norm(word)?);
    if let Some((now, default)) = value {
        out.push_str(&format!("\n\n- in force: {now} (default {default})"));
    }
    if word == "typical_handle_time" {
        let all: Vec<String> = Channel::ALL.iter().map(|c| format!("{c} {}", norms.typical(*c))).collect();
        out.push_str(&format!("\n\n- in force: {}", all.join(", ")));
    }
    if word == "handle_time_floor" {
        for p in Promise::ALL {
            let all: Vec<String> =
                Channel::ALL.iter().filter_map(|c| norms.floor(*p, *c).map(|f| format!("{c} {f}"))).collect();
            if !all.is_empty() {
                out.push_str(&format!("\n- `{p}`: {}", all.join(", ")));
            }
        }
    }
    let readers: Vec<&str> = rules::metas().filter(|m| m.norms.contains(&word)).map(|m| m.code).collect();
    if !readers.is_empty() {
        out.push_str(&format!("\n\nread by {}", readers.join(", ")));
    }
    Some(out)
}

/// The staffing statements of `team` (its own, or those it inherits from
/// `defaults`) whose span covers `offset`.
fn staffing_statement(team: &Team, offset: usize, origin: Origin) -> Option<Span> {
    let facts = [
        team.demand.as_ref().map(|f| (f.span, f.origin)),
        team.agents.as_ref().map(|f| (f.span, f.origin)),
        team.shrinkage.as_ref().map(|f| (f.span, f.origin)),
        team.concurrency.as_ref().map(|f| (f.span, f.origin)),
        team.service_level.as_ref().map(|f| (f.span, f.origin)),
        team.patience.as_ref().map(|f| (f.span, f.origin)),
    ];
    let queue_metrics = [Metric::HandleTime, Metric::SpeedOfAnswer, Metric::Abandonment];
    let targets = team.targets.iter().filter(|t| queue_metrics.contains(&t.metric)).map(|t| Some((t.span, t.origin)));
    facts.into_iter().chain(targets).flatten().find(|(s, o)| *o == origin && covers(*s, offset)).map(|(s, _)| s)
}

/// The figures behind the staffing statement at `offset`: the team's, or
/// for a statement of `defaults`, a line for each team that inherits it.
fn staffing(report: &FileReport, offset: usize) -> Option<(String, Span)> {
    let policy = report.policy.as_ref()?;
    let teams = || figures::teams(report).filter(|(t, _)| !t.has_errors);
    if let Some((team, figures)) = teams().find(|(t, _)| covers(t.span, offset)) {
        let span = staffing_statement(team, offset, Origin::Team)?;
        return Some((figures::team(team, figures, &policy.norms), span));
    }
    let mut span = None;
    let mut lines = String::new();
    let (mut shown, mut more) = (0usize, 0usize);
    for (team, figures) in teams() {
        let Some(s) = staffing_statement(team, offset, Origin::Defaults) else { continue };
        span = Some(s);
        if shown < MAX_TEAMS {
            lines.push_str(&figures::summary(team, figures));
            shown += 1;
        } else {
            more += 1;
        }
    }
    let span = span?;
    let mut out = format!("**staffing of the teams that inherit this statement**\n\n{lines}");
    if more > 0 {
        out.push_str(&format!("- and {more} more teams\n"));
    }
    Some((out, span))
}
