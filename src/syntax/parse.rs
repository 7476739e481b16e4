//! The pest parser and the checks that run before it.

use std::num::NonZeroUsize;
use std::sync::{Mutex, Once};

use pest::Parser as _;

use super::ast::File;
use super::lower::Lowerer;
use super::{Limits, expected, scan};
use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::{Source, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
pub(crate) struct PolicyParser;

/// The result of parsing one source.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The tree; `None` when the text does not match the grammar.
    pub file: Option<File>,
    /// Every problem found while parsing and lowering.
    pub diagnostics: Vec<Diagnostic>,
}

/// pest counts calls to grammar rules; the budget is a safety net against
/// pathological backtracking. The grammar needs well under 20 calls per byte.
const CALLS_PER_BYTE: usize = 64;

static CALL_LIMIT: Once = Once::new();

/// Detailed error collection is a process-wide pest switch; re-parses that
/// turn it on take this lock so they never race each other.
static DETAIL: Mutex<()> = Mutex::new(());

/// Files larger than this get pest's plain error, not a detailed re-parse.
const DETAIL_LIMIT: usize = 1 << 20;

/// Parses `source` into a syntax tree, enforcing `limits`.
pub fn parse(source: &Source, limits: &Limits) -> Parsed {
    let text = source.text();
    let fail = |d: Diagnostic| Parsed { file: None, diagnostics: vec![d] };
    if text.len() > limits.max_file_bytes {
        return fail(
            Diagnostic::error(
                ErrorCode::LimitExceeded,
                format!("the file is {} bytes, over the limit of {} bytes", text.len(), limits.max_file_bytes),
            )
            .primary(Span::point(0), "file too large")
            .help("split the policy into several files"),
        );
    }
    let scan = scan::scan(text, limits.max_nesting, limits.max_rule_bytes);
    if let Some(offset) = scan.rule_too_large {
        return fail(
            Diagnostic::error(
                ErrorCode::LimitExceeded,
                format!("a `rule` block longer than {} bytes", limits.max_rule_bytes),
            )
            .primary(Span::new(offset, offset + 1), "this block is too large")
            .help("a custom rule is a short condition; split it into several rules"),
        );
    }
    if let Some(offset) = scan.too_deep {
        return fail(
            Diagnostic::error(
                ErrorCode::LimitExceeded,
                format!("brackets nested more than {} levels deep", limits.max_nesting),
            )
            .primary(Span::new(offset, offset + 1), "too deep from here")
            .help("simplify the expression; no policy needs this much nesting"),
        );
    }
    CALL_LIMIT.call_once(|| {
        pest::set_call_limit(NonZeroUsize::new(CALLS_PER_BYTE.saturating_mul(limits.max_file_bytes.max(1 << 20))));
    });
    match PolicyParser::parse(Rule::file, text) {
        Ok(pairs) => {
            let mut lowerer = Lowerer::new(limits);
            match lowerer.file(pairs) {
                Ok(file) => Parsed { file: Some(file), diagnostics: lowerer.diagnostics },
                Err(shape) => {
                    let mut diagnostics = lowerer.diagnostics;
                    diagnostics.push(
                        Diagnostic::error(
                            ErrorCode::SyntaxError,
                            format!("internal error: unexpected parse tree (expected {:?})", shape.expected),
                        )
                        .primary(shape.span, "while reading this")
                        .help("this is a bug in supportlint; please report it with this file"),
                    );
                    Parsed { file: None, diagnostics }
                }
            }
        }
        Err(fast) => {
            // A string that runs to the end of its line is found exactly by
            // the scan; report it when it is where parsing stopped or before.
            if let Some((open, end)) = scan.unterminated.filter(|&(open, _)| open <= expected::location(&fast)) {
                return fail(expected::unterminated_string(source, open, end));
            }
            // Otherwise re-parse with pest's attempt tracking for a better
            // message; on large files it costs too much, and pest's plain
            // error is worded instead.
            let detailed = if text.len() <= DETAIL_LIMIT {
                let _guard = DETAIL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                pest::set_error_detail(true);
                let result = PolicyParser::parse(Rule::file, text);
                pest::set_error_detail(false);
                result.err()
            } else {
                None
            };
            fail(expected::syntax_error(source, detailed.as_ref(), &fast, scan.unclosed_brace))
        }
    }
}

/// Reads one value written as in a policy (`80%`, `7m`, `3`): the
/// configuration file uses the policy language's units. `None` if `text` is
/// not a single valid value.
pub fn parse_value(text: &str) -> Option<super::ast::QValue> {
    let mut pairs = PolicyParser::parse(Rule::value, text.trim()).ok()?;
    let pair = pairs.next()?;
    if pair.as_str().len() != text.trim().len() {
        return None;
    }
    let limits = Limits::default();
    let mut lowerer = Lowerer::new(&limits);
    let value = lowerer.value_of(pair);
    (lowerer.diagnostics.is_empty() && value != super::ast::QValue::Invalid).then_some(value)
}
