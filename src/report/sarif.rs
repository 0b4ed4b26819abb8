//! SARIF 2.1.0 output, for code-scanning dashboards (GitHub code scanning and others).
//!
//! Owns the mapping of findings to SARIF: one run, `tool.driver.rules` with one entry per
//! rule id that has a finding (described from [`Report::rules`], else from the built-in
//! codes, else from the rule's first finding) carrying everything GitHub code scanning
//! requires of a rule — `shortDescription`, `fullDescription` (the rule's why) and
//! `help.text` — plus `help.markdown` (the `skew explain` page) and
//! `defaultConfiguration.level`; the driver names its `informationUri`. Results have
//! 1-based regions in Unicode code points (`columnKind: "unicodeCodePoints"`, matching
//! skew's character columns), related locations, and a `partialFingerprints` entry that
//! ignores line numbers so a dashboard can follow a finding across edits. Paths are
//! relative URIs against `%SRCROOT%`, the repository top (`GITHUB_WORKSPACE`, else the git
//! work tree; the caller rebases the paths), which GitHub asks for: "we recommend that
//! this is a relative path from the root of the GitHub repository being analyzed"
//! (docs.github.com, SARIF support for code scanning, `physicalLocation`).
//! `run.originalUriBaseIds` describes `%SRCROOT%` without a `uri`: an absolute path would
//! vary between machines, and SARIF lets the consumer supply a base the log leaves
//! undefined. `tests/sarif.rs` holds the output to GitHub's ingestion rules. Must not:
//! emit column 0 (GitHub rejects it) or anything that varies between runs on the same
//! input.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Report, RuleMeta, sorted_findings};
use crate::diagnostic::{Code, Finding, Severity, fingerprint};
use crate::source::Location;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where skew lives (`tool.driver.informationUri`): Cargo.toml's `repository`.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

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
                    "informationUri": INFORMATION_URI,
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
/// from the built-in code table, else from the first finding of that rule (a rule the
/// caller did not describe).
fn describe(rules: &[RuleMeta], id: &str, first: &Finding) -> RuleMeta {
    if let Some(meta) = rules.iter().find(|r| r.id == id) {
        return meta.clone();
    }
    if let Some(code) = Code::from_name(id) {
        return RuleMeta::of_code(code);
    }
    let mut markdown = format!("{}\n", first.message);
    if let Some(fix) = &first.fix {
        markdown.push_str(&format!("\n## Fix\n\n{fix}\n"));
    }
    RuleMeta {
        id: id.to_string(),
        summary: first.message.clone(),
        description: first.message.clone(),
        severity: first.severity,
        help: first.fix.clone(),
        help_uri: first.sources.first().cloned(),
        sources: first.sources.clone(),
        markdown,
    }
}

/// GitHub's limit on `shortDescription.text` and `fullDescription.text` ("Limited to
/// 1024 characters", docs.github.com, SARIF support for code scanning,
/// `reportingDescriptor` object).
const DESCRIPTION_LIMIT: usize = 1024;

/// A `reportingDescriptor` with what GitHub code scanning requires of one (`id`,
/// `shortDescription.text`, `fullDescription.text`, `help.text`; sarif-multitool's GH2012)
/// and what it recommends (`help.markdown`, shown instead of the text, and
/// `defaultConfiguration.level`, which is `warning` when absent).
fn rule(meta: RuleMeta) -> Value {
    let mut v = json!({
        "id": meta.id,
        "name": friendly_name(&meta.id),
        "shortDescription": { "text": clip(&meta.summary, DESCRIPTION_LIMIT) },
        "fullDescription": { "text": clip(&one_paragraph(&meta.description), DESCRIPTION_LIMIT) },
        "defaultConfiguration": { "level": level(meta.severity) },
        "help": { "text": help_text(&meta), "markdown": help_markdown(&meta) },
        "properties": { "problem.severity": problem_severity(meta.severity) },
    });
    if let Some(uri) = meta.help_uri {
        v["helpUri"] = Value::String(uri);
    }
    v
}

/// The plain-text help: what, why, the fix, the sources, and the command that says more.
fn help_text(meta: &RuleMeta) -> String {
    let mut s = format!("{}\n", meta.summary);
    if meta.description != meta.summary {
        s.push_str(&format!("\n{}\n", meta.description));
    }
    if let Some(fix) = &meta.help {
        s.push_str(&format!("\nFix: {fix}\n"));
    }
    if !meta.sources.is_empty() {
        s.push_str("\nSources:\n");
        for src in &meta.sources {
            s.push_str(&format!("- {src}\n"));
        }
    }
    s.push_str(&format!("\nMore: `skew explain {}`\n", meta.id));
    s
}

/// The Markdown help: the page `skew explain` prints, without its title (the viewer shows
/// the rule's name above it).
fn help_markdown(meta: &RuleMeta) -> String {
    let body = match meta.markdown.strip_prefix(&format!("# {}\n", meta.id)) {
        Some(rest) => rest.trim_start_matches('\n'),
        None => meta.markdown.as_str(),
    };
    format!("{}\n\nMore: `skew explain {}`\n", body.trim_end(), meta.id)
}

/// `mysql-caching-sha2-password` → `MysqlCachingSha2Password`: the one-identifier
/// "friendly name" SARIF asks for in `reportingDescriptor.name` (§3.49.7).
fn friendly_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A rule file's hard-wrapped paragraph as one line (viewers wrap it themselves).
fn one_paragraph(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `limit` characters: the whole sentences that fit, else a cut at a character
/// boundary with `…` (the help carries the whole text).
fn clip(s: &str, limit: usize) -> String {
    if s.chars().count() <= limit {
        return s.to_string();
    }
    let head: String = s.chars().take(limit).collect();
    if let Some(end) = head.rfind(". ") {
        return head[..=end].to_string();
    }
    let mut out: String = s.chars().take(limit - 1).collect();
    out.push('…');
    out
}

/// GitHub's `problem.severity` rule property, which with `precision` orders alerts.
fn problem_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "recommendation",
    }
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
            description: "old clients cannot speak RESP3".into(),
            severity: Severity::Warning,
            help: Some("upgrade the client".into()),
            help_uri: Some("https://docs.example.test/redis".into()),
            sources: vec!["https://docs.example.test/redis".into()],
            markdown: "# redis-client-too-old\n\nRedis client too old.\n".into(),
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
        assert_eq!(
            redis["fullDescription"]["text"],
            "old clients cannot speak RESP3"
        );
        assert_eq!(redis["defaultConfiguration"]["level"], "warning");
        assert_eq!(
            redis["help"]["markdown"],
            "Redis client too old.\n\nMore: `skew explain redis-client-too-old`\n"
        );
        assert!(
            redis["help"]["text"].as_str().unwrap().contains(
                "Fix: upgrade the client\n\nSources:\n- https://docs.example.test/redis\n"
            )
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
    fn names_and_descriptions_fit_github() {
        assert_eq!(
            friendly_name("mysql-caching-sha2-password"),
            "MysqlCachingSha2Password"
        );
        assert_eq!(friendly_name("parse-error"), "ParseError");
        let long = "é".repeat(2000);
        let clipped = clip(&long, DESCRIPTION_LIMIT);
        assert_eq!(clipped.chars().count(), DESCRIPTION_LIMIT);
        assert!(clipped.ends_with('…'));
        assert_eq!(clip("short", DESCRIPTION_LIMIT), "short");
        assert_eq!(clip("One. Two three four.", 12), "One.");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri_path("a b/ç#1.json"), "a%20b/%C3%A7%231.json");
    }
}
