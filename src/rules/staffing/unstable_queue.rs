use super::{goal, handle_phrase, planned, productive_phrase, scheduled_for_servers, staffing_labels, unstable};
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
        let stable_servers = u64::try_from(q.load.floor().max(0) + 1).unwrap_or(u64::MAX);
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
        let mut finding = staffing_labels(cx, finding, label);
        let stable = scheduled_for_servers(cx, stable_servers);
        let needed = q.required_servers().and_then(|s| scheduled_for_servers(cx, s));
        let help = match (stable, needed, goal(cx)) {
            (Some(stable), Some(needed), Some(goal)) => {
                format!(
                    "schedule at least {stable} agents for a queue that does not grow, and {needed} to answer {goal}"
                )
            }
            (Some(stable), _, _) => format!("schedule at least {stable} agents for a queue that does not grow"),
            _ => "every agent is lost to shrinkage: reduce it, or schedule agents".to_string(),
        };
        finding = finding.help(help);
        out.push(finding);
    }
}
