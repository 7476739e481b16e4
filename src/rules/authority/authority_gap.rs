use super::{authority_fix, blocked, fix, why};
use crate::analysis::authority::FirstContact;
use crate::analysis::authority::max_first_contact_resolution;
use crate::model::policy::Bound;
use crate::model::units::Value;
use crate::model::vocab::Metric;
use crate::num::Rational;
use crate::rules::figures::{FLOOR, percent, value};
use crate::rules::fixes::retarget;
use crate::rules::scorecard::{join_and, lower_phrase};
use crate::rules::{Context, Rule, RuleMeta};
use crate::syntax::ast::CmpOp;
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a `first_contact_resolution` target above the share of contacts
    /// agents can resolve on their own. A driver whose `needs` are beyond
    /// the agents' authority, or need an approval, cannot be resolved on the
    /// first contact, and neither can one that needs `escalate` (someone
    /// else resolves it) or `callback` (a second contact), whatever the
    /// agents may do; contacts without a declared driver count as
    /// resolvable. The finding gives the ceiling and the drivers behind it.
    ///
    /// ## Why is this bad?
    /// Front-line staff without permission to actually fix problems is one of
    /// the habits that destroy support performance: the target asks for
    /// resolution on the first contact and the authority forbids it, so
    /// agents must either break the rules or miss the target.
    ///
    /// ## Example
    /// ```text
    /// target first_contact_resolution >= 75%
    /// authority { refund up_to $50 }
    /// drivers { "billing dispute" 35% needs refund up_to $120 }   # ceiling 65%
    /// ```
    ///
    /// ## How to fix
    /// Give agents the authority the drivers need (the finding lists the
    /// changes), or set the target at or below the ceiling.
    pub struct AuthorityGap {
        code: "A001",
        name: "authority-gap",
        category: Authority,
        severity: Error,
        norms: [],
    }
}

impl Rule for AuthorityGap {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let ceiling = max_first_contact_resolution(cx.team);
        let blocked = blocked(cx.team, true);
        for target in cx.team.targets_on(Metric::FirstContactResolution) {
            let Some(floor) = target.bound.lower() else { continue };
            if !floor.floor_above(ceiling.fraction()) {
                continue;
            }
            let mut finding = cx
                .finding(
                    &Self::META,
                    format!(
                        "first-contact resolution of {} is out of reach: at most {ceiling} of contacts can be resolved on the first contact",
                        lower_phrase(floor)
                    ),
                )
                .primary(target.span, format!("asks for {}{}", lower_phrase(floor), cx.from(target.origin)));
            finding = value(finding, &FLOOR, floor.value);
            finding = percent(finding, "first_contact_resolution_ceiling_percent", ceiling.fraction());
            for (driver, alone) in &blocked {
                finding = finding.secondary(driver.span, format!("{}: {}", driver.share, why(driver, *alone)));
            }
            let fixes: Vec<String> = blocked.iter().filter_map(|(d, a)| fix(d, *a)).take(3).collect();
            let help = if fixes.is_empty() {
                format!("set the target at or below {ceiling}")
            } else {
                format!("{}, or set the target at or below {ceiling}", join_and(&fixes))
            };
            let mut finding = finding.help(help);
            // Granting helps only if the contacts handed on (escalated,
            // called back) leave room for the target.
            let handed_on = blocked
                .iter()
                .filter(|(_, why)| matches!(why, FirstContact::HandedOn(_)))
                .fold(Rational::ZERO, |sum, (d, _)| sum.checked_add(d.share.fraction()).unwrap_or(sum));
            let reachable = Rational::ONE.checked_sub(handed_on).is_some_and(|c| !floor.floor_above(c));
            let grantable: Vec<_> =
                blocked.iter().filter(|(_, why)| matches!(why, FirstContact::Blocked(_))).copied().collect();
            if reachable && let Some(fix) = authority_fix(cx, &grantable) {
                finding = finding.fix(fix);
            }
            let lowered = match target.bound {
                Bound::Between(_, high) if high.axis() >= ceiling.fraction() => {
                    Bound::Between(Value::Ratio(ceiling), high)
                }
                _ => Bound::Compare(CmpOp::Ge, Value::Ratio(ceiling)),
            };
            out.push(finding.fix(retarget(format!("set the target to {ceiling}, the ceiling"), target, lowered)));
        }
    }
}
