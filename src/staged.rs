//! `skew check --staged`: the commit being made, as git's index holds it.
//!
//! A pre-commit hook must judge what will be committed, not the working tree: a staged
//! `package.json` fixed only in the working tree still blocks the commit, and a new file
//! that is not staged is not part of it. So the project is read from the index (the
//! staged blob of every tracked manifest: the working tree's copy when it hashes to the
//! blob's id, the rest through one `git cat-file --batch`), checked as
//! a whole, and the findings are then filtered: one is kept when its primary or any
//! related location is in a staged file (a staged client meets the compose file that
//! runs its server, staged or not). `skew.toml` is read from the index too ([`load`]):
//! its staged version is the one the commit will carry, and a `skew.toml` that exists
//! only in the working tree is not part of it. Owns the `git` invocations. Must not:
//! check or render.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::{Config, ConfigError, FILE_NAME};
use crate::diagnostic::Finding;
use crate::pipeline::{Error, Loaded};
use crate::rehearse::since;
use crate::rule::RuleSet;
use crate::scan::{self, Inventory, ScanOptions};
use crate::source::SourceView;

/// Why the staged files could not be listed: skew cannot do its job (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StagedError {
    /// `git` is not installed or could not be started.
    NoGit(String),
    /// The scan root is not inside a git work tree (or git refused for another reason).
    Git { dir: PathBuf, message: String },
}

impl fmt::Display for StagedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StagedError::NoGit(e) => {
                write!(f, "`--staged` needs `git`, which could not be run: {e}")
            }
            StagedError::Git { dir, message } => write!(
                f,
                "`--staged` needs a git repository, and `{}` is not in one: {message}",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for StagedError {}

/// The files staged in the index (added, copied, modified, renamed; not deleted), as
/// `/`-separated paths relative to `root` — the same form as [`crate::source::SourceFile::path`].
///
/// Runs `git diff --cached --name-only -z --relative` from `root` (from its folder when
/// `root` is a file): `--relative` makes git print paths relative to that folder and drop
/// staged files outside it, so the names compare directly with scanned paths.
pub fn staged_files(root: &Path) -> Result<BTreeSet<String>, StagedError> {
    let dir = folder(root);
    let output = Command::new("git")
        .args([
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--relative",
            "--diff-filter=ACMR",
        ])
        .current_dir(&dir)
        .output()
        .map_err(|e| StagedError::NoGit(e.to_string()))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(StagedError::Git { dir, message });
    }
    Ok(parse_name_list(&output.stdout))
}

/// One stage-0 entry of `git ls-files --stage -z`.
struct Entry {
    mode: String,
    oid: String,
    /// Relative to the listed folder, `/`-separated (as git prints it, lossy UTF-8): the
    /// form of [`crate::source::SourceFile::path`].
    path: String,
    /// The same path as git's bytes, to find the working tree's copy.
    raw: Vec<u8>,
}

/// git's index below one folder: every stage-0 entry of `git ls-files --stage -z` run
/// there (entries in a merge conflict have no stage 0 and are not listed). The one
/// listing answers both [`Index::config`] and [`Index::scan`].
pub struct Index {
    dir: PathBuf,
    /// A single-file root: the only entry the scan keeps.
    only: Option<String>,
    entries: Vec<Entry>,
}

impl Index {
    /// List the index below `root` (its folder when `root` is a file).
    pub fn list(root: &Path) -> Result<Index, StagedError> {
        let dir = folder(root);
        let only = root
            .is_file()
            .then(|| root.file_name().map(|n| n.to_string_lossy().into_owned()))
            .flatten();
        // `<mode> <oid> <stage>\t<path>\0`, paths relative to `dir` and only below it
        let listing =
            since::git(&dir, &["ls-files", "--stage", "-z"], None).map_err(|message| {
                StagedError::Git {
                    dir: dir.clone(),
                    message,
                }
            })?;
        let mut entries = Vec::new();
        for entry in listing.split(|&b| b == 0) {
            let Some(tab) = entry.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let (meta, raw) = (String::from_utf8_lossy(&entry[..tab]), &entry[tab + 1..]);
            let mut meta = meta.split(' ');
            let (Some(mode), Some(oid), Some("0")) = (meta.next(), meta.next(), meta.next()) else {
                continue;
            };
            entries.push(Entry {
                mode: mode.to_string(),
                oid: oid.to_string(),
                path: String::from_utf8_lossy(raw).into_owned(),
                raw: raw.to_vec(),
            });
        }
        Ok(Index { dir, only, entries })
    }

    /// `skew.toml` in the listed folder as the index holds it: `None` when the index has
    /// none there (not added yet, or only in the working tree), an error when it does not
    /// load.
    pub fn config(&self) -> Result<Option<Config>, Error> {
        let Some(entry) = self.entries.iter().find(|e| e.path == FILE_NAME) else {
            return Ok(None);
        };
        let fail = |message: String| {
            Error::Staged(StagedError::Git {
                dir: self.dir.clone(),
                message,
            })
        };
        let limit = crate::limits::MAX_CONFIG_FILE_SIZE;
        let bytes = match from_worktree(&self.dir, entry, limit) {
            Some(bytes) => bytes,
            None => since::git(&self.dir, &["cat-file", "blob", &entry.oid], None).map_err(fail)?,
        };
        let refuse = |message: String| ConfigError {
            path: FILE_NAME.to_string(),
            text: String::new(),
            problems: vec![(0, 0, message)],
        };
        if bytes.len() as u64 > limit {
            return Err(refuse(format!("the staged `{FILE_NAME}` is over {limit} bytes")).into());
        }
        let decoded = crate::read::decode(bytes);
        if let Some((at, message)) = decoded.problem {
            return Err(ConfigError {
                path: FILE_NAME.to_string(),
                text: decoded.text,
                problems: vec![(at, at, message)],
            }
            .into());
        }
        Ok(Some(Config::parse_confined(
            FILE_NAME,
            &decoded.text,
            &self.dir,
        )?))
    }

    /// The inventory scanned from the staged content of every listed file an extractor
    /// wants (see [`read_staged`] for where the bytes come from).
    pub fn scan(&self, root: &Path, opts: &ScanOptions) -> Result<Inventory, StagedError> {
        let wanted: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| self.only.as_deref().is_none_or(|n| n == e.path))
            .filter(|e| since::wanted_blob(&e.mode, &e.path, opts))
            .collect();
        let files = read_staged(&self.dir, &wanted, opts.max_file_size).map_err(|message| {
            StagedError::Git {
                dir: self.dir.clone(),
                message,
            }
        })?;
        Ok(scan::scan_texts(root, files))
    }
}

/// The staged text of each entry, decoded as the scan decodes files (an entry that is not
/// text is left out). Each object once: entries with the same object id share its text.
/// The working tree's copy is used when its bytes hash to the entry's object id (then
/// they are the blob's bytes, whatever filters, `core.autocrlf` or `.gitattributes` say);
/// the others — changed since staging, deleted, not a regular file, over `limit`, or in a
/// repository whose ids are not SHA-1 — come from one `git cat-file --batch`, which is
/// started only when there are any.
fn read_staged(dir: &Path, wanted: &[&Entry], limit: u64) -> Result<Vec<(String, String)>, String> {
    use rayon::prelude::*;
    let mut by_oid: std::collections::BTreeMap<&str, Vec<&Entry>> = Default::default();
    for e in wanted {
        by_oid.entry(e.oid.as_str()).or_default().push(e);
    }
    let groups: Vec<(&str, Vec<&Entry>)> = by_oid.into_iter().collect();
    // `Some(text or not text)` from the working tree, `None`: ask git
    let found: Vec<Option<Option<String>>> = groups
        .par_iter()
        .map(|(_, entries)| {
            let bytes = entries.iter().find_map(|e| from_worktree(dir, e, limit))?;
            let decoded = crate::read::decode(bytes);
            Some(decoded.problem.is_none().then_some(decoded.text))
        })
        .collect();
    let mut files = Vec::with_capacity(wanted.len());
    let mut ask = Vec::new();
    for ((_, entries), found) in groups.iter().zip(found) {
        match found {
            Some(Some(text)) => {
                files.extend(entries.iter().map(|e| (e.path.clone(), text.clone())));
            }
            Some(None) => {}
            None => ask.extend(entries.iter().map(|e| (e.path.clone(), e.oid.clone()))),
        }
    }
    if !ask.is_empty() {
        files.extend(since::read_blobs(dir, ask)?);
    }
    Ok(files)
}

/// The working tree's copy of `entry` when it is the staged blob byte for byte: a
/// regular file of at most `limit` bytes whose git blob id (SHA-1 of `blob <size>\0` and
/// the bytes) is the entry's. `None` otherwise, and for a non-SHA-1 object id.
fn from_worktree(dir: &Path, entry: &Entry, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let want = sha1_hex(&entry.oid)?;
    let mut file = std::fs::File::open(dir.join(worktree_path(&entry.raw)?)).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // a file growing while it is read is cut at `limit + 1`, and then does not match
    file.by_ref().take(limit + 1).read_to_end(&mut bytes).ok()?;
    (blob_id(&bytes) == want).then_some(bytes)
}

/// git's object id of a blob holding `bytes` (SHA-1).
fn blob_id(bytes: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    let mut hash = sha1::Sha1::new();
    hash.update(format!("blob {}\0", bytes.len()).as_bytes());
    hash.update(bytes);
    hash.finalize().into()
}

/// A SHA-1 object id's 40 hex digits as bytes (`None` for anything else: a SHA-256
/// repository's 64 digits are read through git).
fn sha1_hex(oid: &str) -> Option<[u8; 20]> {
    let hex = oid.as_bytes();
    if hex.len() != 40 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0; 20];
    for (i, pair) in hex.chunks(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// git's bytes of a path (`/`-separated) as a path to open.
#[cfg(unix)]
fn worktree_path(raw: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(raw)))
}

/// git's bytes of a path (`/`-separated, UTF-8 on Windows) as a path to open.
#[cfg(not(unix))]
fn worktree_path(raw: &[u8]) -> Option<PathBuf> {
    std::str::from_utf8(raw).ok().map(PathBuf::from)
}

/// The folder of `root` (itself, or a single file's folder).
fn folder(root: &Path) -> PathBuf {
    if root.is_file() {
        root.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        root.to_path_buf()
    }
}

/// [`crate::pipeline::load_with`] for `--staged`: the config from the index (or
/// `explicit`, read from disk as given), its rule files and exclusions, and the project
/// scanned from the index, keeping the files under `within`. Returns the staged files'
/// names with what was loaded.
///
/// git is asked twice at once: the staged names ([`staged_files`]) on a thread of their
/// own while one `git ls-files --stage` lists the index for both the config and the
/// scan; a `git cat-file --batch` follows only for staged content the working tree does
/// not hold (a hook waits on each process).
pub fn load(
    root: &Path,
    explicit: Option<&Path>,
    rules: RuleSet,
    exclude: &[String],
    within: Option<&str>,
) -> Result<(BTreeSet<String>, Loaded), Error> {
    let asking = {
        let root = root.to_path_buf();
        std::thread::spawn(move || staged_files(&root))
    };
    let index = Index::list(root)?;
    let config = match explicit {
        Some(_) => Config::load(root, explicit)?,
        None => index.config()?,
    };
    let loaded = crate::pipeline::load_from(root, config, rules, exclude, |root, opts| {
        Ok(index.scan(root, &opts.keeping(within))?)
    })?;
    let names = asking
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    Ok((names, loaded))
}

/// Keep the findings whose primary or any related location is in one of `staged`.
pub fn retain_touching(
    findings: &mut Vec<Finding>,
    sources: &SourceView<'_>,
    staged: &BTreeSet<String>,
) {
    let touches = |span: crate::source::Span| staged.contains(sources.path(span.file));
    findings.retain(|f| touches(f.primary.span) || f.related.iter().any(|l| touches(l.span)));
}

/// Split git's `-z` output (NUL-terminated names; never quoted, so any byte is allowed).
fn parse_name_list(bytes: &[u8]) -> BTreeSet<String> {
    bytes
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).replace('\\', "/"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, parse_error};

    #[test]
    fn nul_separated_names_with_spaces_and_newlines() {
        let names = parse_name_list(b"a b/package.json\0docker-compose.yml\0odd\nname\0");
        let v: Vec<_> = names.into_iter().collect();
        assert_eq!(v, ["a b/package.json", "docker-compose.yml", "odd\nname"]);
        assert!(parse_name_list(b"").is_empty());
    }

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin`, and the empty blob
        let hello = sha1_hex("ce013625030ba8dba906f756967f9e9ca394464a").unwrap();
        assert_eq!(blob_id(b"hello\n"), hello);
        let empty = sha1_hex("E69DE29BB2D1D6434B8B29AE775AD8C2E48C5391").unwrap();
        assert_eq!(blob_id(b""), empty);
        // a SHA-256 repository's ids, and anything that is not hex, are left to git
        assert_eq!(sha1_hex(&"a".repeat(64)), None);
        assert_eq!(sha1_hex("ce013625030ba8dba906f756967f9e9ca394464g"), None);
        assert_eq!(sha1_hex("ce01"), None);
    }

    #[test]
    fn a_finding_is_kept_when_either_end_is_staged() {
        let mut sources = crate::source::Sources::new();
        let pkg = sources.add("api/package.json", "{}");
        let compose = sources.add("docker-compose.yml", "services: {}");
        let other = sources.add("web/package.json", "{}");
        let at = |id| sources.get(id).span(0, 1);
        let mut both = parse_error(at(pkg), "x", "client");
        both.related.push(Label::new(at(compose), "server"));
        let unrelated = parse_error(at(other), "x", "other");
        let all = vec![both, unrelated];

        let staged = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        let kept = |names: &[&str]| {
            let mut f = all.clone();
            retain_touching(&mut f, &sources.view(), &staged(names));
            f.into_iter().map(|f| f.message).collect::<Vec<_>>()
        };
        assert_eq!(kept(&["api/package.json"]), ["cannot parse x: client"]);
        assert_eq!(kept(&["docker-compose.yml"]), ["cannot parse x: client"]);
        assert_eq!(kept(&["web/package.json"]), ["cannot parse x: other"]);
        assert!(kept(&[]).is_empty());
    }
}
