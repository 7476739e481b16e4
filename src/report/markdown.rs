//! Markdown for a pull request comment: a table of the files with findings
//! (errors, warnings, info), then the findings grouped by file and team.
//! Suppressed findings are left out (the header counts them), as in the
//! human output.
//!
//! Everything that comes from a policy or a path is escaped: in text,
//! Markdown punctuation is backslash-escaped, `<`, `>` and `&` become
//! entities (no HTML gets through) and an `@` is followed by a zero-width
//! space (a team name cannot mention people); names and paths are code
//! spans fenced longer than any run of backticks they hold; control
//! characters become visible escapes (`\u{1b}`) everywhere. Long names and
//! messages are shortened.
//!
//! GitHub refuses comments longer than 65,536 characters. The comment stops
//! before its budget ([`MAX_BYTES`] by default, counted in bytes, which
//! are never fewer than characters) and ends with an "and N more findings"
//! line.

use super::fingerprint::normalize_path;
use crate::engine::FileReport;
use crate::escape::visible;
use crate::{Diagnostic, Severity};

/// GitHub's limit on the length of a comment, in characters.
pub const GITHUB_LIMIT: usize = 65_536;

/// The default budget of a comment in bytes: under [`GITHUB_LIMIT`], with
/// room for a line a bot may add (a marker to update its comment in place).
pub const MAX_BYTES: usize = 65_000;

/// Room kept for the closing "and N more findings" line.
const TRAILER: usize = 300;

/// Longest team name, path, message and help shown, in characters.
const MAX_NAME: usize = 200;
const MAX_PATH: usize = 300;
const MAX_TEXT: usize = 2_000;

/// At most `max` characters of `text`, with `...` when it was longer.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// `text` as Markdown text that renders as itself: punctuation that could
/// start markup backslash-escaped, HTML's `<`, `>`, `&` as entities, `@`
/// followed by a zero-width space, control characters visible.
pub fn text(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("@\u{200b}"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '!' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as a code span: fenced with one backtick more than its longest
/// run of backticks, padded when it starts or ends with one; control
/// characters visible. In a table cell, `|` must be escaped too.
fn code(text: &str, in_table: bool) -> String {
    let text = visible(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() { " " } else { "" };
    let body = if in_table { text.replace('|', "\\|") } else { text.into_owned() };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// A message or help as Markdown: the parts it quotes in backticks (names
/// from the policy, keywords) as code spans, the rest as [`text`]. With an
/// odd number of backticks (a quoted name holding one) it is all text.
/// Either way every part is escaped, so nothing in it becomes markup.
fn message(message: &str) -> String {
    if message.matches('`').count() % 2 == 1 {
        return text(message);
    }
    message.split('`').enumerate().map(|(i, part)| if i % 2 == 0 { text(part) } else { code(part, false) }).collect()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    errors: usize,
    warnings: usize,
    info: usize,
}

impl Tally {
    fn of<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Tally {
        let mut t = Tally::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.info += 1,
            }
        }
        t
    }

    fn total(self) -> usize {
        self.errors + self.warnings + self.info
    }
}

fn shown(report: &FileReport) -> impl Iterator<Item = &Diagnostic> {
    report.diagnostics.iter().filter(|d| !d.is_suppressed())
}

/// One finding as a list item.
fn item(d: &Diagnostic, report: &FileReport) -> String {
    let line = report.source.line_col(d.primary_span().start as usize).line;
    let rule = if d.code == d.name { code(&d.name, false) } else { format!("{} {}", d.code, code(&d.name, false)) };
    let mut out = format!("- **{}** {rule}, line {line}: {}\n", d.severity, message(&shorten(&d.message, MAX_TEXT)));
    if let Some(help) = &d.help {
        out.push_str(&format!("  help: {}\n", message(&shorten(help, MAX_TEXT))));
    }
    out
}

/// The findings of one file grouped by team, lazily: first those about the
/// whole file, then each run of findings about one team. The engine keeps a
/// team's findings together, so each team is one run.
fn groups(report: &FileReport) -> impl Iterator<Item = (Option<&str>, Vec<&Diagnostic>)> {
    let whole: Vec<&Diagnostic> = shown(report).filter(|d| d.team.is_none()).collect();
    let mut teams = shown(report).filter(|d| d.team.is_some()).peekable();
    let runs = std::iter::from_fn(move || {
        let first = teams.next()?;
        let mut run = vec![first];
        while let Some(next) = teams.next_if(|d| d.team == first.team) {
            run.push(next);
        }
        Some((first.team.as_deref(), run))
    });
    (!whole.is_empty()).then_some((None, whole)).into_iter().chain(runs)
}

/// The comment for `reports`, at most `max_bytes` long (at least a few
/// hundred bytes are needed for the header and the closing line).
pub fn render(reports: &[FileReport], max_bytes: usize) -> String {
    let tallies: Vec<Tally> = reports.iter().map(|r| Tally::of(shown(r))).collect();
    let total = tallies.iter().fold(Tally::default(), |a, t| Tally {
        errors: a.errors + t.errors,
        warnings: a.warnings + t.warnings,
        info: a.info + t.info,
    });
    let suppressed = reports.iter().flat_map(|r| &r.diagnostics).filter(|d| d.is_suppressed()).count();
    let with_findings = tallies.iter().filter(|t| t.total() > 0).count();
    let files = plural(reports.len(), "file");
    let mut out = if total.total() == 0 {
        format!("## supportlint: no problems found in {files}\n\n")
    } else {
        let counts = [(total.errors, "error"), (total.warnings, "warning")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|&(n, w)| plural(n, w))
            .chain((total.info > 0).then(|| format!("{} info", total.info)))
            .collect::<Vec<_>>()
            .join(", ");
        format!("## supportlint: {counts} in {with_findings} of {files}\n\n")
    };
    if suppressed > 0 {
        out.push_str(&format!(
            "{} silenced by an `allow` or the baseline {} not shown.\n\n",
            plural(suppressed, "finding"),
            if suppressed == 1 { "is" } else { "are" }
        ));
    }
    let budget = max_bytes.saturating_sub(TRAILER);
    if total.total() > 0 {
        // The table takes at most half of the budget; the findings the rest.
        let table_budget = budget / 2;
        out.push_str("| file | errors | warnings | info |\n| --- | ---: | ---: | ---: |\n");
        let mut rows = 0;
        for (report, t) in reports.iter().zip(&tallies).filter(|(_, t)| t.total() > 0) {
            let path = shorten(&normalize_path(report.source.name()), MAX_PATH);
            let row = format!("| {} | {} | {} | {} |\n", code(&path, true), t.errors, t.warnings, t.info);
            if out.len() + row.len() > table_budget {
                break;
            }
            out.push_str(&row);
            rows += 1;
        }
        if rows < with_findings {
            let more = with_findings - rows;
            out.push_str(&format!("| and {more} more file{} | | | |\n", if more == 1 { "" } else { "s" }));
        }
        out.push_str(&format!(
            "| **total** | **{}** | **{}** | **{}** |\n\n",
            total.errors, total.warnings, total.info
        ));
    }
    let mut written = 0;
    'files: for report in reports {
        let mut heading = format!("### {}\n\n", code(&shorten(&normalize_path(report.source.name()), MAX_PATH), false));
        for (team, members) in groups(report) {
            heading.push_str(&match team {
                Some(team) => format!("**team {}**\n\n", code(&shorten(team, MAX_NAME), false)),
                None => "**the whole file**\n\n".to_string(),
            });
            for d in members {
                let entry = item(d, report);
                if out.len() + heading.len() + entry.len() > budget {
                    break 'files;
                }
                out.push_str(&heading);
                heading.clear();
                out.push_str(&entry);
                written += 1;
            }
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    let hidden = total.total() - written;
    if hidden > 0 {
        out.push_str(&format!(
            "\n**and {hidden} more finding{}**, not shown: a comment holds {GITHUB_LIMIT} characters; \
             `supportlint check` lists them all\n",
            if hidden == 1 { "" } else { "s" }
        ));
    }
    out
}

/// [`render`] with the default budget, [`MAX_BYTES`].
pub fn comment(reports: &[FileReport]) -> String {
    render(reports, MAX_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_renders_as_itself() {
        assert_eq!(text("a|b `c` <script>&"), "a\\|b \\`c\\` &lt;script&gt;&amp;");
        assert_eq!(text("*x* _y_ [l](u) # $5 @org"), "\\*x\\* \\_y\\_ \\[l\\]\\(u\\) \\# \\$5 @\u{200b}org");
        assert_eq!(text("line\nbreak\u{1b}"), "line\\\\nbreak\\\\u{1b}");
    }

    #[test]
    fn code_spans_are_fenced_past_the_backticks_inside() {
        assert_eq!(code("Care", false), "`Care`");
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`x``", false), "``` `x`` ```");
        assert_eq!(code("a|b", true), "`a\\|b`");
        assert_eq!(code("a\u{7}", false), "`a\\u{7}`");
    }

    #[test]
    fn quoted_parts_of_messages_become_code_spans() {
        assert_eq!(message("drop `thorough` and `a|b`"), "drop `thorough` and `a|b`");
        assert_eq!(message("team `<b>` (x)"), "team `<b>` \\(x\\)");
        assert_eq!(message("odd `a`b` one"), "odd \\`a\\`b\\` one");
        assert_eq!(message("``"), "`  `");
    }

    /// `files` reports of `per_file` findings each, on teams with long
    /// names of four-byte characters and markup.
    fn generated(files: usize, per_file: usize) -> Vec<FileReport> {
        (0..files)
            .map(|f| {
                let text = "x\n".repeat(per_file);
                let source = crate::Source::new(format!("dir|{f}/p.policy"), text);
                let diagnostics = (0..per_file)
                    .map(|i| {
                        // Every hundredth team has a name too long to show whole.
                        let long = if i % 300 == 0 { 300 } else { 3 };
                        Diagnostic::new("K001", "handle-time-below-promise", Severity::Error, "capped at `3m`")
                            .primary(crate::Span::point(2 * i), "here")
                            .team(format!("🙂 {} <b>|`{}", "é".repeat(long), i / 3))
                            .help("raise it")
                    })
                    .collect();
                FileReport::unchecked(source, diagnostics)
            })
            .collect()
    }

    fn items(text: &str) -> usize {
        text.lines().filter(|l| l.starts_with("- **")).count()
    }

    #[test]
    fn a_long_report_stops_before_the_budget_and_counts_the_rest() {
        for (files, per_file, max) in [(1, 30_000, MAX_BYTES), (3_000, 10, MAX_BYTES), (40, 50, 5_000)] {
            let reports = generated(files, per_file);
            let text = render(&reports, max);
            assert!(text.len() <= max, "{files}x{per_file}: {} bytes", text.len());
            let shown = items(&text);
            assert!(shown > 0, "{text}");
            let hidden = files * per_file - shown;
            assert!(text.ends_with(&format!("**and {hidden} more findings**, not shown: a comment holds 65536 characters; `supportlint check` lists them all\n")), "{}", &text[text.len() - 300..]);
            // Within one item of the budget: nothing is cut early.
            assert!(text.len() + 2 * 1_000 > max - TRAILER, "{}", text.len());
        }
        // Thousands of files: the table is cut too, and says how many more.
        let text = render(&generated(3_000, 10), MAX_BYTES);
        assert!(text.contains(" more files | | | |\n| **total** | **30000** | **0** | **0** |"), "{text}");
    }

    #[test]
    fn a_short_report_is_whole() {
        let text = render(&generated(2, 3), MAX_BYTES);
        assert_eq!(items(&text), 6);
        assert!(!text.contains("more finding"), "{text}");
        assert!(text.contains("| `dir\\|0/p.policy` | 3 | 0 | 0 |"), "{text}");
        assert!(text.contains(&format!("**team `🙂 {}...`**", "é".repeat(198))), "{text}");
        assert!(text.contains("capped at `3m`"), "{text}");
        let empty = render(&generated(3, 0), MAX_BYTES);
        assert_eq!(empty, "## supportlint: no problems found in 3 files\n");
    }

    #[test]
    fn shorten_cuts_at_characters() {
        assert_eq!(shorten("ééé", 2), "éé...");
        assert_eq!(shorten("ab", 2), "ab");
    }
}
