//! Checkstyle XML output: the report format Checkstyle writes with `-f xml`, which many CI
//! tools read as a generic lint format (reviewdog `-f=checkstyle`, Jenkins warnings-ng's
//! Checkstyle parser, danger-checkstyle_format, …).
//!
//! Owns the shape those readers parse: `<checkstyle version="4.3">`, one `<file name=…>`
//! per file that has findings, one `<error line column severity message source/>` per
//! finding. skew's severities are Checkstyle's own names (`error`, `warning`, `info`);
//! `source` is `skew.RULE_ID`, so a reader that groups by checker groups by rule. Paths
//! are relative to the repository top, as in the other CI formats
//! ([`crate::root::Base::Repo`]). The fix, when there is one, ends the message
//! (`… (fix: …)`). Attribute text is escaped twice: characters that could act in a log or
//! that XML 1.0 cannot carry at all (C0 controls) become visible escapes first
//! ([`super::escape`]), then `&`, `<`, `>`, `"` and `'` become entities.
//! Must not: write anything but the one document (the file is parsed as a whole).

use std::io::{self, Write};

use super::{HumanOptions, Report, escape, sorted_findings};
use crate::diagnostic::Severity;

/// The document: every finding, grouped by file in the shared order, with a final newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    let mut open: Option<String> = None;
    for (f, loc) in sorted_findings(report) {
        if open.as_deref() != Some(loc.path.as_str()) {
            if open.is_some() {
                writeln!(out, "  </file>")?;
            }
            writeln!(out, r#"  <file name="{}">"#, attr(&loc.path))?;
            open = Some(loc.path.clone());
        }
        let severity = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let mut message = f.message.clone();
        if let Some(fix) = &f.fix {
            message.push_str(" (fix: ");
            message.push_str(fix);
            message.push(')');
        }
        writeln!(
            out,
            r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="skew.{}"/>"#,
            loc.line,
            loc.column,
            attr(&message),
            attr(&f.rule_id),
        )?;
    }
    if open.is_some() {
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

/// `s` as the value of a double-quoted XML attribute.
fn attr(s: &str) -> String {
    let visible = escape::one_line(s);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // a tab would be normalised to a space by every XML reader
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// The `checkstyle` format: errors for findings (and for an inventory's file problems).
pub(super) struct Checkstyle;

impl super::Reporter for Checkstyle {
    fn findings(&self, report: &Report, _: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
        render(report, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    #[test]
    fn report() {
        let fx = Fixture::new();
        let s = to_string(|out| render(&fx.report(), out));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn parses_as_xml_with_one_error_per_finding() {
        let fx = Fixture::new();
        let s = to_string(|out| render(&fx.report(), out));
        let doc = roxmltree::Document::parse(&s).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "checkstyle");
        assert_eq!(root.attribute("version"), Some("4.3"));
        let files: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        let names: Vec<_> = files.iter().map(|f| f.attribute("name").unwrap()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted, "one <file> per path, in order");
        let errors: Vec<_> = files
            .iter()
            .flat_map(|f| f.children().filter(|n| n.is_element()))
            .collect();
        assert_eq!(errors.len(), fx.findings.len());
        for e in errors {
            assert_eq!(e.tag_name().name(), "error");
            assert!(e.attribute("line").unwrap().parse::<usize>().unwrap() >= 1);
            assert!(e.attribute("column").unwrap().parse::<usize>().unwrap() >= 1);
            assert!(["error", "warning", "info"].contains(&e.attribute("severity").unwrap()));
            assert!(!e.attribute("message").unwrap().is_empty());
            assert!(e.attribute("source").unwrap().starts_with("skew."));
        }
    }

    #[test]
    fn markup_and_controls_in_text_stay_text() {
        let hostile = "a<b>&\"c\"'d'\x1b[31m\u{202e}\n\te";
        let doc = format!(r#"<x v="{}"/>"#, attr(hostile));
        let parsed = roxmltree::Document::parse(&doc).unwrap();
        assert_eq!(
            parsed.root_element().attribute("v"),
            Some("a<b>&\"c\"'d'\\u{1b}[31m\\u{202e}\\u{a}\te")
        );
    }
}
