//! `supportlint schema config|output`: the JSON Schemas of the
//! configuration file and of `check --format json`.

use std::io::Write;

use supportlint::config::ConfigSchema;
use supportlint::report::json::JsonReport;

use super::exit;

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// `supportlint.yaml`, for editors that validate YAML.
    Config,
    /// The document `check --format json` writes.
    Output,
}

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema to print.
    #[arg(value_enum)]
    which: Which,
}

pub fn run(args: Args) -> u8 {
    let schema = match args.which {
        Which::Config => schemars::schema_for!(ConfigSchema),
        Which::Output => schemars::schema_for!(JsonReport),
    };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    match writeln!(std::io::stdout().lock(), "{text}") {
        Ok(()) => exit::CLEAN,
        Err(_) => exit::ABNORMAL,
    }
}
