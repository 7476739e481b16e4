//! The pest parser and the checks that run before it.

use std::ops::Range;

use pest::Parser as _;
use pest::iterators::Pair;
use rayon::prelude::*;

use super::ast::{Block, File, Item, Norm, NormsBlock, RuleDecl, RuleStmt, Stmt, Team};
use super::cursor::Shape;
use super::lower::{Counts, Lowerer};
use super::split::{self, RULE_STATEMENTS, Starts, TEAM_STATEMENTS};
use super::{Limits, expected, fast, scan};
use crate::diagnostic::{Diagnostic, ErrorCode, excerpt};
use crate::suggest::closest;
use crate::{Source, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/policy.pest"]
pub(crate) struct PolicyParser;

/// The result of parsing one source.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The tree of every item that could be read; `None` when the file as a
    /// whole is beyond the limits (too large, too deeply nested).
    pub file: Option<File>,
    /// Every problem found while parsing and lowering, each located.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `source` into a syntax tree, enforcing `limits`.
///
/// Each top-level item is read on its own (`split.rs` finds where items
/// start), so a syntax error in one item does not hide the others; inside a
/// broken block each statement is read on its own, so every broken
/// statement gets its own error and the rest of the block is still read.
/// The tree holds what could be read; the items and teams an error touches
/// are known by the errors' positions.
pub fn parse(source: &Source, limits: &Limits) -> Parsed {
    parse_by(source, limits, Path::Fast)
}

/// Which reader reads the chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    /// `fast.rs` first, pest for the chunks it gives up on.
    Fast,
    /// pest alone: what the fast path is tested against.
    #[cfg_attr(not(any(test, fuzzing)), allow(dead_code))]
    Pest,
}

/// [`parse`], with the chunks read by `path`.
pub(crate) fn parse_by(source: &Source, limits: &Limits, path: Path) -> Parsed {
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
    // Two passes over the bytes, one on each core: the limits that must
    // hold before pest sees the text, and where the items start.
    let (scan, chunks) =
        rayon::join(|| scan::scan(text, limits.max_nesting, limits.max_rule_bytes), || split::items(text));
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
    let batches: Vec<&[Range<usize>]> = chunks.chunks(BATCH).collect();
    // Each batch of items is read on its own, in parallel, as if it were
    // the first; a batch is kept when, read after the ones before it, it
    // stays within the limits (then nothing it read depended on them).
    // From the first that does not, the rest is read again in order, on
    // top of what came before, exactly as one reading would.
    let done: Vec<Read> = if batches.len() > 1 {
        batches.par_iter().map(|batch| read(source, limits, path, Counts::default(), batch)).collect()
    } else {
        batches.iter().map(|batch| read(source, limits, path, Counts::default(), batch)).collect()
    };
    let mut file = File { items: Vec::with_capacity(chunks.len()), broken_shared: Vec::new() };
    let mut diagnostics = Vec::new();
    let mut counts = Counts::default();
    for (index, batch) in done.into_iter().enumerate() {
        let after = counts.then(batch.counts);
        let batch = if after.within(limits) {
            counts = after;
            batch
        } else {
            let rest = chunks.get(index * BATCH..).unwrap_or_default();
            let batch = read(source, limits, path, counts, rest);
            counts = batch.counts;
            batch
        };
        file.items.extend(batch.items);
        file.broken_shared.extend(batch.broken_shared);
        diagnostics.extend(batch.diagnostics);
        if !after.within(limits) {
            break;
        }
    }
    Parsed { file: Some(file), diagnostics }
}

/// Items read in one batch, in parallel with the others.
const BATCH: usize = 64;

/// What one batch of items gave.
struct Read {
    items: Vec<Item>,
    broken_shared: Vec<Span>,
    diagnostics: Vec<Diagnostic>,
    /// What was counted against the limits, including `counts` at the
    /// start.
    counts: Counts,
}

/// Reads `chunks` in order, going on from `counts`.
fn read(source: &Source, limits: &Limits, path: Path, counts: Counts, chunks: &[Range<usize>]) -> Read {
    let mut reader = Reader {
        source,
        path,
        lowerer: Lowerer::resume(limits, counts),
        buffer: Vec::new(),
        items: Vec::new(),
        broken_shared: Vec::new(),
    };
    for chunk in chunks {
        reader.chunk(chunk.clone());
    }
    Read {
        counts: reader.lowerer.counts(),
        items: reader.items,
        broken_shared: reader.broken_shared,
        diagnostics: reader.lowerer.diagnostics,
    }
}

/// Most times one broken block is split again at a line where reading
/// stopped.
const MAX_SPLITS: usize = 1_000;

/// Reads the chunks of one source, collecting items and diagnostics.
struct Reader<'s, 'l> {
    source: &'s Source,
    path: Path,
    lowerer: Lowerer<'l>,
    /// The fast reader's working space.
    buffer: Vec<Stmt>,
    items: Vec<Item>,
    broken_shared: Vec<Span>,
}

/// How a block is opened and what its statements are.
struct BlockKind {
    open: Rule,
    statements: Rule,
    starts: Starts<'static>,
}

impl Reader<'_, '_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.lowerer.diagnostics.push(diagnostic);
    }

    /// A lowering that met a tree of an unexpected shape: a bug, reported
    /// where it happened.
    fn internal(&mut self, shape: Shape) {
        self.report(
            Diagnostic::error(
                ErrorCode::SyntaxError,
                format!("internal error: unexpected parse tree (expected {:?})", shape.expected),
            )
            .primary(shape.span, "while reading this")
            .help("this is a bug in supportlint; please report it with this file"),
        );
    }

    /// Reads the items of `range`, recovering from a syntax error in them.
    fn chunk(&mut self, range: Range<usize>) {
        let source = self.source;
        let Some(slice) = source.text().get(range.clone()) else { return };
        if split::is_trivia(slice) {
            return;
        }
        if self.path == Path::Fast
            && let Some(items) = fast::items(source.text(), range.clone(), &mut self.lowerer, &mut self.buffer)
        {
            self.items.extend(items);
            return;
        }
        match PolicyParser::parse(Rule::chunk, slice) {
            Ok(pairs) => {
                self.lowerer.at(range.start);
                match self.lowerer.items(pairs) {
                    Ok(items) => self.items.extend(items),
                    Err(shape) => self.internal(shape),
                }
            }
            Err(error) => {
                let first = self.lowerer.diagnostics.len();
                self.recover(range.clone(), &error);
                self.note_shared(slice, range, first);
            }
        }
    }

    /// An error in `defaults`, `norms` or `chain` keeps every team from
    /// being checked: say so once, on the first error of the item.
    fn note_shared(&mut self, slice: &str, range: Range<usize>, first: usize) {
        let Some(word) =
            split::first_word(slice).map(|(_, w)| w).filter(|w| ["defaults", "norms", "chain"].contains(w))
        else {
            return;
        };
        let Some(d) = self.lowerer.diagnostics.get_mut(first) else { return };
        self.broken_shared.push(Span::new(range.start, range.end));
        let note = format!("no team is checked until `{word}` reads: every team depends on it");
        d.help = Some(match d.help.take() {
            Some(help) => format!("{help}; {note}"),
            None => note,
        });
    }

    /// A syntax error in `range`: when it holds a block whose opening reads,
    /// read its statements one by one; otherwise report the error and skip
    /// the item.
    fn recover(&mut self, range: Range<usize>, error: &pest::error::Error<Rule>) {
        let source = self.source;
        let text = source.text();
        let slice = text.get(range.clone()).unwrap_or_default();
        let kind = match split::first_word(slice).map(|(_, w)| w) {
            Some("team") => BlockKind {
                open: Rule::team_open,
                statements: Rule::team_stmts,
                starts: Starts::Keywords(TEAM_STATEMENTS),
            },
            Some("defaults") => BlockKind {
                open: Rule::defaults_open,
                statements: Rule::team_stmts,
                starts: Starts::Keywords(TEAM_STATEMENTS),
            },
            Some("norms") => {
                BlockKind { open: Rule::norms_open, statements: Rule::norm_stmts, starts: Starts::AnyWord }
            }
            Some("rule") => BlockKind {
                open: Rule::rule_open,
                statements: Rule::rule_stmts,
                starts: Starts::Keywords(RULE_STATEMENTS),
            },
            _ => {
                let d = self.chunk_error(range.start, error, slice);
                self.report(d);
                return;
            }
        };
        let at = range.start + split::first_word(slice).map_or(0, |(offset, _)| offset);
        let rest = text.get(at..range.end).unwrap_or_default();
        let opening = match PolicyParser::parse(kind.open, rest) {
            Ok(mut pairs) => match pairs.next() {
                Some(pair) => pair,
                None => return,
            },
            Err(open_error) => {
                let d = self.chunk_error(at, &open_error, rest);
                self.report(d);
                return;
            }
        };
        let brace = at + opening.as_span().end() - 1;
        let close = split::closing_brace(text, brace, range.end);
        let body = brace + 1..close.unwrap_or(range.end);
        // An unclosed block runs to the next item, so its error is inside it.
        let end = close.map_or(range.end, |c| c + 1);
        if close.is_none() {
            let at_end = Span::point(split::content_end(text, range.clone()));
            self.report(
                Diagnostic::error(ErrorCode::SyntaxError, "this block is not closed")
                    .primary(at_end, "expected `}` here")
                    .secondary(Span::new(brace, brace + 1), "the block opens here")
                    .help("add the missing `}`: every block is closed before the next one starts"),
            );
        }
        let mut statements = Vec::new();
        let mut pieces: Vec<Range<usize>> = split::statements(text, body, kind.starts);
        pieces.reverse();
        // Each split makes a piece strictly smaller; the budget keeps a
        // pathological block linear all the same.
        let mut splits = 0usize;
        while let Some(piece) = pieces.pop() {
            let Some(piece_text) = text.get(piece.clone()) else { continue };
            if split::is_trivia(piece_text) {
                continue;
            }
            match PolicyParser::parse(kind.statements, piece_text) {
                Ok(mut pairs) => {
                    self.lowerer.at(piece.start);
                    let Some(all) = pairs.next() else { continue };
                    for pair in all.into_inner().filter(|p| p.as_rule() != Rule::EOI) {
                        let lowered = match kind.statements {
                            Rule::team_stmts => self.lowerer.stmt(pair).map(Piece::Stmt),
                            Rule::norm_stmts => self.lowerer.norm(pair).map(Piece::Norm),
                            _ => self.lowerer.rule_stmt(pair).map(Piece::RuleStmt),
                        };
                        match lowered {
                            Ok(piece) => statements.push(piece),
                            Err(shape) => self.internal(shape),
                        }
                    }
                }
                Err(e) => {
                    // Stopped at a word that starts a later line: the
                    // statements before it may be fine, and that line is a
                    // statement of its own (a misspelt keyword).
                    let stop = piece.start + expected::location(&e);
                    let first = piece.start + split::first_word(piece_text).map_or(0, |(offset, _)| offset);
                    if stop > first && stop < piece.end && split::starts_line(text, stop) && splits < MAX_SPLITS {
                        splits += 1;
                        pieces.push(stop..piece.end);
                        pieces.push(piece.start..stop);
                        continue;
                    }
                    let d = statement_error(source, piece, &e, kind.starts);
                    self.report(d);
                }
            }
        }
        self.lowerer.at(at);
        let span = Span::new(at, end);
        match self.block_item(kind.open, opening, statements, span) {
            Ok(Some(item)) => self.items.push(item),
            Ok(None) => {}
            Err(shape) => self.internal(shape),
        }
        // What follows the block in the chunk (a stray `}`, a misspelt item).
        if let Some(close) = close {
            let after = close + 1..range.end;
            if !split::is_trivia(text.get(after.clone()).unwrap_or_default()) {
                self.chunk(after);
            }
        }
    }

    /// The item of a block read statement by statement.
    fn block_item(
        &mut self,
        opener: Rule,
        opening: Pair<'_, Rule>,
        pieces: Vec<Piece>,
        span: Span,
    ) -> Result<Option<Item>, Shape> {
        let keyword = self.lowerer.keyword_of(&opening);
        let mut stmts = Vec::new();
        let mut norms = Vec::new();
        let mut rule_stmts = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Stmt(s) => stmts.push(s),
                Piece::Norm(n) => norms.push(n),
                Piece::RuleStmt(r) => rule_stmts.push(r),
            }
        }
        Ok(Some(match opener {
            Rule::team_open => {
                if self.lowerer.over_team_limit(&opening) {
                    return Ok(None);
                }
                let name = self.lowerer.name_of(opening)?;
                Item::Team(Team { name, body: Block { stmts, keyword, span } })
            }
            Rule::defaults_open => Item::Defaults(Block { stmts, keyword, span }),
            Rule::norms_open => Item::Norms(NormsBlock { norms, span }),
            _ => {
                if self.lowerer.over_rule_limit(&opening) {
                    return Ok(None);
                }
                let name = self.lowerer.name_of(opening)?;
                Item::Rule(RuleDecl { name, stmts: rule_stmts, span })
            }
        }))
    }

    /// The error of an item that could not be read, with an unterminated
    /// string or an unclosed brace named when they are the cause.
    fn chunk_error(&self, base: usize, error: &pest::error::Error<Rule>, slice: &str) -> Diagnostic {
        let scan = scan::scan(slice, usize::MAX, usize::MAX);
        let stopped = expected::location(error);
        if let Some((open, end)) = scan.unterminated.filter(|&(open, _)| open <= stopped) {
            return expected::unterminated_string(self.source, base + open, base + end);
        }
        // pest reads a string as one token: a bad escape fails it at its quote.
        if let Some(escape) =
            scan.bad_escape.filter(|&e| e >= stopped && slice.get(stopped..e).is_some_and(|s| !s.contains('\n')))
        {
            return expected::unknown_escape(self.source, base + escape);
        }
        expected::syntax_error(self.source, base, error, scan.unclosed_brace.map(|b| base + b))
    }
}

/// A statement of a block read on its own.
enum Piece {
    Stmt(Stmt),
    Norm(Norm),
    RuleStmt(RuleStmt),
}

/// The error of one statement of a broken block: an unknown statement
/// keyword with the closest one; a statement whose arguments ran out or do
/// not fit, at its arguments, with how it is written; otherwise what pest
/// expected where it stopped.
fn statement_error(
    source: &Source,
    piece: Range<usize>,
    error: &pest::error::Error<Rule>,
    starts: Starts<'_>,
) -> Diagnostic {
    let text = source.text();
    let slice = text.get(piece.clone()).unwrap_or_default();
    let scan = scan::scan(slice, usize::MAX, usize::MAX);
    if let Some((open, end)) = scan.unterminated {
        return expected::unterminated_string(source, piece.start + open, piece.start + end);
    }
    if let Some(escape) = scan.bad_escape {
        return expected::unknown_escape(source, piece.start + escape);
    }
    let Some((offset, word)) = split::first_word(slice) else {
        return expected::syntax_error(source, piece.start, error, None);
    };
    let word_span = Span::new(piece.start + offset, piece.start + offset + word.len());
    if let Starts::Keywords(keywords) = starts
        && !keywords.contains(&word)
    {
        let what = if keywords == RULE_STATEMENTS { "rule statement" } else { "statement" };
        let label = match closest(word, keywords.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("not a {what}"),
        };
        let help = if keywords == RULE_STATEMENTS {
            "a rule statement is `severity`, `when`, `message` or `help`"
        } else {
            "a team statement starts with a keyword such as `channel`, `demand`, `agents`, `target` or `promise`; docs/language.md lists them all"
        };
        return Diagnostic::error(ErrorCode::SyntaxError, format!("unknown {what} `{}`", excerpt(word)))
            .primary(word_span, label)
            .help(help);
    }
    let stopped = piece.start + expected::location(error);
    let end = split::content_end(text, piece.clone());
    match expected::arguments(word) {
        Some((args, form)) if stopped >= end => {
            let start = text
                .get(word_span.end as usize..end)
                .map_or(end, |rest| word_span.end as usize + (rest.len() - rest.trim_start().len()));
            let (span, found) = if start < end {
                (Span::new(start, end), format!("found `{}`", excerpt(text.get(start..end).unwrap_or_default())))
            } else {
                (Span::point(end), "found nothing".to_string())
            };
            Diagnostic::error(ErrorCode::SyntaxError, format!("expected {args} after `{word}`"))
                .primary(span, found)
                .help(format!("{} `{word}` is written {form}", crate::diagnostic::article(word)))
        }
        _ => expected::syntax_error_in(source, piece.start, error, None, Some(word)),
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
