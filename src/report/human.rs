//! Human output through miette: the statement lines with their labels, the
//! message, and the help.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::engine::FileReport;
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

/// A diagnostic with its source, as miette wants it.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a Source,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        // A custom rule's code is its name: show it once.
        let code = if d.code == d.name { d.name.to_string() } else { format!("{}[{}]", d.code, d.name) };
        // The team a finding is about heads it: its statements may all sit
        // in `defaults`, far from the team's block.
        Some(Box::new(match &d.team {
            Some(team) => format!("{code}: team \"{team}\""),
            None => code,
        }))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
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
        Some(Box::new(self.diagnostic.labels.iter().filter(move |l| !far(l)).map(|l| {
            // A label is underlined at most a window wide, so a label over a
            // huge token (a 7 MB unterminated string) renders in bounds.
            let mut span = l.span;
            let text = self.source.text();
            let mut end = (span.start as usize + crate::source::WINDOW).min(span.end as usize);
            while end > span.start as usize && !text.is_char_boundary(end) {
                end -= 1;
            }
            span = crate::Span::new(span.start as usize, end);
            if l.primary {
                LabeledSpan::new_primary_with_span(Some(l.message.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(l.message.clone()), span)
            }
        })))
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

/// Renders one diagnostic of `source`.
pub fn render(diagnostic: &Diagnostic, source: &Source, style: Style) -> String {
    let mut out = String::new();
    let rendered = Rendered { diagnostic, source };
    // The source windows long lines so that miette stays in bounds; should it
    // panic all the same, the diagnostic still reaches the user on one line.
    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        handler(style).render_report(&mut out, &rendered).is_ok()
    }))
    .unwrap_or(false);
    if !ok {
        // miette could not read a span; fall back to one line.
        let at = source.line_col(diagnostic.primary_span().start as usize);
        out = format!("{}:{}:{}: {}: {}\n", source.name(), at.line, at.column, diagnostic.code, diagnostic.message);
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
pub fn render_report(report: &FileReport, style: Style) -> String {
    let mut out = String::new();
    let shown: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| !d.is_suppressed()).collect();
    for diagnostic in shown.iter().take(MAX_SHOWN_PER_FILE) {
        out.push_str(&render(diagnostic, &report.source, style));
        out.push('\n');
    }
    let hidden = shown.len().saturating_sub(MAX_SHOWN_PER_FILE);
    if hidden > 0 {
        out.push_str(&format!(
            "... and {hidden} more in {} (not shown; machine-readable formats list them all)\n\n",
            report.source.name()
        ));
    }
    out
}
