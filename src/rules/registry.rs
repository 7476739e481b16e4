//! The one table of every rule. To add a rule, write its file, then add it
//! to `BUILTIN` below.

use super::authority::*;
use super::front_end::*;
use super::kpi::*;
use super::leadership::*;
use super::practice::*;
use super::staffing::*;
use super::{Rule, RuleMeta};
use crate::model::vocab::closest;

/// Every built-in rule, in code order.
static BUILTIN: &[&dyn Rule] = &[
    &HandleTimeBelowPromise,
    &ContradictoryTargets,
    &VolumeOverResolution,
    &SpeedWithoutResolution,
    &WeightsNot100,
    &ProductivityBelowPromise,
    &OccupancyTargetAboveCeiling,
    &UnstableQueue,
    &ServiceLevelUnreachable,
    &StaffingForcesRush,
    &OccupancyBurnout,
    &MissingShrinkage,
    &ConcurrencyOverload,
    &QueueTargetUnreachable,
    &AuthorityGap,
    &OwnershipWithoutAuthority,
    &ApprovalBottleneck,
    &ConflictingDirectives,
    &DirectiveAgainstScorecard,
    &TargetAgainstDirective,
    &ScriptsAgainstPersonalization,
    &OneOffTraining,
    &ResilienceTrainingMissing,
    &HiringForFriendliness,
    &TrainingOverProcess,
];

/// Diagnostics that are not rules but have codes and documentation.
static OTHER: &[RuleMeta] = &[
    SyntaxError::META,
    UnknownName::META,
    UnitMismatch::META,
    OutOfRange::META,
    Duplicate::META,
    MissingFact::META,
    CurrencyMismatch::META,
    LimitExceeded::META,
    UnusedAllow::META,
    UnknownRule::META,
    InvalidConfig::META,
    ExpiredAllow::META,
    AllowNotPermitted::META,
];

/// The built-in rules.
pub fn builtin() -> &'static [&'static dyn Rule] {
    BUILTIN
}

/// Every code with documentation: front-end errors, built-in rules and
/// suppression checks, in code order.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    let (front, suppression) = OTHER.split_at(OTHER.iter().take_while(|m| m.code.starts_with('E')).count());
    front.iter().chain(BUILTIN.iter().map(|r| r.meta())).chain(suppression)
}

/// The result of looking a rule up by name or code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Found.
    Found(&'static RuleMeta),
    /// Not found; the closest name, if any is close.
    Unknown(Option<&'static str>),
}

/// The rule with this kebab-case name or code (`one-off-training`,
/// `P002`), without suggesting anything when there is none.
pub fn find(reference: &str) -> Option<&'static RuleMeta> {
    metas().find(|m| m.name == reference || m.code.eq_ignore_ascii_case(reference))
}

/// Looks a rule up by kebab-case name or code (`one-off-training`, `P002`),
/// with the closest name or code when there is no such rule.
pub fn lookup(reference: &str) -> Lookup {
    match find(reference) {
        Some(meta) => Lookup::Found(meta),
        None => Lookup::Unknown(closest(reference, metas().flat_map(|m| [m.code, m.name]))),
    }
}
