//! Human output through miette: the statement lines with their labels, the
//! message, and the help. User text is escaped (`crate::escape`) before
//! miette sees it; miette's colours are its own.

use std::borrow::Cow;
use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::engine::FileReport;
use crate::escape::{MAX_NAME, MAX_TEXT, shortened, visible};
use crate::source::Terminal;
use crate::{Diagnostic, Severity, Source};

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Unicode box drawing rather than ASCII.
    pub unicode: bool,
    /// Wrap width in columns.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: false, unicode: true, width: 100 }
    }
}

/// A diagnostic with its source, as miette wants it. Every text from the
/// policy reaches miette made [`visible`]: the source through its
/// [`Terminal`] view (with label spans mapped onto it), names, messages and
/// help escaped and shortened; miette's own styling is left as it is.
#[derive(Clone, Copy)]
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a Source,
    terminal: Option<&'a Terminal>,
    /// The teams a finding shown once for several is about.
    teams: Option<&'a [&'a str]>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shortened(&self.diagnostic.message, MAX_TEXT))
    }
}

impl std::error::Error for Rendered<'_> {}

/// `CODE[name]`, or the name alone for a custom rule (whose code is its
/// name), made visible.
fn rule_id(d: &Diagnostic) -> String {
    if d.code == d.name {
        shortened(&d.name, MAX_NAME).into_owned()
    } else {
        format!("{}[{}]", shortened(&d.code, MAX_NAME), shortened(&d.name, MAX_NAME))
    }
}

impl<'a> Rendered<'a> {
    fn code_text(self) -> String {
        let d = self.diagnostic;
        let code = rule_id(d);
        // The team a finding is about heads it: its statements may all sit
        // in `defaults`, far from the team's block.
        if let Some(teams) = self.teams {
            return format!("{code}: in {} teams: {}", teams.len(), team_list(teams));
        }
        match &d.team {
            Some(team) => format!("{code}: team \"{}\"", shortened(team, MAX_NAME)),
            None => code,
        }
    }

    fn severity_of(self) -> miette::Severity {
        match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        }
    }

    fn help_text(self) -> Option<Cow<'a, str>> {
        self.diagnostic.help.as_deref().map(|h| shortened(h, MAX_TEXT))
    }

    fn source_of(self) -> &'a dyn SourceCode {
        match self.terminal {
            Some(terminal) => terminal,
            None => self.source,
        }
    }

    fn labels_of(self) -> Box<dyn Iterator<Item = LabeledSpan> + 'a> {
        // miette shows all labels of one line in one snippet. On a long line
        // (minified or hostile input) a secondary label far from the primary
        // one would stretch that snippet across the line, so it is left out.
        let primary = self.diagnostic.primary_span();
        let primary_line = self.source.line_col(primary.start as usize).line;
        let far = move |l: &&crate::diagnostic::Label| {
            !l.primary
                && self.source.line_col(l.span.start as usize).line == primary_line
                && l.span.start.abs_diff(primary.start) as usize > 2 * crate::source::WINDOW
        };
        let shown = move |offset: usize| self.terminal.map_or(offset, |t| t.to_shown(offset));
        Box::new(self.diagnostic.labels.iter().filter(move |l| !far(l)).map(move |l| {
            // A label is underlined at most a window wide, so a label over a
            // huge token (a 7 MB unterminated string) renders in bounds.
            let text = self.source.text();
            let mut end = (l.span.start as usize + crate::source::WINDOW).min(l.span.end as usize);
            while end > l.span.start as usize && !text.is_char_boundary(end) {
                end -= 1;
            }
            let span = crate::Span::new(shown(l.span.start as usize), shown(end));
            let message = Some(shortened(&l.message, MAX_TEXT).into_owned());
            if l.primary {
                LabeledSpan::new_primary_with_span(message, span)
            } else {
                LabeledSpan::new_with_span(message, span)
            }
        }))
    }
}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code_text()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity_of())
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help_text().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source_of())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(self.labels_of())
    }
}

/// A finding with its source, owned: what [`Diagnostic::to_report`] wraps
/// in a [`miette::Report`]. Rendered as the human format renders it, the
/// policy's text made visible.
///
/// [`Diagnostic::to_report`]: crate::Diagnostic::to_report
#[derive(Debug, Clone)]
pub struct WithSource {
    diagnostic: Diagnostic,
    source: Source,
}

impl WithSource {
    /// `diagnostic`, located in `source`.
    pub fn new(diagnostic: Diagnostic, source: Source) -> WithSource {
        WithSource { diagnostic, source }
    }

    /// The finding.
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }

    fn rendered(&self) -> Rendered<'_> {
        Rendered { diagnostic: &self.diagnostic, source: &self.source, terminal: self.source.terminal(), teams: None }
    }
}

impl fmt::Display for WithSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.rendered(), f)
    }
}

impl std::error::Error for WithSource {}

impl miette::Diagnostic for WithSource {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.rendered().code_text()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.rendered().severity_of())
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.rendered().help_text().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.rendered().source_of())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(self.rendered().labels_of())
    }
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false).with_context_lines(1)
}

/// The line under a finding that shows only [`MAX_LABELS`] of its
/// statements: how many more take part.
///
/// [`MAX_LABELS`]: crate::diagnostic::MAX_LABELS
pub fn omitted_note(omitted: usize) -> Option<String> {
    match omitted {
        0 => None,
        1 => Some("and 1 more statement takes part (not labelled)".to_string()),
        n => Some(format!("and {n} more statements take part (not labelled)")),
    }
}

/// Renders one diagnostic of `source`. The cost is bounded by the
/// diagnostic's (bounded) labels, whatever the size of the source: lines
/// and columns are looked up in the source's index, and the escaped view of
/// a source with control characters is built once per source.
pub fn render(diagnostic: &Diagnostic, source: &Source, style: Style) -> String {
    render_for(diagnostic, source, style, None)
}

/// "Everyday Banking, Card Disputes and Fraud and App and Online Chat",
/// the first few names and how many more.
fn team_list(teams: &[&str]) -> String {
    const SHOWN: usize = 6;
    let mut names: Vec<String> = teams.iter().take(SHOWN).map(|t| shortened(t, MAX_NAME).into_owned()).collect();
    if teams.len() > SHOWN {
        names.push(format!("{} more", teams.len() - SHOWN));
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn render_for(diagnostic: &Diagnostic, source: &Source, style: Style, teams: Option<&[&str]>) -> String {
    let mut out = String::new();
    let rendered = Rendered { diagnostic, source, terminal: source.terminal(), teams };
    let mut handler = handler(style);
    if let Some(note) = omitted_note(diagnostic.omitted_labels) {
        handler = handler.with_footer(note);
    }
    // The source windows long lines so that miette stays in bounds; should it
    // panic all the same, the diagnostic still reaches the user on one line.
    let ok =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler.render_report(&mut out, &rendered).is_ok()))
            .unwrap_or(false);
    if !ok {
        // miette could not read a span; fall back to one line.
        let at = source.line_col(diagnostic.primary_span().start as usize);
        out = format!(
            "{}:{}:{}: {}: {}\n",
            visible(source.name()),
            at.line,
            at.column,
            shortened(&diagnostic.code, MAX_NAME),
            shortened(&diagnostic.message, MAX_TEXT)
        );
    }
    out
}

/// The unsuppressed diagnostics of `report`, those that read the same for
/// several teams merged into one (without the label that names each team),
/// with the teams each is about, in the order of their first occurrence.
fn same_for_teams(report: &FileReport) -> Vec<(Diagnostic, Vec<&str>)> {
    use std::collections::HashMap;
    let team_spans: HashMap<&str, crate::Span> =
        report.policy.iter().flat_map(|p| &p.teams).map(|t| (t.name.as_str(), t.name_span)).collect();
    let mut out: Vec<(Diagnostic, Vec<&str>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for d in report.diagnostics.iter().filter(|d| !d.is_suppressed()) {
        let Some(team) = d.team.as_deref() else {
            out.push((d.clone(), Vec::new()));
            continue;
        };
        // Without the label on the team's own name, a finding from
        // `defaults` reads the same in every team.
        let own = team_spans.get(team).copied();
        let mut general = d.clone();
        general.team = None;
        general.labels.retain(|l| Some(l.span) != own || l.primary);
        let inside = |span: crate::Span| own.is_some_and(|o| span.start >= o.start && span.end <= o.end);
        if general.labels.iter().any(|l| inside(l.span)) {
            out.push((d.clone(), vec![team]));
            continue;
        }
        let key = format!("{:?}", (&general.code, general.severity, &general.message, &general.help, &general.labels));
        match index.get(&key) {
            Some(&i) => {
                if let Some((_, teams)) = out.get_mut(i) {
                    teams.push(team);
                }
            }
            None => {
                index.insert(key, out.len());
                out.push((d.clone(), vec![team]));
            }
        }
    }
    // A merged finding is shown without the label naming its first team.
    for (d, teams) in out.iter_mut().filter(|(_, teams)| teams.len() > 1) {
        let own = teams.first().and_then(|t| team_spans.get(t)).copied();
        d.labels.retain(|l| Some(l.span) != own || l.primary);
    }
    out
}

/// Findings rendered per file before the rest are only counted: a file with
/// thousands of findings is fixed from the top, not read to the end.
pub const MAX_SHOWN_PER_FILE: usize = 200;

/// Renders the unsuppressed diagnostics of a report (suppressed ones are
/// counted in the summary and listed by the machine-readable formats),
/// separated by blank lines: the first
/// [`MAX_SHOWN_PER_FILE`], then a line saying how many more there are.
///
/// A finding that reads the same for several teams (its statements all in
/// `defaults`) is shown once, naming the teams.
pub fn render_report(report: &FileReport, style: Style) -> String {
    let mut out = String::new();
    let shown: Vec<(Diagnostic, Vec<&str>)> = same_for_teams(report);
    for (diagnostic, teams) in shown.iter().take(MAX_SHOWN_PER_FILE) {
        let teams = (teams.len() > 1).then_some(teams.as_slice());
        out.push_str(&render_for(diagnostic, &report.source, style, teams));
        out.push('\n');
    }
    let hidden = shown.len().saturating_sub(MAX_SHOWN_PER_FILE);
    if hidden > 0 {
        out.push_str(&format!(
            "... and {hidden} more in {} (not shown; machine-readable formats list them all)\n\n",
            visible(report.source.name())
        ));
    }
    out
}

#[cfg(test)]
mod grouping_tests {
    use super::*;
    use crate::Checker;

    #[test]
    fn a_finding_from_defaults_is_shown_once_for_the_teams_it_reads_the_same_for() {
        let text = "defaults {\n  channel phone\n  hiring { screen_for friendliness }\n}\nteam \"A\" {}\nteam \"B\" {}\nteam \"C\" {\n  hiring { screen_for enthusiasm }\n}\n";
        let report = Checker::new().check(&Source::new("g.policy", text));
        assert_eq!(report.diagnostics.iter().filter(|d| d.code == "P004").count(), 3, "one per team underneath");
        let out = render_report(&report, Style::default());
        assert_eq!(out.matches("P004[hiring-for-friendliness]").count(), 2, "{out}");
        assert!(out.contains("P004[hiring-for-friendliness]: in 2 teams: A, B\n"), "{out}");
        assert!(out.contains("P004[hiring-for-friendliness]: team \"C\"\n"), "{out}");
        assert!(!out.contains("this team"), "{out}");
    }
}
