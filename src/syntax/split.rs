//! Where items and statements start, found lexically, so that pest can read
//! each top-level item on its own (a syntax error in one does not hide the
//! others) and, inside a broken block, each statement on its own.
//!
//! Strings end on their line and comments at the line end, so a word at
//! the start of a line can be classified without a grammar: `team`, `rule`,
//! `defaults`, `norms`, `policy` and `chain` never start a line inside a
//! block, so one of them starts a new item wherever it stands (an unclosed
//! block ends there); `allow` starts one outside blocks. One pass, linear in
//! the text.

use std::ops::Range;

use super::scan;

/// Keywords that start a top-level item at the start of a line, whatever
/// the nesting.
const ITEM_KEYWORDS: &[&str] = &["team", "rule", "defaults", "norms", "policy", "chain"];

/// Keywords that start a statement in a `team` or `defaults` block.
pub(crate) const TEAM_STATEMENTS: &[&str] = &[
    "channel",
    "hours",
    "demand",
    "agents",
    "shrinkage",
    "concurrency",
    "service_level",
    "patience",
    "target",
    "promise",
    "authority",
    "drivers",
    "scripts",
    "emotional_load",
    "training",
    "hiring",
    "directive",
    "allow",
];

/// Keywords that start a statement in a `rule` block.
pub(crate) const RULE_STATEMENTS: &[&str] = &["severity", "when", "message", "help"];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// What starts a piece of a block: a statement keyword, or (in `norms`) any
/// word.
#[derive(Clone, Copy)]
pub(crate) enum Starts<'k> {
    /// One of these keywords.
    Keywords(&'k [&'k str]),
    /// Any word.
    AnyWord,
}

/// The offsets in `range` of `text` where a piece starts: a word at the
/// start of a line, at nesting depth 0 relative to `range`, accepted by
/// `starts` (for `top`, the item rules above). The first piece always starts
/// at `range.start`.
fn starts(text: &str, range: Range<usize>, top: bool, kind: Starts<'_>) -> Vec<usize> {
    starts_by::<true>(text, range, top, kind)
}

/// Bytes that can change the state past the first word of a line.
const MID_LINE: [bool; 256] = scan::table(b"\n\r#\"{}[]()");

/// [`starts`]; with `SKIP`, the rest of a line after its first word, and
/// the inside of strings, are passed over in a tight loop up to the next
/// byte that can change the state (the tests compare both).
fn starts_by<const SKIP: bool>(text: &str, range: Range<usize>, top: bool, starts: Starts<'_>) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = vec![range.start];
    let mut depth = 0usize;
    let mut line_start = true;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = range.start;
    while i < range.end {
        if SKIP && !escaped && (in_string || !line_start) {
            let table = if in_string { &scan::IN_STRING } else { &MID_LINE };
            i = scan::skip_to(bytes, i, range.end, table);
            if i >= range.end {
                break;
            }
        }
        let b = bytes.get(i).copied().unwrap_or(b'\n');
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                b'\n' | b'\r' => {
                    in_string = false;
                    line_start = true;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'\n' | b'\r' => line_start = true,
            b' ' | b'\t' => {}
            b'#' => {
                while i < range.end && !matches!(bytes.get(i), Some(b'\n' | b'\r')) {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                in_string = true;
                line_start = false;
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                line_start = false;
            }
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ if is_word_byte(b) => {
                let begin = i;
                while i < range.end && bytes.get(i).is_some_and(|&c| is_word_byte(c)) {
                    i += 1;
                }
                if line_start && begin > range.start {
                    let word = text.get(begin..i).unwrap_or_default();
                    let new = if top {
                        ITEM_KEYWORDS.contains(&word) || (depth == 0 && word == "allow")
                    } else {
                        depth == 0
                            && match starts {
                                Starts::Keywords(list) => list.contains(&word),
                                Starts::AnyWord => true,
                            }
                    };
                    if new {
                        out.push(begin);
                        if top {
                            depth = 0;
                        }
                    }
                }
                line_start = false;
                continue;
            }
            0xEF if i == 0 => {} // the first byte of a byte-order mark
            _ => line_start = false,
        }
        i += 1;
    }
    out
}

/// Ranges that partition `range` at the given starts.
fn pieces(range: Range<usize>, starts: Vec<usize>) -> Vec<Range<usize>> {
    let mut ends: Vec<usize> = starts.iter().skip(1).copied().collect();
    ends.push(range.end);
    starts.into_iter().zip(ends).map(|(s, e)| s..e).collect()
}

/// The top-level chunks of `text`: one per item (the first also holds what
/// comes before the first item).
pub(crate) fn items(text: &str) -> Vec<Range<usize>> {
    let range = 0..text.len();
    pieces(range.clone(), starts(text, range, true, Starts::AnyWord))
}

/// The statements of a block body (the text between its braces): one piece
/// per statement keyword at the start of a line (several statements on one
/// line stay in one piece).
pub(crate) fn statements(text: &str, body: Range<usize>, kind: Starts<'_>) -> Vec<Range<usize>> {
    pieces(body.clone(), starts(text, body, false, kind))
}

/// The `}` that closes the `{` at `open`, before `end`, skipping strings,
/// comments and nested brackets.
pub(crate) fn closing_brace(text: &str, open: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = open;
    while i < end {
        let b = *bytes.get(i)?;
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' | b'\n' | b'\r' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'#' => {
                    while i < end && !matches!(bytes.get(i), Some(b'\n' | b'\r')) {
                        i += 1;
                    }
                    continue;
                }
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Whether only white space stands between the start of its line and
/// `offset`, and a word starts there.
pub(crate) fn starts_line(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or_default();
    let line = before.rsplit(['\n', '\r']).next().unwrap_or(before);
    line.chars().all(|c| c == ' ' || c == '\t') && text.as_bytes().get(offset).is_some_and(|&b| is_word_byte(b))
}

/// Whether `text` holds only white space and comments.
pub(crate) fn is_trivia(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches(['\u{feff}', ' ', '\t', '\r']);
        line.is_empty() || line.starts_with('#')
    })
}

/// The first word of `text` (after white space and comments) with its
/// offset in `text`.
pub(crate) fn first_word(text: &str) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i).copied()? {
            b'#' => {
                while i < bytes.len() && !matches!(bytes.get(i), Some(b'\n' | b'\r')) {
                    i += 1;
                }
            }
            b if b.is_ascii_whitespace() => i += 1,
            0xEF if i == 0 && text.starts_with('\u{feff}') => i += '\u{feff}'.len_utf8(),
            b if is_word_byte(b) => {
                let end = bytes.iter().skip(i).position(|&c| !is_word_byte(c)).map_or(bytes.len(), |n| i + n);
                return Some((i, text.get(i..end)?));
            }
            _ => return None,
        }
    }
    None
}

/// The end of the last token of `text[range]`: trailing white space and
/// comments excluded.
pub(crate) fn content_end(text: &str, range: Range<usize>) -> usize {
    let slice = text.get(range.clone()).unwrap_or_default();
    let mut end = 0;
    let mut offset = 0;
    for line in slice.split_inclusive('\n') {
        let code = strip_comment(line);
        let trimmed = code.trim_end();
        if !trimmed.trim_start_matches('\u{feff}').is_empty() {
            end = offset + trimmed.len();
        }
        offset += line.len();
    }
    range.start + end
}

/// A line without its comment (a `#` outside a string).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            return line.get(..i).unwrap_or(line);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// Passing over the rest of a line and the inside of strings
        /// changes no start.
        #[test]
        fn skipping_changes_nothing(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "team", "rule", "allow", "channel", "target", " ", "\t", "\n", "\r", "#", "\"", "\\", "{", "}", "[",
                "]", "(", ")", "x", "é", "\u{feff}", "ab_1",
            ]), 0..80),
            top: bool,
            any_word: bool,
        ) {
            let text: String = parts.concat();
            let kind = if any_word { Starts::AnyWord } else { Starts::Keywords(TEAM_STATEMENTS) };
            let range = 0..text.len();
            proptest::prop_assert_eq!(
                starts(&text, range.clone(), top, kind),
                starts_by::<false>(&text, range, top, kind)
            );
        }
    }

    fn slices<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<&'t str> {
        ranges.iter().map(|r| text.get(r.clone()).unwrap_or_default().trim()).collect()
    }

    #[test]
    fn items_start_at_keywords_on_their_own_line() {
        let text = "# head\npolicy \"P\"\nteam \"A\" {\n  channel phone\n  allow K001 \"r\"\n}\nallow K002 \"r\"\nteam \"B\" { channel chat }\n";
        let items = items(text);
        assert_eq!(
            slices(text, &items),
            [
                "# head",
                "policy \"P\"",
                "team \"A\" {\n  channel phone\n  allow K001 \"r\"\n}",
                "allow K002 \"r\"",
                "team \"B\" { channel chat }"
            ]
        );
    }

    #[test]
    fn an_unclosed_block_ends_at_the_next_item() {
        let text = "team \"A\" {\n  channel phone\nteam \"B\" {\n  channel chat\n}\n";
        assert_eq!(slices(text, &items(text)), ["team \"A\" {\n  channel phone", "team \"B\" {\n  channel chat\n}"]);
    }

    #[test]
    fn strings_and_comments_hide_keywords() {
        let text = "team \"A\" {\n  drivers {\n    \"team\n  }\n}\n# team \"B\"\n";
        assert_eq!(items(text).len(), 1);
        assert_eq!(items("team \"team\" {}\nteam_lead x\n").len(), 1);
    }

    #[test]
    fn statements_split_at_keywords_on_their_own_line() {
        let text = "{\n  chanel phone\n  demand 600/h agents 4\n  authority {\n    refund up_to $50\n  }\n  target x <= 3m\n    weight 40%\n}";
        let close = closing_brace(text, 0, text.len()).unwrap();
        let pieces = statements(text, 1..close, Starts::Keywords(TEAM_STATEMENTS));
        assert_eq!(
            slices(text, &pieces),
            [
                "chanel phone",
                "demand 600/h agents 4",
                "authority {\n    refund up_to $50\n  }",
                "target x <= 3m\n    weight 40%"
            ]
        );
    }

    #[test]
    fn finds_the_closing_brace_past_strings_and_comments() {
        let text = "team \"}\" { # }\n drivers { \"{\" 1% } }";
        assert_eq!(closing_brace(text, 9, text.len()), Some(text.len() - 1));
        assert_eq!(closing_brace("{ {", 0, 3), None);
    }

    #[test]
    fn trivia_and_words() {
        assert!(is_trivia("  # x\n\n\t# y"));
        assert!(!is_trivia("# x\n }"));
        assert_eq!(first_word("# c\n  chanel phone"), Some((6, "chanel")));
        assert_eq!(first_word("  } x"), None);
        let text = "a b # c\n  # d\n";
        assert_eq!(content_end(text, 0..text.len()), 3);
    }
}
