//! `supportlint check PATH...`

use std::io::Write;
use std::path::PathBuf;

use supportlint::Checker;
use supportlint::report::human::{self, Style};

use super::{exit, files};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, or directories to search for `*.policy` files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let checker = Checker::new();
    let (paths, mut io_errors) = files::collect(&args.paths);
    let style = Style { color: super::color_stdout(), unicode: true, width: super::width() };
    let mut counts = [0usize; 3];
    let mut stdout = std::io::stdout().lock();
    let mut checked = 0;
    for path in &paths {
        let report = match files::check_file(&checker, path) {
            Ok(report) => report,
            Err(message) => {
                io_errors.push(message);
                continue;
            }
        };
        checked += 1;
        for d in &report.diagnostics {
            if let Some(n) = counts.get_mut(d.severity as usize) {
                *n += 1;
            }
        }
        let _ = stdout.write_all(human::render_report(&report, style).as_bytes());
    }
    let [info, warnings, errors] = counts;
    let _ = writeln!(stdout, "{}", summary(checked, errors, warnings, info));
    for message in &io_errors {
        eprintln!("error: {message}");
    }
    if !io_errors.is_empty() {
        exit::ABNORMAL
    } else if errors > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn summary(files: usize, errors: usize, warnings: usize, info: usize) -> String {
    let mut parts = Vec::new();
    for (n, word) in [(errors, "error"), (warnings, "warning"), (info, "note")] {
        if n > 0 {
            parts.push(plural(n, word));
        }
    }
    let found = if parts.is_empty() { "no problems found".to_string() } else { parts.join(", ") };
    format!("checked {}: {found}", plural(files, "file"))
}
