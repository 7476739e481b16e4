//! Custom rules, checked when they are loaded: every path names a fact of a
//! team, every comparison is between values of one kind, every word belongs
//! to the vocabulary of the fact it is compared with, every `{path}` in a
//! message exists. The result is a typed [`Condition`] the engine evaluates
//! per team; a rule with any problem is reported (E002/E003) and not kept.

use super::units::{Currency, Money, Ratio, Score, Seconds};
use super::vocab::{Action, Cadence, Channel, EmotionalLoad, Metric, MetricUnit, Promise, Scripts, closest};
use crate::Span;
use crate::diagnostic::{Diagnostic, ErrorCode, excerpt};
use crate::num::Rational;
use crate::syntax::ast::{self, CmpOp, QValue, RateUnit};

/// A figure of the staffing analysis a rule can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Derived {
    /// Offered load in Erlangs at the planned handle time.
    Load,
    /// Occupancy at the planned handle time.
    Occupancy,
    /// Achieved service level at the planned handle time.
    ServiceLevel,
    /// Average speed of answer at the planned handle time.
    SpeedOfAnswer,
    /// Scheduled agents needed to meet the service level.
    RequiredAgents,
    /// The share of contacts agents can resolve on first contact.
    MaxFirstContactResolution,
}

/// A fact of a team that a rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// `channel`.
    Channel,
    /// `agents`.
    Agents,
    /// `shrinkage`.
    Shrinkage,
    /// `concurrency`.
    Concurrency,
    /// `demand` (per hour).
    Demand,
    /// `patience`.
    Patience,
    /// `emotional_load`.
    EmotionalLoad,
    /// `scripts`.
    Scripts,
    /// `promises` (tested with `has`).
    Promises,
    /// `service_level` (the target share).
    ServiceLevel,
    /// `target.METRIC`: the tightest bound in force.
    Target(Metric),
    /// `weight.METRIC`: the summed weight of the metric's targets.
    Weight(Metric),
    /// `authority.ACTION`: the money limit.
    Authority(Action),
    /// `training.cadence`.
    TrainingCadence,
    /// `derived.*`.
    Derived(Derived),
}

const SIMPLE: &[(&str, Fact)] = &[
    ("channel", Fact::Channel),
    ("agents", Fact::Agents),
    ("shrinkage", Fact::Shrinkage),
    ("concurrency", Fact::Concurrency),
    ("demand", Fact::Demand),
    ("patience", Fact::Patience),
    ("emotional_load", Fact::EmotionalLoad),
    ("scripts", Fact::Scripts),
    ("promises", Fact::Promises),
    ("service_level", Fact::ServiceLevel),
    ("training.cadence", Fact::TrainingCadence),
    ("derived.load", Fact::Derived(Derived::Load)),
    ("derived.occupancy", Fact::Derived(Derived::Occupancy)),
    ("derived.service_level", Fact::Derived(Derived::ServiceLevel)),
    ("derived.speed_of_answer", Fact::Derived(Derived::SpeedOfAnswer)),
    ("derived.required_agents", Fact::Derived(Derived::RequiredAgents)),
    ("derived.max_first_contact_resolution", Fact::Derived(Derived::MaxFirstContactResolution)),
];

impl Fact {
    /// The fact a path names.
    pub fn parse(path: &str) -> Option<Fact> {
        if let Some(&(_, fact)) = SIMPLE.iter().find(|(name, _)| *name == path) {
            return Some(fact);
        }
        let (head, tail) = path.split_once('.')?;
        match head {
            "target" => Metric::parse(tail).map(Fact::Target),
            "weight" => Metric::parse(tail).map(Fact::Weight),
            "authority" => Action::parse(tail).map(Fact::Authority),
            _ => None,
        }
    }

    /// Every path a rule may name, for suggestions.
    pub fn all_paths() -> Vec<String> {
        let mut paths: Vec<String> = SIMPLE.iter().map(|(name, _)| name.to_string()).collect();
        paths.extend(Metric::names().map(|m| format!("target.{m}")));
        paths.extend(Metric::names().map(|m| format!("weight.{m}")));
        paths.extend(Action::names().map(|a| format!("authority.{a}")));
        paths
    }

    /// The kind of value the fact has.
    pub fn kind(self) -> Kind {
        match self {
            Fact::Channel => Kind::Word(WordKind::Channel),
            Fact::EmotionalLoad => Kind::Word(WordKind::EmotionalLoad),
            Fact::Scripts => Kind::Word(WordKind::Scripts),
            Fact::TrainingCadence => Kind::Word(WordKind::Cadence),
            Fact::Agents | Fact::Concurrency | Fact::Derived(Derived::RequiredAgents | Derived::Load) => Kind::Number,
            Fact::Shrinkage | Fact::ServiceLevel | Fact::Weight(_) => Kind::Ratio,
            Fact::Derived(Derived::Occupancy | Derived::ServiceLevel | Derived::MaxFirstContactResolution) => {
                Kind::Ratio
            }
            Fact::Demand => Kind::Rate,
            Fact::Patience | Fact::Derived(Derived::SpeedOfAnswer) => Kind::Duration,
            Fact::Promises => Kind::Promises,
            Fact::Authority(_) => Kind::Money,
            Fact::Target(metric) => match metric.unit() {
                MetricUnit::Duration => Kind::Duration,
                MetricUnit::Percentage => Kind::Ratio,
                MetricUnit::PercentageOrScore => Kind::RatioOrScore,
                MetricUnit::Count | MetricUnit::Nps => Kind::Number,
            },
        }
    }
}

impl std::fmt::Display for Fact {
    /// The path as written in a rule: `authority.refund`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((name, _)) = SIMPLE.iter().find(|(_, fact)| fact == self) {
            return f.write_str(name);
        }
        match self {
            Fact::Target(m) => write!(f, "target.{m}"),
            Fact::Weight(m) => write!(f, "weight.{m}"),
            Fact::Authority(a) => write!(f, "authority.{a}"),
            _ => f.write_str("?"),
        }
    }
}

impl std::fmt::Display for Literal {
    /// The value as a policy writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Literal::Number(n) => write!(f, "{n}"),
            Literal::Duration(d) => write!(f, "{d}"),
            Literal::Ratio(r) => write!(f, "{r}"),
            Literal::Score(s) => write!(f, "{s}"),
            Literal::Money(m) => write!(f, "{m}"),
            Literal::NoGrant => f.write_str("none"),
            Literal::Unlimited => f.write_str("allowed"),
            Literal::Rate(count, per) => {
                let unit = match per {
                    RateUnit::Second => "s",
                    RateUnit::Minute => "min",
                    RateUnit::Hour => "h",
                    RateUnit::Day => "day",
                };
                write!(f, "{count}/{unit}")
            }
            Literal::Word(Word::Channel(w)) => write!(f, "{w}"),
            Literal::Word(Word::Scripts(w)) => write!(f, "{w}"),
            Literal::Word(Word::EmotionalLoad(w)) => write!(f, "{w}"),
            Literal::Word(Word::Cadence(w)) => write!(f, "{w}"),
        }
    }
}

/// A closed vocabulary a fact takes its value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// Channels.
    Channel,
    /// Script styles.
    Scripts,
    /// Emotional loads.
    EmotionalLoad,
    /// Training cadences.
    Cadence,
}

/// The kind of a value, for type checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word of a vocabulary.
    Word(WordKind),
    /// A plain number.
    Number,
    /// A percentage.
    Ratio,
    /// A percentage or a score (csat, quality score).
    RatioOrScore,
    /// A score such as `4.5/5`.
    Score,
    /// A duration.
    Duration,
    /// Money, or the words `none` and `allowed`.
    Money,
    /// A rate.
    Rate,
    /// The set of promises.
    Promises,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Word(WordKind::Channel) => "a channel",
            Kind::Word(WordKind::Scripts) => "a scripts style",
            Kind::Word(WordKind::EmotionalLoad) => "an emotional load",
            Kind::Word(WordKind::Cadence) => "a cadence",
            Kind::Number => "a number",
            Kind::Ratio => "a percentage",
            Kind::RatioOrScore => "a percentage or a score",
            Kind::Score => "a score",
            Kind::Duration => "a duration",
            Kind::Money => "money",
            Kind::Rate => "a rate",
            Kind::Promises => "the set of promises",
        }
    }

    /// Whether values of `self` and `other` can be compared.
    fn compatible(self, other: Kind) -> bool {
        match (self, other) {
            (Kind::Ratio | Kind::RatioOrScore, Kind::Ratio | Kind::RatioOrScore) => true,
            (Kind::Score, Kind::RatioOrScore | Kind::Score) | (Kind::RatioOrScore, Kind::Score) => true,
            (a, b) => a == b,
        }
    }
}

/// A word of one of the vocabularies facts take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// A channel.
    Channel(Channel),
    /// A scripts style.
    Scripts(Scripts),
    /// An emotional load.
    EmotionalLoad(EmotionalLoad),
    /// A cadence.
    Cadence(Cadence),
}

/// A literal value in a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    /// `42`.
    Number(Rational),
    /// `3m`.
    Duration(Seconds),
    /// `80%`.
    Ratio(Ratio),
    /// `4.5/5`.
    Score(Score),
    /// `$25`.
    Money(Money),
    /// `none`: no authority, below every amount.
    NoGrant,
    /// `allowed`: authority without limit, above every amount.
    Unlimited,
    /// `600/h`.
    Rate(Rational, RateUnit),
    /// `phone`, `verbatim`, `high`, `monthly`.
    Word(Word),
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Term {
    /// A fact of the team.
    Fact(Fact),
    /// A literal.
    Literal(Literal),
}

/// A checked condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// True if any is.
    Any(Vec<Condition>),
    /// True if all are.
    All(Vec<Condition>),
    /// Negation.
    Not(Box<Condition>),
    /// `fact is set` (or `is not set` when `negated`).
    IsSet {
        /// The fact.
        fact: Fact,
        /// `is not set`.
        negated: bool,
    },
    /// `promises has P`.
    Has(Promise),
    /// `left OP right`.
    Compare(Term, CmpOp, Term),
    /// `term in [a, b]`.
    In(Term, Vec<Term>),
}

/// A message with `{path}` placeholders.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Text as written.
    Text(String),
    /// The value of a fact.
    Fact(Fact),
}

/// "`patience` (a duration)".
fn describe_fact(fact: Fact) -> String {
    format!("`{fact}` ({})", fact.kind().name())
}

/// Checks rule conditions and templates, collecting diagnostics.
pub(crate) struct RuleChecker<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
}

/// An operand before its kind is known: a fact, a literal, or a bare word
/// to resolve against the other side.
enum Operand<'a> {
    Fact(Fact),
    Literal(Literal, Kind),
    Bare(&'a ast::Ident),
}

impl RuleChecker<'_> {
    fn error(&mut self, code: ErrorCode, span: Span, message: String, label: &str, help: String) {
        self.diags.push(Diagnostic::error(code, message).primary(span, label).help(help));
    }

    /// Checks a condition; `None` if any part of it is wrong (all reported).
    pub fn condition(&mut self, expr: &ast::Expr) -> Option<Condition> {
        match expr {
            ast::Expr::Or(terms, _) => self.all_of(terms).map(Condition::Any),
            ast::Expr::And(terms, _) => self.all_of(terms).map(Condition::All),
            ast::Expr::Not(inner, _) => self.condition(inner).map(|c| Condition::Not(Box::new(c))),
            ast::Expr::Test(test) => self.test(test),
        }
    }

    fn all_of(&mut self, terms: &[ast::Expr]) -> Option<Vec<Condition>> {
        let checked: Vec<Option<Condition>> = terms.iter().map(|t| self.condition(t)).collect();
        checked.into_iter().collect()
    }

    fn test(&mut self, test: &ast::Test) -> Option<Condition> {
        match &test.kind {
            ast::TestKind::IsSet { negated } => {
                let fact = self.fact_only(&test.operand, "`is set` tests a fact")?;
                Some(Condition::IsSet { fact, negated: *negated })
            }
            ast::TestKind::Has(word) => {
                let fact = self.fact_only(&test.operand, "`has` tests `promises`")?;
                if fact != Fact::Promises {
                    let span = test.operand.span();
                    self.error(
                        ErrorCode::UnitMismatch,
                        span,
                        "`has` tests the set of `promises`".into(),
                        "not `promises`",
                        "write `promises has thorough`".into(),
                    );
                    return None;
                }
                self.vocabulary(word, Promise::parse, Promise::names(), "promise").map(Condition::Has)
            }
            ast::TestKind::Compare(op, right) => {
                let (left_op, right_op) = (self.operand(&test.operand), self.operand(right));
                let (l, r) = self.pair(left_op?, right_op?, test)?;
                if matches!(l, Term::Fact(f) if matches!(f.kind(), Kind::Word(_) | Kind::Promises))
                    && !matches!(op, CmpOp::Eq | CmpOp::Ne)
                {
                    let message = format!("`{}` can only be tested with `==`, `!=` or `in`", op.as_str());
                    self.error(
                        ErrorCode::UnitMismatch,
                        test.span,
                        message,
                        "words have no order",
                        "compare words with `==` or `!=`".into(),
                    );
                    return None;
                }
                Some(Condition::Compare(l, *op, r))
            }
            ast::TestKind::In(items) => {
                let left = self.operand(&test.operand)?;
                let Operand::Fact(fact) = left else {
                    let span = test.operand.span();
                    self.error(
                        ErrorCode::UnitMismatch,
                        span,
                        "the left side of `in` must be a fact".into(),
                        "not a fact",
                        "write `channel in [chat, social]`".into(),
                    );
                    return None;
                };
                let mut list = Vec::new();
                let mut ok = true;
                for item in items {
                    match self.operand(item).and_then(|o| self.fit(o, fact, item.span())) {
                        Some(term) => list.push(term),
                        None => ok = false,
                    }
                }
                ok.then_some(Condition::In(Term::Fact(fact), list))
            }
        }
    }

    /// The two sides of a comparison, with bare words resolved against the
    /// kind of the other side.
    fn pair(&mut self, left: Operand<'_>, right: Operand<'_>, test: &ast::Test) -> Option<(Term, Term)> {
        match (left, right) {
            (Operand::Fact(a), Operand::Fact(b)) => {
                if a.kind().compatible(b.kind()) {
                    Some((Term::Fact(a), Term::Fact(b)))
                } else {
                    self.mismatch(test.span, describe_fact(a), describe_fact(b));
                    None
                }
            }
            (Operand::Fact(f), other) => Some((Term::Fact(f), self.fit(other, f, test.span)?)),
            (other, Operand::Fact(f)) => Some((self.fit(other, f, test.span)?, Term::Fact(f))),
            // `chanel == phone`: two words, the first most likely a misspelt fact.
            (Operand::Bare(word), Operand::Bare(_)) => {
                self.unknown_path(word);
                None
            }
            _ => {
                let help = "one side of a comparison names a fact of the team, like `agents` or `authority.refund`";
                self.error(
                    ErrorCode::UnitMismatch,
                    test.span,
                    "this compares two values; one side must be a fact".into(),
                    "no fact here",
                    help.into(),
                );
                None
            }
        }
    }

    fn mismatch(&mut self, span: Span, left: String, right: String) {
        let message = format!("cannot compare {left} with {right}");
        self.error(
            ErrorCode::UnitMismatch,
            span,
            message,
            "different kinds of value",
            "compare values of one kind, like a duration with a duration".into(),
        );
    }

    /// A literal or bare word as a value of `kind`.
    fn fit(&mut self, operand: Operand<'_>, against: Fact, span: Span) -> Option<Term> {
        let kind = against.kind();
        match operand {
            Operand::Fact(fact) => {
                if fact.kind().compatible(kind) {
                    Some(Term::Fact(fact))
                } else {
                    self.mismatch(span, describe_fact(against), describe_fact(fact));
                    None
                }
            }
            Operand::Literal(literal, literal_kind) => {
                if kind.compatible(literal_kind) {
                    Some(Term::Literal(literal))
                } else {
                    self.mismatch(span, describe_fact(against), format!("`{literal}` ({})", literal_kind.name()));
                    None
                }
            }
            Operand::Bare(word) => self.word(word, kind).map(Term::Literal),
        }
    }

    /// A bare word in the vocabulary of `kind`.
    fn word(&mut self, ident: &ast::Ident, kind: Kind) -> Option<Literal> {
        let name = ident.name.as_str();
        match kind {
            Kind::Word(WordKind::Channel) => self
                .vocabulary(ident, Channel::parse, Channel::names(), "channel")
                .map(|w| Literal::Word(Word::Channel(w))),
            Kind::Word(WordKind::Scripts) => self
                .vocabulary(ident, Scripts::parse, Scripts::names(), "scripts style")
                .map(|w| Literal::Word(Word::Scripts(w))),
            Kind::Word(WordKind::EmotionalLoad) => self
                .vocabulary(ident, EmotionalLoad::parse, EmotionalLoad::names(), "emotional load")
                .map(|w| Literal::Word(Word::EmotionalLoad(w))),
            Kind::Word(WordKind::Cadence) => self
                .vocabulary(ident, Cadence::parse, Cadence::names(), "cadence")
                .map(|w| Literal::Word(Word::Cadence(w))),
            Kind::Money if name == "none" => Some(Literal::NoGrant),
            Kind::Money if name == "allowed" => Some(Literal::Unlimited),
            _ => {
                self.unknown_path(ident);
                None
            }
        }
    }

    fn vocabulary<T>(
        &mut self,
        ident: &ast::Ident,
        parse: fn(&str) -> Option<T>,
        names: impl Iterator<Item = &'static str> + Clone,
        what: &str,
    ) -> Option<T> {
        if let Some(value) = parse(&ident.name) {
            return Some(value);
        }
        let unknown = super::vocab::unknown_word(&ident.name, names, what);
        self.error(ErrorCode::UnknownName, ident.span, unknown.message, &unknown.label, unknown.help);
        None
    }

    fn unknown_path(&mut self, ident: &ast::Ident) {
        let paths = Fact::all_paths();
        let label = match closest(&ident.name, paths.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "not a fact of a team".to_string(),
        };
        let message = format!("unknown fact `{}`", excerpt(&ident.name));
        let help = "rules read facts such as `channel`, `agents`, `target.handle_time`, `authority.refund` or `derived.occupancy`; docs/language.md lists them all";
        self.error(ErrorCode::UnknownName, ident.span, message, &label, help.into());
    }

    fn fact_only(&mut self, operand: &ast::Operand, help: &str) -> Option<Fact> {
        match operand {
            ast::Operand::Path(ident) => match Fact::parse(&ident.name) {
                Some(fact) => Some(fact),
                None => {
                    self.unknown_path(ident);
                    None
                }
            },
            // An invalid value was reported where it was read.
            ast::Operand::Value(q) if q.value == QValue::Invalid => None,
            ast::Operand::Value(q) => {
                self.error(
                    ErrorCode::UnitMismatch,
                    q.span,
                    "a value cannot be tested this way".into(),
                    "not a fact",
                    help.into(),
                );
                None
            }
        }
    }

    fn operand<'a>(&mut self, operand: &'a ast::Operand) -> Option<Operand<'a>> {
        match operand {
            ast::Operand::Path(ident) => Some(match Fact::parse(&ident.name) {
                Some(fact) => Operand::Fact(fact),
                None if ident.name.contains('.') => {
                    self.unknown_path(ident);
                    return None;
                }
                None => Operand::Bare(ident),
            }),
            ast::Operand::Value(q) => {
                let (literal, kind) = match &q.value {
                    QValue::Number(n) => (Literal::Number(*n), Kind::Number),
                    QValue::Duration(s) => (Literal::Duration(Seconds(*s)), Kind::Duration),
                    QValue::Percent(p) => {
                        let Some(ratio) = Ratio::from_percent(*p) else {
                            self.error(
                                ErrorCode::OutOfRange,
                                q.span,
                                format!("{p}% is above 100%"),
                                "above 100%",
                                "percentages run from 0% to 100%".into(),
                            );
                            return None;
                        };
                        (Literal::Ratio(ratio), Kind::Ratio)
                    }
                    QValue::Score(score) => {
                        (Literal::Score(Score { value: score.value, scale: score.scale }), Kind::Score)
                    }
                    QValue::Money(money) => {
                        let ast::MoneyLiteral { amount, currency } = &**money;
                        let money = Currency::new(currency).and_then(|c| Money::new(*amount, c));
                        let Some(money) = money else {
                            self.error(
                                ErrorCode::UnknownName,
                                q.span,
                                format!("`{currency}` is not a currency with cents this amount fits"),
                                "not money",
                                "write money like `$25` or `120 USD`".into(),
                            );
                            return None;
                        };
                        (Literal::Money(money), Kind::Money)
                    }
                    QValue::Rate { count, per } => (Literal::Rate(*count, *per), Kind::Rate),
                    QValue::Invalid => return None,
                };
                Some(Operand::Literal(literal, kind))
            }
        }
    }

    /// Splits a template on `{path}`, checking each path.
    pub fn template(&mut self, text: &ast::Str) -> Option<Vec<Segment>> {
        let mut segments = Vec::new();
        let mut rest = text.value.as_str();
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            let (before, after) = rest.split_at(open);
            if !before.is_empty() {
                segments.push(Segment::Text(before.to_string()));
            }
            let Some(close) = after.find('}') else {
                segments.push(Segment::Text(after.to_string()));
                rest = "";
                break;
            };
            let path = after.get(1..close).unwrap_or_default().trim();
            match Fact::parse(path) {
                Some(fact) => segments.push(Segment::Fact(fact)),
                None => {
                    ok = false;
                    let paths = Fact::all_paths();
                    let label = match closest(path, paths.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{{{s}}}`?"),
                        None => "not a fact of a team".into(),
                    };
                    let message = format!("unknown fact `{{{}}}` in a message", excerpt(path));
                    self.error(
                        ErrorCode::UnknownName,
                        text.span,
                        message,
                        &label,
                        "`{path}` is replaced by the team's fact, like `{authority.refund}`".into(),
                    );
                }
            }
            rest = after.get(close + 1..).unwrap_or_default();
        }
        if !rest.is_empty() {
            segments.push(Segment::Text(rest.to_string()));
        }
        ok.then_some(segments)
    }
}
