//! Authority: what agents may decide alone against what customers need.

mod approval_bottleneck;
mod authority_gap;
mod ownership_without_authority;

pub use approval_bottleneck::ApprovalBottleneck;
pub use authority_gap::AuthorityGap;
pub use ownership_without_authority::OwnershipWithoutAuthority;

use crate::analysis::authority::{Alone, FirstContact, first_contact, resolvable_alone};
use crate::model::vocab::Action;
use crate::model::{Driver, Limit, Team};

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
