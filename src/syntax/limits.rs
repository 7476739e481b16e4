//! Bounds on untrusted input. Exceeding one is an E008 diagnostic, never a
//! crash, an abort or a hang.

/// Most characters in a quoted name (a team, a driver, the policy): every
/// finding about it quotes it.
pub const MAX_NAME_CHARS: usize = 200;

/// Most characters in a free text repeated in findings: an `allow`'s
/// reason, a custom rule's message and help.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// Most characters in a name that is a word: a custom rule's name, a level
/// of the leadership chain.
pub const MAX_WORD_CHARS: usize = 64;

/// Most levels in a leadership chain.
pub const MAX_LEVELS: usize = 32;

/// Limits on what one policy file may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes (default 8 MiB).
    pub max_file_bytes: usize,
    /// Deepest nesting of braces, brackets, parentheses and `not`s (default 32).
    pub max_nesting: usize,
    /// Most `team` blocks in one file (default 20,000).
    pub max_teams: usize,
    /// Most statements in one block, and most entries in one list (default 10,000).
    pub max_statements: usize,
    /// Most custom `rule` blocks in one file (default 200).
    pub max_rules: usize,
    /// Most expression nodes over all custom rules of a file (default 2,000).
    pub max_expression_nodes: usize,
    /// Largest `rule` block in bytes (default 64 KiB), checked before
    /// parsing so an enormous expression costs no parsing time.
    pub max_rule_bytes: usize,
    /// Most statements teams inherit from `defaults`, over all teams: the
    /// statements of `defaults` times the teams (default 500,000). Teams
    /// share `defaults` rather than copy it, but every rule reads it again
    /// for every team.
    pub max_inherited: usize,
    /// Most diagnostics one file may produce before checking stops (default
    /// 100,000, or one per 4 bytes of text when that is more).
    pub max_findings: usize,
}

impl Limits {
    /// The most any limit may be raised to, through the API or
    /// `supportlint.yaml`: beyond them a file is too large to check in
    /// bounded memory whoever trusts it.
    pub const CEILINGS: Limits = Limits {
        max_file_bytes: 256 * 1024 * 1024,
        max_nesting: 128,
        max_teams: 1_000_000,
        max_statements: 1_000_000,
        max_rules: 10_000,
        max_expression_nodes: 100_000,
        max_rule_bytes: 1024 * 1024,
        max_inherited: 100_000_000,
        max_findings: 50_000_000,
    };

    /// Each limit kept at or below its ceiling.
    pub fn within_ceilings(self) -> Limits {
        let c = Limits::CEILINGS;
        Limits {
            max_file_bytes: self.max_file_bytes.min(c.max_file_bytes),
            max_nesting: self.max_nesting.min(c.max_nesting),
            max_teams: self.max_teams.min(c.max_teams),
            max_statements: self.max_statements.min(c.max_statements),
            max_rules: self.max_rules.min(c.max_rules),
            max_expression_nodes: self.max_expression_nodes.min(c.max_expression_nodes),
            max_rule_bytes: self.max_rule_bytes.min(c.max_rule_bytes),
            max_inherited: self.max_inherited.min(c.max_inherited),
            max_findings: self.max_findings.min(c.max_findings),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 8 * 1024 * 1024,
            max_nesting: 32,
            max_teams: 20_000,
            max_statements: 10_000,
            max_rules: 200,
            max_expression_nodes: 2_000,
            max_rule_bytes: 64 * 1024,
            max_inherited: 500_000,
            max_findings: 100_000,
        }
    }
}
