use crate::analysis::authority::{Alone, resolvable_alone};
use crate::model::Grant;
use crate::model::units::Ratio;
use crate::num::Rational;
use crate::rules::figures::percent;
use crate::rules::fixes::{grant_line, grants};
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a team where actions that drivers need require an `approval`
    /// every time, and those drivers make up at least `max_approval_share`
    /// (20%) of contacts.
    ///
    /// ## Why is this bad?
    /// Control that stops agents adapting is one of the habits that destroy
    /// support performance. When a fifth of all contacts wait for a
    /// supervisor, the supervisor becomes the queue, customers wait twice,
    /// and agents learn that helping is not their job.
    ///
    /// ## Example
    /// ```text
    /// authority { credit up_to $20 approval supervisor }
    /// drivers { "billing error" 25% needs credit up_to $15 }
    /// ```
    ///
    /// ## How to fix
    /// Let agents take the action alone up to a limit, and keep approvals for
    /// the exceptions above it.
    pub struct ApprovalBottleneck {
        code: "A003",
        name: "approval-bottleneck",
        category: Authority,
        severity: Warning,
        norms: ["max_approval_share"],
    }
}

impl Rule for ApprovalBottleneck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let team = cx.team;
        // Drivers waiting for an approval, grouped by the grant that needs it.
        let mut by_grant: Vec<(&Grant, Rational, Vec<&crate::model::Driver>)> = Vec::new();
        for driver in team.drivers.iter().flat_map(|d| &d.list) {
            if let Alone::NeedsApproval(grant) = resolvable_alone(team, driver) {
                match by_grant.iter_mut().find(|(g, _, _)| std::ptr::eq(*g, grant)) {
                    Some((_, share, drivers)) => {
                        *share = share.checked_add(driver.share.fraction()).unwrap_or(*share);
                        drivers.push(driver);
                    }
                    None => by_grant.push((grant, driver.share.fraction(), vec![driver])),
                }
            }
        }
        let total = by_grant.iter().fold(Rational::ZERO, |sum, (_, s, _)| sum.checked_add(*s).unwrap_or(sum));
        let threshold = cx.norms.max_approval_share;
        if by_grant.is_empty() || total < threshold.fraction() {
            return;
        }
        // The grant whose drivers carry the largest share; the first on ties.
        let Some(main) = by_grant.iter().reduce(|a, b| if b.1 > a.1 { b } else { a }).map(|(g, _, _)| *g) else {
            return;
        };
        let approver = |g: &Grant| g.approval.as_ref().map_or("manager".to_string(), |l| l.name.clone());
        let mut finding = cx
            .finding(
                &Self::META,
                format!(
                    "{} of contacts need a {}'s approval every time, at or above the {threshold} at which control stops agents helping",
                    Ratio(total),
                    approver(main)
                ),
            )
            .primary(main.span, format!("`{}` needs the {}'s approval{}", main.action, approver(main), cx.from(main.origin)));
        finding = percent(finding, "share_percent", total);
        finding = percent(finding, "share_threshold_percent", threshold.fraction());
        for (grant, _, drivers) in &by_grant {
            finding = finding.secondary(
                grant.span,
                format!("`{}` needs the {}'s approval{}", grant.action, approver(grant), cx.from(grant.origin)),
            );
            for driver in drivers {
                finding = finding.secondary(driver.span, format!("{} wait for it", driver.share));
            }
        }
        let finding = finding.help(format!(
            "let agents `{}` alone up to a limit that covers these contacts, and keep the approval for larger amounts",
            main.action
        ));
        // Every grant that makes these contacts wait, without its approval,
        // up to what they need.
        let lines: Vec<(crate::model::vocab::Action, String)> = by_grant
            .iter()
            .map(|(grant, _, drivers)| {
                let current = match grant.limit {
                    crate::model::Limit::UpTo(m) => Some(m),
                    _ => None,
                };
                let needs: Vec<_> = drivers.iter().map(|d| d.needs.and_then(|n| n.amount)).collect();
                (grant.action, grant_line(grant.action, current, &needs))
            })
            .collect();
        let shown: Vec<String> = lines.iter().map(|(_, l)| format!("`{l}`")).collect();
        let fix = grants(cx, &lines).map(|edits| {
            crate::Fix::unsafe_(format!("drop the approval: {}", crate::rules::scorecard::join_and(&shown)), edits)
        });
        out.push(match fix {
            Some(fix) => finding.fix(fix),
            None => finding,
        });
    }
}
