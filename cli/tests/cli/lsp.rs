//! `supportlint lsp` as an editor drives it: the protocol over pipes, from
//! `initialize` to `exit`.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub(crate) const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
/// Long enough for a debug build on a busy machine; only a hang waits it out.
const PATIENCE: Duration = Duration::from_secs(60);

/// A language server child process and what it has sent.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    unread: VecDeque<Value>,
    next_id: i64,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("a JSON message"))
}

impl Server {
    /// Starts the server in `dir` and initializes it with `capabilities`.
    fn start_in(dir: &Path, capabilities: Value) -> (Server, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_supportlint"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, stdin, messages, unread: VecDeque::new(), next_id: 0 };
        let result =
            server.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": capabilities }));
        server.notify("initialized", json!({}));
        (server, result)
    }

    fn start(capabilities: Value) -> (Server, Value) {
        Server::start_in(Path::new(ROOT), capabilities)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn next(&mut self) -> Value {
        match self.messages.recv_timeout(PATIENCE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server sent nothing for {PATIENCE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The whole response to a request.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
            self.unread.push_back(message);
        }
    }

    /// The result of a request, which must succeed.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let wanted = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.unread.iter().position(wanted) {
            return self.unread.remove(i).unwrap()["params"].clone();
        }
        loop {
            let message = self.next();
            if wanted(&message) {
                return message["params"].clone();
            }
            self.unread.push_back(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "policy", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// `shutdown`, then `exit`: the exit status.
    fn shutdown(mut self) -> ExitStatus {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < PATIENCE, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn uri_of(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap();
    format!("file://{}", path.display().to_string().replace(' ', "%20"))
}

fn at(text: &str, needle: &str) -> Value {
    position_utf16(text, text.find(needle).unwrap_or_else(|| panic!("`{needle}` in the text")))
}

/// The protocol's default position of a byte offset: UTF-16 code units.
fn position_utf16(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": text[line_start..offset].encode_utf16().count() })
}

fn doc(uri: &str) -> Value {
    json!({ "uri": uri })
}

/// `(line, character, code)` of each diagnostic, sorted.
fn keys(diagnostics: &Value) -> Vec<(u64, u64, String)> {
    let mut keys: Vec<(u64, u64, String)> = diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            (start["line"].as_u64().unwrap(), start["character"].as_u64().unwrap(), d["code"].as_str().unwrap().into())
        })
        .collect();
    keys.sort();
    keys
}

/// What `supportlint check --format json` finds in `path`, as the keys above.
pub(crate) fn check_keys(path: &Path) -> Vec<(u64, u64, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_supportlint"))
        .args(["check", "--format", "json"])
        .arg(path)
        .current_dir(ROOT)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let mut keys: Vec<(u64, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false)
        .map(|f| {
            let offset = f["location"]["start"]["offset"].as_u64().unwrap() as usize;
            let p = position_utf16(&text, offset);
            (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap(), f["code"].as_str().unwrap().into())
        })
        .collect();
    keys.sort();
    keys
}

pub(crate) fn policies() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "policy"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn an_editor_session_from_initialize_to_exit() {
    let (mut server, init) = Server::start(json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "UTF-16 when the client offers nothing else");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert!(caps["textDocumentSync"]["change"].as_u64().is_some_and(|k| k == 1 || k == 2));
    assert_eq!(init["serverInfo"]["name"], "supportlint");

    // Diagnostics: the same findings as `check`, for every shipped policy.
    let mut diagnostics = Value::Null;
    for path in policies() {
        let uri = uri_of(&path);
        let published = server.open(&uri, &std::fs::read_to_string(&path).unwrap());
        assert_eq!(keys(&published), check_keys(&path), "{}", path.display());
        if path.ends_with("well_run.policy") {
            assert_eq!(published["diagnostics"], json!([]), "a clean file gets an empty list");
        }
        if path.ends_with("telecommunications.policy") {
            diagnostics = published;
        }
    }

    let path = Path::new(ROOT).join("policies/telecommunications.policy");
    let uri = uri_of(&path);
    let text = std::fs::read_to_string(&path).unwrap();

    // Related information and the code and name of a finding.
    let k001 = diagnostics["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "K001").unwrap();
    assert_eq!(k001["source"], "supportlint");
    assert_eq!(k001["data"]["name"], "handle-time-below-promise");
    assert_eq!(k001["severity"], 1);
    assert!(k001["message"].as_str().unwrap().contains("help: raise the ceiling"));
    let related = k001["relatedInformation"].as_array().unwrap();
    assert!(related.iter().any(|r| r["message"].as_str().unwrap().contains("`thorough` needs at least 6m")));
    assert!(related.iter().all(|r| r["location"]["uri"] == uri));

    // Hover on staffing and on a finding.
    let hover =
        server.request("textDocument/hover", json!({ "textDocument": doc(&uri), "position": at(&text, "agents 42") }));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(shown.contains("offered load: 30.00 Erlangs") && shown.contains("S001 `unstable-queue`"), "{shown}");

    // Completion replaces the word typed so far.
    let position = at(&text, "phone\n  demand 600/h");
    let completion =
        server.request("textDocument/completion", json!({ "textDocument": doc(&uri), "position": position }));
    let items = completion["items"].as_array().unwrap();
    let chat = items.iter().find(|i| i["label"] == "chat").expect("channels");
    assert_eq!(chat["textEdit"]["range"]["start"], position);

    // Symbols for the teams and `defaults`.
    let symbols = server.request("textDocument/documentSymbol", json!({ "textDocument": doc(&uri) }));
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["defaults", "Consumer Care", "Business Accounts", "Upgrades and Retention", "Broadband Faults"]);

    // Code actions: an `allow` for the K001 on the target in `defaults`.
    let actions = server.request(
        "textDocument/codeAction",
        json!({ "textDocument": doc(&uri), "range": { "start": at(&text, "target handle_time <= 3m"), "end": at(&text, "target handle_time <= 3m") }, "context": { "diagnostics": [] } }),
    );
    let allow = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "allow `handle-time-below-promise` in team \"Consumer Care\" with a reason")
        .expect("an allow for the team");
    assert_eq!(allow["kind"], "quickfix");
    assert_eq!(allow["diagnostics"][0]["code"], "K001");
    assert!(allow["edit"]["changes"][&uri][0]["newText"].as_str().unwrap().contains("allow handle-time-below-promise"));

    // Formatting: the edits give what `supportlint fmt` gives.
    let messy = text.replace("  channel phone\n  demand 600/h", "  channel   phone\n\tdemand 600/h");
    server.change(&uri, 2, &messy);
    let edits = server.request(
        "textDocument/formatting",
        json!({ "textDocument": doc(&uri), "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = apply(&messy, &edits);
    assert_eq!(formatted, fmt(&messy));
    server.change(&uri, 3, &formatted);
    let edits = server.request(
        "textDocument/formatting",
        json!({ "textDocument": doc(&uri), "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, json!([]));

    assert!(server.shutdown().success(), "a clean exit after shutdown");
}

/// What `supportlint fmt -` makes of `text`.
fn fmt(text: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_supportlint"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Applies text edits (UTF-16 positions) to `text`.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| -> usize {
        let (line, character) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

const ZURICH: &str = "team \"Kundenservice Zürich 🇨🇭\" { channel phone target handle_time <= 3m promise thorough }\n";

#[test]
fn positions_count_utf16_by_default_and_utf8_when_offered() {
    let uri = "untitled:zurich.policy";
    let target = ZURICH.find("target").unwrap();
    let (mut server, _) = Server::start(json!({}));
    let published = server.open(uri, ZURICH);
    let k001 = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "K001").unwrap().clone();
    assert_eq!(k001["range"]["start"], position_utf16(ZURICH, target));
    assert_eq!(k001["range"]["start"]["character"], 49, "each flag letter is two UTF-16 units");
    // A hover after the flag, in UTF-16.
    let hover =
        server.request("textDocument/hover", json!({ "textDocument": doc(uri), "position": at(ZURICH, "thorough") }));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("(promise)"), "{hover}");
    assert!(server.shutdown().success());

    let (mut server, init) = Server::start(json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let published = server.open(uri, ZURICH);
    let k001 = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "K001").unwrap().clone();
    assert_eq!(k001["range"]["start"], json!({ "line": 0, "character": target }));
    let thorough = ZURICH.find("thorough").unwrap();
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": doc(uri), "position": { "line": 0, "character": thorough + 2 } }),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().contains("(promise)"), "{hover}");
    assert_eq!(hover["range"]["start"]["character"], thorough);
    assert!(server.shutdown().success());
}

#[test]
fn edits_are_checked_again_and_a_clean_file_gets_an_empty_list() {
    let uri = "untitled:edited.policy";
    let (mut server, _) = Server::start(json!({}));
    let published = server.open(uri, ZURICH);
    assert!(!keys(&published).is_empty());
    // A burst of edits: the diagnostics that arrive are for the last one.
    server.change(uri, 2, "team \"A\" { channel phone target handle_time <= 4m promise thorough }\n");
    server.change(uri, 3, "team \"A\" {\n  channel phone\n}\n");
    let published = server.diagnostics(uri);
    assert_eq!(published["version"], 3);
    assert_eq!(published["diagnostics"], json!([]));
    // A syntax error, then the team that follows it is still checked.
    server.change(
        uri,
        4,
        "team \"A\" {\n  chanel phone\n}\nteam \"B\" { channel phone target handle_time <= 3m promise thorough }\n",
    );
    let codes: Vec<String> = keys(&server.diagnostics(uri)).into_iter().map(|k| k.2).collect();
    assert!(codes.contains(&"K001".to_string()) && codes.iter().any(|c| c.starts_with('E')), "{codes:?}");
    server.notify("textDocument/didClose", json!({ "textDocument": doc(uri) }));
    assert_eq!(server.diagnostics(uri)["diagnostics"], json!([]), "closing clears the diagnostics");
    assert!(server.shutdown().success());
}

#[test]
fn the_configuration_is_found_as_check_finds_it_and_a_change_rechecks_open_files() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("teams");
    std::fs::create_dir(&nested).unwrap();
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  K004: off\n").unwrap();
    let policy = nested.join("care.policy");
    let text =
        "team \"Care\" {\n  channel phone\n  target handle_time <= 8m weight 50%\n  target csat >= 80% weight 50%\n}\n";
    std::fs::write(&policy, text).unwrap();
    let (mut server, _) = Server::start_in(dir.path(), json!({}));
    let uri = uri_of(&policy);
    let codes = |d: &Value| -> Vec<String> { keys(d).into_iter().map(|k| k.2).collect() };
    let published = server.open(&uri, text);
    assert_eq!(keys(&published), check_keys(&policy));
    assert!(!codes(&published).contains(&"K004".to_string()), "{published}");
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  K004: error\n").unwrap();
    let config_uri = uri_of(&dir.path().join("supportlint.yaml"));
    server.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": config_uri, "type": 2 }] }));
    let published = server.diagnostics(&uri);
    let k004 = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "K004").expect("K004 now");
    assert_eq!(k004["severity"], 1);
    // Saving the configuration in the editor does it too.
    std::fs::write(dir.path().join("supportlint.yaml"), "rules:\n  kpi: off\n").unwrap();
    server.notify("textDocument/didSave", json!({ "textDocument": doc(&config_uri) }));
    assert_eq!(server.diagnostics(&uri)["diagnostics"], json!([]));
    assert!(server.shutdown().success());
}

#[test]
fn hostile_positions_texts_and_orders_never_break_it() {
    let (mut server, _) = Server::start(json!({}));
    let uri = "untitled:hostile.policy";
    server.open(uri, ZURICH);
    let flag = ZURICH.find('🇨').unwrap();
    let inside_flag =
        json!({ "line": 0, "character": position_utf16(ZURICH, flag)["character"].as_u64().unwrap() + 1 });
    for position in
        [json!({ "line": 0, "character": 1_000_000 }), json!({ "line": 4_000_000_000u32, "character": 7 }), inside_flag]
    {
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
            let response = server.call(method, json!({ "textDocument": doc(uri), "position": position }));
            assert!(response.get("error").is_none(), "{method} at {position}: {response}");
        }
        let range = json!({ "start": position, "end": { "line": 0, "character": 0 } });
        let response =
            server.call("textDocument/codeAction", json!({ "textDocument": doc(uri), "range": range, "context": {} }));
        assert!(response.get("error").is_none(), "{response}");
    }
    // Unknown documents, methods and parameters.
    let unknown = server.call(
        "textDocument/hover",
        json!({ "textDocument": doc("untitled:nope"), "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(unknown["result"], Value::Null);
    assert_eq!(server.call("textDocument/hover", json!({ "nonsense": true }))["error"]["code"], -32602);
    assert_eq!(server.call("workspace/symbol", json!({ "query": "" }))["error"]["code"], -32601);
    server.change("untitled:never-opened", 1, "team");
    // Binary data, a file over the size limit, and a syntax error in formatting.
    let binary = server.open("untitled:binary.policy", "team \"A\" {\0}");
    assert_eq!(keys(&binary).first().map(|k| k.2.as_str()), Some("E001"));
    let huge = format!("# {}\n", "x".repeat(9 << 20));
    let too_large = server.open("untitled:huge.policy", &huge);
    assert_eq!(keys(&too_large), [(0, 0, "E008".to_string())]);
    let formatting =
        server.call("textDocument/formatting", json!({ "textDocument": doc("untitled:huge.policy"), "options": {} }));
    assert!(formatting.get("error").is_some());
    server.change(uri, 2, "team \"A\" {\n  chanel phone\n");
    let formatting = server.call("textDocument/formatting", json!({ "textDocument": doc(uri), "options": {} }));
    assert!(formatting["error"]["message"].as_str().unwrap().contains("cannot be formatted until it parses"));
    // After shutdown, requests are refused; `exit` ends it cleanly.
    assert_eq!(server.request("shutdown", Value::Null), Value::Null);
    assert_eq!(
        server
            .call("textDocument/hover", json!({ "textDocument": doc(uri), "position": { "line": 0, "character": 0 } }))
            ["error"]["code"],
        -32600
    );
    server.notify("exit", Value::Null);
    assert!(server.wait().success());
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let (mut server, _) = Server::start(json!({}));
    server.notify("exit", Value::Null);
    assert_eq!(server.wait().code(), Some(1));
}
