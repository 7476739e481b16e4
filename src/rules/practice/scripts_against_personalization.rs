use crate::model::vocab::{Promise, Scripts};
use crate::rules::fixes::set_scalar;
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team told to read scripts `verbatim` that promises
    /// `personalized` or `empathetic` service.
    ///
    /// ## Why is this bad?
    /// A script read word for word is the same for every customer; that is
    /// its purpose. The technology help desk of the field notes replaced
    /// hundreds of detailed scripts with a handful of principles, and
    /// customers felt real attention for the first time.
    ///
    /// ## Example
    /// ```text
    /// scripts verbatim
    /// promise personalized
    /// ```
    ///
    /// ## How to fix
    /// Move to `scripts guided` or `scripts principles`, or drop the promise.
    pub struct ScriptsAgainstPersonalization {
        code: "P001",
        name: "scripts-against-personalization",
        category: Practice,
        severity: Warning,
        norms: [],
    }
}

impl Rule for ScriptsAgainstPersonalization {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(scripts) = cx.team.scripts.as_ref().filter(|s| s.value == Scripts::Verbatim) else { return };
        let personal: Vec<_> = cx
            .team
            .promises
            .iter()
            .filter(|p| matches!(p.value, Promise::Personalized | Promise::Empathetic))
            .collect();
        if personal.is_empty() {
            return;
        }
        let names: Vec<String> = personal.iter().map(|p| format!("`{}`", p.value)).collect();
        let mut finding = cx
            .finding(&Self::META, format!("agents read scripts word for word but promise {} service", join_and(&names)))
            .primary(scripts.span, format!("the same words for every customer{}", cx.from(scripts.origin)));
        for p in personal {
            finding = finding.secondary(p.span, format!("promised{}", cx.from(p.origin)));
        }
        let finding =
            finding.help("replace verbatim scripts with `scripts guided` or `scripts principles`, or drop the promise");
        let guided = set_scalar(cx, scripts.span, scripts.origin, "scripts guided")
            .map(|edit| crate::Fix::unsafe_("replace verbatim scripts with `scripts guided`", vec![edit]));
        out.push(match guided {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
