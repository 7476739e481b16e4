//! Finding and reading policy files.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use supportlint::{Checker, FileReport};

/// Directories deeper than this below a given path are not searched.
const MAX_DEPTH: usize = 64;

/// The files to check under `paths`: files as given, directories searched
/// for `*.policy` (hidden directories and symbolic links to directories are
/// skipped). Sorted and without duplicates; errors are returned as messages.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, 0, &mut files, &mut errors),
            Ok(_) => files.push(path.clone()),
            Err(err) => errors.push(format!("{}: {err}", path.display())),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        errors.push(format!("{}: directories nested too deep", dir.display()));
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            errors.push(format!("{}: {err}", dir.display()));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        // `check` (of `.`) names files `care.policy`, not `./care.policy`.
        let path = entry.path();
        let path = path.strip_prefix(".").map_or(path.clone(), Path::to_path_buf);
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !hidden {
                walk(&path, depth + 1, files, errors);
            }
        } else if path.extension().is_some_and(|e| e == "policy") && (kind.is_file() || path.is_file()) {
            files.push(path);
        }
    }
}

/// A policy file's bytes, or its size when it is over the limit.
pub enum Policy {
    /// The whole file.
    Bytes(Vec<u8>),
    /// Not read: larger than the limit.
    TooLarge(u64),
}

/// Reads one policy file of at most `limit` bytes. An unreadable file, or
/// one that is not a regular file, is an `Err` message.
pub fn read_policy(path: &Path, limit: u64) -> Result<Policy, String> {
    let name = path.display();
    // Opening a FIFO or a device would block or read forever.
    let meta = fs::metadata(path).map_err(|err| format!("{name}: {err}"))?;
    if !meta.is_file() {
        return Err(format!("{name}: not a regular file"));
    }
    let mut file = fs::File::open(path).map_err(|err| format!("{name}: {err}"))?;
    let size = meta.len();
    if size > limit {
        return Ok(Policy::TooLarge(size));
    }
    // Read at most one byte past the limit: the size a special file reports
    // need not be its size.
    let mut bytes = Vec::with_capacity(size as usize);
    file.by_ref().take(limit + 1).read_to_end(&mut bytes).map_err(|err| format!("{name}: {err}"))?;
    if bytes.len() as u64 > limit {
        return Ok(Policy::TooLarge(bytes.len() as u64));
    }
    Ok(Policy::Bytes(bytes))
}

/// Reads and checks one file. An unreadable file is an `Err` message; a
/// file over the size limit is reported without reading it.
pub fn check_file(checker: &Checker, path: &Path) -> Result<FileReport, String> {
    let name = path.display().to_string();
    match read_policy(path, checker.limits().max_file_bytes as u64)? {
        Policy::Bytes(bytes) => Ok(checker.check_bytes(&name, bytes)),
        Policy::TooLarge(size) => Ok(checker.too_large(&name, size)),
    }
}

pub use supportlint::escape::is_hidden;

/// `text` with its control characters escaped (`\n`, `\u{1b}`), so that a
/// file name in a message cannot forge an output line or a terminal
/// sequence: `supportlint::escape::visible`.
pub fn escaped(text: &str) -> String {
    supportlint::escape::visible(text).into_owned()
}

/// A path as printed: [`escaped`].
pub fn shown(path: &Path) -> String {
    escaped(&path.display().to_string())
}

/// Reads a UTF-8 text file (a configuration, a baseline) of at most `limit`
/// bytes. Only regular files are opened: a FIFO or a device would block or
/// read forever.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {} MiB", limit >> 20));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

/// How long a diff may take before it gives up on the finest alignment.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// A unified diff from `old` to `new`, both named `name`.
pub fn diff(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::configure().timeout(DIFF_TIMEOUT).diff_lines(old, new);
    diff.unified_diff().context_radius(3).header(name, name).to_string()
}

/// Replaces the file at `path` (the target of a symbolic link, not the
/// link) with `contents` at once: written to a new file next to it, then
/// renamed over it, so a reader never sees half a policy and a failed write
/// leaves the original as it was. The file keeps its permissions.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let target = fs::canonicalize(path)?;
    let dir = target.parent().ok_or_else(|| std::io::Error::other("the file has no directory"))?;
    let permissions = fs::metadata(&target)?.permissions();
    for attempt in 0..100 {
        let temporary = dir.join(format!(".supportlint-fmt-{}-{attempt}.tmp", std::process::id()));
        let mut file = match fs::OpenOptions::new().write(true).create_new(true).open(&temporary) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        };
        let written = file
            .write_all(contents)
            .and_then(|()| file.set_permissions(permissions.clone()))
            .and_then(|()| file.sync_all())
            .and_then(|()| {
                drop(file);
                fs::rename(&temporary, &target)
            });
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        return written;
    }
    Err(std::io::Error::other("could not create a temporary file next to it"))
}

/// A report file written over the one already at its path, then cut to the
/// length written, rather than truncated when it is opened. On ext4, a file
/// truncated to nothing and written again is flushed when it is closed
/// (`auto_da_alloc`), and the truncation frees its cached pages first:
/// together about 1.5 ms a megabyte, a tenth of a 10,000-team check writing
/// over its own 23 MB of JSON from the run before. Writing over the old
/// bytes reuses their pages and blocks.
///
/// The file keeps its inode, and so its permissions, owner and links. It is
/// cut by [`Overwrite::finish`], and by its drop unless nothing was written
/// since the last cut, so a run that stops early, on an error or a panic,
/// leaves no old bytes after the new ones; a process killed part-way does
/// (where truncating first would have left the new bytes alone). A file
/// that is not a regular one (a pipe, a terminal) is never cut.
pub struct Overwrite {
    file: fs::File,
    /// Bytes written so far: where the file ends.
    written: u64,
    /// Whether it is a regular file, which can be cut.
    regular: bool,
    /// Where the file was last cut, so that a drop after `finish` with
    /// nothing written since does not cut it again.
    cut_at: Option<u64>,
}

impl Overwrite {
    /// Opens `path` for writing from its start, creating it if needed.
    pub fn open(path: &Path) -> std::io::Result<Overwrite> {
        let file = fs::OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
        let regular = file.metadata()?.is_file();
        Ok(Overwrite { file, written: 0, regular, cut_at: None })
    }

    /// Cuts the file where the writing ends, so it never ends with bytes of
    /// what was there before, even when it changed length meanwhile. Call it
    /// after the last write, even one that failed, to hear of an error.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if !self.regular || self.cut_at == Some(self.written) {
            return Ok(());
        }
        self.file.set_len(self.written)?;
        self.cut_at = Some(self.written);
        Ok(())
    }
}

impl Drop for Overwrite {
    fn drop(&mut self) {
        // After an early return, or bytes a buffer flushed after `finish`.
        let _ = self.finish();
    }
}

impl std::io::Write for Overwrite {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Writes `contents` to `path` as [`Overwrite`] does.
pub fn overwrite(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = Overwrite::open(path)?;
    let written = file.write_all(contents);
    let cut = file.finish();
    written.and(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overwrite_leaves_exactly_the_new_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let cases =
            [(&b"a much longer old text"[..], &b"short"[..]), (b"old", b"a longer new text"), (b"same", b"size")];
        for (old, new) in cases.into_iter().chain([(&b"old"[..], &b""[..])]) {
            fs::write(&path, old).unwrap();
            overwrite(&path, new).unwrap();
            assert_eq!(fs::read(&path).unwrap(), new);
        }
        overwrite(&dir.path().join("new"), b"fresh").unwrap();
        assert_eq!(fs::read(dir.path().join("new")).unwrap(), b"fresh");
    }

    #[test]
    fn a_writer_dropped_without_finish_still_cuts_the_old_bytes() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        fs::write(&path, b"a much longer old text").unwrap();
        let mut file = Overwrite::open(&path).unwrap();
        file.write_all(b"new").unwrap();
        drop(file);
        assert_eq!(fs::read(&path).unwrap(), b"new");
        // `finish` and then a drop with nothing written between.
        fs::write(&path, b"a much longer old text").unwrap();
        let mut file = Overwrite::open(&path).unwrap();
        file.write_all(b"newer").unwrap();
        file.finish().unwrap();
        drop(file);
        assert_eq!(fs::read(&path).unwrap(), b"newer");
    }
}
