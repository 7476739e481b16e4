//! The staffing plan (RULES.md "Staffing plan (v2)"): the fewest scheduled
//! agents at which every condition of [`QueueModel::conditions`] is met,
//! each condition's own minimum, and the demand headroom of a staffing
//! (issue 15). Each condition only improves as servers are added, so the
//! plan is the largest of the minima and "every condition met" is itself
//! monotone. The searches cost O(N) recurrence steps: without `patience`
//! one upward walk of the Erlang B recurrence serves every target at once;
//! with it, bisections of O(log N) evaluations of O(√A) each (one on "every
//! condition met" for the plan). Every decision goes through
//! [`QueueModel::met`], the judgement the rules use.

use std::fmt;

use super::conditions::{Condition, NotComputed, QueueModel, TargetKind, erlang_c_figure};
use super::erlang::{self, step_servers};
use super::exact;
use crate::num::Rational;

/// A staffing in the three counts the analysis uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staffing {
    /// Servers (productive agents times concurrency) the condition needs.
    pub servers: u64,
    /// Productive agents: the servers in whole agents.
    pub productive: u64,
    /// Scheduled agents: the productive ones with shrinkage added back,
    /// `ceil(productive / (1 - shrinkage))` exactly.
    pub scheduled: u64,
}

/// Why there is no staffing plan, or no minimum for one condition. Its
/// `Display` is a clause a finding can quote ("no number of agents meets
/// it: ...").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoPlan {
    /// Shrinkage is 100%: no scheduled agent is ever productive.
    FullShrinkage,
    /// A 100% service level: some contacts always arrive together.
    FullServiceLevel,
    /// A 0s ceiling on the speed of answer.
    ZeroAnswerTime,
    /// A 0% ceiling on abandonment.
    ZeroAbandonment,
    /// A 0% occupancy ceiling with work to do.
    ZeroOccupancyCeiling,
    /// The search passed its bound of servers ([`erlang::search_bound`]).
    BeyondBound {
        /// The bound.
        servers: u64,
    },
    /// The scheduled agents needed cannot be represented.
    TooManyAgents,
    /// The Erlang figures are not computed.
    NotComputed(NotComputed),
}

impl fmt::Display for NoPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoPlan::FullShrinkage => f.write_str("a shrinkage of 100% leaves no agent to take contacts"),
            NoPlan::FullServiceLevel => {
                f.write_str("a 100% service level cannot be met by any number of agents: contacts arrive together")
            }
            NoPlan::ZeroAnswerTime => f.write_str("a 0s speed of answer cannot be met while any contact waits"),
            NoPlan::ZeroAbandonment => f.write_str("a 0% abandonment cannot be met while any contact waits"),
            NoPlan::ZeroOccupancyCeiling => f.write_str("an occupancy ceiling of 0% leaves no time for contacts"),
            NoPlan::BeyondBound { servers } => write!(f, "no staffing up to {servers} servers meets it"),
            NoPlan::TooManyAgents => f.write_str("the agents needed are too many to count"),
            NoPlan::NotComputed(why) => why.fmt(f),
        }
    }
}

/// The fewest agents meeting one condition alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimum {
    /// The condition.
    pub condition: Condition,
    /// The fewest servers, productive and scheduled agents meeting it.
    pub staffing: Result<Staffing, NoPlan>,
}

/// The staffing plan at one handle time.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct StaffingPlan {
    /// The fewest agents meeting every condition at once: the largest of
    /// the conditions' own minima.
    pub plan: Result<Staffing, NoPlan>,
    /// The condition that decides it: the first one a server fewer fails
    /// (in [`QueueModel::first_unmet`] order). `None` without a plan, or
    /// when the plan needs no server.
    pub binding: Option<Condition>,
}

impl StaffingPlan {
    /// The plan's scheduled agents, if there is a plan.
    pub fn scheduled(&self) -> Option<u64> {
        self.plan.as_ref().ok().map(|s| s.scheduled)
    }
}

/// The smallest `n` in `lo..=hi` with `met(n)`, for a `met` that stays true
/// once true; `None` when it does not hold at `hi`. Bisection,
/// O(log(hi - lo)) calls.
fn smallest(
    mut lo: u64,
    mut hi: u64,
    mut met: impl FnMut(u64) -> Result<bool, NotComputed>,
) -> Result<Option<u64>, NotComputed> {
    if met(lo)? {
        return Ok(Some(lo));
    }
    if !met(hi)? {
        return Ok(None);
    }
    // Invariant: `met(lo)` is false, `met(hi)` true.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if met(mid)? { hi = mid } else { lo = mid }
    }
    Ok(Some(hi))
}

/// Why a target can never be met, if so.
fn unreachable(kind: TargetKind) -> NoPlan {
    match kind {
        TargetKind::ServiceLevel { .. } => NoPlan::FullServiceLevel,
        TargetKind::SpeedOfAnswer { .. } => NoPlan::ZeroAnswerTime,
        TargetKind::Abandonment { .. } => NoPlan::ZeroAbandonment,
    }
}

/// The fewest servers meeting each condition of `model`, in
/// [`QueueModel::conditions`] order.
pub fn min_servers(model: &QueueModel) -> Vec<(Condition, Result<u64, NoPlan>)> {
    min_servers_of(model, model.conditions())
}

/// The fewest servers meeting each of `conditions` alone, in their order.
pub fn min_servers_of(model: &QueueModel, conditions: Vec<Condition>) -> Vec<(Condition, Result<u64, NoPlan>)> {
    let computable = model.computable().map_err(NoPlan::NotComputed);
    let load = model.load_f64();
    let bound = erlang::search_bound(load);
    let mut found: Vec<Option<Result<u64, NoPlan>>> = vec![None; conditions.len()];
    for (slot, condition) in found.iter_mut().zip(&conditions) {
        *slot = match *condition {
            Condition::Stability => {
                Some(u64::try_from(model.load.floor().max(0) + 1).map_err(|_| NoPlan::TooManyAgents))
            }
            Condition::Occupancy => Some(occupancy_minimum(model)),
            Condition::Target(t) if !t.reachable() => Some(Err(unreachable(t.kind))),
            Condition::Target(_) => computable.err().map(Err),
        };
    }
    if computable.is_ok() {
        match model.patience_s {
            None => {
                // One upward walk for every target: each candidate costs one
                // recurrence step, and the figures are those `met` computes.
                let mut open = found.iter().filter(|f| f.is_none()).count();
                if open > 0 {
                    step_servers(model.load, |n, c| {
                        for (slot, condition) in found.iter_mut().zip(&conditions) {
                            if let (None, Condition::Target(t)) = (&slot, condition)
                                && t.met_by(erlang_c_figure(t.kind, &c, model.handle_s))
                            {
                                *slot = Some(Ok(n));
                                open -= 1;
                            }
                        }
                        open > 0
                    });
                }
            }
            Some(_) => {
                // Above the bound nobody waits and every reachable target is met.
                for (slot, condition) in found.iter_mut().zip(&conditions) {
                    if slot.is_none() {
                        *slot = match smallest(0, bound + 1, |n| model.met(*condition, n)) {
                            Ok(Some(n)) => Some(Ok(n)),
                            Ok(None) => None,
                            Err(why) => Some(Err(NoPlan::NotComputed(why))),
                        };
                    }
                }
            }
        }
    }
    conditions
        .into_iter()
        .zip(found)
        .map(|(c, f)| (c, f.unwrap_or(Err(NoPlan::BeyondBound { servers: bound }))))
        .collect()
}

/// The fewest servers keeping the offered load over the servers at or below
/// the ceiling: `ceil(A / ceiling)`, exactly.
fn offered_occupancy_minimum(model: &QueueModel) -> Result<u64, NoPlan> {
    if model.load.is_zero() {
        return Ok(0);
    }
    let ceiling = model.occupancy_ceiling.fraction();
    if ceiling <= Rational::ZERO {
        return Err(NoPlan::ZeroOccupancyCeiling);
    }
    let servers = model.load.checked_div(ceiling).ok_or(NoPlan::TooManyAgents)?.ceil();
    u64::try_from(servers).map_err(|_| NoPlan::TooManyAgents)
}

/// The fewest servers keeping occupancy at or below the ceiling: exactly
/// [`offered_occupancy_minimum`] without `patience`; with it, a bisection
/// on the carried load below that.
fn occupancy_minimum(model: &QueueModel) -> Result<u64, NoPlan> {
    let offered = offered_occupancy_minimum(model)?;
    if model.patience_s.is_none() || offered == 0 {
        return Ok(offered);
    }
    // Carried load is below offered load, so one more server than the
    // offered minimum meets the ceiling even after float rounding.
    let hi = offered.checked_add(1).ok_or(NoPlan::TooManyAgents)?;
    match smallest(1, hi, |n| model.occupancy_met(n)) {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err(NoPlan::BeyondBound { servers: hi }),
        Err(why) => Err(NoPlan::NotComputed(why)),
    }
}

/// Scheduled agents for `servers` servers: whole agents of `concurrency`
/// slots, then shrinkage added back exactly.
pub fn staffing_for(model: &QueueModel, servers: u64) -> Result<Staffing, NoPlan> {
    let productive = servers.div_ceil(u64::from(model.concurrency.max(1)));
    match exact::scheduled_for(productive, model.shrinkage) {
        Some(scheduled) => Ok(Staffing { servers, productive, scheduled }),
        None if model.shrinkage >= Rational::ONE => Err(NoPlan::FullShrinkage),
        None => Err(NoPlan::TooManyAgents),
    }
}

/// The fewest agents meeting `condition` alone.
pub fn minimum(model: &QueueModel, condition: Condition) -> Result<Staffing, NoPlan> {
    let (_, servers) = min_servers_of(model, vec![condition]).into_iter().next().unwrap_or((condition, Ok(0)));
    staffing_for(model, servers?)
}

/// The staffing plan of `model`. Without `patience` it is the largest of
/// the minima of [`min_servers`] (one recurrence walk); with it, one
/// bisection on "every condition met", which only becomes true as servers
/// are added, so it lands on the same number with a fraction of the
/// evaluations.
pub fn plan(model: &QueueModel) -> StaffingPlan {
    match plan_servers(model) {
        Ok((servers, binding)) => StaffingPlan { plan: staffing_for(model, servers), binding },
        Err(why) => StaffingPlan { plan: Err(why), binding: None },
    }
}

/// The plan's servers and the condition that decides them.
fn plan_servers(model: &QueueModel) -> Result<(u64, Option<Condition>), NoPlan> {
    if model.shrinkage >= Rational::ONE {
        return Err(NoPlan::FullShrinkage);
    }
    if let Some(t) = model.targets.iter().find(|t| !t.reachable()) {
        return Err(unreachable(t.kind));
    }
    model.computable().map_err(NoPlan::NotComputed)?;
    if model.patience_s.is_none() {
        let mut minima = min_servers(model);
        let most = minima.iter().try_fold(0, |most, (_, servers)| Ok(most.max((*servers)?)))?;
        // What a server fewer fails first, in `first_unmet` order.
        minima.sort_by_key(|(c, _)| !matches!(c, Condition::Stability));
        let binding = minima.iter().find(|(_, s)| most > 0 && *s == Ok(most)).map(|(c, _)| *c);
        return Ok((most, binding));
    }
    // Above both bounds every target and the occupancy ceiling are met.
    let occupancy = offered_occupancy_minimum(model)?.checked_add(1).ok_or(NoPlan::TooManyAgents)?;
    let hi = (erlang::search_bound(model.load_f64()) + 1).max(occupancy);
    match smallest(0, hi, |n| Ok(model.first_unmet(n)?.is_none())) {
        Ok(Some(0)) => Ok((0, None)),
        Ok(Some(n)) => Ok((n, model.first_unmet(n - 1).map_err(NoPlan::NotComputed)?)),
        Ok(None) => Err(NoPlan::BeyondBound { servers: hi }),
        Err(why) => Err(NoPlan::NotComputed(why)),
    }
}

/// The plan of `model` with demand grown by `percent`%.
pub fn plan_at_growth(model: &QueueModel, percent: u32) -> Result<Staffing, NoPlan> {
    let factor = Rational::new(100 + i128::from(percent), 100).ok_or(NoPlan::TooManyAgents)?;
    let load = model.load.checked_mul(factor).ok_or(NoPlan::NotComputed(NotComputed::Unrepresentable))?;
    plan(&model.at_load(load)).plan
}

/// The most demand growth the headroom search looks at: 1,000,000%
/// (in tenths of a percent).
pub const MAX_HEADROOM_TENTHS: u64 = 10_000_000;

/// How much more demand a staffing absorbs.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Headroom {
    /// The largest growth, in tenths of a percent (123 is 12.3%), at which
    /// every condition still holds, rounded down; 0 when one fails today.
    pub tenths: u64,
    /// The condition that fails first, a tenth of a percent beyond;
    /// `None` when none fails up to [`MAX_HEADROOM_TENTHS`] or up to the
    /// largest load the figures are computed for.
    pub limit: Option<Condition>,
}

impl Headroom {
    /// The growth in percent, with one decimal.
    pub fn percent(&self) -> f64 {
        self.tenths as f64 / 10.0
    }
}

/// The demand headroom of `servers` servers on `model` (whose load is the
/// demand today): the largest growth g, in tenths of a percent, such that
/// at demand x (1 + g/1000) every condition is still met. Each condition
/// only worsens as demand grows, so a bisection over the tenths finds it in
/// at most 24 evaluations. `Err` when today's figures are not computed.
pub fn demand_headroom(model: &QueueModel, servers: u64) -> Result<Headroom, NotComputed> {
    model.computable()?;
    if let Some(failing) = model.first_unmet(servers)? {
        return Ok(Headroom { tenths: 0, limit: Some(failing) });
    }
    let grown = |tenths: u64| -> Option<QueueModel> {
        let factor = Rational::new(1000 + i128::from(tenths), 1000)?;
        Some(model.at_load(model.load.checked_mul(factor)?))
    };
    // `None`: the figures at that growth are not computed.
    let first_unmet = |tenths: u64| -> Option<Option<Condition>> { grown(tenths)?.first_unmet(servers).ok() };
    let mut hi = MAX_HEADROOM_TENTHS;
    if model.patience_s.is_none() {
        // Stability fails once the load reaches the servers:
        // at growth 1000 (servers / load - 1) tenths.
        let stable_until = Rational::new(i128::from(servers), 1)
            .and_then(|n| n.checked_div(model.load))
            .and_then(|r| r.checked_sub(Rational::ONE))
            .and_then(|r| r.checked_mul(Rational::from_int(1000)))
            .map(|r| r.ceil());
        if let Some(t) = stable_until.and_then(|t| u64::try_from(t.max(1)).ok()) {
            hi = hi.min(t);
        }
    }
    let mut lo = 0;
    if first_unmet(hi) == Some(None) {
        return Ok(Headroom { tenths: hi, limit: None });
    }
    // Invariant: every condition holds at `lo`, not at `hi` (or the figures
    // there are not computed).
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if first_unmet(mid) == Some(None) { lo = mid } else { hi = mid }
    }
    Ok(Headroom { tenths: lo, limit: first_unmet(hi).flatten() })
}
