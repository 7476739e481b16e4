//! Renders staffing figures: a table a planner can read, and versioned JSON.

use serde::Serialize;

use crate::analysis::team::TeamFigures;
use crate::engine::FileReport;
use crate::model::Team;

/// The version of the JSON shape below; it changes only when a field
/// changes meaning or is removed.
pub const JSON_VERSION: u32 = 1;

/// The JSON document of `supportlint analyze --format json`.
#[derive(Debug, Serialize)]
pub struct AnalysisJson {
    /// [`JSON_VERSION`].
    pub version: u32,
    /// One entry per file, in the order checked.
    pub files: Vec<FileJson>,
}

/// The figures of one file.
#[derive(Debug, Serialize)]
pub struct FileJson {
    /// The path as given.
    pub file: String,
    /// Front-end errors in the file; teams they touch are left out.
    pub errors: usize,
    /// One entry per team, in file order.
    pub teams: Vec<TeamJson>,
}

/// The figures of one team; `null` where a figure does not apply.
#[derive(Debug, Serialize)]
pub struct TeamJson {
    /// The team's name.
    pub team: String,
    /// Its channel.
    pub channel: Option<&'static str>,
    /// Contacts per hour in the busiest interval.
    pub arrival_rate_per_hour: Option<f64>,
    /// The planned handle time, in seconds.
    pub planned_handle_time_s: Option<f64>,
    /// The honest handle time, in seconds.
    pub honest_handle_time_s: Option<f64>,
    /// Offered load at the planned handle time, in Erlangs.
    pub offered_load_erlangs: Option<f64>,
    /// Scheduled agents.
    pub scheduled_agents: Option<u64>,
    /// Shrinkage as a fraction (0 when not stated).
    pub shrinkage: f64,
    /// Productive agents after shrinkage.
    pub productive_agents: Option<u64>,
    /// Contacts one agent holds at once.
    pub concurrency: u32,
    /// Productive agents times concurrency.
    pub servers: Option<u64>,
    /// Whether the queue is stable (always with patience).
    pub stable: Option<bool>,
    /// Probability that a contact waits.
    pub waiting_probability: Option<f64>,
    /// The service-level target share.
    pub service_level_target: Option<f64>,
    /// The service-level answer threshold, in seconds.
    pub service_level_threshold_s: Option<f64>,
    /// Achieved service level at the planned handle time.
    pub service_level: Option<f64>,
    /// Average speed of answer of answered contacts, in seconds.
    pub speed_of_answer_s: Option<f64>,
    /// Occupancy of the servers.
    pub occupancy: Option<f64>,
    /// Share of contacts abandoned (with patience only).
    pub abandonment: Option<f64>,
    /// Productive agents needed to meet the service level.
    pub required_productive_agents: Option<u64>,
    /// Scheduled agents needed to meet the service level.
    pub required_scheduled_agents: Option<u64>,
    /// Offered load at the honest handle time.
    pub honest_offered_load_erlangs: Option<f64>,
    /// Achieved service level at the honest handle time.
    pub honest_service_level: Option<f64>,
    /// Scheduled agents needed at the honest handle time.
    pub honest_required_scheduled_agents: Option<u64>,
    /// The first-contact-resolution ceiling the agents' authority allows.
    pub max_first_contact_resolution: f64,
    /// Why the queue was not analysed, when it was not.
    pub not_analysed: Option<String>,
}

fn team_json(team: &Team, f: &TeamFigures) -> TeamJson {
    let p = f.planned.as_ref();
    let h = f.honest.as_ref();
    let sl = team.service_level.as_ref().map(|s| s.value);
    TeamJson {
        team: team.name.clone(),
        channel: f.channel.map(|c| c.as_str()),
        arrival_rate_per_hour: f.arrival_per_hour.map(|r| r.to_f64()),
        planned_handle_time_s: f.planned_handle_time.map(|(s, _)| s.secs().to_f64()),
        honest_handle_time_s: f.honest_handle_time.map(|(s, _)| s.secs().to_f64()),
        offered_load_erlangs: p.map(|q| q.load.to_f64()),
        scheduled_agents: f.scheduled,
        shrinkage: f.shrinkage.fraction().to_f64(),
        productive_agents: f.productive,
        concurrency: f.concurrency,
        servers: f.servers,
        stable: p.filter(|_| f.servers.is_some()).map(|q| q.stable),
        waiting_probability: p.filter(|_| f.servers.is_some()).and_then(|q| q.waiting),
        service_level_target: sl.map(|s| s.share.fraction().to_f64()),
        service_level_threshold_s: sl.map(|s| s.within.secs().to_f64()),
        service_level: p.and_then(|q| q.service_level),
        speed_of_answer_s: p.and_then(|q| q.speed_of_answer()),
        occupancy: p.and_then(|q| q.occupancy),
        abandonment: p.and_then(|q| q.abandonment),
        required_productive_agents: p.and_then(|q| q.required_productive()),
        required_scheduled_agents: p.and_then(|q| q.required_scheduled()),
        honest_offered_load_erlangs: h.map(|q| q.load.to_f64()),
        honest_service_level: h.and_then(|q| q.service_level),
        honest_required_scheduled_agents: h.and_then(|q| q.required_scheduled()),
        max_first_contact_resolution: f.max_first_contact_resolution.fraction().to_f64(),
        not_analysed: f.not_computed.map(|n| n.to_string()),
    }
}

/// The JSON entry of one checked file.
pub fn file_json(report: &FileReport) -> FileJson {
    let errors = report.diagnostics.iter().filter(|d| d.code.starts_with('E')).count();
    let teams = report
        .policy
        .iter()
        .flat_map(|p| &p.teams)
        .zip(&report.figures)
        .filter(|(t, _)| !t.has_errors)
        .map(|(t, f)| team_json(t, f))
        .collect();
    FileJson { file: report.source.name().to_string(), errors, teams }
}

fn percent(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.9 && p < 100.0 {
        return ">99.9%".into();
    }
    if (p.round() - p).abs() < 0.05 { format!("{p:.0}%") } else { format!("{p:.1}%") }
}

fn seconds(s: f64) -> String {
    if s < 60.0 { format!("{s:.1}s") } else { format!("{:.0}m{:02.0}s", (s / 60.0).floor(), s % 60.0) }
}

/// A table of the figures of one file, one row per team. Columns that are
/// empty for every team (abandonment without patience) are left out.
pub fn human_table(report: &FileReport) -> String {
    const HEADER: [&str; 13] = [
        "team",
        "channel",
        "demand",
        "handle time",
        "load",
        "agents",
        "goal",
        "achieved",
        "answer",
        "occupancy",
        "abandoned",
        "needed",
        "FCR max",
    ];
    let dash = || "-".to_string();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut honest_differs = false;
    for (team, f) in report.policy.iter().flat_map(|p| &p.teams).zip(&report.figures) {
        if team.has_errors {
            continue;
        }
        let handle = match (f.planned_handle_time, f.honest_handle_time) {
            (Some((p, _)), Some((h, _))) if h != p => {
                honest_differs = true;
                format!("{p} ({h})")
            }
            (Some((p, _)), _) => p.to_string(),
            _ => dash(),
        };
        let agents = match (f.scheduled, f.productive) {
            (Some(s), Some(p)) if f.concurrency > 1 => format!("{s} -> {p} x{}", f.concurrency),
            (Some(s), Some(p)) => format!("{s} -> {p}"),
            _ => dash(),
        };
        let p = f.planned.as_ref().filter(|_| f.servers.is_some());
        let needed = match (
            f.planned.as_ref().and_then(|q| q.required_scheduled()),
            f.honest.as_ref().and_then(|q| q.required_scheduled()),
        ) {
            (Some(a), Some(b)) if a != b => format!("{a} ({b})"),
            (Some(a), _) => a.to_string(),
            _ => dash(),
        };
        let goal =
            team.service_level.as_ref().map_or_else(dash, |s| format!("{} in {}", s.value.share, s.value.within));
        let achieved = match p {
            Some(q) if !q.stable => "unstable".to_string(),
            Some(q) => q.service_level.map_or_else(dash, percent),
            None => dash(),
        };
        rows.push(vec![
            team.name.clone(),
            f.channel.map_or_else(dash, |c| c.to_string()),
            f.arrival_per_hour.map_or_else(dash, |r| format!("{r:.0}/h")),
            handle,
            f.planned.as_ref().map_or_else(dash, |q| format!("{:.2}", q.load.to_f64())),
            agents,
            goal,
            achieved,
            p.and_then(|q| q.speed_of_answer()).map_or_else(dash, seconds),
            p.and_then(|q| q.occupancy).map_or_else(dash, percent),
            p.and_then(|q| q.abandonment).map_or_else(dash, percent),
            needed,
            percent(f.max_first_contact_resolution.fraction().to_f64()),
        ]);
    }
    let keep: Vec<usize> =
        (0..HEADER.len()).filter(|&c| c == 0 || rows.iter().any(|r| r.get(c).is_some_and(|v| v != "-"))).collect();
    let mut widths: Vec<usize> = keep.iter().map(|&c| HEADER.get(c).map_or(0, |h| h.chars().count())).collect();
    for row in &rows {
        for (w, &c) in widths.iter_mut().zip(&keep) {
            *w = (*w).max(row.get(c).map_or(0, |v| v.chars().count()));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(v, w)| format!("{v:<w$}", w = *w)).collect();
        format!("  {}\n", padded.join("  ").trim_end())
    };
    let mut out = format!("{}\n", report.source.name());
    out.push_str(&line(keep.iter().map(|&c| HEADER.get(c).copied().unwrap_or("")).collect()));
    for row in &rows {
        out.push_str(&line(keep.iter().map(|&c| row.get(c).map_or("", String::as_str)).collect()));
    }
    if rows.is_empty() {
        out.push_str("  (no team could be analysed)\n");
    }
    if honest_differs {
        out.push_str("  (in brackets: at the honest handle time, raised to the floors of the team's promises)\n");
    }
    for (team, f) in report.policy.iter().flat_map(|p| &p.teams).zip(&report.figures) {
        if let Some(reason) = &f.not_computed {
            out.push_str(&format!("  {}: not analysed: {reason}\n", team.name));
        }
    }
    out
}
