//! Tests for policies and custom rules: `# expect:` markers in a policy
//! name the findings that must fire on their line, and nothing may fire
//! elsewhere. The project's own rule fixtures and `supportlint test` use
//! this one implementation. No IO: markers come from a [`Source`], findings
//! from a [`FileReport`], and the result is a value.
//!
//! ```text
//! team "Care" {
//!   channel phone
//!   promise thorough
//!   target handle_time <= 3m   # expect: K001, speed-without-resolution
//! }
//! ```
//!
//! A marker is a comment, or a part of one, that starts with `expect:`,
//! followed by rules by code or name, separated by commas or spaces; it
//! ends at the end of the line or at the next `#` (`# expect: K001 # why`).
//! It names the line it is written on, whether it ends a statement's line
//! or stands alone: a finding fires on the line where its primary label
//! starts. A rule named twice on one line must fire twice there. The check
//! is exact: every expected finding fires, and no other finding does.

use std::fmt::Write as _;

use crate::engine::FileReport;
use crate::escape::visible;
use crate::model::vocab::closest;
use crate::rules::metas;
use crate::{Diagnostic, Source};

/// One rule named by a marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The 1-based line the marker names (the line it is on).
    pub line: u32,
    /// The rule as written: a code or a name.
    pub rule: String,
}

/// A marker that cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMarker {
    /// Its line.
    pub line: u32,
    /// What is wrong, with a hint.
    pub problem: String,
}

/// An expected finding that did not fire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The line of the marker.
    pub line: u32,
    /// The rule as the marker wrote it.
    pub rule: String,
    /// Its code (a custom rule's code is its name).
    pub code: String,
}

/// A finding that fired where no marker expects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unexpected {
    /// The line of its primary label.
    pub line: u32,
    /// The finding.
    pub diagnostic: Diagnostic,
}

/// The result of comparing a file's markers with its findings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// `(line, code)` of every expected finding, sorted.
    pub expected: Vec<(u32, String)>,
    /// `(line, code)` of every finding compared, sorted.
    pub found: Vec<(u32, String)>,
    /// `(line, code)` of the expected findings that fired.
    pub matched: Vec<(u32, String)>,
    /// Expected findings that did not fire.
    pub missing: Vec<Missing>,
    /// Findings no marker expects.
    pub unexpected: Vec<Unexpected>,
    /// Markers that name no rule, or none at all.
    pub bad_markers: Vec<BadMarker>,
}

impl Outcome {
    /// Whether the file passes: everything expected fired, nothing else
    /// did, and every marker names a rule.
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.bad_markers.is_empty()
    }
}

/// Where the comment of `line` starts (the byte after its `#`), if it has
/// one: a `#` outside a string. Strings end on their line; the quote of
/// one that does not (a syntax error) opens nothing, so a marker after it
/// still counts: `team "Care {   # expect: E001`.
fn comment_start(line: &str) -> Option<usize> {
    let (mut in_string, mut escaped, mut opened) = (false, false, 0);
    for (i, c) in line.char_indices() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            (in_string, opened) = (true, i);
        } else if c == '#' {
            return Some(i + 1);
        }
    }
    // No quote follows the unterminated one: the first `#` after it starts
    // the comment.
    let rest = in_string.then(|| line.get(opened + 1..)).flatten()?;
    rest.find('#').map(|i| opened + 1 + i + 1)
}

/// Every marker of `source`, in line order, and the markers that name no
/// rule at all (`# expect:` with nothing after it).
pub fn markers(source: &Source) -> (Vec<Marker>, Vec<BadMarker>) {
    let (mut found, mut bad) = (Vec::new(), Vec::new());
    for (index, line) in source.text().lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let Some(comment) = comment_start(line).and_then(|start| line.get(start..)) else { continue };
        for part in comment.split('#') {
            let Some(list) = part.trim_start().strip_prefix("expect:") else { continue };
            let before = found.len();
            found.extend(
                list.split([',', ' ', '\t'])
                    .filter(|r| !r.is_empty())
                    .map(|rule| Marker { line: number, rule: rule.to_string() }),
            );
            if found.len() == before {
                bad.push(BadMarker {
                    line: number,
                    problem: "`expect:` names no rule; write `# expect: CODE` or `# expect: rule-name`".into(),
                });
            }
        }
    }
    (found, bad)
}

/// A documented code (built-in rule, front-end error, suppression check)
/// by code or name, without computing a suggestion.
fn documented(rule: &str) -> Option<&'static str> {
    metas().find(|m| m.name == rule || m.code.eq_ignore_ascii_case(rule)).map(|m| m.code)
}

/// Unknown rules that get a "did you mean": the distance behind it costs
/// the product of two lengths, so hostile markers get none past these.
const SUGGESTIONS: usize = 20;
const SUGGESTED_LENGTH: usize = 64;

/// Resolves the rules markers name in one report.
struct Resolver<'r> {
    custom: std::collections::HashSet<&'r str>,
    codes: std::collections::HashSet<&'r str>,
    suggestions: usize,
}

impl<'r> Resolver<'r> {
    fn new(report: &'r FileReport) -> Resolver<'r> {
        Resolver {
            custom: report.policy.iter().flat_map(|p| &p.rules).map(|r| r.name.as_str()).collect(),
            codes: report.diagnostics.iter().map(|d| d.code.as_ref()).collect(),
            suggestions: 0,
        }
    }

    /// The code a marker's rule stands for: a documented code by code or
    /// name, or a custom rule of the file (whose code is its name).
    fn resolve(&mut self, rule: &str) -> Result<String, String> {
        if let Some(code) = documented(rule) {
            return Ok(code.to_string());
        }
        if self.custom.contains(rule) || self.codes.contains(rule) {
            return Ok(rule.to_string());
        }
        let mut hint = String::new();
        if self.suggestions < SUGGESTIONS && rule.len() <= SUGGESTED_LENGTH {
            self.suggestions += 1;
            let names = metas().flat_map(|m| [m.name, m.code]).chain(self.custom.iter().copied());
            if let Some(s) = closest(rule, names.filter(|n| n.len() <= SUGGESTED_LENGTH)) {
                hint = format!(" (did you mean `{}`?)", visible(s));
            }
        }
        Err(format!(
            "the marker names `{}`, which is no built-in rule and no rule this file defines{hint}",
            visible(&crate::diagnostic::excerpt(rule))
        ))
    }
}

fn line_of(d: &Diagnostic, source: &Source) -> u32 {
    source.line_col(d.primary_span().start as usize).line
}

/// Compares the markers of `report`'s source with its unsuppressed
/// findings (a silenced finding does not fire).
pub fn check(report: &FileReport) -> Outcome {
    check_with(report, |d| !d.is_suppressed())
}

/// Compares the markers of `report`'s source with the findings `keep`
/// selects (the project's rule fixtures keep one rule and the front-end
/// errors).
pub fn check_with(report: &FileReport, keep: impl Fn(&Diagnostic) -> bool) -> Outcome {
    let (markers, mut bad_markers) = markers(&report.source);
    let mut resolver = Resolver::new(report);
    let mut expected: Vec<(u32, String, String)> = Vec::new();
    for marker in markers {
        match resolver.resolve(&marker.rule) {
            Ok(code) => expected.push((marker.line, code, marker.rule)),
            Err(problem) => bad_markers.push(BadMarker { line: marker.line, problem }),
        }
    }
    expected.sort();
    let mut found: Vec<(u32, String, usize)> = report
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| keep(d))
        .map(|(i, d)| (line_of(d, &report.source), d.code.to_string(), i))
        .collect();
    found.sort();
    let mut outcome = Outcome {
        expected: expected.iter().map(|(l, c, _)| (*l, c.clone())).collect(),
        found: found.iter().map(|(l, c, _)| (*l, c.clone())).collect(),
        ..Outcome::default()
    };
    // Both lists are sorted by (line, code): walk them together.
    let (mut e, mut f) = (expected.into_iter().peekable(), found.into_iter().peekable());
    loop {
        let order = match (e.peek(), f.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some((el, ec, _)), Some((fl, fc, _))) => (el, ec).cmp(&(fl, fc)),
        };
        match order {
            std::cmp::Ordering::Equal => {
                if let (Some((line, code, _)), Some(_)) = (e.next(), f.next()) {
                    outcome.matched.push((line, code));
                }
            }
            std::cmp::Ordering::Less => {
                if let Some((line, code, rule)) = e.next() {
                    outcome.missing.push(Missing { line, rule, code });
                }
            }
            std::cmp::Ordering::Greater => {
                if let Some((line, _, index)) = f.next()
                    && let Some(d) = report.diagnostics.get(index)
                {
                    outcome.unexpected.push(Unexpected { line, diagnostic: d.clone() });
                }
            }
        }
    }
    outcome.bad_markers.append(&mut bad_markers);
    outcome.bad_markers.sort_by_key(|b| b.line);
    outcome
}

/// `K001 handle-time-below-promise`, or a custom rule's name alone.
fn rule_title(code: &str) -> String {
    match metas().find(|m| m.code == code) {
        Some(meta) => format!("{} {}", meta.code, meta.name),
        None => visible(code).into_owned(),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() { "nothing".to_string() } else { visible(&items.join(", ")).into_owned() }
}

/// Whether `line` holds nothing but a comment (or nothing at all).
fn comment_only(source: &Source, line: u32) -> bool {
    let text = source.line_text(line as usize).trim_start();
    text.is_empty() || text.starts_with('#')
}

/// Lines looked at below a marker that stands alone.
const LOOKAHEAD: u32 = 5;

/// The line a marker standing alone on `line` was probably meant for: the
/// next line, within a few, that holds more than a comment.
fn meant_line(source: &Source, line: u32) -> Option<u32> {
    if !comment_only(source, line) {
        return None;
    }
    let last = u32::try_from(source.line_count()).unwrap_or(u32::MAX);
    (line.saturating_add(1)..=line.saturating_add(LOOKAHEAD).min(last)).find(|&l| !comment_only(source, l))
}

/// The entries of a list sorted by line that are on `line`.
fn on_line<T>(items: &[T], line: u32, line_of: impl Fn(&T) -> u32) -> impl Iterator<Item = &T> {
    let start = items.partition_point(|item| line_of(item) < line);
    items.iter().skip(start).take_while(move |item| line_of(item) == line)
}

/// The difference as lines for people, indented by two spaces: per line,
/// what was expected and what was found, then what is missing and what is
/// unexpected (with its message), then the markers that name no rule.
/// User text is shown with control characters escaped. `outcome` is as
/// [`check`] returns it, its lists sorted by line.
pub fn describe(outcome: &Outcome, source: &Source) -> String {
    let mut lines: Vec<u32> = outcome.missing.iter().map(|m| m.line).collect();
    lines.extend(outcome.unexpected.iter().map(|u| u.line));
    lines.sort_unstable();
    lines.dedup();
    let mut out = String::new();
    let codes = |pairs: &[(u32, String)], line: u32| -> Vec<String> {
        on_line(pairs, line, |(l, _)| *l).map(|(_, c)| c.clone()).collect()
    };
    for line in lines {
        let (expected, found) = (codes(&outcome.expected, line), codes(&outcome.found, line));
        let _ = writeln!(out, "  line {line}: expected {}; found {}", list(&expected), list(&found));
        let mut meant = None;
        for (i, m) in on_line(&outcome.missing, line, |m| m.line).enumerate() {
            let _ = writeln!(out, "    missing     {}", rule_title(&m.code));
            if i == 0 {
                meant = meant_line(source, line);
            }
            // A marker on a line of its own names that line, not the next.
            let fired_below = meant.is_some_and(|below| {
                outcome
                    .unexpected
                    .binary_search_by(|u| (u.line, u.diagnostic.code.as_ref()).cmp(&(below, m.code.as_str())))
                    .is_ok()
            });
            if let (true, Some(below)) = (fired_below, meant) {
                let _ = writeln!(
                    out,
                    "                it fired on line {below}: a marker names its own line, so put it at the end of line {below}"
                );
            }
        }
        for u in on_line(&outcome.unexpected, line, |u| u.line) {
            let d = &u.diagnostic;
            let team = d.team.as_ref().map_or(String::new(), |t| format!(" team \"{}\":", visible(t)));
            let _ =
                writeln!(out, "    unexpected  {} ({}){team} {}", rule_title(&d.code), d.severity, visible(&d.message));
        }
    }
    for bad in &outcome.bad_markers {
        let _ = writeln!(out, "  line {}: {}", bad.line, bad.problem);
    }
    out
}

/// How many rules of a set fired where a marker expects them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Share {
    /// Rules that fired where expected.
    pub fired: usize,
    /// Rules in the set.
    pub total: usize,
}

impl Share {
    /// The share in tenths of a percent, rounded down; an empty set counts
    /// as fully covered (1000).
    pub fn tenths_of_percent(self) -> u64 {
        if self.total == 0 { 1000 } else { self.fired as u64 * 1000 / self.total as u64 }
    }

    /// `20.0%`, rounded down to a tenth.
    pub fn percent(self) -> String {
        let tenths = self.tenths_of_percent();
        format!("{}.{}%", tenths / 10, tenths % 10)
    }

    /// Whether the share is below `hundredths` hundredths of a percent
    /// (`8750` for 87.5%), compared exactly. An empty set is never below.
    pub fn below(self, hundredths: u32) -> bool {
        self.total > 0 && (self.fired as u128) * 10_000 < u128::from(hundredths) * self.total as u128
    }
}

/// A custom rule defined in a tested file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomRule {
    /// The file that defines it (the source's name).
    pub file: String,
    /// Its name.
    pub name: String,
    /// Whether it fired where a marker of its file expects it.
    pub fired: bool,
}

/// Which rules the tests made fire: every built-in rule (not the front-end
/// errors and suppression checks, which are not rules), and the custom
/// rules the tested files define. A rule counts as fired when one of its
/// findings fired on a line whose marker expects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Every built-in rule's code and name, and whether it fired.
    pub builtin: Vec<(&'static str, &'static str, bool)>,
    /// The custom rules of the tested files, in the order they were added.
    pub custom: Vec<CustomRule>,
}

impl Default for Coverage {
    fn default() -> Self {
        Coverage::new()
    }
}

impl Coverage {
    /// No test run yet: nothing fired.
    pub fn new() -> Coverage {
        let builtin = crate::rules::builtin().iter().map(|r| (r.meta().code, r.meta().name, false)).collect();
        Coverage { builtin, custom: Vec::new() }
    }

    /// Records the custom rules of `report`'s file and the rules that fired
    /// as expected in `outcome` (the result of [`check`] on `report`).
    pub fn add(&mut self, report: &FileReport, outcome: &Outcome) {
        let fired: std::collections::HashSet<&str> = outcome.matched.iter().map(|(_, c)| c.as_str()).collect();
        for (code, _, done) in &mut self.builtin {
            *done |= fired.contains(code);
        }
        for rule in report.policy.iter().flat_map(|p| &p.rules) {
            self.custom.push(CustomRule {
                file: report.source.name().to_string(),
                name: rule.name.clone(),
                fired: fired.contains(rule.name.as_str()),
            });
        }
    }

    /// The share of built-in rules that fired.
    pub fn builtin_share(&self) -> Share {
        Share { fired: self.builtin.iter().filter(|b| b.2).count(), total: self.builtin.len() }
    }

    /// The share of custom rules that fired.
    pub fn custom_share(&self) -> Share {
        Share { fired: self.custom.iter().filter(|c| c.fired).count(), total: self.custom.len() }
    }

    /// The share of all rules, built-in and custom, that fired.
    pub fn share(&self) -> Share {
        let (b, c) = (self.builtin_share(), self.custom_share());
        Share { fired: b.fired + c.fired, total: b.total + c.total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Checker;

    #[test]
    fn coverage_counts_expected_firings_only() {
        let source = Source::new(
            "c.policy",
            format!(
                "{}rule \"never\" {{\n  when agents > 1000\n  message \"m\"\n}}\n",
                K001.replace("<= 3m weight 50%", "<= 3m weight 50% # expect: K001")
            ),
        );
        let report = Checker::new().check(&source);
        let outcome = check(&report);
        let mut coverage = Coverage::new();
        coverage.add(&report, &outcome);
        assert_eq!(coverage.builtin_share(), Share { fired: 1, total: crate::rules::builtin().len() });
        assert_eq!(coverage.custom, [CustomRule { file: "c.policy".into(), name: "never".into(), fired: false }]);
        assert_eq!(coverage.share().fired, 1);
        let half = Share { fired: 1, total: 2 };
        assert_eq!(half.percent(), "50.0%");
        assert!(!half.below(5000) && half.below(5001));
        assert_eq!(Share { fired: 1, total: 3 }.percent(), "33.3%");
        assert!(!Share::default().below(10_000));
    }

    fn outcome(text: &str) -> (Outcome, Source) {
        let source = Source::new("t.policy", text);
        (check(&Checker::new().check(&source)), source)
    }

    const K001: &str = "team \"Care\" {\n  channel email\n  promise thorough\n  target handle_time <= 3m weight 50%\n  target first_contact_resolution >= 70% weight 50%\n}\n";

    #[test]
    fn markers_are_read_from_comments_only() {
        let source = Source::new(
            "m.policy",
            "team \"# expect: K001\" { # expect: K001, S001 K002\n# expect: one-off-training # not: P003\n# expect:\n",
        );
        let (found, bad) = markers(&source);
        let got: Vec<(u32, &str)> = found.iter().map(|m| (m.line, m.rule.as_str())).collect();
        assert_eq!(got, [(1, "K001"), (1, "S001"), (1, "K002"), (2, "one-off-training")]);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 3);
        assert_eq!(comment_start("team \"Care {   # expect: E001"), Some(16));
        assert_eq!(comment_start("a \"b\\\" # c\" # d"), Some(13));
        assert_eq!(comment_start("\"x\" \"y"), None);
    }

    #[test]
    fn a_right_marker_passes_and_names_count_like_codes() {
        let (o, _) =
            outcome(&K001.replace("<= 3m weight 50%", "<= 3m weight 50%  # expect: handle-time-below-promise"));
        assert!(o.passed(), "{o:#?}");
        assert_eq!(o.matched, [(4, "K001".to_string())]);
    }

    #[test]
    fn missing_and_unexpected_findings_are_told_apart() {
        let text = K001.replace("promise thorough", "promise thorough   # expect: K001");
        let (o, source) = outcome(&text);
        assert!(!o.passed());
        assert_eq!(o.missing, [Missing { line: 3, rule: "K001".into(), code: "K001".into() }]);
        assert_eq!(o.unexpected.len(), 1);
        assert_eq!((o.unexpected[0].line, o.unexpected[0].diagnostic.code.as_ref()), (4, "K001"));
        let text = describe(&o, &source);
        assert!(text.contains("line 3: expected K001; found nothing"), "{text}");
        assert!(text.contains("missing     K001 handle-time-below-promise"), "{text}");
        assert!(text.contains("line 4: expected nothing; found K001"), "{text}");
        assert!(
            text.contains("unexpected  K001 handle-time-below-promise (error) team \"Care\": handle time"),
            "{text}"
        );
    }

    #[test]
    fn a_marker_above_its_line_gets_a_hint() {
        let text = K001.replace("  target handle_time", "  # expect: K001\n  target handle_time");
        let (o, source) = outcome(&text);
        let text = describe(&o, &source);
        assert!(text.contains("it fired on line 5: a marker names its own line"), "{text}");
    }

    #[test]
    fn a_rule_twice_on_a_line_must_fire_twice() {
        let (o, _) =
            outcome(&K001.replace("weight 50%\n  target first", "weight 50% # expect: K001 K001\n  target first"));
        assert_eq!(o.missing.len(), 1);
        assert_eq!(o.matched.len(), 1);
    }

    #[test]
    fn unknown_rules_in_markers_fail_with_a_suggestion() {
        let (o, source) =
            outcome(&K001.replace("weight 50%\n  target first", "weight 50% # expect: K0001\n  target first"));
        assert!(!o.passed());
        let text = describe(&o, &source);
        assert!(text.contains("names `K0001`, which is no built-in rule") && text.contains("did you mean"), "{text}");
    }

    #[test]
    fn custom_rules_are_named_by_their_name() {
        let text = format!(
            "{}rule \"no-email\" {{\n  when channel == email\n  message \"email\"\n}}\n",
            // A custom rule's finding starts at the team's name.
            K001.replace("team \"Care\" {", "team \"Care\" {   # expect: no-email")
                .replace("<= 3m weight 50%", "<= 3m weight 50% # expect: K001")
        );
        let (o, _) = outcome(&text);
        assert!(o.passed(), "{o:#?}");
    }

    /// Regression: suggestions, lookups and the hint for markers above
    /// their line once cost a pass over every other marker or line each.
    #[test]
    fn many_markers_and_long_names_stay_linear() {
        let mut text = format!("# expect: {}\n", "k".repeat(50_000));
        for _ in 0..2_000 {
            text.push_str("# expect: K001 one-of-training K001\n#\n");
        }
        text.push_str(K001);
        let source = Source::new("many.policy", text);
        let report = Checker::new().check(&source);
        let outcome = check(&report);
        assert_eq!(outcome.missing.len(), 4_000);
        assert_eq!(outcome.bad_markers.len(), 2_001);
        let described = describe(&outcome, &source);
        assert_eq!(described.matches("did you mean").count(), SUGGESTIONS);
        assert!(described.contains("names `kkkkkkkkkk"), "{}", &described[..200]);
    }

    #[test]
    fn suppressed_findings_do_not_fire() {
        let text = K001.replace("promise thorough", "promise thorough\n  allow K001 \"pilot\"");
        let (o, _) = outcome(&text);
        assert!(o.passed(), "{o:#?}");
    }
}
