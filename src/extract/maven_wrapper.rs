//! Maven Wrapper (`.mvn/wrapper/maven-wrapper.properties`): the Maven version `mvnw`
//! downloads and runs, and the wrapper's own version.
//!
//! Reads the file with the Java-properties reader of `gradle_properties`. `distributionUrl`
//! naming `apache-maven-<version>-bin.zip` (or `-bin.tar.gz`) is the `maven` runtime in
//! ecosystem `runtime`, blamed on the version inside the URL; `wrapperVersion` (or the
//! version in `wrapperUrl`'s `maven-wrapper-<version>.jar`) is the `tool` `maven-wrapper`.
//! A URL naming another file says no version: no component. The `mvnw` and `mvnw.cmd`
//! scripts the wrapper generates name their own version in the header line (`# Apache
//! Maven Wrapper startup batch script, version 3.3.4`, `@REM` in `mvnw.cmd`): that is the
//! `maven-wrapper` tool too, blamed on the version (a script left behind by an upgrade
//! disagrees with the properties, as Renovate also reads it). Must not: read anything else
//! in the scripts (the URLs in them are defaults the properties override).

use std::path::Path;

use super::gradle_properties::{Entry, entries};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::{SourceFile, Span};

pub struct MavenWrapper;

impl Extractor for MavenWrapper {
    fn name(&self) -> &'static str {
        "maven-wrapper"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        // the properties' `#` and `!`; `mvnw` is sh (`#`), `mvnw.cmd` batch (`@REM`)
        Some(super::comments::CommentSyntax::LineStart(&[
            "#", "!", "@REM",
        ]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[".mvn/wrapper/maven-wrapper.properties", "mvnw", "mvnw.cmd"]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            "maven-wrapper.properties" | "mvnw" | "mvnw.cmd"
        )
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.path.ends_with("mvnw") || file.path.ends_with("mvnw.cmd") {
            if let Some((version, span)) = script_version(file) {
                out.push(Component::new(
                    ComponentKind::Tool,
                    Ecosystem::Runtime,
                    "maven-wrapper",
                    Some(version),
                    span,
                ));
            }
            return;
        }
        let all: Vec<Entry> = entries(file).collect();
        let has_wrapper_version = all.iter().any(|e| e.key == "wrapperVersion");
        for e in &all {
            let found = match e.key.as_str() {
                "distributionUrl" => {
                    url_version(file, e, "apache-maven-", &["-bin.zip", "-bin.tar.gz"])
                        .map(|v| (ComponentKind::Runtime, "maven", v))
                }
                "wrapperVersion" if !e.value.is_empty() => Some((
                    ComponentKind::Tool,
                    "maven-wrapper",
                    (e.value.clone(), e.span),
                )),
                "wrapperUrl" if !has_wrapper_version => {
                    url_version(file, e, "maven-wrapper-", &[".jar"])
                        .map(|v| (ComponentKind::Tool, "maven-wrapper", v))
                }
                _ => None,
            };
            if let Some((kind, name, (version, span))) = found {
                out.push(Component::new(
                    kind,
                    Ecosystem::Runtime,
                    name,
                    Some(version),
                    span,
                ));
            }
        }
    }
}

/// The version the generated script's header names, within its first lines.
fn script_version(file: &SourceFile) -> Option<(String, Span)> {
    const HEADER: &str = "Apache Maven Wrapper startup batch script, version ";
    let mut offset = 0;
    for line in file.text.split_inclusive('\n').take(40) {
        let body = line.trim_end();
        let rest = body
            .strip_prefix('#')
            .or_else(|| body.strip_prefix("@REM"))
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix(HEADER));
        if let Some(rest) = rest {
            let len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let version = rest[..len].trim_end_matches('.');
            if version.starts_with(|c: char| c.is_ascii_digit()) {
                let start = offset + (body.len() - rest.len());
                return Some((version.to_string(), file.span(start, start + version.len())));
            }
        }
        offset += line.len();
    }
    None
}

/// The version in a URL's file name `<prefix><version><suffix>`, blamed inside the URL
/// when the file name is written without escapes, else on the whole value.
fn url_version(
    file: &SourceFile,
    e: &Entry,
    prefix: &str,
    suffixes: &[&str],
) -> Option<(String, Span)> {
    let name = e.value.rsplit('/').next()?;
    let rest = name.strip_prefix(prefix)?;
    let version = suffixes
        .iter()
        .find_map(|s| rest.strip_suffix(s))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))?;
    let raw = file.slice(e.span);
    let span = if raw.ends_with(name) {
        let start = e.span.end - name.len() + prefix.len();
        file.span(start, start + version.len())
    } else {
        e.span
    };
    Some((version.to_string(), span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!(
            "../../fixtures/extract/maven-wrapper",
            "*.properties",
            |path| {
                let text = std::fs::read_to_string(path).unwrap();
                let (file, out) = run(
                    &MavenWrapper,
                    ".mvn/wrapper/maven-wrapper.properties",
                    &text,
                );
                insta::assert_snapshot!(render(&file, &out));
            }
        );
    }

    #[test]
    fn scripts() {
        insta::glob!("../../fixtures/extract/maven-wrapper", "mvnw*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let cmd = path.extension().is_some_and(|e| e == "cmd");
            let name = if cmd { "mvnw.cmd" } else { "mvnw" };
            let (file, out) = run(&MavenWrapper, name, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
