//! `poetry.lock`: the `[[package]]` array Poetry writes, one locked version per package.
//!
//! Owns reading that array (and the shared `[[package]]` reader `uv.lock` uses too) from a
//! fully spanned TOML tree. Must not: guess at packages from anything outside
//! `[[package]]` tables (descriptions and `[package.*]` sub-tables may contain `name =`
//! text), nor read `[metadata]`'s `python-versions` (the manifest states that).
//!
//! Dev: lock format 1.x marks `category = "dev"`; format 2.x lists `groups = [...]` and a
//! package is dev when `main` is not among them.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::toml_tree::{array, parse_toml, toml_str};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct PoetryLock;

impl Extractor for PoetryLock {
    fn name(&self) -> &'static str {
        "poetry-lock"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["poetry.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "poetry.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        lock_packages(file, "poetry.lock", out, |_| false, poetry_dev);
    }
}

fn poetry_dev(pkg: &DeTable<'_>) -> bool {
    if let Some(DeValue::String(c)) = pkg.get("category").map(|v| v.get_ref()) {
        return c == "dev";
    }
    if let Some(DeValue::Array(groups)) = pkg.get("groups").map(|v| v.get_ref()) {
        return !groups.iter().any(|g| g.get_ref().as_str() == Some("main"));
    }
    false
}

/// Push one lockfile component per `[[package]]` table with a `name`: version = resolved
/// = the locked version, spanned on the version text (on the name when there is none).
/// `skip` drops tables that are not dependencies (uv's project roots).
pub(crate) fn lock_packages(
    file: &SourceFile,
    format: &str,
    out: &mut Extraction,
    skip: impl Fn(&DeTable<'_>) -> bool,
    dev: impl Fn(&DeTable<'_>) -> bool,
) {
    let Some(doc) = parse_toml(file, format, out) else {
        return;
    };
    for pkg in array(doc.get_ref(), "package") {
        let Some(t) = pkg.get_ref().as_table() else {
            continue;
        };
        if skip(t) {
            continue;
        }
        let Some(name) = t.get("name").and_then(|v| toml_str(file, v)) else {
            continue;
        };
        let version = t.get("version").and_then(|v| toml_str(file, v));
        let (v, span) = match version {
            Some(v) => (Some(v.text.to_string()), v.span),
            None => (None, name.span),
        };
        let mut c = Component::new(ComponentKind::Package, Ecosystem::PyPI, name.text, v, span)
            .lockfile()
            .dev(dev(t));
        c.resolved = c.version.clone();
        c.resolved_span = version.map(|v| v.span);
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/poetry-lock", "*.lock", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&PoetryLock, "poetry.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
