//! Renders staffing figures: a table a planner can read, and versioned JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::team::TeamFigures;
use crate::analysis::{Condition, Headroom, NoPlan, StaffingPlan, TargetKind};
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
    /// Why some queueing figures were not computed, when they were not.
    pub not_analysed: Option<String>,
    /// The staffing plan at the planned handle time: the fewest scheduled
    /// agents meeting every queue target and the occupancy ceiling (and,
    /// without patience, a stable queue); `null` where no plan exists.
    pub plan_scheduled_agents: Option<u64>,
    /// The staffing plan at the honest handle time.
    pub honest_plan_scheduled_agents: Option<u64>,
    /// Why there is no plan at the planned handle time, when there is none.
    pub no_plan_reason: Option<String>,
    /// Why there is no plan at the honest handle time, when there is none.
    pub honest_no_plan_reason: Option<String>,
    /// The demand growth in percent, one decimal, rounded down, that the
    /// staffing absorbs before a condition of the plan fails; 0 when one
    /// fails today; `null` without demand and agents.
    pub demand_headroom_percent: Option<f64>,
    /// The condition that fails first beyond the headroom: `service_level`,
    /// `speed_of_answer`, `abandonment`, `occupancy` or `stability`; `null`
    /// when none fails within the growth analysed, or without a headroom.
    pub demand_headroom_limit: Option<&'static str>,
    /// The plan at the planned handle time with demand grown by 10% and 25%,
    /// keyed by the growth in percent (`{"10": 58, "25": 66}`), `null` values
    /// where no plan exists; `null` without demand.
    pub plan_scheduled_agents_at_demand: Option<BTreeMap<String, Option<u64>>>,
}

/// The JSON name of a condition of the plan.
fn condition_name(condition: Condition) -> &'static str {
    match condition {
        Condition::Target(t) => match t.kind {
            TargetKind::ServiceLevel { .. } => "service_level",
            TargetKind::SpeedOfAnswer { .. } => "speed_of_answer",
            TargetKind::Abandonment { .. } => "abandonment",
        },
        Condition::Occupancy => "occupancy",
        Condition::Stability => "stability",
    }
}

fn team_json(team: &Team, f: &TeamFigures) -> TeamJson {
    let p = f.planned.as_ref();
    let h = f.honest.as_ref();
    let sl = team.service_level.as_ref().map(|s| s.value);
    let plan = |q: Option<&crate::analysis::Queue>| q.map(|q| q.plan().plan);
    let no_plan = |plan: Option<Result<_, NoPlan>>| plan.and_then(|p| p.err()).map(|why| why.to_string());
    let headroom = f.headroom();
    let at_demand = p.map(|_| {
        f.plans_at_demand().iter().map(|(growth, plan)| (growth.to_string(), plan.ok().map(|s| s.scheduled))).collect()
    });
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
        plan_scheduled_agents: plan(p).and_then(|p| p.ok()).map(|s| s.scheduled),
        honest_plan_scheduled_agents: plan(h).and_then(|p| p.ok()).map(|s| s.scheduled),
        no_plan_reason: no_plan(plan(p)),
        honest_no_plan_reason: no_plan(plan(h)),
        demand_headroom_percent: headroom.map(|h| h.percent()),
        demand_headroom_limit: headroom.and_then(|h| h.limit).map(condition_name),
        plan_scheduled_agents_at_demand: at_demand,
    }
}

/// The JSON entry of one checked file.
pub fn file_json(report: &FileReport) -> FileJson {
    super::compute_figures(std::slice::from_ref(report));
    let errors = report.diagnostics.iter().filter(|d| d.code.starts_with('E')).count();
    let teams = report
        .policy
        .iter()
        .flat_map(|p| &p.teams)
        .zip(report.figures())
        .filter(|(t, _)| !t.has_errors)
        .map(|(t, f)| team_json(t, f))
        .collect();
    FileJson { file: report.source.name().to_string(), errors, teams }
}

/// The widest the table is meant to be, in columns.
pub const TABLE_WIDTH: usize = 100;

/// Team names are never cut shorter than this to fit [`TABLE_WIDTH`].
const MIN_TEAM_WIDTH: usize = 12;

/// `text` with control characters and the invisible characters that
/// reorder or hide text (bidirectional controls, zero-width joiners)
/// written as `\u{1b}`, so that a name prints as what it is and cannot
/// move the cursor or recolour the terminal.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let invisible =
            matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}');
        if c.is_control() || invisible {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` cut to `width` characters, the last one an ellipsis when cut.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
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

/// The headroom as the table shows it: one decimal, rounded down;
/// `>1000%` above a growth of 1000% (elevenfold demand), and `≥` before a
/// figure where the search stopped with nothing failing (the figures are
/// not computed for more demand).
fn headroom_cell(headroom: Headroom) -> String {
    if headroom.tenths > 10_000 {
        ">1000%".into()
    } else if headroom.limit.is_none() && headroom.tenths > 0 {
        format!("≥{:.1}%", headroom.percent())
    } else {
        format!("{:.1}%", headroom.percent())
    }
}

/// A plan's scheduled agents, `none` when there is no plan.
fn plan_cell(plan: &StaffingPlan) -> String {
    plan.scheduled().map_or_else(|| "none".to_string(), |n| n.to_string())
}

/// Rows of cells under a header; columns empty (`-`) in every row are left
/// out, except the first.
struct Table {
    header: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

impl Table {
    /// The columns to print.
    fn kept(&self) -> Vec<usize> {
        (0..self.header.len())
            .filter(|&c| c == 0 || self.rows.iter().any(|r| r.get(c).is_some_and(|v| v != "-")))
            .collect()
    }

    /// The widths of the kept columns, the first (the team) left at 0.
    fn widths(&self, kept: &[usize]) -> Vec<usize> {
        kept.iter()
            .map(|&c| {
                let header = self.header.get(c).map_or(0, |h| h.chars().count());
                let cells = self.rows.iter().map(|r| r.get(c).map_or(0, |v| v.chars().count())).max().unwrap_or(0);
                if c == 0 { 0 } else { header.max(cells) }
            })
            .collect()
    }

    /// Columns other than the team's, with the indent and the separators.
    fn other_width(&self) -> usize {
        let kept = self.kept();
        2 + self.widths(&kept).iter().skip(1).map(|w| w + 2).sum::<usize>()
    }

    /// The table, its first column `team_width` wide (names cut to fit).
    fn render(&self, team_width: usize, out: &mut String) {
        let kept = self.kept();
        let mut widths = self.widths(&kept);
        if let Some(first) = widths.first_mut() {
            *first = team_width;
        }
        let line = |cells: Vec<String>, out: &mut String| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(v, &w)| {
                    let v = truncate(v, w);
                    let pad = w.saturating_sub(v.chars().count());
                    format!("{v}{}", " ".repeat(pad))
                })
                .collect();
            out.push_str(&format!("  {}\n", padded.join("  ").trim_end()));
        };
        line(kept.iter().map(|&c| self.header.get(c).copied().unwrap_or("").to_string()).collect(), out);
        for row in &self.rows {
            line(kept.iter().map(|&c| row.get(c).cloned().unwrap_or_default()).collect(), out);
        }
    }
}

/// The figures of one file as two tables that fit [`TABLE_WIDTH`]
/// columns, one row per team: what the team is given (demand, handle time,
/// agents, goal), then what the queue makes of it (service level, answer
/// time, occupancy, abandonment, the staffing plan, the demand headroom,
/// the first-contact-resolution ceiling). Team names are cut with an
/// ellipsis to fit, and every name and path is shown with control
/// characters escaped. A legend explains the markers used.
pub fn human_table(report: &FileReport) -> String {
    super::compute_figures(std::slice::from_ref(report));
    let dash = || "-".to_string();
    let mut given =
        Table { header: &["team", "channel", "demand", "handle time", "load", "agents", "goal"], rows: Vec::new() };
    let mut figures = Table {
        header: &["team", "achieved", "answer", "occupancy", "abandoned", "needed", "headroom", "FCR max"],
        rows: Vec::new(),
    };
    let (mut honest_differs, mut shrunk) = (false, false);
    let mut concurrencies: Vec<u32> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    for (team, f) in report.policy.iter().flat_map(|p| &p.teams).zip(report.figures()) {
        if team.has_errors {
            continue;
        }
        let name = escape(&team.name);
        let handle = match (f.planned_handle_time, f.honest_handle_time) {
            (Some((p, _)), Some((h, _))) if h != p => {
                honest_differs = true;
                format!("{p} ({h})")
            }
            (Some((p, _)), _) => p.to_string(),
            _ => dash(),
        };
        let agents = match (f.scheduled, f.productive) {
            (Some(s), Some(p)) => {
                shrunk |= s != p;
                if f.concurrency > 1 && !concurrencies.contains(&f.concurrency) {
                    concurrencies.push(f.concurrency);
                }
                let slots = if f.concurrency > 1 { format!(" x{}", f.concurrency) } else { String::new() };
                format!("{s} -> {p}{slots}")
            }
            _ => dash(),
        };
        let goal =
            team.service_level.as_ref().map_or_else(dash, |s| format!("{} in {}", s.value.share, s.value.within));
        given.rows.push(vec![
            name.clone(),
            f.channel.map_or_else(dash, |c| c.to_string()),
            f.arrival_per_hour.map_or_else(dash, |r| format!("{r:.0}/h")),
            handle,
            f.planned.as_ref().map_or_else(dash, |q| format!("{:.2}", q.load.to_f64())),
            agents,
            goal,
        ]);
        let p = f.planned.as_ref().filter(|_| f.servers.is_some());
        let achieved = match p {
            Some(q) if !q.stable => "unstable".to_string(),
            Some(q) => q.service_level.map_or_else(dash, percent),
            None => dash(),
        };
        let needed = match (f.planned.as_ref().map(|q| q.plan()), f.honest.as_ref().map(|q| q.plan())) {
            (Some(a), Some(b)) if a.plan != b.plan => {
                honest_differs = true;
                format!("{} ({})", plan_cell(a), plan_cell(b))
            }
            (Some(a), _) => plan_cell(a),
            _ => dash(),
        };
        let why_not = |q: Option<&crate::analysis::Queue>| match q.map(|q| q.plan().plan) {
            Some(Err(NoPlan::NotComputed(_))) | Some(Ok(_)) | None => None,
            Some(Err(why)) => Some(why),
        };
        match (why_not(f.planned.as_ref()), why_not(f.honest.as_ref())) {
            (Some(a), Some(b)) if a == b => notes.push((name.clone(), format!("no staffing plan: {a}"))),
            (a, b) => {
                if let Some(a) = a {
                    notes.push((name.clone(), format!("no staffing plan: {a}")));
                }
                if let Some(b) = b {
                    notes.push((name.clone(), format!("no staffing plan at the honest handle time: {b}")));
                }
            }
        }
        if let Some(why) = f.not_computed {
            notes.push((name.clone(), format!("not analysed: {why}")));
        }
        figures.rows.push(vec![
            name,
            achieved,
            p.and_then(|q| q.speed_of_answer()).map_or_else(dash, seconds),
            p.and_then(|q| q.occupancy).map_or_else(dash, percent),
            p.and_then(|q| q.abandonment).map_or_else(dash, percent),
            needed,
            f.headroom().map_or_else(dash, headroom_cell),
            percent(f.max_first_contact_resolution.fraction().to_f64()),
        ]);
    }
    let mut out = format!("{}\n", escape(report.source.name()));
    if given.rows.is_empty() {
        out.push_str("  (no team could be analysed)\n");
        return out;
    }
    let longest = given.rows.iter().filter_map(|r| r.first()).map(|n| n.chars().count()).max().unwrap_or(0);
    let room = TABLE_WIDTH.saturating_sub(given.other_width().max(figures.other_width()));
    let team_width = longest.max(4).min(room.max(MIN_TEAM_WIDTH));
    given.render(team_width, &mut out);
    out.push('\n');
    figures.render(team_width, &mut out);
    let mut legend = Vec::new();
    if shrunk || !concurrencies.is_empty() {
        let mut line = "agents: scheduled -> productive after shrinkage".to_string();
        if !concurrencies.is_empty() {
            concurrencies.sort_unstable();
            let markers: Vec<String> = concurrencies.iter().map(|k| format!("x{k}")).collect();
            line.push_str(&format!("; {}: contacts each agent holds at once", markers.join(", ")));
        }
        legend.push(line);
    }
    legend.push("needed: the fewest scheduled agents meeting every queue target and the occupancy ceiling".into());
    if honest_differs {
        legend.push("in brackets: at the honest handle time, raised to the floors of the team's promises".into());
    }
    legend.push("headroom: demand growth the agents absorb before a target or the ceiling fails".into());
    out.push('\n');
    for line in legend {
        out.push_str(&format!("  {line}\n"));
    }
    for (name, note) in notes {
        wrap(&format!("{}: {note}", truncate(&name, team_width)), &mut out);
    }
    out
}

/// `text` as lines of at most [`TABLE_WIDTH`] columns, indented by two and
/// continued with four.
fn wrap(text: &str, out: &mut String) {
    let mut line = String::from(" ");
    let mut width = 1;
    for word in text.split(' ') {
        let len = word.chars().count();
        if width + 1 + len > TABLE_WIDTH && width > 4 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("   ");
            width = 3;
        }
        line.push(' ');
        line.push_str(word);
        width += 1 + len;
    }
    out.push_str(&line);
    out.push('\n');
}
