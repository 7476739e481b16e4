//! The conditions a team's staffing must meet, and the one judgement of
//! each: its queue targets (RULES.md "Queue targets (v2)"), the occupancy
//! ceiling and, without `patience`, stability. The rules, the staffing plan
//! and the demand headroom all judge through [`QueueModel::met`], so a
//! finding and the plan can never disagree. Pure functions over numbers:
//! no spans, no diagnostics.

use std::fmt;

use super::erlang::{self, ErlangC};
use super::erlang_a::{self, ErlangA};
use super::exact;
use crate::model::Team;
use crate::model::units::{Ratio, Seconds};
use crate::model::vocab::Metric;
use crate::num::Rational;

/// Above this offered load (Erlangs) the Erlang figures are not computed:
/// no support operation is that large, and the work must stay bounded on
/// hostile input. The exact figures (load, stability, occupancy) still are.
pub const MAX_LOAD: f64 = 1e6;

/// Above this, Erlang A's shape (the offered load times patience over
/// handle time) is not computed. Its figures cost O(√shape) each and a plan
/// or headroom search takes dozens of them, so the bound keeps a hostile
/// file of many teams fast; real queues stay far below it (10,000 Erlangs
/// with customers patient for a hundred handle times).
pub const MAX_ERLANG_A_SHAPE: f64 = 1e6;

/// Why the Erlang figures of a queue were not computed. The exact figures
/// (offered load, stability, offered occupancy) are computed regardless.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NotComputed {
    /// The offered load is above [`MAX_LOAD`].
    LoadTooLarge {
        /// The offered load in Erlangs.
        erlangs: f64,
    },
    /// Patience is so long against the handle time that Erlang A's shape is
    /// above [`MAX_ERLANG_A_SHAPE`].
    PatienceTooLong {
        /// Patience over handle time.
        patience_over_handle_time: f64,
    },
    /// Demand times handle time cannot be represented exactly.
    Unrepresentable,
}

impl fmt::Display for NotComputed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotComputed::LoadTooLarge { erlangs } => write!(
                f,
                "an offered load of {erlangs:.0} Erlangs is beyond the {MAX_LOAD:.0} the queueing model is computed for"
            ),
            NotComputed::PatienceTooLong { patience_over_handle_time } => write!(
                f,
                "a patience of {patience_over_handle_time:.0} handle times is too long against the load to model abandonment"
            ),
            NotComputed::Unrepresentable => f.write_str("demand times handle time is too large to compute"),
        }
    }
}

/// What a queue target bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetKind {
    /// `service_level SHARE within THRESHOLD`: met when the share answered
    /// within the threshold is at least `share` (less 1e-9).
    ServiceLevel {
        /// The target share.
        share: Ratio,
        /// The answer threshold.
        within: Seconds,
    },
    /// An upper bound on `speed_of_answer`, judged on the modelled mean wait
    /// of answered contacts (Erlang C's average speed of answer without
    /// `patience`).
    SpeedOfAnswer {
        /// The ceiling (the upper end of the bound).
        ceiling: Seconds,
    },
    /// An upper bound on `abandonment` (only with `patience`), judged on the
    /// modelled share of offered contacts that abandon.
    Abandonment {
        /// The ceiling (the upper end of the bound).
        ceiling: Ratio,
    },
}

/// One queue target of a team.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueTarget {
    /// The index of its `target` in `Team::targets`; `None` for the
    /// service level.
    pub target: Option<usize>,
    /// What it bounds.
    pub kind: TargetKind,
}

/// The queue targets of `team`, the service level first, then its
/// `target`s in statement order: upper bounds on `speed_of_answer` (`<=`,
/// `<`, `=`, the upper end of `between`) and, when `patience` is stated, on
/// `abandonment`. Strict and inclusive bounds are the same target.
pub fn queue_targets(team: &Team) -> Vec<QueueTarget> {
    let mut targets: Vec<QueueTarget> = team
        .service_level
        .iter()
        .map(|s| QueueTarget {
            target: None,
            kind: TargetKind::ServiceLevel { share: s.value.share, within: s.value.within },
        })
        .collect();
    for (i, t) in team.targets.iter().enumerate() {
        let Some(upper) = t.bound.upper() else { continue };
        let kind = match t.metric {
            Metric::SpeedOfAnswer => TargetKind::SpeedOfAnswer { ceiling: Seconds(upper.value.axis()) },
            Metric::Abandonment if team.patience.is_some() => {
                TargetKind::Abandonment { ceiling: Ratio(upper.value.axis()) }
            }
            _ => continue,
        };
        targets.push(QueueTarget { target: Some(i), kind });
    }
    targets
}

impl QueueTarget {
    /// Whether `figure`, this target's modelled figure from
    /// [`QueueModel::figure`], meets it. `None` (an unstable queue, no
    /// contact answered) meets nothing. A 100% service level, a 0s answer
    /// time and a 0% abandonment are never met: any queue with arrivals
    /// makes some contact wait (a figure that rounds to them is within the
    /// 1e-9 that RULES.md lets either way).
    pub fn met_by(&self, figure: Option<f64>) -> bool {
        let Some(figure) = figure else { return false };
        match self.kind {
            TargetKind::ServiceLevel { share, .. } => {
                let share = share.fraction();
                share < Rational::ONE && erlang::meets(figure, share.to_f64())
            }
            TargetKind::SpeedOfAnswer { ceiling: Seconds(c) } | TargetKind::Abandonment { ceiling: Ratio(c) } => {
                c > Rational::ZERO && figure <= c.to_f64()
            }
        }
    }

    /// Whether some finite staffing can meet this target.
    pub fn reachable(&self) -> bool {
        match self.kind {
            TargetKind::ServiceLevel { share, .. } => share.fraction() < Rational::ONE,
            TargetKind::SpeedOfAnswer { ceiling: Seconds(c) } | TargetKind::Abandonment { ceiling: Ratio(c) } => {
                c > Rational::ZERO
            }
        }
    }
}

/// One condition of the staffing plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// A queue target.
    Target(QueueTarget),
    /// Occupancy at or below the team's ceiling (as S004 judges it).
    Occupancy,
    /// Without `patience`: more servers than the offered load, exactly.
    Stability,
}

/// A team's queue at one handle time, without its staffing: everything the
/// conditions are judged on. [`QueueModel::at_load`] gives the same queue
/// under another demand.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueModel {
    /// Offered load in Erlangs, exact.
    pub load: Rational,
    /// The handle time in seconds.
    pub handle_s: f64,
    /// Mean patience in seconds, when stated (Erlang A).
    pub patience_s: Option<f64>,
    /// The queue targets, in the order of RULES.md (the service level first).
    pub targets: Vec<QueueTarget>,
    /// The occupancy ceiling: `max_occupancy`, or `max_occupancy_high_load`
    /// for `emotional_load high`.
    pub occupancy_ceiling: Ratio,
    /// Contacts one agent holds at once (1 but on chat and social).
    pub concurrency: u32,
    /// Shrinkage as a fraction.
    pub shrinkage: Rational,
}

/// The figure `kind` is judged on in a stable queue without `patience`:
/// the one formula both [`QueueModel::figure`] and the plan's upward search
/// use.
pub(crate) fn erlang_c_figure(kind: TargetKind, c: &ErlangC, handle_s: f64) -> Option<f64> {
    match kind {
        TargetKind::ServiceLevel { within, .. } => Some(c.service_level(within.secs().to_f64(), handle_s)),
        TargetKind::SpeedOfAnswer { .. } => Some(c.speed_of_answer(handle_s)),
        TargetKind::Abandonment { .. } => None,
    }
}

/// Whether `servers` are above [`erlang::search_bound`] for `load`: then
/// nobody waits (Erlang B is below 1e-300), the figures are those of no
/// wait at all, and they cost nothing whatever the patience.
fn beyond_any_wait(servers: u64, load: f64) -> bool {
    servers > erlang::search_bound(load)
}

impl QueueModel {
    /// The offered load as an `f64`, for the Erlang formulas.
    pub fn load_f64(&self) -> f64 {
        self.load.to_f64()
    }

    /// Whether the Erlang figures can be computed, and why not.
    pub fn computable(&self) -> Result<(), NotComputed> {
        let load = self.load_f64();
        if load.is_nan() || load > MAX_LOAD {
            return Err(NotComputed::LoadTooLarge { erlangs: load });
        }
        if let Some(p) = self.patience_s {
            // The special functions cost O(√shape) near the load; far above
            // it they converge at once, and above the search bound they are
            // not evaluated at all (`beyond_any_wait`).
            let ratio = p / self.handle_s;
            if load * ratio > MAX_ERLANG_A_SHAPE {
                return Err(NotComputed::PatienceTooLong { patience_over_handle_time: ratio });
            }
        }
        Ok(())
    }

    /// The same queue with the offered load `load`.
    pub fn at_load(&self, load: Rational) -> QueueModel {
        QueueModel { load, ..self.clone() }
    }

    /// Without `patience`, whether `servers` exceed the load exactly; with
    /// it, always (abandonment keeps the queue finite).
    pub fn stable(&self, servers: u64) -> bool {
        self.patience_s.is_some() || exact::is_stable(servers, self.load)
    }

    /// Without `patience`, whether the queue at `servers` grows without
    /// bound: decided exactly, so judged even when the Erlang figures are
    /// not computed.
    fn unstable(&self, servers: u64) -> bool {
        !self.stable(servers)
    }

    /// Erlang A's abandonment at `servers`.
    fn abandonment_with(&self, servers: u64, patience: f64) -> f64 {
        let load = self.load_f64();
        if beyond_any_wait(servers, load) { 0.0 } else { erlang_a::abandonment(servers, load, self.handle_s, patience) }
    }

    /// The modelled figure `kind` is judged on, at `servers` servers: the
    /// share answered within the threshold (abandoned contacts count as
    /// missed), the mean wait of answered contacts in seconds, or the share
    /// abandoned. `None` when there is none to judge: without `patience` an
    /// unstable queue; no servers to answer; abandonment without `patience`.
    pub fn figure(&self, kind: TargetKind, servers: u64) -> Result<Option<f64>, NotComputed> {
        match kind {
            TargetKind::ServiceLevel { within, .. } => self.service_level(within, servers),
            TargetKind::SpeedOfAnswer { .. } => self.speed_of_answer(servers),
            TargetKind::Abandonment { .. } => self.abandonment(servers),
        }
    }

    /// The share of offered contacts answered within `within`; with
    /// `patience` abandoned contacts count as missed. `None` for an unstable
    /// queue without `patience`.
    pub fn service_level(&self, within: Seconds, servers: u64) -> Result<Option<f64>, NotComputed> {
        if self.unstable(servers) {
            return Ok(None);
        }
        self.computable()?;
        let (load, h, t) = (self.load_f64(), self.handle_s, within.secs().to_f64());
        Ok(match self.patience_s {
            None => ErlangC::new(servers, self.load).map(|c| c.service_level(t, h)),
            Some(_) if beyond_any_wait(servers, load) => Some(1.0),
            Some(p) => Some(erlang_a::service_level(servers, load, h, p, t)),
        })
    }

    /// The mean wait of answered contacts in seconds (contacts answered at
    /// once count with no wait): Erlang C's average speed of answer, or
    /// Erlang A's. `None` for an unstable queue without `patience`, or when
    /// no contact is answered (no servers).
    pub fn speed_of_answer(&self, servers: u64) -> Result<Option<f64>, NotComputed> {
        if self.unstable(servers) {
            return Ok(None);
        }
        self.computable()?;
        let (load, h) = (self.load_f64(), self.handle_s);
        Ok(match self.patience_s {
            None => ErlangC::new(servers, self.load).map(|c| c.speed_of_answer(h)),
            Some(_) if beyond_any_wait(servers, load) => Some(0.0),
            Some(p) => erlang_a::speed_of_answer(servers, load, h, p),
        })
    }

    /// The share of offered contacts that wait at all; `None` for an
    /// unstable queue without `patience` (where everyone waits for ever).
    pub fn waiting(&self, servers: u64) -> Result<Option<f64>, NotComputed> {
        if self.unstable(servers) {
            return Ok(None);
        }
        self.computable()?;
        let load = self.load_f64();
        Ok(match self.patience_s {
            None => ErlangC::new(servers, self.load).map(|c| c.waiting),
            Some(_) if beyond_any_wait(servers, load) => Some(0.0),
            Some(p) => Some(erlang_a::waiting(servers, load, self.handle_s, p)),
        })
    }

    /// The share of offered contacts that abandon; `None` without
    /// `patience`.
    pub fn abandonment(&self, servers: u64) -> Result<Option<f64>, NotComputed> {
        let Some(p) = self.patience_s else { return Ok(None) };
        self.computable()?;
        Ok(Some(self.abandonment_with(servers, p)))
    }

    /// Offered load over servers, exactly; `None` without servers.
    pub fn offered_occupancy(&self, servers: u64) -> Option<Rational> {
        if servers == 0 {
            return None;
        }
        self.load.checked_div(Rational::new(i128::from(servers), 1)?)
    }

    /// The occupancy S004 judges: offered load over servers (at most 1: an
    /// unstable queue keeps every server busy); with `patience`, the carried
    /// load (offered less abandoned) over servers. `None` without servers.
    pub fn occupancy(&self, servers: u64) -> Result<Option<f64>, NotComputed> {
        if servers == 0 {
            return Ok(None);
        }
        match self.patience_s {
            None => Ok(Some(self.carried_occupancy(servers, 0.0))),
            Some(p) => {
                self.computable()?;
                Ok(Some(self.carried_occupancy(servers, self.abandonment_with(servers, p))))
            }
        }
    }

    /// The load not lost to `abandonment`, over `servers` (at most 1).
    fn carried_occupancy(&self, servers: u64, abandonment: f64) -> f64 {
        (self.load_f64() / servers as f64 * (1.0 - abandonment)).min(1.0)
    }

    /// With `patience`, the waiting, abandonment and service level within
    /// `within` at `servers` in one pass, with the occupancy they imply:
    /// the same numbers [`QueueModel::waiting`], [`QueueModel::abandonment`],
    /// [`QueueModel::service_level`] and [`QueueModel::occupancy`] give one
    /// by one. `None` without `patience`.
    pub fn erlang_a_figures(
        &self,
        servers: u64,
        within: Seconds,
    ) -> Result<Option<(ErlangA, Option<f64>)>, NotComputed> {
        let Some(p) = self.patience_s else { return Ok(None) };
        self.computable()?;
        let load = self.load_f64();
        let figures = if beyond_any_wait(servers, load) {
            ErlangA { waiting: 0.0, abandonment: 0.0, service_level: 1.0, speed_of_answer: None }
        } else {
            erlang_a::figures_without_speed(servers, load, self.handle_s, p, within.secs().to_f64())
        };
        let occupancy = (servers > 0).then(|| self.carried_occupancy(servers, figures.abandonment));
        Ok(Some((figures, occupancy)))
    }

    /// Whether occupancy at `servers` is at or below the ceiling: exactly on
    /// the offered load without `patience`, on the carried load (a float)
    /// with it. No servers meet it only when there is no load.
    pub fn occupancy_met(&self, servers: u64) -> Result<bool, NotComputed> {
        if self.load.is_zero() {
            return Ok(true);
        }
        let ceiling = self.occupancy_ceiling.fraction();
        match self.patience_s {
            None => Ok(self.offered_occupancy(servers).is_some_and(|o| o <= ceiling)),
            Some(_) => Ok(self.occupancy(servers)?.is_some_and(|o| o <= ceiling.to_f64())),
        }
    }

    /// Whether `condition` is met at `servers` servers.
    pub fn met(&self, condition: Condition, servers: u64) -> Result<bool, NotComputed> {
        match condition {
            Condition::Stability => Ok(self.stable(servers)),
            Condition::Occupancy => self.occupancy_met(servers),
            Condition::Target(target) => {
                // Without patience an unstable queue meets no target; the
                // figure is `None` then.
                Ok(target.met_by(self.figure(target.kind, servers)?))
            }
        }
    }

    /// Every condition of the plan, in the order findings name them: the
    /// queue targets, the occupancy ceiling, then (without `patience`)
    /// stability.
    pub fn conditions(&self) -> Vec<Condition> {
        let mut all: Vec<Condition> = self.targets.iter().map(|&t| Condition::Target(t)).collect();
        all.push(Condition::Occupancy);
        if self.patience_s.is_none() {
            all.push(Condition::Stability);
        }
        all
    }

    /// The first condition not met at `servers`, or `None` when all are.
    /// Stability comes first: an unstable queue is the cause of every other
    /// failure (S001 silences S002-S004); then [`QueueModel::conditions`]
    /// order.
    pub fn first_unmet(&self, servers: u64) -> Result<Option<Condition>, NotComputed> {
        let mut conditions = self.conditions();
        conditions.sort_by_key(|c| !matches!(c, Condition::Stability));
        // With patience, the service level, abandonment and occupancy come
        // from one pass: the same numbers `met` computes one by one.
        let within = self.targets.iter().find_map(|t| match t.kind {
            TargetKind::ServiceLevel { within, .. } => Some(within),
            _ => None,
        });
        let joint = self.erlang_a_figures(servers, within.unwrap_or(Seconds(Rational::ZERO)))?;
        for condition in conditions {
            let met = match (condition, &joint) {
                (Condition::Occupancy, Some((_, occupancy))) => {
                    self.load.is_zero() || occupancy.is_some_and(|o| o <= self.occupancy_ceiling.fraction().to_f64())
                }
                (Condition::Target(t), Some((a, _))) => match t.kind {
                    TargetKind::ServiceLevel { .. } => t.met_by(Some(a.service_level)),
                    TargetKind::Abandonment { .. } => t.met_by(Some(a.abandonment)),
                    TargetKind::SpeedOfAnswer { .. } => self.met(condition, servers)?,
                },
                _ => self.met(condition, servers)?,
            };
            if !met {
                return Ok(Some(condition));
            }
        }
        Ok(None)
    }

    /// Servers for `productive` agents: times the concurrency.
    pub fn servers_for(&self, productive: u64) -> Option<u64> {
        productive.checked_mul(u64::from(self.concurrency.max(1)))
    }

    /// Servers for `scheduled` agents: shrinkage taken off (exactly), times
    /// the concurrency.
    pub fn servers_for_scheduled(&self, scheduled: u64) -> Option<u64> {
        self.servers_for(exact::productive_agents(scheduled, self.shrinkage)?)
    }
}
