//! The formatter's view of a policy text: its tokens and comments in order,
//! each marked with what the parser's tree says about it. No layout here.
//!
//! The tree gives two things a lexer alone cannot know: where each
//! statement starts (statements are separated by their keyword, not by line
//! ends) and the exact extent of every value (`80%within` is a value and a
//! keyword; `120 USD` is one value with a space in it; `08:00` is one time).
//! Everything else is read by a small lexer over the text between those
//! values: words, strings, punctuation, operators and comments.

use crate::Span;
use crate::syntax::ast::{
    Expr, File, Intent, Item, Operand, Quantity, RuleStmt, Stmt, StmtKind, TargetBound, TestKind, TrainingStmt,
};

/// What a token is, as far as spacing and layout care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A keyword, identifier, value, rule reference or date: printed as written.
    Word,
    /// A double-quoted string.
    Str,
    /// `{`
    Open,
    /// `}`
    Close,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `:`
    Colon,
    /// `<=`, `>`, `==`, `!=`, ...
    Op,
    /// A `-` on its own: the one in `hours 08:00-20:00`.
    Dash,
    /// `# ...` up to the end of its line (not included).
    Comment,
}

/// What the tree says starts at a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// Nothing: the token continues a statement (or is punctuation).
    None,
    /// A statement, or a top-level item written on one line (`policy`, `chain`, `allow`).
    Stmt,
    /// A top-level block: `norms`, `defaults`, `team`, `rule`.
    Block,
}

/// One token or comment.
#[derive(Debug, Clone, Copy)]
pub(super) struct Element {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
    /// Line ends between the previous element (or the start of the text)
    /// and this one, counted up to 2: 0 means on the same line, 2 means
    /// that a blank line comes before it.
    pub breaks: u8,
    pub start_of: Start,
}

impl Element {
    pub fn span(&self) -> Span {
        Span { start: self.start, end: self.end }
    }
}

/// What the formatter takes from the tree.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// Values and times: tokens whose extent only the grammar knows.
    leaves: Vec<Span>,
    /// Where statements and items start.
    starts: Vec<(u32, Start)>,
    /// The top-level items; every token lies inside one of them.
    pub items: Vec<Span>,
}

impl Marks {
    /// Collects the marks of a parsed file.
    pub fn of(file: &File) -> Marks {
        let mut marks = Marks::default();
        for item in &file.items {
            let span = match item {
                Item::Header(header) => marks.start(header.span, Start::Stmt),
                Item::Chain(chain) => marks.start(chain.span, Start::Stmt),
                Item::Allow(allow) => marks.start(allow.span, Start::Stmt),
                Item::Norms(norms) => {
                    for norm in &norms.norms {
                        marks.start(norm.span, Start::Stmt);
                        marks.leaf(&norm.value);
                    }
                    marks.start(norms.span, Start::Block)
                }
                Item::Defaults(block) => {
                    marks.stmts(&block.stmts);
                    marks.start(block.span, Start::Block)
                }
                Item::Team(team) => {
                    marks.stmts(&team.body.stmts);
                    marks.start(team.body.span, Start::Block)
                }
                Item::Rule(rule) => {
                    for stmt in &rule.stmts {
                        match stmt {
                            RuleStmt::Severity(_, span) | RuleStmt::Message(_, span) | RuleStmt::Help(_, span) => {
                                marks.start(*span, Start::Stmt);
                            }
                            RuleStmt::When(expr, span) => {
                                marks.start(*span, Start::Stmt);
                                marks.expr(expr);
                            }
                        }
                    }
                    marks.start(rule.span, Start::Block)
                }
            };
            marks.items.push(span);
        }
        // The walk visits the tree in source order except that a block's
        // own start is recorded after its contents; sorting costs little
        // and makes the order independent of the walk.
        marks.leaves.sort_unstable_by_key(|s| s.start);
        marks.starts.sort_unstable_by_key(|&(at, _)| at);
        marks.items.sort_unstable_by_key(|s| s.start);
        marks
    }

    fn start(&mut self, span: Span, start: Start) -> Span {
        self.starts.push((span.start, start));
        span
    }

    fn leaf(&mut self, quantity: &Quantity) {
        self.leaves.push(quantity.span);
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            self.start(stmt.span, Start::Stmt);
            self.stmt(&stmt.kind);
        }
    }

    fn stmt(&mut self, kind: &StmtKind) {
        match kind {
            StmtKind::Hours { open, close } => {
                self.leaves.push(open.span);
                self.leaves.push(close.span);
            }
            StmtKind::Demand(q)
            | StmtKind::Agents(q)
            | StmtKind::Shrinkage(q)
            | StmtKind::Concurrency(q)
            | StmtKind::Patience(q) => self.leaf(q),
            StmtKind::ServiceLevel(level) => {
                self.leaf(&level.share);
                self.leaf(&level.within);
            }
            StmtKind::Target(target) => {
                match &target.bound {
                    TargetBound::Compare { value, .. } => self.leaf(value),
                    TargetBound::Between { low, high } => {
                        self.leaf(low);
                        self.leaf(high);
                    }
                }
                if let Some(weight) = &target.weight {
                    self.leaf(weight);
                }
            }
            StmtKind::Authority(grants) => {
                for grant in grants {
                    self.start(grant.span, Start::Stmt);
                    if let crate::syntax::ast::GrantKind::UpTo(q) = &grant.kind {
                        self.leaf(q);
                    }
                }
            }
            StmtKind::Drivers(drivers) => {
                for driver in drivers {
                    self.start(driver.span, Start::Stmt);
                    self.leaf(&driver.share);
                    if let Some(q) = driver.needs.as_ref().and_then(|n| n.up_to.as_ref()) {
                        self.leaf(q);
                    }
                }
            }
            StmtKind::Training(stmts) => {
                for stmt in stmts {
                    let (TrainingStmt::Cadence(_, span)
                    | TrainingStmt::Sequence(_, span)
                    | TrainingStmt::CaseReviews(_, span)) = stmt;
                    self.start(*span, Start::Stmt);
                }
            }
            StmtKind::Hiring(screens) => {
                for screen in screens {
                    self.start(screen.span, Start::Stmt);
                }
            }
            StmtKind::Directive(directive) => {
                if let Intent::Cap(_, q) | Intent::Floor(_, q) = &directive.intent {
                    self.leaf(q);
                }
            }
            StmtKind::Channel(_)
            | StmtKind::Promise(_)
            | StmtKind::Scripts(_)
            | StmtKind::EmotionalLoad(_)
            | StmtKind::Allow(_) => {}
        }
    }

    /// Expressions nest at most as deep as the parser's nesting limit.
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Or(terms, _) | Expr::And(terms, _) => terms.iter().for_each(|t| self.expr(t)),
            Expr::Not(inner, _) => self.expr(inner),
            Expr::Test(test) => {
                self.operand(&test.operand);
                match &test.kind {
                    TestKind::In(items) => items.iter().for_each(|o| self.operand(o)),
                    TestKind::Compare(_, right) => self.operand(right),
                    TestKind::IsSet { .. } | TestKind::Has(_) => {}
                }
            }
        }
    }

    fn operand(&mut self, operand: &Operand) {
        if let Operand::Value(q) = operand {
            self.leaf(q);
        }
    }
}

/// Whether `byte` can be part of a word: anything but white space, the
/// punctuation of the language, operators, strings and comments. Bytes of
/// non-ASCII characters are word bytes, so a word always ends on a
/// character boundary.
fn is_word_byte(byte: u8) -> bool {
    !matches!(
        byte,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b'#'
            | b'"'
            | b'{'
            | b'}'
            | b'('
            | b')'
            | b'['
            | b']'
            | b','
            | b':'
            | b'<'
            | b'>'
            | b'='
            | b'!'
    )
}

/// The end of the string that opens at `start`: after its closing quote, or
/// at its line's end if it has none (the parser rejects that).
pub(super) fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return at + 1,
            b'\r' | b'\n' => return at,
            // An escape takes the next byte, unless that ends the line.
            b'\\' => at += if matches!(bytes.get(at + 1), Some(b'\r' | b'\n') | None) { 1 } else { 2 },
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The end of the comment that opens at `start`: its line's end, where a
/// lone `\r` counts as a line end as `\n` and `\r\n` do.
pub(super) fn comment_end(bytes: &[u8], start: usize) -> usize {
    bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\r' || b == b'\n'))
        .map_or(bytes.len(), |n| start + n)
}

/// The tokens and comments of `text`, in order. A leading byte-order mark
/// is skipped. Linear in the length of the text.
pub(super) fn lex(text: &str, marks: &Marks) -> Vec<Element> {
    let bytes = text.as_bytes();
    let mut elements = Vec::with_capacity(text.len() / 4);
    let mut at = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut leaves = marks.leaves.iter().peekable();
    let mut starts = marks.starts.iter().peekable();
    let mut breaks: u8 = 0;
    while let Some(&byte) = bytes.get(at) {
        while leaves.next_if(|leaf| (leaf.start as usize) < at).is_some() {}
        let next_leaf = leaves.peek().map_or(usize::MAX, |leaf| leaf.start as usize);
        let (kind, end) = if next_leaf == at {
            let end = leaves.next().map_or(at + 1, |leaf| leaf.end as usize).max(at + 1);
            (Kind::Word, end)
        } else {
            match byte {
                b' ' | b'\t' => {
                    at += 1;
                    continue;
                }
                b'\n' => {
                    breaks = breaks.saturating_add(1);
                    at += 1;
                    continue;
                }
                b'\r' => {
                    breaks = breaks.saturating_add(1);
                    at += if bytes.get(at + 1) == Some(&b'\n') { 2 } else { 1 };
                    continue;
                }
                b'#' => (Kind::Comment, comment_end(bytes, at)),
                b'"' => (Kind::Str, string_end(bytes, at)),
                b'{' => (Kind::Open, at + 1),
                b'}' => (Kind::Close, at + 1),
                b'(' => (Kind::LParen, at + 1),
                b')' => (Kind::RParen, at + 1),
                b'[' => (Kind::LBracket, at + 1),
                b']' => (Kind::RBracket, at + 1),
                b',' => (Kind::Comma, at + 1),
                b':' => (Kind::Colon, at + 1),
                b'<' | b'>' | b'=' | b'!' => {
                    let len = bytes
                        .get(at..)
                        .map_or(1, |rest| rest.iter().take_while(|b| matches!(b, b'<' | b'>' | b'=' | b'!')).count());
                    (Kind::Op, at + len)
                }
                _ => {
                    let mut end = at + 1;
                    while end < next_leaf && bytes.get(end).is_some_and(|&b| is_word_byte(b)) {
                        end += 1;
                    }
                    let kind = if end == at + 1 && byte == b'-' { Kind::Dash } else { Kind::Word };
                    (kind, end)
                }
            }
        };
        while starts.next_if(|&&(start, _)| (start as usize) < at).is_some() {}
        let start_of = match starts.next_if(|&&(start, _)| start as usize == at) {
            Some(&(_, start)) => start,
            None => Start::None,
        };
        let end = end.min(bytes.len());
        elements.push(Element {
            kind,
            start: u32::try_from(at).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            breaks: breaks.min(2),
            start_of,
        });
        breaks = 0;
        at = end;
    }
    elements
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::layout::Builder;

    fn words(text: &str, elements: &[Element]) -> Vec<(Kind, String)> {
        elements.iter().map(|e| (e.kind, text[e.start as usize..e.end as usize].to_string())).collect()
    }

    /// The clauses `allow` is about to gain (`owner "NAME"`, `until
    /// YYYY-MM-DD`) are words and strings like any other: a date is one
    /// word, and the layout needs no code for them.
    #[test]
    fn clauses_the_grammar_does_not_know_yet_are_plain_tokens() {
        let text = "allow  one-off-training \"reason\"\n  owner \"Training Lead\"   until 2027-03-31 # ends then\n";
        let marks = Marks { starts: vec![(0, Start::Stmt)], ..Marks::default() };
        let elements = lex(text, &marks);
        assert_eq!(
            words(text, &elements),
            [
                (Kind::Word, "allow".to_string()),
                (Kind::Word, "one-off-training".to_string()),
                (Kind::Str, "\"reason\"".to_string()),
                (Kind::Word, "owner".to_string()),
                (Kind::Str, "\"Training Lead\"".to_string()),
                (Kind::Word, "until".to_string()),
                (Kind::Word, "2027-03-31".to_string()),
                (Kind::Comment, "# ends then".to_string()),
            ]
        );
        let mut builder = Builder::new(text);
        elements.into_iter().for_each(|e| builder.push(e));
        assert_eq!(
            builder.finish("\n", ""),
            "allow one-off-training \"reason\" owner \"Training Lead\" until 2027-03-31  # ends then\n"
        );
    }

    #[test]
    fn values_from_the_tree_are_single_tokens() {
        let text = "service_level 80%within 20s hours 08:00 -20:00 credit up_to$50";
        let leaf = |value: &str| {
            let start = text.find(value).unwrap();
            Span::new(start, start + value.len())
        };
        let marks = Marks {
            leaves: vec![leaf("80%"), leaf("20s"), leaf("08:00"), leaf("20:00"), leaf("$50")],
            ..Marks::default()
        };
        let kinds: Vec<_> = words(text, &lex(text, &marks));
        let texts: Vec<&str> = kinds.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["service_level", "80%", "within", "20s", "hours", "08:00", "-", "20:00", "credit", "up_to", "$50"]
        );
        assert_eq!(kinds[6].0, Kind::Dash);
    }

    #[test]
    fn strings_and_comments_end_where_the_grammar_ends_them() {
        let bytes = b"\"a \\\" # b\" # c\r\nx";
        assert_eq!(string_end(bytes, 0), 10);
        assert_eq!(comment_end(bytes, 11), 14);
        assert_eq!(string_end(b"\"open\nx", 0), 5);
        assert_eq!(comment_end(b"# lone\rx", 0), 6);
    }
}
