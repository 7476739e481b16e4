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
