//! Reporters: one file per output format, all consuming the same plain [`Report`].
//!
//! A reporter converts [`crate::diagnostic::Finding`]s at the edge (bytes -> 1-based
//! line/column through [`crate::source::Sources`]) and writes to any `io::Write`.
//! Must not: decide what is a finding, filter, or exit. Adding a format is one file here
//! plus one variant in [`Format`].

use std::path::PathBuf;

use crate::component::Component;
use crate::diagnostic::{Finding, Severity};
use crate::source::Sources;

/// Everything a reporter may show. Findings and components are already sorted
/// (path, line, column, rule id) by the caller.
#[derive(Debug)]
pub struct Report<'a> {
    /// The scan root as the user gave it.
    pub root: PathBuf,
    pub sources: &'a Sources,
    pub findings: &'a [Finding],
    pub components: &'a [Component],
    pub files_scanned: usize,
}

impl Report<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Output formats of `skew check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// How human output looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    pub color: bool,
    /// Terminal width for wrapping; tests fix it at 80.
    pub width: usize,
    /// Print only the findings, no summary line.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 80,
            quiet: false,
        }
    }
}
