//! Kubernetes manifests: every object's `apiVersion`/`kind` (checked later against the
//! cluster version) and the container images of pod specs, with their args and env.
//!
//! Manifests have free names, so this extractor wants every `*.yaml`/`*.yml` that no
//! other extractor owns and stays silent on YAML that is not Kubernetes. It must not
//! read Helm templates (Go templates are not YAML) nor guess at custom resources' pod
//! specs: only the built-in workload kinds are opened.

use std::path::Path;

use super::image_ref::{self, split_image};
use super::yaml_tree::{self, Node};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Setting, SettingKind};
use crate::source::SourceFile;

pub struct Kubernetes;

impl Extractor for Kubernetes {
    fn name(&self) -> &'static str {
        "kubernetes"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["k8s/deployment.yaml", "k8s/statefulset.yml"]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
            return false;
        }
        let stem = lower.trim_end_matches(".yaml").trim_end_matches(".yml");
        let owned_elsewhere = super::compose::is_compose_file(&lower)
            || stem.starts_with("docker-compose")
            || stem.starts_with("compose")
            || stem == "chart"
            || stem.starts_with("values")
            || stem == "pnpm-lock"
            || stem.starts_with(".pre-commit-");
        // A chart's `templates/` holds Go templates, and workflows belong to
        // `github-actions`; by name alone any `templates` folder is treated as a chart's.
        let dirs: Vec<&str> = path
            .parent()
            .into_iter()
            .flat_map(|p| p.iter())
            .filter_map(|c| c.to_str())
            .collect();
        let in_templates = dirs.contains(&"templates");
        let in_workflows = dirs.windows(2).any(|w| w == [".github", "workflows"]);
        !(owned_elsewhere || in_templates || in_workflows)
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let docs = match yaml_tree::parse_stream(file, "Kubernetes manifest") {
            Ok(docs) => docs,
            Err(problem) => {
                // Most unparsable YAML in a repository is someone else's business;
                // only a file that claims to be a manifest is worth a finding.
                if file.text.contains("apiVersion:") {
                    out.problem(*problem);
                }
                return;
            }
        };
        for doc in &docs {
            object(file, doc, out);
        }
    }
}

/// Kinds whose pod template sits at `spec.template.spec`.
const TEMPLATED_WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
];

/// One Kubernetes object (for `kind: List`, the objects in its `items`).
fn object(file: &SourceFile, doc: &Node, out: &mut Extraction) {
    let (Some(api), Some(kind)) = (doc.get("apiVersion"), doc.get("kind")) else {
        return;
    };
    let (Some(api_text), Some(kind_text)) = (api.as_str(), kind.as_str()) else {
        return;
    };
    let Some(api_scalar) = api.scalar(file) else {
        return;
    };
    let group = match doc.path(&["metadata", "name"]).and_then(Node::as_str) {
        Some(name) => format!("{kind_text}/{name}"),
        None => kind_text.to_string(),
    };
    // `kind: List` is a client-side wrapper (`kubectl get -o yaml`), not an API object
    if kind_text.ends_with("List") {
        for item in doc.get("items").map(Node::items).unwrap_or_default() {
            object(file, item, out);
        }
        return;
    }
    out.push(
        Component::new(
            ComponentKind::Resource,
            Ecosystem::Kubernetes,
            format!("{api_text}/{kind_text}"),
            None,
            api_scalar.span,
        )
        .group(group.clone()),
    );
    let pod_spec = match kind_text {
        "Pod" => doc.get("spec"),
        "CronJob" => doc.path(&["spec", "jobTemplate", "spec", "template", "spec"]),
        k if TEMPLATED_WORKLOADS.contains(&k) => doc.path(&["spec", "template", "spec"]),
        _ => None,
    };
    if let Some(spec) = pod_spec {
        for key in ["initContainers", "containers"] {
            for c in spec.get(key).map(Node::items).unwrap_or_default() {
                container(file, c, &group, out);
            }
        }
    }
}

fn container(file: &SourceFile, c: &Node, group: &str, out: &mut Extraction) {
    let Some(image) = c.get("image").and_then(|i| i.scalar(file)) else {
        return;
    };
    let (name, tag) = split_image(&image.text);
    let (version, span) = match tag {
        Some((s, e)) => (Some(image.text[s..e].to_string()), image.sub_span(s, e)),
        None => (None, image.sub_span(0, name.len())),
    };
    let mut component = Component::new(
        ComponentKind::Server,
        Ecosystem::Docker,
        name,
        version,
        span,
    )
    .group(group)
    .digest(image_ref::digest(&image.text));
    component.settings = settings(file, c);
    out.push(component);
}

/// `command` and `args` as `Arg` settings, `env` entries as `Env` settings.
pub(crate) fn settings(file: &SourceFile, c: &Node) -> Vec<Setting> {
    let mut settings = Vec::new();
    for key in ["command", "args"] {
        for arg in c.get(key).map(Node::items).unwrap_or_default() {
            if let Some(a) = arg.scalar(file) {
                let value = a.text.split_once('=').map_or("", |(_, v)| v).to_string();
                settings.push(Setting {
                    from_file: None,
                    kind: SettingKind::Arg,
                    name: a.text,
                    value,
                    span: a.span,
                });
            }
        }
    }
    for var in c.get("env").map(Node::items).unwrap_or_default() {
        let Some(name) = var.get("name").and_then(|n| n.scalar(file)) else {
            continue;
        };
        // `valueFrom` (secrets, config maps) has no literal value: keep the name
        let value = var.get("value").and_then(|v| v.scalar(file));
        settings.push(Setting {
            from_file: None,
            kind: SettingKind::Env,
            name: name.text,
            span: value.as_ref().map_or(name.span, |v| v.span),
            value: value.map(|v| v.text).unwrap_or_default(),
        });
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/kubernetes", "*.y*ml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = format!("deploy/{}", path.file_name().unwrap().to_str().unwrap());
            let (file, out) = run(&Kubernetes, &name, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    /// Every infrastructure extractor on every fixture of every format, wanted or not:
    /// foreign input yields problems or nothing, never a panic.
    #[test]
    fn infra_extractors_survive_foreign_fixtures() {
        use crate::extract::{
            Extraction, github_actions::GithubActions, helm, terraform::Terraform,
        };
        use crate::source::{FileId, SourceFile};
        let extractors: [&dyn Extractor; 5] = [
            &Kubernetes,
            &helm::HelmChart,
            &helm::HelmValues,
            &Terraform,
            &GithubActions,
        ];
        insta::glob!("../../fixtures/extract", "**/*.*", |path| {
            let Ok(text) = std::fs::read_to_string(path) else {
                return;
            };
            let file = SourceFile::new(FileId(0), "x", text);
            for ex in extractors {
                ex.extract(&file, &mut Extraction::default());
            }
        });
    }

    #[test]
    fn wants_free_yaml_but_not_other_formats() {
        let wants = |p: &str| Kubernetes.wants(Path::new(p));
        assert!(wants("k8s/app.yaml"));
        assert!(wants("deploy/db.YML"));
        assert!(!wants("docker-compose.yml"));
        assert!(!wants("compose.override.yaml"));
        assert!(!wants("deploy/docker-stack.yml"));
        assert!(!wants("stack.yml"));
        assert!(!wants("charts/db/Chart.yaml"));
        assert!(!wants("charts/db/values-prod.yaml"));
        assert!(!wants("charts/db/templates/deployment.yaml"));
        assert!(!wants(".github/workflows/ci.yml"));
        assert!(!wants("pnpm-lock.yaml"));
        assert!(!wants(".pre-commit-config.yaml"));
        assert!(!wants("k8s/app.json"));
    }
}
