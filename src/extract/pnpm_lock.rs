//! `pnpm-lock.yaml`: pnpm's lockfile, formats 5.x, 6.x and 9.x.
//!
//! Owns reading the `packages:` map into one lockfile component per package version.
//! Keys name the package and its version: `/a/1.2.3` (v5), `/a@1.2.3` (v6), `a@1.2.3`
//! (v9), scoped names alike; peer suffixes (`_react@18.2.0` in v5, `(react@18.2.0)`
//! since v6) are stripped and the versions that differ only by peers are reported once.
//! An entry's own `name:`/`version:` fields (tarball, git and file dependencies) win over
//! the key. v9's `snapshots:` repeats `packages:` with peers and is not read.
//!
//! Also owns reading which workspace package resolved which entry: `importers:`
//! (`<path>.dependencies.<name>.version` since v6, a bare version in v5) or, in a
//! single-project v5/v6 lockfile, the root-level `dependencies:` (importer `.`). Each is
//! kept on the entry it points at ([`LockKey::Importer`]), so the scanner links each
//! manifest to the version its own importer resolved. Importer entries that point
//! elsewhere (`link:`, aliases `npm:x@1`, tarballs) are not matched to `packages:`.
//!
//! Must not: report importer entries as components of their own (they repeat the
//! manifests' ranges), nor guess dev-ness where the format does not say: v5/v6 write
//! `dev: true`, v9 does not, so v9 entries are never dev.
//!
//! pnpm 11 writes two YAML documents when it records pnpm itself or config dependencies
//! (`packageManagerDependencies`, `configDependencies`): an "env" document, then the
//! project's lockfile. Every document is read; a package in both is reported once, linked
//! to the project's importers.
//!
//! YAML goes through `serde-saphyr`, which keeps positions, with the shared YAML options
//! (`yaml_tree::options`) at the lockfile node limit of `limits.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{Extraction, Extractor, file_name, yaml_tree};
use crate::component::{Component, ComponentKind, Ecosystem, LockKey};
use crate::limits;
use crate::source::{SourceFile, Span};

pub struct PnpmLock;

impl Extractor for PnpmLock {
    fn name(&self) -> &'static str {
        "pnpm-lock"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["pnpm-lock.yaml"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "pnpm-lock.yaml"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        let options = yaml_tree::options(limits::YAML_LOCKFILE_MAX_NODES);
        let docs: Vec<Lock> = match serde_saphyr::from_multiple_with_options(&file.text, options) {
            Ok(docs) => docs,
            Err(e) => {
                out.problem(yaml_tree::to_finding(file, "pnpm-lock.yaml", &e));
                return;
            }
        };
        // pnpm 11 writes an "env" document (pnpm itself, config dependencies) before the
        // project's: read the project's first, so a package in both links to its importers
        let mut seen = HashSet::new();
        for lock in docs.into_iter().rev() {
            read_document(file, lock, &mut seen, out);
        }
    }
}

/// One lockfile document's packages, each `(name, version)` once across the file.
fn read_document(
    file: &SourceFile,
    mut lock: Lock,
    seen: &mut HashSet<(String, Option<String>)>,
    out: &mut Extraction,
) {
    let v5 = lock
        .lockfile_version
        .as_ref()
        .is_some_and(|v| v.value.0.trim_matches(['\'', '"']).starts_with('5'));
    let importers = importer_keys(&mut lock, v5);
    for (key, pkg) in lock.packages.map(|p| p.0).unwrap_or_default() {
        let key_span = scalar_span(file, &key);
        let parsed = parse_key(&key.value, v5);
        let Some(name) = pkg
            .name
            .as_ref()
            .map(|n| n.value.as_str())
            .or(parsed.as_ref().map(|p| p.name))
        else {
            continue;
        };
        let (version, span) = match (&pkg.version, parsed.and_then(|p| p.version)) {
            (Some(v), _) => (v.value.clone(), scalar_span(file, v)),
            (None, Some(r)) => (
                key.value[r.clone()].to_string(),
                key_span.map(|s| sub_span(file, s, &key.value, r)),
            ),
            // a git or directory entry without a version resolves nothing checkable
            (None, None) => continue,
        };
        let version = Some(version);
        let span = span.or(key_span).unwrap_or_default();
        if !seen.insert((name.to_string(), version.clone())) {
            continue;
        }
        let mut c = Component::new(ComponentKind::Package, Ecosystem::Npm, name, version, span)
            .lockfile()
            .dev(pkg.dev.unwrap_or(false));
        c.resolved = c.version.clone();
        c.resolved_span = c.version.as_ref().map(|_| span);
        if let Some(v) = &c.version
            && let Some(keys) = importers.get(&(c.name.clone(), v.clone()))
        {
            c.resolves = keys.clone();
        }
        out.push(c);
    }
}

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<Spanned<Text>>,
    packages: Option<Entries>,
    importers: Option<BTreeMap<String, Option<Importer>>>,
    /// A single-project lockfile (v5, v6) writes the root importer's sections at the top
    /// (fields, not `flatten`: that would buffer every unknown key, `snapshots:` too).
    dependencies: Option<BTreeMap<String, DepVersion>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, DepVersion>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, DepVersion>>,
}

/// One workspace package's resolved dependencies, by section.
#[derive(Deserialize)]
struct Importer {
    dependencies: Option<BTreeMap<String, DepVersion>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, DepVersion>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, DepVersion>>,
}

/// An importer's resolved version: `{specifier, version}` since v6, a bare scalar in v5.
/// Any other shape resolves nothing rather than failing the whole file.
struct DepVersion(Option<String>);

#[derive(Deserialize)]
struct Package {
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    dev: Option<bool>,
}

/// A scalar read as text whatever its YAML type (`lockfileVersion: 5.4` is a float,
/// `'6.0'` a string).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for DepVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DepVersion;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a version or a map with `version`")
            }
            fn visit_str<E>(self, v: &str) -> Result<DepVersion, E> {
                Ok(DepVersion(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<DepVersion, E> {
                Ok(DepVersion(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<DepVersion, E> {
                Ok(DepVersion(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<DepVersion, E> {
                Ok(DepVersion(Some(v.to_string())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<DepVersion, E> {
                Ok(DepVersion(None))
            }
            fn visit_unit<E>(self) -> Result<DepVersion, E> {
                Ok(DepVersion(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DepVersion, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(DepVersion(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DepVersion, A::Error> {
                let mut version = None;
                while let Some(k) = map.next_key::<String>()? {
                    if k == "version" {
                        version = map.next_value::<Option<Text>>()?.map(|t| t.0);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(DepVersion(version))
            }
        }
        d.deserialize_any(V)
    }
}

/// Which importers resolved each `(name, version)` of `packages:`. A resolved version
/// carries peers like a package key (`1.0.0(react@18)`, v5 `1.0.0_react@18`), stripped
/// here; one that is not a registry version (`link:../a`, `npm:`-alias `x@1.0.0`,
/// tarball URLs) names no `packages:` version and is skipped.
fn importer_keys(lock: &mut Lock, v5: bool) -> HashMap<(String, String), Vec<LockKey>> {
    let root = Importer {
        dependencies: lock.dependencies.take(),
        dev_dependencies: lock.dev_dependencies.take(),
        optional_dependencies: lock.optional_dependencies.take(),
    };
    let root = std::iter::once((".", &root));
    let listed = lock
        .importers
        .iter()
        .flatten()
        .filter_map(|(path, i)| Some((path.as_str(), i.as_ref()?)));
    let mut out: HashMap<(String, String), Vec<LockKey>> = HashMap::new();
    for (path, importer) in root.chain(listed) {
        let sections = [
            &importer.dependencies,
            &importer.dev_dependencies,
            &importer.optional_dependencies,
        ];
        for (name, DepVersion(version)) in sections.into_iter().flatten().flatten() {
            let Some(version) = version.as_deref() else {
                continue;
            };
            let peers = if v5 {
                version.find('_')
            } else {
                version.find('(')
            };
            let version = &version[..peers.unwrap_or(version.len())];
            if !version.starts_with(|c: char| c.is_ascii_digit())
                || version.contains(['/', ':', '@'])
            {
                continue;
            }
            let key = LockKey::Importer {
                path: path.to_string(),
                name: name.clone(),
            };
            let keys = out.entry((name.clone(), version.to_string())).or_default();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    out
}

/// The `packages:` map in file order, keys with their positions.
struct Entries(Vec<(Spanned<String>, Package)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of packages")
            }
            fn visit_unit<E>(self) -> Result<Entries, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut v = Vec::new();
                while let Some((k, p)) = map.next_entry::<Spanned<String>, Option<Package>>()? {
                    v.push((
                        k,
                        p.unwrap_or(Package {
                            name: None,
                            version: None,
                            dev: None,
                        }),
                    ));
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A package key split into its name and the byte range of its version in the key.
struct Key<'a> {
    name: &'a str,
    version: Option<std::ops::Range<usize>>,
}

/// `/a/1.2.3_peer@1` or `host/a/1.2.3` (v5), `/a@1.2.3(peer@1)` (v6), `a@1.2.3(peer@1)`
/// (v9); scoped names alike. A version part that is not a version (`github.com/...`, a tarball URL) is none.
fn parse_key(key: &str, v5: bool) -> Option<Key<'_>> {
    // v5 `file:..`, `link:...`, URLs: the key says nothing about the name
    if v5 && key.contains(':') {
        return None;
    }
    let lead = if key.starts_with('/') {
        1
    } else if v5 {
        // `registry.example.test/foo/1.1.0`: a host, then the usual `name/version`
        key.find('/')? + 1
    } else {
        0
    };
    let body = &key[lead..];
    let (name, rest_at) = if v5 {
        // `@scope/name/version` or `name/version`
        let segments = if body.starts_with('@') { 2 } else { 1 };
        let mut end = 0;
        for _ in 0..segments {
            end += body[end..].find('/')? + 1;
        }
        (&body[..end - 1], lead + end)
    } else {
        let at = body.char_indices().skip(1).find(|&(_, c)| c == '@')?.0;
        if body[..at].contains(':') {
            return None;
        }
        (&body[..at], lead + at + 1)
    };
    let rest = &key[rest_at..];
    let peers = if v5 { rest.find('_') } else { rest.find('(') };
    let version = &rest[..peers.unwrap_or(rest.len())];
    let is_version = version.starts_with(|c: char| c.is_ascii_digit()) && !version.contains('/');
    Some(Key {
        name,
        version: is_version.then(|| rest_at..rest_at + version.len()),
    })
}

/// The span of a scalar's text, without the quotes of a quoted scalar.
fn scalar_span<T>(file: &SourceFile, s: &Spanned<T>) -> Option<Span> {
    let sp = s.referenced.span();
    let start = sp.byte_offset()? as usize;
    let len = sp.byte_len()? as usize;
    let text = file.text.get(start..start + len)?;
    let unquoted = if text.len() >= 2
        && (text.starts_with('\'') && text.ends_with('\'')
            || text.starts_with('"') && text.ends_with('"'))
    {
        &text[1..text.len() - 1]
    } else {
        text
    };
    Some(file.span_of(unquoted))
}

/// The span of `value[range]` inside a scalar at `span`, when the scalar's text is the
/// value verbatim (no escapes); otherwise the whole scalar.
fn sub_span(file: &SourceFile, span: Span, value: &str, range: std::ops::Range<usize>) -> Span {
    if file.slice(span) == value {
        file.span(span.start + range.start, span.start + range.end)
    } else {
        span
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/pnpm-lock", "*.yaml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&PnpmLock, "pnpm-lock.yaml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn keys() {
        let k = "/@babel/core/7.0.0_react@18.2.0";
        let p = parse_key(k, true).unwrap();
        assert_eq!((p.name, &k[p.version.unwrap()]), ("@babel/core", "7.0.0"));
        let k = "/@babel/core@7.0.0(react@18.2.0)";
        let p = parse_key(k, false).unwrap();
        assert_eq!((p.name, &k[p.version.unwrap()]), ("@babel/core", "7.0.0"));
        let k = "acorn@8.11.3";
        let p = parse_key(k, false).unwrap();
        assert_eq!((p.name, &k[p.version.unwrap()]), ("acorn", "8.11.3"));
        let p = parse_key("pkg@https://example.test/pkg.tgz", false).unwrap();
        assert!(p.version.is_none());
    }
}
