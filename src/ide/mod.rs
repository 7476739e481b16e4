//! Editor features for the language server: hover text, completion items,
//! the document outline, go to definition and code actions, computed from a
//! checked source ([`FileReport`]) as plain data. Positions are byte offsets
//! into the report's source text; the server converts them to the editor's
//! line and column. No IO, no protocol types, no state: every function reads
//! the report and returns a value.
//!
//! Completion, the outline and definitions read the text with a forgiving
//! lexer (`lex.rs`, `context.rs`, `outline.rs`), so they work while the file
//! does not parse; hover reads the model and the staffing figures, which
//! `figures.rs` alone knows about.
//!
//! ```
//! use supportlint::{Checker, Source, ide};
//!
//! let text = "team \"Care\" {\n  channel phone\n  demand 200/h\n  agents 14\n}\n";
//! let report = Checker::new().check(&Source::new("care.policy", text));
//! let hover = ide::hover(&report, text.find("agents").unwrap()).unwrap();
//! assert!(hover.markdown.contains("offered load: 20.00 Erlangs"));
//! let completions = ide::complete(&report, text.find("phone").unwrap());
//! assert!(completions.items.iter().any(|c| c.label == "chat"));
//! ```

mod actions;
mod complete;
mod context;
mod figures;
mod hover;
mod lex;
mod outline;
mod words;

pub use actions::PLACEHOLDER_REASON;

use crate::FileReport;
use crate::Span;
use crate::diagnostic::Edit;

/// Text to show for a place, and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hover {
    /// What the hover is about (a word, a finding's label, a statement).
    pub span: Span,
    /// Markdown.
    pub markdown: String,
}

/// What a completion item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CompletionKind {
    /// A statement keyword or a fixed word of a statement (`within`).
    Keyword,
    /// A word of a vocabulary: a channel, metric, promise, level, ...
    Word,
    /// A rule's name or code.
    Rule,
    /// A fact path of a custom rule.
    Path,
}

/// One word that fits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completion {
    /// The word, as inserted.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// What it means, in a sentence.
    pub detail: String,
}

/// The words that fit at a place, and the text they replace.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completions {
    /// The part of a word already typed before the cursor (empty when none).
    pub replace: Span,
    /// Every word that fits; the editor filters by what was typed.
    pub items: Vec<Completion>,
}

/// What a document symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SymbolKind {
    /// `team "Name" { ... }`.
    Team,
    /// `defaults { ... }`.
    Defaults,
    /// `norms { ... }`.
    Norms,
    /// `rule "name" { ... }`.
    Rule,
}

/// An entry of the document outline.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Symbol {
    /// The team's or rule's name, or `defaults`, `norms`.
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// The whole block.
    pub span: Span,
    /// What to select when going to it: the name, or the keyword.
    pub selection: Span,
}

/// A change the editor can offer at a place.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodeAction {
    /// What it does, as the CLI titles the fix.
    pub title: String,
    /// A safe fix (the meaning is unchanged): the one to prefer.
    pub preferred: bool,
    /// The replacements, none overlapping another.
    pub edits: Vec<Edit>,
    /// The findings it resolves, as indices into the report's diagnostics.
    pub diagnostics: Vec<usize>,
}

/// `offset` moved back onto a character boundary of `text`, and into it.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The hover at byte `offset`: the findings there with their rule's
/// explanation, what the word there means and the norm that applies to it,
/// and a team's staffing figures on its `demand`, `agents`, `shrinkage`,
/// `concurrency`, `service_level`, `patience` or queue targets.
pub fn hover(report: &FileReport, offset: usize) -> Option<Hover> {
    hover::hover(report, offset)
}

/// The completions at byte `offset`: statement keywords by block, and the
/// words of the vocabulary the statement expects there.
pub fn complete(report: &FileReport, offset: usize) -> Completions {
    complete::complete(report, offset)
}

/// The outline: teams, `defaults`, `norms` and custom rules, in file order.
pub fn symbols(report: &FileReport) -> Vec<Symbol> {
    let text = report.source.text();
    let tokens = lex::lex(text);
    outline::outline(text, &tokens)
        .into_iter()
        .filter_map(|item| {
            let (kind, fallback) = match item.kind {
                outline::ItemKind::Team => (SymbolKind::Team, "team"),
                outline::ItemKind::Defaults => (SymbolKind::Defaults, "defaults"),
                outline::ItemKind::Norms => (SymbolKind::Norms, "norms"),
                outline::ItemKind::Rule => (SymbolKind::Rule, "rule"),
                _ => return None,
            };
            let (name, selection) = match item.name {
                Some((name, span)) if !name.trim().is_empty() => (name, span),
                _ => (fallback.to_string(), item.keyword),
            };
            Some(Symbol { name, kind, span: item.span, selection })
        })
        .collect()
}

/// Where the rule named at byte `offset` is defined: from a custom rule's
/// name in an `allow` to the name of its `rule` block.
pub fn definition(report: &FileReport, offset: usize) -> Option<Span> {
    let text = report.source.text();
    let offset = floor_boundary(text, offset);
    let tokens = lex::lex(text);
    let token = tokens.get(tokens.partition_point(|t| (t.span.end as usize) < offset)).copied()?;
    if token.kind != lex::Tok::Word || (token.span.start as usize) > offset {
        return None;
    }
    let at = context::place(text, &tokens, token.span.start as usize);
    if at.slot != Some(context::Slot::RuleRef) {
        return None;
    }
    let name = token.text(text);
    outline::outline(text, &tokens)
        .into_iter()
        .filter(|i| i.kind == outline::ItemKind::Rule)
        .find_map(|i| i.name.filter(|(n, _)| n == name).map(|(_, span)| span))
}

/// The code actions for the place `range` (a cursor is an empty span): the
/// fixes of the findings there, safe ones preferred, then an `allow` with a
/// placeholder reason ([`PLACEHOLDER_REASON`]) for each rule that fired.
pub fn code_actions(report: &FileReport, range: Span) -> Vec<CodeAction> {
    actions::code_actions(report, range)
}
