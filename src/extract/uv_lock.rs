//! `uv.lock`: the `[[package]]` array uv writes, one locked version per package.
//!
//! Owns deciding which `[[package]]` tables are dependencies: the project itself and
//! workspace members (`source = { editable = ... }` / `{ virtual = ... }`) are not, since
//! their versions are the repository's own. Must not: read `[package.metadata]`
//! `requires-dist` (that repeats the manifests' ranges) nor mark dev dependencies (uv.lock
//! does not say which packages only dev groups pull in).

use std::path::Path;

use toml::de::DeTable;

use super::poetry_lock::lock_packages;
use super::{Extraction, Extractor, file_name};
use crate::source::SourceFile;

pub struct UvLock;

impl Extractor for UvLock {
    fn name(&self) -> &'static str {
        "uv-lock"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["uv.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "uv.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        lock_packages(file, "uv.lock", out, is_project_root, |_| false);
    }
}

fn is_project_root(pkg: &DeTable<'_>) -> bool {
    pkg.get("source")
        .and_then(|s| s.get_ref().as_table())
        .is_some_and(|s| s.contains_key("editable") || s.contains_key("virtual"))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/uv-lock", "*.lock", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&UvLock, "uv.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
