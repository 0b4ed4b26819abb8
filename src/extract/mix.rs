//! Elixir's Mix: `mix.exs` (the dependencies a project declares) and `mix.lock` (the
//! versions Hex resolved), as `package`s in ecosystem `hex` named by the dependency's
//! app name (`postgrex`, `myxql`, `redix`), so a lock entry links to its declaration.
//!
//! Owns a small tokenizer for the Elixir the two files use: strings (`"…"`, escapes),
//! atoms (`:name`, `name:` keywords), `#` comments, brackets. Every value is a slice of
//! the file. Must not: evaluate Elixir (module attributes such as `@version`, function
//! calls and `Mix.env()` conditions are not followed).
//!
//! - `mix.exs`: inside `def deps`/`defp deps`, each `{:app, "requirement"…}` tuple is a
//!   component, the requirement kept as written (`~> 0.17`) and blamed on it; a tuple
//!   without a requirement (`{:app, github: "…"}`, `path:`) is version `None`, blamed
//!   on the app name; `only: :test` or `only: [:dev, :test]` (without `:prod`) is `dev`.
//! - `mix.lock`: each `"app": {:hex, :package, "version", …}` entry is a lockfile
//!   component, blamed on the version. `:git` and `:path` entries pin a commit or a
//!   folder, not a version: no component.
//! - Text that does not tokenize (an unterminated string) is a `parse-error` there, as is
//!   a `mix.lock` that is not one `%{…}` map.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct MixExs;

pub struct MixLock;

impl Extractor for MixExs {
    fn name(&self) -> &'static str {
        "mix-exs"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["mix.exs", "apps/web/mix.exs"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "mix.exs"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(toks) = tokens(file, "mix.exs", out) else {
            return;
        };
        // the body of `def deps do … end` / `defp deps do … end` (or `, do: [...]`)
        let mut i = 0;
        while i + 1 < toks.len() {
            let is_deps =
                matches!(toks[i], Tok::Word("def" | "defp")) && toks[i + 1] == Tok::Word("deps");
            i += 1;
            if !is_deps {
                continue;
            }
            let end = block_end(&toks, i + 1);
            deps(file, &toks[i + 1..end], out);
            i = end;
        }
    }
}

impl Extractor for MixLock {
    fn name(&self) -> &'static str {
        "mix-lock"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["mix.lock", "apps/web/mix.lock"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "mix.lock"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(toks) = tokens(file, "mix.lock", out) else {
            return;
        };
        // a lockfile is one map literal: `%{ … }`
        if !toks.is_empty() && !matches!(toks[..], [Tok::Punct('%'), Tok::Punct('{'), ..]) {
            out.problem(parse_error(
                file.span(0, 0),
                "mix.lock",
                "expected a map `%{…}` of locked dependencies",
            ));
            return;
        }
        // `"app": {:hex, :package, "version", …}`: the key is a string followed by `:`
        for i in 0..toks.len() {
            if let [
                Tok::Str(app),
                Tok::Punct(':'),
                Tok::Punct('{'),
                Tok::Atom("hex"),
                Tok::Punct(','),
                Tok::Atom(_),
                Tok::Punct(','),
                Tok::Str(version),
                ..,
            ] = toks[i..]
            {
                out.push(
                    Component::new(
                        ComponentKind::Package,
                        Ecosystem::Hex,
                        app,
                        Some(version.to_string()),
                        file.span_of(version),
                    )
                    .lockfile(),
                );
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// The inside of a string literal (escapes kept as written).
    Str(&'a str),
    /// `:name` (the name), or a keyword key `name:` (reported as `Key`).
    Atom(&'a str),
    Key(&'a str),
    Word(&'a str),
    Punct(char),
}

/// How deep brackets may nest: real files nest a handful of levels.
const MAX_DEPTH: usize = 256;

/// The end (exclusive) of the block starting at `from`: after `do … end` (nested
/// `do`/`fn` … `end` counted) or a `, do: …` one-liner up to the next `def`.
fn block_end(toks: &[Tok<'_>], from: usize) -> usize {
    let mut depth = 0usize;
    for (j, t) in toks.iter().enumerate().skip(from) {
        match t {
            Tok::Word("do" | "fn") => depth += 1,
            Tok::Word("end") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j + 1;
                }
            }
            Tok::Word("def" | "defp") if depth == 0 => return j,
            _ => {}
        }
    }
    toks.len()
}

/// The `{:app, …}` tuples of a deps list.
fn deps(file: &SourceFile, toks: &[Tok<'_>], out: &mut Extraction) {
    for (i, t) in toks.iter().enumerate() {
        let (Tok::Punct('{'), Some(Tok::Atom(app))) = (t, toks.get(i + 1)) else {
            continue;
        };
        // the tuple's own tokens, up to its closing brace
        let mut depth = 0usize;
        let mut end = toks.len();
        for (j, x) in toks.iter().enumerate().skip(i) {
            match x {
                Tok::Punct('{' | '[' | '(') => depth = (depth + 1).min(MAX_DEPTH),
                Tok::Punct('}' | ']' | ')') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let tuple = &toks[i + 2..end.max(i + 2)];
        let requirement = match tuple {
            [Tok::Punct(','), Tok::Str(r), ..] => Some(*r),
            _ => None,
        };
        let dev = only_dev(tuple);
        let span = file.span_of(requirement.unwrap_or(app));
        out.push(
            Component::new(
                ComponentKind::Package,
                Ecosystem::Hex,
                *app,
                requirement.map(str::to_string),
                span,
            )
            .dev(dev),
        );
    }
}

/// `only: :test`, `only: [:dev, :test]`: a dependency for environments other than prod.
fn only_dev(tuple: &[Tok<'_>]) -> bool {
    let Some(at) = tuple.iter().position(|t| *t == Tok::Key("only")) else {
        return false;
    };
    let envs: Vec<&str> = match &tuple[at + 1..] {
        [Tok::Atom(e), ..] => vec![e],
        [Tok::Punct('['), rest @ ..] => rest
            .iter()
            .take_while(|t| **t != Tok::Punct(']'))
            .filter_map(|t| match t {
                Tok::Atom(e) => Some(*e),
                _ => None,
            })
            .collect(),
        _ => return false,
    };
    !envs.is_empty() && !envs.contains(&"prod")
}

/// Tokens of an Elixir file, or a `parse-error` at an unterminated string.
fn tokens<'a>(file: &'a SourceFile, format: &str, out: &mut Extraction) -> Option<Vec<Tok<'a>>> {
    let text = file.text.as_str();
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'?' || c == b'!';
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            // a character literal (`?"`, `?a`) is no string
            b'?' if i == 0 || !ident(b[i - 1]) => {
                i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8)
            }
            // a charlist `'…'` holds no version: skipped whole
            b'\'' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'\'' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if j >= b.len() {
                    return unterminated(file, format, i, out);
                }
                i = j + 1;
            }
            b'"' => {
                // a heredoc `"""` is text, never a version: skip it whole
                if text[i..].starts_with("\"\"\"") {
                    match text[i + 3..].find("\"\"\"") {
                        Some(j) => i += 3 + j + 3,
                        None => return unterminated(file, format, i, out),
                    }
                    continue;
                }
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if j >= b.len() {
                    return unterminated(file, format, i, out);
                }
                let s = &text[start..j];
                i = j + 1;
                // `"app": …` in mix.lock: a string key
                toks.push(Tok::Str(s));
            }
            b':' if b
                .get(i + 1)
                .is_some_and(|&n| ident(n) && !n.is_ascii_digit()) =>
            {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && ident(b[j]) {
                    j += 1;
                }
                toks.push(Tok::Atom(&text[start..j]));
                i = j;
            }
            _ if ident(c) => {
                let start = i;
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
                let word = &text[start..i];
                // `only: :test`: a keyword key is a word directly followed by `:` and a space
                if b.get(i) == Some(&b':') && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) {
                    toks.push(Tok::Key(word));
                    i += 1;
                } else {
                    toks.push(Tok::Word(word));
                }
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                toks.push(Tok::Punct(ch));
                i += ch.len_utf8();
            }
        }
    }
    Some(toks)
}

fn unterminated<T>(file: &SourceFile, format: &str, at: usize, out: &mut Extraction) -> Option<T> {
    out.problem(parse_error(
        file.span(at, at + 1),
        format,
        "unterminated string",
    ));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn exs_fixtures() {
        insta::glob!("../../fixtures/extract/mix-exs", "*.exs", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&MixExs, "mix.exs", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn lock_fixtures() {
        insta::glob!("../../fixtures/extract/mix-lock", "*.lock", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&MixLock, "mix.lock", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
