//! CycloneDX 1.5 JSON: the inventory of `skew scan` as a software bill of materials, so
//! SBOM tooling (dependency tracking, licence and vulnerability scanners) can read what
//! skew found.
//!
//! Owns the mapping from skew's components to CycloneDX components: the `type`, the
//! package URL (purl, per the purl specification's per-type rules) and skew's own
//! `properties` (`skew:location`, `skew:ecosystem`, …). Must not: carry anything that
//! varies between runs on the same input. That is why the optional `serialNumber` and
//! `metadata.timestamp` are omitted: the specification says a serial number identifies
//! one generated BOM and SHOULD differ even when the content does not, and a
//! content-derived one would claim otherwise; skew's outputs are byte-identical run to
//! run instead. Findings are not part of a BOM: `skew check --format cyclonedx` writes
//! the same inventory, and the file problems (`parse-error`) are left to the other
//! formats.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::{Report, kind_name, sorted_components};
use crate::component::{Component, ComponentKind, Ecosystem, Origin};

/// The CycloneDX specification version written in every document.
pub const SPEC_VERSION: &str = "1.5";

/// Write the BOM.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = bom(report);
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    writeln!(out)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    version: u32,
    metadata: Metadata,
    components: Vec<CdxComponent>,
}

#[derive(Serialize)]
struct Metadata {
    tools: Tools,
    /// What the BOM describes: the package the root manifest names.
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<CdxComponent>,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<ToolComponent>,
}

#[derive(Serialize)]
struct ToolComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct CdxComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    properties: Vec<Property>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Property {
    name: &'static str,
    value: String,
}

fn bom(report: &Report) -> Bom {
    let mut seen = BTreeSet::new();
    let components = sorted_components(report)
        .into_iter()
        .filter(|(c, _)| c.kind != ComponentKind::Resource)
        .map(|(c, loc)| {
            let location = format!("{}:{}:{}", loc.path, loc.line, loc.column);
            component(c, location)
        })
        // the schema wants unique items; two extractors may report one thing at one place
        .filter(|c| seen.insert(c.bom_ref.clone()))
        .collect();
    Bom {
        schema: "http://cyclonedx.org/schema/bom-1.5.schema.json",
        bom_format: "CycloneDX",
        spec_version: SPEC_VERSION,
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![ToolComponent {
                    kind: "application",
                    name: "skew",
                    version: env!("CARGO_PKG_VERSION"),
                }],
            },
            component: root_project(report),
        },
        components,
    }
}

/// The package the repository's root manifest describes (`package.json`, `Cargo.toml`,
/// `pyproject.toml` at the scan root; the first by path when there are several), as the
/// BOM's subject. A monorepo's member packages are not the repository.
fn root_project(report: &Report) -> Option<CdxComponent> {
    let p = report
        .projects
        .iter()
        .find(|p| !report.sources.get(p.span.file).path.contains('/'))?;
    let loc = report.sources.location(p.span);
    let location = format!("{}:{}:{}", loc.path, loc.line, loc.column);
    let version = p
        .version
        .as_deref()
        .and_then(exact_version)
        .map(str::to_string);
    Some(CdxComponent {
        kind: "application",
        bom_ref: format!("{location}#{}/{}", p.ecosystem.as_str(), p.name),
        name: p.name.clone(),
        purl: purl(p.ecosystem, &p.name, version.as_deref()),
        version,
        scope: None,
        properties: vec![
            Property {
                name: "skew:location",
                value: location,
            },
            Property {
                name: "skew:ecosystem",
                value: p.ecosystem.as_str().to_string(),
            },
        ],
    })
}

fn component(c: &Component, location: String) -> CdxComponent {
    // a CycloneDX version is one version: a range stays in `skew:declared`
    let version = c
        .effective_version()
        .and_then(exact_version)
        .map(str::to_string);
    let mut properties = vec![
        Property {
            name: "skew:location",
            value: location.clone(),
        },
        Property {
            name: "skew:ecosystem",
            value: c.ecosystem.as_str().to_string(),
        },
        Property {
            name: "skew:kind",
            value: kind_name(c.kind).to_string(),
        },
    ];
    // the version or range as declared, when it is not the version above (a lockfile
    // resolved it, or it is a range)
    if let Some(declared) = c.version.as_ref().filter(|d| version.as_ref() != Some(*d)) {
        properties.push(Property {
            name: "skew:declared",
            value: declared.clone(),
        });
    }
    if c.origin == Origin::Lockfile {
        properties.push(Property {
            name: "skew:origin",
            value: "lockfile".into(),
        });
    }
    if let Some(g) = &c.group {
        properties.push(Property {
            name: "skew:group",
            value: g.clone(),
        });
    }
    CdxComponent {
        kind: cdx_type(c),
        bom_ref: format!("{location}#{}/{}", c.ecosystem.as_str(), c.name),
        name: c.name.clone(),
        purl: has_purl(c)
            .then(|| purl(c.ecosystem, &c.name, version.as_deref()))
            .flatten(),
        version,
        // CycloneDX's `optional`: "not required at runtime", which is what dev means
        scope: c.dev.then_some("optional"),
        properties,
    }
}

/// The CycloneDX component type of a skew component.
fn cdx_type(c: &Component) -> &'static str {
    match (c.kind, c.ecosystem) {
        // images: servers in compose/Kubernetes, base images in Dockerfiles
        (_, Ecosystem::Docker) => "container",
        // language runtimes and the Kubernetes cluster run other software
        (ComponentKind::Runtime, _) => "platform",
        (ComponentKind::Package, _) => "library",
        // managed database engines, CLIs, actions, charts: applications
        _ => "application",
    }
}

/// Only packages, images and actions are what a purl names: a runtime a package requires
/// (`engines.node` in npm, go.mod's `go`) or a pinned toolchain is not a package of the
/// ecosystem it is written in.
fn has_purl(c: &Component) -> bool {
    c.kind == ComponentKind::Package
        || matches!(c.ecosystem, Ecosystem::Docker | Ecosystem::GithubActions)
}

/// The package URL of a component, or `None` where the purl specification has no type
/// for its ecosystem (runtimes, managed services, Kubernetes, Terraform, Helm). The
/// version is written only when it is one exact version: a purl names a package
/// version, not a range.
pub(crate) fn purl(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> Option<String> {
    let mut qualifiers = String::new();
    let mut subpath = String::new();
    let (ty, path): (&str, Vec<String>) = match ecosystem {
        // `@scope/name`: the scope is the namespace; npm names are lowercase
        Ecosystem::Npm => ("npm", segments(&name.to_lowercase(), '/')),
        // PEP 503 normalisation, as the purl type asks
        Ecosystem::PyPI => ("pypi", vec![name.to_lowercase().replace('_', "-")]),
        Ecosystem::Cargo => ("cargo", vec![name.to_string()]),
        Ecosystem::RubyGems => ("gem", vec![name.to_string()]),
        // Hex names are case-insensitive: the purl type asks for lowercase
        Ecosystem::Hex => ("hex", vec![name.to_lowercase()]),
        // module paths are case-sensitive (`github.com/Azure/…`): kept as written
        Ecosystem::Go => ("golang", segments(name, '/')),
        Ecosystem::NuGet => ("nuget", vec![name.to_string()]),
        Ecosystem::Composer => ("composer", segments(&name.to_lowercase(), '/')),
        Ecosystem::Maven => {
            let (group, artifact) = name.split_once(':')?;
            ("maven", vec![group.to_string(), artifact.to_string()])
        }
        Ecosystem::Docker => {
            // a registry host (`ghcr.io`, `localhost:5000`) is a qualifier, not a path
            let (registry, repo) = match name.split_once('/') {
                Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                    (Some(first), rest)
                }
                _ => (None, name),
            };
            if let Some(r) = registry {
                qualifiers = format!("?repository_url={}", encode(r));
            }
            ("docker", segments(&repo.to_lowercase(), '/'))
        }
        Ecosystem::GithubActions => {
            // `owner/repo[/path]`: the purl names the repository, the path is a subpath
            let mut parts = name.splitn(3, '/');
            let owner = parts.next()?.to_lowercase();
            let repo = parts.next()?.to_lowercase();
            if let Some(p) = parts.next() {
                subpath = format!(
                    "#{}",
                    p.split('/').map(encode).collect::<Vec<_>>().join("/")
                );
            }
            ("github", vec![owner, repo])
        }
        Ecosystem::Runtime
        | Ecosystem::Managed
        | Ecosystem::Kubernetes
        | Ecosystem::Terraform
        | Ecosystem::Helm
        // the purl of an OS package names its distribution (`pkg:deb/debian/…`), which a
        // Dockerfile line does not say
        | Ecosystem::Deb
        | Ecosystem::Apk
        // a Git ref of a repository that may be on any host: no purl type says which
        | Ecosystem::Jsonnet => return None,
    };
    if path.iter().any(|s| s.is_empty()) {
        return None;
    }
    let mut s = format!("pkg:{ty}/");
    s.push_str(&path.iter().map(|p| encode(p)).collect::<Vec<_>>().join("/"));
    if let Some(v) = version.and_then(exact_version) {
        write!(s, "@{}", encode(v)).unwrap();
    }
    s.push_str(&qualifiers);
    s.push_str(&subpath);
    Some(s)
}

/// Split a name into path segments (an empty one makes the purl `None`).
fn segments(name: &str, sep: char) -> Vec<String> {
    name.split(sep).map(str::to_string).collect()
}

/// The one version a declaration pins, if it pins one: `8.0.36`, or an exact-match
/// specifier (`==0.9.3` in PyPI, `=0.32.2` in Cargo and npm).
fn exact_version(v: &str) -> Option<&str> {
    let bare = v
        .strip_prefix("===")
        .or_else(|| v.strip_prefix("=="))
        .or_else(|| v.strip_prefix('='))
        .unwrap_or(v)
        .trim();
    is_exact(bare).then_some(bare)
}

/// Is `v` one version rather than a range, wildcard or specifier (`^1.2`, `>=3`, `1.x`,
/// `1.2.*`, `[1.0,2.0)`, `workspace:*`, a git URL)?
fn is_exact(v: &str) -> bool {
    let first = v.chars().next();
    !v.is_empty()
        && first.is_some_and(|c| c.is_ascii_alphanumeric())
        && !v.contains([
            ' ', ',', '|', '*', '<', '>', '=', '^', '~', '[', '(', '/', ':',
        ])
        && !v.split(['.', '-']).any(|p| p.eq_ignore_ascii_case("x"))
}

/// Percent-encode everything but RFC 3986's unreserved characters, as the purl
/// specification asks for each component.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

/// The `cyclonedx` format: a bill of materials, the same document whatever the command
/// (`check` and `what-if` write the components of the repository they checked).
pub(super) struct Cyclonedx;

impl super::Reporter for Cyclonedx {
    fn findings(
        &self,
        report: &Report,
        _: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render(report, out)
    }

    fn what_if(
        &self,
        report: &Report,
        _: &super::WhatIf,
        _: &super::HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        render(report, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{Fixture, to_string};

    #[test]
    fn document() {
        let fx = Fixture::new();
        let report = fx.report();
        let s = to_string(|out| render(&report, out));
        let s = s.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn purls_follow_each_type() {
        use Ecosystem::*;
        let p = |e, n, v| purl(e, n, v).unwrap_or_else(|| "-".into());
        assert_eq!(
            p(Npm, "@babel/core", Some("7.1.0")),
            "pkg:npm/%40babel/core@7.1.0"
        );
        assert_eq!(p(Npm, "mysql", Some("^2.18.1")), "pkg:npm/mysql");
        assert_eq!(p(Npm, "mysql", Some("2.x")), "pkg:npm/mysql");
        assert_eq!(
            p(PyPI, "PyMySQL_x", Some("0.9.3")),
            "pkg:pypi/pymysql-x@0.9.3"
        );
        assert_eq!(
            p(Maven, "org.mariadb.jdbc:mariadb-java-client", Some("2.7.1")),
            "pkg:maven/org.mariadb.jdbc/mariadb-java-client@2.7.1"
        );
        assert_eq!(p(Maven, "no-colon", Some("1")), "-");
        assert_eq!(
            p(Go, "github.com/go-sql-driver/mysql", Some("v1.7.1")),
            "pkg:golang/github.com/go-sql-driver/mysql@v1.7.1"
        );
        assert_eq!(
            p(
                Go,
                "golang.org/x/sys",
                Some("v0.0.0-20210630005230-0f9fa26af87c")
            ),
            "pkg:golang/golang.org/x/sys@v0.0.0-20210630005230-0f9fa26af87c"
        );
        assert_eq!(
            p(Cargo, "mysql_async", Some("0.32.2")),
            "pkg:cargo/mysql_async@0.32.2"
        );
        assert_eq!(p(RubyGems, "mysql2", Some("0.5.5")), "pkg:gem/mysql2@0.5.5");
        assert_eq!(
            p(Composer, "Doctrine/DBAL", Some("3.6.0")),
            "pkg:composer/doctrine/dbal@3.6.0"
        );
        assert_eq!(
            p(NuGet, "MySql.Data", Some("8.0.33")),
            "pkg:nuget/MySql.Data@8.0.33"
        );
        assert_eq!(
            p(NuGet, "MySql.Data", Some("[8.0,9.0)")),
            "pkg:nuget/MySql.Data"
        );
        assert_eq!(
            p(Docker, "mysql", Some("8.0.36")),
            "pkg:docker/mysql@8.0.36"
        );
        assert_eq!(
            p(Docker, "bitnami/mysql", Some("8.0")),
            "pkg:docker/bitnami/mysql@8.0"
        );
        assert_eq!(
            p(Docker, "registry.example.test:5000/team/api", Some("1.2")),
            "pkg:docker/team/api@1.2?repository_url=registry.example.test%3A5000"
        );
        assert_eq!(p(Docker, "redis", None), "pkg:docker/redis");
        assert_eq!(
            p(Docker, "postgres", Some("15-alpine")),
            "pkg:docker/postgres@15-alpine"
        );
        assert_eq!(
            p(Cargo, "x", Some("1.0.0+build.1")),
            "pkg:cargo/x@1.0.0%2Bbuild.1"
        );
        assert_eq!(
            p(GithubActions, "actions/checkout", Some("v4")),
            "pkg:github/actions/checkout@v4"
        );
        assert_eq!(
            p(GithubActions, "github/codeql-action/init", Some("v3")),
            "pkg:github/github/codeql-action@v3#init"
        );
        assert_eq!(p(GithubActions, "nobody", None), "-");
        assert_eq!(p(Runtime, "node", Some("18")), "-");
        assert_eq!(p(Npm, "", Some("1")), "-");
    }
}
