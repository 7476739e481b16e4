//! The figures behind every finding: each number a built-in rule's message
//! quotes is one of its figures (same unit, the same value to the digits
//! shown), each figure is a number the message or help quotes, a few
//! findings carry exactly the figures worked out by hand, and JSON output
//! carries them.

use std::collections::BTreeSet;
use std::path::Path;

use supportlint::{Checker, Diagnostic, Source};

/// The unit a number is quoted in, and the unit a figure's name ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Percent,
    Seconds,
    Plain,
}

/// A number as a message writes it: its value in the figure's unit and the
/// digits shown after the point.
#[derive(Debug, Clone, Copy)]
struct Quoted {
    value: f64,
    unit: Unit,
    decimals: i32,
}

fn unit_of(figure: &str) -> Unit {
    if figure.ends_with("_percent") {
        Unit::Percent
    } else if figure.ends_with("_seconds") {
        Unit::Seconds
    } else {
        Unit::Plain
    }
}

/// A decimal number at the start of `text`: its value, length and digits
/// after the point.
fn decimal(text: &str) -> Option<(f64, usize, i32)> {
    let len = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let digits = text.get(..len)?.trim_end_matches('.');
    let value = digits.parse().ok()?;
    let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len() as i32);
    Some((value, digits.len(), decimals))
}

/// Every number `text` quotes outside backticks (user text), with its unit:
/// `85%`, `88.84%`, `3m`, `5m20s`, `1h30m`, `7.8s`, `20.00 Erlangs`, `14`.
fn numbers(text: &str) -> Vec<Quoted> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            quoted = !quoted;
        }
        let after_letter = text.len() > rest.len()
            && text.get(..text.len() - rest.len()).and_then(|s| s.chars().last()).is_some_and(char::is_alphanumeric);
        if quoted || !c.is_ascii_digit() || after_letter {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        // A minus sign that starts a word (`-5`, not the dash of `30-35%`).
        let before: Vec<char> = text.get(..text.len() - rest.len()).unwrap_or("").chars().rev().take(2).collect();
        let sign =
            if before.first() == Some(&'-') && before.get(1).is_none_or(|c| !c.is_alphanumeric()) { -1.0 } else { 1.0 };
        // A run of duration components (`5m20s`), a percentage or a number.
        let mut secs = 0.0;
        let mut scan = rest;
        let mut decimals = 0;
        let mut is_duration = false;
        while let Some((value, len, d)) = decimal(scan) {
            let unit = scan.get(len..).and_then(|s| s.chars().next());
            let word_ends = scan.get(len + 1..).and_then(|s| s.chars().next()).is_none_or(|c| !c.is_alphabetic());
            let factor = match unit {
                Some('h') if word_ends || scan.get(len + 1..).is_some_and(|s| s.starts_with(char::is_numeric)) => {
                    3600.0
                }
                Some('m') if word_ends || scan.get(len + 1..).is_some_and(|s| s.starts_with(char::is_numeric)) => 60.0,
                Some('s') if word_ends => 1.0,
                _ => break,
            };
            secs += value * factor;
            decimals = d;
            is_duration = true;
            scan = &scan[len + 1..];
        }
        if is_duration {
            out.push(Quoted { value: sign * secs, unit: Unit::Seconds, decimals });
            rest = scan;
            continue;
        }
        let Some((value, len, decimals)) = decimal(rest) else { break };
        let percent = rest.get(len..).is_some_and(|s| s.starts_with('%'));
        out.push(Quoted { value: sign * value, unit: if percent { Unit::Percent } else { Unit::Plain }, decimals });
        rest = &rest[len..];
        // The scale of a score (`4.5/5`) is not a figure: the score is.
        if let Some(scale) = rest.strip_prefix('/').and_then(|s| decimal(s).map(|(_, len, _)| &s[len..])) {
            rest = scale;
        }
    }
    out
}

/// Whether a figure reads as `q`: the same unit, and equal to within one
/// unit of the last digit shown (a wait of 319.9s reads "under 5m20s").
fn reads_as(name: &str, value: f64, q: Quoted) -> bool {
    unit_of(name) == q.unit && (value - q.value).abs() <= 10f64.powi(-q.decimals) + 1e-9
}

/// Every policy of the repository that a built-in rule fires on.
fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in ["tests/fixtures/rules", "policies"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "policy")) {
            let text = std::fs::read_to_string(&path).unwrap();
            sources.push(Source::new(path.display().to_string(), text));
        }
    }
    sources
}

/// The findings of built-in rules (not front-end errors, custom rules or
/// suppression problems) on every policy of the repository.
fn builtin_findings() -> Vec<(String, Diagnostic)> {
    let codes: BTreeSet<&str> = supportlint::rules::builtin().iter().map(|r| r.meta().code).collect();
    let mut out = Vec::new();
    for source in sources() {
        for d in Checker::new().check(&source).diagnostics {
            if codes.contains(d.code.as_ref()) {
                out.push((source.name().to_string(), d));
            }
        }
    }
    out
}

/// The message without the numbers that are part of a rule's wording, the
/// same in every finding: "not 100%" of K005.
fn wording_removed(d: &Diagnostic) -> String {
    let wording: &[&str] = match d.code.as_ref() {
        "K005" => &["not 100%"],
        _ => &[],
    };
    wording.iter().fold(d.message.clone(), |m, w| m.replace(w, ""))
}

#[test]
fn every_number_a_message_quotes_is_a_figure_of_the_finding() {
    let findings = builtin_findings();
    let mut checked = 0;
    let mut missing = Vec::new();
    let mut codes_with_figures = BTreeSet::new();
    for (file, d) in &findings {
        if !d.figures.is_empty() {
            codes_with_figures.insert(d.code.to_string());
        }
        for q in numbers(&wording_removed(d)) {
            checked += 1;
            if !d.figures.iter().any(|f| reads_as(f.name, f.value, q)) {
                missing.push(format!(
                    "{file}: {} quotes {q:?} but has no such figure\n  message: {}\n  figures: {:?}",
                    d.code, d.message, d.figures
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(checked > 300, "only {checked} numbers checked");
    // Every rule whose message quotes numbers is covered by the fixtures.
    for code in ["A001", "A002", "A003", "K001", "K002", "K003", "K005", "K006", "K007", "L001", "L002", "L003"] {
        assert!(codes_with_figures.contains(code), "no {code} finding with figures");
    }
    for code in ["P005", "S001", "S002", "S003", "S004", "S005", "S006", "S007"] {
        assert!(codes_with_figures.contains(code), "no {code} finding with figures");
    }
}

#[test]
fn every_figure_is_a_number_the_message_or_help_quotes() {
    for (file, d) in builtin_findings() {
        let quoted: Vec<Quoted> =
            numbers(&d.message).into_iter().chain(numbers(d.help.as_deref().unwrap_or_default())).collect();
        let names: BTreeSet<&str> = d.figures.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), d.figures.len(), "{file}: {} names a figure twice: {:?}", d.code, d.figures);
        for f in &d.figures {
            assert!(
                quoted.iter().any(|q| reads_as(f.name, f.value, *q)),
                "{file}: {} carries {} = {} that it does not quote\n  message: {}\n  help: {:?}",
                d.code,
                f.name,
                f.value,
                d.message,
                d.help
            );
        }
    }
}

#[test]
fn rules_that_quote_no_number_carry_no_figures() {
    for (file, d) in builtin_findings() {
        if ["K004", "P001", "P002", "P003", "P004"].contains(&d.code.as_ref()) {
            assert!(d.figures.is_empty(), "{file}: {} carries {:?}", d.code, d.figures);
        }
    }
}

/// The figures of the only finding of `code` on a team with `body`.
fn figures_of(code: &str, body: &str) -> Vec<(&'static str, f64)> {
    figures_in(code, &format!("team \"T\" {{\n{body}\n}}\n"))
}

/// The figures of the only finding of `code` in the policy `text`.
fn figures_in(code: &str, text: &str) -> Vec<(&'static str, f64)> {
    let report = Checker::new().check(&Source::new("t.policy", text.to_string()));
    let found: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{:#?}", report.diagnostics);
    found[0].figures.iter().map(|f| (f.name, f.value)).collect()
}

fn assert_figures(actual: &[(&'static str, f64)], expected: &[(&str, f64)]) {
    let names: Vec<&str> = actual.iter().map(|(n, _)| *n).collect();
    let want: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, want, "{actual:?}");
    for ((name, got), (_, want)) in actual.iter().zip(expected) {
        assert!((got - want).abs() < 1e-9, "{name}: {got} != {want}");
    }
}

#[test]
fn handle_time_below_promise_carries_the_ceiling_and_the_floor() {
    let figures = figures_of("K001", "channel phone\ntarget handle_time <= 3m\npromise thorough");
    assert_figures(&figures, &[("handle_time_ceiling_seconds", 180.0), ("handle_time_floor_seconds", 360.0)]);
}

#[test]
fn weights_not_100_carries_the_total_and_the_gap() {
    let figures = figures_of(
        "K005",
        "channel phone\ntarget csat >= 80% weight 30%\ntarget first_contact_resolution >= 70% weight 30%",
    );
    assert_figures(&figures, &[("weight_total_percent", 60.0), ("weight_missing_percent", 40.0)]);
}

#[test]
fn productivity_below_promise_carries_the_quota_and_the_time_it_leaves() {
    // 3600s x 80% / 9 = 320s a contact, under the 360s of a thorough call;
    // 3600 x 80% / 360 = 8 contacts an hour at most.
    let figures = figures_in(
        "K006",
        "norms { max_occupancy 80% }\nteam \"T\" { channel phone\n target contacts_per_hour >= 9\n promise thorough }\n",
    );
    assert_figures(
        &figures,
        &[
            ("contacts_per_hour", 9.0),
            ("time_per_contact_seconds", 320.0),
            ("occupancy_ceiling_percent", 80.0),
            ("handle_time_floor_seconds", 360.0),
            ("quota_ceiling_contacts_per_hour", 8.0),
        ],
    );
}

#[test]
fn unstable_queue_carries_the_load_the_agents_and_the_plan() {
    // 200 an hour at the typical 6m of a call: 20 Erlangs on 20 agents.
    let figures = figures_of("S001", "channel phone\ndemand 200/h\nagents 20\nshrinkage 0%");
    assert_figures(
        &figures,
        &[
            ("offered_load_erlangs", 20.0),
            ("productive_agents", 20.0),
            ("handle_time_seconds", 360.0),
            ("occupancy_ceiling_percent", 85.0),
            ("plan_scheduled_agents", 24.0),
            ("minimum_scheduled_agents", 21.0),
        ],
    );
}

#[test]
fn service_level_unreachable_carries_the_achieved_and_the_target_level() {
    let figures = figures_of(
        "S002",
        "channel phone\ndemand 200/h\nagents 13\nshrinkage 0%\ntarget handle_time <= 3m\nservice_level 90% within 20s",
    );
    let achieved = figures.iter().find(|(n, _)| *n == "service_level_percent").unwrap().1;
    assert!((achieved - 79.6).abs() < 0.05, "{achieved}");
    let rest: Vec<_> = figures.iter().copied().filter(|(n, _)| *n != "service_level_percent").collect();
    assert_figures(
        &rest,
        &[
            ("productive_agents", 13.0),
            ("handle_time_seconds", 180.0),
            ("service_level_threshold_seconds", 20.0),
            ("service_level_target_percent", 90.0),
            ("occupancy_ceiling_percent", 85.0),
            ("plan_scheduled_agents", 15.0),
        ],
    );
}

#[test]
fn figures_are_in_the_json_output() {
    let text = "team \"T\" {\n  channel phone\n  target handle_time <= 3m\n  promise thorough\n}\n";
    let report = Checker::new().check(&Source::new("t.policy", text));
    let doc = supportlint::report::json::document(std::slice::from_ref(&report), Vec::new());
    let json: serde_json::Value = serde_json::to_value(&doc).unwrap();
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["code"] == "K001").unwrap();
    assert_eq!(
        finding["figures"],
        serde_json::json!({"handle_time_ceiling_seconds": 180.0, "handle_time_floor_seconds": 360.0})
    );
    let k004 = json["findings"].as_array().unwrap().iter().find(|f| f["code"] == "K004").unwrap();
    assert_eq!(k004["figures"], serde_json::json!({}));
}

/// A finding over thousands of statements carries a handful of figures,
/// not one per statement.
#[test]
fn a_finding_over_ten_thousand_statements_carries_a_handful_of_figures() {
    let targets: String = (0..4_900).map(|_| "  target csat >= 80% weight 1%\n").collect();
    let directives: String =
        (0..4_900).map(|i| format!("  directive manager: cap abandonment at {}%\n", 1 + i % 9)).collect();
    let text = format!(
        "team \"A\" {{\n  channel phone\n  directive executive: floor abandonment at 50%\n{targets}{directives}}}\n"
    );
    let report = Checker::new().check(&Source::new("t.policy", text));
    assert!(report.diagnostics.iter().any(|d| d.code == "K005" || d.code == "L001"), "{:?}", report.diagnostics);
    for d in &report.diagnostics {
        assert!(d.figures.len() <= 8, "{} carries {} figures", d.code, d.figures.len());
    }
}
