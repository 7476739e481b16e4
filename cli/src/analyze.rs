//! `supportlint analyze PATH... [--format human|json]`

use std::io::Write;
use std::path::PathBuf;

use supportlint::Checker;
use supportlint::report::analysis::{self, AnalysisJson, JSON_VERSION};

use super::{exit, files};

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table per file.
    Human,
    /// One JSON document (version 1).
    Json,
}

/// Arguments of `analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, or directories to search for `*.policy` files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// How to print the figures.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

pub fn run(args: Args) -> u8 {
    let checker = Checker::new();
    let (paths, mut io_errors) = files::collect(&args.paths);
    let mut reports = Vec::new();
    for path in &paths {
        match files::check_file(&checker, path) {
            Ok(report) => reports.push(report),
            Err(message) => io_errors.push(message),
        }
    }
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let doc = AnalysisJson { version: JSON_VERSION, files: reports.iter().map(analysis::file_json).collect() };
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            let _ = writeln!(stdout, "{text}");
        }
        Format::Human => {
            for report in &reports {
                let _ = writeln!(stdout, "{}", analysis::human_table(report));
            }
        }
    }
    let front_end_errors = reports.iter().any(|r| r.diagnostics.iter().any(|d| d.code.starts_with('E')));
    if front_end_errors && args.format == Format::Human {
        eprintln!("some teams could not be read and are left out; `supportlint check` shows why");
    }
    for message in &io_errors {
        eprintln!("error: {}", analysis::escape(message));
    }
    if !io_errors.is_empty() {
        exit::ABNORMAL
    } else if front_end_errors {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}
