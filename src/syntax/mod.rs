//! Syntax: text to a spanned syntax tree.
//!
//! `parse` never panics and never fails without a diagnostic. Parsing stops
//! at the first syntax error (pest does); lowering then collects every
//! problem it can see in literals and limits. This layer knows nothing of
//! vocabularies, units or rules.

pub mod ast;
mod cursor;
mod expected;
mod fast;
pub(crate) mod limits;
mod lower;
mod parse;
mod scan;
mod split;

#[cfg(fuzzing)]
#[doc(hidden)]
pub use fast::agrees as fast_path_agrees;
pub use limits::Limits;
pub use parse::{Parsed, parse, parse_value};
pub(crate) use split::TEAM_STATEMENTS;
