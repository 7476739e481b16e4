//! Reading a file as it was at a git revision, for `check --new-from-rev`.
//! The CLI runs `git`; the library only compares findings.

use std::path::Path;
use std::process::Command;

/// Runs git in `dir` with `args`; its standard output, or why not.
fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(if dir.as_os_str().is_empty() { Path::new(".") } else { dir })
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

/// Checks that `dir` is in a git work tree and that `rev` names a commit
/// there.
pub fn check_revision(dir: &Path, rev: &str) -> Result<(), String> {
    let inside = git(dir, &["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        return Err(format!("`--new-from-rev` needs a git work tree, and {} is not in one", dir.display()));
    }
    let spec = format!("{rev}^{{commit}}");
    let verified = git(dir, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    if !verified.status.success() {
        return Err(format!("`{rev}` is no revision of this git repository"));
    }
    Ok(())
}

/// The text of `path` at `rev`, at most `limit` bytes; `None` when the file
/// did not exist then (every finding in it is new).
pub fn text_at(path: &Path, rev: &str, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let object = format!("{rev}:./{name}");
    let exists = git(dir, &["cat-file", "-e", "--end-of-options", &object])?;
    if !exists.status.success() {
        return Ok(None);
    }
    let size = git(dir, &["cat-file", "-s", "--end-of-options", &object])?;
    let size: u64 = String::from_utf8_lossy(&size.stdout).trim().parse().unwrap_or(u64::MAX);
    if size > limit {
        return Err(format!("{}: over {limit} bytes at `{rev}`", path.display()));
    }
    let shown = git(dir, &["cat-file", "blob", "--end-of-options", &object])?;
    if !shown.status.success() {
        return Err(format!("{}: git could not read it at `{rev}`", path.display()));
    }
    Ok(Some(shown.stdout))
}
