//! Leadership: what each level asks for, against each other and against
//! the scorecard.

mod conflicting_directives;
mod directive_against_scorecard;
mod target_against_directive;

pub use conflicting_directives::ConflictingDirectives;
pub use directive_against_scorecard::DirectiveAgainstScorecard;
pub use target_against_directive::TargetAgainstDirective;
