//! Fingerprints that identify a finding across edits: the rule, the file,
//! the team and the text of every statement it labels (white space folded),
//! never line numbers. Moving a team down a file keeps its fingerprints;
//! changing a labelled statement (a target's value) makes a new one.

use crate::{Diagnostic, Source};

/// FNV-1a, 64 bits: small, stable across platforms and releases.
fn fnv1a(parts: &[&str]) -> u64 {
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

/// The fingerprint of `diagnostic` in `source`, as 16 hex digits.
pub fn fingerprint(diagnostic: &Diagnostic, source: &Source) -> String {
    let file = normalize_path(source.name());
    let statements: Vec<String> = diagnostic
        .labels
        .iter()
        .map(|l| source.slice(l.span).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut parts: Vec<&str> = vec![&diagnostic.code, &file, diagnostic.team.as_deref().unwrap_or("")];
    parts.extend(statements.iter().map(String::as_str));
    format!("{:016x}", fnv1a(&parts))
}
