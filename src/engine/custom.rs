//! Evaluates custom rules (checked when loaded, in `model::custom`) against
//! one team and its staffing figures.
//!
//! A fact the team does not state makes a comparison false (and `is not
//! set` true); an action missing from `authority` is `none`, below every
//! amount. Money in different currencies is never compared: that is an E007
//! for the team, and the comparison is false.

use crate::diagnostic::ErrorCode;
use crate::model::custom::{Condition, Derived, Fact, Literal, Segment, Term, Word};
use crate::model::policy::{CustomRule, Limit};
use crate::model::units::Money;
use crate::model::vocab::{Metric, Promise};
use crate::rules::Context;
use crate::syntax::ast::{CmpOp, RateUnit};
use crate::{Diagnostic, Span};

/// The value of a fact or literal, for comparison.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Word(Word),
    Number(f64),
    Money(MoneyValue),
    Promises(Vec<Promise>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MoneyValue {
    Never,
    Amount(Money),
    Unlimited,
}

/// The evaluation of one rule for one team.
struct Eval<'a, 'c> {
    cx: &'c Context<'a>,
    /// Currency clashes met while evaluating.
    clashes: Vec<(Money, Money)>,
}

impl Eval<'_, '_> {
    fn value(&self, fact: Fact) -> Option<Value> {
        let team = self.cx.team;
        let figures = self.cx.figures;
        let planned = figures.planned.as_ref().filter(|_| figures.servers.is_some());
        Some(match fact {
            Fact::Channel => Value::Word(Word::Channel(team.channel.as_ref()?.value)),
            Fact::Agents => Value::Number(team.agents.as_ref()?.value as f64),
            Fact::Shrinkage => Value::Number(team.shrinkage.as_ref()?.value.fraction().to_f64()),
            Fact::Concurrency => Value::Number(f64::from(team.concurrency.as_ref()?.value)),
            Fact::Demand => Value::Number(team.demand.as_ref()?.value.0.to_f64()),
            Fact::Patience => Value::Number(team.patience.as_ref()?.value.secs().to_f64()),
            Fact::EmotionalLoad => Value::Word(Word::EmotionalLoad(team.emotional_load.as_ref()?.value)),
            Fact::Scripts => Value::Word(Word::Scripts(team.scripts.as_ref()?.value)),
            Fact::TrainingCadence => Value::Word(Word::Cadence(team.training.as_ref()?.cadence?.0)),
            Fact::Promises => Value::Promises(team.promises.iter().map(|p| p.value).collect()),
            Fact::ServiceLevel => Value::Number(team.service_level.as_ref()?.value.share.fraction().to_f64()),
            Fact::Target(metric) => Value::Number(tightest(self.cx, metric)?),
            Fact::Weight(metric) => Value::Number(self.cx.targets_on(metric).weight?.to_f64()),
            Fact::Authority(action) => Value::Money(match team.grant(action).map(|g| g.limit) {
                None | Some(Limit::Never) => MoneyValue::Never,
                Some(Limit::UpTo(m)) => MoneyValue::Amount(m),
                Some(Limit::Unlimited) => MoneyValue::Unlimited,
            }),
            Fact::Derived(d) => Value::Number(match d {
                Derived::Load => figures.planned.as_ref()?.load.to_f64(),
                Derived::Occupancy => planned?.occupancy?,
                Derived::ServiceLevel => planned?.service_level?,
                Derived::SpeedOfAnswer => planned?.speed_of_answer()?,
                Derived::RequiredAgents => figures.planned.as_ref()?.required_scheduled()? as f64,
                Derived::MaxFirstContactResolution => figures.max_first_contact_resolution.fraction().to_f64(),
            }),
        })
    }

    fn literal(&self, literal: Literal) -> Option<Value> {
        Some(match literal {
            Literal::Number(n) => Value::Number(n.to_f64()),
            Literal::Duration(s) => Value::Number(s.secs().to_f64()),
            Literal::Ratio(r) => Value::Number(r.fraction().to_f64()),
            Literal::Score(s) => Value::Number(s.fraction().to_f64()),
            Literal::Money(m) => Value::Money(MoneyValue::Amount(m)),
            Literal::NoGrant => Value::Money(MoneyValue::Never),
            Literal::Unlimited => Value::Money(MoneyValue::Unlimited),
            Literal::Rate(count, per) => Value::Number(match per {
                RateUnit::Second => count.to_f64() * 3600.0,
                RateUnit::Minute => count.to_f64() * 60.0,
                RateUnit::Hour => count.to_f64(),
                // A daily rate needs the team's opening hours.
                RateUnit::Day => count.to_f64() / self.cx.team.hours.as_ref()?.value.length_hours().to_f64(),
            }),
            Literal::Word(w) => Value::Word(w),
        })
    }

    fn term(&self, term: Term) -> Option<Value> {
        match term {
            Term::Fact(fact) => self.value(fact),
            Term::Literal(literal) => self.literal(literal),
        }
    }

    fn compare(&mut self, left: Value, op: CmpOp, right: Value) -> bool {
        use std::cmp::Ordering;
        let ordering = match (left, right) {
            (Value::Word(a), Value::Word(b)) => {
                return if op == CmpOp::Ne { a != b } else { op == CmpOp::Eq && a == b };
            }
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(&b),
            (Value::Money(a), Value::Money(b)) => match (a, b) {
                (MoneyValue::Amount(x), MoneyValue::Amount(y)) if x.currency != y.currency => {
                    self.clashes.push((x, y));
                    return false;
                }
                (MoneyValue::Amount(x), MoneyValue::Amount(y)) => Some(x.minor.cmp(&y.minor)),
                (x, y) => Some(money_rank(x).cmp(&money_rank(y))),
            },
            _ => None,
        };
        let Some(ordering) = ordering else { return false };
        match op {
            CmpOp::Lt => ordering == Ordering::Less,
            CmpOp::Le => ordering != Ordering::Greater,
            CmpOp::Gt => ordering == Ordering::Greater,
            CmpOp::Ge => ordering != Ordering::Less,
            CmpOp::Eq => ordering == Ordering::Equal,
            CmpOp::Ne => ordering != Ordering::Equal,
        }
    }

    fn holds(&mut self, condition: &Condition) -> bool {
        match condition {
            Condition::Any(all) => all.iter().any(|c| self.holds(c)),
            Condition::All(all) => all.iter().all(|c| self.holds(c)),
            Condition::Not(inner) => !self.holds(inner),
            Condition::IsSet { fact, negated } => self.is_set(*fact) != *negated,
            Condition::Has(promise) => self.cx.team.promises(*promise),
            Condition::Compare(left, op, right) => match (self.term(*left), self.term(*right)) {
                (Some(l), Some(r)) => self.compare(l, *op, r),
                _ => false,
            },
            Condition::In(term, list) => {
                let Some(value) = self.term(*term) else { return false };
                list.iter().any(|item| self.term(*item).is_some_and(|v| self.compare(value.clone(), CmpOp::Eq, v)))
            }
        }
    }

    fn is_set(&self, fact: Fact) -> bool {
        match fact {
            Fact::Authority(action) => self.cx.team.grant(action).is_some(),
            Fact::Promises => !self.cx.team.promises.is_empty(),
            other => self.value(other).is_some(),
        }
    }

    fn render(&self, template: &[Segment]) -> String {
        template
            .iter()
            .map(|segment| match segment {
                Segment::Text(text) => text.clone(),
                Segment::Fact(fact) => self.display(*fact),
            })
            .collect()
    }

    /// A fact's value as a policy author would write it.
    fn display(&self, fact: Fact) -> String {
        let team = self.cx.team;
        let shown = match fact {
            Fact::Agents => team.agents.as_ref().map(|a| a.value.to_string()),
            Fact::Shrinkage => team.shrinkage.as_ref().map(|s| s.value.to_string()),
            Fact::Demand => team.demand.as_ref().map(|d| d.value.to_string()),
            Fact::Patience => team.patience.as_ref().map(|p| p.value.to_string()),
            Fact::ServiceLevel => team.service_level.as_ref().map(|s| s.value.share.to_string()),
            Fact::Promises => {
                let names: Vec<&str> = team.promises.iter().map(|p| p.value.as_str()).collect();
                Some(if names.is_empty() { "no promise".into() } else { names.join(", ") })
            }
            Fact::Authority(action) => Some(match team.grant(action).map(|g| g.limit) {
                None | Some(Limit::Never) => "none".to_string(),
                Some(Limit::UpTo(m)) => m.to_string(),
                Some(Limit::Unlimited) => "no limit".to_string(),
            }),
            Fact::Target(metric) => tightest(self.cx, metric).map(|v| match metric.unit() {
                crate::model::vocab::MetricUnit::Duration => crate::model::units::Seconds(
                    crate::num::Rational::new((v * 1000.0).round() as i128, 1000).unwrap_or(crate::num::Rational::ZERO),
                )
                .to_string(),
                crate::model::vocab::MetricUnit::Count | crate::model::vocab::MetricUnit::Nps => format!("{v}"),
                _ => percent(v),
            }),
            Fact::Derived(Derived::Load) => self.value(fact).map(|v| match v {
                Value::Number(n) => format!("{n:.2} Erlangs"),
                _ => String::new(),
            }),
            Fact::Derived(Derived::SpeedOfAnswer) => self.value(fact).map(|v| match v {
                Value::Number(n) => format!("{n:.1}s"),
                _ => String::new(),
            }),
            Fact::Derived(Derived::RequiredAgents) | Fact::Concurrency => self.value(fact).map(|v| match v {
                Value::Number(n) => format!("{n}"),
                _ => String::new(),
            }),
            Fact::Weight(_) | Fact::Derived(_) => self.value(fact).map(|v| match v {
                Value::Number(n) => percent(n),
                _ => String::new(),
            }),
            Fact::Channel | Fact::EmotionalLoad | Fact::Scripts | Fact::TrainingCadence => {
                self.value(fact).map(|v| match v {
                    Value::Word(Word::Channel(w)) => w.to_string(),
                    Value::Word(Word::Scripts(w)) => w.to_string(),
                    Value::Word(Word::EmotionalLoad(w)) => w.to_string(),
                    Value::Word(Word::Cadence(w)) => w.to_string(),
                    _ => String::new(),
                })
            }
        };
        shown.unwrap_or_else(|| "not stated".to_string())
    }

    /// The statement behind a fact, to label it.
    fn statement(&self, fact: Fact) -> Option<Span> {
        let team = self.cx.team;
        match fact {
            Fact::Channel => team.channel.as_ref().map(|f| f.span),
            Fact::Agents => team.agents.as_ref().map(|f| f.span),
            Fact::Shrinkage => team.shrinkage.as_ref().map(|f| f.span),
            Fact::Concurrency => team.concurrency.as_ref().map(|f| f.span),
            Fact::Demand => team.demand.as_ref().map(|f| f.span),
            Fact::Patience => team.patience.as_ref().map(|f| f.span),
            Fact::EmotionalLoad => team.emotional_load.as_ref().map(|f| f.span),
            Fact::Scripts => team.scripts.as_ref().map(|f| f.span),
            Fact::ServiceLevel => team.service_level.as_ref().map(|f| f.span),
            Fact::TrainingCadence => team.training.as_ref().and_then(|t| t.cadence).map(|(_, s)| s),
            Fact::Authority(action) => team.grant(action).map(|g| g.span),
            Fact::Target(metric) | Fact::Weight(metric) => self.cx.targets_on(metric).first,
            Fact::Promises | Fact::Derived(_) => None,
        }
    }
}

fn money_rank(m: MoneyValue) -> u8 {
    match m {
        MoneyValue::Never => 0,
        MoneyValue::Amount(_) => 1,
        MoneyValue::Unlimited => 2,
    }
}

fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p.round() - p).abs() < 1e-9 { format!("{p:.0}%") } else { format!("{p:.1}%") }
}

/// `target.METRIC`: the tightest bound in force, in the metric's natural
/// direction (ceilings for metrics where lower is better, floors for the
/// others), else the tightest bound in the other direction.
fn tightest(cx: &Context<'_>, metric: Metric) -> Option<f64> {
    let lower_is_better =
        matches!(metric, Metric::HandleTime | Metric::SpeedOfAnswer | Metric::Abandonment | Metric::RepeatContacts);
    let t = cx.targets_on(metric);
    let value = if lower_is_better { t.upper.or(t.lower) } else { t.lower.or(t.upper) };
    value.map(|v| v.to_f64())
}

/// The facts a condition reads, in order, without repeats.
fn facts(condition: &Condition, out: &mut Vec<Fact>) {
    let mut add = |f: Fact| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    match condition {
        Condition::Any(all) | Condition::All(all) => all.iter().for_each(|c| facts(c, out)),
        Condition::Not(inner) => facts(inner, out),
        Condition::IsSet { fact, .. } => add(*fact),
        Condition::Has(_) => add(Fact::Promises),
        Condition::Compare(l, _, r) => {
            for t in [l, r] {
                if let Term::Fact(f) = t {
                    add(*f);
                }
            }
        }
        Condition::In(t, _) => {
            if let Term::Fact(f) = t {
                add(*f);
            }
        }
    }
}

/// Evaluates `rule` for the team of `cx`: a finding if it holds, and an
/// E007 for each currency clash met along the way.
pub(crate) fn check(rule: &CustomRule, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut eval = Eval { cx, clashes: Vec::new() };
    let holds = eval.holds(&rule.condition);
    for (a, b) in std::mem::take(&mut eval.clashes) {
        out.push(
            Diagnostic::error(
                ErrorCode::CurrencyMismatch,
                format!("rule `{}` compares {a} with {b}: different currencies are never compared", rule.name),
            )
            .primary(rule.when_span, "compares money here")
            .secondary(cx.team.name_span, format!("in team `{}`", cx.team.name))
            .help("state the rule's amount in the team's currency, or limit the rule to teams that use it")
            .team(cx.team.name.clone()),
        );
    }
    if !holds {
        return;
    }
    let mut finding = Diagnostic::new(rule.name.clone(), rule.name.clone(), rule.severity, eval.render(&rule.message))
        .primary(cx.team.name_span, format!("team `{}` matches rule `{}`", cx.team.name, rule.name))
        .team(cx.team.name.clone());
    let mut read = Vec::new();
    facts(&rule.condition, &mut read);
    for fact in read {
        if let Some(span) = eval.statement(fact) {
            finding.add_secondary(span, format!("`{fact}` is {}", eval.display(fact)));
        }
    }
    if let Some(help) = &rule.help {
        finding = finding.help(eval.render(help));
    }
    out.push(finding);
}
