use crate::model::policy::{End, Target};
use crate::model::vocab::Metric;
use crate::rules::figures::{CEILING, FLOOR, value};
use crate::rules::fixes::remove;
use crate::rules::scorecard::{lower_phrase, rank_note, set_by, upper_phrase};
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a metric whose targets in force for a team, its own and those
    /// from `defaults`, admit no common value: `handle_time <= 3m` with
    /// `handle_time >= 5m`, or `between 4m and 6m` with `< 4m`.
    ///
    /// ## Why is this bad?
    /// A team cannot meet both. Such pairs usually come from different levels
    /// of leadership setting targets on the same metric without talking to
    /// each other, one of the management habits that destroys support
    /// performance: whichever target the agents chase, they miss the other.
    ///
    /// ## Example
    /// ```text
    /// defaults { target handle_time <= 3m set_by executive }
    /// team "Care" { channel phone  target handle_time >= 5m set_by manager }
    /// ```
    ///
    /// ## How to fix
    /// Agree on one range at the level that ranks higher, and remove or widen
    /// the other target.
    pub struct ContradictoryTargets {
        code: "K002",
        name: "contradictory-targets",
        category: Kpi,
        severity: Error,
        norms: [],
    }
}

/// The tightest upper end: the smallest value; an exclusive end is tighter
/// than an inclusive one at the same value.
fn tighter_upper(a: End, b: End) -> bool {
    let (x, y) = (a.value.axis(), b.value.axis());
    x < y || (x == y && !a.inclusive && b.inclusive)
}

fn tighter_lower(a: End, b: End) -> bool {
    let (x, y) = (a.value.axis(), b.value.axis());
    x > y || (x == y && !a.inclusive && b.inclusive)
}

/// Whether `target` should carry the primary label rather than `other`:
/// the one set by the lower level, else the later statement.
fn more_likely_to_change(target: &Target, other: &Target) -> bool {
    match (&target.set_by, &other.set_by) {
        (Some(a), Some(b)) if a.rank != b.rank => a.rank > b.rank,
        _ => target.span > other.span,
    }
}

impl Rule for ContradictoryTargets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &metric in Metric::ALL {
            let mut upper: Option<(&Target, End)> = None;
            let mut lower: Option<(&Target, End)> = None;
            for target in cx.team.targets_on(metric) {
                if let Some(end) = target.bound.upper()
                    && upper.is_none_or(|(_, best)| tighter_upper(end, best))
                {
                    upper = Some((target, end));
                }
                if let Some(end) = target.bound.lower()
                    && lower.is_none_or(|(_, best)| tighter_lower(end, best))
                {
                    lower = Some((target, end));
                }
            }
            let (Some((ceiling, high)), Some((floor, low))) = (upper, lower) else { continue };
            let (h, l) = (high.value.axis(), low.value.axis());
            let empty = h < l || (h == l && !(high.inclusive && low.inclusive));
            if !empty || std::ptr::eq(ceiling, floor) {
                continue;
            }
            let ceiling_text = format!("{}{}{}", upper_phrase(high), set_by(ceiling), cx.from(ceiling.origin));
            let floor_text = format!("{}{}{}", lower_phrase(low), set_by(floor), cx.from(floor.origin));
            let (primary, primary_text, secondary, secondary_text) = if more_likely_to_change(ceiling, floor) {
                (ceiling, ceiling_text, floor, floor_text)
            } else {
                (floor, floor_text, ceiling, ceiling_text)
            };
            let mut help = format!("agree on one range for `{metric}` and widen or remove one of the targets");
            if let (Some(a), Some(b)) = (&ceiling.set_by, &floor.set_by) {
                help = format!("{help}; {}", rank_note(a, b));
            }
            let finding = cx.finding(
                &Self::META,
                format!("`{metric}` must be {} and {}: no value meets both", upper_phrase(high), lower_phrase(low)),
            );
            let finding = value(value(finding, &CEILING, high.value), &FLOOR, low.value);
            out.push(
                finding
                    .primary(primary.span, primary_text)
                    .secondary(secondary.span, secondary_text)
                    .help(help)
                    .fix(remove(format!("remove {}", cx.quote(primary.span)), cx, primary.span)),
            );
        }
    }
}
