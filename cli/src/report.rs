//! `supportlint report PATH... -o report.html`: the planner's one-page HTML
//! report, with the configuration found as `check` finds it.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use supportlint::config::Level;
use supportlint::escape::visible;
use supportlint::model::units::Date;
use supportlint::report::html;
use supportlint::report::human::Style;
use supportlint::rules::UnknownRule;

use super::config::Configs;
use super::{exit, files};

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, or directories to search for `*.policy` files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Write the HTML page to FILE (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Use this configuration file instead of looking for `supportlint.yaml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Set a rule's level over the configuration, by code, name or category:
    /// `--level K005=off --level practice=info`. Repeatable.
    #[arg(long = "level", value_name = "RULE=LEVEL", value_parser = super::check::parse_level)]
    levels: Vec<(String, Level)>,
    /// The day `allow ... until DATE` is judged against [default: today,
    /// in UTC].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    today: Option<Date>,
}

pub fn run(args: Args) -> u8 {
    let (overrides, flag_custom_rules) = match super::check::overrides(&args.levels) {
        Ok(found) => found,
        Err(problems) => {
            eprint!("{problems}");
            return exit::ABNORMAL;
        }
    };
    let style = Style { color: false, unicode: true, width: super::width() };
    let today = args.today.unwrap_or_else(super::today);
    let mut configs = Configs::new(args.config.as_deref(), overrides, style, today);
    let (paths, mut io_errors) = files::collect(&args.paths);
    let jobs: Vec<_> = paths.iter().map(|p| (p.clone(), configs.for_file(p))).collect();
    if configs.refuse("no report was written") {
        return exit::ABNORMAL;
    }
    let mut reports = Vec::new();
    for (path, loaded) in &jobs {
        match files::check_file(&loaded.checker, path) {
            Ok(report) => reports.push(report),
            Err(message) => io_errors.push(message),
        }
    }
    // As `check` does: names taken to be custom rules that no checked
    // policy defines are a warning.
    let defined: BTreeSet<&str> =
        reports.iter().filter_map(|r| r.policy.as_ref()).flat_map(|p| &p.rules).map(|r| r.name.as_str()).collect();
    for warning in configs.undefined_custom_rules(&defined) {
        eprint!("{warning}");
    }
    for name in flag_custom_rules.iter().filter(|n| !defined.contains(n.as_str())) {
        let (code, rule) = (UnknownRule::META.code, UnknownRule::META.name);
        eprintln!(
            "warning[{code}/{rule}]: `--level {}` names no built-in rule, and no checked policy defines a rule of that name\n",
            visible(name)
        );
    }
    let page = html::page_with(&reports, supportlint::Checker::new().catalog(), html::Options::default());
    let written = if args.output == Path::new("-") {
        std::io::stdout().lock().write_all(page.as_bytes()).map_err(|e| e.to_string())
    } else {
        files::overwrite(&args.output, page.as_bytes()).map_err(|e| format!("{}: {e}", args.output.display()))
    };
    if let Err(message) = written {
        io_errors.push(message);
    }
    for message in &io_errors {
        eprintln!("error: {}", files::escaped(message));
    }
    if !io_errors.is_empty() {
        return exit::ABNORMAL;
    }
    let teams: usize = reports.iter().filter_map(|r| r.policy.as_ref()).map(|p| p.teams.len()).sum();
    let front_end_errors = reports.iter().any(|r| r.diagnostics.iter().any(|d| d.code.starts_with('E')));
    if args.output != Path::new("-") {
        eprintln!(
            "wrote {}: {} {}, {} {}",
            files::shown(&args.output),
            reports.len(),
            if reports.len() == 1 { "file" } else { "files" },
            teams,
            if teams == 1 { "team" } else { "teams" }
        );
    }
    if front_end_errors {
        eprintln!("some teams could not be read and are not analysed; the report shows why");
        return exit::FINDINGS;
    }
    exit::CLEAN
}
