//! Baselines: `--write-baseline FILE` records the current findings by
//! fingerprint (rule, file, team and statement text, never line numbers);
//! `--baseline FILE` then silences those and reports only new ones, and
//! lists the entries no finding matched any more.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use supportlint::report::fingerprint::{fingerprints, normalize_path};
use supportlint::report::json::StaleEntry;
use supportlint::{FileReport, Suppression, SuppressionKind};

/// A baseline of a few hundred thousand findings fits; a larger file is
/// refused rather than read into memory.
const MAX_BASELINE_BYTES: u64 = 64 << 20;
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<StaleEntry>,
}

/// Marks the findings `matches` accepts as silenced by the baseline at
/// `path`. Front-end errors are never baselined: a file that cannot be read
/// as a policy must be fixed.
fn mark(reports: &mut [FileReport], path: &Path, mut matches: impl FnMut(&FileReport, usize, &str) -> bool) {
    let reason = format!("in the baseline {}", path.display());
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
                    reason: reason.clone(),
                    span: Default::default(),
                });
            }
        }
    }
}

/// Records the unsuppressed findings of `reports` in `path`, marks them as
/// baselined (so the run reports only what cannot be baselined), and
/// returns how many were recorded.
pub fn write(path: &Path, reports: &mut [FileReport]) -> Result<usize, String> {
    let mut findings = Vec::new();
    mark(reports, path, |report, i, fp| {
        if let Some(d) = report.diagnostics.get(i) {
            findings.push(StaleEntry {
                fingerprint: fp.to_string(),
                code: d.code.to_string(),
                file: normalize_path(report.source.name()),
                team: d.team.clone(),
                message: d.message.clone(),
            });
        }
        true
    });
    let count = findings.len();
    let text = serde_json::to_string_pretty(&BaselineFile { version: VERSION, findings }).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(count)
}

/// Silences the findings of `reports` recorded in the baseline at `path`
/// and returns the entries, for the files checked, that matched none.
pub fn apply(path: &Path, reports: &mut [FileReport]) -> Result<Vec<StaleEntry>, String> {
    let name = path.display();
    let text = super::files::read_text(path, MAX_BASELINE_BYTES).map_err(|e| format!("{name}: {e}"))?;
    let file: BaselineFile =
        serde_json::from_str(&text).map_err(|e| format!("{name}: not a supportlint baseline: {e}"))?;
    if file.version != VERSION {
        return Err(format!(
            "{name}: baseline version {} is not supported (this supportlint writes {VERSION})",
            file.version
        ));
    }
    // Entries by fingerprint, as a count: two identical findings need two entries.
    let mut remaining: HashMap<&str, usize> = HashMap::new();
    for entry in &file.findings {
        *remaining.entry(entry.fingerprint.as_str()).or_default() += 1;
    }
    mark(reports, path, |_, _, fp| match remaining.get_mut(fp) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    });
    // Entries of files not checked in this run are not stale: a run on some
    // files (a pre-commit hook) says nothing about the others.
    let checked: BTreeSet<String> = reports.iter().map(|r| normalize_path(r.source.name())).collect();
    let mut stale = Vec::new();
    for entry in &file.findings {
        if let Some(n) = remaining.get_mut(entry.fingerprint.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            if checked.contains(&entry.file) {
                stale.push(entry.clone());
            }
        }
    }
    stale.sort_by(|a, b| (&a.file, &a.team, &a.code, &a.fingerprint).cmp(&(&b.file, &b.team, &b.code, &b.fingerprint)));
    Ok(stale)
}
