//! The scanner: walk the tree once, read each wanted file once, extract in parallel.
//!
//! Owns the walk (ripgrep's `ignore`: `.gitignore`/`.ignore` honoured even outside a git
//! checkout, `.git` and the default-excluded dependency folders skipped) and the merge of
//! lockfile entries into the manifest entries they resolve, and of versions one manifest
//! inherits from another ([`inherit`]: Maven parent POMs, Cargo workspace roots). Must
//! not: interpret versions or rules. Output is deterministic: files get ids in path order
//! and results are sorted.

mod compose_env;
mod compose_extends;
mod inherit;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::component::{Component, Ecosystem, Inheritable, LockKey, Origin, Project, UnitFact};
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::extract::{self, Extraction};
use crate::source::{FileId, SourceFile, Sources};

/// Folders skipped by default: installed dependencies and build output, never sources of
/// truth for what a repository declares.
pub const DEFAULT_EXCLUDES: &[&str] = &["node_modules", "vendor", "target", ".git"];

#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Folder names skipped anywhere in the tree.
    pub excludes: Vec<String>,
    /// Files bigger than this (bytes) are reported as `skipped-file`, not read.
    pub max_file_size: u64,
    /// Paths relative to the root (`exclude` in skew.toml, `--exclude`) that are neither
    /// walked nor read; see [`ScanOptions::excluded`].
    pub exclude: globset::GlobSet,
    /// The PATH the user named, relative to the root: never excluded, nor anything below
    /// it or the folders leading to it (`skew check fixtures/demo` checks a fixture
    /// though `exclude` names `fixtures/**`, as ruff checks paths passed to it directly).
    pub keep: Option<String>,
}

impl ScanOptions {
    /// Is the file or folder at `rel` (relative to the root, `/`-separated) excluded?
    pub fn excluded(&self, rel: &str) -> bool {
        let kept = self.keep.as_deref().is_some_and(|k| {
            let under = |a: &str, b: &str| a.strip_prefix(b).is_some_and(|r| r.starts_with('/'));
            rel == k || under(rel, k) || under(k, rel)
        });
        !kept && !self.exclude.is_empty() && self.exclude.is_match(rel)
    }

    /// These options, never excluding `path` (see [`ScanOptions::keep`]).
    pub fn keeping(&self, path: Option<&str>) -> ScanOptions {
        ScanOptions {
            keep: path.map(str::to_string),
            ..self.clone()
        }
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            excludes: DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect(),
            max_file_size: crate::limits::DEFAULT_MAX_FILE_SIZE,
            exclude: globset::GlobSet::empty(),
            keep: None,
        }
    }
}

/// Everything the scan produced. Read-only once the scan returns: what a run changes
/// (declared and assumed servers, substituted versions, one environment's components,
/// rule files shown in findings) is a [`crate::check::Scenario`] over it. Not `Clone`:
/// no command copies the inventory or its file texts.
///
/// ```compile_fail
/// fn copy(inv: &skew::scan::Inventory) -> skew::scan::Inventory {
///     inv.clone()
/// }
/// ```
#[derive(Debug, Default)]
pub struct Inventory {
    pub root: PathBuf,
    pub sources: Sources,
    pub components: Vec<Component>,
    /// Problems with files (`parse-error`, `read-error`): reported like findings.
    pub problems: Vec<Finding>,
    /// Topology facts the extractors stated (compose services, includes, `.env`
    /// variables), for `plan::topology`.
    pub units: Vec<UnitFact>,
    /// How many files the scan read (sources added later, such as rule files or
    /// `skew.toml` for labels, are not counted).
    pub files_scanned: usize,
    /// The packages the manifests describe themselves (the repository's own), by path.
    pub projects: Vec<Project>,
}

#[derive(Debug)]
pub enum ScanError {
    /// The root does not exist or cannot be read: skew cannot do its job (exit 2).
    Root { path: PathBuf, message: String },
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::Root { path, message } => {
                write!(f, "cannot scan `{}`: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for ScanError {}

/// Walk `root`, extract every wanted file and link lockfiles to manifests.
/// `root` may also be a single file.
pub fn scan(root: &Path, opts: &ScanOptions) -> Result<Inventory, ScanError> {
    let meta = std::fs::metadata(root).map_err(|e| ScanError::Root {
        path: root.to_path_buf(),
        message: e.to_string(),
    })?;
    let (files, unreadable) = if meta.is_file() {
        let name = root.file_name().map(PathBuf::from).unwrap_or_default();
        (vec![(root.to_path_buf(), name)], Vec::new())
    } else {
        walk(root, opts)
    };
    Ok(scan_walked(
        root,
        files,
        unreadable,
        &Reader::new(root, opts),
    ))
}

/// Extract from an explicit list of `(absolute path, path relative to root)` pairs.
/// Used by `scan` and by callers that already know the files (git trees, LSP buffers).
pub fn scan_files(root: &Path, files: Vec<(PathBuf, PathBuf)>) -> Inventory {
    let reader = Reader::new(root, &ScanOptions::default());
    scan_walked(root, files, Vec::new(), &reader)
}

/// [`scan_files`], plus the paths the walk could not enter, each with why: they become
/// `read-error` findings (after the files, in path order), never a silent skip.
fn scan_walked(
    root: &Path,
    mut files: Vec<(PathBuf, PathBuf)>,
    mut unreadable: Vec<(PathBuf, String)>,
    reader: &Reader,
) -> Inventory {
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files.dedup_by(|a, b| a.1 == b.1);
    unreadable.sort();
    unreadable.dedup_by(|a, b| a.0 == b.0);
    let mut results: Vec<(SourceFile, Extraction)> = files
        .par_iter()
        .enumerate()
        .map(|(i, (abs, rel))| read_one(FileId(i as u32), abs, rel, reader))
        .inspect(|(_, ex)| crate::progress::count(ex.components.len()))
        .collect();
    for (rel, message) in unreadable {
        let id = FileId(results.len() as u32);
        results.push(read_problem(id, slash_path(&rel), &message));
    }
    assemble(
        root,
        results,
        Some(&|rel: &str| reader.read_extra(root, rel)),
    )
}

/// How the scan reads: the size limit, and the canonical root that symlinks in the tree
/// must stay inside (`None` when the root is a single file the user named).
struct Reader {
    root: Option<PathBuf>,
    max_file_size: u64,
}

impl Reader {
    fn new(root: &Path, opts: &ScanOptions) -> Reader {
        Reader {
            root: root.is_dir().then(|| root.canonicalize().ok()).flatten(),
            max_file_size: opts.max_file_size,
        }
    }

    /// A file the walk did not read but another one names (`extends.file`), by its path
    /// relative to `root`: confined to the root and bounded like every scanned file.
    /// `Err(None)` when the scan reads one file only (nothing else is looked at).
    fn read_extra(&self, root: &Path, rel: &str) -> Result<String, Option<String>> {
        use crate::read::{self, ReadError};
        let Some(canonical_root) = &self.root else {
            return Err(None);
        };
        let abs = root.join(rel);
        let bytes = read::confine(canonical_root, &abs)
            .and_then(|real| read::read_regular(&real, self.max_file_size))
            .map_err(|e| match e {
                ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                    "no such file".to_string()
                }
                e => e.to_string(),
            })
            .map_err(Some)?;
        let decoded = read::decode(bytes);
        match decoded.problem {
            None => Ok(decoded.text),
            Some((_, message)) => Err(Some(message)),
        }
    }
}

/// Like [`scan`] on a folder, but the files named in `overlay` (path relative to `root`,
/// `/`-separated, with its text) are read from memory instead of disk: an editor's unsaved
/// buffers. Only files the walk finds are overlaid, so ignored folders stay ignored; a
/// manifest that exists only in memory is seen once it is saved.
pub fn scan_overlay(
    root: &Path,
    opts: &ScanOptions,
    overlay: &[(String, String)],
) -> Result<Inventory, ScanError> {
    std::fs::metadata(root).map_err(|e| ScanError::Root {
        path: root.to_path_buf(),
        message: e.to_string(),
    })?;
    let (mut files, mut unreadable) = walk(root, opts);
    let reader = Reader::new(root, opts);
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files.dedup_by(|a, b| a.1 == b.1);
    unreadable.sort();
    unreadable.dedup_by(|a, b| a.0 == b.0);
    let mut results: Vec<(SourceFile, Extraction)> = files
        .par_iter()
        .enumerate()
        .map(|(i, (abs, rel))| {
            let id = FileId(i as u32);
            let rel_str = slash_path(rel);
            match overlay.iter().find(|(p, _)| *p == rel_str) {
                Some((_, text)) => extract_one(SourceFile::new(id, rel_str, text.clone()), rel),
                None => read_one(id, abs, rel, &reader),
            }
        })
        .collect();
    for (rel, message) in unreadable {
        let id = FileId(results.len() as u32);
        results.push(read_problem(id, slash_path(&rel), &message));
    }
    Ok(assemble(
        root,
        results,
        Some(&|rel: &str| reader.read_extra(root, rel)),
    ))
}

/// Read one file from disk and extract it; a file that is not read becomes a
/// `skipped-file` (not a regular file, too big, a symlink leaving the root) or a
/// `read-error` (I/O error, not text), at the offending byte when there is one.
fn read_one(id: FileId, abs: &Path, rel: &Path, reader: &Reader) -> (SourceFile, Extraction) {
    use crate::read::{self, ReadError};
    let rel_str = slash_path(rel);
    let confined = match &reader.root {
        Some(root) if abs.is_symlink() => read::confine(root, abs).map(|_| ()),
        _ => Ok(()),
    };
    let bytes = confined.and_then(|()| read::read_regular(abs, reader.max_file_size));
    match bytes {
        // a vendored chart archive: its Chart.yaml is the text, under the archive's path
        Ok(bytes) if extract::helm_archive::is_archive(rel) => {
            match extract::helm_archive::chart_yaml(&bytes) {
                Ok(text) => extract_one(SourceFile::new(id, rel_str, text), rel),
                Err(message) => {
                    let file = SourceFile::new(id, rel_str, String::new());
                    let mut out = Extraction::default();
                    let what = format!("Helm chart archive `{}`", file.path);
                    out.problem(crate::diagnostic::parse_error(
                        file.span(0, 0),
                        &what,
                        message,
                    ));
                    (file, out)
                }
            }
        }
        Ok(bytes) => {
            let decoded = read::decode(bytes);
            match decoded.problem {
                None => extract_one(SourceFile::new(id, rel_str, decoded.text), rel),
                Some((at, message)) => {
                    let file = SourceFile::new(id, rel_str, decoded.text);
                    let (line, column) = file.line_col(at);
                    let message = format!("{message} at {line}:{column}");
                    file_problem(file, Code::ReadError, at, &message)
                }
            }
        }
        Err(e @ ReadError::Io(_)) => read_problem(id, rel_str, &e.to_string()),
        Err(e) => file_problem(
            SourceFile::new(id, rel_str, String::new()),
            Code::SkippedFile,
            0,
            &e.to_string(),
        ),
    }
}

/// Extract from in-memory files `(relative path, text)`; nothing is read from disk.
pub fn scan_texts(root: &Path, mut files: Vec<(String, String)>) -> Inventory {
    // a chart archive is bytes, not text: only a scan of the disk unpacks it
    files.retain(|(rel, _)| !extract::helm_archive::is_archive(Path::new(rel)));
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let results = files
        .into_par_iter()
        .enumerate()
        .map(|(i, (rel, text))| {
            let path = PathBuf::from(&rel);
            extract_one(SourceFile::new(FileId(i as u32), rel, text), &path)
        })
        .collect();
    // from memory (the index, a commit): a file it was not given is not read from disk
    assemble(root, results, None)
}

fn extract_one(file: SourceFile, rel: &Path) -> (SourceFile, Extraction) {
    let out = extract::extract_file(&file, rel);
    (file, out)
}

fn read_problem(id: FileId, rel: String, message: &str) -> (SourceFile, Extraction) {
    file_problem(
        SourceFile::new(id, rel, String::new()),
        Code::ReadError,
        0,
        message,
    )
}

/// A `read-error` or `skipped-file` for `file`, pointing at byte `at`.
fn file_problem(
    file: SourceFile,
    code: Code,
    at: usize,
    message: &str,
) -> (SourceFile, Extraction) {
    let mut out = Extraction::default();
    let verb = if code == Code::SkippedFile {
        "skipped"
    } else {
        "cannot read"
    };
    out.problem(Finding {
        rule_id: code.to_string(),
        severity: code.severity(),
        message: format!("{verb} `{}`: {message}", file.path),
        primary: Label::new(file.span(at, at), "this file"),
        related: Vec::new(),
        fix: None,
        sources: Vec::new(),
        subject: Subject::default(),
        components: Vec::new(),
    });
    (file, out)
}

fn assemble(
    root: &Path,
    results: Vec<(SourceFile, Extraction)>,
    read_extra: Option<compose_extends::ReadExtra<'_>>,
) -> Inventory {
    let mut inv = Inventory {
        root: root.to_path_buf(),
        ..Inventory::default()
    };
    let mut offers: Vec<(FileId, Inheritable)> = Vec::new();
    for (file, out) in results {
        let expected = file.id;
        // the line index was built when the file was read: keep it
        let id = inv.sources.push(file);
        debug_assert_eq!(id, expected);
        inv.components.extend(out.components);
        inv.problems.extend(out.problems);
        offers.extend(out.inheritable.into_iter().map(|o| (id, o)));
        inv.units.extend(out.units);
        inv.projects.extend(out.project);
    }
    inv.files_scanned = inv.sources.len();
    inherit::resolve(&mut inv, &offers);
    compose_extends::resolve(&mut inv, read_extra);
    compose_env::resolve(&mut inv);
    link_lockfiles(&mut inv);
    inv.components
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    crate::component::number(&mut inv.components);
    inv.problems
        .sort_by(|a, b| (a.span(), &a.rule_id).cmp(&(b.span(), &b.rule_id)));
    inv
}

/// The files and folders under `root` the walk could not read, as (path relative to
/// `root`, why).
type Unreadable = Vec<(PathBuf, String)>;

/// The files under `root` that some extractor wants, as (absolute, relative) paths, and
/// the entries the walk could not read (a folder without permission). Errors about
/// ignore files themselves (a bad `.gitignore` line) are the walker's to skip.
fn walk(root: &Path, opts: &ScanOptions) -> (Vec<(PathBuf, PathBuf)>, Unreadable) {
    let excludes = opts.excludes.clone();
    let globs = opts.clone();
    let base = root.to_path_buf();
    let mut out = Vec::new();
    let walker = WalkBuilder::new(root)
        .hidden(false) // .nvmrc, .tool-versions, .github/ are hidden files
        .require_git(false) // honour .gitignore in any tree, as users expect
        .parents(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path());
            let default_excluded = is_dir
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| excludes.iter().any(|x| x == n));
            e.depth() == 0 || !(default_excluded || globs.excluded(&slash_path(rel)))
        })
        .build();
    let mut unreadable = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                if let Some((path, message)) = io_failure(&e) {
                    let rel = path.strip_prefix(root).unwrap_or(path);
                    unreadable.push((rel.to_path_buf(), message));
                }
                continue;
            }
        };
        // symlinks, FIFOs and devices with a manifest's name are kept: reading reports
        // them (`skipped-file`) instead of dropping them in silence
        if entry.file_type().is_none_or(|t| t.is_dir()) {
            continue;
        }
        let abs = entry.path().to_path_buf();
        let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
        if extract::wanted_by(&rel).next().is_some() {
            out.push((abs, rel));
        }
    }
    (out, unreadable)
}

/// The path and the I/O error of a walk error that stopped the walk from reading an
/// entry, without the absolute path the walker puts in its message.
fn io_failure(e: &ignore::Error) -> Option<(&Path, String)> {
    match e {
        ignore::Error::WithPath { path, err } => match &**err {
            ignore::Error::Io(io) => Some((path.as_path(), io.to_string())),
            inner => io_failure(inner),
        },
        ignore::Error::WithDepth { err, .. } => io_failure(err),
        _ => None,
    }
}

/// `a\b` -> `a/b`: every output uses `/`.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Give each manifest dependency the version its lockfile resolved, and drop the
/// lockfile entry it came from: the finding must point at the line a person edits
/// (the manifest) and name the locked version. A lockfile resolves the manifests in its
/// own folder (and, for workspaces, in folders below it). Lockfile entries no manifest
/// declares (transitive dependencies) stay as components of their own.
fn link_lockfiles(inv: &mut Inventory) {
    let lockfile_entries = inv
        .components
        .iter()
        .filter(|c| c.origin == Origin::Lockfile)
        .count();
    let mut locked: Vec<Component> = Vec::with_capacity(lockfile_entries);
    let mut manifests: Vec<Component> = Vec::with_capacity(inv.components.len() - lockfile_entries);
    for c in inv.components.drain(..) {
        match c.origin {
            Origin::Lockfile => locked.push(c),
            Origin::Manifest => manifests.push(c),
        }
    }
    let path_of = |c: &Component| inv.sources.get(c.span.file).path.as_str();
    // lockfile entries by (ecosystem, name as the ecosystem compares names, the
    // lockfile's folder): big lockfiles and big monorepos meet here, so a manifest looks
    // up its own folder and its ancestors instead of every same-named entry in the repo
    let mut by_name: HashMap<(Ecosystem, String, &str), Vec<usize>> = HashMap::new();
    for (i, l) in locked.iter().enumerate() {
        by_name
            .entry((
                l.ecosystem,
                l.ecosystem.name_key(&l.name),
                dir_of(path_of(l)),
            ))
            .or_default()
            .push(i);
    }
    let mut used = vec![false; locked.len()];
    for m in manifests.iter_mut() {
        if m.resolved.is_some() {
            continue;
        }
        let key = m.ecosystem.name_key(&m.name);
        // nearest lockfile wins: same folder first, then ancestors; within one lockfile
        // the entry that says it resolves this declaration (yarn key, pnpm importer),
        // else the first entry (npm lists the hoisted `node_modules/x` before nested
        // copies). One entry may resolve several manifests (workspace members sharing a
        // root lock).
        let mdir = dir_of(path_of(m));
        let mut ldir = mdir;
        let best = loop {
            if let Some(candidates) = by_name.get(&(m.ecosystem, key.clone(), ldir)) {
                break candidates
                    .iter()
                    .map(|&i| (i, &locked[i]))
                    .max_by_key(|(i, l)| (resolves(l, m, ldir, mdir), std::cmp::Reverse(*i)));
            }
            if ldir.is_empty() {
                break None;
            }
            ldir = dir_of(ldir);
        };
        if let Some((i, l)) = best {
            used[i] = true;
            m.resolved = l.resolved.clone().or_else(|| l.version.clone());
            m.resolved_span = Some(l.span);
        }
    }
    inv.components = manifests;
    inv.components.extend(
        locked
            .into_iter()
            .zip(used)
            .filter(|(_, u)| !u)
            .map(|(l, _)| l),
    );
}

/// Does lockfile entry `l` (in folder `ldir`) say it resolves manifest dependency `m`
/// (in folder `mdir`, at or below `ldir`)? yarn: a key descriptor names the declared
/// range (Berry writes `npm:^2.0.0` for a declared `^2.0.0`); pnpm: the importer is the
/// manifest's folder relative to the lockfile's.
fn resolves(l: &Component, m: &Component, ldir: &str, mdir: &str) -> bool {
    if l.resolves.is_empty() {
        return false;
    }
    let rel = if mdir.len() == ldir.len() {
        "."
    } else if ldir.is_empty() {
        mdir
    } else {
        &mdir[ldir.len() + 1..]
    };
    l.resolves.iter().any(|k| match k {
        // an alias (`cjs@npm:real@^5`) is keyed by its alias name, the manifest
        // component by the real package: the alias range names both
        LockKey::Specifier { name, range } => m.version.as_deref().is_some_and(|v| {
            without_npm(range) == without_npm(v) && (*name == m.name || v.starts_with("npm:"))
        }),
        LockKey::Importer { path, name } => *name == m.name && path.trim_start_matches("./") == rel,
    })
}

/// `npm:^2.0.0` -> `^2.0.0`: Berry spells the default protocol out, v1 and manifests not.
fn without_npm(range: &str) -> &str {
    range.strip_prefix("npm:").unwrap_or(range)
}

fn is_ancestor_dir(ancestor: &str, dir: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || (dir.starts_with(ancestor) && dir.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder the walk cannot enter is a `read-error` finding at its path, with the I/O
    /// reason and without the absolute path (tests run as root, so the permission error
    /// is built by hand, as the walker reports it).
    #[test]
    fn walk_errors_become_read_errors() {
        let root = Path::new("/repo");
        let err = ignore::Error::WithDepth {
            depth: 1,
            err: Box::new(ignore::Error::WithPath {
                path: root.join("data/db"),
                err: Box::new(ignore::Error::Io(std::io::Error::from(
                    std::io::ErrorKind::PermissionDenied,
                ))),
            }),
        };
        let (path, message) = io_failure(&err).expect("an I/O failure");
        assert_eq!(path, root.join("data/db"));
        // an ignore-file syntax problem is not a file skew failed to read
        let glob = ignore::Error::WithPath {
            path: root.join(".gitignore"),
            err: Box::new(ignore::Error::WithLineNumber {
                line: 3,
                err: Box::new(ignore::Error::InvalidDefinition),
            }),
        };
        assert!(io_failure(&glob).is_none());
        let rel = path.strip_prefix(root).unwrap().to_path_buf();
        let reader = Reader::new(root, &ScanOptions::default());
        let inv = scan_walked(root, Vec::new(), vec![(rel, message.clone())], &reader);
        assert_eq!(inv.problems.len(), 1);
        let p = &inv.problems[0];
        assert_eq!(p.rule_id, "read-error");
        assert_eq!(p.message, format!("cannot read `data/db`: {message}"));
        assert!(!p.message.contains("/repo"));
    }

    #[test]
    fn ancestor_dirs() {
        assert!(is_ancestor_dir("", "a/b"));
        assert!(is_ancestor_dir("a", "a/b"));
        assert!(is_ancestor_dir("a/b", "a/b"));
        assert!(!is_ancestor_dir("a/b", "a/bc"));
        assert!(!is_ancestor_dir("a/b", "a"));
    }

    #[test]
    fn one_root_lockfile_resolves_every_workspace_member() {
        let member = |name: &str| {
            (
                format!("packages/{name}/package.json"),
                format!("{{\"name\": \"{name}\", \"dependencies\": {{\"mysql\": \"^2.0.0\"}}}}\n"),
            )
        };
        let lock = r#"{"name": "root", "lockfileVersion": 3, "packages": {
  "": {"name": "root"},
  "node_modules/mysql": {"version": "2.18.1"},
  "node_modules/other/node_modules/mysql": {"version": "2.5.0"}
}}
"#;
        let inv = scan_texts(
            Path::new("."),
            vec![
                ("package-lock.json".into(), lock.into()),
                member("a"),
                member("b"),
            ],
        );
        let resolved: Vec<_> = inv
            .components
            .iter()
            .map(|c| {
                (
                    inv.sources.get(c.span.file).path.as_str(),
                    c.name.as_str(),
                    c.resolved.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            resolved,
            [
                // the nested copy no manifest declares stays a component of its own
                ("package-lock.json", "mysql", Some("2.5.0")),
                ("packages/a/package.json", "mysql", Some("2.18.1")),
                ("packages/b/package.json", "mysql", Some("2.18.1")),
            ]
        );
    }

    /// (file, name, resolved, line of `resolved_span`) of every component, sorted.
    fn links(files: &[(&str, &str)]) -> Vec<(String, String, Option<String>, Option<usize>)> {
        let files = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let inv = scan_texts(Path::new("."), files);
        assert!(inv.problems.is_empty(), "{:?}", inv.problems);
        inv.components
            .iter()
            .map(|c| {
                let file = inv.sources.get(c.span.file);
                (
                    file.path.clone(),
                    c.name.clone(),
                    c.resolved.clone(),
                    c.resolved_span
                        .map(|s| inv.sources.get(s.file).location(s).line),
                )
            })
            .collect()
    }

    fn row(
        file: &str,
        name: &str,
        resolved: &str,
        line: usize,
    ) -> (String, String, Option<String>, Option<usize>) {
        (file.into(), name.into(), Some(resolved.into()), Some(line))
    }

    const MEMBER_A: &str = "{\"name\": \"a\", \"dependencies\": {\"mysql\": \"~2.5.0\"}}\n";
    const MEMBER_B: &str = "{\"name\": \"b\", \"dependencies\": {\"mysql\": \"^2.18.0\"}}\n";

    #[test]
    fn yarn_v1_links_each_range_to_the_entry_whose_key_lists_it() {
        // the entry for `~2.5.0` comes second: the first-entry rule would pick 2.18.1
        let lock = r#"# yarn lockfile v1


"mysql@^2.0.0", mysql@^2.18.0:
  version "2.18.1"
  resolved "https://registry.example.test/mysql/-/mysql-2.18.1.tgz"

mysql@~2.5.0:
  version "2.5.0"
  resolved "https://registry.example.test/mysql/-/mysql-2.5.0.tgz"
"#;
        assert_eq!(
            links(&[
                ("yarn.lock", lock),
                ("packages/a/package.json", MEMBER_A),
                ("packages/b/package.json", MEMBER_B),
            ]),
            [
                row("packages/a/package.json", "mysql", "2.5.0", 9),
                row("packages/b/package.json", "mysql", "2.18.1", 5),
            ]
        );
    }

    #[test]
    fn yarn_berry_links_each_range_to_the_entry_whose_key_lists_it() {
        let lock = r#"__metadata:
  version: 8
  cacheKey: 10c0

"a@workspace:packages/a":
  version: 0.0.0-use.local
  resolution: "a@workspace:packages/a"
  dependencies:
    mysql: "npm:~2.5.0"
  languageName: unknown
  linkType: soft

"mysql@npm:^2.0.0, mysql@npm:^2.18.0":
  version: 2.18.1
  resolution: "mysql@npm:2.18.1"
  languageName: node
  linkType: hard

"mysql@npm:~2.5.0":
  version: 2.5.0
  resolution: "mysql@npm:2.5.0"
  languageName: node
  linkType: hard
"#;
        assert_eq!(
            links(&[
                ("yarn.lock", lock),
                ("packages/a/package.json", MEMBER_A),
                ("packages/b/package.json", MEMBER_B),
            ]),
            [
                row("packages/a/package.json", "mysql", "2.5.0", 20),
                row("packages/b/package.json", "mysql", "2.18.1", 14),
            ]
        );
    }

    #[test]
    fn yarn_range_no_key_lists_falls_back_to_the_first_entry() {
        let lock = "mysql@^2.18.0:\n  version \"2.18.1\"\n\nmysql@~2.5.0:\n  version \"2.5.0\"\n";
        let c = "{\"dependencies\": {\"mysql\": \"2.x\"}}\n";
        assert_eq!(
            links(&[("yarn.lock", lock), ("package.json", c)]),
            [
                (
                    "package.json".into(),
                    "mysql".into(),
                    Some("2.18.1".into()),
                    Some(2)
                ),
                // the other version no manifest declares stays a component of its own
                (
                    "yarn.lock".into(),
                    "mysql".into(),
                    Some("2.5.0".into()),
                    Some(5)
                ),
            ]
        );
    }

    #[test]
    fn pnpm_v9_links_each_member_to_its_importers_version() {
        let lock = r#"lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      mysql:
        specifier: ^2.18.0
        version: 2.18.1

  packages/a:
    dependencies:
      mysql:
        specifier: ~2.5.0
        version: 2.5.0

  packages/b:
    devDependencies:
      mysql:
        specifier: ^2.18.0
        version: 2.18.1

packages:

  mysql@2.18.1:
    resolution: {integrity: sha512-00}

  mysql@2.5.0:
    resolution: {integrity: sha512-00}

snapshots:

  mysql@2.18.1: {}

  mysql@2.5.0: {}
"#;
        let root = "{\"name\": \"root\", \"dependencies\": {\"mysql\": \"^2.18.0\"}}\n";
        let b = "{\"name\": \"b\", \"devDependencies\": {\"mysql\": \"^2.18.0\"}}\n";
        assert_eq!(
            links(&[
                ("pnpm-lock.yaml", lock),
                ("package.json", root),
                ("packages/a/package.json", MEMBER_A),
                ("packages/b/package.json", b),
            ]),
            [
                row("package.json", "mysql", "2.18.1", 25),
                row("packages/a/package.json", "mysql", "2.5.0", 28),
                row("packages/b/package.json", "mysql", "2.18.1", 25),
            ]
        );
    }

    #[test]
    fn pnpm_v6_links_each_member_to_its_importers_version_peers_stripped() {
        // the lockfile sits in a sub-folder: importer paths are relative to it
        let lock = r#"lockfileVersion: '6.0'

importers:

  .:
    dependencies:
      mysql:
        specifier: ^2.18.0
        version: 2.18.1

  packages/a:
    dependencies:
      mysql:
        specifier: ~2.5.0
        version: 2.5.0(react@18.2.0)

packages:

  /mysql@2.18.1:
    resolution: {integrity: sha512-00}
    dev: false

  /mysql@2.5.0(react@18.2.0):
    resolution: {integrity: sha512-00}
    dev: false
"#;
        let root = "{\"name\": \"root\", \"dependencies\": {\"mysql\": \"^2.18.0\"}}\n";
        assert_eq!(
            links(&[
                ("web/pnpm-lock.yaml", lock),
                ("web/package.json", root),
                ("web/packages/a/package.json", MEMBER_A),
            ]),
            [
                row("web/package.json", "mysql", "2.18.1", 19),
                row("web/packages/a/package.json", "mysql", "2.5.0", 23),
            ]
        );
    }

    #[test]
    fn pnpm_v5_single_project_root_dependencies_link_exactly() {
        let lock = r#"lockfileVersion: 5.4

specifiers:
  mysql: ~2.5.0

dependencies:
  mysql: 2.5.0_react@18.2.0

packages:

  /mysql/2.18.1:
    resolution: {integrity: sha512-00}
    dev: false

  /mysql/2.5.0_react@18.2.0:
    resolution: {integrity: sha512-00}
    dev: false
"#;
        let root = "{\"name\": \"root\", \"dependencies\": {\"mysql\": \"~2.5.0\"}}\n";
        assert_eq!(
            links(&[("pnpm-lock.yaml", lock), ("package.json", root)]),
            [
                row("package.json", "mysql", "2.5.0", 15),
                (
                    "pnpm-lock.yaml".into(),
                    "mysql".into(),
                    Some("2.18.1".into()),
                    Some(11)
                ),
            ]
        );
    }
}
