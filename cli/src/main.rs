//! The `supportlint` command: argument parsing, files, terminals and exit codes.
//! This is the only part of supportlint that does IO; one file per
//! subcommand.

mod analyze;
mod baseline;
mod check;
mod config;
mod explain;
mod files;
mod fmt;
mod git;
mod lsp;
mod report;
mod schema;
mod suppressions;
mod test;

use std::process::ExitCode;

/// A check allocates many small values (names, spans, findings) on several
/// threads and frees them file by file; mimalloc serves that pattern with
/// less time in the allocator and fewer page faults than the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

/// Finds the contradictions in support-operations policy files.
#[derive(Debug, Parser)]
#[command(name = "supportlint", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check policy files and report where they contradict themselves.
    Check(check::Args),
    /// Lay policy files out in the canonical style, or say which would change.
    Fmt(fmt::Args),
    /// Print the staffing figures of every team: load, service level, agents needed.
    Analyze(analyze::Args),
    /// Write the planner's HTML report: a summary, staffing curves and findings for every team.
    Report(report::Args),
    /// Explain a rule: what it finds, why it matters, an example, how to fix it.
    Explain(explain::ExplainArgs),
    /// List every rule with its code, name, category and default severity.
    Rules(explain::RulesArgs),
    /// Print the JSON Schema of the configuration file or of `--format json` output.
    Schema(schema::Args),
    /// Run policy files as tests: `# expect:` markers name the findings that must fire.
    Test(test::Args),
    /// Run the language server on standard input and output, for editors.
    Lsp(lsp::Args),
    /// List every `allow` with its owner, end date and state: the audit trail of accepted findings.
    Suppressions(suppressions::Args),
}

/// Exit codes, as documented in README.md.
pub(crate) mod exit {
    /// Nothing at or above the failure threshold.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the failure threshold.
    pub const FINDINGS: u8 = 1;
    /// Usage, configuration or IO error.
    pub const ABNORMAL: u8 = 2;
}

/// Runs the command line and returns the process exit code.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with success, usage
            // errors to stderr; usage errors exit 2.
            let code = if err.use_stderr() { exit::ABNORMAL } else { exit::CLEAN };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Report(args) => report::run(args),
        Command::Explain(args) => explain::explain(args, supportlint::Checker::new().catalog()),
        Command::Rules(args) => explain::list(args, supportlint::Checker::new().catalog()),
        Command::Schema(args) => schema::run(args),
        Command::Test(args) => test::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Suppressions(args) => suppressions::run(args),
    };
    ExitCode::from(code)
}

/// Whether to colour output written to stdout: a terminal, and `NO_COLOR`
/// unset (<https://no-color.org>).
pub(crate) fn color_stdout() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Today's date in UTC, for `allow ... until`.
pub(crate) fn today() -> supportlint::model::units::Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    supportlint::model::units::Date::from_days_since_epoch(seconds.div_euclid(86_400))
        .unwrap_or(supportlint::model::units::Date::EPOCH)
}

/// Parses `--today YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Result<supportlint::model::units::Date, String> {
    supportlint::model::units::Date::parse(text).ok_or(format!("`{text}` is not a date: write it as YYYY-MM-DD"))
}

/// The width to wrap human output at: `COLUMNS`, else 100.
pub(crate) fn width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}
