//! Baselines: the findings a project has accepted, recorded by fingerprint
//! (rule, file, team and statement text, never line numbers). Recording and
//! matching are here; reading and writing the file is the caller's.

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::fingerprint::{fingerprints, normalize_path};
use crate::engine::FileReport;
use crate::{Suppression, SuppressionKind};

/// The version of the baseline file's shape.
pub const VERSION: u32 = 1;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BaselineEntry {
    /// The fingerprint: the only field matched.
    pub fingerprint: String,
    /// The rule's code.
    pub code: String,
    /// The file.
    pub file: String,
    /// The team, if any.
    pub team: Option<String>,
    /// The message when the baseline was written.
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// [`VERSION`].
    pub version: u32,
    /// The recorded findings.
    pub findings: Vec<BaselineEntry>,
}

/// Marks the findings `matches` accepts (given the report, the index of the
/// finding and its fingerprint) as silenced by the baseline `reason`.
/// Front-end errors are never baselined: a file that cannot be read as a
/// policy must be fixed.
fn mark(reports: &mut [FileReport], reason: &str, mut matches: impl FnMut(&FileReport, usize, &str) -> bool) {
    for report in reports.iter_mut() {
        let prints = fingerprints(&report.diagnostics, &report.source);
        let silenced: Vec<bool> = report
            .diagnostics
            .iter()
            .zip(&prints)
            .enumerate()
            .map(|(i, (d, fp))| !d.is_suppressed() && !d.code.starts_with('E') && matches(report, i, fp))
            .collect();
        for (d, silenced) in report.diagnostics.iter_mut().zip(silenced) {
            if silenced {
                d.suppression = Some(Suppression {
                    kind: SuppressionKind::Baseline,
                    reason: reason.to_string(),
                    span: Default::default(),
                });
            }
        }
    }
}

impl Baseline {
    /// Records the unsuppressed findings of `reports` and marks them as
    /// baselined with `reason`, so what is left is what cannot be recorded.
    pub fn record(reports: &mut [FileReport], reason: &str) -> Baseline {
        let mut findings = Vec::new();
        mark(reports, reason, |report, i, fp| {
            if let Some(d) = report.diagnostics.get(i) {
                findings.push(BaselineEntry {
                    fingerprint: fp.to_string(),
                    code: d.code.to_string(),
                    file: normalize_path(report.source.name()),
                    team: d.team.clone(),
                    message: d.message.clone(),
                });
            }
            true
        });
        Baseline { version: VERSION, findings }
    }

    /// Silences the findings of `reports` this baseline records, with
    /// `reason`, and returns the entries of the checked files that matched
    /// none (stale). Entries are counted: two identical findings need two.
    /// Entries of files not in `reports` are left alone: a run on some files
    /// says nothing about the others.
    pub fn apply(&self, reports: &mut [FileReport], reason: &str) -> Vec<BaselineEntry> {
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for entry in &self.findings {
            *remaining.entry(entry.fingerprint.as_str()).or_default() += 1;
        }
        mark(reports, reason, |_, _, fp| match remaining.get_mut(fp) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        });
        let checked: BTreeSet<String> = reports.iter().map(|r| normalize_path(r.source.name())).collect();
        let mut stale = Vec::new();
        for entry in &self.findings {
            if let Some(n) = remaining.get_mut(entry.fingerprint.as_str()).filter(|n| **n > 0) {
                *n -= 1;
                if checked.contains(&entry.file) {
                    stale.push(entry.clone());
                }
            }
        }
        stale.sort_by(|a, b| {
            (&a.file, &a.team, &a.code, &a.fingerprint).cmp(&(&b.file, &b.team, &b.code, &b.fingerprint))
        });
        stale
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::{Checker, Source};

    const POLICY: &str = "team \"Care\" {\n  channel phone\n  promise thorough\n  target handle_time <= 3m\n}\n";

    fn report(name: &str, text: &str) -> FileReport {
        Checker::new().check(&Source::new(name, text))
    }

    #[test]
    fn recorded_findings_are_silenced_and_fixed_ones_are_stale() {
        let mut reports = vec![report("a.policy", POLICY)];
        let baseline = Baseline::record(&mut reports, "recorded");
        assert!(!baseline.findings.is_empty());
        assert!(reports[0].diagnostics.iter().all(|d| d.is_suppressed()));

        let mut again = vec![report("a.policy", POLICY)];
        assert!(baseline.apply(&mut again, "baseline").is_empty());
        assert!(again[0].diagnostics.iter().all(|d| d.is_suppressed()));

        let fixed = POLICY.replace("<= 3m", "<= 7m");
        let mut changed = vec![report("a.policy", &fixed)];
        let stale = baseline.apply(&mut changed, "baseline");
        assert!(stale.iter().any(|e| e.code == "K001"), "{stale:?}");
        // Not checked this time: nothing about it is stale.
        let mut other = vec![report("b.policy", POLICY)];
        assert!(baseline.apply(&mut other, "baseline").is_empty());
        assert!(other[0].diagnostics.iter().all(|d| !d.is_suppressed()));
    }

    #[test]
    fn front_end_errors_are_not_recorded() {
        let mut reports = vec![report("a.policy", "team \"A\" {\n  chanel phone\n}\n")];
        let baseline = Baseline::record(&mut reports, "recorded");
        assert!(baseline.findings.is_empty());
        assert!(reports[0].diagnostics.iter().all(|d| !d.is_suppressed()));
    }
}
