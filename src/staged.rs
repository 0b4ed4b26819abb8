//! `skew check --staged`: the commit being made, as git's index holds it.
//!
//! A pre-commit hook must judge what will be committed, not the working tree: a staged
//! `package.json` fixed only in the working tree still blocks the commit, and a new file
//! that is not staged is not part of it. So the project is read from the index (the
//! staged blob of every tracked manifest, through one `git cat-file --batch`), checked as
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
    let dir = if root.is_file() {
        root.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        root.to_path_buf()
    };
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

/// The project below `root` as the index holds it: the staged files' names (as
/// [`staged_files`]) and the inventory scanned from the index blobs of every tracked file
/// an extractor wants (`git ls-files --stage`, then one `git cat-file --batch`). Files not
/// in the index (untracked, or only in the working tree) are not seen; entries in a merge
/// conflict (no stage 0) are not either.
pub fn scan_index(
    root: &Path,
    opts: &ScanOptions,
) -> Result<(BTreeSet<String>, Inventory), StagedError> {
    // git's answers come from three processes; the staged names are asked for on a
    // thread of their own while the index is listed and read (a hook waits on each)
    let asking = {
        let root = root.to_path_buf();
        std::thread::spawn(move || staged_files(&root))
    };
    let listed = staged_blobs(root, opts);
    let names = asking
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    Ok((names, listed?))
}

/// The inventory of [`scan_index`]: every tracked file an extractor wants, as staged.
fn staged_blobs(root: &Path, opts: &ScanOptions) -> Result<Inventory, StagedError> {
    let (dir, only) = if root.is_file() {
        let dir = root
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = root.file_name().map(|n| n.to_string_lossy().into_owned());
        (dir.to_path_buf(), name)
    } else {
        (root.to_path_buf(), None)
    };
    let fail = |message: String| StagedError::Git {
        dir: dir.clone(),
        message,
    };
    // `<mode> <oid> <stage>\t<path>\0`, paths relative to `dir` and only below it
    let listing = since::git(&dir, &["ls-files", "--stage", "-z"], None).map_err(fail)?;
    let listing = String::from_utf8_lossy(&listing);
    let mut wanted = Vec::new();
    for entry in listing.split('\0') {
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some(oid), Some("0")) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        if only.as_deref().is_some_and(|n| n != path) {
            continue;
        }
        if since::wanted_blob(mode, path, opts) {
            wanted.push((path.to_string(), oid.to_string()));
        }
    }
    let files = since::read_blobs(&dir, wanted).map_err(fail)?;
    Ok(scan::scan_texts(root, files))
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

/// `skew.toml` at `root` as git's index holds it: `None` when the index has none there
/// (not added yet, or only in the working tree), an error when it does not load.
pub fn staged_config(root: &Path) -> Result<Option<Config>, Error> {
    let dir = folder(root);
    let fail = |message: String| {
        Error::Staged(StagedError::Git {
            dir: dir.clone(),
            message,
        })
    };
    let listing =
        since::git(&dir, &["ls-files", "--stage", "-z", "--", FILE_NAME], None).map_err(fail)?;
    let listing = String::from_utf8_lossy(&listing);
    // `<mode> <oid> <stage>\t<path>\0`; in a merge conflict there is no stage 0: none
    let oid = listing.split('\0').find_map(|entry| {
        let (meta, path) = entry.split_once('\t')?;
        let mut meta = meta.split(' ');
        let (_, oid, stage) = (meta.next()?, meta.next()?, meta.next()?);
        (path == FILE_NAME && stage == "0").then(|| oid.to_string())
    });
    let Some(oid) = oid else {
        return Ok(None);
    };
    let bytes = since::git(&dir, &["cat-file", "blob", &oid], None).map_err(fail)?;
    let refuse = |message: String| ConfigError {
        path: FILE_NAME.to_string(),
        text: String::new(),
        problems: vec![(0, 0, message)],
    };
    if bytes.len() as u64 > crate::limits::MAX_CONFIG_FILE_SIZE {
        return Err(refuse(format!(
            "the staged `{FILE_NAME}` is over {} bytes",
            crate::limits::MAX_CONFIG_FILE_SIZE
        ))
        .into());
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
        &dir,
    )?))
}

/// [`crate::pipeline::load_with`] for `--staged`: the config from the index (or
/// `explicit`, read from disk as given), its rule files and exclusions, and the project
/// scanned from the index, keeping the files under `within`. Returns the staged files'
/// names with what was loaded.
pub fn load(
    root: &Path,
    explicit: Option<&Path>,
    rules: RuleSet,
    exclude: &[String],
    within: Option<&str>,
) -> Result<(BTreeSet<String>, Loaded), Error> {
    let config = match explicit {
        Some(_) => Config::load(root, explicit)?,
        None => staged_config(root)?,
    };
    let mut names = BTreeSet::new();
    let loaded = crate::pipeline::load_from(root, config, rules, exclude, |root, opts| {
        let (staged, inv) = scan_index(root, &opts.keeping(within))?;
        names = staged;
        Ok(inv)
    })?;
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
