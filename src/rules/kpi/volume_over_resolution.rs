use crate::model::policy::Target;
use crate::model::units::Ratio;
use crate::rules::figures::percent;
use crate::rules::scorecard::{Scorecard, is_outcome, is_pressure, weight};
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a scorecard whose speed and volume pressure targets (ceilings on
    /// handle time, speed of answer or abandonment; floors on contacts per
    /// hour, occupancy or adherence) carry more weight than its resolution
    /// and quality targets.
    ///
    /// ## Why is this bad?
    /// People do what they are measured on. A scorecard that rewards volume
    /// over resolution teaches agents to close contacts rather than solve
    /// problems, and the customers call back. In the telecommunications case
    /// of the field notes, measuring resolution and first-contact success
    /// instead of speed made contacts longer and service much better.
    ///
    /// ## Example
    /// ```text
    /// target handle_time <= 5m weight 60%
    /// target csat >= 85% weight 40%
    /// ```
    ///
    /// ## How to fix
    /// Move weight from speed and volume to first-contact resolution,
    /// resolution rate or quality until they weigh at least as much.
    pub struct VolumeOverResolution {
        code: "K003",
        name: "volume-over-resolution",
        category: Kpi,
        severity: Warning,
        norms: [],
    }
}

impl Rule for VolumeOverResolution {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let targets = &cx.team.targets;
        let Some(card) = Scorecard::of(targets) else { return };
        if card.pressure <= card.outcome {
            return;
        }
        let pressure: Vec<&Target> =
            targets.iter().filter(|t| is_pressure(t) && weight(t) > crate::num::Rational::ZERO).collect();
        // The heaviest pressure target; the first on ties.
        let Some(heaviest) = pressure.iter().copied().reduce(|a, b| if weight(b) > weight(a) { b } else { a }) else {
            return;
        };
        let label = |t: &Target| format!("`{}` weighs {}{}", t.metric, Ratio(weight(t)), cx.from(t.origin));
        let mut finding = cx
            .finding(
                &Self::META,
                format!(
                    "speed and volume carry {} of the scorecard, resolution and quality only {}",
                    Ratio(card.pressure),
                    Ratio(card.outcome)
                ),
            )
            .primary(heaviest.span, label(heaviest));
        finding = percent(finding, "pressure_weight_percent", card.pressure);
        finding = percent(finding, "outcome_weight_percent", card.outcome);
        for t in targets.iter().filter(|t| weight(t) > crate::num::Rational::ZERO && (is_pressure(t) || is_outcome(t)))
        {
            finding = finding.secondary(t.span, label(t));
        }
        let half_gap =
            card.pressure.checked_sub(card.outcome).and_then(|d| d.checked_div(crate::num::Rational::from_int(2)));
        let shift = half_gap.map_or(String::new(), |d| format!(" (at least {})", Ratio(d)));
        if let Some(d) = half_gap {
            finding = percent(finding, "weight_shift_percent", d);
        }
        out.push(finding.help(format!(
            "move weight{shift} from speed and volume to first-contact resolution, resolution rate or quality"
        )));
    }
}
