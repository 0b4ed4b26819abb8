//! `pom.xml`: the Maven artifacts a project declares, with `${property}` interpolation
//! from the same file.
//!
//! Reads the file with `roxmltree` (byte ranges on every node). Must not: read other
//! files. A version that only a parent POM defines is `None` here, marked with
//! [`Inherit::MavenParent`], and every POM offers its properties and managed versions
//! ([`Inheritable::MavenPom`]) so the scanner can resolve children across files
//! (`scan::inherit`). Imported BOMs and `settings.xml` stay out of reach.
//!
//! Choices, so rules can rely on them:
//! - `dependencies/dependency` (also inside `profiles/profile`, group `profile:<id>`)
//!   and `dependencyManagement/dependencies/dependency` (group `dependencyManagement`)
//!   are `package`/`maven` named `groupId:artifactId`; `<scope>test</scope>` is `dev`.
//!   Managed entries are reported too: a managed version is what the build uses for
//!   transitive dependencies as well.
//! - A dependency without `<version>` takes the version of the matching
//!   `dependencyManagement` entry of the same file, blamed there (that entry is then
//!   not reported a second time); with none it has
//!   version `None`, blamed on the `artifactId`.
//! - `${name}` is resolved from `<properties>`, and `${project.version}`,
//!   `${project.parent.version}` (also the old `${version}`/`${pom.version}`),
//!   `${project.groupId}`, `${project.artifactId}`. When the version is exactly one
//!   property, the span is the property's value — that is where a person edits it.
//!   An unresolvable property gives version `None`, blamed on the version text.
//! - `build/plugins/plugin` and `build/pluginManagement/plugins/plugin` (also in a
//!   profile's `build`, group `profile:<id>`) are `tool`/`maven` (groupId defaults to `org.apache.maven.plugins`); dependencies of
//!   plugins are not reported (they belong to the build tool's class path).
//! - The Java the project compiles for is a `runtime`/`runtime` named `java`: the first
//!   of the properties `maven.compiler.release`, `maven.compiler.target`,
//!   `maven.compiler.source` and `java.version` (Spring Boot's) that holds a version,
//!   through one `${property}`; `1.8` is Java 8. The plugin's `<configuration>` is not
//!   read.
//! - The project's own coordinates are not a component. Its `<parent>` is a
//!   `package`/`maven` in group `parent`, version blamed on `<parent><version>`: a parent
//!   such as `spring-boot-starter-parent` decides the version of every dependency it
//!   manages.
//! - In a POM with a `<parent>`, a dependency whose version stays `None` (no `<version>`
//!   and no managed entry here, or a property this file does not define) and a plugin
//!   whose `<version>` names such a property carry [`Inherit::MavenParent`].

use std::collections::HashMap;
use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};

use super::{Extraction, Extractor, file_name};
use crate::component::{
    Component, ComponentKind, Ecosystem, Inherit, Inheritable, MavenParentRef, PomModel,
};
use crate::diagnostic::{Code, Finding, Label, Subject, parse_error};
use crate::source::{SourceFile, Span};

pub struct MavenPom;

impl Extractor for MavenPom {
    fn name(&self) -> &'static str {
        "maven-pom"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Xml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["pom.xml"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "pom.xml"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(doc) = parse_xml(file, "pom.xml", out) else {
            return;
        };
        let project = doc.root_element();
        if project.tag_name().name() != "project" {
            out.problem(parse_error(
                file.span(project.range().start, project.range().start),
                "pom.xml",
                format!(
                    "root element is `{}`, not `project`",
                    project.tag_name().name()
                ),
            ));
            return;
        }
        let props = Properties::of(file, project);
        let parent = parent_ref(file, project);
        if let Some(d) = child(project, "parent").and_then(|p| dep(file, &props, p, None)) {
            out.push(
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Maven,
                    d.name,
                    d.version,
                    d.span,
                )
                .group("parent"),
            );
        }
        let has_parent = parent.is_some();
        // what a version left `None` here asks of the parent chain
        let inherit = |d: &Dep| match (&d.version, has_parent) {
            (None, true) => Some(Inherit::MavenParent {
                text: d.text.clone(),
            }),
            _ => None,
        };

        // without a parent, nothing but this file can define a property: a version
        // left with a `${…}` is one Maven would refuse (with a parent, the scan decides)
        let mut pending: Vec<(String, Span, String)> = Vec::new();
        let mut note = |d: &Dep| {
            if !has_parent
                && d.version.is_none()
                && let Some(t) = d.text.as_ref().filter(|t| t.contains("${"))
            {
                pending.push((d.name.clone(), d.span, t.clone()));
            }
        };
        let managed: Vec<Dep> = child(project, "dependencyManagement")
            .and_then(|m| child(m, "dependencies"))
            .map(|d| deps(file, &props, d))
            .unwrap_or_default();
        let mut found: Vec<(Dep, Option<String>)> = Vec::new();
        if let Some(d) = child(project, "dependencies") {
            found.extend(deps(file, &props, d).into_iter().map(|d| (d, None)));
        }
        if let Some(profiles) = child(project, "profiles") {
            for p in children(profiles, "profile") {
                let id = child(p, "id").and_then(|i| text_of(file, i));
                let group = format!("profile:{}", id.map(|(t, _)| t).unwrap_or_default());
                if let Some(d) = child(p, "dependencies") {
                    found.extend(
                        deps(file, &props, d)
                            .into_iter()
                            .map(|d| (d, Some(group.clone()))),
                    );
                }
            }
        }
        // a managed entry a dependency takes its version from is reported once, as
        // that dependency (which knows its scope)
        let mut used = vec![false; managed.len()];
        let offered = PomModel {
            group: own(file, project, "groupId"),
            artifact: child(project, "artifactId").and_then(|n| text_of(file, n)),
            version: own(file, project, "version"),
            parent,
            properties: child(project, "properties")
                .into_iter()
                .flat_map(|p| p.children().filter(|c| c.is_element()))
                .filter_map(|p| {
                    let (value, span) = text_of(file, p)?;
                    Some((p.tag_name().name().to_string(), value, span))
                })
                .collect(),
            managed: managed
                .iter()
                .map(|m| (m.name.clone(), m.text.clone(), m.text_span))
                .collect(),
        };
        for (mut d, group) in found {
            if d.version.is_none()
                && !d.version_written
                && let Some(i) = managed.iter().position(|m| m.name == d.name)
            {
                d.version = managed[i].version.clone();
                d.text = managed[i].text.clone();
                d.span = managed[i].span;
                used[i] = true;
            }
            note(&d);
            let inherit = inherit(&d);
            let mut c = Component::new(
                ComponentKind::Package,
                Ecosystem::Maven,
                d.name,
                d.version,
                d.span,
            )
            .dev(d.test)
            .inherit(inherit);
            if let Some(g) = group {
                c = c.group(g);
            }
            out.push(c);
        }
        for (d, _) in managed.into_iter().zip(used).filter(|(_, u)| !u) {
            note(&d);
            let inherit = inherit(&d);
            out.push(
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Maven,
                    d.name,
                    d.version,
                    d.span,
                )
                .dev(d.test)
                .group("dependencyManagement")
                .inherit(inherit),
            );
        }
        if let Some((version, span)) = java_level(&props) {
            out.push(Component::new(
                ComponentKind::Runtime,
                Ecosystem::Runtime,
                "java",
                Some(version),
                span,
            ));
        }
        // the project's build, then each profile's (its plugins in group `profile:<id>`)
        let mut builds: Vec<(Node, Option<String>)> = child(project, "build")
            .map(|b| (b, None))
            .into_iter()
            .collect();
        for p in child(project, "profiles")
            .into_iter()
            .flat_map(|ps| children(ps, "profile"))
        {
            let id = child(p, "id").and_then(|i| text_of(file, i));
            let group = format!("profile:{}", id.map(|(t, _)| t).unwrap_or_default());
            builds.extend(child(p, "build").map(|b| (b, Some(group))));
        }
        for (build, group) in builds {
            let mut lists: Vec<Node> = child(build, "plugins").into_iter().collect();
            if let Some(pm) = child(build, "pluginManagement") {
                lists.extend(child(pm, "plugins"));
            }
            for list in lists {
                for p in children(list, "plugin") {
                    if let Some(d) = dep(file, &props, p, Some("org.apache.maven.plugins")) {
                        // a plugin's missing version comes from `pluginManagement`,
                        // which is not looked up across files: only properties are
                        note(&d);
                        let inherit = inherit(&d).filter(|_| d.text.is_some());
                        let mut c = Component::new(
                            ComponentKind::Tool,
                            Ecosystem::Maven,
                            d.name,
                            d.version,
                            d.span,
                        )
                        .inherit(inherit);
                        if let Some(g) = &group {
                            c = c.group(g.clone());
                        }
                        out.push(c);
                    }
                }
            }
        }
        for (name, span, text) in pending {
            let why = unresolved(&text, &|n| {
                props.values.get(n).map(|(v, s)| (v.as_str(), *s))
            });
            out.problem(unresolved_property(&name, span, &text, &why));
        }
        out.inheritable
            .push(Inheritable::MavenPom(Box::new(offered)));
    }
}

/// The `<parent>` element, if it names a parent.
fn parent_ref(file: &SourceFile, project: Node) -> Option<MavenParentRef> {
    let p = child(project, "parent")?;
    let text = |name| child(p, name).and_then(|n| text_of(file, n)).map(|t| t.0);
    Some(MavenParentRef {
        group: text("groupId")?,
        artifact: text("artifactId")?,
        version: text("version"),
        // an empty `<relativePath/>` has no text node: it is `Some("")`
        relative_path: child(p, "relativePath")
            .map(|n| text_of(file, n).map(|t| t.0).unwrap_or_default()),
    })
}

/// The project's `groupId` or `version`, or its `<parent>`'s when the project inherits it
/// (the `artifactId` is never inherited).
fn own(file: &SourceFile, project: Node, name: &str) -> Option<(String, Span)> {
    child(project, name)
        .or_else(|| child(project, "parent").and_then(|p| child(p, name)))
        .and_then(|n| text_of(file, n))
}

/// Parse XML, or report a `parse-error` at the parser's own position.
pub(super) fn parse_xml<'a>(
    file: &'a SourceFile,
    format: &str,
    out: &mut Extraction,
) -> Option<Document<'a>> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    if file.text.trim().is_empty() {
        return None; // an empty file declares nothing
    }
    match Document::parse_with_options(&file.text, opts) {
        Ok(d) => Some(d),
        Err(e) => {
            let pos = e.pos();
            let at = file.offset_of(pos.row as usize, pos.col as usize);
            out.problem(parse_error(file.span(at, at), format, e));
            None
        }
    }
}

/// The first child element with this local name (namespaces ignored: POMs and
/// project files use a default namespace or none).
pub(super) fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// All child elements with this local name.
pub(super) fn children<'a, 'i: 'a>(
    n: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// An element's text, trimmed, with the span of that text in the file.
/// `None` for an empty element.
pub(super) fn text_of(file: &SourceFile, n: Node) -> Option<(String, Span)> {
    let t = n.children().find(|c| c.is_text())?;
    let r = t.range();
    let raw = file.text.get(r.clone())?;
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let value = t.text().unwrap_or(trimmed).trim().to_string();
    Some((
        value,
        file.span(r.start + lead, r.start + lead + trimmed.len()),
    ))
}

/// One `<dependency>`/`<plugin>` after interpolation.
struct Dep {
    name: String,
    version: Option<String>,
    /// Whether a `<version>` element was written (even if it could not be resolved).
    version_written: bool,
    /// The `<version>` text as written, and its span.
    text: Option<String>,
    text_span: Span,
    span: Span,
    test: bool,
}

fn deps(file: &SourceFile, props: &Properties, list: Node) -> Vec<Dep> {
    children(list, "dependency")
        .filter_map(|d| dep(file, props, d, None))
        .collect()
}

fn dep(file: &SourceFile, props: &Properties, n: Node, default_group: Option<&str>) -> Option<Dep> {
    let group = match child(n, "groupId").and_then(|g| text_of(file, g)) {
        Some((g, _)) => props.interpolate(&g).map(|(v, _)| v)?,
        None => default_group?.to_string(),
    };
    let (artifact, artifact_span) = child(n, "artifactId").and_then(|a| text_of(file, a))?;
    let artifact = props.interpolate(&artifact).map(|(v, _)| v)?;
    let version_text = child(n, "version").and_then(|v| text_of(file, v));
    let (version, span) = match &version_text {
        Some((v, vspan)) => match props.interpolate(v) {
            Some((resolved, pspan)) => (Some(resolved), pspan.unwrap_or(*vspan)),
            None => (None, *vspan),
        },
        None => (None, artifact_span),
    };
    let test = child(n, "scope")
        .and_then(|s| text_of(file, s))
        .is_some_and(|(s, _)| s == "test");
    Some(Dep {
        name: format!("{group}:{artifact}"),
        version,
        version_written: version_text.is_some(),
        text_span: version_text.as_ref().map_or(artifact_span, |t| t.1),
        text: version_text.map(|t| t.0),
        span,
        test,
    })
}

/// Values `${…}` can refer to, each with the span of its text.
/// The Java version the project compiles for, from the compiler properties (see the
/// module docs), with the span of the value a person edits.
fn java_level(props: &Properties) -> Option<(String, Span)> {
    const NAMES: [&str; 4] = [
        "maven.compiler.release",
        "maven.compiler.target",
        "maven.compiler.source",
        "java.version",
    ];
    NAMES.iter().find_map(|name| {
        let (mut value, mut span) = props.values.get(*name)?.clone();
        // one level of `${java.version}`
        if let Some(inner) = value
            .trim()
            .strip_prefix("${")
            .and_then(|v| v.strip_suffix('}'))
        {
            (value, span) = props.values.get(inner)?.clone();
        }
        let value = value.trim();
        if !value.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        // Java 8 and older were spelled `1.8`
        let value = value
            .strip_prefix("1.")
            .filter(|v| !v.is_empty())
            .unwrap_or(value);
        Some((value.to_string(), span))
    })
}

struct Properties {
    values: HashMap<String, (String, Span)>,
}

impl Properties {
    fn of(file: &SourceFile, project: Node) -> Properties {
        let mut values = HashMap::new();
        if let Some(props) = child(project, "properties") {
            for p in props.children().filter(|c| c.is_element()) {
                if let Some(v) = text_of(file, p) {
                    values.insert(p.tag_name().name().to_string(), v);
                }
            }
        }
        let parent = child(project, "parent");
        let parent_version = parent
            .and_then(|p| child(p, "version"))
            .and_then(|v| text_of(file, v));
        let own_version = child(project, "version")
            .and_then(|v| text_of(file, v))
            .or_else(|| parent_version.clone());
        let own_group = child(project, "groupId")
            .and_then(|v| text_of(file, v))
            .or_else(|| {
                parent
                    .and_then(|p| child(p, "groupId"))
                    .and_then(|v| text_of(file, v))
            });
        let own_artifact = child(project, "artifactId").and_then(|v| text_of(file, v));
        for (names, v) in [
            (
                &["project.version", "pom.version", "version"][..],
                own_version,
            ),
            (
                &["project.parent.version", "parent.version"][..],
                parent_version,
            ),
            (
                &["project.groupId", "pom.groupId", "groupId"][..],
                own_group,
            ),
            (
                &["project.artifactId", "pom.artifactId", "artifactId"][..],
                own_artifact,
            ),
        ] {
            if let Some(v) = v {
                for n in names {
                    values.entry(n.to_string()).or_insert_with(|| v.clone());
                }
            }
        }
        Properties { values }
    }

    /// Resolve every `${…}` in `text` from this file's values.
    fn interpolate(&self, text: &str) -> Option<(String, Option<Span>)> {
        interpolate(text, &|name| {
            self.values.get(name).map(|(v, s)| (v.as_str(), *s))
        })
    }
}

/// Resolve every `${…}` in `text`, looking names up with `lookup` (one file's values, or
/// a child's values over its parent chain's). `None` when one cannot be resolved (or the
/// properties refer to each other in a cycle). The span is set when `text` is exactly
/// one property: the span of the value a person edits, followed through `${a}` ->
/// `${b}` to the property that holds the literal text.
pub(crate) fn interpolate<'v>(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<(&'v str, Span)>,
) -> Option<(String, Option<Span>)> {
    resolve(text, lookup, 0)
}

fn resolve<'v>(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<(&'v str, Span)>,
    depth: usize,
) -> Option<(String, Option<Span>)> {
    if !text.contains("${") {
        return Some((text.to_string(), None));
    }
    if depth > 10 {
        return None; // a cycle
    }
    if let Some(name) = text.strip_prefix("${").and_then(|r| r.strip_suffix('}'))
        && !name.contains(['$', '{', '}'])
    {
        let (value, span) = lookup(name)?;
        let (resolved, inner) = resolve(value, lookup, depth + 1)?;
        return Some((resolved, Some(inner.unwrap_or(span))));
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}')? + i;
        let (value, _) = lookup(&rest[i + 2..end])?;
        out.push_str(&resolve(value, lookup, depth + 1)?.0);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some((out, None))
}

/// Why `text` cannot be interpolated: the first `${name}` nothing defines, or the cycle
/// its properties form.
pub(crate) fn unresolved<'v>(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<(&'v str, Span)>,
) -> String {
    fn walk<'v>(
        text: &str,
        lookup: &dyn Fn(&str) -> Option<(&'v str, Span)>,
        path: &mut Vec<String>,
    ) -> Option<String> {
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            let Some(len) = rest[i..].find('}') else {
                return Some(format!("`{}` has no closing `}}`", &rest[i..]));
            };
            let name = &rest[i + 2..i + len];
            if let Some(at) = path.iter().position(|p| p == name) {
                let cycle: Vec<String> = path[at..].iter().map(|p| format!("`${{{p}}}`")).collect();
                return Some(format!(
                    "the properties {} -> `${{{name}}}` refer to each other in a cycle",
                    cycle.join(" -> ")
                ));
            }
            let Some((value, _)) = lookup(name) else {
                return Some(format!(
                    "`${{{name}}}` is defined neither in this POM nor in its parents"
                ));
            };
            path.push(name.to_string());
            if let Some(why) = walk(value, lookup, path) {
                return Some(why);
            }
            path.pop();
            rest = &rest[i + len + 1..];
        }
        None
    }
    walk(text, lookup, &mut Vec::new())
        .unwrap_or_else(|| "its properties nest more than 10 deep".to_string())
}

/// The `unresolved-property` finding for dependency `name` whose version `text` (at
/// `span`) cannot be interpolated, `why` from [`unresolved`].
pub(crate) fn unresolved_property(name: &str, span: Span, text: &str, why: &str) -> Finding {
    Finding {
        rule_id: Code::UnresolvedProperty.to_string(),
        severity: Code::UnresolvedProperty.severity(),
        message: format!("the version `{text}` of `{name}` cannot be resolved: {why}"),
        primary: Label::new(span, "this version"),
        related: Vec::new(),
        fix: Some("define the property in `<properties>` of this POM or of a parent POM".into()),
        sources: vec!["https://maven.apache.org/pom.html#Properties".into()],
        subject: Subject {
            ecosystem: Some(Ecosystem::Maven),
            name: name.to_string(),
            version: Some(text.to_string()),
            counterpart: None,
        },
        components: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/maven-pom", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&MavenPom, "pom.xml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
