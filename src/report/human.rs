//! Human output: one miette diagnostic per finding, drawn with source snippets.
//!
//! Owns the conversion of a [`Finding`] into a miette [`Diagnostic`]: the source is the
//! primary label's file, related labels in that file become extra labels, related labels
//! in other files become related diagnostics with their own source, and the fix plus the
//! finding's sources become the `help` text (plain text, never terminal hyperlinks, so
//! output pastes and snapshots cleanly). The summary line goes to the same writer as the
//! findings, after them, so `skew check > out.txt` keeps both; `quiet` drops it.
//! Must not: sort by anything but the shared order, or colour unless asked.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{HumanOptions, Report, kind_name, plural, sorted_components, sorted_findings};
use crate::diagnostic::{Finding, Severity};
use crate::source::{FileId, Sources, Span};

/// Every finding as a diagnostic, then the summary line unless `opts.quiet`.
pub fn render(report: &Report, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    write_findings(report, opts, out)?;
    if !opts.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// The verdict line, the introduced findings as diagnostics, then the resolved ones as
/// one line each (they need no source snippet: they go away).
pub fn render_what_if(
    report: &Report,
    what_if: &super::WhatIf,
    opts: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}\n", what_if.verdict)?;
    let introduced = report.with_findings(what_if.introduced);
    write_findings(&introduced, opts, out)?;
    if !what_if.resolved.is_empty() {
        writeln!(out, "resolved by this change:")?;
        let resolved = report.with_findings(what_if.resolved);
        for (f, loc) in sorted_findings(&resolved) {
            writeln!(
                out,
                "  {}:{}:{}: {}[{}]: {}",
                loc.path, loc.line, loc.column, f.severity, f.rule_id, f.message
            )?;
        }
        writeln!(out)?;
    }
    if !opts.quiet {
        writeln!(
            out,
            "{} introduced, {} resolved",
            plural(what_if.introduced.len(), "finding"),
            what_if.resolved.len()
        )?;
    }
    Ok(())
}

/// An aligned table of components, then the file problems as diagnostics, then a summary
/// line unless `opts.quiet`.
pub fn render_inventory(
    report: &Report,
    opts: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_table(report, out)?;
    if !report.findings.is_empty() {
        writeln!(out)?;
        write_findings(report, opts, out)?;
    }
    if !opts.quiet {
        writeln!(
            out,
            "{} in {}, {}",
            plural(report.components.len(), "component"),
            plural(report.files_scanned, "file"),
            plural(report.findings.len(), "problem"),
        )?;
    }
    Ok(())
}

/// `2 errors, 1 warning, 0 infos in 4 files (7 components)`.
fn summary(report: &Report) -> String {
    format!(
        "{}, {}, {} in {} ({})",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info"),
        plural(report.files_scanned, "file"),
        plural(report.components.len(), "component"),
    )
}

fn handler(opts: &HumanOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        // URLs and paths in help text must stay whole to be clickable and greppable.
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
}

fn write_findings(report: &Report, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(opts);
    let mut texts = Texts::new(report.sources);
    for (finding, _) in sorted_findings(report) {
        let diag = to_diagnostic(finding, &mut texts);
        let mut s = String::new();
        handler
            .render_report(&mut s, &diag)
            .map_err(|_| io::Error::other("cannot format a diagnostic"))?;
        writeln!(out, "{s}")?;
    }
    Ok(())
}

/// One shared copy of each file's text: a finding and its related diagnostics all point
/// into the same `Arc`, so a big lockfile is copied once per run, not once per finding.
struct Texts<'a> {
    sources: &'a Sources,
    texts: HashMap<FileId, Arc<String>>,
}

impl<'a> Texts<'a> {
    fn new(sources: &'a Sources) -> Self {
        Texts {
            sources,
            texts: HashMap::new(),
        }
    }

    fn named(&mut self, file: FileId) -> NamedSource<Arc<String>> {
        let f = self.sources.get(file);
        let text = self
            .texts
            .entry(file)
            .or_insert_with(|| Arc::new(f.text.clone()))
            .clone();
        NamedSource::new(f.path.clone(), text)
    }
}

fn to_diagnostic(finding: &Finding, texts: &mut Texts) -> HumanDiagnostic {
    let file = finding.primary.span.file;
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(finding.primary.message.clone()),
        source_span(finding.primary.span),
    )];
    let mut related = Vec::new();
    for label in &finding.related {
        if label.span.file == file {
            labels.push(LabeledSpan::new_with_span(
                Some(label.message.clone()),
                source_span(label.span),
            ));
        } else {
            // The rule id as code ties the other end to its finding (and spares miette's
            // `Advice: ` header from standing empty).
            related.push(HumanDiagnostic {
                message: label.message.clone(),
                code: Some(finding.rule_id.clone()),
                severity: miette::Severity::Advice,
                help: None,
                source: texts.named(label.span.file),
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    source_span(label.span),
                )],
                related: Vec::new(),
            });
        }
    }
    HumanDiagnostic {
        message: finding.message.clone(),
        code: Some(finding.rule_id.clone()),
        severity: match finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        help: help_text(finding),
        source: texts.named(file),
        labels,
        related,
    }
}

/// The fix, then one `see <url>` line per source.
fn help_text(finding: &Finding) -> Option<String> {
    let mut lines: Vec<String> = finding.fix.iter().cloned().collect();
    lines.extend(finding.sources.iter().map(|url| format!("see {url}")));
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn source_span(span: Span) -> miette::SourceSpan {
    (span.start, span.len()).into()
}

/// A finding (or one of its related ends) as miette wants it.
#[derive(Debug)]
struct HumanDiagnostic {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<Arc<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<HumanDiagnostic>,
}

impl fmt::Display for HumanDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanDiagnostic {}

impl Diagnostic for HumanDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
        }
    }
}

/// The inventory table: a header, then one row per component in the shared order.
/// Columns are padded to their widest cell counted in characters.
fn write_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    const HEADER: [&str; 6] = [
        "LOCATION",
        "KIND",
        "ECOSYSTEM",
        "NAME",
        "VERSION",
        "RESOLVED",
    ];
    let rows: Vec<[String; 6]> = sorted_components(report)
        .into_iter()
        .map(|(c, loc)| {
            [
                format!("{}:{}:{}", loc.path, loc.line, loc.column),
                kind_name(c.kind).to_string(),
                c.ecosystem.as_str().to_string(),
                c.name.clone(),
                c.version.clone().unwrap_or_else(|| "-".into()),
                c.resolved.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    if rows.is_empty() {
        return writeln!(out, "no components found");
    }
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header = HEADER.map(String::from);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', w - cell.chars().count()));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The `human` format.
pub(super) struct Human;

impl super::Reporter for Human {
    fn findings(
        &self,
        report: &Report,
        opts: &HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render(report, opts, out)
    }

    fn inventory(
        &self,
        report: &Report,
        opts: &HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render_inventory(report, opts, out)
    }

    fn what_if(
        &self,
        report: &Report,
        what_if: &super::WhatIf,
        opts: &HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render_what_if(report, what_if, opts, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    #[test]
    fn check_output() {
        let fx = Fixture::new();
        let report = fx.report();
        let s = to_string(|out| render(&report, &HumanOptions::default(), out));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn quiet_drops_the_summary() {
        let fx = Fixture::new();
        let report = fx.report();
        let opts = HumanOptions {
            quiet: true,
            ..HumanOptions::default()
        };
        let s = to_string(|out| render(&report, &opts, out));
        assert!(!s.contains("in 3 files"), "{s}");
        assert!(s.contains("mysql-caching-sha2-password"));
    }

    #[test]
    fn no_colour_unless_asked() {
        let fx = Fixture::new();
        let report = fx.report();
        let plain = to_string(|out| render(&report, &HumanOptions::default(), out));
        assert!(!plain.contains('\u{1b}'));
        let opts = HumanOptions {
            color: true,
            ..HumanOptions::default()
        };
        let coloured = to_string(|out| render(&report, &opts, out));
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn inventory_table() {
        let fx = Fixture::new();
        let report = fx.report();
        let s = to_string(|out| render_inventory(&report, &HumanOptions::default(), out));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn empty_report() {
        let sources = Sources::new();
        let report = Report {
            root: ".".into(),
            sources: &sources,
            findings: &[],
            components: &[],
            projects: &[],
            files_scanned: 0,
            rules: &[],
        };
        let opts = HumanOptions::default();
        let s = to_string(|out| render(&report, &opts, out));
        assert_eq!(
            s,
            "0 errors, 0 warnings, 0 infos in 0 files (0 components)\n"
        );
        let s = to_string(|out| render_inventory(&report, &opts, out));
        assert_eq!(
            s,
            "no components found\n0 components in 0 files, 0 problems\n"
        );
    }

    #[test]
    fn parse_error_in_an_empty_file_and_at_end_of_file() {
        let mut sources = Sources::new();
        let empty = sources.add("empty/package.json", "");
        let cut = sources.add("cut/package.json", "{\n  \"a\": 1,\n");
        let end = sources.get(cut).text.len();
        let findings = [
            crate::diagnostic::parse_error(
                sources.get(empty).span(0, 0),
                "package.json",
                "EOF while parsing a value at line 1 column 0",
            ),
            crate::diagnostic::parse_error(
                sources.get(cut).span(end, end),
                "package.json",
                "EOF while parsing an object at line 3 column 0",
            ),
        ];
        let report = Report {
            root: ".".into(),
            sources: &sources,
            findings: &findings,
            components: &[],
            projects: &[],
            files_scanned: 2,
            rules: &[],
        };
        let s = to_string(|out| render(&report, &HumanOptions::default(), out));
        insta::assert_snapshot!(s);
    }
}
