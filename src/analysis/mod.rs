//! Analysis: queueing figures, as pure functions over numbers.
//!
//! `exact` decides what must not round (offered load, shrinkage, stability),
//! `erlang` is the M/M/N queue (Erlang B and C), `erlang_a` the queue with
//! abandonment, `gamma` the special functions it needs: these are pure
//! functions over numbers. `conditions` holds a team's queue targets, the
//! occupancy ceiling and stability, with the one judgement of each that
//! rules, plan and headroom share; `plan` finds the fewest agents meeting
//! them all and the demand growth a staffing absorbs. `team` and
//! `authority` apply them to a team of the model, reading its values but
//! never its spans. Nothing here knows about files or diagnostics.

pub(crate) mod authority;
pub(crate) mod conditions;
pub mod erlang;
pub mod erlang_a;
pub mod exact;
pub(crate) mod gamma;
pub mod plan;
pub(crate) mod team;

pub use authority::*;
pub use conditions::{Condition, NotComputed, QueueModel, QueueTarget, TargetKind};
pub use plan::{Headroom, Minimum, NoPlan, Staffing, StaffingPlan};
pub use team::*;
