//! One policy (or configuration) text with its name and a line index.
//!
//! The line index makes line/column lookups a binary search instead of a scan,
//! and a count of characters every [`CHUNK`] bytes bounds the scan for a
//! column, so a lookup costs the same on a 8 MiB line as on a short one: that
//! keeps rendering thousands of diagnostics on a large file linear. The
//! [`miette::SourceCode`] implementation returns only the lines around a label
//! and reports how many lines it returned, so miette never merges two labels
//! that are far apart into one snippet that prints everything in between.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files), as in editors.

use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::Span;
use crate::escape::{Shown, visible};

/// A source text, its display name, and the byte offset of every line start.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    // The text and the line starts are shared as they were built: an
    // `Arc<str>` or `Arc<[u32]>` would copy megabytes into a fresh
    // allocation once more.
    text: Arc<String>,
    line_starts: Arc<Vec<u32>>,
    /// `marks[k]`: characters that start before byte `k * CHUNK`.
    marks: Arc<[u32]>,
    /// The text as a terminal may show it (see [`Source::terminal`]), built
    /// on first use and shared by the clones.
    shown: Arc<OnceLock<Option<Box<Terminal>>>>,
}

impl PartialEq for Source {
    /// Two sources are equal when their names and texts are.
    fn eq(&self, other: &Source) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Eq for Source {}

/// Bytes between two character counts of [`Source`]'s index: the most a
/// column lookup scans.
const CHUNK: usize = 1024;

/// Whether `byte` starts a character (is not a UTF-8 continuation byte).
fn starts_char(byte: u8) -> bool {
    byte & 0xc0 != 0x80
}

/// A source as the human format prints it: hidden characters escaped (see
/// [`Shown`]), in a [`Source`] of its own whose title positions are those of
/// the original text.
#[derive(Debug)]
pub struct Terminal {
    shown: Source,
    map: Shown,
    /// The original, for positions (without this cache: no cycle).
    original: Source,
}

impl Terminal {
    /// The offset in the shown text of `offset` in the original.
    pub fn to_shown(&self, offset: usize) -> usize {
        self.map.to_shown(offset)
    }

    /// The shown text.
    pub fn text(&self) -> &str {
        self.shown.text()
    }
}

impl SourceCode for Terminal {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.shown.read_span(span, context_lines_before, context_lines_after)?;
        if context_lines_before != 0 || context_lines_after != 0 {
            return Ok(contents);
        }
        // The title of a snippet: the position in the file, not in the
        // escaped text, whose escapes are longer than what they stand for.
        let original = self.map.to_original(self.original.text(), span.offset());
        let column = self.original.line_col(original).column as usize - 1;
        Ok(Box::new(Titled { inner: contents, column }))
    }
}

/// Span contents with the column of the original text.
struct Titled<'a> {
    inner: Box<dyn SpanContents<'a> + 'a>,
    column: usize,
}

impl<'a> SpanContents<'a> for Titled<'a> {
    fn data(&self) -> &'a [u8] {
        self.inner.data()
    }

    fn span(&self) -> &SourceSpan {
        self.inner.span()
    }

    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    fn line(&self) -> usize {
        self.inner.line()
    }

    fn column(&self) -> usize {
        self.column
    }

    fn line_count(&self) -> usize {
        self.inner.line_count()
    }
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
        let bytes = text.as_bytes();
        let offset = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        // A line ends at `\n`, or at a `\r` not followed by one; counting
        // the `\n`s first sizes the vector (a lone `\r` is rare).
        let mut line_starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
        line_starts.push(0u32);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(offset(i + 1));
            }
        }
        // The characters before each chunk of CHUNK bytes.
        let mut marks = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut chars = 0u32;
        for chunk in bytes.chunks(CHUNK) {
            marks.push(chars);
            let count = chunk.iter().filter(|&&b| starts_char(b)).count();
            chars = chars.saturating_add(u32::try_from(count).unwrap_or(u32::MAX));
        }
        Source {
            name: Arc::from(name.into()),
            text: Arc::new(text),
            line_starts: Arc::new(line_starts),
            marks: Arc::from(marks),
            shown: Arc::default(),
        }
    }

    /// Characters that start before byte `offset`, counted from the nearest
    /// mark: at most [`CHUNK`] bytes are scanned.
    fn chars_before(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let chunk = offset / CHUNK;
        let counted = self.marks.get(chunk).map_or(0, |&m| m as usize);
        let bytes = self.text.as_bytes().get(chunk * CHUNK..offset).unwrap_or_default();
        counted + bytes.iter().filter(|&&b| starts_char(b)).count()
    }

    /// The byte offset of character number `index` (0-based), or the end of
    /// the text.
    fn offset_of_char(&self, index: usize) -> usize {
        // The last chunk that starts at or before that character.
        let chunk = self.marks.partition_point(|&m| m as usize <= index).saturating_sub(1);
        let mut count = self.marks.get(chunk).map_or(0, |&m| m as usize);
        let from = chunk * CHUNK;
        for (i, &b) in self.text.as_bytes().iter().enumerate().skip(from) {
            if starts_char(b) {
                if count == index {
                    return i;
                }
                count += 1;
            }
        }
        self.text.len()
    }

    /// The text as the human format prints it: hidden characters escaped
    /// and lone carriage returns made newlines, built once per source; `None`
    /// when the text can be printed as it is (almost always).
    pub fn terminal(&self) -> Option<&Terminal> {
        self.shown
            .get_or_init(|| {
                Shown::of(&self.text).map(|mut map| {
                    let shown = Source::new(self.name.to_string(), std::mem::take(&mut map.text));
                    let original = Source { shown: Arc::default(), ..self.clone() };
                    Box::new(Terminal { shown, map, original })
                })
            })
            .as_deref()
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
        let column = self.columns_between(index, start, offset);
        LineCol {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The line and column of `span`'s start and end, as [`Source::line_col`]
    /// gives them; the end of a span within one line (most of them) is
    /// counted on from the start instead of looked up again.
    pub(crate) fn line_cols(&self, span: Span) -> (LineCol, LineCol) {
        let (start, end) = ((span.start as usize).min(self.text.len()), (span.end as usize).min(self.text.len()));
        let first = self.line_col(start);
        let index = first.line as usize - 1;
        if end < start || end >= self.line_end(index) {
            return (first, self.line_col(end));
        }
        // (`columns_between` leaves out a byte-order mark at the very start,
        // as `line_col` does.)
        let column = first.column as usize + self.columns_between(index, start, end);
        (first, LineCol { line: first.line, column: u32::try_from(column).unwrap_or(u32::MAX) })
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

    /// Columns from `from` (on line `index`) to `offset`: characters, less
    /// a leading byte-order mark.
    fn columns_between(&self, index: usize, from: usize, offset: usize) -> usize {
        let bom = index == 0 && from == 0 && self.text.starts_with(BOM) && offset > 0;
        let chars = match self.text.as_bytes().get(from..offset) {
            // Most columns are near their line's start: count them directly.
            Some(bytes) if bytes.len() <= CHUNK => bytes.iter().filter(|&&b| starts_char(b)).count(),
            _ => self.chars_before(offset).saturating_sub(self.chars_before(from)),
        };
        chars.saturating_sub(usize::from(bom))
    }

    /// The byte offset of a 1-based line and column (in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let start = self.line_start(line.saturating_sub(1));
        self.offset_of_char(self.chars_before(start) + column.saturating_sub(1))
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
        // A leading byte-order mark is not a column (as in `line_col`).
        let column = self.columns_between(first, self.line_start(first), from);
        let data = self.text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            visible(&self.name).into_owned(),
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

    proptest::proptest! {
        #[test]
        fn a_span_s_two_ends_are_where_line_col_puts_them(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "é", "\u{2603}", "\u{1f600}", "\n", "\r\n", "\r", "\u{feff}", " ", "abcdefghij",
            ]), 0..80),
            long in proptest::bool::ANY,
            bom in proptest::bool::ANY,
            a in 0.0f64..=1.0,
            b in 0.0f64..=1.0,
        ) {
            let mut text: String = parts.concat();
            if bom {
                text.insert(0, BOM);
            }
            if long {
                let mut middle = text.len() / 2;
                while !text.is_char_boundary(middle) {
                    middle -= 1;
                }
                text.insert_str(middle, &"x".repeat(2 * CHUNK + 7));
            }
            let src = Source::new("t", text.clone());
            let on_char = |fraction: f64| {
                let mut n = ((text.len() as f64 * fraction) as usize).min(text.len());
                while !text.is_char_boundary(n) {
                    n -= 1;
                }
                n
            };
            let (start, end) = (on_char(a), on_char(b));
            let span = Span::new(start.min(end), start.max(end));
            let (first, last) = src.line_cols(span);
            proptest::prop_assert_eq!(first, src.line_col(span.start as usize));
            proptest::prop_assert_eq!(last, src.line_col(span.end as usize));
            // From the very start, and up to each line's end and next start.
            for end in [span.end as usize, text.find('\n').map_or(0, |n| n + 1), text.len()] {
                let span = Span::new(0, end);
                proptest::prop_assert_eq!(src.line_cols(span).1, src.line_col(end));
            }
        }
    }

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
    fn positions_match_a_scan_across_chunks_and_line_ends() {
        // Several chunks of mixed-width characters and all three line ends.
        let piece = "ab\u{e9}\u{2603}\r\n\u{1f600}x\ry\n";
        let text = format!("\u{feff}{}{}", piece.repeat(200), "z".repeat(3 * CHUNK));
        let src = Source::new("t", text.clone());
        // What a scan from the start gives, one character at a time.
        let (mut line, mut column) = (1, 1);
        for (offset, c) in text.char_indices().chain([(text.len(), ' ')]) {
            let at = src.line_col(offset);
            assert_eq!(at, LineCol { line, column }, "at byte {offset}");
            // (`offset_of` counts a BOM as a column, and cannot name the
            // `\n` of a `\r\n`.)
            if line > 1 && !(text[..offset].ends_with('\r') && c == '\n') {
                assert_eq!(src.offset_of(line as usize, column as usize), offset, "at byte {offset}");
            }
            if c == '\n' || (c == '\r' && !text[offset + 1..].starts_with('\n')) {
                (line, column) = (line + 1, 1);
            } else if !(offset == 0 && c == BOM) {
                column += 1;
            }
        }
        assert_eq!(src.offset_of(1, 10_000_000), text.len());
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let src = Source::new("t", "a\rb\r\nc\n\rd");
        assert_eq!(src.line_count(), 5);
        assert_eq!(src.line_col(2), LineCol { line: 2, column: 1 });
        assert_eq!(src.line_col(5), LineCol { line: 3, column: 1 });
        assert_eq!(src.line_col(8), LineCol { line: 5, column: 1 });
        assert_eq!((src.line_text(1), src.line_text(2), src.line_text(4)), ("a", "b", ""));
    }

    #[test]
    fn the_terminal_view_escapes_and_keeps_positions() {
        let src = Source::new("x\n::a", "team \"\x1b[2J\" {\r  chanel phone }");
        assert!(Source::new("t", "team \"A\" {\r\n}\n").terminal().is_none());
        let terminal = src.terminal().unwrap();
        assert_eq!(terminal.text(), "team \"\\u{1b}[2J\" {\n  chanel phone }");
        let at = src.text().find("chanel").unwrap();
        let shown = terminal.to_shown(at);
        assert_eq!(&terminal.text()[shown..shown + 6], "chanel");
        let title = terminal.read_span(&(shown, 6).into(), 0, 0).unwrap();
        assert_eq!((title.line(), title.column()), (1, 2));
        assert_eq!(title.name(), Some("x\\n\\u{3a}:a"));
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
