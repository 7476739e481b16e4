//! The numbers a finding quotes, recorded as [`crate::diagnostic::Figure`]s:
//! one helper per unit family, so that every rule converts the same way
//! (percent as 85.0, durations in seconds) and no name is recorded twice on
//! one finding (the first value stays: the one the message quotes).
//!
//! The names are listed in docs/output.md; the same quantity has the same
//! name in every rule.

use crate::Diagnostic;
use crate::diagnostic::Figure;
use crate::model::units::Value;
use crate::num::Rational;

/// Adds `value` under `name` unless the finding already carries `name`.
pub(crate) fn number(finding: Diagnostic, name: &'static str, value: f64) -> Diagnostic {
    if finding.figure_value(name).is_some() { finding } else { finding.figure(name, value) }
}

/// A duration given in seconds.
pub(crate) fn seconds(finding: Diagnostic, name: &'static str, secs: Rational) -> Diagnostic {
    number(finding, name, secs.to_f64())
}

/// A share given as a fraction of one, recorded in percent.
pub(crate) fn percent(finding: Diagnostic, name: &'static str, fraction: Rational) -> Diagnostic {
    number(finding, name, hundredfold(fraction))
}

/// A share computed in floating point, as a fraction of one, in percent.
pub(crate) fn percent_f64(finding: Diagnostic, name: &'static str, fraction: f64) -> Diagnostic {
    number(finding, name, fraction * 100.0)
}

/// A count of agents, servers or contacts.
pub(crate) fn count(finding: Diagnostic, name: &'static str, n: u64) -> Diagnostic {
    #[allow(clippy::cast_precision_loss)] // counts in findings are far below 2^53
    number(finding, name, n as f64)
}

/// Names for one quantity in each unit a metric value can have: seconds,
/// percent, a score on its scale, or a plain number.
pub(crate) struct ValueNames {
    pub seconds: &'static str,
    pub percent: &'static str,
    pub score: &'static str,
    pub number: &'static str,
}

/// A metric value under the name for its unit: a duration in seconds, a
/// ratio in percent, a score as written (4.5 of `4.5/5`), a number as is.
pub(crate) fn value(finding: Diagnostic, names: &ValueNames, value: Value) -> Diagnostic {
    let figure = value_figure(names, value);
    number(finding, figure.name, figure.value)
}

/// The figure [`value`] adds, for rules that gather figures before the
/// finding exists.
pub(crate) fn value_figure(names: &ValueNames, value: Value) -> Figure {
    match value {
        Value::Duration(s) => Figure { name: names.seconds, value: s.secs().to_f64() },
        Value::Ratio(r) => Figure { name: names.percent, value: hundredfold(r.fraction()) },
        Value::Score(s) => Figure { name: names.score, value: s.value.to_f64() },
        Value::Number(n) => Figure { name: names.number, value: n.to_f64() },
    }
}

/// Adds each of `figures` (see [`number`]).
pub(crate) fn all(finding: Diagnostic, figures: &[Figure]) -> Diagnostic {
    figures.iter().fold(finding, |finding, f| number(finding, f.name, f.value))
}

/// A fraction of one in percent, scaled exactly where it fits, so 88.84%
/// stays 88.84 and not 88.84000000000001.
fn hundredfold(fraction: Rational) -> f64 {
    fraction.checked_mul(Rational::from_int(100)).map_or(fraction.to_f64() * 100.0, Rational::to_f64)
}

/// The upper end of a metric's range that a target (or cap) sets.
pub(crate) const CEILING: ValueNames = ValueNames {
    seconds: "ceiling_seconds",
    percent: "ceiling_percent",
    score: "ceiling_score",
    number: "ceiling_number",
};

/// The lower end of a metric's range that a target (or floor) sets.
pub(crate) const FLOOR: ValueNames =
    ValueNames { seconds: "floor_seconds", percent: "floor_percent", score: "floor_score", number: "floor_number" };

/// A phrase of a message with the figures it quotes, for rules that build
/// the phrase before the finding.
pub(crate) type Quoted = (String, Vec<Figure>);
