//! `runtime-range`: packages that need a runtime range, checked against the runtimes the
//! repository runs.
//!
//! Two forms, one kind. `[[rule.packages]]`: a package version range needs a runtime
//! range (Django 5.0 needs Python >= 3.10). `declared_in`: every runtime range a package
//! manifest declares in those ecosystems (`engines.node` in npm, `requires-python` in
//! PyPI, `rust-version` in Cargo: `runtime` components of the package's ecosystem named
//! like the product's runtimes) is checked the same way. `rust-version` is a minimum,
//! not a requirement: `1.70` admits every Rust from 1.70.0 on.
//!
//! Which runtimes count: instances of the rule's product that the repository *runs*
//! (ecosystem `runtime` from version files and CI, or `docker` images such as
//! `FROM node:18`), declared in the package manifest's folder or an ancestor of it (CI
//! configuration counts as the root; see [`super::runtime_in_scope`]). A declared range
//! is in the package's syntax, so the runtime's versions are re-read in that scheme
//! (`18` -> npm `18.0.0`); runtimes tagged as pre-releases are skipped rather than
//! approximated. A runtime tag naming no version (`node:lts`) meets a range with no upper
//! bound and is checked against every version otherwise. Must not: guess a runtime when
//! the repository declares none.

use super::{
    Context, Evaluation, Instance, Outcome, client_finding, client_versions,
    describe_client_version, is_named, is_run_runtime, runtime_in_scope, server_label,
};
use std::collections::HashMap;

use crate::component::{ComponentKind, Ecosystem};
use crate::diagnostic::Finding;
use crate::rule::{PackageRuntime, Rule};
use crate::version::{
    Bound, Interval, Scheme, Verdict, Version, VersionError, VersionSet, join_release,
    newest_verdict, parse_declared, parse_version, verdict,
};

/// The runtimes by the folder they cover, so that finding the runtimes of one package
/// walks the package's ancestors instead of every runtime (packages × runtimes grew
/// quadratically with the services of a monorepo). Answers exactly what
/// [`runtime_in_scope`] answers, in the runtimes' order.
struct Scopes<'s> {
    /// Runtimes that cover every package: at the root, or in CI configuration.
    everywhere: Vec<usize>,
    /// The others, by their file's folder.
    by_dir: HashMap<&'s str, Vec<usize>>,
}

impl<'s> Scopes<'s> {
    fn new(cx: &'s Context<'_>, runtimes: &[(&Instance<'_>, &VersionSet)]) -> Self {
        let mut scopes = Scopes {
            everywhere: Vec::new(),
            by_dir: HashMap::new(),
        };
        for (k, (r, _)) in runtimes.iter().enumerate() {
            let path = cx.path_of(r.component);
            // `runtime_in_scope` with a package in no folder answers "covers all" exactly
            // for root and CI runtimes
            if runtime_in_scope(path, "") {
                scopes.everywhere.push(k);
            } else {
                let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                scopes.by_dir.entry(dir).or_default().push(k);
            }
        }
        scopes
    }

    /// The runtimes covering the package at `package_path`, in the runtimes' order.
    fn of(&self, package_path: &str) -> Vec<usize> {
        let mut out = self.everywhere.clone();
        let mut dir = package_path.rsplit_once('/').map_or("", |(d, _)| d);
        while !dir.is_empty() {
            if let Some(ks) = self.by_dir.get(dir) {
                out.extend_from_slice(ks);
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
        out.sort_unstable();
        out
    }
}

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    packages: &[PackageRuntime],
    declared_in: &[Ecosystem],
    out: &mut Vec<Evaluation>,
) {
    let Some(product) = cx.rules.product(&rule.product) else {
        return;
    };
    let runtimes: Vec<(&Instance<'_>, &VersionSet)> = cx
        .known_instances_of(&rule.product)
        .filter(|(i, _)| is_run_runtime(i.component))
        .collect();
    // the packages the rule names, and the runtime ranges manifests declare
    let names = packages
        .iter()
        .map(|p| (p.ecosystem, p.name.as_str()))
        .chain(
            declared_in
                .iter()
                .flat_map(|&e| product.runtime.iter().map(move |r| (e, r.as_str()))),
        );
    let scopes = Scopes::new(cx, &runtimes);
    for ci in cx.candidates(names) {
        let c = &cx.components[ci];
        let in_scope = || {
            let here = scopes.of(cx.path_of(c));
            // the index answers what the pairwise test answers (debug builds, so every test)
            debug_assert_eq!(
                here,
                (0..runtimes.len())
                    .filter(|&k| runtime_in_scope(
                        cx.path_of(runtimes[k].0.component),
                        cx.path_of(c)
                    ))
                    .collect::<Vec<_>>()
            );
            here.into_iter().map(|k| &runtimes[k])
        };
        // the finding against one runtime: the client's side, the runtime as the other end
        let against = |inst: &Instance<'_>,
                       outcome: Outcome,
                       message: String,
                       fix: String,
                       source: Option<&str>| Finding {
            related: vec![server_label(inst)],
            fix: Some(fix),
            ..client_finding(rule, c, outcome, message, inst.describe(), source)
        };
        // a package may have several entries (Django 5.0, Django 6.0): the first one
        // whose versions the declared package can be
        if let Some(pkg) = packages.iter().find(|p| {
            c.kind == ComponentKind::Package
                && is_named(c, p.ecosystem, &p.name)
                && client_versions(c).is_ok_and(|set| verdict(&set, &p.versions) != Verdict::Never)
        }) {
            let Ok(set) = client_versions(c) else {
                continue;
            };
            let package_verdict = verdict(&set, &pkg.versions);
            if package_verdict == Verdict::Never {
                continue;
            }
            for (inst, _) in in_scope() {
                let Some(run_verdict) =
                    unnumbered_verdict(inst, &pkg.runtime).or_else(|| inst.verdict(&pkg.runtime))
                else {
                    continue;
                };
                let outcome = match (run_verdict, &package_verdict) {
                    (Verdict::Always, _) => Outcome::Ok,
                    (Verdict::Never, Verdict::Always) => Outcome::Breaks,
                    _ => Outcome::MayBreak,
                };
                out.push(Evaluation::new(ci, inst.index, rule_index, outcome, || {
                    let version = describe_client_version(c);
                    let fix = pkg
                        .fix
                        .clone()
                        .or_else(|| rule.fix.clone())
                        .unwrap_or_else(|| {
                            format!(
                                "run {} `{}` here, or use a `{}` release outside `{}`",
                                product.name, pkg.runtime_text, c.name, pkg.versions_text
                            )
                        });
                    against(
                        inst,
                        outcome,
                        format!(
                            "{} package `{}` {version} needs {} `{}`, but {} runs here; {}",
                            c.ecosystem,
                            c.name,
                            product.name,
                            pkg.runtime_text,
                            inst.describe(),
                            rule.summary
                        ),
                        fix,
                        Some(&pkg.source),
                    )
                }));
            }
            continue;
        }
        let declares = c.kind == ComponentKind::Runtime
            && declared_in.contains(&c.ecosystem)
            && product
                .runtime
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&c.name));
        if !declares {
            continue;
        }
        let scheme = Scheme::of(c.ecosystem);
        let Some(text) = &c.version else { continue };
        let Ok(wanted) = declared_range(scheme, text) else {
            continue;
        };
        for (inst, run) in in_scope() {
            let Some(run) = convert(run, scheme) else {
                continue;
            };
            let run_verdict = if let Some(v) = unnumbered_verdict(inst, &wanted) {
                v
            } else if inst.newest {
                newest_verdict(&run, &wanted)
            } else {
                verdict(&run, &wanted)
            };
            let outcome = Outcome::within(&run_verdict);
            out.push(Evaluation::new(ci, inst.index, rule_index, outcome, || {
                // a line's newest release past an upper bound of the range: name the bound
                let past = match &run_verdict {
                    Verdict::May { failing } if inst.newest => format!(
                        " (it runs the newest release of that line, outside the range from {} on)",
                        failing
                            .min_version()
                            .map_or_else(|| failing.to_string(), ToString::to_string)
                    ),
                    _ => String::new(),
                };
                let fix = rule.fix.clone().unwrap_or_else(|| {
                    format!(
                        "run a {} in `{text}` here, or change the declared range to the runtime the repository runs",
                        product.name
                    )
                });
                against(
                    inst,
                    outcome,
                    format!(
                        "the package declares {} `{text}` ({} `{}`), but {} runs here{past}; {}",
                        product.name,
                        c.ecosystem,
                        c.name,
                        inst.describe(),
                        rule.summary
                    ),
                    fix,
                    None,
                )
            }));
        }
    }
}

/// The runtime range a package manifest declares, in its ecosystem's syntax. Cargo's
/// `rust-version` is no requirement but a bare minimum ("1.70": cargo refuses compilers
/// older than 1.70, per the Cargo reference), which Cargo's requirement syntax would
/// read as `^1.70` and so wrongly exclude a Rust 2.0; it is read as `>=1.70`. A
/// `rust-version` with operators is invalid for Cargo, and does not parse here either.
/// A runtime whose tag names no version (`FROM node:lts`, `python:latest`) runs a
/// recent release, whichever the next build pulls: it meets a range with no upper bound
/// (`>=20`: versions only grow), so that pair is `Always`. `None` otherwise: a range with
/// an upper bound is checked against every version, as for any unpinned runtime.
fn unnumbered_verdict(inst: &Instance<'_>, required: &VersionSet) -> Option<Verdict> {
    let unnumbered = inst.floating
        && inst.assumed.is_none()
        && inst
            .versions
            .as_ref()
            .is_ok_and(|v| *v == VersionSet::all());
    (unnumbered && !required.is_empty() && required.above_all().is_empty())
        .then_some(Verdict::Always)
}

fn declared_range(scheme: Scheme, text: &str) -> Result<VersionSet, VersionError> {
    match scheme {
        Scheme::Cargo => parse_declared(scheme, &format!(">={}", text.trim())),
        _ => parse_declared(scheme, text),
    }
}

/// Re-read a dotted version set in another scheme, bound by bound. Dotted and the
/// package schemes order plain releases alike, so the set keeps its meaning; `None`
/// when a bound is a pre-release (the schemes disagree on those) or does not parse.
fn convert(set: &VersionSet, scheme: Scheme) -> Option<VersionSet> {
    if matches!(scheme, Scheme::Dotted | Scheme::Docker) {
        return Some(set.clone());
    }
    let version = |v: &Version| -> Option<Version> {
        let Version::Dotted(d) = v else {
            return None;
        };
        if d.to_string().contains(['-', '+']) {
            return None;
        }
        let mut parts = d.parts().to_vec();
        while scheme == Scheme::Npm && parts.len() < 3 {
            parts.push(0);
        }
        parse_version(scheme, &join_release(&parts)).ok()
    };
    let bound = |b: &Bound| -> Option<Bound> {
        Some(match b {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Included(v) => Bound::Included(version(v)?),
            Bound::Excluded(v) => Bound::Excluded(version(v)?),
        })
    };
    let intervals = set
        .intervals()
        .iter()
        .map(|i| {
            Some(Interval {
                lo: bound(&i.lo)?,
                hi: bound(&i.hi)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(VersionSet::from_intervals(intervals))
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{component, eval_in, in_file};
    use crate::component::{ComponentKind, Ecosystem};

    const PYTHON: &str = r#"
[product]
id = "python"
name = "Python"
docker = ["python"]
runtime = ["python"]

[[rule]]
id = "django-python"
kind = "runtime-range"
severity = "error"
summary = "Django needs a newer Python"
why = "release notes"
sources = ["https://example.test/django"]

[[rule.packages]]
ecosystem = "pypi"
name = "Django"
versions = ">=5.0, <5.1"
runtime = ">=3.10"
source = "https://example.test/django"

[[rule]]
id = "python-requires"
kind = "runtime-range"
severity = "error"
summary = "declared Python range not met"
why = "pip refuses"
sources = ["https://example.test/pep"]
declared_in = ["pypi"]
"#;

    #[test]
    fn package_needs_runtime() {
        let comps = vec![
            in_file(
                component(
                    ComponentKind::Runtime,
                    Ecosystem::Docker,
                    "python",
                    "3.9-slim",
                ),
                0,
            ),
            in_file(
                component(ComponentKind::Package, Ecosystem::PyPI, "django", "==5.0.1"),
                1,
            ),
            in_file(
                component(ComponentKind::Package, Ecosystem::PyPI, "Django", ">=4.2"),
                1,
            ),
            in_file(
                component(ComponentKind::Package, Ecosystem::PyPI, "Django", "==4.2.7"),
                1,
            ),
            // another service: the api's Dockerfile does not cover it
            in_file(
                component(ComponentKind::Package, Ecosystem::PyPI, "Django", "==5.0.1"),
                2,
            ),
            in_file(
                component(ComponentKind::Runtime, Ecosystem::PyPI, "python", ">=3.10"),
                3,
            ),
        ];
        insta::assert_snapshot!(eval_in(
            PYTHON,
            &[
                "api/Dockerfile",
                "api/requirements.txt",
                "web/requirements.txt",
                "api/pyproject.toml"
            ],
            &comps,
            &[],
            "2026-01-01"
        ));
    }

    #[test]
    fn declared_ranges_against_root_version_file() {
        let rules = r#"
[product]
id = "node"
name = "Node.js"
docker = ["node"]
runtime = ["node"]

[[rule]]
id = "node-engines"
kind = "runtime-range"
severity = "error"
summary = "engines.node not met"
why = "engines"
sources = ["https://example.test/engines"]
declared_in = ["npm"]
"#;
        let comps = vec![
            in_file(
                component(
                    ComponentKind::Runtime,
                    Ecosystem::Runtime,
                    "node",
                    "16.20.2",
                ),
                0,
            ),
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Npm, "node", ">=18"),
                1,
            ),
            in_file(
                component(
                    ComponentKind::Runtime,
                    Ecosystem::Npm,
                    "node",
                    "^16.14 || >=18",
                ),
                1,
            ),
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Runtime, "node", "20"),
                2,
            ),
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Npm, "node", ">=18"),
                3,
            ),
        ];
        insta::assert_snapshot!(eval_in(
            rules,
            &[
                ".nvmrc",
                "package.json",
                ".github/workflows/ci.yml",
                "packages/a/package.json"
            ],
            &comps,
            &[],
            "2026-01-01"
        ));
    }

    #[test]
    fn rust_version_is_a_minimum_not_a_caret_requirement() {
        use super::declared_range;
        use crate::version::{Scheme, parse_version};
        let v = |t: &str| parse_version(Scheme::Cargo, t).unwrap();
        let set = declared_range(Scheme::Cargo, "1.70").unwrap();
        assert!(set.contains(&v("1.70.0")));
        assert!(set.contains(&v("1.95.1")));
        // `^1.70` would stop before 2.0.0: a minimum does not
        assert!(set.contains(&v("2.0.0")));
        assert!(!set.contains(&v("1.69.9")));
        let one = declared_range(Scheme::Cargo, "1").unwrap();
        assert!(one.contains(&v("1.0.0")) && one.contains(&v("3.1.0")));
        assert!(declared_range(Scheme::Cargo, "^1.70").is_err());
        // other ecosystems keep their own syntax
        let npm = declared_range(Scheme::Npm, "^18").unwrap();
        assert!(!npm.contains(&parse_version(Scheme::Npm, "20.0.0").unwrap()));
    }

    #[test]
    fn rust_version_against_toolchain_and_image() {
        let rules = r#"
[product]
id = "rust"
name = "Rust"
docker = ["rust"]
runtime = ["rust"]

[[rule]]
id = "rust-version"
kind = "runtime-range"
severity = "error"
summary = "rust-version not met"
why = "cargo refuses"
sources = ["https://example.test/cargo"]
declared_in = ["cargo"]
"#;
        let comps = vec![
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Runtime, "rust", "1.75.0"),
                0,
            ),
            // met: 1.75.0 is at least 1.70
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Cargo, "rust", "1.70"),
                1,
            ),
            // not met by the toolchain file
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Cargo, "rust", "1.80"),
                2,
            ),
            // the service's image builds the newest 1.75.x, which meets 1.75.2
            in_file(
                component(
                    ComponentKind::Runtime,
                    Ecosystem::Docker,
                    "rust",
                    "1.75-slim",
                ),
                3,
            ),
            in_file(
                component(ComponentKind::Runtime, Ecosystem::Cargo, "rust", "1.75.2"),
                4,
            ),
        ];
        insta::assert_snapshot!(eval_in(
            rules,
            &[
                "rust-toolchain.toml",
                "Cargo.toml",
                "crates/new/Cargo.toml",
                "svc/Dockerfile",
                "svc/Cargo.toml"
            ],
            &comps,
            &[],
            "2026-01-01"
        ));
    }
}
