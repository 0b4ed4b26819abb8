//! `package.json`: the npm dependencies a package declares and the node it requires.
//!
//! Owns reading `dependencies`, `devDependencies`, `optionalDependencies`,
//! `peerDependencies` and `engines.node`, with versions kept as written (`^2.18.1`,
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
use crate::component::{Component, ComponentKind, Ecosystem};
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
        let sections = [
            (pkg.dependencies, false),
            (pkg.dev_dependencies, true),
            (pkg.optional_dependencies, false),
            (pkg.peer_dependencies, false),
        ];
        for (section, dev) in sections {
            for (name, version) in section.map(|s| s.0).unwrap_or_default() {
                let mut c = Component::new(
                    ComponentKind::Package,
                    Ecosystem::Npm,
                    name.0.as_ref(),
                    Some(version.0.to_string()),
                    span_or(file, &version, &name),
                )
                .dev(dev);
                c.group = group.clone();
                out.push(c);
            }
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
    dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    dev_dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    optional_dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    peer_dependencies: Option<Entries<'a>>,
    #[serde(borrow, default)]
    engines: Option<Entries<'a>>,
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
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "npm-manifest/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&NpmManifest, "package.json", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
