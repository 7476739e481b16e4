//! The integration tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod analysis;
mod bounds;
mod embedding;
mod errors;
mod figures;
mod fixes;
mod format;
mod governance;
mod harness;
mod hostile;
mod ide;
mod language;
mod plan;
mod policies;
mod public_api;
mod recovery;
mod rules;
