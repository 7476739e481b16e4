//! The pest parser and the checks that run before it.

use std::num::NonZeroUsize;
use std::sync::{Mutex, Once};

use pest::Parser as _;

use super::ast::File;
use super::lower::Lowerer;
use super::{Limits, expected};
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
    if let Some(diagnostic) = check_nesting(text, limits.max_nesting) {
        return fail(diagnostic);
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
            // Re-parse with pest's detailed attempt tracking for a better message.
            let detailed = {
                let _guard = DETAIL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                pest::set_error_detail(true);
                let result = PolicyParser::parse(Rule::file, text);
                pest::set_error_detail(false);
                result.err()
            };
            fail(expected::syntax_error(source, detailed.as_ref(), &fast))
        }
    }
}

/// Rejects brackets nested deeper than `max` before pest recurses into them.
fn check_nesting(text: &str, max: usize) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, byte) in text.bytes().enumerate() {
        if in_comment {
            in_comment = byte != b'\n';
        } else if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'#' => in_comment = true,
                b'"' => in_string = true,
                b'{' | b'[' | b'(' => {
                    depth += 1;
                    if depth > max {
                        return Some(
                            Diagnostic::error(
                                ErrorCode::LimitExceeded,
                                format!("brackets nested more than {max} levels deep"),
                            )
                            .primary(Span::new(offset, offset + 1), "too deep from here")
                            .help("simplify the expression; no policy needs this much nesting"),
                        );
                    }
                }
                b'}' | b']' | b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}
