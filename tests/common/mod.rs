//! Helpers shared by the integration tests that run whole fixture projects.

#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;

use skew::check::CheckOptions;
use skew::diagnostic::Finding;
use skew::pipeline::check_inventory_with;
use skew::rule::RuleSet;
use skew::scan::{ScanOptions, scan};

/// The repository root (where `fixtures/` lives).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The fixed "today" of every fixture test, so end-of-life rules do not change their
/// verdicts as the calendar moves.
pub const TODAY: &str = "2026-01-01";

/// Check a project with `rules`, and render its findings one per line as a user reads
/// them (with related locations and the fix), for snapshots.
pub fn check_project(dir: &Path, rules: &RuleSet) -> (Vec<Finding>, String) {
    check_project_on(dir, rules, TODAY)
}

/// [`check_project`] on another day (`YYYY-MM-DD`).
pub fn check_project_on(dir: &Path, rules: &RuleSet, today: &str) -> (Vec<Finding>, String) {
    let inv = scan(dir, &ScanOptions::default())
        .unwrap_or_else(|e| panic!("cannot scan {}: {e}", dir.display()));
    let options = CheckOptions {
        today: today.parse().unwrap(),
        selection: Default::default(),
    };
    let checked = check_inventory_with(&inv, rules, options);
    let sources = checked.sources(&inv);
    let mut text = String::new();
    for f in &checked.checked.findings {
        let loc = sources.location(f.primary.span);
        text.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            loc.path, loc.line, loc.column, f.severity, f.rule_id, f.message
        ));
        for r in &f.related {
            let l = sources.location(r.span);
            text.push_str(&format!(
                "  related {}:{}:{}: {}\n",
                l.path, l.line, l.column, r.message
            ));
        }
        if let Some(fix) = &f.fix {
            text.push_str(&format!("  fix: {fix}\n"));
        }
    }
    (checked.checked.findings, text)
}

/// Run the real binary in `dir`, without colour, at a fixed width.
pub fn skew_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("skew")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        // end-of-life findings must not change with the calendar
        .env("SKEW_TODAY", TODAY)
        // each fixture is its own project, not a part of skew's repository (tests/paths.rs
        // covers discovery); annotations name paths as outside CI
        .env("SKEW_NO_DISCOVERY", "1")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

/// Run the real binary at the repository root (where `fixtures/` lives).
pub fn skew(args: &[&str]) -> Output {
    skew_in(&root(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON document on stdout; on failure, both streams in the message.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(o), stderr(o)))
}

/// Copy a fixture tree (tests that edit files work on a copy).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let target = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// Run git in `dir` with a fixed identity (scratch repositories for `--since`,
/// `--staged`); fails the test when git fails, returns its stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.test")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.test")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}
