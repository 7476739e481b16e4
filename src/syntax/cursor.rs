//! A cursor over the children of one pest pair, consumed by shape.
//!
//! Keyword and punctuation tokens are skipped, so lowering code asks only for
//! the children that carry meaning. Asking for a child that is not there is a
//! [`Shape`] error with a span, never an `unwrap()`: the grammar and the
//! lowering can drift apart without the tool panicking on user input.

use std::sync::LazyLock;

use pest::Token;
use pest::iterators::{Pair, Pairs};

use super::parse::Rule;
use crate::Span;

/// The parse tree did not have the shape the lowering expected. This is a
/// bug in supportlint, reported as a diagnostic at `span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub span: Span,
    pub expected: Rule,
}

static SKIPPED: LazyLock<Vec<bool>> = LazyLock::new(|| {
    let rules = Rule::all_rules();
    let size = rules.iter().map(|&r| r as usize + 1).max().unwrap_or(0);
    let mut table = vec![false; size];
    for &rule in rules {
        let name = format!("{rule:?}");
        if let Some(slot) = table.get_mut(rule as usize) {
            *slot = name.starts_with("kw_") || matches!(rule, Rule::close | Rule::rparen | Rule::rbracket | Rule::EOI);
        }
    }
    table
});

/// Whether `rule` is a keyword or punctuation token that carries no meaning
/// of its own once the tree is built.
pub(crate) fn is_skipped(rule: Rule) -> bool {
    SKIPPED.get(rule as usize).copied().unwrap_or(false)
}

/// The span of `pair`, ending where its last token ends. (pest counts the
/// whitespace and comments skipped before a failed trailing repetition into
/// the rule's span; a label should not run on to the next line.)
pub(crate) fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    let mut end = span.end();
    // The innermost last descendant ends at the first of the run of end
    // tokens that closes the pair: read it backwards, without building the
    // children's iterators.
    let mut tokens = pair.clone().tokens();
    tokens.next_back();
    while let Some(Token::End { pos, .. }) = tokens.next_back() {
        end = pos.pos();
    }
    Span::new(span.start(), end)
}

fn shifted(span: Span, base: usize) -> Span {
    Span::new(span.start as usize + base, span.end as usize + base)
}

pub(crate) struct Cursor<'i> {
    pairs: std::iter::Peekable<Pairs<'i, Rule>>,
    /// The parent, for errors when a child is missing.
    parent: Pair<'i, Rule>,
    /// Where the slice pest read starts in the whole text.
    base: usize,
}

impl<'i> Cursor<'i> {
    /// A cursor over the children of `pair`, read from a slice of the
    /// text that starts at `base`.
    pub fn new(pair: Pair<'i, Rule>, base: usize) -> Cursor<'i> {
        Cursor { pairs: pair.clone().into_inner().peekable(), parent: pair, base }
    }

    /// Where the parent is, for an error.
    fn parent(&self) -> Span {
        shifted(span_of(&self.parent), self.base)
    }

    fn skip_tokens(&mut self) {
        while self.pairs.next_if(|p| is_skipped(p.as_rule())).is_some() {}
    }

    /// How many children are left, keywords and punctuation included.
    pub fn remaining(&self) -> usize {
        self.pairs.len()
    }

    /// The next meaningful child, if any.
    pub fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_tokens();
        self.pairs.next()
    }

    /// The rule of the next meaningful child.
    pub fn peek(&mut self) -> Option<Rule> {
        self.skip_tokens();
        self.pairs.peek().map(|p| p.as_rule())
    }

    /// The next child, which must be a `rule`.
    pub fn expect(&mut self, rule: Rule) -> Result<Pair<'i, Rule>, Shape> {
        match self.next() {
            Some(pair) if pair.as_rule() == rule => Ok(pair),
            Some(pair) => Err(Shape { span: shifted(span_of(&pair), self.base), expected: rule }),
            None => Err(Shape { span: self.parent(), expected: rule }),
        }
    }

    /// The next child if it is a `rule`.
    pub fn take(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.peek() == Some(rule) { self.next() } else { None }
    }

    /// The next child, whatever it is.
    pub fn any(&mut self, expected: Rule) -> Result<Pair<'i, Rule>, Shape> {
        self.next().ok_or_else(|| Shape { span: self.parent(), expected })
    }
}

#[cfg(test)]
mod tests {
    use pest::Parser as _;

    use super::*;
    use crate::syntax::parse::PolicyParser;

    /// The definition `span_of` implements: descend to the last child
    /// until there is none.
    fn by_descent(pair: &Pair<'_, Rule>) -> Span {
        let mut last = pair.clone();
        while let Some(child) = last.clone().into_inner().next_back() {
            last = child;
        }
        Span::new(pair.as_span().start(), last.as_span().end())
    }

    #[test]
    fn span_of_ends_at_the_innermost_last_descendant() {
        let text = "team \"A\" {\n  target handle_time <= 3m   # cap\n\n  training { cadence once }\n  promise thorough, quick\n}\n\
                    rule \"r\" { when (demand > 3/h and not agents is set) or channel in [phone, chat] message \"m\" }\n";
        let pairs = PolicyParser::parse(Rule::file, text).unwrap();
        let mut seen = 0;
        for pair in pairs.flatten() {
            assert_eq!(span_of(&pair), by_descent(&pair), "{:?}: {:?}", pair.as_rule(), pair.as_str());
            seen += 1;
        }
        assert!(seen > 40, "{seen}");
        // The trailing white space and comment are not the target's.
        let target = PolicyParser::parse(Rule::file, text).unwrap().flatten().find(|p| p.as_rule() == Rule::target);
        let target = target.unwrap();
        assert!(target.as_str().contains("# cap\n"), "{:?}", target.as_str());
        assert_eq!(span_of(&target), Span::new(13, 37));
    }
}
