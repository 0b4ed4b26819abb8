//! Components: what the scanner finds. A server image, a runtime, a package, a tool —
//! each with the version as declared, the version a lockfile resolved, and the span a
//! user could be blamed for.
//!
//! This module is plain data. It knows nothing of rules (which decide what a component
//! *is*, e.g. that the docker image `bitnami/mysql` is the product MySQL) nor of output.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

use crate::source::{FileId, Span};

/// A component's stable name for one run: the file it is declared in and its place among
/// that file's components (`n`, from 0, in declaration order). Shown as `path#n`. Findings
/// name the components they relate by id; ids shift when a file gains a component, so
/// nothing that must survive edits (baselines) uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ComponentId {
    pub file: FileId,
    pub n: u32,
}

impl ComponentId {
    /// `path#n`, with the path a reporter shows for the file.
    pub fn display(self, path: &str) -> String {
        format!("{path}#{}", self.n)
    }
}

/// Number components in order: each gets the id `(its file, how many of that file's
/// components came before it)`. The scan numbers its sorted components once; a scenario
/// numbers the servers it declares or assumes in their own files.
pub fn number(components: &mut [Component]) {
    // file ids are dense: one counter per file, no hashing
    let files = components.iter().map(|c| c.span.file.0 as usize + 1).max();
    let mut counts = vec![0u32; files.unwrap_or(0)];
    for c in components {
        let n = &mut counts[c.span.file.0 as usize];
        c.id = ComponentId {
            file: c.span.file,
            n: *n,
        };
        *n += 1;
    }
}

/// What role a component plays. Extractors choose it from the manifest's meaning:
/// a compose/k8s image is a `server` (or any container), `.nvmrc` is a `runtime`,
/// a dependency is a `package`, a CLI pinned in `.tool-versions` is a `tool`.
///
/// Conventions every extractor follows (rules rely on them):
/// - A runtime the repository *runs* (`.nvmrc`, `.tool-versions`, CI `setup-*`) is
///   `runtime` in ecosystem `runtime`, named canonically (`node`, `python`, `go`, `ruby`,
///   `java`, `rust`, `php`); a base image (`FROM node:18`) is `runtime` in `docker`.
/// - A runtime a package *requires* (`engines.node`, `requires-python`, `rust-version`,
///   go.mod `go`) is `runtime` in the package's own ecosystem (`npm`/`node`,
///   `pypi`/`python`, `cargo`/`rust`, `go`/`go`), so the range is read in that syntax.
/// - Container images in compose/Kubernetes/Helm/CI `services:` are `server`s in `docker`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Server,
    Runtime,
    Package,
    Tool,
    /// A declared object consumed by a server rather than a version of software:
    /// a Kubernetes `apiVersion`+`kind`, checked against the cluster's version.
    Resource,
}

/// The namespace a component's name and version live in. The serialised names are part
/// of the JSON schema and of rule files: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ecosystem {
    /// Container images (`name` is the image reference without tag, `version` the tag).
    Docker,
    Npm,
    #[serde(rename = "pypi")]
    PyPI,
    Cargo,
    Go,
    Maven,
    #[serde(rename = "rubygems")]
    RubyGems,
    Composer,
    #[serde(rename = "nuget")]
    NuGet,
    /// Language runtimes and tools pinned by version files (`.nvmrc`, `.tool-versions`,
    /// `engines`, `requires-python`, `go` directives, CI setup actions): `name` is the
    /// runtime (`node`, `python`, `go`, `ruby`, `java`, `rust`, …).
    Runtime,
    /// Managed services declared in infrastructure code (Terraform RDS, Cloud SQL, …):
    /// `name` is the engine (`mysql`, `postgres`, `aurora-mysql`, `redis`, `kafka`,
    /// `kubernetes`, …).
    Managed,
    /// Kubernetes objects: `name` is `apiVersion/kind` (e.g. `apps/v1/Deployment`).
    /// A cluster's own version (EKS, GKE) is a `managed` server named `kubernetes`.
    Kubernetes,
    /// Terraform core and providers (`required_version`, `required_providers`).
    Terraform,
    /// Helm charts (`Chart.yaml` dependencies).
    Helm,
    /// GitHub Actions `uses:` references.
    GithubActions,
    /// Elixir/Erlang packages (`mix.exs`, `mix.lock`) from Hex.
    Hex,
    /// Debian/Ubuntu OS packages pinned in a Dockerfile (`apt-get install pkg=1.2-1`).
    Deb,
    /// Alpine OS packages pinned in a Dockerfile (`apk add pkg=1.2.3-r0`).
    Apk,
    /// jsonnet-bundler packages (`jsonnetfile.json`): `name` is the Git remote's host and
    /// path plus the subdirectory (`github.com/org/repo/lib`), `version` a ref.
    Jsonnet,
}

impl Ecosystem {
    pub const ALL: &'static [Ecosystem] = &[
        Ecosystem::Docker,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Cargo,
        Ecosystem::Go,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::Composer,
        Ecosystem::NuGet,
        Ecosystem::Runtime,
        Ecosystem::Managed,
        Ecosystem::Kubernetes,
        Ecosystem::Terraform,
        Ecosystem::Helm,
        Ecosystem::GithubActions,
        Ecosystem::Hex,
        Ecosystem::Deb,
        Ecosystem::Apk,
        Ecosystem::Jsonnet,
    ];

    /// The stable name used in JSON and rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Docker => "docker",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Cargo => "cargo",
            Ecosystem::Go => "go",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "rubygems",
            Ecosystem::Composer => "composer",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Runtime => "runtime",
            Ecosystem::Managed => "managed",
            Ecosystem::Kubernetes => "kubernetes",
            Ecosystem::Terraform => "terraform",
            Ecosystem::Helm => "helm",
            Ecosystem::GithubActions => "github-actions",
            Ecosystem::Hex => "hex",
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Jsonnet => "jsonnet",
        }
    }

    pub fn from_name(s: &str) -> Option<Ecosystem> {
        Ecosystem::ALL.iter().copied().find(|e| e.as_str() == s)
    }

    /// A key equal for exactly the names [`Ecosystem::same_name`] calls the same.
    /// Borrowed when the name is its own key (every npm name; a lower-case PyPI name),
    /// so indexing a big lockfile by name allocates nothing.
    pub fn name_key(self, name: &str) -> Cow<'_, str> {
        let upper = || name.bytes().any(|b| b.is_ascii_uppercase());
        match self {
            Ecosystem::PyPI => {
                let b = name.as_bytes();
                let normal = !upper()
                    && !name.contains(['_', '.'])
                    && !name.contains("--")
                    && b.first() != Some(&b'-')
                    && b.last() != Some(&b'-');
                if normal {
                    Cow::Borrowed(name)
                } else {
                    Cow::Owned(pypi_normalize(name))
                }
            }
            Ecosystem::NuGet | Ecosystem::Composer | Ecosystem::Runtime | Ecosystem::Managed => {
                if upper() {
                    Cow::Owned(name.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(name)
                }
            }
            _ => Cow::Borrowed(name),
        }
    }

    /// Are two package names the same in this ecosystem? PyPI normalises case and
    /// `-`/`_`/`.` (PEP 503); NuGet and Composer are case-insensitive; the rest exact.
    pub fn same_name(self, a: &str, b: &str) -> bool {
        // the hot path of every check: compare without allocating where the key is the name
        match self {
            // equal text is an equal name; only other pairs need normalising
            Ecosystem::PyPI => a == b || pypi_chars(a).eq(pypi_chars(b)),
            Ecosystem::NuGet | Ecosystem::Composer | Ecosystem::Runtime | Ecosystem::Managed => {
                a.eq_ignore_ascii_case(b)
            }
            _ => a == b,
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// PEP 503 name normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn pypi_normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The characters of [`pypi_normalize`]`(name)`, without building the string: the hot
/// path of every PyPI name comparison.
fn pypi_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    let mut sep = false;
    let mut started = false;
    let mut pending: Option<char> = None;
    let mut chars = name.chars();
    std::iter::from_fn(move || {
        if let Some(c) = pending.take() {
            return Some(c);
        }
        for c in chars.by_ref() {
            if matches!(c, '-' | '_' | '.') {
                sep = true;
                continue;
            }
            let c = c.to_ascii_lowercase();
            let emit_sep = sep && started;
            sep = false;
            started = true;
            if emit_sep {
                pending = Some(c);
                return Some('-');
            }
            return Some(c);
        }
        None
    })
}

/// Where a component was declared: a manifest a person edits, or a lockfile a tool writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Manifest,
    Lockfile,
}

/// A configuration value attached to a component: a command-line argument or an
/// environment variable of a container, as written in compose/Kubernetes, or an option
/// of a MySQL option file the container mounts from the repository. Rules use these for
/// mitigations (`--default-authentication-plugin=mysql_native_password`) and conditions
/// (`REDIS_USERNAME`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Setting {
    pub kind: SettingKind,
    /// For `Arg`: the whole argument (`--foo=bar`); for `Env`: the variable name; for
    /// `OptionFile`: the option as mysqld hands it to its option parser (`--foo=bar`).
    pub name: String,
    /// For `Env`: the value (may be empty); for `Arg` and `OptionFile`: the part after
    /// `=`, if any (for `OptionFile` unquoted and unescaped, as mysqld reads it).
    pub value: String,
    pub span: Span,
    /// For `OptionFile`: where in the container the option file is and which group the
    /// option is written in; `None` for the others.
    pub from_file: Option<OptionSource>,
}

/// Where an option-file option comes from (`scan::option_files`). Which files and
/// groups a server reads is its product's (`Product::option_files`,
/// `Product::option_groups`), judged per instance by `check::settings`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OptionSource {
    /// The group, lowercased (mysqld matches group names ignoring case): `mysqld`,
    /// `mysqld-8.4`, `mariadb`.
    pub group: String,
    /// The option file's place in the container: the file (`/etc/my.cnf`), or for a
    /// file of an included folder the folder (`/etc/mysql/conf.d`).
    pub place: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SettingKind {
    Arg,
    Env,
    /// An option of an option file the container mounts (`scan::option_files`), of the
    /// group `Setting::group`: read by mysqld before its command line, so a command-line
    /// argument or a later option with the same option overrides it. Only the groups
    /// the server's product reads count (`check::settings::ServerSettings`).
    OptionFile,
}

/// One thing found in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Set by the scan ([`number`]); until then `n` is 0.
    pub id: ComponentId,
    pub kind: ComponentKind,
    pub ecosystem: Ecosystem,
    /// As written (image reference without tag/digest; package name as declared).
    pub name: String,
    /// The version or range as declared, verbatim (`^2.18.1`, `==0.8.1`, `8.0.36`).
    pub version: Option<String>,
    /// The exact version a lockfile resolved, if one did.
    pub resolved: Option<String>,
    /// The narrowest span to blame: the version text, or the name when there is none.
    pub span: Span,
    /// Where the resolved version is written (the lockfile entry), if any.
    pub resolved_span: Option<Span>,
    pub origin: Origin,
    /// Development/test-only dependency (npm devDependencies, Poetry dev groups, …).
    pub dev: bool,
    /// Container settings (args, env) for servers; empty for packages.
    pub settings: Vec<Setting>,
    /// The group the component belongs to where the format says (compose service,
    /// Kubernetes workload, workspace member); free text used for display and grouping.
    pub group: Option<String>,
    /// Where the version is written when it is in another file (a Maven parent POM, a
    /// Cargo workspace root). Extractors read one file at a time, so they record what to
    /// look up; the scanner resolves it across the files it read and clears it.
    /// Still set after the scan when the other file was not found (version stays `None`).
    pub inherit: Option<Inherit>,
    /// For lockfile entries: which declarations the lockfile says this entry resolves,
    /// where the format says (yarn keys, pnpm importers). The scanner links a manifest
    /// dependency to the entry that names it before falling back to the first entry of
    /// that name; empty when the format does not say (npm's package-lock hoists instead).
    pub resolves: Vec<LockKey>,
    /// The version comes from a compose variable nothing in the repository sets
    /// (`postgres:${PG_TAG}` with no `.env` beside the file defining `PG_TAG`): the
    /// variable as written. The version is unknown, not floating: the deploy sets it.
    pub unresolved: Option<String>,
    /// For container images: the digest the reference pins (`sha256:…` of
    /// `nginx@sha256:…`), which fixes what runs whatever the tag says.
    pub digest: Option<String>,
}

/// The package a manifest itself describes (`package.json` `name`/`version`, Cargo.toml
/// `[package]`, pyproject `[project]`): the repository's own software, not a dependency,
/// so no rule treats it as a client. Reporters that describe the project (CycloneDX
/// `metadata.component`) read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Option<String>,
    /// The name as written.
    pub span: Span,
}

/// What a lockfile entry was resolved for, as the lockfile writes it. Plain data: the
/// scanner (`scan::link_lockfiles`) matches it against manifest dependencies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LockKey {
    /// A yarn.lock key descriptor: the dependency name and the range as written in the
    /// key (`^2.0.0` in v1, `npm:^2.0.0` in Berry, which adds the protocol).
    Specifier { name: String, range: String },
    /// A pnpm-lock.yaml importer: the workspace package's folder relative to the
    /// lockfile's folder (`.` for the root, `packages/a`) and the dependency name.
    Importer { path: String, name: String },
}

/// What a component's version is inherited from, as its own file says. Plain data: the
/// scanner (`scan::inherit`) does the lookup.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Inherit {
    /// Cargo `dep = { workspace = true }` in a member: the version is the workspace root's
    /// `[workspace.dependencies].<key>`. `root` is `package.workspace` when the member
    /// names its root explicitly (a folder relative to the member's folder); otherwise the
    /// root is the nearest ancestor `Cargo.toml` with a `[workspace]` that admits it.
    CargoWorkspace { key: String, root: Option<String> },
    /// Maven: from the parent POM chain of the component's file (its `<parent>`). `text`
    /// is the version as written when it names properties the file does not define
    /// (`${mysql.version}`); `None` when the dependency has no `<version>`, so a parent's
    /// `<dependencyManagement>` entry for the same `groupId:artifactId` gives it.
    MavenParent { text: Option<String> },
    /// Gradle: a build script's `"$name"`/`"${name}"` whose property the script does not
    /// define: the value comes from a `gradle.properties` or an enclosing project's
    /// `ext` block, looked up in the script's folder, then each folder above it.
    GradleProperty { name: String },
}

/// What a file offers to the files that inherit from it: the other half of [`Inherit`].
/// Extractors put these in their `Extraction`; the scanner uses them and drops them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inheritable {
    /// A `Cargo.toml` with a `[workspace]` table.
    CargoWorkspace(CargoWorkspace),
    /// Any `pom.xml`: a possible parent of other POMs.
    MavenPom(Box<PomModel>),
    /// Gradle properties a build script in this folder or below can name: every entry of
    /// a `gradle.properties`, the `ext`/`extra` properties of a build script. Each is
    /// name, value and the span of the value as written.
    GradleProperties(Vec<(String, String, Span)>),
}

/// A fact about deployment topology, as one file states it: which compose service builds
/// which folder, which services it names, which variables a `.env` file sets. Plain data
/// with spans; extractors put these in their `Extraction`, the scanner keeps them in the
/// inventory and `plan::topology` builds deployment units from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitFact {
    /// A service of a compose file (`span` is the service's key in `services:`).
    ComposeService(ComposeService),
    /// `include:` in a compose file: another compose file (path as written, relative to
    /// the including file's folder) whose services join this project.
    ComposeInclude { path: String, span: Span },
    /// A service whose `extends:` chain goes on in another file (`extends: { file:
    /// common.yml, service: base }`): the scanner reads that file and gives the service
    /// what it inherits.
    ComposeExtends(ComposeExtends),
    /// A server a compose service runs through `extends.file`: the component (its span
    /// is the image line in the other file, its group the service's name) is service
    /// `service` of the compose file `file`, whatever project the other file is part of.
    ComposeInherited {
        component: Span,
        file: FileId,
        service: String,
    },
    /// The bind mounts of a compose service (`volumes: ["./my.cnf:/etc/mysql/my.cnf"]`):
    /// the scanner reads the MySQL option files among them (`scan::option_files`).
    ComposeMounts(ComposeMounts),
    /// An image reference with variables (`${PG_TAG}`) the extractor could not resolve
    /// from defaults alone: the scanner resolves it with the `.env` beside the file.
    ComposeImage(ComposeImage),
    /// The variables a `.env` file sets: name, value, span of the value.
    DotEnv { vars: Vec<(String, String, Span)> },
    /// A `Chart.yaml` dependency: the scanner makes it a server of the chart unless it
    /// is vendored under `charts/` (whose `appVersion` says what runs) or disabled.
    HelmDependency(HelmDependency),
    /// A Terraform version written as `local.x` or `var.x` that the declaring `.tf` file
    /// does not set to a literal: the scanner looks it up in the other `.tf` files of the
    /// same module folder. `component` is the span of the component pushed for it.
    TerraformRef { component: Span, reference: String },
    /// A `module` block whose `source` is a folder of the repository (`../..`): its
    /// inputs set that module's variables for this call.
    TerraformModuleCall(TerraformModuleCall),
    /// The literal `locals` and variable `default`s of one `.tf` file: name, value as
    /// written, span of the value (inside the quotes).
    TerraformValues {
        file: FileId,
        locals: Vec<(String, String, Span)>,
        variables: Vec<(String, String, Span)>,
    },
}

/// A Terraform `module "name" { source = "../.." … }` call of a module in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformModuleCall {
    /// `module.<name>`: the group of the components the call creates.
    pub group: String,
    /// `source` as written (relative to the calling file's folder), and its span.
    pub source: String,
    pub span: Span,
    /// Its inputs: name, the literal value when the calling file resolves it, the span
    /// that value is blamed on, and the `local.x`/`var.x` it names when it does not.
    pub inputs: Vec<(String, Option<String>, Span, Option<String>)>,
}

/// One entry of a `Chart.yaml`'s `dependencies:`, as written. Its `version` is the
/// *chart's* version, never the version of the software the chart deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmDependency {
    /// `name`, and its span (where a server of unknown version is blamed).
    pub name: String,
    pub span: Span,
    /// `alias`: the key of the subchart's values in the parent's values (else `name`).
    pub alias: Option<String>,
    /// `condition`: comma-separated values paths, the first that holds a boolean wins.
    pub condition: Option<String>,
    /// `tags`: enabled or disabled by `tags.<tag>` booleans in the parent's values.
    pub tags: Vec<String>,
    /// `repository`, as written (`None` for a local subchart).
    pub repository: Option<String>,
    /// `version`: the chart version range.
    pub version: Option<String>,
}

impl HelmDependency {
    /// The key of the subchart's values in the parent's values.
    pub fn key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

/// One compose service's topology, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComposeService {
    pub name: String,
    pub span: Span,
    /// `build:` (a string) or `build.context`, with its span; `.` when `build:` has
    /// only a `dockerfile:`.
    pub context: Option<(String, Span)>,
    /// `build.dockerfile`, relative to the context.
    pub dockerfile: Option<String>,
    /// Services named by `depends_on` (list or map form) and `links` (`db:alias`).
    pub depends_on: Vec<(String, Span)>,
    /// Host names in the service's environment: connection strings
    /// (`mysql://db:3306/app`) and `*_HOST`/`*_ADDR` variables (`REDIS_HOST=cache`).
    pub hosts: Vec<(String, Span)>,
    /// The environment variables whose value is a connection string (`://`), as
    /// written: rules read client-side options in them
    /// (`SPRING_DATASOURCE_URL=jdbc:mysql://db:3306/app?tlsVersions=TLSv1.1`) against
    /// the server a host names, whether or not the service has an image of its own.
    pub connections: Vec<Setting>,
}

/// A compose service's `extends:` into another file, as its own file states it (after
/// the same-file part of its chain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeExtends {
    /// The extending service, and its key's span (in the file that declares it).
    pub service: String,
    pub span: Span,
    /// `extends.file` as written (relative to the declaring file's folder), and its span.
    pub file: String,
    pub file_span: Span,
    /// `extends.service`, and its span.
    pub base: String,
    pub base_span: Span,
    /// The command arguments and environment the service already has (its own and its
    /// same-file bases'): inherited ones never override them.
    pub settings: Vec<Setting>,
    /// The service already has a `command:` (the other file's does not apply).
    pub has_command: bool,
    /// No `image:` or `build:` yet: the other file's decides what runs.
    pub wants_image: bool,
    /// No `build:` yet: the other file's build context is the service's.
    pub wants_build: bool,
}

/// A compose service's bind mounts, as written (its own `volumes:` and those of the
/// services it `extends:` in the same file, its own winning for one target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeMounts {
    /// The service, and its key's span (in the file that declares it).
    pub service: String,
    pub span: Span,
    pub mounts: Vec<Mount>,
}

/// One bind mount: the host path as written (relative to the compose file's folder,
/// or absolute) with its span, and the path inside the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub source: String,
    pub source_span: Span,
    pub target: String,
}

/// An image reference whose text has compose variables in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeImage {
    /// The span of the component the extractor pushed for it (how the scanner finds it).
    pub component: Span,
    /// The `image:` value as written.
    pub template: String,
    /// Where the value is written verbatim in the file, when it is.
    pub start: Option<usize>,
    /// The whole scalar node.
    pub whole: Span,
}

/// A Cargo workspace root as its `Cargo.toml` declares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CargoWorkspace {
    /// `workspace.members`, as written (globs such as `crates/*`).
    pub members: Vec<String>,
    /// `workspace.exclude`, as written (path prefixes).
    pub exclude: Vec<String>,
    /// `[workspace.dependencies]` keys a member's `workspace = true` can name.
    pub dependencies: Vec<String>,
}

/// The parts of a POM that a child POM inherits, each value as written with its span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PomModel {
    /// Own `groupId`/`artifactId`/`version` with their spans, the `<parent>`'s when not
    /// written (Maven inherits coordinates): a child's `<parent>` must name them to be
    /// matched, and they are `${project.*}` when a child's inherited entry names one.
    pub group: Option<(String, Span)>,
    pub artifact: Option<(String, Span)>,
    pub version: Option<(String, Span)>,
    pub parent: Option<MavenParentRef>,
    /// `<properties>` entries: name, value as written, span of the value.
    pub properties: Vec<(String, String, Span)>,
    /// `<dependencyManagement>` entries: `groupId:artifactId`, the version as written
    /// (`None` when absent) and the span of that text.
    pub managed: Vec<(String, Option<String>, Span)>,
}

/// A POM's `<parent>` element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MavenParentRef {
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
    /// `<relativePath>`: `None` when absent (Maven's default `../pom.xml`), `Some("")`
    /// for an empty `<relativePath/>` (look the parent up in repositories only).
    pub relative_path: Option<String>,
}

impl Component {
    /// A component with the given identity and span; other fields default.
    pub fn new(
        kind: ComponentKind,
        ecosystem: Ecosystem,
        name: impl Into<String>,
        version: Option<String>,
        span: Span,
    ) -> Self {
        Component {
            id: ComponentId {
                file: span.file,
                n: 0,
            },
            kind,
            ecosystem,
            name: name.into(),
            version,
            resolved: None,
            span,
            resolved_span: None,
            origin: Origin::Manifest,
            dev: false,
            settings: Vec::new(),
            group: None,
            inherit: None,
            resolves: Vec::new(),
            unresolved: None,
            digest: None,
        }
    }

    pub fn lockfile(mut self) -> Self {
        self.origin = Origin::Lockfile;
        self
    }

    pub fn dev(mut self, dev: bool) -> Self {
        self.dev = dev;
        self
    }

    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// The digest an image reference pins (see [`Component::digest`]).
    pub fn digest(mut self, digest: Option<&str>) -> Self {
        self.digest = digest.map(str::to_string);
        self
    }

    pub fn inherit(mut self, inherit: Option<Inherit>) -> Self {
        self.inherit = inherit;
        self
    }

    /// The most precise version known: the resolved one when a lockfile pinned it,
    /// else the declared one.
    pub fn effective_version(&self) -> Option<&str> {
        self.resolved.as_deref().or(self.version.as_deref())
    }

    /// Sort key for deterministic output.
    pub fn sort_key(&self) -> (Span, Ecosystem, &str) {
        (self.span, self.ecosystem, &self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_normalise() {
        assert_eq!(pypi_normalize("PyMySQL"), "pymysql");
        assert_eq!(
            pypi_normalize("mysql_connector.Python"),
            "mysql-connector-python"
        );
        assert!(Ecosystem::PyPI.same_name("Django", "django"));
        assert!(!Ecosystem::Npm.same_name("MySQL", "mysql"));
    }

    /// The borrowed fast path gives the same key as normalising every time.
    #[test]
    fn borrowed_name_keys_are_the_normalised_names() {
        for name in [
            "", "-", "a-", "-a", "a--b", "a-b", "a_b", "a.b", "Ab", "ab", "a-b-c", "é-x",
        ] {
            assert_eq!(
                Ecosystem::PyPI.name_key(name),
                pypi_normalize(name),
                "{name}"
            );
            assert_eq!(Ecosystem::NuGet.name_key(name), name.to_ascii_lowercase());
            assert_eq!(Ecosystem::Npm.name_key(name), name);
        }
    }

    #[test]
    fn name_keys_agree_with_same_name() {
        let names = [
            "PyMySQL",
            "pymysql",
            "py_mysql",
            "Py.MySQL",
            "Newtonsoft.Json",
            "newtonsoft.json",
            "mysql",
            "MySQL",
        ];
        for e in Ecosystem::ALL {
            for a in names {
                for b in names {
                    assert_eq!(
                        e.same_name(a, b),
                        e.name_key(a) == e.name_key(b),
                        "{e} {a} {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn pypi_comparison_without_allocation_agrees_with_the_normalised_names() {
        let names = [
            "",
            "-",
            "a",
            "A-",
            "-a",
            "a--b",
            "a_.-b",
            "A.B",
            "a-b",
            "ab",
            "zope.interface",
            "Zope_Interface",
            "é_x",
            "É-x",
            "x.",
            "..x..y..",
        ];
        for a in names {
            assert_eq!(pypi_chars(a).collect::<String>(), pypi_normalize(a), "{a}");
            for b in names {
                assert_eq!(
                    Ecosystem::PyPI.same_name(a, b),
                    pypi_normalize(a) == pypi_normalize(b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn ecosystem_names_round_trip() {
        for e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_name(e.as_str()), Some(*e));
            let json = serde_json::to_string(e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
        }
    }
}
