//! GitLab Code Quality output: the JSON array a CI job uploads as
//! `artifacts:reports:codequality`, which GitLab shows in the merge request widget.
//!
//! Owns the shape GitLab documents for a code quality report
//! (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>): one
//! object per finding with `description`, `check_name`, `fingerprint`, `severity` (one of
//! `info`, `minor`, `major`, `critical`, `blocker`) and `location.path` +
//! `location.lines.begin`. skew's severities map to `info`, `minor` (warning) and `major`
//! (error); skew has nothing that blocks on its own, so `critical`/`blocker` are unused.
//! The fingerprint is skew's line-independent one (baselines use it too), made unique per
//! location, because GitLab shows only the first of several issues that share one.
//! Must not: write anything but the array (the file is parsed as a whole).

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{HumanOptions, Report, sorted_findings};
use crate::diagnostic::{Severity, fingerprint};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// The report: every finding, in the shared order, pretty-printed with a final newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue> = sorted_findings(report)
        .into_iter()
        .map(|(f, loc)| {
            let path = report.sources.path(f.primary.span.file);
            let base = fingerprint(f, path);
            // same finding identity twice in one file (two declarations of one client):
            // number the later ones so GitLab shows each
            let n = seen.entry(base.clone()).or_insert(0);
            let fingerprint = if *n == 0 { base } else { format!("{base}-{n}") };
            *n += 1;
            let mut description = f.message.clone();
            if let Some(fix) = &f.fix {
                description.push_str(" (fix: ");
                description.push_str(fix);
                description.push(')');
            }
            Issue {
                description,
                check_name: &f.rule_id,
                fingerprint,
                severity: match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                location: Location {
                    path,
                    lines: Lines { begin: loc.line },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::from)?;
    writeln!(out)
}

/// The `gitlab` format: issues for findings (and for an inventory's file problems).
pub(super) struct Gitlab;

impl super::Reporter for Gitlab {
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
    fn every_issue_has_the_fields_gitlab_requires() {
        let fx = Fixture::new();
        let s = to_string(|out| render(&fx.report(), out));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let issues = v.as_array().unwrap();
        assert_eq!(issues.len(), fx.findings.len());
        let mut fingerprints = std::collections::HashSet::new();
        for i in issues {
            for key in ["description", "check_name", "fingerprint", "severity"] {
                assert!(i[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {i}");
            }
            assert!(
                ["info", "minor", "major", "critical", "blocker"]
                    .contains(&i["severity"].as_str().unwrap())
            );
            assert!(i["location"]["path"].as_str().is_some());
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            assert!(fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string()));
        }
    }
}
