//! Finding and loading `supportlint.yaml`: the nearest one walking up from
//! each checked file, or the one given with `--config`; `extends` is
//! followed (relative to the file that names it), cycles and chains deeper
//! than 16 are refused.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use supportlint::config::Level;
use supportlint::config::{Config, ConfigError};
use supportlint::escape::visible;
use supportlint::model::units::Date;
use supportlint::report::human::{self, Style};
use supportlint::rules::UnknownRule;
use supportlint::{Checker, Diagnostic, Severity, Source, Span};

/// The file name looked for.
pub const FILE_NAME: &str = "supportlint.yaml";
const MAX_CONFIG_BYTES: u64 = 1 << 20;

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
    /// `--level` flags, which win over every file's levels.
    overrides: Vec<(String, Level)>,
    /// Names of custom rules in the files loaded, with the file's text.
    custom_rules: Vec<(Source, String, Span)>,
    /// Rendered configuration errors; any makes the run exit with 2.
    pub errors: Vec<String>,
    style: Style,
    today: Date,
}

impl Configs {
    /// Configurations for a run; `explicit` is `--config`, `overrides` the
    /// levels given with `--level`, which win over every file's.
    pub fn new(explicit: Option<&Path>, overrides: Vec<(String, Level)>, style: Style, today: Date) -> Configs {
        let mut configs = Configs {
            explicit: None,
            by_dir: HashMap::new(),
            by_file: HashMap::new(),
            default: Arc::new(Loaded { config: Config::default(), checker: Checker::new().with_today(today) }),
            today,
            overrides,
            custom_rules: Vec::new(),
            errors: Vec::new(),
            style,
        };
        configs.default = configs.loaded(Config::default());
        if let Some(path) = explicit {
            configs.explicit = Some(configs.load(path));
        }
        configs
    }

    /// A checker for `config` with the `--level` flags over it; its problems
    /// (a name that is no rule) are recorded and the defaults used.
    fn loaded(&mut self, mut config: Config) -> Arc<Loaded> {
        for (name, level) in &self.overrides {
            config.set_level(name, *level);
        }
        let base = Checker::new().with_today(self.today);
        match config.resolve(base.catalog()) {
            Ok(resolution) => {
                for named in resolution.custom {
                    if let Some((source, span)) = named.at {
                        self.custom_rules.push((source, named.name, span));
                    }
                }
            }
            Err(error) => self.report(&error),
        }
        let checker = base.clone().with_config(&config).unwrap_or(base);
        Arc::new(Loaded { config, checker })
    }

    fn report(&mut self, error: &ConfigError) {
        self.report_problems(error.problems());
    }

    fn report_problems(&mut self, problems: &[supportlint::config::ConfigProblem]) {
        for problem in problems {
            match &problem.source {
                Some(source) => self.errors.push(human::render(&problem.diagnostic, source, self.style)),
                None => self.errors.push(format!("error: {}\n", visible(&problem.diagnostic.message))),
            }
        }
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

    /// Prints the configuration errors, then `what_was_not_done`
    /// ("nothing was checked"), when there are any: the command then exits
    /// with 2 without doing its work.
    pub fn refuse(&self, what_was_not_done: &str) -> bool {
        for error in &self.errors {
            eprint!("{error}");
        }
        if !self.errors.is_empty() {
            eprintln!("the configuration has errors; {what_was_not_done}");
        }
        !self.errors.is_empty()
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

    /// Loads the file at `path` and those its `extends` names, each relative
    /// to the file that names it; a loop in the chain is refused.
    fn load(&mut self, path: &Path) -> Arc<Loaded> {
        let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(done) = self.by_file.get(&key) {
            return done.clone();
        }
        let first = match read(path) {
            Ok(source) => source,
            Err(message) => {
                self.errors.push(format!("error: {}: {}\n", visible(&display(path)), visible(&message)));
                let loaded = self.loaded(Config::default());
                self.by_file.insert(key, loaded.clone());
                return loaded;
            }
        };
        // The files read so far, by the name their source carries.
        let mut chain: Vec<(String, PathBuf)> = vec![(first.name().to_string(), key.clone())];
        let mut load = |target: &str, from: &Source| -> Result<Source, String> {
            let from_path =
                chain.iter().find(|(name, _)| name == from.name()).map(|(_, p)| p.clone()).unwrap_or_default();
            let file = from_path.parent().unwrap_or(Path::new(".")).join(target);
            let canonical = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if chain.iter().any(|(_, p)| *p == canonical) {
                return Err("it would loop back to a file already in the chain".to_string());
            }
            let source = read(&file)?;
            chain.push((source.name().to_string(), canonical));
            Ok(source)
        };
        let config = match Config::from_yaml_with(first, &mut load) {
            Ok(config) => config,
            Err(error) => {
                // The names in what could be read are checked too, so one
                // run shows every problem; they are reported in line order.
                let names = error.partial().map(|partial| partial.resolve(Checker::new().catalog()));
                let mut problems = error.problems().to_vec();
                if let Some(Err(more)) = names {
                    problems.extend(more.problems().iter().cloned());
                }
                problems.sort_by_key(|p| {
                    (p.source.as_ref().map(|s| s.name().to_string()), p.diagnostic.primary_span().start)
                });
                self.report_problems(&problems);
                Config::default()
            }
        };
        let result = self.loaded(config);
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
