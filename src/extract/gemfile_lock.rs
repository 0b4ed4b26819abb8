//! `Gemfile.lock` (also `gems.locked`): the gem versions Bundler resolved, the Ruby it
//! resolved them for and the Bundler that wrote it.
//!
//! Owns a line parser over the lockfile's indentation-based sections; every value is a
//! slice of the file. Must not: read the Gemfile or decide which manifest an entry
//! resolves (the scanner links them).
//!
//! Choices, so rules can rely on them:
//! - Specs under `GEM`, `GIT`, `PATH` and `PLUGIN SOURCE` (the 4-space `name (version)`
//!   lines) are lockfile `package`/`rubygems` components; `GIT`/`PATH` ones get group
//!   `git`/`path`. A platform suffix (`1.15.5-x86_64-linux`) is not part of the version
//!   (RubyGems versions never contain `-`): the version and its span stop before it.
//!   The 6-space lines (a spec's own requirements) are not components.
//! - `RUBY VERSION` (`ruby 3.2.2p53`) is the Ruby the bundle runs on: a lockfile
//!   `runtime`/`runtime`/`ruby` (the same identity as the Gemfile's `ruby` line, so the
//!   scanner links them), version without the patch level (`3.2.2`).
//! - `BUNDLED WITH` is a lockfile `tool`/`rubygems`/`bundler`.
//! - `PLATFORMS`, `DEPENDENCIES` and `CHECKSUMS` repeat what is above: nothing.
//!
//! A non-empty file with no known section is a `parse-error`; a spec line that is not
//! `name (version)` is a `parse-error` at that line, and reading goes on.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct GemfileLock;

const SOURCES: &[&str] = &["GEM", "GIT", "PATH", "PLUGIN SOURCE"];
const OTHERS: &[&str] = &[
    "PLATFORMS",
    "DEPENDENCIES",
    "RUBY VERSION",
    "BUNDLED WITH",
    "CHECKSUMS",
];

impl Extractor for GemfileLock {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["Gemfile.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(file_name(path), "Gemfile.lock" | "gems.locked")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let mut section: Option<&str> = None;
        let mut in_specs = false;
        let mut known = false;
        for line in file.text.lines() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            if indent == 0 {
                let name = line.trim();
                section = (SOURCES.contains(&name) || OTHERS.contains(&name)).then_some(name);
                known |= section.is_some();
                in_specs = false;
                continue;
            }
            let Some(sec) = section else { continue };
            let body = line.trim();
            match sec {
                "RUBY VERSION" => {
                    if let Some(v) = body.strip_prefix("ruby ") {
                        let v = v.trim();
                        let end = v.find(|c: char| !(c.is_ascii_digit() || c == '.'));
                        let v = &v[..end.unwrap_or(v.len())];
                        if !v.is_empty() {
                            out.push(
                                Component::new(
                                    ComponentKind::Runtime,
                                    Ecosystem::Runtime,
                                    "ruby",
                                    Some(v.to_string()),
                                    file.span_of(v),
                                )
                                .lockfile(),
                            );
                        }
                    }
                }
                "BUNDLED WITH" => out.push(
                    Component::new(
                        ComponentKind::Tool,
                        Ecosystem::RubyGems,
                        "bundler",
                        Some(body.to_string()),
                        file.span_of(body),
                    )
                    .lockfile(),
                ),
                _ if SOURCES.contains(&sec) => {
                    if indent == 2 {
                        in_specs = body == "specs:";
                    } else if indent == 4 && in_specs {
                        match spec(body) {
                            Some((name, version)) => {
                                let mut c = Component::new(
                                    ComponentKind::Package,
                                    Ecosystem::RubyGems,
                                    name,
                                    Some(version.to_string()),
                                    file.span_of(version),
                                )
                                .lockfile();
                                match sec {
                                    "GIT" => c = c.group("git"),
                                    "PATH" => c = c.group("path"),
                                    _ => {}
                                }
                                out.push(c);
                            }
                            None => out.problem(parse_error(
                                file.span_of(body),
                                "Gemfile.lock",
                                format!("expected `name (version)`, found `{body}`"),
                            )),
                        }
                    }
                }
                _ => {}
            }
        }
        if !known && !file.text.trim().is_empty() {
            out.problem(parse_error(
                file.span(0, 0),
                "Gemfile.lock",
                "no `GEM`, `GIT`, `PATH` or other Bundler section",
            ));
        }
    }
}

/// `name (version[-platform])` -> (name, version), both slices of `body`.
fn spec(body: &str) -> Option<(&str, &str)> {
    let (name, rest) = body.split_once(" (")?;
    let inner = rest.strip_suffix(')')?;
    let version = inner.split('-').next().unwrap_or(inner);
    if name.is_empty() || name.contains(' ') || version.is_empty() {
        return None;
    }
    Some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/gemfile-lock", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&GemfileLock, "Gemfile.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
