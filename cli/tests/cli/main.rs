//! The `supportlint` binary as users and CI pipelines run it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod ci;
mod common;
mod fix;
mod fmt;
mod formats;
mod governance;
mod hostile;
mod lsp;
mod nvim;
mod policy_tests;
mod report;
mod run;
mod service;
