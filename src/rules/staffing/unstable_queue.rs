use super::{
    agents_figures, handle_figure, handle_phrase, plan_help, planned, productive_phrase, staffing_labels, unstable,
};
use crate::analysis::conditions::Condition;
use crate::rules::figures::number;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose offered load (contacts an hour times the planned
    /// handle time) is at least the number of productive agents: more work
    /// arrives than the agents can do, so the queue grows without bound and
    /// no service level can be met. Decided exactly, not in floating point.
    /// Teams that state `patience` are not checked: customers who give up
    /// keep such a queue finite, and `service-level-unreachable` judges them.
    ///
    /// ## Why is this bad?
    /// Staffing so thin that the work cannot be done at all is the extreme of
    /// the habit that forces rushing: every customer waits, and waits longer
    /// every minute of the busy interval.
    ///
    /// ## Example
    /// ```text
    /// channel phone
    /// demand 600/h
    /// agents 42
    /// shrinkage 30%            # 29 productive agents
    /// target handle_time <= 3m # 30 Erlangs of work
    /// ```
    ///
    /// ## How to fix
    /// Schedule at least the number of agents the finding gives, shorten the
    /// work honestly (remove preventable contacts), or reduce shrinkage.
    pub struct UnstableQueue {
        code: "S001",
        name: "unstable-queue",
        category: Staffing,
        severity: Error,
        norms: ["typical_handle_time"],
    }
}

impl Rule for UnstableQueue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if !unstable(cx) {
            return;
        }
        let Some(q) = planned(cx) else { return };
        let load = q.load.to_f64();
        let servers = cx.figures.servers.unwrap_or(0);
        let message = format!(
            "{load:.2} Erlangs of work arrive {} for {}: the queue grows without bound",
            handle_phrase(cx),
            productive_phrase(cx)
        );
        let finding = cx.finding(&Self::META, message);
        let label = format!(
            "{servers} {} for {load:.2} Erlangs",
            if cx.figures.concurrency > 1 { "slots" } else { "agents taking contacts" }
        );
        let finding = staffing_labels(cx, finding, label);
        let finding = handle_figure(cx, agents_figures(cx, number(finding, "offered_load_erlangs", load)));
        let (help, fix, finding) =
            plan_help(cx, q, Some((Condition::Stability, "keep the queue from growing")), "", finding);
        let mut finding = finding.help(help);
        if let Some(fix) = fix {
            finding = finding.fix(fix);
        }
        out.push(finding);
    }
}
