use crate::model::policy::Bound;
use crate::model::units::Ratio;
use crate::model::units::Value;
use crate::model::vocab::{EmotionalLoad, Metric};
use crate::rules::figures::{FLOOR, percent, value};
use crate::rules::fixes::{remove, retarget};
use crate::rules::scorecard::lower_phrase;
use crate::rules::{Context, Rule, RuleMeta};
use crate::syntax::ast::CmpOp;
use crate::{Diagnostic, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a floor on `occupancy` (`>=`, `>`, `=`, or the lower end of
    /// `between`) that admits no value at or below the occupancy ceiling:
    /// `max_occupancy` (85%), or `max_occupancy_high_load` (75%) for a team
    /// with `emotional_load high`. `>= 90%` fires against 85%, `>= 85%` does
    /// not, `> 85%` does. It is an error for a high-emotional-load team.
    ///
    /// ## Why is this bad?
    /// Occupancy above 85% is burnout territory, and distressing work needs
    /// more recovery time still. A scorecard that rewards agents for being
    /// busier than that rewards the burnout the norms forbid, and teaches
    /// them to hurry customers off the line to stay busy on the next one.
    ///
    /// ## Example
    /// ```text
    /// team "Consumer Care" {
    ///   channel phone
    ///   target occupancy >= 95%
    /// }
    /// ```
    /// fires: 95% is above the 85% ceiling.
    ///
    /// ## How to fix
    /// Lower the target to the ceiling or below, or drop it: occupancy is an
    /// outcome of staffing, not something agents should be asked to raise.
    pub struct OccupancyTargetAboveCeiling {
        code: "K007",
        name: "occupancy-target-above-ceiling",
        category: Kpi,
        severity: Warning,
        norms: ["max_occupancy", "max_occupancy_high_load"],
    }
}

impl Rule for OccupancyTargetAboveCeiling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let high = cx.team.emotional_load.as_ref().filter(|l| l.value == EmotionalLoad::High);
        let ceiling = cx.figures.occupancy_ceiling;
        for target in cx.team.targets.iter().filter(|t| t.metric == Metric::Occupancy) {
            let Some(lower) = target.bound.lower() else { continue };
            if !lower.floor_above(ceiling.fraction()) {
                continue;
            }
            let reason = if high.is_some() { "the ceiling for distressing work" } else { "the ceiling before burnout" };
            let mut finding = cx
                .finding(
                    &Self::META,
                    format!("the scorecard asks for occupancy of {}, but {reason} is {ceiling}", lower_phrase(lower)),
                )
                .primary(target.span, format!("asks for {}{}", lower_phrase(lower), cx.from(target.origin)));
            finding = value(finding, &FLOOR, lower.value);
            finding = percent(finding, "occupancy_ceiling_percent", ceiling.fraction());
            if let Some(load) = high {
                finding.severity = Severity::Error;
                finding = finding.secondary(
                    load.span,
                    format!("distressing work: at most {}{}", Ratio(ceiling.fraction()), cx.from(load.origin)),
                );
            }
            let at_ceiling = Value::Ratio(ceiling);
            let bound = match target.bound {
                Bound::Between(_, high) if high.axis() >= ceiling.fraction() => Bound::Between(at_ceiling, high),
                _ => Bound::Compare(CmpOp::Ge, at_ceiling),
            };
            out.push(
                finding
                    .help(format!("lower the target to at most {ceiling}, or drop it"))
                    .fix(retarget(format!("lower the occupancy target to {ceiling}"), target, bound))
                    .fix(remove(format!("remove {}", cx.quote(target.span)), cx, target.span)),
            );
        }
    }
}
