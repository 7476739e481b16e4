//! A team's staffing figures as hover text. This is the one file of the
//! editor features that reads the analysis ([`TeamFigures`]): when the
//! analysis grows a figure (the staffing plan, demand headroom), it is shown
//! by adding a line here.

use crate::analysis::team::{Planned, Queue, TeamFigures};
use crate::engine::FileReport;
use crate::model::vocab::EmotionalLoad;
use crate::model::{Norms, Team};

/// Every team of the report with its figures.
pub(crate) fn teams(report: &FileReport) -> impl Iterator<Item = (&Team, &TeamFigures)> {
    report.policy.iter().flat_map(|p| &p.teams).zip(&report.figures)
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
    if let Some(reason) = &figures.not_analysed {
        line(format!("not analysed: {reason}"));
        return out;
    }
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
    let needed = |q: Option<&Queue>| q.and_then(Queue::required_scheduled);
    if let Some(n) = needed(planned_queue) {
        line(format!("scheduled agents the service level needs: {n} at {planned}"));
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
        if let Some(n) = needed(Some(q)) {
            parts.push(format!("{n} scheduled agents needed"));
        }
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
