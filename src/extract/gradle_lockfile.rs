//! `gradle.lockfile` (also `buildscript-gradle.lockfile` and the older per-configuration
//! `gradle/dependency-locks/*.lockfile`): the exact Maven artifacts Gradle locked.
//!
//! Owns a line parser for `group:artifact:version=configuration,…` lines; values are
//! slices of the file. Each line is a lockfile `package`/`maven` component named
//! `group:artifact`, blamed on the version; it is `dev` when every configuration that
//! uses it is a test one (`test…`, `androidTest…`). `#` comments and the `empty=` line
//! say nothing. A line of any other shape is a `parse-error` (the first one only:
//! a file that is not a lockfile would report every line), and reading goes on.
//! Must not: read build scripts.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct GradleLockfile;

impl Extractor for GradleLockfile {
    fn name(&self) -> &'static str {
        "gradle-lockfile"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::LineStart(&["#"]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["gradle.lockfile"]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        name.ends_with("gradle.lockfile")
            || (name.ends_with(".lockfile")
                && path
                    .parent()
                    .is_some_and(|p| file_name(p) == "dependency-locks"))
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let mut reported = false;
        for line in file.text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
                continue;
            }
            let (coords, configs) = line.split_once('=').unwrap_or((line, ""));
            let parts: Vec<&str> = coords.split(':').collect();
            let well_formed = line.contains('=')
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && !p.contains(|c: char| c.is_whitespace() || "'\"(){}".contains(c))
                });
            let (&[group, artifact, version], true) = (&parts[..], well_formed) else {
                if !reported {
                    reported = true;
                    out.problem(parse_error(
                        file.span_of(line),
                        "gradle.lockfile",
                        format!("expected `group:artifact:version=configurations`, found `{line}`"),
                    ));
                }
                continue;
            };
            let configs: Vec<&str> = configs.split(',').filter(|c| !c.is_empty()).collect();
            let dev = !configs.is_empty() && configs.iter().all(|c| is_test_configuration(c));
            out.push(
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Maven,
                    format!("{group}:{artifact}"),
                    Some(version.to_string()),
                    file.span_of(version),
                )
                .dev(dev)
                .lockfile(),
            );
        }
    }
}

/// Gradle's test configurations: `testImplementation`, `testRuntimeClasspath`,
/// `androidTestCompileClasspath`, … (shared with the build-script extractor).
pub(super) fn is_test_configuration(c: &str) -> bool {
    c.starts_with("test") || c.starts_with("androidTest") || c.starts_with("integrationTest")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/gradle-lockfile", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&GradleLockfile, "gradle.lockfile", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
