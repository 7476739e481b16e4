//! The top-level items of a file, read from its tokens: what the document
//! outline shows and where "go to definition" finds a rule. It works on a
//! file that does not parse: a block left open ends where the next block
//! keyword starts a line.

use super::lex::{Tok, Token};
use crate::Span;

/// What a top-level item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// `policy "Name"`.
    Policy,
    /// `chain a > b`.
    Chain,
    /// `norms { ... }`.
    Norms,
    /// `defaults { ... }`.
    Defaults,
    /// `team "Name" { ... }`.
    Team,
    /// `rule "name" { ... }`.
    Rule,
    /// `allow rule "reason"`.
    Allow,
}

impl ItemKind {
    fn of(keyword: &str) -> Option<ItemKind> {
        Some(match keyword {
            "policy" => ItemKind::Policy,
            "chain" => ItemKind::Chain,
            "norms" => ItemKind::Norms,
            "defaults" => ItemKind::Defaults,
            "team" => ItemKind::Team,
            "rule" => ItemKind::Rule,
            "allow" => ItemKind::Allow,
            _ => return None,
        })
    }

    /// Whether the item is a block that can be left open by mistake.
    fn is_block(self) -> bool {
        matches!(self, ItemKind::Norms | ItemKind::Defaults | ItemKind::Team | ItemKind::Rule)
    }
}

/// One top-level item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Its keyword.
    pub keyword: Span,
    /// The quoted name after the keyword, unescaped, and where it is
    /// (quotes included).
    pub name: Option<(String, Span)>,
    /// The whole item.
    pub span: Span,
}

/// The value of a string token: quotes removed, `\"` and `\\` resolved.
pub(crate) fn unquote(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Whether `offset` starts a line (nothing at all before it on the line).
fn at_column_zero(text: &str, offset: usize) -> bool {
    offset == 0 || text.get(..offset).is_some_and(|t| t.ends_with(['\n', '\r']))
}

/// The top-level items of `text`, whose tokens are `tokens`, in order.
pub(crate) fn outline(text: &str, tokens: &[Token]) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut open: Option<Item> = None;
    let mut depth = 0usize;
    let mut last_end = 0u32;
    for (i, token) in tokens.iter().enumerate() {
        let word = token.text(text);
        let kind = (token.kind == Tok::Word).then(|| ItemKind::of(word)).flatten();
        let restart = kind.is_some_and(|k| {
            depth == 0 || (k.is_block() && k != ItemKind::Allow && at_column_zero(text, token.span.start as usize))
        });
        if let Some(kind) = kind.filter(|_| restart) {
            if let Some(mut item) = open.take() {
                item.span.end = last_end;
                items.push(item);
            }
            depth = 0;
            let name = tokens
                .get(i + 1)
                .filter(|t| {
                    matches!(t.kind, Tok::Str { .. })
                        && matches!(kind, ItemKind::Team | ItemKind::Rule | ItemKind::Policy)
                })
                .map(|t| (unquote(t.text(text)), t.span));
            open = Some(Item { kind, keyword: token.span, name, span: token.span });
        }
        match token.kind {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        last_end = token.span.end;
    }
    if let Some(mut item) = open.take() {
        item.span.end = last_end;
        items.push(item);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    #[test]
    fn items_with_names_and_extents() {
        let text = "policy \"P\"\nnorms { max_occupancy 80% }\nteam \"A \\\"x\\\"\" {\n  authority { refund allowed }\n}\nrule \"r\" { severity info }\nallow K001 \"why\"\n";
        let items = outline(text, &lex(text));
        let kinds: Vec<ItemKind> = items.iter().map(|i| i.kind).collect();
        use ItemKind::*;
        assert_eq!(kinds, vec![Policy, Norms, Team, Rule, Allow]);
        let team = &items[2];
        assert_eq!(team.name.as_ref().unwrap().0, "A \"x\"");
        assert_eq!(&text[team.span.range()], "team \"A \\\"x\\\"\" {\n  authority { refund allowed }\n}");
        assert_eq!(&text[items[4].span.range()], "allow K001 \"why\"");
    }

    #[test]
    fn a_block_left_open_ends_at_the_next_block_keyword_on_a_new_line() {
        let text = "team \"A\" {\n  channel phone\n\nteam \"B\" {\n}\n";
        let items = outline(text, &lex(text));
        assert_eq!(items.len(), 2);
        assert_eq!(&text[items[0].span.range()], "team \"A\" {\n  channel phone");
        assert_eq!(items[1].name.as_ref().unwrap().0, "B");
    }
}
