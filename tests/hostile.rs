//! Hostile repositories (issue #11): the scanned repository is untrusted input and the
//! output goes to terminals and CI logs. Each test is one attack or one unlucky file, run
//! against the real binary, asserting the clear outcome: exit code, message, no outside
//! content, no raw control characters. Every run has a generous timeout: a hang detector,
//! not a timing assertion.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// A hang detector: far above any run here, far below "forever".
const GUARD: Duration = Duration::from_secs(60);

const SECRET: &str = "s3cr3t-token-do-not-print";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("skew")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("SKEW_NO_DISCOVERY", "1")
        .env("COLUMNS", "80")
        .env("HOSTILE_TEST_SECRET", SECRET)
        .env_remove("CLICOLOR_FORCE")
        .timeout(GUARD)
        .output()
        .unwrap()
}

fn all_output(o: &Output) -> String {
    format!("{}{}", common::stdout(o), common::stderr(o))
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Findings of a JSON report as `(rule_id, path, line, column, message)`.
fn findings(o: &Output) -> Vec<(String, String, u64, u64, String)> {
    let doc = common::json(o);
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---- 1. confinement of paths the repository names -------------------------------------

#[test]
fn a_repository_rule_path_to_proc_environ_is_refused_without_printing_it() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "skew.toml",
        "rules = [\"/proc/self/environ\"]\n",
    );
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    let err = common::stderr(&o);
    assert!(err.contains("resolves outside the repository"), "{err}");
    assert!(err.contains("skew.toml:1:10"), "{err}");
    assert!(!all_output(&o).contains(SECRET));
}

#[cfg(unix)]
#[test]
fn a_symlinked_rule_file_leaving_the_repository_is_refused_without_printing_it() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "shadow",
        format!("root:{SECRET}:19000::::::\n"),
    );
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "skew.toml", "rules = [\"ops\"]\n");
    std::fs::create_dir(repo.path().join("ops")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("shadow"),
        repo.path().join("ops/a.toml"),
    )
    .unwrap();
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    let err = common::stderr(&o);
    assert!(err.contains("holds `a.toml`"), "{err}");
    assert!(!all_output(&o).contains(SECRET));
    // the folder itself as a symlink out of the repository: refused too
    let repo2 = tempfile::tempdir().unwrap();
    write(repo2.path(), "skew.toml", "rules = [\"ops\"]\n");
    std::os::unix::fs::symlink(outside.path(), repo2.path().join("ops")).unwrap();
    let o = run(repo2.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    assert!(!all_output(&o).contains(SECRET));
}

#[cfg(unix)]
#[test]
fn a_skew_toml_that_is_a_symlink_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "environ", format!("TOKEN={SECRET}\n"));
    let repo = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("environ"),
        repo.path().join("skew.toml"),
    )
    .unwrap();
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    assert!(common::stderr(&o).contains("outside the repository"));
    assert!(!all_output(&o).contains(SECRET));
}

#[test]
fn rule_paths_to_devices_are_refused_at_once() {
    let repo = tempfile::tempdir().unwrap();
    // outside the repository: refused before anything is opened
    write(repo.path(), "skew.toml", "rules = [\"/dev/zero\"]\n");
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    // on the command line (the user's choice) still only a regular file is read
    let o = run(
        repo.path(),
        &["check", "--rules", "/dev/zero", "--config", "/dev/null"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    assert!(
        common::stderr(&o).contains("not a regular file"),
        "{}",
        all_output(&o)
    );
}

#[cfg(unix)]
#[test]
fn fifos_as_rule_or_config_files_do_not_hang() {
    let repo = tempfile::tempdir().unwrap();
    let fifo = repo.path().join("pipe.toml");
    if !mkfifo(&fifo) {
        return;
    }
    for args in [
        &["check", ".", "--rules", "pipe.toml"][..],
        &["check", ".", "--config", "pipe.toml"][..],
    ] {
        let o = run(repo.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", all_output(&o));
        assert!(
            common::stderr(&o).contains("a named pipe (FIFO), not a regular file"),
            "{}",
            all_output(&o)
        );
    }
    // named by the repository's skew.toml, directly or as a folder entry
    for rules in ["pipe.toml", "."] {
        write(repo.path(), "skew.toml", format!("rules = [\"{rules}\"]\n"));
        let o = run(repo.path(), &["check", "."]);
        assert_eq!(o.status.code(), Some(2), "{rules}: {}", all_output(&o));
        assert!(
            common::stderr(&o).contains("regular file"),
            "{}",
            all_output(&o)
        );
    }
    // a skew.toml that is a FIFO is reported, not waited on
    std::fs::remove_file(repo.path().join("skew.toml")).unwrap();
    assert!(mkfifo(&repo.path().join("skew.toml")));
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
}

#[test]
fn a_rule_path_inside_the_repository_still_works() {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "skew.toml", "rules = [\"ops\", \"missing\"]\n");
    std::fs::create_dir(repo.path().join("ops")).unwrap();
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(err.contains("`missing` does not exist"), "{err}");
    assert!(!err.contains("`ops`"), "{err}");
    write(repo.path(), "skew.toml", "rules = [\"ops\"]\n");
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", all_output(&o));
}

// ---- 2. the scan reads regular files only, and says what it skipped ------------------

#[cfg(unix)]
#[test]
fn special_files_and_escaping_symlinks_become_skipped_file_findings() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "Dockerfile",
        format!("FROM mysql:{SECRET}\n"),
    );
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    write(
        root,
        "app/package.json",
        "{\"dependencies\": {\"mysql2\": \"^3.0.0\"}}\n",
    );
    std::os::unix::fs::symlink(outside.path().join("Dockerfile"), root.join("Dockerfile")).unwrap();
    std::os::unix::fs::symlink(root.join("gone.txt"), root.join("requirements.txt")).unwrap();
    // a symlink that stays inside is read like the file it points to
    std::fs::create_dir(root.join("web")).unwrap();
    std::os::unix::fs::symlink("../app/package.json", root.join("web/package.json")).unwrap();
    let fifo = mkfifo(&root.join("go.mod"));
    let o = run(root, &["check", ".", "--format", "json"]);
    assert!(!all_output(&o).contains(SECRET));
    let got = findings(&o);
    let skipped: Vec<_> = got
        .iter()
        .filter(|f| f.0 == "skipped-file")
        .map(|f| (f.1.as_str(), f.4.as_str()))
        .collect();
    let mut want = vec![
        (
            "Dockerfile",
            "skipped `Dockerfile`: it resolves to a path outside the repository",
        ),
        (
            "requirements.txt",
            "skipped `requirements.txt`: it is a symlink to nothing",
        ),
    ];
    if fifo {
        want.insert(
            1,
            (
                "go.mod",
                "skipped `go.mod`: it is a named pipe (FIFO), not a regular file",
            ),
        );
    }
    assert_eq!(skipped, want);
    let doc = common::json(&o);
    let paths: Vec<_> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["app/package.json", "web/package.json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an error-level finding fails the check"
    );
}

#[test]
fn a_file_over_the_size_limit_is_skipped_with_a_finding() {
    let repo = tempfile::tempdir().unwrap();
    let big = format!(
        "{{\"dependencies\": {{\"mysql2\": \"^3.0.0\"}}, \"description\": \"{}\"}}\n",
        "x".repeat(2000)
    );
    write(repo.path(), "package.json", &big);
    write(repo.path(), "skew.toml", "max-file-size = \"1 KiB\"\n");
    let o = run(repo.path(), &["check", ".", "--format", "json"]);
    let got = findings(&o);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "skipped-file");
    assert_eq!(
        got[0].4,
        "skipped `package.json`: it is larger than the limit of 1 KiB"
    );
    write(repo.path(), "skew.toml", "max-file-size = 1048576\n");
    let o = run(repo.path(), &["check", ".", "--format", "json"]);
    assert!(findings(&o).is_empty());
    write(repo.path(), "skew.toml", "max-file-size = \"lots\"\n");
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(common::stderr(&o).contains("`max-file-size` must be"));
}

// ---- 7 (part). bad values in skew.toml are config errors with a span ----------------

#[test]
fn a_bad_declared_server_version_is_a_config_error_with_a_span() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "skew.toml",
        "[environments.prod]\nservers = { mysql = \"not-a-version\" }\npaths = [\"../up/**\"]\n",
    );
    let o = run(repo.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    let err = common::stderr(&o);
    assert!(
        err.contains("`not-a-version` is not a server version"),
        "{err}"
    );
    assert!(err.contains("skew.toml:2:21"), "{err}");
    assert!(err.contains("no leading `/`, no `..`"), "{err}");
}

// ---- 6. encodings ----------------------------------------------------------------------

#[test]
fn a_utf8_bom_is_accepted_in_every_format() {
    let repo = tempfile::tempdir().unwrap();
    let bom = "\u{feff}";
    let files = [
        (
            "package.json",
            "{\"dependencies\": {\"mysql2\": \"^3.0.0\"}}\n",
        ),
        ("Dockerfile", "FROM mysql:8.0\n"),
        ("requirements.txt", "PyMySQL==1.1.0\n"),
        (
            "go.mod",
            "module x\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.7.0\n",
        ),
        (".tool-versions", "nodejs 20.11.0\n"),
        (
            "main.tf",
            "terraform {\n  required_version = \">= 1.5\"\n}\n",
        ),
        (
            "setup.cfg",
            "[options]\ninstall_requires =\n    PyMySQL>=1.0\n",
        ),
        ("composer.json", "{\"require\": {\"php\": \">=8.1\"}}\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\"PyMySQL>=1.0\"]\n",
        ),
    ];
    for (name, text) in files {
        write(repo.path(), name, format!("{bom}{text}"));
    }
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    let doc = common::json(&o);
    assert_eq!(doc["findings"], serde_json::json!([]), "{}", all_output(&o));
    let mut paths: Vec<_> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["location"]["path"].as_str().unwrap().to_string())
        .collect();
    paths.dedup();
    assert_eq!(paths.len(), files.len(), "{paths:?}");
    // the BOM takes no column: the tag of `FROM mysql:8.0` is at 1:12, as an editor shows it
    let from = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["location"]["path"] == "Dockerfile")
        .unwrap();
    assert_eq!(from["location"]["column"], 12);
}

#[test]
fn a_bad_byte_is_reported_at_its_line_and_column() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "requirements.txt",
        b"PyMySQL==1.1.0\nmysql\xFF==1\n",
    );
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    let got = findings(&o);
    assert_eq!(
        got,
        [(
            "read-error".to_string(),
            "requirements.txt".to_string(),
            2,
            6,
            "cannot read `requirements.txt`: invalid UTF-8 (byte 0xFF) at 2:6".to_string()
        )]
    );
}

#[test]
fn nul_bytes_are_rejected_as_data() {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "requirements.txt", b"PyMySQL==1.1.0\0\n");
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    let doc = common::json(&o);
    assert_eq!(doc["components"], serde_json::json!([]));
    let got = findings(&o);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].0.as_str(), got[0].2, got[0].3),
        ("read-error", 1, 15)
    );
    assert!(got[0].4.contains("NUL byte"), "{got:?}");
}

#[test]
fn utf16_and_cr_only_files_are_read() {
    let repo = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("PyMySQL==1.1.0\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    write(repo.path(), "requirements.txt", utf16);
    write(
        repo.path(),
        ".tool-versions",
        "nodejs 20.11.0\rpython 3.12.1\r",
    );
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    let doc = common::json(&o);
    assert_eq!(doc["findings"], serde_json::json!([]), "{}", all_output(&o));
    let got: Vec<_> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["version"].as_str().unwrap().to_string(),
                c["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        got.contains(&("PyMySQL".into(), "==1.1.0".into(), 1)),
        "{got:?}"
    );
    assert!(got.iter().any(|c| c.1 == "3.12.1" && c.2 == 2), "{got:?}");
    assert!(got.iter().any(|c| c.1 == "20.11.0" && c.2 == 1), "{got:?}");
}

// ---- 3. text from scanned files is neutralised before a terminal or CI log ------------

/// No raw control character but `\n` (and `\t`) in `s`, and no bidi control.
fn assert_inert(s: &str, what: &str) {
    let bad: Vec<char> = s
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in\n{s}");
}

#[test]
fn escape_sequences_in_a_manifest_never_reach_the_terminal_raw() {
    let repo = tempfile::tempdir().unwrap();
    // an OSC title and a bidi override: raw in a Dockerfile (a component and an
    // end-of-life finding), YAML-escaped in a compose file (an unpinned-server finding),
    // raw in YAML (a parse error whose snippet shows the line)
    write(
        repo.path(),
        "Dockerfile",
        "FROM node:14\x1b]0;pwned\x07\u{202e}x\n",
    );
    write(
        repo.path(),
        "docker-compose.yml",
        "services:\n  db:\n    image: \"mysql:latest\\e]0;pwned\\a\\u202e\"\n",
    );
    write(
        repo.path(),
        "deploy/docker-compose.yml",
        "services:\n  db:\n    image: mysql:8\x1b[2J\n",
    );
    let o = run(repo.path(), &["check", "."]);
    let out = common::stdout(&o);
    for code in ["node-eol", "unpinned-server", "parse-error"] {
        assert!(out.contains(code), "{code}: {out}");
    }
    assert!(out.contains("image: mysql:8\\u{1b}[2J"), "{out}");
    for format in ["human", "short", "github"] {
        let o = run(repo.path(), &["check", ".", "--format", format]);
        assert_inert(&common::stdout(&o), format);
        assert_inert(&common::stderr(&o), format);
    }
    let o = run(repo.path(), &["scan", "."]);
    assert!(common::stdout(&o).contains("\\u{1b}"), "{}", all_output(&o));
    assert_inert(&common::stdout(&o), "scan human");
    let o = run(repo.path(), &["scan", ".", "--format", "short"]);
    assert_inert(&common::stdout(&o), "scan short");
    // JSON stays exact: the escape is there, as JSON writes it
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    let names = common::json(&o)["components"].to_string();
    assert!(names.contains("\\u001b"), "{names}");
}

#[cfg(unix)]
#[test]
fn a_path_with_a_newline_cannot_start_a_workflow_command() {
    let repo = tempfile::tempdir().unwrap();
    let dir = "a\n::error file=evil::pwned";
    write(
        repo.path(),
        &format!("{dir}/docker-compose.yml"),
        "services:\n  db:\n    image: mysql\n",
    );
    for format in ["short", "github", "human"] {
        let o = run(repo.path(), &["check", ".", "--format", format]);
        let out = common::stdout(&o);
        assert!(out.contains("unpinned-server"), "{format}: {out}");
        for line in out.lines() {
            assert!(
                !line.trim_start().starts_with("::error file=evil"),
                "{format}: {out}"
            );
        }
        if format == "github" {
            assert_eq!(out.lines().count(), 1, "{out}");
        }
    }
}

// ---- 4. long lines ----------------------------------------------------------------------

#[test]
fn a_finding_past_column_65535_renders_with_a_cut_snippet() {
    let repo = tempfile::tempdir().unwrap();
    // minified JSON: the broken spot is far out on the one line
    let mut text = String::from("{\"description\": \"");
    text.push_str(&"x".repeat(70_000));
    text.push_str("\", \"dependencies\": {\"mysql2\": ^3}}");
    write(repo.path(), "package.json", &text);
    let o = run(repo.path(), &["check", "."]);
    let out = common::stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    assert!(
        !common::stderr(&o).contains("panicked"),
        "{}",
        all_output(&o)
    );
    assert!(out.contains("parse-error"), "{out}");
    assert!(out.contains("[package.json:1:700"), "{out}");
    assert!(out.contains('…'), "{out}");
    assert!(out.len() < 4000, "bounded snippet: {} bytes", out.len());
}

// ---- 5. bounds --------------------------------------------------------------------------

#[test]
fn a_one_line_package_json_with_40k_dependencies_finishes() {
    let repo = tempfile::tempdir().unwrap();
    let deps: Vec<String> = (0..40_000).map(|i| format!("\"p{i}\": \"é{i}\"")).collect();
    write(
        repo.path(),
        "package.json",
        format!("{{\"dependencies\": {{{}}}}}", deps.join(", ")),
    );
    // the guard is the assertion: quadratic span conversion took seconds per format
    for format in ["json", "human", "short"] {
        let o = run(repo.path(), &["scan", ".", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format}");
    }
}

#[test]
fn the_language_server_refuses_an_unreasonable_content_length() {
    let dir = tempfile::tempdir().unwrap();
    for len in ["18446744073709551615", "3000000000"] {
        let o = Command::cargo_bin("skew")
            .unwrap()
            .current_dir(dir.path())
            .arg("lsp")
            .write_stdin(format!("Content-Length: {len}\r\n\r\n"))
            .timeout(GUARD)
            .output()
            .unwrap();
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{len}: {err}");
        assert!(err.contains("over the limit"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

// ---- 8. --since reads any committed path --------------------------------------------

#[cfg(unix)]
#[test]
fn since_reads_a_committed_path_containing_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        common::git(repo, args);
    };
    let compose = "services:\n  db:\n    image: mysql\n";
    write(repo, "odd\nname/docker-compose.yml", compose);
    write(repo, "plain/docker-compose.yml", compose);
    write(repo, "sub/docker-compose.yml", compose);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "unpinned servers everywhere"]);
    // the finding existed at HEAD in every folder, so none is new
    let o = run(repo, &["check", ".", "--since", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", all_output(&o));
    assert!(findings(&o).is_empty(), "{:?}", findings(&o));
    // a change in one folder shows there only, also when checking a subfolder
    write(
        repo,
        "sub/docker-compose.yml",
        "services:\n  db:\n    image: postgres\n",
    );
    let o = run(
        repo,
        &["check", "sub", "--since", "HEAD", "--format", "json"],
    );
    let got = findings(&o);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1, "docker-compose.yml");
}

#[test]
fn deeply_nested_input_is_a_parse_error_or_ignored_never_a_crash() {
    let n = 100_000;
    let (open, close) = ("[".repeat(n), "]".repeat(n));
    let cases = [
        (
            "package.json",
            format!("{{\"dependencies\": {{\"mysql2\": \"^3.0.0\"}}, \"x\": {open}{close}}}"),
        ),
        ("docker-compose.yml", format!("services: {open}{close}\n")),
        ("Cargo.toml", format!("[dependencies]\nx = {open}{close}\n")),
        (
            "pyproject.toml",
            format!("a = {}1{}\n", "{b=".repeat(n), "}".repeat(n)),
        ),
        ("main.tf", format!("x = {open}{close}\n")),
        (
            "pom.xml",
            format!("<project>{}{}</project>", "<a>".repeat(n), "</a>".repeat(n)),
        ),
    ];
    for (name, text) in cases {
        let repo = tempfile::tempdir().unwrap();
        write(repo.path(), name, &text);
        let o = run(repo.path(), &["scan", ".", "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", common::stderr(&o));
        let doc = common::json(&o);
        for f in doc["findings"].as_array().unwrap() {
            assert_eq!(f["rule_id"], "parse-error", "{name}: {f}");
        }
    }
}

// ---- 7 (part). Maven properties nothing defines --------------------------------------

#[test]
fn undefined_and_cyclic_maven_properties_are_findings() {
    let repo = tempfile::tempdir().unwrap();
    let dep = |g: &str, a: &str, v: &str| {
        format!(
            "<dependency><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version></dependency>"
        )
    };
    // no parent: only this file can define a property
    write(
        repo.path(),
        "solo/pom.xml",
        format!(
            "<project>\n<groupId>g</groupId><artifactId>solo</artifactId><version>1</version>\n\
             <properties><a.v>${{b.v}}</a.v><b.v>${{a.v}}</b.v></properties>\n<dependencies>\n{}\n{}\n</dependencies>\n</project>\n",
            dep("com.mysql", "mysql-connector-j", "${undefined}"),
            dep("org.postgresql", "postgresql", "${a.v}"),
        ),
    );
    // a parent in the repository that does not define it either
    write(
        repo.path(),
        "family/pom.xml",
        "<project><groupId>g</groupId><artifactId>parent</artifactId><version>1</version>\
         <properties><known>2.0</known></properties></project>\n",
    );
    write(
        repo.path(),
        "family/child/pom.xml",
        format!(
            "<project><parent><groupId>g</groupId><artifactId>parent</artifactId><version>1</version></parent>\n\
             <artifactId>child</artifactId><dependencies>\n{}\n{}\n</dependencies></project>\n",
            dep("com.mysql", "mysql-connector-j", "${missing}"),
            dep("org.postgresql", "postgresql", "${known}"),
        ),
    );
    // a parent outside the repository may define anything: no finding
    write(
        repo.path(),
        "external/pom.xml",
        format!(
            "<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>\n\
             <artifactId>app</artifactId><dependencies>\n{}\n</dependencies></project>\n",
            dep("com.mysql", "mysql-connector-j", "${mysql.version}"),
        ),
    );
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    let got: Vec<_> = findings(&o)
        .into_iter()
        .map(|f| (f.0, f.1, f.2, f.4))
        .collect();
    assert_eq!(
        got,
        [
            (
                "unresolved-property".to_string(),
                "family/child/pom.xml".to_string(),
                3,
                "the version `${missing}` of `com.mysql:mysql-connector-j` cannot be resolved: \
                 `${missing}` is defined neither in this POM nor in its parents"
                    .to_string()
            ),
            (
                "unresolved-property".to_string(),
                "solo/pom.xml".to_string(),
                5,
                "the version `${undefined}` of `com.mysql:mysql-connector-j` cannot be resolved: \
                 `${undefined}` is defined neither in this POM nor in its parents"
                    .to_string()
            ),
            (
                "unresolved-property".to_string(),
                "solo/pom.xml".to_string(),
                6,
                "the version `${a.v}` of `org.postgresql:postgresql` cannot be resolved: \
                 the properties `${a.v}` -> `${b.v}` -> `${a.v}` refer to each other in a cycle"
                    .to_string()
            ),
        ],
        "{}",
        all_output(&o)
    );
}

/// A field of the wrong JSON type is a `wrong-type` error at the value, not "nothing
/// declared"; the rest of the file is still read.
#[test]
fn fields_of_the_wrong_type_are_findings_at_the_value() {
    let repo = tempfile::tempdir().unwrap();
    write(
        repo.path(),
        "package.json",
        "{\n  \"dependencies\": [\"mysql2\"],\n  \"devDependencies\": { \"jest\": 29, \"pg\": \"^8.11.0\" }\n}\n",
    );
    write(
        repo.path(),
        "php/composer.json",
        "{\n  \"require\": {\n    \"monolog/monolog\": {}\n  }\n}\n",
    );
    // a warning: what skew could not read is not a break, so only `--fail-on warning`
    // fails on it
    let o = run(repo.path(), &["check", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", all_output(&o));
    let o = run(
        repo.path(),
        &["check", ".", "--format", "json", "--fail-on", "warning"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let got: Vec<_> = findings(&o)
        .into_iter()
        .filter(|f| f.0 == "wrong-type")
        .collect();
    let want = [
        (
            "package.json",
            2,
            19,
            "`dependencies` must be an object of package names to versions, found an array",
        ),
        (
            "package.json",
            3,
            32,
            "`jest` in `devDependencies` must be a version string, found a number",
        ),
        (
            "php/composer.json",
            3,
            24,
            "`monolog/monolog` in `require` must be a version string, found an object",
        ),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(p, l, c, m)| {
            (
                "wrong-type".to_string(),
                p.to_string(),
                *l,
                *c,
                m.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want, "{}", all_output(&o));
    // the well-typed entry beside them is still read
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    assert!(
        common::stdout(&o).contains("\"^8.11.0\""),
        "{}",
        all_output(&o)
    );
    // and the human report shows where
    let o = run(repo.path(), &["check", ".", "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", all_output(&o));
    assert!(
        common::stdout(&o).contains("package.json:2:19: warning[wrong-type]"),
        "{}",
        all_output(&o)
    );
}

// ---- 9. inputs the fuzzers found ------------------------------------------------------

/// `fuzz/artifacts/extract/crash-2fbfa1f8…`: pep508_rs panics ("`PackageName` validation
/// should match PEP 508 parsing") on a requirement line starting with a version-like
/// name. skew guards that parser; the fuzz harness had to learn the same.
#[test]
fn fuzz_pep508_name_panic_is_a_parse_error() {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "requirements.txt", "3.3.@\n");
    let o = run(repo.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", all_output(&o));
    let got = findings(&o);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "parse-error");
    assert!(!common::stderr(&o).contains("panicked"));
}
