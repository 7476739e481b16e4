use crate::model::vocab::{EmotionalLoad, Module};
use crate::rules::fixes::list_around;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, Severity, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a training `sequence` with no `resilience`, `boundaries` or
    /// `self_care` module, or one that teaches `customer_methods` before the
    /// first of them. An error for a team with `emotional_load high`.
    ///
    /// ## Why is this bad?
    /// Staff trained to connect emotionally before they learn to protect
    /// themselves carry customers' distress home. The healthcare case of the
    /// field notes restructured training to start with "professional
    /// armour" (calming techniques, boundaries, self-care) before any
    /// customer technique; staff health improved, and with it families'
    /// confidence.
    ///
    /// ## Example
    /// ```text
    /// training { cadence monthly  sequence customer_methods, product, resilience }
    /// ```
    ///
    /// ## How to fix
    /// Start the sequence with `resilience`, `boundaries` or `self_care`.
    pub struct ResilienceTrainingMissing {
        code: "P003",
        name: "resilience-training-missing",
        category: Practice,
        severity: Warning,
        norms: [],
    }
}

impl Rule for ResilienceTrainingMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(training) = &cx.team.training else { return };
        let Some((modules, span)) = &training.sequence else { return };
        let first_protective = modules.iter().position(|(m, _)| m.is_protective());
        let customer = modules.iter().position(|(m, _)| *m == Module::CustomerMethods);
        let (message, early) = match (first_protective, customer) {
            (None, _) => (
                "training never teaches staff to protect themselves (no resilience, boundaries or self-care)"
                    .to_string(),
                None,
            ),
            (Some(p), Some(c)) if c < p => {
                let first = modules.get(p).map_or("resilience", |(m, _)| m.as_str());
                (
                    format!(
                        "training teaches customer methods before staff learn to protect themselves (`{first}` comes later)"
                    ),
                    modules.get(c),
                )
            }
            _ => return,
        };
        // The word that comes too early carries the label when there is one;
        // otherwise the whole sequence (both on the same line of the file).
        let mut finding = match early {
            Some((_, word)) => cx
                .finding(&Self::META, message)
                .primary(*word, format!("taught before staff learn to protect themselves{}", cx.from(training.origin))),
            None => cx
                .finding(&Self::META, message)
                .primary(*span, format!("no resilience, boundaries or self-care{}", cx.from(training.origin))),
        };
        if let Some(load) = cx.team.emotional_load.as_ref().filter(|l| l.value == EmotionalLoad::High) {
            finding.severity = Severity::Error;
            finding = finding.secondary(load.span, format!("distressing work{}", cx.from(load.origin)));
        }
        let finding = finding
            .help("start the sequence with `resilience`, `boundaries` or `self_care`, before `customer_methods`");
        // The protective modules move to the front, in their order; with none,
        // `resilience` opens the sequence.
        let mut order: Vec<&str> = modules.iter().filter(|(m, _)| m.is_protective()).map(|(m, _)| m.as_str()).collect();
        if order.is_empty() {
            order.push("resilience");
        }
        order.extend(modules.iter().filter(|(m, _)| !m.is_protective()).map(|(m, _)| m.as_str()));
        let first = order.first().copied().unwrap_or("resilience");
        let reorder = list_around(cx, modules.first().map_or(*span, |(_, s)| *s)).map(|list| {
            crate::Fix::unsafe_(
                format!("start the sequence with `{first}`"),
                vec![crate::Edit { span: list.span, replacement: format!("sequence {}", order.join(", ")) }],
            )
        });
        out.push(match reorder {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
