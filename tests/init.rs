//! `skew init` against the real binary: the `skew.toml` it writes from a scratch project
//! (environments guessed from file names, servers as comments) loads with skew's own
//! config parser, `skew check` runs with it, and an existing file is never replaced.

mod common;

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use common::{git, skew_in, stderr, stdout};
use skew::config::Config;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const MYSQL_80: &str = "services:\n  db:\n    image: mysql:8.0.36\n";
const MYSQL_84_K8S: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  \
    template:\n    spec:\n      containers:\n        - name: db\n          image: mysql:8.4.2\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "docker-compose.yml", MYSQL_80);
    write(root, "compose.staging.yaml", MYSQL_80);
    write(
        root,
        "docker-compose.prod.yml",
        "services:\n  cache:\n    image: redis:7.2.4\n",
    );
    write(root, "k8s/overlays/production/db.yaml", MYSQL_84_K8S);
    write(
        root,
        "charts/api/values-prod.yaml",
        "image:\n  repository: registry.example.test/api\n  tag: \"1.4.0\"\n",
    );
    write(
        root,
        "api/package.json",
        "{\"dependencies\": {\"mysql2\": \"3.9.7\"}}\n",
    );
    write(root, "fixtures/broken/package.json", "{\n");
    dir
}

fn load(dir: &Path) -> Config {
    let text = std::fs::read_to_string(dir.join("skew.toml")).unwrap();
    Config::parse("skew.toml", &text, dir).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn init_writes_a_config_that_loads_and_checks() {
    let dir = project();
    let o = skew_in(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let text = std::fs::read_to_string(dir.path().join("skew.toml")).unwrap();
    // it prints what it wrote
    assert!(out.starts_with("wrote ") && out.ends_with(&text), "{out}");
    let config = load(dir.path());
    let names: Vec<&str> = config
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["staging", "production"], "{text}");
    assert!(
        text.contains("order = [\"staging\", \"production\"]"),
        "{text}"
    );
    assert!(
        text.contains("paths = [\"compose.staging.yaml\"]"),
        "{text}"
    );
    assert!(
        text.contains(
            "paths = [\"charts/api/values-prod.yaml\", \"docker-compose.prod.yml\", \"k8s/overlays/production/**\"]"
        ),
        "{text}"
    );
    // servers as comments, with the declaration a managed one would need
    assert!(
        text.contains("#   mysql 8.4.2 (k8s/overlays/production/db.yaml:9)"),
        "{text}"
    );
    assert!(
        text.contains("# servers = { mysql = \"8.4.2\", redis = \"7.2.4\" }"),
        "{text}"
    );
    // the application's own image is no server
    assert!(!text.contains("registry.example.test/api"), "{text}");
    assert!(
        text.contains("#   mysql 8.0.36 (docker-compose.yml:3)"),
        "{text}"
    );
    // the fixture folder is offered for `exclude`, commented
    assert!(text.contains("# exclude = [\"fixtures/**\"]"), "{text}");
    // and skew check runs with it: production's 8.4 reached no earlier environment
    let o = skew_in(dir.path(), &["check", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("error[untested-upgrade]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn init_never_replaces_a_config() {
    let dir = project();
    write(dir.path(), "skew.toml", "select = [\"mysql-\"]\n");
    let o = skew_in(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("skew.toml` already exists") && err.contains("never replaces"),
        "{err}"
    );
    let kept = std::fs::read_to_string(dir.path().join("skew.toml")).unwrap();
    assert_eq!(kept, "select = [\"mysql-\"]\n");
}

#[test]
fn without_environment_names_the_example_is_commented() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docker-compose.yml", MYSQL_80);
    let o = skew_in(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let config = load(dir.path());
    assert!(config.environments.is_empty());
    let text = std::fs::read_to_string(dir.path().join("skew.toml")).unwrap();
    assert!(text.contains("# [environments]"), "{text}");
    assert!(
        text.contains("#   mysql 8.0.36 (docker-compose.yml:3)"),
        "{text}"
    );
    let o = skew_in(dir.path(), &["check"]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Like `check`, `init` finds the project root: from a sub-folder of a git work tree the
/// file goes to the top.
#[test]
fn init_writes_at_the_project_root() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: git not found; skipping");
        return;
    }
    let dir = project();
    git(dir.path(), &["init", "-q"]);
    let o = Command::cargo_bin("skew")
        .unwrap()
        .current_dir(dir.path().join("api"))
        .arg("init")
        .env_remove("SKEW_NO_DISCOVERY")
        .env("SKEW_TODAY", common::TODAY)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("skew.toml").is_file());
    assert!(!dir.path().join("api/skew.toml").exists());
    load(dir.path());
}
