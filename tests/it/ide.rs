//! The editor features (`supportlint::ide`), from text with a cursor `|`.

use proptest::prelude::*;
use supportlint::Edit;
use supportlint::ide::{self, CompletionKind, SymbolKind};
use supportlint::{Checker, FileReport, Source, Span};

/// The report of `text` without its cursor, and the cursor's offset.
fn at(text: &str) -> (FileReport, usize) {
    let offset = text.find('|').expect("a cursor `|`");
    let text = text.replacen('|', "", 1);
    (Checker::new().check(&Source::new("t.policy", text)), offset)
}

fn hover(text: &str) -> String {
    let (report, offset) = at(text);
    ide::hover(&report, offset).map(|h| h.markdown).unwrap_or_default()
}

fn labels(text: &str) -> Vec<String> {
    let (report, offset) = at(text);
    ide::complete(&report, offset).items.into_iter().map(|c| c.label).collect()
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.span.range(), &e.replacement);
    }
    out
}

const CARE: &str = "\
team \"Kundenservice Zürich 🇨🇭\" {
  channel phone
  demand 200/h
  agents| 14
  service_level 80% within 20s
  target handle_time <= 3m
  promise thorough
}
";

#[test]
fn hover_on_staffing_shows_the_teams_figures() {
    let text = hover(CARE);
    // The classic published example: 200 an hour at 3m is 10 Erlangs; 14
    // agents answer 88.8% within 20s.
    assert!(text.contains("offered load: 10.00 Erlangs"), "{text}");
    assert!(text.contains("achieved service level: 88.8% (target 80% within 20s)"), "{text}");
    assert!(text.contains("average speed of answer: 7.8s"), "{text}");
    assert!(text.contains("occupancy: 71.4%"), "{text}");
    assert!(text.contains("at the honest handle time of 6m, the floor of `thorough`"), "{text}");
    assert!(text.contains("staffing of team \"Kundenservice Zürich 🇨🇭\""), "{text}");
    // The staffing plan at both handle times (the honest one agrees with
    // S003's help), the headroom and the plans with more demand.
    assert!(
        text.contains("staffing plan at 3m: 14 scheduled agents (14 productive), decided by the service level"),
        "{text}"
    );
    assert!(text.contains("staffing plan 25 scheduled agents"), "{text}");
    assert!(
        text.contains("demand headroom: 8.6% more contacts before the service level of 80% within 20s fails"),
        "{text}"
    );
    assert!(text.contains("plan with more demand: +10%: 15 scheduled, +25%: 16 scheduled"), "{text}");
}

#[test]
fn hover_on_a_finding_explains_its_rule() {
    let text = hover(&CARE.replace("agents| 14", "agents 14").replace("target handle_time", "target handle|_time"));
    assert!(text.contains("**K001 `handle-time-below-promise`**"), "{text}");
    assert!(text.contains("## Why is this bad?"), "{text}");
    // The metric under the cursor, and the floor that applies to the team.
    assert!(text.contains("`handle_time` (metric)"), "{text}");
    assert!(text.contains("`thorough` needs at least 6m on phone"), "{text}");
}

#[test]
fn hover_on_words_says_what_they_mean_and_the_norm_that_applies() {
    let promise = hover("team \"A\" {\n  channel chat\n  promise thor|ough\n}\n");
    assert!(promise.contains("a thorough chat contact takes at least 10m"), "{promise}");
    let anywhere = hover("norms {\n  handle_time_floor empa|thetic phone 7m\n}\n");
    assert!(anywhere.contains("phone 7m"), "the file's norm is in force: {anywhere}");
    let level =
        hover("chain board > lead\nteam \"A\" {\n  channel phone\n  directive le|ad: minimize handle_time\n}\n");
    assert!(level.contains("level 2 of 2 in the chain `board > lead`"), "{level}");
    let norm = hover("norms {\n  max_occ|upancy 80%\n}\n");
    assert!(norm.contains("in force: 80% (default 85%)"), "{norm}");
    assert!(norm.contains("read by") && norm.contains("S004"), "{norm}");
    let rule = hover("allow one-off-tr|aining \"why\"\n");
    assert!(rule.contains("P002 `one-off-training`"), "{rule}");
    let keyword = hover("team \"A\" {\n  shrin|kage 30%\n}\n");
    assert!(keyword.contains("share of scheduled time not available"), "{keyword}");
}

#[test]
fn hover_on_a_defaults_statement_lists_the_teams_that_inherit_it() {
    let text =
        "defaults {\n  demand 20|0/h\n  agents 14\n}\nteam \"A\" { channel phone }\nteam \"B\" { channel email }\n";
    let shown = hover(text);
    assert!(shown.contains("team \"A\": load 20.00") && shown.contains("team \"B\": load 20.00"), "{shown}");
}

#[test]
fn hover_outside_anything_known_is_nothing() {
    assert_eq!(hover("# a comm|ent\n"), "");
    assert!(hover("team \"A\" {\n  channel phone\n  demand 20|0/h\n}\n").contains("staffing"));
}

#[test]
fn completion_offers_the_words_of_the_slot() {
    assert!(labels("team \"A\" {\n  |\n}").contains(&"service_level".to_string()));
    assert_eq!(labels("team \"A\" {\n  channel |\n}"), ["phone", "chat", "email", "social", "video", "in_person"]);
    assert!(labels("team \"A\" {\n  promise thorough, |\n}").contains(&"follow_up".to_string()));
    assert_eq!(labels("chain board > lead\nteam \"A\" {\n  target csat >= 80% set_by |\n}"), ["board", "lead"]);
    assert!(labels("team \"A\" {\n  directive manager: |\n}").contains(&"require".to_string()));
    assert!(labels("team \"A\" { authority { refund up_to $5 approval | } }").contains(&"supervisor".to_string()));
    assert!(labels("team \"A\" { training { sequence resilience, | } }").contains(&"self_care".to_string()));
    assert!(labels("team \"A\" { hiring { screen_for | } }").contains(&"composure".to_string()));
    assert!(labels("team \"A\" { training { cadence | } }").contains(&"monthly".to_string()));
    assert!(labels("team \"A\" { drivers { \"x\" 10% needs | } }").contains(&"escalate".to_string()));
}

#[test]
fn completion_in_allow_offers_rule_names_codes_and_the_files_rules() {
    let found = labels("rule \"big-team\" {\n  when agents > 100\n  message \"big\"\n}\nallow |");
    for expected in ["one-off-training", "P002", "big-team", "unused-allow"] {
        assert!(found.contains(&expected.to_string()), "{expected} in {found:?}");
    }
    assert!(!found.contains(&"E001".to_string()), "front-end errors cannot be allowed");
}

#[test]
fn completion_in_custom_rules_offers_paths_and_their_values() {
    let paths = labels("rule \"r\" {\n  when derived.|");
    assert!(paths.contains(&"derived.occupancy".to_string()) && paths.contains(&"authority.refund".to_string()));
    assert_eq!(labels("rule \"r\" {\n  when emotional_load == |"), ["low", "medium", "high"]);
    assert!(labels("rule \"r\" {\n  message \"{authority.|").contains(&"authority.refund".to_string()));
    let (report, offset) = at("rule \"r\" {\n  when derived.lo|");
    let completions = ide::complete(&report, offset);
    assert_eq!(completions.replace, Span::new(offset - "derived.lo".len(), offset));
    assert!(completions.items.iter().all(|c| c.kind == CompletionKind::Path));
}

#[test]
fn completion_works_in_a_file_that_does_not_parse() {
    let found = labels("team \"A\" {\n  channel phone\n  promise |\n  demand 600/\n}\nteam \"B\" {");
    assert!(found.contains(&"empathetic".to_string()), "{found:?}");
}

#[test]
fn code_actions_offer_fixes_and_an_allow_in_the_team() {
    let text = "team \"Care\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n  allow P002 \"no training here\"\n}\n";
    let report = Checker::new().check(&Source::new("t.policy", text));
    // The unused allow: its safe fix, preferred, titled as in the CLI.
    let at_allow = text.find("allow P002").unwrap();
    let actions = ide::code_actions(&report, Span::point(at_allow + 3));
    let fix = actions.iter().find(|a| a.title == "remove the unused `allow P002`").expect("the fix");
    assert!(fix.preferred);
    assert!(!apply(text, &fix.edits).contains("allow P002"));
    // K001 on the target: an `allow` with a placeholder reason, in the team.
    let at_target = text.find("target").unwrap();
    let actions = ide::code_actions(&report, Span::point(at_target));
    let allow = actions
        .iter()
        .find(|a| a.title == "allow `handle-time-below-promise` in team \"Care\" with a reason")
        .expect("an allow");
    let fixed = apply(text, &allow.edits);
    assert!(fixed.ends_with("  allow handle-time-below-promise \"explain why this is acceptable\"\n}\n"), "{fixed}");
    let after = Checker::new().check(&Source::new("t.policy", fixed));
    assert!(!after.diagnostics.iter().any(|d| d.code == "K001" && !d.is_suppressed()));
    // Nothing to do where nothing was found.
    assert!(ide::code_actions(&report, Span::point(text.find("channel").unwrap())).is_empty());
}

#[test]
fn an_allow_in_a_one_line_team_stays_on_its_line() {
    let text = "team \"A\" { channel phone target handle_time <= 3m promise thorough }\n";
    let report = Checker::new().check(&Source::new("t.policy", text));
    let actions = ide::code_actions(&report, Span::point(text.find("target").unwrap()));
    let fixed = apply(text, &actions.iter().find(|a| a.title.starts_with("allow `handle")).unwrap().edits);
    assert!(fixed.ends_with("promise thorough allow handle-time-below-promise \"explain why this is acceptable\" }\n"));
    let after = Checker::new().check(&Source::new("t.policy", fixed));
    assert!(after.diagnostics.iter().all(|d| d.is_suppressed() || d.code != "K001"), "{:?}", after.diagnostics);
}

#[test]
fn symbols_and_definitions() {
    let text = "policy \"P\"\nnorms { max_occupancy 80% }\ndefaults { shrinkage 30% }\nteam \"A\" {\n  allow big-team \"ok\"\n}\nrule \"big-team\" {\n  when agents > 100\n  message \"big\"\n}\n";
    let report = Checker::new().check(&Source::new("t.policy", text));
    let symbols: Vec<(String, SymbolKind)> = ide::symbols(&report).into_iter().map(|s| (s.name, s.kind)).collect();
    assert_eq!(
        symbols,
        [
            ("norms".to_string(), SymbolKind::Norms),
            ("defaults".to_string(), SymbolKind::Defaults),
            ("A".to_string(), SymbolKind::Team),
            ("big-team".to_string(), SymbolKind::Rule),
        ]
    );
    let reference = text.find("big-team \"ok\"").unwrap() + 2;
    let target = ide::definition(&report, reference).unwrap();
    assert_eq!(&text[target.range()], "\"big-team\"");
    assert_eq!(ide::definition(&report, text.find("agents").unwrap()), None);
}

#[test]
fn every_offset_of_every_shipped_policy_is_answered_without_panicking() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "policy") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let report = Checker::new().check(&Source::new(path.display().to_string(), text.clone()));
        // Every 11th byte (inside characters too) and past the end.
        for offset in (0..text.len() + 11).step_by(11) {
            let _ = ide::hover(&report, offset);
            let _ = ide::complete(&report, offset);
            let _ = ide::definition(&report, offset);
            for action in ide::code_actions(&report, Span::new(offset, offset + 40)) {
                assert!(action.edits.iter().all(|e| text.is_char_boundary(e.span.start as usize)));
            }
        }
        assert!(!ide::symbols(&report).is_empty());
    }
}

/// Whether `span` lies in `text` on character boundaries.
fn inside(text: &str, span: Span) -> bool {
    span.start <= span.end && text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Broken text, any offset (inside a character, past the end): an
    /// answer or nothing, never a panic, and every span inside the text.
    #[test]
    fn any_text_and_any_offset_is_answered_inside_the_text(
        text in "(team|defaults|norms|rule|allow|authority|drivers|when|promise|channel|target|\"|\\{|\\}|\\[|\\(|,|:|#|==|é|🇨|\n| |[a-z_.-]{1,6}|[0-9]{1,3}%?){0,40}",
        offsets in prop::collection::vec(0usize..400, 8),
    ) {
        let report = Checker::new().check(&Source::new("fuzz.policy", text.clone()));
        for symbol in ide::symbols(&report) {
            prop_assert!(inside(&text, symbol.span) && inside(&text, symbol.selection));
        }
        for offset in offsets {
            if let Some(h) = ide::hover(&report, offset) {
                prop_assert!(inside(&text, h.span));
            }
            prop_assert!(inside(&text, ide::complete(&report, offset).replace));
            if let Some(span) = ide::definition(&report, offset) {
                prop_assert!(inside(&text, span));
            }
            for action in ide::code_actions(&report, Span::new(offset, offset + 10)) {
                prop_assert!(action.edits.iter().all(|e| inside(&text, e.span)));
            }
        }
    }
}
