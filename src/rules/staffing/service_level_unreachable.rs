use super::{
    agents_figures, goal, handle_figure, handle_phrase, judged, pct, plan_help, productive_phrase, staffing_labels,
};
use crate::analysis::conditions::Condition;
use crate::analysis::erlang::model_free_bound;
use crate::rules::figures::{count, number, percent, percent_f64, seconds};
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose queue is stable but whose agents answer fewer
    /// contacts within the service-level threshold than the target, at the
    /// planned handle time. With `patience`, the Erlang A figure is used and
    /// abandoned contacts count as missed. A 100% target is never met.
    ///
    /// ## Why is this bad?
    /// The promise to customers ("80% answered within 20 seconds") cannot be
    /// kept with the agents scheduled; the gap shows up as long waits,
    /// abandoned calls and pressure on agents to hurry.
    ///
    /// ## Example
    /// ```text
    /// demand 200/h
    /// agents 12                # 12 agents for 10 Erlangs
    /// target handle_time <= 3m
    /// service_level 80% within 20s
    /// ```
    ///
    /// ## How to fix
    /// Schedule the agents the finding gives, or set a service level the
    /// staffing supports.
    pub struct ServiceLevelUnreachable {
        code: "S002",
        name: "service-level-unreachable",
        category: Staffing,
        severity: Error,
        norms: ["typical_handle_time"],
    }
}

impl Rule for ServiceLevelUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(q), Some(sl), Some(goal)) = (judged(cx), cx.team.service_level.as_ref(), goal(cx)) else { return };
        let Some(status) = q.target(None).filter(|s| s.met == Some(false)) else { return };
        let target = sl.value.share.fraction().to_f64();
        let achieved = status.figure.unwrap_or(0.0);
        let servers = cx.figures.servers.unwrap_or(0);
        let mut message = format!(
            "{} answer {} of contacts within {} {}; the target is {}",
            productive_phrase(cx),
            pct(achieved),
            sl.value.within,
            handle_phrase(cx),
            sl.value.share
        );
        let mut finding = cx.finding(&Self::META, String::new());
        finding = handle_figure(cx, agents_figures(cx, finding));
        finding = percent_f64(finding, "service_level_percent", achieved);
        finding = seconds(finding, "service_level_threshold_seconds", sl.value.within.secs());
        finding = percent(finding, "service_level_target_percent", sl.value.share.fraction());
        if cx.team.patience.is_some() {
            let bound = model_free_bound(servers, q.load.to_f64());
            if bound < target {
                finding = count(finding, "servers", servers);
                finding = number(finding, "offered_load_erlangs", q.load.to_f64());
                finding = percent_f64(finding, "service_level_bound_percent", bound);
                message = format!(
                    "{message}: with {servers} servers for {:.2} Erlangs no staffing model answers more than {}",
                    q.load.to_f64(),
                    pct(bound)
                );
            }
        }
        finding.message = message;
        let mut finding = staffing_labels(cx, finding, format!("answers {} in time", pct(achieved)));
        finding = finding.secondary(sl.span, format!("the target: {goal}{}", cx.from(sl.origin)));
        let (help, fix, finding) =
            plan_help(cx, q, Some((Condition::Target(status.target), &format!("answer {goal}"))), "", finding);
        let help = if status.target.reachable() {
            format!("{help}, or set a target the staffing supports")
        } else {
            format!("{help}; set a share below 100%")
        };
        let mut finding = finding.help(help);
        if let Some(fix) = fix {
            finding = finding.fix(fix);
        }
        out.push(finding);
    }
}
