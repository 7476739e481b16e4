//! The library's values as protocol values: diagnostics, hover, completion
//! items, symbols, code actions and formatting edits, every byte span
//! turned into a range of the editor's encoding.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionItemKind, CompletionOptions,
    DiagnosticSeverity, DiagnosticTag, DocumentSymbol, HoverProviderCapability, OneOf, Position, PositionEncodingKind,
    Range, SaveOptions, ServerCapabilities, SymbolKind, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use serde_json::{Value, json};

use supportlint::ide::{self, CompletionKind, Completions};
use supportlint::{Diagnostic, Severity, Span};

use super::position::Encoding;
use super::server::Checked;

/// Most diagnostics published for one document; editors slow to a crawl
/// long before `check`'s limit. The rest are counted in one more.
const MAX_PUBLISHED: usize = 10_000;

/// What the server can do.
pub fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "{".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The range of `span` in the checked text.
pub fn range(checked: &Checked, span: Span) -> Range {
    let text = checked.report.source.text();
    let positions = checked.index.positions(text, &[span.start as usize, span.end as usize]);
    let start = positions.first().copied().unwrap_or_default();
    Range { start, end: positions.get(1).copied().unwrap_or(start) }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The label a diagnostic's range is: the primary one, else the first.
fn primary_index(d: &Diagnostic) -> Option<usize> {
    d.labels.iter().position(|l| l.primary).or((!d.labels.is_empty()).then_some(0))
}

/// Every offset a diagnostic's ranges need, in the order [`diagnostic`]
/// takes them.
fn offsets(d: &Diagnostic, out: &mut Vec<usize>) {
    let primary = d.primary_span();
    out.extend([primary.start as usize, primary.end as usize]);
    let main = primary_index(d);
    for (_, label) in d.labels.iter().enumerate().filter(|(i, _)| Some(*i) != main) {
        out.extend([label.span.start as usize, label.span.end as usize]);
    }
}

/// A position as JSON.
fn position(p: Position) -> Value {
    json!({ "line": p.line, "character": p.character })
}

/// One diagnostic, its positions taken from `positions` in [`offsets`]'
/// order. Built as JSON directly: a file of 500 teams may publish
/// thousands, and every copy of them costs time after a keystroke.
fn diagnostic(
    d: &Diagnostic,
    uri: &str,
    teams: &HashMap<&str, Span>,
    positions: &mut impl Iterator<Item = Position>,
) -> Value {
    let mut next_range = || {
        let start = positions.next().unwrap_or_default();
        let end = positions.next().unwrap_or(start);
        json!({ "start": position(start), "end": position(end) })
    };
    let range = next_range();
    let main = primary_index(d);
    let mut related = Vec::new();
    for (_, label) in d.labels.iter().enumerate().filter(|(i, _)| Some(*i) != main) {
        let range = next_range();
        let message = if label.message.is_empty() { "involved here" } else { label.message.as_str() };
        related.push(json!({ "location": { "uri": uri, "range": range }, "message": message }));
    }
    let primary = d.primary_span();
    // A finding inherited from `defaults` points at the same statement for
    // every team: name the team, as `check --format concise` does.
    let mut message = match d.team.as_deref() {
        Some(team) if !teams.get(team).is_some_and(|s| s.start <= primary.start && primary.end <= s.end) => {
            format!("team \"{team}\": {}", d.message)
        }
        _ => d.message.clone(),
    };
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if d.omitted_labels > 0 {
        message.push_str(&format!("\n(and {} more statements take part)", d.omitted_labels));
    }
    let mut out = serde_json::Map::new();
    out.insert("range".into(), range);
    out.insert("severity".into(), json!(severity(d.severity)));
    out.insert("code".into(), Value::String(d.code.to_string()));
    out.insert("source".into(), Value::String("supportlint".into()));
    out.insert("message".into(), Value::String(message));
    if !related.is_empty() {
        out.insert("relatedInformation".into(), Value::Array(related));
    }
    if d.code == "X001" {
        out.insert("tags".into(), json!([DiagnosticTag::UNNECESSARY]));
    }
    out.insert("data".into(), json!({ "name": d.name }));
    Value::Object(out)
}

fn team_spans(checked: &Checked) -> HashMap<&str, Span> {
    checked.report.policy.iter().flat_map(|p| &p.teams).map(|t| (t.name.as_str(), t.span)).collect()
}

/// The report's unsuppressed diagnostics, as `check` reports them.
pub fn diagnostics(uri: &str, checked: &Checked) -> Vec<Value> {
    let report = &checked.report;
    let shown: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| !d.is_suppressed()).collect();
    let published = shown.get(..MAX_PUBLISHED).unwrap_or(&shown);
    let mut all = Vec::new();
    for d in published {
        offsets(d, &mut all);
    }
    let positions = checked.index.positions(report.source.text(), &all);
    let mut positions = positions.into_iter();
    let teams = team_spans(checked);
    let mut out: Vec<Value> = published.iter().map(|d| diagnostic(d, uri, &teams, &mut positions)).collect();
    if shown.len() > published.len() {
        let origin = position(Position::default());
        out.push(json!({
            "range": { "start": origin, "end": origin },
            "severity": DiagnosticSeverity::INFORMATION,
            "source": "supportlint",
            "message": format!(
                "{} more findings are not shown here; run `supportlint check` for all of them",
                shown.len() - published.len()
            ),
        }));
    }
    out
}

/// A hover as the protocol has it.
pub fn hover(checked: &Checked, hover: ide::Hover) -> Value {
    json!({
        "contents": { "kind": "markdown", "value": hover.markdown },
        "range": range(checked, hover.span),
    })
}

/// Completion items that replace the word typed so far.
pub fn completions(checked: &Checked, completions: Completions) -> Value {
    let replace = range(checked, completions.replace);
    let items: Vec<Value> = completions
        .items
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let kind = match c.kind {
                CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                CompletionKind::Word => CompletionItemKind::ENUM_MEMBER,
                CompletionKind::Rule => CompletionItemKind::REFERENCE,
                CompletionKind::Path => CompletionItemKind::FIELD,
                _ => CompletionItemKind::TEXT,
            };
            json!({
                "label": c.label,
                "kind": kind,
                "detail": c.detail,
                "sortText": format!("{i:04}"),
                "textEdit": { "range": replace, "newText": c.label },
            })
        })
        .collect();
    json!({ "isIncomplete": false, "items": items })
}

/// The outline.
pub fn symbols(checked: &Checked, symbols: Vec<ide::Symbol>) -> Value {
    let out: Vec<DocumentSymbol> = symbols
        .into_iter()
        .map(|s| {
            let (kind, detail) = match s.kind {
                ide::SymbolKind::Team => (SymbolKind::CLASS, "team"),
                ide::SymbolKind::Defaults => (SymbolKind::NAMESPACE, "defaults"),
                ide::SymbolKind::Norms => (SymbolKind::OBJECT, "norms"),
                ide::SymbolKind::Rule => (SymbolKind::FUNCTION, "rule"),
                _ => (SymbolKind::OBJECT, ""),
            };
            #[allow(deprecated)]
            DocumentSymbol {
                name: s.name,
                detail: Some(detail.to_string()),
                kind,
                tags: None,
                deprecated: None,
                range: range(checked, s.span),
                selection_range: range(checked, s.selection),
                children: None,
            }
        })
        .collect();
    serde_json::to_value(out).unwrap_or(Value::Null)
}

/// The code actions, each a workspace edit of the document.
pub fn code_actions(uri: &str, checked: &Checked, actions: Vec<ide::CodeAction>) -> Value {
    let teams = team_spans(checked);
    let text = checked.report.source.text();
    let out: Vec<Value> = actions
        .into_iter()
        .map(|action| {
            let diagnostics: Vec<Value> = action
                .diagnostics
                .iter()
                .filter_map(|&i| checked.report.diagnostics.get(i))
                .map(|d| {
                    let mut all = Vec::new();
                    offsets(d, &mut all);
                    let mut positions = checked.index.positions(text, &all).into_iter();
                    diagnostic(d, uri, &teams, &mut positions)
                })
                .collect();
            let edits: Vec<Value> = action
                .edits
                .iter()
                .map(|e| json!({ "range": range(checked, e.span), "newText": e.replacement }))
                .collect();
            json!({
                "title": action.title,
                "kind": CodeActionKind::QUICKFIX,
                "isPreferred": action.preferred,
                "diagnostics": diagnostics,
                "edit": { "changes": { uri: edits } },
            })
        })
        .collect();
    Value::Array(out)
}

/// The edits that lay the document out in the canonical style: one for
/// each run of changed lines (so the editor keeps the cursor and the marks
/// elsewhere), none when it is laid out already.
pub fn formatting(checked: &Checked) -> Result<Value, (ErrorCode, String)> {
    let source = &checked.report.source;
    let formatted = supportlint::format(source).map_err(|diagnostics| {
        let first = diagnostics.first().map_or_else(String::new, |d| {
            let at = source.line_col(d.primary_span().start as usize);
            format!(": {} (line {}, column {})", d.message, at.line, at.column)
        });
        (ErrorCode::RequestFailed, format!("the file cannot be formatted until it parses{first}"))
    })?;
    let old = source.text();
    let diff = similar::TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(old, &formatted);
    let starts = |lines: &[&str]| -> Vec<usize> {
        let mut at = 0;
        let mut starts = vec![0];
        for line in lines {
            at += line.len();
            starts.push(at);
        }
        starts
    };
    let (old_starts, new_starts) = (starts(diff.old_slices()), starts(diff.new_slices()));
    // Runs of changed lines, as (old lines, new lines), adjacent ones joined.
    let mut runs: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in diff.ops() {
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        match runs.last_mut() {
            Some((lo, ln)) if lo.end == o.start && ln.end == n.start => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => runs.push((o, n)),
        }
    }
    let at = |starts: &[usize], line: usize| starts.get(line).copied().unwrap_or(0);
    let edits: Vec<Value> = runs
        .into_iter()
        .map(|(o, n)| {
            let span = Span::new(at(&old_starts, o.start), at(&old_starts, o.end));
            let text = formatted.get(at(&new_starts, n.start)..at(&new_starts, n.end)).unwrap_or_default();
            json!({ "range": range(checked, span), "newText": text })
        })
        .collect();
    Ok(Value::Array(edits))
}

/// How long the formatting diff may take before it settles for larger
/// edits (still correct, only coarser).
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(200);
