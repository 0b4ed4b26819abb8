//! `skew check --staged`: which files are staged in git, and which findings touch them.
//!
//! A pre-commit hook must judge the commit being made, but a compatibility finding needs
//! both ends: a staged `package.json` is only wrong next to the (unstaged) compose file
//! that runs the server. So the whole working tree is scanned and checked as usual, and
//! this module only *filters*: a finding is kept when its primary or any related location
//! is in a staged file. Owns the one `git` invocation. Must not: scan, check or render.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::Finding;
use crate::source::Sources;

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

/// Keep the findings whose primary or any related location is in one of `staged`.
pub fn retain_touching(findings: &mut Vec<Finding>, sources: &Sources, staged: &BTreeSet<String>) {
    let touches = |span: crate::source::Span| staged.contains(&sources.get(span.file).path);
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
        let mut sources = Sources::new();
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
            retain_touching(&mut f, &sources, &staged(names));
            f.into_iter().map(|f| f.message).collect::<Vec<_>>()
        };
        assert_eq!(kept(&["api/package.json"]), ["cannot parse x: client"]);
        assert_eq!(kept(&["docker-compose.yml"]), ["cannot parse x: client"]);
        assert_eq!(kept(&["web/package.json"]), ["cannot parse x: other"]);
        assert!(kept(&[]).is_empty());
    }
}
