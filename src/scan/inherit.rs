//! Versions one manifest inherits from another: a Cargo member's `workspace = true` from
//! its workspace root, a Maven module's versions from its parent POM chain.
//!
//! Extractors read one file at a time: they mark what they could not resolve
//! ([`Component::inherit`]) and say what their file offers to others ([`Inheritable`]).
//! This step matches the two across the files the scan read, the way Cargo and Maven find
//! them (paths relative to the scan root, compared lexically). Must not: read files
//! (a root or parent outside the scan stays unresolved: version `None`, `inherit` kept),
//! or interpret versions. A resolved version is blamed where a person edits it, as the
//! single-file resolution does: the parent's `<properties>`/`<dependencyManagement>`
//! entry, the root's `[workspace.dependencies]` line.

use std::collections::{HashMap, HashSet};

use globset::GlobBuilder;

use super::{Inventory, dir_of, is_ancestor_dir, join_dir};
use crate::component::{CargoWorkspace, ComponentKind, Ecosystem, Inherit, Inheritable, PomModel};
use crate::extract::maven_pom::{interpolate, unresolved, unresolved_property};
use crate::source::{FileId, Span};

/// How many `<parent>` links are followed: real hierarchies are a handful deep; the
/// limit (and a visited set) stops a cycle of `relativePath`s.
const MAX_PARENTS: usize = 32;

/// Resolve every [`Component::inherit`] that the offers of the scanned files answer.
///
/// - Cargo: a member line whose key the root's `[workspace.dependencies]` has is dropped:
///   the root's entry is already a component, blamed on the line a person edits (as when
///   root and member are one file). Unresolved lines stay, version `None`.
/// - Maven: a dependency takes the version its parent chain gives (properties of the
///   nearest POM win, then the nearest `<dependencyManagement>` entry, interpolated with
///   the child's properties as Maven's effective model does) and the span of that text.
///   A parent's managed entry that a child resolved to is then not reported a second
///   time, and children resolving to the very same entry the same way are one component.
pub(super) fn resolve(inv: &mut Inventory, offers: &[(FileId, Inheritable)]) {
    let paths: Vec<&str> = inv.sources.iter().map(|f| f.path.as_str()).collect();
    let mut workspaces: HashMap<&str, &CargoWorkspace> = HashMap::new();
    let mut poms: HashMap<&str, &PomModel> = HashMap::new();
    let mut gradle: GradleOffers = HashMap::new();
    for (id, offer) in offers {
        let path = paths[id.0 as usize];
        match offer {
            Inheritable::CargoWorkspace(w) => {
                workspaces.insert(dir_of(path), w);
            }
            Inheritable::MavenPom(p) => {
                poms.insert(path, p);
            }
            Inheritable::GradleProperties(props) => {
                gradle.entry(dir_of(path)).or_default().push((path, props));
            }
        }
    }
    let maven = Maven { poms: &poms };

    // the file each component is declared in (its span may move to a parent's file)
    let declared_in: Vec<FileId> = inv.components.iter().map(|c| c.span.file).collect();
    let mut drop = vec![false; inv.components.len()];
    let mut resolved = vec![false; inv.components.len()];
    // parents' managed entries children resolved to: (name, span, the child's file)
    let mut used_managed: Vec<(String, Span, FileId)> = Vec::new();
    let mut problems = Vec::new();
    for (i, c) in inv.components.iter_mut().enumerate() {
        let path = paths[declared_in[i].0 as usize];
        match &c.inherit {
            Some(Inherit::CargoWorkspace { key, root }) => {
                drop[i] = cargo_root(&workspaces, dir_of(path), root.as_deref())
                    .is_some_and(|w| w.dependencies.iter().any(|k| k == key));
            }
            Some(Inherit::MavenParent { text }) => {
                let chain = maven.chain(path);
                let found = match text {
                    Some(t) => maven.interpolate(&chain, t),
                    None => maven.managed(&chain, &c.name),
                };
                if let Some((version, span)) = found {
                    c.version = Some(version);
                    if let Some(s) = span {
                        c.span = s;
                    }
                    if text.is_none() {
                        used_managed.push((c.name.clone(), c.span, declared_in[i]));
                    }
                    c.inherit = None;
                    resolved[i] = true;
                } else if let Some(t) = text
                    && chain.last().is_some_and(|root| root.parent.is_none())
                {
                    // every POM of the chain is in the scan, so nothing else can define
                    // the property: Maven itself would refuse this version
                    let why = unresolved(t, &|name| Maven::lookup(&chain, name));
                    problems.push(unresolved_property(&c.name, c.span, t, &why));
                }
            }
            Some(Inherit::GradleProperty { name }) => {
                if let Some((value, span)) = gradle_property(&gradle, path, name) {
                    c.version = Some(value.to_string());
                    c.span = span;
                    c.inherit = None;
                    resolved[i] = true;
                }
            }
            None => {}
        }
    }
    inv.problems.extend(problems);
    type Key = (
        ComponentKind,
        String,
        Option<String>,
        Span,
        bool,
        Option<String>,
    );
    let mut seen: HashSet<Key> = HashSet::new();
    let mut i = 0;
    inv.components.retain(|c| {
        let taken_over = c.ecosystem == Ecosystem::Maven
            && c.group.as_deref() == Some("dependencyManagement")
            && used_managed
                .iter()
                .any(|(n, s, f)| *n == c.name && *s == c.span && *f != declared_in[i]);
        let duplicate = resolved[i]
            && !seen.insert((
                c.kind,
                c.name.clone(),
                c.version.clone(),
                c.span,
                c.dev,
                c.group.clone(),
            ));
        let keep = !(drop[i] || taken_over || duplicate);
        i += 1;
        keep
    });
}

/// Per folder, the files there offering Gradle properties: (path, name/value/span).
type GradleOffers<'a> = HashMap<&'a str, Vec<(&'a str, &'a [(String, String, Span)])>>;

/// A Gradle property a build script at `path` names: from its own folder up to the
/// scan root, an enclosing project's `ext` properties (its build script) before the
/// folder's `gradle.properties`, as Gradle looks a project's own extra properties up
/// before properties inherited from the parent project.
fn gradle_property<'a>(
    offers: &GradleOffers<'a>,
    path: &str,
    name: &str,
) -> Option<(&'a str, Span)> {
    for d in ancestors(dir_of(path)) {
        let Some(files) = offers.get(d) else { continue };
        let mut files: Vec<_> = files.iter().filter(|(p, _)| *p != path).collect();
        // build scripts first, then `gradle.properties`
        files.sort_by_key(|(p, _)| p.ends_with("gradle.properties"));
        for (_, props) in files {
            if let Some((_, v, s)) = props.iter().rev().find(|(n, _, _)| n == name) {
                return Some((v, *s));
            }
        }
    }
    None
}

/// The workspace root a member in folder `dir` belongs to, the way Cargo finds it: the
/// folder `package.workspace` names, else the nearest folder (the member's own first)
/// whose `Cargo.toml` has a `[workspace]` that does not `exclude` it. The root must admit
/// the member (it is the root, or a `members` glob matches its folder); `None` otherwise.
fn cargo_root<'w>(
    workspaces: &HashMap<&str, &'w CargoWorkspace>,
    dir: &str,
    explicit: Option<&str>,
) -> Option<&'w CargoWorkspace> {
    let (root_dir, ws) = match explicit {
        Some(rel) => {
            let root_dir = join_dir(dir, rel)?;
            let ws = *workspaces.get(root_dir.as_str())?;
            (root_dir, ws)
        }
        None => {
            let mut found = None;
            for d in ancestors(dir) {
                if let Some(ws) = workspaces.get(d)
                    && !excluded(ws, d, dir)
                {
                    found = Some((d.to_string(), *ws));
                    break;
                }
            }
            found?
        }
    };
    admits(ws, &root_dir, dir).then_some(ws)
}

/// Cargo's `is_excluded`: an `exclude` entry is a path prefix, overridden only by a
/// `members` entry that is itself a prefix of the member (globs are not expanded here).
fn excluded(ws: &CargoWorkspace, root_dir: &str, dir: &str) -> bool {
    let prefix_of = |entries: &[String]| {
        entries
            .iter()
            .filter_map(|e| join_dir(root_dir, e))
            .any(|p| is_ancestor_dir(&p, dir) && (!p.is_empty() || root_dir.is_empty()))
    };
    prefix_of(&ws.exclude) && !prefix_of(&ws.members)
}

/// Is the crate in folder `dir` a member of the workspace rooted at `root_dir`? `members`
/// are globs relative to the root (`*` does not cross `/`, as in Cargo's glob expansion).
fn admits(ws: &CargoWorkspace, root_dir: &str, dir: &str) -> bool {
    dir == root_dir
        || ws.members.iter().any(|m| {
            join_dir(root_dir, m).is_some_and(|pattern| {
                GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .is_ok_and(|g| g.compile_matcher().is_match(dir))
            })
        })
}

/// The Maven POMs of the scan, by path.
struct Maven<'a> {
    poms: &'a HashMap<&'a str, &'a PomModel>,
}

impl<'a> Maven<'a> {
    /// The POM at `path`, then its parent, grandparent… as far as the scan holds them.
    fn chain(&self, path: &str) -> Vec<&'a PomModel> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut at = path.to_string();
        while let Some(pom) = self.poms.get(at.as_str()).copied() {
            if !seen.insert(at.clone()) || out.len() > MAX_PARENTS {
                break; // a cycle of relativePaths
            }
            out.push(pom);
            match self.parent_path(&at, pom) {
                Some(p) => at = p,
                None => break,
            }
        }
        out
    }

    /// Where Maven looks for the parent of the POM at `path` in the checkout: its
    /// `relativePath` (default `../pom.xml`; a folder means its `pom.xml`), accepted only
    /// when that POM has the coordinates `<parent>` names (else Maven goes to the
    /// repositories, which a scan cannot).
    fn parent_path(&self, path: &str, pom: &PomModel) -> Option<String> {
        let parent = pom.parent.as_ref()?;
        let rel = parent.relative_path.as_deref().unwrap_or("../pom.xml");
        if rel.is_empty() {
            return None;
        }
        let mut target = join_dir(dir_of(path), rel)?;
        if !target.ends_with(".xml") {
            target = if target.is_empty() {
                "pom.xml".to_string()
            } else {
                format!("{target}/pom.xml")
            };
        }
        let found = self.poms.get(target.as_str())?;
        let version_ok = match (&parent.version, text(&found.version)) {
            // a range (`[1.0,2.0)`) is checked by Maven against the repository too;
            // accept the local POM as Maven does when it is in range: not evaluated here
            (Some(want), Some(have)) => want == have || want.starts_with(['[', '(']),
            _ => true,
        };
        (text(&found.group) == Some(parent.group.as_str())
            && text(&found.artifact) == Some(parent.artifact.as_str())
            && version_ok)
            .then_some(target)
    }

    /// A property as the first POM of `chain` sees it: its own `<properties>`, then its
    /// parents' (nearest wins), then its own coordinates (`${project.version}`…).
    fn lookup(chain: &[&'a PomModel], name: &str) -> Option<(&'a str, Span)> {
        for pom in chain {
            if let Some((_, v, s)) = pom.properties.iter().find(|(n, _, _)| n == name) {
                return Some((v.as_str(), *s));
            }
        }
        let own = chain.first()?;
        let coordinate = match name {
            "project.version" | "pom.version" | "version" => &own.version,
            "project.groupId" | "pom.groupId" | "groupId" => &own.group,
            "project.artifactId" | "pom.artifactId" | "artifactId" => &own.artifact,
            _ => return None,
        };
        coordinate.as_ref().map(|(v, s)| (v.as_str(), *s))
    }

    fn interpolate(&self, chain: &[&'a PomModel], text: &str) -> Option<(String, Option<Span>)> {
        interpolate(text, &|name| Self::lookup(chain, name))
    }

    /// The nearest parent's `<dependencyManagement>` entry for `name`, interpolated in the
    /// child's context (a child's property overrides the parent's): the version and the
    /// span to blame (the property's value, or the managed entry's version text).
    fn managed(&self, chain: &[&'a PomModel], name: &str) -> Option<(String, Option<Span>)> {
        let (_, text, span) = chain
            .iter()
            .skip(1)
            .find_map(|p| p.managed.iter().find(|(n, _, _)| n == name))?;
        let (version, blame) = self.interpolate(chain, text.as_deref()?)?;
        Some((version, Some(blame.unwrap_or(*span))))
    }
}

fn text(c: &Option<(String, Span)>) -> Option<&str> {
    c.as_ref().map(|(t, _)| t.as_str())
}

/// `dir`, then each folder above it up to the scan root (`""`).
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next?;
        next = (!d.is_empty()).then(|| dir_of(d));
        Some(d)
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;
    use std::path::Path;

    use super::*;
    use crate::scan::{ScanOptions, scan};

    /// One line per component: where the version is blamed (path:line:col), what it is,
    /// the version, flags, and the blamed text; then problems.
    fn render(root: &str) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
        let inv = scan(&root, &ScanOptions::default()).unwrap();
        let mut s = String::new();
        for c in &inv.components {
            let loc = inv.sources.location(c.span);
            write!(
                s,
                "{}:{}:{} {:?} {} {} {}",
                loc.path,
                loc.line,
                loc.column,
                c.kind,
                c.ecosystem,
                c.name,
                c.version.as_deref().unwrap_or("-")
            )
            .unwrap();
            if c.dev {
                s.push_str(" dev");
            }
            if let Some(g) = &c.group {
                write!(s, " group={g}").unwrap();
            }
            if c.inherit.is_some() {
                s.push_str(" unresolved");
            }
            writeln!(s, " «{}»", inv.sources.get(c.span.file).slice(c.span)).unwrap();
        }
        for p in &inv.problems {
            let loc = inv.sources.location(p.primary.span);
            writeln!(
                s,
                "problem {} {}:{} {}",
                p.rule_id, loc.path, loc.line, p.message
            )
            .unwrap();
        }
        s
    }

    #[test]
    fn maven_parent_chain() {
        insta::assert_snapshot!(render("fixtures/extract/maven-parent"));
    }

    #[test]
    fn gradle_properties() {
        insta::assert_snapshot!(render("fixtures/extract/gradle-multiproject"));
    }

    #[test]
    fn cargo_workspace() {
        insta::assert_snapshot!(render("fixtures/extract/cargo-workspace"));
    }

    #[test]
    fn paths_join_lexically() {
        assert_eq!(join_dir("a/b", "../pom.xml").as_deref(), Some("a/pom.xml"));
        assert_eq!(join_dir("a/b", "..").as_deref(), Some("a"));
        assert_eq!(join_dir("", "crates/*").as_deref(), Some("crates/*"));
        assert_eq!(join_dir("a", "../..").as_deref(), None);
        assert_eq!(join_dir("a", "/etc/pom.xml").as_deref(), None);
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
    }

    #[test]
    fn members_are_globs_and_excludes_are_prefixes() {
        let ws = CargoWorkspace {
            members: vec!["crates/*".into(), "tools/cli".into()],
            exclude: vec!["crates/experimental".into()],
            dependencies: Vec::new(),
        };
        assert!(admits(&ws, "", "crates/db"));
        assert!(!admits(&ws, "", "crates/db/sub"));
        assert!(admits(&ws, "", "tools/cli"));
        assert!(!admits(&ws, "", "tools/stray"));
        assert!(admits(&ws, "", ""));
        assert!(excluded(&ws, "", "crates/experimental"));
        assert!(excluded(&ws, "", "crates/experimental/deep"));
        assert!(!excluded(&ws, "", "crates/experimentalist"));
        assert!(!excluded(&ws, "", "crates/db"));
    }
}
