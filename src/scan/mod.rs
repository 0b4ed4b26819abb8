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
mod helm_deps;
mod inherit;
pub(crate) mod option_files;
mod terraform_refs;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::component::{Component, Ecosystem, Inheritable, LockKey, Origin, Project, UnitFact};
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::extract::{self, Extraction};
use crate::source::{FileId, SourceFile, Sources, Span};

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
    /// How many files the scan read, the ones its resolution steps read included (an
    /// `extends.file`, a mounted option file); sources added later, such as rule files
    /// or `skew.toml` for labels, are not counted and come after them.
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
    crate::timing::stage("walk");
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
    if files.iter().all(|(_, rel)| plain_relative(rel)) {
        // the walk's paths: bytes compared as `Path` compares components, without its
        // component parser (about 600 instructions a comparison)
        files.sort_by(|a, b| plain_order(&a.1, &b.1));
        files.dedup_by(|a, b| a.1.as_os_str() == b.1.as_os_str());
    } else {
        files.sort_by(|a, b| a.1.cmp(&b.1));
        files.dedup_by(|a, b| a.1 == b.1);
    }
    unreadable.sort();
    unreadable.dedup_by(|a, b| a.0 == b.0);
    let mut results: Vec<Read> = files
        .par_iter()
        .enumerate()
        .map(|(i, (abs, rel))| {
            let (mut file, ex) = read_one(FileId(i as u32), abs, rel, reader);
            if releasable(&file, rel, &ex) {
                file.release(abs, reader.max_file_size);
            }
            shared((file, ex))
        })
        .inspect(|(_, ex)| crate::progress::count(ex.components.len()))
        .collect();
    for (rel, message) in unreadable {
        let id = FileId(results.len() as u32);
        results.push(shared(read_problem(id, slash_path(&rel), &message)));
    }
    crate::timing::stage("read+extract");
    assemble(root, results, Some(&OnDisk { reader, root }))
}

/// Texts at least this big are released once extracted ([`releasable`]); smaller ones
/// cost little to keep and would cost a read each to show.
const RELEASE_FROM: usize = 16 * 1024;

/// May the scan drop `file`'s text once it is extracted (see [`SourceFile::release`])?
/// Only a big file read cleanly from disk, whose text can be read again as it was: not
/// a chart archive (its text is unpacked), not a file that could not be read or decoded
/// (its text is a stand-in), not one holding an inline `skew: ignore[…]` directive (the
/// filter step reads those from the text of every file). Editor buffers (`skew lsp`)
/// and git blobs (`--staged`, `--since`) are never released: they are not on disk.
fn releasable(file: &SourceFile, rel: &Path, ex: &Extraction) -> bool {
    let unread = |f: &Finding| {
        f.rule_id == Code::ReadError.as_str() || f.rule_id == Code::SkippedFile.as_str()
    };
    file.text.len() >= RELEASE_FROM
        && !extract::helm_archive::is_archive(rel)
        && !ex.problems.iter().any(unread)
        && !crate::suppress::may_hold_directives(&file.text)
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

    /// The `.cnf` files of a folder the walk did not read but a compose service mounts
    /// (`./mysql-conf:/etc/mysql/conf.d`), by its path relative to `root`: their paths
    /// relative to `root`, sorted, at most [`crate::limits::OPTION_FILES_MAX_PER_FOLDER`];
    /// confined to the root like [`Reader::read_extra`].
    fn list_extra(&self, root: &Path, rel: &str) -> Result<Vec<String>, Option<String>> {
        use crate::read::{self, ReadError};
        let Some(canonical_root) = &self.root else {
            return Err(None);
        };
        let real = read::confine(canonical_root, &root.join(rel)).map_err(|e| match e {
            ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                Some("no such folder".to_string())
            }
            e => Some(e.to_string()),
        })?;
        if !real.is_dir() {
            return Err(Some("not a folder".to_string()));
        }
        let entries = std::fs::read_dir(&real).map_err(|e| Some(e.to_string()))?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".cnf"))
            .collect();
        names.sort();
        names.truncate(crate::limits::OPTION_FILES_MAX_PER_FOLDER);
        let base = rel.trim_end_matches('/');
        Ok(names
            .into_iter()
            .map(|n| {
                if base.is_empty() {
                    n
                } else {
                    format!("{base}/{n}")
                }
            })
            .collect())
    }
}

/// Reads files the walk did not read but another file names (compose `extends.file`, a
/// mounted MySQL option file): the disk under the root, confined to it. `None` where
/// the scan reads from memory (the index, a commit): nothing else is looked at.
pub(super) type ReadExtra<'a> = &'a OnDisk<'a>;

pub(super) struct OnDisk<'a> {
    reader: &'a Reader,
    root: &'a Path,
}

impl OnDisk<'_> {
    /// The text of the file at `rel` (relative to the root), or why not (`None`: the
    /// scan does not look at other files).
    pub(super) fn read(&self, rel: &str) -> Result<String, Option<String>> {
        self.reader.read_extra(self.root, rel)
    }

    /// The `.cnf` files of the folder at `rel`, relative to the root.
    pub(super) fn list_cnf(&self, rel: &str) -> Result<Vec<String>, Option<String>> {
        self.reader.list_extra(self.root, rel)
    }
}

/// Like [`scan`] on a folder, but the files named in `overlay` (path relative to `root`,
/// `/`-separated, with its text) are read from memory instead of disk: an editor's unsaved
/// buffers. Only files the walk finds are overlaid, so ignored folders stay ignored; a
/// manifest that exists only in memory is seen once it is saved.
pub fn scan_overlay(
    root: &Path,
    opts: &ScanOptions,
    overlay: &[(&str, &str)],
) -> Result<Inventory, ScanError> {
    let ws = Workspace::read(root, opts, overlay)?;
    Ok(assemble(
        &ws.root,
        ws.extracted,
        Some(&OnDisk {
            reader: &ws.reader,
            root: &ws.root,
        }),
    ))
}

/// A folder walked and extracted file by file, kept between evaluations (`skew lsp`): an
/// edit re-extracts the one document it changed ([`Workspace::update`]) instead of reading
/// and parsing the whole workspace again. The set of files is the walk's; only a new walk
/// ([`Workspace::read`]) sees files created or deleted since.
pub struct Workspace {
    root: PathBuf,
    reader: Reader,
    /// The walked files, `/`-separated relative path by file id.
    paths: Vec<String>,
    /// What each walked file held, by file id; then the `read-error`s of the walk. The
    /// files are shared with every inventory built from them, never copied.
    extracted: Vec<Read>,
}

impl Workspace {
    /// Walk `root` and extract every wanted file, reading the files named in `overlay`
    /// from memory (see [`scan_overlay`]).
    pub fn read(
        root: &Path,
        opts: &ScanOptions,
        overlay: &[(&str, &str)],
    ) -> Result<Workspace, ScanError> {
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
        let paths: Vec<String> = files.iter().map(|(_, rel)| slash_path(rel)).collect();
        let mut extracted: Vec<Read> = files
            .par_iter()
            .zip(&paths)
            .enumerate()
            .map(|(i, ((abs, rel), rel_str))| {
                let id = FileId(i as u32);
                shared(match overlay.iter().find(|(p, _)| *p == rel_str.as_str()) {
                    Some((_, text)) => {
                        extract_one(SourceFile::new(id, rel_str.as_str(), *text), rel)
                    }
                    None => read_one(id, abs, rel, &reader),
                })
            })
            .collect();
        for (rel, message) in unreadable {
            let id = FileId(extracted.len() as u32);
            extracted.push(shared(read_problem(id, slash_path(&rel), &message)));
        }
        Ok(Workspace {
            root: root.to_path_buf(),
            reader,
            paths,
            extracted,
        })
    }

    /// The file at `rel` now holds `text` (an editor's buffer), or what is on disk when
    /// `None` (the buffer was closed): extract it again. `false` when the walk did not find
    /// `rel` (ignored, excluded, not a manifest, or created since): nothing changes.
    pub fn update(&mut self, rel: &str, text: Option<&str>) -> bool {
        let Some(i) = self.paths.iter().position(|p| p == rel) else {
            return false;
        };
        let id = FileId(i as u32);
        let path = Path::new(rel);
        self.extracted[i] = shared(match text {
            Some(text) => extract_one(SourceFile::new(id, rel, text), path),
            None => read_one(id, &self.root.join(path), path, &self.reader),
        });
        true
    }

    /// The inventory of the workspace as it is now, linked as [`scan`] links it. Its
    /// files are the workspace's own, shared: no text is copied or indexed again, only
    /// the extracted components are (linking lockfiles and inheritance rewrite them).
    pub fn inventory(&self) -> Inventory {
        let results = self
            .extracted
            .iter()
            .map(|(file, out)| (Arc::clone(file), out.clone()))
            .collect();
        assemble(
            &self.root,
            results,
            Some(&OnDisk {
                reader: &self.reader,
                root: &self.root,
            }),
        )
    }
}

/// A file read and what was extracted from it; the file shared between the
/// [`Workspace`] that keeps it and the inventories built from it.
type Read = (Arc<SourceFile>, Extraction);

fn shared((file, out): (SourceFile, Extraction)) -> Read {
    (Arc::new(file), out)
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
            shared(extract_one(
                SourceFile::new(FileId(i as u32), rel, text),
                &path,
            ))
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

fn assemble(root: &Path, results: Vec<Read>, extra: Option<ReadExtra<'_>>) -> Inventory {
    let mut inv = Inventory {
        root: root.to_path_buf(),
        ..Inventory::default()
    };
    let mut offers: Vec<(FileId, Inheritable)> = Vec::new();
    // one allocation each, not a doubling (and a copy of every component) per growth
    inv.components
        .reserve_exact(results.iter().map(|(_, o)| o.components.len()).sum());
    inv.sources.reserve(results.len());
    for (file, out) in results {
        // the line index was built when the file was read: keep it, and the text
        let id = inv.sources.share(file);
        inv.components.extend(out.components);
        inv.problems.extend(out.problems);
        offers.extend(out.inheritable.into_iter().map(|o| (id, o)));
        inv.units.extend(out.units);
        inv.projects.extend(out.project);
    }
    crate::timing::stage("collect");
    inherit::resolve(&mut inv, &offers);
    compose_extends::resolve(&mut inv, extra);
    compose_env::resolve(&mut inv);
    option_files::resolve(&mut inv, extra);
    helm_deps::resolve(&mut inv);
    terraform_refs::resolve(&mut inv);
    // the files those steps read are the scan's too (an `extends.file`, a mounted
    // option file): counted, and shown relative to the root like the walked ones
    inv.files_scanned = inv.sources.len();
    crate::timing::stage("inherit");
    link_lockfiles(&mut inv);
    crate::timing::stage("link");
    sort_components(&mut inv.components);
    crate::component::number(&mut inv.components);
    inv.problems
        .sort_by(|a, b| (a.span(), &a.rule_id).cmp(&(b.span(), &b.rule_id)));
    crate::timing::stage("sort");
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
    // on every core: the order does not matter, the scan sorts what the walk found
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
        .build_parallel();
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    walker.run(|| {
        let found = &found;
        // each thread collects on its own and hands its lists over once, at its end
        let mut mine = Collector {
            root,
            files: Vec::new(),
            unreadable: Vec::new(),
            found,
        };
        Box::new(move |entry| {
            mine.visit(entry);
            ignore::WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// One walker thread's findings, added to the shared lists when the thread is done.
struct Collector<'a> {
    root: &'a Path,
    files: Vec<(PathBuf, PathBuf)>,
    unreadable: Unreadable,
    found: &'a std::sync::Mutex<(Vec<(PathBuf, PathBuf)>, Unreadable)>,
}

impl Collector<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                if let Some((path, message)) = io_failure(&e) {
                    let rel = path.strip_prefix(self.root).unwrap_or(path);
                    self.unreadable.push((rel.to_path_buf(), message));
                }
                return;
            }
        };
        // symlinks, FIFOs and devices with a manifest's name are kept: reading reports
        // them (`skipped-file`) instead of dropping them in silence
        if entry.file_type().is_none_or(|t| t.is_dir()) {
            return;
        }
        let rel = entry.path().strip_prefix(self.root).unwrap_or(entry.path());
        if extract::wanted_by(rel).next().is_some() {
            let rel = rel.to_path_buf();
            self.files.push((entry.into_path(), rel));
        }
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found.0.append(&mut self.files);
        found.1.append(&mut self.unreadable);
    }
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
/// Is `p` a relative path of plain names joined by single `/`s (what the walk yields
/// below the root)? Only on Unix, where `/` is the one separator and no name holds a NUL.
fn plain_relative(p: &Path) -> bool {
    cfg!(unix)
        && p.as_os_str()
            .as_encoded_bytes()
            .split(|&b| b == b'/')
            .all(|name| !name.is_empty() && name != b"." && name != b"..")
}

/// The order `Path::cmp` gives two [`plain_relative`] paths: their components compared
/// in turn, each by its bytes, which is the bytes compared with `/` below every byte a
/// name can hold (the shorter of two names, one a prefix of the other, ends first).
fn plain_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let low = |c: u8| if c == b'/' { 0 } else { c };
    match (a.get(same), b.get(same)) {
        (Some(&x), Some(&y)) => low(x).cmp(&low(y)),
        _ => a.len().cmp(&b.len()),
    }
}

pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub(crate) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// The root-relative folder `dir` joined with a path a file writes relative to it
/// (compose `extends.file` and `build.context`, Maven modules, Cargo members, Terraform
/// module sources), `.` and `..` applied lexically, `/` or `\` as separators; `None`
/// for a path that leaves the scan root or is not relative (`/x`, `~/x`, `C:\x`, a URL),
/// which is never a file of the tree.
pub(crate) fn join_dir(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.starts_with('~') || rel.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Give each manifest dependency the version its lockfile resolved, and drop the
/// lockfile entry it came from: the finding must point at the line a person edits
/// (the manifest) and name the locked version. A lockfile resolves the manifests in its
/// own folder (and, for workspaces, in folders below it). Lockfile entries no manifest
/// declares (transitive dependencies) stay as components of their own.
fn link_lockfiles(inv: &mut Inventory) {
    // in place, by index: components are big and lockfiles make a hundred thousand of
    // them, so none is moved until the one pass that drops the linked entries
    const NONE: u32 = u32::MAX;
    let components = &inv.components;
    // each file's folder, found once rather than once per entry
    let dirs: Vec<&str> = inv.sources.iter().map(|f| dir_of(&f.path)).collect();
    let dir_of_component = |c: &Component| dirs[c.span.file.0 as usize];
    // lockfile entries by (ecosystem, name as the ecosystem compares names, the
    // lockfile's folder): big lockfiles and big monorepos meet here, so a manifest looks
    // up its own folder and its ancestors instead of every same-named entry in the repo.
    // Each key holds its first entry; `next` chains the others in index order.
    let lockfile_entries = components
        .iter()
        .filter(|c| c.origin == Origin::Lockfile)
        .count();
    let mut by_name: HashMap<
        (Ecosystem, std::borrow::Cow<str>, &str),
        u32,
        rustc_hash::FxBuildHasher,
    > = HashMap::with_capacity_and_hasher(lockfile_entries, rustc_hash::FxBuildHasher);
    let mut next = vec![NONE; components.len()];
    for (i, l) in components.iter().enumerate().rev() {
        if l.origin != Origin::Lockfile {
            continue;
        }
        let key = (
            l.ecosystem,
            l.ecosystem.name_key(&l.name),
            dir_of_component(l),
        );
        if let Some(first) = by_name.insert(key, i as u32) {
            next[i] = first;
        }
    }
    let mut used = vec![false; components.len()];
    let mut links: Vec<(usize, usize)> = Vec::new();
    for (mi, m) in components.iter().enumerate() {
        if m.origin != Origin::Manifest || m.resolved.is_some() {
            continue;
        }
        let key = m.ecosystem.name_key(&m.name);
        // nearest lockfile wins: same folder first, then ancestors; within one lockfile
        // the entry that says it resolves this declaration (yarn key, pnpm importer),
        // else the first entry (npm lists the hoisted `node_modules/x` before nested
        // copies). One entry may resolve several manifests (workspace members sharing a
        // root lock).
        let mdir = dir_of_component(m);
        let mut ldir = mdir;
        let best = loop {
            if let Some(&first) = by_name.get(&(m.ecosystem, key.clone(), ldir)) {
                let mut best = first as usize;
                let mut best_resolves = resolves(&components[best], m, ldir, mdir);
                let mut i = next[best];
                while i != NONE && !best_resolves {
                    if resolves(&components[i as usize], m, ldir, mdir) {
                        (best, best_resolves) = (i as usize, true);
                    }
                    i = next[i as usize];
                }
                break Some(best);
            }
            if ldir.is_empty() {
                break None;
            }
            ldir = dir_of(ldir);
        };
        if let Some(li) = best {
            used[li] = true;
            links.push((mi, li));
        }
    }
    drop(by_name);
    for (mi, li) in links {
        let l = &inv.components[li];
        let resolved = l.resolved.clone().or_else(|| l.version.clone());
        let span = l.span;
        let m = &mut inv.components[mi];
        m.resolved = resolved;
        m.resolved_span = Some(span);
    }
    let mut i = 0;
    inv.components.retain(|_| {
        i += 1;
        !used[i - 1]
    });
    // the linked entries' room is kept for the whole run otherwise (a tenth of a big
    // lockfile's entries); a big table shrinks in place
    inv.components.shrink_to_fit();
}

/// Sort the components by [`Component::sort_key`], manifest entries before lockfile
/// entries on equal keys, otherwise in the order they were extracted. The sort runs on
/// indices, then moves only the (big) components that are out of place: extraction
/// order is nearly sorted already.
fn sort_components(components: &mut [Component]) {
    fn key(c: &Component) -> ((Span, Ecosystem, &str), bool) {
        (c.sort_key(), c.origin == Origin::Lockfile)
    }
    fn sort(components: &mut [Component]) {
        if components.is_sorted_by(|a, b| key(a) <= key(b)) {
            return;
        }
        let mut order: Vec<u32> = (0..components.len() as u32).collect();
        order.sort_by(|&a, &b| key(&components[a as usize]).cmp(&key(&components[b as usize])));
        apply_order(components, &order);
    }
    // The key orders by file first, and the scan collects components file by file: when
    // the files come in ascending order, each file's run sorts on its own, the same
    // result as one stable sort of the whole table, and only the runs out of order pay
    // for a sort (one out-of-order file made the whole table's 100k components sort)
    if components.is_sorted_by_key(|c| c.span.file) {
        for run in components.chunk_by_mut(|a, b| a.span.file == b.span.file) {
            sort(run);
        }
    } else {
        sort(components);
    }
}

/// Rearrange `items` so that position `k` holds what was at `order[k]` (`order` a
/// permutation), cycle by cycle: an element already in place is not moved.
fn apply_order<T>(items: &mut [T], order: &[u32]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        if placed[start] {
            continue;
        }
        // position `k` takes its element from `order[k]`, which has not been touched
        // yet, except for the cycle's first element, which the swaps carry along
        let mut k = start;
        loop {
            placed[k] = true;
            let from = order[k] as usize;
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
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

    /// `skew lsp` evaluates over `Workspace::inventory` after every edit: the inventory
    /// shares the workspace's files (text and line index), so an evaluation copies no
    /// text. An edit replaces the one file it changed; every other file stays the very
    /// one read first. Fails if `inventory` copies files again (a copy is a new `Arc`).
    #[test]
    fn workspace_inventories_share_the_files_they_were_read_from() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("docker-compose.yml"),
            "services:\n  db:\n    image: mysql:8.0.36\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "PyMySQL==1.1.0\n").unwrap();
        let edited = "services:\n  db:\n    image: mysql:8.4.0\n";
        let overlay = [("requirements.txt", "PyMySQL==1.0.2\n")];
        let mut ws = Workspace::read(dir.path(), &ScanOptions::default(), &overlay).unwrap();
        let compose = FileId(0);
        let reqs = FileId(1);
        let first = ws.inventory();
        let second = ws.inventory();
        assert_eq!(first.sources.get(compose).path, "docker-compose.yml");
        assert_eq!(first.sources.get(reqs).text, "PyMySQL==1.0.2\n");
        for id in [compose, reqs] {
            let kept = &ws.extracted[id.0 as usize].0;
            assert!(Arc::ptr_eq(first.sources.shared(id), kept));
            assert!(Arc::ptr_eq(second.sources.shared(id), kept));
            // the workspace and the two inventories: one file, three holders
            assert_eq!(Arc::strong_count(kept), 3);
        }
        assert_eq!(first.components.len(), 2);
        drop((first, second));

        assert!(ws.update("docker-compose.yml", Some(edited)));
        let third = ws.inventory();
        assert_eq!(third.sources.get(compose).text, edited);
        assert!(Arc::ptr_eq(
            third.sources.shared(compose),
            &ws.extracted[0].0
        ));
        let reqs_text = third.sources.get(reqs).text.as_ptr();
        assert_eq!(reqs_text, ws.extracted[1].0.text.as_ptr());
        assert_eq!(Arc::strong_count(&ws.extracted[1].0), 2);
        let db = third.components.iter().find(|c| c.name == "mysql").unwrap();
        assert_eq!(db.version.as_deref(), Some("8.4.0"));
        // a path the walk did not find changes nothing
        assert!(!ws.update("package.json", Some("{}")));
    }

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

    /// Only big texts read cleanly from disk, without an inline directive, are released
    /// after extraction; what `scan_texts` is given (git blobs) never is.
    #[test]
    fn the_scan_releases_big_clean_texts_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let pad = "\n".repeat(RELEASE_FROM);
        let files = [
            ("big/requirements.txt", format!("django==4.2\n{pad}")),
            ("small/requirements.txt", "django==4.2\n".to_string()),
            (
                "directive/requirements.txt",
                format!("django==4.2  # skew: ignore[django-eol]\n{pad}"),
            ),
            (
                "wide/requirements.txt",
                format!("django==4.2  # café\n{pad}"),
            ),
            ("binary/requirements.txt", format!("django==4.2\n\0{pad}")),
        ];
        for (rel, text) in &files {
            std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
            std::fs::write(root.join(rel), text).unwrap();
        }
        let inv = scan(root, &ScanOptions::default()).unwrap();
        let released = |rel: &str| inv.sources.by_path(rel).unwrap().is_released();
        assert!(released("big/requirements.txt"));
        for kept in [
            "small/requirements.txt",
            "directive/requirements.txt",
            "wide/requirements.txt",
            "binary/requirements.txt",
        ] {
            assert!(!released(kept), "{kept}");
        }
        let big = inv.sources.by_path("big/requirements.txt").unwrap();
        assert_eq!(big.contents(), Some(files[0].1.as_str()));
        let texts = files
            .iter()
            .map(|(r, t)| (r.to_string(), t.clone()))
            .collect();
        let from_memory = scan_texts(root, texts);
        assert!(from_memory.sources.iter().all(|f| !f.is_released()));
    }

    /// The walk's paths sort by bytes exactly as `Path` sorts them by components, and
    /// only plain relative paths take that way.
    #[test]
    fn plain_paths_order_as_paths_do() {
        let names = [
            "a",
            "a-b",
            "a.b",
            "a/b",
            "a/b-c",
            "a/b/c",
            "a/bc",
            "ab",
            "a b/c",
            "a/b.c",
            "b",
            "B",
            "services/svc0078/package-lock.json",
            "services/svc0078/k8s/a.yaml",
            "services/svc0078-x/a",
            "services/svc007/a",
            "é/a",
            "e/a",
            "z/é",
            "z/e~",
        ];
        for a in names {
            assert!(plain_relative(Path::new(a)) == cfg!(unix), "{a}");
            for b in names {
                let (pa, pb) = (Path::new(a), Path::new(b));
                assert_eq!(plain_order(pa, pb), pa.cmp(pb), "{a} vs {b}");
            }
        }
        for odd in ["", "/a", "a/", "a//b", "./a", "a/./b", "a/../b", ".."] {
            assert!(!plain_relative(Path::new(odd)), "{odd:?}");
        }
    }

    /// Sorting file by file gives what one stable sort of the whole table gives, whether
    /// the files come in order or not.
    #[test]
    fn components_sort_as_one_stable_sort() {
        use crate::component::{ComponentKind, Ecosystem};
        let c = |file: u32, start: usize, name: &str, lock: bool| {
            let span = Span::new(FileId(file), start, start + 1);
            let c = Component::new(ComponentKind::Package, Ecosystem::Npm, name, None, span);
            if lock { c.lockfile() } else { c }
        };
        let tables = [
            // files in order, the first one's run out of order, ties on the key
            vec![
                c(0, 9, "b", false),
                c(0, 2, "a", true),
                c(0, 2, "a", false),
                c(0, 2, "a", false),
                c(1, 1, "x", false),
                c(1, 5, "y", false),
                c(2, 3, "z", true),
                c(2, 1, "w", false),
            ],
            // a file after a later one: sorted as one table
            vec![
                c(1, 1, "x", false),
                c(0, 9, "b", false),
                c(0, 2, "a", false),
                c(1, 0, "v", false),
            ],
        ];
        for table in tables {
            let mut expected: Vec<(Span, String, Origin, usize)> = table
                .iter()
                .enumerate()
                .map(|(i, c)| (c.span, c.name.clone(), c.origin, i))
                .collect();
            expected.sort_by(|a, b| {
                (a.0, &a.1, a.2 == Origin::Lockfile).cmp(&(b.0, &b.1, b.2 == Origin::Lockfile))
            });
            let mut sorted = table.clone();
            sort_components(&mut sorted);
            let got: Vec<(Span, String, Origin)> = sorted
                .iter()
                .map(|c| (c.span, c.name.clone(), c.origin))
                .collect();
            let want: Vec<(Span, String, Origin)> =
                expected.into_iter().map(|(s, n, o, _)| (s, n, o)).collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn orders_are_applied_cycle_by_cycle() {
        let mut items = ['a', 'b', 'c', 'd', 'e', 'f'];
        // e at 0, a at 1, b at 2, d stays, c at 4, f stays
        apply_order(&mut items, &[4, 0, 1, 3, 2, 5]);
        assert_eq!(items, ['e', 'a', 'b', 'd', 'c', 'f']);
        let mut items: Vec<u32> = (0..50).rev().collect();
        let mut order: Vec<u32> = (0..50).collect();
        order.sort_by_key(|&i| items[i as usize]);
        apply_order(&mut items, &order);
        assert!(items.is_sorted());
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
