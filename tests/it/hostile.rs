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
