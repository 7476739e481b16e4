//! The engine: runs the pipeline on one source and orders what it found.
//!
//! [`Checker`] owns the rule set, the norms and the limits. It parses,
//! builds the model, runs every rule on every team that has no front-end
//! error, and returns the diagnostics in a deterministic order. No IO.

pub mod config;
mod custom;
pub mod levels;
mod suppress;

pub use suppress::{AllowStatus, SuppressionPolicy};

use crate::analysis::TeamFigures;
use crate::diagnostic::ErrorCode;
use crate::model::units::Date;
use crate::model::{self, Norms, Policy};
use crate::rules::{self, Catalog, Context, Rule, RuleError, RuleMeta};
use crate::source::NotUtf8;
use crate::syntax::{self, Limits};
use crate::{Diagnostic, Source, Span};
use levels::RuleLevels;
use levels::{Level, NotSettable};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

/// Checks policy sources: the rules (built-in and registered from Rust),
/// their levels, the norms, the limits and the suppression settings.
///
/// Cheap to clone and to share between threads: its settings sit behind an
/// `Arc`, and the `with_*` methods copy them only when a clone still shares
/// them.
#[derive(Clone)]
pub struct Checker {
    inner: Arc<Settings>,
}

#[derive(Clone)]
struct Settings {
    rules: Vec<Arc<dyn Rule>>,
    catalog: Catalog,
    norms: Norms,
    limits: Limits,
    levels: RuleLevels,
    suppressions: SuppressionPolicy,
    today: Option<Date>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.inner;
        let registered: Vec<&str> = s.catalog.registered().iter().map(|m| m.code).collect();
        f.debug_struct("Checker")
            .field("registered_rules", &registered)
            .field("levels", &s.levels)
            .field("norms", &s.norms)
            .field("limits", &s.limits)
            .field("suppressions", &s.suppressions)
            .field("today", &s.today)
            .finish()
    }
}

/// Everything found in one source.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileReport {
    /// The source that was checked.
    pub source: Source,
    /// The resolved policy, when the file could be parsed.
    pub policy: Option<Policy>,
    /// Every diagnostic, ordered by position, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// The staffing figures of each team of `policy`, computed on the first
    /// call to [`FileReport::figures`]. A check computes each team's figures
    /// for that team's rules and drops them once the rules have run, so a
    /// report read only for its diagnostics never holds them all at once.
    figures: OnceLock<Vec<TeamFigures>>,
    /// Every `allow` of the policy and what became of it.
    pub allows: Vec<AllowStatus>,
    /// The rules registered from Rust on the checker that made it (for their
    /// documentation in SARIF).
    pub registered: Vec<&'static RuleMeta>,
}

impl FileReport {
    /// The report of a source that was not checked, with `diagnostics`
    /// about it (a file too large, not UTF-8, refused by the formatter).
    pub fn unchecked(source: Source, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport {
            source,
            policy: None,
            diagnostics,
            figures: OnceLock::new(),
            allows: Vec::new(),
            registered: Vec::new(),
        }
    }

    /// Whether any unsuppressed diagnostic is at or above `severity`.
    pub fn has_at_least(&self, severity: crate::Severity) -> bool {
        self.diagnostics.iter().any(|d| !d.is_suppressed() && d.severity >= severity)
    }

    /// Whether the policy could be read: no front-end error (E001-E008).
    /// Findings of the rules may remain.
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(|d| d.category == rules::Category::Syntax)
    }

    /// Whether the report passes a gate at `threshold`: no unsuppressed
    /// finding at or above it (front-end errors always fail).
    pub fn passes(&self, threshold: crate::Severity) -> bool {
        self.is_valid() && !self.has_at_least(threshold)
    }

    /// Every rule the checker that made the report knew: the built-ins,
    /// then the rules registered from Rust.
    pub fn rules(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        rules::metas().chain(self.registered.iter().copied())
    }

    /// The rule whose code or name is `reference`, among [`FileReport::rules`].
    pub fn rule(&self, reference: &str) -> Option<&'static RuleMeta> {
        self.rules().find(|m| m.is(reference))
    }

    /// The staffing figures of each team of [`FileReport::policy`], in the
    /// same order (none without a policy); a team touched by a front-end
    /// error has figures with nothing computed.
    ///
    /// They are computed from `policy` on the first call, in parallel, and
    /// kept: a `policy` changed after that call no longer matches them.
    pub fn figures(&self) -> &[TeamFigures] {
        if let Some(figures) = self.figures.get() {
            return figures;
        }
        // Computed outside the lock: a parallel computation that waited on
        // it could be handed, on the same thread, another call waiting for
        // the same lock, and never end. Two first calls at once both compute;
        // the first to finish is kept.
        let figures = match &self.policy {
            Some(p) => p.teams.par_iter().map(|t| team_figures(t, &p.norms)).collect(),
            None => Vec::new(),
        };
        self.figures.get_or_init(|| figures)
    }

    /// The staffing figures of the team called `team` (see
    /// [`FileReport::figures`]).
    pub fn figures_of(&self, team: &str) -> Option<&TeamFigures> {
        let index = self.policy.as_ref()?.teams.iter().position(|t| t.name == team)?;
        self.figures().get(index)
    }
}

/// A source parsed once ([`Checker::parse`]), to be checked any number of
/// times ([`Checker::check_parsed`]). Cheap to clone and to share between
/// threads.
#[derive(Debug, Clone)]
pub struct ParsedPolicy {
    source: Source,
    file: Option<Arc<syntax::ast::File>>,
    diagnostics: Arc<[Diagnostic]>,
}

impl ParsedPolicy {
    /// The source that was parsed.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The syntax errors (E001-E008 found while parsing); the rest of the
    /// file is still checked.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether the source parsed without a syntax error.
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// A built-in rule behind the `Arc<dyn Rule>` the checker stores.
struct Builtin(&'static dyn Rule);

impl Rule for Builtin {
    fn meta(&self) -> &'static rules::RuleMeta {
        self.0.meta()
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        self.0.check(cx, out);
    }
}

impl Default for Checker {
    fn default() -> Self {
        Checker::new()
    }
}

impl Checker {
    /// A checker with every built-in rule, the default norms and limits.
    pub fn new() -> Checker {
        Checker {
            inner: Arc::new(Settings {
                rules: rules::builtin().iter().map(|r| Arc::new(Builtin(*r)) as Arc<dyn Rule>).collect(),
                catalog: Catalog::default(),
                norms: Norms::default(),
                limits: Limits::default(),
                levels: RuleLevels::default(),
                suppressions: SuppressionPolicy::default(),
                today: None,
            }),
        }
    }

    fn settings(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.inner)
    }

    /// The day `allow ... until DATE` is judged against: from `until` on an
    /// `allow` silences nothing (X004). Without it no `allow` expires; the
    /// library reads no clock.
    pub fn with_today(mut self, today: Date) -> Checker {
        self.settings().today = Some(today);
        self
    }

    /// What every `allow` must satisfy (X005).
    pub fn with_suppression_policy(mut self, policy: SuppressionPolicy) -> Checker {
        self.settings().suppressions = policy;
        self
    }

    /// Sets rule levels: rules that are `off` do not run, others report at
    /// the configured severity.
    pub fn with_levels(mut self, levels: RuleLevels) -> Checker {
        self.settings().levels = levels;
        self
    }

    /// Sets the level of one rule (by code or name) or category, as
    /// `supportlint.yaml`'s `rules:` does. A kebab-case name that is no rule
    /// this checker knows is taken to be a rule of the policies.
    pub fn with_level(mut self, name: &str, level: Level) -> Result<Checker, NotSettable> {
        let settings = self.settings();
        settings.levels.set(&settings.catalog, name, level)?;
        Ok(self)
    }

    /// The rule levels in force.
    pub fn levels(&self) -> &RuleLevels {
        &self.inner.levels
    }

    /// The rules this checker knows: built-in, and registered with
    /// [`Checker::with_rule`].
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// Adds a rule written in Rust; it runs after the built-in ones, and its
    /// code, name and category work wherever a built-in rule's do (levels,
    /// `allow`, output). A rule whose code or name another rule has is
    /// refused.
    pub fn with_rule(mut self, rule: impl Rule + 'static) -> Result<Checker, RuleError> {
        let settings = self.settings();
        settings.catalog.register(rule.meta())?;
        settings.rules.push(Arc::new(rule));
        Ok(self)
    }

    /// Applies a configuration: its rule levels (names looked up among this
    /// checker's rules, so those registered from Rust are known), norms,
    /// limits (within their ceilings) and suppression settings. A name that
    /// is no rule is an error located in the file that wrote it.
    pub fn with_config(mut self, config: &config::Config) -> Result<Checker, config::ConfigError> {
        let resolution = config.resolve(&self.inner.catalog)?;
        let settings = self.settings();
        settings.levels = resolution.levels;
        settings.suppressions = resolution.suppressions;
        settings.norms = config.norms.clone();
        settings.limits = config.limits.within_ceilings();
        Ok(self)
    }

    /// Replaces the norms files start from (a file's `norms` block still
    /// overrides them).
    pub fn with_norms(mut self, norms: Norms) -> Checker {
        self.settings().norms = norms;
        self
    }

    /// Replaces the input limits, each kept within its hard ceiling
    /// ([`Limits::CEILINGS`]).
    pub fn with_limits(mut self, limits: Limits) -> Checker {
        self.settings().limits = limits.within_ceilings();
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The report for a file too large to read: an E008, without its text.
    pub fn too_large(&self, name: &str, size: u64) -> FileReport {
        let limit = self.inner.limits.max_file_bytes;
        let diagnostic = Diagnostic::error(
            ErrorCode::LimitExceeded,
            format!("the file is {size} bytes, over the limit of {limit} bytes"),
        )
        .primary(Span::point(0), "file too large")
        .help("split the policy into several files");
        FileReport::unchecked(Source::new(name, ""), vec![diagnostic])
    }

    /// Checks raw bytes: binary data and text that is not UTF-8 are an E001
    /// at the first offending byte.
    pub fn check_bytes(&self, name: &str, bytes: Vec<u8>) -> FileReport {
        // Like git: a NUL byte near the start means binary data.
        if let Some(at_byte) = bytes.iter().take(8192).position(|&b| b == 0) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // Bytes that are not UTF-8 before it became U+FFFD, three bytes
            // each: the NUL is the first in the text, not at the same offset.
            let offset = text.find('\0').unwrap_or(at_byte);
            let source = Source::new(name, text);
            let diagnostic = Diagnostic::error(
                ErrorCode::SyntaxError,
                "the file looks like binary data, not a policy (it contains a NUL byte)",
            )
            .primary(Span::new(offset, offset + 1), "NUL byte")
            .help("policy files are UTF-8 text; check that this is the file you meant");
            return FileReport::unchecked(source, vec![diagnostic]);
        }
        match Source::from_bytes(name, bytes) {
            Ok(source) => self.check(&source),
            Err((source, NotUtf8 { offset, byte })) => {
                let diagnostic = Diagnostic::error(
                    ErrorCode::SyntaxError,
                    format!("the file is not UTF-8 text (byte 0x{byte:02x})"),
                )
                .primary(Span::new(offset, offset + '\u{fffd}'.len_utf8()), "not UTF-8")
                .help("policy files are UTF-8 text; re-save it as UTF-8, or check that it is a policy file at all");
                FileReport::unchecked(source, vec![diagnostic])
            }
        }
    }

    /// Parses, builds and checks one source: the report of
    /// [`Checker::parse`] then [`Checker::check_parsed`], with the syntax
    /// tree freed as soon as the model is built.
    pub fn check(&self, source: &Source) -> FileReport {
        let parsed = syntax::parse(source, &self.inner.limits);
        let mut diagnostics = parsed.diagnostics;
        // The tree goes to the build, which frees each team's part of it as
        // soon as the team is built: the memory goes to the next teams and
        // the findings rather than to fresh pages.
        let policy = parsed.file.map(|file| {
            let built = model::build_owned(file, &self.inner.norms, &self.inner.limits, &earlier(&diagnostics));
            diagnostics.extend(built.diagnostics);
            built.policy
        });
        self.judge(source, policy, diagnostics)
    }

    /// Parses one source under this checker's limits, once: the result can
    /// be checked many times, by this checker or by others with other
    /// norms, levels and rules (a service re-checking stored policies after
    /// its configuration changed).
    pub fn parse(&self, source: &Source) -> ParsedPolicy {
        let parsed = syntax::parse(source, &self.inner.limits);
        ParsedPolicy { source: source.clone(), file: parsed.file.map(Arc::new), diagnostics: parsed.diagnostics.into() }
    }

    /// Builds the policy of a parsed source under this checker's norms and
    /// checks it with its rules and levels. The syntax limits are those of
    /// the checker that parsed it; the others are this checker's.
    pub fn check_parsed(&self, parsed: &ParsedPolicy) -> FileReport {
        let mut diagnostics = parsed.diagnostics.to_vec();
        let policy = parsed.file.as_deref().map(|file| self.build(file, &mut diagnostics));
        self.judge(&parsed.source, policy, diagnostics)
    }

    /// The policy of a syntax tree under this checker's norms and limits;
    /// `diagnostics` holds the syntax errors and takes the model's.
    fn build(&self, file: &syntax::ast::File, diagnostics: &mut Vec<Diagnostic>) -> Policy {
        let built = model::build(file, &self.inner.norms, &self.inner.limits, &earlier(diagnostics));
        diagnostics.extend(built.diagnostics);
        built.policy
    }

    /// Runs the rules on a built policy and settles levels, `allow`s and
    /// order.
    fn judge(&self, source: &Source, policy: Option<Policy>, mut diagnostics: Vec<Diagnostic>) -> FileReport {
        if let Some(policy) = &policy {
            // A custom rule cannot take a built-in rule's name or code: levels
            // and `allow`s would not know which one is meant.
            for rule in &policy.rules {
                if let Some(meta) = self.inner.catalog.find(&rule.name) {
                    diagnostics.push(
                        Diagnostic::error(
                            ErrorCode::Duplicate,
                            format!("rule `{}` has the name of the built-in rule {}", rule.name, meta.code),
                        )
                        .primary(rule.name_span, "already a built-in rule")
                        .help("give the custom rule a name of its own"),
                    );
                }
            }
        }
        let mut allows = Vec::new();
        if let Some(policy) = &policy {
            self.run_rules(source, policy, &mut diagnostics);
            let s = &self.inner;
            allows = suppress::apply(source, policy, &mut diagnostics, &s.catalog, &s.levels, &s.suppressions, s.today);
        }
        self.inner.levels.apply(&mut diagnostics);
        sort(&mut diagnostics, policy.as_ref());
        FileReport {
            source: source.clone(),
            policy,
            diagnostics,
            figures: OnceLock::new(),
            allows,
            registered: self.inner.catalog.registered().to_vec(),
        }
    }

    /// Runs every enabled rule on every team without front-end errors. The
    /// levels are looked up once per file, and checking stops with an E008
    /// once the file has produced more diagnostics than the limit allows.
    ///
    /// Teams are checked in parallel, [`TEAM_BATCH`] at a time, and their
    /// findings appended in team order; the limit is looked at before each
    /// team as if they had been checked one by one, so the result does not
    /// depend on the number of threads, and at most one batch is checked
    /// beyond the limit.
    fn run_rules(&self, source: &Source, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let builtin: Vec<&dyn Rule> = self
            .inner
            .rules
            .iter()
            .filter(|r| self.inner.levels.enabled(r.meta().code, r.meta().category))
            .map(|r| r.as_ref())
            .collect();
        let custom: Vec<&model::CustomRule> =
            policy.rules.iter().filter(|r| self.inner.levels.enabled(&r.name, rules::Category::Custom)).collect();
        let cap = self.inner.limits.max_findings.max(source.text().len() / 4);
        // A team touched by a front-end error is neither checked nor
        // analysed. The others' figures live as long as their rules run.
        let checked: Vec<&model::Team> = policy.teams.iter().filter(|t| !t.has_errors).collect();
        let check_team = |&team: &&model::Team| {
            let figures = TeamFigures::of(team, &policy.norms);
            let cx = Context::new(source, policy, team, &figures);
            let mut found = Vec::new();
            not_computed(team, &figures, &mut found);
            for rule in &builtin {
                rule.check(&cx, &mut found);
            }
            for rule in &custom {
                custom::check(rule, &cx, &mut found);
            }
            for finding in &mut found {
                name_the_team(finding, team);
            }
            found
        };
        // Each team's findings are kept apart and moved into `out` once their
        // number is known: `out` grown team by team would hold up to twice
        // its size and copy itself at every doubling.
        let mut kept: Vec<Vec<Diagnostic>> = Vec::with_capacity(checked.len());
        let mut count = out.len();
        let mut stopped = None;
        'batches: for batch in checked.chunks(TEAM_BATCH) {
            let found: Vec<Vec<Diagnostic>> = batch.par_iter().map(check_team).collect();
            for (&team, found) in batch.iter().zip(found) {
                if count > cap {
                    stopped = Some(
                        Diagnostic::error(
                            ErrorCode::LimitExceeded,
                            format!("more than {cap} problems in one file; teams from here on were not checked"),
                        )
                        .primary(team.name_span, "checking stopped here")
                        .help("fix the problems reported so far, or split the policy into several files"),
                    );
                    break 'batches;
                }
                count += found.len();
                kept.push(found);
            }
        }
        out.reserve_exact(count - out.len() + usize::from(stopped.is_some()));
        out.extend(kept.into_iter().flatten());
        out.extend(stopped);
    }
}

/// The figures of `team`: none computed for a team touched by a front-end
/// error, which is neither checked nor analysed.
fn team_figures(team: &model::Team, norms: &Norms) -> TeamFigures {
    if team.has_errors { TeamFigures::unanalysed() } else { TeamFigures::of(team, norms) }
}

/// The primary spans of the problems found before the build, in order.
fn earlier(diagnostics: &[Diagnostic]) -> Vec<Span> {
    let mut earlier: Vec<Span> = diagnostics.iter().map(Diagnostic::primary_span).collect();
    earlier.sort();
    earlier
}

/// Teams checked in parallel between two looks at the findings limit.
const TEAM_BATCH: usize = 256;

/// A team whose queueing figures could not be computed (a load beyond the
/// model's bound) is not judged on them: say so, at its demand, rather than
/// pass it in silence. Stability is exact and S001 still judges it.
fn not_computed(team: &crate::model::Team, figures: &TeamFigures, out: &mut Vec<Diagnostic>) {
    let (Some(why), Some(demand), Some(_)) = (figures.not_computed, &team.demand, figures.servers) else { return };
    if figures.planned.as_ref().is_some_and(|q| !q.stable) && team.patience.is_none() {
        return;
    }
    let mut d = Diagnostic::error(
        ErrorCode::LimitExceeded,
        format!("the queueing figures of `{}` are not computed: {why}", crate::diagnostic::excerpt(&team.name)),
    )
    .primary(demand.span, "this demand")
    .help("its service level, answer time, abandonment and occupancy are not checked; split the queue into teams of a size the model computes")
    .team(team.name.clone());
    if let Some(agents) = &team.agents {
        d = d.secondary(agents.span, "these agents");
    }
    out.push(d);
}

/// A finding made entirely of statements from `defaults` would not show
/// which team it is about: label the team's name too.
fn name_the_team(finding: &mut Diagnostic, team: &crate::model::Team) {
    let inside = |span: Span| span.start >= team.span.start && span.end <= team.span.end;
    if !finding.labels.iter().any(|l| inside(l.span)) {
        finding.add_secondary(team.name_span, "this team");
    }
}

/// Orders diagnostics for reading: by the team they are about in file order
/// (file-level ones by their own position), then by primary position, code
/// and message. Findings whose statements sit in `defaults` so stay with
/// their team.
fn sort(diagnostics: &mut [Diagnostic], policy: Option<&Policy>) {
    let mut teams = std::collections::HashMap::with_capacity(policy.map_or(0, |p| p.teams.len()));
    teams.extend(policy.iter().flat_map(|p| &p.teams).map(|t| (t.name.as_str(), t.name_span)));
    let team_at = |d: &Diagnostic| -> Span {
        d.team.as_deref().and_then(|name| teams.get(name).copied()).unwrap_or_else(|| d.primary_span())
    };
    // The team's position is looked up once per diagnostic, not once per
    // comparison; the sort orders small keys, and the diagnostics are then
    // moved into that order in place.
    let mut keys: Vec<(Span, Span, usize)> =
        diagnostics.iter().enumerate().map(|(i, d)| (team_at(d), d.primary_span(), i)).collect();
    let tie = |i: usize| diagnostics.get(i).map(|d| (&d.code, &d.message));
    keys.par_sort_by(|&(team_a, at_a, a), &(team_b, at_b, b)| (team_a, at_a, tie(a)).cmp(&(team_b, at_b, tie(b))));
    permute(diagnostics, keys.into_iter().map(|(_, _, i)| i).collect());
}

/// Reorders `items` so that the item at `order[i]` comes `i`th, by following
/// the permutation's cycles: no second vector of items.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        // Each step puts one item in its place and marks it done.
        while let Some(&from) = order.get(at)
            && from != start
        {
            if let Some(slot) = order.get_mut(at) {
                *slot = at;
            }
            items.swap(at, from);
            at = from;
        }
        if let Some(slot) = order.get_mut(at) {
            *slot = at;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// `permute` puts the item at `order[i]` in place `i`, for any
        /// permutation.
        #[test]
        fn permute_follows_the_order(order in (0usize..50).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())) {
            let items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            let mut permuted = items;
            super::permute(&mut permuted, order);
            prop_assert_eq!(permuted, expected);
        }
    }
}
