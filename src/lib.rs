//! supportlint reads support-operations policy files and proves where they
//! contradict themselves.

pub mod diagnostic;
pub mod engine;
pub mod model;
pub mod num;
pub mod report;
pub mod rules;
pub mod source;
pub mod span;
pub mod syntax;

pub use diagnostic::{Diagnostic, Severity};
pub use engine::{Checker, FileReport};
pub use source::Source;
pub use span::Span;
