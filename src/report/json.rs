//! JSON output, schema version 1 (documented in `docs/json-schema.md`).
//!
//! Owns the shape of the document editors and CI read: field names, their order and
//! types. Within schema version 1 changes are additive only; renaming or removing a field
//! needs a new `schema_version`. Output is byte-identical run to run: serialisation goes
//! through structs (fixed field order, no maps), lists are sorted here, and the document
//! is pretty-printed (on one line for programs: [`super::HumanOptions::compact_json`])
//! with a trailing newline. Must not: carry anything that varies between
//! runs on the same input (times, absolute paths the user did not give, hash-map order).

use std::io::{self, Write};

use serde::Serialize;

use super::{
    PathLocation, Report, WhatIf, kind_name, root_string, sorted_components, sorted_findings,
};
use crate::component::Component;
use crate::source::{Location, SourceView};

/// The schema version written in every document.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole document, indented (the reporters go through [`render_with`], which the
/// front end tells whether to indent).
#[cfg(test)]
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    render_with(report, None, false, out)
}

/// The document, plus `verdict`, `introduced` and `resolved` for `skew what-if`
/// (additive fields: schema version 1 still); on one line when `compact`.
pub fn render_with(
    report: &Report,
    what_if: Option<&WhatIf>,
    compact: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut doc = document(report);
    if let Some(w) = what_if {
        doc.verdict = Some(w.verdict);
        doc.introduced = Some(json_findings(&report.with_findings(w.introduced)));
        doc.resolved = Some(json_findings(&report.with_findings(w.resolved)));
    }
    // serde writes a document in many small pieces: buffer them here, behind the one
    // virtual `write` per block, rather than call through `dyn Write` for each
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
    if compact {
        serde_json::to_writer(&mut buffered, &doc)
    } else {
        serde_json::to_writer_pretty(&mut buffered, &doc)
    }
    .map_err(io::Error::from)?;
    writeln!(buffered)?;
    buffered.flush()
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    root: String,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    components: Components<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    introduced: Option<Vec<JsonFinding<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<Vec<JsonFinding<'a>>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    components: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Findings not reported, by reason (ignores, selection, baseline, `--since`).
    hidden: crate::suppress::Hidden,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    severity: &'static str,
    message: &'a str,
    location: Location,
    related: Vec<Related<'a>>,
    /// Why the client was paired with the server (deployment topology); omitted when
    /// there is nothing to say (a finding about one component).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pairing: Vec<Related<'a>>,
    fix: Option<&'a str>,
    sources: &'a [String],
    /// The ids (`path#n`) of the components the finding relates, client first.
    components: Vec<String>,
}

#[derive(Serialize)]
struct Related<'a> {
    location: Location,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonComponent<'a> {
    /// `path#n`: the file and the component's place among that file's components.
    id: String,
    kind: &'static str,
    ecosystem: &'static str,
    name: &'a str,
    version: Option<&'a str>,
    resolved: Option<&'a str>,
    location: PathLocation<'a>,
}

/// The sorted components, each made a [`JsonComponent`] only while it is written: an
/// inventory holds a hundred thousand, and the whole list built before writing was the
/// biggest allocation of a run.
struct Components<'a> {
    sources: &'a SourceView<'a>,
    sorted: Vec<(&'a Component, PathLocation<'a>)>,
}

impl Serialize for Components<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.sorted.iter().map(|&(c, location)| JsonComponent {
            id: c.id.display(self.sources.path(c.id.file)),
            kind: kind_name(c.kind),
            ecosystem: c.ecosystem.as_str(),
            name: &c.name,
            version: c.version.as_deref(),
            resolved: c.resolved.as_deref(),
            location,
        }))
    }
}

fn document<'a>(report: &Report<'a>) -> Document<'a> {
    use crate::diagnostic::Severity::*;
    Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "skew",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: root_string(report),
        summary: Summary {
            files_scanned: report.files_scanned,
            components: report.components.len(),
            errors: report.count(Error),
            warnings: report.count(Warning),
            infos: report.count(Info),
            hidden: report.hidden,
        },
        findings: json_findings(report),
        components: Components {
            sources: report.sources,
            sorted: sorted_components(report),
        },
        verdict: None,
        introduced: None,
        resolved: None,
    }
}

fn json_findings<'a>(report: &Report<'a>) -> Vec<JsonFinding<'a>> {
    let sources: &SourceView<'_> = report.sources;
    sorted_findings(report)
        .into_iter()
        .map(|(f, location)| JsonFinding {
            rule_id: &f.rule_id,
            severity: f.severity.as_str(),
            message: &f.message,
            location,
            // Related labels keep the rule's order: the first is the main other end.
            related: f
                .related
                .iter()
                .filter(|l| !l.pairing)
                .map(|l| Related {
                    location: sources.location(l.span),
                    message: &l.message,
                })
                .collect(),
            pairing: f
                .related
                .iter()
                .filter(|l| l.pairing)
                .map(|l| Related {
                    location: sources.location(l.span),
                    message: &l.message,
                })
                .collect(),
            fix: f.fix.as_deref(),
            sources: &f.sources,
            components: f
                .components
                .iter()
                .map(|id| id.display(sources.path(id.file)))
                .collect(),
        })
        .collect()
}

/// The `json` format: one document for every command (`scan` fills `components`,
/// `what-if` adds its fields).
pub(super) struct Json;

impl super::Reporter for Json {
    fn findings(
        &self,
        report: &Report,
        opts: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render_with(report, None, opts.compact_json, out)
    }

    fn what_if(
        &self,
        report: &Report,
        what_if: &WhatIf,
        opts: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render_with(report, Some(what_if), opts.compact_json, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    #[test]
    fn document() {
        let fx = Fixture::new();
        let report = fx.report();
        let s = to_string(|out| render(&report, out));
        assert!(s.ends_with("}\n"));
        // Keep the snapshot stable across releases: the version is checked here instead.
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
        let s = s.replace(
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\": \"[version]\"",
        );
        insta::assert_snapshot!(s);
    }

    #[test]
    fn byte_identical_across_renders_and_input_orders() {
        let fx = Fixture::new();
        let first = to_string(|out| render(&fx.report(), out));
        let second = to_string(|out| render(&fx.report(), out));
        assert_eq!(first, second);

        let mut reversed = Fixture::new();
        reversed.findings.reverse();
        reversed.components.reverse();
        let third = to_string(|out| render(&reversed.report(), out));
        assert_eq!(first, third);
    }

    #[test]
    fn unsorted_input_comes_out_sorted() {
        let fx = Fixture::new();
        let s = to_string(|out| render(&fx.report(), out));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let keys = |list: &serde_json::Value, last: &str| -> Vec<(String, u64, u64, String)> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    let l = &x["location"];
                    (
                        l["path"].as_str().unwrap().to_string(),
                        l["line"].as_u64().unwrap(),
                        l["column"].as_u64().unwrap(),
                        x[last].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        let findings = keys(&v["findings"], "rule_id");
        let components = keys(&v["components"], "name");
        let mut sorted = findings.clone();
        sorted.sort();
        assert_eq!(findings, sorted);
        let mut sorted = components.clone();
        sorted.sort();
        assert_eq!(components, sorted);
        // The fixture's input order is not sorted, so this checks the renderer sorts.
        assert_ne!(fx.findings[0].rule_id, v["findings"][0]["rule_id"]);
    }
}

#[cfg(test)]
mod docs {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    /// The example in `docs/json-schema.md` is real output: the fixture's MySQL finding
    /// and components. Regenerate with `SKEW_UPDATE_DOCS=1 cargo test --lib report::json`.
    #[test]
    fn schema_doc_example_is_current() {
        let mut fx = Fixture::new();
        fx.findings
            .retain(|f| f.rule_id == "mysql-caching-sha2-password");
        fx.components.retain(|c| c.name == "mysql");
        let report = crate::report::Report {
            files_scanned: 2,
            ..fx.report()
        };
        let example = to_string(|out| render(&report, out)).replace(
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\": \"0.1.0\"",
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-schema.md");
        let doc = std::fs::read_to_string(path).expect("docs/json-schema.md exists");
        const START: &str = "<!-- example:start -->\n```json\n";
        const END: &str = "```\n<!-- example:end -->";
        let (a, b) = (
            doc.find(START).expect("example start marker") + START.len(),
            doc.find(END).expect("example end marker"),
        );
        if std::env::var_os("SKEW_UPDATE_DOCS").is_some() {
            let updated = format!("{}{}{}", &doc[..a], example, &doc[b..]);
            std::fs::write(path, updated).unwrap();
        } else {
            assert_eq!(
                &doc[a..b],
                example,
                "docs/json-schema.md example is stale: rerun with SKEW_UPDATE_DOCS=1"
            );
        }
    }
}
