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
//! free; a string with escapes cannot be borrowed and falls back to its key's span. Must
//! not: resolve versions (the lockfile does, see `npm_lock`) or follow `workspaces` into
//! member folders: each member's own `package.json` is scanned by itself.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::json_str::Str;
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
            (pkg.dependencies, false),
            (pkg.dev_dependencies, true),
            (pkg.optional_dependencies, false),
            (pkg.peer_dependencies, false),
        ];
        for (section, dev) in sections {
            for (name, version) in section.map(|s| s.0).unwrap_or_default() {
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
        if let Some(tree) = &pkg.overrides {
            npm_overrides(tree, &mut forced);
        }
        let pnpm = pkg.pnpm.and_then(|p| p.overrides).map(|s| s.0);
        let resolutions = pkg.resolutions.map(|s| s.0);
        for (key, version) in resolutions.iter().chain(&pnpm).flatten() {
            forced.push((key, version));
        }
        for (key, version) in forced {
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
        for (name, version) in pkg.engines.map(|s| s.0).unwrap_or_default() {
            if name.0 != "node" {
                continue;
            }
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

/// The `(key, version)` pairs of npm `overrides`: a string value pins its key's package;
/// an object pins its key's package with its `"."` entry and holds overrides of the
/// packages below it, read the same way.
fn npm_overrides<'t, 'a>(tree: &'t Tree<'a>, out: &mut Vec<(&'t Str<'a>, &'t Str<'a>)>) {
    let Tree::Map(entries) = tree else {
        return;
    };
    for (key, value) in entries {
        match value {
            Tree::Str(v) => out.push((key, v)),
            Tree::Map(inner) => {
                for (k, v) in inner {
                    if let (".", Tree::Str(v)) = (k.0.as_ref(), v) {
                        out.push((key, v));
                    }
                }
                npm_overrides(value, out);
            }
            Tree::Other => {}
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson<'a> {
    #[serde(borrow, default)]
    name: Option<Str<'a>>,
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
    #[serde(borrow, default)]
    dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    dev_dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    optional_dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    peer_dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    engines: Option<Entries<'a>>,
    #[serde(borrow, default)]
    overrides: Option<Tree<'a>>,
    #[serde(borrow, default)]
    resolutions: Option<Entries<'a>>,
    #[serde(borrow, default)]
    pnpm: Option<PnpmSettings<'a>>,
    #[serde(borrow, default)]
    package_manager: Option<Str<'a>>,
}

/// The `pnpm` field: only `overrides` is read.
#[derive(Deserialize)]
struct PnpmSettings<'a> {
    #[serde(borrow, default)]
    overrides: Option<Entries<'a>>,
}

/// Nested `"name": "version" | { ... }` objects (npm `overrides`), in file order; any
/// other value is kept as `Other` and pins nothing.
enum Tree<'a> {
    Str(Str<'a>),
    Map(Vec<(Str<'a>, Tree<'a>)>),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Tree<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tree<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of names to versions or objects")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Tree::Str(Str(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Tree::Str(Str(Cow::Owned(v.to_string()))))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = map.next_key::<Str<'de>>()? {
                    entries.push((k, map.next_value::<Tree<'de>>()?));
                }
                Ok(Tree::Map(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Tree::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Tree::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Tree::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Tree::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Tree::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Tree::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A `"name": "version"` object in file order (duplicates kept). Entries whose value is
/// not a string are skipped, and a section that is not an object (old `engines` arrays)
/// reads as empty: one odd field must not hide the rest of the file.
struct Entries<'a>(Vec<(Str<'a>, Str<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of names to versions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = map.next_key::<Str<'de>>()? {
                    if let MaybeStr(Some(v)) = map.next_value::<MaybeStr<'de>>()? {
                        entries.push((k, v));
                    }
                }
                Ok(Entries(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Entries(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string, or `None` for any other JSON value (which is skipped).
struct MaybeStr<'a>(Option<Str<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for MaybeStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Str(Cow::Borrowed(v)))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Str(Cow::Owned(v.to_string())))))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
        }
        d.deserialize_any(V)
    }
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
