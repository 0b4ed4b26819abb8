//! `packages.lock.json`: the exact NuGet package versions restored per target framework.
//!
//! Borrowed typed decoding (spans from string addresses). Each
//! `dependencies.<tfm>.<name>` entry with a `resolved` version is a lockfile
//! `package`/`nuget` component with group `<tfm>`, blamed on the `resolved` text; the same
//! package under two frameworks is two components. `Project` entries (references to
//! other projects of the solution) are not packages and are skipped. Must not: read the
//! project file.

use std::path::Path;

use serde::Deserialize;

use super::composer_manifest::{Pairs, parse_json};
use super::json_str::Str;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct DotnetLock;

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow, default)]
    dependencies: Option<Pairs<'a, Pairs<'a, Entry<'a>>>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow, default)]
    resolved: Option<Str<'a>>,
}

impl Extractor for DotnetLock {
    fn name(&self) -> &'static str {
        "dotnet-lock"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["packages.lock.json"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "packages.lock.json"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(lock) = parse_json::<Lock>(file, "packages.lock.json", out) else {
            return;
        };
        for (tfm, entries) in lock.dependencies.map(|d| d.0).unwrap_or_default() {
            for (name, e) in entries.0 {
                if e.kind.as_ref().is_some_and(|k| k.0 == "Project") {
                    continue;
                }
                let name_span = name.span_or(file, file.span(0, 0));
                let span = e
                    .resolved
                    .as_ref()
                    .map_or(name_span, |v| v.span_or(file, name_span));
                out.push(
                    Component::new(
                        ComponentKind::Package,
                        Ecosystem::NuGet,
                        name.0.as_ref(),
                        e.resolved.map(|v| v.0.into_owned()),
                        span,
                    )
                    .group(tfm.0.as_ref())
                    .lockfile(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/dotnet-lock", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&DotnetLock, "packages.lock.json", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
