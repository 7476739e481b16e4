use crate::model::vocab::Promise;
use crate::rules::figures::count;
use crate::rules::fixes::set_scalar;
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a chat or social team whose `concurrency` is above
    /// `max_concurrency` (3) while it promises `thorough`, `personalized` or
    /// `empathetic` service.
    ///
    /// ## Why is this bad?
    /// Two or three concurrent chats is the usual ceiling for quality; above
    /// five, quality visibly suffers. An agent juggling four conversations
    /// cannot give any of them the attention the promise describes.
    ///
    /// ## Example
    /// ```text
    /// channel chat
    /// concurrency 4
    /// promise personalized
    /// ```
    ///
    /// ## How to fix
    /// Lower concurrency to 3 or fewer (and staff for it), or do not promise
    /// personal attention on that channel.
    pub struct ConcurrencyOverload {
        code: "S006",
        name: "concurrency-overload",
        category: Staffing,
        severity: Warning,
        norms: ["max_concurrency"],
    }
}

impl Rule for ConcurrencyOverload {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let team = cx.team;
        let (Some(concurrency), Some(channel)) = (&team.concurrency, &team.channel) else { return };
        let max = cx.norms.max_concurrency;
        if !channel.value.is_concurrent() || concurrency.value <= max {
            return;
        }
        let caring: Vec<_> = team
            .promises
            .iter()
            .filter(|p| matches!(p.value, Promise::Thorough | Promise::Personalized | Promise::Empathetic))
            .collect();
        if caring.is_empty() {
            return;
        }
        let names: Vec<String> = caring.iter().map(|p| format!("`{}`", p.value)).collect();
        let mut finding = cx
            .finding(
                &Self::META,
                format!(
                    "agents hold {} {} contacts at once, more than the {max} compatible with {} service",
                    concurrency.value,
                    channel.value.phrase(),
                    join_and(&names)
                ),
            )
            .primary(concurrency.span, format!("{} at once{}", concurrency.value, cx.from(concurrency.origin)));
        finding = count(finding, "concurrency_contacts", u64::from(concurrency.value));
        finding = count(finding, "concurrency_ceiling_contacts", u64::from(max));
        for p in caring {
            finding = finding.secondary(p.span, format!("needs attention{}", cx.from(p.origin)));
        }
        let finding = finding.help(format!(
            "lower `concurrency` to {max} or fewer and staff for it, or do not promise {} on {}",
            join_and(&names),
            channel.value.phrase()
        ));
        let lower = set_scalar(cx, concurrency.span, concurrency.origin, &format!("concurrency {max}"))
            .map(|edit| crate::Fix::unsafe_(format!("lower `concurrency` to {max}"), vec![edit]));
        out.push(match lower {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
