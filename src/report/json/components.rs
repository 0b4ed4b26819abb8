//! The `components` list of the JSON document, written by hand rather than by serde.
//!
//! Why: an inventory is the bulk of the document (116k components, 30 MB on the
//! `shared-400` bench tree), and through serde it was 23% of a whole `check --format json`
//! run's instructions (368 M of 1,589 M in callgrind): serde_json escapes every string byte
//! by byte, writes each file's path twice per component, and the id was a `format!`
//! `String` per component. Here each file's path is escaped once and copied into every
//! component of that file (id and location), strings are scanned eight bytes at a time and
//! copied whole when nothing needs escaping, and numbers go through `itoa` (serde_json's
//! own). The numbers before and after are in `docs/performance.md`.
//!
//! Owns: the exact bytes serde_json would write for this list, compact and pretty (two-space
//! indentation, the list being a field of the top-level object), and the escaping of
//! serde_json's `format_escaped_str` (`\"` `\\` `\b` `\f` `\n` `\r` `\t`, other C0
//! controls as `\u00xx` in lowercase hex, everything else, DEL and non-ASCII included, as
//! is). Must not: drift from serde_json; the tests below compare both byte for byte.

use std::io::{self, Write};

use super::super::{PathLocation, kind_name};
use crate::component::Component;
use crate::source::SourceView;

/// Written to `out` in blocks of about this size.
const BLOCK: usize = 1 << 16;

/// Write `sorted` as the JSON array that is the value of the top-level `components` field;
/// `PRETTY` as `serde_json::to_writer_pretty` indents it there, else on one line.
pub(super) fn write<const PRETTY: bool>(
    sources: &SourceView<'_>,
    sorted: &[(&Component, PathLocation<'_>)],
    out: &mut dyn Write,
) -> io::Result<()> {
    // the literal bytes between the values, in both modes: one instantiation each, so
    // every piece is a constant
    macro_rules! lit {
        ($compact:literal, $pretty:literal) => {
            if PRETTY {
                $pretty.as_bytes()
            } else {
                $compact.as_bytes()
            }
        };
    }
    if sorted.is_empty() {
        return out.write_all(b"[]");
    }
    let mut buf = Vec::with_capacity(BLOCK + 1024);
    let mut ids = PathCache::default();
    let mut paths = PathCache::default();
    let mut numbers = itoa::Buffer::new();
    buf.push(b'[');
    for (i, &(c, ref l)) in sorted.iter().enumerate() {
        buf.extend_from_slice(if i == 0 {
            lit!("{\"id\":\"", "\n    {\n      \"id\": \"")
        } else {
            lit!(",{\"id\":\"", ",\n    {\n      \"id\": \"")
        });
        buf.extend_from_slice(ids.escaped(sources.path(c.id.file)));
        buf.push(b'#');
        buf.extend_from_slice(numbers.format(c.id.n).as_bytes());
        buf.extend_from_slice(lit!("\",\"kind\":", "\",\n      \"kind\": "));
        string(&mut buf, kind_name(c.kind));
        buf.extend_from_slice(lit!(",\"ecosystem\":", ",\n      \"ecosystem\": "));
        string(&mut buf, c.ecosystem.as_str());
        buf.extend_from_slice(lit!(",\"name\":", ",\n      \"name\": "));
        string(&mut buf, &c.name);
        buf.extend_from_slice(lit!(",\"version\":", ",\n      \"version\": "));
        optional(&mut buf, c.version.as_deref());
        buf.extend_from_slice(lit!(",\"resolved\":", ",\n      \"resolved\": "));
        optional(&mut buf, c.resolved.as_deref());
        buf.extend_from_slice(lit!(
            ",\"location\":{\"path\":\"",
            ",\n      \"location\": {\n        \"path\": \""
        ));
        buf.extend_from_slice(paths.escaped(l.path));
        buf.extend_from_slice(lit!("\",\"line\":", "\",\n        \"line\": "));
        buf.extend_from_slice(numbers.format(l.line).as_bytes());
        buf.extend_from_slice(lit!(",\"column\":", ",\n        \"column\": "));
        buf.extend_from_slice(numbers.format(l.column).as_bytes());
        buf.extend_from_slice(lit!(",\"end_line\":", ",\n        \"end_line\": "));
        buf.extend_from_slice(numbers.format(l.end_line).as_bytes());
        buf.extend_from_slice(lit!(",\"end_column\":", ",\n        \"end_column\": "));
        buf.extend_from_slice(numbers.format(l.end_column).as_bytes());
        buf.extend_from_slice(lit!("}}", "\n      }\n    }"));
        if buf.len() >= BLOCK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(lit!("]", "\n  ]"));
    out.write_all(&buf)
}

/// The escaped form of the last path asked for: components come sorted by file, so each
/// file's path is escaped once for all of its components.
#[derive(Default)]
struct PathCache<'a> {
    path: Option<&'a str>,
    escaped: Vec<u8>,
}

impl<'a> PathCache<'a> {
    fn escaped(&mut self, path: &'a str) -> &[u8] {
        // the same file gives the same `&str`: comparing pointers is enough for a cache
        if !self.path.is_some_and(|p| std::ptr::eq(p, path)) {
            self.path = Some(path);
            self.escaped.clear();
            contents(&mut self.escaped, path);
        }
        &self.escaped
    }
}

/// `null`, or the string.
fn optional(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

/// `s` as a JSON string, quotes included.
fn string(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    contents(buf, s);
    buf.push(b'"');
}

/// The escaped contents of `s`, as serde_json escapes them: runs that need nothing are
/// copied whole, found eight bytes at a time.
fn contents(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8)
            && !any_escaped(u64::from_le_bytes(word.try_into().expect("8 bytes")))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ]
            }
            _ => {
                i += 1;
                continue;
            }
        };
        buf.extend_from_slice(&bytes[run..i]);
        buf.extend_from_slice(escape);
        i += 1;
        run = i;
    }
    buf.extend_from_slice(&bytes[run..]);
}

/// Does any of the eight bytes in `w` need an escape (`"`, `\`, below 0x20)? The classic
/// "has a zero byte" / "has a byte less than n" word tricks: exact as a yes/no answer.
fn any_escaped(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let less_than = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH;
    let zero = |x: u64| less_than(x, 1);
    (less_than(w, 0x20) | zero(w ^ (ONES * b'"' as u64)) | zero(w ^ (ONES * b'\\' as u64))) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::{ComponentId, ComponentKind, Ecosystem};
    use crate::report::testing::leak;
    use crate::source::Sources;

    /// What serde_json writes for one component (the schema's field order).
    #[derive(serde::Serialize)]
    struct Reference<'a> {
        id: String,
        kind: &'static str,
        ecosystem: &'static str,
        name: &'a str,
        version: Option<&'a str>,
        resolved: Option<&'a str>,
        location: PathLocation<'a>,
    }

    /// The list inside a top-level object, as serde_json writes it.
    #[derive(serde::Serialize)]
    struct Wrapper<'a> {
        components: Vec<Reference<'a>>,
    }

    fn tricky_strings() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            "plain",
            "\"",
            "\\",
            "a\"b\\c",
            "tab\tnl\ncr\rbs\x08ff\x0c",
            "\x00\x01\x1f\x7f",
            "é ü ✓ 日本 \u{2028}\u{202e}",
            "0123456789abcdef\"0123456789abcdef\\0123456789abcdef\x1b",
        ]
        .map(String::from)
        .to_vec();
        // every ASCII byte at every place of a 17-byte string: word and tail paths
        for b in 0..0x80u8 {
            for at in [0, 3, 7, 8, 9, 15, 16] {
                let mut s = String::from("abcdefghijklmnopq");
                s.replace_range(at..at + 1, &char::from(b).to_string());
                v.push(s);
            }
        }
        v
    }

    #[test]
    fn strings_escape_exactly_as_serde_json() {
        for s in tricky_strings() {
            let mut ours = Vec::new();
            string(&mut ours, &s);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn both_modes_match_serde_json_byte_for_byte() {
        let strings = tricky_strings();
        let mut table = Sources::new();
        let files = [
            table.add("we\"ird\\dir/é\tfile\x01.json", "x".repeat(4000)),
            table.add("", "y"),
            table.add("plain/package-lock.json", "a\nb\nc\n".repeat(100)),
        ];
        let sources = leak(table);
        let components: Vec<Component> = strings
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let file = files[i % files.len()];
                let len = sources.get(file).text.len();
                let (a, b) = ((i * 7) % len, (i * 7 + 3).min(len));
                let mut c = Component::new(
                    ComponentKind::Package,
                    Ecosystem::Npm,
                    s.clone(),
                    (i % 3 != 0).then(|| strings[(i + 1) % strings.len()].clone()),
                    sources.get(file).span(a, b),
                );
                c.resolved = (i % 2 == 0).then(|| s.clone());
                c.id = ComponentId {
                    file,
                    n: i as u32 * 997,
                };
                c
            })
            .collect();
        let located: Vec<(&Component, PathLocation)> = components
            .iter()
            .map(|c| {
                let f = sources.get(c.span.file);
                let ((line, column), (end_line, end_column)) =
                    (f.line_col(c.span.start), f.line_col(c.span.end));
                let location = PathLocation {
                    path: f.path,
                    line,
                    column,
                    end_line,
                    end_column,
                };
                (c, location)
            })
            .collect();
        for n in [0, 1, 2, located.len()] {
            let list = &located[..n];
            let reference = Wrapper {
                components: list
                    .iter()
                    .map(|&(c, location)| Reference {
                        id: c.id.display(sources.path(c.id.file)),
                        kind: kind_name(c.kind),
                        ecosystem: c.ecosystem.as_str(),
                        name: &c.name,
                        version: c.version.as_deref(),
                        resolved: c.resolved.as_deref(),
                        location,
                    })
                    .collect(),
            };
            let mut compact = b"{\"components\":".to_vec();
            write::<false>(&sources, list, &mut compact).unwrap();
            compact.push(b'}');
            assert_eq!(
                String::from_utf8(compact).unwrap(),
                serde_json::to_string(&reference).unwrap()
            );
            let mut pretty = b"{\n  \"components\": ".to_vec();
            write::<true>(&sources, list, &mut pretty).unwrap();
            pretty.extend_from_slice(b"\n}");
            assert_eq!(
                String::from_utf8(pretty).unwrap(),
                serde_json::to_string_pretty(&reference).unwrap()
            );
        }
    }
}
