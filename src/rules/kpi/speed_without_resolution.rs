use crate::model::vocab::MetricClass;
use crate::rules::fixes::add_to_team;
use crate::rules::scorecard::is_pressure;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team with a speed or volume pressure target and no target on
    /// whether contacts are resolved (`first_contact_resolution`,
    /// `resolution_rate` or `repeat_contacts`).
    ///
    /// ## Why is this bad?
    /// Speed alone is easy to fake: transfer the call, promise a call back,
    /// close the ticket. Without a resolution measure, a team can hit every
    /// speed target while customers contact it again and again.
    ///
    /// ## Example
    /// ```text
    /// team "Care" {
    ///   channel phone
    ///   target handle_time <= 5m
    ///   target csat >= 80%
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add a resolution target, such as `target first_contact_resolution >= 70%`.
    pub struct SpeedWithoutResolution {
        code: "K004",
        name: "speed-without-resolution",
        category: Kpi,
        severity: Warning,
        norms: [],
    }
}

impl Rule for SpeedWithoutResolution {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let targets = &cx.team.targets;
        if targets.iter().any(|t| t.metric.class() == MetricClass::Resolution) {
            return;
        }
        let mut pressure = targets.iter().filter(|t| is_pressure(t));
        let Some(first) = pressure.next() else { return };
        let mut finding = cx
            .finding(
                &Self::META,
                format!("`{}` is targeted, but nothing measures whether contacts are resolved", first.metric),
            )
            .primary(first.span, format!("pushes for speed or volume{}", cx.from(first.origin)));
        for t in pressure {
            finding = finding.secondary(t.span, format!("pushes for speed or volume{}", cx.from(t.origin)));
        }
        let finding = finding.help(
            "add a resolution target, such as `target first_contact_resolution >= 70%` (about 70% is the industry average)",
        );
        let add = add_to_team(cx, "target first_contact_resolution >= 70%")
            .map(|edit| crate::Fix::unsafe_("add `target first_contact_resolution >= 70%` to the team", vec![edit]));
        out.push(match add {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
