//! Human output: one miette diagnostic per finding, drawn with source snippets.
//!
//! Owns the conversion of a [`Finding`] into a miette [`Diagnostic`]: the source is the
//! primary label's file, related labels in that file become extra labels, related labels
//! in other files become related diagnostics with their own source, and the fix plus the
//! finding's sources become the `help` text (plain text, never terminal hyperlinks, so
//! output pastes and snapshots cleanly). The summary line goes to the same writer as the
//! findings, after them, so `skew check > out.txt` keeps both; `quiet` drops it.
//! Must not: sort by anything but the shared order, or colour unless asked.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan,
};

use super::escape;
use super::excerpt::Excerpt;
use super::{HumanOptions, Report, kind_name, plural, sorted_components, sorted_findings};
use crate::diagnostic::{Finding, Severity};
use crate::source::{SourceView, Span};

/// Every finding as a diagnostic, then the summary line unless `opts.quiet`.
pub fn render(report: &Report, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    write_findings(report, opts, out)?;
    if !opts.quiet {
        writeln!(out, "{}", summary(report))?;
        write_explain_hint(report.findings, out)?;
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
                escape::one_line(&loc.path),
                loc.line,
                loc.column,
                f.severity,
                escape::one_line(&f.rule_id),
                escape::one_line(&f.message)
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
        write_explain_hint(what_if.introduced, out)?;
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

/// `2 errors, 1 warning, 0 infos in 4 files (7 components)`, with what was hidden after
/// the counts when anything was: `2 errors, 1 warning, 0 infos (3 ignored, 5 in
/// baseline) in 4 files (7 components)`.
fn summary(report: &Report) -> String {
    let hidden = report
        .hidden
        .describe()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    format!(
        "{}, {}, {}{hidden} in {} ({})",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info"),
        plural(report.files_scanned, "file"),
        plural(report.components.len(), "component"),
    )
}

/// The closing hint, after the summary: which `skew explain ID` tells why the rules shown
/// matter and how to fix what they flag (rustc's "For more information about this error,
/// try `rustc --explain E0308`"). Nothing when no finding was shown.
fn write_explain_hint(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    match ids.as_slice() {
        [] => Ok(()),
        [id] => writeln!(
            out,
            "for why this matters and how to fix it, run `skew explain {}`",
            escape::one_line(id)
        ),
        [first, ..] => writeln!(
            out,
            "rules shown: {}\nfor why each matters and how to fix it, run `skew explain ID`, e.g. `skew explain {}`",
            ids.iter()
                .map(|id| escape::one_line(id))
                .collect::<Vec<_>>()
                .join(", "),
            escape::one_line(first)
        ),
    }
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
    for (finding, _) in sorted_findings(report) {
        let diag = to_diagnostic(finding, report.sources);
        let mut s = String::new();
        handler
            .render_report(&mut s, &diag)
            .map_err(|_| io::Error::other("cannot format a diagnostic"))?;
        writeln!(out, "{s}")?;
    }
    Ok(())
}

/// A finding as miette draws it: one block whose snippets show every file the finding
/// involves, the primary label's file first, then the others in the order of their first
/// related label, each under its own `[path:line:col]` header. Each file gets an
/// [`Excerpt`] of only the lines its labels need, so a finding costs the size of its
/// snippets, not of its files; every text that can come from a scanned file (messages,
/// labels, help, paths, source lines) is escaped on the way ([`escape`]). The rule id
/// leads the message (`error[id]: …`, as `short` and the `resolved` lines print it)
/// instead of standing on a line of its own.
fn to_diagnostic(finding: &Finding, sources: &SourceView<'_>) -> HumanDiagnostic {
    // (file, [(span, message, primary)]) in the order the snippets are drawn
    let mut files: Vec<(crate::source::FileId, Vec<Drawn<'_>>)> = vec![(
        finding.primary.span.file,
        vec![(finding.primary.span, finding.primary.message.as_str(), true)],
    )];
    for label in &finding.related {
        let entry = (label.span, label.message.as_str(), false);
        match files.iter_mut().find(|(f, _)| *f == label.span.file) {
            Some((_, labels)) => labels.push(entry),
            None => files.push((label.span.file, vec![entry])),
        }
    }
    let mut source: Option<Excerpt> = None;
    let mut labels = Vec::new();
    for (file, here) in &files {
        let spans: Vec<Span> = here.iter().map(|h| h.0).collect();
        let (excerpt, translated) = Excerpt::new(&sources.get(*file), &spans);
        let base = match source.as_mut() {
            Some(all) => all.append(excerpt),
            None => {
                source = Some(excerpt);
                0
            }
        };
        for (&(_, message, primary), span) in here.iter().zip(translated) {
            let message = (!message.is_empty()).then(|| escape::multi_line(message).into_owned());
            let span = SourceSpan::new((span.offset() + base).into(), span.len());
            labels.push(if primary {
                LabeledSpan::new_primary_with_span(message, span)
            } else {
                LabeledSpan::new_with_span(message, span)
            });
        }
    }
    HumanDiagnostic {
        message: format!(
            "{}[{}]: {}",
            finding.severity,
            escape::one_line(&finding.rule_id),
            escape::multi_line(&finding.message)
        ),
        severity: match finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        },
        help: help_text(finding).map(|h| escape::multi_line(&h).into_owned()),
        source: source.expect("a finding has a primary label"),
        labels,
    }
}

/// A label to draw: its span, its text, whether it is the primary one.
type Drawn<'a> = (Span, &'a str, bool);

/// The fix, then one `see <url>` line per source.
fn help_text(finding: &Finding) -> Option<String> {
    let mut lines: Vec<String> = finding.fix.iter().cloned().collect();
    lines.extend(finding.sources.iter().map(|url| format!("see {url}")));
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A finding as miette wants it.
#[derive(Debug)]
struct HumanDiagnostic {
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for HumanDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanDiagnostic {}

impl Diagnostic for HumanDiagnostic {
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
            let shown = |v: &Option<String>| {
                v.as_deref()
                    .map_or("-".into(), |v| escape::one_line(v).into_owned())
            };
            [
                format!("{}:{}:{}", escape::one_line(loc.path), loc.line, loc.column),
                kind_name(c.kind).to_string(),
                c.ecosystem.as_str().to_string(),
                escape::one_line(&c.name).into_owned(),
                shown(&c.version),
                shown(&c.resolved),
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
        let table = crate::source::Sources::new();
        let sources = table.view();
        let report = Report {
            root: ".".into(),
            sources: &sources,
            findings: &[],
            components: &[],
            projects: &[],
            files_scanned: 0,
            rules: &[],
            hidden: Default::default(),
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

    /// The fixture's files released as a scan of the disk releases big ones, each read
    /// again from `dir` when a finding's excerpt needs it.
    fn released(fx: &Fixture, dir: &std::path::Path) -> Fixture {
        let mut table = crate::source::Sources::new();
        for f in fx.sources.iter() {
            let path = dir.join(f.path.replace('/', "_"));
            std::fs::write(&path, &f.text).unwrap();
            let mut file = crate::source::SourceFile::new(f.id, f.path, f.text.clone());
            assert!(file.release(&path, 1 << 20));
            table.push(file);
        }
        Fixture {
            sources: crate::report::testing::leak(table),
            findings: fx.findings.clone(),
            components: fx.components.clone(),
        }
    }

    #[test]
    fn released_texts_show_the_excerpts_kept_ones_show() {
        let fx = Fixture::new();
        let kept = to_string(|out| render(&fx.report(), &HumanOptions::default(), out));
        let dir = tempfile::tempdir().unwrap();
        let again = released(&fx, dir.path());
        let s = to_string(|out| render(&again.report(), &HumanOptions::default(), out));
        assert_eq!(s, kept);
    }

    #[test]
    fn a_file_changed_since_the_scan_shows_no_lines() {
        let fx = Fixture::new();
        let dir = tempfile::tempdir().unwrap();
        let again = released(&fx, dir.path());
        // the client's version edited on disk between the scan and the report
        let path = dir.path().join("services_api_package.json");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("2.18.1", "2.19.0")).unwrap();
        let s = to_string(|out| render(&again.report(), &HumanOptions::default(), out));
        // the real position in the header, no line of the edited file
        assert!(s.contains("[services/api/package.json:4:15]"), "{s}");
        assert!(s.contains("this file changed since skew read it"), "{s}");
        assert!(!s.contains("2.19.0"), "{s}");
        // the other files still show their lines
        assert!(s.contains("image: mysql:8.0.36"), "{s}");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn parse_error_in_an_empty_file_and_at_end_of_file() {
        let mut sources = crate::source::Sources::new();
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
        let view = sources.view();
        let report = Report {
            root: ".".into(),
            sources: &view,
            findings: &findings,
            components: &[],
            projects: &[],
            files_scanned: 2,
            rules: &[],
            hidden: Default::default(),
        };
        let s = to_string(|out| render(&report, &HumanOptions::default(), out));
        insta::assert_snapshot!(s);
    }
}
