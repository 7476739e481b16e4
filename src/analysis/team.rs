//! The staffing figures of one team: the glue between the model and the
//! pure queueing functions, and the only file of `analysis` that reads a
//! `Team`. It reads values only, never spans.

use super::conditions::{self, Condition, NotComputed, QueueModel, QueueTarget, TargetKind};
use super::plan::{self, Headroom, Minimum, NoPlan, Staffing, StaffingPlan};
use super::{authority, exact};
use crate::model::units::{Ratio, Seconds};
use crate::model::vocab::{Channel, EmotionalLoad, Metric, Promise};
use crate::model::{Norms, Team};
use crate::num::Rational;
use std::sync::OnceLock;

pub use super::conditions::{MAX_ERLANG_A_SHAPE, MAX_LOAD};

/// The demand growths, in percent, at which `analyze` quotes the plan.
pub const DEMAND_GROWTHS: [u32; 2] = [10, 25];

/// The planned handle time and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planned {
    /// The lowest upper bound among targets and `cap` directives.
    Ceiling,
    /// The channel's typical handle time (no upper bound stated).
    Typical,
    /// The typical time raised to the highest lower bound of a target.
    RaisedToLowerBound,
}

/// A value computed on first use and kept; equal to any other, so the
/// figures compare by what they were computed from.
#[derive(Debug, Clone)]
struct Cache<T>(OnceLock<T>);

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache(OnceLock::new())
    }
}

impl<T> Cache<T> {
    fn get(&self, init: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(init)
    }
}

impl<T> PartialEq for Cache<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A queue target and how the team's staffing fares against it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct TargetStatus {
    /// The target.
    pub target: QueueTarget,
    /// The modelled figure it is judged on (a share, or seconds for the
    /// speed of answer); `None` when there is none to judge (an unstable
    /// queue without `patience`, no contact answered), without staffing,
    /// or when the figures are not computed.
    pub figure: Option<f64>,
    /// Whether the staffing meets it; `None` without staffing, or when the
    /// figures are not computed.
    pub met: Option<bool>,
}

/// The queueing figures at one handle time. The exact figures (load,
/// stability, offered occupancy) are always computed; the Erlang figures
/// unless [`Queue::not_computed`] says why not. The speed of answer, the
/// targets' judgements and the staffing plan, which cost more and are
/// wanted only by some findings and by `analyze`, are computed on first use
/// and kept.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Queue {
    /// The handle time.
    pub handle_time: Seconds,
    /// Offered load in Erlangs, exact.
    pub load: Rational,
    /// Whether servers exceed the load, exactly (always, with patience).
    /// Without staffing, `true`.
    pub stable: bool,
    /// Share of contacts that wait; `None` without staffing or when not
    /// computed.
    pub waiting: Option<f64>,
    /// Share answered within the service-level threshold, if one is stated
    /// (0 for an unstable queue).
    pub service_level: Option<f64>,
    /// Share of servers' time busy with contacts, as S004 judges it: the
    /// offered load (at most all of it), or with `patience` the carried load,
    /// over the servers.
    pub occupancy: Option<f64>,
    /// Offered load over servers, exactly; `None` without servers.
    pub offered_occupancy: Option<Rational>,
    /// Share of contacts that abandon (with `patience` only).
    pub abandonment: Option<f64>,
    /// Why the Erlang figures were not computed, when they were not.
    pub not_computed: Option<NotComputed>,
    /// The queue without its staffing, which every judgement reads.
    pub model: QueueModel,
    servers: Option<u64>,
    speed: Cache<Option<f64>>,
    minima: Vec<(Condition, Cache<Result<Staffing, NoPlan>>)>,
    targets: Cache<Vec<TargetStatus>>,
    plan: Cache<StaffingPlan>,
}

impl Queue {
    /// The servers the figures are for (productive agents times
    /// concurrency); `None` without `agents`.
    pub fn servers(&self) -> Option<u64> {
        self.servers
    }

    /// Mean wait of answered contacts in seconds (contacts answered at once
    /// count with no wait); `None` without agents, for an unstable queue
    /// without `patience`, or when not computed.
    pub fn speed_of_answer(&self) -> Option<f64> {
        *self.speed.get(|| self.model.speed_of_answer(self.servers?).ok().flatten())
    }

    /// Each queue target and whether the staffing meets it, in
    /// the order of the team's statements (the service level first).
    pub fn targets(&self) -> &[TargetStatus] {
        self.targets.get(|| {
            self.model
                .targets
                .iter()
                .map(|&target| match self.figure(target.kind) {
                    Some(figure) => TargetStatus { target, figure, met: Some(target.met_by(figure)) },
                    None => TargetStatus { target, figure: None, met: None },
                })
                .collect()
        })
    }

    /// The figure a target of `kind` is judged on at the team's staffing,
    /// as [`QueueModel::figure`] computes it, from the figures already
    /// computed; `None` without staffing or when not computed.
    fn figure(&self, kind: TargetKind) -> Option<Option<f64>> {
        let servers = self.servers?;
        if self.not_computed.is_some() && self.stable {
            return None;
        }
        if !self.stable {
            // Unstable without patience: nothing to judge, decided exactly.
            return Some(None);
        }
        Some(match kind {
            // At the team's threshold: a team has one service level.
            TargetKind::ServiceLevel { .. } => self.service_level,
            TargetKind::SpeedOfAnswer { .. } if servers == 0 => None,
            TargetKind::SpeedOfAnswer { .. } => self.speed_of_answer(),
            TargetKind::Abandonment { .. } => self.abandonment,
        })
    }

    /// The status of the queue target of `team.targets[index]`, or of the
    /// service level for `None`.
    pub fn target(&self, index: Option<usize>) -> Option<&TargetStatus> {
        self.targets().iter().find(|t| t.target.target == index)
    }

    /// Whether the staffing meets every queue target; `None` without
    /// staffing or when not computed. True for a team without targets.
    pub fn all_targets_met(&self) -> Option<bool> {
        self.targets().iter().try_fold(true, |all, t| Some(all && t.met?))
    }

    /// Whether occupancy is at or below the team's ceiling (exactly on the
    /// offered load without `patience`); `None` without staffing or when not
    /// computed.
    pub fn occupancy_met(&self) -> Option<bool> {
        self.model.occupancy_met(self.servers?).ok()
    }

    /// The first condition of the plan the staffing does not meet (targets,
    /// occupancy, stability); `Some(None)` when it meets all, `None` without
    /// staffing or when not computed.
    pub fn first_unmet(&self) -> Option<Option<Condition>> {
        self.model.first_unmet(self.servers?).ok()
    }

    /// The staffing plan at this handle time.
    pub fn plan(&self) -> &StaffingPlan {
        self.plan.get(|| plan::plan(&self.model))
    }

    /// The fewest agents meeting `condition` alone, for a condition of
    /// [`QueueModel::conditions`] (`None` for any other).
    pub fn minimum(&self, condition: Condition) -> Option<Result<Staffing, NoPlan>> {
        let (_, cache) = self.minima.iter().find(|(c, _)| *c == condition)?;
        Some(*cache.get(|| plan::minimum(&self.model, condition)))
    }

    /// Each condition's own minimum, in [`QueueModel::conditions`] order.
    pub fn minima(&self) -> Vec<Minimum> {
        self.minima
            .iter()
            .filter_map(|(condition, _)| Some(Minimum { condition: *condition, staffing: self.minimum(*condition)? }))
            .collect()
    }

    /// The fewest servers meeting the service level alone; `None` without
    /// one, for a 100% target, or when not computed.
    pub fn required_servers(&self) -> Option<u64> {
        self.service_level_minimum().map(|s| s.servers)
    }

    /// Fewest productive agents meeting the service level: servers in whole
    /// agents of `concurrency` slots.
    pub fn required_productive(&self) -> Option<u64> {
        self.service_level_minimum().map(|s| s.productive)
    }

    /// Fewest scheduled agents meeting the service level, shrinkage added back.
    pub fn required_scheduled(&self) -> Option<u64> {
        self.service_level_minimum().map(|s| s.scheduled)
    }

    fn service_level_minimum(&self) -> Option<Staffing> {
        let sl = *self.model.targets.first().filter(|t| t.target.is_none())?;
        self.minimum(Condition::Target(sl))?.ok()
    }
}

/// The staffing figures of a team.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TeamFigures {
    /// The channel.
    pub channel: Option<Channel>,
    /// Contacts per hour in the busiest interval.
    pub arrival_per_hour: Option<Rational>,
    /// The planned handle time and how it was chosen.
    pub planned_handle_time: Option<(Seconds, Planned)>,
    /// The honest handle time and the promise that raised it, if any.
    pub honest_handle_time: Option<(Seconds, Option<Promise>)>,
    /// Scheduled agents.
    pub scheduled: Option<u64>,
    /// Shrinkage (0% when not stated).
    pub shrinkage: Ratio,
    /// Productive agents after shrinkage.
    pub productive: Option<u64>,
    /// Contacts one agent holds at once.
    pub concurrency: u32,
    /// Productive agents times concurrency.
    pub servers: Option<u64>,
    /// The occupancy ceiling in force: `max_occupancy`, or
    /// `max_occupancy_high_load` for `emotional_load high`.
    pub occupancy_ceiling: Ratio,
    /// Figures at the planned handle time (with demand and a channel).
    pub planned: Option<Queue>,
    /// Figures at the honest handle time.
    pub honest: Option<Queue>,
    /// Why some figures were not computed, when they were not (the planned
    /// handle time's reason first).
    pub not_computed: Option<NotComputed>,
    /// The first-contact-resolution ceiling the authority allows.
    pub max_first_contact_resolution: Ratio,
    headroom: Cache<Option<Headroom>>,
    at_demand: Cache<Vec<(u32, Result<Staffing, NoPlan>)>>,
}

/// The planned handle time (RULES.md): the lowest upper bound on
/// `handle_time` among targets and `cap` directives; without one, the
/// channel's typical time raised to the highest lower bound of a target.
pub fn planned_handle_time(team: &Team, norms: &Norms) -> Option<(Seconds, Planned)> {
    let channel = team.channel.as_ref()?.value;
    let lowest = team.ceilings(Metric::HandleTime).iter().map(|c| c.end.value.axis()).min();
    if let Some(lowest) = lowest {
        return Some((Seconds(lowest), Planned::Ceiling));
    }
    let typical = norms.typical(channel);
    let highest_floor =
        team.targets_on(Metric::HandleTime).filter_map(|t| t.bound.lower()).map(|e| e.value.axis()).max();
    match highest_floor {
        Some(floor) if floor > typical.secs() => Some((Seconds(floor), Planned::RaisedToLowerBound)),
        _ => Some((typical, Planned::Typical)),
    }
}

/// The honest handle time: the planned one raised to the highest
/// `handle_time_floor` of the team's promises on its channel.
pub fn honest_handle_time(team: &Team, norms: &Norms) -> Option<(Seconds, Option<Promise>)> {
    let (planned, _) = planned_handle_time(team, norms)?;
    let channel = team.channel.as_ref()?.value;
    let floor = team.promises.iter().filter_map(|p| norms.floor(p.value, channel).map(|f| (f, p.value))).max();
    Some(match floor {
        Some((floor, promise)) if floor > planned => (floor, Some(promise)),
        _ => (planned, None),
    })
}

impl TeamFigures {
    /// The figures of a team that is not analysed (a front-end error touches
    /// it): nothing computed, at no cost.
    pub fn unanalysed() -> TeamFigures {
        TeamFigures {
            channel: None,
            arrival_per_hour: None,
            planned_handle_time: None,
            honest_handle_time: None,
            scheduled: None,
            shrinkage: Ratio(Rational::ZERO),
            productive: None,
            concurrency: 1,
            servers: None,
            occupancy_ceiling: Ratio(Rational::ONE),
            planned: None,
            honest: None,
            not_computed: None,
            max_first_contact_resolution: Ratio(Rational::ONE),
            headroom: Cache::default(),
            at_demand: Cache::default(),
        }
    }

    /// Computes the figures of `team` under `norms`.
    pub fn of(team: &Team, norms: &Norms) -> TeamFigures {
        let channel = team.channel.as_ref().map(|c| c.value);
        let concurrency = team.concurrency.as_ref().map_or(1, |c| c.value);
        let shrinkage = team.shrinkage.as_ref().map_or(Ratio(Rational::ZERO), |s| s.value);
        let scheduled = team.agents.as_ref().map(|a| a.value);
        let productive = scheduled.and_then(|s| exact::productive_agents(s, shrinkage.fraction()));
        let servers = productive.and_then(|p| p.checked_mul(u64::from(concurrency)));
        let planned_handle_time = planned_handle_time(team, norms);
        let honest_handle_time = honest_handle_time(team, norms);
        let arrival_per_hour = team.demand.as_ref().map(|d| d.value.0);
        let high_load = team.emotional_load.as_ref().is_some_and(|l| l.value == EmotionalLoad::High);
        let occupancy_ceiling = if high_load { norms.max_occupancy_high_load } else { norms.max_occupancy };
        let mut figures = TeamFigures {
            channel,
            arrival_per_hour,
            planned_handle_time,
            honest_handle_time,
            scheduled,
            shrinkage,
            productive,
            concurrency,
            servers,
            occupancy_ceiling,
            planned: None,
            honest: None,
            not_computed: None,
            max_first_contact_resolution: authority::max_first_contact_resolution(team),
            headroom: Cache::default(),
            at_demand: Cache::default(),
        };
        if let (Some(arrivals), Some((planned, _)), Some((honest, _))) =
            (arrival_per_hour, planned_handle_time, honest_handle_time)
        {
            figures.planned = figures.queue(team, arrivals, planned);
            figures.honest =
                if honest == planned { figures.planned.clone() } else { figures.queue(team, arrivals, honest) };
            figures.not_computed = [&figures.planned, &figures.honest]
                .into_iter()
                .flatten()
                .find_map(|q| q.not_computed)
                .or(figures.not_computed);
        }
        figures
    }

    /// The demand growth the staffing absorbs at the planned handle time
    /// before a condition of the plan fails (see [`plan::demand_headroom`]):
    /// 0 when one fails today. `None` without demand or agents, with zero
    /// demand, or when the figures are not computed.
    pub fn headroom(&self) -> Option<Headroom> {
        *self.headroom.get(|| {
            let (q, servers) = (self.planned.as_ref()?, self.servers?);
            if q.load.is_zero() {
                return None;
            }
            plan::demand_headroom(&q.model, servers).ok()
        })
    }

    /// The plan at the planned handle time with demand grown by each of
    /// [`DEMAND_GROWTHS`]; empty without demand.
    pub fn plans_at_demand(&self) -> &[(u32, Result<Staffing, NoPlan>)] {
        self.at_demand.get(|| {
            let Some(q) = self.planned.as_ref() else { return Vec::new() };
            DEMAND_GROWTHS.iter().map(|&g| (g, plan::plan_at_growth(&q.model, g))).collect()
        })
    }

    fn queue(&mut self, team: &Team, arrivals: Rational, handle: Seconds) -> Option<Queue> {
        let Some(load) = exact::offered_load(arrivals, handle.secs()) else {
            self.not_computed = Some(NotComputed::Unrepresentable);
            return None;
        };
        let model = QueueModel {
            load,
            handle_s: handle.secs().to_f64(),
            patience_s: team.patience.as_ref().map(|p| p.value.secs().to_f64()),
            targets: conditions::queue_targets(team),
            occupancy_ceiling: self.occupancy_ceiling,
            concurrency: self.concurrency,
            shrinkage: self.shrinkage.fraction(),
        };
        let servers = self.servers;
        let minima = model.conditions().into_iter().map(|c| (c, Cache::default())).collect();
        let mut queue = Queue {
            handle_time: handle,
            load,
            stable: servers.is_none_or(|n| model.stable(n)),
            waiting: None,
            service_level: None,
            occupancy: None,
            offered_occupancy: servers.and_then(|n| model.offered_occupancy(n)),
            abandonment: None,
            not_computed: model.computable().err(),
            servers,
            model,
            speed: Cache::default(),
            minima,
            targets: Cache::default(),
            plan: Cache::default(),
        };
        let Some(servers) = servers else { return Some(queue) };
        let sl = team.service_level.as_ref().map(|s| s.value.within);
        let m = &queue.model;
        match m.patience_s {
            Some(_) => {
                let within = sl.unwrap_or(Seconds(Rational::ZERO));
                if let Ok(Some((a, occupancy))) = m.erlang_a_figures(servers, within) {
                    queue.waiting = Some(a.waiting);
                    queue.abandonment = Some(a.abandonment);
                    queue.service_level = sl.map(|_| a.service_level);
                    queue.occupancy = occupancy;
                }
            }
            None => {
                // The exact occupancy stands whatever the load.
                queue.occupancy = m.occupancy(servers).ok().flatten();
                if !queue.stable {
                    // Everyone waits, the wait grows without bound, and no
                    // contact is answered in time.
                    queue.waiting = Some(1.0);
                    queue.service_level = sl.map(|_| 0.0);
                } else if queue.not_computed.is_none()
                    && let Some(c) = super::erlang::ErlangC::new(servers, load)
                {
                    queue.waiting = Some(c.waiting);
                    queue.service_level = sl.map(|t| c.service_level(t.secs().to_f64(), m.handle_s));
                }
            }
        }
        Some(queue)
    }
}
