//! Google Cloud Build configs (`cloudbuild.yaml`, `cloudbuild.yml`, also
//! `cloudbuild.<name>.yaml`): the container image each build step runs in.
//!
//! Each `steps[].name` is an image reference: a `runtime` in `docker` (the build runs on
//! it, as on a Dockerfile's base image or a CI job's container), version = the tag,
//! blamed on it; no tag is version `None`, blamed on the name. A tag that is exactly one
//! user substitution (`node:${_NODE_VERSION}`, `$_NODE_VERSION`) takes the value of the
//! file's `substitutions:` entry, blamed there; any other `$` text is unknown, blamed on
//! the tag. `images:` (what the build pushes) are outputs, not components.
//!
//! Must not: read substitutions from triggers or the command line (not in the file).

use std::path::Path;

use super::image_ref::split_image;
use super::yaml_tree::{self, Node};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct CloudBuild;

impl Extractor for CloudBuild {
    fn name(&self) -> &'static str {
        "cloudbuild"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "cloudbuild.yaml",
            "ci/cloudbuild.yml",
            "cloudbuild.prod.yaml",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        name.strip_prefix("cloudbuild").is_some_and(|rest| {
            let stem = rest
                .strip_suffix(".yaml")
                .or_else(|| rest.strip_suffix(".yml"));
            stem.is_some_and(|s| s.is_empty() || (s.starts_with(['.', '-']) && s.len() > 1))
        })
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let root = match yaml_tree::parse_one(file, "Cloud Build config") {
            Ok(Some(root)) => root,
            Ok(None) => return,
            Err(problem) => return out.problem(*problem),
        };
        let substitutions = root.get("substitutions");
        for (i, step) in root
            .get("steps")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(image) = step.get("name").and_then(|n| n.scalar(file)) else {
                continue;
            };
            if image.text.is_empty() {
                continue;
            }
            let (name, tag) = split_image(&image.text);
            let (version, span) = match tag {
                Some((s, e)) => {
                    let tag = &image.text[s..e];
                    match substitution(tag) {
                        Some(key) => match substitutions
                            .and_then(|subs| subs.get(key))
                            .and_then(|v| v.scalar(file))
                        {
                            Some(v) => (Some(v.text.clone()), v.span),
                            None => (None, image.sub_span(s, e)),
                        },
                        None if tag.contains('$') => (None, image.sub_span(s, e)),
                        None => (Some(tag.to_string()), image.sub_span(s, e)),
                    }
                }
                None => (None, image.sub_span(0, name.len())),
            };
            let group = step
                .get("id")
                .and_then(|n| n.scalar(file))
                .map_or_else(|| format!("steps[{i}]"), |id| id.text);
            out.push(
                Component::new(
                    ComponentKind::Runtime,
                    Ecosystem::Docker,
                    name,
                    version,
                    span,
                )
                .group(group),
            );
        }
    }
}

/// `_NAME` of a tag that is exactly `$_NAME` or `${_NAME}` (user substitutions start
/// with `_`; built-in ones such as `$SHORT_SHA` are not in the file).
fn substitution(tag: &str) -> Option<&str> {
    let key = tag
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| tag.strip_prefix('$'))?;
    (key.starts_with('_')
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'))
    .then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/cloudbuild", "*.yaml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&CloudBuild, "deploy/cloudbuild.yaml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn wants_cloudbuild_files_only() {
        let wants = |p: &str| CloudBuild.wants(Path::new(p));
        assert!(wants("cloudbuild.yaml"));
        assert!(wants("ci/cloudbuild.yml"));
        assert!(wants("cloudbuild.prod.yaml"));
        assert!(wants("cloudbuild-pr.yaml"));
        assert!(!wants("cloudbuild.json"));
        assert!(!wants("cloudbuildx.yaml"));
        assert!(!wants("mycloudbuild.yaml"));
    }

    #[test]
    fn substitutions() {
        assert_eq!(substitution("${_NODE}"), Some("_NODE"));
        assert_eq!(substitution("$_NODE_2"), Some("_NODE_2"));
        assert_eq!(substitution("$SHORT_SHA"), None);
        assert_eq!(substitution("v${_NODE}"), None);
    }
}
