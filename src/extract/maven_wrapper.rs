//! Maven Wrapper (`.mvn/wrapper/maven-wrapper.properties`): the Maven version `mvnw`
//! downloads and runs, and the wrapper's own version.
//!
//! Reads the file with the Java-properties reader of `gradle_properties`. `distributionUrl`
//! naming `apache-maven-<version>-bin.zip` (or `-bin.tar.gz`) is the `maven` runtime in
//! ecosystem `runtime`, blamed on the version inside the URL; `wrapperVersion` (or the
//! version in `wrapperUrl`'s `maven-wrapper-<version>.jar`) is the `tool` `maven-wrapper`.
//! A URL naming another file says no version: no component. Must not: read `mvnw`
//! scripts (their version comment repeats `wrapperVersion`).

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
        Some(super::comments::CommentSyntax::LineStart(&["#", "!"]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[".mvn/wrapper/maven-wrapper.properties"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "maven-wrapper.properties"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
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
}
