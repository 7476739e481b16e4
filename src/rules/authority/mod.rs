//! Authority: what agents may decide alone against what customers need.

mod approval_bottleneck;
mod authority_gap;
mod ownership_without_authority;

pub use approval_bottleneck::ApprovalBottleneck;
pub use authority_gap::AuthorityGap;
pub use ownership_without_authority::OwnershipWithoutAuthority;

use crate::analysis::authority::{Alone, resolvable_alone};
use crate::model::{Driver, Limit, Team};

/// The drivers agents of `team` cannot resolve alone, with why.
pub(crate) fn blocked<'a>(team: &'a Team) -> Vec<(&'a Driver, Alone<'a>)> {
    team.drivers
        .iter()
        .flat_map(|d| &d.list)
        .map(|d| (d, resolvable_alone(team, d)))
        .filter(|(_, why)| !why.is_yes())
        .collect()
}

/// "needs a refund up to $120; agents may refund up to $50".
pub(crate) fn why(driver: &Driver, alone: Alone<'_>) -> String {
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

/// What change lets agents resolve the driver alone.
pub(crate) fn fix(driver: &Driver, alone: Alone<'_>) -> Option<String> {
    let need = driver.needs?;
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
