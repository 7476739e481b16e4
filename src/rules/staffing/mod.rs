//! Staffing: the queueing figures against the team's agents.

mod concurrency_overload;
mod missing_shrinkage;
mod occupancy_burnout;
mod queue_target_unreachable;
mod service_level_unreachable;
mod staffing_forces_rush;
mod unstable_queue;

pub use concurrency_overload::ConcurrencyOverload;
pub use missing_shrinkage::MissingShrinkage;
pub use occupancy_burnout::OccupancyBurnout;
pub use queue_target_unreachable::QueueTargetUnreachable;
pub use service_level_unreachable::ServiceLevelUnreachable;
pub use staffing_forces_rush::StaffingForcesRush;
pub use unstable_queue::UnstableQueue;

use crate::analysis::conditions::{Condition, QueueTarget, TargetKind};
use crate::analysis::team::{Planned, Queue};
use crate::model::Origin;
use crate::model::vocab::Metric;
use crate::rules::Context;
use crate::rules::figures::{count, percent, seconds};
use crate::rules::scorecard::join_and;
use crate::{Diagnostic, Edit, Fix, Span};

/// The planned queue of a team whose demand and agents are stated.
pub(crate) fn planned<'a>(cx: &Context<'a>) -> Option<&'a Queue> {
    cx.figures.servers?;
    cx.figures.planned.as_ref()
}

/// Whether S001 fires for this team (S002-S004 then stay quiet).
pub(crate) fn unstable(cx: &Context<'_>) -> bool {
    cx.team.patience.is_none() && planned(cx).is_some_and(|q| !q.stable)
}

/// The planned queue, for the rules that judge a stable staffing (S002,
/// S003, S004): `None` without staffing, or when S001 fires instead.
pub(crate) fn judged<'a>(cx: &Context<'a>) -> Option<&'a Queue> {
    if unstable(cx) { None } else { planned(cx) }
}

/// "29 productive agents" or "14 agents" when shrinkage is 0%.
pub(crate) fn productive_phrase(cx: &Context<'_>) -> String {
    let (scheduled, productive) = (cx.figures.scheduled.unwrap_or(0), cx.figures.productive.unwrap_or(0));
    let slots = if cx.figures.concurrency > 1 {
        format!(" holding {} contacts each", cx.figures.concurrency)
    } else {
        String::new()
    };
    if scheduled == productive {
        format!("{productive} agents{slots}")
    } else {
        format!("{productive} productive agents{slots}")
    }
}

/// The figures [`productive_phrase`] quotes: `productive_agents`, and
/// `concurrency_contacts` when agents hold several contacts each.
pub(crate) fn agents_figures(cx: &Context<'_>, mut finding: Diagnostic) -> Diagnostic {
    if let Some(productive) = cx.figures.productive {
        finding = count(finding, "productive_agents", productive);
    }
    if cx.figures.concurrency > 1 {
        finding = count(finding, "concurrency_contacts", u64::from(cx.figures.concurrency));
    }
    finding
}

/// The figure [`handle_phrase`] quotes: `handle_time_seconds`, the planned
/// handle time.
pub(crate) fn handle_figure(cx: &Context<'_>, finding: Diagnostic) -> Diagnostic {
    match cx.figures.planned_handle_time {
        Some((h, _)) => seconds(finding, "handle_time_seconds", h.secs()),
        None => finding,
    }
}

/// The figures [`target_clause`] quotes: the service-level target and its
/// threshold, or the ceiling on the speed of answer or on abandonment.
pub(crate) fn target_figures(finding: Diagnostic, target: &QueueTarget) -> Diagnostic {
    match target.kind {
        TargetKind::ServiceLevel { share, within } => seconds(
            percent(finding, "service_level_target_percent", share.fraction()),
            "service_level_threshold_seconds",
            within.secs(),
        ),
        TargetKind::SpeedOfAnswer { ceiling } => seconds(finding, "speed_of_answer_ceiling_seconds", ceiling.secs()),
        TargetKind::Abandonment { ceiling } => percent(finding, "abandonment_ceiling_percent", ceiling.fraction()),
    }
}

/// Labels the statements behind the staffing figures: `agents` (primary),
/// then demand, the handle-time ceiling, shrinkage and concurrency.
pub(crate) fn staffing_labels(cx: &Context<'_>, mut finding: Diagnostic, agents_label: String) -> Diagnostic {
    let team = cx.team;
    if let Some(agents) = &team.agents {
        finding = finding.primary(agents.span, format!("{agents_label}{}", cx.from(agents.origin)));
    }
    if let Some(demand) = &team.demand {
        finding =
            finding.secondary(demand.span, format!("{} contacts an hour{}", demand.value.0, cx.from(demand.origin)));
    }
    if let Some((handle, Planned::Ceiling)) = cx.figures.planned_handle_time
        && let Some(ceiling) =
            team.ceilings(Metric::HandleTime).into_iter().find(|c| c.end.value.axis() == handle.secs())
    {
        finding = finding.secondary(ceiling.span, format!("{handle} a contact{}", cx.from(ceiling.origin)));
    }
    if let Some(shrinkage) = &team.shrinkage {
        finding =
            finding.secondary(shrinkage.span, format!("{} unavailable{}", shrinkage.value, cx.from(shrinkage.origin)));
    }
    if let Some(concurrency) = &team.concurrency {
        finding = finding
            .secondary(concurrency.span, format!("{} at once{}", concurrency.value, cx.from(concurrency.origin)));
    }
    finding
}

/// "at 3m a contact" or "at the typical 6m of a phone contact".
pub(crate) fn handle_phrase(cx: &Context<'_>) -> String {
    match (cx.figures.planned_handle_time, cx.figures.channel) {
        (Some((h, Planned::Typical)), Some(channel)) => format!(
            "at the typical {h} of {} {} contact",
            crate::diagnostic::article(channel.phrase()),
            channel.phrase()
        ),
        (Some((h, _)), _) => format!("at {h} a contact"),
        _ => String::new(),
    }
}

/// What a queue target asks, as a clause: "answer 80% within 20s",
/// "answer in 5s on average", "lose at most 3% of contacts".
pub(crate) fn target_clause(target: &QueueTarget) -> String {
    match target.kind {
        TargetKind::ServiceLevel { share, within } => format!("answer {share} within {within}"),
        TargetKind::SpeedOfAnswer { ceiling } => format!("answer in {ceiling} on average"),
        TargetKind::Abandonment { ceiling } => format!("lose at most {ceiling} of contacts"),
    }
}

/// What the staffing plan of `q` meets, as one clause: "answer 80% within
/// 20s and keep occupancy at or below 85%".
/// Also `finding` with the figures the clause quotes.
pub(crate) fn plan_clause(cx: &Context<'_>, q: &Queue, mut finding: Diagnostic) -> (String, Diagnostic) {
    // The tightest ceiling of each kind says it all.
    let tightest = |pick: fn(&TargetKind) -> Option<crate::num::Rational>| {
        q.model.targets.iter().filter_map(|t| pick(&t.kind).map(|v| (v, t))).min_by_key(|(v, _)| *v).map(|(_, t)| t)
    };
    let service_level = q.model.targets.iter().find(|t| matches!(t.kind, TargetKind::ServiceLevel { .. }));
    let answer = tightest(|k| match k {
        TargetKind::SpeedOfAnswer { ceiling } => Some(ceiling.secs()),
        _ => None,
    });
    let abandonment = tightest(|k| match k {
        TargetKind::Abandonment { ceiling } => Some(ceiling.fraction()),
        _ => None,
    });
    let quoted: Vec<&QueueTarget> = [service_level, answer, abandonment].into_iter().flatten().collect();
    let mut parts: Vec<String> = quoted.iter().copied().map(target_clause).collect();
    for target in quoted {
        finding = target_figures(finding, target);
    }
    let ceiling = cx.figures.occupancy_ceiling;
    if ceiling.fraction() < crate::num::Rational::ONE {
        // Below 100% occupancy the queue cannot grow without bound.
        parts.push(format!("keep occupancy at or below {ceiling}"));
        finding = percent(finding, "occupancy_ceiling_percent", ceiling.fraction());
    } else if cx.team.patience.is_none() {
        parts.push("keep the queue from growing".to_string());
    }
    (join_and(&parts), finding)
}

/// The help that quotes the staffing plan at `q`'s handle time, so that
/// following it leaves no staffing finding: "schedule 58 agents, the fewest
/// that answer 80% within 20s and keep occupancy at or below 85%". `own`
/// names the minimum of the finding's own condition when it is below the
/// plan. Also the fix that sets `agents` to the plan, and `finding` with
/// the figures the help quotes (`plan_scheduled_agents`,
/// `minimum_scheduled_agents` and those of the plan's conditions).
pub(crate) fn plan_help(
    cx: &Context<'_>,
    q: &Queue,
    own: Option<(Condition, &str)>,
    at: &str,
    finding: Diagnostic,
) -> (String, Option<Fix>, Diagnostic) {
    match &q.plan().plan {
        Ok(plan) => {
            let (clause, mut finding) = plan_clause(cx, q, finding);
            finding = count(finding, "plan_scheduled_agents", plan.scheduled);
            let own_min = own.and_then(|(condition, what)| {
                let min = q.minimum(condition)?.ok()?;
                (min.scheduled < plan.scheduled).then_some((min.scheduled, what))
            });
            let own_note = match own_min {
                Some((scheduled, what)) => {
                    finding = count(finding, "minimum_scheduled_agents", scheduled);
                    format!("; {scheduled} would only {what}")
                }
                None => String::new(),
            };
            let help = format!("schedule {} agents{at}, the fewest that {clause}{own_note}", plan.scheduled);
            let fix = agents_fix(cx, plan.scheduled, &clause);
            (help, fix, finding)
        }
        Err(why) => (format!("no number of agents meets every staffing condition{at}: {why}"), None, finding),
    }
}

/// The fix that sets the team's `agents` to `n`: the statement is rewritten
/// where the team states it; one from `defaults` is overridden in the team.
pub(crate) fn agents_fix(cx: &Context<'_>, n: u64, clause: &str) -> Option<Fix> {
    let agents = cx.team.agents.as_ref()?;
    if agents.value == n {
        return None;
    }
    let title = format!("set `agents` to {n}: {clause}");
    let edit = match agents.origin {
        Origin::Team => Edit { span: agents.span, replacement: format!("agents {n}") },
        Origin::Defaults => {
            let text = cx.source.text();
            let after_name = cx.team.name_span.end as usize;
            let open = text.get(after_name..)?.find('{')? + after_name + 1;
            Edit { span: Span::point(open), replacement: format!("\n  agents {n}") }
        }
    };
    Some(Fix::unsafe_(title, vec![edit]))
}

/// "80% within 20s".
pub(crate) fn goal(cx: &Context<'_>) -> Option<String> {
    cx.team.service_level.as_ref().map(|s| format!("{} within {}", s.value.share, s.value.within))
}

/// A share as a percentage with one decimal: "61.3%".
pub(crate) fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.9 && p < 100.0 { ">99.9%".into() } else { format!("{p:.1}%") }
}
