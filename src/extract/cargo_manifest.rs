//! `Cargo.toml`: the crates a Rust package or workspace depends on, and the Rust
//! version it requires.
//!
//! Reads the fully spanned TOML tree (`toml::de::DeTable`), not typed serde: Cargo's
//! `dep = "1"` / `dep = { version = "1" }` is an untagged shape where typed `Spanned`
//! loses positions (CRATES.md note 2). Must not: read other files. What another file
//! must resolve is recorded instead: a member's `workspace = true` carries
//! [`Inherit::CargoWorkspace`], and a root offers its `[workspace]`
//! ([`Inheritable::CargoWorkspace`]) so the scanner can match them (`scan::inherit`).
//!
//! Choices, so rules can rely on them:
//! - `[dependencies]`, `[build-dependencies]`, `[target.'cfg(..)'.*]` and
//!   `[workspace.dependencies]` entries are `package`/`cargo`; `[dev-dependencies]` are
//!   `dev`. Build dependencies are not `dev`: they run on the build machine but are still
//!   built and run for every build.
//! - The component is named by the real crate (`package = "real-name"` renames win) and
//!   blamed on the version text (without quotes), or on the key when there is none
//!   (`path`/`git` dependencies: version `None`).
//! - `workspace = true`: when `[workspace.dependencies]` is in the same file, that entry
//!   is already a component (group `workspace`) and the member line adds nothing; when
//!   it is elsewhere (a member manifest), the component has version `None`, blamed on
//!   the key, and [`Inherit::CargoWorkspace`] (with `package.workspace` when the
//!   member names its root).
//! - `rust-version` (in `[package]` or `[workspace.package]`) is `runtime`/`cargo`/`rust`:
//!   the Rust the package requires. An inherited `rust-version.workspace = true` adds
//!   nothing (the workspace's own value is reported where it is written).
//! - The package's own name and version are not components (it is the repository's code).

use std::path::Path;

use serde_spanned::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::toml_tree::{array, parse_toml, str_span, string, table};
use super::{Extraction, Extractor, file_name};
use crate::component::{
    CargoWorkspace, Component, ComponentKind, Ecosystem, Inherit, Inheritable, Project,
};
use crate::source::{SourceFile, Span};

pub struct CargoManifest;

impl Extractor for CargoManifest {
    fn name(&self) -> &'static str {
        "cargo-manifest"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["Cargo.toml", "crates/core/Cargo.toml"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "Cargo.toml"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(root) = parse_toml(file, "Cargo.toml", out) else {
            return;
        };
        let root = root.get_ref();
        let workspace = table(root, "workspace");
        let ws_deps = workspace.and_then(|w| table(w, "dependencies"));
        let root_path = table(root, "package")
            .and_then(|p| p.get("workspace"))
            .and_then(|w| w.get_ref().as_str());
        // the crate itself; `version.workspace = true` names no version here
        if let Some(pkg) = table(root, "package")
            && let Some(name) = pkg.get("name")
            && let DeValue::String(n) = name.get_ref()
        {
            out.project = Some(Project {
                ecosystem: Ecosystem::Cargo,
                name: n.to_string(),
                version: pkg
                    .get("version")
                    .and_then(|v| v.get_ref().as_str().map(str::to_string)),
                span: str_span(file, name.span()),
            });
        }
        if let Some(w) = workspace {
            let strings = |key| {
                array(w, key)
                    .iter()
                    .filter_map(|v| v.get_ref().as_str().map(str::to_string))
                    .collect()
            };
            out.inheritable
                .push(Inheritable::CargoWorkspace(CargoWorkspace {
                    members: strings("members"),
                    exclude: strings("exclude"),
                    dependencies: ws_deps
                        .map(|d| d.keys().map(|k| k.get_ref().to_string()).collect())
                        .unwrap_or_default(),
                }));
        }

        for pkg in [
            table(root, "package"),
            workspace.and_then(|w| table(w, "package")),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(rv) = pkg.get("rust-version")
                && let DeValue::String(s) = rv.get_ref()
            {
                out.push(Component::new(
                    ComponentKind::Runtime,
                    Ecosystem::Cargo,
                    "rust",
                    Some(s.to_string()),
                    str_span(file, rv.span()),
                ));
            }
        }

        if let Some(deps) = ws_deps {
            let cx = Tables {
                ws_deps: None,
                root_path: None,
            };
            dependency_table(file, deps, false, &cx, Some("workspace"), out);
        }
        let mut tables: Vec<&DeTable<'_>> = vec![root];
        if let Some(targets) = table(root, "target") {
            tables.extend(targets.values().filter_map(|t| t.get_ref().as_table()));
        }
        for t in tables {
            for (key, dev) in [
                ("dependencies", false),
                ("dev-dependencies", true),
                ("dev_dependencies", true),
                ("build-dependencies", false),
                ("build_dependencies", false),
            ] {
                if let Some(deps) = table(t, key) {
                    let cx = Tables { ws_deps, root_path };
                    dependency_table(file, deps, dev, &cx, None, out);
                }
            }
        }
    }
}

/// What a `workspace = true` entry is resolved against.
struct Tables<'a, 'i> {
    /// `[workspace.dependencies]` of this same file.
    ws_deps: Option<&'a DeTable<'i>>,
    /// `package.workspace`: the member's explicit root folder.
    root_path: Option<&'a str>,
}

/// One `[*dependencies]` table.
fn dependency_table(
    file: &SourceFile,
    deps: &DeTable<'_>,
    dev: bool,
    cx: &Tables<'_, '_>,
    group: Option<&str>,
    out: &mut Extraction,
) {
    for (key, value) in deps.iter() {
        let Some((name, version, span)) = dependency(file, key, value, cx.ws_deps) else {
            continue;
        };
        let inherit = is_inherited(value).then(|| Inherit::CargoWorkspace {
            key: key.get_ref().to_string(),
            root: cx.root_path.map(str::to_string),
        });
        let mut c = Component::new(
            ComponentKind::Package,
            Ecosystem::Cargo,
            name,
            version,
            span,
        )
        .dev(dev)
        .inherit(inherit);
        if let Some(g) = group {
            c = c.group(g);
        }
        out.push(c);
    }
}

/// `(real name, version, span)` of one entry, or `None` when it adds nothing
/// (inherited from a `[workspace.dependencies]` in the same file).
fn dependency(
    file: &SourceFile,
    key: &Spanned<DeString<'_>>,
    value: &Spanned<DeValue<'_>>,
    ws_deps: Option<&DeTable<'_>>,
) -> Option<(String, Option<String>, Span)> {
    let key_span = str_span(file, key.span());
    match value.get_ref() {
        DeValue::String(s) => Some((
            key.get_ref().to_string(),
            Some(s.to_string()),
            str_span(file, value.span()),
        )),
        DeValue::Table(t) => {
            let name = t
                .get("package")
                .and_then(|p| p.get_ref().as_str())
                .unwrap_or(key.get_ref())
                .to_string();
            if is_inherited(value) {
                if ws_deps.is_some_and(|w| w.contains_key(key.get_ref().as_ref())) {
                    return None;
                }
                return Some((name, None, key_span));
            }
            match string(file, t, "version") {
                Some((v, span)) => Some((name, Some(v.to_string()), span)),
                None => Some((name, None, key_span)),
            }
        }
        // not a dependency shape Cargo accepts; Cargo itself reports it
        _ => Some((key.get_ref().to_string(), None, key_span)),
    }
}

/// `{ workspace = true, … }`: the entry takes its version from the workspace root.
fn is_inherited(value: &Spanned<DeValue<'_>>) -> bool {
    value
        .get_ref()
        .as_table()
        .and_then(|t| t.get("workspace"))
        .and_then(|w| w.get_ref().as_bool())
        == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    /// The crate a manifest describes is the project, not a component; an inherited
    /// version (`version.workspace = true`) is not known here.
    #[test]
    fn the_package_itself_is_the_project() {
        let (file, out) = run(
            &CargoManifest,
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.3.1\"\n",
        );
        let p = out.project.expect("a project");
        assert_eq!(
            (p.name.as_str(), p.version.as_deref()),
            ("app", Some("0.3.1"))
        );
        assert_eq!(file.slice(p.span), "app");
        let (_, out) = run(
            &CargoManifest,
            "Cargo.toml",
            "[package]\nname = \"member\"\nversion.workspace = true\n",
        );
        assert_eq!(out.project.expect("a project").version, None);
        let (_, out) = run(&CargoManifest, "Cargo.toml", "[workspace]\nmembers = []\n");
        assert!(out.project.is_none());
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/cargo-manifest", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&CargoManifest, "Cargo.toml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
