//! Kustomize (`kustomization.yaml`, `kustomization.yml`, `Kustomization`): the image
//! overrides and the Helm charts a kustomization deploys.
//!
//! - `images[]`: `newTag` is the tag Kustomize writes into every container of the
//!   kustomization's resources whose image is `name`; the image deployed is `newName`
//!   when given, else `name`. Each entry is a `server` in `docker` (as images in
//!   Kubernetes manifests are), version = `newTag`, blamed on it; with a `digest` and no
//!   `newTag` the version is unknown, blamed on the digest; an entry that only renames
//!   is blamed on `newName`.
//! - `helmCharts[]`: `name` + `version` → a `package` in `helm`, group = `repo`, as a
//!   `Chart.yaml` dependency is.
//!
//! An unquoted number (`newTag: 8.0`) keeps its written text; how Kustomize itself reads
//! one was not checked, so no `ambiguous-version` is claimed for it.
//!
//! Must not: follow `resources`/`bases`/`components` (each file is scanned on its own;
//! remote `?ref=` bases are not components), apply the overrides to the manifests (that
//! is planning, not extraction), or read the generated output.

use std::path::Path;

use super::yaml_tree::{self, Node, Scalar};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct Kustomize;

impl Extractor for Kustomize {
    fn name(&self) -> &'static str {
        "kustomize"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "kustomization.yaml",
            "overlays/prod/kustomization.yml",
            "base/Kustomization",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            "kustomization.yaml" | "kustomization.yml" | "Kustomization"
        )
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let root = match yaml_tree::parse_one(file, "kustomization") {
            Ok(Some(root)) => root,
            Ok(None) => return,
            Err(problem) => return out.problem(*problem),
        };
        for entry in root.get("images").map(Node::items).unwrap_or_default() {
            image(file, entry, out);
        }
        for chart in root.get("helmCharts").map(Node::items).unwrap_or_default() {
            let text = |k: &str| {
                chart
                    .get(k)
                    .and_then(|n| n.scalar(file))
                    .filter(|s| !s.text.is_empty())
            };
            let Some(name) = text("name") else { continue };
            let version = text("version");
            let group = text("repo").map_or_else(|| "helmCharts".to_string(), |r| r.text);
            let span = version.as_ref().map_or(name.span, |v| v.span);
            out.push(
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Helm,
                    name.text,
                    version.map(|v| v.text),
                    span,
                )
                .group(group),
            );
        }
    }
}

/// One `images[]` entry.
fn image(file: &SourceFile, entry: &Node, out: &mut Extraction) {
    let text = |k: &str| -> Option<Scalar> {
        entry
            .get(k)
            .and_then(|n| n.scalar(file))
            .filter(|s| !s.text.is_empty())
    };
    let Some(name) = text("name") else { return };
    let new_name = text("newName");
    let tag = text("newTag");
    let digest = text("digest");
    let deployed = new_name.as_ref().unwrap_or(&name);
    let span = tag.as_ref().or(digest.as_ref()).unwrap_or(deployed).span;
    out.push(
        Component::new(
            ComponentKind::Server,
            Ecosystem::Docker,
            deployed.text.clone(),
            tag.map(|t| t.text),
            span,
        )
        .group("images"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/kustomize", "*.yaml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Kustomize, "overlays/prod/kustomization.yaml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn wants_kustomization_files_only() {
        assert!(Kustomize.wants(Path::new("kustomization.yaml")));
        assert!(Kustomize.wants(Path::new("base/kustomization.yml")));
        assert!(Kustomize.wants(Path::new("k/Kustomization")));
        assert!(!Kustomize.wants(Path::new("k/kustomization.json")));
        assert!(!Kustomize.wants(Path::new("k/deployment.yaml")));
    }
}
