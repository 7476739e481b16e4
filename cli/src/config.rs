//! Finding and loading `supportlint.yaml`: the nearest one walking up from
//! each checked file, or the one given with `--config`; `extends` is
//! followed (relative to the file that names it), cycles and chains deeper
//! than 16 are refused.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use supportlint::engine::config::{self, Config};
use supportlint::engine::levels::RuleLevels;
use supportlint::model::units::Date;
use supportlint::report::human::{self, Style};
use supportlint::rules::front_end::{InvalidConfig, UnknownRule};
use supportlint::{Checker, Diagnostic, Severity, Source, Span};

/// The file name looked for.
pub const FILE_NAME: &str = "supportlint.yaml";
const MAX_CONFIG_BYTES: u64 = 1 << 20;
const MAX_EXTENDS: usize = 16;

/// A configuration and the checker built from it.
pub struct Loaded {
    /// The merged configuration.
    pub config: Config,
    /// A checker with its levels and norms.
    pub checker: Checker,
}

/// Loads configurations, each once.
pub struct Configs {
    explicit: Option<Arc<Loaded>>,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    by_file: HashMap<PathBuf, Arc<Loaded>>,
    default: Arc<Loaded>,
    overrides: RuleLevels,
    /// Names of custom rules in the files loaded, with the file's text.
    custom_rules: Vec<(Source, String, Span)>,
    /// Rendered configuration errors; any makes the run exit with 2.
    pub errors: Vec<String>,
    style: Style,
    today: Date,
}

fn loaded(mut config: Config, overrides: &RuleLevels, today: Date) -> Loaded {
    config.levels.override_with(overrides);
    let checker = Checker::new()
        .with_levels(config.levels.clone())
        .with_norms(config.norms.clone())
        .with_suppression_policy(config.suppressions.clone())
        .with_today(today);
    Loaded { config, checker }
}

impl Configs {
    /// Configurations for a run; `explicit` is `--config`, `overrides` the
    /// levels given with `--level`, which win over every file's.
    pub fn new(explicit: Option<&Path>, overrides: RuleLevels, style: Style, today: Date) -> Configs {
        let mut configs = Configs {
            explicit: None,
            by_dir: HashMap::new(),
            by_file: HashMap::new(),
            default: Arc::new(loaded(Config::default(), &overrides, today)),
            today,
            overrides,
            custom_rules: Vec::new(),
            errors: Vec::new(),
            style,
        };
        if let Some(path) = explicit {
            configs.explicit = Some(configs.load(path));
        }
        configs
    }

    /// The configuration for a policy file.
    pub fn for_file(&mut self, file: &Path) -> Arc<Loaded> {
        if let Some(explicit) = &self.explicit {
            return explicit.clone();
        }
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        match self.find(&dir) {
            Some(path) => self.load(&path),
            None => self.default.clone(),
        }
    }

    /// The configuration for a text that is no file (an editor's unsaved
    /// buffer): `--config` if given, else the defaults.
    pub fn without_file(&self) -> Arc<Loaded> {
        self.explicit.clone().unwrap_or_else(|| self.default.clone())
    }

    /// The nearest `supportlint.yaml` in `dir` or above it.
    fn find(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.by_dir.get(dir) {
            return found.clone();
        }
        let absolute = fs::canonicalize(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }).ok();
        let found = absolute
            .as_deref()
            .and_then(|dir| dir.ancestors().map(|d| d.join(FILE_NAME)).find(|candidate| candidate.is_file()));
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn load(&mut self, path: &Path) -> Arc<Loaded> {
        let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(done) = self.by_file.get(&key) {
            return done.clone();
        }
        let mut chain: Vec<PathBuf> = Vec::new();
        let mut files = Vec::new();
        let mut next = Some((path.to_path_buf(), None::<(Source, Span)>));
        while let Some((file, named_at)) = next.take() {
            let canonical = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if chain.contains(&canonical) {
                self.report_at(named_at, &file, "it is already in the `extends` chain, which would loop");
                break;
            }
            if chain.len() >= MAX_EXTENDS {
                self.report_at(named_at, &file, &format!("the `extends` chain is longer than {MAX_EXTENDS} files"));
                break;
            }
            chain.push(canonical);
            let source = match read(&file) {
                Ok(source) => source,
                Err(message) => {
                    self.report_at(named_at, &file, &message);
                    break;
                }
            };
            match config::parse(&source) {
                Ok(parsed) => {
                    for (name, span) in &parsed.custom_rules {
                        self.custom_rules.push((source.clone(), name.clone(), *span));
                    }
                    next = parsed.extends.clone().map(|(target, span)| {
                        let base = file.parent().unwrap_or(Path::new("."));
                        (base.join(target), Some((source.clone(), span)))
                    });
                    files.push(parsed);
                }
                Err(diagnostics) => {
                    for d in &diagnostics {
                        self.errors.push(human::render(d, &source, self.style));
                    }
                    break;
                }
            }
        }
        // The file named first wins: layer from the end of the chain.
        let mut merged = Config::default();
        for file in files.iter().rev() {
            merged.layer(file);
        }
        let result = Arc::new(loaded(merged, &self.overrides, self.today));
        self.by_file.insert(key, result.clone());
        result
    }

    /// Warnings for the names in `rules` taken to be custom rules that no
    /// policy in `defined` defines (a misspelling, or a rule since removed):
    /// the first [`MAX_UNDEFINED_SHOWN`] in full, then one line counting the
    /// rest, so a configuration of 50,000 such names costs no more to report.
    pub fn undefined_custom_rules(&self, defined: &std::collections::BTreeSet<&str>) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        let mut undefined = self
            .custom_rules
            .iter()
            .filter(|(source, name, span)| !defined.contains(name.as_str()) && seen.insert((source.name(), *span)));
        let mut warnings: Vec<String> = undefined
            .by_ref()
            .take(MAX_UNDEFINED_SHOWN)
            .map(|(source, name, span)| {
                let d = Diagnostic::new(
                    UnknownRule::META.code,
                    UnknownRule::META.name,
                    Severity::Warning,
                    format!("`{name}` names no built-in rule, and no checked policy defines a rule of that name"),
                )
                .primary(
                    *span,
                    supportlint::model::vocab::closest(name, defined.iter().copied())
                        .map_or("no such rule in the files checked".to_string(), |s| format!("did you mean `{s}`?")),
                )
                .help("a custom rule is named in `rule \"...\"` in a policy; check the spelling, or remove the entry");
                human::render(&d, source, self.style)
            })
            .collect();
        let more = undefined.count();
        if more > 0 {
            warnings.push(format!(
                "warning: {more} more names in `rules` are no built-in rule and no checked policy defines them\n"
            ));
        }
        warnings
    }

    fn report_at(&mut self, named_at: Option<(Source, Span)>, file: &Path, message: &str) {
        match named_at {
            Some((source, span)) => {
                let d = Diagnostic::new(
                    InvalidConfig::META.code,
                    InvalidConfig::META.name,
                    Severity::Error,
                    format!("cannot use `extends: {}`: {message}", display(file)),
                )
                .primary(span, "named here")
                .help("`extends` is a path relative to the file that names it");
                self.errors.push(human::render(&d, &source, self.style));
            }
            None => self.errors.push(format!("error: {}: {message}\n", display(file))),
        }
    }
}

/// How many undefined custom rule names are reported one by one.
const MAX_UNDEFINED_SHOWN: usize = 20;

/// Reads a configuration file, bounded in size.
fn read(path: &Path) -> Result<Source, String> {
    Ok(Source::new(display(path), super::files::read_text(path, MAX_CONFIG_BYTES)?))
}

/// A path as users see it: relative to the working directory when it is
/// below it (discovery works on absolute paths).
fn display(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| fs::canonicalize(cwd).ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative.as_deref().unwrap_or(path).display().to_string()
}
