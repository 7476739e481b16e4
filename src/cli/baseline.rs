//! Baselines: `--write-baseline FILE` records the current findings by
//! fingerprint (rule, file, team and statement text, never line numbers);
//! `--baseline FILE` then silences those and reports only new ones, and
//! lists the entries no finding matched any more.

use std::collections::HashMap;
use std::fs;

use serde::{Deserialize, Serialize};
use supportlint::report::fingerprint::{fingerprint, normalize_path};
use supportlint::report::json::StaleEntry;
use supportlint::{FileReport, Suppression, SuppressionKind};

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<StaleEntry>,
}

fn baselined(report: &FileReport) -> impl Iterator<Item = (&supportlint::Diagnostic, String)> {
    report
        .diagnostics
        .iter()
        .filter(|d| !d.is_suppressed() && !d.code.starts_with('E'))
        .map(|d| (d, fingerprint(d, &report.source)))
}

/// Writes the findings of `reports` to `path`; returns how many.
pub fn write(path: &std::path::Path, reports: &[FileReport]) -> Result<usize, String> {
    let findings: Vec<StaleEntry> = reports
        .iter()
        .flat_map(|r| {
            baselined(r).map(|(d, fp)| StaleEntry {
                fingerprint: fp,
                code: d.code.to_string(),
                file: normalize_path(r.source.name()),
                team: d.team.clone(),
                message: d.message.clone(),
            })
        })
        .collect();
    let count = findings.len();
    let text = serde_json::to_string_pretty(&BaselineFile { version: 1, findings }).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(count)
}

/// Silences the findings of `reports` recorded in the baseline at `path`
/// and returns the entries that matched none.
pub fn apply(path: &std::path::Path, reports: &mut [FileReport]) -> Result<Vec<StaleEntry>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: BaselineFile =
        serde_json::from_str(&text).map_err(|e| format!("{}: not a supportlint baseline: {e}", path.display()))?;
    if file.version != 1 {
        return Err(format!("{}: baseline version {} is not supported", path.display(), file.version));
    }
    // Entries by fingerprint, as a count: two identical findings need two entries.
    let mut remaining: HashMap<&str, Vec<&StaleEntry>> = HashMap::new();
    for entry in &file.findings {
        remaining.entry(entry.fingerprint.as_str()).or_default().push(entry);
    }
    let reason = format!("in the baseline {}", path.display());
    for report in reports.iter_mut() {
        let fingerprints: Vec<Option<String>> = report
            .diagnostics
            .iter()
            .map(|d| (!d.is_suppressed() && !d.code.starts_with('E')).then(|| fingerprint(d, &report.source)))
            .collect();
        for (d, fp) in report.diagnostics.iter_mut().zip(fingerprints) {
            let Some(fp) = fp else { continue };
            if remaining.get_mut(fp.as_str()).and_then(Vec::pop).is_some() {
                d.suppression = Some(Suppression {
                    kind: SuppressionKind::Baseline,
                    reason: reason.clone(),
                    span: Default::default(),
                });
            }
        }
    }
    let mut stale: Vec<StaleEntry> = remaining.into_values().flatten().cloned().collect();
    stale.sort_by(|a, b| (&a.file, &a.team, &a.code, &a.fingerprint).cmp(&(&b.file, &b.team, &b.code, &b.fingerprint)));
    Ok(stale)
}
