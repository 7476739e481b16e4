use super::{goal, meets_target, pct, planned, productive_phrase, scheduled_for_servers, staffing_labels, unstable};
use crate::diagnostic::article;
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose service level is met at the planned handle time
    /// (its handle-time ceiling) but not at the honest one: the planned time
    /// raised to the floor of the promises it makes on its channel (a
    /// thorough phone contact takes about 6 minutes). The plan works only if
    /// agents rush through contacts the team promised to handle with care.
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
        if unstable(cx) {
            return;
        }
        let (Some(q), Some(sl), Some(goal)) = (planned(cx), cx.team.service_level.as_ref(), goal(cx)) else { return };
        let (Some(honest), Some((honest_time, Some(promise))), Some(channel)) =
            (cx.figures.honest.as_ref(), cx.figures.honest_handle_time, cx.figures.channel)
        else {
            return;
        };
        let target = sl.value.share.fraction().to_f64();
        let planned_met = meets_target(q.service_level, target);
        let honest_met = honest.stable && meets_target(honest.service_level, target);
        if !planned_met || honest_met {
            return;
        }
        let at_honest = if honest.stable {
            format!("they answer only {}", pct(honest.service_level.unwrap_or(0.0)))
        } else {
            format!("{:.2} Erlangs arrive and the queue grows without bound", honest.load.to_f64())
        };
        let message = format!(
            "{} meet {goal} only at {} a contact: at the {honest_time} {} {promise} {} contact takes, {at_honest}",
            productive_phrase(cx),
            q.handle_time,
            article(promise.as_str()),
            channel.phrase()
        );
        let finding = cx.finding(&Self::META, message);
        let mut finding = staffing_labels(cx, finding, format!("enough only for {} a contact", q.handle_time));
        for p in cx.team.promises.iter().filter(|p| cx.norms.floor(p.value, channel).is_some_and(|f| f > q.handle_time))
        {
            let floor = cx.norms.floor(p.value, channel).map_or(String::new(), |f| f.to_string());
            finding = finding.secondary(p.span, format!("`{}` takes at least {floor}{}", p.value, cx.from(p.origin)));
        }
        // Every promise whose floor is above the planned time would have to go.
        let above: Vec<String> = cx
            .team
            .promises
            .iter()
            .filter(|p| cx.norms.floor(p.value, channel).is_some_and(|f| f > q.handle_time))
            .map(|p| format!("`{}`", p.value))
            .collect();
        let drop = format!("drop {}", join_and(&above));
        let help = match honest.required_servers().and_then(|s| scheduled_for_servers(cx, s)) {
            Some(needed) => format!("schedule {needed} agents to answer {goal} at the honest {honest_time}, or {drop}"),
            None => format!("staff for the honest {honest_time}, or {drop}"),
        };
        out.push(finding.help(help));
    }
}
