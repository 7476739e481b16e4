//! Makes user text safe to show: control characters (and the invisible
//! characters that reorder or break lines) become visible escapes such as
//! `\u{1b}`. Team names, strings and paths come from pull requests; raw,
//! an escape sequence would drive the reader's terminal, a bidirectional
//! override would make a line read differently from what it says, and
//! characters XML 1.0 forbids would make a report unreadable.

use std::borrow::Cow;

/// Whether `c` must not be shown raw: C0 and C1 control characters (tab,
/// newline and DEL included), the line and paragraph separators, the
/// bidirectional marks, embeddings, overrides and isolates, the zero-width
/// characters (which make two names look alike) and the noncharacters
/// (`U+FFFF` and its kind, which XML forbids or discourages).
pub fn is_hidden(c: char) -> bool {
    let code = u32::from(c);
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}')
        || c == '\u{feff}'
        || (0xfdd0..=0xfdef).contains(&code)
        || code & 0xfffe == 0xfffe
}

/// `text` with every character [`is_hidden`] selects written as `\u{XX}`
/// (hexadecimal, lowercase), everything else unchanged. Borrows when there
/// is nothing to escape.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidirectional_characters_become_escapes() {
        assert_eq!(visible("Care"), Cow::Borrowed("Care"));
        assert_eq!(visible("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(visible("tab\there\nand\r\u{7f}\u{85}"), "tab\\u{9}here\\u{a}and\\u{d}\\u{7f}\\u{85}");
        assert_eq!(visible("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
        assert_eq!(
            visible("a\u{200b}b\u{feff}\u{ffff}\u{1fffe}\u{fdd0}"),
            "a\\u{200b}b\\u{feff}\\u{ffff}\\u{1fffe}\\u{fdd0}"
        );
        assert_eq!(visible("Équipe ünï 東京 🙂"), "Équipe ünï 東京 🙂");
    }
}
