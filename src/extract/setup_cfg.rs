//! `setup.cfg`: setuptools' declarative configuration (`[options] install_requires`,
//! `python_requires`, `tests_require`, `[options.extras_require]`).
//!
//! Owns a small line reader for the INI dialect setuptools reads with Python's
//! `configparser` (sections, `key = value` or `key: value`, indented continuation lines,
//! full-line `#`/`;` comments). It is our own because no maintained INI crate keeps byte
//! positions, and every value here is a slice of the file, so spans come for free. Must
//! not: evaluate `file:`/`attr:` directives (they point at other files), nor read
//! `setup.py` (code, not data).
//!
//! Lists follow setuptools: a multi-line value holds one requirement per line; a
//! single-line value separates requirements with `;`. Each requirement goes through
//! `pep508_rs`. `python_requires` is the runtime the package requires
//! (`Runtime`/`PyPI`/`python`); `tests_require` entries are dev; extras are not dev and
//! carry the extra's name as `group`.

use std::path::Path;

use super::pyproject::{pep508_component, python_runtime};
use super::{Extraction, Extractor, file_name};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct SetupCfg;

impl Extractor for SetupCfg {
    fn name(&self) -> &'static str {
        "setup-cfg"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::LineStart(&["#", ";"]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["setup.cfg"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "setup.cfg"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        for entry in read_ini(file, out) {
            let key = entry.key.to_ascii_lowercase().replace('-', "_");
            match (entry.section, key.as_str()) {
                ("options", "python_requires") => {
                    if let Some(v) = entry.lines.first() {
                        out.push(python_runtime(v, file.span_of(v)));
                    }
                }
                ("options", "install_requires") => requirements(file, &entry, out, |c| c),
                ("options", "tests_require") => {
                    requirements(file, &entry, out, |c| c.dev(true).group("tests"))
                }
                ("options.extras_require", _) => {
                    let g = entry.key.to_string();
                    requirements(file, &entry, out, |c| c.group(g.clone()))
                }
                _ => {}
            }
        }
    }
}

/// One `key = value` with its value lines (the first line's value, then continuations),
/// comments and blank lines removed, each a trimmed slice of the file.
struct IniEntry<'a> {
    section: &'a str,
    key: &'a str,
    lines: Vec<&'a str>,
}

fn requirements(
    file: &SourceFile,
    entry: &IniEntry<'_>,
    out: &mut Extraction,
    adjust: impl Fn(crate::component::Component) -> crate::component::Component,
) {
    let items: Vec<&str> = match entry.lines.as_slice() {
        [one] => one.split(';').map(str::trim).collect(),
        many => many.to_vec(),
    };
    for item in items {
        if item.is_empty() || item.starts_with("file:") || item.starts_with("attr:") {
            continue;
        }
        let span = file.span_of(item);
        if let Some(c) = pep508_component(file, item, span, true, "setup.cfg", out) {
            out.push(adjust(c));
        }
    }
}

/// Read the INI structure. A line that is none of section, key, continuation, comment or
/// blank is a `parse-error` (reported once per file) and skipped.
fn read_ini<'a>(file: &'a SourceFile, out: &mut Extraction) -> Vec<IniEntry<'a>> {
    let mut entries: Vec<IniEntry<'a>> = Vec::new();
    let mut section = "";
    let mut reported = false;
    let mut in_entry = false;
    for line in file.text.lines() {
        let content = line.trim();
        if content.is_empty() || content.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if in_entry && let Some(e) = entries.last_mut() {
                e.lines.push(strip_comment(content));
                continue;
            }
        } else if let Some(name) = content.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
            section = name.trim();
            in_entry = false;
            continue;
        } else if let Some(at) = content.find(['=', ':']) {
            let value = strip_comment(content[at + 1..].trim());
            entries.push(IniEntry {
                section,
                key: content[..at].trim(),
                lines: if value.is_empty() {
                    vec![]
                } else {
                    vec![value]
                },
            });
            in_entry = true;
            continue;
        }
        if !std::mem::replace(&mut reported, true) {
            let at = file.span_of(content);
            out.problem(parse_error(
                file.span(at.start, at.start),
                "setup.cfg",
                "expected `[section]`, `key = value` or an indented continuation line",
            ));
        }
    }
    entries
}

/// `requests>=2  # why` -> `requests>=2`: setuptools drops comment lines in requirement
/// lists, and a ` #` comment after a requirement is no part of it.
fn strip_comment(s: &str) -> &str {
    match s.find(" #") {
        Some(i) => s[..i].trim_end(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/setup-cfg", "*.cfg", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&SetupCfg, "setup.cfg", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
