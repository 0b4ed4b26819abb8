//! Borrowed JSON strings with spans, shared by every JSON extractor (package.json,
//! package-lock.json, composer.json/lock, packages.lock.json, Pipfile.lock).
//!
//! serde only borrows a bare `#[serde(borrow)]` field, not one inside `Option`, `Vec` or
//! a map; [`Str`] borrows wherever it sits, so a string's address inside the file's text
//! gives its span for free. A string with escapes cannot be borrowed: it is decoded into
//! an owned copy and has no span (callers fall back to a neighbouring one). Must not:
//! decide which span to blame — that is the extractor's choice.
//!
//! Fields whose JSON type the file may get wrong (`"dependencies": ["mysql2"]`, `"mysql2":
//! 5`) are read as a borrowed [`RawValue`] first: its text is a slice of the file, so its
//! span is as free as a string's, and [`object`] / [`version`] turn a value of another
//! type into a `wrong-type` finding at that span instead of reading it as "nothing
//! declared".

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::value::RawValue;

use super::Extraction;
use super::composer_manifest::Pairs;
use crate::diagnostic::wrong_type;
use crate::source::{SourceFile, Span};

/// A JSON string, borrowed from the file when it has no escapes (then it has a span).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Str<'a>(pub(super) Cow<'a, str>);

impl Str<'_> {
    /// The span of the string's text (without quotes), if it was borrowed.
    pub(super) fn span(&self, file: &SourceFile) -> Option<Span> {
        match &self.0 {
            Cow::Borrowed(s) => Some(file.span_of(s)),
            Cow::Owned(_) => None,
        }
    }

    /// The span of the string, or `fallback` when it had escapes and was copied.
    pub(super) fn span_or(&self, file: &SourceFile, fallback: Span) -> Span {
        self.span(file).unwrap_or(fallback)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// What type of JSON value `raw` is, for messages: "an array", "a number", …
pub(super) fn kind(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// `raw` read as an object (`field` names it in the message, `of` says what it maps, e.g.
/// "package names to versions"): its entries in file order, duplicates kept. An empty
/// array is an empty object (PHP's `json_encode` writes `[]` for an empty map); any
/// other value is a `wrong-type` finding at its span and yields no entries.
pub(super) fn object<'a>(
    file: &SourceFile,
    field: &str,
    of: &str,
    raw: &'a RawValue,
    out: &mut Extraction,
) -> Vec<(Str<'a>, &'a RawValue)> {
    match serde_json::from_str::<Pairs<'a, &'a RawValue>>(raw.get()) {
        Ok(pairs) => pairs.0,
        Err(_) => {
            out.problem(wrong_type(
                file.span_of(raw.get()),
                format!("`{field}` must be an object of {of}, found {}", kind(raw)),
            ));
            Vec::new()
        }
    }
}

/// The version string `raw` holds as the value of `key` in `field`, or a `wrong-type`
/// finding at its span when it is another type (`5`, `{}`, `null`).
pub(super) fn version<'a>(
    file: &SourceFile,
    field: &str,
    key: &Str,
    raw: &'a RawValue,
    out: &mut Extraction,
) -> Option<Str<'a>> {
    match serde_json::from_str::<Str<'a>>(raw.get()) {
        Ok(v) => Some(v),
        Err(_) => {
            out.problem(wrong_type(
                file.span_of(raw.get()),
                format!(
                    "`{}` in `{field}` must be a version string, found {}",
                    key.0,
                    kind(raw)
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn borrowed_strings_have_spans_escaped_ones_do_not() {
        let file = SourceFile::new(FileId(0), "a.json", r#"["plain", "esc\"aped"]"#);
        let v: Vec<Str> = serde_json::from_str(&file.text).unwrap();
        assert_eq!(v[0].span(&file).map(|s| file.slice(s)), Some("plain"));
        assert_eq!(v[1].0, "esc\"aped");
        assert_eq!(v[1].span(&file), None);
        assert_eq!(v[1].span_or(&file, file.span(0, 1)), file.span(0, 1));
    }
}
