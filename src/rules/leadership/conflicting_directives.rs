use crate::diagnostic::Figure;
use crate::fix::remove_statement;
use crate::model::policy::{Directive, Intent};
use crate::model::vocab::{Metric, Promise};
use crate::rules::figures::{self, CEILING, FLOOR, Quoted, all, value_figure};
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

/// The directives of one kind of conflict: every directive of `a` pulls
/// against every directive of `b` (`minimize handle_time` against each
/// `require thorough`), or, for caps and floors, the pairs `conflict` says.
struct Group<'d> {
    a: Vec<&'d Directive>,
    b: Vec<&'d Directive>,
    /// How many pairs of `a` and `b` conflict.
    pairs: usize,
}

impl<'d> Group<'d> {
    /// A group in which every directive of `a` conflicts with every one of `b`.
    fn all_pairs(a: Vec<&'d Directive>, b: Vec<&'d Directive>) -> Group<'d> {
        let pairs = a.len().saturating_mul(b.len());
        Group { a, b, pairs }
    }
}

/// The highest-ranked directive of `list`; the earlier one at one level.
fn strongest<'d>(list: impl IntoIterator<Item = &'d Directive>) -> Option<&'d Directive> {
    list.into_iter().min_by_key(|d| (d.level.rank, d.span))
}

impl Rule for ConflictingDirectives {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// One finding per kind of conflict (a metric minimized and maximized, a
    /// promise against minimizing or capping handle time, a metric capped
    /// below its floor), naming its strongest pair and every other
    /// directive in it, so that the findings grow with the directives, not
    /// with their pairs.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(channel) = cx.team.channel.as_ref().map(|c| c.value) else { return };
        let directives = &cx.team.directives;
        let of = |pick: &dyn Fn(Intent) -> bool| -> Vec<&Directive> {
            directives.iter().filter(|d| pick(d.intent)).collect()
        };
        for &metric in Metric::ALL {
            let group =
                Group::all_pairs(of(&|i| i == Intent::Minimize(metric)), of(&|i| i == Intent::Maximize(metric)));
            let why = |_: &Directive, _: &Directive| {
                Some((format!("one asks to minimize `{metric}` and the other to maximize it"), Vec::new()))
            };
            self.report(cx, &group, &why, out);
        }
        for &promise in Promise::ALL {
            let Some(floor) = cx.norms.floor(promise, channel) else { continue };
            let requires = of(&|i| i == Intent::Require(promise));
            if requires.is_empty() {
                continue;
            }
            let minimize = Group::all_pairs(of(&|i| i == Intent::Minimize(Metric::HandleTime)), requires.clone());
            let floor_figure = Figure { name: "handle_time_floor_seconds", value: floor.secs().to_f64() };
            let why = |_: &Directive, _: &Directive| {
                let text = format!(
                    "minimizing handle time works against `{promise}`, which takes at least {floor} on {}",
                    channel.phrase()
                );
                Some((text, vec![floor_figure]))
            };
            self.report(cx, &minimize, &why, out);
            let caps = of(&|i| matches!(i, Intent::Cap(Metric::HandleTime, cap) if cap.axis() < floor.secs()));
            let capped = Group::all_pairs(caps, requires);
            let why = |cap: &Directive, _: &Directive| match cap.intent {
                Intent::Cap(_, cap) => Some((
                    format!(
                        "a cap of {cap} on handle time leaves no room for `{promise}`, which takes at least {floor} on {}",
                        channel.phrase()
                    ),
                    vec![Figure { name: "handle_time_ceiling_seconds", value: cap.axis().to_f64() }, floor_figure],
                )),
                _ => None,
            };
            self.report(cx, &capped, &why, out);
        }
        for &metric in Metric::ALL {
            let caps = of(&|i| matches!(i, Intent::Cap(m, _) if m == metric));
            let floors = of(&|i| matches!(i, Intent::Floor(m, _) if m == metric));
            let value = |d: &Directive| match d.intent {
                Intent::Cap(_, v) | Intent::Floor(_, v) => Some(v.axis()),
                _ => None,
            };
            let (Some(lowest_cap), Some(highest_floor)) =
                (caps.iter().filter_map(|d| value(d)).min(), floors.iter().filter_map(|d| value(d)).max())
            else {
                continue;
            };
            // Only the caps below some floor and the floors above some cap
            // take part; a cap conflicts with every floor above it.
            let mut floor_values: Vec<_> = floors.iter().filter_map(|d| value(d)).collect();
            floor_values.sort();
            let pairs = caps
                .iter()
                .filter_map(|d| value(d))
                .map(|cap| floor_values.len() - floor_values.partition_point(|f| *f <= cap))
                .fold(0usize, usize::saturating_add);
            let group = Group {
                a: caps.into_iter().filter(|d| value(d).is_some_and(|v| v < highest_floor)).collect(),
                b: floors.into_iter().filter(|d| value(d).is_some_and(|v| v > lowest_cap)).collect(),
                pairs,
            };
            let why = |cap: &Directive, floor: &Directive| match (cap.intent, floor.intent) {
                (Intent::Cap(_, cap), Intent::Floor(_, low)) if cap.axis() < low.axis() => Some((
                    format!("`{metric}` is capped at {cap} and floored at {low}: no value meets both"),
                    vec![value_figure(&CEILING, cap), value_figure(&FLOOR, low)],
                )),
                _ => None,
            };
            self.report(cx, &group, &why, out);
        }
    }
}

impl ConflictingDirectives {
    /// Reports one group: its strongest conflicting pair, every other
    /// directive of the group as a secondary label, and the number of
    /// conflicting pairs when there is more than one.
    fn report(
        &self,
        cx: &Context<'_>,
        group: &Group<'_>,
        why: &dyn Fn(&Directive, &Directive) -> Option<Quoted>,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(a) = strongest(group.a.iter().copied()) else { return };
        // The strongest directive of `b` that conflicts with `a`.
        let Some(b) = strongest(group.b.iter().copied().filter(|b| why(a, b).is_some())) else { return };
        let Some((reason, figures)) = why(a, b) else { return };
        let pairs = group.pairs;
        // The lower-ranked level's directive is the one to change; at the
        // same level, the later one.
        let (keep, change) = if a.level.rank > b.level.rank || (a.level.rank == b.level.rank && a.span > b.span) {
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
        let count = if pairs > 1 { format!(" ({pairs} conflicting pairs of directives)") } else { String::new() };
        let mut finding = cx
            .finding(&Self::META, format!("{who} pull against each other: {reason}{count}"))
            .primary(change.span, label(change))
            .secondary(keep.span, label(keep));
        finding = all(finding, &figures);
        if pairs > 1 {
            finding = figures::count(finding, "conflicting_pairs", u64::try_from(pairs).unwrap_or(u64::MAX));
        }
        for d in group.a.iter().chain(&group.b) {
            finding.add_secondary(d.span, label(d));
        }
        let side = if group.a.iter().any(|d| std::ptr::eq(*d, change)) { &group.a } else { &group.b };
        let edits: Vec<crate::Edit> = side.iter().map(|d| remove_statement(cx.source.text(), d.span)).collect();
        let more = if side.len() > 1 { format!(" and {} more like it", side.len() - 1) } else { String::new() };
        let title = format!("withdraw the {}'s {}{more}", change.level.name, cx.quote(change.span));
        out.push(finding.help(help).fix(crate::Fix::unsafe_(title, edits)));
    }
}
