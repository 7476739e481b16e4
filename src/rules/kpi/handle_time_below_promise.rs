use crate::diagnostic::article;
use crate::model::policy::{Bound, BoundSource, Intent};
use crate::model::units::Value;
use crate::model::vocab::Metric;
use crate::rules::figures::seconds;
use crate::rules::fixes::{drop_words, retarget};
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::syntax::ast::CmpOp;
use crate::{Applicability, Fix, Span};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a ceiling on handle time (a `handle_time` target with `<=`, `<`,
    /// `=` or `between`, or a `cap handle_time` directive) that is below the
    /// time a promise the team makes needs on its channel.
    ///
    /// ## Why is this bad?
    /// A thorough or personalised contact takes time: about six minutes on
    /// the phone in industry surveys, longer in chat. A ceiling below that
    /// leaves agents two ways to fail: rush and break the promise, or keep
    /// it and miss the target. The telecommunications case in the field
    /// notes is this rule: three-minute calls beside "personalised,
    /// thorough" service crushed staff and failed customers.
    ///
    /// ## Example
    /// ```text
    /// team "Consumer Care" {
    ///   channel phone
    ///   target handle_time <= 3m
    ///   promise thorough
    /// }
    /// ```
    /// fires: a thorough phone contact takes at least 6m (`handle_time_floor`).
    ///
    /// ## How to fix
    /// Raise the ceiling to at least the floor, or drop the promise. Better
    /// still, measure resolution instead of speed.
    pub struct HandleTimeBelowPromise {
        code: "K001",
        name: "handle-time-below-promise",
        category: Kpi,
        severity: Error,
        norms: ["handle_time_floor"],
    }
}

impl Rule for HandleTimeBelowPromise {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let team = cx.team;
        let Some(channel) = &team.channel else { return };
        let channel = channel.value;
        let floors: Vec<_> =
            team.promises.iter().filter_map(|p| cx.norms.floor(p.value, channel).map(|floor| (p, floor))).collect();
        for ceiling in team.ceilings(Metric::HandleTime) {
            let mut broken: Vec<_> =
                floors.iter().filter(|(_, floor)| ceiling.end.ceiling_below(floor.secs())).collect();
            // The promise with the highest floor leads the message.
            broken.sort_by_key(|b| std::cmp::Reverse(b.1));
            let Some((lead, floor)) = broken.first() else { continue };
            let limit = ceiling.end.value;
            let capped = if ceiling.end.inclusive {
                format!("is capped at {limit}")
            } else {
                format!("must stay under {limit}")
            };
            let mut finding = cx
                .finding(
                    &Self::META,
                    format!(
                        "handle time {capped}, but {} {} {} contact takes at least {floor}",
                        article(lead.value.as_str()),
                        lead.value,
                        channel.phrase()
                    ),
                )
                .primary(
                    ceiling.span,
                    format!(
                        "{}{}",
                        if ceiling.end.inclusive {
                            format!("caps handle time at {limit}")
                        } else {
                            format!("keeps handle time under {limit}")
                        },
                        cx.from(ceiling.origin)
                    ),
                );
            finding = super::label_broken_promises(finding, cx, &broken, channel);
            let names: Vec<String> = broken.iter().map(|(p, _)| format!("`{}`", p.value)).collect();
            let raise = if ceiling.end.inclusive {
                format!("at least {floor}")
            } else {
                format!("above {floor} (`<= {floor}`)")
            };
            let floor_value = Value::Duration(*floor);
            let raised = match ceiling.source {
                BoundSource::Target(target) => {
                    let bound = match target.bound {
                        Bound::Between(low, _) if low.axis() <= floor.secs() => Bound::Between(low, floor_value),
                        Bound::Compare(CmpOp::Eq, _) => Bound::Compare(CmpOp::Eq, floor_value),
                        _ => Bound::Compare(CmpOp::Le, floor_value),
                    };
                    Some(retarget(format!("raise the ceiling to {floor}"), target, bound))
                }
                BoundSource::Cap(directive) => Some(Fix::replace(
                    Applicability::Unsafe,
                    format!("raise the cap to {floor}"),
                    directive.span,
                    format!("directive {}: {}", directive.level.name, Intent::Cap(Metric::HandleTime, floor_value)),
                )),
            };
            finding = seconds(finding, "handle_time_ceiling_seconds", limit.axis());
            finding = seconds(finding, "handle_time_floor_seconds", floor.secs());
            let words: Vec<Span> = broken.iter().map(|(p, _)| p.span).collect();
            let dropped = drop_words(cx, &words).map(|edits| Fix::unsafe_(format!("drop {}", join_and(&names)), edits));
            let mut finding = finding.help(format!("raise the ceiling to {raise}, or drop {}", join_and(&names)));
            for fix in raised.into_iter().chain(dropped) {
                finding = finding.fix(fix);
            }
            out.push(finding);
        }
    }
}
