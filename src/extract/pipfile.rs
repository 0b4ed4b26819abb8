//! `Pipfile`: Pipenv's TOML manifest (`[packages]`, `[dev-packages]`, `[requires]`).
//!
//! Owns reading those three tables from a fully spanned TOML tree. Must not: read
//! Pipenv's custom categories (`[docs]` and the like: their meaning is project-specific),
//! nor `[[source]]` (index URLs are not versions).
//!
//! A version is kept as written: `"==1.2.3"`, `">=2,<3"`, and `"*"`, which Pipenv reads as
//! "any version". A table entry's `version` key is the version; a table without one (git,
//! path, editable) has no version and is blamed on its name. `[requires]`
//! `python_version`/`python_full_version` is the runtime the project requires:
//! `Runtime`/`PyPI`/`python`.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::pyproject::python_runtime;
use super::toml_tree::{parse_toml, table, toml_str};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct Pipfile;

impl Extractor for Pipfile {
    fn name(&self) -> &'static str {
        "pipfile"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["Pipfile"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "Pipfile"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(doc) = parse_toml(file, "Pipfile", out) else {
            return;
        };
        let root = doc.get_ref();
        if let Some(t) = table(root, "packages") {
            packages(file, t, false, out);
        }
        if let Some(t) = table(root, "dev-packages") {
            packages(file, t, true, out);
        }
        if let Some(req) = table(root, "requires") {
            // the full version is the more precise statement when both are written
            let v = req
                .get("python_full_version")
                .or_else(|| req.get("python_version"))
                .and_then(|v| toml_str(file, v));
            if let Some(v) = v {
                out.push(python_runtime(v.text, v.span));
            }
        }
    }
}

fn packages(file: &SourceFile, t: &DeTable<'_>, dev: bool, out: &mut Extraction) {
    for (key, value) in t.iter() {
        let spec = match value.get_ref() {
            DeValue::String(_) => toml_str(file, value),
            DeValue::Table(t) => t.get("version").and_then(|v| toml_str(file, v)),
            _ => None,
        };
        let (version, span) = match spec {
            Some(s) => (Some(s.text.trim().to_string()), s.span),
            None => (None, file.span(key.span().start, key.span().end)),
        };
        out.push(
            Component::new(
                ComponentKind::Package,
                Ecosystem::PyPI,
                key.get_ref().as_ref(),
                version,
                span,
            )
            .dev(dev),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/pipfile", "*.Pipfile", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Pipfile, "Pipfile", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
