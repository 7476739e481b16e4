//! What a rule sees of one team.

use std::sync::OnceLock;

use super::RuleMeta;
use crate::Span;
use crate::analysis::TeamFigures;
use crate::model::vocab::Metric;
use crate::model::{Norms, Origin, Policy, Team};
use crate::num::Rational;
use crate::{Diagnostic, Source};

/// What is known of a team's targets on one metric, read in one pass over
/// the targets so that a question about them costs nothing per rule.
#[derive(Debug, Clone, Copy, Default)]
pub struct MetricTargets {
    /// The lowest upper end, on the metric's axis.
    pub upper: Option<Rational>,
    /// The highest lower end.
    pub lower: Option<Rational>,
    /// The summed weights of the targets that carry one.
    pub weight: Option<Rational>,
    /// The first target on the metric.
    pub first: Option<Span>,
}

/// One team of one policy, as a rule sees it.
pub struct Context<'a> {
    /// The source, to quote statements in messages.
    pub source: &'a Source,
    /// The whole policy (chain, other teams).
    pub policy: &'a Policy,
    /// The team being checked, with `defaults` merged in.
    pub team: &'a Team,
    /// The norms in force.
    pub norms: &'a Norms,
    /// The team's staffing figures.
    pub figures: &'a TeamFigures,
    targets: OnceLock<Vec<MetricTargets>>,
}

impl<'a> Context<'a> {
    /// A context for `team` of `policy` with its `figures`.
    pub fn new(source: &'a Source, policy: &'a Policy, team: &'a Team, figures: &'a TeamFigures) -> Self {
        Context { source, policy, team, norms: &policy.norms, figures, targets: OnceLock::new() }
    }

    /// The team's targets on `metric`, summed up once per team.
    pub fn targets_on(&self, metric: Metric) -> MetricTargets {
        let all = self.targets.get_or_init(|| {
            let mut all = vec![MetricTargets::default(); Metric::ALL.len()];
            for target in &self.team.targets {
                let Some(m) = Metric::ALL.iter().position(|m| *m == target.metric).and_then(|i| all.get_mut(i)) else {
                    continue;
                };
                m.first.get_or_insert(target.span);
                if let Some(end) = target.bound.upper() {
                    let v = end.value.axis();
                    m.upper = Some(m.upper.map_or(v, |u| u.min(v)));
                }
                if let Some(end) = target.bound.lower() {
                    let v = end.value.axis();
                    m.lower = Some(m.lower.map_or(v, |l| l.max(v)));
                }
                if let Some(w) = target.weight {
                    let w = w.fraction();
                    m.weight = Some(m.weight.map_or(Some(w), |s| s.checked_add(w)).unwrap_or(w));
                }
            }
            all
        });
        Metric::ALL.iter().position(|m| *m == metric).and_then(|i| all.get(i)).copied().unwrap_or_default()
    }

    /// A finding of `meta` about this team, at the rule's default severity.
    pub fn finding(&self, meta: &RuleMeta, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(meta.code, meta.name, meta.default_severity, message)
            .in_category(meta.category)
            .team(self.team.name.clone())
    }

    /// The statement at `span` with whitespace collapsed, for quoting in a
    /// message: `` `target handle_time <= 3m` ``.
    pub fn quote(&self, span: crate::Span) -> String {
        let text: Vec<&str> = self.source.slice(span).split_whitespace().collect();
        let mut text = text.join(" ");
        if text.chars().count() > 60 {
            text = text.chars().take(57).collect::<String>() + "...";
        }
        format!("`{text}`")
    }

    /// ` (from `defaults`)` for facts stated in `defaults`, else nothing.
    pub fn from(&self, origin: Origin) -> &'static str {
        match origin {
            Origin::Defaults => " (from `defaults`)",
            Origin::Team => "",
        }
    }
}
