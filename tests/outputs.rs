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

/// A big file's text is released after extraction and read again for the excerpts of
/// its findings (`SourceFile::release`, from 16 KiB): the outputs are those of texts kept
/// in memory. `fixture`'s files (after `prepare`) padded past the release size with
/// trailing blank lines, checked from the disk and, as the same bytes, from git's index
/// (`--staged` never releases); `expect` is in the findings.
fn released_as_kept(fixture: &str, prepare: impl Fn(&Path), expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    common::copy_dir(&common::root().join(fixture), repo);
    prepare(repo);
    fn pad(dir: &Path) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                pad(&p);
            } else {
                let mut text = std::fs::read_to_string(&p).unwrap();
                text.push_str(&"\n".repeat(20_000));
                std::fs::write(&p, text).unwrap();
            }
        }
    }
    pad(repo);
    common::git(repo, &["init", "-q", "."]);
    common::git(repo, &["add", "-A"]);
    for format in ["human", "json", "sarif"] {
        let disk = common::skew_in(repo, &["check", "--format", format, "."]);
        let index = common::skew_in(repo, &["check", "--staged", "--format", format, "."]);
        let shown = common::stdout(&disk);
        assert!(shown.contains(expect), "{format}: {shown}");
        assert_eq!(shown, common::stdout(&index), "{format}");
        assert_eq!(disk.status.code(), index.status.code(), "{format}");
    }
}

#[test]
fn outputs_from_released_texts_are_those_of_kept_texts() {
    released_as_kept(
        "fixtures/outage-2023-06-03",
        |_| {},
        "mysql-caching-sha2-password",
    );
}

/// A compose file the scan read and released is parsed again where another one
/// `extends` a service of it.
#[test]
fn a_released_compose_file_is_read_again_to_follow_extends() {
    released_as_kept(
        "fixtures/topology/extends-file",
        |repo| {
            let old = repo.join("common/services.yml");
            std::fs::rename(&old, repo.join("common/docker-compose.yml")).unwrap();
            let compose = repo.join("shop/compose.yaml");
            let text = std::fs::read_to_string(&compose).unwrap();
            std::fs::write(&compose, text.replace("services.yml", "docker-compose.yml")).unwrap();
        },
        "mysql-caching-sha2-password",
    );
}

/// Helm values the scan read and released are parsed again for the image tags of the
/// chart's dependencies.
#[test]
fn released_helm_values_are_read_again_for_dependency_versions() {
    released_as_kept(
        "fixtures/topology/helm-dependencies",
        |_| {},
        "postgres-scram-sha-256",
    );
}
