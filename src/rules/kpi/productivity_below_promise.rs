use crate::Fix;
use crate::diagnostic::article;
use crate::model::policy::Bound;
use crate::model::units::Value;
use crate::model::units::{Ratio, Seconds};
use crate::model::vocab::{EmotionalLoad, Metric};
use crate::num::Rational;
use crate::rules::figures::{number, percent, seconds};
use crate::rules::fixes::{drop_words, retarget};
use crate::rules::scorecard::join_and;
use crate::rules::{Context, Rule, RuleMeta};
use crate::syntax::ast::CmpOp;
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a floor on `contacts_per_hour` (`>=`, `>`, `=`, or the lower end
    /// of `between`) that leaves less time per contact than a promise the
    /// team makes needs on its channel, even with agents as busy as
    /// `max_occupancy` allows. An agent busy a share u of the hour handles
    /// 3600 u k / H contacts of handle time H (k concurrent chats on chat
    /// and social), so a quota of c contacts an hour caps the handle time at
    /// 3600 u k / c.
    ///
    /// ## Why is this bad?
    /// It is the telecommunications case again, written as a productivity
    /// quota instead of a handle-time cap: nine calls an hour at 85% busy
    /// leave 5m40s a call, under the six minutes a thorough call takes.
    /// Occupancy and contacts per hour are the same pressure seen twice; the
    /// quota can only be met by rushing the contacts the team promised to
    /// handle with care.
    ///
    /// ## Example
    /// ```text
    /// team "Consumer Care" {
    ///   channel phone
    ///   target contacts_per_hour >= 9
    ///   promise thorough
    /// }
    /// ```
    /// fires: 3600 s x 85% / 9 = 5m40s a call, under the 6m floor of
    /// `thorough` on the phone.
    ///
    /// ## How to fix
    /// Lower the quota to what the promise allows (the finding gives the
    /// figure), or drop the promise. Better still, measure resolution
    /// instead of volume.
    pub struct ProductivityBelowPromise {
        code: "K006",
        name: "productivity-below-promise",
        category: Kpi,
        severity: Error,
        norms: ["handle_time_floor", "max_occupancy", "max_occupancy_high_load"],
    }
}

/// "at most 5m40s", or "under 5m40s" when the time itself is not allowed
/// (`strict`); a time that is not a whole second is shown rounded up, after
/// "under".
fn time_phrase(secs: Rational, strict: bool) -> String {
    if secs.is_integer() {
        format!("{} {}", if strict { "under" } else { "at most" }, Seconds(secs))
    } else {
        format!("under {}", Seconds(Rational::from_int(secs.ceil().try_into().unwrap_or(i64::MAX))))
    }
}

impl Rule for ProductivityBelowPromise {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let team = cx.team;
        let Some(channel) = team.channel.as_ref().map(|c| c.value) else { return };
        let floors: Vec<_> =
            team.promises.iter().filter_map(|p| cx.norms.floor(p.value, channel).map(|floor| (p, floor))).collect();
        let Some(highest) = floors.iter().map(|(_, f)| *f).max() else { return };
        let high = team.emotional_load.as_ref().filter(|l| l.value == EmotionalLoad::High);
        let ceiling = cx.figures.occupancy_ceiling;
        let concurrency = team.concurrency.as_ref().filter(|_| channel.is_concurrent());
        let k = Rational::from_int(concurrency.map_or(1, |c| i64::from(c.value)));
        // The seconds of contact work one agent does in an hour.
        let Some(busy) = Rational::from_int(3600).checked_mul(ceiling.fraction()).and_then(|b| b.checked_mul(k)) else {
            return;
        };
        for target in team.targets.iter().filter(|t| t.metric == Metric::ContactsPerHour) {
            let Some(lower) = target.bound.lower() else { continue };
            let quota = lower.value.axis();
            if quota <= Rational::ZERO {
                continue;
            }
            let Some(implied) = busy.checked_div(quota) else { continue };
            // `>= c` leaves exactly `implied`; `> c` leaves less than it.
            let fires = if lower.inclusive { implied < highest.secs() } else { implied <= highest.secs() };
            if !fires {
                continue;
            }
            let broken: Vec<_> = floors
                .iter()
                .filter(|(_, f)| if lower.inclusive { implied < f.secs() } else { implied <= f.secs() })
                .collect();
            // The first promise with the highest floor leads, as in K001.
            let Some((lead, floor)) =
                broken.iter().copied().reduce(|best, next| if next.1 > best.1 { next } else { best })
            else {
                continue;
            };
            let quota_text = if lower.inclusive { format!("at least {quota}") } else { format!("over {quota}") };
            let mut finding = cx
                .finding(
                    &Self::META,
                    format!(
                        "a quota of {quota_text} contacts an hour leaves {} a contact at {ceiling} occupancy, under the {floor} {} {} {} contact takes",
                        time_phrase(implied, !lower.inclusive),
                        article(lead.value.as_str()),
                        lead.value,
                        channel.phrase()
                    ),
                )
                .primary(
                    target.span,
                    format!("{} contacts an hour{}", quota_text, cx.from(target.origin)),
                );
            finding = number(finding, "contacts_per_hour", quota.to_f64());
            finding = seconds(finding, "time_per_contact_seconds", implied);
            finding = percent(finding, "occupancy_ceiling_percent", ceiling.fraction());
            finding = seconds(finding, "handle_time_floor_seconds", floor.secs());
            finding = super::label_broken_promises(finding, cx, &broken, channel);
            if let Some(c) = concurrency.filter(|c| c.value > 1) {
                finding = finding.secondary(c.span, format!("{} contacts at once{}", c.value, cx.from(c.origin)));
            }
            if let Some(load) = high {
                finding = finding.secondary(
                    load.span,
                    format!("distressing work: busy at most {}{}", Ratio(ceiling.fraction()), cx.from(load.origin)),
                );
            }
            // The highest quota the promise allows, rounded down to cents of a contact.
            let most = busy
                .checked_div(highest.secs())
                .and_then(|m| m.checked_mul(Rational::from_int(100)))
                .and_then(|m| Rational::new(m.floor(), 100));
            let names: Vec<String> = broken.iter().map(|(p, _)| format!("`{}`", p.value)).collect();
            let mut fixes = Vec::new();
            if let Some(most) = most {
                finding = number(finding, "quota_ceiling_contacts_per_hour", most.to_f64());
            }
            if let Some(most) = most.filter(|m| *m > Rational::ZERO) {
                let bound = Bound::Compare(CmpOp::Ge, Value::Number(most));
                fixes.push(retarget(format!("lower the quota to {most} contacts an hour"), target, bound));
            }
            let words: Vec<crate::Span> = broken.iter().map(|(p, _)| p.span).collect();
            if let Some(edits) = drop_words(cx, &words) {
                fixes.push(Fix::unsafe_(format!("drop {}", join_and(&names)), edits));
            }
            let help = match most {
                Some(most) if lower.inclusive => {
                    format!("lower the quota to at most {most} contacts an hour, or drop {}", join_and(&names))
                }
                Some(most) => format!(
                    "lower the quota below {most} contacts an hour (`>= {most}` is the most the promise allows), or drop {}",
                    join_and(&names)
                ),
                None => format!("lower the quota, or drop {}", join_and(&names)),
            };
            let mut finding = finding.help(help);
            for fix in fixes {
                finding = finding.fix(fix);
            }
            out.push(finding);
        }
    }
}
