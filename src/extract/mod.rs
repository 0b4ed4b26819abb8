//! Extractors: one file per manifest format, and the one registry list, [`EXTRACTORS`].
//!
//! An extractor never walks and never does I/O. The scanner calls [`Extractor::wants`]
//! with a path relative to the scan root (names only), reads each wanted file once, and
//! hands the text to [`Extractor::extract`]. An extractor pushes components with the
//! narrowest span it can (the version text), and reports a file it cannot parse as a
//! `parse-error` finding with the parser's own position — never a panic, never a silent
//! skip. Adding a format is one file here plus one line in [`EXTRACTORS`]
//! (see CONTRIBUTING.md).

mod cargo_lock;
mod cargo_manifest;
mod cloudbuild;
pub mod comments;
pub(crate) mod compose;
mod composer_lock;
mod composer_manifest;
mod devcontainer;
mod dockerfile;
mod dotenv;
mod dotnet_lock;
mod dotnet_project;
mod gemfile;
mod gemfile_lock;
mod github_actions;
mod go_mod;
mod go_sum;
mod gradle;
mod gradle_catalog;
mod gradle_lockfile;
mod gradle_properties;
mod helm;
pub(crate) mod helm_archive;
pub(crate) mod image_ref;
mod json_str;
mod jsonnet;
mod kubernetes;
mod kustomize;
pub(crate) mod maven_pom;
mod maven_wrapper;
mod mix;
mod npm_lock;
mod npm_manifest;
mod pipfile;
mod pipfile_lock;
mod pnpm_lock;
mod poetry_lock;
mod pyproject;
mod requirements;
mod runtime_files;
mod setup_cfg;
pub(crate) mod terraform;
mod toml_tree;
mod uv_lock;
pub(crate) mod yaml_tree;
mod yarn_lock;

use std::path::Path;

use crate::component::{Component, Inheritable, Project, UnitFact};
use crate::diagnostic::Finding;
use crate::source::SourceFile;

/// What one extractor found in one file.
#[derive(Debug, Default, Clone)]
pub struct Extraction {
    pub components: Vec<Component>,
    /// Problems with the file itself (`parse-error`, `invalid-version`).
    pub problems: Vec<Finding>,
    /// What this file offers to files that inherit from it (a Cargo workspace root, a
    /// parent POM); the scanner resolves [`Component::inherit`] with it.
    pub inheritable: Vec<Inheritable>,
    /// Topology facts (compose services, includes, `.env` variables) for `plan`.
    pub units: Vec<UnitFact>,
    /// The package the file itself describes, if it is a package manifest that names one.
    pub project: Option<Project>,
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

    /// Example paths (relative to the scan root) of every name pattern [`Extractor::wants`]
    /// accepts, one or more per pattern. The registry of file names: the pre-commit hook's
    /// `files` pattern, the name lists of the integration and robustness tests and
    /// `docs/formats.md` are checked against these by tests, so a name added to `wants`
    /// and here reaches all of them. Every extractor lists at least one.
    fn sample_paths(&self) -> &'static [&'static str] {
        &[]
    }

    /// Extract components from an already-read file.
    fn extract(&self, file: &SourceFile, out: &mut Extraction);

    /// How the format writes comments, where inline suppressions
    /// (`skew: ignore[RULE]`) are read; `None` for formats without comments (JSON).
    fn comment_syntax(&self) -> Option<comments::CommentSyntax> {
        None
    }
}

/// Every extractor skew ships, in no particular order (results are sorted later).
pub static EXTRACTORS: &[&dyn Extractor] = &[
    &compose::Compose,
    &dockerfile::Dockerfile,
    &dotenv::DotEnv,
    &npm_manifest::NpmManifest,
    &npm_lock::NpmLock,
    &requirements::Requirements,
    &runtime_files::RuntimeFiles,
    &pyproject::Pyproject,
    &poetry_lock::PoetryLock,
    &uv_lock::UvLock,
    &pipfile::Pipfile,
    &pipfile_lock::PipfileLock,
    &yarn_lock::YarnLock,
    &pnpm_lock::PnpmLock,
    &setup_cfg::SetupCfg,
    &kubernetes::Kubernetes,
    &kustomize::Kustomize,
    &helm::HelmChart,
    &helm::HelmValues,
    &helm_archive::HelmArchive,
    &terraform::Terraform,
    &cloudbuild::CloudBuild,
    &github_actions::GithubActions,
    &go_mod::GoMod,
    &cargo_manifest::CargoManifest,
    &cargo_lock::CargoLock,
    &maven_pom::MavenPom,
    &maven_wrapper::MavenWrapper,
    &gemfile::Gemfile,
    &gemfile_lock::GemfileLock,
    &mix::MixExs,
    &mix::MixLock,
    &composer_manifest::ComposerManifest,
    &composer_lock::ComposerLock,
    &dotnet_project::DotnetProject,
    &dotnet_lock::DotnetLock,
    &gradle::GradleBuild,
    &gradle_catalog::GradleCatalog,
    &gradle_lockfile::GradleLockfile,
    &gradle_properties::GradleProperties,
    &gradle_properties::GradleWrapper,
    &devcontainer::Devcontainer,
    &jsonnet::JsonnetBundler,
    &go_sum::GoSum,
];

/// The file name of a path as `&str` ("" if none or not UTF-8).
///
/// Every extractor's [`Extractor::wants`] asks this of every walked file, so the common
/// case (a path whose last byte run after a separator is a plain name) skips
/// `Path::file_name`'s component parser, which cost about 240 instructions a call (a
/// tenth of the pipeline bench); anything else (`..`, `.`, a trailing separator, no
/// separator at all) is left to `Path::file_name`, which decides what a name is.
pub fn file_name(path: &Path) -> &str {
    let bytes = path.as_os_str().as_encoded_bytes();
    let is_separator = |b: &u8| *b == b'/' || (cfg!(windows) && *b == b'\\');
    if let Some(at) = bytes.iter().rposition(is_separator) {
        let name = &bytes[at + 1..];
        if !name.is_empty() && name != b"." && name != b".." {
            // a suffix after an ASCII separator of an encoded OsStr is itself valid
            // encoded text, so only UTF-8 is left to check
            return std::str::from_utf8(name).unwrap_or("");
        }
    }
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The extractor with this [`Extractor::name`], for tools and tests that hand a file to
/// one format regardless of its name (the conformance test runs peers' freely named
/// fixtures this way).
pub fn extractor_by_name(name: &str) -> Option<&'static dyn Extractor> {
    EXTRACTORS.iter().copied().find(|e| e.name() == name)
}

/// Run every extractor that wants `file` (used by the scanner and by tests).
pub fn extract_file(file: &SourceFile, path: &Path) -> Extraction {
    let mut out = Extraction::default();
    for ex in EXTRACTORS.iter().filter(|e| e.wants(path)) {
        ex.extract(file, &mut out);
    }
    out
}

/// The comment syntax of the file at `path`: that of the first extractor wanting it
/// that names one. A MySQL option file (`*.cnf`) is read by the scan when a compose
/// service mounts it (`scan::option_files`), not by an extractor: its `#` comments, at
/// a line's start or after an option, hold directives too.
pub fn comment_syntax_of(path: &Path) -> Option<comments::CommentSyntax> {
    wanted_by(path)
        .find_map(|e| e.comment_syntax())
        .or_else(|| {
            let cnf = path.extension().is_some_and(|e| e == "cnf");
            cnf.then_some(comments::CommentSyntax::Hash)
        })
}

/// Every sample path of every extractor ([`Extractor::sample_paths`]), in registry order.
pub fn sample_paths() -> impl Iterator<Item = &'static str> {
    EXTRACTORS
        .iter()
        .flat_map(|e| e.sample_paths().iter().copied())
}

/// Extractors that want a path.
pub fn wanted_by(path: &Path) -> impl Iterator<Item = &'static dyn Extractor> + '_ {
    EXTRACTORS.iter().copied().filter(move |e| e.wants(path))
}

/// Helpers for extractor tests: run one extractor on a text and render what it found as
/// stable text for snapshots (one line per component or problem, sorted by position).
#[cfg(test)]
pub(crate) mod testing {
    #![allow(dead_code)] // each extractor's tests use a part
    use super::{Extraction, Extractor};
    use crate::source::{FileId, SourceFile};
    use std::fmt::Write;
    use std::path::Path;

    /// Run `ex` on `text` as if it were the file `rel_path`.
    pub fn run(ex: &dyn Extractor, rel_path: &str, text: &str) -> (SourceFile, Extraction) {
        let file = SourceFile::new(FileId(0), rel_path, text);
        let mut out = Extraction::default();
        assert!(
            ex.wants(Path::new(rel_path)),
            "{} does not want {rel_path}",
            ex.name()
        );
        ex.extract(&file, &mut out);
        (file, out)
    }

    /// `L:C-L:C kind ecosystem name version [resolved=..] [dev] [lock] [group=..]
    ///  [digest=..] [inherit=..] [settings..] «spanned text»` per component, then `problem` lines.
    pub fn render(file: &SourceFile, out: &Extraction) -> String {
        let mut rows: Vec<(usize, usize, String)> = Vec::new();
        for c in &out.components {
            let loc = file.location(c.span);
            let mut line = format!(
                "{}:{}-{}:{} {:?} {} {} {}",
                loc.line,
                loc.column,
                loc.end_line,
                loc.end_column,
                c.kind,
                c.ecosystem,
                c.name,
                c.version.as_deref().unwrap_or("-"),
            );
            if let Some(r) = &c.resolved {
                write!(line, " resolved={r}").unwrap();
            }
            if c.dev {
                line.push_str(" dev");
            }
            if c.origin == crate::component::Origin::Lockfile {
                line.push_str(" lock");
            }
            if let Some(g) = &c.group {
                write!(line, " group={g}").unwrap();
            }
            if let Some(d) = &c.digest {
                write!(line, " digest={d}").unwrap();
            }
            match &c.inherit {
                Some(crate::component::Inherit::CargoWorkspace { key, root }) => {
                    write!(line, " inherit=workspace:{key}").unwrap();
                    if let Some(r) = root {
                        write!(line, "@{r}").unwrap();
                    }
                }
                Some(crate::component::Inherit::MavenParent { text }) => {
                    let text = text.as_deref().unwrap_or("managed");
                    write!(line, " inherit=parent:{text}").unwrap();
                }
                Some(crate::component::Inherit::GradleProperty { name }) => {
                    write!(line, " inherit=gradle:{name}").unwrap();
                }
                None => {}
            }
            for k in &c.resolves {
                match k {
                    crate::component::LockKey::Specifier { name, range } => {
                        write!(line, " for={name}@{range}").unwrap();
                    }
                    crate::component::LockKey::Importer { path, name } => {
                        write!(line, " for={path}:{name}").unwrap();
                    }
                }
            }
            for s in &c.settings {
                let l = file.location(s.span);
                write!(
                    line,
                    " {:?}({}={})@{}:{}",
                    s.kind, s.name, s.value, l.line, l.column
                )
                .unwrap();
            }
            write!(line, " «{}»", file.slice(c.span)).unwrap();
            rows.push((c.span.start, c.span.end, line));
        }
        for p in &out.problems {
            let loc = file.location(p.primary.span);
            rows.push((
                usize::MAX,
                p.primary.span.start,
                format!(
                    "problem {} {}:{} {}",
                    p.rule_id, loc.line, loc.column, p.message
                ),
            ));
        }
        rows.sort();
        let mut s = String::new();
        for (_, _, r) in rows {
            s.push_str(&r);
            s.push('\n');
        }
        if s.is_empty() {
            s.push_str("(nothing)\n");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path of [`file_name`] answers what `Path::file_name` answers.
    #[test]
    fn file_name_is_paths_file_name() {
        for p in [
            "package.json",
            "a/package.json",
            "a//b/yarn.lock",
            "/abs/.nvmrc",
            "a/b/",
            "a/b/.",
            "a/..",
            "..",
            ".",
            "/",
            "",
            "dir.d/values-prod.yml",
            "ünï/çødé.txt",
        ] {
            let path = Path::new(p);
            let expected = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert_eq!(file_name(path), expected, "{p:?}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"a/\xff.json"));
            assert_eq!(file_name(odd), "");
        }
    }

    /// The file-name registry is complete: every extractor lists sample paths, and each
    /// of them is one it wants (so a sample cannot drift from `wants`).
    #[test]
    fn every_extractor_lists_sample_paths_it_wants() {
        for ex in EXTRACTORS {
            assert!(
                !ex.sample_paths().is_empty(),
                "extractor `{}` lists no sample_paths",
                ex.name()
            );
            for p in ex.sample_paths() {
                assert!(
                    ex.wants(Path::new(p)),
                    "`{}` lists `{p}` but does not want it",
                    ex.name()
                );
            }
        }
        let mut names: Vec<_> = EXTRACTORS.iter().map(|e| e.name()).collect();
        // inline suppressions work in every format with comments: a new extractor says
        // which syntax its format has, or is listed here as having none
        const WITHOUT_COMMENTS: &[&str] = &[
            "npm-manifest",
            "npm-lock",
            "composer-manifest",
            "composer-lock",
            "dotnet-lock",
            "pipfile-lock",
            "gemfile-lock",
            "jsonnet-bundler",
            "go-sum",
        ];
        for ex in EXTRACTORS {
            assert_eq!(
                ex.comment_syntax().is_none(),
                WITHOUT_COMMENTS.contains(&ex.name()),
                "extractor `{}`: declare its comment syntax or list it as without comments",
                ex.name()
            );
        }
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "extractor names are unique");
    }
}
