//! Extractors: one file per manifest format, and the one registry list, [`EXTRACTORS`].
//!
//! An extractor never walks and never does I/O. The scanner calls [`Extractor::wants`]
//! with a path relative to the scan root (names only), reads each wanted file once, and
//! hands the text to [`Extractor::extract`]. An extractor pushes components with the
//! narrowest span it can (the version text), and reports a file it cannot parse as a
//! `parse-error` finding with the parser's own position — never a panic, never a silent
//! skip. Adding a format is one file here plus one line in [`EXTRACTORS`]
//! (see CONTRIBUTING.md).

use std::path::Path;

use crate::component::Component;
use crate::diagnostic::Finding;
use crate::source::SourceFile;

/// What one extractor found in one file.
#[derive(Debug, Default)]
pub struct Extraction {
    pub components: Vec<Component>,
    /// Problems with the file itself (`parse-error`, `invalid-version`).
    pub problems: Vec<Finding>,
}

impl Extraction {
    pub fn push(&mut self, c: Component) {
        self.components.push(c);
    }

    pub fn problem(&mut self, f: Finding) {
        self.problems.push(f);
    }
}

pub trait Extractor: Sync {
    /// Stable short name, used in docs, tests and `--verbose` output (`compose`, `npm-lock`).
    fn name(&self) -> &'static str;

    /// Does this extractor read the file at `path` (relative to the scan root)?
    /// Must decide from the path alone.
    fn wants(&self, path: &Path) -> bool;

    /// Extract components from an already-read file.
    fn extract(&self, file: &SourceFile, out: &mut Extraction);
}

/// Every extractor skew ships, in no particular order (results are sorted later).
pub static EXTRACTORS: &[&dyn Extractor] = &[];

/// The file name of a path as `&str` ("" if none or not UTF-8).
pub fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Run every extractor that wants `file` (used by the scanner and by tests).
pub fn extract_file(file: &SourceFile, path: &Path) -> Extraction {
    let mut out = Extraction::default();
    for ex in EXTRACTORS.iter().filter(|e| e.wants(path)) {
        ex.extract(file, &mut out);
    }
    out
}

/// Extractors that want a path.
pub fn wanted_by(path: &Path) -> impl Iterator<Item = &'static dyn Extractor> + '_ {
    EXTRACTORS.iter().copied().filter(move |e| e.wants(path))
}
