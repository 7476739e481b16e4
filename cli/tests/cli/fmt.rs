//! `supportlint fmt`: rewriting in place, `--check`, `--diff`, standard
//! input, refusal of syntax errors and exit codes, in throwaway directories.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::common::*;

const MESSY: &str = "team \"Care\"{channel phone\n    promise thorough,follow_up   # kept\n}";
const TIDY: &str = "team \"Care\" {\n  channel phone\n  promise thorough, follow_up  # kept\n}\n";

fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_supportlint"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// A directory with `files` (name, text).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn read(dir: &tempfile::TempDir, name: &str) -> String {
    fs::read_to_string(dir.path().join(name)).unwrap()
}

#[test]
fn fmt_rewrites_files_in_place_and_leaves_formatted_ones_alone() {
    let dir = project(&[("care.policy", MESSY), ("teams/tidy.policy", TIDY), ("notes.txt", MESSY)]);
    let tidy = dir.path().join("teams/tidy.policy");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    fs::File::options().write(true).open(&tidy).unwrap().set_modified(old).unwrap();
    let out = run_in(dir.path(), &["fmt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&dir, "care.policy"), TIDY);
    assert_eq!(read(&dir, "notes.txt"), MESSY, "only `*.policy` files are formatted");
    assert_eq!(fs::metadata(&tidy).unwrap().modified().unwrap(), old, "an unchanged file is not written");
    assert!(stderr(&out).contains("1 file reformatted, 1 left unchanged"), "{}", stderr(&out));
    // Nothing is left behind: the temporary file was renamed over the policy.
    let mut names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["care.policy", "notes.txt", "teams"]);
    // Formatting again changes nothing.
    let again = run_in(dir.path(), &["fmt", "."]);
    assert_eq!(again.status.code(), Some(0));
    assert!(stderr(&again).contains("0 files reformatted, 2 left unchanged"), "{}", stderr(&again));
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_permissions_and_a_link_stays_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("real/care.policy", MESSY)]);
    let real = dir.path().join("real/care.policy");
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("link.policy")).unwrap();
    let out = run_in(dir.path(), &["fmt", "link.policy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&dir, "real/care.policy"), TIDY);
    assert!(fs::symlink_metadata(dir.path().join("link.policy")).unwrap().file_type().is_symlink());
    assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
}

#[test]
fn check_names_the_files_that_would_change_and_writes_nothing() {
    let dir = project(&[("a.policy", MESSY), ("b.policy", TIDY)]);
    let out = run_in(dir.path(), &["fmt", "--check", "a.policy", "b.policy"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "would reformat a.policy\n");
    assert!(stderr(&out).contains("1 file would be reformatted, 1 already formatted"), "{}", stderr(&out));
    assert_eq!(read(&dir, "a.policy"), MESSY);
    let clean = run_in(dir.path(), &["fmt", "--check", "b.policy"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = project(&[("a.policy", MESSY), ("b.policy", TIDY)]);
    let out = run_in(dir.path(), &["fmt", "--diff", "."]);
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(diff.starts_with("--- a.policy\n+++ a.policy\n@@ -1,3 +1,4 @@\n"), "{diff}");
    assert!(diff.contains("\n-team \"Care\"{channel phone\n") && diff.contains("\n+  channel phone\n"), "{diff}");
    assert!(!diff.contains("b.policy"), "{diff}");
    assert_eq!(read(&dir, "a.policy"), MESSY);
    let clean = run_in(dir.path(), &["fmt", "--diff", "b.policy"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "");
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let out = with_stdin(&["fmt", "-"], MESSY);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), TIDY);
    let check = with_stdin(&["fmt", "--check", "-"], MESSY);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check), "would reformat <stdin>\n");
    let tidy = with_stdin(&["fmt", "--check", "-"], TIDY);
    assert_eq!(tidy.status.code(), Some(0));
    let diff = with_stdin(&["fmt", "--diff", "-"], MESSY);
    assert_eq!(diff.status.code(), Some(1));
    assert!(stdout(&diff).starts_with("--- <stdin>\n+++ <stdin>\n"), "{}", stdout(&diff));
    let mixed = run_in(Path::new("."), &["fmt", "-", "a.policy"]);
    assert_eq!(mixed.status.code(), Some(2));
}

#[test]
fn syntax_errors_are_shown_as_check_shows_them_and_the_file_is_left_alone() {
    let broken = "team \"Care\" {\n  chanel phone\n}\n";
    let dir = project(&[("broken.policy", broken), ("ok.policy", MESSY)]);
    let out = run_in(dir.path(), &["fmt", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E001[syntax-error]") && err.contains("broken.policy:2:3"), "{err}");
    assert!(err.contains("did you mean `channel`?"), "{err}");
    assert!(err.contains("1 file reformatted, 0 left unchanged, 1 not formatted because of errors"), "{err}");
    assert_eq!(read(&dir, "broken.policy"), broken);
    assert_eq!(read(&dir, "ok.policy"), TIDY, "the other files are still formatted");
    let stdin = with_stdin(&["fmt", "-"], broken);
    assert_eq!(stdin.status.code(), Some(1));
    assert_eq!(stdout(&stdin), "", "nothing on standard output for a broken input");
    assert!(stderr(&stdin).contains("<stdin>:2:3"), "{}", stderr(&stdin));
    // Binary data is refused as `check` refuses it.
    let binary = project(&[("bin.policy", "team \"A\" {}\n# \0\n")]);
    let out = run_in(binary.path(), &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("binary data"), "{}", stderr(&out));
}

#[test]
fn an_unreadable_path_exits_with_2() {
    let dir = project(&[("ok.policy", TIDY)]);
    let out = run_in(dir.path(), &["fmt", "--check", "ok.policy", "missing.policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.policy"), "{}", stderr(&out));
    let out = run_in(dir.path(), &["fmt", "missing\u{1b}[2J.policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error: missing\\u{1b}[2J.policy: "), "{}", stderr(&out));
    assert!(!stderr(&out).contains('\u{1b}'));
}

#[cfg(unix)]
#[test]
fn paths_are_printed_with_control_characters_escaped() {
    let dir = project(&[("evil\n::error ::x\u{1b}[31m.policy", MESSY)]);
    let out = run_in(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "would reformat evil\\n\\u{3a}:error \\u{3a}:x\\u{1b}[31m.policy\n");
}
