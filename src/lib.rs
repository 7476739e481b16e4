//! supportlint reads support-operations policy files and proves where they
//! contradict themselves: a three-minute handle-time ceiling beside a promise
//! of thorough service, a first-contact-resolution target the agents'
//! authority cannot reach, orders from two levels of leadership that pull
//! against each other.
//!
//! This page walks a service author through the API: check a policy, read
//! the findings as data, configure the checker without IO, parse once and
//! check many times, add rules written in Rust, share one checker between
//! threads. Nothing in the library does IO, reads a clock, keeps global
//! state or panics on user input.
//!
//! # Check a policy
//!
//! Build a [`Checker`], give it a [`Source`] (a name and a text), read the
//! [`Diagnostic`]s of the [`FileReport`]:
//!
//! ```
//! use supportlint::{Category, Checker, Severity, Source};
//!
//! let source = Source::new("care.policy", r#"
//! team "Consumer Care" {
//!   channel phone
//!   target handle_time <= 3m
//!   promise thorough
//! }
//! "#);
//! let report = Checker::new().check(&source);
//! let finding = &report.diagnostics[0];
//! assert_eq!((finding.code.as_ref(), finding.name.as_ref()), ("K001", "handle-time-below-promise"));
//! assert_eq!(finding.category, Category::Kpi);
//! assert_eq!(finding.severity, Severity::Error);
//! assert_eq!(finding.team.as_deref(), Some("Consumer Care"));
//! assert!(finding.message.contains("but a thorough phone contact takes at least 6m"));
//!
//! // Where: the primary label's span, as line and column.
//! let at = source.line_col(finding.primary_span().start as usize);
//! assert_eq!((at.line, at.column), (4, 3));
//! // The numbers behind it, as data.
//! assert_eq!(finding.figure_value("handle_time_floor_seconds"), Some(360.0));
//! // What would resolve it: a help line, and fixes a service can apply.
//! assert!(finding.help.is_some());
//! assert!(!finding.fixes.is_empty());
//!
//! // Predicates a gate needs.
//! assert!(report.is_valid()); // no front-end error (E001-E008)
//! assert!(!report.passes(Severity::Error));
//! ```
//!
//! A finding converts to a [`miette::Report`] with its source attached, so
//! `?` takes it into a `miette::Result`:
//!
//! ```
//! # use supportlint::{Checker, Source};
//! fn check(text: &str) -> miette::Result<()> {
//!     let source = Source::new("care.policy", text);
//!     let report = Checker::new().check(&source);
//!     if let Some(first) = report.diagnostics.first() {
//!         return Err(first.to_report(&source));
//!     }
//!     Ok(())
//! }
//! let error = check("team \"Care\" { channel fone }").unwrap_err();
//! assert!(error.to_string().contains("fone"));
//! ```
//!
//! # Staffing figures
//!
//! Every staffed team has its queueing figures, looked up by name:
//!
//! ```
//! # use supportlint::{Checker, Source};
//! let source = Source::new("care.policy", "team \"Care\" {\n  channel phone\n  demand 200/h\n  \
//!     target handle_time <= 3m\n  agents 14\n  service_level 80% within 20s\n}\n");
//! let report = Checker::new().check(&source);
//! let figures = report.figures_of("Care").unwrap();
//! assert_eq!(figures.servers, Some(14));
//! let queue = figures.planned.as_ref().unwrap();
//! assert!(queue.all_targets_met() == Some(true));
//! ```
//!
//! # Configuration without IO
//!
//! [`config::Config`] is what `supportlint.yaml` sets: rule levels (by code,
//! name or category), norms, `fail_on`, limits and suppression settings.
//! Read it from text, or follow `extends` through a loader of your own (a
//! database, say); every problem comes back at once in one
//! [`config::ConfigError`], itself a miette diagnostic:
//!
//! ```
//! use supportlint::config::{Config, Level};
//! use supportlint::{Checker, Source, Severity};
//!
//! let yaml = Source::new("supportlint.yaml", "extends: base.yaml\nrules:\n  kpi: warning\n");
//! let config = Config::from_yaml_with(yaml, &mut |path: &str, _from: &Source| {
//!     match path {
//!         "base.yaml" => Ok(Source::new("base.yaml", "norms:\n  max_occupancy: 90%\n")),
//!         _ => Err(format!("no configuration called `{path}`")),
//!     }
//! })?;
//! let checker = Checker::new().with_config(&config)?.with_level("S005", Level::Off)?;
//! let policy = Source::new("care.policy", "team \"Care\" { channel phone\n target handle_time <= 3m\n promise thorough }");
//! let report = checker.check(&policy);
//! assert_eq!(report.diagnostics[0].severity, Severity::Warning);
//!
//! let broken = Source::new("supportlint.yaml", "rules:\n  K0001: off\nfail_on: sometimes\n");
//! let error = Config::from_yaml(&broken).unwrap_err();
//! assert!(error.to_string().contains("`sometimes` is not a `fail_on` level"));
//! // Names are looked up among a checker's rules: K0001 is none.
//! let names = Checker::new().with_config(error.partial().unwrap()).unwrap_err();
//! assert!(names.to_string().contains("supportlint.yaml:2:3: `K0001` names no rule"), "{names}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Input limits ([`Limits`]: file size, teams, statements, nesting, custom
//! rules) are per checker, raised or lowered with [`Checker::with_limits`]
//! or the `limits:` key, and never beyond [`Limits::CEILINGS`].
//!
//! # Parse once, check many times
//!
//! A service that stores policies re-checks them when its configuration
//! changes; the parse is kept:
//!
//! ```
//! # use supportlint::{Checker, Source};
//! # use supportlint::config::Config;
//! let parsed = Checker::new().parse(&Source::new("care.policy", "team \"Care\" {\n  channel phone\n  target occupancy >= 90%\n}\n"));
//! let strict = Checker::new();
//! let lenient = Checker::new().with_config(&Config::from_yaml(&Source::new("c.yaml", "norms:\n  max_occupancy: 95%\n"))?)?;
//! assert!(strict.check_parsed(&parsed).diagnostics.iter().any(|d| d.code == "K007"));
//! assert!(!lenient.check_parsed(&parsed).diagnostics.iter().any(|d| d.code == "K007"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Rules written in Rust
//!
//! Declare a rule with [`declare_rule!`] (its doc comment is its
//! documentation, shown by SARIF and `explain`) and register it. Its code,
//! name and category then work everywhere a built-in's do: levels in code
//! and configuration, `allow` in policies, JSON and SARIF. A code or name
//! that is taken is refused:
//!
//! ```
//! use supportlint::rules::{Context, Rule};
//! use supportlint::{Checker, Diagnostic, Source};
//! use supportlint::config::Level;
//!
//! supportlint::declare_rule! {
//!     /// Flags a team of fewer than three agents.
//!     pub struct TinyTeam { code: "Z001", name: "tiny-team", category: Staffing, severity: Warning, norms: [] }
//! }
//!
//! impl Rule for TinyTeam {
//!     fn meta(&self) -> &'static supportlint::RuleMeta {
//!         &Self::META
//!     }
//!     fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
//!         if let Some(agents) = cx.team.agents.as_ref().filter(|a| a.value < 3) {
//!             out.push(cx.finding(&Self::META, "fewer than three agents").primary(agents.span, "here"));
//!         }
//!     }
//! }
//!
//! let checker = Checker::new().with_rule(TinyTeam)?;
//! let policy = Source::new("night.policy", "team \"Night\" {\n  channel email\n  agents 2\n}\n");
//! assert!(checker.check(&policy).diagnostics.iter().any(|d| d.code == "Z001"));
//! let quiet = checker.clone().with_level("staffing", Level::Off)?;
//! assert!(!quiet.check(&policy).diagnostics.iter().any(|d| d.code == "Z001"));
//! assert!(checker.with_rule(TinyTeam).is_err()); // Z001 is taken
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Sharing
//!
//! [`Checker`] is `Clone + Debug + Send + Sync`; its settings sit behind an
//! `Arc`, so one checker built at start-up serves every request.
//!
//! # Output
//!
//! [`report`] renders reports: [`report::json`] (the versioned document of
//! `check --format json`), [`report::sarif`], [`report::gitlab`],
//! [`report::junit`], [`report::markdown`], [`report::text`] and
//! [`report::human`]. [`format()`] lays a policy out as `supportlint fmt`
//! does; [`fix`] applies fixes to a text; [`testing`] checks a policy's
//! `# expect:` markers against its findings.
//!
//! # Layers
//!
//! The public modules follow the pipeline: [`syntax`] (text to tree),
//! [`model`] (meaning), [`analysis`] (queueing figures), [`rules`]
//! (findings) and [`report`] (rendering). ARCHITECTURE.md in the repository
//! is the map; README.md states what a semver-compatible release may change.

// pest without its `std` feature (and so without a stack probe on every
// rule call: `syntax::scan` bounds nesting before pest runs) names `alloc`.
extern crate alloc;

pub mod analysis;
mod diagnostic;
mod engine;
pub mod escape;
pub mod fix;
mod format;
pub mod ide;
pub mod model;
pub mod num;
pub mod report;
pub mod rules;
mod source;
mod span;
mod suggest;
pub mod syntax;
pub mod testing;

/// Configuration: `supportlint.yaml` read without IO, rule levels, norm
/// overrides, limits and suppression settings.
pub mod config {
    pub use crate::engine::config::*;
    pub use crate::engine::levels::{Level, NotSettable, Resolved, RuleLevels};
}

pub use diagnostic::{
    Applicability, Category, Diagnostic, Edit, Figure, Fix, Label, MAX_LABELS, Severity, Suppression, SuppressionKind,
};
pub use engine::{AllowStatus, Checker, FileReport, ParsedPolicy, SuppressionPolicy};
pub use format::{format, format_with_limits};
pub use rules::{Context, Rule, RuleMeta};
pub use source::{LineCol, NotUtf8, Source, Terminal};
pub use span::Span;
pub use syntax::Limits;

/// The examples of README.md, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
