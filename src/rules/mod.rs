//! Rules: the checks that find contradictions in a resolved policy.
//!
//! A rule is one type in one file with its documentation on the type (what
//! it finds, why it matters, an example, how to fix it), declared with
//! [`declare_rule!`](crate::declare_rule) and listed once in `registry.rs`.
//! Rules read the model and the analysis figures and return [`Diagnostic`]s;
//! they never see configuration, suppressions or output formats.

mod authority;
mod context;
mod figures;
mod fixes;
mod front_end;
mod kpi;
mod leadership;
mod practice;
mod registry;
pub(crate) mod scorecard;
mod staffing;

pub use context::Context;
pub use front_end::{
    AllowNotPermitted, CurrencyMismatch, Duplicate, ExpiredAllow, InvalidConfig, LimitExceeded, MissingFact,
    OutOfRange, SyntaxError, UnitMismatch, UnknownName, UnknownRule, UnusedAllow,
};
pub use registry::{Catalog, Lookup, RuleError, builtin, metas};

pub use crate::diagnostic::Category;
use crate::{Diagnostic, Severity};

/// What is known about a rule without running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, e.g. `K001`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `handle-time-below-promise`.
    pub name: &'static str,
    /// The family.
    pub category: Category,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// Names of the norms the rule reads.
    pub norms: &'static [&'static str],
    /// Markdown documentation: what it finds, why, an example, how to fix.
    pub docs: &'static str,
}

impl RuleMeta {
    /// Whether `reference` names this rule: its kebab-case name, or its code
    /// in any case (`one-off-training`, `P002`, `p002`).
    pub fn is(&self, reference: &str) -> bool {
        self.name == reference || self.code.eq_ignore_ascii_case(reference)
    }

    /// The documentation with the one-space indent of doc comments removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }

    /// The first sentence of the documentation's "What it does" section.
    pub fn summary(&self) -> String {
        let docs = self.documentation();
        let body = docs.lines().skip_while(|l| l.starts_with('#') || l.trim().is_empty());
        let paragraph: Vec<&str> = body.take_while(|l| !l.trim().is_empty()).collect();
        let text = paragraph.join(" ");
        match text.find(". ") {
            Some(end) => text.get(..=end).unwrap_or(&text).to_string(),
            None => text,
        }
    }
}

/// A check over one team. Implement it to add a rule of your own and pass
/// it to [`crate::Checker::with_rule`].
pub trait Rule: Send + Sync {
    /// The rule's code, name, category, default severity and docs.
    fn meta(&self) -> &'static RuleMeta;

    /// Appends a diagnostic to `out` for each contradiction in `cx.team`.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Declares a rule type whose doc comment becomes its documentation, in the
/// manner of clippy's `declare_clippy_lint!` (no procedural macro).
///
/// ```
/// use supportlint::declare_rule;
/// declare_rule! {
///     /// ## What it does
///     /// Finds nothing, as an example.
///     pub struct Example {
///         code: "Z001",
///         name: "example",
///         category: Custom,
///         severity: Info,
///         norms: [],
///     }
/// }
/// assert_eq!(Example::META.name, "example");
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            category: $category:ident,
            severity: $severity:ident,
            norms: [$($norm:literal),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $ty;

        impl $ty {
            /// The rule's code, name, category, severity and documentation.
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                category: $crate::rules::Category::$category,
                default_severity: $crate::Severity::$severity,
                norms: &[$($norm),*],
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
