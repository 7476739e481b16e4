//! The planner's report (`supportlint report`): one self-contained HTML
//! page with a summary of every team, each team's staffing curves and
//! findings, and the rules that fired, explained once. No IO: the page is
//! returned as a string.
//!
//! The page needs nothing from the network and runs nothing: inline CSS,
//! inline SVG (drawn by `chart.rs` from the analysis figures), and a
//! Content-Security-Policy that forbids scripts, so it opens offline from a
//! file and prints on A4 (one team a page). Everything that comes from a
//! policy or a path is escaped: HTML's special characters as character
//! references, control and invisible characters as visible escapes
//! (`\u{1b}`). The output depends only on the reports given: no time, no
//! hash-map order, so the same policies give the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::chart::{self, Chart, Marker, MarkerKind, Reference, Series, Style, Unit, duration, percent};
use crate::analysis::curve::{self, Point};
use crate::analysis::team::TeamFigures;
use crate::analysis::{Condition, Headroom, NoPlan, Queue, TargetKind};
use crate::engine::FileReport;
use crate::escape::markup as escape;
use crate::model::Team;
use crate::model::units::Seconds;
use crate::rules::Catalog;
use crate::{Applicability, Diagnostic, Severity};

/// How the report is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The most agent counts a curve is evaluated at, spread over its
    /// range (today's staffing and the plans come on top, exactly).
    pub max_points: usize,
    /// The most curve points the whole report computes: with many teams,
    /// each curve gets `points_budget / teams` points, but never fewer than
    /// [`MIN_POINTS`], so the report of 10,000 teams stays a few times the
    /// cost of checking them.
    pub points_budget: usize,
}

/// The fewest agent counts a curve is evaluated at, however many teams.
pub const MIN_POINTS: usize = 16;

impl Default for Options {
    fn default() -> Self {
        Options { max_points: 64, points_budget: 100_000 }
    }
}

/// The report of `reports` as an HTML page, with the built-in rules'
/// documentation and the default [`Options`].
pub fn page(reports: &[FileReport]) -> String {
    page_with(reports, &Catalog::default(), Options::default())
}

/// The report of `reports` as an HTML page; the rules that fired are
/// explained from `catalog` (the checker's, with the rules it registered).
pub fn page_with(reports: &[FileReport], catalog: &Catalog, options: Options) -> String {
    super::compute_figures(reports);
    let files: Vec<FileView<'_>> = reports.iter().enumerate().map(|(i, r)| FileView::new(i + 1, r)).collect();
    let staffed = files.iter().flat_map(|f| &f.teams).filter(|t| t.queue().is_some()).count().max(1);
    let points = (options.points_budget / staffed).clamp(MIN_POINTS, options.max_points.max(MIN_POINTS));
    let team_count: usize = files.iter().map(|f| f.teams.len()).sum();
    let tally = Tally::of(reports.iter().flat_map(|r| &r.diagnostics));

    let mut out = String::with_capacity(4096 + team_count * 12_000);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<meta name=\"generator\" content=\"supportlint {}\">", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        out,
        "<title>Staffing report: {}, {}</title>",
        plural(files.len(), "policy file"),
        plural(team_count, "team")
    );
    out.push_str("<style>\n");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");

    // The header and the summary.
    out.push_str("<header>\n<h1>Staffing report</h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} and {} checked by supportlint {}: {}.</p>",
        plural(files.len(), "policy file"),
        plural(team_count, "team"),
        env!("CARGO_PKG_VERSION"),
        tally.phrase()
    );
    out.push_str("</header>\n<main>\n");
    summary(&files, &mut out);

    for file in &files {
        file_section(file, points, &mut out);
    }
    rules_section(reports, catalog, &mut out);
    out.push_str("</main>\n<footer>\n");
    out.push_str(FOOTER);
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

/// The page's style sheet: readable on a laptop and a phone, one team a
/// page on A4.
const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1a1a1a; background: #ffffff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.35rem; margin: 32px 0 8px; padding-top: 8px; border-top: 2px solid #1a1a1a; }
h3 { font-size: 1.15rem; margin: 0 0 4px; }
h4 { font-size: 1rem; margin: 16px 0 6px; }
h1, h2, h3, h4, td, th, p, li, figcaption { overflow-wrap: break-word; }
p { margin: 6px 0; }
.lede { color: #404040; margin: 0; }
a { color: #005a8c; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; background: #f2f2f2; padding: 0 3px; border-radius: 3px; }
pre { background: #f5f5f5; padding: 8px 10px; overflow-x: auto; border-radius: 4px; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: #404040; padding: 4px 0; caption-side: bottom; font-size: 0.9em; }
th, td { padding: 5px 10px 5px 0; text-align: left; vertical-align: top; border-bottom: 1px solid #d9d9d9; }
thead th { border-bottom: 2px solid #1a1a1a; font-size: 0.9em; }
td.num, th.num { text-align: right; padding-right: 14px; }
tr.file th { padding-top: 14px; font-weight: 600; border-bottom: 1px solid #1a1a1a; }
.summary { width: 100%; }
.note { color: #404040; font-size: 0.9em; }
.status { display: inline-block; padding: 0 6px; border-radius: 3px; border: 1px solid; font-size: 0.85em; white-space: nowrap; }
.status.error { color: #8f1a00; border-color: #8f1a00; background: #fdeee9; }
.status.warning { color: #6b4a00; border-color: #8a6100; background: #fff6dc; }
.status.info { color: #004f7a; border-color: #004f7a; background: #e8f3fa; }
.status.clean { color: #00573d; border-color: #00573d; background: #e6f5ef; }
.nb { white-space: nowrap; }
.verdict { font-size: 0.85em; color: #404040; }
.verdict.missed { color: #8f1a00; font-weight: 600; }
.team { margin: 24px 0 8px; padding-top: 12px; border-top: 1px solid #bfbfbf; }
.facts { color: #333333; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 12px 24px; margin: 12px 0; }
figure { margin: 0; break-inside: avoid; }
figure .chart-title { font-weight: 600; margin: 0 0 2px; }
figcaption { font-size: 0.88em; color: #333333; }
svg.chart { width: 100%; height: auto; display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
svg.chart text { fill: #1a1a1a; }
svg.chart .axis-title { font-weight: 600; }
.key { margin: 8px 0; }
.key-cell { align-self: start; }
.key td, .key thead th, td.num, th.num { white-space: nowrap; overflow-wrap: normal; }
.findings { padding-left: 0; list-style: none; margin: 0; }
.findings > li { margin: 0 0 10px; padding: 6px 0 6px 12px; border-left: 4px solid #bfbfbf; break-inside: avoid; }
.findings > li.error { border-left-color: #8f1a00; }
.findings > li.warning { border-left-color: #8a6100; }
.findings > li.info { border-left-color: #004f7a; }
.findings .where { color: #404040; font-size: 0.85em; }
.fixes { margin: 4px 0 0; padding-left: 20px; }
.rule { margin: 16px 0; }
.rule p, .facts, .headline, figcaption { max-width: 80ch; }
footer { margin-top: 32px; padding-bottom: 24px; color: #404040; font-size: 0.9em; border-top: 1px solid #bfbfbf; }
@media (max-width: 720px) {
  body { font-size: 14px; }
  header, main, footer { padding: 0 12px; }
  .charts { grid-template-columns: 1fr; }
  .summary thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .summary, .summary tbody, .summary tr, .summary th, .summary td { display: block; width: auto; }
  .summary tr { padding: 6px 0; border-bottom: 1px solid #bfbfbf; }
  .summary th, .summary td, .summary td.num { border: none; padding: 1px 0; text-align: left; white-space: normal; }
  .summary td[data-label]::before { content: attr(data-label) ": "; color: #404040; }
  .summary caption { display: block; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 9.5pt; }
  header, main, footer { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  section.file, .team, #rules { break-before: page; }
  .team { border-top: none; }
  section.file > .team:first-of-type { break-before: auto; }
  .charts { grid-template-columns: 1fr 1fr; gap: 6mm 8mm; }
  h2, h3, h4 { break-after: avoid; }
  tr, .findings > li { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  .summary td.num, .summary .status { white-space: normal; }
  .status, .findings > li { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

/// What every page ends with: how the figures are computed.
const FOOTER: &str = "<p>Queue figures are Erlang C, or Erlang A when a team states <code>patience</code> (abandoned \
contacts then count as missed). The <em>planned</em> handle time is the team's handle-time ceiling, else its \
channel's typical time; the <em>honest</em> one is raised to what the team's promises take. The <em>plan</em> is \
the fewest scheduled agents meeting every queue target and the occupancy ceiling at once; the <em>headroom</em> is \
the demand growth today's agents absorb before a target or the ceiling fails. Shrinkage is taken off exactly: \
productive agents are <code>floor(scheduled \u{d7} (1 - shrinkage))</code>.</p>\n";

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// Counts of unsuppressed findings by severity.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    errors: usize,
    warnings: usize,
    info: usize,
}

impl Tally {
    fn of<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Tally {
        let mut t = Tally::default();
        for d in diagnostics.filter(|d| !d.is_suppressed()) {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.info += 1,
            }
        }
        t
    }

    fn phrase(self) -> String {
        let parts: Vec<String> = [(self.errors, "error"), (self.warnings, "warning"), (self.info, "note")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| plural(*n, w))
            .collect();
        if parts.is_empty() { "no findings".into() } else { parts.join(", ") }
    }

    /// A status badge: the worst severity's class, the counts as text.
    fn badge(self) -> String {
        let class = if self.errors > 0 {
            "error"
        } else if self.warnings > 0 {
            "warning"
        } else if self.info > 0 {
            "info"
        } else {
            "clean"
        };
        let text = if class == "clean" { "clean".to_string() } else { self.phrase() };
        format!("<span class=\"status {class}\">{text}</span>")
    }
}

/// One file of the report and its teams.
struct FileView<'a> {
    index: usize,
    report: &'a FileReport,
    teams: Vec<TeamView<'a>>,
    /// Findings about the whole file (or a team the file could not name).
    file_findings: Vec<&'a Diagnostic>,
}

/// One team, its figures and its findings.
struct TeamView<'a> {
    id: String,
    team: &'a Team,
    /// `None` when a front-end error touches the team: its figures would
    /// mislead.
    figures: Option<&'a TeamFigures>,
    findings: Vec<&'a Diagnostic>,
}

impl<'a> FileView<'a> {
    fn new(index: usize, report: &'a FileReport) -> FileView<'a> {
        let teams: Vec<&Team> = report.policy.iter().flat_map(|p| &p.teams).collect();
        // Names are unique in a file without errors; with duplicates (E005)
        // the first team of a name takes its findings.
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, t) in teams.iter().enumerate() {
            by_name.entry(t.name.as_str()).or_insert(i);
        }
        let mut findings: Vec<Vec<&Diagnostic>> = vec![Vec::new(); teams.len()];
        let mut file_findings = Vec::new();
        for d in report.diagnostics.iter().filter(|d| !d.is_suppressed()) {
            // A finding names its team, or (a front-end error) sits inside
            // the team's block.
            let named = d.team.as_deref().and_then(|n| by_name.get(n)).copied();
            let inside = || {
                let at = d.labels.iter().find(|l| l.primary).or(d.labels.first())?.span;
                teams.iter().position(|t| t.span.start <= at.start && at.end <= t.span.end)
            };
            match named.or_else(inside).and_then(|i| findings.get_mut(i)) {
                Some(list) => list.push(d),
                None => file_findings.push(d),
            }
        }
        let teams = teams
            .into_iter()
            .zip(findings)
            .enumerate()
            .map(|(i, (team, findings))| TeamView {
                id: format!("f{index}-t{}", i + 1),
                team,
                figures: if team.has_errors { None } else { report.figures().get(i) },
                findings,
            })
            .collect();
        FileView { index, report, teams, file_findings }
    }
}

impl TeamView<'_> {
    /// The figures at the planned handle time, when they were computed.
    fn queue(&self) -> Option<&Queue> {
        self.figures?.planned.as_ref().filter(|q| q.not_computed.is_none())
    }

    fn tally(&self) -> Tally {
        Tally::of(self.findings.iter().copied())
    }
}

/// A share for a table cell: one decimal, `>99.9%` just below 100%.
fn share(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.9 && p < 100.0 { ">99.9%".into() } else { percent(x) }
}

/// The headroom as a cell: one decimal, rounded down; `>1000%` beyond
/// elevenfold demand; `≥` where the figures stop before anything fails.
fn headroom_text(h: Headroom) -> String {
    if h.tenths > 10_000 {
        ">1000%".into()
    } else if h.limit.is_none() && h.tenths > 0 {
        format!("\u{2265}{:.1}%", h.percent())
    } else {
        format!("{:.1}%", h.percent())
    }
}

/// What a condition of the plan is called in a sentence.
fn condition_phrase(c: Condition) -> &'static str {
    match c {
        Condition::Target(t) => match t.kind {
            TargetKind::ServiceLevel { .. } => "the service level",
            TargetKind::SpeedOfAnswer { .. } => "the answer-time target",
            TargetKind::Abandonment { .. } => "the abandonment target",
        },
        Condition::Occupancy => "the occupancy ceiling",
        Condition::Stability => "a stable queue",
    }
}

/// A message or help as HTML: the parts it quotes in backticks as `<code>`,
/// everything escaped. With an odd number of backticks it is all text.
fn message(text: &str) -> String {
    if text.matches('`').count() % 2 == 1 {
        return escape(text);
    }
    text.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { escape(part) } else { format!("<code>{}</code>", escape(part)) })
        .collect()
}

/// The summary's columns: header and the label a cell shows on a phone,
/// where each row becomes a card.
const COLUMNS: [(&str, bool); 7] = [
    ("Team", false),
    ("Findings", false),
    ("Service level (target)", false),
    ("Occupancy (ceiling)", false),
    ("Headroom", true),
    ("Agents today", true),
    ("Plan", true),
];

/// A summary cell of column `column` holding `html`.
fn cell(column: usize, html: &str, out: &mut String) {
    let (label, numeric) = COLUMNS.get(column).copied().unwrap_or(("", false));
    let class = if numeric { " class=\"num\"" } else { "" };
    let _ = write!(out, "<td{class} data-label=\"{label}\">{html}</td>");
}

fn summary(files: &[FileView<'_>], out: &mut String) {
    out.push_str("<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n");
    out.push_str("<div class=\"table-wrap\"><table class=\"summary\">\n");
    out.push_str(
        "<caption>Service level and occupancy at the planned handle time and today's agents. Plan: the fewest \
         scheduled agents meeting every queue target and the occupancy ceiling; in brackets at the honest handle \
         time. Headroom: the demand growth today's agents absorb before a target or the ceiling fails.</caption>\n",
    );
    out.push_str("<thead><tr>");
    for (label, numeric) in COLUMNS {
        let class = if numeric { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{label}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for file in files {
        let _ = writeln!(
            out,
            "<tr class=\"file\"><th colspan=\"7\" scope=\"colgroup\"><a href=\"#f{}\">{}</a>{}</th></tr>",
            file.index,
            escape(file.report.source.name()),
            if file.report.policy.is_none() { " (could not be read)" } else { "" }
        );
        if !file.file_findings.is_empty() {
            let _ = write!(out, "<tr><th scope=\"row\"><a href=\"#f{}\">the file as a whole</a></th>", file.index);
            cell(1, &Tally::of(file.file_findings.iter().copied()).badge(), out);
            out.push_str("</tr>\n");
        }
        for t in &file.teams {
            let _ = write!(out, "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th>", t.id, escape(&t.team.name));
            cell(1, &t.tally().badge(), out);
            summary_cells(t, out);
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

/// The figure cells of a team's summary row.
fn summary_cells(t: &TeamView<'_>, out: &mut String) {
    let Some(f) = t.figures else {
        let _ = write!(out, "<td colspan=\"5\" class=\"note\">not analysed: the team has front-end errors</td>");
        return;
    };
    let q = f.planned.as_ref().filter(|_| f.servers.is_some());
    let computed = q.filter(|q| q.not_computed.is_none());
    // Service level against its target.
    let sl = match (t.team.service_level.as_ref(), computed) {
        (Some(sl), Some(q)) => {
            let achieved = if q.stable { q.service_level.map_or("-".into(), share) } else { "unstable".into() };
            let verdict = match q.target(None).and_then(|s| s.met) {
                Some(true) => " <span class=\"verdict\">met</span>",
                Some(false) => " <span class=\"verdict missed\">missed</span>",
                None => "",
            };
            format!("{achieved} <span class=\"nb\">({} in {})</span>{verdict}", sl.value.share, sl.value.within)
        }
        (Some(sl), None) => format!("- ({} in {})", sl.value.share, sl.value.within),
        (None, _) => "<span class=\"note\">no target</span>".into(),
    };
    cell(2, &sl, out);
    // Occupancy against the ceiling.
    let occupancy = match q.and_then(|q| q.occupancy) {
        Some(o) => {
            let over = q.and_then(|q| q.occupancy_met()) == Some(false);
            let verdict = if over { " <span class=\"verdict missed\">over</span>" } else { "" };
            format!("{} <span class=\"nb\">({})</span>{verdict}", share(o), f.occupancy_ceiling)
        }
        None => "-".into(),
    };
    cell(3, &occupancy, out);
    cell(4, &f.headroom().map_or("-".into(), headroom_text), out);
    cell(5, &f.scheduled.map_or("-".into(), |n| n.to_string()), out);
    let plan = f.planned.as_ref().map(|q| q.plan().plan);
    let honest = f.honest.as_ref().map(|q| q.plan().plan).filter(|h| Some(*h) != plan);
    let number =
        |p: Result<crate::analysis::Staffing, NoPlan>| p.map_or("none".to_string(), |s| s.scheduled.to_string());
    let mut text = match (plan, honest) {
        (Some(p), Some(h)) => format!("{} ({} honest)", number(p), number(h)),
        (Some(p), None) => number(p),
        _ => "-".into(),
    };
    if let (Some(Ok(p)), Some(today)) = (plan, f.scheduled)
        && p.scheduled > today
    {
        text.push_str(&format!(" <span class=\"verdict missed\">{} short</span>", p.scheduled - today));
    }
    cell(6, &text, out);
}

fn file_section(file: &FileView<'_>, points: usize, out: &mut String) {
    let report = file.report;
    let _ = writeln!(
        out,
        "<section class=\"file\" id=\"f{i}\" aria-labelledby=\"f{i}-h\">\n<h2 id=\"f{i}-h\">{}</h2>",
        escape(report.source.name()),
        i = file.index
    );
    if let Some(name) = report.policy.as_ref().and_then(|p| p.name.as_ref()) {
        let _ = writeln!(out, "<p class=\"lede\">{}</p>", escape(name));
    }
    if report.policy.is_none() {
        out.push_str("<p class=\"note\">The file could not be read as a policy; nothing in it was analysed.</p>\n");
    }
    if !file.file_findings.is_empty() {
        let _ = writeln!(out, "<h3>Findings about the file</h3>");
        findings(report, &file.file_findings, out);
    }
    for t in &file.teams {
        team_section(report, t, points, out);
    }
    out.push_str("</section>\n");
}

fn team_section(report: &FileReport, t: &TeamView<'_>, points: usize, out: &mut String) {
    let _ = writeln!(
        out,
        "<article class=\"team\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h3 id=\"{id}-h\">{}</h3>\n<p>{}</p>",
        escape(&t.team.name),
        t.tally().badge(),
        id = t.id
    );
    match t.figures {
        None => out
            .push_str("<p class=\"note\">Not analysed: a front-end error touches this team (see its findings).</p>\n"),
        Some(f) => {
            let _ = writeln!(out, "<p class=\"facts\">{}</p>", facts(t.team, f));
            staffing(t, f, points, out);
        }
    }
    if t.findings.is_empty() {
        out.push_str("<p class=\"note\">No findings.</p>\n");
    } else {
        let _ = writeln!(out, "<h4>Findings</h4>");
        findings(report, &t.findings, out);
    }
    out.push_str("</article>\n");
}

/// What the team is given, in one line.
fn facts(team: &Team, f: &TeamFigures) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = f.channel {
        parts.push(escape(c.phrase()));
    }
    if let Some(r) = f.arrival_per_hour {
        parts.push(format!("{} contacts an hour", r.to_f64().round()));
    }
    match (f.planned_handle_time, f.honest_handle_time) {
        (Some((p, _)), Some((h, Some(promise)))) if h != p => {
            parts.push(format!("handle time {p} planned, {h} honest (what <code>{promise}</code> takes)"));
        }
        (Some((p, _)), _) => parts.push(format!("handle time {p}")),
        _ => {}
    }
    if let Some(q) = &f.planned {
        parts.push(format!("{:.2} Erlangs offered", q.load.to_f64()));
    }
    match (f.scheduled, f.productive) {
        (Some(s), Some(p)) => {
            let slots =
                if f.concurrency > 1 { format!(", {} contacts each at once", f.concurrency) } else { String::new() };
            parts.push(format!("{s} scheduled agents, {p} productive after {} shrinkage{slots}", f.shrinkage));
        }
        _ => parts.push("no <code>agents</code> stated".into()),
    }
    if let Some(sl) = &team.service_level {
        parts.push(format!("goal {} answered within {}", sl.value.share, sl.value.within));
    }
    if let Some(p) = &team.patience {
        parts.push(format!("customers wait {} on average before abandoning", p.value));
    }
    parts.push(format!("occupancy ceiling {}", f.occupancy_ceiling));
    parts.join(" · ")
}

/// The charts, their key figures, or why there are none.
fn staffing(t: &TeamView<'_>, f: &TeamFigures, points: usize, out: &mut String) {
    let Some(p) = f.planned.as_ref() else {
        let why = if f.arrival_per_hour.is_none() { "the team states no <code>demand</code>" } else { "no channel" };
        let _ = writeln!(out, "<p class=\"note\">No staffing figures: {why}.</p>");
        return;
    };
    if let Some(why) = f.not_computed {
        let _ = writeln!(out, "<p class=\"note\">Not analysed: {}.</p>", escape(&why.to_string()));
        return;
    }
    let honest = f.honest.as_ref().filter(|h| h.handle_time != p.handle_time);
    match Curves::of(t, f, p, honest, points) {
        Ok(Some(curves)) => {
            out.push_str(&curves.headline());
            out.push_str("<div class=\"charts\">\n");
            for (chart, caption) in curves.charts() {
                let _ = writeln!(
                    out,
                    "<figure><p class=\"chart-title\" aria-hidden=\"true\">{}</p>{}<figcaption>{}</figcaption></figure>",
                    escape(chart_heading(chart.kind)),
                    chart::svg(&chart),
                    escape(caption.trim_end())
                );
            }
            // The key figures fill the grid's next cell: beside the last
            // chart when there is room, on a printed page too.
            out.push_str(&curves.key_table());
            out.push_str("</div>\n");
        }
        Ok(None) => {
            out.push_str("<p class=\"note\">No curves: a shrinkage of 100% leaves no agent to take contacts.</p>\n")
        }
        Err(why) => {
            let _ = writeln!(out, "<p class=\"note\">Not analysed: {}.</p>", escape(&why.to_string()));
        }
    }
}

fn chart_heading(kind: &str) -> &'static str {
    match kind {
        "service-level" => "Service level",
        "speed-of-answer" => "Average speed of answer",
        "abandonment" => "Abandonment",
        _ => "Occupancy",
    }
}

/// A team's curves: its figures at sampled staffings, at the planned and
/// (when it differs) the honest handle time.
struct Curves<'a> {
    team: &'a Team,
    figures: &'a TeamFigures,
    planned: &'a Queue,
    honest: Option<&'a Queue>,
    id: &'a str,
    range: (u64, u64),
    at_planned: Vec<Point>,
    at_honest: Vec<Point>,
    today: Option<u64>,
    plan: Option<u64>,
    honest_plan: Option<u64>,
    within: Option<Seconds>,
    speed_ceiling: Option<f64>,
    abandonment_ceiling: Option<f64>,
    show_speed: bool,
}

impl<'a> Curves<'a> {
    fn of(
        t: &'a TeamView<'a>,
        f: &'a TeamFigures,
        planned: &'a Queue,
        honest: Option<&'a Queue>,
        points: usize,
    ) -> Result<Option<Curves<'a>>, crate::analysis::NotComputed> {
        let today = f.scheduled;
        let plan = planned.plan().scheduled();
        let honest_plan = honest.and_then(|h| h.plan().scheduled()).filter(|h| Some(*h) != plan);
        let Some(knee) = curve::stability_point(&planned.model) else { return Ok(None) };
        let honest_knee = honest.and_then(|h| curve::stability_point(&h.model));
        let low = [Some(knee), today, plan].into_iter().flatten().min().unwrap_or(knee);
        let high = [Some(knee), honest_knee, today, plan, honest_plan].into_iter().flatten().max().unwrap_or(knee);
        let lo = low.saturating_sub((low / 6).max(2));
        let hi = high.saturating_add((high / 8).max(2));
        let focus_end = [plan, honest_plan, honest_knee].into_iter().flatten().max().unwrap_or(knee);
        let focus = Some((knee.saturating_sub(2), focus_end.saturating_add(focus_end / 10 + 2)));
        let exact: Vec<u64> = [today, plan, honest_plan].into_iter().flatten().collect();
        let counts = curve::sample(lo, hi, focus, &exact, points);
        let within = t.team.service_level.as_ref().map(|s| s.value.within);
        let ceilings = |pick: fn(TargetKind) -> Option<f64>| {
            planned.model.targets.iter().filter_map(|t| pick(t.kind)).min_by(|a, b| a.total_cmp(b))
        };
        let speed_ceiling = ceilings(|k| match k {
            TargetKind::SpeedOfAnswer { ceiling } => Some(ceiling.secs().to_f64()),
            _ => None,
        });
        let abandonment_ceiling = ceilings(|k| match k {
            TargetKind::Abandonment { ceiling } => Some(ceiling.fraction().to_f64()),
            _ => None,
        });
        let show_speed = speed_ceiling.is_some() || within.is_none();
        let at_planned = curve::curve(&planned.model, &counts, within, show_speed)?;
        let at_honest = match honest {
            Some(h) => curve::curve(&h.model, &counts, within, show_speed)?,
            None => Vec::new(),
        };
        Ok(Some(Curves {
            team: t.team,
            figures: f,
            planned,
            honest,
            id: &t.id,
            range: (lo, hi),
            at_planned,
            at_honest,
            today,
            plan,
            honest_plan,
            within,
            speed_ceiling,
            abandonment_ceiling,
            show_speed,
        }))
    }

    fn planned_label(&self) -> String {
        match self.honest {
            Some(_) => format!("planned {}", self.planned.handle_time),
            None => format!("at {}", self.planned.handle_time),
        }
    }

    fn honest_label(&self) -> Option<String> {
        self.honest.map(|h| format!("honest {}", h.handle_time))
    }

    /// The series of one figure, at the planned and the honest handle time.
    /// The top of a chart's y axis: `base` (from the target), raised to a
    /// quarter above every curve's value at today's staffing and the plans;
    /// when that leaves nothing, the highest point drawn, at least `least`.
    fn y_top(&self, series: &[Series], base: f64, least: f64) -> f64 {
        let mut top = base;
        for n in [self.today, self.plan, self.honest_plan].into_iter().flatten() {
            for v in series.iter().filter_map(|s| s.at(n)) {
                top = top.max(v * 1.25);
            }
        }
        if top <= 0.0 {
            top = series.iter().flat_map(|s| s.points.iter().filter_map(|p| p.1)).fold(least, f64::max);
        }
        top
    }

    fn series(&self, figure: fn(&Point) -> Option<f64>) -> Vec<Series> {
        let mut out = vec![Series {
            label: self.planned_label(),
            style: Style::Planned,
            points: self.at_planned.iter().map(|p| (p.scheduled, figure(p))).collect(),
        }];
        if let Some(label) = self.honest_label() {
            out.push(Series {
                label,
                style: Style::Honest,
                points: self.at_honest.iter().map(|p| (p.scheduled, figure(p))).collect(),
            });
        }
        out
    }

    fn markers(&self) -> Vec<Marker> {
        let mut out = Vec::new();
        if let Some(n) = self.today {
            out.push(Marker { kind: MarkerKind::Today, agents: n, label: format!("today {n}") });
        }
        if let Some(n) = self.plan {
            out.push(Marker { kind: MarkerKind::Plan, agents: n, label: format!("plan {n}") });
        }
        if let Some(n) = self.honest_plan {
            out.push(Marker { kind: MarkerKind::HonestPlan, agents: n, label: format!("honest plan {n}") });
        }
        out
    }

    fn at(points: &[Point], agents: Option<u64>) -> Option<&Point> {
        let n = agents?;
        points.iter().find(|p| p.scheduled == n)
    }

    /// A sentence on the plan, for captions.
    fn plan_sentence(&self) -> String {
        let binding = self.planned.plan().binding.map(|c| format!(", set by {}", condition_phrase(c)));
        let mut s = match (self.planned.plan().plan, self.today) {
            (Ok(p), Some(today)) if p.scheduled > today => format!(
                "The plan needs {} scheduled agents{}, {} more than today's {today}",
                p.scheduled,
                binding.unwrap_or_default(),
                p.scheduled - today
            ),
            (Ok(p), Some(today)) => format!(
                "The plan needs {} scheduled agents{}; today's {today} are {} more",
                p.scheduled,
                binding.unwrap_or_default(),
                today - p.scheduled
            ),
            (Ok(p), None) => format!("The plan needs {} scheduled agents{}", p.scheduled, binding.unwrap_or_default()),
            (Err(why), _) => format!("There is no staffing plan: {why}"),
        };
        if let (Some(h), Some(n)) = (self.honest, self.honest_plan) {
            s.push_str(&format!(" ({n} at the honest handle time of {})", h.handle_time));
        }
        s.push('.');
        s
    }

    /// The sentence above the charts: the plan and the headroom.
    fn headline(&self) -> String {
        let mut s = escape(&self.plan_sentence());
        if let Some(h) = self.figures.headroom() {
            let limit = h.limit.map(|c| format!(", when {} fails", condition_phrase(c)));
            if h.tenths == 0 {
                s.push_str(&format!(
                    " Demand headroom: none: {} fails today.",
                    h.limit.map_or("a condition", condition_phrase)
                ));
            } else {
                s.push_str(&format!(
                    " Demand headroom: {}{}.",
                    headroom_text(h),
                    limit.unwrap_or_else(|| ", the most the figures are computed for".into())
                ));
            }
        }
        format!("<p class=\"headline\">{s}</p>\n")
    }

    /// A figure at today's staffing, at the planned and honest handle time,
    /// for captions.
    fn today_phrase(&self, figure: fn(&Point) -> Option<f64>, format: impl Fn(f64) -> String, missing: &str) -> String {
        let Some(today) = self.today else { return String::new() };
        let value =
            |points: &[Point]| Self::at(points, Some(today)).and_then(figure).map_or(missing.to_string(), &format);
        match self.honest {
            Some(h) => format!(
                "At today's {today} scheduled agents: {} at the planned {}, {} at the honest {}. ",
                value(&self.at_planned),
                self.planned.handle_time,
                value(&self.at_honest),
                h.handle_time
            ),
            None => format!("At today's {today} scheduled agents: {}. ", value(&self.at_planned)),
        }
    }

    /// Every chart of the team with its caption.
    fn charts(&self) -> Vec<(Chart, String)> {
        let mut out = Vec::new();
        let name = &self.team.name;
        let markers = self.markers();
        let plan = self.plan_sentence();
        if let (Some(within), Some(sl)) = (self.within, self.team.service_level.as_ref()) {
            let target = sl.value.share.fraction().to_f64();
            let abandoned =
                if self.planned.model.patience_s.is_some() { " (abandoned contacts count as missed)" } else { "" };
            let caption = format!(
                "{}Target: {} answered within {within}{abandoned}.",
                self.today_phrase(|p| p.service_level, |v| format!("{} answered within {within}", share(v)), "-"),
                sl.value.share,
            );
            out.push((
                Chart {
                    id: format!("{}-sl", self.id),
                    kind: "service-level",
                    title: format!("Service level against scheduled agents: {name}"),
                    description: format!("{} {plan}", caption.trim_end()),
                    y_title: format!("% answered within {within}"),
                    unit: Unit::Percent,
                    y_max: 1.0,
                    x_range: self.range,
                    series: self.series(|p| p.service_level),
                    references: vec![Reference { label: format!("target {}", sl.value.share), value: target }],
                    markers: markers.clone(),
                },
                caption,
            ));
        }
        if self.show_speed {
            let series = self.series(|p| p.speed_of_answer);
            let y_max = self.y_top(&series, self.speed_ceiling.map_or(0.0, |c| c * 2.0), 1.0);
            let ceiling = self.speed_ceiling.map(|c| format!("Target: at most {} on average. ", duration(c)));
            let caption = format!(
                "{}{}No line where the queue grows without bound.",
                self.today_phrase(|p| p.speed_of_answer, |v| format!("{} on average", duration(v)), "no answer"),
                ceiling.unwrap_or_default()
            );
            out.push((
                Chart {
                    id: format!("{}-asa", self.id),
                    kind: "speed-of-answer",
                    title: format!("Average speed of answer against scheduled agents: {name}"),
                    description: format!("{} {plan}", caption.trim_end()),
                    y_title: "mean wait of answered contacts".into(),
                    unit: Unit::Seconds,
                    y_max: y_max.min(1e9),
                    x_range: self.range,
                    series,
                    references: self
                        .speed_ceiling
                        .map(|c| Reference { label: format!("target {}", duration(c)), value: c })
                        .into_iter()
                        .collect(),
                    markers: markers.clone(),
                },
                caption,
            ));
        }
        if self.planned.model.patience_s.is_some() {
            let series = self.series(|p| p.abandonment);
            let y_max = self.y_top(&series, self.abandonment_ceiling.map_or(0.0, |c| c * 2.5), 0.0);
            let ceiling = self.abandonment_ceiling.map(|c| format!("Target: at most {} abandon. ", percent(c)));
            let caption = format!(
                "{}{}",
                self.today_phrase(|p| p.abandonment, |v| format!("{} abandon", share(v)), "-"),
                ceiling.unwrap_or_default()
            );
            out.push((
                Chart {
                    id: format!("{}-ab", self.id),
                    kind: "abandonment",
                    title: format!("Abandonment against scheduled agents: {name}"),
                    description: format!("{} {plan}", caption.trim_end()),
                    y_title: "% of contacts abandoned".into(),
                    unit: Unit::Percent,
                    y_max: y_max.clamp(0.01, 1.0),
                    x_range: self.range,
                    series,
                    references: self
                        .abandonment_ceiling
                        .map(|c| Reference { label: format!("target {}", percent(c)), value: c })
                        .into_iter()
                        .collect(),
                    markers: markers.clone(),
                },
                caption,
            ));
        }
        let ceiling = self.figures.occupancy_ceiling;
        let caption =
            format!("{}Ceiling: {ceiling}.", self.today_phrase(|p| p.occupancy, |v| format!("{} busy", share(v)), "-"));
        out.push((
            Chart {
                id: format!("{}-occ", self.id),
                kind: "occupancy",
                title: format!("Occupancy against scheduled agents: {name}"),
                description: format!("{} {plan}", caption.trim_end()),
                y_title: "% of agents' time busy".into(),
                unit: Unit::Percent,
                y_max: 1.0,
                x_range: self.range,
                series: self.series(|p| p.occupancy),
                references: vec![Reference { label: format!("ceiling {ceiling}"), value: ceiling.fraction().to_f64() }],
                markers,
            },
            caption,
        ));
        out
    }

    /// The figures at today's staffing and at the plans, as a table (a row
    /// per figure, a column per staffing): the charts' key data in a form
    /// screen readers and printouts keep.
    fn key_table(&self) -> String {
        let rows: Vec<(&str, u64)> = [("today", self.today), ("plan", self.plan), ("honest plan", self.honest_plan)]
            .into_iter()
            .filter_map(|(name, n)| Some((name, n?)))
            .collect();
        if rows.is_empty() {
            return String::new();
        }
        let honest = self.honest.map(|h| h.handle_time);
        let mut columns: Vec<KeyColumn> = Vec::new();
        let planned = self.planned.handle_time;
        if self.within.is_some() {
            columns.push((format!("service level at {planned}"), |p| p.service_level, share, false));
            if let Some(h) = honest {
                columns.push((format!("service level at {h}"), |p| p.service_level, share, true));
            }
        }
        if self.show_speed {
            columns.push((format!("answer time at {planned}"), |p| p.speed_of_answer, duration, false));
        }
        if self.planned.model.patience_s.is_some() {
            columns.push((format!("abandonment at {planned}"), |p| p.abandonment, share, false));
        }
        columns.push((format!("occupancy at {planned}"), |p| p.occupancy, share, false));
        if let Some(h) = honest {
            columns.push((format!("occupancy at {h}"), |p| p.occupancy, share, true));
        }
        let mut out = String::from(
            "<div class=\"key-cell\"><p class=\"chart-title\" aria-hidden=\"true\">Key figures</p><div class=\"table-wrap\"><table class=\"key\">\n",
        );
        let _ = writeln!(
            out,
            "<caption>The charts' figures at today's staffing and at the plans, for {}.</caption>",
            escape(&self.team.name)
        );
        out.push_str("<thead><tr><th scope=\"col\">figure</th>");
        for (name, _) in &rows {
            let _ = write!(out, "<th scope=\"col\" class=\"num\">{name}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n<tr><th scope=\"row\">scheduled agents</th>");
        for (_, n) in &rows {
            let _ = write!(out, "<td class=\"num\">{n}</td>");
        }
        out.push_str("</tr>\n<tr><th scope=\"row\">productive agents</th>");
        for (_, n) in &rows {
            let productive = crate::analysis::exact::productive_agents(*n, self.figures.shrinkage.fraction());
            let _ = write!(out, "<td class=\"num\">{}</td>", productive.map_or("-".into(), |p| p.to_string()));
        }
        out.push_str("</tr>\n");
        for (title, figure, format, honest) in &columns {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(title));
            let points = if *honest { &self.at_honest } else { &self.at_planned };
            for (_, n) in &rows {
                let value = Self::at(points, Some(*n)).and_then(figure).map_or("-".into(), format);
                let _ = write!(out, "<td class=\"num\">{value}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div></div>\n");
        out
    }
}

/// A row of the key-figures table: its title, the figure, how it is
/// written, and whether it is read at the honest handle time.
type KeyColumn = (String, fn(&Point) -> Option<f64>, fn(f64) -> String, bool);

/// A list of findings with their location, help and fixes.
fn findings(report: &FileReport, list: &[&Diagnostic], out: &mut String) {
    out.push_str("<ol class=\"findings\">\n");
    for d in list {
        let severity = d.severity.as_str();
        let place = d.labels.iter().find(|l| l.primary).or(d.labels.first()).map(|l| {
            let at = report.source.line_col(l.span.start as usize);
            format!(" <span class=\"where\">{}:{}:{}</span>", escape(report.source.name()), at.line, at.column)
        });
        let _ = write!(
            out,
            "<li class=\"{severity}\"><p><span class=\"status {severity}\">{severity}</span> <a href=\"#rule-{}\"><code>{}</code> {}</a>{}</p>\n<p>{}</p>\n",
            escape(&anchor(&d.code)),
            escape(&d.code),
            escape(&d.name),
            place.unwrap_or_default(),
            message(&d.message)
        );
        if let Some(help) = &d.help {
            let _ = writeln!(out, "<p><strong>help:</strong> {}</p>", message(help));
        }
        if !d.fixes.is_empty() {
            out.push_str("<ul class=\"fixes\">");
            for fix in &d.fixes {
                let note = match fix.applicability {
                    Applicability::Safe => "keeps the policy's meaning",
                    Applicability::Unsafe => "changes what the policy asks for",
                };
                let _ = write!(out, "<li>fix: {} <span class=\"note\">({note})</span></li>", message(&fix.title));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// An id fragment for a rule code: letters, digits and `-`, everything
/// else as `_` (a custom rule's code is its name, kebab-case already).
fn anchor(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

/// The rules that fired (unsuppressed), each explained once: the
/// catalogue's codes in its order, then the policies' own rules by name.
fn rules_section(reports: &[FileReport], catalog: &Catalog, out: &mut String) {
    let order: BTreeMap<&str, usize> = catalog.metas().enumerate().map(|(i, m)| (m.code, i)).collect();
    let mut fired: BTreeSet<(usize, &str)> = BTreeSet::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics).filter(|d| !d.is_suppressed()) {
        fired.insert((order.get(d.code.as_ref()).copied().unwrap_or(usize::MAX), d.code.as_ref()));
    }
    if fired.is_empty() {
        return;
    }
    out.push_str("<section id=\"rules\" aria-labelledby=\"rules-h\">\n<h2 id=\"rules-h\">The rules that fired</h2>\n");
    for (_, code) in fired {
        let id = anchor(code);
        match catalog.find(code) {
            Some(meta) => {
                let _ = writeln!(
                    out,
                    "<article class=\"rule\" id=\"rule-{id}\" aria-labelledby=\"rule-{id}-h\">\n<h3 id=\"rule-{id}-h\"><code>{}</code> {}</h3>\n<p class=\"note\">{} · default severity {}</p>",
                    meta.code,
                    meta.name,
                    meta.category.as_str(),
                    meta.default_severity
                );
                out.push_str(&markdown(&meta.documentation()));
            }
            None => {
                let _ = writeln!(
                    out,
                    "<article class=\"rule\" id=\"rule-{id}\" aria-labelledby=\"rule-{id}-h\">\n<h3 id=\"rule-{id}-h\"><code>{}</code></h3>\n<p>A rule defined in the policy itself (<code>rule \"{}\"</code>); its message and help say what it checks.</p>",
                    escape(code),
                    escape(code)
                );
            }
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}

/// The Markdown of a rule's documentation as HTML: `##` headings, fenced
/// code blocks, `- ` lists and paragraphs, with inline code. The text is the
/// project's own, but it is escaped all the same.
fn markdown(doc: &str) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list = false;
    let mut code = false;
    let flush = |paragraph: &mut Vec<&str>, list: &mut bool, out: &mut String| {
        if !paragraph.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", message(&paragraph.join(" ")));
            paragraph.clear();
        }
        if *list {
            out.push_str("</ul>\n");
            *list = false;
        }
    };
    for line in doc.lines() {
        if code {
            if line.trim_start().starts_with("```") {
                out.push_str("</code></pre>\n");
                code = false;
            } else {
                out.push_str(&escape(line).replace("\\u{9}", "    "));
                out.push('\n');
            }
        } else if line.trim_start().starts_with("```") {
            flush(&mut paragraph, &mut list, &mut out);
            out.push_str("<pre><code>");
            code = true;
        } else if let Some(heading) = line.strip_prefix('#') {
            flush(&mut paragraph, &mut list, &mut out);
            let _ = writeln!(out, "<h4>{}</h4>", message(heading.trim_start_matches('#').trim()));
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut list, &mut out);
        } else if let Some(item) = line.strip_prefix("- ") {
            if !paragraph.is_empty() {
                let _ = writeln!(out, "<p>{}</p>", message(&paragraph.join(" ")));
                paragraph.clear();
            }
            if !list {
                out.push_str("<ul>\n");
                list = true;
            }
            let _ = writeln!(out, "<li>{}</li>", message(item));
        } else {
            paragraph.push(line.trim());
        }
    }
    if code {
        out.push_str("</code></pre>\n");
    }
    flush(&mut paragraph, &mut list, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_code_and_escape_the_rest() {
        assert_eq!(message("drop `thorough` <now>"), "drop <code>thorough</code> &lt;now&gt;");
        assert_eq!(message("odd ` count <b>"), "odd ` count &lt;b&gt;");
        assert_eq!(message("team `<script>`"), "team <code>&lt;script&gt;</code>");
    }

    #[test]
    fn rule_documentation_becomes_headings_paragraphs_and_code() {
        let html =
            markdown("## What it does\nFinds `x`\nand y.\n\n## Example\n```text\nteam \"<a>\"\n```\n- one\n- two\n");
        assert_eq!(
            html,
            "<h4>What it does</h4>\n<p>Finds <code>x</code> and y.</p>\n<h4>Example</h4>\n<pre><code>team &quot;&lt;a&gt;&quot;\n</code></pre>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        );
    }

    #[test]
    fn anchors_are_safe() {
        assert_eq!(anchor("K001"), "K001");
        assert_eq!(anchor("my-rule\"><script>"), "my-rule___script_");
    }
}
