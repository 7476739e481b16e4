use crate::diagnostic::Figure;
use crate::model::policy::{Bound, Directive, Intent, Level, Target};
use crate::model::units::Value;
use crate::model::vocab::{Metric, Promise};
use crate::rules::figures::{CEILING, FLOOR, Quoted, all, value_figure};
use crate::rules::fixes::retarget;
use crate::rules::scorecard::{lower_phrase, upper_phrase};
use crate::rules::{Context, Rule, RuleMeta};
use crate::syntax::ast::CmpOp;
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a target set by a lower level of leadership (`set_by`) that
    /// contradicts a directive of a strictly higher level: a handle-time
    /// bound entirely below the floor of a promise the higher level
    /// `require`s; a target entirely above a `cap`; a target entirely below a
    /// `floor`. `minimize` and `maximize` are aims and contradict no target;
    /// targets without `set_by` are not checked.
    ///
    /// ## Why is this bad?
    /// A manager's target that undoes an executive's direction puts agents
    /// between two levels: the scorecard says one thing, the organisation's
    /// stated direction another.
    ///
    /// ## Example
    /// ```text
    /// directive executive: require thorough
    /// target handle_time <= 3m set_by manager
    /// ```
    ///
    /// ## How to fix
    /// Bring the target within the direction of the higher level, or ask that
    /// level to change its directive.
    pub struct TargetAgainstDirective {
        code: "L003",
        name: "target-against-directive",
        category: Leadership,
        severity: Warning,
        norms: ["handle_time_floor"],
    }
}

impl Rule for TargetAgainstDirective {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Per target, the strongest directive of each kind that contradicts
    /// it (a required promise, the lowest cap above the target's level, the
    /// highest floor), found by search over the directives sorted by rank,
    /// so the cost grows with targets plus directives, not their product.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let channel = cx.team.channel.as_ref().map(|c| c.value);
        let mut by_rank: Vec<&Directive> = cx.team.directives.iter().collect();
        by_rank.sort_by_key(|d| (d.level.rank, d.span));
        let requires: Vec<(Promise, &Directive)> = Promise::ALL
            .iter()
            .filter_map(|&p| by_rank.iter().find(|d| d.intent == Intent::Require(p)).map(|d| (p, *d)))
            .collect();
        let caps = Extremes::of(&by_rank, |i| match i {
            Intent::Cap(m, v) => Some((m, v.axis())),
            _ => None,
        });
        let floors = Extremes::of(&by_rank, |i| match i {
            Intent::Floor(m, v) => Some((m, std::cmp::Reverse(v.axis()))),
            _ => None,
        });
        for target in &cx.team.targets {
            let Some(setter) = &target.set_by else { continue };
            let higher = requires
                .iter()
                .filter(|(_, d)| d.level.outranks(setter))
                .map(|(_, d)| *d)
                .chain(caps.above(target.metric, setter))
                .chain(floors.above(target.metric, setter));
            for d in higher {
                let Some((why, figures)) = contradiction(cx, target, d.intent, channel) else { continue };
                let within = within(cx, target, d.intent, channel).map(|bound| {
                    retarget(
                        format!("bring the target within the {}'s direction: `{bound}`", d.level.name),
                        target,
                        bound,
                    )
                });
                let finding = cx.finding(
                    &Self::META,
                    format!("the {}'s target {why}, against the {}'s directive", setter.name, d.level.name),
                );
                let finding = all(finding, &figures)
                    .primary(target.span, format!("set by the {}{}", setter.name, cx.from(target.origin)))
                    .secondary(d.span, format!("the {} ranks higher: {}{}", d.level.name, d.intent, cx.from(d.origin)))
                    .help(format!(
                        "bring the target within the {}'s direction, or ask the {} to change it",
                        d.level.name, d.level.name
                    ));
                out.push(match within {
                    Some(fix) => finding.fix(fix),
                    None => finding,
                });
            }
        }
    }
}

/// For caps (or floors) on each metric: the directives in rank order with
/// the tightest value among them so far, to find the tightest one set by
/// any level above a target's.
struct Extremes<'d, K> {
    by_metric: Vec<(Metric, Vec<Tightest<'d, K>>)>,
}

/// A directive's rank, and the tightest directive (with its value) among
/// those ranked at or above it.
type Tightest<'d, K> = (usize, &'d Directive, K);

impl<'d, K: Ord + Copy> Extremes<'d, K> {
    /// `key` gives a directive's metric and a value whose minimum is the
    /// tightest.
    fn of(by_rank: &[&'d Directive], key: impl Fn(Intent) -> Option<(Metric, K)>) -> Self {
        let mut by_metric: Vec<(Metric, Vec<Tightest<'d, K>>)> = Vec::new();
        for d in by_rank {
            let Some((metric, value)) = key(d.intent) else { continue };
            let list = match by_metric.iter_mut().position(|(m, _)| *m == metric) {
                Some(i) => by_metric.get_mut(i).map(|(_, l)| l),
                None => {
                    by_metric.push((metric, Vec::new()));
                    by_metric.last_mut().map(|(_, l)| l)
                }
            };
            let Some(list) = list else { continue };
            let best = match list.last() {
                Some(&(_, prev, prev_value)) if prev_value <= value => (prev, prev_value),
                _ => (*d, value),
            };
            list.push((d.level.rank, best.0, best.1));
        }
        Extremes { by_metric }
    }

    /// The tightest directive on `metric` of a level above `setter`.
    fn above(&self, metric: Metric, setter: &Level) -> Option<&'d Directive> {
        let (_, list) = self.by_metric.iter().find(|(m, _)| *m == metric)?;
        let count = list.partition_point(|(rank, _, _)| *rank < setter.rank);
        list.get(count.checked_sub(1)?).map(|(_, d, _)| *d)
    }
}

/// The target's bound moved just within the directive: a handle-time
/// ceiling raised to the required promise's floor, a target's lower end
/// lowered to a cap, its upper end raised to a floor.
fn within(
    cx: &Context<'_>,
    target: &Target,
    intent: Intent,
    channel: Option<crate::model::vocab::Channel>,
) -> Option<Bound> {
    let keep_upper = |upper: Value| match target.bound {
        Bound::Between(low, _) if low.axis() <= upper.axis() => Bound::Between(low, upper),
        _ => Bound::Compare(CmpOp::Le, upper),
    };
    match intent {
        Intent::Require(p) => Some(keep_upper(Value::Duration(cx.norms.floor(p, channel?)?))),
        Intent::Cap(_, cap) => Some(match target.bound {
            Bound::Between(_, high) if cap.axis() <= high.axis() => Bound::Between(cap, high),
            _ => Bound::Compare(CmpOp::Ge, cap),
        }),
        Intent::Floor(_, low) => Some(keep_upper(low)),
        _ => None,
    }
}

fn contradiction(
    cx: &Context<'_>,
    target: &Target,
    intent: Intent,
    channel: Option<crate::model::vocab::Channel>,
) -> Option<Quoted> {
    let metric = target.metric;
    match intent {
        Intent::Require(p) if metric == crate::model::vocab::Metric::HandleTime => {
            let floor = cx.norms.floor(p, channel?)?;
            let upper = target.bound.upper()?;
            upper.ceiling_below(floor.secs()).then(|| {
                let text = format!(
                    "keeps `handle_time` {}, below the {floor} `{p}` takes on {}",
                    upper_phrase(upper),
                    channel.map_or("", |c| c.phrase())
                );
                let figures = vec![
                    Figure { name: "handle_time_ceiling_seconds", value: upper.value.axis().to_f64() },
                    Figure { name: "handle_time_floor_seconds", value: floor.secs().to_f64() },
                ];
                (text, figures)
            })
        }
        Intent::Cap(m, cap) if m == metric => {
            let lower = target.bound.lower()?;
            lower.floor_above(cap.axis()).then(|| {
                let text = format!("asks for `{metric}` {}, above the cap of {cap}", lower_phrase(lower));
                (text, vec![value_figure(&FLOOR, lower.value), value_figure(&CEILING, cap)])
            })
        }
        Intent::Floor(m, low) if m == metric => {
            let upper = target.bound.upper()?;
            upper.ceiling_below(low.axis()).then(|| {
                let text = format!("keeps `{metric}` {}, below the floor of {low}", upper_phrase(upper));
                (text, vec![value_figure(&CEILING, upper.value), value_figure(&FLOOR, low)])
            })
        }
        _ => None,
    }
}
