//! `supportlint check PATH...`

use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

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

pub(crate) fn parse_level(text: &str) -> Result<(String, Level), String> {
    let (rule, level) = text.split_once('=').ok_or("write it as RULE=LEVEL, like `K005=off`")?;
    let level = Level::parse(level).ok_or(format!("`{level}` is not a level: use off, info, warning or error"))?;
    Ok((rule.to_string(), level))
}

/// Rule names with their levels, as given with `--level`.
type Levels = Vec<(String, Level)>;

/// The `--level` flags as rule levels, and the names taken to be custom
/// rules; a name that is no rule is X002.
pub(crate) fn overrides(flags: &[(String, Level)]) -> Result<(Levels, Vec<String>), String> {
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

/// A window of jobs with their results, checked and not yet handed over.
type Window<'a> = Option<(&'a [(PathBuf, Arc<Loaded>)], Vec<Result<FileReport, String>>)>;

/// Checks every job on the current thread pool and hands each result to
/// `done` in job order, so the output does not depend on the number of
/// threads. Jobs are checked a window at a time (the files of a window, and
/// the teams of each file, in parallel), and one window's results are handed
/// over while the next is checked: at most two windows' reports are held at
/// once, whatever the number of files.
fn check_in_order<F>(jobs: &[(PathBuf, Arc<Loaded>)], window: usize, mut done: F)
where
    F: FnMut(&std::path::Path, &Loaded, Result<FileReport, String>) + Send,
{
    let check = |jobs: &[(PathBuf, Arc<Loaded>)]| -> Vec<Result<FileReport, String>> {
        jobs.par_iter().map(|(path, loaded)| files::check_file(&loaded.checker, path)).collect()
    };
    let mut previous: Window<'_> = None;
    for window in jobs.chunks(window.max(1)) {
        let hand_over = |previous: Window<'_>, done: &mut F| {
            for ((path, loaded), result) in previous.into_iter().flat_map(|(jobs, results)| jobs.iter().zip(results)) {
                done(path, loaded, result);
            }
        };
        let ((), results) = rayon::join(|| hand_over(previous.take(), &mut done), || check(window));
        previous = Some((window, results));
    }
    for ((path, loaded), result) in previous.into_iter().flat_map(|(jobs, results)| jobs.iter().zip(results)) {
        done(path, loaded, result);
    }
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
    if configs.refuse("nothing was checked") {
        return exit::ABNORMAL;
    }
    // No more threads than the input can use: a small file is checked on
    // the thread that started, without asking how many cores there are
    // (reading the control groups costs a small run a tenth of a millisecond).
    let bytes = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).fold(0, |sum, m| m.len().saturating_add(sum));
    let usable = usize::try_from(bytes / BYTES_PER_THREAD).unwrap_or(usize::MAX).max(1);
    let threads = match args.threads {
        Some(asked) => asked.get().min(usable),
        None if usable == 1 => 1,
        None => std::thread::available_parallelism().map_or(1, NonZeroUsize::get).min(usable),
    };
    let fixing = match (args.fix, args.unsafe_fixes) {
        (_, true) => Some(Selection::Unsafe),
        (true, false) => Some(Selection::Safe),
        (false, false) => None,
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).use_current_thread().build();
    let in_pool = |work: &mut (dyn FnMut() + Send)| match &pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    let mut fixed = Fixed::default();
    if let (Some(selection), true) = (fixing, args.diff) {
        // The diff is the output; the findings are for a run that writes.
        in_pool(&mut || {
            check_in_order(&jobs, threads, |path, loaded, result| {
                let fixed_file = result.and_then(|r| fix_file(path, &loaded.checker, r, selection, true, &mut fixed));
                if let Err(message) = fixed_file {
                    io_errors.push(message);
                }
            });
        });
        eprint!("{}", fixed.summary(true));
        if !io_errors.is_empty() {
            return report_io(&io_errors);
        }
        return if fixed.files > 0 { exit::FINDINGS } else { exit::CLEAN };
    }
    let mut out = match open_output(args.output_file.as_deref()) {
        Ok(out) => out,
        Err(message) => {
            io_errors.push(message);
            return report_io(&io_errors);
        }
    };
    let mut outcome = Err(String::new());
    in_pool(&mut || outcome = checked(&args, &jobs, threads, fixing.map(|s| (s, &mut fixed)), &mut out, style));
    if fixing.is_some() {
        eprint!("{}", fixed.summary(false));
    }
    let (failed, defined, mut errors) = match outcome {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("error: {}", visible(&message));
            return exit::ABNORMAL;
        }
    };
    // Names taken to be custom rules that no checked policy defines: a
    // warning, since a run on some files cannot know the others' rules.
    let defined: BTreeSet<&str> = defined.iter().map(String::as_str).collect();
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
    io_errors.append(&mut errors);
    if !io_errors.is_empty() {
        return report_io(&io_errors);
    }
    if failed { exit::FINDINGS } else { exit::CLEAN }
}

/// Input bytes that make one more thread worth starting.
const BYTES_PER_THREAD: u64 = 64 * 1024;

/// Where the output goes: the file of `--output-file` or standard output,
/// through a buffer.
fn open_output(path: Option<&std::path::Path>) -> Result<BufWriter<Sink>, String> {
    let out = match path {
        Some(path) => Sink::File(files::Overwrite::open(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => Sink::Stdout(std::io::stdout()),
    };
    Ok(BufWriter::with_capacity(1 << 16, out))
}

/// Standard output, or the file of `--output-file`.
enum Sink {
    Stdout(std::io::Stdout),
    File(files::Overwrite),
}

impl Sink {
    /// Ends the output: a file loses what is left of its previous contents.
    fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(_) => Ok(()),
            Sink::File(file) => file.finish(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

/// What a run found: whether a finding fails it, the custom rules the
/// checked policies define, and the files that could not be read or the
/// output that could not be written.
type Outcome = (bool, BTreeSet<String>, Vec<String>);

/// Checks the files and writes the output. Without a baseline or a git
/// revision to compare with, each file is written as soon as it and those
/// before it are checked (the formats that need every file at once keep
/// the reports); otherwise every report is kept until the comparison.
fn checked(
    args: &Args,
    jobs: &[(PathBuf, Arc<Loaded>)],
    threads: usize,
    mut fixing: Option<(Selection, &mut Fixed)>,
    out: &mut BufWriter<Sink>,
    style: Style,
) -> Result<Outcome, String> {
    let streaming = args.baseline.is_none() && args.write_baseline.is_none() && args.new_from_rev.is_none();
    let mut emitter = if streaming { Some(Emitter::start(args.format, style, out)) } else { None };
    let mut failed = false;
    let mut defined = BTreeSet::new();
    let mut io_errors = Vec::new();
    let (mut kept, mut kept_fail_ons) = (Vec::new(), Vec::new());
    let mut handed = 0;
    check_in_order(jobs, threads, |path, loaded, result| match result {
        Ok(mut report) => {
            if let Some((selection, fixed)) = &mut fixing {
                match fix_file(path, &loaded.checker, report, *selection, false, fixed) {
                    Ok(after) => report = after,
                    Err(message) => {
                        io_errors.push(message);
                        return;
                    }
                }
            }
            let fail_on = args.fail_on.map(FailOn::from).or(loaded.config.fail_on).unwrap_or(FailOn::Error);
            defined.extend(report.policy.iter().flat_map(|p| &p.rules).map(|r| r.name.clone()));
            handed += 1;
            match &mut emitter {
                Some(Ok(emitter)) => {
                    failed |= fails(&report, fail_on);
                    let written = emitter.file(out, report, fail_on);
                    if handed == jobs.len() {
                        // The last report: the process ends once the output
                        // is flushed, and freeing its many small values one
                        // by one would cost about a tenth of the run.
                        std::mem::forget(written);
                    }
                }
                Some(Err(_)) => failed |= fails(&report, fail_on),
                None => {
                    kept.push(report);
                    kept_fail_ons.push(fail_on);
                }
            }
        }
        Err(message) => io_errors.push(message),
    });
    let stale = if streaming { Vec::new() } else { compare(args, jobs, &mut kept)? };
    if !matches!(args.format, Format::Human | Format::Json) {
        // The other formats have no place for them; CI logs show stderr.
        eprint!("{}", stale_lines(&stale));
    }
    let written = emitter.unwrap_or_else(|| Emitter::start(args.format, style, out)).and_then(|mut emitter| {
        for (report, fail_on) in kept.into_iter().zip(kept_fail_ons) {
            failed |= fails(&report, fail_on);
            emitter.file(out, report, fail_on);
        }
        emitter.finish(out, &stale)?;
        out.flush()
    });
    // Cut here, even after a failed write, to hear of an error in cutting;
    // dropping the file cuts it too, on the ways out that skip this.
    let written = written.and(out.get_mut().finish());
    if let Err(error) = written {
        io_errors.push(match &args.output_file {
            Some(path) => format!("{}: {error}", path.display()),
            None => error.to_string(),
        });
    }
    Ok((failed, defined, io_errors))
}

/// Whether `report` has an unsuppressed finding that fails the run.
fn fails(report: &FileReport, fail_on: FailOn) -> bool {
    report.diagnostics.iter().any(|d| !d.is_suppressed() && fail_on.fails(d.severity))
}

/// Applies `--new-from-rev`, `--write-baseline` or `--baseline` to the
/// reports; the stale baseline entries.
fn compare(
    args: &Args,
    jobs: &[(PathBuf, Arc<Loaded>)],
    reports: &mut [FileReport],
) -> Result<Vec<BaselineEntry>, String> {
    if let Some(rev) = &args.new_from_rev {
        only_new_since(rev, jobs, reports).map_err(|message| files::escaped(&message))?;
    }
    match (&args.write_baseline, &args.baseline) {
        (Some(path), _) => {
            let count = baseline::write(path, reports)?;
            let path = path.display().to_string();
            eprintln!("recorded {} in the baseline {}", plural(count, "finding"), visible(&path));
            Ok(Vec::new())
        }
        (None, Some(path)) => baseline::apply(path, reports),
        (None, None) => Ok(Vec::new()),
    }
}

/// Writes the chosen format, a file at a time where the format allows.
/// After a write fails, the rest is not written, and the error is returned
/// by `finish`.
struct Emitter {
    format: Formatted,
    error: Option<std::io::Error>,
}

enum Formatted {
    /// Snippets; the counts for the summary line at the end.
    Human(Style, json::Summary),
    Concise,
    Github,
    Json(json::Writer),
    Sarif(sarif::Writer),
    /// GitLab, JUnit and Markdown need every file at once.
    Whole(Format, Vec<FileReport>, Vec<FailOn>),
}

impl Emitter {
    fn start(format: Format, style: Style, out: &mut dyn Write) -> std::io::Result<Emitter> {
        Ok(Emitter { format: Formatted::start(format, style, out)?, error: None })
    }

    /// Writes or keeps `report`; a report not kept is handed back.
    fn file(&mut self, out: &mut dyn Write, report: FileReport, fail_on: FailOn) -> Option<FileReport> {
        if self.error.is_some() {
            return Some(report);
        }
        match self.format.file(out, report, fail_on) {
            Ok(back) => back,
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }

    fn finish(self, out: &mut dyn Write, stale: &[BaselineEntry]) -> std::io::Result<()> {
        match self.error {
            Some(error) => Err(error),
            None => self.format.finish(out, stale),
        }
    }
}

impl Formatted {
    fn start(format: Format, style: Style, out: &mut dyn Write) -> std::io::Result<Formatted> {
        Ok(match format {
            Format::Human => Formatted::Human(style, json::Summary::default()),
            Format::Concise => Formatted::Concise,
            Format::Github => Formatted::Github,
            Format::Json => Formatted::Json(json::Writer::start(out)?),
            Format::Sarif => Formatted::Sarif(sarif::Writer::start(out)?),
            Format::Gitlab | Format::Junit | Format::Markdown => Formatted::Whole(format, Vec::new(), Vec::new()),
        })
    }

    fn file(
        &mut self,
        out: &mut dyn Write,
        report: FileReport,
        fail_on: FailOn,
    ) -> std::io::Result<Option<FileReport>> {
        match self {
            Formatted::Human(style, summary) => {
                summary.add(&report);
                out.write_all(human::render_report(&report, *style).as_bytes())?;
            }
            Formatted::Concise => out.write_all(text::concise(&report).as_bytes())?,
            Formatted::Github => out.write_all(text::github(&report).as_bytes())?,
            Formatted::Json(writer) => writer.file(out, &report)?,
            Formatted::Sarif(writer) => writer.file(out, &report)?,
            Formatted::Whole(_, reports, fail_ons) => {
                reports.push(report);
                fail_ons.push(fail_on);
                return Ok(None);
            }
        }
        Ok(Some(report))
    }

    fn finish(self, out: &mut dyn Write, stale: &[BaselineEntry]) -> std::io::Result<()> {
        match self {
            Formatted::Human(_, summary) => {
                out.write_all(stale_lines(stale).as_bytes())?;
                out.write_all(summary_line(&summary).as_bytes())
            }
            Formatted::Concise | Formatted::Github => Ok(()),
            Formatted::Json(writer) => writer.finish(out, stale),
            Formatted::Sarif(writer) => writer.finish(out),
            Formatted::Whole(format, reports, fail_ons) => {
                let text = match format {
                    Format::Gitlab => gitlab::report(&reports) + "\n",
                    Format::Junit => junit::report(&reports, &fail_ons),
                    _ => markdown::comment(&reports),
                };
                out.write_all(text.as_bytes())
            }
        }
    }
}

fn report_io(errors: &[String]) -> u8 {
    // Messages name paths, which may hold any character.
    for message in errors {
        eprintln!("error: {}", visible(message));
    }
    exit::ABNORMAL
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

fn summary_line(s: &json::Summary) -> String {
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
