//! Arbitrary and hostile input: never a panic, always a diagnostic with a
//! position for input that is not a policy.

use proptest::prelude::*;
use supportlint::{Checker, Source};

/// Fragments of the language, so generated input gets past the first token.
const PIECES: &[&str] = &[
    "team",
    "\"A\"",
    "{",
    "}",
    "channel",
    "phone",
    "chat",
    "demand",
    "600/h",
    "agents",
    "42",
    "shrinkage",
    "30%",
    "target",
    "handle_time",
    "<=",
    "3m",
    "between",
    "and",
    "weight",
    "set_by",
    "executive",
    "promise",
    "thorough",
    ",",
    "authority",
    "refund",
    "up_to",
    "$50",
    "approval",
    "drivers",
    "\"x\"",
    "preventable",
    "needs",
    "rule",
    "when",
    "(",
    ")",
    "not",
    "or",
    "in",
    "[",
    "]",
    "==",
    "message",
    "defaults",
    "norms",
    "max_occupancy",
    "85%",
    "directive",
    ":",
    "cap",
    "at",
    "hours",
    "08:00-20:00",
    "-",
    "4.5/5",
    "120 USD",
    "1h30m",
    "#",
    "\n",
    "\"",
    "\\",
    "\u{feff}",
    "\r\n",
    "999999999999999999999",
    "0",
    "allow",
    "K001",
    "chain",
    ">",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let report = Checker::new().check_bytes("fuzz.policy", bytes);
        for d in &report.diagnostics {
            prop_assert!(d.labels.iter().all(|l| (l.span.end as usize) <= report.source.text().len()));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = Checker::new().check(&Source::new("fuzz.policy", text));
    }

    #[test]
    fn near_policies_never_panic_and_errors_have_positions(text in pieces()) {
        let report = Checker::new().check(&Source::new("fuzz.policy", text.clone()));
        let parsed = supportlint::syntax::parse(&report.source, &Default::default());
        if parsed.file.is_none() {
            prop_assert!(!report.diagnostics.is_empty(), "a failed parse without a diagnostic: {text:?}");
        }
        for d in &report.diagnostics {
            prop_assert!(!d.labels.is_empty(), "a diagnostic without a position: {d:?}");
        }
    }
}

fn render_all(text: String) -> (supportlint::FileReport, String) {
    let report = Checker::new().check(&Source::new("hostile.policy", text));
    let rendered = crate::harness::render(&report, |_| true);
    (report, rendered)
}

/// Regression: miette formats underlines with `{:width$}`, and a width above
/// 65,535 panics. Long lines are shown as a window around the label.
#[test]
fn a_label_beyond_column_65535_renders_in_a_window() {
    let text = format!("team \"A\" {{{}chanel phone }}\n", " ".repeat(70_000));
    let (report, rendered) = render_all(text);
    assert_eq!(report.diagnostics.len(), 1);
    assert!(rendered.contains("did you mean `channel`?"), "{rendered}");
    assert!(rendered.contains(":1:70011]"), "{rendered}");
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
}

/// Regression: a 100,000-digit number was quoted whole in the message.
#[test]
fn a_huge_literal_is_quoted_as_an_excerpt() {
    let (report, rendered) =
        render_all(format!("team \"A\" {{\n  channel phone\n  agents {}\n}}\n", "9".repeat(100_000)));
    assert_eq!(report.diagnostics[0].code, "E004");
    assert!(report.diagnostics[0].message.len() < 120, "{}", report.diagnostics[0].message);
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
}

/// Regression: a point label after the last byte of a file without a final
/// newline was not shown, and a long unterminated string printed its line.
#[test]
fn an_unterminated_string_at_the_end_of_the_file_is_labelled() {
    let (report, rendered) = render_all(format!("team \"{}", "x".repeat(100_000)));
    assert_eq!(report.diagnostics[0].message, "unterminated string");
    assert!(rendered.contains("expected a closing"), "{rendered}");
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
}

// ------------------------------------------------ text output of hostile text

/// Every text format of `report`: human without and with colour, concise,
/// github.
fn text_outputs(report: &supportlint::FileReport) -> Vec<(&'static str, String)> {
    use supportlint::report::human::{Style, render_report};
    use supportlint::report::text;
    vec![
        ("human", render_report(report, Style { color: false, unicode: true, width: 100 })),
        ("human colour", render_report(report, Style { color: true, unicode: true, width: 100 })),
        ("human ascii", render_report(report, Style { color: true, unicode: false, width: 60 })),
        ("concise", text::concise(report)),
        ("github", text::github(report)),
    ]
}

/// `text` without miette's own colour codes (`ESC [ ... m`).
fn without_styling(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(after.len());
        assert!(after[end..].starts_with('m'), "an escape sequence that is not a colour: {:?}", &rest[at..]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// No character a terminal would act on, and no line a GitHub runner would
/// run, except the github format's own commands.
fn assert_safe(format: &str, output: &str) {
    let plain = without_styling(output);
    let raw = plain.chars().find(|&c| c != '\n' && supportlint::escape::is_hidden(c));
    assert_eq!(raw, None, "{format}: a raw control character in\n{output}");
    for line in plain.lines() {
        let meant = format == "github"
            && ["::error file=", "::warning file=", "::notice file="].iter().any(|c| line.starts_with(c));
        assert!(meant || !line.trim_start().starts_with("::"), "{format}: a workflow command: {line}");
    }
}

const HOSTILE_NAME: &str = "Care\x1b]0;pwned\x07\x1b[31m\u{9b}2J\u{202e}\u{2066}\x7f";

/// Regression (issue 8): a team name holding ESC, OSC and BEL bytes reached
/// standard output raw in the human, concise and github formats.
#[test]
fn escape_sequences_in_names_comments_and_messages_are_shown_escaped() {
    let text = format!(
        "team \"{HOSTILE_NAME}\" {{\n  channel phone # \x1b[5m\u{85}blink\n  target handle_time <= 3m\n  promise thorough\n\
         drivers {{ \"\x1b[8mhidden\" 50% needs refund up_to $500 }}\n  target first_contact_resolution >= 90%\n}}\n\
         rule \"no-chat\" {{ when channel == phone message \"\x1b[2J cleared {{channel}}\" }}\n"
    );
    let report = Checker::new().check(&Source::new("hostile\x1b[1m.policy", text));
    assert!(report.diagnostics.len() >= 3, "{:?}", report.diagnostics);
    for (format, output) in text_outputs(&report) {
        assert_safe(format, &output);
        assert!(output.contains("\\u{1b}]0;pwned\\u{7}"), "{format}: the name is not shown escaped\n{output}");
    }
    let human = &text_outputs(&report)[0].1;
    assert!(human.contains("# \\u{1b}[5m\\u{85}blink"), "the source line is not shown escaped\n{human}");
    assert!(human.contains("[hostile\\u{1b}[1m.policy:3:3]"), "the title position is not the file's\n{human}");
}

/// Every character that is escaped, in every place of the human format:
/// C0 (but tabs and line ends in the source), DEL, C1, bidi controls.
#[test]
fn every_hidden_character_is_escaped_in_snippets() {
    let hidden: String = ('\0'..='\u{9f}')
        .chain('\u{202a}'..='\u{202e}')
        .chain('\u{2066}'..='\u{2069}')
        .filter(|&c| supportlint::escape::is_hidden(c) && !matches!(c, '\n' | '\r' | '\t'))
        .collect();
    assert_eq!(hidden.chars().count(), 32 - 3 + 1 + 32 + 5 + 4);
    let text = format!("team \"A\" {{\n  channel phone\n  chanel phone # {hidden}\n}}\n");
    let report = Checker::new().check(&Source::new("t.policy", text));
    for (format, output) in text_outputs(&report) {
        assert_safe(format, &output);
    }
}

/// Regression (issue 8): a policy whose file name contains a newline
/// followed by `::error file=...::` made the human and concise formats print
/// a line that GitHub Actions runs as a command.
#[test]
fn a_file_name_cannot_inject_a_workflow_command() {
    for name in
        ["x\n::error file=evil.policy::pwned.policy", "::error file=a::b.policy", " \u{2003}::warning::x.policy"]
    {
        let text = "team \"A\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}\n";
        let report = Checker::new().check(&Source::new(name, text));
        let outputs = text_outputs(&report);
        for (format, output) in &outputs {
            assert_safe(format, output);
        }
        let github = &outputs[4].1;
        assert_eq!(github.lines().count(), report.diagnostics.len(), "{github}");
        let concise = &outputs[3].1;
        assert_eq!(concise.lines().count(), report.diagnostics.len(), "{concise}");
    }
}

/// A message that wraps must not start a line with a workflow command, and
/// help text holding `%`, `:` and `,` stays one github line.
#[test]
fn a_custom_rule_message_cannot_inject_a_workflow_command() {
    let words = "word ".repeat(30);
    let text = format!(
        "team \"A\" {{ channel phone }}\n\
         rule \"inject\" {{\n  when channel == phone\n  message \"{words}::error file=x,line=1::pwned {words}\"\n  help \"100%: a, b ::notice::x\"\n}}\n"
    );
    let report = Checker::new().check(&Source::new("t.policy", text));
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    for (format, output) in text_outputs(&report) {
        assert_safe(format, &output);
        assert!(output.contains("\\u{3a}:error"), "{format}\n{output}");
    }
}

/// Names are shortened in text formats: a long team name is not repeated
/// whole in each of the team's findings (names are limited, messages that
/// quote them are not).
#[test]
fn a_long_team_name_is_shortened_in_every_text_format() {
    let name = "N".repeat(200);
    let text = format!("team \"{name}\" {{\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}}\n");
    let report = Checker::new().check(&Source::new("t.policy", text));
    assert!(report.diagnostics.len() >= 2);
    for (format, output) in text_outputs(&report) {
        assert!(output.len() < 2_000 * report.diagnostics.len(), "{format}: {} bytes", output.len());
        assert!(output.contains(&format!("{}...", "N".repeat(120))), "{format}");
    }
}

/// Configuration diagnostics go through the same renderer: a key with an
/// escape sequence (YAML's `\e`) is shown escaped.
#[test]
fn configuration_diagnostics_are_shown_escaped() {
    use supportlint::report::human::{Style, render};
    let yaml = Source::new("supportlint\x1b[1m.yaml", "rules:\n  \"K\\e[31m001\\a\": off\n\"\\e]0;x\\a\": 1\n");
    let diagnostics = supportlint::config::parse(&yaml).unwrap_err();
    assert!(!diagnostics.is_empty());
    for d in &diagnostics {
        assert_safe("config", &render(d, &yaml, Style { color: true, unicode: true, width: 80 }));
    }
}

// ------------------------------------------------------ bounded rendering

/// Regression (issue 10): a finding over thousands of statements rendered
/// every one of them. It keeps 12 labels, counts the rest, and renders in a
/// few kilobytes.
#[test]
fn a_finding_over_nine_thousand_statements_renders_twelve() {
    let targets: String = (0..9_000).map(|_| "  target csat >= 80% weight 1%\n").collect();
    let text = format!("team \"A\" {{\n  channel phone\n{targets}}}\n");
    let report = Checker::new().check(&Source::new("t.policy", text));
    let k005 = report.diagnostics.iter().find(|d| d.code == "K005").unwrap();
    assert_eq!((k005.labels.len(), k005.omitted_labels), (12, 8_988));
    let human = &text_outputs(&report)[0].1;
    assert!(human.contains("and 8988 more statements take part (not labelled)"), "{human}");
    assert!(human.len() < 4_000 * report.diagnostics.len(), "{} bytes", human.len());
    let json = supportlint::report::json::document(std::slice::from_ref(&report), Vec::new());
    let finding = json.findings.iter().find(|f| f.code == "K005").unwrap();
    // The primary label is the finding's own `location` and `label`.
    assert!(finding.label.is_some());
    assert_eq!((finding.labels.len(), finding.omitted_labels), (11, 8_988));
    let sarif: serde_json::Value = serde_json::from_str(&supportlint::report::sarif::log(&[report])).unwrap();
    let result = sarif["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "K005").unwrap();
    assert_eq!(result["properties"]["omittedLabels"], 8_988);
    assert_eq!(result["relatedLocations"].as_array().unwrap().len(), 11);
}

/// Regression (issue 10): a large file of teams whose findings have many
/// labels, all on one line, rendered in time quadratic in the line (each
/// column was counted from the start of the line). Every format stays
/// within a bound per finding.
#[test]
fn many_findings_with_many_labels_on_one_line_render_in_bounds() {
    let team = |i: usize| {
        let targets: String = (0..14).map(|_| "target csat >= 80% weight 1% ").collect();
        format!("team \"T{i}\" {{ channel phone {targets}}} ")
    };
    let text: String = (0..300).map(team).collect();
    let report = Checker::new().check(&Source::new("t.policy", text));
    let findings = report.diagnostics.len();
    assert!(findings >= 300, "{findings}");
    let outputs = text_outputs(&report);
    for (format, output) in &outputs {
        let shown = if format.starts_with("human") { 200 } else { findings };
        assert!(output.len() < 3_000 * shown, "{format}: {} bytes for {shown} findings", output.len());
    }
    assert!(outputs[0].1.contains(&format!("... and {} more in t.policy", findings - 200)));
    assert_eq!(outputs[3].1.lines().count(), findings);
    assert!(outputs[3].1.lines().last().unwrap().starts_with("t.policy:1:"), "{}", outputs[3].1);
}

// ---------------------------------------------------------------- line ends

/// Regression (issue 8): in a file whose lines end with a lone CR (old Mac
/// style), a `#` comment swallowed the rest of the file, and the error said
/// the file was empty.
#[test]
fn a_lone_cr_ends_a_comment_and_a_line() {
    let text = "# care teams\rteam \"A\" {  # the phone queue\r  channel phone\r  target handle_time <= 3m\r  promise thorough\r}\r";
    let report = Checker::new().check(&Source::new("mac.policy", text));
    let k001 =
        report.diagnostics.iter().find(|d| d.code == "K001").unwrap_or_else(|| panic!("{:?}", report.diagnostics));
    let at = report.source.line_col(k001.primary_span().start as usize);
    assert_eq!((at.line, at.column), (4, 3));
    let (_, rendered) = render_all(text.to_string());
    assert!(rendered.contains("[hostile.policy:4:3]"), "{rendered}");
    assert!(rendered.contains(" 3 │   channel phone\n 4 │   target handle_time <= 3m\n"), "{rendered}");
    assert_safe("human", &rendered);
}

/// An error in an old-Mac file is placed on its line, and a string ends on
/// its line at a lone CR.
#[test]
fn errors_in_a_lone_cr_file_are_located_on_their_line() {
    let report = Checker::new().check(&Source::new("t", "team \"A\" {\r  channel phone\r  chanel phone\r}\r"));
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    let at = report.source.line_col(report.diagnostics[0].primary_span().start as usize);
    assert_eq!((at.line, at.column), (3, 3));
    let report = Checker::new().check(&Source::new("t", "team \"A\r  channel phone\r}\r"));
    assert_eq!(report.diagnostics[0].message, "unterminated string");
    assert_eq!(report.source.line_col(report.diagnostics[0].primary_span().end as usize).line, 1);
    // `\r\n` stays one line end.
    let report = Checker::new().check(&Source::new("t", "team \"A\" {\r\n  chanel phone\r\n}\r\n"));
    assert_eq!(report.source.line_col(report.diagnostics[0].primary_span().start as usize).line, 2);
}

// ------------------------------------------------- found by the fuzz targets

/// Found by fuzzing: in a binary file with bytes that are not UTF-8 before
/// its first NUL, the NUL's label pointed into the replacement characters
/// (the text is converted lossily, which moves every later offset).
#[test]
fn nul_after_invalid_utf8_is_labelled_at_the_nul() {
    let report = Checker::new().check_bytes("blob.policy", b"team \"A\" {\n  demand \xcf\x000/h\n}\n".to_vec());
    let span = report.diagnostics[0].primary_span();
    assert_eq!(report.diagnostics[0].labels[0].message, "NUL byte");
    assert_eq!(report.source.slice(span), "\0");
    assert_eq!(report.source.line_col(span.start as usize).column, 11);
}
