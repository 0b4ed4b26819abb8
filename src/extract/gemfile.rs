//! `Gemfile` (also `gems.rb`): the gems and the Ruby a Bundler project declares.
//!
//! A Gemfile is Ruby code; this module reads only its declarative core with a small
//! tokenizer over each statement (string and symbol literals, `key:` arguments, `#`
//! comments, trailing-comma continuation lines) and never evaluates anything. Tokens
//! are slices of the file, so spans come from the tokenizer.
//!
//! Understood: `gem "name", "req", "req", key: value…` (also `gem(...)`), `group :a, :b
//! do … end` blocks and `group:`/`groups:` arguments, other `do … end` blocks
//! (`platforms`, `source`, `git`, `path`) and `if`/`unless` blocks (their gems count,
//! the condition is not evaluated), and `ruby "3.2.2"`.
//! Not understood (no component, no error): gem names or versions computed at run
//! time (`gem name`, `"#{v}"` interpolation is kept as written), `eval_gemfile`,
//! `gemspec` (the gemspec is another file), `ruby file: ".ruby-version"`.
//!
//! Choices, so rules can rely on them:
//! - A gem is `package`/`rubygems`; its version is the requirement strings joined with
//!   `, ` (`~> 1.2, >= 1.2.3`), blamed on the span from the first to the last of them
//!   (quotes excluded); with none, version `None` blamed on the name.
//! - A gem whose groups are all `development`/`test` is `dev`; the group names are the
//!   component's group (`development,test`).
//! - `ruby "3.2.2"` is the Ruby the application runs on (Bundler refuses another):
//!   `runtime`/`runtime`/`ruby`, the same identity as `.ruby-version` and as
//!   Gemfile.lock's `RUBY VERSION`, which the scanner links to it.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct Gemfile;

impl Extractor for Gemfile {
    fn name(&self) -> &'static str {
        "gemfile"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["Gemfile"]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(file_name(path), "Gemfile" | "gems.rb")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        // one entry per open block: the groups it adds (empty for non-group blocks)
        let mut blocks: Vec<Vec<&str>> = Vec::new();
        let mut toks: Vec<Tok> = Vec::new();
        for line in file.text.lines() {
            toks.extend(tokens(line));
            // a statement continues on the next line after a trailing `,` or `(`
            if matches!(toks.last(), Some(Tok::Punct(',' | '('))) {
                continue;
            }
            let stmt = std::mem::take(&mut toks);
            statement(file, &stmt, &mut blocks, out);
        }
        if !toks.is_empty() {
            statement(file, &toks, &mut blocks, out);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// The inside of a string literal.
    Str(&'a str),
    /// `:name` (also the words of `%i[...]`).
    Sym(&'a str),
    /// `name:` in an argument list.
    Key(&'a str),
    Word(&'a str),
    Punct(char),
}

const BLOCK_KEYWORDS: &[&str] = &[
    "if", "unless", "case", "begin", "while", "until", "def", "class", "module",
];

fn statement<'a>(
    file: &SourceFile,
    toks: &[Tok<'a>],
    blocks: &mut Vec<Vec<&'a str>>,
    out: &mut Extraction,
) {
    let Some(Tok::Word(first)) = toks.first() else {
        return;
    };
    let opens_block = toks.contains(&Tok::Word("do"));
    match *first {
        "end" => {
            blocks.pop();
            return;
        }
        "gem" => gem(file, &toks[1..], blocks, out),
        "ruby" => {
            let args: Vec<&Tok> = toks[1..]
                .iter()
                .filter(|t| **t != Tok::Punct('('))
                .collect();
            if let Some(Tok::Str(v)) = args.first() {
                out.push(Component::new(
                    ComponentKind::Runtime,
                    Ecosystem::Runtime,
                    "ruby",
                    Some(v.to_string()),
                    file.span_of(v),
                ));
            }
        }
        "group" if opens_block => {
            let groups = toks[1..]
                .iter()
                .take_while(|t| **t != Tok::Word("do"))
                .filter_map(|t| match t {
                    Tok::Sym(s) | Tok::Str(s) => Some(*s),
                    _ => None,
                })
                .collect();
            blocks.push(groups);
            return;
        }
        w if BLOCK_KEYWORDS.contains(&w) => {
            blocks.push(Vec::new());
            return;
        }
        _ => {}
    }
    if opens_block {
        blocks.push(Vec::new());
    }
}

fn gem<'a>(file: &SourceFile, args: &[Tok<'a>], blocks: &[Vec<&'a str>], out: &mut Extraction) {
    let mut args = args.iter().copied().peekable();
    if args.peek() == Some(&Tok::Punct('(')) {
        args.next();
    }
    let Some(Tok::Str(name)) = args.next() else {
        return; // a computed name: nothing to report
    };
    let mut reqs: Vec<&str> = Vec::new();
    let mut groups: Vec<&str> = blocks.iter().flatten().copied().collect();
    let mut key: Option<&str> = None;
    for t in args {
        match t {
            Tok::Word("if" | "unless") => break,
            Tok::Key(k) => key = Some(k),
            Tok::Str(s) if key.is_none() => reqs.push(s),
            Tok::Sym(s) | Tok::Str(s) if matches!(key, Some("group" | "groups")) => groups.push(s),
            _ => {}
        }
    }
    let (version, span) = match (reqs.first(), reqs.last()) {
        (Some(a), Some(b)) => {
            let (a, b) = (file.span_of(a), file.span_of(b));
            (Some(reqs.join(", ")), file.span(a.start, b.end))
        }
        _ => (None, file.span_of(name)),
    };
    let mut c = Component::new(
        ComponentKind::Package,
        Ecosystem::RubyGems,
        name,
        version,
        span,
    );
    if !groups.is_empty() {
        groups.dedup();
        c = c
            .dev(groups.iter().all(|g| matches!(*g, "development" | "test")))
            .group(groups.join(","));
    }
    out.push(c);
}

/// Tokens of one line; stops at a `#` comment outside strings.
fn tokens(line: &str) -> Vec<Tok<'_>> {
    let b = line.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'?' || c == b'!';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => break,
            b'"' | b'\'' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != c {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                out.push(Tok::Str(&line[start..end]));
                i = end + 1;
            }
            b':' if b.get(i + 1).is_some_and(|&n| ident(n)) => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && ident(b[j]) {
                    j += 1;
                }
                out.push(Tok::Sym(&line[start..j]));
                i = j;
            }
            b'%' if matches!(b.get(i + 1), Some(b'i' | b'w'))
                && matches!(b.get(i + 2), Some(b'[' | b'(')) =>
            {
                let close = if b[i + 2] == b'[' { b']' } else { b')' };
                let mut j = i + 3;
                while j < b.len() && b[j] != close {
                    if ident(b[j]) {
                        let s = j;
                        while j < b.len() && ident(b[j]) {
                            j += 1;
                        }
                        out.push(Tok::Sym(&line[s..j]));
                    } else {
                        j += 1;
                    }
                }
                i = j + 1;
            }
            _ if ident(c) => {
                let start = i;
                let mut j = i;
                while j < b.len() && ident(b[j]) {
                    j += 1;
                }
                let word = &line[start..j];
                if b.get(j) == Some(&b':') && b.get(j + 1) != Some(&b':') {
                    out.push(Tok::Key(word));
                    i = j + 1;
                } else {
                    out.push(Tok::Word(word));
                    i = j;
                }
            }
            _ => {
                // a multi-byte character is one punctuation token
                let ch = line[i..].chars().next().unwrap_or(' ');
                out.push(Tok::Punct(ch));
                i += ch.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/gemfile", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Gemfile, "Gemfile", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
