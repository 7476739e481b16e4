//! What agents can resolve on their own: whether each driver's needed
//! action is within their authority, and the first-contact-resolution
//! ceiling that follows (RULES.md, "Authority").

use crate::model::units::Ratio;
use crate::model::vocab::Action;
use crate::model::{Driver, Grant, Limit, Team};
use crate::num::Rational;

/// Why a driver can or cannot be resolved by an agent alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Alone<'a> {
    /// It needs nothing, or the agents hold what it needs.
    Yes,
    /// The action is not granted (absent from `authority`, or `none`).
    NotGranted(Option<&'a Grant>),
    /// The action needs an approval every time.
    NeedsApproval(&'a Grant),
    /// The amount is above the agents' limit.
    OverLimit(&'a Grant),
    /// The amount and the limit are in different currencies.
    CurrencyMismatch(&'a Grant),
}

impl Alone<'_> {
    /// Whether the driver can be resolved on first contact.
    pub fn is_yes(&self) -> bool {
        matches!(self, Alone::Yes)
    }
}

/// Whether agents of `team` can resolve `driver` without asking anyone.
pub fn resolvable_alone<'a>(team: &'a Team, driver: &Driver) -> Alone<'a> {
    let Some(need) = driver.needs else { return Alone::Yes };
    let Some(grant) = team.grant(need.action) else { return Alone::NotGranted(None) };
    if grant.limit == Limit::Never {
        return Alone::NotGranted(Some(grant));
    }
    if grant.approval.is_some() {
        return Alone::NeedsApproval(grant);
    }
    match (grant.limit, need.amount) {
        (Limit::UpTo(limit), Some(amount)) if limit.currency != amount.currency => Alone::CurrencyMismatch(grant),
        (Limit::UpTo(limit), Some(amount)) if amount.minor > limit.minor => Alone::OverLimit(grant),
        _ => Alone::Yes,
    }
}

/// Whether a contact of a driver can be resolved on the first contact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FirstContact<'a> {
    /// Agents resolve it alone, there and then.
    Yes,
    /// It needs `escalate` (someone else resolves it) or `callback` (a
    /// second contact), whatever the agents may do.
    HandedOn(Action),
    /// Agents may not resolve it alone.
    Blocked(Alone<'a>),
}

impl FirstContact<'_> {
    /// Whether the driver can be resolved on the first contact.
    pub fn is_yes(&self) -> bool {
        matches!(self, FirstContact::Yes)
    }
}

/// Whether agents of `team` can resolve `driver` on the first contact.
pub fn first_contact<'a>(team: &'a Team, driver: &Driver) -> FirstContact<'a> {
    match driver.needs {
        Some(need) if matches!(need.action, Action::Escalate | Action::Callback) => FirstContact::HandedOn(need.action),
        _ => match resolvable_alone(team, driver) {
            Alone::Yes => FirstContact::Yes,
            blocked => FirstContact::Blocked(blocked),
        },
    }
}

/// The highest first-contact resolution the team can reach: 100% less the
/// shares of drivers that cannot be resolved on the first contact (beyond
/// the agents' authority, or escalated or called back); contacts without a
/// declared driver count as resolvable.
pub fn max_first_contact_resolution(team: &Team) -> Ratio {
    let blocked = team
        .drivers
        .iter()
        .flat_map(|d| &d.list)
        .filter(|d| !first_contact(team, d).is_yes())
        .fold(Rational::ZERO, |sum, d| sum.checked_add(d.share.fraction()).unwrap_or(sum));
    Ratio(Rational::ONE.checked_sub(blocked).unwrap_or(Rational::ZERO).max(Rational::ZERO))
}
