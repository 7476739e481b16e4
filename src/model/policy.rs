//! The meaning of a policy file: teams with `defaults` merged in, names
//! resolved to vocabularies, values in their units.
//!
//! Every fact keeps the span of the statement that stated it and whether it
//! came from `defaults`, so a finding can point at each statement involved.

use super::norms::Norms;
use super::units::{Date, Money, RatePerHour, Ratio, Seconds, Value};
use super::vocab::{Action, Cadence, Channel, EmotionalLoad, Metric, Module, Promise, Scripts, Trait};
use std::sync::Arc;

use crate::Span;
use crate::syntax::ast;

/// Where a team's fact was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// In the team's own block.
    Team,
    /// In the file's `defaults` block.
    Defaults,
}

/// A fact of a team with the statement that stated it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact<T> {
    /// The value.
    pub value: T,
    /// The statement (or, for list entries, the word) that stated it.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

/// One level of the leadership chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Level {
    /// 0 for the highest level; larger is lower.
    pub rank: usize,
    /// The level's name.
    pub name: String,
}

impl Level {
    /// Whether `self` ranks strictly above `other`.
    pub fn outranks(&self, other: &Level) -> bool {
        self.rank < other.rank
    }
}

/// The leadership chain, highest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// Level names, highest first.
    pub levels: Vec<String>,
    /// The `chain` statement, if the file has one.
    pub span: Option<Span>,
}

impl Default for Chain {
    fn default() -> Self {
        Chain { levels: ["executive", "director", "manager", "supervisor"].map(String::from).to_vec(), span: None }
    }
}

impl Chain {
    /// The level called `name`.
    pub fn level(&self, name: &str) -> Option<Level> {
        let rank = self.levels.iter().position(|l| l == name)?;
        Some(Level { rank, name: name.to_string() })
    }
}

/// `hours 08:00-20:00`, in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    /// Opening time.
    pub open: u32,
    /// Closing time (after `open`).
    pub close: u32,
}

impl Hours {
    /// Hours open per day.
    pub fn length_hours(self) -> crate::num::Rational {
        crate::num::Rational::new(i128::from(self.close - self.open), 60).unwrap_or(crate::num::Rational::ZERO)
    }
}

/// `service_level 80% within 20s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceLevel {
    /// Share of contacts to answer in time.
    pub share: Ratio,
    /// The answer threshold.
    pub within: Seconds,
}

/// A bound on one side of a target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct End {
    /// The value.
    pub value: Value,
    /// Whether the value itself is admitted.
    pub inclusive: bool,
}

/// The set of values a target admits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// `< <= > >= =` a value.
    Compare(ast::CmpOp, Value),
    /// `between low and high` (both inclusive).
    Between(Value, Value),
}

impl Bound {
    /// The upper end, if the bound has one.
    pub fn upper(self) -> Option<End> {
        match self {
            Bound::Compare(ast::CmpOp::Lt, v) => Some(End { value: v, inclusive: false }),
            Bound::Compare(ast::CmpOp::Le | ast::CmpOp::Eq, v) => Some(End { value: v, inclusive: true }),
            Bound::Between(_, high) => Some(End { value: high, inclusive: true }),
            Bound::Compare(..) => None,
        }
    }

    /// The lower end, if the bound has one.
    pub fn lower(self) -> Option<End> {
        match self {
            Bound::Compare(ast::CmpOp::Gt, v) => Some(End { value: v, inclusive: false }),
            Bound::Compare(ast::CmpOp::Ge | ast::CmpOp::Eq, v) => Some(End { value: v, inclusive: true }),
            Bound::Between(low, _) => Some(End { value: low, inclusive: true }),
            Bound::Compare(..) => None,
        }
    }
}

impl std::fmt::Display for Bound {
    /// `<= 3m`, `between 4m and 6m`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Compare(op, v) => write!(f, "{} {v}", op.as_str()),
            Bound::Between(low, high) => write!(f, "between {low} and {high}"),
        }
    }
}

/// `target METRIC BOUND [weight P%] [set_by LEVEL]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The metric.
    pub metric: Metric,
    /// The admitted values.
    pub bound: Bound,
    /// Scorecard weight.
    pub weight: Option<Ratio>,
    /// The level that set it.
    pub set_by: Option<Level>,
    /// The statement.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

impl Target {
    /// The statement that states this target with `bound` instead of its
    /// own, keeping its weight and level: `target handle_time <= 6m weight
    /// 40% set_by executive`.
    pub fn statement_with(&self, bound: Bound) -> String {
        let mut text = format!("target {} {bound}", self.metric);
        if let Some(weight) = self.weight {
            text.push_str(&format!(" weight {weight}"));
        }
        if let Some(level) = &self.set_by {
            text.push_str(&format!(" set_by {}", level.name));
        }
        text
    }
}

/// What a directive asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Intent {
    /// `minimize METRIC`.
    Minimize(Metric),
    /// `maximize METRIC`.
    Maximize(Metric),
    /// `require PROMISE`.
    Require(Promise),
    /// `cap METRIC at VALUE`.
    Cap(Metric, Value),
    /// `floor METRIC at VALUE`.
    Floor(Metric, Value),
}

impl std::fmt::Display for Intent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Intent::Minimize(m) => write!(f, "minimize {m}"),
            Intent::Maximize(m) => write!(f, "maximize {m}"),
            Intent::Require(p) => write!(f, "require {p}"),
            Intent::Cap(m, v) => write!(f, "cap {m} at {v}"),
            Intent::Floor(m, v) => write!(f, "floor {m} at {v}"),
        }
    }
}

/// `directive LEVEL: INTENT`.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// Who gives it.
    pub level: Level,
    /// What it asks for.
    pub intent: Intent,
    /// The statement.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

/// What agents may do with an action on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `up_to MONEY`.
    UpTo(Money),
    /// `allowed` (no limit).
    Unlimited,
    /// `none`: not at all.
    Never,
}

/// One line of `authority`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The action.
    pub action: Action,
    /// How far agents may go.
    pub limit: Limit,
    /// A level whose approval is needed every time.
    pub approval: Option<Level>,
    /// The line.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

/// `needs ACTION [up_to MONEY]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// The action resolving the contact takes.
    pub action: Action,
    /// The amount it takes, if stated.
    pub amount: Option<Money>,
}

/// One reason customers contact the team.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// Its name.
    pub name: String,
    /// Share of contacts.
    pub share: Ratio,
    /// Whether it exists because something upstream failed.
    pub preventable: bool,
    /// The authority resolving it takes.
    pub needs: Option<Need>,
    /// The line.
    pub span: Span,
}

/// The `drivers` block in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Drivers {
    /// The drivers.
    pub list: Vec<Driver>,
    /// The block.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

/// The `training` block in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    /// `cadence`, with its statement.
    pub cadence: Option<(Cadence, Span)>,
    /// `sequence` modules in order, each with its word's span.
    pub sequence: Option<(Vec<(Module, Span)>, Span)>,
    /// `case_reviews`, with its statement.
    pub case_reviews: Option<(Cadence, Span)>,
    /// The block.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

/// The `hiring` block in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Hiring {
    /// Traits screened for, each with its word's span.
    pub screen_for: Vec<(Trait, Span)>,
    /// The block.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
}

/// Where an `allow` stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllowScope {
    /// Top level: the whole file.
    File,
    /// In `defaults`: every team.
    Defaults,
    /// In one team.
    Team,
}

/// `allow rule "reason" [owner "NAME"] [until YYYY-MM-DD]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// The rule's name or code as written.
    pub rule: String,
    /// Where the rule reference is.
    pub rule_span: Span,
    /// The reason.
    pub reason: String,
    /// Who answers for it.
    pub owner: Option<String>,
    /// From this day on it silences nothing, with where it is written.
    pub until: Option<(Date, Span)>,
    /// The statement.
    pub span: Span,
    /// Where it stands.
    pub scope: AllowScope,
}

/// A list of statements in force for a team: those of `defaults`, shared by
/// every team rather than copied into each, then the team's own.
#[derive(Debug, Clone, PartialEq)]
pub struct InForce<T> {
    defaults: Arc<[T]>,
    own: Vec<T>,
}

impl<T> Default for InForce<T> {
    fn default() -> Self {
        InForce { defaults: Arc::from(Vec::new()), own: Vec::new() }
    }
}

impl<T> InForce<T> {
    /// `defaults`' statements (shared) followed by `own`.
    pub fn new(defaults: Arc<[T]>, own: Vec<T>) -> Self {
        InForce { defaults, own }
    }

    /// Every statement, `defaults` first.
    pub fn iter(&self) -> std::iter::Chain<std::slice::Iter<'_, T>, std::slice::Iter<'_, T>> {
        self.defaults.iter().chain(self.own.iter())
    }

    /// How many statements are in force.
    pub fn len(&self) -> usize {
        self.defaults.len() + self.own.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The statements from `defaults`.
    pub fn from_defaults(&self) -> &[T] {
        &self.defaults
    }

    /// The team's own statements.
    pub fn own(&self) -> &[T] {
        &self.own
    }
}

impl<'a, T> IntoIterator for &'a InForce<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Chain<std::slice::Iter<'a, T>, std::slice::Iter<'a, T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One team with `defaults` merged in.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// The team's name.
    pub name: String,
    /// The name's span (the string).
    pub name_span: Span,
    /// The whole block.
    pub span: Span,
    /// `channel`.
    pub channel: Option<Fact<Channel>>,
    /// `hours`.
    pub hours: Option<Fact<Hours>>,
    /// `demand`, as an hourly rate (a `/day` demand spread over `hours`).
    pub demand: Option<Fact<RatePerHour>>,
    /// `agents`.
    pub agents: Option<Fact<u64>>,
    /// `shrinkage`.
    pub shrinkage: Option<Fact<Ratio>>,
    /// `concurrency`.
    pub concurrency: Option<Fact<u32>>,
    /// `service_level`.
    pub service_level: Option<Fact<ServiceLevel>>,
    /// `patience`.
    pub patience: Option<Fact<Seconds>>,
    /// `scripts`.
    pub scripts: Option<Fact<Scripts>>,
    /// `emotional_load`.
    pub emotional_load: Option<Fact<EmotionalLoad>>,
    /// Every target in force: `defaults` first, then the team's.
    pub targets: InForce<Target>,
    /// Promises in force (united), each with its word's span.
    pub promises: Vec<Fact<Promise>>,
    /// Authority in force, one grant per action.
    pub authority: Vec<Grant>,
    /// The drivers in force (shared with `defaults` when inherited).
    pub drivers: Option<Arc<Drivers>>,
    /// The training in force.
    pub training: Option<Arc<Training>>,
    /// The hiring screen in force.
    pub hiring: Option<Arc<Hiring>>,
    /// Every directive in force: `defaults` first, then the team's.
    pub directives: InForce<Directive>,
    /// Suppressions in force: `defaults` first, then the team's.
    pub allows: InForce<Allow>,
    /// Whether a front-end error touches this team; rules skip it if so.
    pub has_errors: bool,
}

impl Team {
    /// Whether the team makes `promise`.
    pub fn promises(&self, promise: Promise) -> bool {
        self.promises.iter().any(|p| p.value == promise)
    }

    /// The grant for `action`, if the authority block lists it.
    pub fn grant(&self, action: Action) -> Option<&Grant> {
        self.authority.iter().find(|g| g.action == action)
    }

    /// Targets on `metric`.
    pub fn targets_on(&self, metric: Metric) -> impl Iterator<Item = &Target> {
        self.targets.iter().filter(move |t| t.metric == metric)
    }
}

/// A custom `rule` block, checked: its condition is typed and its
/// templates name only known facts.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRule {
    /// The kebab-case name.
    pub name: String,
    /// The name's span.
    pub name_span: Span,
    /// Severity (default warning).
    pub severity: crate::Severity,
    /// The condition, evaluated per team.
    pub condition: super::custom::Condition,
    /// The `when` statement.
    pub when_span: Span,
    /// The message, with `{path}` placeholders.
    pub message: Vec<super::custom::Segment>,
    /// The help, with `{path}` placeholders.
    pub help: Option<Vec<super::custom::Segment>>,
    /// The block.
    pub span: Span,
}

/// One policy file, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The `policy` header's name.
    pub name: Option<String>,
    /// The leadership chain.
    pub chain: Chain,
    /// The norms in force (defaults, configuration, then the file's block).
    pub norms: Norms,
    /// The teams, in file order.
    pub teams: Vec<Team>,
    /// Custom rules, in file order.
    pub rules: Vec<CustomRule>,
    /// Top-level suppressions.
    pub allows: Vec<Allow>,
}

/// Where an upper bound on a metric comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BoundSource<'a> {
    /// A `target`.
    Target(&'a Target),
    /// A `cap` directive.
    Cap(&'a Directive),
}

/// An upper or lower bound on a metric in force for a team.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundRef<'a> {
    /// The bound.
    pub end: End,
    /// The statement that sets it.
    pub span: Span,
    /// Team block or `defaults`.
    pub origin: Origin,
    /// The target or directive.
    pub source: BoundSource<'a>,
}

impl Team {
    /// Every upper bound on `metric`: targets' upper ends and `cap`
    /// directives, in statement order.
    pub fn ceilings(&self, metric: Metric) -> Vec<BoundRef<'_>> {
        let targets = self.targets_on(metric).filter_map(|t| {
            t.bound.upper().map(|end| BoundRef { end, span: t.span, origin: t.origin, source: BoundSource::Target(t) })
        });
        let caps = self.directives.iter().filter_map(move |d| match d.intent {
            Intent::Cap(m, value) if m == metric => Some(BoundRef {
                end: End { value, inclusive: true },
                span: d.span,
                origin: d.origin,
                source: BoundSource::Cap(d),
            }),
            _ => None,
        });
        let mut all: Vec<BoundRef<'_>> = targets.chain(caps).collect();
        all.sort_by_key(|b| b.span);
        all
    }
}

impl End {
    /// Whether every value this upper end admits is below `threshold`, so
    /// the threshold can never be reached: `< 6m` against 6m, `<= 5m`
    /// against 6m.
    pub fn ceiling_below(self, threshold: crate::num::Rational) -> bool {
        let v = self.value.axis();
        if self.inclusive { v < threshold } else { v <= threshold }
    }

    /// Whether every value this lower end admits is above `threshold`:
    /// `> 65%` against a 65% ceiling.
    pub fn floor_above(self, threshold: crate::num::Rational) -> bool {
        let v = self.value.axis();
        if self.inclusive { v > threshold } else { v >= threshold }
    }
}
