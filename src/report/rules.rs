//! Renders the rule catalogue: `supportlint rules` and `supportlint explain`.

use serde::Serialize;

use crate::rules::RuleMeta;

/// A rule as listed by `supportlint rules --format json`.
#[derive(Debug, Serialize)]
pub struct RuleJson {
    /// Stable code.
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// Category.
    pub category: &'static str,
    /// Severity unless configured otherwise.
    pub severity: &'static str,
    /// The norms the rule reads.
    pub norms: &'static [&'static str],
    /// One sentence: what it finds.
    pub summary: String,
}

/// The JSON document of `supportlint rules --format json`.
#[derive(Debug, Serialize)]
pub struct RulesJson {
    /// Version of this shape (1).
    pub version: u32,
    /// Every rule and front-end code, in code order.
    pub rules: Vec<RuleJson>,
}

/// The catalogue as JSON.
pub fn json<'a>(metas: impl IntoIterator<Item = &'a RuleMeta>) -> RulesJson {
    RulesJson {
        version: 1,
        rules: metas
            .into_iter()
            .map(|m| RuleJson {
                code: m.code,
                name: m.name,
                category: m.category.as_str(),
                severity: m.default_severity.as_str(),
                norms: m.norms,
                summary: m.summary(),
            })
            .collect(),
    }
}

/// The catalogue as a table.
pub fn table<'a>(metas: impl IntoIterator<Item = &'a RuleMeta>) -> String {
    let metas: Vec<&RuleMeta> = metas.into_iter().collect();
    let name_width = metas.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for m in metas {
        out.push_str(&format!(
            "{}  {:<name_width$}  {:<11}  {:<7}  {}\n",
            m.code,
            m.name,
            m.category.as_str(),
            m.default_severity.as_str(),
            m.summary()
        ));
    }
    out
}

/// A rule's documentation for a terminal: its header, then the text with
/// code fences turned into indented blocks.
pub fn explain(meta: &RuleMeta) -> String {
    let mut out = format!(
        "{} {}\ncategory: {}   default severity: {}{}\n\n",
        meta.code,
        meta.name,
        meta.category.as_str(),
        meta.default_severity.as_str(),
        if meta.norms.is_empty() { String::new() } else { format!("   norms: {}", meta.norms.join(", ")) }
    );
    let mut in_code = false;
    for line in meta.documentation().lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
        } else if let Some(heading) = line.strip_prefix("## ") {
            out.push_str(heading);
            if !heading.ends_with('?') {
                out.push(':');
            }
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
