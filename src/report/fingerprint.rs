//! Fingerprints that identify a finding across edits: the rule, the file,
//! the team and the text of every statement it labels (comments dropped,
//! white space folded), never line numbers. Moving a team down a file keeps
//! its fingerprints; changing a labelled statement (a target's value) makes
//! a new one. Findings that would share a fingerprint in one file (two
//! identical mistakes) are told apart by their order.

use rayon::prelude::*;

use crate::{Diagnostic, Source};

/// FNV-1a, 64 bits: small, stable across platforms and releases.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The path as a fingerprint sees it: forward slashes, no leading `./`.
pub fn normalize_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.trim_start_matches("./").to_string()
}

/// A statement's text as a fingerprint sees it: comments (`#` to the end of
/// the line, outside strings) dropped and white space folded, so comments
/// and layout can change without making a finding new.
fn statement_text(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let (mut in_string, mut escaped, mut in_comment) = (false, false, false);
    for c in text.chars() {
        if in_comment {
            if c == '\n' || c == '\r' {
                in_comment = false;
                kept.push(' ');
            }
            continue;
        }
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            in_comment = true;
            continue;
        }
        kept.push(c);
    }
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn base(diagnostic: &Diagnostic, source: &Source, file: &str) -> u64 {
    let statements: Vec<String> = diagnostic.labels.iter().map(|l| statement_text(source.slice(l.span))).collect();
    let mut parts: Vec<&str> = vec![&diagnostic.code, file, diagnostic.team.as_deref().unwrap_or("")];
    parts.extend(statements.iter().map(String::as_str));
    fnv1a(&parts)
}

/// The fingerprints of a file's diagnostics, in their order, as 16 hex
/// digits each. The n-th finding (n ≥ 2) whose statements, team and rule
/// equal an earlier one's gets the hash of that and n, so every finding of a
/// file has its own fingerprint and a lone finding's never depends on order.
pub fn fingerprints(diagnostics: &[Diagnostic], source: &Source) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    let file = normalize_path(source.name());
    let bases: Vec<u64> = if diagnostics.len() > 64 {
        diagnostics.par_iter().map(|d| base(d, source, &file)).collect()
    } else {
        diagnostics.iter().map(|d| base(d, source, &file)).collect()
    };
    bases
        .into_iter()
        .map(|hash| {
            let count = seen.entry(hash).or_insert(0);
            *count += 1;
            let hash = if *count == 1 { hash } else { fnv1a(&[&format!("{hash:016x}"), &count.to_string()]) };
            format!("{hash:016x}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_layout_do_not_count_but_strings_do() {
        let plain = statement_text("target handle_time <= 3m weight 50%");
        assert_eq!(statement_text("target handle_time <= 3m # the board's\n    weight 50%  # note"), plain);
        assert_eq!(statement_text("team \"A # B\" {"), "team \"A # B\" {");
        assert_eq!(statement_text("team \"A \\\" # B\" # gone"), "team \"A \\\" # B\"");
    }
}
