use crate::model::policy::{Directive, Intent};
use crate::model::vocab::Metric;
use crate::rules::scorecard::rank_note;
use crate::rules::{Context, Rule, RuleMeta};
use crate::{Diagnostic, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds two directives in force for a team, from the same or different
    /// levels of leadership, that pull against each other: `minimize X` with
    /// `maximize X`; `minimize handle_time`, or `cap handle_time` below a
    /// promise's floor, with `require` of that promise; `cap X at a` with
    /// `floor X at b` where a < b. It names both levels and which ranks
    /// higher.
    ///
    /// ## Why is this bad?
    /// Conflicting instructions from different levels of leadership leave
    /// the front line to decide which boss to disappoint, on every contact.
    /// In the telecommunications case, the efficiency programme demanded
    /// three-minute calls while service leadership demanded thorough,
    /// personalised care.
    ///
    /// ## Example
    /// ```text
    /// directive executive: minimize handle_time
    /// directive director: require thorough
    /// ```
    ///
    /// ## How to fix
    /// Resolve it where both levels meet: the higher level decides, and the
    /// other directive goes.
    pub struct ConflictingDirectives {
        code: "L001",
        name: "conflicting-directives",
        category: Leadership,
        severity: Error,
        norms: ["handle_time_floor"],
    }
}

/// Why `a` and `b` conflict, if they do: a sentence about `a` then `b`.
fn conflict(cx: &Context<'_>, a: &Directive, b: &Directive) -> Option<String> {
    let channel = cx.team.channel.as_ref()?.value;
    let floor = |p| cx.norms.floor(p, channel);
    match (a.intent, b.intent) {
        (Intent::Minimize(x), Intent::Maximize(y)) | (Intent::Maximize(y), Intent::Minimize(x)) if x == y => {
            Some(format!("one asks to minimize `{x}` and the other to maximize it"))
        }
        (Intent::Minimize(Metric::HandleTime), Intent::Require(p))
        | (Intent::Require(p), Intent::Minimize(Metric::HandleTime)) => floor(p).map(|f| {
            format!("minimizing handle time works against `{p}`, which takes at least {f} on {}", channel.phrase())
        }),
        (Intent::Cap(Metric::HandleTime, cap), Intent::Require(p))
        | (Intent::Require(p), Intent::Cap(Metric::HandleTime, cap)) => {
            let f = floor(p)?;
            (cap.axis() < f.secs()).then(|| {
                format!(
                    "a cap of {cap} on handle time leaves no room for `{p}`, which takes at least {f} on {}",
                    channel.phrase()
                )
            })
        }
        (Intent::Cap(x, cap), Intent::Floor(y, low)) | (Intent::Floor(y, low), Intent::Cap(x, cap)) if x == y => {
            (cap.axis() < low.axis())
                .then(|| format!("`{x}` is capped at {cap} and floored at {low}: no value meets both"))
        }
        _ => None,
    }
}

impl Rule for ConflictingDirectives {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let directives = &cx.team.directives;
        for (i, a) in directives.iter().enumerate() {
            for b in directives.iter().skip(i + 1) {
                let Some(why) = conflict(cx, a, b) else { continue };
                // The lower-ranked level's directive is the one to change; at
                // the same level, the later one.
                let (keep, change) = if a.level.rank > b.level.rank || (a.level.rank == b.level.rank && a.span > b.span)
                {
                    (b, a)
                } else {
                    (a, b)
                };
                let label = |d: &Directive| format!("the {}: {}{}", d.level.name, d.intent, cx.from(d.origin));
                let same = keep.level.rank == change.level.rank;
                let who = if same {
                    format!("two directives of the {}", keep.level.name)
                } else {
                    format!("the {} and the {}", keep.level.name, change.level.name)
                };
                let help = if same {
                    format!("the {} should settle on one of them", keep.level.name)
                } else {
                    format!(
                        "{}: take the conflict to the {} and withdraw the other directive",
                        rank_note(&keep.level, &change.level),
                        keep.level.name
                    )
                };
                out.push(
                    cx.finding(&Self::META, format!("{who} pull against each other: {why}"))
                        .primary(change.span, label(change))
                        .secondary(keep.span, label(keep))
                        .help(help),
                );
            }
        }
    }
}
