//! What the rules' fixes share: edits that rewrite, remove or add a
//! statement of a team, found from the model's spans and the text. Every fix
//! of a built-in rule is built here or from [`crate::fix`]'s edits, so that
//! a fix always leaves a file that parses.

use crate::fix::remove_statement;
use crate::model::policy::{Bound, Grant, Origin, Target};
use crate::model::vocab::Action;
use crate::rules::Context;
use crate::{Applicability, Edit, Fix, Span};

/// The fix that restates `target` with `bound`.
pub(crate) fn retarget(title: String, target: &Target, bound: Bound) -> Fix {
    Fix::replace(Applicability::Unsafe, title, target.span, target.statement_with(bound))
}

/// The fix that removes the statement at `span`.
pub(crate) fn remove(title: String, cx: &Context<'_>, span: Span) -> Fix {
    Fix::unsafe_(title, vec![remove_statement(cx.source.text(), span)])
}

/// The edit that adds `statement` as the first statement of the team's own
/// block (so that a fact from `defaults` is overridden in this team only).
pub(crate) fn add_to_team(cx: &Context<'_>, statement: &str) -> Option<Edit> {
    let text = cx.source.text();
    let after_name = cx.team.name_span.end as usize;
    let open = text.get(after_name..)?.find('{')? + after_name + 1;
    Some(Edit { span: Span::point(open), replacement: format!("\n  {statement}") })
}

/// A comma-separated list statement (`promise a, b`, `sequence x, y`,
/// `screen_for p, q`): its span and its words.
pub(crate) struct List {
    /// The keyword, without the words.
    pub keyword: String,
    /// From the keyword to the last word.
    pub span: Span,
    /// Each word.
    pub words: Vec<Span>,
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The list statement that holds the word at `word`, found in the text: back
/// to its keyword over words, commas and white space, then forward. `None`
/// when a comment stands inside the list (the fix would have to move it).
pub(crate) fn list_around(cx: &Context<'_>, word: Span) -> Option<List> {
    let text = cx.source.text();
    // Back to the keyword: over `word ,` pairs until the word before is not
    // followed by a comma.
    let space: &[char] = &[' ', '\t', '\r', '\n'];
    let mut at = word.start as usize;
    let keyword_span = loop {
        let before = text.get(..at)?.trim_end_matches(space);
        let (after_comma, is_list) = match before.strip_suffix(',') {
            Some(rest) => (rest.trim_end_matches(space), true),
            None => (before, false),
        };
        let end = after_comma.len();
        let start = after_comma.rfind(|c: char| !is_ident(c)).map_or(0, |p| p + 1);
        if start == end {
            return None;
        }
        if !is_list {
            break Span::new(start, end);
        }
        at = start;
    };
    let keyword = text.get(keyword_span.range())?.to_string();
    if !matches!(keyword.as_str(), "promise" | "sequence" | "screen_for") {
        return None;
    }
    // Forward from the keyword: word (, word)*.
    let mut words = Vec::new();
    let mut at = keyword_span.end as usize;
    loop {
        let rest = text.get(at..)?;
        let start = at + (rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len());
        let len = text.get(start..)?.find(|c: char| !is_ident(c)).unwrap_or(text.len() - start);
        if len == 0 {
            return None;
        }
        words.push(Span::new(start, start + len));
        at = start + len;
        let rest = text.get(at..)?;
        let after = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        match after.strip_prefix(',') {
            Some(_) => at = at + (rest.len() - after.len()) + 1,
            None => break,
        }
    }
    let span = Span::new(keyword_span.start as usize, words.last()?.end as usize);
    if text.get(span.range())?.contains('#') {
        return None;
    }
    Some(List { keyword, span, words })
}

/// The edits that remove `drop` (word spans) from their list statements:
/// each list is restated without them, or removed when nothing is left.
pub(crate) fn drop_words(cx: &Context<'_>, drop: &[Span]) -> Option<Vec<Edit>> {
    let text = cx.source.text();
    let mut edits: Vec<Edit> = Vec::new();
    let mut done: Vec<Span> = Vec::new();
    for &word in drop {
        let list = list_around(cx, word)?;
        if done.contains(&list.span) {
            continue;
        }
        done.push(list.span);
        let kept: Vec<&str> =
            list.words.iter().filter(|w| !drop.contains(w)).filter_map(|w| text.get(w.range())).collect();
        edits.push(if kept.is_empty() {
            remove_statement(text, list.span)
        } else {
            Edit { span: list.span, replacement: format!("{} {}", list.keyword, kept.join(", ")) }
        });
    }
    Some(edits)
}

/// The edit that states `statement` for a scalar fact of the team now stated
/// at `span`: rewritten in the team's block, or, for a fact from `defaults`,
/// added to the team, whose own scalar facts replace the defaults'.
pub(crate) fn set_scalar(cx: &Context<'_>, span: Span, origin: Origin, statement: &str) -> Option<Edit> {
    match origin {
        Origin::Team => Some(Edit { span, replacement: statement.to_string() }),
        Origin::Defaults => add_to_team(cx, statement),
    }
}

/// The edits that give the team the grants `lines` (`refund up_to $120`),
/// one per action: its own grant lines rewritten, new ones added together to
/// its own `authority` block, or an `authority` block added for them (a
/// team's own grants replace those of `defaults` action by action).
pub(crate) fn grants(cx: &Context<'_>, lines: &[(Action, String)]) -> Option<Vec<Edit>> {
    let own = |g: &&Grant| g.origin == Origin::Team;
    let mut edits = Vec::new();
    let mut added: Vec<&str> = Vec::new();
    for (action, line) in lines {
        match cx.team.grant(*action).filter(own) {
            Some(g) => edits.push(Edit { span: g.span, replacement: line.clone() }),
            None => added.push(line),
        }
    }
    if !added.is_empty() {
        edits.push(match cx.team.authority.iter().filter(own).max_by_key(|g| g.span.end) {
            Some(last) => Edit {
                span: Span::point(last.span.end as usize),
                replacement: added.iter().map(|l| format!("\n    {l}")).collect(),
            },
            None => add_to_team(cx, &format!("authority {{ {} }}", added.join("  ")))?,
        });
    }
    Some(edits)
}

/// The grant line that lets agents resolve every one of `needs` alone,
/// without approval: up to the largest amount needed or the current limit
/// when higher; `allowed` when the amounts are in several currencies or none
/// is stated.
pub(crate) fn grant_line(
    action: Action,
    current: Option<crate::model::units::Money>,
    needs: &[Option<crate::model::units::Money>],
) -> String {
    let amounts: Vec<crate::model::units::Money> = needs.iter().flatten().copied().chain(current).collect();
    let one_currency = amounts.windows(2).all(|w| matches!(w, [a, b] if a.currency == b.currency));
    match amounts.iter().max_by_key(|m| m.minor) {
        Some(max) if one_currency => format!("{action} up_to {max}"),
        _ => format!("{action} allowed"),
    }
}
