//! Outputs stay the same through every optimisation: `skew check --format json` on every
//! fixture project in the repository, parsed and compared with a committed snapshot
//! (`tests/snapshots/outputs/`). Whitespace is not part of the schema, the content is:
//! a faster scan, a parallel walk or an index over components that changed one finding,
//! one location or the order of a list fails here.
//!
//! A fixture project is a folder under `fixtures/` that holds a file itself while no
//! folder above it (below `fixtures/`) does: `fixtures/outage-2023-06-03`,
//! `fixtures/rules/<id>/fail`, `fixtures/extract/npm-lock`. One more run covers all of
//! `fixtures/` at once, where projects sit side by side like services in a monorepo (the
//! shape the speed work indexes for). When a rule or a message changes on purpose:
//! `INSTA_UPDATE=always cargo test --test outputs`, then read every changed snapshot.

mod common;

use std::path::{Path, PathBuf};

/// Every fixture project, as paths relative to the repository root, sorted.
fn projects() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        if entries.iter().any(|p| p.is_file()) {
            out.push(dir.to_path_buf());
            return;
        }
        for p in entries.iter().filter(|p| p.is_dir()) {
            walk(p, out);
        }
    }
    let root = common::root();
    let mut found = Vec::new();
    walk(&root.join("fixtures"), &mut found);
    found
        .iter()
        .map(|p| skew::scan::slash_path(p.strip_prefix(&root).unwrap()))
        .collect()
}

/// What `skew check --format json PROJECT` says: the exit code and the parsed document
/// (or, when there is none, what it printed on stderr), with the version redacted.
fn outcome(project: &str) -> serde_json::Value {
    let o = common::skew(&["check", "--format", "json", project]);
    let mut doc = match serde_json::from_slice::<serde_json::Value>(&o.stdout) {
        Ok(doc) => doc,
        Err(_) => serde_json::Value::String(common::stderr(&o)),
    };
    if let Some(v) = doc.pointer_mut("/tool/version") {
        *v = "[version]".into();
    }
    serde_json::json!({ "exit": o.status.code(), "output": doc })
}

#[test]
fn json_output_of_every_fixture_project_is_unchanged() {
    let mut projects = projects();
    assert!(projects.len() > 100, "found only {projects:?}");
    projects.push("fixtures".into());
    // one process per project: run them on every core, then compare in order
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = projects.len().div_ceil(threads);
    let outcomes: Vec<serde_json::Value> = std::thread::scope(|s| {
        let handles: Vec<_> = projects
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|p| outcome(p)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/outputs");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (project, outcome) in projects.iter().zip(outcomes) {
            let name = project.replace('/', "__");
            insta::assert_json_snapshot!(name, outcome);
        }
    });
}
