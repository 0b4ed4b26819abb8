//! GitHub Actions workflows (`.github/workflows/*.yml`) and action metadata files
//! (`action.yml`/`action.yaml` anywhere, e.g. the repository's root action or composite
//! actions under `.github/actions/*/`): the actions and reusable workflows a job or a
//! composite action's steps use (pinned refs), the runtimes `setup-*` actions install
//! (including several versions in a multi-line input), the container images of
//! `services:` and `container:` and of a Docker action's `runs.image: docker://…`, and
//! the GitHub-hosted runner images jobs run on (`runs-on: ubuntu-22.04`, `macos-14`,
//! `windows-2022`, also in a list or `labels:`): a `runtime` in ecosystem `runtime` named
//! `github-runner-ubuntu`/`-macos`/`-windows`, version the image's (`22.04`), blamed on
//! it (a suffix such as `-arm` or `-xlarge` is not part of it). `…-latest` labels move
//! with GitHub's schedule and self-hosted labels are not GitHub's images: neither is a
//! component.
//!
//! `${{ matrix.X }}` is expanded to every value of the job's `strategy.matrix.X` (and
//! `include` entries), one component per value, blamed on the value in the matrix. An
//! unquoted version that YAML reads as a float (`python-version: 3.10`, which GitHub
//! turns into `3.1`) keeps its written text as the version and is reported as
//! `ambiguous-version`. Must not: evaluate other expressions (`${{ env.X }}`,
//! `fromJSON(…)`): those versions are unknown, blamed on the expression.

use std::collections::HashSet;
use std::path::Path;

use super::image_ref::{self, split_image};
use super::yaml_tree::{self, Node, Scalar};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Setting, SettingKind};
use crate::diagnostic::Subject;
use crate::source::{SourceFile, Span};

pub struct GithubActions;

/// Setup actions and the `with:` inputs naming the runtime versions they install (an
/// action may install several runtimes: setup-beam's Erlang/OTP and Elixir), each
/// input named in the action's own `action.yml`.
const SETUP_ACTIONS: &[(&str, &str, &str)] = &[
    ("actions/setup-node", "node-version", "node"),
    ("actions/setup-python", "python-version", "python"),
    ("actions/setup-java", "java-version", "java"),
    ("actions/setup-go", "go-version", "go"),
    ("actions/setup-dotnet", "dotnet-version", "dotnet"),
    ("ruby/setup-ruby", "ruby-version", "ruby"),
    ("erlef/setup-beam", "otp-version", "erlang"),
    ("erlef/setup-beam", "elixir-version", "elixir"),
    ("oven-sh/setup-bun", "bun-version", "bun"),
    ("astral-sh/setup-uv", "version", "uv"),
];

/// What a setup action installs that is a CLI rather than a language runtime: a `tool`.
const SETUP_TOOLS: &[&str] = &["uv"];

/// GitHub-hosted runner image families (`runs-on: <family>-<version>`) and the runtime
/// name each is reported as.
const RUNNER_IMAGES: &[(&str, &str)] = &[
    ("ubuntu", "github-runner-ubuntu"),
    ("macos", "github-runner-macos"),
    ("windows", "github-runner-windows"),
];

impl Extractor for GithubActions {
    fn name(&self) -> &'static str {
        "github-actions"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            ".github/workflows/ci.yml",
            ".github/workflows/release.yaml",
            "action.yml",
            ".github/actions/setup/action.yaml",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        let in_workflows = path
            .parent()
            .is_some_and(|p| p.ends_with(".github/workflows"));
        (in_workflows && (name.ends_with(".yml") || name.ends_with(".yaml")))
            || is_action_file(name)
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
        if is_action_file(file_name(Path::new(&file.path))) {
            // the action's folder names it (`.github/actions/setup/action.yml`: `setup`)
            let dir = Path::new(&file.path)
                .parent()
                .and_then(|d| d.file_name())
                .and_then(|d| d.to_str())
                .unwrap_or("");
            let cx = Job {
                file,
                matrix: None,
                group: if dir.is_empty() {
                    "action".to_string()
                } else {
                    format!("action/{dir}")
                },
            };
            if let Some(runs) = root.get("runs") {
                cx.steps(runs, out, &mut warned);
                if let Some(image) = runs.get("image").and_then(|i| i.scalar(file))
                    && image.text.starts_with("docker://")
                {
                    cx.action(&image, out);
                }
            }
            return;
        }
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
        if let Some(runs_on) = job.get("runs-on") {
            self.runners(runs_on, out);
        }
        self.steps(job, out, warned);
    }

    /// The `steps:` of a job or of a composite action's `runs:`.
    fn steps(&self, holder: &Node, out: &mut Extraction, warned: &mut HashSet<Span>) {
        for step in holder.get("steps").map(Node::items).unwrap_or_default() {
            let Some(uses) = step.get("uses").and_then(|u| u.scalar(self.file)) else {
                continue;
            };
            let action = self.action(&uses, out);
            for &(_, input, runtime) in SETUP_ACTIONS.iter().filter(|(a, ..)| Some(*a) == action) {
                let Some(value) = step.path(&["with", input]) else {
                    continue;
                };
                for r in self.resolve(value) {
                    if r.known {
                        self.check_float(&r.scalar, input, runtime, out, warned);
                    }
                    let kind = if SETUP_TOOLS.contains(&runtime) {
                        ComponentKind::Tool
                    } else {
                        ComponentKind::Runtime
                    };
                    for (version, span) in self.lines_of(&r) {
                        out.push(
                            Component::new(kind, Ecosystem::Runtime, runtime, version, span)
                                .group(&self.group),
                        );
                    }
                }
            }
        }
    }

    /// A known value's versions, one per line (`dotnet-version: |` lists several), each
    /// blamed on its own line; an unknown one is a single unknown version.
    fn lines_of(&self, r: &Resolved) -> Vec<(Option<String>, Span)> {
        let s = &r.scalar;
        if !r.known {
            return vec![(None, s.span)];
        }
        if !s.text.trim().contains('\n') {
            return vec![(Some(s.text.trim().to_string()), s.span)];
        }
        // a block scalar: find each line in the scalar's own text, in order
        let written = self.file.slice(s.span);
        let mut from = 0;
        let mut out = Vec::new();
        for line in s.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let span = match written[from..].find(line) {
                Some(at) => {
                    let start = s.span.start + from + at;
                    from += at + line.len();
                    self.file.span(start, start + line.len())
                }
                None => s.span,
            };
            out.push((Some(line.to_string()), span));
        }
        out
    }

    /// GitHub-hosted runner images named by `runs-on` (a label, a list of labels, or a
    /// `group`/`labels` mapping), after matrix expansion.
    fn runners(&self, runs_on: &Node, out: &mut Extraction) {
        let labels = runs_on.get("labels").unwrap_or(runs_on);
        let nodes: Vec<&Node> = match labels.items() {
            items if !items.is_empty() => items.iter().collect(),
            _ => vec![labels],
        };
        for node in nodes {
            for r in self.resolve(node).into_iter().filter(|r| r.known) {
                let s = &r.scalar;
                let Some((name, at, len)) = runner_image(&s.text) else {
                    continue;
                };
                out.push(
                    Component::new(
                        ComponentKind::Runtime,
                        Ecosystem::Runtime,
                        name,
                        Some(s.text[at..at + len].to_string()),
                        s.sub_span(at, at + len),
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
                    .group(&self.group)
                    .digest(image_ref::digest(image)),
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
            let mut c = Component::new(kind, Ecosystem::Docker, name, version, span)
                .group(&self.group)
                .digest(r.known.then(|| image_ref::digest(&s.text)).flatten());
            c.settings = settings.clone();
            out.push(c);
        }
    }

    fn env(&self, holder: &Node) -> Vec<Setting> {
        let vars = holder.get("env").map(Node::entries).into_iter().flatten();
        vars.filter_map(|(name, value)| {
            let v = value.scalar(self.file)?;
            Some(Setting {
                from_file: None,
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

/// An action metadata file: `action.yml` or `action.yaml`.
fn is_action_file(name: &str) -> bool {
    matches!(name, "action.yml" | "action.yaml")
}

/// `ubuntu-22.04-arm` -> (`github-runner-ubuntu`, offset and length of `22.04`): a
/// GitHub-hosted runner label whose version is digits and dots; `None` for `…-latest`,
/// self-hosted labels and anything else.
fn runner_image(label: &str) -> Option<(&'static str, usize, usize)> {
    let (family, rest) = label.split_once('-')?;
    let &(_, name) = RUNNER_IMAGES.iter().find(|(f, _)| *f == family)?;
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let version = &rest[..len];
    let suffix_ok = rest[len..].is_empty() || rest[len..].starts_with('-');
    (version.starts_with(|c: char| c.is_ascii_digit()) && !version.ends_with('.') && suffix_ok)
        .then_some((name, family.len() + 1, len))
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

    /// Action metadata fixtures are `actions/<case>/action.yml`.
    #[test]
    fn action_fixtures() {
        insta::glob!(
            "../../fixtures/extract/github-actions",
            "actions/*/action.yml",
            |path| {
                let text = std::fs::read_to_string(path).unwrap();
                let case = path
                    .parent()
                    .unwrap()
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap();
                let name = format!(".github/actions/{case}/action.yml");
                let (file, out) = run(&GithubActions, &name, &text);
                insta::assert_snapshot!(render(&file, &out));
            }
        );
    }

    #[test]
    fn wants_workflows_and_actions() {
        let wants = |p: &str| GithubActions.wants(Path::new(p));
        assert!(wants(".github/workflows/ci.yml"));
        assert!(wants("sub/project/.github/workflows/release.yaml"));
        assert!(!wants(".github/dependabot.yml"));
        assert!(!wants(".github/workflows/scripts/x.yml"));
        assert!(!wants("workflows/ci.yml"));
        assert!(wants("action.yml"));
        assert!(wants(".github/actions/setup/action.yaml"));
        assert!(!wants(".github/actions/setup/README.md"));
    }

    #[test]
    fn runner_labels() {
        fn v(l: &str) -> Option<(&'static str, &str)> {
            runner_image(l).map(|(n, a, len)| (n, &l[a..a + len]))
        }
        assert_eq!(v("ubuntu-20.04"), Some(("github-runner-ubuntu", "20.04")));
        assert_eq!(
            v("ubuntu-24.04-arm"),
            Some(("github-runner-ubuntu", "24.04"))
        );
        assert_eq!(v("macos-13-xlarge"), Some(("github-runner-macos", "13")));
        assert_eq!(v("windows-2019"), Some(("github-runner-windows", "2019")));
        assert_eq!(v("ubuntu-latest"), None);
        assert_eq!(v("self-hosted"), None);
        assert_eq!(v("ubuntu-22.04foo"), None);
        assert_eq!(v("linux-20.04"), None);
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
