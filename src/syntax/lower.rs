//! Lowering: pest pairs to the [`ast`](super::ast), one function per grammar
//! rule.
//!
//! Literal values are read here (a `3mins` or a number too large to
//! represent becomes a diagnostic and [`QValue::Invalid`]), and the count
//! and nesting limits are enforced. Everything that needs a vocabulary or a
//! unit check is left to `model::build`.

use pest::iterators::{Pair, Pairs};

use super::Limits;
use super::ast::*;
use super::cursor::{Cursor, Shape, span_of};
use super::parse::Rule;
use crate::Span;
use crate::diagnostic::{Diagnostic, ErrorCode, excerpt};
use crate::num::Rational;

/// Integer digits a number literal may have (up to a trillion).
const MAX_INT_DIGITS: usize = 12;
/// Fractional digits a number literal may have.
const MAX_FRAC_DIGITS: usize = 6;

/// The signs a money value may start with (`currency_sign` in the
/// grammar), and the currency each stands for.
pub(super) const CURRENCY_SIGNS: [(char, &str); 3] = [('$', "USD"), ('€', "EUR"), ('£', "GBP")];

type Lowered<T> = Result<T, Shape>;

pub(crate) struct Lowerer<'l> {
    limits: &'l Limits,
    /// Where the slice pest is reading starts in the whole text.
    base: usize,
    pub diagnostics: Vec<Diagnostic>,
    counts: Counts,
}

/// What the lowering of a file has counted against its limits so far: the
/// only state carried from one item to the next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub teams: usize,
    pub rules: usize,
    pub expr_nodes: usize,
    pub expr_budget_reported: bool,
}

impl Counts {
    /// The counts after `self`, then `more` (counted from zero).
    pub fn then(self, more: Counts) -> Counts {
        Counts {
            teams: self.teams.saturating_add(more.teams),
            rules: self.rules.saturating_add(more.rules),
            expr_nodes: self.expr_nodes.saturating_add(more.expr_nodes),
            expr_budget_reported: self.expr_budget_reported || more.expr_budget_reported,
        }
    }

    /// Whether every count is within `limits`: a lowering that stays within
    /// them behaves the same whatever was counted before it.
    pub fn within(self, limits: &Limits) -> bool {
        self.teams <= limits.max_teams
            && self.rules <= limits.max_rules
            && self.expr_nodes <= limits.max_expression_nodes
            && !self.expr_budget_reported
    }
}

impl<'l> Lowerer<'l> {
    pub fn new(limits: &'l Limits) -> Self {
        Lowerer::resume(limits, Counts::default())
    }

    /// A lowerer that goes on from `counts`.
    pub fn resume(limits: &'l Limits, counts: Counts) -> Self {
        Lowerer { limits, base: 0, diagnostics: Vec::new(), counts }
    }

    /// What has been counted against the limits.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Reads the pairs of a slice of the text that starts at `base`.
    pub fn at(&mut self, base: usize) {
        self.base = base;
    }

    /// A cursor over the children of `pair` whose errors are placed in the
    /// whole text.
    fn cursor<'i>(&self, pair: Pair<'i, Rule>) -> Cursor<'i> {
        Cursor::new(pair, self.base)
    }

    /// The span of `pair` in the whole text: pest reads one slice of it at
    /// a time, starting at `base`.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = span_of(pair);
        Span::new(span.start as usize + self.base, span.end as usize + self.base)
    }

    /// The keyword of a block opening read on its own (`team "A" {`).
    pub fn keyword_of(&self, opening: &Pair<'_, Rule>) -> Span {
        self.keyword_span(opening)
    }

    /// The quoted name of a block opening (`team "A" {`).
    pub fn name_of(&self, opening: Pair<'_, Rule>) -> Lowered<Str> {
        let mut c = self.cursor(opening);
        Ok(self.string(c.expect(Rule::string)?))
    }

    fn keyword_span(&self, pair: &Pair<'_, Rule>) -> Span {
        pair.clone().into_inner().next().map_or_else(|| self.span(pair), |p| self.span(&p))
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.span(pair) }
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Str {
        unquote(pair.as_str(), self.span(&pair))
    }

    fn time_of_day(&self, pair: &Pair<'_, Rule>) -> TimeOfDay {
        time_of_day(pair.as_str(), self.span(pair))
    }

    /// The state to go back to when a reading is abandoned.
    pub fn save(&self) -> (usize, Counts) {
        (self.diagnostics.len(), self.counts)
    }

    /// Forgets what was reported and counted since `save`.
    pub fn restore(&mut self, (reported, counts): (usize, Counts)) {
        self.diagnostics.truncate(reported);
        self.counts = counts;
    }

    fn error_with_help(&mut self, code: ErrorCode, span: Span, message: String, label: &str, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(code, message).primary(span, label).help(help));
    }

    /// The items of a `chunk` (a slice of whole items).
    pub fn items(&mut self, mut pairs: Pairs<'_, Rule>) -> Lowered<Vec<Item>> {
        let chunk = pairs.next().ok_or(Shape { span: Span::default(), expected: Rule::chunk })?;
        let mut items = Vec::new();
        for pair in chunk.into_inner() {
            let item = match pair.as_rule() {
                Rule::EOI => continue,
                Rule::header => Item::Header(self.header(pair)?),
                Rule::chain => Item::Chain(self.chain(pair)?),
                Rule::norms => Item::Norms(self.norms(pair)?),
                Rule::defaults => Item::Defaults(self.block(pair)?),
                Rule::team => {
                    if self.over_team_limit(&pair) {
                        continue;
                    }
                    Item::Team(self.team(pair)?)
                }
                Rule::custom_rule => {
                    if self.over_rule_limit(&pair) {
                        continue;
                    }
                    Item::Rule(self.rule(pair)?)
                }
                Rule::allow => Item::Allow(Box::new(self.allow(pair)?)),
                other => return Err(Shape { span: self.span(&pair), expected: other }),
            };
            items.push(item);
        }
        Ok(items)
    }

    /// Counts a team against the limit, reporting E008 at the first over it.
    pub fn over_team_limit(&mut self, pair: &Pair<'_, Rule>) -> bool {
        self.over_team_limit_at(self.keyword_span(pair))
    }

    /// Counts a team whose keyword is at `keyword` against the limit.
    pub(super) fn over_team_limit_at(&mut self, keyword: Span) -> bool {
        self.counts.teams += 1;
        let (count, limit) = (self.counts.teams, self.limits.max_teams);
        self.over_limit(keyword, count, limit, "teams", "this team", "split the policy into several files")
    }

    /// Counts a custom rule against the limit, reporting E008 at the first
    /// over it.
    pub fn over_rule_limit(&mut self, pair: &Pair<'_, Rule>) -> bool {
        self.counts.rules += 1;
        let (count, limit) = (self.counts.rules, self.limits.max_rules);
        let help = "keep custom rules few and general, or split the policy";
        self.over_limit(self.keyword_span(pair), count, limit, "custom rules", "this rule", help)
    }

    /// Whether the `count`-th item of a kind is over `limit`; the first one
    /// over it gets the E008.
    fn over_limit(&mut self, span: Span, count: usize, limit: usize, what: &str, item: &str, help: &str) -> bool {
        if count == limit.saturating_add(1) {
            self.error_with_help(
                ErrorCode::LimitExceeded,
                span,
                format!("more than {limit} {what} in one file"),
                &format!("{item} is over the limit"),
                help,
            );
        }
        count > limit
    }

    fn header(&mut self, pair: Pair<'_, Rule>) -> Lowered<Header> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        Ok(Header { name: self.string(c.expect(Rule::string)?), span })
    }

    fn chain(&mut self, pair: Pair<'_, Rule>) -> Lowered<Chain> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let mut levels = Vec::new();
        while let Some(level) = c.take(Rule::ident) {
            levels.push(self.ident(&level));
        }
        Ok(Chain { levels, span })
    }

    fn norms(&mut self, pair: Pair<'_, Rule>) -> Lowered<NormsBlock> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let mut norms = Vec::new();
        while let Some(norm) = c.take(Rule::norm) {
            if self.over_statement_limit(norms.len(), &norm, "norms") {
                break;
            }
            norms.push(self.norm(norm)?);
        }
        Ok(NormsBlock { norms, span })
    }

    /// One `norm` line.
    pub fn norm(&mut self, norm: Pair<'_, Rule>) -> Lowered<Norm> {
        let span = self.span(&norm);
        let mut n = self.cursor(norm);
        let name = self.ident(&n.expect(Rule::ident)?);
        let mut args = Vec::new();
        while let Some(arg) = n.take(Rule::ident) {
            args.push(self.ident(&arg));
        }
        let value = self.value(n.expect(Rule::value)?);
        Ok(Norm { name, args, value, span })
    }

    /// Reports E008 once when a block or list reaches the statement limit.
    pub fn over_statement_limit(&mut self, count: usize, pair: &Pair<'_, Rule>, what: &str) -> bool {
        count >= self.limits.max_statements && self.over_statement_limit_at(count, self.span(pair), what)
    }

    /// [`Lowerer::over_statement_limit`] for an entry at `span`.
    pub(super) fn over_statement_limit_at(&mut self, count: usize, span: Span, what: &str) -> bool {
        if count < self.limits.max_statements {
            return false;
        }
        let msg = format!("more than {} entries in one `{what}` block or list", self.limits.max_statements);
        self.error_with_help(
            ErrorCode::LimitExceeded,
            span,
            msg,
            "this entry is over the limit",
            "split the block, or the policy, into smaller ones",
        );
        true
    }

    fn team(&mut self, pair: Pair<'_, Rule>) -> Lowered<Team> {
        let keyword = self.keyword_span(&pair);
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let name = self.string(c.expect(Rule::string)?);
        let stmts = self.stmts(&mut c, "team")?;
        Ok(Team { name, body: Block { stmts, keyword, span } })
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Lowered<Block> {
        let keyword = self.keyword_span(&pair);
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let stmts = self.stmts(&mut c, "defaults")?;
        Ok(Block { stmts, keyword, span })
    }

    fn stmts(&mut self, c: &mut Cursor<'_>, what: &str) -> Lowered<Vec<Stmt>> {
        // The children left (the statements and the closing brace) bound
        // the statements: one allocation instead of a regrowth per doubling.
        let mut stmts = Vec::with_capacity(c.remaining().min(self.limits.max_statements.saturating_add(1)));
        while let Some(pair) = c.next() {
            if self.over_statement_limit(stmts.len(), &pair, what) {
                break;
            }
            stmts.push(self.stmt(pair)?);
        }
        Ok(stmts)
    }

    /// One statement of a `team` or `defaults` block.
    pub fn stmt(&mut self, pair: Pair<'_, Rule>) -> Lowered<Stmt> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut c = self.cursor(pair);
        let kind = match rule {
            Rule::channel => StmtKind::Channel(self.ident(&c.expect(Rule::ident)?)),
            Rule::hours => StmtKind::Hours {
                open: self.time_of_day(&c.expect(Rule::time_of_day)?),
                close: self.time_of_day(&c.expect(Rule::time_of_day)?),
            },
            Rule::demand => StmtKind::Demand(self.value(c.expect(Rule::value)?)),
            Rule::agents => StmtKind::Agents(self.value(c.expect(Rule::value)?)),
            Rule::shrinkage => StmtKind::Shrinkage(self.value(c.expect(Rule::value)?)),
            Rule::concurrency => StmtKind::Concurrency(self.value(c.expect(Rule::value)?)),
            Rule::service_level => StmtKind::ServiceLevel(Box::new(ServiceLevel {
                share: self.value(c.expect(Rule::value)?),
                within: self.value(c.expect(Rule::value)?),
            })),
            Rule::patience => StmtKind::Patience(self.value(c.expect(Rule::value)?)),
            Rule::target => StmtKind::Target(Box::new(self.target(&mut c)?)),
            Rule::promise => StmtKind::Promise(self.ident_list(&mut c, "promise")?),
            Rule::authority => {
                let mut grants = Vec::new();
                while let Some(grant) = c.take(Rule::grant) {
                    if self.over_statement_limit(grants.len(), &grant, "authority") {
                        break;
                    }
                    grants.push(self.grant(grant)?);
                }
                StmtKind::Authority(grants)
            }
            Rule::drivers => {
                let mut drivers = Vec::new();
                while let Some(driver) = c.take(Rule::driver) {
                    if self.over_statement_limit(drivers.len(), &driver, "drivers") {
                        break;
                    }
                    drivers.push(self.driver(driver)?);
                }
                StmtKind::Drivers(drivers)
            }
            Rule::scripts => StmtKind::Scripts(self.ident(&c.expect(Rule::ident)?)),
            Rule::emotional_load => StmtKind::EmotionalLoad(self.ident(&c.expect(Rule::ident)?)),
            Rule::training => {
                let mut stmts = Vec::new();
                while let Some(pair) = c.next() {
                    if self.over_statement_limit(stmts.len(), &pair, "training") {
                        break;
                    }
                    let span = self.span(&pair);
                    let rule = pair.as_rule();
                    let mut t = self.cursor(pair);
                    stmts.push(match rule {
                        Rule::cadence => TrainingStmt::Cadence(self.ident(&t.expect(Rule::ident)?), span),
                        Rule::sequence => TrainingStmt::Sequence(self.ident_list(&mut t, "sequence")?, span),
                        Rule::case_reviews => TrainingStmt::CaseReviews(self.ident(&t.expect(Rule::ident)?), span),
                        other => return Err(Shape { span, expected: other }),
                    });
                }
                StmtKind::Training(stmts)
            }
            Rule::hiring => {
                let mut screens = Vec::new();
                while let Some(pair) = c.take(Rule::screen_for) {
                    if self.over_statement_limit(screens.len(), &pair, "hiring") {
                        break;
                    }
                    let span = self.span(&pair);
                    let mut s = self.cursor(pair);
                    screens.push(ScreenFor { traits: self.ident_list(&mut s, "screen_for")?, span });
                }
                StmtKind::Hiring(screens)
            }
            Rule::directive => StmtKind::Directive(Box::new(self.directive(&mut c)?)),
            Rule::allow => StmtKind::Allow(Box::new(self.allow_inner(&mut c, span)?)),
            other => return Err(Shape { span, expected: other }),
        };
        Ok(Stmt { kind, span })
    }

    fn ident_list(&mut self, c: &mut Cursor<'_>, what: &str) -> Lowered<Vec<Ident>> {
        let mut idents = Vec::new();
        while let Some(pair) = c.take(Rule::ident) {
            if self.over_statement_limit(idents.len(), &pair, what) {
                break;
            }
            idents.push(self.ident(&pair));
        }
        Ok(idents)
    }

    fn target(&mut self, c: &mut Cursor<'_>) -> Lowered<Target> {
        let metric = self.ident(&c.expect(Rule::ident)?);
        let bound = match c.peek() {
            Some(Rule::between) => {
                let mut b = self.cursor(c.expect(Rule::between)?);
                let low = self.value(b.expect(Rule::value)?);
                let high = self.value(b.expect(Rule::value)?);
                TargetBound::Between { low, high }
            }
            _ => {
                let op = cmp_op(c.expect(Rule::target_op)?.as_str());
                let value = self.value(c.expect(Rule::value)?);
                TargetBound::Compare { op, value }
            }
        };
        let (mut weight, mut set_by) = (None, None);
        while let Some(pair) = c.next() {
            let span = self.span(&pair);
            match pair.as_rule() {
                Rule::weight => {
                    let value = self.value(self.cursor(pair).expect(Rule::value)?);
                    if weight.replace(value).is_some() {
                        self.duplicate_clause(span, "weight");
                    }
                }
                Rule::set_by => {
                    let level = self.ident(&self.cursor(pair).expect(Rule::ident)?);
                    if set_by.replace(level).is_some() {
                        self.duplicate_clause(span, "set_by");
                    }
                }
                other => return Err(Shape { span, expected: other }),
            }
        }
        Ok(Target { metric, bound, weight, set_by })
    }

    pub(super) fn duplicate_clause(&mut self, span: Span, clause: &str) {
        let msg = format!("`{clause}` is given twice in one target");
        self.error_with_help(ErrorCode::Duplicate, span, msg, "second one here", "remove one of them");
    }

    fn grant(&mut self, pair: Pair<'_, Rule>) -> Lowered<Grant> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let action = self.ident(&c.expect(Rule::ident)?);
        let kind = match c.peek() {
            Some(Rule::up_to) => GrantKind::UpTo(self.value(self.cursor(c.expect(Rule::up_to)?).expect(Rule::value)?)),
            Some(Rule::allowed) => {
                c.next();
                GrantKind::Allowed
            }
            Some(Rule::none) => {
                c.next();
                GrantKind::None
            }
            _ => GrantKind::ApprovalOnly,
        };
        let approval = match c.take(Rule::approval) {
            Some(pair) => Some(self.ident(&self.cursor(pair).expect(Rule::ident)?)),
            None => None,
        };
        Ok(Grant { action, kind, approval, span })
    }

    fn driver(&mut self, pair: Pair<'_, Rule>) -> Lowered<Driver> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let name = self.string(c.expect(Rule::string)?);
        let share = self.value(c.expect(Rule::value)?);
        let (mut preventable, mut needs) = (None, None);
        while let Some(pair) = c.next() {
            let clause = self.span(&pair);
            match pair.as_rule() {
                Rule::preventable => {
                    if preventable.replace(clause).is_some() {
                        self.preventable_twice(clause);
                    }
                }
                Rule::needs => {
                    let mut n = self.cursor(pair);
                    let action = self.ident(&n.expect(Rule::ident)?);
                    let up_to = match n.take(Rule::up_to) {
                        Some(up_to) => Some(self.value(self.cursor(up_to).expect(Rule::value)?)),
                        None => None,
                    };
                    if needs.replace(Need { action, up_to, span: clause }).is_some() {
                        self.needs_twice(clause);
                    }
                }
                other => return Err(Shape { span: clause, expected: other }),
            }
        }
        Ok(Driver { name, share, preventable, needs, span })
    }

    pub(super) fn preventable_twice(&mut self, clause: Span) {
        let msg = "`preventable` is given twice for one driver".into();
        self.error_with_help(ErrorCode::Duplicate, clause, msg, "second one here", "remove one of them");
    }

    pub(super) fn needs_twice(&mut self, clause: Span) {
        self.error_with_help(
            ErrorCode::Duplicate,
            clause,
            "a driver can `need` one action; split it into two drivers".into(),
            "second `needs` here",
            "give each action its own driver line with its share",
        );
    }

    fn directive(&mut self, c: &mut Cursor<'_>) -> Lowered<Directive> {
        let level = self.ident(&c.expect(Rule::ident)?);
        let pair = c.any(Rule::minimize)?;
        let (rule, span) = (pair.as_rule(), self.span(&pair));
        let mut i = self.cursor(pair);
        let subject = self.ident(&i.expect(Rule::ident)?);
        let intent = match rule {
            Rule::minimize => Intent::Minimize(subject),
            Rule::maximize => Intent::Maximize(subject),
            Rule::require => Intent::Require(subject),
            Rule::cap => Intent::Cap(subject, self.value(i.expect(Rule::value)?)),
            Rule::floor => Intent::Floor(subject, self.value(i.expect(Rule::value)?)),
            other => return Err(Shape { span, expected: other }),
        };
        Ok(Directive { level, intent })
    }

    fn allow(&mut self, pair: Pair<'_, Rule>) -> Lowered<Allow> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        self.allow_inner(&mut c, span)
    }

    fn allow_inner(&mut self, c: &mut Cursor<'_>, span: Span) -> Lowered<Allow> {
        let rule = self.ident(&c.expect(Rule::rule_ref)?);
        let reason = self.string(c.expect(Rule::string)?);
        let owner = match c.take(Rule::owner) {
            Some(pair) => Some(self.string(self.cursor(pair).expect(Rule::string)?)),
            None => None,
        };
        let until = match c.take(Rule::until) {
            Some(pair) => {
                let token = self.cursor(pair).expect(Rule::date)?;
                Some(date(token.as_str(), self.span(&token)))
            }
            None => None,
        };
        Ok(self.allow_of(rule, reason, owner, until, span))
    }

    /// An `allow` of its parts; an empty reason is reported.
    pub(super) fn allow_of(
        &mut self,
        rule: Ident,
        reason: Str,
        owner: Option<Str>,
        until: Option<DateLit>,
        span: Span,
    ) -> Allow {
        if reason.value.trim().is_empty() {
            let msg = format!("`allow {}` needs a reason", rule.name);
            self.error_with_help(
                ErrorCode::SyntaxError,
                reason.span,
                msg,
                "empty reason",
                "say why the finding is accepted, e.g. `allow one-off-training \"annual refresher only\"`",
            );
        }
        Allow { rule, reason, owner, until, span }
    }

    // ------------------------------------------------------------ rules

    fn rule(&mut self, pair: Pair<'_, Rule>) -> Lowered<RuleDecl> {
        let span = self.span(&pair);
        let mut c = self.cursor(pair);
        let name = self.string(c.expect(Rule::string)?);
        let mut stmts = Vec::new();
        while let Some(pair) = c.next() {
            if self.over_statement_limit(stmts.len(), &pair, "rule") {
                break;
            }
            stmts.push(self.rule_stmt(pair)?);
        }
        Ok(RuleDecl { name, stmts, span })
    }

    /// One statement of a `rule` block.
    pub fn rule_stmt(&mut self, pair: Pair<'_, Rule>) -> Lowered<RuleStmt> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut s = self.cursor(pair);
        Ok(match rule {
            Rule::severity => RuleStmt::Severity(self.ident(&s.expect(Rule::ident)?), span),
            Rule::when => RuleStmt::When(self.expr(s.expect(Rule::expr)?, 0)?, span),
            Rule::message => RuleStmt::Message(self.string(s.expect(Rule::string)?), span),
            Rule::help => RuleStmt::Help(self.string(s.expect(Rule::string)?), span),
            other => return Err(Shape { span, expected: other }),
        })
    }

    /// Counts one expression node against the file's budget.
    fn count_node(&mut self, span: Span) -> bool {
        self.counts.expr_nodes += 1;
        if self.counts.expr_nodes <= self.limits.max_expression_nodes {
            return true;
        }
        if !self.counts.expr_budget_reported {
            self.counts.expr_budget_reported = true;
            let msg =
                format!("custom rules of this file have more than {} tests in all", self.limits.max_expression_nodes);
            self.error_with_help(
                ErrorCode::LimitExceeded,
                span,
                msg,
                "over the limit from here",
                "custom rules are short conditions; simplify or remove some",
            );
        }
        false
    }

    fn expr(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Lowered<Expr> {
        let span = self.span(&pair);
        let mut terms = Vec::new();
        for and_expr in self.cursor(pair).into_children() {
            let and_span = self.span(&and_expr);
            let mut factors = Vec::new();
            for unary in self.cursor(and_expr).into_children() {
                factors.push(self.unary(unary, depth)?);
            }
            terms.push(collapse(factors, and_span, Expr::And));
        }
        self.count_node(span);
        Ok(collapse(terms, span, Expr::Or))
    }

    fn unary(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Lowered<Expr> {
        let span = self.span(&pair);
        let nots: Vec<Span> =
            pair.clone().into_inner().filter(|p| p.as_rule() == Rule::kw_not).map(|p| self.span(&p)).collect();
        let depth = depth + nots.len();
        if depth > self.limits.max_nesting {
            let at = nots.get(self.limits.max_nesting).copied().unwrap_or(span);
            let msg = format!("expression nested more than {} levels deep", self.limits.max_nesting);
            self.error_with_help(
                ErrorCode::LimitExceeded,
                at,
                msg,
                "too deep from here",
                "simplify the expression; `not not x` is `x`",
            );
            return Ok(Expr::Test(Test {
                operand: Operand::Value(Quantity { value: QValue::Invalid, span }),
                kind: TestKind::IsSet { negated: false },
                span,
            }));
        }
        let mut c = self.cursor(pair);
        let inner = c.any(Rule::test)?;
        let mut expr = match inner.as_rule() {
            Rule::paren => self.expr(self.cursor(inner).expect(Rule::expr)?, depth + 1)?,
            Rule::test => Expr::Test(self.test(inner)?),
            other => return Err(Shape { span: self.span(&inner), expected: other }),
        };
        for not in nots.iter().rev() {
            self.count_node(*not);
            expr = Expr::Not(Box::new(expr), not.cover(span));
        }
        Ok(expr)
    }

    fn test(&mut self, pair: Pair<'_, Rule>) -> Lowered<Test> {
        let span = self.span(&pair);
        self.count_node(span);
        let mut c = self.cursor(pair);
        let operand = self.operand(c.any(Rule::path)?);
        let test = c.any(Rule::compare)?;
        let test_span = self.span(&test);
        let rule = test.as_rule();
        let mut t = self.cursor(test.clone());
        let kind = match rule {
            Rule::is_set => TestKind::IsSet { negated: test.into_inner().any(|p| p.as_rule() == Rule::kw_not) },
            Rule::has => TestKind::Has(self.ident(&t.expect(Rule::ident)?)),
            Rule::in_list => {
                let mut items = Vec::new();
                while let Some(item) = t.next() {
                    if self.over_statement_limit(items.len(), &item, "in [...]") {
                        break;
                    }
                    items.push(self.operand(item));
                }
                TestKind::In(items)
            }
            Rule::compare => {
                let op = cmp_op(t.expect(Rule::cmp_op)?.as_str());
                TestKind::Compare(op, self.operand(t.any(Rule::path)?))
            }
            other => return Err(Shape { span: test_span, expected: other }),
        };
        Ok(Test { operand, kind, span })
    }

    fn operand(&mut self, pair: Pair<'_, Rule>) -> Operand {
        match pair.as_rule() {
            Rule::path => Operand::Path(self.ident(&pair)),
            _ => Operand::Value(self.value(pair)),
        }
    }

    // ------------------------------------------------------------ values

    fn decimal(&mut self, text: &str, span: Span) -> Option<Rational> {
        if let Some(value) = Rational::parse_decimal(text, MAX_INT_DIGITS, MAX_FRAC_DIGITS) {
            return Some(value);
        }
        let digits = text.trim_start_matches('-');
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let text = excerpt(text);
        let (msg, help) = if int.trim_start_matches('0').len() > MAX_INT_DIGITS {
            (
                format!("the number `{text}` is too large to represent"),
                format!("numbers may have at most {MAX_INT_DIGITS} digits before the decimal point"),
            )
        } else if frac.len() > MAX_FRAC_DIGITS {
            (
                format!("the number `{text}` has more decimals than supported"),
                format!("numbers may have at most {MAX_FRAC_DIGITS} digits after the decimal point"),
            )
        } else {
            (format!("`{text}` is not a number"), "write a number like `42` or `4.5`".to_string())
        };
        self.error_with_help(ErrorCode::OutOfRange, span, msg, "here", help);
        None
    }

    /// Reads a value token on its own (for the configuration file).
    pub fn value_of(&mut self, pair: Pair<'_, Rule>) -> QValue {
        self.value(pair).value
    }

    /// Reads a value token into a [`Quantity`]; its kind is decided by its
    /// text (the grammar accepts any number with any suffix).
    fn value(&mut self, pair: Pair<'_, Rule>) -> Quantity {
        self.quantity(pair.as_str(), self.span(&pair))
    }

    /// Reads the text of a value token at `span`.
    pub(super) fn quantity(&mut self, text: &str, span: Span) -> Quantity {
        let value = self.classify(text, span);
        Quantity { value: value.unwrap_or(QValue::Invalid), span }
    }

    fn classify(&mut self, text: &str, span: Span) -> Option<QValue> {
        for (sign, code) in CURRENCY_SIGNS {
            if let Some(amount) = text.strip_prefix(sign) {
                let amount = self.decimal(amount, span)?;
                return Some(QValue::Money(Box::new(MoneyLiteral { amount, currency: code.to_string() })));
            }
        }
        let digits = text
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
            .map_or(text.len(), |(i, _)| i);
        let (number, suffix) = text.split_at(digits);
        let negative = number.starts_with('-');
        if negative && !suffix.is_empty() {
            let msg = format!("`{}` cannot be negative", excerpt(text));
            self.error_with_help(
                ErrorCode::OutOfRange,
                span,
                msg,
                "negative",
                "only plain numbers take a sign, as in `target nps >= -10`",
            );
            return None;
        }
        if suffix.is_empty() {
            return self.decimal(number, span).map(QValue::Number);
        }
        if suffix == "%" {
            return self.decimal(number, span).map(QValue::Percent);
        }
        if let Some(per) = suffix.strip_prefix('/') {
            if per.starts_with(|c: char| c.is_ascii_digit()) {
                let (value, scale) = (self.decimal(number, span), self.decimal(per, span));
                return Some(QValue::Score(Box::new(ScoreLiteral { value: value?, scale: scale? })));
            }
            let per = match per {
                "s" => RateUnit::Second,
                "min" => RateUnit::Minute,
                "h" | "hour" => RateUnit::Hour,
                "day" => RateUnit::Day,
                _ => {
                    self.bad_unit(text, number, suffix, span);
                    return None;
                }
            };
            return Some(QValue::Rate { count: self.decimal(number, span)?, per });
        }
        if suffix.starts_with([' ', '\t']) {
            let amount = self.decimal(number, span)?;
            return Some(QValue::Money(Box::new(MoneyLiteral { amount, currency: suffix.trim().to_string() })));
        }
        self.duration(text, span)
    }

    /// `3m`, `4.5min`, `1h30m`: units largest first, each once.
    fn duration(&mut self, text: &str, span: Span) -> Option<QValue> {
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
            let (number, tail) = rest.split_at(digits);
            let letters = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
            let (unit, tail) = tail.split_at(letters);
            let seconds: i64 = match unit {
                "s" | "sec" => 1,
                "m" | "min" => 60,
                "h" | "hr" => 3600,
                "" => {
                    // `3m30`: the last number has no unit.
                    let next = match parts.last() {
                        Some((_, 3600)) => "m",
                        _ => "s",
                    };
                    let msg = format!("`{}` ends with a number without a unit", excerpt(text));
                    let help = format!("did you mean `{}{next}`?", excerpt(text));
                    self.error_with_help(ErrorCode::SyntaxError, span, msg, "no unit after the last number", help);
                    return None;
                }
                _ => {
                    self.bad_unit(text, number, unit, span);
                    return None;
                }
            };
            parts.push((number, seconds));
            rest = tail;
        }
        if parts.windows(2).any(|w| matches!(w, [(_, a), (_, b)] if b >= a)) {
            let msg = format!("`{}` is not a valid duration", excerpt(text));
            self.error_with_help(
                ErrorCode::SyntaxError,
                span,
                msg,
                "units out of order",
                "write compound durations largest unit first, each unit once, like `1h30m` or `2m30s`",
            );
            return None;
        }
        let mut total = Rational::ZERO;
        for (number, seconds) in parts {
            let part = self.decimal(number, span)?.checked_mul(Rational::from_int(seconds));
            total = match part.and_then(|p| total.checked_add(p)) {
                Some(total) => total,
                None => {
                    self.error_with_help(
                        ErrorCode::OutOfRange,
                        span,
                        format!("the duration `{}` is too large to represent", excerpt(text)),
                        "too large",
                        "durations in a policy are minutes or hours, like `6m` or `1h30m`",
                    );
                    return None;
                }
            };
        }
        Some(QValue::Duration(total))
    }

    fn bad_unit(&mut self, text: &str, number: &str, unit: &str, span: Span) {
        let (text, number, unit) = (excerpt(text), excerpt(number), excerpt(unit));
        let msg = format!("unknown unit `{unit}` in `{text}`");
        let help = if let Some(per) = unit.strip_prefix('/') {
            match crate::model::vocab::closest(per, ["s", "min", "h", "hour", "day"]) {
                Some(per) => format!("did you mean `{number}/{per}`? rates are counted per s, min, h, hour or day"),
                None => "rates are counted per s, min, h, hour or day, like `600/h`".to_string(),
            }
        } else {
            match crate::model::vocab::closest(&unit, ["s", "sec", "m", "min", "h", "hr"]) {
                Some(unit) => format!("did you mean `{number}{unit}`? durations use s, sec, m, min, h or hr"),
                None => "durations use s, sec, m, min, h or hr (`4m30s`), percentages `%`, rates `/h` (`600/h`), money `$50` or `120 USD`".to_string(),
            }
        };
        self.error_with_help(ErrorCode::SyntaxError, span, msg, "not a unit the language knows", help);
    }
}

/// A string token's value: `quoted` without its quotes and escapes.
pub(super) fn unquote(quoted: &str, span: Span) -> Str {
    let raw = quoted.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(quoted);
    let mut value = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                value.push(escaped);
            }
        } else {
            value.push(c);
        }
    }
    Str { value, span }
}

/// A `time_of_day` token, `08:30`.
pub(super) fn time_of_day(text: &str, span: Span) -> TimeOfDay {
    let (hour, minute) = text.split_once(':').unwrap_or(("", ""));
    TimeOfDay { hour: hour.parse().unwrap_or(99), minute: minute.parse().unwrap_or(99), span }
}

/// A `date` token, `2027-03-31`.
pub(super) fn date(text: &str, span: Span) -> DateLit {
    let part = |range: std::ops::Range<usize>| text.get(range).and_then(|p| p.parse().ok()).unwrap_or(0);
    DateLit { year: part(0..4), month: part(5..7), day: part(8..10), span }
}

/// `Or`/`And` with one term is just the term.
fn collapse(mut terms: Vec<Expr>, span: Span, make: fn(Vec<Expr>, Span) -> Expr) -> Expr {
    if terms.len() == 1
        && let Some(term) = terms.pop()
    {
        return term;
    }
    make(terms, span)
}

impl<'i> Cursor<'i> {
    /// The remaining meaningful children.
    pub fn into_children(mut self) -> impl Iterator<Item = Pair<'i, Rule>> {
        std::iter::from_fn(move || self.next())
    }
}

pub(super) fn cmp_op(text: &str) -> CmpOp {
    match text {
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        "!=" => CmpOp::Ne,
        _ => CmpOp::Eq,
    }
}
