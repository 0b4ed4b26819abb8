//! `composer.lock`: the exact PHP package versions Composer resolved.
//!
//! Borrowed typed decoding (spans from string addresses). Each entry of `packages` is a
//! lockfile `package`/`composer` component, each of `packages-dev` the same with `dev`,
//! blamed on its `version` text (as written, `v` prefix kept). `platform` (the PHP and
//! extensions the lock was made for) is not reported: composer.json's `php` is the
//! requirement a person edits. Must not: read `composer.json`.

use std::path::Path;

use serde::Deserialize;

use super::composer_manifest::parse_json;
use super::json_str::Str;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct ComposerLock;

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow, default)]
    packages: Option<Vec<Package<'a>>>,
    #[serde(borrow, default, rename = "packages-dev")]
    packages_dev: Option<Vec<Package<'a>>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
}

impl Extractor for ComposerLock {
    fn name(&self) -> &'static str {
        "composer-lock"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["composer.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "composer.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(lock) = parse_json::<Lock>(file, "composer.lock", out) else {
            return;
        };
        for (list, dev) in [(lock.packages, false), (lock.packages_dev, true)] {
            for p in list.unwrap_or_default() {
                let name_span = p.name.span_or(file, file.span(0, 0));
                let span = p
                    .version
                    .as_ref()
                    .map_or(name_span, |v| v.span_or(file, name_span));
                out.push(
                    Component::new(
                        ComponentKind::Package,
                        Ecosystem::Composer,
                        p.name.0.as_ref(),
                        p.version.map(|v| v.0.into_owned()),
                        span,
                    )
                    .dev(dev)
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
        insta::glob!("../../fixtures/extract/composer-lock", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&ComposerLock, "composer.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
