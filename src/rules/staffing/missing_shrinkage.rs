use crate::rules::figures::count;
use crate::rules::fixes::add_to_team;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a team that states `agents` but not `shrinkage`. The analysis
    /// then assumes every scheduled agent takes contacts all the time. A
    /// stated `shrinkage 0%` is respected.
    ///
    /// ## Why is this bad?
    /// Breaks, training, meetings, absence and coaching typically take 30-35%
    /// of scheduled time. Ignoring them overstates the agents available by a
    /// third, and every staffing figure with them.
    ///
    /// ## Example
    /// ```text
    /// agents 42
    /// ```
    ///
    /// ## How to fix
    /// State the team's shrinkage, e.g. `shrinkage 32%`, in the team or in
    /// `defaults`.
    pub struct MissingShrinkage {
        code: "S005",
        name: "missing-shrinkage",
        category: Staffing,
        severity: Info,
        norms: [],
    }
}

impl Rule for MissingShrinkage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(agents), None) = (&cx.team.agents, &cx.team.shrinkage) else { return };
        // Stated where the agents are: in the team, or in `defaults` for
        // every team that inherits them.
        let edit = match agents.origin {
            crate::model::Origin::Team => Some(crate::Edit {
                span: crate::Span::point(agents.span.end as usize),
                replacement: "\n  shrinkage 30%".to_string(),
            }),
            crate::model::Origin::Defaults => add_to_team(cx, "shrinkage 30%"),
        };
        let fix =
            edit.map(|e| crate::Fix::unsafe_("state `shrinkage 30%`, the low end of the typical 30-35%", vec![e]));
        let finding = cx.finding(
            &Self::META,
            format!(
                "`agents` is stated without `shrinkage`: the analysis assumes all {} agents take contacts all the time",
                agents.value
            ),
        );
        // The 32% and 30-35% of the help are examples, not figures of the team.
        let finding = count(finding, "scheduled_agents", agents.value)
            .primary(agents.span, format!("no shrinkage stated{}", cx.from(agents.origin)))
            .help("state the share of scheduled time not available for contacts (breaks, training, absence), e.g. `shrinkage 32%`; 30-35% is typical");
        out.push(match fix {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
