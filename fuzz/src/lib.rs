//! What every fuzz target checks on what supportlint makes of its input:
//! no panic (libFuzzer reports it), spans inside the text and on character
//! boundaries, front-end errors located, one line per finding in the line
//! formats, JSON, SARIF and GitLab's JSON that parse back, the same output twice, and no
//! raw control character from the input in any text output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use supportlint::escape::is_hidden;
use supportlint::report::human::{self, Style};
use supportlint::config::FailOn;
use supportlint::report::{gitlab, json, junit, markdown, sarif, text};
use supportlint::{Checker, Diagnostic, FileReport, Source, Span};

/// The styles the human format is checked in: colour and Unicode, and
/// plain ASCII at a narrow width (more wrapping).
const STYLES: [Style; 2] = [Style { color: true, unicode: true, width: 100 }, Style { color: false, unicode: false, width: 40 }];

/// The most one finding may take in the human format: 12 labels, their
/// lines windowed, names and messages shortened.
const MAX_RENDERED: usize = 64 * 1024;

/// Checks a policy text (raw bytes, as read from a file): twice, for
/// determinism, then everything in [`check_report`].
pub fn check_policy(checker: &Checker, name: &str, bytes: &[u8]) {
    let report = checker.check_bytes(name, bytes.to_vec());
    let again = checker.check_bytes(name, bytes.to_vec());
    assert_eq!(report.diagnostics, again.diagnostics, "two runs found different diagnostics");
    let outputs = check_report(&report);
    assert_eq!(outputs, render_all(&again), "two runs rendered differently");
}

/// Every text and machine format of `report`, in a fixed order.
pub fn render_all(report: &FileReport) -> Vec<String> {
    let mut out: Vec<String> = STYLES.iter().map(|&style| human::render_report(report, style)).collect();
    out.push(text::concise(report));
    out.push(text::github(report));
    let document = json::document(std::slice::from_ref(report), Vec::new());
    out.push(serde_json::to_string_pretty(&document).unwrap());
    out.push(sarif::log(std::slice::from_ref(report)));
    out.push(gitlab::report(std::slice::from_ref(report)));
    out.push(junit::report(std::slice::from_ref(report), &[FailOn::Warning]));
    out.push(markdown::comment(std::slice::from_ref(report)));
    out
}

/// Checks the diagnostics of `report` and its rendered output, and returns
/// the output.
pub fn check_report(report: &FileReport) -> Vec<String> {
    check_diagnostics(&report.source, &report.diagnostics, true);
    let outputs = render_all(report);
    let [human_colour, human_ascii, concise, github, json, sarif, gitlab, junit, markdown] = &outputs[..] else {
        panic!("{} outputs", outputs.len());
    };
    let shown = report.diagnostics.iter().filter(|d| !d.is_suppressed()).count();
    assert_eq!(concise.lines().count(), shown, "not one concise line per finding:\n{concise}");
    assert_eq!(github.lines().count(), shown, "not one github line per finding:\n{github}");
    for (format, output) in [("human colour", human_colour), ("human ascii", human_ascii), ("concise", concise)] {
        assert_safe(format, output, false);
    }
    assert_safe("github", github, true);
    let json: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("JSON does not parse: {e}"));
    // The streamed document (findings written by hand) says what serde's does.
    let streamed = json::to_string(std::slice::from_ref(report), &[]);
    let streamed: serde_json::Value =
        serde_json::from_str(&streamed).unwrap_or_else(|e| panic!("streamed JSON does not parse: {e}"));
    assert_eq!(streamed, json, "the streamed JSON differs from serde's");
    let _: serde_json::Value = serde_json::from_str(sarif).unwrap_or_else(|e| panic!("SARIF does not parse: {e}"));
    let _: serde_json::Value = serde_json::from_str(gitlab).unwrap_or_else(|e| panic!("GitLab does not parse: {e}"));
    // JUnit is XML: escaped, so no control character at all but line ends.
    assert_safe("junit", junit, false);
    assert_safe("markdown", markdown, false);
    // Bounded rendering: a bounded size per finding shown (at most 200 per
    // file), whatever the input.
    let bound = MAX_RENDERED * shown.min(human::MAX_SHOWN_PER_FILE) + 1024;
    assert!(human_colour.len() <= bound, "{shown} findings render in {} bytes", human_colour.len());
    outputs
}

/// Spans inside `source` and on character boundaries; front-end errors
/// (and, with `all_located`, every diagnostic) with a primary label.
pub fn check_diagnostics(source: &Source, diagnostics: &[Diagnostic], all_located: bool) {
    let text = source.text();
    let inside = |span: Span, what: &str, d: &Diagnostic| {
        assert!(span.start <= span.end, "{what} of {d:?} is inverted");
        assert!((span.end as usize) <= text.len(), "{what} of {d:?} ends after the text ({})", text.len());
        assert!(text.is_char_boundary(span.start as usize), "{what} of {d:?} starts inside a character");
        assert!(text.is_char_boundary(span.end as usize), "{what} of {d:?} ends inside a character");
    };
    for d in diagnostics {
        for label in &d.labels {
            inside(label.span, "a label", d);
        }
        if let Some(suppression) = &d.suppression {
            inside(suppression.span, "the suppression", d);
        }
        assert!(d.labels.iter().filter(|l| l.primary).count() <= 1, "two primary labels: {d:?}");
        if all_located || d.code.starts_with('E') {
            assert!(d.labels.iter().any(|l| l.primary), "a diagnostic without a position: {d:?}");
        }
    }
}

/// No control character but line ends (miette's colour codes aside), and
/// no line a GitHub runner would run as a workflow command, except the
/// github format's own.
pub fn assert_safe(format: &str, output: &str, github: bool) {
    let plain = without_styling(output);
    if let Some(c) = plain.chars().find(|&c| c != '\n' && is_hidden(c)) {
        panic!("{format}: a raw {c:?} in\n{output}");
    }
    for line in plain.lines() {
        let meant = github && ["::error file=", "::warning file=", "::notice file="].iter().any(|c| line.starts_with(c));
        assert!(meant || !line.trim_start().starts_with("::"), "{format}: a workflow command: {line}");
    }
}

/// `text` without colour codes (`ESC [ digits/semicolons m`), the only
/// escape sequences miette writes.
fn without_styling(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(after.len());
        if !after[end..].starts_with('m') {
            // Not a colour: keep the ESC so that the check reports it.
            out.push('\x1b');
            rest = &rest[at + 1..];
            continue;
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}
