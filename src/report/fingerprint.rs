//! Fingerprints that identify a finding across edits: the rule, the file,
//! the team and the text of every statement it labels (comments dropped,
//! white space folded), never line numbers. Moving a team down a file keeps
//! its fingerprints; changing a labelled statement (a target's value) makes
//! a new one. Findings that would share a fingerprint in one file (two
//! identical mistakes) are told apart by their order.

use rayon::prelude::*;

use crate::{Diagnostic, Source};

/// FNV-1a, 64 bits: small, stable across platforms and releases.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash = Fnv::new();
    for part in parts {
        hash.part(part);
    }
    hash.0
}

/// FNV-1a fed a part at a time, each part followed by the unit separator.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn end_part(&mut self) {
        self.bytes(&[0x1f]);
    }

    fn part(&mut self, part: &str) {
        self.bytes(part.as_bytes());
        self.end_part();
    }
}

/// The path as a fingerprint sees it: forward slashes, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.trim_start_matches("./").to_string()
}

/// Hashes a statement's text as a fingerprint sees it: comments (`#` to the
/// end of the line, outside strings) dropped, the line end that closes one
/// kept as a space, and white space folded to one space between words, so
/// comments and layout can change without making a finding new. The folded
/// text is hashed as it is read, never built; an ASCII byte is taken as it
/// is, anything else is decoded, since every finding hashes its statements.
fn hash_statement(text: &str, hash: &mut Fnv) {
    let mut comments = Comments::default();
    let mut folded = Folded::default();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if comments.outside() {
            // A run of printable ASCII that changes no state: hashed whole.
            let run = bytes.get(at..).unwrap_or_default().iter().take_while(|&&b| plain(b)).count();
            if run > 0 {
                folded.word(hash, bytes.get(at..at + run).unwrap_or_default());
                at += run;
                continue;
            }
        }
        let (c, width) = if byte.is_ascii() {
            (char::from(byte), 1)
        } else {
            // `at` is always on a character boundary.
            let c = text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
            (c, c.len_utf8())
        };
        let own = at..at + width;
        at += width;
        let Some(c) = comments.step(c) else { continue };
        if c.is_whitespace() {
            folded.space = true;
        } else {
            folded.word(hash, bytes.get(own).unwrap_or_default());
        }
    }
    hash.end_part();
}

/// White space folded as a statement is hashed: one space between two
/// words, however much was written, and none before the first.
#[derive(Default)]
struct Folded {
    /// White space since the last word.
    space: bool,
    /// Whether a word was hashed.
    started: bool,
}

impl Folded {
    /// Hashes the next bytes of a word, after the space that separates it
    /// from the word before, if any.
    fn word(&mut self, hash: &mut Fnv, bytes: &[u8]) {
        if self.space && self.started {
            hash.bytes(b" ");
        }
        hash.bytes(bytes);
        (self.space, self.started) = (false, true);
    }
}

/// Where a statement's text is, read a character at a time: in a string
/// (after a backslash or not), in a comment (`#` to the end of the line,
/// outside strings), or neither.
#[derive(Default)]
struct Comments {
    in_string: bool,
    escaped: bool,
    in_comment: bool,
}

impl Comments {
    /// The character as a fingerprint sees it after `c`: none in a comment,
    /// a space for the line end that closes one, `c` itself otherwise.
    fn step(&mut self, c: char) -> Option<char> {
        if self.in_comment {
            self.in_comment = c != '\n' && c != '\r';
            return (!self.in_comment).then_some(' ');
        }
        if self.in_string {
            self.in_string = self.escaped || c != '"';
            self.escaped = !self.escaped && c == '\\';
        } else if c == '"' {
            self.in_string = true;
        } else if c == '#' {
            self.in_comment = true;
            return None;
        }
        Some(c)
    }

    /// Neither in a string nor in a comment.
    fn outside(&self) -> bool {
        !self.in_string && !self.in_comment
    }
}

/// A byte outside strings and comments that is hashed as it is: printable
/// ASCII that neither opens a string or a comment nor is white space.
fn plain(byte: u8) -> bool {
    byte.is_ascii_graphic() && byte != b'"' && byte != b'#'
}

fn base(diagnostic: &Diagnostic, source: &Source, file: &str) -> u64 {
    let mut hash = Fnv::new();
    for part in [&diagnostic.code, file, diagnostic.team.as_deref().unwrap_or("")] {
        hash.part(part);
    }
    for label in &diagnostic.labels {
        hash_statement(source.slice(label.span), &mut hash);
    }
    hash.0
}

/// The fingerprints of a file's diagnostics, in their order, as 16 hex
/// digits each. The n-th finding (n ≥ 2) whose statements, team and rule
/// equal an earlier one's gets the hash of that and n, so every finding of a
/// file has its own fingerprint and a lone finding's never depends on order.
pub fn fingerprints(diagnostics: &[Diagnostic], source: &Source) -> Vec<String> {
    Fingerprinter::new(source).next(diagnostics, source).into_iter().map(hex).collect()
}

/// [`fingerprints`] as numbers, a run of diagnostics at a time: for a
/// writer that goes through a file's findings in windows and writes each
/// fingerprint's digits itself.
pub(crate) struct Fingerprinter {
    file: String,
    /// How many findings so far had each hash.
    seen: std::collections::HashMap<u64, u32>,
}

impl Fingerprinter {
    pub(crate) fn new(source: &Source) -> Fingerprinter {
        Fingerprinter { file: normalize_path(source.name()), seen: std::collections::HashMap::new() }
    }

    /// The fingerprints of `diagnostics`, which come next in the file.
    pub(crate) fn next(&mut self, diagnostics: &[Diagnostic], source: &Source) -> Vec<u64> {
        let file = self.file.as_str();
        let bases: Vec<u64> = if diagnostics.len() > 64 {
            diagnostics.par_iter().map(|d| base(d, source, file)).collect()
        } else {
            diagnostics.iter().map(|d| base(d, source, file)).collect()
        };
        bases
            .into_iter()
            .map(|hash| {
                let count = self.seen.entry(hash).or_insert(0);
                *count += 1;
                if *count == 1 { hash } else { fnv1a(&[&hex(hash), &count.to_string()]) }
            })
            .collect()
    }
}

/// `hash` as 16 lowercase hex digits, as `{:016x}` writes it, without the
/// formatting machinery: every finding has one. Every fingerprint is
/// written with it.
pub(crate) fn hex(hash: u64) -> String {
    hex_digits(hash).into_iter().map(char::from).collect()
}

/// The ASCII digits of [`hex`].
pub(crate) fn hex_digits(hash: u64) -> [u8; 16] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, digit) in out.iter_mut().enumerate() {
        *digit = DIGITS.get(((hash >> (4 * (15 - i))) & 0xf) as usize).copied().unwrap_or(b'0');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_what_format_writes() {
        for hash in [0, 1, 0xf, 0x10, 0xdead_beef, 0x0123_4567_89ab_cdef, u64::MAX, u64::MAX - 1, 1 << 63] {
            assert_eq!(hex(hash), format!("{hash:016x}"));
        }
    }

    /// The characters of a statement's text as a fingerprint sees them:
    /// comments dropped, the line end that closes one kept as a space, one
    /// character at a time: the reference for `hash_statement`'s runs.
    fn without_comments(text: &str) -> impl Iterator<Item = char> + '_ {
        let mut comments = Comments::default();
        text.chars().filter_map(move |c| comments.step(c))
    }

    /// The folded text `hash_statement` hashes, built as a string.
    fn statement_text(text: &str) -> String {
        let kept: String = without_comments(text).collect();
        kept.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Fingerprints recorded in baselines must not change: the hashes of
    /// these statements as every earlier release computed them.
    #[test]
    fn statement_hashes_are_those_baselines_recorded() {
        for (text, recorded) in [
            ("target handle_time <= 3m weight 50%", 0xce3f_5eb3_f35e_4faa_u64),
            ("target handle_time <= 3m # the board's\n    weight 50%  # note", 0xce3f_5eb3_f35e_4faa),
            ("team \"A # B\" {", 0xc252_90d5_fb9e_74ae),
            ("team \"A \\\" # B\" # gone", 0x0e5d_341c_68af_6dc5),
            ("a\r\n\tb\u{a0}c\u{3000}é # x\rd", 0x17ec_0603_11fe_2266),
            ("", 0xaf63_d24c_8601_db8e),
        ] {
            let mut hash = Fnv::new();
            hash_statement(text, &mut hash);
            assert_eq!(hash.0, recorded, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn hashing_as_read_equals_hashing_the_folded_text(text in "[ a-z\"\\\\#\t\r\n\u{a0}\u{3000}\u{85}\u{b}é😀]{0,40}|\\PC{0,40}") {
            let mut streamed = Fnv::new();
            hash_statement(&text, &mut streamed);
            proptest::prop_assert_eq!(streamed.0, fnv1a(&[&statement_text(&text)]));
        }
    }

    #[test]
    fn comments_and_layout_do_not_count_but_strings_do() {
        let plain = statement_text("target handle_time <= 3m weight 50%");
        assert_eq!(statement_text("target handle_time <= 3m # the board's\n    weight 50%  # note"), plain);
        assert_eq!(statement_text("team \"A # B\" {"), "team \"A # B\" {");
        assert_eq!(statement_text("team \"A \\\" # B\" # gone"), "team \"A \\\" # B\"");
    }
    /// A file's fingerprints taken a window at a time are those of the whole
    /// file: repeats are told apart across windows as within one.
    #[test]
    fn fingerprints_by_window_are_those_of_the_file() {
        let source = Source::new("a.policy", "team \"A\" {\n  agents 3\n}\nteam \"B\" {\n  agents 4\n}\n");
        let finding = |code: &'static str, at: usize| {
            Diagnostic::error(crate::diagnostic::ErrorCode::Duplicate, "m")
                .primary(crate::Span::new(at, at + 8), "l")
                .team(code)
        };
        // Teams and statements repeat, so most fingerprints are repeats,
        // some of them across a window's end.
        let diagnostics: Vec<Diagnostic> = (0..300).map(|i| finding(["A", "B", "C"][i % 3], [13, 37][i % 2])).collect();
        assert_eq!(
            (source.slice(diagnostics[0].primary_span()), source.slice(diagnostics[1].primary_span())),
            ("agents 3", "agents 4")
        );
        let whole = fingerprints(&diagnostics, &source);
        assert_eq!(whole.iter().collect::<std::collections::HashSet<_>>().len(), whole.len(), "all distinct");
        for window in [1, 7, 64, 65, 299, 300] {
            let mut prints = Fingerprinter::new(&source);
            let by_window: Vec<String> =
                diagnostics.chunks(window).flat_map(|ds| prints.next(ds, &source)).map(hex).collect();
            assert_eq!(by_window, whole, "windows of {window}");
        }
        for hash in [0, 0xdead_beef, u64::MAX] {
            assert_eq!(hex_digits(hash).to_vec(), format!("{hash:016x}").into_bytes());
        }
    }
}
