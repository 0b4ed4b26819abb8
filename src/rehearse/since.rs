//! `--since REV`: the repository as it was at a git revision, read through git itself
//! (`ls-tree -z` + `cat-file --batch` by object id, so any path works) so the working tree
//! and the index are never touched.
//! Findings that already existed at REV are hidden: CI on a pull request and a pre-commit
//! hook see only what the change introduces.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::extract;
use crate::scan::{self, Inventory, ScanOptions};

/// Scan the tree of `rev` below `root` (which must be inside a git work tree).
pub fn scan_revision(root: &Path, rev: &str, opts: &ScanOptions) -> Result<Inventory, String> {
    let dir = if root.is_dir() {
        root
    } else {
        return Err(format!(
            "--since needs a folder inside a git repository, not `{}`",
            root.display()
        ));
    };
    // verify the revision first, for a clear message
    git(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{tree}}"),
        ],
        None,
    )
    .map_err(|_| {
        format!(
            "`{rev}` is not a revision of the repository at `{}`",
            dir.display()
        )
    })?;
    // `-z` listing (`<mode> <type> <oid>\t<path>\0`, paths relative to `dir`, never
    // quoted), and blobs requested by object id: a path may hold any byte, a newline
    // included, and `cat-file --batch` requests are newline-delimited
    let listing = git(dir, &["ls-tree", "-r", "-z", "--full-tree", rev], None)?;
    let listing = String::from_utf8_lossy(&listing).into_owned();
    let prefix = git(dir, &["rev-parse", "--show-prefix"], None)?;
    let prefix = String::from_utf8_lossy(&prefix)
        .trim_end_matches('\n')
        .to_string();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for entry in listing.split('\0') {
        let Some((meta, full)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some("blob"), Some(oid)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        // a symlink's blob is its target's name, not a manifest
        let Some(path) = full.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if wanted_blob(mode, path, opts) {
            wanted.push((path.to_string(), oid.to_string()));
        }
    }
    Ok(scan::scan_texts(root, read_blobs(dir, wanted)?))
}

/// Whether a blob at `path` (relative to the scanned folder) is read as the walk would
/// read the file: not a symlink (its blob is its target's name), not under an excluded
/// folder, and wanted by some extractor.
pub(crate) fn wanted_blob(mode: &str, path: &str, opts: &ScanOptions) -> bool {
    mode != "120000"
        && !path.is_empty()
        && !path
            .split('/')
            .any(|part| opts.excludes.iter().any(|x| x == part))
        && !excluded_under(opts, path)
        && extract::wanted_by(Path::new(path)).next().is_some()
}

/// The text of each `(path, object id)` through one `git cat-file --batch`, decoded as the
/// scan decodes files; a blob that is not text is left out.
pub(crate) fn read_blobs(
    dir: &Path,
    wanted: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, String> {
    // each blob once: files with the same content (a `.nvmrc` in every service) share
    // one, and git reading an object costs more than handing its text out again
    let mut unique: Vec<&str> = wanted.iter().map(|(_, oid)| oid.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    let request: String = unique.iter().map(|oid| format!("{oid}\n")).collect();
    let blobs = git(dir, &["cat-file", "--batch"], Some(request.as_bytes()))?;
    let mut texts: Vec<Option<String>> = Vec::with_capacity(unique.len());
    let mut rest = blobs.as_slice();
    for _ in &unique {
        let nl = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("unexpected end of `git cat-file` output")?;
        let header = String::from_utf8_lossy(&rest[..nl]).to_string();
        rest = &rest[nl + 1..];
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("unexpected `git cat-file` header `{header}`"))?;
        let body = &rest[..size.min(rest.len())];
        rest = rest.get(size + 1..).unwrap_or(&[]);
        // decoded as the scan decodes (BOM, UTF-16, CR-only); a file that is not text at
        // REV cannot have produced a finding then
        let decoded = crate::read::decode(body.to_vec());
        texts.push(decoded.problem.is_none().then_some(decoded.text));
    }
    let mut files = Vec::with_capacity(wanted.len());
    for (path, oid) in &wanted {
        let at = unique.binary_search(&oid.as_str()).unwrap_or(usize::MAX);
        if let Some(Some(text)) = texts.get(at) {
            files.push((path.clone(), text.clone()));
        }
    }
    Ok(files)
}

pub(crate) fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    // feed stdin from a thread: cat-file writes while we write, and pipes are finite
    let writer = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("piped");
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        })
    });
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_end(&mut out)
        .map_err(|e| format!("git: {e}"))?;
    let mut err = String::new();
    let _ = child.stderr.take().expect("piped").read_to_string(&mut err);
    let status = child.wait().map_err(|e| format!("git: {e}"))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    if status.success() {
        Ok(out)
    } else {
        Err(format!("git {}: {}", args.join(" "), err.trim()))
    }
}

/// Is `path` (or a folder above it) excluded by `opts.exclude`, as the walk would prune it?
fn excluded_under(opts: &ScanOptions, path: &str) -> bool {
    let mut at = 0;
    while let Some(i) = path[at..].find('/') {
        if opts.excluded(&path[..at + i]) {
            return true;
        }
        at += i + 1;
    }
    opts.excluded(path)
}
