use crate::model::policy::{Intent, Target};
use crate::rules::scorecard::{lower_phrase, upper_phrase};
use crate::rules::{Context, Rule, RuleMeta};
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

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let channel = cx.team.channel.as_ref().map(|c| c.value);
        for target in &cx.team.targets {
            let Some(setter) = &target.set_by else { continue };
            for d in cx.team.directives.iter().filter(|d| d.level.outranks(setter)) {
                let Some(why) = contradiction(cx, target, d.intent, channel) else { continue };
                out.push(
                    cx.finding(
                        &Self::META,
                        format!("the {}'s target {why}, against the {}'s directive", setter.name, d.level.name),
                    )
                    .primary(target.span, format!("set by the {}{}", setter.name, cx.from(target.origin)))
                    .secondary(d.span, format!("the {} ranks higher: {}{}", d.level.name, d.intent, cx.from(d.origin)))
                    .help(format!(
                        "bring the target within the {}'s direction, or ask the {} to change it",
                        d.level.name, d.level.name
                    )),
                );
            }
        }
    }
}

fn contradiction(
    cx: &Context<'_>,
    target: &Target,
    intent: Intent,
    channel: Option<crate::model::vocab::Channel>,
) -> Option<String> {
    let metric = target.metric;
    match intent {
        Intent::Require(p) if metric == crate::model::vocab::Metric::HandleTime => {
            let floor = cx.norms.floor(p, channel?)?;
            let upper = target.bound.upper()?;
            upper.ceiling_below(floor.secs()).then(|| {
                format!(
                    "keeps `handle_time` {}, below the {floor} `{p}` takes on {}",
                    upper_phrase(upper),
                    channel.map_or("", |c| c.phrase())
                )
            })
        }
        Intent::Cap(m, cap) if m == metric => {
            let lower = target.bound.lower()?;
            lower
                .floor_above(cap.axis())
                .then(|| format!("asks for `{metric}` {}, above the cap of {cap}", lower_phrase(lower)))
        }
        Intent::Floor(m, low) if m == metric => {
            let upper = target.bound.upper()?;
            upper
                .ceiling_below(low.axis())
                .then(|| format!("keeps `{metric}` {}, below the floor of {low}", upper_phrase(upper)))
        }
        _ => None,
    }
}
