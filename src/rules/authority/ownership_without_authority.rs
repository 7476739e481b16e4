use super::{authority_fix, blocked, fix, why};
use crate::model::units::Ratio;
use crate::model::vocab::Promise;
use crate::num::Rational;
use crate::rules::figures::percent;
use crate::rules::fixes::drop_words;
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team that promises `own_until_resolved` (one person owns the
    /// case to the end) or `first_contact` (resolve on the first contact)
    /// while some driver needs an action its agents may not take alone. For
    /// `first_contact`, a driver that needs `escalate` or `callback` counts
    /// too: escalating hands the contact on, and a callback is a second
    /// contact. An owner may escalate and still own the case.
    ///
    /// ## Why is this bad?
    /// Ownership without authority is ownership of a queue for someone
    /// else's approval. The technology help desk of the field notes made
    /// "own the problem until it is resolved" a principle; it works only when
    /// the owner can resolve it.
    ///
    /// ## Example
    /// ```text
    /// promise own_until_resolved
    /// authority { replacement none }
    /// drivers { "faulty device" 20% needs replacement }
    /// ```
    ///
    /// ## How to fix
    /// Grant the authority those drivers need, or route them to a team that
    /// has it and narrow the promise.
    pub struct OwnershipWithoutAuthority {
        code: "A002",
        name: "ownership-without-authority",
        category: Authority,
        severity: Warning,
        norms: [],
    }
}

impl Rule for OwnershipWithoutAuthority {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for promise in
            cx.team.promises.iter().filter(|p| matches!(p.value, Promise::OwnUntilResolved | Promise::FirstContact))
        {
            let first_contact = promise.value == Promise::FirstContact;
            let blocked = blocked(cx.team, first_contact);
            if blocked.is_empty() {
                continue;
            }
            let share =
                blocked.iter().fold(Rational::ZERO, |sum, (d, _)| sum.checked_add(d.share.fraction()).unwrap_or(sum));
            let message = if first_contact {
                format!(
                    "the team promises to resolve on the first contact, but {} of contacts cannot be resolved on the first contact",
                    Ratio(share)
                )
            } else {
                format!(
                    "the team promises to own every case to the end, but agents cannot resolve {} of contacts without someone else",
                    Ratio(share)
                )
            };
            let mut finding = percent(cx.finding(&Self::META, message), "share_percent", share)
                .primary(promise.span, format!("`{}`{}", promise.value, cx.from(promise.origin)));
            for (driver, alone) in &blocked {
                finding = finding.secondary(driver.span, format!("{}: {}", driver.share, why(driver, *alone)));
            }
            let fixes: Vec<String> = blocked.iter().filter_map(|(d, a)| fix(d, *a)).take(3).collect();
            let help = if fixes.is_empty() {
                "route those contacts to a team that can resolve them, or narrow the promise".to_string()
            } else {
                format!("{}, or route those contacts to a team that can resolve them", join_and(&fixes))
            };
            let mut finding = finding.help(help);
            if let Some(fix) = authority_fix(cx, &blocked) {
                finding = finding.fix(fix);
            }
            if let Some(edits) = drop_words(cx, &[promise.span]) {
                finding = finding.fix(crate::Fix::unsafe_(format!("drop the promise `{}`", promise.value), edits));
            }
            out.push(finding);
        }
    }
}
