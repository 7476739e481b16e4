//! The model: what a policy means.
//!
//! `build` resolves names against the vocabularies, checks units, ranges and
//! duplicates, and merges `defaults` into every team. Every later layer reads
//! [`Policy`] and never the syntax tree. No IO, no queueing maths.

pub(crate) mod build;
pub mod custom;
pub(crate) mod norms;
pub(crate) mod policy;
pub mod units;
pub mod vocab;

pub(crate) use build::{build, build_owned, is_kebab};
pub use norms::Norms;
pub use policy::*;
