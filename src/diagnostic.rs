//! The one value every layer reports problems with.
//!
//! Front-end errors (E001-E008), rule findings and suppression problems are
//! all [`Diagnostic`]s: a code, a kebab-case name, a severity, a message, the
//! labelled spans that take part, and a `help` that says what would resolve
//! it. Rendering is the `report` module's job; this module does no IO.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::Span;

/// `text` shortened to at most 40 characters for quoting in a message; a
/// hostile 100,000-digit number must not become a 100,000-character message.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// `a` or `an` for the word that follows, by its first letter ("an email
/// team", "a phone team"); good enough for the words of the language.
pub fn article(word: &str) -> &'static str {
    let first = word.trim_start_matches(['`', '"']).chars().next().unwrap_or('x');
    if "aeiouAEIOU".contains(first) { "an" } else { "a" }
}

/// How serious a diagnostic is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice.
    Info,
    /// A practice known to undermine support quality or staff.
    Warning,
    /// The policy contradicts itself, or could not be read.
    Error,
}

impl Severity {
    /// The lowercase name: `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The family a rule belongs to; configuration can set a level for a whole
/// category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Category {
    /// E001-E008: the file could not be read as a policy.
    Syntax,
    /// Targets and scorecards.
    Kpi,
    /// Queueing figures against staffing.
    Staffing,
    /// What agents may decide alone.
    Authority,
    /// What leadership levels ask for.
    Leadership,
    /// Scripts, training and hiring practice.
    Practice,
    /// `allow` statements.
    Suppression,
    /// A rule written in a policy file.
    Custom,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 8] = [
        Category::Syntax,
        Category::Kpi,
        Category::Staffing,
        Category::Authority,
        Category::Leadership,
        Category::Practice,
        Category::Suppression,
        Category::Custom,
    ];

    /// The lowercase name used in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Kpi => "kpi",
            Category::Staffing => "staffing",
            Category::Authority => "authority",
            Category::Leadership => "leadership",
            Category::Practice => "practice",
            Category::Suppression => "suppression",
            Category::Custom => "custom",
        }
    }
}

/// The front-end diagnostics: always errors, never suppressible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// E001: the text does not match the grammar.
    SyntaxError,
    /// E002: an identifier outside its vocabulary.
    UnknownName,
    /// E003: a value of the wrong kind for its slot.
    UnitMismatch,
    /// E004: a value outside its range.
    OutOfRange,
    /// E005: something stated twice where once is allowed.
    Duplicate,
    /// E006: a fact needed to interpret another is absent.
    MissingFact,
    /// E007: money amounts in different currencies meet.
    CurrencyMismatch,
    /// E008: nesting, size or a count beyond the configured limits.
    LimitExceeded,
}

impl ErrorCode {
    /// Every front-end code, in code order.
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::SyntaxError,
        ErrorCode::UnknownName,
        ErrorCode::UnitMismatch,
        ErrorCode::OutOfRange,
        ErrorCode::Duplicate,
        ErrorCode::MissingFact,
        ErrorCode::CurrencyMismatch,
        ErrorCode::LimitExceeded,
    ];

    /// The stable code, `E001` to `E008`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::SyntaxError => "E001",
            ErrorCode::UnknownName => "E002",
            ErrorCode::UnitMismatch => "E003",
            ErrorCode::OutOfRange => "E004",
            ErrorCode::Duplicate => "E005",
            ErrorCode::MissingFact => "E006",
            ErrorCode::CurrencyMismatch => "E007",
            ErrorCode::LimitExceeded => "E008",
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::SyntaxError => "syntax-error",
            ErrorCode::UnknownName => "unknown-name",
            ErrorCode::UnitMismatch => "unit-mismatch",
            ErrorCode::OutOfRange => "out-of-range",
            ErrorCode::Duplicate => "duplicate",
            ErrorCode::MissingFact => "missing-fact",
            ErrorCode::CurrencyMismatch => "currency-mismatch",
            ErrorCode::LimitExceeded => "limit-exceeded",
        }
    }
}

/// The most labels a diagnostic keeps; further statements are counted in
/// [`Diagnostic::omitted_labels`].
pub const MAX_LABELS: usize = 12;

/// One labelled span of a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What this place contributes, e.g. "the 3m ceiling".
    pub message: String,
    /// The statement most likely to change; a diagnostic has at most one.
    pub primary: bool,
}

/// A problem found in one source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Stable code: `E001`, `K001`; a custom rule's code is its name.
    pub code: Cow<'static, str>,
    /// Kebab-case name: `syntax-error`, `handle-time-below-promise`.
    pub name: Cow<'static, str>,
    /// The family of its rule: levels set for a category apply to it.
    pub category: Category,
    /// How serious it is.
    pub severity: Severity,
    /// One lowercase sentence with the figures that explain it.
    pub message: String,
    /// The statements that take part; the primary one first. At most
    /// [`MAX_LABELS`]: a finding over ten thousand statements must not cost
    /// ten thousand snippets.
    pub labels: Vec<Label>,
    /// Statements that took part beyond the first [`MAX_LABELS`], not
    /// labelled ("and 9,988 more").
    pub omitted_labels: usize,
    /// What change would resolve it.
    pub help: Option<String>,
    /// The team it is about; `None` for findings about the whole file.
    pub team: Option<String>,
    /// Why it is not reported, if an `allow` or a baseline silenced it.
    /// Suppressed findings stay in the report (machine-readable formats
    /// show them) but do not count.
    pub suppression: Option<Suppression>,
    /// Changes to the policy that resolve it, the one the help names first.
    pub fixes: Vec<Fix>,
    /// The numbers behind the finding, as the message quotes them: the floor
    /// and the ceiling, the load and the servers, the achieved and the
    /// target service level. See [`Figure`] for the naming.
    pub figures: Vec<Figure>,
}

/// One number behind a finding, named in snake case with its unit as the
/// last word: `handle_time_floor_seconds`, `offered_load_erlangs`,
/// `service_level_percent`, `scheduled_agents`, `contacts_per_hour`.
/// Percentages are in percent (85.0, not 0.85); durations in seconds.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Figure {
    /// What the number is, with its unit.
    pub name: &'static str,
    /// Its value, as exact as the rule computed it.
    pub value: f64,
}

/// Figures are equal when their names and bits are: a finding equals
/// itself, so findings can be compared and deduplicated.
impl PartialEq for Figure {
    fn eq(&self, other: &Figure) -> bool {
        self.name == other.name && self.value.to_bits() == other.value.to_bits()
    }
}

impl Eq for Figure {}

impl Diagnostic {
    /// Adds a figure (a non-finite value is not recorded: JSON has no
    /// number for it).
    pub fn figure(mut self, name: &'static str, value: f64) -> Diagnostic {
        if value.is_finite() {
            self.figures.push(Figure { name, value });
        }
        self
    }

    /// The finding as a [`miette::Report`] with `source` attached, rendered
    /// as the human format renders it (the policy's text made visible), so
    /// that `?` takes it into a `miette::Result`.
    pub fn to_report(&self, source: &crate::Source) -> miette::Report {
        miette::Report::new(crate::report::human::WithSource::new(self.clone(), source.clone()))
    }

    /// The figure called `name`, if the finding carries it.
    pub fn figure_value(&self, name: &str) -> Option<f64> {
        self.figures.iter().find(|f| f.name == name).map(|f| f.value)
    }
}

/// Whether applying a fix keeps the policy's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Meaning unchanged (removing an `allow` that silences nothing):
    /// `check --fix` applies it.
    Safe,
    /// A business decision (staffing, a target, a promise): applied only
    /// with `--unsafe-fixes`, after a person has read it.
    Unsafe,
}

/// One replacement in the policy text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The text replaced (empty to insert).
    pub span: Span,
    /// What it becomes (empty to delete).
    pub replacement: String,
}

/// A change that resolves a finding: "set `agents` to 58", "remove the
/// unused `allow`".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fix {
    /// What it does, in a few words with the figures.
    pub title: String,
    /// Whether it keeps the policy's meaning.
    pub applicability: Applicability,
    /// The replacements, none overlapping another.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix that keeps the meaning.
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Safe, edits }
    }

    /// A fix that changes what the policy asks for.
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Unsafe, edits }
    }

    /// A fix of one replacement.
    pub fn replace(applicability: Applicability, title: impl Into<String>, span: Span, text: impl Into<String>) -> Fix {
        Fix { title: title.into(), applicability, edits: vec![Edit { span, replacement: text.into() }] }
    }
}

/// What silenced a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Suppression {
    /// `allow` in the policy, or a baseline file.
    pub kind: SuppressionKind,
    /// The reason given with the `allow`, or the baseline's name.
    pub reason: String,
    /// The `allow` statement (empty for a baseline).
    pub span: Span,
}

/// Where a suppression comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum SuppressionKind {
    /// An `allow` statement in the policy.
    Allow,
    /// An entry of the baseline file.
    Baseline,
}

impl Diagnostic {
    /// A diagnostic with no labels yet.
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        name: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            name: name.into(),
            category: Category::Custom,
            severity,
            message: message.into(),
            labels: Vec::new(),
            omitted_labels: 0,
            help: None,
            team: None,
            suppression: None,
            fixes: Vec::new(),
            figures: Vec::new(),
        }
    }

    /// Adds a fix; the first one added is the one `--unsafe-fixes` applies.
    pub fn fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    /// Whether an `allow` or a baseline silenced it.
    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }

    /// A front-end error.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code.code(), code.name(), Severity::Error, message).in_category(Category::Syntax)
    }

    /// Sets the rule's category.
    pub fn in_category(mut self, category: Category) -> Diagnostic {
        self.category = category;
        self
    }

    /// Adds the primary label (the place most likely to change). Any earlier
    /// primary label becomes secondary.
    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        for label in &mut self.labels {
            label.primary = false;
        }
        self.labels.insert(0, Label { span, message: message.into(), primary: true });
        if self.labels.len() > MAX_LABELS {
            self.labels.truncate(MAX_LABELS);
            self.omitted_labels += 1;
        }
        self
    }

    /// Adds a secondary label (another statement that takes part). A span
    /// that is already labelled is not labelled twice.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.add_secondary(span, message);
        self
    }

    /// [`Diagnostic::secondary`] on a diagnostic already built.
    /// Beyond [`MAX_LABELS`] the statement is only counted.
    pub fn add_secondary(&mut self, span: Span, message: impl Into<String>) {
        if self.labels.iter().any(|l| l.span == span) {
            return;
        }
        if self.labels.len() >= MAX_LABELS {
            self.omitted_labels += 1;
        } else {
            self.labels.push(Label { span, message: message.into(), primary: false });
        }
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Names the team the diagnostic is about.
    pub fn team(mut self, team: impl Into<String>) -> Diagnostic {
        self.team = Some(team.into());
        self
    }

    /// The primary span, or an empty span at the start of the file.
    pub fn primary_span(&self) -> Span {
        self.labels.iter().find(|l| l.primary).or(self.labels.first()).map_or(Span::default(), |l| l.span)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}
