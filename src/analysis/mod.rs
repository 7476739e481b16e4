//! Analysis: queueing figures, as pure functions over numbers.
//!
//! `exact` decides what must not round (offered load, shrinkage, stability),
//! `erlang` is the M/M/N queue (Erlang B and C), `erlang_a` the queue with
//! abandonment, `gamma` the special functions it needs: these are pure
//! functions over numbers. `team` and `authority` apply them to a team of
//! the model, reading its values but never its spans. Nothing here knows
//! about files or diagnostics.

pub mod authority;
pub mod erlang;
pub mod erlang_a;
pub mod exact;
pub mod gamma;
pub mod team;

pub use team::{Queue, TeamFigures};
