use super::{
    agents_figures, pct, plan_help, planned, productive_phrase, staffing_labels, target_clause, target_figures,
};
use crate::analysis::conditions::TargetKind;
use crate::diagnostic::article;
use crate::rules::figures::{number, percent_f64, seconds};
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose queue targets (the service level, and ceilings on
    /// the speed of answer or, with `patience`, on abandonment) are all met
    /// at the planned handle time (its handle-time ceiling) but not all at
    /// the honest one: the planned time raised to the floor of the promises
    /// it makes on its channel (a thorough phone contact takes about 6
    /// minutes). The plan works only if agents rush through contacts the
    /// team promised to handle with care. One finding per team.
    ///
    /// ## Why is this bad?
    /// This is the field notes' telecommunications case in staffing terms:
    /// three-minute calls beside "personalised, thorough" service. The
    /// numbers on the rota add up only because they assume the promise is
    /// broken; agents carry the difference.
    ///
    /// ## Example
    /// ```text
    /// channel phone
    /// demand 200/h
    /// agents 20
    /// target handle_time <= 3m       # 10 Erlangs: 14 productive agents suffice
    /// promise thorough               # at 6m, 20 Erlangs: they do not
    /// service_level 80% within 20s
    /// ```
    ///
    /// ## How to fix
    /// Staff for the honest handle time (the finding gives the agents
    /// needed), or stop promising what the staffing cannot give.
    pub struct StaffingForcesRush {
        code: "S003",
        name: "staffing-forces-rush",
        category: Staffing,
        severity: Error,
        norms: ["handle_time_floor", "typical_handle_time"],
    }
}

impl Rule for StaffingForcesRush {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(q) = planned(cx) else { return };
        let (Some(honest), Some((honest_time, Some(promise))), Some(channel)) =
            (cx.figures.honest.as_ref(), cx.figures.honest_handle_time, cx.figures.channel)
        else {
            return;
        };
        if q.targets().is_empty() || q.all_targets_met() != Some(true) || honest.all_targets_met() != Some(false) {
            return;
        }
        // The first target the honest handle time breaks, and how.
        let Some(broken) = honest.targets().iter().find(|s| s.met == Some(false)) else { return };
        let mut finding = cx.finding(&Self::META, String::new());
        finding = agents_figures(cx, finding);
        for target in &q.model.targets {
            finding = target_figures(finding, target);
        }
        finding = seconds(finding, "handle_time_seconds", q.handle_time.secs());
        finding = seconds(finding, "honest_handle_time_seconds", honest_time.secs());
        finding = match (broken.target.kind, broken.figure) {
            _ if !honest.stable => number(finding, "honest_offered_load_erlangs", honest.load.to_f64()),
            (TargetKind::ServiceLevel { .. }, Some(f)) => percent_f64(finding, "honest_service_level_percent", f),
            (TargetKind::SpeedOfAnswer { .. }, Some(f)) => number(finding, "honest_speed_of_answer_seconds", f),
            (TargetKind::Abandonment { .. }, Some(f)) => percent_f64(finding, "honest_abandonment_percent", f),
            (_, None) => finding,
        };
        let at_honest = match (broken.target.kind, broken.figure) {
            _ if !honest.stable => {
                format!("{:.2} Erlangs arrive and the queue grows without bound", honest.load.to_f64())
            }
            (TargetKind::ServiceLevel { within, .. }, Some(f)) => {
                format!("they answer only {} within {within}", pct(f))
            }
            (TargetKind::SpeedOfAnswer { ceiling }, Some(f)) => {
                format!("contacts wait {f:.1}s on average, over the {ceiling} the scorecard allows")
            }
            (TargetKind::Abandonment { ceiling }, Some(f)) => {
                format!("{} of contacts are abandoned, over the {ceiling} the scorecard allows", pct(f))
            }
            (_, None) => "no contact is answered".to_string(),
        };
        let met: Vec<String> = q.model.targets.iter().map(target_clause).collect();
        let message = format!(
            "{} {} only at {} a contact: at the {honest_time} {} {promise} {} contact takes, {at_honest}",
            productive_phrase(cx),
            join_and(&met),
            q.handle_time,
            article(promise.as_str()),
            channel.phrase()
        );
        finding.message = message;
        let mut finding = staffing_labels(cx, finding, format!("enough only for {} a contact", q.handle_time));
        for p in cx.team.promises.iter().filter(|p| cx.norms.floor(p.value, channel).is_some_and(|f| f > q.handle_time))
        {
            let floor = cx.norms.floor(p.value, channel).map_or(String::new(), |f| f.to_string());
            finding = finding.secondary(p.span, format!("`{}` takes at least {floor}{}", p.value, cx.from(p.origin)));
        }
        if let Some(index) = broken.target.target
            && let Some(target) = cx.team.targets.iter().nth(index)
        {
            finding = finding.secondary(target.span, format!("not met at {honest_time}{}", cx.from(target.origin)));
        } else if let Some(sl) = &cx.team.service_level {
            finding = finding.secondary(sl.span, format!("not met at {honest_time}{}", cx.from(sl.origin)));
        }
        // Every promise whose floor is above the planned time would have to go.
        let above: Vec<String> = cx
            .team
            .promises
            .iter()
            .filter(|p| cx.norms.floor(p.value, channel).is_some_and(|f| f > q.handle_time))
            .map(|p| format!("`{}`", p.value))
            .collect();
        let (help, fix, finding) = plan_help(cx, honest, None, &format!(" for the honest {honest_time}"), finding);
        let mut finding = finding.help(format!("{help}, or drop {}", join_and(&above)));
        if let Some(fix) = fix {
            finding = finding.fix(fix);
        }
        out.push(finding);
    }
}
