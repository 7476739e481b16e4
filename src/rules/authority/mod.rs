//! Authority: what agents may decide alone against what customers need.

mod approval_bottleneck;
mod authority_gap;
mod ownership_without_authority;

pub use approval_bottleneck::ApprovalBottleneck;
pub use authority_gap::AuthorityGap;
pub use ownership_without_authority::OwnershipWithoutAuthority;

use crate::Fix;
use crate::analysis::authority::{Alone, FirstContact, first_contact, resolvable_alone};
use crate::model::units::Money;
use crate::model::vocab::Action;
use crate::model::{Driver, Limit, Team};
use crate::rules::Context;
use crate::rules::fixes::{grant_line, grants};
use crate::rules::scorecard::join_and;

/// The drivers of `team` that cannot be resolved on the first contact
/// (`on_first_contact`) or by the agents alone (otherwise: an owner may
/// escalate and still own the case), with why.
pub(crate) fn blocked(team: &Team, on_first_contact: bool) -> Vec<(&Driver, FirstContact<'_>)> {
    team.drivers
        .iter()
        .flat_map(|d| &d.list)
        .map(|d| {
            let why = if on_first_contact {
                first_contact(team, d)
            } else {
                match resolvable_alone(team, d) {
                    Alone::Yes => FirstContact::Yes,
                    blocked => FirstContact::Blocked(blocked),
                }
            };
            (d, why)
        })
        .filter(|(_, why)| !why.is_yes())
        .collect()
}

/// "needs a refund up to $120; agents may refund up to $50", "needs
/// escalate: someone else resolves it".
pub(crate) fn why(driver: &Driver, obstacle: FirstContact<'_>) -> String {
    let alone = match obstacle {
        FirstContact::Yes => Alone::Yes,
        FirstContact::HandedOn(Action::Callback) => return "needs a callback: a second contact".into(),
        FirstContact::HandedOn(action) => return format!("needs {action}: someone else resolves it"),
        FirstContact::Blocked(alone) => alone,
    };
    let need = driver.needs.map_or(String::new(), |n| match n.amount {
        Some(amount) => format!("needs {} up to {amount}", n.action),
        None => format!("needs {}", n.action),
    });
    let grant = match alone {
        Alone::Yes => String::new(),
        Alone::NotGranted(_) => "agents may not do it".into(),
        Alone::NeedsApproval(g) => {
            format!("only with a {}'s approval", g.approval.as_ref().map_or("manager", |l| l.name.as_str()))
        }
        Alone::OverLimit(g) | Alone::CurrencyMismatch(g) => match g.limit {
            Limit::UpTo(limit) => format!("agents may go up to {limit}"),
            _ => String::new(),
        },
    };
    if grant.is_empty() { need } else { format!("{need}; {grant}") }
}

/// What change lets agents resolve the driver alone; none for a driver that
/// is handed on.
pub(crate) fn fix(driver: &Driver, obstacle: FirstContact<'_>) -> Option<String> {
    let need = driver.needs?;
    let FirstContact::Blocked(alone) = obstacle else { return None };
    Some(match alone {
        Alone::Yes => return None,
        Alone::NotGranted(_) => match need.amount {
            Some(amount) => format!("grant `{} up_to {amount}`", need.action),
            None => format!("grant `{} allowed`", need.action),
        },
        Alone::NeedsApproval(_) => format!("drop the approval on `{}` (keep a limit)", need.action),
        Alone::OverLimit(_) | Alone::CurrencyMismatch(_) => match need.amount {
            Some(amount) => format!("raise the `{}` limit to {amount}", need.action),
            None => format!("raise the `{}` limit", need.action),
        },
    })
}

/// The fix that lets agents resolve every driver of `blocked` that their
/// authority blocks (one grant line per action), or `None` when a driver is
/// handed on (escalated, called back), which no grant changes.
pub(crate) fn authority_fix(cx: &Context<'_>, blocked: &[(&Driver, FirstContact<'_>)]) -> Option<Fix> {
    let mut by_action: Vec<(Action, Vec<Option<Money>>)> = Vec::new();
    for (driver, obstacle) in blocked {
        let FirstContact::Blocked(_) = obstacle else { return None };
        let need = driver.needs?;
        match by_action.iter_mut().find(|(a, _)| *a == need.action) {
            Some((_, amounts)) => amounts.push(need.amount),
            None => by_action.push((need.action, vec![need.amount])),
        }
    }
    if by_action.is_empty() {
        return None;
    }
    let lines: Vec<(Action, String)> = by_action
        .iter()
        .map(|(action, needs)| {
            let current = cx.team.grant(*action).and_then(|g| match g.limit {
                Limit::UpTo(m) => Some(m),
                _ => None,
            });
            (*action, grant_line(*action, current, needs))
        })
        .collect();
    let shown: Vec<String> = lines.iter().map(|(_, l)| format!("`{l}`")).collect();
    let edits = grants(cx, &lines)?;
    Some(Fix::unsafe_(format!("let agents resolve these contacts alone: {}", join_and(&shown)), edits))
}
