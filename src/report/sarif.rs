//! SARIF 2.1.0 (the format of GitHub code scanning and other static-analysis
//! dashboards). Rule descriptors carry each rule's documentation; results
//! carry `partialFingerprints` that survive edits that move lines;
//! suppressed findings are results with a `suppressions` entry.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::fingerprint::{fingerprints, normalize_path};
use crate::engine::FileReport;
use crate::rules::{RuleMeta, metas};
use crate::{Diagnostic, Severity, Source, Span, SuppressionKind};

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    category: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

/// A fix: its title and its replacements in the one file it changes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    /// `safe` or `unsafe`, as in the JSON output.
    applicability: crate::Applicability,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: Artifact,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

/// The team a result is about: also in the message, since a finding
/// inherited from `defaults` has the same location for every team; and how
/// many statements take part beyond the related locations.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    #[serde(skip_serializing_if = "is_zero")]
    omitted_labels: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "supportlint/v1")]
    supportlint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifSuppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    byte_offset: u32,
    byte_length: u32,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: forward slashes, and everything but
/// unreserved characters and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in normalize_path(path).bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical(source: &Source, span: Span) -> Physical {
    let (start, end) = (source.line_col(span.start as usize), source.line_col(span.end as usize));
    Physical {
        artifact_location: Artifact { uri: uri(source.name()) },
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
            byte_offset: span.start,
            byte_length: span.end - span.start,
        },
    }
}

fn descriptor(meta: &RuleMeta) -> Descriptor {
    described(meta.code, meta.name, meta.summary(), meta.documentation(), meta.default_severity, meta.category.as_str())
}

/// A policy's own rule has no documentation beyond its name.
fn custom_descriptor(d: &Diagnostic) -> Descriptor {
    let text = format!("A rule of the policy file: {}", d.name);
    described(&d.code, &d.name, text.clone(), text, d.severity, "custom")
}

fn described(
    id: &str,
    name: &str,
    summary: String,
    docs: String,
    severity: Severity,
    category: &'static str,
) -> Descriptor {
    Descriptor {
        id: id.to_string(),
        name: name.to_string(),
        short_description: Text { text: summary },
        full_description: Text { text: docs.clone() },
        help: Help { text: docs.clone(), markdown: docs },
        default_configuration: Configuration { level: level(severity) },
        properties: Properties { category },
    }
}

fn result(d: &Diagnostic, source: &Source, rule_index: usize, fingerprint: String) -> SarifResult {
    let mut message = d.team.as_ref().map_or(String::new(), |t| format!("team \"{t}\": "));
    message.push_str(&d.message);
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .enumerate()
        .map(|(i, l)| SarifLocation {
            id: Some(i),
            physical_location: physical(source, l.span),
            message: Some(Text { text: l.message.clone() }),
        })
        .collect();
    let suppressions = d
        .suppression
        .iter()
        .map(|s| SarifSuppression {
            kind: if s.kind == SuppressionKind::Allow { "inSource" } else { "external" },
            justification: s.reason.clone(),
        })
        .collect();
    SarifResult {
        rule_id: d.code.to_string(),
        rule_index,
        level: level(d.severity),
        message: Text { text: message },
        locations: vec![SarifLocation {
            id: None,
            physical_location: physical(source, d.primary_span()),
            message: None,
        }],
        related_locations: related,
        partial_fingerprints: Fingerprints { supportlint: fingerprint },
        suppressions,
        fixes: d
            .fixes
            .iter()
            .map(|f| SarifFix {
                description: Text { text: f.title.clone() },
                artifact_changes: vec![ArtifactChange {
                    artifact_location: Artifact { uri: uri(source.name()) },
                    replacements: f
                        .edits
                        .iter()
                        .map(|e| Replacement {
                            deleted_region: physical(source, e.span).region,
                            inserted_content: Text { text: e.replacement.clone() },
                        })
                        .collect(),
                }],
                properties: FixProperties { applicability: f.applicability },
            })
            .collect(),
        properties: (d.team.is_some() || d.omitted_labels > 0)
            .then(|| ResultProperties { team: d.team.clone(), omitted_labels: d.omitted_labels }),
    }
}

/// The SARIF log for `reports`, as [`Writer`] writes it.
pub fn log(reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    let written = Writer::start(&mut out).and_then(|mut w| {
        reports.iter().try_for_each(|r| w.file(&mut out, r))?;
        w.finish(&mut out)
    });
    match written {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Writes the SARIF log a file at a time, so that a run over many files
/// holds one file's results at once, never the whole log.
///
/// The one run's `results` come first, one per line, then its `tool`
/// (whose rule descriptors include the custom rules that fired) and
/// `columnKind`.
pub struct Writer {
    /// Built-in rules, then the rules registered from Rust (with their
    /// docs), then the policies' own rules as they fire.
    rules: Vec<Descriptor>,
    index_of: std::collections::HashMap<String, usize>,
    first: bool,
}

impl Writer {
    /// Writes the start of the log, up to the first result.
    pub fn start<W: Write + ?Sized>(out: &mut W) -> io::Result<Writer> {
        out.write_all(
            b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"results\": [",
        )?;
        let rules: Vec<Descriptor> = metas().map(descriptor).collect();
        let index_of = rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        Ok(Writer { rules, index_of, first: true })
    }

    /// Writes the results of one more file. They are serialized in
    /// parallel, a window at a time, and written in order.
    pub fn file<W: Write + ?Sized>(&mut self, out: &mut W, report: &FileReport) -> io::Result<()> {
        let prints = fingerprints(&report.diagnostics, &report.source);
        for meta in &report.registered {
            if !self.index_of.contains_key(meta.code) {
                self.index_of.insert(meta.code.to_string(), self.rules.len());
                self.rules.push(descriptor(meta));
            }
        }
        let mut indices = Vec::with_capacity(report.diagnostics.len());
        for d in &report.diagnostics {
            indices.push(match self.index_of.get(d.code.as_ref()) {
                Some(index) => *index,
                None => {
                    self.index_of.insert(d.code.to_string(), self.rules.len());
                    self.rules.push(custom_descriptor(d));
                    self.rules.len() - 1
                }
            });
        }
        let lines = |((ds, fps), indices): ((&[Diagnostic], &[String]), &[usize])| -> io::Result<Vec<u8>> {
            let mut buf = Vec::with_capacity(ds.len() * 1024);
            for ((d, fp), &index) in ds.iter().zip(fps).zip(indices) {
                buf.extend_from_slice(b",\n        ");
                serde_json::to_writer(&mut buf, &result(d, &report.source, index, fp.clone()))?;
            }
            Ok(buf)
        };
        let (window, piece) = (super::json::WINDOW, super::json::PIECE);
        for ((ds, fps), indices) in
            report.diagnostics.chunks(window).zip(prints.chunks(window)).zip(indices.chunks(window))
        {
            let pieces: Vec<io::Result<Vec<u8>>> =
                ds.par_chunks(piece).zip(fps.par_chunks(piece)).zip(indices.par_chunks(piece)).map(lines).collect();
            super::write_pieces(out, &mut self.first, pieces)?;
        }
        Ok(())
    }

    /// Writes the end of the log: the tool with its rule descriptors.
    pub fn finish<W: Write + ?Sized>(self, out: &mut W) -> io::Result<()> {
        out.write_all(if self.first { b"],\n      \"tool\": " } else { b"\n      ],\n      \"tool\": " })?;
        let tool =
            Tool { driver: Driver { name: "supportlint", version: env!("CARGO_PKG_VERSION"), rules: self.rules } };
        serde_json::to_writer(&mut *out, &tool)?;
        out.write_all(b",\n      \"columnKind\": \"unicodeCodePoints\"\n    }\n  ]\n}\n")
    }
}
