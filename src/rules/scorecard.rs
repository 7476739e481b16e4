//! What several rules share: which targets are speed/volume pressure, the
//! weighted scorecard, and the phrases findings use for bounds and levels.

use crate::model::policy::{End, Level, Target};
use crate::model::vocab::{Metric, MetricClass};
use crate::num::Rational;

/// Whether a target pushes for speed or volume: an upper bound on
/// handle time, speed of answer or abandonment, or a lower bound on
/// contacts per hour, occupancy or adherence. A ceiling on occupancy or a
/// floor on handle time protects rather than pressures.
pub fn is_pressure(target: &Target) -> bool {
    match target.metric {
        Metric::HandleTime | Metric::SpeedOfAnswer | Metric::Abandonment => target.bound.upper().is_some(),
        Metric::ContactsPerHour | Metric::Occupancy | Metric::Adherence => target.bound.lower().is_some(),
        _ => false,
    }
}

/// Whether a target measures resolution or quality.
pub fn is_outcome(target: &Target) -> bool {
    matches!(target.metric.class(), MetricClass::Resolution | MetricClass::Quality)
}

/// A target's weight (0 when it has none).
pub fn weight(target: &Target) -> Rational {
    target.weight.map_or(Rational::ZERO, |w| w.fraction())
}

/// The weighted scorecard of a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scorecard {
    /// Summed weight of speed/volume pressure targets.
    pub pressure: Rational,
    /// Summed weight of resolution/quality targets.
    pub outcome: Rational,
}

impl Scorecard {
    /// The scorecard of `targets`, or `None` when no target has a weight
    /// above 0% (a team without a scorecard).
    pub fn of<'a>(targets: impl IntoIterator<Item = &'a Target>) -> Option<Scorecard> {
        let mut card = Scorecard { pressure: Rational::ZERO, outcome: Rational::ZERO };
        let mut weighted = false;
        for t in targets {
            let w = weight(t);
            weighted |= w > Rational::ZERO;
            if is_pressure(t) {
                card.pressure = card.pressure.checked_add(w).unwrap_or(card.pressure);
            } else if is_outcome(t) {
                card.outcome = card.outcome.checked_add(w).unwrap_or(card.outcome);
            }
        }
        weighted.then_some(card)
    }
}

/// "at most 3m", "under 3m", "at least 70%", "over 70%".
pub fn upper_phrase(end: End) -> String {
    if end.inclusive { format!("at most {}", end.value) } else { format!("under {}", end.value) }
}

/// "at least 70%", "over 70%".
pub fn lower_phrase(end: End) -> String {
    if end.inclusive { format!("at least {}", end.value) } else { format!("over {}", end.value) }
}

/// " (set by the director)" for targets with `set_by`.
pub fn set_by(target: &Target) -> String {
    target.set_by.as_ref().map_or(String::new(), |l| format!(" (set by the {})", l.name))
}

/// "the executive, who ranks higher", "the manager, who ranks lower", or
/// "the same level" for comparing two levels in a message.
pub fn rank_note(first: &Level, second: &Level) -> String {
    if first.outranks(second) {
        format!("the {} ranks above the {}", first.name, second.name)
    } else if second.outranks(first) {
        format!("the {} ranks above the {}", second.name, first.name)
    } else {
        format!("both come from the {} level", first.name)
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
