//! What every test of the binary needs: running it, reading its streams and
//! its JSON, validating against a schema.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root: fixtures, policies and README.md live there.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Runs the binary in `dir`, without colour and with the terminal width
/// it would have in CI.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_supportlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap()
}

/// Runs the binary at the repository root.
pub fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

/// Standard output, which must be UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A JSON file of the repository.
pub fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap()).unwrap()
}

/// Fails with the first ten errors when `instance` does not match `schema`.
pub fn validate(schema: &Value, instance: &Value) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(instance).take(10).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "does not match the schema:\n{}", errors.join("\n"));
}
