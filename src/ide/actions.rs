//! Code actions: the fixes of the findings at a place, titled as the CLI
//! titles them, and an `allow` with a placeholder reason for each rule that
//! fired there. Edits are byte spans into the report's source.

use super::CodeAction;
use super::hover::covers;
use crate::FileReport;
use crate::diagnostic::{Applicability, Edit};
use crate::rules::Category;
use crate::{Diagnostic, Span};

/// The reason an inserted `allow` starts with: the author replaces it.
pub const PLACEHOLDER_REASON: &str = "explain why this is acceptable";

/// Findings at one place looked at; a statement of `defaults` may have a
/// finding for each of thousands of teams.
const MAX_FINDINGS: usize = 1_000;

/// Whether a label at `span` is at the place `range` (the cursor is an
/// empty range).
fn touches(span: Span, range: Span) -> bool {
    if range.is_empty() {
        return covers(span, range.start as usize) || span.end == range.start;
    }
    span.start < range.end && range.start < span.end || (span.is_empty() && covers(range, span.start as usize))
}

/// The indentation of the line that holds `offset`.
fn indentation(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or_default();
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or_default();
    let end = line.find(|c: char| c != ' ' && c != '\t').unwrap_or(line.len());
    line.get(..end).unwrap_or_default()
}

/// The edit that adds `statement` as the last statement of the block that
/// ends with the `}` at `close`, indented like the block's statements.
fn append_to_block(text: &str, close: usize, statement: &str) -> Edit {
    let before = text.get(..close).unwrap_or_default();
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let on_own_line = before.get(line_start..).is_some_and(|t| t.trim().is_empty());
    if on_own_line {
        let outer = indentation(text, close);
        let indent = format!("{outer}  ");
        return Edit { span: Span::point(line_start), replacement: format!("{indent}{statement}\n") };
    }
    // `team "A" { channel phone }`: on the same line, before the brace.
    let space = if before.ends_with([' ', '\t']) { "" } else { " " };
    Edit { span: Span::point(close), replacement: format!("{space}{statement} ") }
}

/// The edit that adds `statement` at the end of the file, on a line of its own.
fn append_to_file(text: &str, statement: &str) -> Edit {
    let newline = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
    Edit { span: Span::point(text.len()), replacement: format!("{newline}{statement}\n") }
}

/// The `allow` that silences `d` where it was found: in its team, or at
/// top level for a finding about the whole file.
fn allow(report: &FileReport, d: &Diagnostic) -> Option<(String, Edit)> {
    if matches!(d.category, Category::Syntax | Category::Suppression) || d.code.starts_with('E') {
        return None;
    }
    let text = report.source.text();
    let statement = format!("allow {} \"{PLACEHOLDER_REASON}\"", d.name);
    match &d.team {
        Some(name) => {
            let team = report.policy.as_ref()?.teams.iter().find(|t| &t.name == name)?;
            let close = (team.span.end as usize).checked_sub(1)?;
            if text.get(close..close + 1) != Some("}") {
                return None;
            }
            let edit = append_to_block(text, close, &statement);
            Some((format!("allow `{}` in team \"{name}\" with a reason", d.name), edit))
        }
        None => Some((format!("allow `{}` in this file with a reason", d.name), append_to_file(text, &statement))),
    }
}

/// The code actions for the place `range` (a cursor is an empty range).
pub(crate) fn code_actions(report: &FileReport, range: Span) -> Vec<CodeAction> {
    let mut actions: Vec<CodeAction> = Vec::new();
    let mut allows: Vec<CodeAction> = Vec::new();
    let here = report
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.is_suppressed() && d.labels.iter().any(|l| touches(l.span, range)))
        .take(MAX_FINDINGS);
    for (index, d) in here {
        for fix in &d.fixes {
            let same = actions.iter_mut().find(|a| a.title == fix.title && a.edits == fix.edits);
            match same {
                Some(action) => action.diagnostics.push(index),
                None => actions.push(CodeAction {
                    title: fix.title.clone(),
                    preferred: fix.applicability == Applicability::Safe,
                    edits: fix.edits.clone(),
                    diagnostics: vec![index],
                }),
            }
        }
        if let Some((title, edit)) = allow(report, d) {
            match allows.iter_mut().find(|a| a.title == title) {
                Some(action) => action.diagnostics.push(index),
                None => {
                    allows.push(CodeAction { title, preferred: false, edits: vec![edit], diagnostics: vec![index] })
                }
            }
        }
        if actions.len() + allows.len() > 200 {
            break;
        }
    }
    actions.extend(allows);
    actions
}
