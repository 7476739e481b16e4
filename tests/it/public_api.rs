//! The public API, pinned: the crate's public items, listed from rustdoc's
//! JSON (nightly) and compared with tests/public-api.txt, so that a change
//! to what embedders see is a deliberate diff. After a deliberate change:
//! `UPDATE_PUBLIC_API=1 cargo test --test it public_api`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const LISTING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/public-api.txt");

/// rustdoc's JSON of the library, built with the nightly toolchain into a
/// target directory of its own.
fn rustdoc_json() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = root.join("target").join("public-api");
    let mut command = Command::new("cargo");
    command
        .args(["+nightly", "rustdoc", "-q", "-p", "supportlint", "--lib", "--target-dir"])
        .arg(&target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .current_dir(root);
    for var in ["RUSTUP_TOOLCHAIN", "RUSTC", "RUSTDOC", "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "CARGO_TARGET_DIR"]
    {
        command.env_remove(var);
    }
    let out = command.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "rustdoc JSON needs the nightly toolchain (`rustup toolchain install nightly`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(target.join("doc").join("supportlint.json")).expect("rustdoc wrote its JSON");
    serde_json::from_str(&text).expect("rustdoc's JSON parses")
}

/// Walks the public tree from the crate root and lists every item.
struct Lister<'a> {
    index: &'a serde_json::Map<String, Value>,
    lines: BTreeSet<String>,
    /// Items already listed under a path (a re-export lists its target once
    /// more, under the re-exported path).
    seen: HashMap<String, BTreeSet<String>>,
}

impl<'a> Lister<'a> {
    fn item(&self, id: &Value) -> Option<&'a Value> {
        self.index.get(&id.to_string())
    }

    fn attrs(item: &Value) -> String {
        let non_exhaustive = item["attrs"].as_array().is_some_and(|a| a.iter().any(|a| a == "non_exhaustive"));
        if non_exhaustive { " #[non_exhaustive]".to_string() } else { String::new() }
    }

    fn module(&mut self, id: &Value, path: &str) {
        let Some(module) = self.item(id) else { return };
        if !self.seen.entry(path.to_string()).or_default().insert(id.to_string()) {
            return;
        }
        for child in module["inner"]["module"]["items"].as_array().into_iter().flatten() {
            let Some(item) = self.item(child) else { continue };
            if let Some(reexport) = item["inner"].get("use") {
                if reexport["is_glob"].as_bool() == Some(true) {
                    if let Some(target) = self.item(&reexport["id"]) {
                        let id = target["id"].clone();
                        self.module(&id, path);
                    }
                    continue;
                }
                let name = reexport["name"].as_str().unwrap_or("?");
                match self.item(&reexport["id"]) {
                    Some(target) => self.emit(target, &format!("{path}::{name}")),
                    // A re-export from another crate.
                    None => {
                        self.lines
                            .insert(format!("pub use {path}::{name} = {}", reexport["source"].as_str().unwrap_or("?")));
                    }
                }
                continue;
            }
            let name = item["name"].as_str().unwrap_or("?").to_string();
            self.emit(item, &format!("{path}::{name}"));
        }
    }

    fn emit(&mut self, item: &Value, path: &str) {
        let inner = &item["inner"];
        let attrs = Self::attrs(item);
        let Some((kind, body)) = inner.as_object().and_then(|o| o.iter().next()) else { return };
        match kind.as_str() {
            "module" => {
                self.lines.insert(format!("pub mod {path}"));
                self.module(&item["id"].clone(), path);
            }
            "struct" => {
                self.lines.insert(format!("pub struct {path}{}{attrs}", generics(&body["generics"])));
                let kind = &body["kind"];
                let fields: Vec<&Value> = if let Some(plain) = kind.get("plain") {
                    plain["fields"].as_array().into_iter().flatten().collect()
                } else if let Some(tuple) = kind.get("tuple") {
                    tuple.as_array().into_iter().flatten().filter(|f| !f.is_null()).collect()
                } else {
                    Vec::new()
                };
                for field in fields {
                    if let Some(field) = self.item(field) {
                        let name = field["name"].as_str().unwrap_or("?");
                        self.lines.insert(format!("pub field {path}::{name}: {}", ty(&field["inner"]["struct_field"])));
                    }
                }
                self.impls(&body["impls"], path);
            }
            "enum" => {
                self.lines.insert(format!("pub enum {path}{}{attrs}", generics(&body["generics"])));
                for variant in body["variants"].as_array().into_iter().flatten() {
                    if let Some(variant) = self.item(variant) {
                        let name = variant["name"].as_str().unwrap_or("?");
                        let fields = variant_fields(self, &variant["inner"]["variant"]["kind"]);
                        self.lines.insert(format!("pub variant {path}::{name}{fields}{}", Self::attrs(variant)));
                    }
                }
                self.impls(&body["impls"], path);
            }
            "union" => {
                self.lines.insert(format!("pub union {path}"));
            }
            "function" => {
                self.lines.insert(format!("pub fn {path}{}", signature(body)));
            }
            "trait" => {
                self.lines.insert(format!("pub trait {path}{}", generics(&body["generics"])));
                for member in body["items"].as_array().into_iter().flatten() {
                    if let Some(member) = self.item(member) {
                        let name = format!("{path}::{}", member["name"].as_str().unwrap_or("?"));
                        self.member(member, &name);
                    }
                }
            }
            "constant" => {
                self.lines.insert(format!("pub const {path}: {}", ty(&body["type"])));
            }
            "static" => {
                self.lines.insert(format!("pub static {path}: {}", ty(&body["type"])));
            }
            "type_alias" => {
                self.lines.insert(format!("pub type {path} = {}", ty(&body["type"])));
            }
            "macro" | "proc_macro" => {
                self.lines.insert(format!("pub macro {path}"));
            }
            other => {
                self.lines.insert(format!("pub {other} {path}"));
            }
        }
    }

    /// An associated item of an impl or trait.
    fn member(&mut self, member: &Value, path: &str) {
        let inner = &member["inner"];
        if let Some(function) = inner.get("function") {
            self.lines.insert(format!("pub fn {path}{}", signature(function)));
        } else if let Some(constant) = inner.get("assoc_const") {
            self.lines.insert(format!("pub const {path}: {}", ty(&constant["type"])));
        } else if inner.get("assoc_type").is_some() {
            self.lines.insert(format!("pub type {path}"));
        }
    }

    fn impls(&mut self, impls: &Value, path: &str) {
        for id in impls.as_array().into_iter().flatten() {
            let Some(block) = self.item(id) else { continue };
            let block = &block["inner"]["impl"];
            if !block["blanket_impl"].is_null() {
                continue;
            }
            match block["trait"].as_object() {
                Some(tr) => {
                    let negative = if block["is_negative"].as_bool() == Some(true) { "!" } else { "" };
                    let name = tr["path"].as_str().unwrap_or("?");
                    // Compiler-internal markers, not promises to embedders.
                    if matches!(name, "Freeze" | "StructuralPartialEq") {
                        continue;
                    }
                    self.lines.insert(format!("impl {negative}{name} for {path}"));
                }
                None => {
                    for member in block["items"].as_array().into_iter().flatten() {
                        if let Some(member) = self.item(member) {
                            if member["visibility"] != "public" {
                                continue;
                            }
                            let name = format!("{path}::{}", member["name"].as_str().unwrap_or("?"));
                            self.member(member, &name);
                        }
                    }
                }
            }
        }
    }
}

fn variant_fields(lister: &Lister<'_>, kind: &Value) -> String {
    if let Some(tuple) = kind.get("tuple") {
        let types: Vec<String> = tuple
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| lister.item(f).map_or("_".to_string(), |f| ty(&f["inner"]["struct_field"])))
            .collect();
        return format!("({})", types.join(", "));
    }
    if let Some(fields) = kind.get("struct").and_then(|s| s["fields"].as_array()) {
        let fields: Vec<String> = fields
            .iter()
            .filter_map(|f| lister.item(f))
            .map(|f| format!("{}: {}", f["name"].as_str().unwrap_or("?"), ty(&f["inner"]["struct_field"])))
            .collect();
        return format!(" {{ {} }}", fields.join(", "));
    }
    String::new()
}

fn generics(generics: &Value) -> String {
    let params: Vec<String> = generics["params"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            // `impl Trait` arguments appear as synthetic parameters.
            p["kind"]["type"]["is_synthetic"].as_bool() != Some(true)
        })
        .map(|p| p["name"].as_str().unwrap_or("?").to_string())
        .collect();
    if params.is_empty() { String::new() } else { format!("<{}>", params.join(", ")) }
}

fn signature(function: &Value) -> String {
    let sig = &function["sig"];
    let inputs: Vec<String> = sig["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let name = pair[0].as_str().unwrap_or("_");
            let t = ty(&pair[1]);
            if name == "self" { t.replace("Self", "self") } else { format!("{name}: {t}") }
        })
        .collect();
    let output = if sig["output"].is_null() { String::new() } else { format!(" -> {}", ty(&sig["output"])) };
    let header = &function["header"];
    let constness = if header["is_const"].as_bool() == Some(true) { "const " } else { "" };
    format!("{constness}{}({}){output}", generics(&function["generics"]), inputs.join(", "))
}

fn args(args: &Value) -> String {
    let Some(angle) = args.get("angle_bracketed") else {
        if let Some(parens) = args.get("parenthesized") {
            let inputs: Vec<String> = parens["inputs"].as_array().into_iter().flatten().map(ty).collect();
            let output =
                if parens["output"].is_null() { String::new() } else { format!(" -> {}", ty(&parens["output"])) };
            return format!("({}){output}", inputs.join(", "));
        }
        return String::new();
    };
    let mut parts: Vec<String> = angle["args"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            if let Some(t) = a.get("type") {
                ty(t)
            } else if let Some(l) = a.get("lifetime") {
                l.as_str().unwrap_or("'_").to_string()
            } else {
                "_".to_string()
            }
        })
        .collect();
    for constraint in angle["constraints"].as_array().into_iter().flatten() {
        let name = constraint["name"].as_str().unwrap_or("?");
        let binding = &constraint["binding"];
        let value = binding.get("equality").and_then(|e| e.get("type")).map_or("_".to_string(), ty);
        parts.push(format!("{name} = {value}"));
    }
    if parts.is_empty() { String::new() } else { format!("<{}>", parts.join(", ")) }
}

fn bounds(bounds: &Value) -> String {
    let names: Vec<String> = bounds
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| match b.get("trait_bound") {
            Some(t) => {
                let path = &t["trait"];
                format!("{}{}", path["path"].as_str().unwrap_or("?"), path.get("args").map_or(String::new(), args))
            }
            None => b.get("outlives").and_then(Value::as_str).unwrap_or("?").to_string(),
        })
        .collect();
    names.join(" + ")
}

/// A type as Rust writes it, near enough to tell one signature from another.
fn ty(t: &Value) -> String {
    let Some((kind, body)) = t.as_object().and_then(|o| o.iter().next()) else { return "_".to_string() };
    match kind.as_str() {
        "resolved_path" => {
            format!("{}{}", body["path"].as_str().unwrap_or("?"), body.get("args").map_or(String::new(), args))
        }
        "generic" | "primitive" => body.as_str().unwrap_or("?").to_string(),
        "borrowed_ref" => {
            let lifetime = body["lifetime"].as_str().map_or(String::new(), |l| format!("{l} "));
            let mutable = if body["is_mutable"].as_bool() == Some(true) { "mut " } else { "" };
            format!("&{lifetime}{mutable}{}", ty(&body["type"]))
        }
        "slice" => format!("[{}]", ty(body)),
        "array" => format!("[{}; {}]", ty(&body["type"]), body["len"].as_str().unwrap_or("_")),
        "tuple" => {
            let items: Vec<String> = body.as_array().into_iter().flatten().map(ty).collect();
            format!("({})", items.join(", "))
        }
        "impl_trait" => format!("impl {}", bounds(body)),
        "dyn_trait" => {
            let traits: Vec<String> = body["traits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let path = &p["trait"];
                    format!("{}{}", path["path"].as_str().unwrap_or("?"), path.get("args").map_or(String::new(), args))
                })
                .collect();
            let lifetime = body["lifetime"].as_str().map_or(String::new(), |l| format!(" + {l}"));
            format!("dyn {}{lifetime}", traits.join(" + "))
        }
        "raw_pointer" => {
            let mutable = if body["is_mutable"].as_bool() == Some(true) { "mut" } else { "const" };
            format!("*{mutable} {}", ty(&body["type"]))
        }
        "qualified_path" => format!("<{} as _>::{}", ty(&body["self_type"]), body["name"].as_str().unwrap_or("?")),
        "function_pointer" => "fn(..)".to_string(),
        _ => "_".to_string(),
    }
}

#[test]
fn the_public_api_is_the_listed_one() {
    let doc = rustdoc_json();
    let index = doc["index"].as_object().expect("an index");
    let mut lister = Lister { index, lines: BTreeSet::new(), seen: HashMap::new() };
    lister.module(&doc["root"], "supportlint");
    let listed: String = lister.lines.iter().map(|l| format!("{l}\n")).collect();
    if std::env::var_os("UPDATE_PUBLIC_API").is_some() {
        std::fs::write(LISTING, &listed).expect("the listing is written");
        return;
    }
    let expected = std::fs::read_to_string(LISTING).unwrap_or_default();
    if expected != listed {
        let old: BTreeSet<&str> = expected.lines().collect();
        let new: BTreeSet<&str> = listed.lines().collect();
        let mut diff = String::new();
        for line in old.difference(&new) {
            diff.push_str(&format!("- {line}\n"));
        }
        for line in new.difference(&old) {
            diff.push_str(&format!("+ {line}\n"));
        }
        panic!(
            "the public API differs from tests/public-api.txt:\n{diff}\nif the change is deliberate (see the semver \
             policy in README.md): UPDATE_PUBLIC_API=1 cargo test --test it public_api"
        );
    }
}
