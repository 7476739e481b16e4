//! The formatter: one canonical layout for a policy file. It changes white
//! space and where comments sit on their lines, never a token, so the
//! formatted file means what the original meant. No IO.
//!
//! The style (docs/language.md, "Formatting", is the reference):
//!
//! - two spaces per block level; one statement per line; `{` ends the line
//!   of its statement and `}` stands on a line of its own (an empty block
//!   is written `{}`);
//! - a blank line between a top-level block and the item before it; the
//!   one-line items (`policy`, `chain`, `allow`) keep the author's grouping;
//!   elsewhere blank lines are kept, at most one in a row, but never at the
//!   start or end of a block;
//! - one space between tokens, none before `,`, `:`, `)` and `]`, none after
//!   `(` and `[`, none around the `-` of `hours 08:00-20:00`; values are
//!   kept as written (`4.5min` stays `4.5min`, `$50` stays `$50`), except
//!   that `120  USD` gets a single space;
//! - `authority` blocks in two columns (action, then the rest) and `drivers`
//!   blocks in three (name, share, then the rest);
//! - comments stay where they are: an own-line comment before the
//!   statement it precedes, indented like it; an end-of-line comment after
//!   the token it follows, the comments of consecutive lines in one column.
//!   A statement written over several lines is joined into one, except
//!   where a comment sits inside it: there it continues on the next line,
//!   indented one level more;
//! - a byte-order mark is kept; line ends are `\r\n` when every line of the
//!   original ended so, `\n` otherwise.

mod layout;
mod tokens;

use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::syntax::{self, Limits};
use crate::{Source, Span};

use layout::Builder;
use tokens::{Kind, Marks};

const BOM: char = '\u{feff}';

/// `source` in the canonical layout, or the diagnostics that stop it from
/// being formatted: syntax errors (E001) and exceeded limits (E008). Other
/// front-end problems (an unknown metric, a duplicate) do not stop it;
/// the file is laid out as written.
///
/// ```
/// let source = supportlint::Source::new("care.policy", "team \"Care\"{channel phone\n  promise thorough,follow_up}");
/// let formatted = supportlint::format(&source).unwrap();
/// assert_eq!(formatted, "team \"Care\" {\n  channel phone\n  promise thorough, follow_up\n}\n");
/// ```
pub fn format(source: &Source) -> Result<String, Vec<Diagnostic>> {
    format_with_limits(source, &Limits::default())
}

/// [`format()`] with the given input limits.
pub fn format_with_limits(source: &Source, limits: &Limits) -> Result<String, Vec<Diagnostic>> {
    let parsed = syntax::parse(source, limits);
    let refused = |d: &Diagnostic| d.code == ErrorCode::SyntaxError.code() || d.code == ErrorCode::LimitExceeded.code();
    let file = match parsed.file {
        Some(file) if !parsed.diagnostics.iter().any(refused) => file,
        _ if parsed.diagnostics.is_empty() => return Err(vec![internal(Span::point(0))]),
        _ => return Err(parsed.diagnostics),
    };
    let text = source.text();
    let marks = Marks::of(&file);
    let elements = tokens::lex(text, &marks);
    if let Some(stray) = outside_items(&elements, &marks.items) {
        return Err(vec![internal(stray)]);
    }
    let mut builder = Builder::new(text);
    for element in elements {
        builder.push(element);
    }
    let prefix = if text.starts_with(BOM) { "\u{feff}" } else { "" };
    let formatted = builder.finish(line_end(text), prefix);
    if let Some(at) = first_change(text, &formatted) {
        return Err(vec![internal(Span::new(at, at + 1))]);
    }
    Ok(formatted)
}

/// `\r\n` when every line end of `text` is one, else `\n`. A lone `\r` is a
/// line end too, and makes the file's line ends mixed.
fn line_end(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    let (mut lf, mut crlf, mut lone_cr) = (0usize, 0usize, 0usize);
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'\n' => lf += 1,
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => crlf += 1,
            b'\r' => lone_cr += 1,
            _ => {}
        }
    }
    if crlf > 0 && crlf == lf && lone_cr == 0 { "\r\n" } else { "\n" }
}

/// A token that the parser did not read as part of any item: the lexer and
/// the grammar disagree about where a comment or a string ends.
fn outside_items(elements: &[tokens::Element], items: &[Span]) -> Option<Span> {
    let mut items = items.iter().peekable();
    for element in elements.iter().filter(|e| e.kind != Kind::Comment) {
        while items.next_if(|item| item.end <= element.start).is_some() {}
        match items.peek() {
            Some(item) if item.start <= element.start && element.end <= item.end => {}
            _ => return Some(element.span()),
        }
    }
    None
}

/// A piece of a text that the layout must keep: code with the white space
/// taken out (strings whole), or a comment without trailing white space.
enum Piece<'t> {
    Code(&'t str),
    Comment(&'t str),
}

/// Calls `f` with every piece of `text` and its offset, in order.
fn pieces<'t>(text: &'t str, mut f: impl FnMut(Piece<'t>, usize) -> bool) {
    let bytes = text.as_bytes();
    let mut at = if text.starts_with(BOM) { BOM.len_utf8() } else { 0 };
    while let Some(&byte) = bytes.get(at) {
        let (end, piece) = match byte {
            b' ' | b'\t' | b'\r' | b'\n' => {
                at += 1;
                continue;
            }
            b'#' => {
                let end = tokens::comment_end(bytes, at);
                (end, Piece::Comment(text.get(at..end).unwrap_or_default().trim_end_matches([' ', '\t'])))
            }
            b'"' => {
                let end = tokens::string_end(bytes, at);
                (end, Piece::Code(text.get(at..end).unwrap_or_default()))
            }
            _ => {
                let len =
                    bytes.get(at..).map_or(1, |rest| rest.iter().take_while(|b| !b" \t\r\n#\"".contains(b)).count());
                (at + len, Piece::Code(text.get(at..at + len).unwrap_or_default()))
            }
        };
        if !f(piece, at) {
            return;
        }
        at = end;
    }
}

/// The code (white space removed) and the comments of `text`.
fn significant(text: &str) -> (String, Vec<&str>) {
    let mut code = String::with_capacity(text.len());
    let mut comments = Vec::new();
    pieces(text, |piece, _| {
        match piece {
            Piece::Code(c) => code.push_str(c),
            Piece::Comment(c) => comments.push(c),
        }
        true
    });
    (code, comments)
}

/// Where in `original` the first token or comment is that `formatted` does
/// not keep, if any. The layout only moves tokens and comments; this check
/// makes sure of it before a file is rewritten.
fn first_change(original: &str, formatted: &str) -> Option<usize> {
    let (code, comments) = significant(original);
    let (new_code, new_comments) = significant(formatted);
    if code == new_code && comments == new_comments {
        return None;
    }
    // Find the piece of the original where the two part.
    let code_at =
        code.bytes().zip(new_code.bytes()).position(|(a, b)| a != b).unwrap_or(code.len().min(new_code.len()));
    let comment_at =
        comments.iter().zip(&new_comments).position(|(a, b)| a != b).unwrap_or(comments.len().min(new_comments.len()));
    let (mut code_seen, mut comments_seen, mut found) = (0usize, 0usize, 0usize);
    pieces(original, |piece, at| {
        found = at;
        match piece {
            Piece::Code(c) => {
                code_seen += c.len();
                code_seen <= code_at
            }
            Piece::Comment(_) => {
                comments_seen += 1;
                comments_seen <= comment_at
            }
        }
    });
    Some(found)
}

fn internal(span: Span) -> Diagnostic {
    Diagnostic::error(ErrorCode::SyntaxError, "internal error: the formatter could not lay this file out safely")
        .primary(span, "read differently here")
        .help("this is a bug in supportlint; please report it with this file (the file is left as it is)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format(&Source::new("t.policy", text)) {
            Ok(out) => out,
            Err(d) => panic!("{d:#?}"),
        }
    }

    #[test]
    fn crlf_is_kept_only_when_consistent() {
        assert_eq!(line_end("a\r\nb\r\n"), "\r\n");
        assert_eq!(line_end("a\r\nb\n"), "\n");
        assert_eq!(line_end("a\r\nb\rc\r\n"), "\n");
        assert_eq!(line_end("a"), "\n");
        assert_eq!(fmt("team \"A\" {\r\n channel phone }\r\n"), "team \"A\" {\r\n  channel phone\r\n}\r\n");
    }

    #[test]
    fn the_check_finds_a_lost_token_or_comment() {
        let original = "team \"A\" { # one\n channel phone # two\n}\n";
        assert_eq!(first_change(original, "team \"A\" {  # one\n  channel phone  # two\n}\n"), None);
        assert_eq!(first_change(original, "team \"A\" {  # one\n  channel  # two\n}\n"), original.find("phone"));
        assert_eq!(first_change(original, "team \"A\" {  # one\n  channel phone\n}\n"), original.find("# two"));
        assert_eq!(first_change(original, "team \"A\" {  # one\n  channel phone  # two\n}\n}\n"), original.rfind('}'));
    }

    #[test]
    fn a_token_outside_every_item_is_refused() {
        let elements =
            [tokens::Element { kind: Kind::Word, start: 10, end: 12, breaks: 0, start_of: tokens::Start::None }];
        assert_eq!(outside_items(&elements, &[Span::new(0, 9)]), Some(Span::new(10, 12)));
        assert_eq!(outside_items(&elements, &[Span::new(0, 9), Span::new(10, 20)]), None);
    }
}
