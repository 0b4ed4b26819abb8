//! `skew lsp`: a synchronous language server over stdio (rust-analyzer's `lsp-server`).
//!
//! Owns the protocol session: the `initialize` handshake (workspace root, position
//! encoding), the open buffers, and when to re-evaluate and publish. Every evaluation is
//! the whole pipeline over the whole workspace, with unsaved buffers overlaid on the
//! files on disk, because a finding in `package.json` may come from a line in
//! `docker-compose.yml`; but only the documents that changed are extracted again (the
//! rest is kept from the last walk, which a save or a `skew.toml` edit repeats). Must not: extract, check or render on its own; it calls the
//! same scan and check as `skew check` and converts at the edge (`convert.rs`).

mod convert;
mod fix;
pub mod transport;

pub use convert::{Encoding, overlaps, path_to_uri, position, range, uri_to_path};
pub use fix::{QuickFix, quick_fix};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams, ServerCapabilities,
    ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};

use crate::check::CheckOptions;
use crate::cli::ExitStatus;
use crate::diagnostic::Finding;
use crate::pipeline;
use crate::rule::RuleSet;
use crate::scan::{self, Inventory, ScanOptions, slash_path};
use crate::source::{SourceFile, Span};

/// Serve on stdin/stdout until the client says `exit`.
pub fn serve(rules: RuleSet) -> io::Result<ExitStatus> {
    let (conn, threads) = transport::stdio();
    let status = serve_on(&conn, rules);
    drop(conn);
    // a refused frame ends the session: its reason beats the hang-up it caused
    threads.join()?;
    status
}

/// Serve on any connection (stdio, or an in-memory pair in tests). Returns `Clean` after
/// `shutdown` then `exit`, `Error` when the client exits or hangs up without `shutdown`.
pub fn serve_on(conn: &Connection, rules: RuleSet) -> io::Result<ExitStatus> {
    let (id, params) = conn.initialize_start().map_err(io::Error::other)?;
    let params: InitializeParams = match serde_json::from_value(params) {
        Ok(p) => p,
        Err(e) => {
            let msg = format!("invalid initialize parameters: {e}");
            let resp = Response::new_err(id, ErrorCode::InvalidParams as i32, msg.clone());
            let _ = conn.sender.send(resp.into());
            return Err(io::Error::other(msg));
        }
    };
    let enc = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let result = InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(ServerInfo {
            name: "skew".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(io::Error::other)?;
    conn.initialize_finish(id, result)
        .map_err(io::Error::other)?;
    let (root, within) = workspace_root(&params);
    let mut server = Server {
        conn,
        root,
        within,
        enc,
        rules,
        open: BTreeMap::new(),
        published: BTreeMap::new(),
        snapshot: None,
        workspace: None,
        changed: BTreeSet::new(),
        dirty: false,
        shut_down: false,
    };
    server.main_loop()
}

/// What the server offers: full-text sync with saves, quick fixes, and the encoding it
/// counts positions in.
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The project the workspace belongs to, found as the CLI finds it for PATH
/// ([`crate::root::Scope::discover`]): the nearest folder above the first workspace
/// folder (else the deprecated `rootUri`/`rootPath`, else the server's folder) holding
/// `skew.toml`, else the git work-tree top, else that folder. Returns the root and the
/// workspace folder relative to it (`None` when they are the same), whose files are the
/// ones published: servers declared at the root are seen from `services/api`.
#[allow(deprecated)]
fn workspace_root(params: &InitializeParams) -> (PathBuf, Option<String>) {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_to_path(&f.uri));
    let folder = from_folders
        .or_else(|| params.root_uri.as_ref().and_then(uri_to_path))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."));
    let folder = std::path::absolute(&folder).unwrap_or(folder);
    match crate::root::Scope::discover(&folder, None) {
        Ok(scope) => {
            let root = std::path::absolute(&scope.root).unwrap_or(scope.root);
            (root, scope.within)
        }
        Err(_) => (folder, None),
    }
}

/// The result of the last evaluation, kept for code actions.
struct Snapshot {
    inv: Inventory,
    /// The scenario the findings were checked in (skew.toml's declared servers, rule
    /// files), over `inv`.
    scenario: crate::check::Scenario,
    findings: Vec<Finding>,
    /// Sources with an id below this are workspace files; later ones are user rule files.
    files_scanned: usize,
}

struct Server<'c> {
    conn: &'c Connection,
    root: PathBuf,
    /// The workspace folder relative to `root` when the project is larger: only its
    /// files are published.
    within: Option<String>,
    enc: Encoding,
    rules: RuleSet,
    /// Open buffers by path relative to the root: the client's URI and the unsaved text.
    open: BTreeMap<String, (Uri, String)>,
    /// Documents that got at least one diagnostic in the last publication, by URI text
    /// (`Uri` caches parts in cells, so it is not used as a key).
    published: BTreeMap<String, Uri>,
    snapshot: Option<Snapshot>,
    /// The workspace as last read, file by file; `None` until the first evaluation and
    /// after a save (other files may have changed on disk too: walk and read again).
    workspace: Option<scan::Workspace>,
    /// Documents whose text changed since the last evaluation (opened, edited, closed),
    /// by path relative to the root: only these are extracted again.
    changed: BTreeSet<String>,
    /// A buffer changed since the last evaluation.
    dirty: bool,
    shut_down: bool,
}

impl Server<'_> {
    fn main_loop(&mut self) -> io::Result<ExitStatus> {
        // `initialize_finish` consumed the `initialized` notification: publish for the
        // whole workspace now
        self.evaluate();
        while let Ok(msg) = self.conn.receiver.recv() {
            match msg {
                Message::Request(req) => self.on_request(req),
                Message::Notification(n) if n.method == "exit" => {
                    return Ok(if self.shut_down {
                        ExitStatus::Clean
                    } else {
                        ExitStatus::Error
                    });
                }
                Message::Notification(n) => self.on_notification(n),
                Message::Response(_) => {}
            }
            // typing sends a burst of changes: evaluate once the queue is drained
            if self.dirty && self.conn.receiver.is_empty() {
                self.evaluate();
            }
        }
        Ok(ExitStatus::Error)
    }

    fn on_request(&mut self, req: Request) {
        let resp = if self.shut_down {
            Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            )
        } else {
            match req.method.as_str() {
                "shutdown" => {
                    self.shut_down = true;
                    Response::new_ok(req.id, ())
                }
                "textDocument/codeAction" => {
                    match serde_json::from_value::<CodeActionParams>(req.params) {
                        Ok(p) => Response::new_ok(req.id, self.code_actions(&p)),
                        Err(e) => Response::new_err(
                            req.id,
                            ErrorCode::InvalidParams as i32,
                            e.to_string(),
                        ),
                    }
                }
                _ => Response::new_err(
                    req.id,
                    ErrorCode::MethodNotFound as i32,
                    format!("skew does not handle `{}`", req.method),
                ),
            }
        };
        self.send(resp.into());
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    self.set_text(p.text_document.uri, Some(p.text_document.text));
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    // full sync: the last change holds the whole text. A ranged change
                    // breaks what was negotiated; forget the buffer rather than misread it
                    match p.content_changes.into_iter().next_back() {
                        Some(c) if c.range.is_none() => {
                            self.set_text(p.text_document.uri, Some(c.text));
                        }
                        Some(_) => {
                            if let Some(rel) = self.rel_path(&p.text_document.uri) {
                                self.open.remove(&rel);
                                self.changed.insert(rel);
                                self.dirty = true;
                            }
                        }
                        None => {}
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    // other files may have changed on disk too: re-read them all
                    self.set_text(p.text_document.uri, p.text);
                    self.workspace = None;
                    self.dirty = true;
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params)
                    && let Some(rel) = self.rel_path(&p.text_document.uri)
                    && self.open.remove(&rel).is_some()
                {
                    // back to the text on disk
                    self.changed.insert(rel);
                    self.dirty = true;
                }
            }
            _ => {}
        }
    }

    /// Record a buffer's text (`None` keeps the text known so far). Buffers outside the
    /// workspace root are not part of the workspace and are ignored.
    fn set_text(&mut self, uri: Uri, text: Option<String>) {
        let Some(rel) = self.rel_path(&uri) else {
            return;
        };
        match text {
            Some(text) => {
                self.open.insert(rel.clone(), (uri, text));
            }
            None if self.open.contains_key(&rel) => {}
            None => return,
        }
        self.changed.insert(rel);
        self.dirty = true;
    }

    fn rel_path(&self, uri: &Uri) -> Option<String> {
        let path = uri_to_path(uri)?;
        let rel = path.strip_prefix(&self.root).ok()?;
        Some(slash_path(rel))
    }

    /// Scan and check the workspace with the open buffers overlaid, then publish for
    /// every document that has or had diagnostics.
    fn evaluate(&mut self) {
        self.dirty = false;
        // the open buffers, borrowed: only a document that changed is read again
        let overlay: Vec<(&str, &str)> = self
            .open
            .iter()
            .map(|(rel, (_, text))| (rel.as_str(), text.as_str()))
            .collect();
        // skew.toml applies in the editor as on the command line (environments, declared
        // servers, extra rules), and an unsaved skew.toml buffer counts
        let config = match self.open.get(crate::config::FILE_NAME) {
            Some((_, text)) => {
                crate::config::Config::parse_confined(crate::config::FILE_NAME, text, &self.root)
                    .map(Some)
            }
            None => crate::config::Config::load(&self.root, None),
        };
        let config = match config {
            Ok(c) => c,
            Err(e) => return self.show_error(format!("skew.toml: {e}")),
        };
        let mut rules = self.rules.clone();
        for p in config.iter().flat_map(|c| &c.rules) {
            if let Err(e) = rules.load_path(p) {
                return self.show_error(e.to_string());
            }
        }
        let root = &self.root;
        // an edit re-extracts the documents it changed; a changed skew.toml may exclude
        // other files, so it walks again, as a save does
        let changed = std::mem::take(&mut self.changed);
        let mut kept = self.workspace.take();
        if changed.contains(crate::config::FILE_NAME) {
            kept = None;
        }
        let open = &self.open;
        // an extractor bug must cost one evaluation, not the editor's session (and the
        // kept workspace: the next evaluation reads it all again)
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            // `exclude` of skew.toml: excluded files are neither scanned nor published
            let opts = ScanOptions {
                exclude: crate::suppress::exclude_set(config.as_ref(), &[]),
                ..ScanOptions::default()
            }
            .keeping(self.within.as_deref());
            let ws = match kept {
                Some(mut ws) => {
                    for rel in &changed {
                        ws.update(rel, open.get(rel).map(|(_, text)| text.as_str()));
                    }
                    ws
                }
                None => scan::Workspace::read(root, &opts, &overlay).map_err(|e| e.to_string())?,
            };
            let inv = ws.inventory();
            let rehearsed = pipeline::rehearse(
                &inv,
                &rules,
                config.as_ref(),
                None,
                &[],
                CheckOptions::default(),
            )
            .map_err(|e| match e {
                pipeline::Error::Plan(e) => format!("skew.toml: {e}"),
                e => e.to_string(),
            })?;
            let (scenario, checked) = (rehearsed.scenario, rehearsed.checked);
            let snapshot = Snapshot {
                inv,
                scenario,
                findings: checked.findings,
                files_scanned: checked.files_scanned,
            };
            Ok::<_, String>((ws, snapshot))
        }));
        let snapshot = match outcome {
            Ok(Ok((ws, s))) => {
                self.workspace = Some(ws);
                s
            }
            Ok(Err(e)) => return self.show_error(e),
            Err(_) => return self.show_error("skew failed while checking the workspace".into()),
        };
        let mut by_uri: BTreeMap<String, (Uri, Vec<Diagnostic>)> = BTreeMap::new();
        for f in &snapshot.findings {
            let file_of = |span: Span| self.file_and_uri(&snapshot, span);
            let Some((file, uri)) = file_of(f.primary.span) else {
                continue;
            };
            if let Some(w) = &self.within
                && !(file.path == *w || file.path.starts_with(&format!("{w}/")))
            {
                continue;
            }
            if let Some(d) = convert::diagnostic(f, &file_of, self.enc) {
                let entry = by_uri.entry(uri.as_str().to_string());
                entry.or_insert_with(|| (uri, Vec::new())).1.push(d);
            }
        }
        let now: BTreeMap<String, Uri> = by_uri
            .iter()
            .map(|(key, (uri, _))| (key.clone(), uri.clone()))
            .collect();
        for (key, uri) in &self.published {
            if !now.contains_key(key) {
                self.publish(uri.clone(), Vec::new());
            }
        }
        for (_, (uri, diagnostics)) in by_uri {
            self.publish(uri, diagnostics);
        }
        self.published = now;
        self.snapshot = Some(snapshot);
    }

    /// The file a span is in and the URI the client knows it by.
    fn file_and_uri<'s>(&self, snap: &'s Snapshot, span: Span) -> Option<(&'s SourceFile, Uri)> {
        let file = snap.scenario.sources(&snap.inv).file(span.file);
        if let Some((uri, _)) = self.open.get(&file.path) {
            return Some((file, uri.clone()));
        }
        let path = if (span.file.0 as usize) < snap.files_scanned {
            self.root.join(&file.path)
        } else {
            // a user rule file, named as given on the command line
            std::path::absolute(Path::new(&file.path)).ok()?
        };
        Some((file, path_to_uri(&path)?))
    }

    /// Quick fixes for the findings whose primary range meets the requested range.
    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        // a client asking only for other kinds (`source.organizeImports`, …) gets nothing
        if let Some(only) = &params.context.only
            && !only
                .iter()
                .any(|k| k.as_str().is_empty() || *k == CodeActionKind::QUICKFIX)
        {
            return Vec::new();
        }
        if self.dirty {
            self.evaluate();
        }
        let (Some(snap), Some(rel)) = (&self.snapshot, self.rel_path(&params.text_document.uri))
        else {
            return Vec::new();
        };
        let sources = snap.scenario.sources(&snap.inv);
        let Some(file) = sources.by_path(&rel).map(|f| f.file) else {
            return Vec::new();
        };
        let components = snap.scenario.components(&snap.inv);
        let mut actions = Vec::new();
        for f in snap
            .findings
            .iter()
            .filter(|f| f.primary.span.file == file.id)
        {
            let span = f.primary.span;
            let r = range(file, span, self.enc);
            if !overlaps(&r, &params.range) {
                continue;
            }
            // the client the finding names first, when the blamed text is its declared
            // version itself: never rewrite a name
            let Some(client) = f.components.first().and_then(|id| {
                components.iter().copied().find(|c| {
                    c.id == *id && c.span == span && c.version.as_deref() == Some(file.slice(span))
                })
            }) else {
                continue;
            };
            let Some(qf) = quick_fix(f, client, &self.rules) else {
                continue;
            };
            let uri = params.text_document.uri.clone();
            let file_of = |s: Span| self.file_and_uri(snap, s);
            let diagnostic = convert::diagnostic(f, &file_of, self.enc);
            let edit = TextEdit::new(r, qf.new_text);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: qf.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diagnostic.map(|d| vec![d]),
                edit: Some(WorkspaceEdit::new(HashMap::from([(uri, vec![edit])]))),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
        actions
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>) {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }

    fn show_error(&self, message: String) {
        let params = ShowMessageParams {
            typ: MessageType::ERROR,
            message,
        };
        self.send(Notification::new("window/showMessage".into(), params).into());
    }

    fn send(&self, msg: Message) {
        // a closed channel means the client is gone; the main loop ends on its own
        let _ = self.conn.sender.send(msg);
    }
}
