//! supportlint reads support-operations policy files and proves where they
//! contradict themselves: a three-minute handle-time ceiling beside a promise
//! of thorough service, a first-contact-resolution target the agents'
//! authority cannot reach, orders from two levels of leadership that pull
//! against each other.
//!
//! The API is small: build a [`Checker`], give it a [`Source`], read the
//! [`Diagnostic`]s of the [`FileReport`]. Nothing in the library does IO or
//! panics on user input.
//!
//! ```
//! use supportlint::{Checker, Source, Severity};
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
//! assert_eq!(finding.code, "K001");
//! assert_eq!(finding.severity, Severity::Error);
//! assert_eq!(finding.team.as_deref(), Some("Consumer Care"));
//! assert!(finding.message.contains("but a thorough phone contact takes at least 6m"));
//! ```
//!
//! A configuration (`supportlint.yaml` text) is read without IO with
//! [`engine::config::Config::from_yaml`] and applied with
//! [`Checker::with_config`]; the [`report`] module renders a report as JSON,
//! SARIF, GitLab Code Quality, JUnit XML, Markdown or one line per finding.
//! [`testing`] checks a policy's `# expect:` markers against its findings.
//!
//! ```
//! use supportlint::engine::config::Config;
//! use supportlint::{Checker, Source};
//!
//! let yaml = Source::new("supportlint.yaml", "rules:\n  kpi: warning\n");
//! let config = Config::from_yaml(&yaml)?;
//! let checker = Checker::new().with_config(&config)?;
//! let policy = Source::new("care.policy", "team \"Care\" { channel phone\n target handle_time <= 3m\n promise thorough }");
//! let report = checker.check(&policy);
//! assert_eq!(report.diagnostics[0].severity, supportlint::Severity::Warning);
//! println!("{}", supportlint::report::sarif::log(&[report]));
//! # Ok::<(), supportlint::engine::config::ConfigError>(())
//! ```
//!
//! [`format()`] lays a policy out in the canonical style of `supportlint fmt`.
//!
//! The layers, each a module, point one way: [`syntax`] (text to tree),
//! [`model`] (meaning), [`rules`] (findings), [`engine`] (running them) and
//! [`report`] (rendering). ARCHITECTURE.md in the repository is the map.

// pest without its `std` feature (and so without a stack probe on every
// rule call: `syntax::scan` bounds nesting before pest runs) names `alloc`.
extern crate alloc;

pub mod analysis;
pub mod diagnostic;
pub mod engine;
pub mod escape;
pub mod fix;
pub mod format;
pub mod model;
pub mod num;
pub mod report;
pub mod rules;
pub mod source;
pub mod span;
mod suggest;
pub mod syntax;
pub mod testing;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Suppression, SuppressionKind};
pub use engine::{Checker, FileReport, ParsedPolicy};
pub use format::format;
pub use rules::{Context, Rule, RuleMeta};
pub use source::Source;
pub use span::Span;

/// The examples of README.md, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
