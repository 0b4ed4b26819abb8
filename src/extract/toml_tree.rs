//! The spanned TOML tree every TOML extractor reads (`Cargo.toml`, `Cargo.lock`,
//! `pyproject.toml`, `poetry.lock`, `uv.lock`, `Pipfile`, Gradle version catalogs):
//! parsing with the parser's own error position, and getting strings with their spans.
//!
//! `toml::de::DeTable` keeps a byte range on every key and value, and borrows strings
//! without escapes from the file, so spans come from the parser (CRATES.md: typed
//! `Spanned<T>` loses positions inside untagged enums such as Cargo's `dep = "1"` /
//! `dep = { version = "1" }`). Must not: know any format's tables.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Extraction;
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

/// Parse a TOML file into a fully spanned tree. A syntax error becomes a `parse-error`
/// at the parser's own byte range; the tree recovered so far is still returned, so one
/// bad line does not hide the rest of a lockfile.
pub(crate) fn parse_toml<'a>(
    file: &'a SourceFile,
    format: &str,
    out: &mut Extraction,
) -> Option<Spanned<DeTable<'a>>> {
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    if let Some(e) = errors.first() {
        let span = e
            .span()
            .map(|r| file.span(r.start, r.end))
            .unwrap_or_else(|| file.span(0, 0));
        out.problem(parse_error(span, format, e.message().trim()));
        return None;
    }
    Some(doc)
}

/// A TOML string value and where its text sits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TomlStr<'a> {
    pub text: &'a str,
    /// The string's content when it could be borrowed (no escapes), else the whole
    /// value including quotes.
    pub span: Span,
    /// `span` covers exactly `text`, so offsets inside `text` are offsets in the file.
    pub exact: bool,
}

/// The string at `value`, if it is one. Spans come from the parser: a borrowed string
/// points into the file text; one with escapes falls back to the value's own span.
pub(crate) fn toml_str<'a>(
    file: &SourceFile,
    value: &'a Spanned<DeValue<'_>>,
) -> Option<TomlStr<'a>> {
    let DeValue::String(s) = value.get_ref() else {
        return None;
    };
    let text: &'a str = s.as_ref();
    let base = file.text.as_ptr() as usize;
    let p = text.as_ptr() as usize;
    if matches!(s, std::borrow::Cow::Borrowed(_))
        && p >= base
        && p + text.len() <= base + file.text.len()
    {
        Some(TomlStr {
            text,
            span: file.span_of(text),
            exact: true,
        })
    } else {
        let r = value.span();
        Some(TomlStr {
            text,
            span: file.span(r.start, r.end),
            exact: false,
        })
    }
}

/// `t[key]` if it is a table.
pub(crate) fn table<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    t.get(key).and_then(|v| v.get_ref().as_table())
}

/// `t[key]` as array items (none if absent or not an array).
pub(crate) fn array<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> &'a [Spanned<DeValue<'i>>] {
    t.get(key).map(as_array).unwrap_or(&[])
}

pub(crate) fn as_array<'a, 'i>(v: &'a Spanned<DeValue<'i>>) -> &'a [Spanned<DeValue<'i>>] {
    match v.get_ref() {
        DeValue::Array(a) => a,
        _ => &[],
    }
}

/// A string value by key, with the span of its text (quotes excluded).
pub(crate) fn string<'t>(
    file: &SourceFile,
    t: &'t DeTable<'_>,
    key: &str,
) -> Option<(&'t str, Span)> {
    let v = t.get(key)?;
    match v.get_ref() {
        DeValue::String(s) => Some((s.as_ref(), str_span(file, v.span()))),
        _ => None,
    }
}

/// The span of a TOML string or key without its quotes (`"x"`, `'x'`, `"""x"""`).
pub(crate) fn str_span(file: &SourceFile, r: Range<usize>) -> Span {
    let text = file.text.get(r.clone()).unwrap_or("");
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if text.len() >= 2 * q.len() && text.starts_with(q) && text.ends_with(q) {
            return file.span(r.start + q.len(), r.end - q.len());
        }
    }
    file.span(r.start, r.end)
}
