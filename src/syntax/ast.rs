//! The syntax tree of one policy file, exactly as written.
//!
//! Every node carries its [`Span`]. Names are not resolved here (a misspelt
//! metric is still an [`Ident`]) and values keep the unit they were written
//! with; `model::build` gives them meaning.

use crate::Span;
use crate::num::Rational;

/// A whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// Top-level items in source order: those that could be read.
    pub items: Vec<Item>,
    /// `defaults`, `norms` and `chain` items with a syntax error: every team
    /// depends on them, so no team is checked.
    pub broken_shared: Vec<Span>,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `policy "Name"`.
    Header(Header),
    /// `chain a > b > c`.
    Chain(Chain),
    /// `norms { ... }`.
    Norms(NormsBlock),
    /// `defaults { ... }`.
    Defaults(Block),
    /// `team "Name" { ... }`.
    Team(Team),
    /// `rule "name" { ... }`.
    Rule(RuleDecl),
    /// `allow rule "reason"` at top level, boxed: the largest item, and a
    /// rare one, would otherwise set the size of every team's.
    Allow(Box<Allow>),
}

/// An identifier as written (it may be outside its vocabulary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// A double-quoted string with its escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    /// The unescaped value.
    pub value: String,
    /// Where, including the quotes.
    pub span: Span,
}

/// `policy "Name"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The organisation's name.
    pub name: Str,
    /// The whole item.
    pub span: Span,
}

/// `chain executive > director > manager`.
#[derive(Debug, Clone, PartialEq)]
pub struct Chain {
    /// Levels, highest first.
    pub levels: Vec<Ident>,
    /// The whole item.
    pub span: Span,
}

/// `norms { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct NormsBlock {
    /// The overrides.
    pub norms: Vec<Norm>,
    /// The whole block.
    pub span: Span,
}

/// One norm override: `handle_time_floor thorough phone 6m`.
#[derive(Debug, Clone, PartialEq)]
pub struct Norm {
    /// The norm's name.
    pub name: Ident,
    /// Qualifiers between the name and the value (promise, channel).
    pub args: Vec<Ident>,
    /// The value.
    pub value: Quantity,
    /// The whole line.
    pub span: Span,
}

/// The statements of a `team` or `defaults` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Statements in source order.
    pub stmts: Vec<Stmt>,
    /// The keyword that opens the block (`team`, `defaults`).
    pub keyword: Span,
    /// The whole block, keyword to closing brace.
    pub span: Span,
}

/// `team "Name" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// The team's name.
    pub name: Str,
    /// Its statements.
    pub body: Block,
}

/// A team statement with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    /// What it says.
    pub kind: StmtKind,
    /// The whole statement.
    pub span: Span,
}

/// The team statements of the language.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `channel phone`.
    Channel(Ident),
    /// `hours 08:00-20:00`.
    Hours {
        /// Opening time.
        open: TimeOfDay,
        /// Closing time.
        close: TimeOfDay,
    },
    /// `demand 600/h`.
    Demand(Quantity),
    /// `agents 42`.
    Agents(Quantity),
    /// `shrinkage 30%`.
    Shrinkage(Quantity),
    /// `concurrency 3`.
    Concurrency(Quantity),
    /// `service_level 80% within 20s`, boxed like the other large kinds
    /// (`target`, `directive`, `allow`): a statement is as large as its
    /// largest kind, and a tree of 10,000 teams holds 100,000 of them.
    ServiceLevel(Box<ServiceLevel>),
    /// `patience 2m`.
    Patience(Quantity),
    /// `target METRIC ...`, boxed: the largest statement, and the most
    /// common one, would otherwise set the size of every other.
    Target(Box<Target>),
    /// `promise a, b`.
    Promise(Vec<Ident>),
    /// `authority { ... }`.
    Authority(Vec<Grant>),
    /// `drivers { ... }`.
    Drivers(Vec<Driver>),
    /// `scripts verbatim`.
    Scripts(Ident),
    /// `emotional_load high`.
    EmotionalLoad(Ident),
    /// `training { ... }`.
    Training(Vec<TrainingStmt>),
    /// `hiring { ... }`.
    Hiring(Vec<ScreenFor>),
    /// `directive LEVEL: INTENT`.
    Directive(Box<Directive>),
    /// `allow rule "reason"`.
    Allow(Box<Allow>),
}

impl StmtKind {
    /// The keyword that starts the statement.
    pub fn keyword(&self) -> &'static str {
        match self {
            StmtKind::Channel(_) => "channel",
            StmtKind::Hours { .. } => "hours",
            StmtKind::Demand(_) => "demand",
            StmtKind::Agents(_) => "agents",
            StmtKind::Shrinkage(_) => "shrinkage",
            StmtKind::Concurrency(_) => "concurrency",
            StmtKind::ServiceLevel(_) => "service_level",
            StmtKind::Patience(_) => "patience",
            StmtKind::Target(_) => "target",
            StmtKind::Promise(_) => "promise",
            StmtKind::Authority(_) => "authority",
            StmtKind::Drivers(_) => "drivers",
            StmtKind::Scripts(_) => "scripts",
            StmtKind::EmotionalLoad(_) => "emotional_load",
            StmtKind::Training(_) => "training",
            StmtKind::Hiring(_) => "hiring",
            StmtKind::Directive(_) => "directive",
            StmtKind::Allow(_) => "allow",
        }
    }
}

/// `HH:MM`, as minutes after midnight (not yet range-checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOfDay {
    /// The hour as written.
    pub hour: u32,
    /// The minute as written.
    pub minute: u32,
    /// Where.
    pub span: Span,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=` in a target, `==` in a rule.
    Eq,
    /// `!=` (rules only).
    Ne,
}

impl CmpOp {
    /// The operator as written in a target.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }
}

/// `target METRIC OP VALUE [weight P%] [set_by LEVEL]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The metric.
    pub metric: Ident,
    /// The bound.
    pub bound: TargetBound,
    /// `weight P%`.
    pub weight: Option<Quantity>,
    /// `set_by LEVEL`.
    pub set_by: Option<Ident>,
}

/// The bound of a target.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetBound {
    /// `OP VALUE`.
    Compare {
        /// The operator.
        op: CmpOp,
        /// The value.
        value: Quantity,
    },
    /// `between LOW and HIGH`.
    Between {
        /// Lower end (inclusive).
        low: Quantity,
        /// Upper end (inclusive).
        high: Quantity,
    },
}

/// One line of an `authority` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    /// The action.
    pub action: Ident,
    /// What the agents may do.
    pub kind: GrantKind,
    /// `approval LEVEL`.
    pub approval: Option<Ident>,
    /// The whole line.
    pub span: Span,
}

/// What an authority line grants.
#[derive(Debug, Clone, PartialEq)]
pub enum GrantKind {
    /// `up_to MONEY`.
    UpTo(Quantity),
    /// `allowed`.
    Allowed,
    /// `none`.
    None,
    /// Only `approval LEVEL` was written: allowed with that approval.
    ApprovalOnly,
}

/// One line of a `drivers` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// Why customers call.
    pub name: Str,
    /// Share of contacts.
    pub share: Quantity,
    /// The `preventable` keyword, if present.
    pub preventable: Option<Span>,
    /// `needs ACTION [up_to MONEY]`.
    pub needs: Option<Need>,
    /// The whole line.
    pub span: Span,
}

/// `needs ACTION [up_to MONEY]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// The action.
    pub action: Ident,
    /// The amount resolving it takes.
    pub up_to: Option<Quantity>,
    /// Where.
    pub span: Span,
}

/// A statement of a `training` block.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingStmt {
    /// `cadence monthly`.
    Cadence(Ident, Span),
    /// `sequence a, b, c`.
    Sequence(Vec<Ident>, Span),
    /// `case_reviews biweekly`.
    CaseReviews(Ident, Span),
}

/// `screen_for a, b`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenFor {
    /// The traits.
    pub traits: Vec<Ident>,
    /// Where.
    pub span: Span,
}

/// `service_level 80% within 20s`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceLevel {
    /// The share to answer.
    pub share: Quantity,
    /// The answer threshold.
    pub within: Quantity,
}

/// `directive LEVEL: INTENT`.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// The level that gives it.
    pub level: Ident,
    /// What it asks for.
    pub intent: Intent,
}

/// The intent of a directive.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// `minimize METRIC`.
    Minimize(Ident),
    /// `maximize METRIC`.
    Maximize(Ident),
    /// `require PROMISE`.
    Require(Ident),
    /// `cap METRIC at VALUE`.
    Cap(Ident, Quantity),
    /// `floor METRIC at VALUE`.
    Floor(Ident, Quantity),
}

/// `allow rule "reason"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Allow {
    /// The rule's name or code as written.
    pub rule: Ident,
    /// Why it is allowed.
    pub reason: Str,
    /// `owner "NAME"`: who answers for it.
    pub owner: Option<Str>,
    /// `until YYYY-MM-DD`: from that day on it silences nothing.
    pub until: Option<DateLit>,
    /// The whole statement.
    pub span: Span,
}

/// A date as written, `2027-03-31`; whether it exists is checked later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateLit {
    /// The year.
    pub year: u32,
    /// The month, as written (1-12 when valid).
    pub month: u32,
    /// The day, as written.
    pub day: u32,
    /// Where.
    pub span: Span,
}

/// `rule "name" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    /// The rule's name.
    pub name: Str,
    /// Its statements.
    pub stmts: Vec<RuleStmt>,
    /// The whole block.
    pub span: Span,
}

/// A statement of a `rule` block.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleStmt {
    /// `severity warning`.
    Severity(Ident, Span),
    /// `when EXPR`.
    When(Expr, Span),
    /// `message "..."`.
    Message(Str, Span),
    /// `help "..."`.
    Help(Str, Span),
}

/// A boolean expression of a custom rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `a or b or ...` (two or more terms).
    Or(Vec<Expr>, Span),
    /// `a and b and ...` (two or more terms).
    And(Vec<Expr>, Span),
    /// `not e`.
    Not(Box<Expr>, Span),
    /// A test on one operand.
    Test(Test),
}

impl Expr {
    /// Where the expression is.
    pub fn span(&self) -> Span {
        match self {
            Expr::Or(_, span) | Expr::And(_, span) | Expr::Not(_, span) => *span,
            Expr::Test(test) => test.span,
        }
    }
}

/// `OPERAND is set`, `OPERAND has x`, `OPERAND in [..]`, `OPERAND OP OPERAND`.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    /// The left operand.
    pub operand: Operand,
    /// The test.
    pub kind: TestKind,
    /// The whole test.
    pub span: Span,
}

/// What a [`Test`] checks.
#[derive(Debug, Clone, PartialEq)]
pub enum TestKind {
    /// `is set` (`negated`: `is not set`).
    IsSet {
        /// Whether `not` was written.
        negated: bool,
    },
    /// `has NAME`.
    Has(Ident),
    /// `in [a, b]`.
    In(Vec<Operand>),
    /// `OP OPERAND`.
    Compare(CmpOp, Operand),
}

/// An operand: a fact path or a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `channel`, `authority.refund`, or a bare word such as `phone`.
    Path(Ident),
    /// A quantity literal.
    Value(Quantity),
}

impl Operand {
    /// Where the operand is.
    pub fn span(&self) -> Span {
        match self {
            Operand::Path(ident) => ident.span,
            Operand::Value(q) => q.span,
        }
    }
}

/// A value with the unit it was written with.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value.
    pub value: QValue,
    /// Where.
    pub span: Span,
}

/// Per what a rate is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateUnit {
    /// `/s`.
    Second,
    /// `/min`.
    Minute,
    /// `/h`, `/hour`.
    Hour,
    /// `/day`.
    Day,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum QValue {
    /// A bare number (`42`, `4.5`, `-10`).
    Number(Rational),
    /// A duration, in seconds.
    Duration(Rational),
    /// A percentage as written (`80%` is 80).
    Percent(Rational),
    /// Money, boxed like the score: the two rare kinds of value would
    /// otherwise set the size of every value, and of every statement that
    /// holds one.
    Money(Box<MoneyLiteral>),
    /// A count per unit of time.
    Rate {
        /// The count.
        count: Rational,
        /// Per what.
        per: RateUnit,
    },
    /// A score on a scale (`4.5/5`).
    Score(Box<ScoreLiteral>),
    /// A literal that could not be read; a diagnostic was already reported.
    Invalid,
}

/// Money as written (`$50`, `120 USD`).
#[derive(Debug, Clone, PartialEq)]
pub struct MoneyLiteral {
    /// The amount.
    pub amount: Rational,
    /// The currency as written after the amount, or the ISO 4217 code of
    /// its sign (`$` is `USD`); not yet checked.
    pub currency: String,
}

/// A score on a scale as written (`4.5/5`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLiteral {
    /// The value.
    pub value: Rational,
    /// The scale.
    pub scale: Rational,
}
