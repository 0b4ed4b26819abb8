//! CycloneDX 1.5 JSON: the inventory of `skew scan` as a software bill of materials, so
//! SBOM tooling (dependency tracking, licence and vulnerability scanners) can read what
//! skew found.
//!
//! Owns the mapping from skew's components to CycloneDX components: the `type`, the
//! `version` and package URL (purl, per the purl specification's per-type rules) only
//! where one exact version is known — a requirement such as Cargo `mongodb = "2.8"` or npm
//! `^1.2` is not a version and stays in the `skew:declared` property — skew's own
//! `properties` (`skew:location`, `skew:ecosystem`, …), `metadata.component` (the
//! repository's own package, from the root manifest) and `dependencies` (that package →
//! what its manifest declares). The `serialNumber` is a random UUID, as the specification
//! asks of every generated BOM; everything else is byte-identical run to run on the same
//! input. Findings are not part of a BOM: `skew check --format cyclonedx` writes the same
//! inventory, and the file problems (`parse-error`) are left to the other formats.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::{Report, kind_name, sorted_components};
use crate::component::{Component, ComponentKind, Ecosystem, Origin};
use crate::source::FileId;

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
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<CdxComponent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dependencies: Vec<Dependency>,
}

/// One node of the dependency graph: `ref` depends directly on `dependsOn`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    of: String,
    depends_on: Vec<String>,
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
    let mut direct = Vec::new();
    let subject = root_project(report);
    let components = sorted_components(report)
        .into_iter()
        .filter(|(c, _)| c.kind != ComponentKind::Resource)
        .map(|(c, loc)| {
            let location = format!("{}:{}:{}", loc.path, loc.line, loc.column);
            let cdx = component(c, location);
            if subject
                .as_ref()
                .is_some_and(|(_, file)| is_direct_dependency(c, *file))
            {
                direct.push(cdx.bom_ref.clone());
            }
            cdx
        })
        // the schema wants unique items; two extractors may report one thing at one place
        .filter(|c| seen.insert(c.bom_ref.clone()))
        .collect();
    direct.sort();
    direct.dedup();
    // what the repository's own package depends on directly; nothing is said about the
    // dependencies' own dependencies, which CycloneDX reads as unknown, not as none
    let dependencies = match &subject {
        Some((s, _)) if !direct.is_empty() => vec![Dependency {
            of: s.bom_ref.clone(),
            depends_on: direct,
        }],
        _ => Vec::new(),
    };
    Bom {
        schema: "http://cyclonedx.org/schema/bom-1.5.schema.json",
        bom_format: "CycloneDX",
        spec_version: SPEC_VERSION,
        serial_number: serial_number(),
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![ToolComponent {
                    kind: "application",
                    name: "skew",
                    version: env!("CARGO_PKG_VERSION"),
                }],
            },
            component: subject.map(|(s, _)| s),
        },
        components,
        dependencies,
    }
}

/// A direct dependency of the package a manifest describes: a package that manifest
/// itself declares (a lockfile entry is what it resolved to, and may be transitive).
fn is_direct_dependency(c: &Component, manifest: FileId) -> bool {
    c.span.file == manifest && c.kind == ComponentKind::Package && c.origin == Origin::Manifest
}

/// A fresh random `urn:uuid:` (RFC 4122 version 4), as CycloneDX asks: "Every BOM
/// generated SHOULD have a unique serial number, even if the contents of the BOM have
/// not changed over time" (bom-1.5.schema.json, `serialNumber`). It is the one field
/// that differs between two runs; the 122 random bits come from the standard library's
/// randomly keyed hasher (seeded from the operating system), the time and the process id.
fn serial_number() -> String {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let half = |salt: u8| {
        let mut h = state.build_hasher();
        h.write_u8(salt);
        h.write_u128(now);
        h.write_u32(std::process::id());
        h.finish()
    };
    let mut bits = (u128::from(half(1)) << 64) | u128::from(half(2));
    // version 4 in bits 48..52, variant `10` in bits 64..66 (RFC 4122 §4.4)
    bits = (bits & !(0xF << 76)) | (0x4 << 76);
    bits = (bits & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The package the repository's root manifest describes (`package.json`, `Cargo.toml`,
/// `pyproject.toml` at the scan root; the first by path when there are several), as the
/// BOM's subject. A monorepo's member packages are not the repository.
fn root_project(report: &Report) -> Option<(CdxComponent, FileId)> {
    let p = report
        .projects
        .iter()
        .find(|p| !report.sources.get(p.span.file).path.contains('/'))?;
    let loc = report.sources.location(p.span);
    let location = format!("{}:{}:{}", loc.path, loc.line, loc.column);
    // a package's own `version` is one version, whatever its ecosystem's requirements mean
    let version = p
        .version
        .as_deref()
        .and_then(exact_version)
        .map(str::to_string);
    let subject = CdxComponent {
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
    };
    Some((subject, p.span.file))
}

fn component(c: &Component, location: String) -> CdxComponent {
    // a CycloneDX version is one version: a requirement stays in `skew:declared`
    let version = component_version(c).map(str::to_string);
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

/// The one version a component is known to be, if any: the version a lockfile resolved
/// (or a lockfile entry's own), else the declaration when it pins exactly one version in
/// its ecosystem's requirement syntax.
fn component_version(c: &Component) -> Option<&str> {
    if let Some(r) = &c.resolved {
        return exact_version(r);
    }
    let declared = c.version.as_deref()?;
    if c.origin == Origin::Lockfile {
        return exact_version(declared);
    }
    match c.ecosystem {
        // a bare Cargo requirement is a caret one (`2.8` means >=2.8.0, <3.0.0), and `=`
        // pins one version only with all three parts (`=2.8` is >=2.8.0, <2.9.0): the
        // Cargo Book, "Specifying Dependencies"
        Ecosystem::Cargo => declared
            .strip_prefix('=')
            .map(str::trim)
            .filter(|v| full_semver(v))
            .and_then(exact_version),
        // npm: a partial version is an X-range (`1.2` means 1.2.x): node-semver's README,
        // "X-Ranges"; `v1.2.3` and `=1.2.3` are that one version
        Ecosystem::Npm => {
            let v = declared.trim_start_matches('=').trim_start_matches('v');
            full_semver(v).then_some(v).and_then(exact_version)
        }
        _ => exact_version(declared),
    }
}

/// `MAJOR.MINOR.PATCH`, with an optional pre-release or build suffix.
fn full_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
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
        let serial = serde_json::from_str::<serde_json::Value>(&s).unwrap()["serialNumber"]
            .as_str()
            .unwrap()
            .to_string();
        insta::assert_snapshot!(s.replace(&serial, "[serial]"));
    }

    #[test]
    fn serial_numbers_are_random_version_4_uuids() {
        let (a, b) = (serial_number(), serial_number());
        assert_ne!(a, b);
        for s in [a, b] {
            let uuid = s.strip_prefix("urn:uuid:").unwrap();
            let groups: Vec<&str> = uuid.split('-').collect();
            let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{s}");
            assert!(groups[2].starts_with('4'), "version 4: {s}");
            assert!(
                groups[3].starts_with(['8', '9', 'a', 'b']),
                "RFC 4122 variant: {s}"
            );
        }
    }

    #[test]
    fn requirements_are_not_versions() {
        use crate::source::Span;
        let c = |ecosystem, version: &str| {
            let v = Some(version.to_string());
            Component::new(ComponentKind::Package, ecosystem, "x", v, Span::default())
        };
        let v = |e, d| component_version(&c(e, d)).map(str::to_string);
        // Cargo: bare is caret, `=` needs all three parts
        assert_eq!(v(Ecosystem::Cargo, "2.8"), None);
        assert_eq!(v(Ecosystem::Cargo, "2.8.1"), None);
        assert_eq!(v(Ecosystem::Cargo, "=2.8"), None);
        assert_eq!(v(Ecosystem::Cargo, "=2.8.1").as_deref(), Some("2.8.1"));
        // npm: a partial version is an X-range
        assert_eq!(v(Ecosystem::Npm, "1.2"), None);
        assert_eq!(v(Ecosystem::Npm, "^1.2.3"), None);
        assert_eq!(v(Ecosystem::Npm, "1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(
            v(Ecosystem::Npm, "=1.2.3-rc.1").as_deref(),
            Some("1.2.3-rc.1")
        );
        assert_eq!(v(Ecosystem::PyPI, "==0.9.3").as_deref(), Some("0.9.3"));
        // what a lockfile resolved is the version, whatever was declared
        let mut locked = c(Ecosystem::Cargo, "2.8");
        locked.resolved = Some("2.8.3".into());
        assert_eq!(component_version(&locked), Some("2.8.3"));
        let mut entry = c(Ecosystem::Cargo, "2.8.3");
        entry.origin = Origin::Lockfile;
        assert_eq!(component_version(&entry), Some("2.8.3"));
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
