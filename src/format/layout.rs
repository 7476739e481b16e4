//! Lays tokens and comments out in lines: one statement per line at its
//! block's depth, comments where they belong, then aligned columns.
//!
//! Lines are built first and rendered after, because alignment needs to
//! see every line of a block (or of a run of commented lines) before it
//! can pad the first. Line contents share one buffer, so the work and the
//! memory are linear in the text.

use super::tokens::{Element, Kind, Start};

/// Cells wider than this (in characters) are left out of a block's
/// alignment, so one very long driver name does not push every other line
/// of its block to the right.
const ALIGN_MAX: usize = 40;

/// Lines wider than this (in characters, with indentation) are left out of
/// the alignment of end-of-line comments.
const COMMENT_COLUMN_MAX: usize = 72;

/// Spaces before an end-of-line comment on the widest line of its run.
const COMMENT_GAP: usize = 2;

/// One level of indentation.
const INDENT: &str = "  ";

/// A block whose lines are aligned in columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Columns {
    /// `authority`: the action, then the rest.
    Authority,
    /// `drivers`: the name, the share, then the rest.
    Drivers,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    columns: Columns,
    widths: [usize; 2],
}

/// A block being written.
#[derive(Debug, Clone, Copy)]
struct Open {
    /// Its alignment group.
    group: Option<usize>,
    /// The source line of its `{`.
    source_line: usize,
    /// The line its `{` ends.
    opener: usize,
    /// Its statements, and the line of the first.
    entries: usize,
    first_entry: usize,
    /// Own-line comments written before it opened.
    comments: usize,
}

/// One output line.
#[derive(Debug, Clone, Default)]
struct Line {
    /// Levels of indentation.
    indent: usize,
    /// Whether one blank line comes before it.
    blank_before: bool,
    /// Its tokens, as a range of the buffer.
    start: usize,
    end: usize,
    /// Where its first and second tokens end in the buffer (for columns).
    cuts: [usize; 2],
    tokens: usize,
    /// The aligned block it is an entry of.
    group: Option<usize>,
    /// A comment: the whole line when `own`, else at its end.
    comment: Option<(usize, usize)>,
    own: bool,
}

/// Builds the lines of a formatted file from its elements.
pub(super) struct Builder<'t> {
    text: &'t str,
    buf: String,
    lines: Vec<Line>,
    groups: Vec<Group>,
    /// The open blocks, innermost last.
    open: Vec<Open>,
    /// Source lines seen so far (for blocks written on one line).
    source_line: usize,
    /// Where an end-of-line comment right after a `}` goes: see `close`.
    after_close: Option<usize>,
    /// Own-line comments written so far.
    comment_lines: usize,
    depth: usize,
    /// A statement is being written: a token that starts nothing continues it.
    in_stmt: bool,
    /// The current statement's line ended in a comment: its next token
    /// starts a continuation line.
    broken: bool,
    /// Own-line comments waiting for the token they precede, which decides
    /// their indentation.
    pending: Vec<Element>,
    /// The line of the last token, and that token's kind.
    token_line: Option<usize>,
    last_kind: Option<Kind>,
    /// The previous element was a token (so a comment with no line end
    /// before it ends that token's line).
    after_token: bool,
    /// The first token of the current statement.
    stmt_first: (usize, usize),
    /// The last line pushed opened a block.
    just_opened: bool,
    /// Whether the previous top-level item was a block.
    prev_top: Option<bool>,
}

/// Whether `next` is written directly after `prev`, without a space.
fn glued(prev: Kind, next: Kind) -> bool {
    matches!(next, Kind::Comma | Kind::Colon | Kind::RParen | Kind::RBracket | Kind::Dash)
        || matches!(prev, Kind::LParen | Kind::LBracket | Kind::Dash)
        || (prev == Kind::Open && next == Kind::Close)
}

impl<'t> Builder<'t> {
    pub fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            buf: String::with_capacity(text.len()),
            lines: Vec::with_capacity(text.len() / 16),
            groups: Vec::new(),
            open: Vec::new(),
            source_line: 0,
            after_close: None,
            comment_lines: 0,
            depth: 0,
            in_stmt: false,
            broken: false,
            pending: Vec::new(),
            token_line: None,
            last_kind: None,
            after_token: false,
            stmt_first: (0, 0),
            just_opened: false,
            prev_top: None,
        }
    }

    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// Feeds the next element.
    pub fn push(&mut self, element: Element) {
        self.source_line += usize::from(element.breaks);
        if element.kind == Kind::Comment {
            self.comment(element);
            self.after_token = false;
            self.after_close = None;
        } else {
            self.after_close = None;
            self.token(element);
            self.after_token = true;
        }
    }

    fn comment(&mut self, comment: Element) {
        let span = (comment.start as usize, comment.end as usize);
        if comment.breaks == 0 && self.after_token && self.pending.is_empty() {
            // An end-of-line comment stays on the line of the token it
            // follows. That line has one already only when a `{` moved up
            // past its comment; this one then opens the block's lines.
            let free = |i: &usize| self.lines.get(*i).is_some_and(|l| l.comment.is_none());
            let target = self.after_close.filter(free).or(self.token_line.filter(free));
            if let Some(line) = target.and_then(|i| self.lines.get_mut(i)) {
                line.comment = Some(span);
                self.broken = self.in_stmt;
                return;
            }
        }
        self.pending.push(comment);
    }

    fn token(&mut self, token: Element) {
        match token.kind {
            Kind::Close => self.close(token),
            Kind::Open => self.open(token),
            _ if token.start_of != Start::None || !self.in_stmt => self.statement(token),
            _ => {
                if !self.pending.is_empty() || self.broken {
                    self.flush_pending(self.depth + 1, false, false);
                    self.new_line(self.depth + 1, false);
                    self.broken = false;
                }
                self.append(token);
            }
        }
    }

    /// A token that starts a statement (or a top-level item) on a new line.
    fn statement(&mut self, token: Element) {
        let top = self.depth == 0;
        let block = token.start_of == Start::Block;
        // Top-level blocks are set apart by a blank line; one-line items
        // keep the author's grouping.
        let force_blank = top && self.prev_top.is_some_and(|prev| prev || block);
        if top {
            self.prev_top = Some(block);
        }
        let had_comments = !self.pending.is_empty();
        self.flush_pending(self.depth, true, force_blank);
        let blank = token.breaks >= 2 || (force_blank && !had_comments);
        self.new_line(self.depth, blank);
        let index = self.lines.len() - 1;
        if let Some(open) = self.open.last_mut() {
            open.entries += 1;
            if open.entries == 1 {
                open.first_entry = index;
            }
        }
        if let Some(line) = self.lines.last_mut() {
            line.group = self.open.last().and_then(|open| open.group);
        }
        self.in_stmt = true;
        self.broken = false;
        self.stmt_first = (token.start as usize, token.end as usize);
        self.append(token);
    }

    fn open(&mut self, token: Element) {
        if self.token_line.is_none() {
            self.new_line(self.depth, false);
        }
        // `{` joins its statement's last line, ahead of the comment that
        // line ends with; comments between the two become the first lines
        // of the block.
        self.append(token);
        let columns = match self.slice(self.stmt_first.0, self.stmt_first.1) {
            "authority" if self.in_stmt => Some(Columns::Authority),
            "drivers" if self.in_stmt => Some(Columns::Drivers),
            _ => None,
        };
        let group = columns.map(|columns| {
            self.groups.push(Group { columns, widths: [0, 0] });
            self.groups.len() - 1
        });
        let opener = self.token_line.unwrap_or_default();
        let (source_line, comments) = (self.source_line, self.comment_lines);
        self.open.push(Open { group, source_line, opener, entries: 0, first_entry: opener, comments });
        self.depth += 1;
        self.in_stmt = false;
        self.broken = false;
        self.just_opened = true;
    }

    fn close(&mut self, token: Element) {
        self.depth = self.depth.saturating_sub(1);
        // A block written on one line takes the comment after its `}` with
        // it: `training { cadence once }  # why` becomes `cadence once  # why`
        // (its one statement), a block of several statements keeps it on
        // its first line. (A comment that came before the `{` is then the
        // block's first line, and the comment after `}` stays after it.)
        let quiet = self.pending.is_empty();
        let one_line =
            |open: &Open| quiet && open.source_line == self.source_line && open.comments == self.comment_lines;
        self.after_close =
            self.open.pop().filter(one_line).map(|open| if open.entries == 1 { open.first_entry } else { open.opener });
        self.in_stmt = false;
        self.broken = false;
        let last_is_opener = self.token_line.is_some() && self.token_line == self.lines.len().checked_sub(1);
        let uncommented = self.lines.last().is_some_and(|l| l.comment.is_none());
        if self.just_opened && self.pending.is_empty() && last_is_opener && uncommented {
            // An empty block: `drivers {}`.
            self.append(token);
            self.just_opened = false;
            return;
        }
        self.flush_pending(self.depth + 1, true, false);
        self.new_line(self.depth, false);
        self.append(token);
    }

    /// Writes the waiting own-line comments at `indent`. Between statements
    /// they keep a blank line before them; inside one they do not.
    fn flush_pending(&mut self, indent: usize, between: bool, force_blank: bool) {
        let mut pending = std::mem::take(&mut self.pending);
        for (i, comment) in pending.iter().enumerate() {
            let blank = between && (comment.breaks >= 2 || (i == 0 && force_blank));
            self.new_line(indent, blank);
            self.comment_lines += 1;
            if let Some(line) = self.lines.last_mut() {
                line.comment = Some((comment.start as usize, comment.end as usize));
                line.own = true;
            }
        }
        // Keep the allocation for the next comments.
        pending.clear();
        self.pending = pending;
    }

    fn new_line(&mut self, indent: usize, blank: bool) {
        let blank = blank && !self.lines.is_empty() && !self.just_opened;
        self.just_opened = false;
        let at = self.buf.len();
        self.lines.push(Line { indent, blank_before: blank, start: at, end: at, ..Line::default() });
        self.last_kind = None;
    }

    /// Appends a token to the last line.
    fn append(&mut self, token: Element) {
        if self.lines.is_empty() {
            self.new_line(self.depth, false);
        }
        if let Some(prev) = self.last_kind
            && !glued(prev, token.kind)
        {
            self.buf.push(' ');
        }
        let text = self.slice(token.start as usize, token.end as usize);
        if token.kind == Kind::Word && text.contains([' ', '\t']) {
            // `120  USD`: the one value with white space inside.
            for (i, part) in text.split([' ', '\t']).filter(|p| !p.is_empty()).enumerate() {
                if i > 0 {
                    self.buf.push(' ');
                }
                self.buf.push_str(part);
            }
        } else {
            self.buf.push_str(text);
        }
        let end = self.buf.len();
        let index = self.lines.len() - 1;
        if let Some(line) = self.lines.last_mut() {
            line.end = end;
            line.tokens += 1;
            if let Some(cut) = line.cuts.get_mut(line.tokens - 1) {
                *cut = end;
            }
        }
        self.last_kind = Some(token.kind);
        self.token_line = Some(index);
    }

    /// The formatted text, every line ended by `line_end`.
    pub fn finish(mut self, line_end: &str, prefix: &str) -> String {
        self.flush_pending(self.depth, true, false);
        let Builder { text, buf, lines, mut groups, .. } = self;
        let chars = |start: usize, end: usize| buf.get(start..end).map_or(0, |s| s.chars().count());

        // Column widths of the aligned blocks.
        let cells = |line: &Line| -> [Option<usize>; 2] {
            let [first, second] = line.cuts;
            [
                (line.tokens >= 2).then(|| chars(line.start, first)),
                (line.tokens >= 3).then(|| chars(first, second).saturating_sub(1)),
            ]
        };
        for line in &lines {
            let Some(group) = line.group.and_then(|g| groups.get_mut(g)) else { continue };
            let columns = if group.columns == Columns::Drivers { 2 } else { 1 };
            for (width, cell) in group.widths.iter_mut().zip(cells(line)).take(columns) {
                if let Some(cell) = cell.filter(|&c| c <= ALIGN_MAX) {
                    *width = (*width).max(cell);
                }
            }
        }
        let padding = |line: &Line| -> [usize; 2] {
            let Some(group) = line.group.and_then(|g| groups.get(g)) else { return [0, 0] };
            let columns = if group.columns == Columns::Drivers { 2 } else { 1 };
            let mut pads = [0, 0];
            for ((pad, cell), width) in pads.iter_mut().zip(cells(line)).zip(group.widths).take(columns) {
                *pad = cell.map_or(0, |cell| width.saturating_sub(cell));
            }
            pads
        };

        // End-of-line comments of consecutive lines start in one column.
        let widths: Vec<usize> = lines
            .iter()
            .map(|line| {
                let [a, b] = padding(line);
                line.indent * INDENT.len() + chars(line.start, line.end) + a + b
            })
            .collect();
        let mut gaps = vec![COMMENT_GAP; lines.len()];
        let trailing = |line: &Line| line.comment.is_some() && !line.own;
        let mut run_start = 0;
        while run_start < lines.len() {
            let in_run = |i: usize| lines.get(i).is_some_and(trailing);
            if !in_run(run_start) {
                run_start += 1;
                continue;
            }
            let mut run_end = run_start + 1;
            while in_run(run_end) && !lines.get(run_end).is_some_and(|l| l.blank_before) {
                run_end += 1;
            }
            let run = run_start..run_end;
            let column = run.clone().filter_map(|i| widths.get(i)).filter(|&&w| w <= COMMENT_COLUMN_MAX).max();
            if let Some(&column) = column {
                for i in run {
                    if let (Some(gap), Some(&width)) = (gaps.get_mut(i), widths.get(i))
                        && width <= column
                    {
                        *gap = column - width + COMMENT_GAP;
                    }
                }
            }
            run_start = run_end;
        }

        let mut out = String::with_capacity(prefix.len() + buf.len() + buf.len() / 2 + lines.len() * 8);
        out.push_str(prefix);
        let spaces = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        for (line, gap) in lines.iter().zip(gaps) {
            if line.blank_before {
                out.push_str(line_end);
            }
            for _ in 0..line.indent {
                out.push_str(INDENT);
            }
            let comment =
                line.comment.and_then(|(start, end)| text.get(start..end)).map(|c| c.trim_end_matches([' ', '\t']));
            if line.own {
                out.push_str(comment.unwrap_or_default());
                out.push_str(line_end);
                continue;
            }
            let [pad_first, pad_second] = padding(line);
            let [first, second] = line.cuts;
            let (first, second) = if line.tokens >= 3 {
                (first, second)
            } else if line.tokens == 2 {
                (first, line.end)
            } else {
                (line.end, line.end)
            };
            out.push_str(buf.get(line.start..first).unwrap_or_default());
            spaces(&mut out, pad_first);
            out.push_str(buf.get(first..second).unwrap_or_default());
            spaces(&mut out, pad_second);
            out.push_str(buf.get(second..line.end).unwrap_or_default());
            if let Some(comment) = comment {
                spaces(&mut out, gap);
                out.push_str(comment);
            }
            out.push_str(line_end);
        }
        out
    }
}
