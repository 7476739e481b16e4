//! The staffing figures of one team: the glue between the model and the
//! pure queueing functions, and the only file of `analysis` that reads a
//! `Team`. It reads values only, never spans.

use super::erlang::{self, ErlangC};
use super::erlang_a::{self, ErlangA};
use super::{authority, exact};
use crate::model::units::{Ratio, Seconds};
use crate::model::vocab::{Channel, Metric, Promise};
use crate::model::{Norms, Team};
use crate::num::Rational;
use std::sync::OnceLock;

/// Above this offered load (Erlangs) a team is not analysed: no support
/// operation is that large, and the work must stay bounded on hostile input.
pub const MAX_LOAD: f64 = 1e6;

/// Above this, Erlang A's shape (servers or load times patience over handle
/// time) is not analysed: it would take seconds, and means customers wait
/// a thousand handle times before giving up.
const MAX_ERLANG_A_SHAPE: f64 = 1e9;

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

/// What a queue's lazily computed figures are computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Inputs {
    servers: Option<u64>,
    handle_s: f64,
    patience_s: Option<f64>,
    /// Threshold and target share of the service level, if stated.
    goal: Option<(f64, f64)>,
    concurrency: u32,
    shrinkage: Rational,
}

/// The queueing figures at one handle time. The achieved figures are
/// computed at once; speed of answer and the agents needed, which cost more
/// and are wanted only by some findings and by `analyze`, are computed on
/// first use and kept.
#[derive(Debug, Clone)]
pub struct Queue {
    /// The handle time.
    pub handle_time: Seconds,
    /// Offered load in Erlangs, exact.
    pub load: Rational,
    /// Whether the queue is stable (always, with patience).
    pub stable: bool,
    /// Share of contacts that wait.
    pub waiting: f64,
    /// Share answered within the service-level threshold, if one is stated.
    pub service_level: Option<f64>,
    /// Share of servers' time busy with contacts.
    pub occupancy: Option<f64>,
    /// Share of contacts that abandon (with `patience` only).
    pub abandonment: Option<f64>,
    inputs: Inputs,
    speed: OnceLock<Option<f64>>,
    required: OnceLock<Option<u64>>,
}

impl PartialEq for Queue {
    fn eq(&self, other: &Self) -> bool {
        (
            self.handle_time,
            self.load,
            self.stable,
            self.waiting,
            self.service_level,
            self.occupancy,
            self.abandonment,
            self.inputs,
        ) == (
            other.handle_time,
            other.load,
            other.stable,
            other.waiting,
            other.service_level,
            other.occupancy,
            other.abandonment,
            other.inputs,
        )
    }
}

impl Queue {
    /// Average speed of answer of answered contacts, in seconds; `None`
    /// without agents or for an unstable queue.
    pub fn speed_of_answer(&self) -> Option<f64> {
        *self.speed.get_or_init(|| {
            let servers = self.inputs.servers?;
            let h = self.inputs.handle_s;
            match self.inputs.patience_s {
                Some(p) => {
                    let threshold = self.inputs.goal.map_or(0.0, |(t, _)| t);
                    ErlangA::new(servers, self.load.to_f64(), h, p, threshold).speed_of_answer
                }
                None => ErlangC::new(servers, self.load).map(|c| c.speed_of_answer(h)),
            }
        })
    }

    /// Fewest servers meeting the service level; `None` without one, or for
    /// a target of 100%.
    pub fn required_servers(&self) -> Option<u64> {
        *self.required.get_or_init(|| {
            let (threshold, target) = self.inputs.goal?;
            if self.load.is_zero() {
                return Some(0);
            }
            match self.inputs.patience_s {
                Some(p) => erlang_a::required_servers(self.load.to_f64(), self.inputs.handle_s, p, threshold, target),
                None => erlang::required_servers(self.load, self.inputs.handle_s, threshold, target),
            }
        })
    }

    /// Fewest productive agents meeting the service level: servers in whole
    /// agents of `concurrency` slots.
    pub fn required_productive(&self) -> Option<u64> {
        self.required_servers().map(|s| s.div_ceil(u64::from(self.inputs.concurrency.max(1))))
    }

    /// Fewest scheduled agents meeting the service level, shrinkage added back.
    pub fn required_scheduled(&self) -> Option<u64> {
        self.required_productive().and_then(|p| exact::scheduled_for(p, self.inputs.shrinkage))
    }
}

/// The staffing figures of a team.
#[derive(Debug, Clone, PartialEq)]
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
    /// Figures at the planned handle time.
    pub planned: Option<Queue>,
    /// Figures at the honest handle time.
    pub honest: Option<Queue>,
    /// Why the queue was not analysed, when it was not.
    pub not_analysed: Option<String>,
    /// The first-contact-resolution ceiling the authority allows.
    pub max_first_contact_resolution: Ratio,
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
            planned: None,
            honest: None,
            not_analysed: None,
            max_first_contact_resolution: authority::max_first_contact_resolution(team),
        };
        if let (Some(arrivals), Some((planned, _)), Some((honest, _))) =
            (arrival_per_hour, planned_handle_time, honest_handle_time)
        {
            figures.planned = figures.queue(team, arrivals, planned);
            figures.honest =
                if honest == planned { figures.planned.clone() } else { figures.queue(team, arrivals, honest) };
        }
        figures
    }

    fn queue(&mut self, team: &Team, arrivals: Rational, handle: Seconds) -> Option<Queue> {
        let load = exact::offered_load(arrivals, handle.secs())?;
        let load_f = load.to_f64();
        if load_f.is_nan() || load_f > MAX_LOAD {
            self.not_analysed = Some(format!(
                "an offered load of {load_f:.0} Erlangs is beyond the {MAX_LOAD:.0} the analysis supports"
            ));
            return None;
        }
        let h = handle.secs().to_f64();
        let sl =
            team.service_level.as_ref().map(|s| (s.value.within.secs().to_f64(), s.value.share.fraction().to_f64()));
        let threshold = sl.map_or(0.0, |(t, _)| t);
        let patience = team.patience.as_ref().map(|p| p.value.secs().to_f64());
        if let Some(p) = patience {
            let shape = (load_f.max(self.servers.unwrap_or(0) as f64)) * p / h;
            if shape > MAX_ERLANG_A_SHAPE {
                self.not_analysed = Some("patience is too long against the handle time to analyse abandonment".into());
                return None;
            }
        }
        let inputs = Inputs {
            servers: self.servers,
            handle_s: h,
            patience_s: patience,
            goal: sl,
            concurrency: self.concurrency,
            shrinkage: self.shrinkage.fraction(),
        };
        let mut queue = Queue {
            handle_time: handle,
            load,
            stable: true,
            waiting: 0.0,
            service_level: None,
            occupancy: None,
            abandonment: None,
            inputs,
            speed: OnceLock::new(),
            required: OnceLock::new(),
        };
        if let Some(servers) = self.servers {
            match patience {
                Some(p) => {
                    let waiting = erlang_a::figures_without_speed(servers, load_f, h, p, threshold);
                    queue.waiting = waiting.waiting;
                    queue.abandonment = Some(waiting.abandonment);
                    queue.service_level = sl.map(|_| waiting.service_level);
                    queue.occupancy =
                        (servers > 0).then(|| (load_f * (1.0 - waiting.abandonment) / servers as f64).min(1.0));
                }
                None => match ErlangC::new(servers, load) {
                    Some(c) => {
                        queue.waiting = c.waiting;
                        queue.service_level = sl.map(|_| c.service_level(threshold, h));
                        queue.occupancy = Some(load_f / servers as f64);
                    }
                    None => {
                        // Unstable: everyone waits, the wait grows without bound,
                        // and every server is always busy.
                        queue.stable = false;
                        queue.waiting = 1.0;
                        queue.service_level = sl.map(|_| 0.0);
                        queue.occupancy = (servers > 0).then_some(1.0);
                    }
                },
            }
        }
        Some(queue)
    }
}
