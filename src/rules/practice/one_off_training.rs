use crate::model::vocab::Cadence;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, Span, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a `training` block with `cadence once`, or with no `cadence`.
    ///
    /// ## Why is this bad?
    /// One-off training events produce a short burst of enthusiasm and then
    /// fade. In the retail case of the field notes, a year-long programme
    /// (monthly sessions, fortnightly reviews of hard cases, coaching)
    /// improved customer experience and retention steadily where events had
    /// not.
    ///
    /// ## Example
    /// ```text
    /// training { cadence once  sequence product, customer_methods }
    /// ```
    ///
    /// ## How to fix
    /// Train on a cadence (`monthly` or `quarterly`), and add `case_reviews`.
    pub struct OneOffTraining {
        code: "P002",
        name: "one-off-training",
        category: Practice,
        severity: Warning,
        norms: [],
    }
}

impl Rule for OneOffTraining {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(training) = &cx.team.training else { return };
        let (span, label, message) = match training.cadence {
            Some((Cadence::Once, span)) => (span, "a single event", "training happens once and is not repeated"),
            Some(_) => return,
            None => {
                let keyword = Span::new(training.span.start as usize, training.span.start as usize + "training".len());
                (keyword, "no cadence", "training has no cadence, so nothing makes it happen again")
            }
        };
        // `cadence once` becomes `cadence monthly`; a block without a cadence
        // gets one after its opening brace.
        let edit = match training.cadence {
            Some((_, span)) => Some(crate::Edit { span, replacement: "cadence monthly".to_string() }),
            None => {
                let text = cx.source.text();
                let start = training.span.start as usize;
                text.get(start..).and_then(|t| t.find('{')).map(|open| crate::Edit {
                    span: Span::point(start + open + 1),
                    replacement: " cadence monthly".to_string(),
                })
            }
        };
        let finding =
            cx.finding(&Self::META, message).primary(span, format!("{label}{}", cx.from(training.origin))).help(
                "train on a cadence, e.g. `cadence monthly`, and review hard cases together (`case_reviews biweekly`)",
            );
        out.push(match edit {
            Some(edit) => finding.fix(crate::Fix::unsafe_("train every month: `cadence monthly`", vec![edit])),
            None => finding,
        });
    }
}
