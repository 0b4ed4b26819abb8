//! Gradle version catalogs (`gradle/libs.versions.toml`, any `*.versions.toml`): the
//! Maven artifacts a build declares in one place.
//!
//! Reads the spanned TOML tree. Each `[libraries]` entry is a `package`/`maven` named
//! `group:artifact`, in any of its forms: `"g:a:v"`, `{ module = "g:a" }`,
//! `{ group, name }`, with `version = "v"`, `version.ref = "alias"`,
//! `version = { ref | strictly | require | prefer = … }` (first of those found wins, in
//! that order). A version taken from `[versions]` is blamed on its text there — that is
//! where a person edits it, even if several libraries share it. No version: `None`,
//! blamed on the module. Each `[plugins]` entry (`"id:v"`, `{ id, version }`,
//! `{ id, version.ref }`) is a `tool`/`maven` named by the plugin's marker artifact
//! `id:id.gradle.plugin`, as the `gradle` extractor names a `plugins { }` line; one
//! without a version is no component. `[versions]` itself and `[bundles]` are not
//! components. Must not: read build scripts.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::toml_tree::{parse_toml, str_span, string, table};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::{SourceFile, Span};

pub struct GradleCatalog;

impl Extractor for GradleCatalog {
    fn name(&self) -> &'static str {
        "gradle-catalog"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["gradle/libs.versions.toml"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path).ends_with(".versions.toml")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(root) = parse_toml(file, "version catalog", out) else {
            return;
        };
        let root = root.get_ref();
        let versions = table(root, "versions");
        for (_, p) in table(root, "plugins").into_iter().flat_map(|t| t.iter()) {
            if let Some((id, Some((version, span)))) = plugin(file, p, versions) {
                out.push(Component::new(
                    ComponentKind::Tool,
                    Ecosystem::Maven,
                    format!("{id}:{id}.gradle.plugin"),
                    Some(version),
                    span,
                ));
            }
        }
        let Some(libs) = table(root, "libraries") else {
            return;
        };
        for (key, lib) in libs.iter() {
            let key_span = str_span(file, key.span());
            let found = match lib.get_ref() {
                DeValue::String(s) => {
                    let span = str_span(file, lib.span());
                    let raw = &file.text[span.start..span.end];
                    // without escapes the literal as written is the value, and its
                    // parts are slices of the file: spans come from them
                    let borrowed = raw == s.as_ref();
                    let text: &str = if borrowed { raw } else { s.as_ref() };
                    match text.split(':').collect::<Vec<_>>()[..] {
                        [g, a, v] => {
                            let vspan = if borrowed { file.span_of(v) } else { span };
                            Some((format!("{g}:{a}"), Some((v.to_string(), vspan))))
                        }
                        [g, a] => Some((format!("{g}:{a}"), None)),
                        _ => None,
                    }
                }
                DeValue::Table(t) => library(file, t, versions),
                _ => None,
            };
            let Some((name, version)) = found else {
                continue;
            };
            let (version, span) = match version {
                Some((v, span)) => (Some(v), span),
                None => {
                    let span = match lib.get_ref().as_table() {
                        Some(t) => string(file, t, "module")
                            .or_else(|| string(file, t, "name"))
                            .map(|(_, s)| s)
                            .unwrap_or(key_span),
                        None => str_span(file, lib.span()),
                    };
                    (None, span)
                }
            };
            out.push(Component::new(
                ComponentKind::Package,
                Ecosystem::Maven,
                name,
                version,
                span,
            ));
        }
    }
}

type Version = Option<(String, Span)>;

/// `(id, version)` of a `[plugins]` entry: `"id:v"` or a table with `id` and `version`.
fn plugin(
    file: &SourceFile,
    p: &toml::Spanned<DeValue<'_>>,
    versions: Option<&DeTable<'_>>,
) -> Option<(String, Version)> {
    match p.get_ref() {
        DeValue::String(s) => {
            let span = str_span(file, p.span());
            let raw = &file.text[span.start..span.end];
            let (id, v) = s.split_once(':')?;
            let vspan = if raw == s.as_ref() {
                file.span_of(&raw[id.len() + 1..])
            } else {
                span
            };
            Some((id.to_string(), Some((v.to_string(), vspan))))
        }
        DeValue::Table(t) => {
            let (id, _) = string(file, t, "id")?;
            let version = match t.get("version").map(|v| v.get_ref()) {
                Some(DeValue::String(_)) => {
                    string(file, t, "version").map(|(v, s)| (v.to_string(), s))
                }
                Some(DeValue::Table(vt)) => rich_version(file, vt, versions),
                _ => None,
            };
            Some((id.to_string(), version))
        }
        _ => None,
    }
}

/// `(group:artifact, version)` of a library written as a table.
fn library(
    file: &SourceFile,
    t: &DeTable<'_>,
    versions: Option<&DeTable<'_>>,
) -> Option<(String, Version)> {
    let name = match string(file, t, "module") {
        Some((m, _)) => m.to_string(),
        None => {
            let (g, _) = string(file, t, "group")?;
            let (n, _) = string(file, t, "name")?;
            format!("{g}:{n}")
        }
    };
    let version = match t.get("version").map(|v| v.get_ref()) {
        Some(DeValue::String(_)) => string(file, t, "version").map(|(v, s)| (v.to_string(), s)),
        Some(DeValue::Table(vt)) => rich_version(file, vt, versions),
        _ => None,
    };
    Some((name, version))
}

/// `{ ref = … }` or a rich version (`strictly`, `require`, `prefer`).
fn rich_version(file: &SourceFile, vt: &DeTable<'_>, versions: Option<&DeTable<'_>>) -> Version {
    if let Some((alias, _)) = string(file, vt, "ref") {
        let versions = versions?;
        return match versions.get(alias).map(|v| v.get_ref()) {
            Some(DeValue::String(_)) => {
                string(file, versions, alias).map(|(v, s)| (v.to_string(), s))
            }
            Some(DeValue::Table(rt)) => rich_version(file, rt, None),
            _ => None,
        };
    }
    ["strictly", "require", "prefer"]
        .iter()
        .find_map(|k| string(file, vt, k))
        .map(|(v, s)| (v.to_string(), s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/gradle-catalog", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&GradleCatalog, "gradle/libs.versions.toml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
