//! A small spanned YAML tree shared by the YAML-based infrastructure extractors
//! (Kubernetes, Helm, GitHub Actions).
//!
//! Those formats have free-form shapes (any key may hold an image, a matrix value may
//! stand in for a version), so a typed serde model would lose either generality or
//! positions. This module deserialises a document with `serde-saphyr` into [`Node`]s
//! that keep the parser's byte span of every value, and hands out scalars as the text
//! the user *wrote* (`3.10` stays `3.10`, not the float 3.1). It owns YAML parsing and
//! parse-error positions for those extractors; it must not know any format's meaning.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::{Code, Finding, Label, Subject, parse_error};
use crate::limits;
use crate::source::{SourceFile, Span};

/// One YAML value with the byte range of its definition in the source text.
///
/// For aliases and `<<` merges the range is the anchored definition, which is where the
/// text a user would edit lives.
#[derive(Debug)]
pub struct Node {
    pub value: Value,
    /// Byte range in the source; `None` when the parser could not give one.
    range: Option<(usize, usize)>,
}

#[derive(Debug)]
pub enum Value {
    Null,
    Bool,
    Int,
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A scalar as written: its text and the narrowest span of that text.
#[derive(Debug, Clone)]
pub struct Scalar {
    /// The scalar's text as the user wrote it (quotes removed, numbers verbatim).
    pub text: String,
    /// The span of `text` (inside the quotes when quoted).
    pub span: Span,
    /// An unquoted scalar that YAML reads as a floating-point number (`3.10`).
    pub plain_float: Option<f64>,
    /// An unquoted scalar that YAML reads as an integer (`20`, `1234567`).
    pub plain_int: bool,
    /// Whether `text` appears byte for byte at `span`, so sub-ranges of it can be
    /// turned into sub-spans (false for escaped or folded strings).
    verbatim: bool,
}

impl Scalar {
    /// How a tool that turns YAML numbers into float64 prints this scalar back, when
    /// that differs from what the user wrote: `3.10` -> `3.1`, `8.0` -> `8`, and with
    /// `ints_too` (Helm's JSON round trip) `1234567` -> `1.234567e+06` (Go's `%v`
    /// switches to an exponent from 7 digits on). `None` for strings and safe numbers.
    pub fn float64_reading(&self, ints_too: bool) -> Option<String> {
        if let Some(f) = self.plain_float {
            let read = f.to_string();
            return (read != self.text).then_some(read);
        }
        if !(ints_too && self.plain_int) {
            return None;
        }
        let digits = self.text.trim_start_matches('+').trim_start_matches('0');
        if digits.len() < 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mantissa = digits.trim_end_matches('0');
        let (first, rest) = mantissa.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        Some(format!("{first}{dot}{rest}e+{:02}", digits.len() - 1))
    }

    /// The span of `text[start..end]`, or the whole scalar's span when the text was
    /// transformed by YAML (escapes, folding) and offsets inside it mean nothing.
    pub fn sub_span(&self, start: usize, end: usize) -> Span {
        if self.verbatim && start <= end && end <= self.text.len() {
            Span::new(
                self.span.file,
                self.span.start + start,
                self.span.start + end,
            )
        } else {
            self.span
        }
    }
}

impl Node {
    /// The value under `key` when this node is a mapping with string keys.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// A nested lookup: `node.path(&["spec", "template", "spec"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |n, k| n.get(k))
    }

    /// `(key, value)` pairs of a mapping whose keys are strings (others are skipped).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Node)> {
        let pairs: &[(Node, Node)] = match &self.value {
            Value::Map(m) => m,
            _ => &[],
        };
        pairs.iter().filter_map(|(k, v)| match &k.value {
            Value::Str(s) => Some((s.as_str(), v)),
            _ => None,
        })
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(s) => s,
            _ => &[],
        }
    }

    /// The string value, for string scalars only.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The span of the whole node (mappings: a point at their start).
    pub fn span(&self, file: &SourceFile) -> Span {
        // never trust a range enough to panic on slicing it: bad input must not crash
        let (s, e) = self
            .range
            .filter(|&(s, e)| file.text.get(s..e).is_some())
            .unwrap_or((0, 0));
        file.span(s, e)
    }

    /// The node as a scalar the user wrote: strings, numbers and booleans; `None` for
    /// null, mappings and sequences.
    pub fn scalar(&self, file: &SourceFile) -> Option<Scalar> {
        let whole = self.span(file);
        let raw = file.slice(whole);
        let unquoted = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
        match &self.value {
            Value::Str(s) => {
                if let Some(inner) = unquoted.filter(|i| *i == s) {
                    Some(Scalar {
                        text: s.clone(),
                        span: file.span_of(inner),
                        plain_float: None,
                        plain_int: false,
                        verbatim: true,
                    })
                } else {
                    Some(Scalar {
                        text: s.clone(),
                        span: whole,
                        plain_float: None,
                        plain_int: false,
                        verbatim: raw == s,
                    })
                }
            }
            Value::Int | Value::Bool | Value::Float(_) => Some(Scalar {
                text: raw.to_string(),
                span: whole,
                plain_float: match self.value {
                    Value::Float(f) => Some(f),
                    _ => None,
                },
                plain_int: matches!(self.value, Value::Int),
                verbatim: true,
            }),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// An `ambiguous-version` warning: `key: text` is an unquoted number that `reader`
/// reads back as `read_as`. The fix is always the same: quote it.
pub fn ambiguous_version(
    s: &Scalar,
    read_as: &str,
    key: &str,
    reader: &str,
    subject: Subject,
    source: &str,
) -> Finding {
    Finding {
        rule_id: Code::AmbiguousVersion.to_string(),
        severity: Code::AmbiguousVersion.severity(),
        message: format!(
            "`{key}: {text}` is an unquoted number: {reader} reads it as `{read_as}`, not `{text}`",
            text = s.text
        ),
        primary: Label::new(s.span, format!("read as {read_as}")),
        related: Vec::new(),
        fix: Some(format!("quote the version: `'{}'`", s.text)),
        sources: vec![source.to_string()],
        subject,
        components: Vec::new(),
    }
}

/// The parser options of every YAML extractor: a file is bounded by its depth, the values
/// it writes (`max_nodes`: [`limits::YAML_MAX_NODES`] for manifests, more for lockfiles)
/// and the values its aliases and merges expand to ([`limits::YAML_MAX_EXPANDED_VALUES`]),
/// which stops an alias bomb. The parser's alias-to-anchor ratio heuristic is off: it
/// rejected valid files that merge a few anchors many times (docker and PyYAML read them).
pub fn options(max_nodes: usize) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: limits::YAML_MAX_DEPTH,
            max_nodes: max_nodes,
            // every value is a few events (a mapping opens and closes, a key is a scalar)
            max_events: max_nodes.saturating_mul(4),
            max_aliases: limits::YAML_MAX_EXPANDED_VALUES,
            max_recorded_anchor_events: limits::YAML_MAX_EXPANDED_VALUES,
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: limits::YAML_MAX_EXPANDED_VALUES,
        },
    }
}

/// Parse every document of a YAML stream. Empty and comment-only documents are skipped.
/// A syntax error becomes a `parse-error` finding at the parser's own position.
pub fn parse_stream(file: &SourceFile, format: &str) -> Result<Vec<Node>, Box<Finding>> {
    serde_saphyr::from_multiple_with_options::<Node>(&file.text, options(limits::YAML_MAX_NODES))
        .map_err(|e| Box::new(to_finding(file, format, &e)))
}

/// Parse a single-document YAML file (`None` when it is empty).
pub fn parse_one(file: &SourceFile, format: &str) -> Result<Option<Node>, Box<Finding>> {
    let mut docs = parse_stream(file, format)?;
    Ok(if docs.is_empty() {
        None
    } else {
        Some(docs.swap_remove(0))
    })
}

/// A YAML error as a `parse-error` finding at the parser's position, worded for a person.
pub fn to_finding(file: &SourceFile, format: &str, e: &serde_saphyr::Error) -> Finding {
    let start = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| file.offset_of(l.line() as usize, l.column() as usize))
        .unwrap_or(0);
    let end = file.text[start..]
        .char_indices()
        .nth(1)
        .map_or(file.text.len(), |(i, _)| start + i);
    parse_error(file.span(start, end), format, error_message(e))
}

/// What went wrong, for a person: limits in words rather than the parser's Debug text,
/// and none of the library's advice to its own callers (`use from_multiple`, `set
/// DuplicateKeyPolicy`), nor the position (the finding's span carries it).
pub fn error_message(e: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let expanded = || {
        format!(
            "its aliases (`*name`) and merges (`<<`) expand to more than {} values, the limit skew reads",
            limits::YAML_MAX_EXPANDED_VALUES
        )
    };
    // the error itself, not the snippet or alias location wrapped around it
    let mut e = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    match e {
        E::MultipleDocuments { .. } => {
            "the file has several YAML documents (separated by `---`) where this format has one"
                .to_string()
        }
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => expanded(),
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => format!(
                "mappings and lists are nested more than {} levels deep, the limit skew reads",
                limits::YAML_MAX_DEPTH
            ),
            B::Aliases { .. } | B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => {
                expanded()
            }
            B::Documents { documents } => {
                format!("the file has more than {} YAML documents", documents - 1)
            }
            _ => {
                "the file is larger than skew reads (too many values or too much text)".to_string()
            }
        },
        other => {
            let message = other.to_string();
            let message = message.lines().next().unwrap_or("").trim();
            let message = message.strip_prefix("error: ").unwrap_or(message);
            let message = match message.split_once(": ") {
                Some((at, rest)) if at.starts_with("line ") && at.contains(" column ") => rest,
                _ => message,
            };
            let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
            // advice to the library's user, not to ours
            let message = message
                .split_once(", set DuplicateKeyPolicy")
                .map_or(message, |(m, _)| m);
            let message = message.split_once("; use ").map_or(message, |(m, _)| m);
            message.to_string()
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Value>::deserialize(d)?;
        let span = s.defined.span();
        let range = match (span.byte_offset(), span.byte_len()) {
            (Some(o), Some(l)) => Some((o as usize, (o + l) as usize)),
            _ => None,
        };
        Ok(Node {
            value: s.value,
            range,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Value, E> {
        Ok(Value::Bool)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Value, E> {
        Ok(Value::Int)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Value, E> {
        Ok(Value::Int)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Value, E> {
        Ok(Value::Int)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Value, E> {
        Ok(Value::Int)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = a.next_element()? {
            items.push(x);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some(kv) = a.next_entry()? {
            pairs.push(kv);
        }
        Ok(Value::Map(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn scalars_keep_the_written_text_and_span() {
        let text = "a: 3.10\nb: \"x:1.2\"\nc: 'it''s'\nd: 18\n";
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let root = parse_one(&file, "YAML").unwrap().unwrap();
        let a = root.get("a").unwrap().scalar(&file).unwrap();
        assert_eq!((a.text.as_str(), a.plain_float), ("3.10", Some(3.1)));
        assert_eq!(file.slice(a.span), "3.10");
        let b = root.get("b").unwrap().scalar(&file).unwrap();
        assert_eq!(file.slice(b.span), "x:1.2");
        assert_eq!(file.slice(b.sub_span(2, 5)), "1.2");
        let c = root.get("c").unwrap().scalar(&file).unwrap();
        assert_eq!(c.text, "it's");
        assert_eq!(file.slice(c.sub_span(0, 2)), "'it''s'");
        let d = root.get("d").unwrap().scalar(&file).unwrap();
        assert_eq!((d.text.as_str(), d.plain_float), ("18", None));
    }

    #[test]
    fn float64_readings() {
        let text = "a: 3.10\nb: 3.9\nc: 8.0\nd: 20\ne: 87940363\nf: '3.10'\ng: 1000000\n";
        let file = SourceFile::new(FileId(0), "t.yaml", text);
        let root = parse_one(&file, "YAML").unwrap().unwrap();
        let read = |k: &str, ints: bool| {
            root.get(k)
                .unwrap()
                .scalar(&file)
                .unwrap()
                .float64_reading(ints)
        };
        assert_eq!(read("a", false).as_deref(), Some("3.1"));
        assert_eq!(read("b", true), None);
        assert_eq!(read("c", false).as_deref(), Some("8"));
        assert_eq!(read("d", true), None);
        assert_eq!(read("e", false), None);
        assert_eq!(read("e", true).as_deref(), Some("8.7940363e+07"));
        assert_eq!(read("f", true), None);
        assert_eq!(read("g", true).as_deref(), Some("1e+06"));
    }

    #[test]
    fn parse_errors_carry_the_parser_position() {
        let file = SourceFile::new(FileId(0), "t.yaml", "a:\n  - b\n c: d\n");
        let err = parse_stream(&file, "YAML").unwrap_err();
        let loc = file.location(err.primary.span);
        assert_eq!((loc.line, loc.column), (3, 2));
        assert!(!err.message.contains("line 3"), "{}", err.message);
    }
}
