//! `supportlint test PATH...`: runs policy files as tests. Each file's
//! `# expect:` markers name the findings that must fire on their line, and
//! nothing may fire elsewhere (`supportlint::testing`). Configuration is
//! found as for `check`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use supportlint::escape::visible;
use supportlint::report::human::Style;
use supportlint::testing::{self, Coverage, Share};

use super::config::Configs;
use super::{exit, files};

/// Which rules `--fail-under` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// The built-in rules and the custom rules the tested files define (the default).
    All,
    /// Only the custom rules the tested files define.
    Custom,
}

/// Arguments of `test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files with `# expect:` markers, or directories to search for `*.policy` files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Use this configuration file instead of looking for `supportlint.yaml`.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// List the rules no test made fire: the custom rules of the tested
    /// files, then the built-in rules.
    #[arg(long)]
    coverage: bool,
    /// Fail (exit 1) when the share of rules that fired where a marker
    /// expects them is below PCT percent (0 to 100, e.g. `80` or `87.5`).
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    fail_under: Option<u32>,
    /// The rules `--fail-under` counts.
    #[arg(long, value_enum, default_value_t = Scope::All)]
    coverage_of: Scope,
}

/// A percentage from 0 to 100 with at most two decimals, in hundredths.
fn parse_percent(text: &str) -> Result<u32, String> {
    let bad = || format!("`{text}` is not a percentage: write a number from 0 to 100, like `80` or `87.5`");
    let number = text.strip_suffix('%').unwrap_or(text);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let hundredths = whole * 100 + fraction;
    if hundredths > 10_000 { Err(bad()) } else { Ok(hundredths) }
}

/// Hundredths of a percent as written: `50%`, `87.5%`, `0.25%`.
fn percent(hundredths: u32) -> String {
    let fraction = format!("{:02}", hundredths % 100);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() { format!("{}%", hundredths / 100) } else { format!("{}.{fraction}%", hundredths / 100) }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

pub fn run(args: Args) -> u8 {
    let style = Style { color: false, unicode: true, width: super::width() };
    let (paths, mut io_errors) = files::collect(&args.paths);
    if paths.is_empty() && io_errors.is_empty() {
        let given: Vec<String> = args.paths.iter().map(|p| visible(&p.display().to_string()).into_owned()).collect();
        eprintln!("error: no policy files found in {}: nothing was tested", given.join(", "));
        return exit::ABNORMAL;
    }
    let mut configs = Configs::new(args.config.as_deref(), Vec::new(), style, super::today());
    let jobs: Vec<_> = paths.iter().map(|p| (p.clone(), configs.for_file(p))).collect();
    if configs.refuse("nothing was tested") {
        return exit::ABNORMAL;
    }
    let mut out = String::new();
    let mut coverage = Coverage::new();
    // Built-in rules that some tested file's configuration lets run.
    let mut enabled: BTreeSet<&str> = BTreeSet::new();
    let (mut passed, mut failed) = (0, 0);
    for (path, loaded) in &jobs {
        let report = match files::check_file(&loaded.checker, path) {
            Ok(report) => report,
            Err(message) => {
                io_errors.push(message);
                continue;
            }
        };
        for rule in supportlint::rules::builtin() {
            if loaded.checker.levels().enabled(rule.meta().code, rule.meta().category) {
                enabled.insert(rule.meta().code);
            }
        }
        let outcome = testing::check(&report);
        coverage.add(&report, &outcome);
        let name = visible(report.source.name()).into_owned();
        if outcome.passed() {
            passed += 1;
            out.push_str(&format!("passed  {name}\n"));
        } else {
            failed += 1;
            out.push_str(&format!("failed  {name}\n"));
            out.push_str(&testing::describe(&outcome, &report.source));
        }
    }
    let defined: BTreeSet<&str> = coverage.custom.iter().map(|c| c.name.as_str()).collect();
    for warning in configs.undefined_custom_rules(&defined) {
        eprint!("{warning}");
    }
    let tested = passed + failed;
    if tested > 0 {
        out.push_str(&format!("\ntested {}: {passed} passed, {failed} failed\n", plural(tested, "file")));
    }
    let mut below = false;
    if args.coverage || args.fail_under.is_some() {
        out.push_str(&coverage_text(&coverage, &enabled, args.coverage));
        if let Some(hundredths) = args.fail_under {
            let (share, which) = match args.coverage_of {
                Scope::All => (coverage.share(), "of all rules"),
                Scope::Custom => (coverage.custom_share(), "of the custom rules"),
            };
            if share.below(hundredths) {
                below = true;
                let listed = if args.coverage { "listed above" } else { "that `--coverage` lists" };
                out.push_str(&format!(
                    "coverage {which} is {}, below --fail-under {}\n  help: add tests whose `# expect:` markers make the rules {listed} fire\n",
                    share.percent(),
                    percent(hundredths)
                ));
            }
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if !io_errors.is_empty() {
        for message in &io_errors {
            eprintln!("error: {}", visible(message));
        }
        return exit::ABNORMAL;
    }
    if failed > 0 || below { exit::FINDINGS } else { exit::CLEAN }
}

fn share_line(label: &str, share: Share) -> String {
    format!("  {label}: {} of {} fired ({})\n", share.fired, share.total, share.percent())
}

/// The coverage summary; with `list`, also the rules that never fired:
/// the custom rules of the tested files (with the file that defines each),
/// then the built-in rules.
fn coverage_text(coverage: &Coverage, enabled: &BTreeSet<&str>, list: bool) -> String {
    let mut out = String::from("\ncoverage (rules that fired where a marker expects them):\n");
    out.push_str(&share_line("all rules", coverage.share()));
    out.push_str(&share_line("built-in rules", coverage.builtin_share()));
    out.push_str(&share_line("custom rules", coverage.custom_share()));
    if !list {
        return out;
    }
    let custom: Vec<_> = coverage.custom.iter().filter(|c| !c.fired).collect();
    let builtin: Vec<_> = coverage.builtin.iter().filter(|b| !b.2).collect();
    if custom.is_empty() && builtin.is_empty() {
        out.push_str("every rule fired\n");
        return out;
    }
    out.push_str("rules no test made fire:\n");
    for rule in custom {
        out.push_str(&format!("  {} (custom, {})\n", visible(&rule.name), visible(&rule.file)));
    }
    for (code, name, _) in builtin {
        let off = if enabled.contains(code) { "" } else { " (off in the configuration)" };
        out.push_str(&format!("  {code} {name}{off}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_exactly() {
        assert_eq!(parse_percent("80"), Ok(8000));
        assert_eq!(parse_percent("87.5"), Ok(8750));
        assert_eq!(parse_percent("0.25%"), Ok(25));
        assert_eq!(parse_percent("100"), Ok(10_000));
        assert_eq!(
            (percent(5000), percent(8750), percent(25), percent(5)),
            ("50%".into(), "87.5%".into(), "0.25%".into(), "0.05%".into())
        );
        for bad in ["101", "-5", "80.125", "", ".5", "eighty", "1e2", "1000"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }
}
