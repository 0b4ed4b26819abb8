//! `package.json`: the npm dependencies a package declares and the node it requires.
//!
//! Owns reading `dependencies`, `devDependencies`, `optionalDependencies`,
//! `peerDependencies` and `engines.node` (an alias `"cjs": "npm:real@^5"` is the package
//! `real`, which is what installs, lockfiles list and rules name); the versions forced on the whole tree by npm
//! `overrides` (nested objects too, `"."` being the parent's own version), yarn
//! `resolutions` (`**/lodash`, `a/b`) and `pnpm.overrides` (`a>b`, `b@<2`), each named by
//! the package it pins (a `$dep` reference names no version of its own and is skipped);
//! and `packageManager` (`pnpm@10.30.3+sha512…`) as the `tool` the repository runs. Versions are kept as written (`^2.18.1`,
//! `workspace:*`, `git+https://…`; classifying them is `version/`'s job). serde_json reads
//! into borrowed structs, so every string is a slice of the file and its span comes for
//! free; a string with escapes cannot be borrowed and falls back to its key's span. A
//! section of another type than an object, or a version that is not a string, is a
//! `wrong-type` finding at the value (see `json_str`), not an empty section. Must
//! not: resolve versions (the lockfile does, see `npm_lock`) or follow `workspaces` into
//! member folders: each member's own `package.json` is scanned by itself.

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json_str::{Str, kind, object, version};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Project};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

pub struct NpmManifest;

impl Extractor for NpmManifest {
    fn name(&self) -> &'static str {
        "npm-manifest"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["package.json", "services/api/package.json"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "package.json"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        let pkg: PackageJson = match serde_json::from_str(&file.text) {
            Ok(p) => p,
            Err(e) => {
                out.problem(json_error(file, "package.json", &e));
                return;
            }
        };
        let group = pkg.name.as_ref().map(|n| n.0.to_string());
        out.project = pkg.name.as_ref().map(|n| Project {
            ecosystem: Ecosystem::Npm,
            name: n.0.to_string(),
            version: pkg.version.as_ref().map(|v| v.0.to_string()),
            span: n.span_or(file, file.span(0, 0)),
        });
        let sections = [
            ("dependencies", pkg.dependencies, false),
            ("devDependencies", pkg.dev_dependencies, true),
            ("optionalDependencies", pkg.optional_dependencies, false),
            ("peerDependencies", pkg.peer_dependencies, false),
        ];
        for (field, section, dev) in sections {
            let Some(section) = section else { continue };
            for (name, raw) in object(file, field, VERSIONS, section, out) {
                let Some(version) = version(file, field, &name, raw, out) else {
                    continue;
                };
                // an alias installs another package: `"cjs": "npm:@s/real@^5"` is `@s/real`
                let package = alias_target(&version.0).unwrap_or(name.0.as_ref());
                let mut c = Component::new(
                    ComponentKind::Package,
                    Ecosystem::Npm,
                    package,
                    Some(version.0.to_string()),
                    span_or(file, &version, &name),
                )
                .dev(dev);
                c.group = group.clone();
                out.push(c);
            }
        }
        let mut forced = Vec::new();
        if let Some(tree) = pkg.overrides {
            npm_overrides(file, "overrides", tree, None, out, &mut forced);
        }
        let mut flat = Vec::new();
        if let Some(raw) = pkg.resolutions {
            flat.push(("resolutions", raw));
        }
        if let Some(raw) = pkg.pnpm {
            for (key, value) in object(file, "pnpm", "settings", raw, out) {
                if key.0 == "overrides" {
                    flat.push(("pnpm.overrides", value));
                }
            }
        }
        for (field, raw) in flat {
            for (key, value) in object(file, field, VERSIONS, raw, out) {
                if let Some(v) = version(file, field, &key, value, out) {
                    forced.push((key, v));
                }
            }
        }
        for (key, version) in &forced {
            let Some(name) = forced_package(&key.0) else {
                continue;
            };
            if version.0.starts_with('$') {
                continue;
            }
            let mut c = Component::new(
                ComponentKind::Package,
                Ecosystem::Npm,
                name,
                Some(version.0.to_string()),
                span_or(file, version, key),
            );
            c.group = group.clone();
            out.push(c);
        }
        if let Some(pm) = &pkg.package_manager
            && let Some((name, version)) = pm.0.split_once('@')
            && !name.is_empty()
        {
            // `pnpm@10.30.3+sha512.…`: the hash is no part of the version
            let version = version.split_once('+').map_or(version, |(v, _)| v);
            let span = pm.span(file).map(|s| {
                let start = s.start + name.len() + 1;
                file.span(start, start + version.len())
            });
            let mut c = Component::new(
                ComponentKind::Tool,
                Ecosystem::Runtime,
                name,
                Some(version.to_string()),
                span.unwrap_or_else(|| file.span(0, 0)),
            );
            c.group = group.clone();
            out.push(c);
        }
        let engines = pkg
            .engines
            .map(|raw| object(file, "engines", "engine names to versions", raw, out));
        for (name, raw) in engines.unwrap_or_default() {
            if name.0 != "node" {
                continue;
            }
            let Some(version) = version(file, "engines", &name, raw, out) else {
                continue;
            };
            let mut c = Component::new(
                ComponentKind::Runtime,
                Ecosystem::Npm,
                "node",
                Some(version.0.to_string()),
                span_or(file, &version, &name),
            );
            c.group = group.clone();
            out.push(c);
        }
    }
}

/// What a dependency section maps, for `wrong-type` messages.
const VERSIONS: &str = "package names to versions";

/// The package an alias specifier installs: `npm:@s/real@^5` -> `@s/real`, `npm:real`
/// -> `real`; `None` for anything else.
fn alias_target(spec: &str) -> Option<&str> {
    let rest = spec.strip_prefix("npm:")?;
    // the version follows the last `@` that is not a scope's leading one
    let name = match rest[1.min(rest.len())..].rfind('@') {
        Some(at) => &rest[..at + 1],
        None => rest,
    };
    (!name.is_empty()).then_some(name)
}

/// The `(key, version)` pairs of npm `overrides` (`field` names the object in messages):
/// a string value pins its key's package; an object pins its key's package with its
/// `"."` entry and holds overrides of the packages below it, read the same way. Any
/// other value is a `wrong-type` finding.
fn npm_overrides<'a>(
    file: &SourceFile,
    field: &str,
    tree: &'a RawValue,
    parent: Option<&Str<'a>>,
    out: &mut Extraction,
    forced: &mut Vec<(Str<'a>, Str<'a>)>,
) {
    let of = "package names to versions or nested overrides";
    for (key, value) in object(file, field, of, tree, out) {
        if kind(value) == "an object" {
            let inner = format!("{field}.{}", key.0);
            npm_overrides(file, &inner, value, Some(&key), out, forced);
            continue;
        }
        let Some(v) = version(file, field, &key, value, out) else {
            continue;
        };
        match (key.0.as_ref(), parent) {
            // `"."` is the parent's own version
            (".", Some(parent)) => forced.push((parent.clone(), v)),
            _ => forced.push((key, v)),
        }
    }
}

/// The package an override key pins: the last of a yarn path (`**/a`, `a/@s/b`) or a
/// pnpm chain (`a>b`), without a version selector (`b@<2`, `@s/b@^1`). `"."` (an npm
/// override's own version, read with its parent) pins nothing itself.
fn forced_package(key: &str) -> Option<&str> {
    let last = key.rsplit('>').next().unwrap_or(key);
    let parts: Vec<&str> = last.split('/').collect();
    // a scoped name is its last two parts
    let name_start = match parts.len() {
        n if n >= 2 && parts[n - 2].starts_with('@') => n - 2,
        n => n.saturating_sub(1),
    };
    let offset: usize = parts[..name_start].iter().map(|p| p.len() + 1).sum();
    let name = &last[offset..];
    // the version selector starts at an `@` after the first character (a scope's `@`)
    let name = match name[1.min(name.len())..].find('@') {
        Some(at) => &name[..at + 1],
        None => name,
    };
    (!name.is_empty() && name != "." && name != "**" && name != "*").then_some(name)
}

/// A serde_json error as a `parse-error` at serde_json's own line and column (shared
/// with `npm_lock`).
pub(super) fn json_error(
    file: &SourceFile,
    format: &str,
    e: &serde_json::Error,
) -> crate::diagnostic::Finding {
    let at = if e.line() == 0 {
        0
    } else {
        file.offset_of(e.line(), e.column())
    };
    // serde_json appends " at line L column C": the span already says where
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map(|(m, _)| m.to_string())
        .unwrap_or(msg);
    parse_error(file.span(at, at), format, msg)
}

/// The span of `value` when it is a slice of the file, else of `key`, else the file's start.
pub(super) fn span_or(file: &SourceFile, value: &Str, key: &Str) -> Span {
    value
        .span(file)
        .or_else(|| key.span(file))
        .unwrap_or_else(|| file.span(0, 0))
}

/// The fields read; those the file may give the wrong type stay raw until checked.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson<'a> {
    #[serde(borrow, default)]
    name: Option<Str<'a>>,
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    dev_dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    optional_dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    peer_dependencies: Option<&'a RawValue>,
    #[serde(borrow, default)]
    engines: Option<&'a RawValue>,
    #[serde(borrow, default)]
    overrides: Option<&'a RawValue>,
    #[serde(borrow, default)]
    resolutions: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pnpm: Option<&'a RawValue>,
    #[serde(borrow, default)]
    package_manager: Option<Str<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn wants_package_json_only() {
        assert!(NpmManifest.wants(Path::new("services/api/package.json")));
        assert!(!NpmManifest.wants(Path::new("package-lock.json")));
    }

    #[test]
    fn aliases_name_the_package_they_install() {
        assert_eq!(alias_target("npm:@s/real@^5"), Some("@s/real"));
        assert_eq!(alias_target("npm:real@1.2.3"), Some("real"));
        assert_eq!(alias_target("npm:real"), Some("real"));
        assert_eq!(alias_target("npm:@s/real"), Some("@s/real"));
        assert_eq!(alias_target("^1.0.0"), None);
        assert_eq!(alias_target("npm:"), None);
    }

    #[test]
    fn override_keys_name_the_package_they_pin() {
        for (key, name) in [
            ("lodash", Some("lodash")),
            ("**/lodash", Some("lodash")),
            ("webpack/lodash", Some("lodash")),
            ("a/@scope/b", Some("@scope/b")),
            ("@scope/b", Some("@scope/b")),
            ("@scope/b@^1", Some("@scope/b")),
            ("foo@<2", Some("foo")),
            ("bar>foo", Some("foo")),
            ("bar@1>@s/foo@<3", Some("@s/foo")),
            (".", None),
            ("**", None),
            ("", None),
        ] {
            assert_eq!(forced_package(key), name, "{key}");
        }
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "npm-manifest/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&NpmManifest, "package.json", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
