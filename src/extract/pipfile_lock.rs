//! `Pipfile.lock`: Pipenv's JSON lockfile (`default` and `develop` maps).
//!
//! Owns reading those maps into lockfile components with the exact version (`"==1.2.3"`
//! becomes `1.2.3`, spanned on `1.2.3`). Parsing goes into borrowed typed structs so a
//! version's span is its pointer offset in the text (CRATES.md); a string with escapes
//! cannot be borrowed and falls back to the span of its package name. Must not: read
//! `_meta` (the Python version there repeats the Pipfile's), nor report entries without
//! a version (git/path/editable): they resolve nothing a rule could check.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::json_str::Str;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

pub struct PipfileLock;

impl Extractor for PipfileLock {
    fn name(&self) -> &'static str {
        "pipfile-lock"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["Pipfile.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "Pipfile.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        let lock: Lock<'_> = match serde_json::from_str(&file.text) {
            Ok(l) => l,
            Err(e) => {
                let at = file.offset_of(e.line(), e.column());
                out.problem(parse_error(file.span(at, at), "Pipfile.lock", e));
                return;
            }
        };
        for (section, dev) in [(&lock.default, false), (&lock.develop, true)] {
            for (name, entry) in section {
                let Some(version) = &entry.version else {
                    continue;
                };
                let raw = version.0.as_ref();
                let exact = raw.trim_start_matches("===").trim_start_matches("==");
                let span = match (&version.0, &name.0) {
                    (Cow::Borrowed(_), _) => file.span_of(exact),
                    (_, Cow::Borrowed(n)) => file.span_of(n),
                    _ => Span::default(),
                };
                let mut c = Component::new(
                    ComponentKind::Package,
                    Ecosystem::PyPI,
                    name.0.as_ref(),
                    Some(exact.to_string()),
                    span,
                )
                .lockfile()
                .dev(dev);
                c.resolved = c.version.clone();
                c.resolved_span = Some(span);
                out.push(c);
            }
        }
    }
}

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(default, borrow)]
    default: BTreeMap<Str<'a>, Entry<'a>>,
    #[serde(default, borrow)]
    develop: BTreeMap<Str<'a>, Entry<'a>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(default, borrow)]
    version: Option<Str<'a>>,
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/pipfile-lock", "*.json", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&PipfileLock, "Pipfile.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
