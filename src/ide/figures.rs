//! A team's staffing figures as hover text. This is the one file of the
//! editor features that reads the analysis ([`TeamFigures`]): when the
//! analysis grows a figure (the staffing plan, demand headroom), it is shown
//! by adding a line here.

use crate::FileReport;
use crate::analysis::team::{Planned, Queue, TeamFigures};
use crate::analysis::{Condition, Headroom, StaffingPlan, TargetKind};
use crate::model::vocab::EmotionalLoad;
use crate::model::{Norms, Team};

/// Every team of the report with its figures.
pub(crate) fn teams(report: &FileReport) -> impl Iterator<Item = (&Team, &TeamFigures)> {
    report.policy.iter().flat_map(|p| &p.teams).zip(report.figures())
}

/// A share as a percentage with one decimal: `88.8%`, `>99.9%`.
pub(crate) fn percent(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.9 && p < 100.0 { ">99.9%".to_string() } else { format!("{p:.1}%") }
}

/// Seconds as `7.8s` or `2m05s`.
fn seconds(s: f64) -> String {
    if !s.is_finite() {
        return "unbounded".to_string();
    }
    if s < 60.0 { format!("{s:.1}s") } else { format!("{:.0}m{:02.0}s", (s / 60.0).floor(), (s % 60.0).floor()) }
}

/// The occupancy ceiling the team is held to.
fn ceiling(team: &Team, norms: &Norms) -> (String, &'static str) {
    if team.emotional_load.as_ref().is_some_and(|l| l.value == EmotionalLoad::High) {
        (norms.max_occupancy_high_load.to_string(), "max_occupancy_high_load")
    } else {
        (norms.max_occupancy.to_string(), "max_occupancy")
    }
}

/// "unstable", "88.8% (target 80% within 20s)".
fn service_level(team: &Team, queue: &Queue) -> Option<String> {
    let goal = team.service_level.as_ref().map(|s| format!("{} within {}", s.value.share, s.value.within));
    if !queue.stable {
        return Some(match goal {
            Some(goal) => format!("none: the queue is unstable (target {goal})"),
            None => "none: the queue is unstable".to_string(),
        });
    }
    let achieved = queue.service_level?;
    Some(match goal {
        Some(goal) => format!("{} (target {goal})", percent(achieved)),
        None => percent(achieved),
    })
}

/// What a condition of the staffing plan asks, in words.
fn condition(c: Condition) -> String {
    match c {
        Condition::Target(t) => match t.kind {
            TargetKind::ServiceLevel { share, within } => format!("the service level of {share} within {within}"),
            TargetKind::SpeedOfAnswer { ceiling } => format!("a speed of answer of at most {ceiling}"),
            TargetKind::Abandonment { ceiling } => format!("an abandonment of at most {ceiling}"),
        },
        Condition::Occupancy => "the occupancy ceiling".to_string(),
        Condition::Stability => "a stable queue".to_string(),
    }
}

/// "58 scheduled agents (42 productive), for the service level of 80%
/// within 20s", or why there is none.
fn plan(plan: &StaffingPlan) -> String {
    match plan.plan {
        Ok(s) => {
            let by = plan.binding.map_or(String::new(), |c| format!(", decided by {}", condition(c)));
            format!("{} scheduled agents ({} productive){by}", s.scheduled, s.productive)
        }
        Err(why) => format!("none: {why}"),
    }
}

/// "12.3% more contacts before the occupancy ceiling fails".
fn headroom_text(h: Headroom) -> String {
    match h.limit {
        Some(c) if h.tenths == 0 => format!("none: {} fails today", condition(c)),
        Some(c) => format!("{:.1}% more contacts before {} fails", h.percent(), condition(c)),
        None if h.tenths > 10_000 => "more than 1000% more contacts".to_string(),
        None => format!("at least {:.1}% more contacts", h.percent()),
    }
}

/// The figures of one team, as a Markdown list under a heading line.
pub(crate) fn team(team: &Team, figures: &TeamFigures, norms: &Norms) -> String {
    let mut out = format!("**staffing of team \"{}\"**\n\n", team.name);
    let mut line = |text: String| {
        out.push_str("- ");
        out.push_str(&text);
        out.push('\n');
    };
    let (Some(arrivals), Some((planned, how))) = (figures.arrival_per_hour, figures.planned_handle_time) else {
        line("no figures: the team needs `channel` and `demand` for a queue".to_string());
        return out;
    };
    let why = match (how, figures.channel) {
        (Planned::Ceiling, _) => "the lowest handle-time ceiling".to_string(),
        (Planned::Typical, Some(channel)) => {
            format!("typical of {} {} contact", crate::diagnostic::article(channel.phrase()), channel.phrase())
        }
        (Planned::Typical, None) => "the typical handle time".to_string(),
        (Planned::RaisedToLowerBound, _) => "raised to the handle-time floor of a target".to_string(),
    };
    line(format!("planned handle time: {planned} ({why})"));
    let planned_queue = figures.planned.as_ref();
    if let Some(q) = planned_queue {
        line(format!("offered load: {:.2} Erlangs ({arrivals:.0} contacts an hour × {planned})", q.load.to_f64()));
    }
    match (figures.scheduled, figures.productive, figures.servers) {
        (Some(scheduled), Some(productive), Some(servers)) => {
            let shrinkage = if team.shrinkage.is_some() {
                format!("after {} shrinkage", figures.shrinkage)
            } else {
                "without shrinkage".to_string()
            };
            let slots = if figures.concurrency > 1 {
                format!(", {servers} servers at {} contacts each", figures.concurrency)
            } else {
                String::new()
            };
            line(format!("agents: {scheduled} scheduled, {productive} productive {shrinkage}{slots}"));
        }
        _ => {
            line("agents: not stated, so no service level, answer time or occupancy".to_string());
        }
    }
    if let Some(q) = planned_queue.filter(|_| figures.servers.is_some()) {
        if let Some(sl) = service_level(team, q) {
            line(format!("achieved service level: {sl}"));
        }
        if q.stable
            && let Some(asa) = q.speed_of_answer()
        {
            line(format!("average speed of answer: {}", seconds(asa)));
        }
        if let Some(occupancy) = q.occupancy {
            let (ceiling, norm) = ceiling(team, norms);
            line(format!("occupancy: {} (ceiling {ceiling}, `{norm}`)", percent(occupancy)));
        }
        if let Some(abandonment) = q.abandonment {
            line(format!("abandonment: {} of contacts", percent(abandonment)));
        }
    }
    if let Some(reason) = &figures.not_computed {
        line(format!("not computed: {reason}"));
    }
    if let Some(q) = planned_queue {
        line(format!("staffing plan at {planned}: {}", plan(q.plan())));
    }
    if let Some(headroom) = figures.headroom() {
        line(format!("demand headroom: {}", headroom_text(headroom)));
    }
    let grown: Vec<String> = figures
        .plans_at_demand()
        .iter()
        .map(|(growth, p)| match p {
            Ok(s) => format!("+{growth}%: {} scheduled", s.scheduled),
            Err(why) => format!("+{growth}%: none ({why})"),
        })
        .collect();
    if !grown.is_empty() {
        line(format!("plan with more demand: {}", grown.join(", ")));
    }
    if let (Some((honest, raised_by)), Some(q)) = (figures.honest_handle_time, figures.honest.as_ref())
        && honest != planned
    {
        let by = raised_by.map_or(String::new(), |p| format!(", the floor of `{p}`"));
        let mut parts = vec![format!("load {:.2} Erlangs", q.load.to_f64())];
        if figures.servers.is_some()
            && let Some(sl) = service_level(team, q)
        {
            parts.push(format!("service level {sl}"));
        }
        parts.push(format!("staffing plan {}", plan(q.plan())));
        line(format!("at the honest handle time of {honest}{by}: {}", parts.join("; ")));
    }
    line(format!("first-contact resolution the authority allows: at most {}", figures.max_first_contact_resolution));
    out
}

/// One line about a team, for a statement of `defaults` that many teams
/// share: load, service level and occupancy.
pub(crate) fn summary(team: &Team, figures: &TeamFigures) -> String {
    let mut parts = Vec::new();
    if let Some(q) = figures.planned.as_ref() {
        parts.push(format!("load {:.2}", q.load.to_f64()));
        if figures.servers.is_some() {
            if let Some(sl) = service_level(team, q) {
                parts.push(format!("service level {sl}"));
            }
            if let Some(o) = q.occupancy {
                parts.push(format!("occupancy {}", percent(o)));
            }
        }
    }
    if parts.is_empty() {
        parts.push("no queue figures".to_string());
    }
    format!("- team \"{}\": {}\n", team.name, parts.join(", "))
}
