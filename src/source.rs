//! One policy (or configuration) text with its name and a line index.
//!
//! The line index makes line/column lookups a binary search instead of a scan,
//! which keeps rendering thousands of diagnostics on a large file fast. The
//! [`miette::SourceCode`] implementation returns only the lines around a label
//! and reports how many lines it returned, so miette never merges two labels
//! that are far apart into one snippet that prints everything in between.

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::Span;

/// A source text, its display name, and the byte offset of every line start.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    line_starts: Arc<[u32]>,
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Why bytes could not become a [`Source`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// Offset of the first byte that is not valid UTF-8.
    pub offset: usize,
    /// That byte.
    pub byte: u8,
}

const BOM: char = '\u{feff}';

impl Source {
    /// A source named `name` (usually its path) holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        let text: String = text.into();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Source { name: Arc::from(name.into()), text: Arc::from(text), line_starts: Arc::from(line_starts) }
    }

    /// A source from raw bytes; fails with the position of the first byte
    /// that is not UTF-8 (policy files must be UTF-8 text).
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Source, (Source, NotUtf8)> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source::new(name, text)),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let byte = bytes.get(offset).copied().unwrap_or(0);
                // Keep the valid prefix so the diagnostic can show where it broke.
                // The lossy text keeps every offset up to the first bad byte,
                // which becomes U+FFFD, so a label can point at it.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                Err((Source::new(name, text), NotUtf8 { offset, byte }))
            }
        }
    }

    /// The display name, usually the path as the user gave it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text under `span`, or `""` if the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }

    /// Number of lines (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based index of the line that holds byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1)
    }

    fn line_start(&self, index: usize) -> usize {
        self.line_starts.get(index).map_or(self.text.len(), |&s| s as usize)
    }

    /// Byte offset just past line `index`, including its `\n`.
    fn line_end(&self, index: usize) -> usize {
        self.line_start(index + 1)
    }

    /// The 1-based line and column of byte `offset`. A leading byte-order
    /// mark is not counted as a column.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let index = self.line_index(offset);
        let start = self.line_start(index);
        let before = self.text.get(start..offset).unwrap_or_default();
        let mut column = before.chars().count();
        if index == 0 && before.starts_with(BOM) {
            column -= 1;
        }
        LineCol {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// An empty span just after the last character that is not white space:
    /// where "end of file" is shown, since nothing can be shown after it.
    pub fn end_of_content(&self) -> Span {
        let end = self.text.trim_end().len();
        if end < self.text.len() {
            return Span::point(end);
        }
        // Nothing follows the last character (no final newline): miette
        // cannot show a point after the last byte, so mark that character.
        let last = self.text.char_indices().next_back().map_or(0, |(i, _)| i);
        Span::new(last, end)
    }

    /// The byte offset of a 1-based line and column (in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let start = self.line_start(line.saturating_sub(1));
        let text = self.text.get(start..).unwrap_or_default();
        start + text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(i, _)| i)
    }

    /// The text of the 1-based line `line` without its line end.
    pub fn line_text(&self, line: usize) -> &str {
        let index = line.saturating_sub(1);
        let text = self.text.get(self.line_start(index)..self.line_end(index)).unwrap_or_default();
        text.trim_end_matches(['\n', '\r'])
    }
}

/// Lines longer than this are not shown whole: a window around the label is.
const MAX_LINE: usize = 240;
/// Bytes shown either side of a label on a long line.
pub(crate) const WINDOW: usize = 80;

impl Source {
    fn floor_boundary(&self, mut offset: usize) -> usize {
        offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    fn ceil_boundary(&self, mut offset: usize) -> usize {
        offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset += 1;
        }
        offset
    }

    fn line_len(&self, index: usize) -> usize {
        self.line_end(index) - self.line_start(index)
    }
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let own_first = self.line_index(start);
        // A span that ends right after a newline ends on the line before.
        let own_last = self.line_index(end.saturating_sub(1).max(start));
        let first = own_first.saturating_sub(context_lines_before);
        let last = (own_last + context_lines_after).min(self.line_starts.len() - 1);
        let (from, to, first, last) = if context_lines_before == 0 && context_lines_after == 0 {
            // miette titles a snippet with this position: the span itself.
            (start, self.ceil_boundary(end.min(start + 4 * WINDOW)), own_first, own_last)
        } else if (first..=last).any(|i| self.line_len(i) > MAX_LINE) {
            // A long line (minified or hostile input) is shown as a window
            // around the span, without context: miette would print the whole
            // line, and cannot underline beyond column 65,535.
            let from = self.floor_boundary(start.saturating_sub(WINDOW).max(self.line_start(own_first)));
            let line_end = self.line_end(own_last);
            // Never more than a few windows wide, whatever miette asks for.
            let to = self.ceil_boundary((end + WINDOW).min(line_end).min(from + 4 * WINDOW));
            (from, to, own_first, own_last)
        } else {
            (self.line_start(first), self.line_end(last).max(end), first, last)
        };
        let before = self.text.get(self.line_start(first)..from).unwrap_or_default();
        // A leading byte-order mark is not a column (as in `line_col`).
        let column = before.chars().count() - usize::from(first == 0 && before.starts_with(BOM));
        let data = self.text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            data.as_bytes(),
            (from, to - from).into(),
            first,
            column,
            last - first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_skips_the_bom() {
        let src = Source::new("t", "\u{feff}ab\r\ncé d\n");
        assert_eq!(src.line_col(3), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(4), LineCol { line: 1, column: 2 });
        let d = src.text().find('d').unwrap();
        assert_eq!(src.line_col(d), LineCol { line: 2, column: 4 });
        assert_eq!(src.line_text(2), "cé d");
    }

    #[test]
    fn invalid_utf8_reports_the_first_bad_byte() {
        let err = Source::from_bytes("t", b"ok\n\xffno".to_vec()).unwrap_err();
        assert_eq!(err.1, NotUtf8 { offset: 3, byte: 0xff });
        assert_eq!(err.0.line_col(err.1.offset), LineCol { line: 2, column: 1 });
        assert_eq!(err.0.text(), "ok\n\u{fffd}no");
    }

    #[test]
    fn long_lines_are_windowed_around_the_span() {
        let text = format!("short\n{}X{}\nshort\n", "a".repeat(100_000), "b".repeat(100_000));
        let src = Source::new("t", text.clone());
        let at = text.find('X').unwrap();
        let contents = src.read_span(&(at, 1).into(), 1, 1).unwrap();
        assert!(contents.data().len() <= 2 * WINDOW + 1);
        assert_eq!(contents.line(), 1);
        assert_eq!(contents.column(), 100_000 - WINDOW);
    }

    #[test]
    fn read_span_returns_only_the_context_lines() {
        let text: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let src = Source::new("t", text.clone());
        let at = text.find("line 50").unwrap();
        let contents = src.read_span(&(at, 4).into(), 1, 1).unwrap();
        assert_eq!(std::str::from_utf8(contents.data()).unwrap(), "line 49\nline 50\nline 51\n");
        assert_eq!(contents.line(), 48);
        assert_eq!(contents.line_count(), 3);
    }
}
