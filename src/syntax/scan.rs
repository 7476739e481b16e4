//! One lexical pass over the text before pest sees it: bracket nesting
//! (bounded, so pest never recurses deeper than the limit), the size of
//! `rule` blocks (bounded, so an enormous expression costs no parsing time),
//! the first string that runs to the end of its line, and the innermost
//! unclosed `{`. Strings
//! cannot span lines and comments end at the line end, so all three are
//! exact without a grammar.

/// What the scan found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The first bracket nested deeper than the limit.
    pub too_deep: Option<usize>,
    /// The opening brace of a `rule` block larger than the limit.
    pub rule_too_large: Option<usize>,
    /// The opening quote and the end of the first unterminated string.
    pub unterminated: Option<(usize, usize)>,
    /// The innermost `{` never closed.
    pub unclosed_brace: Option<usize>,
    /// The first backslash in a string followed by something other than
    /// `"` or `\\`.
    pub bad_escape: Option<usize>,
}

pub(crate) fn scan(text: &str, max_depth: usize, max_rule_bytes: usize) -> Scan {
    scan_by::<true>(text, max_depth, max_rule_bytes)
}

/// Bytes that can change the scan's state outside strings and comments.
pub(crate) const SYNTAX: [bool; 256] = table(b"#\"{}[]()");
/// Bytes that can change the state inside a string.
pub(crate) const IN_STRING: [bool; 256] = table(b"\"\\\n\r");
/// Bytes that end a comment.
const LINE_END: [bool; 256] = table(b"\n\r");

/// A table of the bytes in `bytes`.
#[expect(clippy::indexing_slicing, reason = "a byte indexes 256 entries; `i` is below the length")]
pub(crate) const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// The first offset from `from` (at most `end`) whose byte is in `table`.
pub(crate) fn skip_to(bytes: &[u8], from: usize, end: usize, table: &[bool; 256]) -> usize {
    let end = end.min(bytes.len());
    bytes
        .get(from..end)
        .and_then(|rest| rest.iter().position(|&b| table.get(usize::from(b)).copied().unwrap_or(false)))
        .map_or(end, |at| from + at)
}

/// [`scan`]; with `SKIP`, runs of bytes that cannot change the state are
/// passed over in a tight loop (the tests compare both).
fn scan_by<const SKIP: bool>(text: &str, max_depth: usize, max_rule_bytes: usize) -> Scan {
    let mut result = Scan::default();
    // `rule` seen at top level, and the offset of its block's `{`.
    let mut word_start: Option<usize> = None;
    let mut rule_pending = false;
    let mut rule_block: Option<usize> = None;
    let mut depth = 0usize;
    let mut braces: Vec<usize> = Vec::new();
    let mut string_start: Option<usize> = None;
    let mut in_comment = false;
    let mut escaped = false;
    let bytes = text.as_bytes();
    let mut next = 0;
    while next < bytes.len() {
        // Bytes that change nothing, inside a block (words matter only at
        // the top level) that is not a `rule`'s (whose size is counted).
        if SKIP && rule_block.is_none() && word_start.is_none() {
            let table = if in_comment {
                Some(&LINE_END)
            } else if string_start.is_some() {
                (!escaped).then_some(&IN_STRING)
            } else {
                (depth > 0).then_some(&SYNTAX)
            };
            if let Some(table) = table {
                next = skip_to(bytes, next, bytes.len(), table);
            }
        }
        let offset = next;
        let Some(&byte) = bytes.get(offset) else { break };
        next += 1;
        if let Some(start) = rule_block
            && offset - start > max_rule_bytes
        {
            result.rule_too_large = Some(start);
            return result;
        }
        let is_word = byte.is_ascii_alphanumeric() || byte == b'_';
        if in_comment || string_start.is_some() || !is_word {
            if let Some(start) = word_start.take() {
                rule_pending |= depth == 0 && text.get(start..offset) == Some("rule");
            }
        } else if word_start.is_none() {
            word_start = Some(offset);
        }
        if in_comment {
            // A comment ends at `\n` or at `\r`: a lone `\r` ends a line.
            in_comment = byte != b'\n' && byte != b'\r';
        } else if let Some(start) = string_start {
            match byte {
                // A backslash cannot carry a string onto the next line.
                _ if escaped && byte != b'\n' && byte != b'\r' => {
                    if byte != b'"' && byte != b'\\' {
                        result.bad_escape.get_or_insert(offset - 1);
                    }
                    escaped = false;
                }
                b'\\' => escaped = true,
                b'"' => string_start = None,
                b'\n' | b'\r' => {
                    escaped = false;
                    result.unterminated.get_or_insert((start, offset));
                    string_start = None;
                }
                _ => {}
            }
        } else {
            match byte {
                b'#' => in_comment = true,
                b'"' => string_start = Some(offset),
                b'{' | b'[' | b'(' => {
                    depth += 1;
                    if depth > max_depth {
                        result.too_deep = Some(offset);
                        return result;
                    }
                    if byte == b'{' {
                        braces.push(offset);
                        if depth == 1 && rule_pending {
                            rule_block = Some(offset);
                            rule_pending = false;
                        }
                    }
                }
                b'}' | b']' | b')' => {
                    depth = depth.saturating_sub(1);
                    if byte == b'}' {
                        braces.pop();
                    }
                    if depth == 0 {
                        rule_block = None;
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(start) = string_start {
        result.unterminated.get_or_insert((start, text.len()));
    }
    result.unclosed_brace = braces.pop();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_pest_would_find_slowly() {
        let s = scan("team \"a {\n # \"not a string\n x { ( } ", 8, 100);
        assert_eq!(s.unterminated, Some((5, 9)));
        assert_eq!(s.unclosed_brace, None);
        assert_eq!(scan("a { \"}\" ", 8, 100).unclosed_brace, Some(2));
        assert_eq!(scan("((((", 3, 100).too_deep, Some(3));
        assert_eq!(scan("\"ab\\\"c\"", 3, 100), Scan::default());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

        /// Passing over the bytes that change nothing changes no result.
        #[test]
        fn skipping_changes_nothing(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "rule", "rule ", "team", " ", "\n", "\r", "#", "\"", "\\", "{", "}", "[", "]", "(", ")", "x", "é", "ab_1",
            ]), 0..80),
            depth in 1usize..6,
            rule_bytes in 1usize..40,
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(scan(&text, depth, rule_bytes), scan_by::<false>(&text, depth, rule_bytes));
        }
    }

    #[test]
    fn bounds_rule_blocks_only() {
        let big = format!("rule \"r\" {{ when {} }}", "a or ".repeat(40));
        assert_eq!(scan(&big, 8, 100).rule_too_large, Some(9));
        assert_eq!(scan(&format!("team \"t\" {{ {} }}", "x ".repeat(100)), 8, 100).rule_too_large, None);
        assert_eq!(scan(&format!("# rule\nteam \"rule\" {{ {} }}", "x ".repeat(100)), 8, 100).rule_too_large, None);
    }
}
