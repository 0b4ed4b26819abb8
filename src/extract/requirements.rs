//! pip requirements files: the PyPI packages a Python project installs.
//!
//! Owns pip's line handling — `\` continuations, `#` comments, blank lines, global
//! options (`-i`, `--index-url`, `-f`, …) and per-requirement options (`--hash=…`) — and
//! hands each requirement to `pep508_rs` for its name and specifier. The version is the
//! specifier as written (`==0.8.1`, `>=1.4,<2`) and the span is that text; a URL,
//! path or editable requirement has no version. Must not: follow `-r`/`-c` includes
//! (extractors do no I/O; an included file is scanned on its own when its name matches,
//! e.g. `requirements/base.txt`), or evaluate markers (a requirement only for
//! `python_version < "3.8"` is still declared).
//!
//! Logical lines keep a map back to the file, so every span is a range of the file's
//! own text even when a requirement is continued over several lines.

use std::path::Path;

use pep508_rs::VersionOrUrl;

use super::pyproject::split_requirement;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

pub struct Requirements;

impl Extractor for Requirements {
    fn name(&self) -> &'static str {
        "requirements"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "requirements.txt",
            "requirements-dev.txt",
            "requirements.in",
            "constraints.txt",
            "requirements/base.txt",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        let in_requirements_dir = path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|d| d == "requirements");
        (name.starts_with("requirements") && (name.ends_with(".txt") || name.ends_with(".in")))
            || (name.starts_with("constraints") && name.ends_with(".txt"))
            || (in_requirements_dir && name.ends_with(".txt"))
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        for line in logical_lines(&file.text) {
            line_components(file, &line, out);
        }
    }
}

/// One logical line: its text after joining continuations and removing the comment,
/// and where each joined piece starts in the file.
struct Logical {
    text: String,
    /// `(offset in text, offset in file)` of each joined piece, in order.
    map: Vec<(usize, usize)>,
}

impl Logical {
    /// The file offset of byte `i` of the logical text.
    fn at(&self, i: usize) -> usize {
        let k = self.map.partition_point(|(l, _)| *l <= i).max(1) - 1;
        self.map[k].1 + (i - self.map[k].0)
    }

    /// The file span of `from..to` of the logical text (`to` is mapped from its last
    /// byte, so a range ending at a joint does not run into the `\` and newline).
    fn span(&self, file: &SourceFile, from: usize, to: usize) -> Span {
        let start = self.at(from);
        let end = if to > from {
            self.at(to - 1) + 1
        } else {
            start
        };
        file.span(start, end)
    }
}

fn logical_lines(text: &str) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut cur = Logical {
        text: String::new(),
        map: Vec::new(),
    };
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let is_comment = line.trim_start().starts_with('#');
        let (body, continued) = match line.strip_suffix('\\') {
            Some(b) if !is_comment => (b, true),
            _ => (line, false),
        };
        cur.map.push((cur.text.len(), start));
        cur.text.push_str(body);
        if !continued {
            out.push(std::mem::replace(
                &mut cur,
                Logical {
                    text: String::new(),
                    map: Vec::new(),
                },
            ));
        }
    }
    if !cur.map.is_empty() {
        out.push(cur);
    }
    for l in &mut out {
        l.text.truncate(comment_start(&l.text));
    }
    out
}

/// pip's comment rule: `#` at the start of the line or after whitespace (so the `#` in
/// `…#egg=name` is not a comment).
fn comment_start(line: &str) -> usize {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .unwrap_or(line.len())
}

fn line_components(file: &SourceFile, line: &Logical, out: &mut Extraction) {
    let text = line.text.as_str();
    let lead = text.len() - text.trim_start().len();
    let body = text.trim();
    if body.is_empty() {
        return;
    }
    if body.starts_with('-') {
        let opt = body
            .split(|c: char| c.is_whitespace() || c == '=')
            .next()
            .unwrap_or("");
        if matches!(opt, "-e" | "--editable") {
            let arg = body[opt.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == '=');
            let arg_at = lead + body.len() - arg.len();
            url_component(file, line, arg, arg_at, out);
        }
        // every other option (`-r`/`-c` includes, `-i`/`--index-url`, `-f`, `--pre`, …)
        // declares no package; unknown ones are pip's to reject
        return;
    }
    // per-requirement options (`--hash=…`, `--config-settings …`) end the requirement
    let req_end = option_start(body);
    let req = body[..req_end].trim_end();
    if looks_like_url_or_path(req) {
        url_component(file, line, req, lead, out);
        return;
    }
    match super::pyproject::parse_pep508(req) {
        Ok(parsed) => {
            let parts = split_requirement(req);
            let name = &req[parts.name.clone()];
            let name_span = line.span(file, lead + parts.name.start, lead + parts.name.end);
            let (version, span) = match &parsed.version_or_url {
                Some(VersionOrUrl::VersionSpecifier(specs)) if !specs.is_empty() => {
                    if parts.spec.is_empty() {
                        (Some(specs.to_string()), name_span)
                    } else {
                        (
                            Some(req[parts.spec.clone()].to_string()),
                            line.span(file, lead + parts.spec.start, lead + parts.spec.end),
                        )
                    }
                }
                _ => (None, name_span),
            };
            out.push(Component::new(
                ComponentKind::Package,
                Ecosystem::PyPI,
                name,
                version,
                span,
            ));
        }
        Err(e) => {
            let at = line.at(lead + e.start.min(req.len()));
            out.problem(parse_error(
                file.span(at, at),
                "requirements file",
                e.message.to_string(),
            ));
        }
    }
}

/// Where per-requirement options start: whitespace followed by `-`.
fn option_start(body: &str) -> usize {
    let bytes = body.as_bytes();
    (1..bytes.len())
        .find(|&i| bytes[i] == b'-' && bytes[i - 1].is_ascii_whitespace())
        .unwrap_or(body.len())
}

fn looks_like_url_or_path(req: &str) -> bool {
    req.starts_with('.')
        || req.starts_with('/')
        || req.starts_with("file:")
        || req.split_once("://").is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+')
        })
}

/// A URL or path requirement (`-e git+https://…#egg=name`, `./pkg`): the name only when
/// an `#egg=` fragment gives it, and no version (a URL pins no version range).
fn url_component(
    file: &SourceFile,
    line: &Logical,
    arg: &str,
    arg_at: usize,
    out: &mut Extraction,
) {
    let Some(egg) = arg.find("#egg=").map(|p| p + 5) else {
        return;
    };
    let rest = &arg[egg..];
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(rest.len());
    if len == 0 {
        return;
    }
    out.push(Component::new(
        ComponentKind::Package,
        Ecosystem::PyPI,
        &rest[..len],
        None,
        line.span(file, arg_at + egg, arg_at + egg + len),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn wants_requirements_names() {
        for p in [
            "requirements.txt",
            "requirements-dev.txt",
            "requirements.in",
            "constraints.txt",
            "api/requirements/base.txt",
        ] {
            assert!(Requirements.wants(Path::new(p)), "{p}");
        }
        for p in [
            "notes.txt",
            "requirements.md",
            "constraints.in",
            "docs/base.txt",
        ] {
            assert!(!Requirements.wants(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn specifier_text_as_written() {
        let r = "pymysql [rsa] >= 1.0, <2 ; python_version < '3.8'";
        let p = split_requirement(r);
        assert_eq!(&r[p.name], "pymysql");
        assert_eq!(&r[p.spec], ">= 1.0, <2");
        let r = "foo (==1.0)";
        assert_eq!(&r[split_requirement(r).spec], "==1.0");
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "requirements/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Requirements, "requirements.txt", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
