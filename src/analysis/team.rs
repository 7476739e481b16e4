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

/// The queueing figures at one handle time.
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// Average speed of answer (of answered contacts), in seconds.
    pub speed_of_answer: Option<f64>,
    /// Share of servers' time busy with contacts.
    pub occupancy: Option<f64>,
    /// Share of contacts that abandon (with `patience` only).
    pub abandonment: Option<f64>,
    /// Fewest servers meeting the service level.
    pub required_servers: Option<u64>,
    /// Fewest productive agents meeting the service level.
    pub required_productive: Option<u64>,
    /// Fewest scheduled agents meeting the service level.
    pub required_scheduled: Option<u64>,
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
            figures.honest = if honest == planned { figures.planned } else { figures.queue(team, arrivals, honest) };
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
        let mut queue = Queue {
            handle_time: handle,
            load,
            stable: true,
            waiting: 0.0,
            service_level: None,
            speed_of_answer: None,
            occupancy: None,
            abandonment: None,
            required_servers: None,
            required_productive: None,
            required_scheduled: None,
        };
        if let Some(servers) = self.servers {
            match patience {
                Some(p) => {
                    let a = ErlangA::new(servers, load_f, h, p, threshold);
                    queue.waiting = a.waiting;
                    queue.abandonment = Some(a.abandonment);
                    queue.service_level = sl.map(|_| a.service_level);
                    queue.speed_of_answer = a.speed_of_answer;
                    queue.occupancy = (servers > 0).then(|| (load_f * (1.0 - a.abandonment) / servers as f64).min(1.0));
                }
                None => match ErlangC::new(servers, load) {
                    Some(c) => {
                        queue.waiting = c.waiting;
                        queue.service_level = sl.map(|_| c.service_level(threshold, h));
                        queue.speed_of_answer = Some(c.speed_of_answer(h));
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
        if let Some((threshold, target)) = sl {
            queue.required_servers = if load.is_zero() {
                Some(0)
            } else {
                match patience {
                    Some(p) => erlang_a::required_servers(load_f, h, p, threshold, target),
                    None => erlang::required_servers(load, h, threshold, target),
                }
            };
            queue.required_productive = queue.required_servers.map(|s| s.div_ceil(u64::from(self.concurrency.max(1))));
            queue.required_scheduled =
                queue.required_productive.and_then(|p| exact::scheduled_for(p, self.shrinkage.fraction()));
        }
        Some(queue)
    }
}
