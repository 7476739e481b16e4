use crate::model::units::Ratio;
use crate::num::Rational;
use crate::rules::figures::percent;
use crate::rules::scorecard::weight;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose targets carry weights that do not add up to 100%.
    ///
    /// ## Why is this bad?
    /// Weights say what matters how much. When they add up to 90% or 130%,
    /// nobody can say how the team is scored, and the scorecard that people
    /// are paid on differs from the one written down.
    ///
    /// ## Example
    /// ```text
    /// target handle_time <= 5m weight 40%
    /// target csat >= 85% weight 50%
    /// ```
    ///
    /// ## How to fix
    /// Adjust the weights so they add up to exactly 100%, counting the
    /// weighted targets in `defaults`.
    pub struct WeightsNot100 {
        code: "K005",
        name: "weights-not-100",
        category: Kpi,
        severity: Warning,
        norms: [],
    }
}

impl Rule for WeightsNot100 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let weighted: Vec<_> = cx.team.targets.iter().filter(|t| t.weight.is_some()).collect();
        let Some(first) = weighted.first() else { return };
        let total = weighted.iter().fold(Rational::ZERO, |sum, t| sum.checked_add(weight(t)).unwrap_or(sum));
        if total == Rational::ONE {
            return;
        }
        let label =
            |t: &crate::model::Target| format!("`{}` weighs {}{}", t.metric, Ratio(weight(t)), cx.from(t.origin));
        let mut finding = cx
            .finding(&Self::META, format!("the scorecard's weights add up to {}, not 100%", Ratio(total)))
            .primary(first.span, label(first));
        for t in weighted.iter().skip(1) {
            finding = finding.secondary(t.span, label(t));
        }
        finding = percent(finding, "weight_total_percent", total);
        let gap = if total < Rational::ONE {
            let missing = Rational::ONE.checked_sub(total).unwrap_or(Rational::ZERO);
            finding = percent(finding, "weight_missing_percent", missing);
            format!("{} is not given to any target", Ratio(missing))
        } else {
            let excess = total.checked_sub(Rational::ONE).unwrap_or(Rational::ZERO);
            finding = percent(finding, "weight_excess_percent", excess);
            format!("{} too much is given out", Ratio(excess))
        };
        out.push(finding.help(format!("make the weights add up to 100%: {gap}")));
    }
}
