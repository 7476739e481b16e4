//! What a rule sees of one team.

use super::RuleMeta;
use crate::analysis::TeamFigures;
use crate::model::{Norms, Origin, Policy, Team};
use crate::{Diagnostic, Source};

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
}

impl<'a> Context<'a> {
    /// A context for `team` of `policy` with its `figures`.
    pub fn new(source: &'a Source, policy: &'a Policy, team: &'a Team, figures: &'a TeamFigures) -> Self {
        Context { source, policy, team, norms: &policy.norms, figures }
    }

    /// A finding of `meta` about this team, at the rule's default severity.
    pub fn finding(&self, meta: &RuleMeta, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(meta.code, meta.name, meta.default_severity, message).team(self.team.name.clone())
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
