//! GitHub Actions workflows (`.github/workflows/*.yml`): the actions and reusable
//! workflows a job uses (pinned refs), the runtimes `setup-*` actions install, and the
//! container images of `services:` and `container:`.
//!
//! `${{ matrix.X }}` is expanded to every value of the job's `strategy.matrix.X` (and
//! `include` entries), one component per value, blamed on the value in the matrix. An
//! unquoted version that YAML reads as a float (`python-version: 3.10`, which GitHub
//! turns into `3.1`) keeps its written text as the version and is reported as
//! `ambiguous-version`. Must not: evaluate other expressions (`${{ env.X }}`,
//! `fromJSON(…)`): those versions are unknown, blamed on the expression.

use std::collections::HashSet;
use std::path::Path;

use super::image_ref::split_image;
use super::yaml_tree::{self, Node, Scalar};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Setting, SettingKind};
use crate::diagnostic::Subject;
use crate::source::{SourceFile, Span};

pub struct GithubActions;

/// Setup actions and the `with:` input naming the runtime version they install.
const SETUP_ACTIONS: &[(&str, &str, &str)] = &[
    ("actions/setup-node", "node-version", "node"),
    ("actions/setup-python", "python-version", "python"),
    ("actions/setup-java", "java-version", "java"),
    ("actions/setup-go", "go-version", "go"),
    ("ruby/setup-ruby", "ruby-version", "ruby"),
];

impl Extractor for GithubActions {
    fn name(&self) -> &'static str {
        "github-actions"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[".github/workflows/ci.yml", ".github/workflows/release.yaml"]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        let in_workflows = path
            .parent()
            .is_some_and(|p| p.ends_with(".github/workflows"));
        in_workflows && (name.ends_with(".yml") || name.ends_with(".yaml"))
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let root = match yaml_tree::parse_one(file, "GitHub Actions workflow") {
            Ok(Some(root)) => root,
            Ok(None) => return,
            Err(problem) => return out.problem(*problem),
        };
        let stem = Path::new(&file.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("workflow");
        let mut warned = HashSet::new();
        for (job_id, job) in root.get("jobs").map(Node::entries).into_iter().flatten() {
            let cx = Job {
                file,
                matrix: job.path(&["strategy", "matrix"]),
                group: format!("{stem}/{job_id}"),
            };
            cx.extract(job, out, &mut warned);
        }
    }
}

struct Job<'a> {
    file: &'a SourceFile,
    matrix: Option<&'a Node>,
    group: String,
}

/// A value after matrix expansion: the scalar that holds the text (in the matrix when
/// expanded) and whether the text is known (`None` for other expressions).
struct Resolved {
    scalar: Scalar,
    known: bool,
}

impl Job<'_> {
    fn extract(&self, job: &Node, out: &mut Extraction, warned: &mut HashSet<Span>) {
        // a job that calls a reusable workflow: `uses: org/repo/.github/workflows/x.yml@v1`
        if let Some(uses) = job.get("uses").and_then(|u| u.scalar(self.file)) {
            self.action(&uses, out);
        }
        if let Some(container) = job.get("container") {
            let image = container.get("image").unwrap_or(container);
            self.images(image, container, ComponentKind::Runtime, out);
        }
        for (_, service) in job.get("services").map(Node::entries).into_iter().flatten() {
            if let Some(image) = service.get("image") {
                self.images(image, service, ComponentKind::Server, out);
            }
        }
        for step in job.get("steps").map(Node::items).unwrap_or_default() {
            let Some(uses) = step.get("uses").and_then(|u| u.scalar(self.file)) else {
                continue;
            };
            let action = self.action(&uses, out);
            let Some(&(_, input, runtime)) =
                SETUP_ACTIONS.iter().find(|(a, ..)| Some(*a) == action)
            else {
                continue;
            };
            let Some(value) = step.path(&["with", input]) else {
                continue;
            };
            for r in self.resolve(value) {
                if r.known {
                    self.check_float(&r.scalar, input, runtime, out, warned);
                }
                out.push(
                    Component::new(
                        ComponentKind::Runtime,
                        Ecosystem::Runtime,
                        runtime,
                        r.known.then(|| r.scalar.text.clone()),
                        r.scalar.span,
                    )
                    .group(&self.group),
                );
            }
        }
    }

    /// `owner/repo[/path]@ref` as a `tool`, `docker://image:tag` as a docker `tool`;
    /// local actions (`./…`) pin nothing. Returns `owner/repo` for setup-action lookup.
    fn action(&self, uses: &Scalar, out: &mut Extraction) -> Option<&'static str> {
        let text = uses.text.as_str();
        if text.starts_with("./") || text.starts_with("../") {
            return None;
        }
        if let Some(image) = text.strip_prefix("docker://") {
            let offset = "docker://".len();
            let (name, tag) = split_image(image);
            let (version, span) = match tag {
                Some((s, e)) => (
                    Some(image[s..e].to_string()),
                    uses.sub_span(offset + s, offset + e),
                ),
                None => (None, uses.sub_span(offset, offset + name.len())),
            };
            out.push(
                Component::new(ComponentKind::Tool, Ecosystem::Docker, name, version, span)
                    .group(&self.group),
            );
            return None;
        }
        let (name, version, span) = match text.split_once('@') {
            Some((name, r)) => (
                name,
                Some(r.to_string()),
                uses.sub_span(name.len() + 1, text.len()),
            ),
            None => (text, None, uses.sub_span(0, text.len())),
        };
        out.push(
            Component::new(
                ComponentKind::Tool,
                Ecosystem::GithubActions,
                name,
                version,
                span,
            )
            .group(&self.group),
        );
        let repo: String = name.split('/').take(2).collect::<Vec<_>>().join("/");
        SETUP_ACTIONS
            .iter()
            .map(|(a, ..)| *a)
            .find(|a| a.eq_ignore_ascii_case(&repo))
    }

    /// Images of `container:`/`services:` (after matrix expansion), with the `env` of
    /// `holder` as settings.
    fn images(&self, image: &Node, holder: &Node, kind: ComponentKind, out: &mut Extraction) {
        let settings = self.env(holder);
        for r in self.resolve(image) {
            let s = &r.scalar;
            let (name, version, span) = if r.known {
                let (name, tag) = split_image(&s.text);
                match tag {
                    Some((a, b)) => (name, Some(s.text[a..b].to_string()), s.sub_span(a, b)),
                    None => (name, None, s.sub_span(0, name.len())),
                }
            } else {
                (s.text.as_str(), None, s.span)
            };
            if name.is_empty() {
                continue;
            }
            let mut c =
                Component::new(kind, Ecosystem::Docker, name, version, span).group(&self.group);
            c.settings = settings.clone();
            out.push(c);
        }
    }

    fn env(&self, holder: &Node) -> Vec<Setting> {
        let vars = holder.get("env").map(Node::entries).into_iter().flatten();
        vars.filter_map(|(name, value)| {
            let v = value.scalar(self.file)?;
            Some(Setting {
                kind: SettingKind::Env,
                name: name.to_string(),
                value: v.text,
                span: v.span,
            })
        })
        .collect()
    }

    /// The values a node stands for: itself, or for `${{ matrix.X }}` every value of
    /// `matrix.X` and of `matrix.include[].X`.
    fn resolve(&self, node: &Node) -> Vec<Resolved> {
        let Some(scalar) = node.scalar(self.file) else {
            return Vec::new();
        };
        if !scalar.text.contains("${{") {
            return vec![Resolved {
                scalar,
                known: true,
            }];
        }
        let mut values = Vec::new();
        if let (Some(key), Some(matrix)) = (matrix_key(&scalar.text), self.matrix) {
            let direct = matrix.get(key).map(Node::items).unwrap_or_default().iter();
            let included = matrix
                .get("include")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|entry| entry.get(key));
            for v in direct.chain(included) {
                if let Some(s) = v.scalar(self.file) {
                    let known = !s.text.contains("${{");
                    values.push(Resolved { scalar: s, known });
                }
            }
        }
        if values.is_empty() {
            values.push(Resolved {
                scalar,
                known: false,
            });
        }
        values
    }

    /// `python-version: 3.10` is the float 3.1 to GitHub: keep `3.10`, warn once per value.
    fn check_float(
        &self,
        s: &Scalar,
        input: &str,
        runtime: &str,
        out: &mut Extraction,
        warned: &mut HashSet<Span>,
    ) {
        let Some(read_as) = s.float64_reading(false) else {
            return;
        };
        if !warned.insert(s.span) {
            return;
        }
        let subject = Subject {
            ecosystem: Some(Ecosystem::Runtime),
            name: runtime.to_string(),
            version: Some(s.text.clone()),
            counterpart: None,
        };
        out.problem(yaml_tree::ambiguous_version(
            s,
            &read_as,
            input,
            "GitHub Actions",
            subject,
            "https://github.com/actions/setup-python/issues/160",
        ));
    }
}

/// `X` of `${{ matrix.X }}` (whitespace inside the braces is free); `None` for any
/// other expression or for text around it.
fn matrix_key(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let key = inner.strip_prefix("matrix.")?;
    key.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        .then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/github-actions", "*.y*ml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = format!(
                ".github/workflows/{}",
                path.file_name().unwrap().to_str().unwrap()
            );
            let (file, out) = run(&GithubActions, &name, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn wants_workflows_only() {
        let wants = |p: &str| GithubActions.wants(Path::new(p));
        assert!(wants(".github/workflows/ci.yml"));
        assert!(wants("sub/project/.github/workflows/release.yaml"));
        assert!(!wants(".github/dependabot.yml"));
        assert!(!wants(".github/workflows/scripts/x.yml"));
        assert!(!wants("workflows/ci.yml"));
    }

    #[test]
    fn matrix_keys() {
        assert_eq!(matrix_key("${{ matrix.node }}"), Some("node"));
        assert_eq!(
            matrix_key("${{matrix.python-version}}"),
            Some("python-version")
        );
        assert_eq!(matrix_key("v${{ matrix.node }}"), None);
        assert_eq!(matrix_key("${{ env.NODE }}"), None);
    }
}
