//! SARIF 2.1.0 output, for code-scanning dashboards (GitHub code scanning and others).
//!
//! Owns the mapping of findings to SARIF: one run, `tool.driver.rules` with one entry per
//! rule id that has a finding (described from [`Report::rules`], else from the built-in
//! codes, else from the rule's first finding), results with 1-based regions in Unicode
//! code points (`columnKind: "unicodeCodePoints"`, matching skew's character columns),
//! related locations, and a `partialFingerprints` entry that ignores line numbers so a
//! dashboard can follow a finding across edits. Paths are relative URIs against
//! `%SRCROOT%`, the repository top (`GITHUB_WORKSPACE`, else the git work tree; the caller
//! rebases the paths), which GitHub asks for: "we recommend that this is a relative path
//! from the root of the GitHub repository being analyzed" (docs.github.com, SARIF support
//! for code scanning, `physicalLocation`). `run.originalUriBaseIds` describes `%SRCROOT%`
//! without a `uri`: an absolute path would vary between machines, and SARIF lets the
//! consumer supply a base the log leaves undefined. Must not: emit column 0 (GitHub
//! rejects it) or anything that varies between runs on the same input.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, RuleMeta, sorted_findings};
use crate::diagnostic::{Code, Finding, Severity, fingerprint};
use crate::source::Location;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key under `partialFingerprints`; bump the suffix if the hashed fields change.
const FINGERPRINT_KEY: &str = "skew/v1";

/// Write one SARIF log with one run.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let findings = sorted_findings(report);

    // Rule ids in sorted order; each maps to its index in `rules` (SARIF `ruleIndex`).
    let mut first: BTreeMap<&str, &Finding> = BTreeMap::new();
    for (f, _) in &findings {
        first.entry(f.rule_id.as_str()).or_insert(f);
    }
    let index: BTreeMap<&str, usize> = first.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<Value> = first
        .iter()
        .map(|(id, f)| rule(describe(report.rules, id, f)))
        .collect();

    let results: Vec<Value> = findings
        .iter()
        .map(|(f, loc)| {
            let related: Vec<Value> = f
                .related
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": physical(&report.sources.location(l.span)),
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id.as_str()],
                "level": level(f.severity),
                "message": { "text": message_text(f) },
                "locations": [{ "physicalLocation": physical(loc) }],
                "partialFingerprints": { FINGERPRINT_KEY: fingerprint(f, &loc.path) },
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();

    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "skew",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {
                "%SRCROOT%": {
                    "description": {
                        "text": "The top of the repository: GITHUB_WORKSPACE when set, else the git work tree skew ran in"
                    }
                }
            },
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

/// What SARIF says about one rule: from the caller's metadata when it has the rule, else
/// from the built-in code table, else from the first finding of that rule.
fn describe(rules: &[RuleMeta], id: &str, first: &Finding) -> RuleMeta {
    if let Some(meta) = rules.iter().find(|r| r.id == id) {
        return meta.clone();
    }
    let builtin = Code::from_name(id);
    RuleMeta {
        id: id.to_string(),
        summary: builtin
            .map(|c| c.summary().to_string())
            .unwrap_or_else(|| first.message.clone()),
        help: if builtin.is_some() {
            None
        } else {
            first.fix.clone()
        },
        help_uri: if builtin.is_some() {
            None
        } else {
            first.sources.first().cloned()
        },
    }
}

fn rule(meta: RuleMeta) -> Value {
    let mut v = json!({
        "id": meta.id,
        "shortDescription": { "text": meta.summary },
        "help": { "text": meta.help.unwrap_or_else(|| meta.summary.clone()) },
    });
    if let Some(uri) = meta.help_uri {
        v["helpUri"] = Value::String(uri);
    }
    v
}

/// The message, then the concrete fix: SARIF has no per-result help text that viewers
/// show, so the fix travels in the message.
fn message_text(f: &Finding) -> String {
    match &f.fix {
        Some(fix) => format!("{}\nhelp: {fix}", f.message),
        None => f.message.clone(),
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn physical(loc: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": uri_path(&loc.path), "uriBaseId": "%SRCROOT%" },
        "region": {
            "startLine": loc.line,
            "startColumn": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
        }
    })
}

/// A relative path as a URI reference: `/` kept, everything outside RFC 3986's
/// unreserved set percent-encoded (spaces, `#`, `%`, non-ASCII).
fn uri_path(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The `sarif` format: results for findings (and for an inventory's file problems).
pub(super) struct Sarif;

impl super::Reporter for Sarif {
    fn findings(
        &self,
        report: &Report,
        _: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render(report, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    fn render_fixture(fx: &Fixture) -> String {
        let s = to_string(|out| render(&fx.report(), out));
        s.replace(
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\": \"[version]\"",
        )
    }

    #[test]
    fn log() {
        let fx = Fixture::new();
        insta::assert_snapshot!(render_fixture(&fx));
    }

    #[test]
    fn rule_metadata_from_the_caller_wins() {
        let fx = Fixture::new();
        let rules = [RuleMeta {
            id: "redis-client-too-old".into(),
            summary: "redis client too old for the server".into(),
            help: Some("upgrade the client".into()),
            help_uri: Some("https://docs.example.test/redis".into()),
        }];
        let report = super::super::Report {
            rules: &rules,
            hidden: Default::default(),
            ..fx.report()
        };
        let s = to_string(|out| render(&report, out));
        let v: Value = serde_json::from_str(&s).unwrap();
        let r = &v["runs"][0]["tool"]["driver"]["rules"];
        let redis = r
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == "redis-client-too-old")
            .unwrap();
        assert_eq!(
            redis["shortDescription"]["text"],
            "redis client too old for the server"
        );
        assert_eq!(redis["helpUri"], "https://docs.example.test/redis");
    }

    #[test]
    fn columns_are_never_zero_and_indices_match() {
        let fx = Fixture::new();
        let v: Value = serde_json::from_str(&render_fixture(&fx)).unwrap();
        let run = &v["runs"][0];
        for r in run["results"].as_array().unwrap() {
            let region = &r["locations"][0]["physicalLocation"]["region"];
            assert!(region["startColumn"].as_u64().unwrap() >= 1);
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][i]["id"], r["ruleId"]);
        }
    }

    #[test]
    fn fingerprints_ignore_line_moves() {
        let fx = Fixture::new();
        let f = &fx.findings[3];
        let mut moved = f.clone();
        moved.primary.span.start += 1;
        moved.primary.span.end += 1;
        assert_eq!(fingerprint(f, "a/b"), fingerprint(&moved, "a/b"));
        assert_ne!(fingerprint(f, "a/b"), fingerprint(f, "a/c"));
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri_path("a b/ç#1.json"), "a%20b/%C3%A7%231.json");
    }
}
