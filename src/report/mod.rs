//! Report: renders diagnostics for people and machines. Formats only; the
//! caller decides where the text goes.

pub mod analysis;
pub mod human;
pub mod rules;
