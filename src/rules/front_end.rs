//! Documentation of the diagnostics that are not rules: the front-end errors
//! (E001-E008, always errors, never suppressible) and the suppression
//! checks (X001, X002). They are listed by `supportlint rules` and explained
//! by `supportlint explain` like any rule.

use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports text that does not match the policy grammar: a misspelt
    /// keyword, an unterminated string or block, a value with an unknown
    /// unit, a statement outside its block.
    ///
    /// ## Why is this bad?
    /// Nothing else in the file can be checked until it can be read. Parsing
    /// stops at the first syntax error.
    ///
    /// ## Example
    /// ```text
    /// team "Care" { chanel phone }
    /// ```
    /// `chanel` is not a statement; did you mean `channel`?
    pub struct SyntaxError { code: "E001", name: "syntax-error", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports a word outside its vocabulary: a metric, promise, channel,
    /// action, leadership level, training module, screening trait, norm or
    /// rule path that the language does not know, with the closest word.
    ///
    /// ## Why is this bad?
    /// A misspelt promise is a promise the checker cannot hold the team to.
    ///
    /// ## Example
    /// ```text
    /// promise thourough
    /// ```
    /// did you mean `thorough`?
    pub struct UnknownName { code: "E002", name: "unknown-name", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong kind for its place, such as a percentage
    /// where a duration belongs, or a comparison of a duration with money in
    /// a custom rule.
    ///
    /// ## Why is this bad?
    /// Units are part of the meaning: `target handle_time >= 80%` cannot be
    /// met or missed, so it is an error rather than a guess.
    ///
    /// ## Example
    /// ```text
    /// target handle_time >= 80%
    /// ```
    pub struct UnitMismatch { code: "E003", name: "unit-mismatch", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports a value outside its range: a percentage above 100, zero agents
    /// against a demand, driver shares above 100% in total, a weight above
    /// 100%, opening hours that cross midnight, a number too large to
    /// represent.
    ///
    /// ## Example
    /// ```text
    /// shrinkage 130%
    /// ```
    pub struct OutOfRange { code: "E004", name: "out-of-range", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports something stated twice where once is allowed: two teams or
    /// two rules with one name, or one scalar fact (`channel`, `agents`,
    /// `authority`, ...) stated twice in one block.
    ///
    /// ## Why is this bad?
    /// Which of the two is meant cannot be known; the first is kept.
    pub struct Duplicate { code: "E005", name: "duplicate", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports a fact that is needed to interpret another and is absent:
    /// a team without a `channel`, a `/day` demand without `hours`, a custom
    /// rule without `when`, an empty file.
    pub struct MissingFact { code: "E006", name: "missing-fact", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports two money amounts in different currencies that would have to
    /// be compared, such as a driver that needs `refund up_to €120` in a team
    /// whose agents may refund up to `$50`.
    ///
    /// ## Why is this bad?
    /// supportlint does not guess exchange rates.
    pub struct CurrencyMismatch { code: "E007", name: "currency-mismatch", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports input beyond the configured limits: file size (8 MiB by
    /// default), nesting depth, number of teams, statements or rules.
    ///
    /// ## Why is this bad?
    /// Policy files reach supportlint from untrusted pull requests; the limits
    /// keep a hostile file from exhausting memory or time.
    pub struct LimitExceeded { code: "E008", name: "limit-exceeded", category: Syntax, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports an `allow` that silenced no finding in its scope.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding of that rule.
    ///
    /// ## Example
    /// ```text
    /// team "Care" {
    ///   allow one-off-training "annual refresher only"   # but no training block
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the `allow`.
    pub struct UnusedAllow { code: "X001", name: "unused-allow", category: Suppression, severity: Warning, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports an `allow`, a configuration entry or a command-line option that
    /// names no rule, with the closest rule name.
    ///
    /// ## Example
    /// ```text
    /// allow one-of-training "..."
    /// ```
    /// did you mean `one-off-training`?
    pub struct UnknownRule { code: "X002", name: "unknown-rule", category: Suppression, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports a key or value of a configuration file (`supportlint.yaml`)
    /// that supportlint does not understand: an unknown key, a level other
    /// than `off`, `info`, `warning` or `error`, a norm value of the wrong
    /// unit, an `extends` that cannot be read.
    ///
    /// ## Why is this bad?
    /// A configuration that is silently ignored checks something else than
    /// its authors think. supportlint stops (exit code 2) instead.
    ///
    /// ## Example
    /// ```text
    /// rules:
    ///   K001: of
    /// ```
    pub struct InvalidConfig { code: "X003", name: "invalid-config", category: Suppression, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports an `allow` whose `until` date has come: from that day on it
    /// silences nothing, and the finding it silenced is reported again.
    /// The message names the owner and the date.
    ///
    /// ## Why is this bad?
    /// An accepted finding is accepted for a while, for a reason: a pilot, a
    /// course being designed. An exception nobody reviews becomes permanent;
    /// an end date makes someone decide again.
    ///
    /// ## Example
    /// ```text
    /// allow one-off-training "refresher course being designed" owner "Training Lead" until 2025-03-31
    /// ```
    ///
    /// ## How to fix
    /// Fix the finding and remove the `allow`, or renew it with a later
    /// `until` and a reason that still holds.
    pub struct ExpiredAllow { code: "X004", name: "expired-allow", category: Suppression, severity: Error, norms: [] }
}

declare_rule! {
    /// ## What it does
    /// Reports an `allow` that the configuration's `suppressions:` settings
    /// forbid: a rule or category that may not be suppressed, a missing
    /// `owner`, an `until` missing or further ahead than allowed. Such an
    /// `allow` silences nothing.
    ///
    /// ## Why is this bad?
    /// An organisation decides which contradictions may be accepted at all,
    /// and that every exception has an owner and an end; a suppression that
    /// escapes those rules is an exception nobody agreed to.
    ///
    /// ## Example
    /// ```text
    /// # supportlint.yaml: suppressions: { require_owner: true }
    /// allow K001 "pilot"
    /// ```
    ///
    /// ## How to fix
    /// Fix the finding, or give the `allow` what the configuration asks.
    pub struct AllowNotPermitted { code: "X005", name: "allow-not-permitted", category: Suppression, severity: Error, norms: [] }
}
