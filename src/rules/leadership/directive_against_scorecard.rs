use crate::model::policy::Intent;
use crate::model::units::Ratio;
use crate::model::vocab::{Metric, MetricClass};
use crate::num::Rational;
use crate::rules::figures::percent;
use crate::rules::fixes::remove;
use crate::rules::scorecard::{Scorecard, is_pressure, weight};
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a directive that the team's scorecard works against: a
    /// directive to maximize a resolution or quality metric, or to require a
    /// promise, while the scorecard weights speed and volume pressure above
    /// resolution and quality; or a directive to minimize handle time while
    /// no speed target carries any weight. A team without a weighted target
    /// has no scorecard and is not checked.
    ///
    /// ## Why is this bad?
    /// People follow what they are paid on, not what they are told. A
    /// directive the scorecard contradicts is ignored at best, and at worst
    /// teaches staff that leadership says one thing and rewards another.
    ///
    /// ## Example
    /// ```text
    /// target handle_time <= 4m weight 70%
    /// target first_contact_resolution >= 70% weight 30%
    /// directive director: maximize first_contact_resolution
    /// ```
    ///
    /// ## How to fix
    /// Weight the scorecard the way the directive points, or withdraw the
    /// directive.
    pub struct DirectiveAgainstScorecard {
        code: "L002",
        name: "directive-against-scorecard",
        category: Leadership,
        severity: Warning,
        norms: [],
    }
}

impl Rule for DirectiveAgainstScorecard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(card) = Scorecard::of(&cx.team.targets) else { return };
        let speed_weighted = cx
            .team
            .targets
            .iter()
            .any(|t| is_pressure(t) && t.metric.class() == MetricClass::Speed && weight(t) > Rational::ZERO);
        for d in &cx.team.directives {
            let message = match d.intent {
                Intent::Maximize(m)
                    if matches!(m.class(), MetricClass::Resolution | MetricClass::Quality)
                        && card.pressure > card.outcome =>
                {
                    format!(
                        "the {} asks to maximize `{m}`, but the scorecard weights speed and volume at {} against {} for resolution and quality",
                        d.level.name,
                        Ratio(card.pressure),
                        Ratio(card.outcome)
                    )
                }
                Intent::Require(p) if card.pressure > card.outcome => {
                    format!(
                        "the {} requires `{p}` service, but the scorecard weights speed and volume at {} against {} for resolution and quality",
                        d.level.name,
                        Ratio(card.pressure),
                        Ratio(card.outcome)
                    )
                }
                Intent::Minimize(Metric::HandleTime) if !speed_weighted => {
                    format!(
                        "the {} asks to minimize handle time, but no speed target carries any weight on the scorecard",
                        d.level.name
                    )
                }
                _ => continue,
            };
            let weighed = !matches!(d.intent, Intent::Minimize(_));
            let mut finding = cx.finding(&Self::META, message);
            if weighed {
                finding = percent(finding, "pressure_weight_percent", card.pressure);
                finding = percent(finding, "outcome_weight_percent", card.outcome);
            }
            finding = finding.primary(d.span, format!("the {}: {}{}", d.level.name, d.intent, cx.from(d.origin)));
            for t in cx.team.targets.iter().filter(|t| weight(t) > Rational::ZERO) {
                finding = finding
                    .secondary(t.span, format!("`{}` weighs {}{}", t.metric, Ratio(weight(t)), cx.from(t.origin)));
            }
            let help = if matches!(d.intent, Intent::Minimize(_)) {
                "weight a handle-time target on the scorecard, or withdraw the directive"
            } else {
                "shift the scorecard's weight toward resolution and quality, or withdraw the directive"
            };
            let quote = cx.quote(d.span);
            out.push(finding.help(help).fix(remove(format!("withdraw {quote}"), cx, d.span)));
        }
    }
}
