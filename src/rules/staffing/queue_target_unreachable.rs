use super::{
    agents_figures, handle_figure, handle_phrase, judged, pct, plan_help, productive_phrase, staffing_labels,
    target_figures,
};
use crate::analysis::conditions::{Condition, TargetKind};
use crate::rules::figures::{number, percent_f64};
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a ceiling on `speed_of_answer`, or on `abandonment` when the
    /// team states `patience`, that the team's staffing does not reach at
    /// the planned handle time. The speed of answer is the modelled mean wait
    /// of answered contacts (Erlang C without `patience`, Erlang A with it);
    /// abandonment is the modelled share of contacts that give up. Without
    /// `patience` an abandonment target is not judged, and an unstable queue
    /// is `unstable-queue`'s. One finding per unmet target.
    ///
    /// ## Why is this bad?
    /// The scorecard asks for an answer time or an abandonment rate the queue
    /// cannot give: agents are judged on a number that only more staff can
    /// move, and the pressure lands on the length of each contact instead. A
    /// staffing that meets the service level but still loses a fifth of its
    /// callers is not a plan.
    ///
    /// ## Example
    /// ```text
    /// channel phone
    /// demand 200/h
    /// agents 12
    /// target handle_time <= 3m     # 10 Erlangs on 12 agents
    /// target speed_of_answer <= 5s # the queue answers in 40.4s on average
    /// ```
    ///
    /// ## How to fix
    /// Schedule the agents the finding gives (the fewest that meet every
    /// queue target and the occupancy ceiling together), or set a target the
    /// staffing supports.
    pub struct QueueTargetUnreachable {
        code: "S007",
        name: "queue-target-unreachable",
        category: Staffing,
        severity: Error,
        norms: ["typical_handle_time", "max_occupancy", "max_occupancy_high_load"],
    }
}

impl Rule for QueueTargetUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(q) = judged(cx) else { return };
        for status in q.targets().iter().filter(|s| s.met == Some(false)) {
            let Some(target) = status.target.target.and_then(|i| cx.team.targets.iter().nth(i)) else { continue };
            let (asks, gives, own) = match status.target.kind {
                TargetKind::SpeedOfAnswer { ceiling } => (
                    format!("an answer in {ceiling} on average"),
                    match status.figure {
                        Some(wait) => format!("answer in {wait:.1}s on average"),
                        None => "answer no contact".to_string(),
                    },
                    format!("answer in {ceiling} on average"),
                ),
                TargetKind::Abandonment { ceiling } => (
                    format!("abandonment of at most {ceiling}"),
                    format!("lose {} of contacts", pct(status.figure.unwrap_or(1.0))),
                    format!("keep abandonment to {ceiling}"),
                ),
                TargetKind::ServiceLevel { .. } => continue,
            };
            let message =
                format!("the scorecard asks for {asks}, but {} {gives} {}", productive_phrase(cx), handle_phrase(cx));
            let mut finding = target_figures(cx.finding(&Self::META, message), &status.target);
            finding = match (status.target.kind, status.figure) {
                (TargetKind::SpeedOfAnswer { .. }, Some(wait)) => number(finding, "speed_of_answer_seconds", wait),
                (TargetKind::Abandonment { .. }, f) => percent_f64(finding, "abandonment_percent", f.unwrap_or(1.0)),
                _ => finding,
            };
            finding = handle_figure(cx, agents_figures(cx, finding));
            let mut finding = staffing_labels(cx, finding, gives.clone())
                .primary(target.span, format!("asks for {asks}{}", cx.from(target.origin)));
            if let Some(patience) = cx.team.patience.as_ref().filter(|_| status.figure.is_some()) {
                finding = finding.secondary(
                    patience.span,
                    format!("callers give up after {} on average{}", patience.value, cx.from(patience.origin)),
                );
            }
            let (help, fix, finding) = plan_help(cx, q, Some((Condition::Target(status.target), &own)), "", finding);
            let help = if status.target.reachable() {
                format!("{help}, or set a target the staffing supports")
            } else {
                format!("{help}; set a target above zero")
            };
            let mut finding = finding.help(help);
            if let Some(fix) = fix {
                finding = finding.fix(fix);
            }
            out.push(finding);
        }
    }
}
