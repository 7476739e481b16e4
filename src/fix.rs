//! Applying fixes to a policy's text: the edits of the chosen fixes, none
//! overlapping, applied in one pass. No IO: the CLI decides what to write.

use std::collections::{BTreeMap, HashSet};

use crate::Span;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The safe fixes of every finding (`check --fix`).
    Safe,
    /// The safe fixes, and the first fix of every finding that has no safe
    /// one (`check --unsafe-fixes`).
    Unsafe,
}

/// The result of applying fixes to a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The text after the fixes.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// Fixes left out because they overlap one applied before them (a later
    /// run may apply them).
    pub skipped: usize,
}

/// The fixes `selection` picks from `diagnostics`, unsuppressed ones only, in
/// the diagnostics' order.
pub fn select(diagnostics: &[Diagnostic], selection: Selection) -> Vec<&Fix> {
    diagnostics
        .iter()
        .filter(|d| !d.is_suppressed())
        .filter_map(|d| match d.fixes.iter().find(|f| f.applicability == Applicability::Safe) {
            Some(safe) => Some(safe),
            None if selection == Selection::Unsafe => d.fixes.first(),
            None => None,
        })
        .collect()
}

/// Applies `fixes` to `text`: a fix whose edits overlap an edit already
/// taken (or one another, or run outside the text, or off a character
/// boundary) is skipped whole, so no fix is ever half applied. Identical
/// fixes (a finding from `defaults` repeated in every team) are applied
/// once. O(n log n) in the edits.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    // Taken edits by (start, end); an insertion is an empty range.
    let mut taken: BTreeMap<(usize, usize), &str> = BTreeMap::new();
    let mut seen: HashSet<&[Edit]> = HashSet::new();
    let (mut applied, mut skipped) = (0, 0);
    for fix in fixes {
        if !seen.insert(&fix.edits) {
            continue;
        }
        let mut ranges: Vec<(usize, usize)> =
            fix.edits.iter().map(|e| (e.span.start as usize, e.span.end as usize)).collect();
        ranges.sort();
        let valid = ranges.iter().all(|&(start, end)| {
            start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
        });
        let self_overlap = ranges.windows(2).any(|w| matches!(w, [a, b] if conflict(*a, *b)));
        if !valid || self_overlap || ranges.iter().any(|&r| overlaps(&taken, r)) {
            skipped += 1;
            continue;
        }
        for e in &fix.edits {
            taken.insert((e.span.start as usize, e.span.end as usize), &e.replacement);
        }
        applied += 1;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for ((start, end), replacement) in taken {
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push_str(replacement);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Applied { text: out, applied, skipped }
}

/// The edit that removes the statement at `span`: with its line when the
/// line holds nothing else (an end-of-line comment goes with it), else the
/// statement and the spaces after it.
pub fn remove_statement(text: &str, span: Span) -> Edit {
    let (start, end) = (span.start as usize, span.end as usize);
    let line_start = text.get(..start).and_then(|t| t.rfind(['\n', '\r'])).map_or(0, |i| i + 1);
    let rest = text.get(end..).unwrap_or_default();
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
    let before = text.get(line_start..start).unwrap_or_default();
    let after = text.get(end..line_end).unwrap_or_default().trim_end_matches(['\n', '\r']);
    let after_code = after.trim_start();
    if before.trim().is_empty() && (after_code.is_empty() || after_code.starts_with('#')) {
        return Edit { span: Span::new(line_start, line_end), replacement: String::new() };
    }
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Edit { span: Span::new(start, end + spaces), replacement: String::new() }
}

/// The edit that removes one word of a comma-separated list (`promise a,
/// b, c`), with the comma that joins it to its neighbour.
pub fn remove_list_item(text: &str, span: Span) -> Edit {
    let (start, end) = (span.start as usize, span.end as usize);
    let after = text.get(end..).unwrap_or_default();
    let trimmed = after.trim_start_matches([' ', '\t']);
    if let Some(rest) = trimmed.strip_prefix(',') {
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let cut = end + (after.len() - trimmed.len()) + 1 + spaces;
        return Edit { span: Span::new(start, cut), replacement: String::new() };
    }
    let before = text.get(..start).unwrap_or_default();
    let trimmed = before.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(',') {
        Some(rest) => {
            let from = rest.trim_end_matches([' ', '\t']).len();
            Edit { span: Span::new(from, end), replacement: String::new() }
        }
        None => Edit { span, replacement: String::new() },
    }
}

/// Whether two ranges, `a` starting no later than `b`, cannot both be
/// replaced: they overlap, or are insertions at one point.
fn conflict(a: (usize, usize), b: (usize, usize)) -> bool {
    b.0 < a.1 || a.0 == b.0
}

/// Whether `range` conflicts with a taken edit: only its neighbours by start
/// can.
fn overlaps(taken: &BTreeMap<(usize, usize), &str>, range: (usize, usize)) -> bool {
    let before = taken.range(..=range).next_back().map(|(k, _)| *k);
    let after = taken.range(range..).next().map(|(k, _)| *k);
    before.is_some_and(|b| conflict(b, range)) || after.is_some_and(|a| conflict(range, a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit { span: Span::new(start, end), replacement: text.to_string() }
    }

    #[test]
    fn applies_disjoint_fixes_and_skips_overlapping_ones() {
        let text = "agents 42\nshrinkage 30%\n";
        let a = Fix::safe("a", vec![edit(7, 9, "58")]);
        let b = Fix::safe("b", vec![edit(8, 9, "3")]);
        let c = Fix::unsafe_("c", vec![edit(20, 23, "35%"), edit(0, 0, "# fixed\n")]);
        let applied = apply(text, &[&a, &b, &c]);
        assert_eq!(applied.text, "# fixed\nagents 58\nshrinkage 35%\n");
        assert_eq!((applied.applied, applied.skipped), (2, 1));
    }

    #[test]
    fn removes_statements_and_list_items_cleanly() {
        let text =
            "team \"A\" {\n  allow K001 \"r\"   # pilot\n  channel phone allow K002 \"s\"\n  promise a, b, c\n}\n";
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + s.len())
        };
        let word = |s: &str| {
            let start = text.find(s).unwrap();
            Span::new(start, start + 1)
        };
        let fixed = |e: Edit| apply(text, &[&Fix::safe("t", vec![e])]).text;
        assert_eq!(
            fixed(remove_statement(text, at("allow K001 \"r\""))),
            "team \"A\" {\n  channel phone allow K002 \"s\"\n  promise a, b, c\n}\n"
        );
        assert!(fixed(remove_statement(text, at("allow K002 \"s\""))).contains("  channel phone \n"));
        assert!(fixed(remove_list_item(text, word("a,"))).contains("promise b, c\n"));
        assert!(fixed(remove_list_item(text, word("b,"))).contains("promise a, c\n"));
        assert!(fixed(remove_list_item(text, word("c\n"))).contains("promise a, b\n"));
    }

    #[test]
    fn the_same_fix_twice_is_applied_once_and_bad_spans_are_skipped() {
        let text = "é";
        let a = Fix::safe("a", vec![edit(0, 0, "x")]);
        let bad = Fix::safe("bad", vec![edit(1, 2, "")]);
        let applied = apply(text, &[&a, &a.clone(), &bad]);
        assert_eq!(applied.text, "xé");
        assert_eq!((applied.applied, applied.skipped), (1, 1));
    }
}
