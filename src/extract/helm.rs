//! Helm charts: `Chart.yaml` (the chart, the app it deploys, the cluster it needs, its
//! chart dependencies) and `values*.yaml` (container images configured for templates).
//!
//! Representation, chosen so rules can tell the four apart without new kinds:
//! - the chart itself is a `package` in `helm` named by the chart, version = `version`;
//! - `appVersion` is the version of the software the chart *deploys*, so it is a `server`
//!   in `helm` with the chart's name (a chart named `mysql` with `appVersion: 8.0.36`
//!   runs MySQL 8.0.36), never a second package;
//! - `kubeVersion` is a constraint the chart puts on the cluster: a `runtime` named
//!   `kubernetes` in `helm`, the way `engines.node` is a runtime in `npm`;
//! - `dependencies[]` are `package`s in `helm`, version = the range, group = repository,
//!   each also a [`UnitFact::HelmDependency`]: the scanner (`scan::helm_deps`) makes a
//!   dependency that is not vendored a server of the chart, since the chart's range
//!   says nothing about the version of what the subchart deploys.
//!
//! A values file's `global.imageRegistry` replaces the `registry` of every image written
//! as a map (`registry`/`repository`/`tag`), as Bitnami's common helper renders it; a
//! one-string `image: repo:tag` keeps its own registry.
//!
//! Unquoted numbers that Helm's float64 round trip would rewrite (`tag: 8.0` renders
//! as `8`) keep their written text and get an `ambiguous-version` warning.
//!
//! Must not: render templates (`templates/` is Go text, not YAML) or resolve values
//! overrides between files; each values file is read on its own.

use std::path::Path;

use super::image_ref::{self, split_image};
use super::yaml_tree::{self, Node, Scalar, Value};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, HelmDependency, UnitFact};
use crate::diagnostic::Subject;
use crate::source::SourceFile;

/// `Chart.yaml`.
pub struct HelmChart;

/// `values.yaml`, `values-prod.yaml`, `values.staging.yml`, …
pub struct HelmValues;

impl Extractor for HelmChart {
    fn name(&self) -> &'static str {
        "helm-chart"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["charts/app/Chart.yaml"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "Chart.yaml"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let chart = match yaml_tree::parse_one(file, "Helm Chart.yaml") {
            Ok(Some(chart)) => chart,
            Ok(None) => return,
            Err(problem) => return out.problem(*problem),
        };
        let name = chart.get("name").and_then(|n| n.scalar(file));
        if let Some(name) = &name {
            let version = chart.get("version").and_then(|v| v.scalar(file));
            let app = chart.get("appVersion").and_then(|v| v.scalar(file));
            for (key, v) in [("version", &version), ("appVersion", &app)] {
                if let Some(v) = v {
                    warn_number(v, key, false, Ecosystem::Helm, &name.text, out);
                }
            }
            push(
                out,
                ComponentKind::Package,
                &name.text,
                version.as_ref(),
                name,
                &name.text,
            );
            if let Some(app) = app {
                push(
                    out,
                    ComponentKind::Server,
                    &name.text,
                    Some(&app),
                    name,
                    &name.text,
                );
            }
            if let Some(kube) = chart.get("kubeVersion").and_then(|v| v.scalar(file)) {
                push(
                    out,
                    ComponentKind::Runtime,
                    "kubernetes",
                    Some(&kube),
                    name,
                    &name.text,
                );
            }
        }
        for dep in chart
            .get("dependencies")
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(dep_name) = dep.get("name").and_then(|n| n.scalar(file)) else {
                continue;
            };
            let version = dep.get("version").and_then(|v| v.scalar(file));
            if let Some(v) = &version {
                warn_number(v, "version", false, Ecosystem::Helm, &dep_name.text, out);
            }
            let text = |key: &str| {
                dep.get(key)
                    .and_then(|r| r.scalar(file))
                    .map(|r| r.text)
                    .filter(|r| !r.is_empty())
            };
            let repository = text("repository");
            // a dependency without a repository is a local subchart under `charts/`
            push(
                out,
                ComponentKind::Package,
                &dep_name.text,
                version.as_ref(),
                &dep_name,
                repository.as_deref().unwrap_or("charts/"),
            );
            out.units.push(UnitFact::HelmDependency(HelmDependency {
                name: dep_name.text.clone(),
                span: dep_name.span,
                alias: text("alias"),
                condition: text("condition"),
                tags: dep
                    .get("tags")
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
                repository,
                version: version.map(|v| v.text),
            }));
        }
    }
}

fn push(
    out: &mut Extraction,
    kind: ComponentKind,
    name: &str,
    version: Option<&Scalar>,
    name_scalar: &Scalar,
    group: &str,
) {
    let span = version.map_or(name_scalar.span, |v| v.span);
    out.push(
        Component::new(
            kind,
            Ecosystem::Helm,
            name,
            version.map(|v| v.text.clone()),
            span,
        )
        .group(group),
    );
}

/// Helm reads YAML through a JSON round trip: an unquoted `tag: 8.0` renders as `8`, a
/// long numeric tag as `1.234567e+06` (values are float64), and `appVersion: 6.10` in
/// `Chart.yaml` becomes `6.1` (numbers formatted back into string fields).
fn warn_number(
    s: &Scalar,
    key: &str,
    ints_too: bool,
    ecosystem: Ecosystem,
    name: &str,
    out: &mut Extraction,
) {
    if let Some(read_as) = s.float64_reading(ints_too) {
        let subject = Subject {
            ecosystem: Some(ecosystem),
            name: name.to_string(),
            version: Some(s.text.clone()),
            counterpart: None,
        };
        out.problem(yaml_tree::ambiguous_version(
            s,
            &read_as,
            key,
            "Helm",
            subject,
            "https://github.com/helm/helm/issues/11800",
        ));
    }
}

impl Extractor for HelmValues {
    fn name(&self) -> &'static str {
        "helm-values"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["charts/app/values.yaml", "charts/app/values-prod.yml"]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"))
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        match yaml_tree::parse_one(file, "Helm values") {
            Ok(Some(root)) => {
                let global = root
                    .path(&["global", "imageRegistry"])
                    .and_then(|r| r.scalar(file))
                    .map(|r| r.text)
                    .filter(|r| !r.is_empty());
                walk(file, &root, &mut String::new(), global.as_deref(), out)
            }
            Ok(None) => {}
            Err(problem) => out.problem(*problem),
        }
    }
}

/// Visit every mapping in the tree; `path` is the YAML path of `node` (`mysql.primary`).
/// `global` is `global.imageRegistry`, which overrides every map-style image's
/// `registry` (Bitnami's `common.images.image` helper: `default .imageRoot.registry
/// .global.imageRegistry`).
fn walk(
    file: &SourceFile,
    node: &Node,
    path: &mut String,
    global: Option<&str>,
    out: &mut Extraction,
) {
    let base = path.len();
    match &node.value {
        Value::Map(_) => {
            for (key, value) in node.entries() {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if key == "image" {
                    image(file, value, path, global, out);
                }
                walk(file, value, path, global, out);
                path.truncate(base);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                walk(file, item, path, global, out);
                path.truncate(base);
            }
        }
        _ => {}
    }
}

/// `image: repo:tag`, or `image: {registry?, repository, tag?}` (the tag may be a YAML
/// number such as `8.0`: its raw text is kept).
fn image(file: &SourceFile, node: &Node, group: &str, global: Option<&str>, out: &mut Extraction) {
    if let Some(repository) = node.get("repository").and_then(|r| r.scalar(file)) {
        let own = node
            .get("registry")
            .and_then(|r| r.scalar(file))
            .map(|r| r.text)
            .filter(|r| !r.is_empty());
        let name = match global.map(str::to_string).or(own) {
            Some(registry) => format!("{registry}/{}", repository.text),
            None => repository.text.clone(),
        };
        // an empty tag means "the chart's appVersion": unknown here
        let tag = node
            .get("tag")
            .and_then(|t| t.scalar(file))
            .filter(|t| !t.text.is_empty());
        if let Some(t) = &tag {
            warn_number(t, "tag", true, Ecosystem::Docker, &name, out);
        }
        let span = tag.as_ref().map_or(repository.span, |t| t.span);
        out.push(
            Component::new(
                ComponentKind::Server,
                Ecosystem::Docker,
                name,
                tag.map(|t| t.text),
                span,
            )
            .group(group),
        );
    } else if let Some(reference) = node.as_str().and_then(|_| node.scalar(file)) {
        if reference.text.is_empty() {
            return;
        }
        let (name, tag) = split_image(&reference.text);
        let (version, span) = match tag {
            Some((s, e)) => (
                Some(reference.text[s..e].to_string()),
                reference.sub_span(s, e),
            ),
            None => (None, reference.sub_span(0, name.len())),
        };
        out.push(
            Component::new(
                ComponentKind::Server,
                Ecosystem::Docker,
                name,
                version,
                span,
            )
            .group(group)
            .digest(image_ref::digest(&reference.text)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/helm", "*/*.y*ml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            let rel = format!("charts/app/{name}");
            let ex: &dyn Extractor = if name == "Chart.yaml" {
                &HelmChart
            } else {
                &HelmValues
            };
            let (file, out) = run(ex, &rel, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn wants_chart_and_values_files() {
        assert!(HelmChart.wants(Path::new("charts/db/Chart.yaml")));
        assert!(!HelmChart.wants(Path::new("charts/db/Chart.lock")));
        assert!(HelmValues.wants(Path::new("charts/db/values.yaml")));
        assert!(HelmValues.wants(Path::new("deploy/values-prod.yml")));
        assert!(!HelmValues.wants(Path::new("deploy/my-values.yaml")));
    }
}
