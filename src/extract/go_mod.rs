//! `go.mod`: the Go toolchain and the modules a Go module requires.
//!
//! Owns a small line parser for go.mod's grammar (directives, `( … )` blocks, `//`
//! comments, quoted paths) that keeps every token as a slice of the file, so spans come
//! from the parser. It does not resolve the module graph (no `go.sum`, no MVS): it reports
//! what this one file says.
//!
//! Choices, so rules can rely on them:
//! - `go 1.21` is the Go version the module *requires*: `runtime`/`go`/`go`, version as
//!   written (`1.21`), per the `ComponentKind` conventions.
//! - `toolchain go1.21.3` is the toolchain the module prefers to be built with:
//!   `tool`/`go`/`go`, version without the `go` prefix (`1.21.3`).
//! - `require` entries are `package`/`go` with the version verbatim (`v1.2.3`,
//!   pseudo-versions, `+incompatible` kept). `// indirect` entries are kept and marked
//!   with group `indirect` (they are still built, so still compatibility inputs).
//! - `replace` changes what is built: a required module replaced by another module
//!   becomes a component named after the replacement, with its version and the span of
//!   that version in the `replace` line. A replacement by a local directory gives a
//!   component named after the original module with version `None`, blamed on the
//!   directory path (the version of local code is unknown). A `replace` of a module that
//!   is not required (or of another version than the required one) changes nothing.
//! - `exclude`d module versions are not components; `retract`, `godebug`, `tool` and
//!   `ignore` are understood and produce nothing.
//!
//! A line that is not go.mod syntax is a `parse-error` at that line; the rest of the
//! file is still read.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct GoMod;

impl Extractor for GoMod {
    fn name(&self) -> &'static str {
        "go-mod"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Slash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["go.mod"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "go.mod"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let parsed = parse(&file.text);
        for (at, message) in parsed.errors {
            out.problem(parse_error(file.span_of(at), "go.mod", message));
        }
        if let Some(v) = parsed.go {
            out.push(Component::new(
                ComponentKind::Runtime,
                Ecosystem::Go,
                "go",
                Some(v.to_string()),
                file.span_of(v),
            ));
        }
        if let Some(t) = parsed.toolchain {
            let v = t.strip_prefix("go").unwrap_or(t);
            out.push(Component::new(
                ComponentKind::Tool,
                Ecosystem::Go,
                "go",
                Some(v.to_string()),
                file.span_of(v),
            ));
        }
        for req in &parsed.requires {
            if parsed
                .excludes
                .iter()
                .any(|(p, v)| *p == req.path && *v == req.version)
            {
                continue;
            }
            // the last matching replace wins, a version-specific one over a general one
            let replace = parsed
                .replaces
                .iter()
                .rev()
                .find(|r| r.old == req.path && r.old_version == Some(req.version))
                .or_else(|| {
                    parsed
                        .replaces
                        .iter()
                        .rev()
                        .find(|r| r.old == req.path && r.old_version.is_none())
                });
            let c = match replace {
                Some(Replace {
                    new,
                    new_version: Some(v),
                    ..
                }) => Component::new(
                    ComponentKind::Package,
                    Ecosystem::Go,
                    *new,
                    Some(v.to_string()),
                    file.span_of(v),
                ),
                Some(Replace {
                    new,
                    new_version: None,
                    ..
                }) => Component::new(
                    ComponentKind::Package,
                    Ecosystem::Go,
                    req.path,
                    None,
                    file.span_of(new),
                ),
                None => Component::new(
                    ComponentKind::Package,
                    Ecosystem::Go,
                    req.path,
                    Some(req.version.to_string()),
                    file.span_of(req.version),
                ),
            };
            out.push(if req.indirect { c.group("indirect") } else { c });
        }
    }
}

struct Require<'a> {
    path: &'a str,
    version: &'a str,
    indirect: bool,
}

struct Replace<'a> {
    old: &'a str,
    old_version: Option<&'a str>,
    new: &'a str,
    new_version: Option<&'a str>,
}

#[derive(Default)]
struct GoModFile<'a> {
    go: Option<&'a str>,
    toolchain: Option<&'a str>,
    requires: Vec<Require<'a>>,
    replaces: Vec<Replace<'a>>,
    excludes: Vec<(&'a str, &'a str)>,
    /// (where, message): `where` is a slice of the text to blame.
    errors: Vec<(&'a str, String)>,
}

const DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "replace",
    "exclude",
    "retract",
    "tool",
    "ignore",
];

fn parse(text: &str) -> GoModFile<'_> {
    let mut f = GoModFile::default();
    // the verb of the `( … )` block we are in, if any
    let mut block: Option<&str> = None;
    let mut unknown_seen = false;
    for line in text.lines() {
        let (code, comment) = match line.find("//") {
            Some(i) => (&line[..i], Some(line[i + 2..].trim())),
            None => (line, None),
        };
        let tokens: Vec<&str> = code.split_whitespace().collect();
        if tokens.is_empty() {
            continue;
        }
        if let Some(verb) = block {
            if tokens == [")"] {
                block = None;
            } else {
                entry(&mut f, verb, &tokens, comment, line);
            }
            continue;
        }
        let verb = tokens[0];
        if !DIRECTIVES.contains(&verb) {
            // one error per file is enough: a file that is not go.mod at all would
            // otherwise report every line
            if !unknown_seen {
                unknown_seen = true;
                f.errors.push((verb, format!("unknown directive `{verb}`")));
            }
            continue;
        }
        match &tokens[1..] {
            ["("] => block = Some(verb),
            ["(", ")"] | ["()"] => {}
            rest => entry(&mut f, verb, rest, comment, line),
        }
    }
    if block.is_some() {
        let end = &text[text.len()..];
        f.errors
            .push((end, "unterminated block: missing `)`".into()));
    }
    f
}

/// One directive's arguments (on its own line or inside a block).
fn entry<'a>(
    f: &mut GoModFile<'a>,
    verb: &str,
    args: &[&'a str],
    comment: Option<&str>,
    line: &'a str,
) {
    let args: Vec<&'a str> = args.iter().map(|a| unquote(a)).collect();
    let bad = |f: &mut GoModFile<'a>, what: &str| {
        let at = args.first().copied().unwrap_or(line.trim());
        f.errors
            .push((at, format!("malformed `{verb}` line: {what}")));
    };
    match verb {
        "go" => match args.as_slice() {
            [v] => f.go = Some(v),
            _ => bad(f, "expected `go <version>`"),
        },
        "toolchain" => match args.as_slice() {
            [v] => f.toolchain = Some(v),
            _ => bad(f, "expected `toolchain <name>`"),
        },
        "require" => match args.as_slice() {
            [path, version] => f.requires.push(Require {
                path,
                version,
                indirect: comment.is_some_and(|c| c == "indirect" || c.starts_with("indirect;")),
            }),
            _ => bad(f, "expected `<module> <version>`"),
        },
        "exclude" => match args.as_slice() {
            [path, version] => f.excludes.push((path, version)),
            _ => bad(f, "expected `<module> <version>`"),
        },
        "replace" => {
            let Some(arrow) = args.iter().position(|a| *a == "=>") else {
                return bad(f, "expected `=>`");
            };
            let (old, new) = (&args[..arrow], &args[arrow + 1..]);
            let (old, old_version) = match old {
                [p] => (*p, None),
                [p, v] => (*p, Some(*v)),
                _ => return bad(f, "expected `<module> [version] =>`"),
            };
            let (new, new_version) = match new {
                [p] if is_local_path(p) => (*p, None),
                [p, v] if !is_local_path(p) => (*p, Some(*v)),
                _ => return bad(f, "expected `=> <module> <version>` or `=> <directory>`"),
            };
            f.replaces.push(Replace {
                old,
                old_version,
                new,
                new_version,
            });
        }
        // module, godebug, retract, tool, ignore: nothing to report
        _ => {}
    }
}

/// Go's rule: a replacement path starting with `./`, `../` or `/` is a directory.
fn is_local_path(p: &str) -> bool {
    p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p == "."
        || p == ".."
        || p.starts_with(".\\")
        || p.starts_with("..\\")
}

/// Strip one pair of `"…"` or `` `…` `` quotes, keeping the slice inside the file.
fn unquote(s: &str) -> &str {
    for q in ['"', '`'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/go-mod", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&GoMod, "go.mod", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
