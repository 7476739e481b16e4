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

/// The catalogue as a table `width` columns wide: each rule's summary is
/// wrapped under its own column (or, on a narrow terminal, under the code).
pub fn table<'a>(metas: impl IntoIterator<Item = &'a RuleMeta>, width: usize) -> String {
    let metas: Vec<&RuleMeta> = metas.into_iter().collect();
    let name_width = metas.iter().map(|m| m.name.len()).max().unwrap_or(0);
    // code, name, category and severity, each followed by two spaces.
    let indent = 4 + 2 + name_width + 2 + 11 + 2 + 7 + 2;
    let (indent, text_width) = if width >= indent + 30 { (indent, width - indent) } else { (6, width.max(36) - 6) };
    let mut out = String::new();
    for m in metas {
        let head = format!(
            "{}  {:<name_width$}  {:<11}  {:<7}  ",
            m.code,
            m.name,
            m.category.as_str(),
            m.default_severity.as_str()
        );
        let lines = wrap(&m.summary(), text_width);
        let same_line = indent == head.len();
        out.push_str(if same_line { &head } else { head.trim_end() });
        for (i, line) in lines.iter().enumerate() {
            if i > 0 || !same_line {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// `text` broken into lines of at most `width` characters at spaces (a
/// longer word stands on a line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_fits_the_terminal() {
        for width in [60, 80, 100, 140] {
            let table = table(crate::rules::metas(), width);
            let widest = table.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(widest <= width, "{widest} columns at a width of {width}");
            assert!(table.contains("K001  handle-time-below-promise"));
        }
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let text = "a quota of nine calls an hour leaves five minutes forty";
        let lines = wrap(text, 12);
        assert!(lines.iter().all(|l| l.chars().count() <= 12));
        assert_eq!(lines.join(" "), text);
    }
}
