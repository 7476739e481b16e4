//! Report: renders diagnostics for people and machines. Formats only; the
//! caller decides where the text goes.

pub mod analysis;
pub mod baseline;
pub mod fingerprint;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rules;
pub mod sarif;
pub mod suppressions;
pub mod text;
