//! The one table of every rule. To add a rule, write its file, then add it
//! to `BUILTIN` below.

use super::authority::*;
use super::front_end::*;
use super::kpi::*;
use super::leadership::*;
use super::practice::*;
use super::staffing::*;
use super::{Category, Rule, RuleMeta};
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

/// The rules one checker knows: every built-in code (front-end errors,
/// built-in rules, suppression checks) and the rules registered from Rust.
/// Names and codes are looked up here wherever a rule is named: levels in
/// code and configuration, `allow`, output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    registered: Vec<&'static RuleMeta>,
}

/// Why a rule could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The code or the name is already another rule's.
    #[error("the rule {code} `{name}` takes the {what} of {other}: codes and names identify one rule each")]
    Taken {
        /// The new rule's code.
        code: &'static str,
        /// The new rule's name.
        name: &'static str,
        /// `code` or `name`.
        what: &'static str,
        /// The rule that has it.
        other: &'static str,
    },
    /// The code or name is empty, or the name is not kebab-case, or the
    /// category is `syntax`, which only the front end reports.
    #[error("the rule {code} `{name}` cannot be registered: {why}")]
    Invalid {
        /// The rule's code.
        code: &'static str,
        /// The rule's name.
        name: &'static str,
        /// What is wrong.
        why: &'static str,
    },
}

impl Catalog {
    /// Every rule: the built-in codes in code order, then the registered
    /// rules in the order they were registered.
    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        metas().chain(self.registered.iter().copied())
    }

    /// The registered rules.
    pub fn registered(&self) -> &[&'static RuleMeta] {
        &self.registered
    }

    /// Adds a rule from Rust, refusing one whose code or name is taken.
    pub fn register(&mut self, meta: &'static RuleMeta) -> Result<(), RuleError> {
        let invalid = |why| RuleError::Invalid { code: meta.code, name: meta.name, why };
        if meta.code.is_empty() || meta.code.chars().any(|c| c.is_whitespace()) {
            return Err(invalid("its code is empty or holds white space"));
        }
        if !crate::model::is_kebab(meta.name) {
            return Err(invalid("its name is not kebab-case (`[a-z][a-z0-9-]*`)"));
        }
        if meta.category == Category::Syntax {
            return Err(invalid("the `syntax` category is the front end's"));
        }
        for other in self.metas() {
            for (what, taken) in [("code", other.code), ("name", other.name)] {
                if taken.eq_ignore_ascii_case(meta.code) || taken == meta.name {
                    return Err(RuleError::Taken { code: meta.code, name: meta.name, what, other: other.code });
                }
            }
        }
        self.registered.push(meta);
        Ok(())
    }

    /// The rule with this name or code.
    pub fn find(&self, reference: &str) -> Option<&'static RuleMeta> {
        self.metas().find(|m| m.is(reference))
    }

    /// Looks a rule up by name or code, with the closest name or code of any
    /// rule the catalog knows when there is none.
    pub fn lookup(&self, reference: &str) -> Lookup {
        match self.find(reference) {
            Some(meta) => Lookup::Found(meta),
            None => Lookup::Unknown(closest(reference, self.metas().flat_map(|m| [m.code, m.name]))),
        }
    }

    /// The category of the rule with `code`; anything unknown is a rule of
    /// a policy (`custom`).
    pub fn category_of(&self, code: &str) -> Category {
        self.find(code).map_or(Category::Custom, |m| m.category)
    }
}
