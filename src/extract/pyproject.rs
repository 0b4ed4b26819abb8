//! `pyproject.toml`: PEP 621 `[project]`, PEP 735 `[dependency-groups]` and Poetry's
//! `[tool.poetry.*]` dependency tables.
//!
//! Owns reading those tables from a fully spanned TOML tree (`super::toml_tree`), and the
//! small PEP 508 helpers the other Python extractors share (`setup.cfg`, `Pipfile`). Must not: interpret version ranges (that is `version/`), nor
//! read `[build-system] requires` (build tools never talk to a server).
//!
//! Conventions chosen here:
//! - every PEP 508 string goes through `pep508_rs`; the component keeps the package name
//!   as written and the specifier text verbatim (`>=2.32.0`), spanned on that text inside
//!   the TOML string;
//! - `requires-python` and Poetry's `python` key are the runtime the package requires:
//!   `Runtime`/`PyPI`/`python` (see `ComponentKind`);
//! - `[project.optional-dependencies]` entries are not dev (extras ship to users), with
//!   `group` = the extra's name;
//! - every PEP 735 dependency group is dev: groups are never part of a package's published
//!   metadata, so they only ever install in a developer's or CI's environment. `group` =
//!   the group name; `{include-group = ...}` entries are references, not packages;
//! - Poetry constraints (`^1.2`, `~1.2`, `1.2.*`) are kept as written; `dev-dependencies`
//!   and every group other than `main` are dev.

use std::path::Path;
use std::str::FromStr;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::toml_tree::{TomlStr, array, as_array, parse_toml, table, toml_str};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Project};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

pub struct Pyproject;

impl Extractor for Pyproject {
    fn name(&self) -> &'static str {
        "pyproject"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Toml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["pyproject.toml"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "pyproject.toml"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(doc) = parse_toml(file, "pyproject.toml", out) else {
            return;
        };
        let root = doc.get_ref();
        // the project itself: PEP 621 `[project]`, else Poetry's `[tool.poetry]`
        let poetry = table(root, "tool").and_then(|t| table(t, "poetry"));
        for own in [table(root, "project"), poetry].into_iter().flatten() {
            if let Some(s) = own.get("name").and_then(|n| toml_str(file, n)) {
                out.project = Some(Project {
                    ecosystem: Ecosystem::PyPI,
                    name: s.text.to_string(),
                    version: own
                        .get("version")
                        .and_then(|v| v.get_ref().as_str().map(str::to_string)),
                    span: s.span,
                });
                break;
            }
        }
        if let Some(project) = table(root, "project") {
            if let Some(rp) = project.get("requires-python")
                && let Some(s) = toml_str(file, rp)
            {
                out.push(python_runtime(s.text, s.span));
            }
            for item in array(project, "dependencies") {
                pep508_item(file, item, out, |c| c);
            }
            if let Some(extras) = table(project, "optional-dependencies") {
                for (extra, list) in extras.iter() {
                    for item in as_array(list) {
                        let g = extra.get_ref().to_string();
                        pep508_item(file, item, out, |c| c.group(g.clone()));
                    }
                }
            }
        }
        if let Some(groups) = table(root, "dependency-groups") {
            for (name, list) in groups.iter() {
                for item in as_array(list) {
                    // `{include-group = "x"}` is a reference to another group, not a package
                    if item.get_ref().is_table() {
                        continue;
                    }
                    let g = name.get_ref().to_string();
                    pep508_item(file, item, out, |c| c.dev(true).group(g.clone()));
                }
            }
        }
        if let Some(poetry) = table(root, "tool").and_then(|t| table(t, "poetry")) {
            if let Some(deps) = table(poetry, "dependencies") {
                poetry_table(file, deps, false, None, out);
            }
            if let Some(deps) = table(poetry, "dev-dependencies") {
                poetry_table(file, deps, true, Some("dev"), out);
            }
            if let Some(groups) = table(poetry, "group") {
                for (g, body) in groups.iter() {
                    let Some(deps) = body
                        .get_ref()
                        .as_table()
                        .and_then(|t| table(t, "dependencies"))
                    else {
                        continue;
                    };
                    let g = g.get_ref();
                    poetry_table(file, deps, g != "main", Some(g), out);
                }
            }
        }
    }
}

/// Poetry's `name = "constraint"` / `name = { version = "...", ... }` / a list of such
/// tables (multiple constraints by marker). `python` is the runtime requirement.
fn poetry_table(
    file: &SourceFile,
    deps: &DeTable<'_>,
    dev: bool,
    group: Option<&str>,
    out: &mut Extraction,
) {
    for (key, value) in deps.iter() {
        let name = key.get_ref().as_ref();
        let key_span = file.span(key.span().start, key.span().end);
        let mut specs: Vec<Option<TomlStr<'_>>> = Vec::new();
        match value.get_ref() {
            DeValue::String(_) => specs.push(toml_str(file, value)),
            DeValue::Table(t) => specs.push(t.get("version").and_then(|v| toml_str(file, v))),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(t) = item.get_ref().as_table() {
                        specs.push(t.get("version").and_then(|v| toml_str(file, v)));
                    }
                }
            }
            _ => specs.push(None),
        }
        for spec in specs {
            let c = if name.eq_ignore_ascii_case("python") {
                match spec {
                    Some(s) => python_runtime(s.text, s.span),
                    None => continue,
                }
            } else {
                let (version, span) = match spec {
                    Some(s) => (Some(s.text.to_string()), s.span),
                    // git / path / url dependencies: no version to read
                    None => (None, key_span),
                };
                let mut c =
                    Component::new(ComponentKind::Package, Ecosystem::PyPI, name, version, span)
                        .dev(dev);
                if let Some(g) = group {
                    c = c.group(g);
                }
                c
            };
            out.push(c);
        }
    }
}

/// `Runtime`/`PyPI`/`python`: the interpreter a package requires, read as a PEP 440 range.
pub(crate) fn python_runtime(text: &str, span: Span) -> Component {
    Component::new(
        ComponentKind::Runtime,
        Ecosystem::PyPI,
        "python",
        Some(text.trim().to_string()),
        span,
    )
}

// ---------------------------------------------------------------------------------------
// PEP 508

/// One PEP 508 string from a TOML array: push a package component, or a `parse-error`
/// at the position `pep508_rs` reports. `adjust` sets dev/group.
fn pep508_item(
    file: &SourceFile,
    item: &Spanned<DeValue<'_>>,
    out: &mut Extraction,
    adjust: impl Fn(Component) -> Component,
) {
    let Some(s) = toml_str(file, item) else {
        return;
    };
    if let Some(c) = pep508_component(file, s.text, s.span, s.exact, "pyproject.toml", out) {
        out.push(adjust(c));
    }
}

/// Read one PEP 508 requirement whose text is `text` at `span` (`exact`: `span` covers
/// `text` byte for byte, so sub-spans can be computed). The name is kept as written,
/// the version is the specifier text verbatim (`>=1, <2`), spanned on that text.
/// Why a PEP 508 string did not parse: where (in characters) and what the parser said.
pub(crate) struct Pep508Error {
    pub start: usize,
    pub message: String,
}

impl std::fmt::Display for Pep508Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `pep508_rs` behind a guard: the crate panics on some malformed extras (an internal
/// assertion), which must become a parse error, not a crash.
pub(crate) fn parse_pep508(
    text: &str,
) -> Result<pep508_rs::Requirement<pep508_rs::VerbatimUrl>, Pep508Error> {
    match crate::diagnostic::guard_parser(|| {
        pep508_rs::Requirement::<pep508_rs::VerbatimUrl>::from_str(text)
    }) {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(Pep508Error {
            start: e.start,
            message: e.message.to_string(),
        }),
        None => Err(Pep508Error {
            start: 0,
            message: "the PEP 508 parser failed on this requirement".into(),
        }),
    }
}

pub(crate) fn pep508_component(
    file: &SourceFile,
    text: &str,
    span: Span,
    exact: bool,
    format: &str,
    out: &mut Extraction,
) -> Option<Component> {
    let parsed = parse_pep508(text);
    let req = match parsed {
        Ok(r) => r,
        Err(e) => {
            let at = if exact {
                let byte = text
                    .char_indices()
                    .nth(e.start)
                    .map(|(i, _)| i)
                    .unwrap_or(text.len());
                file.span(span.start + byte, span.start + byte)
            } else {
                span
            };
            out.problem(parse_error(at, format, e.message));
            return None;
        }
    };
    let parts = split_requirement(text);
    let sub = |r: std::ops::Range<usize>| {
        if exact {
            file.span(span.start + r.start, span.start + r.end)
        } else {
            span
        }
    };
    let name = &text[parts.name.clone()];
    let (version, at) = match &req.version_or_url {
        Some(pep508_rs::VersionOrUrl::VersionSpecifier(_)) if !parts.spec.is_empty() => {
            (Some(text[parts.spec.clone()].to_string()), sub(parts.spec))
        }
        _ => (None, sub(parts.name)),
    };
    Some(Component::new(
        ComponentKind::Package,
        Ecosystem::PyPI,
        name,
        version,
        at,
    ))
}

/// Byte ranges of the name and of the version specifier in a requirement that
/// `pep508_rs` accepted (`name [extras] (spec) ; marker` or `name[extras] spec; marker`).
/// `pep508_rs` keeps no positions, so every PEP 508 reader (`pyproject.toml`,
/// `setup.cfg`, requirements files) takes its spans from here.
pub(crate) struct RequirementParts {
    pub name: std::ops::Range<usize>,
    /// Empty when there is no specifier.
    pub spec: std::ops::Range<usize>,
}

pub(crate) fn split_requirement(text: &str) -> RequirementParts {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'_' | b'.')) {
        i += 1;
    }
    let name = name_start..i;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < b.len() && b[i] == b'[' {
        while i < b.len() && b[i] != b']' {
            i += 1;
        }
        i = (i + 1).min(b.len());
    }
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let paren = i < b.len() && b[i] == b'(';
    if paren {
        i += 1;
    }
    let start = i;
    let mut end = start;
    while end < b.len() && b[end] != b';' && !(paren && b[end] == b')') {
        end += 1;
    }
    let mut s = start;
    let mut e = end;
    while s < e && b[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && b[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    RequirementParts { name, spec: s..e }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    /// PEP 621 `[project]` names the project, Poetry's `[tool.poetry]` when there is none.
    #[test]
    fn the_project_itself_is_the_project() {
        let (file, out) = run(
            &Pyproject,
            "pyproject.toml",
            "[project]\nname = \"worker\"\nversion = \"1.2.0\"\n",
        );
        let p = out.project.expect("a project");
        assert_eq!(
            (p.name.as_str(), p.version.as_deref()),
            ("worker", Some("1.2.0"))
        );
        assert_eq!(file.slice(p.span), "worker");
        let (_, out) = run(
            &Pyproject,
            "pyproject.toml",
            "[tool.poetry]\nname = \"legacy\"\nversion = \"0.1.0\"\n",
        );
        assert_eq!(out.project.expect("a project").name, "legacy");
    }

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/pyproject", "*.toml", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Pyproject, "pyproject.toml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn requirement_parts() {
        let t = "flask [async] ( >=3.1, <4 ) ; python_version < '3.10'";
        let p = split_requirement(t);
        assert_eq!(&t[p.name], "flask");
        assert_eq!(&t[p.spec], ">=3.1, <4");
        let t = "requests[security]>=2.20.0;python_version>='3.8'";
        let p = split_requirement(t);
        assert_eq!(&t[p.spec], ">=2.20.0");
    }
}
