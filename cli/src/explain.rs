//! `supportlint explain RULE` and `supportlint rules`.

use supportlint::escape::visible;
use supportlint::report::rules;
use supportlint::rules::{Catalog, Lookup};

use super::exit;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule's code (`K001`) or name (`handle-time-below-promise`).
    rule: String,
}

/// Output formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per rule.
    Human,
    /// One JSON document.
    Json,
}

/// Arguments of `rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Explains a rule of `catalog`: the built-ins, and the rules a binary
/// built on the library registers from Rust.
pub fn explain(args: ExplainArgs, catalog: &Catalog) -> u8 {
    match catalog.lookup(&args.rule) {
        Lookup::Found(meta) => {
            print!("{}", rules::explain(meta));
            exit::CLEAN
        }
        Lookup::Unknown(suggestion) => {
            let hint = suggestion.map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            let rule = visible(&args.rule);
            eprintln!("error: no rule is called `{rule}`{hint}\n`supportlint rules` lists them all");
            exit::ABNORMAL
        }
    }
}

/// Lists the rules of `catalog`.
pub fn list(args: RulesArgs, catalog: &Catalog) -> u8 {
    match args.format {
        Format::Human => print!("{}", rules::table(catalog.metas(), super::width())),
        Format::Json => {
            println!("{}", serde_json::to_string_pretty(&rules::json(catalog.metas())).unwrap_or_default())
        }
    }
    exit::CLEAN
}
