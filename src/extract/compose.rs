//! Docker Compose files: each service's `image:` is a server the repository runs.
//!
//! Owns reading `services.*.image`, `command` and `environment` from compose files
//! (including override/variant files such as `docker-compose.prod.yml`), with anchors and
//! `<<` merge keys applied by serde-saphyr. `${VAR:-default}` interpolation uses the
//! default, because that is what runs when nobody sets the variable. Must not: read
//! `.env` files or the environment (extractors do no I/O), follow `extends:` into other
//! files, or decide what an image *is* (rules do).
//!
//! A service with only `build:` produces no component: its image is built from a
//! Dockerfile in the repository, and that Dockerfile's `FROM` lines are extracted on their
//! own by the dockerfile extractor.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::image_ref::split_image;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Setting, SettingKind};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

pub struct Compose;

impl Extractor for Compose {
    fn name(&self) -> &'static str {
        "compose"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "docker-compose.yml",
            "compose.yaml",
            "docker-compose.override.yml",
            "deploy/compose.prod.yaml",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        let Some(stem) = name
            .strip_suffix(".yml")
            .or_else(|| name.strip_suffix(".yaml"))
        else {
            return false;
        };
        ["docker-compose", "compose"].iter().any(|base| {
            stem == *base
                || stem
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
        })
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        let doc: Option<ComposeFile> = match serde_saphyr::from_str(&file.text) {
            Ok(doc) => doc,
            Err(e) => {
                let span = match e.location() {
                    Some(loc) => {
                        let at = file.offset_of(loc.line() as usize, loc.column() as usize);
                        file.span(at, at)
                    }
                    None => file.span(0, 0),
                };
                out.problem(parse_error(span, "compose file", first_line(&e)));
                return;
            }
        };
        let Some(services) = doc.and_then(|d| d.services) else {
            return;
        };
        for (name, service) in services {
            let Some(service) = service else { continue };
            let Some(image) = service.image else { continue };
            let Some(mut c) = image_component(file, &image) else {
                continue;
            };
            c.group = Some(name);
            if let Some(cmd) = service.command {
                command_settings(file, cmd, &mut c.settings);
            }
            if let Some(env) = service.environment {
                env_settings(file, env, &mut c.settings);
            }
            out.push(c);
        }
    }
}

/// The parser's message without its snippet and without the position it repeats (the
/// finding carries the position as a span).
fn first_line(e: &impl fmt::Display) -> String {
    let s = e.to_string();
    let line = s.lines().next().unwrap_or("").trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.split_once(": ") {
        Some((pos, rest)) if pos.starts_with("line ") && pos.contains(" column ") => {
            rest.to_string()
        }
        _ => line.to_string(),
    }
}

// ---- the typed model (only what skew reads; everything else is ignored) ----

#[derive(Deserialize)]
struct ComposeFile {
    #[serde(default)]
    services: Option<BTreeMap<String, Option<Service>>>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    image: Option<Spanned<String>>,
    #[serde(default)]
    command: Option<Spanned<Command>>,
    #[serde(default)]
    environment: Option<Environment>,
}

/// `command:` is a string (split like a shell) or a list of arguments.
enum Command {
    Line(String),
    List(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Command;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a command string or a list of arguments")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Command, E> {
                Ok(Command::Line(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Command, E> {
                Ok(Command::List(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Command, A::Error> {
                let mut args = Vec::new();
                while let Some(a) = seq.next_element::<Spanned<Scalar>>()? {
                    args.push(Spanned::new(a.value.0, a.referenced, a.defined));
                }
                Ok(Command::List(args))
            }
        }
        d.deserialize_any(V)
    }
}

/// `environment:` is a map (`KEY: value`) or a list of `KEY=VAL` strings.
enum Environment {
    Map(Vec<(Spanned<String>, Option<Spanned<Scalar>>)>),
    List(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Environment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Environment;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of variables or a list of KEY=VALUE strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Environment, E> {
                Ok(Environment::List(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Environment, A::Error> {
                let mut vars = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    let v = map.next_value::<Option<Spanned<Scalar>>>()?;
                    vars.push((k, v));
                }
                Ok(Environment::Map(vars))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Environment, A::Error> {
                let mut vars = Vec::new();
                while let Some(a) = seq.next_element::<Spanned<String>>()? {
                    vars.push(a);
                }
                Ok(Environment::List(vars))
            }
        }
        d.deserialize_any(V)
    }
}

/// Any YAML scalar as text: `MYSQL_PORT: 3306` and `DEBUG: true` are common in
/// `environment:`, and compose passes them on as strings.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- spans ----

/// Where a scalar's node starts in the file. `defined` is used rather than `referenced`:
/// for a value that came through an alias or a `<<` merge it is the anchored text, the
/// place a person edits.
fn node_start(loc: &Location) -> Option<usize> {
    loc.span().byte_offset().map(|b| b as usize)
}

/// The byte offset where `value` is written verbatim in the file (inside quotes if the
/// scalar is quoted), or `None` when the scalar's text differs from its value (escapes,
/// folded or block scalars): then only the node as a whole can be blamed.
fn verbatim_start(file: &SourceFile, loc: &Location, value: &str) -> Option<usize> {
    let mut start = node_start(loc)?;
    let rest = file.text.get(start..)?;
    if rest.starts_with('"') || rest.starts_with('\'') {
        start += 1;
    }
    file.text
        .get(start..)
        .is_some_and(|r| r.starts_with(value))
        .then_some(start)
}

/// The span of a whole scalar node when its text cannot be mapped piece by piece.
fn node_span(file: &SourceFile, loc: &Location) -> Span {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(s), Some(l)) => file.span(s as usize, (s + l) as usize),
        _ => {
            let at = file.offset_of(loc.line() as usize, loc.column() as usize);
            file.span(at, at)
        }
    }
}

// ---- image references ----

/// One piece of an interpolated string: its text, where that text is written in the file
/// (if it is written verbatim), and whether it is a variable nobody gave a default for.
pub(super) struct Piece {
    pub(super) text: String,
    pub(super) at: Option<usize>,
    pub(super) unresolved: bool,
}

/// Apply compose interpolation: `$$` -> `$`, `${VAR:-d}`/`${VAR-d}` -> `d` (the
/// default's own position kept), anything else with a `$` stays as written and is
/// marked unresolved.
fn interpolate(value: &str, base: Option<usize>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let at = |i: usize| base.map(|b| b + i);
    let bytes = value.as_bytes();
    let mut lit_start = 0;
    let mut i = 0;
    let flush = |pieces: &mut Vec<Piece>, from: usize, to: usize| {
        if to > from {
            pieces.push(Piece {
                text: value[from..to].to_string(),
                at: at(from),
                unresolved: false,
            });
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        flush(&mut pieces, lit_start, i);
        if bytes.get(i + 1) == Some(&b'$') {
            pieces.push(Piece {
                text: "$".into(),
                at: None,
                unresolved: false,
            });
            i += 2;
        } else if bytes.get(i + 1) == Some(&b'{') {
            let end = value[i..].find('}').map(|e| i + e).unwrap_or(bytes.len());
            let inner_start = i + 2;
            let inner = &value[inner_start.min(end)..end];
            let default = inner
                .find(":-")
                .map(|p| p + 2)
                .or_else(|| {
                    inner
                        .find('-')
                        .filter(|&p| !inner[..p].contains([':', '?', '+']))
                        .map(|p| p + 1)
                })
                .map(|p| (inner_start + p, &inner[p..]));
            match default {
                Some((d_at, d)) => pieces.push(Piece {
                    text: d.to_string(),
                    at: at(d_at),
                    unresolved: false,
                }),
                None => pieces.push(Piece {
                    text: value[i..(end + 1).min(bytes.len())].to_string(),
                    at: at(i),
                    unresolved: true,
                }),
            }
            i = (end + 1).min(bytes.len());
        } else {
            // `$VAR`: a bare variable name
            let name_len = value[i + 1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(value.len() - i - 1);
            let end = i + 1 + name_len;
            pieces.push(Piece {
                text: value[i..end].to_string(),
                at: at(i),
                unresolved: name_len > 0,
            });
            i = end;
        }
        lit_start = i;
    }
    flush(&mut pieces, lit_start, bytes.len());
    pieces
}

/// Map a byte range of the joined pieces back to the file: `Some` when the range lies in
/// one verbatim piece; `Err(())` when it touches an unresolved variable.
pub(super) fn map_range(
    pieces: &[Piece],
    from: usize,
    to: usize,
) -> Result<Option<(usize, usize)>, ()> {
    let mut pos = 0;
    let mut found = None;
    for p in pieces {
        let (p_from, p_to) = (pos, pos + p.text.len());
        pos = p_to;
        let overlaps = p_from < to && from < p_to || (from == to && from == p_from);
        if !overlaps {
            continue;
        }
        if p.unresolved {
            return Err(());
        }
        if from >= p_from && to <= p_to {
            found = p.at.map(|a| (a + from - p_from, a + to - p_from));
        }
    }
    Ok(found)
}

fn image_component(file: &SourceFile, image: &Spanned<String>) -> Option<Component> {
    let value = image.value.trim();
    if value.is_empty() {
        return None;
    }
    let start = verbatim_start(file, &image.defined, &image.value);
    let pieces = interpolate(&image.value, start);
    let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let lead = joined.len() - joined.trim_start().len();
    let reference = joined.trim();
    let (name, tag) = split_image(reference);
    let name_end = name.len();
    let whole = node_span(file, &image.defined);
    let to_span = |from: usize, to: usize| match map_range(&pieces, lead + from, lead + to) {
        Ok(Some((s, e))) => Some(file.span(s, e)),
        _ => None,
    };
    let name = &reference[..name_end];
    let name_span = to_span(0, name_end).unwrap_or(whole);
    let (version, span) = match tag {
        Some((from, to)) if to > from => {
            match map_range(&pieces, lead + from, lead + to) {
                // the tag comes from a variable without a default: unknown
                Err(()) => (None, name_span),
                Ok(mapped) => (
                    Some(reference[from..to].to_string()),
                    mapped.map(|(s, e)| file.span(s, e)).unwrap_or(whole),
                ),
            }
        }
        _ => (None, name_span),
    };
    Some(Component::new(
        ComponentKind::Server,
        Ecosystem::Docker,
        name,
        version,
        span,
    ))
}

// ---- command and environment ----

fn command_settings(file: &SourceFile, cmd: Spanned<Command>, settings: &mut Vec<Setting>) {
    match cmd.value {
        Command::List(args) => {
            for a in args {
                let span = match verbatim_start(file, &a.defined, &a.value) {
                    Some(s) => file.span(s, s + a.value.len()),
                    None => node_span(file, &a.defined),
                };
                settings.push(arg_setting(a.value, span));
            }
        }
        Command::Line(line) => {
            let start = verbatim_start(file, &cmd.defined, &line);
            let whole = node_span(file, &cmd.defined);
            for (arg, from, to) in shell_split(&line) {
                let span = start.map(|s| file.span(s + from, s + to)).unwrap_or(whole);
                settings.push(arg_setting(arg, span));
            }
        }
    }
}

fn arg_setting(arg: String, span: Span) -> Setting {
    let value = arg
        .split_once('=')
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    Setting {
        kind: SettingKind::Arg,
        name: arg,
        value,
        span,
    }
}

/// Split a command line into words like a POSIX shell does (quotes and backslashes; no
/// expansion), keeping each word's byte range in `line`.
fn shell_split(line: &str) -> Vec<(String, usize, usize)> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            match quote {
                None if c.is_whitespace() => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '\\' => {
                    chars.next();
                    end = i + 1;
                    if let Some(&(j, n)) = chars.peek() {
                        word.push(n);
                        end = j + n.len_utf8();
                        chars.next();
                    }
                    continue;
                }
                Some(q) if c == q => quote = None,
                Some('"') if c == '\\' => {
                    chars.next();
                    end = i + 1;
                    if let Some(&(j, n)) = chars.peek() {
                        if !matches!(n, '"' | '\\' | '$' | '`') {
                            word.push('\\');
                        }
                        word.push(n);
                        end = j + n.len_utf8();
                        chars.next();
                    }
                    continue;
                }
                _ => word.push(c),
            }
            end = i + c.len_utf8();
            chars.next();
        }
        words.push((word, start, end));
    }
    words
}

fn env_settings(file: &SourceFile, env: Environment, settings: &mut Vec<Setting>) {
    match env {
        Environment::Map(vars) => {
            for (k, v) in vars {
                let key_span = match verbatim_start(file, &k.defined, &k.value) {
                    Some(s) => file.span(s, s + k.value.len()),
                    None => node_span(file, &k.defined),
                };
                // blame `KEY: value` as a whole when the value is on the same line
                let span = v
                    .as_ref()
                    .and_then(|v| {
                        let s = verbatim_start(file, &v.defined, &v.value.0)?;
                        let end = s + v.value.0.len();
                        let between = file.text.get(key_span.end..s)?;
                        (!between.contains('\n')).then(|| file.span(key_span.start, end))
                    })
                    .unwrap_or(key_span);
                settings.push(Setting {
                    kind: SettingKind::Env,
                    name: k.value,
                    value: v.map(|v| v.value.0).unwrap_or_default(),
                    span,
                });
            }
        }
        Environment::List(items) => {
            for item in items {
                let span = match verbatim_start(file, &item.defined, &item.value) {
                    Some(s) => file.span(s, s + item.value.len()),
                    None => node_span(file, &item.defined),
                };
                let (name, value) = match item.value.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (item.value.clone(), String::new()),
                };
                settings.push(Setting {
                    kind: SettingKind::Env,
                    name,
                    value,
                    span,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn wants_compose_names_only() {
        for p in [
            "docker-compose.yml",
            "a/docker-compose.yaml",
            "compose.yml",
            "compose.yaml",
            "docker-compose.override.yml",
            "compose.prod.yaml",
        ] {
            assert!(Compose.wants(Path::new(p)), "{p}");
        }
        for p in [
            "compose.json",
            "mycompose.yml",
            "compose.",
            "docker-compose..yml2",
        ] {
            assert!(!Compose.wants(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn shell_words_keep_ranges() {
        let w = shell_split(r#"mysqld --a=1 "--b=two words" 'c'"#);
        let got: Vec<_> = w.iter().map(|(s, a, b)| (s.as_str(), *a, *b)).collect();
        assert_eq!(
            got,
            vec![
                ("mysqld", 0, 6),
                ("--a=1", 7, 12),
                ("--b=two words", 13, 28),
                ("c", 29, 32)
            ]
        );
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "compose/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Compose, "docker-compose.yml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}
