//! The formatter: idempotent, meaning-preserving, comment-preserving on
//! every policy of the repository, snapshots of the tricky layouts, and a
//! property test on generated policies.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use supportlint::{Checker, Source, format};

use crate::harness;

fn fmt(text: &str) -> String {
    match format(&Source::new("t.policy", text)) {
        Ok(out) => out,
        Err(d) => panic!("not formatted: {d:#?}"),
    }
}

/// Every `.policy` file under `dir`, recursively.
fn policies(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            policies(&path, out);
        } else if path.extension().is_some_and(|e| e == "policy") {
            out.push(path);
        }
    }
}

fn all_policies() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    policies(&root.join("tests/fixtures"), &mut files);
    policies(&root.join("policies"), &mut files);
    files.sort();
    files
}

/// The comments of a policy text, each without trailing white space, in
/// order. Written independently of the formatter's lexer: strings (with
/// their escapes) are skipped, a comment runs to the end of its line.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' | '\r' => break,
                        _ => {}
                    }
                }
            }
            '#' => {
                let mut comment = String::from("#");
                while let Some(&c) = chars.peek() {
                    if c == '\n' || c == '\r' {
                        break;
                    }
                    comment.push(c);
                    chars.next();
                }
                out.push(comment.trim_end_matches([' ', '\t']).to_string());
            }
            _ => {}
        }
    }
    out
}

/// A syntax tree's debug form without its spans: what the file says, not
/// where it says it.
fn meaning(source: &Source) -> String {
    let parsed = supportlint::syntax::parse(source, &supportlint::syntax::Limits::default());
    let tree = format!("{:?}", parsed.file.expect("parses"));
    let mut out = String::with_capacity(tree.len());
    let mut rest = tree.as_str();
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').unwrap();
        out.push_str("Span");
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// `(code, team, message)` of every diagnostic, sorted.
fn findings(source: &Source) -> Vec<(String, String, String)> {
    let report = Checker::new().check(source);
    let mut out: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.team.clone().unwrap_or_default(), d.message.clone()))
        .collect();
    out.sort();
    out
}

/// Formats `text` and checks the promises: formatting again changes
/// nothing, the tree and the findings are the same, and so are the
/// comments (as a multiset: a comment before `{` moves after it).
fn check_formatting(name: &str, text: &str) -> String {
    let original = Source::new(name, text);
    let once = format(&original).unwrap_or_else(|d| panic!("{name}: not formatted: {d:#?}\n{text}"));
    let formatted = Source::new(name, once.clone());
    let twice = format(&formatted).unwrap_or_else(|d| panic!("{name}: formatted text not formatted: {d:#?}\n{once}"));
    assert_eq!(twice, once, "{name}: formatting twice differs from once");
    assert_eq!(meaning(&formatted), meaning(&original), "{name}: the tree changed\n{once}");
    assert_eq!(findings(&formatted), findings(&original), "{name}: the findings changed\n{once}");
    let (mut before, mut after) = (comments(text), comments(&once));
    before.sort();
    after.sort();
    assert_eq!(after, before, "{name}: comments changed\n{once}");
    once
}

#[test]
fn every_policy_of_the_repository_formats_idempotently_and_keeps_its_meaning() {
    let mut formatted = 0;
    for path in all_policies() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        if format(&Source::new(name.clone(), text.clone())).is_err() {
            // The syntax-error fixtures.
            assert!(name.contains("E001") || name.contains("E008"), "{name} was refused");
            continue;
        }
        check_formatting(&name, &text);
        formatted += 1;
    }
    assert!(formatted >= 75, "only {formatted} policies formatted");
}

/// The `# expect:` markers of the rule fixtures are end-of-line comments on
/// the statement that fires: after formatting they must still be there.
#[test]
fn rule_fixtures_still_fire_where_marked_after_formatting() {
    let names = super::harness::policy_names("tests/fixtures/rules");
    for name in names {
        let original = harness::load("rules", &name);
        let formatted = Source::new(original.name(), fmt(original.text()));
        let report = Checker::new().check(&formatted);
        let code = name.split('_').next().unwrap().to_string();
        let keep = |d: &supportlint::Diagnostic| d.code == code || d.code.starts_with('E');
        // A comment after a one-line block goes with the block's one
        // statement: a finding on the block's keyword is marked a line below.
        let outcome = supportlint::testing::check_with(&report, keep);
        let mut actual = outcome.found;
        let lines: Vec<&str> = formatted.text().lines().collect();
        let expected = outcome.expected;
        for (line, code) in &mut actual {
            let opener = lines[*line as usize - 1].ends_with('{');
            if opener && !expected.contains(&(*line, code.clone())) {
                *line += 1;
            }
        }
        actual.sort();
        assert_eq!(actual, expected, "{name}: markers and findings part after formatting\n{}", formatted.text());
    }
}

/// The example of docs/language.md's "Formatting" section formats to the
/// text the section shows.
#[test]
fn the_documented_example_formats_as_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md")).unwrap();
    let section = doc.split("\n## Formatting\n").nth(1).unwrap().split("\n## ").next().unwrap();
    let blocks: Vec<&str> = section.split("```policy\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    let [before, after] = blocks.as_slice() else { panic!("expected two examples, found {}", blocks.len()) };
    assert_eq!(check_formatting("docs/language.md", before), *after);
}

fn snapshot_fixture(name: &str) -> String {
    let source = harness::load("format", name);
    check_formatting(source.name(), source.text())
}

#[test]
fn comments_stay_where_they_belong() {
    insta::assert_snapshot!("format_comments", snapshot_fixture("comments.policy"));
}

#[test]
fn authority_and_drivers_are_aligned_in_columns() {
    insta::assert_snapshot!("format_alignment", snapshot_fixture("alignment.policy"));
}

#[test]
fn spacing_blank_lines_and_blocks_are_canonical() {
    insta::assert_snapshot!("format_layout", snapshot_fixture("layout.policy"));
}

#[test]
fn custom_rules_keep_their_expressions_token_for_token() {
    insta::assert_snapshot!("format_rules", snapshot_fixture("rules.policy"));
}

#[test]
fn values_are_kept_as_written() {
    let text = "team \"A\" { channel phone\n target handle_time <= 4.5min\n authority { refund up_to $50 credit up_to 120\t USD }\n demand 600/h target csat >= 4.5/5 target nps>=-10 hours 08:00 - 20:00 service_level 80%within 2m30s }\n";
    assert_eq!(
        check_formatting("values", text),
        concat!(
            "team \"A\" {\n",
            "  channel phone\n",
            "  target handle_time <= 4.5min\n",
            "  authority {\n",
            "    refund up_to $50\n",
            "    credit up_to 120 USD\n",
            "  }\n",
            "  demand 600/h\n",
            "  target csat >= 4.5/5\n",
            "  target nps >= -10\n",
            "  hours 08:00-20:00\n",
            "  service_level 80% within 2m30s\n",
            "}\n",
        )
    );
}

#[test]
fn strings_keep_their_escapes_and_hashes() {
    let text = "team \"Claims \\\"#1\\\" \\\\ # not a comment\" { channel email # a comment\n}";
    assert_eq!(
        check_formatting("strings", text),
        "team \"Claims \\\"#1\\\" \\\\ # not a comment\" {\n  channel email  # a comment\n}\n"
    );
    // White space inside a string is the string's.
    let spaced = "team \"Two  spaces\tand a tab\" { channel email drivers { \"a  b\" 10% } }";
    assert_eq!(
        check_formatting("spaced", spaced),
        "team \"Two  spaces\tand a tab\" {\n  channel email\n  drivers {\n    \"a  b\" 10%\n  }\n}\n"
    );
}

#[test]
fn a_byte_order_mark_and_consistent_crlf_are_kept() {
    let text = "\u{feff}team \"A\" {\r\n\r\n\r\n  channel phone   # c\r\n}\r\n";
    assert_eq!(check_formatting("crlf", text), "\u{feff}team \"A\" {\r\n  channel phone  # c\r\n}\r\n");
    // Mixed line ends become `\n`; a lone CR ends a line.
    let mixed = "team \"A\" {\r\n  channel phone\r  agents 5\n}";
    assert_eq!(check_formatting("mixed", mixed), "team \"A\" {\n  channel phone\n  agents 5\n}\n");
    // A lone CR ends a comment, for the parser as for the formatter.
    let old_mac = "team \"A\" {\r  channel phone # phones only\r  agents 5\r}\r";
    assert_eq!(check_formatting("old mac", old_mac), "team \"A\" {\n  channel phone  # phones only\n  agents 5\n}\n");
}

/// Regression: the comment after the `}` of a block written on one line
/// went to the block's first line, ahead of a comment that stood before the
/// block's `{` (the formatter's own check refused the file).
#[test]
fn a_comment_after_a_one_line_block_never_jumps_over_another() {
    let text = "team \"T\" { channel chat drivers\n  # before the brace\n  {}   # after it\n}\n";
    assert_eq!(
        check_formatting("jump", text),
        "team \"T\" {\n  channel chat\n  drivers {\n    # before the brace\n  }  # after it\n}\n"
    );
    let one_line = "team \"T\" { channel chat training { cadence once }   # induction only\n}\n";
    assert_eq!(
        check_formatting("one line", one_line),
        "team \"T\" {\n  channel chat\n  training {\n    cadence once  # induction only\n  }\n}\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("  # just a note   \n\n\n# another\n"), "# just a note\n\n# another\n");
}

#[test]
fn syntax_errors_are_refused_with_their_diagnostics() {
    for text in ["team \"A\" { chanel phone }", "team \"A\" { channel phone", "team \"A\" { target x <= 3mins }"] {
        let errors = format(&Source::new("bad.policy", text)).unwrap_err();
        assert!(!errors.is_empty() && errors.iter().all(|d| d.code == "E001"), "{text}: {errors:#?}");
    }
    // Problems of meaning are not syntax: the file is formatted as written.
    assert_eq!(fmt("team \"A\" { channel fone }"), "team \"A\" {\n  channel fone\n}\n");
}

#[test]
fn limits_are_refused() {
    let limits = supportlint::syntax::Limits { max_statements: 2, ..Default::default() };
    let source = Source::new("big.policy", "team \"A\" { agents 1 agents 2 agents 3 }");
    let errors = supportlint::format_with_limits(&source, &limits).unwrap_err();
    assert_eq!(errors[0].code, "E008");
}

/// Formatting is linear: a policy of 2,000 teams, a one-line file of the
/// same size and a block of many aligned drivers with one huge name all
/// give output proportional to their input (not timed: the bench times it).
#[test]
fn output_is_bounded_by_the_input() {
    let huge_name = "x".repeat(100_000);
    let mut drivers = format!("team \"A\" {{ channel phone drivers {{ \"{huge_name}\" 1%");
    for i in 0..5_000 {
        drivers.push_str(&format!(" \"d{i}\" 0.01% preventable"));
    }
    drivers.push_str(" } }");
    let out = fmt(&drivers);
    assert!(out.len() < drivers.len() * 3, "{} bytes from {}", out.len(), drivers.len());
    // Every other name is padded to the widest name within the limit, not to the huge one.
    assert!(out.contains("\n    \"d0\"    0.01% preventable\n"), "{}", &out[out.len() - 200..]);
}

// ------------------------------------------------------------ properties

/// Statements (with comments) that may stand in a team, from the fixtures.
const STATEMENTS: &[&str] = &[
    "channel phone",
    "channel chat concurrency 2",
    "demand 600/h",
    "demand 4800/day # spread over the hours\n",
    "agents 42",
    "shrinkage 30%",
    "hours 08:00-20:00",
    "service_level 80% within 20s",
    "patience 2m30s",
    "target handle_time <= 3m weight 40% set_by executive",
    "target first_contact_resolution >= 75% weight 20%",
    "target csat between 80% and 90%",
    "target nps >= -10",
    "promise thorough, personalized",
    "promise follow_up",
    "authority { refund up_to $50 credit up_to $20 approval supervisor replacement allowed fee_waiver none }",
    "authority { # none at all\n}",
    "drivers { \"where is my order\" 40% preventable \"billing  # dispute\" 25% needs refund up_to $120 }",
    "drivers {}",
    "scripts verbatim",
    "emotional_load high",
    "training { cadence once sequence customer_methods, product case_reviews biweekly }",
    "hiring { screen_for friendliness, enthusiasm }",
    "directive executive: minimize handle_time",
    "directive director: cap handle_time at 4m",
    "allow one-off-training \"refresher \\\"soon\\\"\"",
];

/// Top-level items other than teams.
const ITEMS: &[&str] = &[
    "policy \"Generated\"",
    "chain executive > director > manager > supervisor",
    "norms { max_occupancy 85% handle_time_floor thorough phone 6m }",
    "allow weights-not-100 \"rebalanced in Q3\"",
    "rule \"phone-refund-floor\" { severity warning when channel == phone and (authority.refund < $25 or not (agents > 3)) message \"low {authority.refund}\" help \"raise it\" }",
    "rule \"chat-care\" { when channel in [chat, social] and promises has thorough and patience is not set message \"m\" }",
];

/// White space between two tokens: spaces, line ends of every kind, blank
/// lines and comments.
fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(" ".to_string()),
        1 => Just("\t ".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\n\n\n".to_string()),
        1 => Just("   # note\n".to_string()),
        1 => Just("\n  # own line\n  ".to_string()),
    ]
}

/// Splits `text` at its spaces (outside strings and comments, and not the
/// one in a value like `120 USD`) and joins the pieces with `separators`.
fn respace(text: &str, separators: &[String]) -> String {
    let mut out = String::new();
    let (mut in_string, mut in_comment, mut escaped) = (false, false, false);
    let mut next = separators.iter().cycle();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            in_comment = true;
        } else if c == ' ' {
            let after_number = i > 0 && chars[i - 1].is_ascii_digit();
            let code = chars.get(i + 1..i + 4).is_some_and(|w| w.iter().all(char::is_ascii_alphabetic));
            if !(after_number && code) {
                out.push_str(next.next().map_or(" ", String::as_str));
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn policy() -> impl Strategy<Value = String> {
    let team = proptest::sample::subsequence(STATEMENTS.to_vec(), 1..8).prop_shuffle();
    let teams = proptest::collection::vec(team, 1..4);
    let items = proptest::sample::subsequence(ITEMS.to_vec(), 0..4).prop_shuffle();
    let separators = proptest::collection::vec(separator(), 1..40);
    (teams, items, separators).prop_map(|(teams, items, separators)| {
        let mut text = String::new();
        for item in items {
            text.push_str(item);
            text.push('\n');
        }
        for (i, stmts) in teams.iter().enumerate() {
            text.push_str(&format!("team \"T{i}\" {{ {} }}\n", stmts.join(" ")));
        }
        respace(&text, &separators)
    })
}

/// The policies of the repository that format (the syntax-error fixtures
/// do not).
fn formattable() -> &'static [(String, String)] {
    static FILES: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
        all_policies()
            .into_iter()
            .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
            .filter(|(name, text)| format(&Source::new(name.clone(), text.clone())).is_ok())
            .collect()
    });
    &FILES
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Generated policies, spaced and commented at random, format
    /// idempotently to the same tree, findings and comments.
    #[test]
    fn generated_policies_format_idempotently(text in policy()) {
        check_formatting("generated.policy", &text);
    }

    /// The policies of the repository with their spaces replaced at random
    /// by line ends, blank lines and comments.
    #[test]
    fn respaced_policies_format_idempotently(
        index in 0..1000usize,
        separators in proptest::collection::vec(separator(), 1..40),
    ) {
        let files = formattable();
        let (name, text) = &files[index % files.len()];
        check_formatting(name, &respace(text, &separators));
    }
}
