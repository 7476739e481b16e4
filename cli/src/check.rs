//! `supportlint check PATH...`

use std::collections::BTreeSet;
use std::io::Write;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use supportlint::FileReport;
use supportlint::config::{FailOn, UNKNOWN_RULE_HELP};
use supportlint::config::{Level, NotSettable, Resolved, RuleLevels};
use supportlint::escape::{MAX_NAME, MAX_TEXT, shortened, visible};
use supportlint::fix::{Selection, apply, select};
use supportlint::model::units::Date;
use supportlint::report::baseline::BaselineEntry;
use supportlint::report::human::{self, Style};
use supportlint::report::{gitlab, json, junit, markdown, sarif, text};
use supportlint::rules::UnknownRule;

use super::config::{Configs, Loaded};
use super::{baseline, exit, files};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Snippets with labels and help (the default).
    Human,
    /// One line per finding: `path:line:col: severity[code/name] message`.
    Concise,
    /// One versioned JSON document (`supportlint schema output`).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// GitLab Code Quality JSON (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML: a test case per file, a failure per finding at or above `--fail-on`.
    Junit,
    /// Markdown for a pull request comment, under GitHub's length limit.
    Markdown,
}

/// From what severity findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    /// Errors only (the default).
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never: report, but exit 0.
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> FailOn {
        match arg {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files, or directories to search for `*.policy` files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with 1 when a finding at or above this severity is reported
    /// [default: `fail_on` of the configuration, else error].
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Set a rule's level over the configuration, by code, name or category:
    /// `--level K005=off --level practice=info`. Repeatable.
    #[arg(long = "level", value_name = "RULE=LEVEL", value_parser = parse_level)]
    levels: Vec<(String, Level)>,
    /// Use this configuration file instead of looking for `supportlint.yaml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in FILE, to pass to `--baseline` later.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Report and fail only on findings that are new since the git revision
    /// REV (a commit, branch or tag): each file is checked as it is and as it
    /// was at REV, and findings are matched by fingerprint. Files that did
    /// not exist at REV are new.
    #[arg(long, value_name = "REV", conflicts_with_all = ["baseline", "write_baseline"])]
    new_from_rev: Option<String>,
    /// Files checked at once [default: the number of CPUs]. Output is the
    /// same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,
    /// Apply the safe fixes (meaning unchanged, like removing an unused
    /// `allow`), then report on the fixed files.
    #[arg(long)]
    fix: bool,
    /// Also apply the first fix of every finding that has no safe one:
    /// business decisions (staffing, targets, promises), to read first.
    #[arg(long)]
    unsafe_fixes: bool,
    /// With `--fix` or `--unsafe-fixes`: print the changes as a unified diff
    /// instead of writing them.
    #[arg(long)]
    diff: bool,
    /// The day `allow ... until DATE` is judged against [default: today,
    /// in UTC]. From its `until` on, an `allow` silences nothing.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    today: Option<Date>,
}

fn parse_level(text: &str) -> Result<(String, Level), String> {
    let (rule, level) = text.split_once('=').ok_or("write it as RULE=LEVEL, like `K005=off`")?;
    let level = Level::parse(level).ok_or(format!("`{level}` is not a level: use off, info, warning or error"))?;
    Ok((rule.to_string(), level))
}

/// Rule names with their levels, as given with `--level`.
type Levels = Vec<(String, Level)>;

/// The `--level` flags as rule levels, and the names taken to be custom
/// rules; a name that is no rule is X002.
fn overrides(flags: &[(String, Level)]) -> Result<(Levels, Vec<String>), String> {
    let mut levels = RuleLevels::default();
    let mut custom = Vec::new();
    let mut problems = String::new();
    let catalog = supportlint::rules::Catalog::default();
    for (rule, level) in flags {
        match levels.set(&catalog, rule, *level) {
            Ok(Resolved::BuiltIn) => {}
            Ok(Resolved::Custom) => custom.push(rule.clone()),
            Err(NotSettable::AlwaysError) => {
                let rule = visible(rule);
                problems.push_str(&format!("error: `--level {rule}`: front-end errors are always errors\n"));
            }
            Err(NotSettable::Unknown(suggestion)) => {
                let hint = suggestion.map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                let rule = visible(rule);
                let (code, name) = (UnknownRule::META.code, UnknownRule::META.name);
                problems.push_str(&format!(
                    "error[{code}/{name}]: `--level {rule}` names no rule{hint}\n  help: {UNKNOWN_RULE_HELP}\n"
                ));
            }
        }
    }
    if problems.is_empty() { Ok((flags.to_vec(), custom)) } else { Err(problems) }
}

/// Checks every job, `threads` at a time; the results come back in job
/// order, so the output does not depend on the number of threads.
fn check_all(jobs: &[(PathBuf, Arc<Loaded>)], threads: usize) -> Vec<Result<FileReport, String>> {
    let slots: Vec<OnceLock<Result<FileReport, String>>> = jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let (Some((path, loaded)), Some(slot)) = (jobs.get(index), slots.get(index)) else { break };
        let _ = slot.set(files::check_file(&loaded.checker, path));
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.min(jobs.len()) {
            scope.spawn(work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| slot.into_inner().unwrap_or_else(|| Err("internal error: a file was not checked".into())))
        .collect()
}

/// Silences the findings of `reports` that the same files had at git
/// revision `rev`, so that only new ones count.
fn only_new_since(rev: &str, jobs: &[(PathBuf, Arc<Loaded>)], reports: &mut [FileReport]) -> Result<(), String> {
    let first = jobs.first().map_or_else(|| std::path::Path::new("."), |(p, _)| p.parent().unwrap_or(p.as_path()));
    super::git::check_revision(first, rev)?;
    let mut old = Vec::new();
    for (path, loaded) in jobs {
        let limit = loaded.checker.limits().max_file_bytes as u64;
        if let Some(bytes) = super::git::text_at(path, rev, limit)? {
            old.push(loaded.checker.check_bytes(&path.display().to_string(), bytes));
        }
    }
    let before = supportlint::report::baseline::Baseline::record(&mut old, "recorded");
    let _stale = before.apply(reports, &format!("already present at `{rev}`"));
    Ok(())
}

/// Rounds of fixing one file: a fix left out because it overlapped another
/// may apply once the file is checked again.
const MAX_FIX_ROUNDS: usize = 10;

/// What fixing did, over the files.
#[derive(Default)]
struct Fixed {
    fixes: usize,
    files: usize,
    skipped: usize,
}

impl Fixed {
    fn summary(&self, diff: bool) -> String {
        let verb = if diff { "would apply" } else { "applied" };
        let fixes = |n: usize| if n == 1 { "1 fix".to_string() } else { format!("{n} fixes") };
        let mut text = format!("{verb} {} in {}", fixes(self.fixes), plural(self.files, "file"));
        if self.skipped > 0 {
            text.push_str(&format!(
                "; {} overlapped another and {} left out",
                fixes(self.skipped),
                if self.skipped == 1 { "was" } else { "were" }
            ));
        }
        text.push('\n');
        text
    }
}

/// Applies the fixes `selection` picks to the file at `path`, checking it
/// again after each round, and writes it (or prints its diff) when it
/// changed. Returns the report on the fixed text.
fn fix_file(
    path: &std::path::Path,
    checker: &supportlint::Checker,
    mut report: FileReport,
    selection: Selection,
    diff: bool,
    fixed: &mut Fixed,
) -> Result<FileReport, String> {
    let original = report.source.text().to_string();
    let mut applied_here = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let fixes = select(&report.diagnostics, selection);
        if fixes.is_empty() {
            break;
        }
        let applied = apply(report.source.text(), &fixes);
        if applied.applied == 0 || applied.text == report.source.text() {
            fixed.skipped += applied.skipped;
            break;
        }
        applied_here += applied.applied;
        let source = supportlint::Source::new(report.source.name(), applied.text);
        report = checker.check(&source);
    }
    fixed.skipped += select(&report.diagnostics, selection).len();
    if report.source.text() == original {
        return Ok(report);
    }
    fixed.fixes += applied_here;
    fixed.files += 1;
    if diff {
        let name = path.display().to_string();
        super::fmt::write_out(&files::diff(&files::escaped(&name), &original, report.source.text()))
            .map_err(|e| e.to_string())?;
    } else {
        files::write_atomically(path, report.source.text().as_bytes())
            .map_err(|e| format!("{}: {e}", files::escaped(&path.display().to_string())))?;
    }
    Ok(report)
}

pub fn run(args: Args) -> u8 {
    let style =
        Style { color: args.output_file.is_none() && super::color_stdout(), unicode: true, width: super::width() };
    let (paths, mut io_errors) = files::collect(&args.paths);
    let (overrides, flag_custom_rules) = match overrides(&args.levels) {
        Ok(found) => found,
        Err(problems) => {
            eprint!("{problems}");
            return exit::ABNORMAL;
        }
    };
    let today = args.today.unwrap_or_else(super::today);
    let mut configs = Configs::new(args.config.as_deref(), overrides, style, today);
    let jobs: Vec<(PathBuf, Arc<Loaded>)> = paths.iter().map(|p| (p.clone(), configs.for_file(p))).collect();
    if !configs.errors.is_empty() {
        for error in &configs.errors {
            eprint!("{error}");
        }
        eprintln!("the configuration has errors; nothing was checked");
        return exit::ABNORMAL;
    }
    let threads = args
        .threads
        .map_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get), NonZeroUsize::get);
    let mut reports = Vec::new();
    let mut fail_ons = Vec::new();
    let fixing = match (args.fix, args.unsafe_fixes) {
        (_, true) => Some(Selection::Unsafe),
        (true, false) => Some(Selection::Safe),
        (false, false) => None,
    };
    let mut fixed = Fixed::default();
    for ((path, loaded), result) in jobs.iter().zip(check_all(&jobs, threads)) {
        match result {
            Ok(mut report) => {
                if let Some(selection) = fixing {
                    match fix_file(path, &loaded.checker, report, selection, args.diff, &mut fixed) {
                        Ok(after) => report = after,
                        Err(message) => {
                            io_errors.push(message);
                            continue;
                        }
                    }
                }
                fail_ons.push(args.fail_on.map(FailOn::from).or(loaded.config.fail_on).unwrap_or(FailOn::Error));
                reports.push(report);
            }
            Err(message) => io_errors.push(message),
        }
    }
    if fixing.is_some() {
        eprint!("{}", fixed.summary(args.diff));
        if args.diff {
            // The diff is the output; the findings are for a run that writes.
            if !io_errors.is_empty() {
                return report_io(&io_errors);
            }
            return if fixed.files > 0 { exit::FINDINGS } else { exit::CLEAN };
        }
    }
    // Names taken to be custom rules that no checked policy defines: a
    // warning, since a run on some files cannot know the others' rules.
    let defined: BTreeSet<&str> =
        reports.iter().filter_map(|r| r.policy.as_ref()).flat_map(|p| &p.rules).map(|r| r.name.as_str()).collect();
    for warning in configs.undefined_custom_rules(&defined) {
        eprint!("{warning}");
    }
    for name in flag_custom_rules.iter().filter(|n| !defined.contains(n.as_str())) {
        let (code, rule) = (UnknownRule::META.code, UnknownRule::META.name);
        let name = visible(name);
        eprintln!(
            "warning[{code}/{rule}]: `--level {name}` names no built-in rule, and no checked policy defines a rule of that name\n"
        );
    }
    if let Some(rev) = &args.new_from_rev
        && let Err(message) = only_new_since(rev, &jobs, &mut reports)
    {
        eprintln!("error: {}", files::escaped(&message));
        return exit::ABNORMAL;
    }
    let stale = match (&args.write_baseline, &args.baseline) {
        (Some(path), _) => match baseline::write(path, &mut reports) {
            Ok(count) => {
                let path = path.display().to_string();
                eprintln!("recorded {} in the baseline {}", plural(count, "finding"), visible(&path));
                Vec::new()
            }
            Err(message) => {
                eprintln!("error: {}", visible(&message));
                return exit::ABNORMAL;
            }
        },
        (None, Some(path)) => match baseline::apply(path, &mut reports) {
            Ok(stale) => stale,
            Err(message) => {
                eprintln!("error: {}", visible(&message));
                return exit::ABNORMAL;
            }
        },
        (None, None) => Vec::new(),
    };
    if !matches!(args.format, Format::Human | Format::Json) {
        // The other formats have no place for them; CI logs show stderr.
        eprint!("{}", stale_lines(&stale));
    }
    let output = render(args.format, &reports, &fail_ons, &stale, style);
    let written = match &args.output_file {
        Some(path) => std::fs::write(path, output.as_bytes()).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout().lock().write_all(output.as_bytes()).map_err(|e| e.to_string()),
    };
    if let Err(message) = written {
        io_errors.push(message);
    }
    if !io_errors.is_empty() {
        return report_io(&io_errors);
    }
    let failed = reports
        .iter()
        .zip(&fail_ons)
        .any(|(r, fail_on)| r.diagnostics.iter().any(|d| !d.is_suppressed() && fail_on.fails(d.severity)));
    if failed { exit::FINDINGS } else { exit::CLEAN }
}

fn report_io(errors: &[String]) -> u8 {
    // Messages name paths, which may hold any character.
    for message in errors {
        eprintln!("error: {}", visible(message));
    }
    exit::ABNORMAL
}

fn render(
    format: Format,
    reports: &[FileReport],
    fail_ons: &[FailOn],
    stale: &[BaselineEntry],
    style: Style,
) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&json::document(reports, stale.to_vec())).unwrap_or_default() + "\n"
        }
        Format::Sarif => sarif::log(reports) + "\n",
        Format::Concise => reports.iter().map(text::concise).collect(),
        Format::Github => reports.iter().map(text::github).collect(),
        Format::Gitlab => gitlab::report(reports) + "\n",
        Format::Junit => junit::report(reports, fail_ons),
        Format::Markdown => markdown::comment(reports),
        Format::Human => {
            let mut out: String = reports.iter().map(|r| human::render_report(r, style)).collect();
            out.push_str(&stale_lines(stale));
            out.push_str(&summary(reports));
            out
        }
    }
}

fn stale_lines(stale: &[BaselineEntry]) -> String {
    if stale.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{} baseline entr{} matched no finding (fixed, or changed): remove {} from the baseline\n",
        stale.len(),
        if stale.len() == 1 { "y" } else { "ies" },
        if stale.len() == 1 { "it" } else { "them" }
    );
    // The entries come from a file that may have been edited by hand: no
    // control characters (a newline could start a workflow command), and
    // nothing longer than a finding would show.
    for e in stale {
        let team = e.team.as_ref().map_or(String::new(), |t| format!(" team \"{}\"", shortened(t, MAX_NAME)));
        out.push_str(&format!(
            "  {} {}{}: {}\n",
            visible(&e.file),
            shortened(&e.code, MAX_NAME),
            team,
            shortened(&e.message, MAX_TEXT)
        ));
    }
    out.push('\n');
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn summary(reports: &[FileReport]) -> String {
    let s = json::summary(reports);
    let mut parts = Vec::new();
    for (n, word) in [(s.errors, "error"), (s.warnings, "warning"), (s.info, "note")] {
        if n > 0 {
            parts.push(plural(n, word));
        }
    }
    let mut found = if parts.is_empty() { "no problems found".to_string() } else { parts.join(", ") };
    if s.suppressed > 0 {
        found.push_str(&format!(" ({} suppressed)", s.suppressed));
    }
    format!("checked {}: {found}\n", plural(s.files, "file"))
}
