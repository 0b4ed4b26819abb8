//! `skew lsp` end to end: a real LSP client (pygls) drives the binary over stdio, and an
//! in-memory connection drives the same server loop where Python is not available.
//!
//! The pygls test skips with a message when `pygls` is not importable, so plain
//! `cargo test` passes with Rust alone; `.ci/run` installs pygls and sets
//! `SKEW_REQUIRE_LSP_CLIENT=1`, which turns the skip into a failure.

use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::{PublishDiagnosticsParams, Uri};
use serde_json::{Value, json};
use skew::ExitStatus;
use skew::lsp::{path_to_uri, serve_on};
use skew::rule::RuleSet;

#[test]
fn pygls_client_drives_the_binary_over_stdio() {
    let root = env!("CARGO_MANIFEST_DIR");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = Command::new(&python)
        .args(["-c", "import pygls.lsp.client"])
        .output();
    let available = probe.as_ref().is_ok_and(|o| o.status.success());
    if !available {
        let why = match &probe {
            Err(e) => format!("`{python}` cannot run: {e}"),
            Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
        };
        assert!(
            std::env::var_os("SKEW_REQUIRE_LSP_CLIENT").is_none(),
            "SKEW_REQUIRE_LSP_CLIENT is set but pygls is missing: {why}"
        );
        eprintln!("skipping the pygls LSP test: {why} (`pip install 'pygls>=2,<3'` runs it)");
        return;
    }
    let out = Command::new(&python)
        .current_dir(root)
        .arg("tests/lsp/pygls_client.py")
        .arg(env!("CARGO_BIN_EXE_skew"))
        .arg("fixtures/outage-2023-06-03")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pygls client failed\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A client end of an in-memory connection to a server thread.
struct Client {
    conn: Connection,
    server: Option<thread::JoinHandle<std::io::Result<ExitStatus>>>,
    next_id: i32,
}

impl Client {
    fn start(root: &Path, encodings: &[&str]) -> (Client, Value) {
        let (server_end, conn) = Connection::memory();
        let rules = RuleSet::builtin().unwrap();
        let server = thread::spawn(move || serve_on(&server_end, rules));
        let mut client = Client {
            conn,
            server: Some(server),
            next_id: 0,
        };
        let result = client.request(
            "initialize",
            json!({
                "capabilities": { "general": { "positionEncodings": encodings } },
                "rootUri": uri(root).as_str(),
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let req = Request::new(id.clone(), method.into(), params);
        self.conn.sender.send(req.into()).unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                _ => continue,
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.into(), params);
        self.conn.sender.send(n.into()).unwrap();
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers within 20 s")
    }

    /// Publications until every URI in `want` was published once.
    fn publications(&self, want: &[&Uri]) -> Vec<PublishDiagnosticsParams> {
        let mut got: Vec<PublishDiagnosticsParams> = Vec::new();
        while !want.iter().all(|u| got.iter().any(|p| &p.uri == *u)) {
            if let Message::Notification(n) = self.recv()
                && n.method == "textDocument/publishDiagnostics"
            {
                got.push(serde_json::from_value(n.params).unwrap());
            }
        }
        got
    }

    fn stop(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap().unwrap()
    }
}

fn uri(path: &Path) -> Uri {
    path_to_uri(path).unwrap()
}

fn range_of(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    let n = |v: &Value| v.as_u64().unwrap();
    (
        n(&r["start"]["line"]),
        n(&r["start"]["character"]),
        n(&r["end"]["line"]),
        n(&r["end"]["character"]),
    )
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const COMPOSE: &str = "services:\n  db:\n    image: mysql:8.0.36\n";
/// `é` is 2 UTF-8 bytes and 1 UTF-16 unit, `☕` 3 and 1, `𝄞` 4 and 2: the version
/// starts at UTF-16 unit 57, byte 62 (and character 56, which neither encoding uses).
const PACKAGE: &str =
    "{\"description\": \"café ☕ 𝄞\", \"dependencies\": {\"mysql2\": \"^1.7.0\"}}\n";

fn non_ascii_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docker-compose.yml", COMPOSE);
    write(dir.path(), "api/package.json", PACKAGE);
    dir
}

#[test]
fn positions_default_to_utf16_on_non_ascii_lines() {
    let dir = non_ascii_workspace();
    let (client, init) = Client::start(dir.path(), &[]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let api = uri(&dir.path().join("api/package.json"));
    let pubs = client.publications(&[&api]);
    let p = pubs.iter().find(|p| p.uri == api).unwrap();
    let d = serde_json::to_value(&p.diagnostics).unwrap();
    assert_eq!(d.as_array().unwrap().len(), 1, "{d:#}");
    let col = PACKAGE.find('^').unwrap();
    assert_eq!(PACKAGE[..col].encode_utf16().count(), 57);
    assert_eq!(range_of(&d[0]), (0, 57, 0, 63));
    assert_eq!(client.stop(), ExitStatus::Clean);
}

#[test]
fn positions_are_bytes_when_the_client_offers_utf8() {
    let dir = non_ascii_workspace();
    let (mut client, init) = Client::start(dir.path(), &["utf-16", "utf-8"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let api = uri(&dir.path().join("api/package.json"));
    let pubs = client.publications(&[&api]);
    let p = pubs.iter().find(|p| p.uri == api).unwrap();
    let d = serde_json::to_value(&p.diagnostics).unwrap();
    assert_eq!(PACKAGE.find('^').unwrap(), 62);
    assert_eq!(range_of(&d[0]), (0, 62, 0, 68));
    // the quick fix edits the same byte range
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": api.as_str() },
            "range": d[0]["range"],
            "context": { "diagnostics": [] },
        }),
    );
    let edit = &actions[0]["edit"]["changes"][api.as_str()][0];
    assert_eq!(edit["newText"], "^2.0.0");
    assert_eq!(range_of(edit), (0, 62, 0, 68));
    // a client asking for other kinds of action gets none
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": api.as_str() },
            "range": d[0]["range"],
            "context": { "diagnostics": [], "only": ["source.organizeImports"] },
        }),
    );
    assert_eq!(actions, json!([]));
    assert_eq!(client.stop(), ExitStatus::Clean);
}

#[test]
fn a_broken_buffer_is_a_parse_error_and_the_server_keeps_going() {
    let dir = non_ascii_workspace();
    let (client, _) = Client::start(dir.path(), &[]);
    let api = uri(&dir.path().join("api/package.json"));
    client.publications(&[&api]);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": {
            "uri": api.as_str(), "languageId": "json", "version": 1,
            "text": "{\n  \"dependencies\": {\n    \"mysql2\": \n",
        }}),
    );
    let pubs = client.publications(&[&api]);
    let d = serde_json::to_value(&pubs.last().unwrap().diagnostics).unwrap();
    assert_eq!(d[0]["code"], "parse-error", "{d:#}");
    assert_eq!(d[0]["severity"], 1);
    // closing the buffer falls back to the file on disk and its finding
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": api.as_str() } }),
    );
    let pubs = client.publications(&[&api]);
    let d = serde_json::to_value(&pubs.last().unwrap().diagnostics).unwrap();
    assert_eq!(d[0]["code"], "mysql-caching-sha2-password", "{d:#}");
    assert_eq!(client.stop(), ExitStatus::Clean);
}

#[test]
fn exit_without_shutdown_is_an_error_status() {
    let dir = tempfile::tempdir().unwrap();
    let (client, _) = Client::start(dir.path(), &[]);
    client.notify("exit", Value::Null);
    let mut client = client;
    let status = client.server.take().unwrap().join().unwrap().unwrap();
    assert_eq!(status, ExitStatus::Error);
}

#[test]
fn skew_toml_applies_in_the_editor_including_unsaved_edits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "worker/requirements.txt", "PyMySQL==0.8.1\n");
    write(
        root,
        "skew.toml",
        "[environments.production]\nservers = { mysql = \"8.0.36\" }\n",
    );
    let (client, _) = Client::start(root, &[]);
    let worker = uri(&root.join("worker/requirements.txt"));
    let pubs = client.publications(&[&worker]);
    let d = serde_json::to_value(&pubs.last().unwrap().diagnostics).unwrap();
    assert_eq!(d[0]["code"], "mysql-caching-sha2-password", "{d:#}");
    // the declared server is the related location, in skew.toml
    let related = d[0]["relatedInformation"][0]["location"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(related.ends_with("/skew.toml"), "{related}");
    // an unsaved edit of skew.toml (production on 5.7) clears the finding
    let config = uri(&root.join("skew.toml"));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": {
            "uri": config.as_str(), "languageId": "toml", "version": 1,
            "text": "[environments.production]\nservers = { mysql = \"5.7.44\" }\n",
        }}),
    );
    let pubs = client.publications(&[&worker]);
    let last = pubs.iter().rev().find(|p| p.uri == worker).unwrap();
    assert!(last.diagnostics.is_empty(), "{:?}", last.diagnostics);
    assert_eq!(client.stop(), ExitStatus::Clean);
}

#[test]
fn suppressed_and_excluded_findings_are_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "docker-compose.yml", COMPOSE);
    write(root, "worker/requirements.txt", "PyMySQL==0.8.1\n");
    write(root, "legacy/requirements.txt", "PyMySQL==0.8.1\n");
    write(root, "skew.toml", "exclude = [\"legacy\"]\n");
    let (client, _) = Client::start(root, &[]);
    let worker = uri(&root.join("worker/requirements.txt"));
    let pubs = client.publications(&[&worker]);
    let last = pubs.iter().rev().find(|p| p.uri == worker).unwrap();
    assert_eq!(last.diagnostics.len(), 1, "{:?}", last.diagnostics);
    let legacy = uri(&root.join("legacy/requirements.txt"));
    assert!(
        pubs.iter().all(|p| p.uri != legacy),
        "excluded file published"
    );
    // an unsaved inline suppression hides the finding in the editor
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": {
            "uri": worker.as_str(), "languageId": "pip-requirements", "version": 1,
            "text": "PyMySQL==0.8.1  # skew: ignore[mysql-caching-sha2-password] -- retired\n",
        }}),
    );
    let pubs = client.publications(&[&worker]);
    let last = pubs.iter().rev().find(|p| p.uri == worker).unwrap();
    assert!(last.diagnostics.is_empty(), "{:?}", last.diagnostics);
    assert!(
        pubs.iter().all(|p| p.uri != legacy),
        "excluded file published"
    );
    assert_eq!(client.stop(), ExitStatus::Clean);
}

/// The workspace folder is a part of a larger project: the server finds the root as the
/// CLI does (here the git work-tree top), so the API folder's client meets the database
/// the compose file at the top runs, and only the folder's own files are published.
#[test]
fn a_workspace_folder_inside_a_repository_sees_the_whole_project() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: git not found; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(init.status.success());
    write(root, "docker-compose.yml", COMPOSE);
    write(
        root,
        "services/api/package.json",
        "{\"dependencies\": {\"mysql\": \"2.18.1\"}}\n",
    );
    let (client, _) = Client::start(&root.join("services/api"), &[]);
    let api = uri(&root.join("services/api/package.json"));
    let pubs = client.publications(&[&api]);
    let d = serde_json::to_value(&pubs.last().unwrap().diagnostics).unwrap();
    assert_eq!(d[0]["code"], "mysql-caching-sha2-password", "{d:#}");
    let related = d[0]["relatedInformation"][0]["location"]["uri"]
        .as_str()
        .unwrap();
    assert!(related.ends_with("/docker-compose.yml"), "{related}");
    let compose = uri(&root.join("docker-compose.yml"));
    assert!(
        pubs.iter().all(|p| p.uri != compose),
        "outside the folder: not published"
    );
    assert_eq!(client.stop(), ExitStatus::Clean);
}
