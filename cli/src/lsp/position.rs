//! Byte offsets to the editor's positions and back. A position is a line
//! and a character offset in the negotiated encoding: UTF-16 code units (the
//! protocol's default) or UTF-8 bytes. Lines end at `\n`, `\r\n` or a lone
//! `\r`, as the protocol says. A position past the end of its line or of
//! the document, or inside a character, is moved to the nearest place
//! before it that exists; every position sent lies inside the document.

use lsp_types::Position;

/// What a position's character offset counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units.
    Utf16,
}

impl Encoding {
    /// The code units of `text` in this encoding.
    fn units(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 if text.is_ascii() => text.len(),
            Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        }
    }

    fn char_units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The start of every line of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    encoding: Encoding,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `offset` moved back onto a character boundary of `text`, and into it.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl LineIndex {
    /// The line starts of `text`, for positions in `encoding`.
    pub fn new(text: &str, encoding: Encoding) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex { starts, encoding }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(0)
    }

    /// The position of byte `offset` of `text`.
    #[cfg(test)]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_boundary(text, offset);
        let line = self.line_of(offset);
        let before = text.get(self.start(line)..offset).unwrap_or_default();
        Position { line: to_u32(line), character: to_u32(self.encoding.units(before)) }
    }

    /// The positions of many offsets at once: one pass over the text
    /// whatever their number, so a long line with many findings costs no
    /// more than reading it.
    pub fn positions(&self, text: &str, offsets: &[usize]) -> Vec<Position> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets.get(i).copied().unwrap_or(0));
        let mut out = vec![Position::default(); offsets.len()];
        let (mut line, mut at, mut units) = (usize::MAX, 0usize, 0usize);
        for i in order {
            let offset = floor_boundary(text, offsets.get(i).copied().unwrap_or(0));
            let this_line = self.line_of(offset);
            if this_line != line {
                (line, at, units) = (this_line, self.start(this_line), 0);
            }
            units += self.encoding.units(text.get(at..offset).unwrap_or_default());
            at = offset;
            if let Some(slot) = out.get_mut(i) {
                *slot = Position { line: to_u32(line), character: to_u32(units) };
            }
        }
        out
    }

    /// The byte offset of `position` in `text`: past the end of its line is
    /// the end of the line, past the last line is the end of the text, and
    /// inside a character is before it.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else { return text.len() };
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let content = text.get(start..end).unwrap_or_default().trim_end_matches(['\n', '\r']);
        let wanted = position.character as usize;
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            let next = units + self.encoding.char_units(c);
            if next > wanted {
                return start + i;
            }
            units = next;
        }
        start + content.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "team \"Zürich 🇨🇭\" {\n  x\n}";
        let brace = text.find('{').unwrap();
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        // "team \"Zürich " is 13 units, each flag letter 2 units, then "\" ".
        assert_eq!(utf16.position(text, brace), pos(0, 13 + 4 + 2));
        assert_eq!(utf8.position(text, brace), pos(0, brace as u32));
        assert_eq!(utf16.offset(text, pos(0, 19)), brace);
        assert_eq!(utf8.offset(text, pos(0, brace as u32)), brace);
        let x = text.find('x').unwrap();
        assert_eq!(utf16.position(text, x), pos(1, 2));
        assert_eq!(utf16.positions(text, &[x, brace, 0]), vec![pos(1, 2), pos(0, 19), pos(0, 0)]);
    }

    #[test]
    fn positions_outside_the_text_or_inside_a_character_are_moved_back() {
        let text = "aé🇨\r\nb\rc";
        let index = LineIndex::new(text, Encoding::Utf16);
        // Inside the surrogate pair of 🇨 (units 2..4): before it.
        assert_eq!(index.offset(text, pos(0, 3)), "aé".len());
        // Past the end of the line: the end of its content, not the CR.
        assert_eq!(index.offset(text, pos(0, 99)), "aé🇨".len());
        // A lone CR ends a line.
        assert_eq!(index.offset(text, pos(2, 0)), text.len() - 1);
        assert_eq!(index.offset(text, pos(9, 9)), text.len());
        // A byte offset inside é is before it.
        assert_eq!(index.position(text, 2), pos(0, 1));
        assert_eq!(index.position(text, 999), pos(2, 1));
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.offset(text, pos(0, 2)), 1);
    }
}
