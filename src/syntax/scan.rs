//! One lexical pass over the text before pest sees it: bracket nesting
//! (bounded, so pest never recurses deeper than the limit), the first string
//! that runs to the end of its line, and the innermost unclosed `{`. Strings
//! cannot span lines and comments end at the line end, so all three are
//! exact without a grammar.

/// What the scan found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The first bracket nested deeper than the limit.
    pub too_deep: Option<usize>,
    /// The opening quote and the end of the first unterminated string.
    pub unterminated: Option<(usize, usize)>,
    /// The innermost `{` never closed.
    pub unclosed_brace: Option<usize>,
}

pub(crate) fn scan(text: &str, max_depth: usize) -> Scan {
    let mut result = Scan::default();
    let mut depth = 0usize;
    let mut braces: Vec<usize> = Vec::new();
    let mut string_start: Option<usize> = None;
    let mut in_comment = false;
    let mut escaped = false;
    for (offset, byte) in text.bytes().enumerate() {
        if in_comment {
            in_comment = byte != b'\n';
        } else if let Some(start) = string_start {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => string_start = None,
                b'\n' | b'\r' => {
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
                    }
                }
                b'}' | b']' | b')' => {
                    depth = depth.saturating_sub(1);
                    if byte == b'}' {
                        braces.pop();
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
        let s = scan("team \"a {\n # \"not a string\n x { ( } ", 8);
        assert_eq!(s.unterminated, Some((5, 9)));
        assert_eq!(s.unclosed_brace, None);
        assert_eq!(scan("a { \"}\" ", 8).unclosed_brace, Some(2));
        assert_eq!(scan("((((", 3).too_deep, Some(3));
        assert_eq!(scan("\"ab\\\"c\"", 3), Scan::default());
    }
}
