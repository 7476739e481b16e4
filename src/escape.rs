//! Makes user text safe to print: every character a terminal or a CI log
//! would act on instead of showing is written as a visible escape.
//!
//! Team, driver and rule names, messages, paths and the policy text itself
//! come from pull requests. Printed raw, an ESC or a C1 control starts a
//! terminal escape sequence (colours, cursor moves, window titles, links), a
//! bidi override reorders what the reader sees, and a newline followed by
//! `::error` is a workflow command in a GitHub Actions log. Every text
//! format and the CLI pass user text through [`visible`]; the human format
//! shows source lines through [`Shown`], which keeps their line structure.
//! The escape is Rust's: `\u{1b}`, and `\n`, `\r`, `\t` for the three
//! common ones (as `char::escape_default` writes them). No IO. This is
//! the one place that decides what is escaped and how.

use std::borrow::Cow;

/// Whether `c` must not be shown raw: C0 and C1 control characters (tab,
/// line ends and DEL included), the line and paragraph separators, the
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

/// Writes the visible escape of `c` (one of [`is_hidden`]), for formats
/// that escape text their own way otherwise (XML).
pub fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `text` safe in XML and HTML (the JUnit report, the HTML page and its
/// SVG charts), in character data and in quoted attribute values: markup
/// characters as entities, characters XML 1.0 forbids or that hide text
/// ([`is_hidden`]: control characters, noncharacters, bidirectional
/// controls) as `\u{XX}`. The apostrophe is `&#39;`, which XML and every
/// HTML read alike.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_hidden(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Whether the `:` at byte `at` of `text` starts a `::` at the start of a
/// word: GitHub Actions runs a log line as a workflow command when it starts
/// with `::` after white space, and a wrapped message can start a line with
/// any word of it.
fn starts_command(text: &str, at: usize) -> bool {
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    text.get(at..).is_some_and(|t| t.starts_with("::")) && before.is_none_or(char::is_whitespace)
}

/// `text` with every [`is_hidden`] character escaped (`\u{1b}`, `\n`), and
/// the first `:` of a `::` at the start of a word written `\u{3a}`, so no
/// line of output can start a workflow command. Borrowed when nothing
/// needed escaping, which is almost always.
pub fn visible(text: &str) -> Cow<'_, str> {
    let needs = |(at, c): (usize, char)| is_hidden(c) || (c == ':' && starts_command(text, at));
    let Some(first) = text.char_indices().find(|&ic| needs(ic)).map(|(at, _)| at) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(text.get(..first).unwrap_or_default());
    for (at, c) in text.char_indices().skip_while(|&(at, _)| at < first) {
        if needs((at, c)) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters of a name (a team's, a custom rule's) shown in text output.
pub const MAX_NAME: usize = 120;

/// Characters of a message, a help or a label shown in text output. Policy
/// text quoted in a message (a driver's name, say) is long only in hostile
/// files, where it would be repeated in every finding.
pub const MAX_TEXT: usize = 1_000;

/// [`visible`] of the first `max` characters of `text`, with `...` when
/// something was cut.
pub fn shortened(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((cut, _)) => Cow::Owned(format!("{}...", visible(text.get(..cut).unwrap_or_default()))),
        None => visible(text),
    }
}

/// A source text as a terminal may show it: hidden characters escaped as in
/// [`visible`], except tabs and line ends, which keep their meaning; a lone
/// carriage return (a line end) becomes a newline, as miette would print it
/// raw. Offsets of the original text map to the shown one and back.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The text to print.
    pub text: String,
    /// For every escaped character: the offset just after it in the
    /// original text and in `text`. Sorted; empty when only lone carriage
    /// returns changed, which keeps every offset.
    ends: Vec<(usize, usize)>,
}

impl Shown {
    /// The shown form of `text`, or `None` when it can be printed as it is.
    pub fn of(text: &str) -> Option<Shown> {
        let bytes = text.as_bytes();
        let lone_cr = |at: usize| bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) != Some(&b'\n');
        // Tabs, line ends and a leading byte-order mark keep their meaning.
        let kept = |at: usize, c: char| matches!(c, '\t' | '\n' | '\r') || (at == 0 && c == '\u{feff}');
        let changed = |(at, c): (usize, char)| (is_hidden(c) && !kept(at, c)) || lone_cr(at);
        let first = text.char_indices().find(|&ic| changed(ic))?.0;
        let mut shown = String::with_capacity(text.len() + 16);
        shown.push_str(text.get(..first).unwrap_or_default());
        let mut ends = Vec::new();
        for (at, c) in text.char_indices().skip_while(|&(at, _)| at < first) {
            match c {
                '\r' if lone_cr(at) => shown.push('\n'),
                _ if kept(at, c) => shown.push(c),
                _ if is_hidden(c) => {
                    push_escape(&mut shown, c);
                    ends.push((at + c.len_utf8(), shown.len()));
                }
                _ => shown.push(c),
            }
        }
        Some(Shown { text: shown, ends })
    }

    /// The offset in the shown text of `offset` (a character boundary) of
    /// the original: the start of its escape when it is an escaped
    /// character.
    pub fn to_shown(&self, offset: usize) -> usize {
        match self.ends.partition_point(|&(original, _)| original <= offset).checked_sub(1) {
            Some(k) => self.ends.get(k).map_or(offset, |&(original, shown)| offset - original + shown),
            None => offset,
        }
    }

    /// The offset in the original `text` of `offset` in the shown text; an
    /// offset inside an escape maps to the escaped character.
    pub fn to_original(&self, text: &str, offset: usize) -> usize {
        let k = self.ends.partition_point(|&(_, shown)| shown <= offset);
        let mut original = match k.checked_sub(1).and_then(|k| self.ends.get(k)) {
            Some(&(original, shown)) => offset - shown + original,
            None => offset,
        };
        // Inside the next escape: that character, not what follows it.
        if let Some(&(next_end, _)) = self.ends.get(k) {
            original = original.min(next_end.saturating_sub(1));
        }
        original = original.min(text.len());
        while !text.is_char_boundary(original) {
            original -= 1;
        }
        original
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_escapes_controls_c1_and_bidi() {
        assert_eq!(visible("Care"), Cow::Borrowed("Care"));
        assert_eq!(visible("a\x1b[31mb\x07"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(visible("x\u{9b}y\u{85}"), "x\\u{9b}y\\u{85}");
        assert_eq!(visible("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(visible("\u{2066}a\u{2069}"), "\\u{2066}a\\u{2069}");
        assert_eq!(visible("a\nb\r\tc\x7f"), "a\\nb\\r\\tc\\u{7f}");
        assert_eq!(visible("café ☕ Équipe ünï 東京 🙂"), "café ☕ Équipe ünï 東京 🙂");
        assert_eq!(
            visible("a\u{200b}b\u{feff}\u{ffff}\u{1fffe}\u{fdd0}\u{2028}"),
            "a\\u{200b}b\\u{feff}\\u{ffff}\\u{1fffe}\\u{fdd0}\\u{2028}"
        );
    }

    #[test]
    fn visible_breaks_workflow_commands_at_the_start_of_a_word() {
        assert_eq!(visible("::error file=a::b"), "\\u{3a}:error file=a::b");
        assert_eq!(visible("x \u{2003}::warning::y"), "x \u{2003}\\u{3a}:warning::y");
        assert_eq!(visible("Ops::EMEA and a: b"), "Ops::EMEA and a: b");
    }

    #[test]
    fn shortened_cuts_before_escaping() {
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("ab\x1bcd", 3), "ab\\u{1b}...");
        assert_eq!(shortened("ééé", 2), "éé...");
    }

    #[test]
    fn shown_keeps_line_structure_and_maps_offsets() {
        assert!(Shown::of("\u{feff}team \"A\" {\r\n\tchannel phone\n}").is_none());
        let text = "a\x1bb\r\n\u{9b}c\rd";
        let shown = Shown::of(text).unwrap();
        assert_eq!(shown.text, "a\\u{1b}b\r\n\\u{9b}c\nd");
        let b = text.find('b').unwrap();
        assert_eq!(shown.to_shown(1), 1);
        assert_eq!(shown.to_shown(b), shown.text.find("b\r").unwrap());
        let c = text.find('c').unwrap();
        assert_eq!(shown.to_shown(c), shown.text.find('c').unwrap());
        assert_eq!(shown.to_shown(text.len()), shown.text.len());
        for at in [0, 1, b, c, text.len()] {
            assert_eq!(shown.to_original(text, shown.to_shown(at)), at);
        }
        // Inside `\u{1b}`: the escaped character.
        assert_eq!(shown.to_original(text, 3), 1);
        assert_eq!(Shown::of("a\rb").unwrap().text, "a\nb");
    }
}
