//! Baselines: record today's findings so CI reports only new ones. Each finding is kept
//! by its line-independent fingerprint (rule, path, subject: client, version and
//! counterpart), so edits that move lines do not resurrect old findings.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Finding, fingerprint};
use crate::source::SourceView;

/// The baseline file: versioned, sorted, human-readable, diff-friendly.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub schema_version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    /// For people reading the file; only `fingerprint` is compared.
    pub rule_id: String,
    pub path: String,
    pub message: String,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding], sources: &SourceView<'_>) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| {
                let path = sources.path(f.primary.span.file).to_string();
                Entry {
                    fingerprint: fingerprint(f, &path),
                    rule_id: f.rule_id.clone(),
                    path,
                    message: f.message.clone(),
                }
            })
            .collect();
        entries.sort();
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            schema_version: 1,
            findings: entries,
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            format!(
                "invalid baseline `{}` at line {} column {}: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if b.schema_version != 1 {
            return Err(format!(
                "baseline `{}` has schema_version {}; this skew reads 1",
                path.display(),
                b.schema_version
            ));
        }
        Ok(b)
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).expect("serialisable");
        text.push('\n');
        std::fs::write(path, text)
            .map_err(|e| format!("cannot write baseline `{}`: {e}", path.display()))
    }

    /// Drop the findings this baseline records.
    pub fn hide(&self, findings: &mut Vec<Finding>, sources: &SourceView<'_>) -> usize {
        let known: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let before = findings.len();
        findings.retain(|f| {
            let path = &sources.get(f.primary.span.file).path;
            !known.contains(fingerprint(f, path).as_str())
        });
        before - findings.len()
    }
}
