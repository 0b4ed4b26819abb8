//! JSON output, schema version 1 (documented in `docs/json-schema.md`).
//!
//! Owns the shape of the document editors and CI read: field names, their order and
//! types. Within schema version 1 changes are additive only; renaming or removing a field
//! needs a new `schema_version`. Output is byte-identical run to run: the top-level fields
//! are written in a fixed order by [`render_with`], their values through structs (fixed
//! field order, no maps) except the component list, which [`components`] writes by hand
//! for speed with the bytes serde_json would write; lists are sorted here, and the
//! document is pretty-printed (on one line for programs:
//! [`super::HumanOptions::compact_json`]) with a trailing newline. Must not: carry
//! anything that varies between runs on the same input (times, absolute paths the user
//! did not give, hash-map order).

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, WhatIf, root_string, sorted_components, sorted_findings};
use crate::source::{Location, SourceView};

mod components;

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
    // serde writes a document in many small pieces: buffer them here, behind the one
    // virtual `write` per block, rather than call through `dyn Write` for each
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
    let mut doc = TopLevel {
        out: &mut buffered,
        compact,
        fields: 0,
    };
    // the schema's field order
    doc.field("schema_version", &SCHEMA_VERSION)?;
    doc.field(
        "tool",
        &Tool {
            name: "skew",
            version: env!("CARGO_PKG_VERSION"),
        },
    )?;
    doc.field("root", &root_string(report))?;
    doc.field("summary", &summary(report))?;
    doc.field("findings", &json_findings(report))?;
    doc.key("components")?;
    let sorted = sorted_components(report);
    if compact {
        components::write::<false>(report.sources, &sorted, doc.out)?;
    } else {
        components::write::<true>(report.sources, &sorted, doc.out)?;
    }
    if let Some(w) = what_if {
        doc.field("verdict", &w.verdict)?;
        doc.field(
            "introduced",
            &json_findings(&report.with_findings(w.introduced)),
        )?;
        doc.field(
            "resolved",
            &json_findings(&report.with_findings(w.resolved)),
        )?;
    }
    doc.out.write_all(if compact { b"}\n" } else { b"\n}\n" })?;
    buffered.flush()
}

/// The top-level object, written field by field as serde_json would write it, so that
/// `components` can be written without serde ([`components`] says why); every other
/// field's value goes through serde.
struct TopLevel<'w> {
    out: &'w mut dyn Write,
    compact: bool,
    fields: usize,
}

impl TopLevel<'_> {
    /// `{` or `,`, then `"name":` (in pretty mode on a new line, indented, and `": "`).
    fn key(&mut self, name: &str) -> io::Result<()> {
        let open: &[u8] = match (self.fields, self.compact) {
            (0, true) => b"{",
            (_, true) => b",",
            (0, false) => b"{\n  ",
            (_, false) => b",\n  ",
        };
        self.fields += 1;
        self.out.write_all(open)?;
        serde_json::to_writer(&mut *self.out, name)?;
        self.out.write_all(if self.compact { b":" } else { b": " })
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> io::Result<()> {
        self.key(name)?;
        if self.compact {
            serde_json::to_writer(&mut *self.out, value)?;
        } else {
            serde_json::to_writer_pretty(Nested(&mut *self.out), value)?;
        }
        Ok(())
    }
}

/// A pretty value one level down: serde_json indents from zero, so every line break it
/// writes gets the top-level object's two spaces (strings never hold a raw line break:
/// JSON escapes it).
struct Nested<W>(W);

impl<W: Write> Write for Nested<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while let Some(i) = buf.iter().position(|&b| b == b'\n') {
            self.0.write_all(&buf[..=i])?;
            self.0.write_all(b"  ")?;
            buf = &buf[i + 1..];
        }
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
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

fn summary(report: &Report) -> Summary {
    use crate::diagnostic::Severity::*;
    Summary {
        files_scanned: report.files_scanned,
        components: report.components.len(),
        errors: report.count(Error),
        warnings: report.count(Warning),
        infos: report.count(Info),
        hidden: report.hidden,
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
