//! Analysis: queueing figures, as pure functions over numbers.
//!
//! `exact` decides what must not round (offered load, shrinkage, stability),
//! `erlang` is the M/M/N queue (Erlang B and C), `erlang_a` the queue with
//! abandonment, `gamma` the special functions it needs. Nothing here knows
//! about spans, files or diagnostics.

pub mod erlang;
pub mod erlang_a;
pub mod exact;
pub mod gamma;
