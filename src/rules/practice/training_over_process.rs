use crate::model::units::Ratio;
use crate::num::Rational;
use crate::rules::figures::percent;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team whose `preventable` drivers (contacts that exist because
    /// something upstream failed) add up to at least
    /// `max_preventable_share` (30%) of its contacts.
    ///
    /// ## Why is this bad?
    /// Training cannot substitute for broken processes. In the parcel
    /// delivery case of the field notes, a team skilled at calming angry
    /// customers spent four fifths of its time on stuck orders and stale
    /// tracking; moving money from support training to fixing logistics cut
    /// complaints by nearly 70% in six months.
    ///
    /// ## Example
    /// ```text
    /// drivers {
    ///   "where is my order" 45% preventable
    ///   "damaged item"      20%
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Fix the upstream causes: the finding lists the drivers and their
    /// shares; each point removed is work that needs no agent.
    pub struct TrainingOverProcess {
        code: "P005",
        name: "training-over-process",
        category: Practice,
        severity: Warning,
        norms: ["max_preventable_share"],
    }
}

impl Rule for TrainingOverProcess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(drivers) = &cx.team.drivers else { return };
        let preventable: Vec<_> = drivers.list.iter().filter(|d| d.preventable).collect();
        let total =
            preventable.iter().fold(Rational::ZERO, |sum, d| sum.checked_add(d.share.fraction()).unwrap_or(sum));
        let threshold = cx.norms.max_preventable_share;
        if preventable.is_empty() || total < threshold.fraction() {
            return;
        }
        // The largest preventable driver; the first on ties.
        let Some(largest) = preventable.iter().copied().reduce(|a, b| if b.share > a.share { b } else { a }) else {
            return;
        };
        let mut finding = cx
            .finding(
                &Self::META,
                format!("{} of contacts are preventable: at or above {threshold}, fixing the process upstream beats training agents to absorb it", Ratio(total)),
            )
            .primary(largest.span, format!("{} caused upstream{}", largest.share, cx.from(drivers.origin)));
        finding = percent(finding, "share_percent", total);
        finding = percent(finding, "share_threshold_percent", threshold.fraction());
        for d in preventable {
            finding = finding.secondary(d.span, format!("{} caused upstream", d.share));
        }
        out.push(finding.help(format!(
            "fix the upstream cause of `{}` first; every point of share removed is work no agent has to do",
            largest.name
        )));
    }
}
