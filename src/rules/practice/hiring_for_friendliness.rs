use crate::model::vocab::Trait;
use crate::rules::fixes::list_around;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a hiring screen for `friendliness` or `enthusiasm` that screens
    /// for none of `composure`, `resilience`, `problem_solving` or
    /// `boundaries`.
    ///
    /// ## Why is this bad?
    /// A pleasant manner is not what carries an agent through a hard case.
    /// The financial-services case of the field notes switched from
    /// "people-person" hiring to composure under pressure, problem solving
    /// and comfort saying no; customer experience rose and staff handled
    /// hard cases without being overwhelmed.
    ///
    /// ## Example
    /// ```text
    /// hiring { screen_for friendliness, enthusiasm }
    /// ```
    ///
    /// ## How to fix
    /// Screen for composure, problem solving, resilience or boundaries as
    /// well (or instead).
    pub struct HiringForFriendliness {
        code: "P004",
        name: "hiring-for-friendliness",
        category: Practice,
        severity: Warning,
        norms: [],
    }
}

impl Rule for HiringForFriendliness {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(hiring) = &cx.team.hiring else { return };
        if hiring.screen_for.iter().any(|(t, _)| t.is_grounding()) {
            return;
        }
        let mut pleasant =
            hiring.screen_for.iter().filter(|(t, _)| matches!(t, Trait::Friendliness | Trait::Enthusiasm));
        let Some((first, span)) = pleasant.next() else { return };
        let mut finding = cx
            .finding(&Self::META, "hiring screens for a pleasant manner, but not for handling hard cases")
            .primary(*span, format!("`{first}`{}", cx.from(hiring.origin)));
        for (t, span) in pleasant {
            finding = finding.secondary(*span, format!("`{t}`{}", cx.from(hiring.origin)));
        }
        let finding = finding.help("screen for `composure`, `problem_solving`, `resilience` or `boundaries` as well");
        let add = list_around(cx, *span).map(|list| {
            let end = list.span.end as usize;
            crate::Fix::unsafe_(
                "screen for `composure` as well",
                vec![crate::Edit { span: crate::Span::point(end), replacement: ", composure".to_string() }],
            )
        });
        out.push(match add {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
