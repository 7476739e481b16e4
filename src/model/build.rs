//! From syntax tree to [`Policy`]: resolve names against the vocabularies,
//! check units and ranges, merge `defaults` into every team, and report
//! every problem (E002-E007) rather than only the first.
//!
//! The merge follows the language reference: scalar facts in a team replace
//! the default, promises are united, targets and directives accumulate,
//! authority is replaced action by action, and `drivers`, `training` and
//! `hiring` blocks are replaced whole.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;
use std::sync::Arc;

use rayon::prelude::*;

use super::custom::RuleChecker;
use super::norms::{NORM_NAMES, Norms};
use super::policy::*;
use super::units::{CURRENCY_CODES, Currency, Date, Money, RatePerHour, Ratio, Score, Seconds, Value};
use super::vocab::*;
use crate::diagnostic::{Diagnostic, ErrorCode, article, excerpt};
use crate::num::Rational;
use crate::syntax::Limits;
use crate::syntax::ast::{self, QValue, Quantity, RateUnit, StmtKind};
use crate::syntax::limits::{MAX_LEVELS, MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_WORD_CHARS};
use crate::{Severity, Span};

/// A policy and the problems found while building it.
#[derive(Debug, Clone)]
pub struct Built {
    /// The policy; teams touched by an error are marked `has_errors`.
    pub policy: Policy,
    /// E002-E008 diagnostics, in source order of discovery.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the policy of `file`, starting from `norms` (the built-in defaults
/// with any configuration overrides) and applying the file's `norms` block.
///
/// `earlier` are the primary spans of the problems found while parsing
/// (a `3mins` read as no value at all): a team they touch is marked
/// `has_errors` like one touched by a problem found here, so that no rule
/// judges it on what is left.
pub fn build(file: &ast::File, norms: &Norms, limits: &Limits, earlier: &[Span]) -> Built {
    build_from(Cow::Borrowed(file), norms, limits, earlier)
}

/// [`build`], taking the tree: each team's part of it is freed as soon as
/// the team is built, on the thread that built it, so that the teams built
/// after it take that memory rather than fresh pages.
pub(crate) fn build_owned(file: ast::File, norms: &Norms, limits: &Limits, earlier: &[Span]) -> Built {
    build_from(Cow::Owned(file), norms, limits, earlier)
}

fn build_from(file: Cow<'_, ast::File>, norms: &Norms, limits: &Limits, earlier: &[Span]) -> Built {
    let mut b = Builder { diags: Vec::new(), chain: Chain::default(), limits, earlier };
    let policy = b.file(file, norms.clone());
    Built { policy, diagnostics: b.diags }
}

struct Builder<'a> {
    diags: Vec<Diagnostic>,
    chain: Chain,
    limits: &'a Limits,
    earlier: &'a [Span],
}

/// A `/day` demand is kept unconverted until `hours` is known.
#[derive(Debug, Clone, Copy)]
struct Demand {
    count: Rational,
    per: RateUnit,
}

/// The facts stated in one block (`defaults` or a team), before merging.
#[derive(Debug, Clone, Default)]
struct Partial {
    channel: Option<Fact<Channel>>,
    hours: Option<Fact<Hours>>,
    demand: Option<Fact<Demand>>,
    agents: Option<Fact<u64>>,
    shrinkage: Option<Fact<Ratio>>,
    concurrency: Option<Fact<u32>>,
    service_level: Option<Fact<ServiceLevel>>,
    patience: Option<Fact<Seconds>>,
    scripts: Option<Fact<Scripts>>,
    emotional_load: Option<Fact<EmotionalLoad>>,
    targets: Vec<Target>,
    promises: Vec<Fact<Promise>>,
    authority: Vec<Grant>,
    drivers: Option<Arc<Drivers>>,
    training: Option<Arc<Training>>,
    hiring: Option<Arc<Hiring>>,
    directives: Vec<Directive>,
    allows: Vec<Allow>,
    /// Statements stated once per block, valid or not, with their span.
    stated: Vec<(&'static str, Span)>,
}

/// Whether a block's statements stated once (`Partial::stated`) include
/// `keyword`.
fn has_stated(stated: &[(&'static str, Span)], keyword: &str) -> bool {
    stated.iter().any(|(k, _)| *k == keyword)
}

/// The `defaults` block, built once: its lists are shared by every team
/// rather than copied into each.
#[derive(Debug, Default)]
struct Defaults {
    /// The scalar facts and the sets that teams merge (promises, authority).
    partial: Partial,
    targets: Arc<[Target]>,
    directives: Arc<[Directive]>,
    allows: Arc<[Allow]>,
}

impl Defaults {
    fn new(mut partial: Partial) -> Defaults {
        Defaults {
            targets: std::mem::take(&mut partial.targets).into(),
            directives: std::mem::take(&mut partial.directives).into(),
            allows: std::mem::take(&mut partial.allows).into(),
            partial,
        }
    }

    /// The statements of `defaults` whose number a team multiplies: every
    /// team holding them makes the rules read them again.
    fn inherited(&self) -> usize {
        let p = &self.partial;
        self.targets.len()
            + self.directives.len()
            + self.allows.len()
            + p.drivers.as_ref().map_or(0, |d| d.list.len())
            + p.training.as_ref().map_or(0, |t| t.sequence.as_ref().map_or(0, |s| s.0.len()))
            + p.hiring.as_ref().map_or(0, |h| h.screen_for.len())
    }
}

/// The span of a top-level item.
fn item_span(item: &ast::Item) -> Span {
    match item {
        ast::Item::Header(h) => h.span,
        ast::Item::Chain(c) => c.span,
        ast::Item::Norms(n) => n.span,
        ast::Item::Defaults(b) => b.span,
        ast::Item::Team(t) => t.body.span,
        ast::Item::Rule(r) => r.span,
        ast::Item::Allow(a) => a.span,
    }
}

fn kind_name(value: &QValue) -> &'static str {
    match value {
        QValue::Number(_) => "a number",
        QValue::Duration(_) => "a duration",
        QValue::Percent(_) => "a percentage",
        QValue::Money(_) => "money",
        QValue::Rate { .. } => "a rate",
        QValue::Score(_) => "a score",
        QValue::Invalid => "an invalid value",
    }
}

/// A name in backticks, as messages quote it.
#[derive(Clone, Copy)]
struct Quoted<T>(T);

impl<T: Display> Display for Quoted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`", self.0)
    }
}

/// Where a statement stands, to make [`Fact`]s of any type.
#[derive(Clone, Copy)]
struct At {
    span: Span,
    origin: Origin,
}

impl At {
    fn of<T>(self, value: T) -> Fact<T> {
        Fact { value, span: self.span, origin: self.origin }
    }
}

/// An optional clause after checking: not stated is fine (`Some(None)`),
/// stated and valid is `Some(Some(v))`, stated and invalid is `None`.
fn valid_if_stated<T>(clause: Option<Option<T>>) -> Option<Option<T>> {
    match clause {
        None => Some(None),
        Some(value) => value.map(Some),
    }
}

/// The team's own fact, else the default.
fn pick<T: Clone>(own: Option<T>, default: &Option<T>) -> Option<T> {
    own.or_else(|| default.clone())
}

/// Statements that may appear once per block.
fn is_scalar(kind: &StmtKind) -> bool {
    !matches!(kind, StmtKind::Target(_) | StmtKind::Promise(_) | StmtKind::Directive(_) | StmtKind::Allow(_))
}

impl Builder<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Reports a front-end error; every one says what would fix it.
    fn err(&mut self, code: ErrorCode, span: Span, message: String, label: impl Into<String>, help: impl Into<String>) {
        self.push(Diagnostic::error(code, message).primary(span, label).help(help));
    }

    /// Looks `ident` up in a vocabulary, reporting E002 with a suggestion.
    fn word<T: Copy>(
        &mut self,
        ident: &ast::Ident,
        parse: fn(&str) -> Option<T>,
        names: impl Iterator<Item = &'static str> + Clone,
        what: &str,
    ) -> Option<T> {
        if let Some(value) = parse(&ident.name) {
            return Some(value);
        }
        let unknown = unknown_word(&ident.name, names, what);
        self.err(ErrorCode::UnknownName, ident.span, unknown.message, unknown.label, unknown.help);
        None
    }

    fn level(&mut self, ident: &ast::Ident) -> Option<Level> {
        if let Some(level) = self.chain.level(&ident.name) {
            return Some(level);
        }
        let levels: Vec<&str> = self.chain.levels.iter().map(String::as_str).collect();
        let label = match closest(&ident.name, levels.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "not a level of the chain".to_string(),
        };
        let mut d =
            Diagnostic::error(ErrorCode::UnknownName, format!("unknown leadership level `{}`", excerpt(&ident.name)))
                .primary(ident.span, label)
                .help(format!("the chain is `{}`; declare other levels with `chain`", self.chain.levels.join(" > ")));
        if let Some(chain) = self.chain.span {
            d = d.secondary(chain, "the chain is declared here");
        }
        self.push(d);
        None
    }

    // ---------------------------------------------------------- values

    fn mismatch(&mut self, q: &Quantity, what: impl Display, wanted: &str, example: &str) {
        let found = kind_name(&q.value);
        self.err(
            ErrorCode::UnitMismatch,
            q.span,
            format!("{what} takes {wanted}, not {found}"),
            found.to_string(),
            format!("write it like `{example}`"),
        );
    }

    fn duration(&mut self, q: &Quantity, what: impl Display, example: &str) -> Option<Seconds> {
        match &q.value {
            QValue::Duration(s) => Some(Seconds(*s)),
            QValue::Invalid => None,
            _ => {
                self.mismatch(q, what, "a duration", example);
                None
            }
        }
    }

    fn percent(&mut self, q: &Quantity, what: impl Display, example: &str) -> Option<Ratio> {
        match &q.value {
            QValue::Percent(p) => match Ratio::from_percent(*p) {
                Some(r) => Some(r),
                None => {
                    self.err(
                        ErrorCode::OutOfRange,
                        q.span,
                        format!("{what} of {p}% is above 100%"),
                        "above 100%",
                        "percentages run from 0% to 100%",
                    );
                    None
                }
            },
            QValue::Invalid => None,
            _ => {
                self.mismatch(q, what, "a percentage", example);
                None
            }
        }
    }

    fn whole(&mut self, q: &Quantity, what: &str, example: &str) -> Option<u64> {
        match &q.value {
            QValue::Number(n) if n.is_negative() => {
                self.err(
                    ErrorCode::OutOfRange,
                    q.span,
                    format!("{what} cannot be negative"),
                    "negative",
                    "counts start at zero",
                );
                None
            }
            QValue::Number(n) if !n.is_integer() => {
                self.err(
                    ErrorCode::UnitMismatch,
                    q.span,
                    format!("{what} takes a whole number, not `{n}`"),
                    "not a whole number",
                    format!("write it like `{example}`"),
                );
                None
            }
            QValue::Number(n) => u64::try_from(n.numer()).ok(),
            QValue::Invalid => None,
            _ => {
                self.mismatch(q, what, "a whole number", example);
                None
            }
        }
    }

    fn money(&mut self, q: &Quantity, what: &str) -> Option<Money> {
        match &q.value {
            QValue::Money(money) => {
                let ast::MoneyLiteral { amount, currency } = &**money;
                let Some(currency) = Currency::new(currency) else {
                    let label = match closest(currency, CURRENCY_CODES.iter().copied()) {
                        Some(code) => format!("did you mean `{code}`?"),
                        None => "not an ISO 4217 currency code".to_string(),
                    };
                    self.err(
                        ErrorCode::UnknownName,
                        q.span,
                        format!("unknown currency `{currency}`"),
                        label,
                        "write money like `$50`, `€40`, `£12.50` or `120 USD`",
                    );
                    return None;
                };
                let money = Money::new(*amount, currency);
                if money.is_none() {
                    self.err(
                        ErrorCode::OutOfRange,
                        q.span,
                        format!("{what} has more than two decimals"),
                        "too precise",
                        "money is counted in cents: at most two decimals",
                    );
                }
                money
            }
            QValue::Invalid => None,
            _ => {
                self.mismatch(q, what, "money", "$50");
                None
            }
        }
    }

    /// A value in the unit of `metric`.
    fn metric_value(&mut self, metric: Metric, q: &Quantity) -> Option<Value> {
        // Written out only if a message needs it: every target comes here.
        let what = Quoted(metric);
        if let QValue::Number(n) = &q.value
            && n.is_negative()
            && metric != Metric::Nps
        {
            self.err(
                ErrorCode::OutOfRange,
                q.span,
                format!("{what} cannot be negative"),
                "negative",
                "only `nps` targets take a sign",
            );
            return None;
        }
        match metric.unit() {
            MetricUnit::Duration => self.duration(q, what, "3m").map(Value::Duration),
            MetricUnit::Percentage => self.percent(q, what, "80%").map(Value::Ratio),
            MetricUnit::PercentageOrScore => match &q.value {
                QValue::Score(score) => {
                    let ast::ScoreLiteral { value, scale } = &**score;
                    if scale.is_zero() || value > scale {
                        self.err(
                            ErrorCode::OutOfRange,
                            q.span,
                            format!("the score `{value}/{scale}` is outside its scale"),
                            "outside 0 to the scale",
                            "a score is a value from 0 up to its scale, like `4.5/5`",
                        );
                        return None;
                    }
                    Some(Value::Score(Score { value: *value, scale: *scale }))
                }
                QValue::Percent(_) => self.percent(q, what, "85%").map(Value::Ratio),
                QValue::Invalid => None,
                _ => {
                    self.mismatch(q, what, "a percentage or a score", "85%` or `4.5/5");
                    None
                }
            },
            MetricUnit::Count => match &q.value {
                QValue::Number(n) => Some(Value::Number(*n)),
                QValue::Invalid => None,
                _ => {
                    self.mismatch(q, what, "a number", "8");
                    None
                }
            },
            MetricUnit::Nps => match &q.value {
                QValue::Number(n) if *n < Rational::from_int(-100) || *n > Rational::from_int(100) => {
                    self.err(
                        ErrorCode::OutOfRange,
                        q.span,
                        format!("an nps of {n} is outside -100 to 100"),
                        "out of range",
                        "a net promoter score runs from -100 to 100",
                    );
                    None
                }
                QValue::Number(n) => Some(Value::Number(*n)),
                QValue::Invalid => None,
                _ => {
                    self.mismatch(q, what, "a number from -100 to 100", "30");
                    None
                }
            },
        }
    }

    // ------------------------------------------------------------ file

    fn file(&mut self, owned: Cow<'_, ast::File>, mut norms: Norms) -> Policy {
        use ast::Item;
        let file = &*owned;
        if file.items.is_empty() && self.earlier.is_empty() {
            self.err(
                ErrorCode::MissingFact,
                Span::point(0),
                "the file is empty".into(),
                "nothing to check",
                "a policy describes at least one team: `team \"Name\" { channel phone ... }`",
            );
        }
        // The chain first: levels are used everywhere.
        let mut chain_seen: Option<Span> = None;
        for item in &file.items {
            if let Item::Chain(chain) = item {
                if let Some(first) = chain_seen {
                    self.duplicate(chain.span, first, "the leadership chain is declared twice");
                    continue;
                }
                chain_seen = Some(chain.span);
                self.chain = self.chain_decl(chain);
            }
        }
        let mut name = None;
        let mut header_seen: Option<Span> = None;
        let mut norms_seen: Option<Span> = None;
        let mut defaults: Option<(&ast::Block, Partial)> = None;
        let mut global_errors = !file.broken_shared.is_empty();
        let mut allows = Vec::new();
        for (index, item) in file.items.iter().enumerate() {
            let before = self.diags.len();
            match item {
                Item::Header(header) => {
                    if let Some(first) = header_seen {
                        self.duplicate(header.span, first, "the `policy` header is given twice");
                    } else if index > 0 {
                        self.err(
                            ErrorCode::SyntaxError,
                            header.span,
                            "the `policy` header must come first".into(),
                            "not at the start",
                            "move `policy \"...\"` to the top of the file",
                        );
                    } else if !self.too_long(&header.name, "the policy's name", MAX_NAME_CHARS) {
                        name = Some(header.name.value.clone());
                    }
                    header_seen.get_or_insert(header.span);
                }
                Item::Norms(block) => {
                    if let Some(first) = norms_seen {
                        self.duplicate(block.span, first, "the file has two `norms` blocks");
                        self.norms(block, &mut norms.clone());
                    } else {
                        norms_seen = Some(block.span);
                        self.norms(block, &mut norms);
                    }
                }
                Item::Defaults(block) => {
                    if let Some((first, _)) = &defaults {
                        let first = first.keyword;
                        self.duplicate(block.keyword, first, "the file has two `defaults` blocks");
                        let _ = self.block(block, Origin::Defaults);
                    } else {
                        defaults = Some((block, self.block(block, Origin::Defaults)));
                    }
                }
                Item::Allow(allow) => allows.push(self.allow(allow, AllowScope::File)),
                Item::Chain(_) | Item::Team(_) | Item::Rule(_) => {}
            }
            let global = !matches!(item, Item::Team(_) | Item::Rule(_));
            global_errors |= self.diags.len() > before || (global && self.touched(item_span(item)));
        }
        global_errors |= chain_seen.is_some()
            && self.diags.iter().any(|d| {
                chain_seen.is_some_and(|c| d.primary_span().start >= c.start && d.primary_span().end <= c.end)
            });
        let defaults_block = defaults.as_ref().map(|(block, _)| *block);
        let defaults = Defaults::new(defaults.map(|(_, partial)| partial).unwrap_or_default());
        let team_count = file.items.iter().filter(|i| matches!(i, Item::Team(_))).count();
        if let Some(block) = defaults_block {
            let inherited = defaults.inherited().saturating_mul(team_count);
            if inherited > self.limits.max_inherited {
                self.err(
                    ErrorCode::LimitExceeded,
                    block.keyword,
                    format!(
                        "`defaults` gives each of {team_count} teams {} statements: {inherited} in all, over the limit of {}",
                        defaults.inherited(),
                        self.limits.max_inherited
                    ),
                    "too much for every team to inherit",
                    "keep in `defaults` what every team shares, move the rest into the teams that need it, or split the policy into several files",
                );
                global_errors = true;
            }
        }

        // Custom rules are read before the teams leave the tree; their
        // problems are reported after the teams'.
        let before_rules = self.diags.len();
        let rules = self.rules(file);
        let rule_diags = self.diags.split_off(before_rules);

        // Names first, in order: whether a team is kept depends on the teams
        // before it. Then each team is built on its own, in parallel, and
        // the results are taken in order.
        let mut names: HashMap<&str, Span> = HashMap::with_capacity(team_count);
        let mut named: Vec<(bool, Vec<Diagnostic>)> = Vec::with_capacity(team_count);
        for item in &file.items {
            let Item::Team(team) = item else { continue };
            let before = self.diags.len();
            let mut keep = true;
            if self.too_long(&team.name, "a team's name", MAX_NAME_CHARS) {
                // Reported; the team is kept, unchecked, so that its own
                // problems are still found.
            } else if team.name.value.trim().is_empty() {
                self.err(
                    ErrorCode::SyntaxError,
                    team.name.span,
                    "a team needs a name".into(),
                    "empty name",
                    "write `team \"Consumer Care\" { ... }`",
                );
            } else if let Some(first) = names.get(team.name.value.as_str()) {
                let first = *first;
                self.duplicate(team.name.span, first, &format!("two teams are called `{}`", team.name.value));
                // Its own problems are reported too; the team itself is not kept.
                keep = false;
            } else {
                names.insert(&team.name.value, team.name.span);
            }
            named.push((keep, self.diags.split_off(before)));
        }
        drop(names);
        let teams: Box<dyn Iterator<Item = Cow<'_, ast::Team>>> = match owned {
            Cow::Borrowed(file) => Box::new(
                file.items
                    .iter()
                    .filter_map(|item| if let Item::Team(t) = item { Some(Cow::Borrowed(t)) } else { None }),
            ),
            Cow::Owned(file) => Box::new(
                file.items
                    .into_iter()
                    .filter_map(|item| if let Item::Team(t) = item { Some(Cow::Owned(t)) } else { None }),
            ),
        };
        let planned: Vec<(Cow<'_, ast::Team>, bool, Vec<Diagnostic>)> =
            teams.zip(named).map(|(team, (keep, before))| (team, keep, before)).collect();
        let (chain, limits, earlier) = (&self.chain, self.limits, self.earlier);
        let build_team = |b: &mut Builder<'_>, (team, keep, before): (Cow<'_, ast::Team>, bool, Vec<Diagnostic>)| {
            let own = b.block(&team.body, Origin::Team);
            let mut merged = b.merge(&team, &defaults, own, !global_errors);
            let found = std::mem::take(&mut b.diags);
            merged.has_errors = global_errors || !before.is_empty() || !found.is_empty() || b.touched(team.body.span);
            (keep.then_some(merged), before, found)
        };
        let new_builder = || Builder { diags: Vec::new(), chain: chain.clone(), limits, earlier };
        let mut built: Vec<(Option<Team>, Vec<Diagnostic>, Vec<Diagnostic>)> = if planned.len() > 1 {
            planned.into_par_iter().map_init(new_builder, build_team).collect()
        } else {
            let mut b = new_builder();
            planned.into_iter().map(|team| build_team(&mut b, team)).collect()
        };
        for (_, before, found) in &mut built {
            self.diags.append(before);
            self.diags.append(found);
        }
        // In place: `filter_map` keeps the source's allocation (a team is no
        // larger than an element of `built`), where `flatten`, or pushing
        // into a new vector, would copy every team to fresh memory.
        let teams: Vec<Team> = built.into_iter().filter_map(|(team, _, _)| team).collect();
        self.diags.extend(rule_diags);
        Policy { name, chain: self.chain.clone(), norms, teams, rules, allows }
    }

    /// Reports E008 when a quoted name or text is longer than `max`
    /// characters: it is repeated in every finding about it.
    fn too_long(&mut self, text: &ast::Str, what: &str, max: usize) -> bool {
        let chars = text.value.chars().count();
        if chars <= max {
            return false;
        }
        self.err(
            ErrorCode::LimitExceeded,
            text.span,
            format!("{what} of {chars} characters, over the limit of {max}"),
            "too long",
            "shorten it; findings quote it in full",
        );
        true
    }

    /// Whether a problem found while parsing lies inside `span`.
    fn touched(&self, span: Span) -> bool {
        // `earlier` is sorted by start: find the first at or after `span`.
        let first = self.earlier.partition_point(|e| e.start < span.start);
        self.earlier.get(first).is_some_and(|e| e.start < span.end.max(span.start + 1))
    }

    fn duplicate(&mut self, span: Span, first: Span, message: &str) {
        self.push(
            Diagnostic::error(ErrorCode::Duplicate, message)
                .primary(span, "stated again here")
                .secondary(first, "first stated here")
                .help("remove one of them"),
        );
    }

    fn chain_decl(&mut self, chain: &ast::Chain) -> Chain {
        let mut levels: Vec<String> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        if chain.levels.len() > MAX_LEVELS {
            self.err(
                ErrorCode::LimitExceeded,
                chain.span,
                format!("a leadership chain of {} levels, over the limit of {MAX_LEVELS}", chain.levels.len()),
                "too many levels",
                "name the levels that set targets, give directives or approve; no organisation has more",
            );
            return Chain::default();
        }
        for level in &chain.levels {
            if level.name.chars().count() > MAX_WORD_CHARS {
                self.err(
                    ErrorCode::LimitExceeded,
                    level.span,
                    format!(
                        "a level name of {} characters, over the limit of {MAX_WORD_CHARS}",
                        level.name.chars().count()
                    ),
                    "too long",
                    "name the level in a word or two, like `director`",
                );
                continue;
            }
            if !is_lower_ident(&level.name) {
                let fixed = level.name.to_lowercase();
                self.err(
                    ErrorCode::UnknownName,
                    level.span,
                    format!("level names are lowercase: `{}`", level.name),
                    format!("write `{fixed}`"),
                    "identifiers in a policy are lowercase words joined by `_`",
                );
            }
            if let Some(first) = seen.get(level.name.as_str()) {
                let first = *first;
                self.duplicate(level.span, first, &format!("the level `{}` appears twice in the chain", level.name));
                continue;
            }
            seen.insert(&level.name, level.span);
            levels.push(level.name.clone());
        }
        Chain { levels, span: Some(chain.span) }
    }

    fn norms(&mut self, block: &ast::NormsBlock, norms: &mut Norms) {
        let mut seen: HashMap<String, Span> = HashMap::new();
        for norm in &block.norms {
            let name = norm.name.name.as_str();
            if !NORM_NAMES.contains(&name) {
                self.word(&norm.name, |_| None::<()>, NORM_NAMES.iter().copied(), "norm");
                continue;
            }
            let args: Vec<&str> = norm.args.iter().map(|a| a.name.as_str()).collect();
            let key = std::iter::once(name).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
            let arity = match name {
                "handle_time_floor" => 2,
                "typical_handle_time" => 1,
                _ => 0,
            };
            if args.len() != arity {
                let form = match name {
                    "handle_time_floor" => "handle_time_floor thorough phone 6m",
                    "typical_handle_time" => "typical_handle_time email 8m",
                    "max_concurrency" => "max_concurrency 3",
                    _ => "max_occupancy 85%",
                };
                self.err(
                    ErrorCode::SyntaxError,
                    norm.span,
                    format!("`{name}` is written `{form}`"),
                    "wrong form",
                    "see the norms table in docs/language.md for each norm's qualifiers",
                );
                continue;
            }
            if let Some(first) = seen.get(&key) {
                let first = *first;
                self.duplicate(norm.span, first, &format!("the norm `{key}` is set twice"));
                continue;
            }
            seen.insert(key.clone(), norm.span);
            let what = format!("`{name}`");
            let ok = match (name, norm.args.as_slice()) {
                ("handle_time_floor", [promise, channel]) => {
                    let promise = self.word(promise, Promise::parse, Promise::names(), Promise::WHAT);
                    let channel = self.word(channel, Channel::parse, Channel::names(), Channel::WHAT);
                    let value = self.duration(&norm.value, &what, "6m");
                    match (promise, channel, value) {
                        (Some(p), Some(c), Some(v)) => {
                            norms.handle_time_floor.insert((p, c), v);
                            true
                        }
                        _ => false,
                    }
                }
                ("typical_handle_time", [channel]) => {
                    let channel = self.word(channel, Channel::parse, Channel::names(), Channel::WHAT);
                    let value = self.duration(&norm.value, &what, "6m");
                    match (channel, value) {
                        (Some(c), Some(v)) => {
                            norms.typical_handle_time.insert(c, v);
                            true
                        }
                        _ => false,
                    }
                }
                ("max_concurrency", []) => match self.whole(&norm.value, &what, "3") {
                    Some(n) if n >= 1 => {
                        norms.max_concurrency = u32::try_from(n).unwrap_or(u32::MAX);
                        true
                    }
                    Some(_) => {
                        self.err(
                            ErrorCode::OutOfRange,
                            norm.value.span,
                            "`max_concurrency` must be at least 1".into(),
                            "zero",
                            "one agent holds at least one chat at a time; the default is 3",
                        );
                        false
                    }
                    None => false,
                },
                (_, []) => match self.percent(&norm.value, &what, "85%") {
                    Some(value) => {
                        let slot = match name {
                            "max_occupancy" => &mut norms.max_occupancy,
                            "max_occupancy_high_load" => &mut norms.max_occupancy_high_load,
                            "max_preventable_share" => &mut norms.max_preventable_share,
                            _ => &mut norms.max_approval_share,
                        };
                        *slot = value;
                        true
                    }
                    None => false,
                },
                _ => false,
            };
            if ok {
                norms.overridden_at.insert(key, norm.span);
            }
        }
    }

    fn allow(&mut self, allow: &ast::Allow, scope: AllowScope) -> Allow {
        self.too_long(&allow.reason, "the reason of an `allow`", MAX_TEXT_CHARS);
        let owner = allow.owner.as_ref().filter(|o| !self.too_long(o, "the owner of an `allow`", MAX_NAME_CHARS));
        if let Some(owner) = owner.filter(|o| o.value.trim().is_empty()) {
            self.err(
                ErrorCode::SyntaxError,
                owner.span,
                "an `allow`'s owner needs a name".into(),
                "empty owner",
                "name who answers for the exception: `owner \"Training Lead\"`",
            );
        }
        let until = allow.until.and_then(|d| {
            let date = Date::new(i32::try_from(d.year).unwrap_or(0), d.month, d.day);
            if date.is_none() {
                self.err(
                    ErrorCode::OutOfRange,
                    d.span,
                    format!("`{:04}-{:02}-{:02}` is not a date of the calendar", d.year, d.month, d.day),
                    "no such day",
                    "write a real date as `YYYY-MM-DD`, like `2027-03-31`",
                );
            }
            date.map(|date| (date, d.span))
        });
        Allow {
            rule: allow.rule.name.clone(),
            rule_span: allow.rule.span,
            reason: allow.reason.value.clone(),
            owner: owner.map(|o| o.value.clone()),
            until,
            span: allow.span,
            scope,
        }
    }

    // ---------------------------------------------------------- blocks

    fn block(&mut self, block: &ast::Block, origin: Origin) -> Partial {
        let mut p = Partial::default();
        // The targets and statements at their exact number: the team keeps
        // them, and a vector grown by doubling holds up to twice as much.
        let targets = block.stmts.iter().filter(|s| matches!(s.kind, StmtKind::Target(_))).count();
        p.targets.reserve_exact(targets);
        p.stated.reserve_exact(block.stmts.iter().filter(|s| is_scalar(&s.kind)).count());
        for stmt in &block.stmts {
            let span = stmt.span;
            if is_scalar(&stmt.kind) {
                let keyword = stmt.kind.keyword();
                if let Some(&(_, first)) = p.stated.iter().find(|(k, _)| *k == keyword) {
                    let place = if origin == Origin::Defaults { "`defaults`" } else { "this team" };
                    self.duplicate(span, first, &format!("`{keyword}` is stated twice in {place}"));
                    continue;
                }
                p.stated.push((keyword, span));
            }
            let at = At { span, origin };
            match &stmt.kind {
                StmtKind::Channel(ident) => {
                    p.channel = self.word(ident, Channel::parse, Channel::names(), Channel::WHAT).map(|v| at.of(v));
                }
                StmtKind::Hours { open, close } => p.hours = self.hours(*open, *close).map(|v| at.of(v)),
                StmtKind::Demand(q) => {
                    p.demand = match &q.value {
                        QValue::Rate { count, per } => Some(at.of(Demand { count: *count, per: *per })),
                        QValue::Invalid => None,
                        _ => {
                            self.mismatch(q, "`demand`", "a rate", "600/h");
                            None
                        }
                    }
                }
                StmtKind::Agents(q) => p.agents = self.whole(q, "`agents`", "42").map(|v| at.of(v)),
                StmtKind::Shrinkage(q) => p.shrinkage = self.percent(q, "`shrinkage`", "30%").map(|v| at.of(v)),
                StmtKind::Concurrency(q) => {
                    p.concurrency = match self.whole(q, "`concurrency`", "3") {
                        Some(0) => {
                            self.err(
                                ErrorCode::OutOfRange,
                                q.span,
                                "`concurrency` must be at least 1".into(),
                                "zero",
                                "state how many chats one agent holds at once, usually 2 or 3",
                            );
                            None
                        }
                        Some(n) => match u32::try_from(n) {
                            Ok(n) => Some(at.of(n)),
                            Err(_) => {
                                self.err(
                                    ErrorCode::OutOfRange,
                                    q.span,
                                    format!("`concurrency` of {n} is not a number of chats one agent can hold"),
                                    "too large",
                                    "chat concurrency is a small number, usually 2 or 3",
                                );
                                None
                            }
                        },
                        None => None,
                    }
                }
                StmtKind::ServiceLevel(level) => {
                    let ast::ServiceLevel { share, within } = &**level;
                    let share = self.percent(share, "`service_level`", "80% within 20s");
                    let within = self.duration(within, "`within`", "20s");
                    p.service_level = share.zip(within).map(|(share, within)| at.of(ServiceLevel { share, within }));
                }
                StmtKind::Patience(q) => {
                    p.patience = match self.duration(q, "`patience`", "2m") {
                        Some(s) if s.secs().is_zero() => {
                            self.err(
                                ErrorCode::OutOfRange,
                                q.span,
                                "`patience` must be longer than 0s".into(),
                                "zero",
                                "patience is the mean time a customer waits before hanging up",
                            );
                            None
                        }
                        other => other.map(|v| at.of(v)),
                    }
                }
                StmtKind::Scripts(ident) => {
                    p.scripts = self.word(ident, Scripts::parse, Scripts::names(), Scripts::WHAT).map(|v| at.of(v))
                }
                StmtKind::EmotionalLoad(ident) => {
                    p.emotional_load = self
                        .word(ident, EmotionalLoad::parse, EmotionalLoad::names(), EmotionalLoad::WHAT)
                        .map(|v| at.of(v));
                }
                StmtKind::Target(t) => {
                    if let Some(target) = self.target(t, span, origin) {
                        p.targets.push(target);
                    }
                }
                StmtKind::Promise(words) => {
                    for word in words {
                        if let Some(promise) = self.word(word, Promise::parse, Promise::names(), Promise::WHAT)
                            && !p.promises.iter().any(|f| f.value == promise)
                        {
                            p.promises.push(Fact { value: promise, span: word.span, origin });
                        }
                    }
                }
                StmtKind::Authority(grants) => p.authority = self.authority(grants, origin),
                StmtKind::Drivers(drivers) => p.drivers = self.drivers(drivers, span, origin).map(Arc::new),
                StmtKind::Training(stmts) => p.training = Some(Arc::new(self.training(stmts, span, origin))),
                StmtKind::Hiring(screens) => {
                    let mut screen_for = Vec::new();
                    for word in screens.iter().flat_map(|s| &s.traits) {
                        if let Some(t) = self.word(word, Trait::parse, Trait::names(), Trait::WHAT) {
                            screen_for.push((t, word.span));
                        }
                    }
                    p.hiring = Some(Arc::new(Hiring { screen_for, span, origin }));
                }
                StmtKind::Directive(d) => {
                    if let Some(directive) = self.directive(d, span, origin) {
                        p.directives.push(directive);
                    }
                }
                StmtKind::Allow(allow) => {
                    let scope = if origin == Origin::Defaults { AllowScope::Defaults } else { AllowScope::Team };
                    p.allows.push(self.allow(allow, scope));
                }
            }
        }
        p
    }

    fn hours(&mut self, open: ast::TimeOfDay, close: ast::TimeOfDay) -> Option<Hours> {
        let mut valid = true;
        for (t, is_close) in [(open, false), (close, true)] {
            let ok = t.minute < 60 && (t.hour < 24 || (is_close && t.hour == 24 && t.minute == 0));
            if !ok {
                valid = false;
                self.err(
                    ErrorCode::OutOfRange,
                    t.span,
                    format!("`{:02}:{:02}` is not a time of day", t.hour, t.minute),
                    "not a time",
                    "times run from `00:00` to `23:59` (`24:00` may close the day)",
                );
            }
        }
        if !valid {
            return None;
        }
        let (o, c) = (open.hour * 60 + open.minute, close.hour * 60 + close.minute);
        if o >= c {
            let span = open.span.cover(close.span);
            let (message, help) = if o == c {
                ("the opening hours are empty".to_string(), "state when the team opens and closes, like `08:00-20:00`")
            } else {
                (
                    "the opening hours cross midnight".to_string(),
                    "state one daily window that ends after it starts, such as the busiest one; a team open overnight can be split in two",
                )
            };
            self.err(ErrorCode::OutOfRange, span, message, "closes before it opens", help);
            return None;
        }
        Some(Hours { open: o, close: c })
    }

    fn target(&mut self, t: &ast::Target, span: Span, origin: Origin) -> Option<Target> {
        // Every part is checked before any failure is returned, so one target
        // reports all of its problems.
        let metric = self.word(&t.metric, Metric::parse, Metric::names(), Metric::WHAT);
        let set_by = t.set_by.as_ref().map(|level| self.level(level));
        let weight = t.weight.as_ref().map(|w| self.percent(w, "`weight`", "weight 40%"));
        let bound = match (metric, &t.bound) {
            (None, _) => None,
            (Some(metric), ast::TargetBound::Compare { op, value }) => {
                self.metric_value(metric, value).map(|v| Bound::Compare(*op, v))
            }
            (Some(metric), ast::TargetBound::Between { low, high }) => {
                match (self.metric_value(metric, low), self.metric_value(metric, high)) {
                    (Some(low_v), Some(high_v)) if low_v.axis() > high_v.axis() => {
                        self.err(
                            ErrorCode::OutOfRange,
                            low.span.cover(high.span),
                            format!("`between {low_v} and {high_v}` admits no value"),
                            "the lower end is above the upper end",
                            format!("write `between {high_v} and {low_v}`"),
                        );
                        None
                    }
                    (Some(low_v), Some(high_v)) => Some(Bound::Between(low_v, high_v)),
                    _ => None,
                }
            }
        };
        Some(Target {
            metric: metric?,
            bound: bound?,
            weight: valid_if_stated(weight)?,
            set_by: valid_if_stated(set_by)?,
            span,
            origin,
        })
    }

    fn directive(&mut self, d: &ast::Directive, span: Span, origin: Origin) -> Option<Directive> {
        let level = self.level(&d.level);
        let metric = |b: &mut Self, m: &ast::Ident| b.word(m, Metric::parse, Metric::names(), Metric::WHAT);
        let intent = match &d.intent {
            ast::Intent::Minimize(m) => Intent::Minimize(metric(self, m)?),
            ast::Intent::Maximize(m) => Intent::Maximize(metric(self, m)?),
            ast::Intent::Require(p) => {
                Intent::Require(self.word(p, Promise::parse, Promise::names(), Promise::WHAT)?)
            }
            ast::Intent::Cap(m, q) => {
                let m = metric(self, m)?;
                Intent::Cap(m, self.metric_value(m, q)?)
            }
            ast::Intent::Floor(m, q) => {
                let m = metric(self, m)?;
                Intent::Floor(m, self.metric_value(m, q)?)
            }
        };
        Some(Directive { level: level?, intent, span, origin })
    }

    fn authority(&mut self, grants: &[ast::Grant], origin: Origin) -> Vec<Grant> {
        let mut out: Vec<Grant> = Vec::new();
        for g in grants {
            let Some(action) = self.word(&g.action, Action::parse, Action::names(), Action::WHAT) else { continue };
            if let Some(first) = out.iter().find(|x| x.action == action) {
                let first = first.span;
                self.duplicate(g.span, first, &format!("`{action}` is listed twice in one authority block"));
                continue;
            }
            // Both parts are checked before either failure drops the line.
            let approval = g.approval.as_ref().map(|level| self.level(level));
            let limit = match &g.kind {
                ast::GrantKind::UpTo(q) => self.money(q, &format!("`{action} up_to`")).map(Limit::UpTo),
                ast::GrantKind::Allowed | ast::GrantKind::ApprovalOnly => Some(Limit::Unlimited),
                ast::GrantKind::None => Some(Limit::Never),
            };
            if let (Some(limit), Some(approval)) = (limit, valid_if_stated(approval)) {
                out.push(Grant { action, limit, approval, span: g.span, origin });
            }
        }
        out
    }

    fn drivers(&mut self, drivers: &[ast::Driver], span: Span, origin: Origin) -> Option<Drivers> {
        let mut list: Vec<Driver> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut total = Rational::ZERO;
        for d in drivers {
            if self.too_long(&d.name, "a driver's name", MAX_NAME_CHARS) {
                continue;
            }
            if let Some(first) = seen.get(d.name.value.as_str()) {
                let first = *first;
                self.duplicate(d.span, first, &format!("the driver `{}` is listed twice", d.name.value));
                continue;
            }
            seen.insert(&d.name.value, d.span);
            let share = self.percent(&d.share, "a driver's share", "35%");
            let needs = match &d.needs {
                Some(need) => {
                    let action = self.word(&need.action, Action::parse, Action::names(), Action::WHAT);
                    let amount = match &need.up_to {
                        Some(q) => self.money(q, "a driver's `up_to`").map(Some),
                        None => Some(None),
                    };
                    match (action, amount) {
                        (Some(action), Some(amount)) => Some(Need { action, amount }),
                        _ => continue,
                    }
                }
                None => None,
            };
            let Some(share) = share else { continue };
            total = total.checked_add(share.fraction()).unwrap_or(total);
            list.push(Driver {
                name: d.name.value.clone(),
                share,
                preventable: d.preventable.is_some(),
                needs,
                span: d.span,
            });
        }
        if total > Rational::ONE {
            let mut diag = Diagnostic::error(
                ErrorCode::OutOfRange,
                format!("driver shares add up to {}, more than 100%", Ratio(total)),
            )
            .help("shares are parts of all contacts: they add up to at most 100%");
            let mut first = true;
            for d in &list {
                diag = if first {
                    diag.primary(d.span, format!("{}", d.share))
                } else {
                    diag.secondary(d.span, format!("{}", d.share))
                };
                first = false;
            }
            self.push(diag);
            return None;
        }
        Some(Drivers { list, span, origin })
    }

    fn training(&mut self, stmts: &[ast::TrainingStmt], span: Span, origin: Origin) -> Training {
        let mut t = Training { cadence: None, sequence: None, case_reviews: None, span, origin };
        // Where each of the three kinds of statement was first stated: no
        // map is needed for three, and every team's block is read.
        let (mut cadence, mut sequence, mut case_reviews) = (None, None, None);
        for stmt in stmts {
            let (keyword, at, slot): (_, _, &mut Option<Span>) = match stmt {
                ast::TrainingStmt::Cadence(_, s) => ("cadence", *s, &mut cadence),
                ast::TrainingStmt::Sequence(_, s) => ("sequence", *s, &mut sequence),
                ast::TrainingStmt::CaseReviews(_, s) => ("case_reviews", *s, &mut case_reviews),
            };
            if let Some(first) = *slot {
                self.duplicate(at, first, &format!("`{keyword}` is stated twice in one training block"));
                continue;
            }
            *slot = Some(at);
            match stmt {
                ast::TrainingStmt::Cadence(word, s) => {
                    t.cadence = self.word(word, Cadence::parse, Cadence::names(), Cadence::WHAT).map(|c| (c, *s));
                }
                ast::TrainingStmt::CaseReviews(word, s) => {
                    t.case_reviews = self.word(word, Cadence::parse, Cadence::names(), Cadence::WHAT).map(|c| (c, *s));
                }
                ast::TrainingStmt::Sequence(words, s) => {
                    let modules = words
                        .iter()
                        .filter_map(|w| self.word(w, Module::parse, Module::names(), Module::WHAT).map(|m| (m, w.span)))
                        .collect();
                    t.sequence = Some((modules, *s));
                }
            }
        }
        t
    }

    // ----------------------------------------------------------- merge

    /// Merges `defaults` into a team. `cross_check` runs the checks that read
    /// the merged team (currencies, score scales); they are skipped when the
    /// file is not checked anyway.
    fn merge(&mut self, team: &ast::Team, shared: &Defaults, own: Partial, cross_check: bool) -> Team {
        let defaults = &shared.partial;
        let stated = |keyword: &str| has_stated(&own.stated, keyword) || has_stated(&defaults.stated, keyword);
        let name = team.name.value.clone();
        let channel = pick(own.channel.clone(), &defaults.channel);
        // A team with a syntax error may have stated it in the broken statement.
        if channel.is_none() && !stated("channel") && !self.touched(team.body.span) {
            self.push(
                Diagnostic::error(ErrorCode::MissingFact, format!("team `{name}` has no `channel`"))
                    .primary(team.name.span, "no channel stated")
                    .help("add `channel phone` (or chat, email, social, video, in_person) to the team or to `defaults`")
                    .team(name.clone()),
            );
        }
        let hours = pick(own.hours.clone(), &defaults.hours);
        let concurrency = pick(own.concurrency.clone(), &defaults.concurrency);
        if let (Some(c), Some(ch)) = (&concurrency, &channel)
            && !ch.value.is_concurrent()
        {
            self.push(
                Diagnostic::error(
                    ErrorCode::OutOfRange,
                    format!(
                        "`concurrency` applies to chat and social teams; `{name}` is {} {} team",
                        article(ch.value.phrase()),
                        ch.value.phrase()
                    ),
                )
                .primary(c.span, "concurrency stated here")
                .secondary(ch.span, "the team's channel")
                .help("remove `concurrency`, or change the channel")
                .team(name.clone()),
            );
        }
        let demand = match pick(own.demand.clone(), &defaults.demand) {
            Some(d) => self.hourly(d, hours.as_ref(), stated("hours"), &name),
            None => None,
        };
        let agents = pick(own.agents.clone(), &defaults.agents);
        if let (Some(a), Some(d)) = (&agents, &demand)
            && a.value == 0
            && !d.value.0.is_zero()
        {
            self.push(
                Diagnostic::error(
                    ErrorCode::OutOfRange,
                    format!("`{name}` has zero agents for a demand of {}", d.value),
                )
                .primary(a.span, "no agents")
                .secondary(d.span, "contacts arrive here")
                .help("state the agents scheduled in the busiest interval")
                .team(name.clone()),
            );
        }
        let mut promises = own.promises.clone();
        for p in &defaults.promises {
            if !promises.iter().any(|q| q.value == p.value) {
                promises.push(p.clone());
            }
        }
        let mut authority = own.authority.clone();
        for g in &defaults.authority {
            if !authority.iter().any(|a| a.action == g.action) {
                authority.push(g.clone());
            }
        }
        authority.sort_by_key(|g| g.action);
        let drivers = if has_stated(&own.stated, "drivers") { own.drivers.clone() } else { defaults.drivers.clone() };
        let targets = InForce::new(shared.targets.clone(), own.targets);
        let directives = InForce::new(shared.directives.clone(), own.directives);
        let allows = InForce::new(shared.allows.clone(), own.allows);

        let team = Team {
            name: name.clone(),
            name_span: team.name.span,
            span: team.body.span,
            channel,
            hours,
            demand,
            agents,
            shrinkage: pick(own.shrinkage.clone(), &defaults.shrinkage),
            concurrency,
            service_level: pick(own.service_level.clone(), &defaults.service_level),
            patience: pick(own.patience.clone(), &defaults.patience),
            scripts: pick(own.scripts.clone(), &defaults.scripts),
            emotional_load: pick(own.emotional_load.clone(), &defaults.emotional_load),
            targets,
            promises,
            authority,
            drivers,
            training: if has_stated(&own.stated, "training") {
                own.training.clone()
            } else {
                defaults.training.clone()
            },
            hiring: if has_stated(&own.stated, "hiring") { own.hiring.clone() } else { defaults.hiring.clone() },
            directives,
            allows,
            has_errors: false,
        };
        if cross_check {
            self.currencies(&team);
            self.score_scales(&team);
        }
        team
    }

    /// Converts a demand to an hourly rate; `/day` needs `hours`.
    fn hourly(
        &mut self,
        d: Fact<Demand>,
        hours: Option<&Fact<Hours>>,
        hours_stated: bool,
        team: &str,
    ) -> Option<Fact<RatePerHour>> {
        let per_hour = match d.value.per {
            RateUnit::Second => d.value.count.checked_mul(Rational::from_int(3600)),
            RateUnit::Minute => d.value.count.checked_mul(Rational::from_int(60)),
            RateUnit::Hour => Some(d.value.count),
            RateUnit::Day => match hours {
                Some(h) => d.value.count.checked_div(h.value.length_hours()),
                None => {
                    if !hours_stated {
                        self.push(
                            Diagnostic::error(ErrorCode::MissingFact, format!("a demand per day needs `hours` to become an hourly rate, and `{team}` has none"))
                                .primary(d.span, "demand per day")
                                .help("add the opening hours, like `hours 08:00-20:00`, or state the demand per hour in the busiest interval (`600/h`)")
                                .team(team.to_string()),
                        );
                    }
                    return None;
                }
            },
        };
        let Some(per_hour) = per_hour else {
            self.err(
                ErrorCode::OutOfRange,
                d.span,
                "the demand is too large to represent".into(),
                "too large",
                "state the demand in the busiest interval, like `600/h`",
            );
            return None;
        };
        Some(Fact { value: RatePerHour(per_hour), span: d.span, origin: d.origin })
    }

    /// E007: a driver's needed amount and the grant for its action in
    /// different currencies.
    fn currencies(&mut self, team: &Team) {
        let Some(drivers) = &team.drivers else { return };
        for driver in &drivers.list {
            let Some(Need { action, amount: Some(needed) }) = driver.needs else { continue };
            let Some(grant) = team.grant(action) else { continue };
            if let Limit::UpTo(limit) = grant.limit
                && limit.currency != needed.currency
            {
                self.push(
                        Diagnostic::error(ErrorCode::CurrencyMismatch, format!("`{}` needs {needed} but agents may {action} up to {limit}: amounts in {} and {} cannot be compared", driver.name, needed.currency.code(), limit.currency.code()))
                            .primary(driver.span, format!("amount in {}", needed.currency.code()))
                            .secondary(grant.span, format!("limit in {}", limit.currency.code()))
                            .help("state both amounts in one currency")
                            .team(team.name.clone()),
                    );
            }
        }
    }

    /// E003: one metric measured both as a score and as a percentage, in
    /// its targets or in `cap`/`floor` directives.
    fn score_scales(&mut self, team: &Team) {
        for metric in [Metric::Csat, Metric::QualityScore] {
            let targets =
                team.targets_on(metric).filter_map(|t| t.bound.upper().or(t.bound.lower()).map(|e| (e.value, t.span)));
            let directives = team.directives.iter().filter_map(|d| match d.intent {
                Intent::Cap(m, v) | Intent::Floor(m, v) if m == metric => Some((v, d.span)),
                _ => None,
            });
            let mut stated: Vec<(Value, Span)> = targets.chain(directives).collect();
            stated.sort_by_key(|&(_, span)| span);
            let score = stated.iter().find(|(v, _)| matches!(v, Value::Score(_)));
            let pct = stated.iter().find(|(v, _)| matches!(v, Value::Ratio(_)));
            if let (Some(&(_, s)), Some(&(_, p))) = (score, pct) {
                // The later statement is the one that broke the pattern.
                let ((later, later_kind), (earlier, earlier_kind)) =
                    if s > p { ((s, "a score"), (p, "a percentage")) } else { ((p, "a percentage"), (s, "a score")) };
                self.push(
                    Diagnostic::error(
                        ErrorCode::UnitMismatch,
                        format!("`{metric}` is measured both as a score and as a percentage in `{}`", team.name),
                    )
                    .primary(later, later_kind)
                    .secondary(earlier, earlier_kind)
                    .help(format!("measure `{metric}` one way in every target and directive of the team"))
                    .team(team.name.clone()),
                );
            }
        }
    }

    // ----------------------------------------------------------- rules

    fn rules(&mut self, file: &ast::File) -> Vec<CustomRule> {
        let mut rules: Vec<CustomRule> = Vec::new();
        let mut names: BTreeMap<String, Span> = BTreeMap::new();
        for item in &file.items {
            let ast::Item::Rule(rule) = item else { continue };
            let name = &rule.name;
            if self.too_long(name, "a rule's name", MAX_WORD_CHARS) {
                continue;
            }
            if !is_kebab(&name.value) {
                self.err(
                    ErrorCode::SyntaxError,
                    name.span,
                    format!("the rule name `{}` is not kebab-case", name.value),
                    "not kebab-case",
                    "rule names are lowercase words joined by `-`, like `phone-refund-floor`",
                );
                continue;
            }
            // A second rule of the same name is still checked, but not kept.
            let mut broken = false;
            if let Some(first) = names.get(&name.value) {
                let first = *first;
                self.duplicate(name.span, first, &format!("two rules are called `{}`", name.value));
                broken = true;
            } else {
                names.insert(name.value.clone(), name.span);
            }
            let (mut severity, mut when, mut message, mut help) = (None, None, None, None);
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for stmt in &rule.stmts {
                let (keyword, span) = match stmt {
                    ast::RuleStmt::Severity(_, s) => ("severity", *s),
                    ast::RuleStmt::When(_, s) => ("when", *s),
                    ast::RuleStmt::Message(_, s) => ("message", *s),
                    ast::RuleStmt::Help(_, s) => ("help", *s),
                };
                if let Some(first) = seen.get(keyword) {
                    let first = *first;
                    self.duplicate(span, first, &format!("`{keyword}` is stated twice in rule `{}`", name.value));
                    broken = true;
                    continue;
                }
                seen.insert(keyword, span);
                match stmt {
                    ast::RuleStmt::Severity(word, _) => {
                        severity =
                            self.word(word, Severity::parse, ["error", "warning", "info"].into_iter(), "severity");
                        broken |= severity.is_none();
                    }
                    ast::RuleStmt::When(expr, span) => {
                        let checked = RuleChecker { diags: &mut self.diags }.condition(expr);
                        broken |= checked.is_none();
                        when = checked.map(|c| (c, *span));
                    }
                    ast::RuleStmt::Message(text, _) => {
                        if self.too_long(text, "a rule's message", MAX_TEXT_CHARS) {
                            broken = true;
                            continue;
                        }
                        let checked = RuleChecker { diags: &mut self.diags }.template(text);
                        broken |= checked.is_none();
                        message = checked;
                    }
                    ast::RuleStmt::Help(text, _) => {
                        if self.too_long(text, "a rule's help", MAX_TEXT_CHARS) {
                            broken = true;
                            continue;
                        }
                        let checked = RuleChecker { diags: &mut self.diags }.template(text);
                        broken |= checked.is_none();
                        help = checked;
                    }
                }
            }
            let stated = |keyword| seen.contains_key(keyword) || self.touched(rule.span);
            for (missing, example) in
                [(!stated("when"), "when channel == phone and agents < 10"), (!stated("message"), "message \"...\"")]
            {
                if missing {
                    let keyword = example.split(' ').next().unwrap_or_default();
                    self.err(
                        ErrorCode::MissingFact,
                        name.span,
                        format!("rule `{}` has no `{keyword}`", name.value),
                        format!("`{keyword}` missing"),
                        format!("add `{example}`"),
                    );
                    broken = true;
                }
            }
            if let (false, Some((condition, when_span)), Some(message)) = (broken, when, message) {
                rules.push(CustomRule {
                    name: name.value.clone(),
                    name_span: name.span,
                    severity: severity.unwrap_or(Severity::Warning),
                    condition,
                    when_span,
                    message,
                    help,
                    span: rule.span,
                });
            }
        }
        rules
    }
}

fn is_lower_ident(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `[a-z][a-z0-9-]*`.
pub fn is_kebab(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
