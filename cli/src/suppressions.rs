//! `supportlint suppressions PATH... [--format human|json]`: the audit trail
//! of every `allow`.

use std::io::Write;
use std::path::PathBuf;

use supportlint::model::units::Date;
use supportlint::report::human::Style;
use supportlint::report::suppressions;

use super::config::Configs;
use super::{exit, files};

/// Output formats of `suppressions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One block per `allow`, and a count.
    Human,
    /// One JSON document (version 1).
    Json,
}

/// Arguments of `suppressions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, or directories to search for `*.policy` files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Use this configuration file instead of looking for `supportlint.yaml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The day `until` is judged against [default: today, in UTC].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    today: Option<Date>,
}

pub fn run(args: Args) -> u8 {
    let style = Style { color: false, unicode: true, width: super::width() };
    let today = args.today.unwrap_or_else(super::today);
    let (paths, mut io_errors) = files::collect(&args.paths);
    let mut configs = Configs::new(args.config.as_deref(), Default::default(), style, today);
    let mut reports = Vec::new();
    for path in &paths {
        let loaded = configs.for_file(path);
        match files::check_file(&loaded.checker, path) {
            Ok(report) => reports.push(report),
            Err(message) => io_errors.push(message),
        }
    }
    if !configs.errors.is_empty() {
        for error in &configs.errors {
            eprint!("{error}");
        }
        return exit::ABNORMAL;
    }
    let mut stdout = std::io::stdout().lock();
    let _ = match args.format {
        Format::Json => {
            writeln!(stdout, "{}", serde_json::to_string_pretty(&suppressions::json(&reports)).unwrap_or_default())
        }
        Format::Human => write!(stdout, "{}", suppressions::human(&reports)),
    };
    for message in &io_errors {
        eprintln!("error: {}", files::escaped(message));
    }
    if io_errors.is_empty() { exit::CLEAN } else { exit::ABNORMAL }
}
