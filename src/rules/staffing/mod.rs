//! Staffing: the queueing figures against the team's agents.

mod concurrency_overload;
mod missing_shrinkage;
mod occupancy_burnout;
mod service_level_unreachable;
mod staffing_forces_rush;
mod unstable_queue;

pub use concurrency_overload::ConcurrencyOverload;
pub use missing_shrinkage::MissingShrinkage;
pub use occupancy_burnout::OccupancyBurnout;
pub use service_level_unreachable::ServiceLevelUnreachable;
pub use staffing_forces_rush::StaffingForcesRush;
pub use unstable_queue::UnstableQueue;

use crate::Diagnostic;
use crate::analysis::exact;
use crate::analysis::team::{Planned, Queue};
use crate::model::vocab::Metric;
use crate::rules::Context;

/// The planned queue of a team whose demand and agents are stated.
pub(crate) fn planned<'a>(cx: &Context<'a>) -> Option<&'a Queue> {
    cx.figures.servers?;
    cx.figures.planned.as_ref()
}

/// Whether S001 fires for this team (S002-S004 then stay quiet).
pub(crate) fn unstable(cx: &Context<'_>) -> bool {
    cx.team.patience.is_none() && planned(cx).is_some_and(|q| !q.stable)
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

/// Scheduled agents for `servers` servers: productive agents rounded up to
/// whole agents of `concurrency` slots, then shrinkage added back, exactly.
pub(crate) fn scheduled_for_servers(cx: &Context<'_>, servers: u64) -> Option<u64> {
    let productive = servers.div_ceil(u64::from(cx.figures.concurrency.max(1)));
    exact::scheduled_for(productive, cx.figures.shrinkage.fraction())
}

/// Whether an achieved service level meets the target share. A 100% target
/// is never met: a queue with any waiting answers some contact late.
pub(crate) fn meets_target(achieved: Option<f64>, target: f64) -> bool {
    target < 1.0 && achieved.is_some_and(|a| crate::analysis::erlang::meets(a, target))
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
