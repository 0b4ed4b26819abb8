//! `package-lock.json` and `npm-shrinkwrap.json`: the exact npm versions installed.
//!
//! Owns reading both lockfile layouts: lockfileVersion 1 (nested `dependencies` objects
//! with `dev` flags) and 2/3 (`packages` keyed by `node_modules/…` install paths). A v2
//! file carries both; only `packages` is read, since the v1 section is a copy kept for old
//! npm. Every entry becomes a lockfile component whose version is the locked one, spanned
//! on the version string; the scanner then links it to the `package.json` entry it
//! resolves. Must not: build a `serde_json::Value` tree (lockfiles reach tens of MB:
//! borrowed structs only) or decide which `package.json` an entry belongs to.
//!
//! Skipped on purpose: the root entry `""` (the project itself), `link: true` entries
//! (workspace symlinks: the member's own `package.json` is scanned) and `packages` keys
//! outside `node_modules/` (workspace member folders, which are sources, not installs).

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::json_str::Str;
use super::npm_manifest::{json_error, span_or};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct NpmLock;

impl Extractor for NpmLock {
    fn name(&self) -> &'static str {
        "npm-lock"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["package-lock.json", "npm-shrinkwrap.json"]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(file_name(path), "package-lock.json" | "npm-shrinkwrap.json")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        let lock: Lockfile = match serde_json::from_str(&file.text) {
            Ok(l) => l,
            Err(e) => {
                out.problem(json_error(file, "package-lock.json", &e));
                return;
            }
        };
        match (lock.packages, lock.dependencies) {
            (Some(packages), _) => {
                // one allocation for the file's components, not a doubling (and a copy
                // of every component so far) each time the table fills
                out.components.reserve(packages.0.len());
                for (key, entry) in packages.0 {
                    let Some(segment) = installed_name(&key.0) else {
                        continue;
                    };
                    if entry.link {
                        continue;
                    }
                    let name = entry
                        .name
                        .as_ref()
                        .map(|n| n.0.to_string())
                        .unwrap_or_else(|| segment.to_string());
                    push(
                        file,
                        out,
                        name,
                        entry.version.as_ref(),
                        &key,
                        entry.dev || entry.dev_optional,
                    );
                }
            }
            (None, Some(deps)) => v1(file, out, deps),
            (None, None) => {}
        }
    }
}

/// The package name an install path holds: the part after its last `node_modules/`
/// (`node_modules/a/node_modules/@scope/b` -> `@scope/b`); `None` for the root `""` and
/// for workspace folders.
fn installed_name(key: &str) -> Option<&str> {
    // a byte scan from the end: `rsplit_once("node_modules/")` builds a two-way
    // searcher for every key, about 900 instructions each on a lockfile's 100k keys
    const MARK: &[u8] = b"node_modules/";
    let bytes = key.as_bytes();
    let start = (0..=bytes.len().checked_sub(MARK.len())?)
        .rev()
        .find(|&i| bytes[i] == b'n' && bytes[i..].starts_with(MARK))?;
    // MARK is ASCII, so the byte after it starts a character
    let name = &key[start + MARK.len()..];
    (!name.is_empty()).then_some(name)
}

fn push(
    file: &SourceFile,
    out: &mut Extraction,
    name: String,
    version: Option<&Str>,
    key: &Str,
    dev: bool,
) {
    let span = match version {
        Some(v) => span_or(file, v, key),
        None => span_or(file, key, key),
    };
    let version = version.map(|v| v.0.to_string());
    let mut c = Component::new(
        ComponentKind::Package,
        Ecosystem::Npm,
        name,
        version.clone(),
        span,
    )
    .lockfile()
    .dev(dev);
    c.resolved = version;
    c.resolved_span = Some(span);
    out.push(c);
}

/// lockfileVersion 1: `dependencies` nest the way `node_modules` folders do.
fn v1(file: &SourceFile, out: &mut Extraction, deps: Ordered<V1Dep>) {
    for (name, dep) in deps.0 {
        push(
            file,
            out,
            name.0.to_string(),
            dep.version.as_ref(),
            &name,
            dep.dev,
        );
        if let Some(nested) = dep.dependencies {
            v1(file, out, nested);
        }
    }
}

#[derive(Deserialize)]
struct Lockfile<'a> {
    #[serde(borrow, default)]
    packages: Option<Ordered<'a, Package<'a>>>,
    #[serde(borrow, default)]
    dependencies: Option<Ordered<'a, V1Dep<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Package<'a> {
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
    /// The real package name when the install path is an alias (`npm:mysql@2`).
    #[serde(borrow, default)]
    name: Option<Str<'a>>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    dev_optional: bool,
}

#[derive(Deserialize)]
struct V1Dep<'a> {
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
    #[serde(default)]
    dev: bool,
    #[serde(borrow, default)]
    dependencies: Option<Ordered<'a, V1Dep<'a>>>,
}

/// A JSON object as `(key, value)` pairs in file order, keys borrowed for their spans.
struct Ordered<'a, T>(Vec<(Str<'a>, T)>);

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Ordered<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<'de, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(k) = map.next_key::<Str<'de>>()? {
                    entries.push((k, map.next_value::<T>()?));
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn names_from_install_paths() {
        assert_eq!(installed_name(""), None);
        assert_eq!(installed_name("packages/shared"), None);
        assert_eq!(installed_name("node_modules/a"), Some("a"));
        assert_eq!(
            installed_name("node_modules/a/node_modules/@scope/b"),
            Some("@scope/b")
        );
        assert_eq!(installed_name("node_modules/"), None);
        assert_eq!(installed_name("node_modules"), None);
        assert_eq!(
            installed_name("a/node_modules/node_modules/b"),
            Some("b"),
            "the last mark, as rsplit_once finds it"
        );
        assert_eq!(installed_name("packages/ünï/node_modules/ß"), Some("ß"));
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "npm-lock/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&NpmLock, "package-lock.json", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
