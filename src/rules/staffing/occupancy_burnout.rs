use super::{pct, planned, productive_phrase, scheduled_for_servers, staffing_labels, unstable};
use crate::model::vocab::EmotionalLoad;
use crate::num::Rational;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose agents would be busy with contacts more of their
    /// available time than `max_occupancy` (85%), or `max_occupancy_high_load`
    /// (75%) for a team with `emotional_load high`, where it is an error.
    /// Occupancy is offered load over servers; with `patience`, the carried
    /// load (what is not abandoned) over servers.
    ///
    /// ## Why is this bad?
    /// Occupancy is the share of time agents spend with customers rather
    /// than recovering between them. 75-85% is the usual target band; above
    /// 90% is burnout territory. Distressing work needs more recovery: the
    /// healthcare case of the field notes is about staff carrying families'
    /// distress home. A large centre can meet its service level at 97%
    /// occupancy; the ceiling is a human constraint, not a queueing one.
    ///
    /// ## Example
    /// ```text
    /// emotional_load high
    /// demand 100/h
    /// agents 18                 # 18 Erlangs on 20 agents: 90% busy
    /// target handle_time <= 10m8s
    /// ```
    ///
    /// ## How to fix
    /// Schedule the agents the finding gives, or take work out of the queue.
    pub struct OccupancyBurnout {
        code: "S004",
        name: "occupancy-burnout",
        category: Staffing,
        severity: Warning,
        norms: ["max_occupancy", "max_occupancy_high_load"],
    }
}

impl Rule for OccupancyBurnout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if unstable(cx) {
            return;
        }
        let (Some(q), Some(servers)) = (planned(cx), cx.figures.servers) else { return };
        if servers == 0 {
            return;
        }
        let high = cx.team.emotional_load.as_ref().filter(|l| l.value == EmotionalLoad::High);
        let ceiling = if high.is_some() { cx.norms.max_occupancy_high_load } else { cx.norms.max_occupancy };
        // Exact for Erlang C (offered load over servers); with patience the
        // carried load is a float.
        let above = match (cx.team.patience.is_some(), q.occupancy) {
            (true, Some(occupancy)) => occupancy > ceiling.fraction().to_f64(),
            (false, _) => q
                .load
                .checked_div(Rational::from_int(i64::try_from(servers).unwrap_or(i64::MAX)))
                .is_some_and(|occupancy| occupancy > ceiling.fraction()),
            _ => false,
        };
        let Some(occupancy) = q.occupancy.filter(|_| above) else { return };
        let reason = if high.is_some() { "the ceiling for distressing work" } else { "the ceiling before burnout" };
        let mut finding = cx.finding(
            &Self::META,
            format!(
                "{} would be busy with contacts {} of their time, above {ceiling}, {reason}",
                productive_phrase(cx),
                pct(occupancy)
            ),
        );
        if high.is_some() {
            finding.severity = Severity::Error;
        }
        let mut finding = staffing_labels(cx, finding, format!("busy {} of the time", pct(occupancy)));
        if let Some(load) = high {
            finding =
                finding.secondary(load.span, format!("distressing work: at most {ceiling}{}", cx.from(load.origin)));
        }
        // Fewest servers at or below the ceiling on offered load: ceil(A / max).
        let needed = q
            .load
            .checked_div(ceiling.fraction())
            .and_then(|s| u64::try_from(s.ceil()).ok())
            .and_then(|s| scheduled_for_servers(cx, s));
        let help = match needed {
            Some(n) => {
                format!("schedule at least {n} agents to bring occupancy to {ceiling}, or take work out of the queue")
            }
            None => "take work out of the queue".to_string(),
        };
        out.push(finding.help(help));
    }
}
