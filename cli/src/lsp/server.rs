//! The server's state and its loop: open documents, their last check, the
//! configurations they are checked with, and one handler per message.
//!
//! An edit replaces the document's text and makes it due for a check
//! [`DEBOUNCE`] later; every further edit in that time moves the check
//! back, so a burst of keystrokes costs one check. A request about a
//! document with unchecked edits checks it first, so answers always match
//! the text the editor has.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{RecvTimeoutError, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{Position, Range};
use serde::Deserialize;
use serde_json::{Value, json};

use supportlint::model::units::Date;
use supportlint::report::human::Style;
use supportlint::{FileReport, Span, ide};

use super::convert;
use super::position::{Encoding, LineIndex};
use crate::config::{self, Configs, Loaded};

/// How long after the last edit a document is checked again, when no
/// other message is waiting: edits that arrive together (a paste, a burst
/// of keystrokes while a check runs) cost one check.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// A document the editor has open.
struct Document {
    /// The editor's version of the text.
    version: i32,
    /// The file, for `file:` documents.
    path: Option<PathBuf>,
    /// Text not yet checked: the newest, while a check is due.
    pending: Option<String>,
    /// When the pending text is due to be checked.
    due: Option<Instant>,
    /// The last check, with the text it was made on.
    checked: Option<Checked>,
}

/// A document's text, checked.
pub struct Checked {
    /// The report; its source is the document's text.
    pub report: FileReport,
    /// Line starts of that text.
    pub index: LineIndex,
    /// The text was over the size limit and is not kept.
    pub too_large: bool,
}

/// Everything the server knows.
pub struct Server {
    sender: Sender<Message>,
    encoding: Encoding,
    documents: HashMap<String, Document>,
    configs: Configs,
    /// Configuration errors already shown.
    errors_shown: usize,
    today: Date,
    /// Whether the editor can be asked to watch configuration files.
    can_watch: bool,
    shutdown: bool,
}

fn configs(today: Date) -> Configs {
    let style = Style { color: false, unicode: true, width: 100 };
    Configs::new(None, Vec::new(), style, today)
}

/// The path of a `file:` URI: `file:///a/b%20c` is `/a/b c`.
pub fn file_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    // `file://localhost/x` and `file:///x` both name `/x`.
    let path = if rest.starts_with('/') { rest } else { rest.find('/').and_then(|i| rest.get(i..))? };
    let mut bytes = Vec::with_capacity(path.len());
    let mut chars = path.bytes();
    while let Some(b) = chars.next() {
        if b == b'%' {
            let hex: Vec<u8> = chars.clone().take(2).collect();
            let decoded = std::str::from_utf8(&hex).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let (Some(d), 2) = (decoded, hex.len()) {
                bytes.push(d);
                chars.nth(1);
                continue;
            }
        }
        bytes.push(b);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        let text = String::from_utf8(bytes).ok()?;
        // `/C:/x` on Windows.
        let text = text.strip_prefix('/').filter(|t| t.get(1..2) == Some(":")).unwrap_or(&text).to_string();
        Some(PathBuf::from(text))
    }
}

/// Whether a document is a configuration file rather than a policy.
fn is_config(path: Option<&Path>) -> bool {
    path.and_then(Path::file_name).is_some_and(|n| n == config::FILE_NAME)
}

#[derive(Deserialize)]
struct DocumentId {
    uri: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenDocument {
    uri: String,
    #[serde(default)]
    version: i32,
    text: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DidOpen {
    text_document: OpenDocument,
}

#[derive(Deserialize)]
struct VersionedId {
    uri: String,
    #[serde(default)]
    version: Option<i32>,
}

#[derive(Deserialize)]
struct Change {
    text: String,
    #[serde(default)]
    range: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DidChange {
    text_document: VersionedId,
    content_changes: Vec<Change>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OnDocument {
    text_document: DocumentId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AtPosition {
    text_document: DocumentId,
    position: Position,
}

#[derive(Deserialize, Default)]
struct ActionContext {
    #[serde(default)]
    only: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionParams {
    text_document: DocumentId,
    range: Range,
    #[serde(default)]
    context: ActionContext,
}

/// The position encoding to use: UTF-8 when the client offers it (no
/// conversion), else the protocol's UTF-16.
fn encoding(init: &Value) -> Encoding {
    let offered = init.pointer("/capabilities/general/positionEncodings").and_then(Value::as_array);
    if offered.is_some_and(|list| list.iter().any(|e| e.as_str() == Some("utf-8"))) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// Handles `initialize`, then runs the loop until `exit`. `Ok(true)` when
/// the editor asked for `shutdown` before `exit`.
pub fn serve(connection: &Connection) -> Result<bool, String> {
    let (id, init) = connection.initialize_start().map_err(|e| e.to_string())?;
    let encoding = encoding(&init);
    let can_watch = init
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let result = json!({
        "capabilities": convert::capabilities(encoding),
        "serverInfo": { "name": "supportlint", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.sender.send(Response::new_ok(id, result).into()).map_err(|e| e.to_string())?;
    let today = crate::today();
    let mut server = Server {
        sender: connection.sender.clone(),
        encoding,
        documents: HashMap::new(),
        configs: configs(today),
        errors_shown: 0,
        today,
        can_watch,
        shutdown: false,
    };
    loop {
        let message = match server.next_due() {
            Some(due) => match connection.receiver.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(false),
            },
            None => match connection.receiver.recv() {
                Ok(message) => Some(message),
                Err(_) => return Ok(false),
            },
        };
        let mut next = message;
        while let Some(message) = next.take() {
            match message {
                Message::Request(request) => server.request(request),
                Message::Notification(n) if n.method == "exit" => return Ok(server.shutdown),
                Message::Notification(n) => server.notify(n),
                // Answers to our own requests (`client/registerCapability`).
                Message::Response(_) => {}
            }
            // Everything already waiting is read before any check.
            next = connection.receiver.try_recv().ok();
        }
        server.check_due();
    }
}

impl Server {
    fn send(&self, message: impl Into<Message>) {
        // A send fails only when the writer is gone, and then so is the
        // editor: the loop ends at the next receive.
        let _ = self.sender.send(message.into());
    }

    fn notification(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params));
    }

    fn show(&self, kind: u8, message: &str) {
        self.notification("window/showMessage", json!({ "type": kind, "message": message }));
    }

    /// The earliest time a document is due to be checked.
    fn next_due(&self) -> Option<Instant> {
        self.documents.values().filter_map(|d| d.due).min()
    }

    /// Checks and publishes every document whose time has come.
    fn check_due(&mut self) {
        let now = Instant::now();
        let due: Vec<String> =
            self.documents.iter().filter(|(_, d)| d.due.is_some_and(|t| t <= now)).map(|(u, _)| u.clone()).collect();
        for uri in due {
            self.check(&uri);
        }
    }

    /// The configuration for a document, showing new configuration errors.
    fn loaded(&mut self, path: Option<&Path>) -> Arc<Loaded> {
        let today = crate::today();
        if today != self.today {
            // An `allow ... until` may have expired overnight.
            self.today = today;
            self.configs = configs(today);
            self.errors_shown = 0;
        }
        let loaded = match path {
            Some(path) => self.configs.for_file(path),
            None => self.configs.without_file(),
        };
        let new: Vec<String> = self.configs.errors.iter().skip(self.errors_shown).cloned().collect();
        self.errors_shown = self.configs.errors.len();
        for error in new {
            self.show(1, &format!("supportlint: the configuration has errors; policies are checked without what could not be read\n{error}"));
        }
        loaded
    }

    /// Checks a document's pending text now and publishes its diagnostics.
    fn check(&mut self, uri: &str) {
        let Some(doc) = self.documents.get_mut(uri) else { return };
        doc.due = None;
        let Some(text) = doc.pending.take() else { return };
        let path = doc.path.clone();
        let version = doc.version;
        let loaded = self.loaded(path.as_deref());
        let name = path.as_ref().map_or_else(|| uri.to_string(), |p| p.display().to_string());
        let checker = &loaded.checker;
        let limit = checker.limits().max_file_bytes;
        let checked = if text.len() > limit {
            // Not kept: the editor sends the whole text with every change.
            let report = checker.too_large(&name, text.len() as u64);
            Checked { index: LineIndex::new("", self.encoding), report, too_large: true }
        } else {
            let report = checker.check_bytes(&name, text.into_bytes());
            Checked { index: LineIndex::new(report.source.text(), self.encoding), report, too_large: false }
        };
        let diagnostics = convert::diagnostics(uri, &checked);
        if let Some(doc) = self.documents.get_mut(uri) {
            doc.checked = Some(checked);
        }
        // Built once as a JSON value: `Notification::new` would copy it.
        let params = json!({ "uri": uri, "version": version, "diagnostics": Value::Array(diagnostics) });
        self.send(Notification { method: "textDocument/publishDiagnostics".into(), params });
    }

    /// Makes every open policy due for a check now (the configuration
    /// changed).
    fn recheck_all(&mut self) {
        let now = Instant::now();
        for doc in self.documents.values_mut() {
            if doc.pending.is_none()
                && let Some(checked) = doc.checked.as_ref().filter(|c| !c.too_large)
            {
                doc.pending = Some(checked.report.source.text().to_string());
            }
            if doc.pending.is_some() {
                doc.due = Some(now);
            }
        }
    }

    fn reload_configs(&mut self) {
        self.configs = configs(self.today);
        self.errors_shown = 0;
        self.recheck_all();
    }

    /// The document's check, made now if edits are pending.
    fn checked(&mut self, uri: &str) -> Option<&Checked> {
        if self.documents.get(uri).is_some_and(|d| d.pending.is_some()) {
            self.check(uri);
        }
        self.documents.get(uri).and_then(|d| d.checked.as_ref()).filter(|c| !c.too_large)
    }

    fn notify(&mut self, n: Notification) {
        match n.method.as_str() {
            "initialized" => self.watch_configs(),
            "textDocument/didOpen" => {
                let Ok(params) = serde_json::from_value::<DidOpen>(n.params) else { return };
                let doc = params.text_document;
                let path = file_path(&doc.uri);
                if is_config(path.as_deref()) {
                    return;
                }
                self.documents.insert(
                    doc.uri,
                    Document {
                        version: doc.version,
                        path,
                        pending: Some(doc.text),
                        due: Some(Instant::now()),
                        checked: None,
                    },
                );
            }
            "textDocument/didChange" => {
                let Ok(params) = serde_json::from_value::<DidChange>(n.params) else { return };
                let Some(doc) = self.documents.get_mut(&params.text_document.uri) else { return };
                // Full synchronization: the last change without a range is
                // the whole text.
                if let Some(change) = params.content_changes.into_iter().rev().find(|c| c.range.is_none()) {
                    doc.pending = Some(change.text);
                    doc.version = params.text_document.version.unwrap_or(doc.version);
                    doc.due = Some(Instant::now() + DEBOUNCE);
                }
            }
            "textDocument/didSave" => {
                let Ok(params) = serde_json::from_value::<OnDocument>(n.params) else { return };
                let uri = params.text_document.uri;
                if is_config(file_path(&uri).as_deref()) {
                    self.reload_configs();
                } else if let Some(doc) = self.documents.get_mut(&uri) {
                    if doc.pending.is_none()
                        && let Some(checked) = doc.checked.as_ref().filter(|c| !c.too_large)
                    {
                        doc.pending = Some(checked.report.source.text().to_string());
                    }
                    doc.due = doc.pending.as_ref().map(|_| Instant::now());
                }
            }
            "textDocument/didClose" => {
                let Ok(params) = serde_json::from_value::<OnDocument>(n.params) else { return };
                if self.documents.remove(&params.text_document.uri).is_some() {
                    self.notification(
                        "textDocument/publishDiagnostics",
                        json!({ "uri": params.text_document.uri, "diagnostics": [] }),
                    );
                }
            }
            "workspace/didChangeWatchedFiles" => self.reload_configs(),
            _ => {}
        }
    }

    /// Asks the editor to say when a configuration file changes, if it can.
    fn watch_configs(&self) {
        if !self.can_watch {
            return;
        }
        let watchers: Vec<Value> =
            ["**/supportlint.yaml", "**/*.yaml", "**/*.yml"].iter().map(|g| json!({ "globPattern": g })).collect();
        let params = json!({
            "registrations": [{
                "id": "supportlint-configuration",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": watchers },
            }]
        });
        self.send(Request::new(
            RequestId::from("supportlint-watch".to_string()),
            "client/registerCapability".into(),
            params,
        ));
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            self.send(Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shutting down".into()));
            return;
        }
        let result = match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "initialize" => Err((ErrorCode::InvalidRequest, "the server is initialized already".into())),
            "textDocument/hover" => self.at_position(request.params, |_, _, checked, offset| {
                Some(convert::hover(checked, ide::hover(&checked.report, offset)?))
            }),
            "textDocument/completion" => self.at_position(request.params, |_, _, checked, offset| {
                Some(convert::completions(checked, ide::complete(&checked.report, offset)))
            }),
            "textDocument/definition" => self.at_position(request.params, |_, uri, checked, offset| {
                let span = ide::definition(&checked.report, offset)?;
                Some(json!({ "uri": uri, "range": convert::range(checked, span) }))
            }),
            "textDocument/documentSymbol" => self
                .on_document(request.params, |_, checked| Ok(convert::symbols(checked, ide::symbols(&checked.report)))),
            "textDocument/formatting" => self.on_document(request.params, |_, checked| convert::formatting(checked)),
            "textDocument/codeAction" => self.code_actions(request.params),
            _ => Err((ErrorCode::MethodNotFound, format!("`{}` is not supported", request.method))),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response);
    }

    /// Answers a request about a place in a document; `null` when the
    /// document is unknown or there is nothing to say.
    fn at_position(
        &mut self,
        params: Value,
        answer: impl FnOnce(&Server, &str, &Checked, usize) -> Option<Value>,
    ) -> Result<Value, (ErrorCode, String)> {
        let params: AtPosition = serde_json::from_value(params).map_err(invalid)?;
        let uri = params.text_document.uri;
        if self.checked(&uri).is_none() {
            return Ok(Value::Null);
        }
        let Some(checked) = self.documents.get(&uri).and_then(|d| d.checked.as_ref()) else { return Ok(Value::Null) };
        let offset = checked.index.offset(checked.report.source.text(), params.position);
        Ok(answer(self, &uri, checked, offset).unwrap_or(Value::Null))
    }

    /// Answers a request about a whole document.
    fn on_document(
        &mut self,
        params: Value,
        answer: impl FnOnce(&str, &Checked) -> Result<Value, (ErrorCode, String)>,
    ) -> Result<Value, (ErrorCode, String)> {
        let params: OnDocument = serde_json::from_value(params).map_err(invalid)?;
        let uri = params.text_document.uri;
        if self
            .documents
            .get(&uri)
            .is_some_and(|d| d.checked.as_ref().is_some_and(|c| c.too_large) && d.pending.is_none())
        {
            return Err((ErrorCode::RequestFailed, "the file is over the size limit".into()));
        }
        match self.checked(&uri) {
            Some(checked) => answer(&uri, checked),
            None => Ok(Value::Null),
        }
    }

    fn code_actions(&mut self, params: Value) -> Result<Value, (ErrorCode, String)> {
        let params: ActionParams = serde_json::from_value(params).map_err(invalid)?;
        if params.context.only.as_ref().is_some_and(|only| !only.iter().any(|k| k == "quickfix" || k.is_empty())) {
            return Ok(json!([]));
        }
        let uri = params.text_document.uri;
        let Some(checked) = self.checked(&uri) else { return Ok(json!([])) };
        let text = checked.report.source.text();
        let (start, end) =
            (checked.index.offset(text, params.range.start), checked.index.offset(text, params.range.end));
        let span = Span::new(start.min(end), start.max(end));
        Ok(convert::code_actions(&uri, checked, ide::code_actions(&checked.report, span)))
    }
}

fn invalid(err: serde_json::Error) -> (ErrorCode, String) {
    (ErrorCode::InvalidParams, format!("invalid parameters: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(file_path("file:///tmp/a%20b/care.policy"), Some(PathBuf::from("/tmp/a b/care.policy")));
        assert_eq!(file_path("file://localhost/x.policy"), Some(PathBuf::from("/x.policy")));
        assert_eq!(file_path("file:///tmp/100%"), Some(PathBuf::from("/tmp/100%")));
        assert_eq!(file_path("untitled:Untitled-1"), None);
        assert!(is_config(file_path("file:///p/supportlint.yaml").as_deref()));
    }
}
