//! Rule levels: which rules run and how serious their findings are, set by
//! code, name or category (most specific wins). Front-end errors are always
//! errors.

use std::collections::BTreeMap;

use crate::model::vocab::closest;
use crate::rules::{Catalog, Category};
use crate::{Diagnostic, Severity};

/// A configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not run.
    Off,
    /// Reported as advice.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

impl Level {
    /// The level names, mildest first.
    pub const NAMES: [&'static str; 4] = ["off", "info", "warning", "error"];

    /// Parses `off`, `info`, `warning` or `error`.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    /// The severity, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// What a name given a level turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// A built-in rule or a category.
    BuiltIn,
    /// A kebab-case name far from every built-in one: taken to be a custom
    /// rule, which only the policies define. The caller may warn when no
    /// checked policy does.
    Custom,
}

/// Why a level could not be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSettable {
    /// A front-end error, the `syntax` category or `invalid-config`: these
    /// are always errors.
    AlwaysError,
    /// No rule or category has this name; the closest one, if any.
    Unknown(Option<&'static str>),
}

impl std::fmt::Display for NotSettable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSettable::AlwaysError => f.write_str("front-end and configuration errors are always errors"),
            NotSettable::Unknown(Some(closest)) => {
                write!(f, "no rule or category has this name; did you mean `{closest}`?")
            }
            NotSettable::Unknown(None) => f.write_str("no rule or category has this name"),
        }
    }
}

impl std::error::Error for NotSettable {}

/// A custom rule's name: kebab-case, `[a-z][a-z0-9-]*`.
fn is_kebab_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Levels set for categories and for single rules (by code; a rule of a
/// policy by its name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleLevels {
    categories: BTreeMap<Category, Level>,
    rules: BTreeMap<String, (Category, Level)>,
}

impl RuleLevels {
    /// Sets the level of every rule of `category`.
    pub fn set_category(&mut self, category: Category, level: Level) {
        self.categories.insert(category, level);
    }

    /// Sets the level of a rule by code or name, or of a category by name,
    /// looking names up in `catalog` (the built-in rules and those a checker
    /// registered). A kebab-case name that is no rule of the catalog and not
    /// close to one is taken as a custom rule's; anything else unknown is
    /// refused, with the closest name.
    pub fn set(&mut self, catalog: &Catalog, name: &str, level: Level) -> Result<Resolved, NotSettable> {
        if let Some(category) = Category::ALL.iter().find(|c| c.as_str() == name) {
            if *category == Category::Syntax {
                return Err(NotSettable::AlwaysError);
            }
            self.set_category(*category, level);
            return Ok(Resolved::BuiltIn);
        }
        match catalog.find(name) {
            Some(meta) if meta.category == Category::Syntax || meta.code == "X003" => Err(NotSettable::AlwaysError),
            Some(meta) => {
                self.rules.insert(meta.code.to_string(), (meta.category, level));
                Ok(Resolved::BuiltIn)
            }
            None => {
                let categories = Category::ALL.iter().map(|c| c.as_str());
                let rules = catalog.metas().filter(|m| m.category != Category::Syntax).flat_map(|m| [m.code, m.name]);
                match closest(name, rules.chain(categories)) {
                    None if is_kebab_case(name) => {
                        self.rules.insert(name.to_string(), (Category::Custom, level));
                        Ok(Resolved::Custom)
                    }
                    suggestion => Err(NotSettable::Unknown(suggestion)),
                }
            }
        }
    }

    /// Lays `other` over `self` as a whole: a category `other` sets also
    /// replaces `self`'s entries for single rules of that category (the
    /// command line over a configuration). Within `other`, a rule's entry
    /// still beats its category's.
    pub fn override_with(&mut self, other: &RuleLevels) {
        self.rules.retain(|_, (category, _)| !other.categories.contains_key(category));
        self.merge(other);
    }

    /// Adds `other`'s levels, which win over `self`'s.
    pub fn merge(&mut self, other: &RuleLevels) {
        self.categories.extend(other.categories.iter().map(|(k, v)| (*k, *v)));
        self.rules.extend(other.rules.iter().map(|(k, v)| (k.clone(), *v)));
    }

    /// The level configured for the rule with `code` in `category`, if any.
    fn configured(&self, code: &str, category: Category) -> Option<Level> {
        self.rules.get(code).map(|(_, level)| *level).or_else(|| self.categories.get(&category).copied())
    }

    /// Whether the rule with `code` in `category` runs (a policy's own rules
    /// are in `Custom`, by name).
    pub fn enabled(&self, code: &str, category: Category) -> bool {
        self.configured(code, category) != Some(Level::Off)
    }

    /// The names taken to be rules of policies (`custom`), which only the
    /// policies can confirm.
    pub fn custom_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().filter(|(_, (c, _))| *c == Category::Custom).map(|(name, _)| name.as_str())
    }

    /// Applies the levels: drops findings of rules that are off and sets the
    /// severity of configured ones. Front-end errors are left alone.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| {
            if d.category == Category::Syntax {
                return true;
            }
            match self.configured(&d.code, d.category) {
                Some(level) => match level.severity() {
                    Some(severity) => {
                        d.severity = severity;
                        true
                    }
                    None => false,
                },
                None => true,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    fn finding(code: &'static str) -> Diagnostic {
        let category = Catalog::default().category_of(code);
        let category = if code.starts_with('E') { Category::Syntax } else { category };
        Diagnostic::new(code, code, Severity::Warning, "m".to_string())
            .in_category(category)
            .primary(Span::point(0), "here")
    }

    #[test]
    fn a_rule_entry_wins_over_its_category_and_front_end_errors_stay() {
        let mut levels = RuleLevels::default();
        levels.set_category(Category::Kpi, Level::Off);
        levels.set(&Catalog::default(), "K001", Level::Error).unwrap();
        levels.set_category(Category::Staffing, Level::Info);
        let on = |code| levels.enabled(code, Catalog::default().category_of(code));
        assert!(on("K001") && !on("K002") && on("S001"));
        let mut found = vec![finding("K001"), finding("K002"), finding("S001"), finding("E001"), finding("my-rule")];
        levels.apply(&mut found);
        let kept: Vec<(&str, Severity)> = found.iter().map(|d| (d.code.as_ref(), d.severity)).collect();
        assert_eq!(
            kept,
            [
                ("K001", Severity::Error),
                ("S001", Severity::Info),
                ("E001", Severity::Warning),
                ("my-rule", Severity::Warning)
            ]
        );
    }

    #[test]
    fn merging_lets_the_other_side_win_key_by_key() {
        let catalog = Catalog::default();
        let mut base = RuleLevels::default();
        base.set(&catalog, "K001", Level::Off).unwrap();
        base.set(&catalog, "K002", Level::Info).unwrap();
        let mut over = RuleLevels::default();
        over.set(&catalog, "K001", Level::Warning).unwrap();
        base.merge(&over);
        assert_eq!(base.configured("K001", Category::Kpi), Some(Level::Warning));
        assert_eq!(base.configured("K002", Category::Kpi), Some(Level::Info));
    }
}
