//! Gradle build and settings scripts (`build.gradle`, `build.gradle.kts`,
//! `settings.gradle`, `settings.gradle.kts`): the Maven artifacts, plugins and Java
//! toolchains declared in their common declarative forms.
//!
//! A build script is a program (Groovy or Kotlin); this module reads declarations with a
//! small tokenizer (string literals, words, `//` and `/* */` comments), never evaluates
//! anything, and keeps every literal as a slice of the file.
//!
//! Understood:
//! - `conf 'g:a:v'`, `conf "g:a:v"`, `conf("g:a:v")`, with `platform(…)`/
//!   `enforcedPlatform(…)` around the string, a classifier (`g:a:v:jdk8`) or `@ext`;
//!   several coordinates in one declaration (`conf 'a:b:1', 'c:d:2'`), continued over
//!   lines after a trailing comma or inside open parentheses;
//! - map/named forms: `conf group: 'g', name: 'a', version: 'v'` and
//!   `conf(group = "g", name = "a", version = "v")`;
//! - `conf` is any configuration: the standard ones (`implementation`, `api`,
//!   `compileOnly`, `runtimeOnly`, `annotationProcessor`, `kapt`, `classpath`, the old
//!   `compile`/`runtime`) and any `…Implementation`/`…Api`/`…CompileOnly`/`…RuntimeOnly`;
//!   directly inside a `dependencies { }` block any configuration name followed by a
//!   string or `(` counts too (`checkstyle "…"`, `jmh "…"`, custom configurations);
//!   test ones (`test…`, `androidTest…`, `integrationTest…`) are `dev`; `classpath`
//!   (buildscript plugins) is `tool`, the rest `package`, all in `maven`; the protobuf
//!   plugin's `artifact = "g:a:v"` (protoc and its code generators) is a `tool` too;
//! - in a `plugins { }` block, `id 'x' version 'v'`, `id("x") version "v"` and Kotlin's
//!   `kotlin("jvm") version "v"` (the plugin `org.jetbrains.kotlin.jvm`): a `tool` in
//!   `maven` named by the plugin's marker artifact `x:x.gradle.plugin`, the coordinate
//!   Gradle resolves a plugin id to ("Plugin Marker Artifacts", Gradle user manual);
//!   a plugin without a version (core plugins, versions set elsewhere) is no component;
//! - Java toolchains, `JavaLanguageVersion.of(17)` and the Kotlin plugin's
//!   `jvmToolchain(17)`: the `java` runtime (ecosystem `runtime`) the build runs on;
//! - versions that are `$name`/`${name}` string properties of the same file
//!   (`ext.name = '…'`, `name = '…'` in an `ext { }` block, `def`/`val`/`var name = "…"`,
//!   `extra["name"] = "…"`, `set("name", "…")`, `val name by extra("…")`): blamed on the
//!   property's value. A property the file does not define is looked up by the scanner
//!   ([`Inherit::GradleProperty`]) in `gradle.properties` files and enclosing projects'
//!   `ext` properties, which this file offers ([`Inheritable::GradleProperties`]) in
//!   turn; `project.`/`rootProject.`/`ext.` before the name are the same lookup.
//!
//! Not understood (no component, no error): version-catalog accessors (`libs.foo`: the
//! catalog extractor reports those), `project(…)`/`files(…)`, rich version blocks
//! (`version { strictly … }`), map-valued properties (`ext.versions = [a: '1']`),
//! versions mixing text and properties (`"${v}-SNAPSHOT"`: version `None`, blamed on the
//! text), `sourceCompatibility` (a language level, not the runtime). Single-quoted Groovy
//! strings do not interpolate: `'$x'` is version `None`.

use std::collections::HashMap;
use std::path::Path;

use super::gradle_lockfile::is_test_configuration;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Inherit, Inheritable};
use crate::source::{SourceFile, Span};

pub struct GradleBuild;

impl Extractor for GradleBuild {
    fn name(&self) -> &'static str {
        "gradle"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Slash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "build.gradle",
            "app/build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts"
        )
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let mut in_comment = false;
        let lines: Vec<Vec<Tok>> = file
            .text
            .lines()
            .map(|l| tokens(l, &mut in_comment))
            .collect();
        let blocks = innermost_blocks(&lines);
        let mut props: HashMap<&str, &str> = HashMap::new();
        let mut offered = Vec::new();
        for (t, block) in lines.iter().zip(&blocks) {
            if let Some(p) = property(t, block) {
                props.insert(p.name, p.value);
                if p.shared {
                    offered.push((
                        p.name.to_string(),
                        p.value.to_string(),
                        file.span_of(p.value),
                    ));
                }
            }
        }
        // a settings script's `ext` belongs to the settings, not to the projects
        let settings = file_name(Path::new(&file.path)).starts_with("settings.");
        if !offered.is_empty() && !settings {
            out.inheritable.push(Inheritable::GradleProperties(offered));
        }
        let mut i = 0;
        while i < lines.len() {
            let end = statement_end(&lines, i);
            let stmt: Vec<Tok> = lines[i..end].iter().flatten().copied().collect();
            let in_plugins = blocks[i] == "plugins"
                || stmt
                    .windows(2)
                    .any(|w| w == [Tok::Word("plugins"), Tok::Punct('{')]);
            if in_plugins {
                plugins(file, &stmt, &props, out);
            } else {
                dependencies(file, &stmt, blocks[i] == "dependencies", &props, out);
            }
            toolchains(file, &stmt, out);
            i = end;
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

/// Calls that take a coordinate-looking string in a `dependencies { }` block but declare
/// nothing (`exclude "g:a"` of a module-wide rule, a log line).
const NOT_CONFIGURATIONS: &[&str] = &["exclude", "println", "print", "logger", "error", "require"];

/// How many lines one declaration may be continued over: real lists are short, and a
/// parenthesis that never closes must not swallow the rest of the file.
const MAX_CONTINUATION: usize = 50;

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

/// The name of the innermost `name {` block open at the start of each line (`""` at the
/// top level or in an unnamed block such as `configure(…) {`).
fn innermost_blocks<'a>(lines: &[Vec<Tok<'a>>]) -> Vec<&'a str> {
    let mut stack: Vec<&'a str> = Vec::new();
    let mut out = Vec::with_capacity(lines.len());
    for t in lines {
        out.push(stack.last().copied().unwrap_or(""));
        for (j, tok) in t.iter().enumerate() {
            match tok {
                Tok::Punct('{') => stack.push(match j.checked_sub(1).map(|p| t[p]) {
                    Some(Tok::Word(w)) => w,
                    _ => "",
                }),
                Tok::Punct('}') => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
    out
}

/// Where the declaration starting at line `i` ends (exclusive): a dependency or plugin
/// line goes on after a trailing comma or while a parenthesis is open, up to the next
/// line that starts another declaration.
fn statement_end(lines: &[Vec<Tok<'_>>], i: usize) -> usize {
    let starts = |t: &[Tok<'_>]| match t.first() {
        Some(Tok::Word(w)) => is_configuration(w) || matches!(*w, "id" | "kotlin"),
        _ => false,
    };
    if !starts(&lines[i]) {
        return i + 1;
    }
    let balance = |t: &[Tok<'_>]| {
        t.iter().fold(0i64, |d, x| match x {
            Tok::Punct('(') => d + 1,
            Tok::Punct(')') => d - 1,
            _ => d,
        })
    };
    let mut depth = balance(&lines[i]);
    let mut j = i;
    while j + 1 < lines.len()
        && j - i < MAX_CONTINUATION
        && (depth > 0 || lines[j].last() == Some(&Tok::Punct(',')))
        && !starts(&lines[j + 1])
    {
        j += 1;
        depth += balance(&lines[j]);
    }
    j + 1
}

/// A string property definition.
struct Property<'a> {
    name: &'a str,
    value: &'a str,
    /// An `ext`/`extra` property, visible to the projects below (not a local variable).
    shared: bool,
}

fn property<'a>(t: &[Tok<'a>], block: &str) -> Option<Property<'a>> {
    use Tok::*;
    let in_ext = matches!(block, "ext" | "extra" | "apply");
    let (name, value, shared) = match t {
        [Word("def" | "val" | "var"), Word(n), Punct('='), Str(v, _)]
        | [Word("const"), Word("val"), Word(n), Punct('='), Str(v, _)] => (*n, *v, false),
        [Word("ext"), Punct('.'), Word(n), Punct('='), Str(v, _)]
        | [
            Word("extra"),
            Punct('['),
            Str(n, _),
            Punct(']'),
            Punct('='),
            Str(v, _),
        ]
        | [
            Word("val"),
            Word(n),
            Word("by"),
            Word("extra"),
            Punct('('),
            Str(v, _),
            Punct(')'),
        ] => (*n, *v, true),
        [Word(n), Punct('='), Str(v, _)] => (*n, *v, in_ext),
        [
            ..,
            Word("set"),
            Punct('('),
            Str(n, _),
            Punct(','),
            Str(v, _),
            Punct(')'),
        ] => {
            let prefix = &t[..t.len() - 6];
            let ext_prefix = matches!(
                prefix,
                [Word("ext" | "extra"), Punct('.')]
                    | [
                        Word("project" | "rootProject"),
                        Punct('.'),
                        Word("ext" | "extra"),
                        Punct('.')
                    ]
            );
            if !(prefix.is_empty() || ext_prefix) {
                return None;
            }
            (*n, *v, in_ext || ext_prefix)
        }
        _ => return None,
    };
    Some(Property {
        name,
        value,
        shared,
    })
}

/// The dependencies one declaration names: several coordinates, or one map form.
fn dependencies(
    file: &SourceFile,
    t: &[Tok<'_>],
    in_dependencies: bool,
    props: &HashMap<&str, &str>,
    out: &mut Extraction,
) {
    let Some(Tok::Word(conf)) = t.first() else {
        return;
    };
    // `artifact = "g:a:v"` in the protobuf plugin's `protoc { }` and `plugins { }`
    // blocks: the code generator the build downloads and runs, a `tool`
    let artifact =
        *conf == "artifact" && matches!(t, [_, Tok::Punct('='), Tok::Str(..)] | [_, Tok::Str(..)]);
    // directly in a `dependencies { }` block any configuration counts (`checkstyle`,
    // `jmh`, a custom one); elsewhere only the known names do
    let custom = in_dependencies
        && conf.starts_with(|c: char| c.is_ascii_lowercase())
        && !NOT_CONFIGURATIONS.contains(conf)
        && matches!(t.get(1), Some(Tok::Str(..) | Tok::Punct('(')));
    if !(is_configuration(conf) || custom || artifact) {
        return;
    }
    // a closure after the coordinates configures them (`{ exclude … }`): not coordinates
    let t = match t.iter().position(|x| *x == Tok::Punct('{')) {
        Some(end) => &t[..end],
        None => t,
    };
    let kind = if *conf == "classpath" || artifact {
        ComponentKind::Tool
    } else {
        ComponentKind::Package
    };
    let dev = is_test_configuration(conf);
    let mut push = |name: String, version: Option<(&str, bool)>, name_slice: &str| {
        let (version, span, inherit) = match version {
            Some((v, dq)) => resolve(file, v, dq, props),
            None => (None, file.span_of(name_slice), None),
        };
        out.push(
            Component::new(kind, Ecosystem::Maven, name, version, span)
                .dev(dev)
                .inherit(inherit),
        );
    };
    // the map/named form: `group: 'g', name: 'a', version: 'v'` / `group = "g", …`
    let mut keyed: HashMap<&str, (&str, bool)> = HashMap::new();
    for w in t.windows(3) {
        if let [Tok::Word(k), Tok::Punct(':' | '='), Tok::Str(v, dq)] = w {
            keyed.insert(k, (v, *dq));
        }
    }
    if let (Some((g, _)), Some((a, _))) = (keyed.get("group"), keyed.get("name")) {
        push(format!("{g}:{a}"), keyed.get("version").copied(), a);
        return;
    }
    for x in t {
        let Tok::Str(s, dq) = x else { continue };
        let mut parts = s.splitn(4, ':');
        let (Some(g), Some(a)) = (parts.next(), parts.next()) else {
            continue;
        };
        let bad = |p: &str| p.is_empty() || p.contains(|c: char| c.is_whitespace() || c == '/');
        if bad(g) || bad(a) {
            continue;
        }
        let a = a.split('@').next().unwrap_or(a);
        let v = parts
            .next()
            .map(|v| v.split('@').next().unwrap_or(v))
            .filter(|v| !v.is_empty());
        push(format!("{g}:{a}"), v.map(|v| (v, *dq)), s);
    }
}

/// `id 'x' version 'v'`, `id("x") version "v"`, `kotlin("jvm") version "v"` in a
/// `plugins { }` block (several may share a line).
fn plugins(file: &SourceFile, t: &[Tok<'_>], props: &HashMap<&str, &str>, out: &mut Extraction) {
    use Tok::*;
    let mut i = 0;
    while i < t.len() {
        let (kotlin, rest) = match t[i] {
            Word("id") => (false, &t[i + 1..]),
            Word("kotlin") => (true, &t[i + 1..]),
            _ => {
                i += 1;
                continue;
            }
        };
        i += 1;
        // the id: `'x'` or `("x")`
        let (id, rest) = match rest {
            [Str(id, _), rest @ ..] => (*id, rest),
            [Punct('('), Str(id, _), Punct(')'), rest @ ..] => (*id, rest),
            _ => continue,
        };
        // the version: ` version 'v'`, ` version("v")` or `.version("v")`
        let rest = rest.strip_prefix(&[Punct('.')]).unwrap_or(rest);
        let version = match rest {
            [Word("version"), Str(v, dq), ..]
            | [Word("version"), Punct('('), Str(v, dq), Punct(')'), ..] => Version::Text(v, *dq),
            // Kotlin: `version kotlinVersion`, a variable
            [Word("version"), Word(v), ..]
            | [Word("version"), Punct('('), Word(v), Punct(')'), ..]
                if v.starts_with(|c: char| c.is_alphabetic() || c == '_') =>
            {
                Version::Variable(v)
            }
            _ => continue,
        };
        if id.is_empty() || id.contains(|c: char| c.is_whitespace() || c == ':' || c == '$') {
            continue;
        }
        let id = if kotlin {
            format!("org.jetbrains.kotlin.{id}")
        } else {
            id.to_string()
        };
        let (version, span, inherit) = match version {
            Version::Text(v, dq) => resolve(file, v, dq, props),
            Version::Variable(name) => lookup(file, name, name, props),
        };
        out.push(
            Component::new(
                ComponentKind::Tool,
                Ecosystem::Maven,
                format!("{id}:{id}.gradle.plugin"),
                version,
                span,
            )
            .inherit(inherit),
        );
    }
}

/// A plugin's version: a string literal (interpolating or not) or a Kotlin variable.
enum Version<'a> {
    Text(&'a str, bool),
    Variable(&'a str),
}

/// `JavaLanguageVersion.of(17)` (also `of("17")`) and `jvmToolchain(17)`.
fn toolchains<'a>(file: &SourceFile, t: &[Tok<'a>], out: &mut Extraction) {
    use Tok::*;
    let number = |x: &Tok<'a>| -> Option<&'a str> {
        match *x {
            Word(n) | Str(n, _) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                Some(n)
            }
            _ => None,
        }
    };
    for (i, x) in t.iter().enumerate() {
        let found = match (x, &t[i + 1..]) {
            (
                Word("JavaLanguageVersion"),
                [Punct('.'), Word("of"), Punct('('), n, Punct(')'), ..],
            ) => number(n),
            (Word("jvmToolchain"), [Punct('('), n, Punct(')'), ..]) => number(n),
            _ => None,
        };
        if let Some(n) = found {
            out.push(Component::new(
                ComponentKind::Runtime,
                Ecosystem::Runtime,
                "java",
                Some(n.to_string()),
                file.span_of(n),
            ));
        }
    }
}

/// A version as written, with `$name`/`${name}` resolved when the string interpolates;
/// a property the file does not define is left to the scanner.
fn resolve(
    file: &SourceFile,
    v: &str,
    interpolates: bool,
    props: &HashMap<&str, &str>,
) -> (Option<String>, Span, Option<Inherit>) {
    let own = file.span_of(v);
    if !v.contains('$') {
        return (Some(v.to_string()), own, None);
    }
    if !interpolates {
        // Groovy does not interpolate single quotes: `'$x'` is no version at all
        return (None, own, None);
    }
    let single = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        });
    let Some(name) = single else {
        return (None, own, None);
    };
    lookup(file, v, name, props)
}

/// The property `name` (written as `text`): its value blamed where it is defined when
/// this file defines it, else left to the scanner.
fn lookup(
    file: &SourceFile,
    text: &str,
    name: &str,
    props: &HashMap<&str, &str>,
) -> (Option<String>, Span, Option<Inherit>) {
    let own = file.span_of(text);
    let name = [
        "project.ext.",
        "rootProject.ext.",
        "project.",
        "rootProject.",
        "ext.",
    ]
    .iter()
    .find_map(|p| name.strip_prefix(p))
    .unwrap_or(name);
    match props.get(name) {
        Some(value) => (Some(value.to_string()), file.span_of(value), None),
        None => (
            None,
            own,
            Some(Inherit::GradleProperty {
                name: name.to_string(),
            }),
        ),
    }
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
