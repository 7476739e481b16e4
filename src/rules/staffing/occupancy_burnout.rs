use super::{agents_figures, judged, pct, plan_help, productive_phrase, staffing_labels};
use crate::analysis::conditions::Condition;
use crate::model::vocab::EmotionalLoad;
use crate::rules::figures::{percent, percent_f64};
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
    /// agents 18
    /// shrinkage 0%
    /// target handle_time <= 9m   # 15 Erlangs on 18 agents: 83.3% busy, over 75%
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
        let Some(q) = judged(cx) else { return };
        if q.occupancy_met() != Some(false) {
            return;
        }
        let high = cx.team.emotional_load.as_ref().filter(|l| l.value == EmotionalLoad::High);
        let ceiling = cx.figures.occupancy_ceiling;
        let reason = if high.is_some() { "the ceiling for distressing work" } else { "the ceiling before burnout" };
        // With no productive agent there is no occupancy to show: the work
        // has nobody to do it.
        let busy = match q.occupancy {
            Some(occupancy) => format!("would be busy with contacts {} of their time", pct(occupancy)),
            None => "cannot take any of the work".to_string(),
        };
        let mut finding =
            cx.finding(&Self::META, format!("{} {busy}, above {ceiling}, {reason}", productive_phrase(cx)));
        if high.is_some() {
            finding.severity = Severity::Error;
        }
        finding = agents_figures(cx, finding);
        if let Some(occupancy) = q.occupancy {
            finding = percent_f64(finding, "occupancy_percent", occupancy);
        }
        finding = percent(finding, "occupancy_ceiling_percent", ceiling.fraction());
        let label =
            q.occupancy.map_or("no agent to take contacts".to_string(), |o| format!("busy {} of the time", pct(o)));
        let mut finding = staffing_labels(cx, finding, label);
        if let Some(load) = high {
            finding =
                finding.secondary(load.span, format!("distressing work: at most {ceiling}{}", cx.from(load.origin)));
        }
        let what = format!("bring occupancy to {ceiling}");
        let (help, fix, finding) = plan_help(cx, q, Some((Condition::Occupancy, &what)), "", finding);
        let mut finding = finding.help(format!("{help}, or take work out of the queue"));
        if let Some(fix) = fix {
            finding = finding.fix(fix);
        }
        out.push(finding);
    }
}
