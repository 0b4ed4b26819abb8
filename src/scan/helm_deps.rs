//! Helm chart dependencies that are not vendored: `Chart.yaml` `dependencies:` entries
//! (`postgresql` from a chart repository) with no `charts/postgresql/` folder or
//! `charts/postgresql-*.tgz` archive beside them. Each is a server of the chart (a
//! `server` in `helm` named by the dependency's chart, like a vendored chart's
//! `appVersion`), since the chart deploys what the subchart runs.
//!
//! The dependency's `version` is the *chart's* version (Bitnami's `postgresql` chart
//! 15.5.x runs PostgreSQL 16), so it is never read as the server's. What runs is known
//! only when the parent's `values.yaml` sets the subchart's image tag
//! (`postgresql.image.tag: 16.2.0`, under the dependency's `alias` when it has one):
//! that tag's version, blamed on that line. Otherwise the version is unknown (`None`),
//! and `check` says so for a product it knows. A dependency the parent's `values.yaml`
//! turns off (`condition:` paths, `tags:`, as Helm evaluates them) deploys nothing and
//! is left out. A subchart image the parent's values name in full (`repository` too) is
//! already a server of its own (the values extractor's); a vendored dependency is the
//! vendored chart's `appVersion`, and one from `file://` a chart of the repository that
//! says so itself; the dependencies of a chart inside an archive are in that archive,
//! which is not read. Must not: read anything but the chart's own
//! `values.yaml` (overlays such as `values-prod.yaml` apply only when a deploy names
//! them).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::{Inventory, dir_of};
use crate::component::{Component, ComponentKind, Ecosystem, HelmDependency, UnitFact};
use crate::extract::helm_archive::is_archive;
use crate::extract::yaml_tree::{self, Node, Value};
use crate::source::{SourceFile, Sources, Span};

pub(super) fn resolve(inv: &mut Inventory) {
    let mut servers = Vec::new();
    let mut parsed: HashMap<String, Option<(Cow<'_, SourceFile>, Node)>> = HashMap::new();
    for fact in &inv.units {
        let UnitFact::HelmDependency(dep) = fact else {
            continue;
        };
        let path = &inv.sources.get(dep.span.file).path;
        if is_archive(Path::new(path)) {
            continue;
        }
        // `file://../db`: a chart of the repository, whose own `Chart.yaml` says what runs
        if dep
            .repository
            .as_deref()
            .is_some_and(|r| r.starts_with("file://"))
        {
            continue;
        }
        let dir = dir_of(path);
        if vendored(&inv.sources, dir, &dep.name) {
            continue;
        }
        let values_path = if dir.is_empty() {
            "values.yaml".to_string()
        } else {
            format!("{dir}/values.yaml")
        };
        // a values file that does not parse is reported by the values extractor; each
        // is parsed once for all the chart's dependencies
        let values = parsed.entry(values_path).or_insert_with_key(|p| {
            // a big values file the scan released is read again, if it is as scanned
            let f = inv.sources.by_path(p)?.with_text()?;
            yaml_tree::parse_one(&f, "Helm values")
                .ok()
                .flatten()
                .map(|root| (f, root))
        });
        let (version, span) = match &*values {
            Some((file, root)) => {
                if !enabled(root, file, dep) {
                    continue;
                }
                let image = root.path(&[dep.key(), "image"]);
                // `image: repo:tag`, or a map naming the repository: already a server
                let named = image.is_some_and(|i| {
                    i.as_str().is_some_and(|s| !s.is_empty())
                        || i.get("repository")
                            .and_then(Node::as_str)
                            .is_some_and(|s| !s.is_empty())
                });
                if named {
                    continue;
                }
                match image
                    .and_then(|i| i.get("tag"))
                    .and_then(|t| t.scalar(file))
                    .and_then(|t| tag_version(&t.text).map(|(s, e)| (t, s, e)))
                {
                    Some((t, s, e)) => (Some(t.text[s..e].to_string()), t.sub_span(s, e)),
                    None => (None, dep.span),
                }
            }
            None => (None, dep.span),
        };
        servers.push(server(dep, version, span));
    }
    inv.components.extend(servers);
}

fn server(dep: &HelmDependency, version: Option<String>, span: Span) -> Component {
    Component::new(
        ComponentKind::Server,
        Ecosystem::Helm,
        &dep.name,
        version,
        span,
    )
    .group(dep.key())
}

/// Is the dependency vendored in the chart at `dir`: `charts/<name>/Chart.yaml`
/// (unpacked) or `charts/<name>-<version>.tgz` (what `helm dependency build` writes)?
fn vendored(sources: &Sources, dir: &str, name: &str) -> bool {
    let charts = if dir.is_empty() {
        "charts/".to_string()
    } else {
        format!("{dir}/charts/")
    };
    sources.iter().any(|f| {
        let Some(rest) = f.path.strip_prefix(&charts) else {
            return false;
        };
        if rest == format!("{name}/Chart.yaml") {
            return true;
        }
        is_archive(Path::new(&f.path))
            && rest
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// Does the parent's values leave the dependency on? Helm: "The condition field holds
/// one or more YAML paths (delimited by commas). If this path exists in the top
/// parent's values and resolves to a boolean value, the chart will be enabled or
/// disabled based on that boolean value. Only the first valid path found in the list is
/// evaluated"; "Conditions (when set in values) always override tags"; a chart whose
/// tags are all set to false, none to true, is disabled
/// (<https://helm.sh/docs/topics/charts/#tags-and-condition-fields>).
fn enabled(root: &Node, file: &SourceFile, dep: &HelmDependency) -> bool {
    let boolean = |node: Option<&Node>| -> Option<bool> {
        let node = node?;
        if !matches!(node.value, Value::Bool) {
            return None;
        }
        Some(node.scalar(file)?.text.eq_ignore_ascii_case("true"))
    };
    if let Some(condition) = &dep.condition {
        for path in condition
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let keys: Vec<&str> = path.split('.').collect();
            if let Some(on) = boolean(root.path(&keys)) {
                return on;
            }
        }
    }
    let tags: Vec<bool> = dep
        .tags
        .iter()
        .filter_map(|t| boolean(root.path(&["tags", t])))
        .collect();
    tags.is_empty() || tags.contains(&true)
}

/// The version an image tag names: its leading dotted number (`16.2.0` of
/// `16.2.0-debian-12-r5`, `7.2` of `v7.2`), as a byte range; `None` for a tag that
/// names no version (`latest`).
fn tag_version(tag: &str) -> Option<(usize, usize)> {
    let start = usize::from(tag.starts_with('v'));
    let end = tag[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(tag.len(), |i| start + i);
    let end = start + tag[start..end].trim_end_matches('.').len();
    (end > start && tag.as_bytes()[start].is_ascii_digit()).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan_texts;

    const CHART: &str = "apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 15.5.38\n    repository: https://registry.example.test/charts\n    condition: postgresql.enabled\n  - name: common\n    version: 2.x.x\n    repository: oci://registry.example.test/charts\n    tags:\n      - bitnami-common\n";

    /// `(name, version, file:line)` of the chart's helm servers.
    fn servers(files: &[(&str, &str)]) -> Vec<(String, Option<String>, String)> {
        let inv = scan_texts(
            Path::new("."),
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        );
        inv.components
            .iter()
            .filter(|c| c.ecosystem == Ecosystem::Helm && c.kind == ComponentKind::Server)
            .map(|c| {
                let loc = inv.sources.location(c.span);
                let path = &inv.sources.get(c.span.file).path;
                (
                    c.name.clone(),
                    c.version.clone(),
                    format!("{path}:{}", loc.line),
                )
            })
            .collect()
    }

    fn row(name: &str, version: Option<&str>, at: &str) -> (String, Option<String>, String) {
        (name.into(), version.map(str::to_string), at.into())
    }

    #[test]
    fn a_dependency_not_vendored_is_a_server_of_unknown_version_never_its_chart_version() {
        assert_eq!(
            servers(&[("Chart.yaml", CHART)]),
            vec![
                row("postgresql", None, "Chart.yaml:5"),
                row("common", None, "Chart.yaml:9"),
            ]
        );
    }

    #[test]
    fn the_parents_values_tag_is_the_version() {
        let values = "postgresql:\n  enabled: true\n  image:\n    tag: 16.2.0-debian-12-r5\n";
        assert_eq!(
            servers(&[("Chart.yaml", CHART), ("values.yaml", values)]),
            vec![
                row("common", None, "Chart.yaml:9"),
                row("postgresql", Some("16.2.0"), "values.yaml:4"),
            ]
        );
        // under the alias, when the dependency has one
        let chart = CHART.replace("condition:", "alias: db\n    condition:");
        let values = "db:\n  image:\n    tag: \"16.2\"\n";
        let s = servers(&[("Chart.yaml", &chart), ("values.yaml", values)]);
        assert!(
            s.contains(&row("postgresql", Some("16.2"), "values.yaml:3")),
            "{s:?}"
        );
    }

    #[test]
    fn conditions_and_tags_that_turn_a_dependency_off_leave_it_out() {
        let values = "postgresql:\n  enabled: false\ntags:\n  bitnami-common: false\n";
        assert_eq!(
            servers(&[("Chart.yaml", CHART), ("values.yaml", values)]),
            vec![]
        );
        // a condition path that is no boolean has no effect; a tag set true enables
        let values = "postgresql:\n  enabled: maybe\ntags:\n  bitnami-common: true\n";
        assert_eq!(
            servers(&[("Chart.yaml", CHART), ("values.yaml", values)]).len(),
            2
        );
    }

    #[test]
    fn vendored_or_fully_named_dependencies_are_not_repeated() {
        // the vendored chart's `appVersion` is the server
        let vendored = "apiVersion: v2\nname: postgresql\nversion: 15.5.38\nappVersion: 16.4.0\n";
        let s = servers(&[
            ("shop/Chart.yaml", CHART),
            ("shop/charts/postgresql/Chart.yaml", vendored),
        ]);
        assert_eq!(
            s,
            vec![
                row("common", None, "shop/Chart.yaml:9"),
                row(
                    "postgresql",
                    Some("16.4.0"),
                    "shop/charts/postgresql/Chart.yaml:4"
                ),
            ]
        );
        // a values image with its repository is a docker server of its own
        let values = "postgresql:\n  image:\n    repository: bitnami/postgresql\n    tag: 16.2.0\n";
        assert_eq!(
            servers(&[("Chart.yaml", CHART), ("values.yaml", values)]),
            vec![row("common", None, "Chart.yaml:9")]
        );
    }

    #[test]
    fn a_file_repository_names_a_chart_of_the_repository() {
        let chart = CHART.replace(
            "https://registry.example.test/charts\n    condition",
            "file://../db\n    condition",
        );
        assert_eq!(
            servers(&[("Chart.yaml", &chart)]),
            vec![row("common", None, "Chart.yaml:9")]
        );
    }

    #[test]
    fn tag_versions() {
        fn v(t: &str) -> Option<&str> {
            tag_version(t).map(|(s, e)| &t[s..e])
        }
        assert_eq!(v("16.2.0-debian-12-r5"), Some("16.2.0"));
        assert_eq!(v("v7.2"), Some("7.2"));
        assert_eq!(v("8."), Some("8"));
        assert_eq!(v("latest"), None);
        assert_eq!(v("v"), None);
        assert_eq!(v(""), None);
    }
}
