//! A forgiving lexer for the editor features. It reads any text, however
//! broken (an unterminated string ends at its line, an unknown character is
//! a token of its own), in one linear pass, so completion and the outline
//! work while the author is in the middle of typing. It knows tokens only;
//! what they mean is `context.rs`'s job.

use crate::Span;

/// What kind of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// An identifier, a kebab-case rule name or a dotted path:
    /// `[A-Za-z_][A-Za-z0-9_.-]*`.
    Word,
    /// A double-quoted string; `closed` is false when the line ended first.
    Str { closed: bool },
    /// A value: anything starting with a digit or a currency sign (`80%`,
    /// `4.5min`, `$50`, `08:00-20:00`).
    Value,
    /// `{`
    Open,
    /// `}`
    Close,
    /// `,`
    Comma,
    /// `:`
    Colon,
    /// `(` or `[`.
    OpenGroup,
    /// `)` or `]`.
    CloseGroup,
    /// `<`, `<=`, `>`, `>=`, `=`, `==`, `!=`.
    Op,
    /// Any other character.
    Other,
}

/// One token with its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// What it is.
    pub kind: Tok,
    /// Where.
    pub span: Span,
}

impl Token {
    /// Its text in `text`.
    pub fn text(self, text: &str) -> &str {
        text.get(self.span.range()).unwrap_or_default()
    }
}

/// Whether `c` continues a word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Whether `c` ends a value.
fn ends_value(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '"')
}

/// The tokens of `text`, comments left out.
pub(crate) fn lex(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let kind = match c {
            c if c.is_whitespace() || c == '\u{feff}' => continue,
            '#' => {
                // To the end of the line; a lone CR ends it too, as the
                // formatter reads it.
                while chars.next_if(|&(_, c)| c != '\n' && c != '\r').is_some() {}
                continue;
            }
            '"' => {
                let mut closed = false;
                while let Some((i, c)) = chars.next_if(|&(_, c)| c != '\n' && c != '\r') {
                    end = i + c.len_utf8();
                    match c {
                        '\\' => {
                            if let Some((j, e)) = chars.next_if(|&(_, c)| c != '\n' && c != '\r') {
                                end = j + e.len_utf8();
                            }
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                Tok::Str { closed }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while let Some((i, c)) = chars.next_if(|&(_, c)| is_word_char(c)) {
                    end = i + c.len_utf8();
                }
                Tok::Word
            }
            c if c.is_ascii_digit() || matches!(c, '$' | '€' | '£' | '-') => {
                while let Some((i, c)) = chars.next_if(|&(_, c)| !ends_value(c)) {
                    end = i + c.len_utf8();
                }
                Tok::Value
            }
            '{' => Tok::Open,
            '}' => Tok::Close,
            ',' => Tok::Comma,
            ':' => Tok::Colon,
            '(' | '[' => Tok::OpenGroup,
            ')' | ']' => Tok::CloseGroup,
            '<' | '>' | '=' | '!' => {
                if let Some((i, _)) = chars.next_if(|&(_, c)| c == '=') {
                    end = i + 1;
                }
                Tok::Op
            }
            _ => Tok::Other,
        };
        tokens.push(Token { kind, span: Span::new(start, end) });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Tok, &str)> {
        lex(text).into_iter().map(|t| (t.kind, t.text(text))).collect()
    }

    #[test]
    fn reads_words_values_strings_and_punctuation() {
        let text = "team \"A \\\" b\" { # note\n  target handle_time <= 3m, x.y-z\n  hours 08:00-20:00 }";
        assert_eq!(
            kinds(text),
            vec![
                (Tok::Word, "team"),
                (Tok::Str { closed: true }, "\"A \\\" b\""),
                (Tok::Open, "{"),
                (Tok::Word, "target"),
                (Tok::Word, "handle_time"),
                (Tok::Op, "<="),
                (Tok::Value, "3m"),
                (Tok::Comma, ","),
                (Tok::Word, "x.y-z"),
                (Tok::Word, "hours"),
                (Tok::Value, "08:00-20:00"),
                (Tok::Close, "}"),
            ]
        );
    }

    #[test]
    fn an_unterminated_string_ends_at_its_line_and_odd_characters_are_tokens() {
        let text = "team \"Zürich 🇨🇭\nchannel phone ¿";
        assert_eq!(
            kinds(text),
            vec![
                (Tok::Word, "team"),
                (Tok::Str { closed: false }, "\"Zürich 🇨🇭"),
                (Tok::Word, "channel"),
                (Tok::Word, "phone"),
                (Tok::Other, "¿"),
            ]
        );
    }
}
