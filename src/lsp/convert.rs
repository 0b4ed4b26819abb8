//! Conversions at the LSP edge: byte spans to protocol positions, file URIs to paths and
//! back, findings to protocol diagnostics.
//!
//! skew's spans are byte ranges; LSP positions are 0-based lines and a character offset
//! counted in the negotiated encoding (UTF-16 code units unless the client offered
//! UTF-8). This module is the only place that counts those units. Must not: evaluate
//! anything or talk to the client.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location as LspLocation, NumberOrString, Position, PositionEncodingKind, Range, Uri,
};

use crate::diagnostic::{Finding, Severity};
use crate::source::{SourceFile, Span};

/// How LSP `character` offsets are counted on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8: skew's own unit, used when the client offers it.
    Utf8,
    /// UTF-16 code units: the protocol's default, what every client understands.
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it in `general.positionEncodings`, else UTF-16 (the
    /// only encoding a server may assume without negotiation).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The LSP position of a byte offset in `file`.
pub fn position(file: &SourceFile, offset: usize, enc: Encoding) -> Position {
    let (line, _) = file.line_col(offset);
    let line_start = file.offset_of(line, 1);
    let mut end = offset.min(file.text.len());
    while !file.text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &file.text[line_start..end.max(line_start)];
    let character = match enc {
        Encoding::Utf8 => before.len(),
        Encoding::Utf16 => before.encode_utf16().count(),
    };
    Position::new((line - 1) as u32, character as u32)
}

/// The LSP range of a span in `file`.
pub fn range(file: &SourceFile, span: Span, enc: Encoding) -> Range {
    Range::new(
        position(file, span.start, enc),
        position(file, span.end, enc),
    )
}

/// Do two ranges share a position? Touching counts: a cursor at the end of a version
/// still asks for its quick fix.
pub fn overlaps(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

/// The local path of a `file:` URI; `None` for other schemes (`untitled:`, …).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///p` and `file://localhost/p` name local files; other hosts do not
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_decode(path)?;
    // `/C:/x` is the Windows path `C:/x`
    let b = decoded.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path, percent-encoding everything but unreserved
/// characters and `/`.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex = [it.next()?, it.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok()
}

/// The protocol diagnostic of a finding. `file_of` gives each span's file and URI (a
/// related label may sit in another file); labels whose file has no URI are dropped.
pub fn diagnostic<'a>(
    finding: &Finding,
    file_of: &dyn Fn(Span) -> Option<(&'a SourceFile, Uri)>,
    enc: Encoding,
) -> Option<Diagnostic> {
    let (file, _) = file_of(finding.primary.span)?;
    let related: Vec<_> = finding
        .related
        .iter()
        .filter_map(|l| {
            let (f, uri) = file_of(l.span)?;
            Some(DiagnosticRelatedInformation {
                location: LspLocation::new(uri, range(f, l.span, enc)),
                message: l.message.clone(),
            })
        })
        .collect();
    let mut message = finding.message.clone();
    if let Some(fix) = &finding.fix {
        message.push_str("\nhelp: ");
        message.push_str(fix);
    }
    Some(Diagnostic {
        range: range(file, finding.primary.span, enc),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule_id.clone())),
        code_description: finding
            .sources
            .first()
            .and_then(|s| Uri::from_str(s).ok())
            .map(|href| CodeDescription { href }),
        source: Some("skew".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn utf16_counts_code_units_after_non_ascii() {
        // `é` is 2 bytes / 1 UTF-16 unit; `𝄞` is 4 bytes / 2 UTF-16 units (a surrogate pair)
        let text = "{\n  \"mysql-é𝄞\": \"^2.18.1\"\n}\n";
        let f = SourceFile::new(FileId(0), "package.json", text);
        let start = text.find('^').unwrap();
        let span = f.span(start, start + "^2.18.1".len());
        let r16 = range(&f, span, Encoding::Utf16);
        assert_eq!((r16.start.line, r16.start.character), (1, 16));
        assert_eq!((r16.end.line, r16.end.character), (1, 23));
        let r8 = range(&f, span, Encoding::Utf8);
        assert_eq!((r8.start.line, r8.start.character), (1, 19));
        assert_eq!((r8.end.line, r8.end.character), (1, 26));
        // the next line starts again at 0
        assert_eq!(
            position(&f, text.len() - 2, Encoding::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn inside_a_character_rounds_down() {
        let f = SourceFile::new(FileId(0), "a", "é");
        assert_eq!(position(&f, 1, Encoding::Utf16), Position::new(0, 0));
        assert_eq!(position(&f, 2, Encoding::Utf16), Position::new(0, 1));
        assert_eq!(position(&f, 99, Encoding::Utf8), Position::new(0, 2));
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        let offered = [PositionEncodingKind::UTF32];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf16);
    }

    #[test]
    fn file_uris_round_trip_with_escapes() {
        let p = Path::new("/tmp/my repo/ça/package.json");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20repo/%C3%A7a/package.json");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let local = Uri::from_str("file://localhost/srv/x").unwrap();
        assert_eq!(uri_to_path(&local).unwrap(), Path::new("/srv/x"));
        let untitled = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&untitled), None);
        let win = Uri::from_str("file:///c%3A/repo/go.mod").unwrap();
        assert_eq!(uri_to_path(&win).unwrap(), Path::new("c:/repo/go.mod"));
    }

    #[test]
    fn ranges_overlap_when_touching() {
        let r = |a, b, c, d| Range::new(Position::new(a, b), Position::new(c, d));
        assert!(overlaps(&r(1, 7, 1, 14), &r(1, 14, 1, 14)));
        assert!(overlaps(&r(1, 7, 1, 14), &r(0, 0, 5, 0)));
        assert!(!overlaps(&r(1, 7, 1, 14), &r(1, 15, 1, 16)));
        assert!(!overlaps(&r(1, 7, 1, 14), &r(0, 0, 0, 3)));
    }
}
