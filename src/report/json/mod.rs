//! The JSON output of `check`: one versioned document. Its schema is
//! generated from these types (`supportlint schema output`) and documented
//! in docs/output.md.

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;

use super::baseline::BaselineEntry;
use super::fingerprint::{Fingerprinter, fingerprints, normalize_path};
use crate::engine::FileReport;
use crate::{Applicability, Diagnostic, Severity, Source, Span, SuppressionKind};

mod write;

/// The version of the JSON shape; it changes only when a field is removed
/// or changes meaning.
pub const VERSION: u32 = 2;

/// The whole document.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(
    title = "supportlint check --format json",
    description = "Every finding of one run, suppressed ones included. Documented in docs/output.md."
)]
pub struct JsonReport<'a> {
    /// The version of this shape: 2.
    pub version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// Counts over all files.
    pub summary: Summary,
    /// Every finding, suppressed ones included, file by file in path order.
    pub findings: Vec<Finding<'a>>,
    /// Baseline entries that matched no finding any more.
    pub stale_baseline: Vec<BaselineEntry>,
}

/// The tool.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Tool {
    /// `supportlint`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// Counts of findings.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Unsuppressed errors.
    pub errors: usize,
    /// Unsuppressed warnings.
    pub warnings: usize,
    /// Unsuppressed info findings.
    pub info: usize,
    /// Findings silenced by an `allow` or the baseline.
    pub suppressed: usize,
}

/// A position in a file.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based byte offset.
    pub offset: usize,
}

/// A range in a file.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct Location {
    /// First character.
    pub start: Position,
    /// Just after the last character.
    pub end: Position,
}

/// A labelled statement of a finding, other than the one at its
/// `location`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LabelJson<'a> {
    /// What the statement contributes.
    pub message: &'a str,
    /// Where it is.
    pub location: Location,
}

/// Why a finding is silenced.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SuppressionJson<'a> {
    /// `allow` (in the policy) or `baseline`.
    pub kind: SuppressionKind,
    /// The reason of the `allow`, or the baseline file.
    pub reason: &'a str,
    /// The `allow` statement, if any.
    pub location: Option<Location>,
}

/// One finding. It borrows from the diagnostic it shows, so writing it
/// copies nothing.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Finding<'a> {
    /// The file, as given on the command line.
    pub file: Cow<'a, str>,
    /// Stable code, e.g. `K001` (a custom rule's code is its name).
    pub code: &'a str,
    /// Kebab-case name, e.g. `handle-time-below-promise`.
    pub name: &'a str,
    /// `syntax`, `kpi`, `staffing`, `authority`, `leadership`, `practice`,
    /// `suppression` or `custom`.
    pub category: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// What is wrong, with the figures that show it.
    pub message: &'a str,
    /// What change would resolve it.
    pub help: Option<&'a str>,
    /// The team it is about; null for findings about the whole file.
    pub team: Option<&'a str>,
    /// Whether an `allow` or the baseline silenced it.
    pub suppressed: bool,
    /// What silenced it.
    pub suppression: Option<SuppressionJson<'a>>,
    /// Identifies the finding across edits that move lines.
    pub fingerprint: Cow<'a, str>,
    /// The primary statement: the one most likely to change.
    pub location: Location,
    /// What the primary statement contributes; null for a finding without
    /// labels.
    pub label: Option<&'a str>,
    /// The other labelled statements, in order (at most 11).
    pub labels: Vec<LabelJson<'a>>,
    /// Statements that take part beyond the labelled ones, counted but not
    /// listed.
    pub omitted_labels: usize,
    /// Changes to the policy that resolve the finding; `--unsafe-fixes`
    /// applies the first.
    pub fixes: Vec<FixJson<'a>>,
    /// The numbers behind the finding, by name with the unit as the last
    /// word (`handle_time_floor_seconds`, `service_level_percent`); empty
    /// for findings that quote none.
    #[schemars(with = "std::collections::BTreeMap<String, f64>")]
    pub figures: Figures<'a>,
}

/// The figures of a finding, written as one object with its names in
/// alphabetical order.
#[derive(Debug)]
pub struct Figures<'a>(&'a [crate::Figure]);

impl Figures<'_> {
    /// The figures by name, the first of each name kept.
    fn sorted(&self) -> Vec<&crate::Figure> {
        let mut sorted: Vec<&crate::Figure> = self.0.iter().collect();
        sorted.sort_by_key(|f| f.name);
        sorted.dedup_by_key(|f| f.name);
        sorted
    }
}

impl Serialize for Figures<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let sorted = self.sorted();
        let mut map = serializer.serialize_map(Some(sorted.len()))?;
        for figure in sorted {
            map.serialize_entry(figure.name, &figure.value)?;
        }
        map.end()
    }
}

/// A change that resolves a finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FixJson<'a> {
    /// What it does, with the figures: "set `agents` to 58".
    pub title: &'a str,
    /// `safe` (meaning unchanged; `check --fix` applies it) or `unsafe` (a
    /// business decision; only `--unsafe-fixes`).
    pub applicability: Applicability,
    /// The replacements; none overlaps another.
    pub edits: Vec<EditJson<'a>>,
}

/// One replacement of text.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EditJson<'a> {
    /// The text replaced (start = end to insert).
    pub location: Location,
    /// The new text (empty to delete).
    pub replacement: &'a str,
}

/// The location of `span` in `source`.
pub fn location(source: &Source, span: Span) -> Location {
    let (start, end) = source.line_cols(span);
    let at = |lc: crate::LineCol, offset: u32| Position { line: lc.line, column: lc.column, offset: offset as usize };
    Location { start: at(start, span.start), end: at(end, span.end) }
}

/// One finding of one file as JSON: `file` is the file's name as
/// [`normalize_path`] writes it, `fingerprint` the finding's (from
/// [`fingerprints`]).
pub fn finding<'a>(d: &'a Diagnostic, source: &Source, file: Cow<'a, str>, fingerprint: Cow<'a, str>) -> Finding<'a> {
    let primary = primary(d);
    Finding {
        file,
        code: &d.code,
        name: &d.name,
        category: d.category.as_str(),
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        team: d.team.as_deref(),
        suppressed: d.is_suppressed(),
        suppression: d.suppression.as_ref().map(|s| SuppressionJson {
            kind: s.kind,
            reason: &s.reason,
            location: (s.kind == SuppressionKind::Allow).then(|| location(source, s.span)),
        }),
        fingerprint,
        location: location(source, d.primary_span()),
        label: d.labels.get(primary).map(|l| l.message.as_str()),
        labels: d
            .labels
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != primary)
            .map(|(_, l)| LabelJson { message: &l.message, location: location(source, l.span) })
            .collect(),
        omitted_labels: d.omitted_labels,
        fixes: d
            .fixes
            .iter()
            .map(|f| FixJson {
                title: &f.title,
                applicability: f.applicability,
                edits: f
                    .edits
                    .iter()
                    .map(|e| EditJson { location: location(source, e.span), replacement: &e.replacement })
                    .collect(),
            })
            .collect(),
        figures: Figures(&d.figures),
    }
}

/// The index of the label that is the finding's `location` and `label`;
/// the others follow in order in `labels`.
fn primary(d: &Diagnostic) -> usize {
    d.labels.iter().position(|l| l.primary).unwrap_or(0)
}

impl Summary {
    /// Counts the findings of one more file.
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        for d in &report.diagnostics {
            match (d.is_suppressed(), d.severity) {
                (true, _) => self.suppressed += 1,
                (false, Severity::Error) => self.errors += 1,
                (false, Severity::Warning) => self.warnings += 1,
                (false, Severity::Info) => self.info += 1,
            }
        }
    }
}

/// Counts over `reports`.
pub fn summary(reports: &[FileReport]) -> Summary {
    let mut s = Summary::default();
    for report in reports {
        s.add(report);
    }
    s
}

/// The findings of one file as JSON, in order.
fn findings(report: &FileReport) -> impl Iterator<Item = Finding<'_>> + '_ {
    let prints = fingerprints(&report.diagnostics, &report.source);
    let file = normalize_path(report.source.name());
    report
        .diagnostics
        .iter()
        .zip(prints)
        .map(move |(d, fp)| finding(d, &report.source, Cow::Owned(file.clone()), Cow::Owned(fp)))
}

/// The JSON document for `reports`; it borrows their findings.
pub fn document(reports: &[FileReport], stale: Vec<BaselineEntry>) -> JsonReport<'_> {
    JsonReport {
        version: VERSION,
        tool: Tool { name: "supportlint", version: env!("CARGO_PKG_VERSION") },
        summary: summary(reports),
        findings: reports.iter().flat_map(findings).collect(),
        stale_baseline: stale,
    }
}

/// Findings serialized by one task.
pub(crate) const PIECE: usize = 128;
/// Findings serialized before they are written: what one file's output
/// holds in memory at most.
pub(crate) const WINDOW: usize = 4096;

/// Writes the document of [`document`] a file at a time, so that a run over
/// many files holds one file's findings at once, never the whole output.
///
/// The fields are those of [`JsonReport`]; `findings` comes before
/// `summary`, which is known only at the end, and each finding (and stale
/// baseline entry) takes one line.
#[derive(Debug)]
pub struct Writer {
    summary: Summary,
    first: bool,
}

impl Writer {
    /// Writes the start of the document, up to the first finding.
    pub fn start<W: Write + ?Sized>(out: &mut W) -> io::Result<Writer> {
        let tool = Tool { name: "supportlint", version: env!("CARGO_PKG_VERSION") };
        write!(out, "{{\n  \"version\": {VERSION},\n  \"tool\": ")?;
        serde_json::to_writer(&mut *out, &tool)?;
        out.write_all(b",\n  \"findings\": [")?;
        Ok(Writer { summary: Summary::default(), first: true })
    }

    /// Writes the findings of one more file. They are serialized in
    /// parallel, a window at a time, and written in order.
    pub fn file<W: Write + ?Sized>(&mut self, out: &mut W, report: &FileReport) -> io::Result<()> {
        self.summary.add(report);
        let mut prints = Fingerprinter::new(&report.source);
        let file = normalize_path(report.source.name());
        let lines = |(ds, fps): (&[Diagnostic], &[u64])| -> io::Result<Vec<u8>> {
            let mut buf = Vec::with_capacity(ds.len() * 2048);
            for (d, &fp) in ds.iter().zip(fps) {
                buf.extend_from_slice(b",\n    ");
                write::finding(&mut buf, d, &report.source, &file, fp);
            }
            Ok(buf)
        };
        // The fingerprints a window at a time, with its findings: a finding's
        // depends on the findings before it in the file.
        for ds in report.diagnostics.chunks(WINDOW) {
            let fps = prints.next(ds, &report.source);
            let pieces: Vec<io::Result<Vec<u8>>> = ds.par_chunks(PIECE).zip(fps.par_chunks(PIECE)).map(lines).collect();
            super::write_pieces(out, &mut self.first, pieces)?;
        }
        Ok(())
    }

    /// Writes the end of the document: the summary and `stale` baseline
    /// entries.
    pub fn finish<W: Write + ?Sized>(self, out: &mut W, stale: &[BaselineEntry]) -> io::Result<()> {
        out.write_all(if self.first { b"],\n  \"summary\": " } else { b"\n  ],\n  \"summary\": " })?;
        serde_json::to_writer(&mut *out, &self.summary)?;
        out.write_all(b",\n  \"stale_baseline\": [")?;
        for (i, entry) in stale.iter().enumerate() {
            out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            serde_json::to_writer(&mut *out, entry)?;
        }
        out.write_all(if stale.is_empty() { b"]\n}\n" } else { b"\n  ]\n}\n" })
    }
}

/// The JSON document for `reports`, as [`Writer`] writes it.
pub fn to_string(reports: &[FileReport], stale: &[BaselineEntry]) -> String {
    let mut out = Vec::new();
    let written = Writer::start(&mut out).and_then(|mut w| {
        reports.iter().try_for_each(|r| w.file(&mut out, r))?;
        w.finish(&mut out, stale)
    });
    match written {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
