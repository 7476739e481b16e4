//! The configuration, `supportlint.yaml`: rule levels by code, name or
//! category, norm overrides, `fail_on`, limits, suppression settings, and
//! `extends` of another file. This module parses text (serde-saphyr keeps
//! the position of every key and value); `extends` is followed through a
//! loader the caller gives, so the library does no IO. Rule names are looked
//! up when the configuration is applied to a checker, which knows the rules
//! registered on it. Every problem is a diagnostic at its line.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use super::levels::{Level, NotSettable, Resolved, RuleLevels};
use super::suppress::SuppressionPolicy;
use crate::diagnostic::excerpt;
use crate::model::norms::{NORM_NAMES, Norms};
use crate::model::units::{Ratio, Seconds};
use crate::model::vocab::{Channel, Promise, closest, unknown_word};
use crate::rules::{Catalog, Category, Lookup};
use crate::rules::{InvalidConfig, UnknownRule};
use crate::syntax::Limits;
use crate::syntax::ast::QValue;
use crate::{Diagnostic, Severity, Source, Span};

/// From what severity findings fail a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Errors only (the default).
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never: report, but always succeed.
    Never,
}

impl FailOn {
    /// Parses `error`, `warning`, `info` or `never`.
    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "info" => Some(FailOn::Info),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }

    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// Norm overrides of one configuration file, applied over the defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NormsPatch {
    floors: Vec<(Promise, Channel, Seconds)>,
    typical: Vec<(Channel, Seconds)>,
    ratios: Vec<(&'static str, Ratio)>,
    max_concurrency: Option<u32>,
}

impl NormsPatch {
    /// Applies the overrides to `norms`.
    pub fn apply(&self, norms: &mut Norms) {
        for &(p, c, s) in &self.floors {
            norms.handle_time_floor.insert((p, c), s);
        }
        for &(c, s) in &self.typical {
            norms.typical_handle_time.insert(c, s);
        }
        for &(name, r) in &self.ratios {
            match name {
                "max_occupancy" => norms.max_occupancy = r,
                "max_occupancy_high_load" => norms.max_occupancy_high_load = r,
                "max_preventable_share" => norms.max_preventable_share = r,
                _ => norms.max_approval_share = r,
            }
        }
        if let Some(n) = self.max_concurrency {
            norms.max_concurrency = n;
        }
    }
}

/// How to name a rule, for X002 wherever a name is unknown.
pub const UNKNOWN_RULE_HELP: &str = "name a rule by code (`K001`) or name (`one-off-training`), or a category (`staffing`); `supportlint rules` lists them";

/// A name written in a configuration (a rule, a category), with where it
/// is written, so that a problem found when the name is looked up is
/// reported at its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// The name as written.
    pub name: String,
    /// The file and the span, when it comes from a file.
    pub at: Option<(Source, Span)>,
}

/// One configuration file, parsed: its values checked, its rule names not
/// yet looked up (a checker knows the rules registered on it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigFile {
    /// `extends`: the path as written, and where.
    pub extends: Option<(String, Span)>,
    /// `fail_on`.
    pub fail_on: Option<FailOn>,
    /// `rules`: names and levels, in file order.
    pub rules: Vec<(Named, Level)>,
    /// `norms`.
    pub norms: NormsPatch,
    /// `suppressions`: what every `allow` must satisfy.
    pub suppressions: SuppressionsPatch,
    /// `limits`: bounds on policy files, within their ceilings.
    pub limits: Vec<(&'static str, usize)>,
}

/// The `suppressions:` settings of one configuration file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuppressionsPatch {
    /// `require_owner`.
    pub require_owner: Option<bool>,
    /// `max_days`.
    pub max_days: Option<u32>,
    /// `forbid`: rules and categories, by name.
    pub forbid: Option<Vec<Named>>,
}

/// A configuration: what `supportlint.yaml` (and the files it extends) or
/// code sets, to apply to a [`crate::Checker`] with
/// [`crate::Checker::with_config`]. Built from YAML text without IO
/// ([`Config::from_yaml`], [`Config::from_yaml_with`] for `extends`), or in
/// code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    /// Norms: the defaults with every file's overrides applied.
    pub norms: Norms,
    /// `fail_on`, if any file sets it.
    pub fail_on: Option<FailOn>,
    /// Limits on policy files (each within its ceiling when applied).
    pub limits: Limits,
    rules: Vec<(Named, Level)>,
    overrides: Vec<(Named, Level)>,
    require_owner: bool,
    max_days: Option<u32>,
    forbid: Vec<Named>,
}

/// A configuration's names looked up in a checker's catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The rule levels.
    pub levels: RuleLevels,
    /// What every `allow` must satisfy.
    pub suppressions: SuppressionPolicy,
    /// Names taken to be rules of policies (kebab-case, no rule of the
    /// catalog): only the policies can confirm them.
    pub custom: Vec<Named>,
}

/// One problem of a configuration, and the file it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    /// What is wrong, located in `source`.
    pub diagnostic: Diagnostic,
    /// The file, when the problem is in one.
    pub source: Option<Source>,
}

/// Why a configuration cannot be used: every problem found (X002 for a name
/// that is no rule, X003 for the rest), each at its line.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    problems: Vec<ConfigProblem>,
    partial: Option<Box<Config>>,
}

impl ConfigError {
    /// Every problem, in file and line order.
    pub fn problems(&self) -> &[ConfigProblem] {
        &self.problems
    }

    /// The configuration as far as it could be read, when reading got that
    /// far: resolving it finds the problems of names as well, so that one
    /// run reports every problem of a file.
    pub fn partial(&self) -> Option<&Config> {
        self.partial.as_deref()
    }

    fn problems_in(source: &Source, diagnostics: Vec<Diagnostic>) -> impl Iterator<Item = ConfigProblem> + '_ {
        diagnostics.into_iter().map(|diagnostic| ConfigProblem { diagnostic, source: Some(source.clone()) })
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.problems.first() else { return f.write_str("the configuration has errors") };
        if let Some(source) = &first.source {
            let at = source.line_col(first.diagnostic.primary_span().start as usize);
            write!(f, "{}:{}:{}: ", crate::escape::visible(source.name()), at.line, at.column)?;
        }
        write!(f, "{}", crate::escape::visible(&first.diagnostic.message))?;
        if self.problems.len() > 1 {
            write!(f, " (and {} more problems)", self.problems.len() - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problems.first().map(|p| Box::new(p.diagnostic.code.clone()) as Box<dyn fmt::Display>)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problems.first()?.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.problems.first()?.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let first = self.problems.first().filter(|p| p.source.is_some())?;
        Some(Box::new(first.diagnostic.labels.iter().map(|l| {
            miette::LabeledSpan::new_with_span(Some(l.message.clone()), (l.span.start as usize, l.span.len()))
        })))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        None
    }
}

impl Config {
    /// Layers `file` over `self` key by key: its rule levels, norms, limits
    /// and `fail_on` win where it sets them.
    pub fn layer(&mut self, file: &ConfigFile) {
        self.rules.extend(file.rules.iter().cloned());
        file.norms.apply(&mut self.norms);
        if file.fail_on.is_some() {
            self.fail_on = file.fail_on;
        }
        let s = &file.suppressions;
        if let Some(require) = s.require_owner {
            self.require_owner = require;
        }
        if s.max_days.is_some() {
            self.max_days = s.max_days;
        }
        if let Some(forbid) = &s.forbid {
            self.forbid = forbid.clone();
        }
        for &(name, value) in &file.limits {
            set_limit(&mut self.limits, name, value);
        }
    }

    /// Sets the level of a rule (by code or name) or a category over every
    /// file's, as `--level` does: a category set here also replaces the
    /// files' levels for single rules of that category.
    pub fn set_level(&mut self, name: &str, level: Level) {
        self.overrides.push((Named { name: name.to_string(), at: None }, level));
    }

    /// The configuration of one file's text, without `extends` (a file that
    /// has one needs [`Config::from_yaml_with`]).
    pub fn from_yaml(source: &Source) -> Result<Config, ConfigError> {
        Config::from_yaml_with(source.clone(), &mut |path: &str, _: &Source| {
            Err(format!("`{path}` cannot be read here: no loader was given for `extends`"))
        })
    }

    /// The configuration of a file's text and of the files its `extends`
    /// names, each read with `load` (given the path as written and the file
    /// that names it; it returns the file's text, or why not): a service can
    /// keep its configurations in a database. The file named first wins,
    /// key by key; a chain longer than 16 files is refused.
    pub fn from_yaml_with(
        source: Source,
        load: &mut dyn FnMut(&str, &Source) -> Result<Source, String>,
    ) -> Result<Config, ConfigError> {
        let mut files: Vec<ConfigFile> = Vec::new();
        let mut problems = Vec::new();
        let mut next = Some(source);
        while let Some(source) = next.take() {
            let (file, diagnostics) = parse_partial(&source);
            problems.extend(ConfigError::problems_in(&source, diagnostics));
            if let Some((path, span)) = &file.extends {
                let refuse = |message: String| ConfigProblem {
                    diagnostic: Diagnostic::new(
                        InvalidConfig::META.code,
                        InvalidConfig::META.name,
                        Severity::Error,
                        message,
                    )
                    .in_category(Category::Suppression)
                    .primary(*span, "named here")
                    .help("`extends` is a path relative to the file that names it"),
                    source: Some(source.clone()),
                };
                if files.len() + 1 >= MAX_EXTENDS {
                    problems.push(refuse(format!(
                        "cannot use `extends: {}`: the `extends` chain is longer than {MAX_EXTENDS} files",
                        excerpt(path)
                    )));
                } else {
                    match load(path, &source) {
                        Ok(loaded) => next = Some(loaded),
                        Err(why) => problems.push(refuse(format!("cannot use `extends: {}`: {why}", excerpt(path)))),
                    }
                }
            }
            files.push(file);
        }
        // The file named first wins: layer from the end of the chain.
        let mut config = Config::default();
        for file in files.iter().rev() {
            config.layer(file);
        }
        if problems.is_empty() { Ok(config) } else { Err(ConfigError { problems, partial: Some(Box::new(config)) }) }
    }

    /// Looks the configuration's names up in `catalog`: rule levels, the
    /// rules and categories `allow` may not silence, and the names taken to
    /// be rules of policies. Every name that is no rule is reported.
    pub fn resolve(&self, catalog: &Catalog) -> Result<Resolution, ConfigError> {
        let mut problems = Vec::new();
        let mut custom = Vec::new();
        // The files' levels, then those set in code over them.
        let mut levels = levels_of(&self.rules, catalog, &mut custom, &mut problems);
        levels.override_with(&levels_of(&self.overrides, catalog, &mut custom, &mut problems));
        let mut suppressions = SuppressionPolicy {
            require_owner: self.require_owner,
            max_days: self.max_days,
            ..SuppressionPolicy::default()
        };
        for named in &self.forbid {
            if let Some(category) = Category::ALL.iter().find(|c| c.as_str() == named.name) {
                suppressions.forbidden_categories.push(*category);
                continue;
            }
            match catalog.lookup(&named.name) {
                Lookup::Found(meta) => suppressions.forbidden_rules.push(meta.code.to_string()),
                // A policy's own rule: only the policies know it.
                Lookup::Unknown(None) if crate::model::is_kebab(&named.name) => {
                    suppressions.forbidden_rules.push(named.name.clone())
                }
                Lookup::Unknown(suggestion) => problems.push(not_settable(named, NotSettable::Unknown(suggestion))),
            }
        }
        if problems.is_empty() {
            Ok(Resolution { levels, suppressions, custom })
        } else {
            Err(ConfigError { problems, partial: None })
        }
    }
}

/// The levels of `entries`, looked up in `catalog`: names taken to be rules
/// of policies go to `custom`, names that cannot be set to `problems`.
fn levels_of(
    entries: &[(Named, Level)],
    catalog: &Catalog,
    custom: &mut Vec<Named>,
    problems: &mut Vec<ConfigProblem>,
) -> RuleLevels {
    let mut levels = RuleLevels::default();
    for (named, level) in entries {
        match levels.set(catalog, &named.name, *level) {
            Ok(Resolved::BuiltIn) => {}
            Ok(Resolved::Custom) => custom.push(named.clone()),
            Err(why) => problems.push(not_settable(named, why)),
        }
    }
    levels
}

/// Most files in one `extends` chain.
pub const MAX_EXTENDS: usize = 16;

/// Sets the limit called `name` (one of [`LIMIT_KEYS`]).
fn set_limit(limits: &mut Limits, name: &str, value: usize) {
    match name {
        "max_file_bytes" => limits.max_file_bytes = value,
        "max_nesting" => limits.max_nesting = value,
        "max_teams" => limits.max_teams = value,
        "max_statements" => limits.max_statements = value,
        "max_rules" => limits.max_rules = value,
        "max_inherited" => limits.max_inherited = value,
        _ => limits.max_findings = value,
    }
}

/// The limits `supportlint.yaml` may set, with their ceilings.
const LIMIT_KEYS: [&str; 7] =
    ["max_file_bytes", "max_nesting", "max_teams", "max_statements", "max_rules", "max_inherited", "max_findings"];

fn ceiling_of(name: &str) -> usize {
    let c = Limits::CEILINGS;
    match name {
        "max_file_bytes" => c.max_file_bytes,
        "max_nesting" => c.max_nesting,
        "max_teams" => c.max_teams,
        "max_statements" => c.max_statements,
        "max_rules" => c.max_rules,
        "max_inherited" => c.max_inherited,
        _ => c.max_findings,
    }
}

/// The diagnostic for a name a level or `forbid` cannot take.
fn not_settable(named: &Named, why: NotSettable) -> ConfigProblem {
    let span = named.at.as_ref().map_or(Span::point(0), |(_, span)| *span);
    let name = excerpt(&named.name);
    let diagnostic = match why {
        NotSettable::AlwaysError => Diagnostic::new(
            InvalidConfig::META.code,
            InvalidConfig::META.name,
            Severity::Error,
            format!("`{name}` cannot be configured: it is always an error"),
        )
        .primary(span, "always an error")
        .help("front-end and configuration errors always stop a check: fix the file instead"),
        NotSettable::Unknown(suggestion) => {
            let label = suggestion.map_or("not a rule or category".to_string(), |s| format!("did you mean `{s}`?"));
            Diagnostic::new(
                UnknownRule::META.code,
                UnknownRule::META.name,
                Severity::Error,
                format!("`{name}` names no rule"),
            )
            .primary(span, label)
            .help(UNKNOWN_RULE_HELP)
        }
    };
    ConfigProblem {
        diagnostic: diagnostic.in_category(Category::Suppression),
        source: named.at.as_ref().map(|(s, _)| s.clone()),
    }
}

// ------------------------------------------------------------- parsing

/// A YAML mapping read in order, keys with their positions.
struct Entries<V>(Vec<(Spanned<String>, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, V>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

/// The keys of the file, and of its `norms`, for reporting unknown ones
/// (all of them, each at its line, where `deny_unknown_fields` would stop at
/// the first).
#[derive(Deserialize)]
struct Keys {
    #[serde(default)]
    norms: Option<Entries<serde::de::IgnoredAny>>,
    #[serde(default)]
    suppressions: Option<Entries<serde::de::IgnoredAny>>,
    #[serde(default)]
    limits: Option<Entries<serde::de::IgnoredAny>>,
}

const TOP_KEYS: [&str; 6] = ["extends", "fail_on", "rules", "norms", "suppressions", "limits"];
const SUPPRESSION_KEYS: [&str; 3] = ["require_owner", "max_days", "forbid"];

#[derive(Deserialize)]
struct RawConfig {
    extends: Option<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    rules: Option<Entries<Spanned<String>>>,
    #[serde(default)]
    norms: Option<RawNorms>,
    #[serde(default)]
    suppressions: Option<RawSuppressions>,
    #[serde(default)]
    limits: Option<Entries<Spanned<String>>>,
}

#[derive(Deserialize)]
struct RawSuppressions {
    require_owner: Option<Spanned<String>>,
    max_days: Option<Spanned<String>>,
    #[serde(default)]
    forbid: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
struct RawNorms {
    #[serde(default)]
    handle_time_floor: Option<Entries<Option<Entries<Spanned<String>>>>>,
    #[serde(default)]
    typical_handle_time: Option<Entries<Spanned<String>>>,
    max_occupancy: Option<Spanned<String>>,
    max_occupancy_high_load: Option<Spanned<String>>,
    max_concurrency: Option<Spanned<String>>,
    max_preventable_share: Option<Spanned<String>>,
    max_approval_share: Option<Spanned<String>>,
}

fn span_of<T>(source: &Source, s: &Spanned<T>) -> Span {
    let span = s.referenced.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(offset), Some(len)) => Span::new(offset as usize, (offset + len) as usize),
        _ => {
            let at = source.offset_of(s.referenced.line() as usize, s.referenced.column() as usize);
            Span::point(at)
        }
    }
}

struct Parser<'s> {
    source: &'s Source,
    shared: Source,
    diagnostics: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn invalid(&mut self, span: Span, message: String, label: &str, help: String) {
        self.diagnostics.push(
            Diagnostic::new(InvalidConfig::META.code, InvalidConfig::META.name, Severity::Error, message)
                .in_category(Category::Suppression)
                .primary(span, label)
                .help(help),
        );
    }

    fn named(&self, key: &Spanned<String>) -> Named {
        Named { name: key.value.clone(), at: Some((self.shared.clone(), span_of(self.source, key))) }
    }

    fn level(&mut self, value: &Spanned<String>) -> Option<Level> {
        let level = Level::parse(&value.value);
        if level.is_none() {
            let span = span_of(self.source, value);
            let label = closest(&value.value, Level::NAMES)
                .map_or("not a level".to_string(), |s| format!("did you mean `{s}`?"));
            self.invalid(
                span,
                format!("`{}` is not a rule level", excerpt(&value.value)),
                &label,
                "levels are `off`, `info`, `warning` and `error`".into(),
            );
        }
        level
    }

    fn rules(&mut self, entries: &Entries<Spanned<String>>) -> Vec<(Named, Level)> {
        let mut rules = Vec::new();
        for (key, value) in &entries.0 {
            if let Some(level) = self.level(value) {
                rules.push((self.named(key), level));
            }
        }
        rules
    }

    fn limits(&mut self, entries: &Entries<Spanned<String>>) -> Vec<(&'static str, usize)> {
        let mut limits = Vec::new();
        for (key, value) in &entries.0 {
            let Some(name) = LIMIT_KEYS.iter().find(|k| **k == key.value) else { continue };
            let ceiling = ceiling_of(name);
            match value.value.parse::<usize>() {
                Ok(n) if n >= 1 && n <= ceiling => limits.push((*name, n)),
                _ => self.invalid(
                    span_of(self.source, value),
                    format!("`{name}` takes a whole number from 1 to {ceiling}, not `{}`", excerpt(&value.value)),
                    "not a limit",
                    format!("limits can be raised up to their ceiling ({ceiling} for `{name}`) or lowered"),
                ),
            }
        }
        limits
    }

    fn value(&mut self, value: &Spanned<String>, what: &str) -> Option<QValue> {
        match crate::syntax::parse_value(&value.value) {
            Some(v) => Some(v),
            None => {
                let span = span_of(self.source, value);
                self.invalid(
                    span,
                    format!("`{}` is not a value for `{what}`", excerpt(&value.value)),
                    "not a value",
                    "write values as in a policy: `85%`, `6m`, `3`".into(),
                );
                None
            }
        }
    }

    fn duration(&mut self, value: &Spanned<String>, what: &str) -> Option<Seconds> {
        match self.value(value, what)? {
            QValue::Duration(s) => Some(Seconds(s)),
            _ => {
                let span = span_of(self.source, value);
                self.invalid(
                    span,
                    format!("`{what}` takes a duration"),
                    "not a duration",
                    "write it like `6m` or `4m30s`".into(),
                );
                None
            }
        }
    }

    fn ratio(&mut self, value: &Spanned<String>, what: &str) -> Option<Ratio> {
        match self.value(value, what)? {
            QValue::Percent(p) => match Ratio::from_percent(p) {
                Some(r) => Some(r),
                None => {
                    let span = span_of(self.source, value);
                    self.invalid(
                        span,
                        format!("`{what}` of {p}% is above 100%"),
                        "above 100%",
                        "percentages run from 0% to 100%".into(),
                    );
                    None
                }
            },
            _ => {
                let span = span_of(self.source, value);
                self.invalid(
                    span,
                    format!("`{what}` takes a percentage"),
                    "not a percentage",
                    "write it like `85%`".into(),
                );
                None
            }
        }
    }

    fn word<T>(
        &mut self,
        key: &Spanned<String>,
        parse: fn(&str) -> Option<T>,
        names: impl Iterator<Item = &'static str> + Clone,
        what: &str,
    ) -> Option<T> {
        if let Some(v) = parse(&key.value) {
            return Some(v);
        }
        let unknown = unknown_word(&key.value, names, what);
        self.invalid(span_of(self.source, key), unknown.message, &unknown.label, unknown.help);
        None
    }

    fn norms(&mut self, raw: &RawNorms) -> NormsPatch {
        let mut patch = NormsPatch::default();
        for (promise_key, channels) in raw.handle_time_floor.iter().flat_map(|e| &e.0) {
            let promise = self.word(promise_key, Promise::parse, Promise::names(), "promise");
            for (channel_key, value) in channels.iter().flat_map(|e| &e.0) {
                let channel = self.word(channel_key, Channel::parse, Channel::names(), "channel");
                let floor = self.duration(value, "handle_time_floor");
                if let (Some(p), Some(c), Some(s)) = (promise, channel, floor) {
                    patch.floors.push((p, c, s));
                }
            }
        }
        for (channel_key, value) in raw.typical_handle_time.iter().flat_map(|e| &e.0) {
            let channel = self.word(channel_key, Channel::parse, Channel::names(), "channel");
            let typical = self.duration(value, "typical_handle_time");
            if let (Some(c), Some(s)) = (channel, typical) {
                patch.typical.push((c, s));
            }
        }
        let ratios = [
            ("max_occupancy", &raw.max_occupancy),
            ("max_occupancy_high_load", &raw.max_occupancy_high_load),
            ("max_preventable_share", &raw.max_preventable_share),
            ("max_approval_share", &raw.max_approval_share),
        ];
        for (name, value) in ratios {
            if let Some(r) = value.as_ref().and_then(|v| self.ratio(v, name)) {
                patch.ratios.push((name, r));
            }
        }
        if let Some(value) = &raw.max_concurrency {
            match self.value(value, "max_concurrency") {
                Some(QValue::Number(n)) if n.is_integer() && n >= crate::num::Rational::ONE => {
                    match u32::try_from(n.numer()) {
                        Ok(n) => patch.max_concurrency = Some(n),
                        Err(_) => {
                            let span = span_of(self.source, value);
                            self.invalid(
                                span,
                                "`max_concurrency` is too large".into(),
                                "too large",
                                "no agent handles more than a handful of contacts at once: write it like `3`".into(),
                            );
                        }
                    }
                }
                Some(_) => {
                    let span = span_of(self.source, value);
                    self.invalid(
                        span,
                        "`max_concurrency` takes a whole number of at least 1".into(),
                        "not a whole number",
                        "write it like `3`".into(),
                    );
                }
                None => {}
            }
        }
        patch
    }
}

impl Parser<'_> {
    fn suppressions(&mut self, raw: &RawSuppressions) -> SuppressionsPatch {
        let mut patch = SuppressionsPatch::default();
        if let Some(value) = &raw.require_owner {
            match value.value.as_str() {
                "true" => patch.require_owner = Some(true),
                "false" => patch.require_owner = Some(false),
                other => self.invalid(
                    span_of(self.source, value),
                    format!("`require_owner` is `true` or `false`, not `{}`", excerpt(other)),
                    "not true or false",
                    "write `require_owner: true`".into(),
                ),
            }
        }
        if let Some(value) = &raw.max_days {
            match value.value.parse::<u32>() {
                Ok(days) if days >= 1 => patch.max_days = Some(days),
                _ => self.invalid(
                    span_of(self.source, value),
                    format!("`max_days` takes a whole number of days of at least 1, not `{}`", excerpt(&value.value)),
                    "not a number of days",
                    "write it like `max_days: 90`: every `allow` then ends at most 90 days ahead".into(),
                ),
            }
        }
        if let Some(names) = &raw.forbid {
            patch.forbid = Some(names.iter().map(|n| self.named(n)).collect());
        }
        patch
    }
}

/// A YAML error as a diagnostic: serde-saphyr's message without its own
/// position (the label carries it).
fn yaml_error(source: &Source, err: &serde_saphyr::Error) -> Diagnostic {
    let plain = err.without_snippet().to_string();
    let first = plain.lines().next().unwrap_or_default();
    // "error: line 5 column 1: unknown field ..." -> "unknown field ..."
    let mut message = first.strip_prefix("error: ").unwrap_or(first);
    if message.starts_with("line ") {
        message = message.split_once(": ").map_or(message, |(_, rest)| rest);
    }
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    };
    let span = err.location().map_or(Span::point(0), |l| match l.span().byte_offset() {
        Some(offset) => Span::point(offset as usize),
        None => Span::point(source.offset_of(l.line() as usize, l.column() as usize)),
    });
    Diagnostic::new(InvalidConfig::META.code, InvalidConfig::META.name, Severity::Error, message.to_string())
        .primary(span, "here")
        .help("`supportlint schema config` prints the configuration's JSON Schema")
}

impl Parser<'_> {
    fn unknown_keys<V>(&mut self, entries: &Entries<V>, known: &[&'static str], within: &str) {
        for (key, _) in &entries.0 {
            if known.contains(&key.value.as_str()) {
                continue;
            }
            let label = closest(&key.value, known.iter().copied())
                .map_or("unknown key".to_string(), |s| format!("did you mean `{s}`?"));
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            self.invalid(
                span_of(self.source, key),
                format!("unknown key `{}`{within}", crate::diagnostic::excerpt(&key.value)),
                &label,
                format!("the keys here are {}", list.join(", ")),
            );
        }
    }
}

/// Parses one configuration file. Problems (unknown keys, rules, levels,
/// values; YAML syntax) are diagnostics on `source`, and make it an `Err`.
pub fn parse(source: &Source) -> Result<ConfigFile, Vec<Diagnostic>> {
    let (file, diagnostics) = parse_partial(source);
    if diagnostics.is_empty() { Ok(file) } else { Err(diagnostics) }
}

/// The file as far as it can be read (every key whose value is sound), and
/// every problem, in line order.
fn parse_partial(source: &Source) -> (ConfigFile, Vec<Diagnostic>) {
    if source.text().trim().is_empty() {
        return (ConfigFile::default(), Vec::new());
    }
    let mut parser = Parser { source, shared: source.clone(), diagnostics: Vec::new() };
    let parsed = serde_saphyr::from_str::<Entries<serde::de::IgnoredAny>>(source.text())
        .and_then(|top| Ok((top, serde_saphyr::from_str::<Keys>(source.text())?)))
        .and_then(|(top, keys)| Ok((top, keys, serde_saphyr::from_str::<RawConfig>(source.text())?)));
    let raw = match parsed {
        Ok((top, keys, raw)) => {
            parser.unknown_keys(&top, &TOP_KEYS, "");
            if let Some(norms) = &keys.norms {
                parser.unknown_keys(norms, NORM_NAMES, " in `norms`");
            }
            if let Some(suppressions) = &keys.suppressions {
                parser.unknown_keys(suppressions, &SUPPRESSION_KEYS, " in `suppressions`");
            }
            if let Some(limits) = &keys.limits {
                parser.unknown_keys(limits, &LIMIT_KEYS, " in `limits`");
            }
            raw
        }
        Err(err) => return (ConfigFile::default(), vec![yaml_error(source, &err)]),
    };
    let fail_on = raw.fail_on.as_ref().and_then(|v| match FailOn::parse(&v.value) {
        Some(f) => Some(f),
        None => {
            let span = span_of(source, v);
            let label = closest(&v.value, ["error", "warning", "info", "never"])
                .map_or("not a level".to_string(), |s| format!("did you mean `{s}`?"));
            parser.invalid(
                span,
                format!("`{}` is not a `fail_on` level", excerpt(&v.value)),
                &label,
                "`fail_on` is `error`, `warning`, `info` or `never`".into(),
            );
            None
        }
    });
    let rules = raw.rules.as_ref().map(|r| parser.rules(r)).unwrap_or_default();
    let limits = raw.limits.as_ref().map(|l| parser.limits(l)).unwrap_or_default();
    let norms = raw.norms.as_ref().map(|n| parser.norms(n)).unwrap_or_default();
    let extends = raw.extends.as_ref().map(|e| (e.value.clone(), span_of(source, e)));
    let suppressions = raw.suppressions.as_ref().map(|s| parser.suppressions(s)).unwrap_or_default();
    parser.diagnostics.sort_by_key(|d| d.primary_span().start);
    (ConfigFile { extends, fail_on, rules, norms, suppressions, limits }, parser.diagnostics)
}

// --------------------------------------------------------------- schema

/// The schema of `supportlint.yaml` (for editors: `supportlint schema
/// config`). Parsing does not use these types; they describe the file.
#[derive(JsonSchema)]
#[schemars(
    title = "supportlint configuration",
    description = "supportlint.yaml: rule levels, norms, fail_on and extends. See README.md.",
    deny_unknown_fields
)]
#[allow(dead_code)]
pub struct ConfigSchema {
    /// Another configuration file to start from, relative to this one; this
    /// file's keys win over it, rule by rule and norm by norm.
    extends: Option<String>,
    /// From what severity findings make `check` exit with 1 (default `error`).
    fail_on: Option<FailOn>,
    /// Rule levels by code (`K001`), name (`one-off-training`) or category
    /// (`staffing`); a rule's own entry wins over its category's.
    rules: Option<std::collections::BTreeMap<String, Level>>,
    /// Norms for every policy checked with this file (a policy's own `norms`
    /// block still wins). Values are written as in a policy: `85%`, `6m`.
    norms: Option<NormsSchema>,
    /// What every `allow` in the policies must satisfy; an `allow` that does
    /// not is reported (X005) and silences nothing.
    suppressions: Option<SuppressionsSchema>,
    /// Bounds on policy files, raised for trusted large files or lowered for
    /// strict services, each within a hard ceiling.
    limits: Option<LimitsSchema>,
}

/// Bounds on policy files.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct LimitsSchema {
    /// Largest file in bytes (default 8 MiB, at most 256 MiB).
    max_file_bytes: Option<u64>,
    /// Deepest nesting of brackets (default 32, at most 128).
    max_nesting: Option<u32>,
    /// Most teams in one file (default 20,000, at most 1,000,000).
    max_teams: Option<u64>,
    /// Most statements in one block or list (default 10,000, at most 1,000,000).
    max_statements: Option<u64>,
    /// Most custom rules in one file (default 200, at most 10,000).
    max_rules: Option<u32>,
    /// Most statements teams inherit from `defaults` in all (default 500,000, at most 100,000,000).
    max_inherited: Option<u64>,
    /// Most diagnostics of one file (default 100,000, or one per 4 bytes; at most 50,000,000).
    max_findings: Option<u64>,
}

/// Requirements on `allow` statements.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct SuppressionsSchema {
    /// Every `allow` names an `owner "NAME"`.
    require_owner: Option<bool>,
    /// Every `allow` ends with an `until` date at most this many days ahead.
    #[schemars(range(min = 1))]
    max_days: Option<u32>,
    /// Rules (by code or name) and categories whose findings may not be
    /// suppressed at all.
    forbid: Option<Vec<String>>,
}

/// Norm overrides.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct NormsSchema {
    /// Shortest handle time a promise needs, by promise and channel: `thorough: { phone: 6m }`.
    handle_time_floor: Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>>,
    /// Handle time assumed when a team states no bound, by channel: `email: 6m`.
    typical_handle_time: Option<std::collections::BTreeMap<String, String>>,
    /// Highest sustainable occupancy (default `85%`).
    max_occupancy: Option<String>,
    /// Highest occupancy for `emotional_load high` (default `75%`).
    max_occupancy_high_load: Option<String>,
    /// Most concurrent chats compatible with care (default `3`).
    #[schemars(range(min = 1))]
    max_concurrency: Option<u32>,
    /// Share of preventable contacts at which process beats training (default `30%`).
    max_preventable_share: Option<String>,
    /// Share of contacts needing approval at which control stops help (default `20%`).
    max_approval_share: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<ConfigFile, Vec<Diagnostic>> {
        parse(&Source::new("supportlint.yaml", text))
    }

    /// Every problem of the file: its values, then its names looked up
    /// among the built-in rules.
    fn lines(text: &str) -> Vec<(u32, String, String)> {
        let source = Source::new("supportlint.yaml", text);
        let result = Config::from_yaml(&source).and_then(|c| c.resolve(&Catalog::default()).map(|_| ()));
        let Err(error) = result else { return Vec::new() };
        let mut found: Vec<(u32, String, String)> = error
            .problems()
            .iter()
            .map(|p| {
                let d = &p.diagnostic;
                (source.line_col(d.primary_span().start as usize).line, d.code.to_string(), d.message.clone())
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn an_empty_file_is_the_default() {
        assert_eq!(parse_text("").unwrap(), ConfigFile::default());
        assert_eq!(parse_text("# nothing yet\n").unwrap(), ConfigFile::default());
    }

    #[test]
    fn a_full_file_parses() {
        let file = parse_text(
            "extends: ../base.yaml\nfail_on: warning\nrules:\n  staffing: error\n  K001: off\n  one-off-training: info\nnorms:\n  max_occupancy: 80%\n  max_concurrency: 2\n  handle_time_floor:\n    thorough:\n      chat: 12m\n",
        )
        .unwrap();
        assert_eq!(file.extends.as_ref().map(|(p, _)| p.as_str()), Some("../base.yaml"));
        assert_eq!(file.fail_on, Some(FailOn::Warning));
        let names: Vec<(&str, Level)> = file.rules.iter().map(|(n, l)| (n.name.as_str(), *l)).collect();
        assert_eq!(names, [("staffing", Level::Error), ("K001", Level::Off), ("one-off-training", Level::Info)]);
        let mut config = Config::default();
        config.layer(&file);
        let levels = config.resolve(&Catalog::default()).unwrap().levels;
        assert!(!levels.enabled("K001", Category::Kpi));
        assert!(levels.enabled("S001", Category::Staffing));
        let mut norms = Norms::default();
        file.norms.apply(&mut norms);
        assert_eq!(norms.max_concurrency, 2);
        assert_eq!(norms.max_occupancy, Ratio::from_percent(crate::num::Rational::from(80)).unwrap());
        assert_eq!(norms.handle_time_floor.get(&(Promise::Thorough, Channel::Chat)), Some(&Seconds::from_secs(720)));
    }

    #[test]
    fn every_problem_is_reported_in_line_order() {
        let found = lines("rules:\n  kpi: sometimes\nfail_on: always\nnorm:\n  x: 1\n");
        let codes: Vec<(u32, &str)> = found.iter().map(|(line, code, _)| (*line, code.as_str())).collect();
        assert_eq!(codes, [(2, "X003"), (3, "X003"), (4, "X003")], "{found:?}");
        // Names are looked up once the values are right.
        let found = lines("rules:\n  K01: off\n  kpi: info\n  not-a-rule-but-kebab: off\n");
        let codes: Vec<(u32, &str)> = found.iter().map(|(line, code, _)| (*line, code.as_str())).collect();
        assert_eq!(codes, [(2, "X002")], "{found:?}");
    }

    #[test]
    fn extends_is_followed_through_the_loader_and_the_first_file_wins() {
        let base = Source::new("base.yaml", "rules:\n  K001: off\n  K002: info\nlimits:\n  max_teams: 50000\n");
        let top = Source::new("top.yaml", "extends: base.yaml\nrules:\n  K001: warning\n");
        let mut asked = Vec::new();
        let config = Config::from_yaml_with(top, &mut |path: &str, from: &Source| {
            asked.push((path.to_string(), from.name().to_string()));
            Ok(base.clone())
        })
        .unwrap();
        assert_eq!(asked, [("base.yaml".to_string(), "top.yaml".to_string())]);
        assert_eq!(config.limits.max_teams, 50_000);
        let levels = config.resolve(&Catalog::default()).unwrap().levels;
        let mut findings = vec![
            Diagnostic::new("K001", "k1", Severity::Error, "m").in_category(Category::Kpi),
            Diagnostic::new("K002", "k2", Severity::Error, "m").in_category(Category::Kpi),
        ];
        levels.apply(&mut findings);
        let severities: Vec<Severity> = findings.iter().map(|d| d.severity).collect();
        assert_eq!(severities, [Severity::Warning, Severity::Info]);
        // Without a loader, `extends` is an error at its line.
        let error = Config::from_yaml(&Source::new("top.yaml", "extends: base.yaml\n")).unwrap_err();
        assert!(error.to_string().starts_with("top.yaml:1:10: cannot use `extends: base.yaml`"), "{error}");
    }

    #[test]
    fn limits_stay_under_their_ceilings() {
        let found = lines("limits:\n  max_teams: 0\n  max_file_bytes: 99999999999999\n  max_fun: 3\n");
        let at: Vec<u32> = found.iter().map(|f| f.0).collect();
        assert_eq!(at, [2, 3, 4], "{found:?}");
    }

    #[test]
    fn yaml_errors_point_at_their_line() {
        let found = lines("rules:\n  K001: off\n   K002: [\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0 >= 2, "{found:?}");
        assert!(!found[0].2.contains("line "), "the position is in the label: {found:?}");
    }

    #[test]
    fn values_of_the_wrong_kind_are_refused() {
        let found =
            lines("norms:\n  max_occupancy: 6m\n  typical_handle_time:\n    email: 80%\n  max_concurrency: 1.5\n");
        let at: Vec<u32> = found.iter().map(|f| f.0).collect();
        assert_eq!(at, [2, 4, 5], "{found:?}");
        let found = lines("norms:\n  max_concurrency: 99999999999\n");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(FailOn::Error.fails(Severity::Error) && !FailOn::Error.fails(Severity::Warning));
        assert!(FailOn::Warning.fails(Severity::Warning) && !FailOn::Warning.fails(Severity::Info));
        assert!(FailOn::Info.fails(Severity::Info));
        assert!(!FailOn::Never.fails(Severity::Error));
    }
}
