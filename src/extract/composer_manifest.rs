//! `composer.json`: the PHP packages and the PHP version a Composer project requires.
//!
//! Decodes into borrowed typed structs (CRATES.md: a borrowed `&str`'s address gives its
//! span for free) and owns the small JSON helpers the other JSON extractors here share:
//! [`Pairs`], [`parse_json`] (strings: [`super::json_str::Str`]). Must not: read `composer.lock`.
//!
//! Choices, so rules can rely on them:
//! - `require` entries are `package`/`composer`, `require-dev` ones are `dev`; the version
//!   is the constraint as written, blamed on its text.
//! - `php` is the PHP the package requires: `runtime`/`composer`/`php`.
//! - Platform packages are not components: `ext-*`, `lib-*`, `php-64bit`/`php-ipv6`/
//!   `php-zts`/`php-debug`, `hhvm`, `composer`, `composer-plugin-api`,
//!   `composer-runtime-api` (they describe the PHP build, not software with versions
//!   of its own that skew can check). A name with a vendor (`php-di/php-di`) is never
//!   one.
//! - `require`/`require-dev` of another type than an object (`["a/b"]`), or a version
//!   that is not a string (`"a/b": 5`), is a `wrong-type` finding at the value; the rest
//!   of the file is still read.
//! - A key written twice keeps both entries (JSON decoders keep the last; a person
//!   may be looking at either).

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::json_str::{Str, object, version};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct ComposerManifest;

#[derive(Deserialize)]
struct ComposerJson<'a> {
    #[serde(borrow, default)]
    require: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "require-dev")]
    require_dev: Option<&'a RawValue>,
}

impl Extractor for ComposerManifest {
    fn name(&self) -> &'static str {
        "composer-manifest"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["composer.json"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "composer.json"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(doc) = parse_json::<ComposerJson>(file, "composer.json", out) else {
            return;
        };
        for (field, deps, dev) in [
            ("require", doc.require, false),
            ("require-dev", doc.require_dev, true),
        ] {
            let Some(deps) = deps else { continue };
            for (name, raw) in object(file, field, "package names to versions", deps, out) {
                let Some(version) = version(file, field, &name, raw, out) else {
                    continue;
                };
                let name_span = name.span_or(file, file.span(0, 0));
                let span = version.span_or(file, name_span);
                let kind = match name.0.as_ref() {
                    "php" => ComponentKind::Runtime,
                    n if is_platform(n) => continue,
                    _ => ComponentKind::Package,
                };
                out.push(
                    Component::new(
                        kind,
                        Ecosystem::Composer,
                        name.0.as_ref(),
                        Some(version.0.into_owned()),
                        span,
                    )
                    .dev(dev),
                );
            }
        }
    }
}

/// Platform packages have no vendor: every package from a repository is `vendor/name`,
/// so `php-di/php-di` or `lib-foo/bar` is a package whatever its prefix.
fn is_platform(name: &str) -> bool {
    if name.contains('/') {
        return false;
    }
    name.starts_with("ext-")
        || name.starts_with("lib-")
        || name.starts_with("php-")
        || matches!(
            name,
            "hhvm" | "composer" | "composer-plugin-api" | "composer-runtime-api"
        )
}

/// A JSON object as ordered `(key, value)` pairs, duplicates kept. An empty array is
/// accepted as an empty object (PHP's `json_encode` writes `[]` for an empty map).
#[derive(Debug)]
pub(super) struct Pairs<'a, V>(pub Vec<(Str<'a>, V)>);

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Pairs<'a, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PairsVisitor<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<'a, V> {
            type Value = Pairs<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                let mut v = Vec::new();
                while let Some((k, val)) = m.next_entry::<Str<'de>, V>()? {
                    v.push((k, val));
                }
                Ok(Pairs(v))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
                if s.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
                }
                Ok(Pairs(Vec::new()))
            }
        }
        d.deserialize_any(PairsVisitor(PhantomData))
    }
}

/// Decode a JSON file, or report a `parse-error` at the decoder's own line/column.
/// An empty file declares nothing and is not an error.
pub(super) fn parse_json<'a, T: Deserialize<'a>>(
    file: &'a SourceFile,
    format: &str,
    out: &mut Extraction,
) -> Option<T> {
    if file.text.trim().is_empty() {
        return None;
    }
    match serde_json::from_str::<T>(&file.text) {
        Ok(t) => Some(t),
        Err(e) => {
            let at = file.offset_of(e.line(), e.column());
            out.problem(parse_error(file.span(at, at), format, e));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/composer-manifest", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&ComposerManifest, "composer.json", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
