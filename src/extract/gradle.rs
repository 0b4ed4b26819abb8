//! Gradle build scripts (`build.gradle`, `build.gradle.kts`): the Maven artifacts
//! declared in their common declarative forms.
//!
//! A build script is a program (Groovy or Kotlin); this module reads only single-line
//! declarations with a small tokenizer (string literals, words, `//` and `/* */`
//! comments), never evaluates anything, and keeps every literal as a slice of the file.
//!
//! Understood:
//! - `conf 'g:a:v'`, `conf "g:a:v"`, `conf("g:a:v")`, with `platform(…)`/
//!   `enforcedPlatform(…)` around the string, a classifier (`g:a:v:jdk8`) or `@ext`;
//! - map/named forms: `conf group: 'g', name: 'a', version: 'v'` and
//!   `conf(group = "g", name = "a", version = "v")`;
//! - `conf` is any configuration: the standard ones (`implementation`, `api`,
//!   `compileOnly`, `runtimeOnly`, `annotationProcessor`, `kapt`, `classpath`, the old
//!   `compile`/`runtime`) and any `…Implementation`/`…Api`/`…CompileOnly`/`…RuntimeOnly`;
//!   test ones (`test…`, `androidTest…`, `integrationTest…`) are `dev`; `classpath`
//!   (buildscript plugins) is `tool`, the rest `package`, all in `maven`;
//! - versions that are `$name`/`${name}` string properties of the same file
//!   (`ext.name = '…'`, `name = '…'` in an `ext { }` block, `def`/`val`/`var name = "…"`,
//!   `extra["name"] = "…"`, `set("name", "…")`): blamed on the property's value.
//!
//! Not understood (no component, no error): declarations split over several lines,
//! version-catalog accessors (`libs.foo`: the catalog extractor reports those),
//! `gradle.properties` values (another file), `project(…)`/`files(…)`, rich version
//! blocks (`version { strictly … }`), plugin `id(…) version …` lines. A version
//! property that cannot be resolved gives version `None`, blamed on the version text.

use std::collections::HashMap;
use std::path::Path;

use super::gradle_lockfile::is_test_configuration;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::{SourceFile, Span};

pub struct GradleBuild;

impl Extractor for GradleBuild {
    fn name(&self) -> &'static str {
        "gradle"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["build.gradle", "app/build.gradle.kts"]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(file_name(path), "build.gradle" | "build.gradle.kts")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let mut in_comment = false;
        let lines: Vec<Vec<Tok>> = file
            .text
            .lines()
            .map(|l| tokens(l, &mut in_comment))
            .collect();
        let mut props: HashMap<&str, &str> = HashMap::new();
        for t in &lines {
            if let Some((name, value)) = property(t) {
                props.insert(name, value);
            }
        }
        for t in &lines {
            if let Some(c) = dependency(file, t, &props) {
                out.push(c);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    /// The inside of a string literal; `true` when double-quoted (interpolating).
    Str(&'a str, bool),
    Word(&'a str),
    Punct(char),
}

const CONFIGURATIONS: &[&str] = &[
    "implementation",
    "api",
    "compileOnly",
    "runtimeOnly",
    "annotationProcessor",
    "kapt",
    "ksp",
    "classpath",
    "compile",
    "runtime",
    "testCompile",
    "testRuntime",
    "developmentOnly",
    "compileOnlyApi",
];

fn is_configuration(w: &str) -> bool {
    CONFIGURATIONS.contains(&w)
        || [
            "Implementation",
            "Api",
            "CompileOnly",
            "RuntimeOnly",
            "AnnotationProcessor",
        ]
        .iter()
        .any(|s| w.len() > s.len() && w.ends_with(s))
}

/// A string property definition: `(name, value)`.
fn property<'a>(t: &[Tok<'a>]) -> Option<(&'a str, &'a str)> {
    use Tok::*;
    match t {
        [Word("def" | "val" | "var"), Word(n), Punct('='), Str(v, _)]
        | [Word("ext"), Punct('.'), Word(n), Punct('='), Str(v, _)]
        | [Word(n), Punct('='), Str(v, _)]
        | [
            Word("extra"),
            Punct('['),
            Str(n, _),
            Punct(']'),
            Punct('='),
            Str(v, _),
        ]
        | [
            Word("set"),
            Punct('('),
            Str(n, _),
            Punct(','),
            Str(v, _),
            Punct(')'),
        ] => Some((n, v)),
        [Word("const"), Word("val"), Word(n), Punct('='), Str(v, _)] => Some((n, v)),
        _ => None,
    }
}

fn dependency(file: &SourceFile, t: &[Tok<'_>], props: &HashMap<&str, &str>) -> Option<Component> {
    let Some(Tok::Word(conf)) = t.first() else {
        return None;
    };
    if !is_configuration(conf) {
        return None;
    }
    // the map/named form: `group: 'g', name: 'a', version: 'v'` / `group = "g", …`
    let mut keyed: HashMap<&str, (&str, bool)> = HashMap::new();
    for w in t.windows(3) {
        if let [Tok::Word(k), Tok::Punct(':' | '='), Tok::Str(v, dq)] = w {
            keyed.insert(k, (v, *dq));
        }
    }
    let (name, version, name_slice) =
        if let (Some((g, _)), Some((a, _))) = (keyed.get("group"), keyed.get("name")) {
            (format!("{g}:{a}"), keyed.get("version").copied(), *a)
        } else {
            let (s, dq) = t.iter().find_map(|x| match x {
                Tok::Str(s, dq) if s.contains(':') => Some((*s, *dq)),
                _ => None,
            })?;
            let mut parts = s.splitn(4, ':');
            let (g, a) = (parts.next()?, parts.next()?);
            if g.is_empty() || a.is_empty() || g.contains(char::is_whitespace) {
                return None;
            }
            let a = a.split('@').next().unwrap_or(a);
            let v = parts
                .next()
                .map(|v| v.split('@').next().unwrap_or(v))
                .filter(|v| !v.is_empty());
            (format!("{g}:{a}"), v.map(|v| (v, dq)), s)
        };
    let (version, span) = match version {
        Some((v, dq)) => resolve(file, v, dq, props),
        None => (None, file.span_of(name_slice)),
    };
    let kind = if *conf == "classpath" {
        ComponentKind::Tool
    } else {
        ComponentKind::Package
    };
    Some(
        Component::new(kind, Ecosystem::Maven, name, version, span)
            .dev(is_test_configuration(conf)),
    )
}

/// A version as written, with `$name`/`${name}` resolved when the string interpolates.
fn resolve(
    file: &SourceFile,
    v: &str,
    interpolates: bool,
    props: &HashMap<&str, &str>,
) -> (Option<String>, Span) {
    let own = file.span_of(v);
    if !v.contains('$') {
        return (Some(v.to_string()), own);
    }
    if !interpolates {
        // Groovy does not interpolate single quotes: `'$x'` is no version at all
        return (None, own);
    }
    let single = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))
        .filter(|n| {
            n.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        });
    if let Some(name) = single {
        return match props.get(name) {
            Some(value) => (Some(value.to_string()), file.span_of(value)),
            None => (None, own),
        };
    }
    (None, own)
}

/// Tokens of one line. `in_comment` carries a `/* … */` comment across lines.
fn tokens<'a>(line: &'a str, in_comment: &mut bool) -> Vec<Tok<'a>> {
    let b = line.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if *in_comment {
            match line[i..].find("*/") {
                Some(j) => {
                    *in_comment = false;
                    i += j + 2;
                    continue;
                }
                None => break,
            }
        }
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => break,
            b'/' if b.get(i + 1) == Some(&b'*') => {
                *in_comment = true;
                i += 2;
            }
            b'"' | b'\'' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != c {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(b.len());
                out.push(Tok::Str(&line[start..end], c == b'"'));
                i = end + 1;
            }
            _ if ident(c) => {
                let start = i;
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
                out.push(Tok::Word(&line[start..i]));
            }
            _ => {
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
        insta::glob!("../../fixtures/extract/gradle", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let kts = path.to_str().unwrap().ends_with(".kts");
            let rel = if kts {
                "build.gradle.kts"
            } else {
                "build.gradle"
            };
            let (file, out) = run(&GradleBuild, rel, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
