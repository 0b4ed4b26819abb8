//! Gradle's Java-properties files: `gradle.properties` (values build scripts name as
//! `$name`) and `gradle-wrapper.properties` (the Gradle version the wrapper runs).
//!
//! Owns a line reader for the `java.util.Properties` text format: `key=value`,
//! `key: value` or `key value`, `#`/`!` comment lines, backslash escapes and a trailing
//! backslash continuing a value on the next line. Values are kept with the span of their
//! text as written.
//!
//! - `gradle.properties` yields no component: it offers its entries
//!   ([`Inheritable::GradleProperties`]) to the build scripts of its folder and the
//!   folders below, which the scanner resolves (`scan::inherit`).
//! - `gradle-wrapper.properties`: `distributionUrl` naming a Gradle distribution
//!   (`…/gradle-8.14.5-bin.zip`, `-all.zip`) is the `gradle` runtime (ecosystem
//!   `runtime`), blamed on the version inside the URL. A URL naming another file (a
//!   company mirror's own name) says no version: no component.
//!
//! Must not: evaluate `${…}` inside values (Gradle does not either) or read other files.

use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, Inheritable};
use crate::source::{SourceFile, Span};

pub struct GradleProperties;

impl Extractor for GradleProperties {
    fn name(&self) -> &'static str {
        "gradle-properties"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::LineStart(&["#", "!"]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["gradle.properties", "app/gradle.properties"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "gradle.properties"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let entries: Vec<_> = entries(file).map(|e| (e.key, e.value, e.span)).collect();
        if !entries.is_empty() {
            out.inheritable.push(Inheritable::GradleProperties(entries));
        }
    }
}

pub struct GradleWrapper;

impl Extractor for GradleWrapper {
    fn name(&self) -> &'static str {
        "gradle-wrapper"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::LineStart(&["#", "!"]))
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["gradle/wrapper/gradle-wrapper.properties"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "gradle-wrapper.properties"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        for e in entries(file).filter(|e| e.key == "distributionUrl") {
            let Some((version, span)) = distribution_version(file, &e) else {
                continue;
            };
            out.push(Component::new(
                ComponentKind::Runtime,
                Ecosystem::Runtime,
                "gradle",
                Some(version),
                span,
            ));
        }
    }
}

/// One `key=value` entry, escapes applied, and where its value is written.
pub(super) struct Entry {
    pub key: String,
    pub value: String,
    pub span: Span,
}

/// The entries of a properties file, in order (also read by `maven_wrapper`).
pub(super) fn entries(file: &SourceFile) -> impl Iterator<Item = Entry> + '_ {
    let text = file.text.as_str();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < text.len() {
            let (line, next) = logical_line(text, pos);
            pos = next;
            let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
            if trimmed.is_empty() || trimmed.starts_with(['#', '!']) {
                continue;
            }
            let key_end = key_end(trimmed);
            let key = unescape(&trimmed[..key_end]);
            let rest = trimmed[key_end..].trim_start_matches([' ', '\t', '\x0c']);
            let rest = rest
                .strip_prefix(['=', ':'])
                .unwrap_or(rest)
                .trim_start_matches([' ', '\t', '\x0c']);
            let raw = rest.trim_end_matches(['\r', '\n']);
            let start = raw.as_ptr() as usize - text.as_ptr() as usize;
            return Some(Entry {
                key,
                value: unescape(raw),
                span: file.span(start, start + raw.len()),
            });
        }
        None
    })
}

/// The logical line starting at `pos` (a trailing odd run of backslashes joins the
/// next physical line) and where the next one starts.
fn logical_line(text: &str, pos: usize) -> (&str, usize) {
    let mut end = pos;
    loop {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let line = text[end..line_end].trim_end_matches('\r');
        let backslashes = line.len() - line.trim_end_matches('\\').len();
        if backslashes % 2 == 1 && line_end < text.len() {
            end = line_end + 1;
        } else {
            return (&text[pos..line_end], (line_end + 1).min(text.len()));
        }
    }
}

/// Where the key ends: the first unescaped `=`, `:` or whitespace.
fn key_end(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' | '\x0c' => return i,
            _ => {}
        }
    }
    s.len()
}

/// Escapes applied (`\:` -> `:`, `\t`, `\n`, `\uXXXX`), continuations joined with the
/// next line's leading whitespace dropped.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\x0c'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push_str(&hex),
                }
            }
            Some('\r' | '\n') => {
                let rest = chars.as_str();
                let rest = rest.strip_prefix('\n').unwrap_or(rest);
                chars = rest.trim_start_matches([' ', '\t', '\x0c']).chars();
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// `…/gradle-8.14.5-bin.zip` -> `8.14.5`, blamed on the version inside the URL when the
/// file name is written without escapes, else on the whole value.
fn distribution_version(file: &SourceFile, e: &Entry) -> Option<(String, Span)> {
    let name = e.value.rsplit('/').next()?;
    let version = name
        .strip_prefix("gradle-")?
        .strip_suffix(".zip")
        .and_then(|v| v.strip_suffix("-bin").or_else(|| v.strip_suffix("-all")))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))?;
    let raw = file.slice(e.span);
    let span = match raw.rfind(name) {
        Some(at) if raw.ends_with(name) => {
            let start = e.span.start + at + "gradle-".len();
            file.span(start, start + version.len())
        }
        _ => e.span,
    };
    Some((version.to_string(), span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};
    use std::fmt::Write;

    /// The components, then each offered property as `offer name=value «text»`.
    fn render_offers(file: &SourceFile, out: &Extraction) -> String {
        let mut s = render(file, out);
        for o in &out.inheritable {
            if let Inheritable::GradleProperties(props) = o {
                for (name, value, span) in props {
                    let l = file.location(*span);
                    writeln!(
                        s,
                        "offer {}:{} {name}={value:?} «{}»",
                        l.line,
                        l.column,
                        file.slice(*span)
                    )
                    .unwrap();
                }
            }
        }
        s
    }

    #[test]
    fn properties_fixtures() {
        insta::glob!(
            "../../fixtures/extract/gradle-properties",
            "*.properties",
            |path| {
                let text = std::fs::read_to_string(path).unwrap();
                let (file, out) = run(&GradleProperties, "gradle.properties", &text);
                insta::assert_snapshot!(render_offers(&file, &out));
            }
        );
    }

    #[test]
    fn wrapper_fixtures() {
        insta::glob!(
            "../../fixtures/extract/gradle-wrapper",
            "*.properties",
            |path| {
                let text = std::fs::read_to_string(path).unwrap();
                let (file, out) = run(
                    &GradleWrapper,
                    "gradle/wrapper/gradle-wrapper.properties",
                    &text,
                );
                insta::assert_snapshot!(render(&file, &out));
            }
        );
    }
}
