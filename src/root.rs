//! Where a run stands: the project root skew evaluates, the part of it (PATH) whose
//! findings are reported, and the folders paths are shown against.
//!
//! The root is the nearest ancestor of PATH holding `skew.toml`, else the top of the git
//! work tree PATH is in, else PATH itself; `--root DIR` forces it. The whole root is
//! scanned and checked (a client in `services/api` meets the servers declared at the
//! top), and only findings located under PATH are reported. The git top is found on the
//! file system (the nearest folder holding a `.git` folder or file, as a worktree or
//! submodule has), so git need not be installed. Must not: scan, check or render.
//!
//! Paths are presented per audience ([`Base`]): people read them relative to the current
//! directory (as ruff and ripgrep print them), JSON keeps them relative to the root, and
//! CI annotations relative to the repository (`GITHUB_WORKSPACE`, else the git top).

use std::path::{Component, Path, PathBuf};

use crate::scan::ScanError;
use crate::source::SourceView;

/// Set to anything but the empty string, PATH is the project root without looking upward:
/// for trees of independent sample projects inside one repository (skew's own fixtures).
pub const NO_DISCOVERY_ENV: &str = "SKEW_NO_DISCOVERY";

/// How the root was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// `--root DIR`.
    Forced,
    /// The nearest folder holding `skew.toml`.
    Config,
    /// The top of the git work tree.
    GitTop,
    /// PATH itself (neither of the above, PATH does not exist, or discovery is off).
    Path,
}

/// Whom a path is shown to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Relative to the project root: JSON, CycloneDX, baselines.
    Root,
    /// Relative to the current directory: human and short output.
    Cwd,
    /// Relative to the repository (`GITHUB_WORKSPACE`, else the git top; else the current
    /// directory): GitHub annotations, SARIF, GitLab Code Quality.
    Repo,
}

/// The root of one run, and what of it is reported.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The root to scan, spelt for this process: PATH as the user gave it when PATH is the
    /// root, `--root` as given, else relative to the current directory (absolute when
    /// PATH was absolute).
    pub root: PathBuf,
    pub found: Found,
    /// PATH relative to the root, `/`-separated; `None` when PATH is the root.
    pub within: Option<String>,
    /// Canonical folder the scanned paths are relative to (the root, or the folder of a
    /// root that is a single file).
    base_dir: Option<PathBuf>,
    cwd: Option<PathBuf>,
    repo: Option<PathBuf>,
}

impl Scope {
    /// PATH is the root and the report covers it all (the library's and the LSP's view
    /// before discovery; also what an unreadable PATH gets, so the scan reports it).
    pub fn plain(path: &Path) -> Scope {
        Scope {
            root: path.to_path_buf(),
            found: Found::Path,
            within: None,
            base_dir: None,
            cwd: None,
            repo: None,
        }
    }

    /// Find the root of `path` (or take `forced`), as the CLI does.
    pub fn discover(path: &Path, forced: Option<&Path>) -> Result<Scope, ScanError> {
        let no_discovery = std::env::var_os(NO_DISCOVERY_ENV).is_some_and(|v| !v.is_empty());
        let github = std::env::var_os("GITHUB_WORKSPACE").filter(|v| !v.is_empty());
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|d| d.canonicalize().ok());
        Scope::discover_with(path, forced, no_discovery, cwd, github.map(PathBuf::from))
    }

    fn discover_with(
        path: &Path,
        forced: Option<&Path>,
        no_discovery: bool,
        cwd: Option<PathBuf>,
        workspace: Option<PathBuf>,
    ) -> Result<Scope, ScanError> {
        let Ok(path_abs) = path.canonicalize() else {
            return Ok(Scope::plain(forced.unwrap_or(path)));
        };
        let start = if path_abs.is_dir() {
            path_abs.clone()
        } else {
            path_abs.parent().unwrap_or(&path_abs).to_path_buf()
        };
        let git_top = start.ancestors().find(|d| d.join(".git").exists());
        let (root_abs, found) = if let Some(forced) = forced {
            let abs = forced.canonicalize().map_err(|e| ScanError::Root {
                path: forced.to_path_buf(),
                message: e.to_string(),
            })?;
            (abs, Found::Forced)
        } else if no_discovery {
            (path_abs.clone(), Found::Path)
        } else {
            // a skew.toml above the repository is not the repository's
            let config = start
                .ancestors()
                .take_while(|d| git_top.is_none_or(|top| d.starts_with(top)))
                .find(|d| d.join(crate::config::FILE_NAME).symlink_metadata().is_ok());
            match (config, git_top) {
                (Some(dir), _) => (dir.to_path_buf(), Found::Config),
                (None, Some(top)) => (top.to_path_buf(), Found::GitTop),
                (None, None) => (path_abs.clone(), Found::Path),
            }
        };
        let within = if root_abs == path_abs {
            None
        } else {
            let rel = path_abs
                .strip_prefix(&root_abs)
                .map_err(|_| ScanError::Root {
                    path: path.to_path_buf(),
                    message: format!("it is outside the root `{}`", root_abs.display()),
                })?;
            Some(slash(rel))
        };
        let root = match (found, &within) {
            (Found::Forced, _) => forced.expect("forced").to_path_buf(),
            (_, None) => path.to_path_buf(),
            _ if path.is_absolute() => root_abs.clone(),
            _ => match &cwd {
                Some(cwd) => PathBuf::from(relative(cwd, &root_abs)),
                None => root_abs.clone(),
            },
        };
        let base_dir = if root_abs.is_dir() {
            root_abs
        } else {
            root_abs.parent().unwrap_or(&root_abs).to_path_buf()
        };
        let repo = workspace
            .map(|w| w.canonicalize().unwrap_or(w))
            .or_else(|| git_top.map(Path::to_path_buf));
        Ok(Scope {
            root,
            found,
            within,
            base_dir: Some(base_dir),
            cwd,
            repo,
        })
    }

    /// Whether a root-relative path is under PATH (and so reported).
    pub fn contains(&self, rel: &str) -> bool {
        match &self.within {
            None => true,
            Some(w) => rel == w || (rel.starts_with(w.as_str()) && rel[w.len()..].starts_with('/')),
        }
    }

    /// Keep the items whose file is under PATH.
    pub fn retain<T>(
        &self,
        items: &mut Vec<T>,
        sources: &SourceView<'_>,
        file: impl Fn(&T) -> crate::source::FileId,
    ) {
        if self.within.is_some() {
            items.retain(|i| self.contains(sources.path(file(i))));
        }
    }

    /// `rel` (relative to the root) as `base` wants it, `/`-separated.
    pub fn show(&self, base: Base, rel: &str) -> String {
        let Some(dir) = &self.base_dir else {
            return rel.to_string();
        };
        let from = match base {
            Base::Root => return rel.to_string(),
            Base::Cwd => self.cwd.as_ref(),
            Base::Repo => self.repo.as_ref().or(self.cwd.as_ref()),
        };
        match from {
            Some(from) => relative(from, &dir.join(rel)),
            None => rel.to_string(),
        }
    }

    /// `sources` with the paths of the scanned files (ids below `scanned`, plus those
    /// `also_root_relative` names) shown for `base`. The other files (rule files, a
    /// `--config` file) carry the path the user gave, relative to the current directory:
    /// they are rebased only for [`Base::Repo`]. Pseudo files such as `(assumed)` stay.
    /// Only the paths are renamed, so no file's text is copied.
    pub fn present<'a>(
        &self,
        base: Base,
        sources: SourceView<'a>,
        scanned: usize,
        also_root_relative: impl Fn(&str) -> bool,
    ) -> SourceView<'a> {
        if base == Base::Root || self.base_dir.is_none() {
            return sources;
        }
        sources.with_paths(|id, path| {
            if id.0 as usize >= scanned && !also_root_relative(path) {
                return match (base, &self.cwd, &self.repo) {
                    (Base::Repo, Some(cwd), Some(repo)) if !path.starts_with('(') => {
                        relative(repo, &lexical(&cwd.join(path)))
                    }
                    _ => path.to_string(),
                };
            }
            self.show(base, path)
        })
    }
}

/// `to` relative to `from` (both absolute), `/`-separated: `.` for the same folder,
/// `../x` to climb; `to` itself when they share no prefix (another drive).
pub fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return slash(to);
    }
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// `.` and `..` folded away without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

fn slash(p: &Path) -> String {
    let s = p.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_climbs_and_descends() {
        let p = Path::new;
        assert_eq!(relative(p("/r/shop"), p("/r/shop/a/b.json")), "a/b.json");
        assert_eq!(
            relative(p("/r/shop/services/api"), p("/r/shop/compose.yml")),
            "../../compose.yml"
        );
        assert_eq!(
            relative(
                p("/r/shop/services/api"),
                p("/r/shop/services/api/package.json")
            ),
            "package.json"
        );
        assert_eq!(relative(p("/r/a"), p("/r/a")), ".");
        assert_eq!(relative(p("/r/a/x"), p("/r/b/y")), "../../b/y");
    }

    #[test]
    fn contains_is_by_whole_path_components() {
        let mut s = Scope::plain(Path::new("."));
        assert!(s.contains("anything"));
        s.within = Some("services/api".into());
        assert!(s.contains("services/api"));
        assert!(s.contains("services/api/package.json"));
        assert!(!s.contains("services/api2/package.json"));
        assert!(!s.contains("docker-compose.yml"));
    }

    #[test]
    fn discovery_prefers_skew_toml_then_git_then_path() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().canonicalize().unwrap();
        let api = top.join("shop/services/api");
        std::fs::create_dir_all(&api).unwrap();
        let find = |forced: Option<&Path>| {
            Scope::discover_with(&api, forced, false, Some(top.clone()), None).unwrap()
        };
        let s = find(None);
        assert_eq!((s.found, s.root.as_path()), (Found::Path, api.as_path()));
        assert_eq!(s.within, None);

        std::fs::create_dir(top.join(".git")).unwrap();
        let s = find(None);
        assert_eq!((s.found, s.root.as_path()), (Found::GitTop, top.as_path()));
        assert_eq!(s.within.as_deref(), Some("shop/services/api"));

        std::fs::write(top.join("shop/skew.toml"), "").unwrap();
        let s = find(None);
        assert_eq!(s.found, Found::Config);
        assert_eq!(s.root, top.join("shop"));
        assert_eq!(s.within.as_deref(), Some("services/api"));
        assert_eq!(s.show(Base::Root, "compose.yml"), "compose.yml");
        assert_eq!(s.show(Base::Cwd, "compose.yml"), "shop/compose.yml");
        assert_eq!(s.show(Base::Repo, "compose.yml"), "shop/compose.yml");

        let s = find(Some(&api));
        assert_eq!((s.found, s.within.as_deref()), (Found::Forced, None));
        let s = Scope::discover_with(&api, None, true, Some(top.clone()), None).unwrap();
        assert_eq!((s.found, s.within.as_deref()), (Found::Path, None));
        // PATH outside a forced root is a usage error
        let elsewhere = top.join("other");
        std::fs::create_dir(&elsewhere).unwrap();
        assert!(Scope::discover_with(&api, Some(&elsewhere), false, None, None).is_err());
    }
}
