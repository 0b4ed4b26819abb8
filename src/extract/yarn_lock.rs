//! `yarn.lock`: Yarn classic's own format (v1) and Yarn Berry's (v2+), one locked version
//! per entry.
//!
//! Owns reading entry headers (`"a@^1.0.0", a@^1.2.0:` / `"a@npm:^1.0.0, a@npm:^1.2.0":`)
//! and their `version` field. The header's descriptors are kept on the component
//! ([`LockKey::Specifier`]): they say exactly which declared ranges the entry resolves,
//! so the scanner can link a manifest to the right one of several versions. Must not: read `resolved`/`resolution` URLs or dependency
//! lists, nor report Berry's `workspace:` entries (the repository's own packages) or its
//! `patch:` entries (the same package and version again, with a patch applied).
//!
//! Both formats are read by one line reader over `&str` slices, so every span is a slice
//! of the file (CRATES.md: `yarn-lock-parser` keeps no positions). Berry lockfiles are
//! YAML, but Yarn writes them with its own stringifier in a fixed subset: a top-level
//! mapping whose keys start at column 0 and end with `:`, fields indented by two
//! spaces, nested maps by four. A line that fits neither format is a `parse-error` at
//! that line, and reading goes on with the next entry.
//!
//! An alias (`alias@npm:real@^1`) is reported under the real package's name: rules are
//! about what is installed, not what it is called locally.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, LockKey};
use crate::diagnostic::{Finding, parse_error};
use crate::source::SourceFile;

pub struct YarnLock;

impl Extractor for YarnLock {
    fn name(&self) -> &'static str {
        "yarn-lock"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["yarn.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "yarn.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let mut entry: Option<Entry<'_>> = None;
        let mut offset = 0;
        // one `parse-error` per file: a file in another format would otherwise yield one
        // per line
        let mut reported = false;
        let mut problem = |out: &mut Extraction, f: Finding| {
            if !std::mem::replace(&mut reported, true) {
                out.problem(f);
            }
        };
        for raw in file.text.split_inclusive('\n') {
            let line_start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if !line.starts_with([' ', '\t']) {
                flush(file, entry.take(), out);
                match line.strip_suffix(':') {
                    Some(header) => entry = Some(Entry::new(header)),
                    None => {
                        let span = file.span(line_start, line_start + line.len());
                        problem(
                            out,
                            parse_error(
                                span,
                                "yarn.lock",
                                "expected an entry header ending with `:`",
                            ),
                        );
                    }
                }
                continue;
            }
            let Some(e) = entry.as_mut() else {
                let at = line_start + (line.len() - content.len());
                problem(
                    out,
                    parse_error(
                        file.span(at, at),
                        "yarn.lock",
                        "indented field before any entry header",
                    ),
                );
                continue;
            };
            // fields of the entry itself are indented by exactly two spaces
            let indent = line.len() - content.len();
            if indent != 2 {
                continue;
            }
            // the field name may be quoted: `"version" "1.0.0"`, `"version": 1.0.0`
            let field = content
                .strip_prefix("\"version\"")
                .or_else(|| content.strip_prefix("version"));
            if let Some(rest) = field
                && rest.starts_with([' ', ':'])
            {
                let v = rest.trim_start_matches([':', ' ']).trim_end();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(v);
                if !v.is_empty() {
                    e.version = Some(v);
                }
            }
        }
        flush(file, entry, out);
    }
}

/// An entry being read: its header and, once seen, its version slice.
struct Entry<'a> {
    header: &'a str,
    version: Option<&'a str>,
}

impl<'a> Entry<'a> {
    fn new(header: &'a str) -> Self {
        Entry {
            header,
            version: None,
        }
    }
}

fn flush(file: &SourceFile, entry: Option<Entry<'_>>, out: &mut Extraction) {
    let Some(e) = entry else {
        return;
    };
    if e.header == "__metadata" {
        return;
    }
    let descriptors: Vec<&str> = e
        .header
        .split(',')
        .map(|d| d.trim().trim_matches('"').trim())
        .filter(|d| !d.is_empty())
        .collect();
    let Some(first) = descriptors.first() else {
        return;
    };
    let (name, range) = split_descriptor(first);
    if descriptors.iter().any(|d| {
        let (_, r) = split_descriptor(d);
        r.starts_with("workspace:") || r.starts_with("patch:")
    }) {
        return;
    }
    let name = real_name(name, range);
    let (version, span) = match e.version {
        Some(v) => (Some(v.to_string()), file.span_of(v)),
        None => (None, file.span_of(first)),
    };
    let mut c =
        Component::new(ComponentKind::Package, Ecosystem::Npm, name, version, span).lockfile();
    c.resolved = c.version.clone();
    c.resolved_span = e.version.map(|v| file.span_of(v));
    c.resolves = descriptors
        .iter()
        .map(|d| {
            let (name, range) = split_descriptor(d);
            LockKey::Specifier {
                name: name.to_string(),
                range: range.to_string(),
            }
        })
        .collect();
    out.push(c);
}

/// `@scope/name@^1.0.0` -> (`@scope/name`, `^1.0.0`); a bare name has an empty range.
fn split_descriptor(d: &str) -> (&str, &str) {
    match d.char_indices().skip(1).find(|&(_, c)| c == '@') {
        Some((i, _)) => (&d[..i], &d[i + 1..]),
        None => (d, ""),
    }
}

/// The installed package behind an alias range `npm:real@^1`; else the name itself.
fn real_name<'a>(name: &'a str, range: &'a str) -> &'a str {
    match range.strip_prefix("npm:") {
        Some(target) => match split_descriptor(target) {
            (real, r) if !r.is_empty() => real,
            _ => name,
        },
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{render, run};
    use super::*;

    #[test]
    fn snapshots() {
        insta::glob!("../../fixtures/extract/yarn-lock", "*.lock", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&YarnLock, "yarn.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn descriptors() {
        assert_eq!(
            split_descriptor("@babel/core@^7.0.0"),
            ("@babel/core", "^7.0.0")
        );
        assert_eq!(split_descriptor("a@npm:^1"), ("a", "npm:^1"));
        assert_eq!(real_name("cjs", "npm:@s/real@^5"), "@s/real");
        assert_eq!(real_name("a", "npm:^1"), "a");
    }
}
