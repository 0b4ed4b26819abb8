//! jsonnet-bundler (`jsonnetfile.json` and its lock, `jsonnetfile.lock.json`): the Jsonnet
//! libraries `jb install` vendors.
//!
//! Each `dependencies[]` entry with a `source.git` is a `package` in `jsonnet`, named as jb
//! names it: the remote's host and path without `.git`, then the `subdir`
//! (`github.com/grafana/grafonnet/gen/grafonnet-latest`); version = `version` as written
//! (a branch, tag or commit), blamed on it; no `version` is unknown, blamed on the
//! remote. In the lock the same entries are `lock` components whose version is the commit
//! jb resolved. `source.local` entries (a folder of the repository) have no version: no
//! component. Files under a `vendor/` folder are what jb vendored, not the project's
//! (Renovate skips them too): nothing is read there.
//!
//! Must not: follow the vendored packages' own jsonnetfiles, or read `sum`.

use std::path::Path;

use serde::Deserialize;

use super::json_str::Str;
use super::npm_manifest::json_error;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct JsonnetBundler;

impl Extractor for JsonnetBundler {
    fn name(&self) -> &'static str {
        "jsonnet-bundler"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["jsonnetfile.json", "mixin/jsonnetfile.lock.json"]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            "jsonnetfile.json" | "jsonnetfile.lock.json"
        ) && !path.components().any(|c| c.as_os_str() == "vendor")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        let lock = file.path.ends_with("jsonnetfile.lock.json");
        let format = if lock {
            "jsonnetfile.lock.json"
        } else {
            "jsonnetfile.json"
        };
        let jf: JsonnetFile = match serde_json::from_str(&file.text) {
            Ok(j) => j,
            Err(e) => return out.problem(json_error(file, format, &e)),
        };
        for d in jf.dependencies {
            let Some(git) = d.source.and_then(|s| s.git) else {
                continue;
            };
            let Some(remote) = git.remote else { continue };
            let Some(mut name) = package_name(&remote.0) else {
                continue;
            };
            if let Some(sub) = git.subdir.as_ref().map(|s| s.0.trim_matches('/')) {
                if !sub.is_empty() {
                    name.push('/');
                    name.push_str(sub);
                }
            }
            let fallback = remote.span_or(file, file.span(0, 0));
            let (version, span) = match d.version.filter(|v| !v.0.is_empty()) {
                Some(v) => (Some(v.0.to_string()), v.span_or(file, fallback)),
                None => (None, fallback),
            };
            let mut c = Component::new(
                ComponentKind::Package,
                Ecosystem::Jsonnet,
                name,
                version,
                span,
            );
            if lock {
                c = c.lockfile();
            }
            out.push(c);
        }
    }
}

#[derive(Deserialize)]
struct JsonnetFile<'a> {
    #[serde(borrow, default)]
    dependencies: Vec<Dependency<'a>>,
}

#[derive(Deserialize)]
struct Dependency<'a> {
    #[serde(borrow, default)]
    source: Option<Source<'a>>,
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Source<'a> {
    #[serde(borrow, default)]
    git: Option<Git<'a>>,
}

#[derive(Deserialize)]
struct Git<'a> {
    #[serde(borrow, default)]
    remote: Option<Str<'a>>,
    #[serde(borrow, default)]
    subdir: Option<Str<'a>>,
}

/// `host/path` of a Git remote (`https://host/org/repo.git`, `git@host:org/repo.git`,
/// `ssh://git@host/org/repo`), as jb names the package; `None` when it names no host.
fn package_name(remote: &str) -> Option<String> {
    let r = remote.trim();
    let rest = match r.split_once("://") {
        Some((_, rest)) => rest,
        // scp-like `git@host:org/repo`
        None => &r.replacen(':', "/", 1),
    };
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (host, path) = rest.split_once('/')?;
    // a port is not part of jb's name
    let host = host.split(':').next().unwrap_or(host);
    (!host.is_empty() && !path.is_empty()).then(|| format!("{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/jsonnet-bundler", "*.json", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let lock = path.to_str().unwrap().ends_with(".lock.json");
            let name = if lock {
                "jsonnetfile.lock.json"
            } else {
                "jsonnetfile.json"
            };
            let (file, out) = run(&JsonnetBundler, name, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn remotes_name_host_and_path() {
        assert_eq!(
            package_name("https://registry.example.test/org/lib.git").as_deref(),
            Some("registry.example.test/org/lib")
        );
        assert_eq!(
            package_name("git@registry.example.test:org/lib.git").as_deref(),
            Some("registry.example.test/org/lib")
        );
        assert_eq!(
            package_name("ssh://git@registry.example.test:2222/org/lib").as_deref(),
            Some("registry.example.test/org/lib")
        );
        assert_eq!(package_name("lib"), None);
    }

    #[test]
    fn vendored_files_are_not_read() {
        assert!(JsonnetBundler.wants(Path::new("mixin/jsonnetfile.json")));
        assert!(!JsonnetBundler.wants(Path::new(
            "mixin/vendor/github.com/org/lib/jsonnetfile.json"
        )));
    }
}
