//! `Cargo.lock`: the exact crate versions Cargo resolved.
//!
//! Reads the spanned TOML tree and reports each `[[package]]` that came from a
//! `source` (a registry or git) as a lockfile `package`/`cargo` component blamed on its
//! `version` text. Packages without `source` are the workspace's own crates (members and
//! path dependencies): their version is the repository's code, not a resolved input, so
//! they are skipped. Must not: read `Cargo.toml` or decide which manifest an entry
//! resolves (the scanner links them).

use std::path::Path;

use super::toml_tree::{parse_toml, string};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct CargoLock;

impl Extractor for CargoLock {
    fn name(&self) -> &'static str {
        "cargo-lock"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["Cargo.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "Cargo.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(root) = parse_toml(file, "Cargo.lock", out) else {
            return;
        };
        let Some(packages) = root.get_ref().get("package") else {
            return;
        };
        let Some(packages) = packages.get_ref().as_array() else {
            let span = file.span(packages.span().start, packages.span().end);
            out.problem(parse_error(span, "Cargo.lock", "`package` is not an array"));
            return;
        };
        for p in packages.iter() {
            let Some(t) = p.get_ref().as_table() else {
                continue;
            };
            if t.get("source").is_none() {
                continue;
            }
            let Some((name, name_span)) = string(file, t, "name") else {
                let span = file.span(p.span().start, p.span().start);
                out.problem(parse_error(span, "Cargo.lock", "package without `name`"));
                continue;
            };
            let c = match string(file, t, "version") {
                Some((v, span)) => Component::new(
                    ComponentKind::Package,
                    Ecosystem::Cargo,
                    name,
                    Some(v.to_string()),
                    span,
                ),
                None => Component::new(
                    ComponentKind::Package,
                    Ecosystem::Cargo,
                    name,
                    None,
                    name_span,
                ),
            };
            out.push(c.lockfile());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/cargo-lock", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&CargoLock, "Cargo.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
