//! One finding's JSON written straight into a buffer: the bytes
//! `serde_json::to_writer` gives for [`Finding`](super::Finding), without
//! building the `Finding`, escaping field names or calling through a
//! formatter for every byte. A finding is about 1.3 KB of JSON and a large
//! check writes hundreds of thousands of them; the tests hold these bytes to
//! serde's on every kind of finding and on hostile text.

use serde_json::ser::{CompactFormatter, Formatter};

use super::location;
use crate::report::fingerprint::hex_digits;
use crate::{Applicability, Diagnostic, Severity, Source, Span, SuppressionKind};

/// Appends the JSON of `d`: what serde writes for [`super::finding`] of the
/// same arguments.
pub(super) fn finding(buf: &mut Vec<u8>, d: &Diagnostic, source: &Source, file: &str, fingerprint: u64) {
    let primary = super::primary(d);
    buf.extend_from_slice(b"{\"file\":");
    string(buf, file);
    buf.extend_from_slice(b",\"code\":");
    string(buf, &d.code);
    buf.extend_from_slice(b",\"name\":");
    string(buf, &d.name);
    buf.extend_from_slice(b",\"category\":");
    string(buf, d.category.as_str());
    buf.extend_from_slice(b",\"severity\":");
    buf.extend_from_slice(match d.severity {
        Severity::Info => b"\"info\"",
        Severity::Warning => b"\"warning\"",
        Severity::Error => b"\"error\"",
    });
    buf.extend_from_slice(b",\"message\":");
    string(buf, &d.message);
    buf.extend_from_slice(b",\"help\":");
    optional(buf, d.help.as_deref());
    buf.extend_from_slice(b",\"team\":");
    optional(buf, d.team.as_deref());
    match &d.suppression {
        None => buf.extend_from_slice(b",\"suppressed\":false,\"suppression\":null"),
        Some(s) => {
            buf.extend_from_slice(b",\"suppressed\":true,\"suppression\":{\"kind\":");
            buf.extend_from_slice(match s.kind {
                SuppressionKind::Allow => b"\"allow\"",
                SuppressionKind::Baseline => b"\"baseline\"",
            });
            buf.extend_from_slice(b",\"reason\":");
            string(buf, &s.reason);
            buf.extend_from_slice(b",\"location\":");
            if s.kind == SuppressionKind::Allow {
                place(buf, source, s.span);
            } else {
                buf.extend_from_slice(b"null");
            }
            buf.push(b'}');
        }
    }
    buf.extend_from_slice(b",\"fingerprint\":\"");
    buf.extend_from_slice(&hex_digits(fingerprint));
    buf.push(b'"');
    buf.extend_from_slice(b",\"location\":");
    place(buf, source, d.primary_span());
    buf.extend_from_slice(b",\"label\":");
    optional(buf, d.labels.get(primary).map(|l| l.message.as_str()));
    buf.extend_from_slice(b",\"labels\":[");
    let mut first = true;
    for (_, label) in d.labels.iter().enumerate().filter(|&(i, _)| i != primary) {
        comma(buf, &mut first);
        buf.extend_from_slice(b"{\"message\":");
        string(buf, &label.message);
        buf.extend_from_slice(b",\"location\":");
        place(buf, source, label.span);
        buf.push(b'}');
    }
    buf.extend_from_slice(b"],\"omitted_labels\":");
    number(buf, d.omitted_labels as u64);
    buf.extend_from_slice(b",\"fixes\":[");
    let mut first = true;
    for fix in &d.fixes {
        comma(buf, &mut first);
        buf.extend_from_slice(b"{\"title\":");
        string(buf, &fix.title);
        buf.extend_from_slice(match fix.applicability {
            Applicability::Safe => b",\"applicability\":\"safe\",\"edits\":[",
            Applicability::Unsafe => b",\"applicability\":\"unsafe\",\"edits\":[",
        });
        let mut first = true;
        for edit in &fix.edits {
            comma(buf, &mut first);
            buf.extend_from_slice(b"{\"location\":");
            place(buf, source, edit.span);
            buf.extend_from_slice(b",\"replacement\":");
            string(buf, &edit.replacement);
            buf.push(b'}');
        }
        buf.extend_from_slice(b"]}");
    }
    buf.extend_from_slice(b"],\"figures\":{");
    let mut first = true;
    for figure in super::Figures(&d.figures).sorted() {
        comma(buf, &mut first);
        string(buf, figure.name);
        buf.push(b':');
        float(buf, figure.value);
    }
    buf.extend_from_slice(b"}}");
}

fn comma(buf: &mut Vec<u8>, first: &mut bool) {
    if !std::mem::take(first) {
        buf.push(b',');
    }
}

fn optional(buf: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(buf, text),
        None => buf.extend_from_slice(b"null"),
    }
}

/// `{"start":{"line":..,"column":..,"offset":..},"end":{..}}`.
fn place(buf: &mut Vec<u8>, source: &Source, span: Span) {
    let at = location(source, span);
    for (key, p) in [(&b"{\"start\":{\"line\":"[..], at.start), (&b"},\"end\":{\"line\":"[..], at.end)] {
        buf.extend_from_slice(key);
        number(buf, u64::from(p.line));
        buf.extend_from_slice(b",\"column\":");
        number(buf, u64::from(p.column));
        buf.extend_from_slice(b",\"offset\":");
        number(buf, p.offset as u64);
    }
    buf.extend_from_slice(b"}}");
}

/// A number in decimal, as serde_json writes integers (two digits at a
/// time, through `itoa`): a finding holds dozens of them.
fn number(buf: &mut Vec<u8>, n: u64) {
    // Writing to a vector cannot fail.
    let _ = CompactFormatter.write_u64(buf, n);
}

/// A float as serde_json writes it: its shortest form, `null` when not
/// finite.
fn float(buf: &mut Vec<u8>, value: f64) {
    if value.is_finite() {
        // Writing to a vector cannot fail.
        let _ = CompactFormatter.write_f64(buf, value);
    } else {
        buf.extend_from_slice(b"null");
    }
}

/// Bytes a JSON string escapes: control characters, `"` and `\`.
const fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of the eight bytes of `word` needs escaping: a byte below
/// 0x20, or equal to `"` or `\` (the classic zero-byte tests, exact as to
/// whether one exists).
fn any_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1) != 0
}

/// A JSON string: quoted, escaped as serde_json escapes (short escapes for
/// `\b \t \n \f \r`, `\u00xx` for other control characters). Runs of bytes
/// that need nothing are copied whole, eight bytes checked at a time.
pub(super) fn string(buf: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let end = match bytes.get(at..at + 8) {
            Some(word) if !any_escape(u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or_default())) => {
                at += 8;
                continue;
            }
            Some(_) => at + 8,
            None => bytes.len(),
        };
        for (i, &byte) in bytes.get(at..end).unwrap_or_default().iter().enumerate() {
            if !needs_escape(byte) {
                continue;
            }
            let i = at + i;
            buf.extend_from_slice(bytes.get(start..i).unwrap_or_default());
            start = i + 1;
            match byte {
                b'"' => buf.extend_from_slice(b"\\\""),
                b'\\' => buf.extend_from_slice(b"\\\\"),
                0x08 => buf.extend_from_slice(b"\\b"),
                b'\t' => buf.extend_from_slice(b"\\t"),
                b'\n' => buf.extend_from_slice(b"\\n"),
                0x0c => buf.extend_from_slice(b"\\f"),
                b'\r' => buf.extend_from_slice(b"\\r"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let hex = |n: u8| HEX.get(usize::from(n & 0xf)).copied().unwrap_or(b'0');
                    buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte)]);
                }
            }
        }
        at = end;
    }
    buf.extend_from_slice(bytes.get(start..).unwrap_or_default());
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use proptest::prelude::*;

    use super::*;
    use crate::{Checker, Fix, Suppression};

    /// The finding as serde writes it, and as [`finding`] does.
    fn both(d: &Diagnostic, source: &Source) -> (String, String) {
        let file = "dir/a \"quoted\" name.policy";
        let fingerprint = 0x0123_4567_89ab_cdef;
        let hex = crate::report::fingerprint::hex(fingerprint);
        let by_serde = serde_json::to_string(&super::super::finding(d, source, Cow::Borrowed(file), Cow::Owned(hex)))
            .unwrap_or_default();
        let mut buf = Vec::new();
        finding(&mut buf, d, source, file, fingerprint);
        (by_serde, String::from_utf8(buf).unwrap_or_default())
    }

    fn policy_files() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("policies"), root.join("tests/fixtures")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "policy") {
                    files.push(std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        files
    }

    #[test]
    fn writes_what_serde_writes_for_every_finding_of_the_repository() {
        let checker = Checker::new();
        let mut seen = 0;
        let mut suppressed = 0;
        for text in policy_files() {
            let source = Source::new("t.policy", text);
            for d in checker.check(&source).diagnostics {
                let (by_serde, by_hand) = both(&d, &source);
                assert_eq!(by_hand, by_serde);
                seen += 1;
                suppressed += usize::from(d.is_suppressed());
            }
        }
        assert!(seen > 500 && suppressed > 5, "{seen} findings, {suppressed} suppressed");
    }

    #[test]
    fn writes_what_serde_writes_for_a_baseline_suppression() {
        let source = Source::new("t.policy", "team \"a\" { channel phone }\n".to_string());
        let mut d = Diagnostic::new("K001", "x", Severity::Info, "m").primary(Span::new(0, 4), "here");
        d.suppression =
            Some(Suppression { kind: SuppressionKind::Baseline, reason: "base\nline".into(), span: Span::default() });
        let (by_serde, by_hand) = both(&d, &source);
        assert_eq!(by_hand, by_serde);
    }

    /// Text with every kind of byte a JSON string treats differently, in
    /// runs long and short around the eight-byte steps.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => "[a-z ]{0,12}",
                1 => Just("\"".to_string()),
                1 => Just("\\".to_string()),
                1 => proptest::char::range('\u{0}', '\u{20}').prop_map(String::from),
                1 => Just("\u{7f}".to_string()),
                1 => Just("é€😀".to_string()),
                1 => any::<String>(),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(1e-310),
            Just(0.1),
            Just(1e21),
            (0u32..100_000).prop_map(f64::from),
        ]
    }

    const NAMES: [&str; 4] = ["service_level_percent", "handle_time_seconds", "a\"b", "agents"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn writes_what_serde_writes(
            body in text(),
            message in text(),
            help in proptest::option::of(text()),
            team in proptest::option::of(text()),
            labels in proptest::collection::vec((0usize..400, 0usize..400, text(), any::<bool>()), 0..5),
            fixes in proptest::collection::vec((text(), any::<bool>(), proptest::collection::vec((0usize..400, text()), 0..3)), 0..3),
            figures in proptest::collection::vec((0usize..4, value()), 0..6),
            omitted in 0usize..3,
            allow in proptest::option::of((text(), 0usize..400)),
        ) {
            let source = Source::new("t.policy", format!("team \"x\" {{\n{body}\n}}\n{body}"));
            let len = source.text().len();
            let span = |a: usize, b: usize| Span::new(a.min(b).min(len), a.max(b).min(len));
            let mut d = Diagnostic::new("K001", "handle-time-below-promise", Severity::Warning, message);
            for (a, b, label, primary) in labels {
                d = if primary { d.primary(span(a, b), label) } else { d.secondary(span(a, b), label) };
            }
            if let Some(help) = help {
                d = d.help(help);
            }
            d.team = team;
            d.omitted_labels = omitted;
            for (title, safe, edits) in fixes {
                let edits = edits.into_iter().map(|(at, replacement)| crate::Edit { span: span(at, at + 3), replacement }).collect();
                d = d.fix(if safe { Fix::safe(title, edits) } else { Fix::unsafe_(title, edits) });
            }
            for (name, value) in figures {
                d = d.figure(NAMES[name], value);
            }
            if let Some((reason, at)) = allow {
                d.suppression = Some(Suppression { kind: SuppressionKind::Allow, reason, span: span(at, at + 5) });
            }
            let (by_serde, by_hand) = both(&d, &source);
            prop_assert_eq!(by_hand, by_serde);
        }
    }
}
