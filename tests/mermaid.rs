//! `skew graph --format mermaid` against the real Mermaid library: the output must parse
//! and render to SVG, and every label must read as the name the user wrote (environment
//! boxes from `skew.toml` included), awkward characters included (quotes, brackets, `|`, `#`, `<`, `>`, `%%`, backticks, unicode).
//!
//! Mermaid is JavaScript, so `tests/mermaid/render.mjs` runs it under Node with jsdom as
//! the DOM (no browser). The test skips with a note when `node` or the packages are
//! missing, so plain `cargo test` passes with Rust alone; `.ci/run` installs them
//! (`npm ci --prefix tests/mermaid`) and sets `SKEW_REQUIRE_MERMAID=1`, which turns the
//! skip into a failure.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const SKEW: &str = env!("CARGO_BIN_EXE_skew");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn skew(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(SKEW)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SKEW_TODAY", "2026-01-01")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("skew runs");
    assert!(
        out.status.success(),
        "skew {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Why the Mermaid renderer cannot run here, if it cannot.
fn renderer_missing() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.as_ref().is_ok_and(|o| o.status.success()) {
        return Some(format!("`node` cannot run: {node:?}"));
    }
    let modules = repo_root().join("tests/mermaid/node_modules");
    for package in ["mermaid", "jsdom"] {
        if !modules.join(package).join("package.json").is_file() {
            return Some(format!(
                "{} is not installed (`npm ci --prefix tests/mermaid` installs it)",
                modules.join(package).display()
            ));
        }
    }
    None
}

/// The outage fixture plus names a user could really write and Mermaid's syntax would
/// love to misread: a compose service (a subgraph title), an image (a node title), an
/// npm package name (a subgraph title), version ranges (node titles) and a directory
/// (a file box title).
fn awkward_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("docker-compose.yml"),
        r#"services:
  "db \"main\" [primary] | #1 <eu> & ünï ✓ 🚀 %% `x` {y} ; end":
    image: mysql:8.0.36
  "`md`":
    image: postgres:16
  "style:a<b>":
    image: 're"dïs|#<x>`%:7.2 `y`'
"#,
    )
    .unwrap();
    // `"`, `|`, `<` and `>` are not allowed in Windows file names
    let service = if cfg!(unix) {
        "svc \"q\" [b] |#<x> ü %%{init}%% `t`"
    } else {
        "svc [b] #x ü %%{init}%% `t`"
    };
    std::fs::create_dir_all(root.join(service)).unwrap();
    std::fs::write(
        root.join(service).join("package.json"),
        r#"{
  "name": "we \"quote\" [x] | #1 <b>&amp; ünïcødé ✓ 🚀 \\ back %%{init: {}}%%",
  "dependencies": { "mysql": "<2.0 || >=2.18", "pg": "*" },
  "engines": { "node": ">=18 <21 || #35;" }
}
"#,
    )
    .unwrap();
    dir
}

/// The awkward project, deployed: its compose file in two environments with awkward
/// names (environment boxes, and the "also in" line of a node drawn in the first).
fn awkward_environments() -> tempfile::TempDir {
    let dir = awkward_project();
    std::fs::write(
        dir.path().join("skew.toml"),
        r#"[environments]
order = ["stage \"eu\" [1] | #a <b> & %% `x` ü", "prod:live; end"]

[environments."stage \"eu\" [1] | #a <b> & %% `x` ü"]
paths = ["docker-compose.yml"]

[environments."prod:live; end"]
paths = ["docker-compose.yml"]
servers = { kubernetes = "1.29" }
"#,
    )
    .unwrap();
    dir
}

/// Every label `skew graph` draws, worked out independently from its JSON form:
/// environment names, file paths and (file, group) titles per environment box drawn
/// (a node is drawn in its first environment; a group named like its environment is not
/// boxed again), `name version (locked x)` + `ecosystem kind` (+ `also in …` for the
/// other environments) for nodes and `rule (outcome)` for edges. Whitespace collapsed,
/// as a reader sees it.
fn expected_labels(graph: &Value) -> Vec<String> {
    let str_of = |v: &Value| v.as_str().map(str::to_owned);
    let mut envs = BTreeSet::new();
    let mut files = BTreeSet::new();
    let mut groups = BTreeSet::new();
    let mut labels = Vec::new();
    for n in graph["nodes"].as_array().unwrap() {
        let path = str_of(&n["location"]["path"]).unwrap();
        let deployed: Vec<String> = n["environments"]
            .as_array()
            .map(|a| a.iter().filter_map(str_of).collect())
            .unwrap_or_default();
        let env = deployed.first().cloned();
        if let Some(group) = str_of(&n["group"]).filter(|g| Some(g) != env.as_ref()) {
            groups.insert((env.clone(), path.clone(), group));
        }
        // a file's box is titled with its deployment unit when it is in one
        let file_title = match str_of(&n["unit"]) {
            Some(unit) => format!("{path} ({unit})"),
            None => path.clone(),
        };
        files.insert((env.clone(), file_title));
        envs.extend(env);
        let mut title = str_of(&n["name"]).unwrap();
        let version = str_of(&n["version"]);
        if let Some(v) = &version {
            title = format!("{title} {v}");
        }
        if let Some(r) = str_of(&n["resolved"]).filter(|r| Some(r) != version.as_ref()) {
            title = format!("{title} (locked {r})");
        }
        let mut label = format!(
            "{title} {} {}",
            n["ecosystem"].as_str().unwrap(),
            n["kind"].as_str().unwrap()
        );
        if deployed.len() > 1 {
            label = format!("{label} also in {}", deployed[1..].join(", "));
        }
        labels.push(label);
    }
    labels.extend(envs);
    labels.extend(files.into_iter().map(|(_, p)| p));
    labels.extend(groups.into_iter().map(|(_, _, g)| g));
    for e in graph["edges"].as_array().unwrap() {
        labels.push(format!(
            "{} ({})",
            e["rule_id"].as_str().unwrap(),
            e["outcome"].as_str().unwrap()
        ));
    }
    let mut labels: Vec<String> = labels.iter().map(|l| collapse(l)).collect();
    labels.sort();
    labels
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Characters `render_graph::mermaid_text` writes as `#code;` entity codes.
const ESCAPED: &[char] = &['#', '"', '<', '>', '|', '&', '%', '`', ':'];

#[test]
fn graph_mermaid_parses_and_renders_with_mermaid() {
    if let Some(why) = renderer_missing() {
        assert!(
            std::env::var_os("SKEW_REQUIRE_MERMAID").is_none(),
            "SKEW_REQUIRE_MERMAID is set but the Mermaid renderer is missing: {why}"
        );
        eprintln!("skipping the Mermaid rendering test: {why}");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let awkward = awkward_project();
    let awkward_envs = awkward_environments();
    let cases = [
        ("outage", repo_root().join("fixtures/outage-2023-06-03")),
        ("awkward", awkward.path().to_path_buf()),
        // with a skew.toml: one box per environment, declared servers in theirs
        (
            "parity",
            repo_root().join("fixtures/rehearse/parity-violation"),
        ),
        (
            "declared",
            repo_root().join("fixtures/rehearse/declared-server"),
        ),
        (
            "overlap",
            repo_root().join("fixtures/integ/overlapping-environments"),
        ),
        ("awkward-envs", awkward_envs.path().to_path_buf()),
    ];
    let mut inputs = Vec::new();
    let mut expected = Vec::new();
    for (name, dir) in &cases {
        let diagram = skew(dir, &["graph", "--format", "mermaid"]).stdout;
        let file = scratch.path().join(format!("{name}.mmd"));
        std::fs::write(&file, &diagram).unwrap();
        let json = skew(dir, &["graph", "--format", "json"]).stdout;
        let graph: Value = serde_json::from_slice(&json).unwrap();
        assert!(!graph["edges"].as_array().unwrap().is_empty(), "{name}");
        expected.push(expected_labels(&graph));
        inputs.push(file);
    }

    let out = Command::new("node")
        .arg(repo_root().join("tests/mermaid/render.mjs"))
        .args(&inputs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "Mermaid rejected a graph:\n{stderr}");

    let reports: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        reports.len(),
        2 * cases.len(),
        "one per label mode\n{stderr}"
    );
    for report in &reports {
        let input = report["input"].as_str().unwrap();
        let mode = report["mode"].as_str().unwrap();
        let case = inputs
            .iter()
            .position(|i| i.to_str() == Some(input))
            .unwrap();
        let want = &expected[case];
        let svg =
            std::fs::read_to_string(inputs[case].with_extension(format!("{mode}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{input} {mode}");
        let mut got: Vec<String> = report["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| collapse(l.as_str().unwrap()))
            .collect();
        got.sort();
        if mode == "html" {
            // Mermaid's default, and what GitHub and GitLab show: every label exact
            assert_eq!(&got, want, "{} ({mode} labels)", cases[case].0);
        } else {
            // SVG text labels wrap long words across rows (compare without whitespace),
            // and Mermaid leaves entity codes undecoded in subgraph titles there
            // (mermaid-js/mermaid#7015), so only labels without codes are compared.
            assert_eq!(got.len(), want.len(), "{} ({mode} labels)", cases[case].0);
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            let got: BTreeSet<String> = got.iter().map(|g| squeeze(g)).collect();
            for w in want.iter().filter(|w| !w.contains(ESCAPED)) {
                assert!(
                    got.contains(&squeeze(w)),
                    "{} ({mode} labels): {w:?} not in {got:?}",
                    cases[case].0
                );
            }
        }
    }
}

#[test]
fn mermaid_lockfile_pins_versions_without_registry_urls() {
    // `.npmrc` sets omit-lockfile-registry-resolved: `npm ci` resolves each package against
    // the configured registry and checks its `integrity`, so the lock names no host
    let lock =
        std::fs::read_to_string(repo_root().join("tests/mermaid/package-lock.json")).unwrap();
    assert!(!lock.contains("\"resolved\""), "a resolved URL crept in");
    assert!(!lock.contains("npmjs"), "the registry host crept in");
    let lock: Value = serde_json::from_str(&lock).unwrap();
    for package in ["mermaid", "jsdom"] {
        let entry = &lock["packages"][format!("node_modules/{package}")];
        assert!(entry["integrity"].is_string(), "{package}: {entry}");
        assert_eq!(
            lock["packages"][""]["dependencies"][package], entry["version"],
            "{package} is pinned to the exact locked version"
        );
    }
}
