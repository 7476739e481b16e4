//! Reading and writing baseline files (`--baseline`, `--write-baseline`);
//! recording and matching findings is `supportlint::report::baseline`.

use std::path::Path;

use supportlint::FileReport;
use supportlint::report::baseline::{Baseline, BaselineEntry, VERSION};

/// A baseline of a few hundred thousand findings fits; a larger file is
/// refused rather than read into memory.
const MAX_BASELINE_BYTES: u64 = 64 << 20;

fn reason(path: &Path) -> String {
    format!("in the baseline {}", path.display())
}

/// Records the unsuppressed findings of `reports` in `path`, marks them as
/// baselined, and returns how many were recorded.
pub fn write(path: &Path, reports: &mut [FileReport]) -> Result<usize, String> {
    let baseline = Baseline::record(reports, &reason(path));
    let text = serde_json::to_string_pretty(&baseline).map_err(|e| e.to_string())?;
    super::files::overwrite(path, (text + "\n").as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(baseline.findings.len())
}

/// Silences the findings of `reports` recorded in the baseline at `path`
/// and returns the stale entries of the files checked.
pub fn apply(path: &Path, reports: &mut [FileReport]) -> Result<Vec<BaselineEntry>, String> {
    let name = path.display();
    let text = super::files::read_text(path, MAX_BASELINE_BYTES).map_err(|e| format!("{name}: {e}"))?;
    let baseline: Baseline =
        serde_json::from_str(&text).map_err(|e| format!("{name}: not a supportlint baseline: {e}"))?;
    if baseline.version != VERSION {
        return Err(format!(
            "{name}: baseline version {} is not supported (this supportlint writes {VERSION})",
            baseline.version
        ));
    }
    Ok(baseline.apply(reports, &reason(path)))
}
