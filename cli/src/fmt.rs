//! `supportlint fmt [--check] [--diff] [PATH...]`: rewrites policies in the
//! canonical layout (`supportlint::format`), or says which would change.

use std::borrow::Cow;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use supportlint::report::human::{self, Style};
use supportlint::{Checker, FileReport, Source};

use super::{exit, files};

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, directories to search for `*.policy` files, or `-` to
    /// format standard input to standard output.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Write nothing; name every file that is not formatted, and exit with 1
    /// if there is one.
    #[arg(long)]
    check: bool,
    /// Write nothing; print what would change as a unified diff, and exit
    /// with 1 if anything would.
    #[arg(long)]
    diff: bool,
}

/// What `fmt` does with a file whose layout would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
    Diff,
}

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    /// Syntax errors: the diagnostics were printed.
    Refused,
}

pub fn run(args: Args) -> u8 {
    let mode = match (args.check, args.diff) {
        (_, true) => Mode::Diff,
        (true, false) => Mode::Check,
        (false, false) => Mode::Write,
    };
    let checker = Checker::new();
    let style = Style {
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal(),
        unicode: true,
        width: super::width(),
    };
    let stdin = Path::new("-");
    if args.paths.iter().any(|p| p == stdin) {
        if args.paths.len() > 1 {
            eprintln!("error: `-` (standard input) cannot be combined with other paths");
            return exit::ABNORMAL;
        }
        return match standard_input(&checker, mode, style) {
            Ok(Outcome::Unchanged) => exit::CLEAN,
            Ok(Outcome::Changed) if mode == Mode::Write => exit::CLEAN,
            Ok(_) => exit::FINDINGS,
            Err(message) => report_io(&[message]),
        };
    }
    let (paths, mut io_errors) = files::collect(&args.paths);
    let (mut unchanged, mut changed, mut refused) = (0, 0, 0);
    for path in &paths {
        match file(&checker, path, mode, style) {
            Ok(Outcome::Unchanged) => unchanged += 1,
            Ok(Outcome::Changed) => changed += 1,
            Ok(Outcome::Refused) => refused += 1,
            Err(message) => io_errors.push(message),
        }
    }
    eprintln!("{}", summary(mode, unchanged, changed, refused));
    if !io_errors.is_empty() {
        return report_io(&io_errors);
    }
    if refused > 0 || (changed > 0 && mode != Mode::Write) { exit::FINDINGS } else { exit::CLEAN }
}

/// Prints the messages of files that could not be read or written; they
/// name paths, so they are escaped.
fn report_io(errors: &[String]) -> u8 {
    for message in errors {
        eprintln!("error: {}", files::escaped(message));
    }
    exit::ABNORMAL
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn summary(mode: Mode, unchanged: usize, changed: usize, refused: usize) -> String {
    let mut out = match mode {
        Mode::Write => format!("{} reformatted, {unchanged} left unchanged", plural(changed, "file")),
        Mode::Check | Mode::Diff => {
            format!("{} would be reformatted, {unchanged} already formatted", plural(changed, "file"))
        }
    };
    if refused > 0 {
        out.push_str(&format!(", {refused} not formatted because of errors"));
    }
    out
}

/// Formats the policy at `path` as `mode` says.
fn file(checker: &Checker, path: &Path, mode: Mode, style: Style) -> Result<Outcome, String> {
    let name = files::shown(path);
    let bytes = match files::read_policy(path, checker.limits().max_file_bytes as u64)? {
        files::Policy::Bytes(bytes) => bytes,
        files::Policy::TooLarge(size) => {
            eprint!("{}", human::render_report(&checker.too_large(&name, size), style));
            return Ok(Outcome::Refused);
        }
    };
    let Some((source, formatted)) = formatted(checker, &name, bytes, style) else { return Ok(Outcome::Refused) };
    if formatted == source.text() {
        return Ok(Outcome::Unchanged);
    }
    match mode {
        Mode::Write => files::write_atomically(path, formatted.as_bytes()).map_err(|err| format!("{name}: {err}"))?,
        Mode::Check => println!("would reformat {name}"),
        Mode::Diff => {
            write_out(&files::diff(&name, source.text(), &formatted)).map_err(|err| format!("{name}: {err}"))?
        }
    }
    Ok(Outcome::Changed)
}

/// Formats standard input: the result (or the diff) goes to standard output.
fn standard_input(checker: &Checker, mode: Mode, style: Style) -> Result<Outcome, String> {
    let name = "<stdin>";
    let limit = checker.limits().max_file_bytes as u64;
    let mut bytes = Vec::new();
    std::io::stdin().lock().take(limit + 1).read_to_end(&mut bytes).map_err(|err| format!("{name}: {err}"))?;
    if bytes.len() as u64 > limit {
        eprint!("{}", human::render_report(&checker.too_large(name, bytes.len() as u64), style));
        return Ok(Outcome::Refused);
    }
    let Some((source, formatted)) = formatted(checker, name, bytes, style) else { return Ok(Outcome::Refused) };
    let changed = formatted != source.text();
    let written = match mode {
        Mode::Write => write_out(&formatted),
        Mode::Check if changed => write_out(&format!("would reformat {name}\n")),
        Mode::Diff if changed => write_out(&files::diff(name, source.text(), &formatted)),
        Mode::Check | Mode::Diff => Ok(()),
    };
    written.map_err(|err| format!("standard output: {err}"))?;
    Ok(if changed { Outcome::Changed } else { Outcome::Unchanged })
}

/// The source and its formatted text; `None` when it cannot be formatted,
/// after printing why (as `check` renders it).
fn formatted(checker: &Checker, name: &str, bytes: Vec<u8>, style: Style) -> Option<(Source, String)> {
    // Binary data and text that is not UTF-8 are refused as `check`
    // refuses them (`Checker::check_bytes`, which reports where).
    let binary = bytes.iter().take(8192).any(|&b| b == 0);
    if binary || std::str::from_utf8(&bytes).is_err() {
        eprint!("{}", human::render_report(&checker.check_bytes(name, bytes), style));
        return None;
    }
    let source = Source::from_bytes(name, bytes).ok()?;
    match supportlint::format(&source) {
        Ok(text) => Some((source, text)),
        Err(diagnostics) => {
            let report = FileReport::unchecked(source, diagnostics);
            eprint!("{}", human::render_report(&report, style));
            None
        }
    }
}

/// Writes policy text to standard output: as it is into a pipe or a file,
/// with control characters escaped on a terminal, where they would act.
pub(crate) fn write_out(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    let text = if stdout.is_terminal() { for_terminal(text) } else { Cow::Borrowed(text) };
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// `text` with every control character but tab and the line ends written as
/// a visible escape (`\u{1b}`).
fn for_terminal(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut out = String::new();
    let mut changed = false;
    while let Some(c) = chars.next() {
        let line_end = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if c == '\t' || line_end || !files::is_hidden(c) {
            out.push(c);
        } else {
            out.push_str(&c.escape_default().to_string());
            changed = true;
        }
    }
    if changed { Cow::Owned(out) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_a_terminal_only_where_they_act() {
        assert_eq!(for_terminal("a\tb\r\nc\n"), "a\tb\r\nc\n");
        assert_eq!(for_terminal("# \u{1b}[31mred\rx\n"), "# \\u{1b}[31mred\\rx\n");
    }
}
