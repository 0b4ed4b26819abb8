//! Dockerfiles: each `FROM` image is the runtime a build runs on.
//!
//! Owns a small line parser over `&str` slices of the file: parser directives (`# escape=`),
//! comments, line continuations, heredocs (skipped), `FROM [--platform=…] image [AS name]`,
//! and global `ARG NAME=default` lines (those before the first `FROM`), which are
//! substituted into `FROM ${NAME}`. When a tag comes from an `ARG` default, the span is
//! that default: it is the text a person edits to change the base image. Must not:
//! evaluate `RUN`/`COPY` or any other instruction, or read build arguments from outside
//! the file (`--build-arg` is not known here).
//!
//! `FROM scratch` and `FROM <earlier stage>` are not components: neither is an image
//! pulled from a registry.
//!
//! Also images the build pulls besides its bases, as `tool`s in `docker`: the
//! frontend of a `# syntax=docker/dockerfile:1.4` directive, `COPY --from=image:tag`
//! and `RUN --mount=…,from=image:tag,…` (an earlier stage's name, or its index, is no
//! image). Their `$NAME`s are substituted from global ARGs as in `FROM`.
//!
//! OS packages a `RUN` line pins, `apt-get install pkg=1.2-1` (ecosystem `deb`) and
//! `apk add pkg=1.2.3-r0` (`apk`), are `package`s blamed on the version; unpinned ones
//! (`apt-get install curl`) and `$VAR` versions are not components.

use std::collections::HashMap;
use std::path::Path;

use super::compose::{Piece, map_range};
use super::image_ref::{self, split_image};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct Dockerfile;

impl Extractor for Dockerfile {
    fn name(&self) -> &'static str {
        "dockerfile"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::LineStart(&["#"]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "Dockerfile",
            "services/api/Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "Containerfile",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        // `Dockerfile.dev.dockerignore` is the ignore file BuildKit reads for
        // `Dockerfile.dev` (a Dockerfile-specific `.dockerignore`), not a Dockerfile
        if name.ends_with(".dockerignore") {
            return false;
        }
        name == "Dockerfile"
            || name == "Containerfile"
            || name
                .strip_prefix("Dockerfile.")
                .is_some_and(|s| !s.is_empty())
            || name
                .strip_suffix(".Dockerfile")
                .is_some_and(|s| !s.is_empty())
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let lines: Vec<&str> = file
            .text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let (escape, syntax, first) = directives(&lines);
        if let Some(syntax) = syntax {
            image(
                file,
                syntax,
                &HashMap::new(),
                &[],
                ComponentKind::Tool,
                None,
                out,
            );
        }
        let mut globals: HashMap<&str, Option<&str>> = HashMap::new();
        let mut stages: Vec<String> = Vec::new();
        let mut seen_from = false;
        let mut unknown_reported = false;
        let mut i = first;
        while i < lines.len() {
            let (words, next) = logical_line(&lines, i, escape);
            i = next;
            let Some((&instr, args)) = words.split_first() else {
                continue;
            };
            let upper = instr.to_ascii_uppercase();
            match upper.as_str() {
                "FROM" => {
                    seen_from = true;
                    from(file, instr, args, &globals, &mut stages, out);
                }
                "ARG" if !seen_from => {
                    for w in args {
                        match w.split_once('=') {
                            Some((k, v)) => globals.insert(k, Some(unquote(v))),
                            None => globals.insert(w, None),
                        };
                    }
                }
                "RUN" | "COPY" | "ADD" => {
                    for from in args.iter().filter_map(|w| from_flag(&upper, w)) {
                        image(
                            file,
                            from,
                            &globals,
                            &stages,
                            ComponentKind::Tool,
                            None,
                            out,
                        );
                    }
                    if upper == "RUN" {
                        os_packages(file, args, out);
                    }
                    for delim in args.iter().filter_map(|w| heredoc_delimiter(w)) {
                        while i < lines.len() {
                            let l = lines[i];
                            i += 1;
                            if l == delim || l.trim_start_matches('\t') == delim {
                                break;
                            }
                        }
                    }
                }
                _ if INSTRUCTIONS.contains(&upper.as_str()) => {}
                // one problem is enough: a file full of unknown instructions is simply
                // not a Dockerfile, and repeating it on every line helps nobody
                _ if unknown_reported => {}
                _ => {
                    unknown_reported = true;
                    out.problem(parse_error(
                        file.span_of(instr),
                        "Dockerfile",
                        format!("unknown instruction `{instr}`"),
                    ));
                }
            }
        }
    }
}

const INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Read parser directives (`# escape=…`, `# syntax=…`) at the very top of the file.
/// Returns the escape character, the `syntax` image as written, and the index of the
/// first line after them.
fn directives<'a>(lines: &[&'a str]) -> (char, Option<&'a str>, usize) {
    let mut escape = '\\';
    let mut syntax = None;
    for (i, l) in lines.iter().enumerate() {
        let Some(rest) = l.trim().strip_prefix('#') else {
            return (escape, syntax, i);
        };
        let Some((key, value)) = rest.split_once('=') else {
            return (escape, syntax, i);
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return (escape, syntax, i);
        }
        if key.eq_ignore_ascii_case("escape") && value.trim() == "`" {
            escape = '`';
        }
        if key.eq_ignore_ascii_case("syntax") && !value.trim().is_empty() {
            syntax = Some(value.trim());
        }
    }
    (escape, syntax, lines.len())
}

/// OS packages pinned in a `RUN` line: `apt-get install … pkg=1.2-1` / `apt install`
/// (`deb`) and `apk add … pkg=1.2.3-r0` (`apk`), each blamed on its version. Words of
/// another command of the line (after `&&`, `;`, `|`) and options are not packages.
fn os_packages(file: &SourceFile, args: &[&str], out: &mut Extraction) {
    let mut ecosystem = None;
    let mut prev: Option<&str> = None;
    for &word in args {
        let w = word.trim_matches(['"', '\'']);
        match (prev, w) {
            (Some("apt-get" | "apt"), "install") => ecosystem = Some(Ecosystem::Deb),
            (Some("apk"), "add") => ecosystem = Some(Ecosystem::Apk),
            (_, "&&" | "||" | ";" | "|") => ecosystem = None,
            _ => {}
        }
        prev = Some(w);
        let Some(eco) = ecosystem else { continue };
        // `git;` ends the command: this word is the last package of it
        let ends = w.ends_with(';');
        let w = w.trim_end_matches(';');
        if ends {
            ecosystem = None;
        }
        if w.starts_with('-') || w.contains('$') {
            continue;
        }
        let Some((name, version)) = w.split_once('=') else {
            continue;
        };
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | ':' | '_'));
        if !valid_name || version.is_empty() {
            continue;
        }
        out.push(
            Component::new(
                ComponentKind::Package,
                eco,
                name,
                Some(version.to_string()),
                file.span_of(version),
            )
            .group(if eco == Ecosystem::Deb { "apt" } else { "apk" }),
        );
    }
}

/// The image of `COPY --from=…` (and `ADD`) or of a `RUN --mount=…,from=…,…` option.
fn from_flag<'a>(instr: &str, word: &'a str) -> Option<&'a str> {
    if instr == "RUN" {
        let opts = word.strip_prefix("--mount=")?;
        return opts
            .split(',')
            .find_map(|kv| kv.strip_prefix("from="))
            .map(unquote)
            .filter(|v| !v.is_empty());
    }
    word.strip_prefix("--from=")
        .map(unquote)
        .filter(|v| !v.is_empty())
}

/// The words of one instruction starting at physical line `i` (joined over continuation
/// lines; comment and blank lines inside a continuation are dropped, as Docker does),
/// and the index of the line after it. Every word is a slice of the file.
fn logical_line<'a>(lines: &[&'a str], mut i: usize, escape: char) -> (Vec<&'a str>, usize) {
    let mut words = Vec::new();
    let mut continued = false;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if continued {
                continue;
            }
            // a comment or blank line on its own is not an instruction
            if words.is_empty() {
                return (words, i);
            }
        }
        let body = line.trim_end();
        let (body, more) = match body.strip_suffix(escape) {
            Some(b) => (b, true),
            None => (body, false),
        };
        words.extend(body.split_whitespace());
        if !more {
            break;
        }
        continued = true;
    }
    (words, i)
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"` -> `EOF`.
fn heredoc_delimiter(word: &str) -> Option<&str> {
    let rest = word.strip_prefix("<<")?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let rest = unquote(rest);
    (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(rest)
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

fn from<'a>(
    file: &SourceFile,
    instr: &str,
    args: &[&'a str],
    globals: &HashMap<&'a str, Option<&'a str>>,
    stages: &mut Vec<String>,
    out: &mut Extraction,
) {
    let mut words = args.iter().copied().skip_while(|w| w.starts_with("--"));
    let Some(image) = words.next() else {
        out.problem(parse_error(
            file.span_of(instr),
            "Dockerfile",
            "`FROM` needs an image",
        ));
        return;
    };
    let stage = match (words.next(), words.next()) {
        (Some(kw), Some(name)) if kw.eq_ignore_ascii_case("as") => Some(name.to_string()),
        _ => None,
    };
    let known = stages.clone();
    if let Some(s) = &stage {
        stages.push(s.clone());
    }
    self::image(
        file,
        image,
        globals,
        &known,
        ComponentKind::Runtime,
        stage,
        out,
    );
}

/// One image reference as written (`word`, a slice of the file): a component of `kind`
/// unless it names an earlier stage (or a stage index), `scratch`, or nothing.
fn image<'a>(
    file: &SourceFile,
    image: &'a str,
    globals: &HashMap<&'a str, Option<&'a str>>,
    stages: &[String],
    kind: ComponentKind,
    stage: Option<String>,
    out: &mut Extraction,
) {
    let base = file.span_of(image).start;
    let pieces = substitute(file, image, base, globals);
    let reference: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let is_stage = stages.iter().any(|s| s.eq_ignore_ascii_case(&reference))
        || (kind == ComponentKind::Tool && reference.bytes().all(|b| b.is_ascii_digit()));
    if is_stage || reference.eq_ignore_ascii_case("scratch") || reference.is_empty() {
        return;
    }
    let (name, tag) = split_image(&reference);
    let name_end = name.len();
    let whole = file.span_of(image);
    let name_span = match map_range(&pieces, 0, name_end) {
        Ok(Some((s, e))) => file.span(s, e),
        _ => whole,
    };
    let (version, span) = match tag {
        Some((from, to)) if to > from => match map_range(&pieces, from, to) {
            // the tag comes from an ARG without a default: unknown
            Err(()) => (None, name_span),
            Ok(mapped) => (
                Some(reference[from..to].to_string()),
                mapped
                    .or_else(|| first_part(&pieces, from, to))
                    .map(|(s, e)| file.span(s, e))
                    .unwrap_or(whole),
            ),
        },
        _ => (None, name_span),
    };
    let mut c = Component::new(
        kind,
        Ecosystem::Docker,
        &reference[..name_end],
        version,
        span,
    )
    .digest(image_ref::digest(&reference));
    c.group = stage;
    out.push(c);
}

/// A tag put together from several pieces (`${NODE_VERSION}-${DISTRO}`): blame the
/// part of the first piece it covers, which holds the version number a person edits.
fn first_part(pieces: &[Piece], from: usize, to: usize) -> Option<(usize, usize)> {
    let mut pos = 0;
    for p in pieces {
        let (p_from, p_to) = (pos, pos + p.text.len());
        pos = p_to;
        if p_to <= from || p_from >= to {
            continue;
        }
        let (a, b) = (from.max(p_from), to.min(p_to));
        return p.at.map(|at| (at + a - p_from, at + b - p_from));
    }
    None
}

/// Substitute `$NAME`, `${NAME}` and `${NAME:-word}` from global ARGs. A value keeps the
/// position of the ARG default it came from; a variable with no value stays as written
/// and is marked unresolved.
fn substitute(
    file: &SourceFile,
    word: &str,
    base: usize,
    globals: &HashMap<&str, Option<&str>>,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let bytes = word.as_bytes();
    let mut lit = 0;
    let mut i = 0;
    let literal = |pieces: &mut Vec<Piece>, from: usize, to: usize| {
        if to > from {
            pieces.push(Piece {
                text: word[from..to].to_string(),
                at: Some(base + from),
                unresolved: false,
            });
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        literal(&mut pieces, lit, i);
        let (name, default, end) = if bytes.get(i + 1) == Some(&b'{') {
            let close = word[i..].find('}').map(|c| i + c).unwrap_or(word.len());
            let inner = &word[(i + 2).min(close)..close];
            match inner.split_once(":-") {
                Some((n, d)) => {
                    let d_at = i + 2 + n.len() + 2;
                    (n, Some((d, d_at)), (close + 1).min(word.len()))
                }
                None => (inner, None, (close + 1).min(word.len())),
            }
        } else {
            let len = word[i + 1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(word.len() - i - 1);
            (&word[i + 1..i + 1 + len], None, i + 1 + len)
        };
        let value = globals
            .get(name)
            .copied()
            .flatten()
            .filter(|v| !v.is_empty());
        match (value, default) {
            (Some(v), _) => pieces.push(Piece {
                text: v.to_string(),
                at: Some(file.span_of(v).start),
                unresolved: false,
            }),
            (None, Some((d, d_at))) => pieces.push(Piece {
                text: d.to_string(),
                at: Some(base + d_at),
                unresolved: false,
            }),
            (None, None) => pieces.push(Piece {
                text: word[i..end].to_string(),
                at: Some(base + i),
                unresolved: !name.is_empty(),
            }),
        }
        i = end;
        lit = i;
    }
    literal(&mut pieces, lit, bytes.len());
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn wants_dockerfile_names_only() {
        for p in [
            "Dockerfile",
            "a/Dockerfile.dev",
            "api.Dockerfile",
            "Containerfile",
        ] {
            assert!(Dockerfile.wants(Path::new(p)), "{p}");
        }
        for p in [
            "dockerfile.txt",
            "Dockerfile.agentless.dockerignore",
            "api.Dockerfile.dockerignore",
            "Dockerfile.",
            ".Dockerfile",
            "Dockerfiles",
        ] {
            assert!(!Dockerfile.wants(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "dockerfile/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Dockerfile, "Dockerfile", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
