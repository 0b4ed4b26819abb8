//! The model of rule files: raw (spanned) TOML -> validated [`Rule`]s and [`Product`]s.
//!
//! `rules/*.toml` is data, this module is its model, `src/check/` evaluates it. A rule
//! file names a product, how to recognise it (Docker image names, managed-service
//! engines, runtime names) and rules of a kind (see [`RuleKind`]). Shipped rule files are
//! embedded in the binary ([`builtin`]); users add files or folders with `--rules`.
//! Loading parses, then validates, collecting every problem of a file into one
//! [`RuleFileError`] whose labels point into the TOML. Must not: look at components.

mod date;
mod raw;
mod validate;

pub use validate::{KINDS, KindSpec};

pub use date::{Date, EolDate};

use std::path::Path;

use include_dir::{Dir, include_dir};
use miette::{Diagnostic, LabeledSpan, SourceSpan};

use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::Severity;
use crate::version::VersionSet;

/// The shipped rule files, one per product.
static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// A product that rules are about: a server, a runtime.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub docker: Vec<String>,
    pub managed: Vec<String>,
    pub runtime: Vec<String>,
    /// Images whose tags are versions of something else, mapped to this product's lines.
    pub image_versions: Vec<ImageVersions>,
    /// Tag variants of the product's images that are something else (`cli` of
    /// `docker:29-cli`, the CLI without the Engine): a tag with one of them among its
    /// `-`-separated parts is not an instance.
    pub not_tags: Vec<String>,
    /// The groups of a mounted MySQL option file (`scan::option_files`) the product's
    /// server reads, lowercase: a name (`mysqld`), or a name ending in `-X.Y` for the
    /// groups of one release series (`mysqld-X.Y` reads `[mysqld-8.4]` on 8.4 only).
    /// Empty: the product reads no option file, and its settings from one are ignored.
    pub option_groups: Vec<String>,
    /// The option files in the container the product's server reads, by path: a file
    /// (`/etc/my.cnf`) or a folder whose `.cnf` files it includes (`/etc/mysql/conf.d`).
    /// Only those `scan::option_files` knows can be named (validation checks).
    pub option_files: Vec<String>,
    /// Images of the product whose server reads other option files than
    /// `option_files`, with those files (Bitnami's images start mysqld with
    /// `--defaults-file`, so they read neither `/etc/my.cnf` nor `conf.d`).
    pub image_option_files: Vec<ImageOptionFiles>,
}

/// An image that reads its own option files ([`Product::image_option_files`]).
#[derive(Debug, Clone)]
pub struct ImageOptionFiles {
    pub image: String,
    pub files: Vec<String>,
}

/// How a server reads an option-file group ([`Product::reads_option_group`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRead {
    /// Whatever release runs (`[mysqld]`).
    Always,
    /// Only when release series `major.minor` runs (`[mysqld-8.4]`).
    Series(u64, u64),
}

/// An image whose tag counts in another version scheme (Confluent Platform `7.6.13` runs
/// Apache Kafka 3.6), with the vendor's table: `(tag line, product line)`.
#[derive(Debug, Clone)]
pub struct ImageVersions {
    pub image: String,
    pub source: String,
    pub lines: Vec<(String, String)>,
}

impl Product {
    /// Is this component an instance of the product?
    pub fn matches(&self, c: &Component) -> bool {
        match c.ecosystem {
            Ecosystem::Docker => {
                let names = image_names(&c.name);
                let named = self
                    .docker
                    .iter()
                    .chain(self.image_versions.iter().map(|m| &m.image))
                    .any(|d| names.contains(&normalize_image(d)));
                named && !self.other_variant(c.version.as_deref())
            }
            // servers declared in skew.toml or assumed on the command line carry the
            // product id as their name
            Ecosystem::Managed => {
                c.name == self.id || self.managed.iter().any(|m| m.eq_ignore_ascii_case(&c.name))
            }
            Ecosystem::Runtime => self.runtime.iter().any(|r| r.eq_ignore_ascii_case(&c.name)),
            // a Helm chart's `appVersion` (a `server` named by the chart, also a dependency
            // vendored under `charts/`) deploys what the chart is named after, as the
            // official and Bitnami charts are named: the last part of an image name
            Ecosystem::Helm if c.kind == ComponentKind::Server => self.docker.iter().any(|d| {
                let image = normalize_image(d);
                image.rsplit('/').next() == Some(c.name.to_ascii_lowercase().as_str())
            }),
            _ => false,
        }
    }
}

impl Product {
    /// Does this product's server, run as component `c`, read the option file at
    /// `place` (a path of `scan::option_files::PLACES`)? An image of
    /// `image_option_files` reads its own files, any other the product's `option_files`.
    pub fn reads_option_file(&self, c: &Component, place: &str) -> bool {
        self.option_files_of(c).iter().any(|f| f == place)
    }

    /// The option files component `c` of this product reads.
    pub fn option_files_of(&self, c: &Component) -> &[String] {
        if c.ecosystem == Ecosystem::Docker {
            let names = image_names(&c.name);
            if let Some(own) = self
                .image_option_files
                .iter()
                .find(|i| names.contains(&normalize_image(&i.image)))
            {
                return &own.files;
            }
        }
        &self.option_files
    }

    /// Does this product's server read option-file group `group` (lowercase, as
    /// `Setting::group` keeps it), and when? `None` when it never does.
    pub fn reads_option_group(&self, group: &str) -> Option<GroupRead> {
        self.option_groups
            .iter()
            .find_map(|g| match g.strip_suffix("-x.y") {
                None => (g == group).then_some(GroupRead::Always),
                Some(prefix) => {
                    let series = group.strip_prefix(prefix)?.strip_prefix('-')?;
                    let (major, minor) = series.split_once('.')?;
                    let number = |s: &str| {
                        (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
                            .then(|| s.parse::<u64>().ok())
                            .flatten()
                    };
                    Some(GroupRead::Series(number(major)?, number(minor)?))
                }
            })
    }
}

impl Product {
    /// Does an image tag name a variant that is not this product (`29-cli` when
    /// `not_tags` lists `cli`)?
    fn other_variant(&self, tag: Option<&str>) -> bool {
        let Some(tag) = tag else { return false };
        tag.split('-')
            .any(|part| self.not_tags.iter().any(|t| t.eq_ignore_ascii_case(part)))
    }

    /// The version of this product a matching component declares: its own version, or
    /// for an image whose tags count in another scheme, the product line the vendor's
    /// table gives for the tag's line (`confluentinc/cp-kafka:7.6.13` -> `3.6`), with
    /// the table's source; `None` (unknown) for a line the table does not give.
    pub fn declared_version<'c>(&'c self, c: &'c Component) -> Option<(&'c str, Option<&'c str>)> {
        let tag = c.version.as_deref()?;
        if c.ecosystem != Ecosystem::Docker {
            return Some((tag, None));
        }
        let names = image_names(&c.name);
        let maps: Vec<&ImageVersions> = self
            .image_versions
            .iter()
            .filter(|m| names.contains(&normalize_image(&m.image)))
            .collect();
        if maps.is_empty() {
            return Some((tag, None));
        }
        let numbers: Vec<&str> = tag
            .trim_start_matches('v')
            .split(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
            .next()
            .unwrap_or("")
            .split('.')
            .take(2)
            .collect();
        let line = numbers.join(".");
        maps.iter().find_map(|m| {
            m.lines
                .iter()
                .find(|(from, _)| *from == line)
                .map(|(_, to)| (to.as_str(), Some(m.source.as_str())))
        })
    }
}

/// Docker Hub spellings of one image are the same image: `mysql`, `library/mysql`,
/// `docker.io/library/mysql`, `index.docker.io/library/mysql`. Other registries are
/// kept as written (a mirror is a different name; add it to the product to match it).
pub fn normalize_image(name: &str) -> String {
    let mut n = name.trim().to_ascii_lowercase();
    for prefix in [
        "docker.io/",
        "index.docker.io/",
        "registry-1.docker.io/",
        "registry.hub.docker.com/",
    ] {
        if let Some(rest) = n.strip_prefix(prefix) {
            n = rest.to_string();
            break;
        }
    }
    match n.strip_prefix("library/") {
        Some(rest) => rest.to_string(),
        None => n,
    }
}

/// The names an image may be listed under in a product's `docker` list: its Docker Hub
/// name ([`normalize_image`]); on another registry (a first part with a `.` or a port, or
/// `localhost`), the path below the registry (`public.ecr.aws/bitnami/redis` is
/// `bitnami/redis`; ECR Public's and Google's mirrors of official images,
/// `public.ecr.aws/docker/library/redis` and `mirror.gcr.io/library/redis`, are `redis`)
/// and its last part (`ghcr.io/acme/mysql`, `registry.example.test:5000/team/mysql`: an
/// official image's name kept on a mirror or an organisation's registry). A Docker Hub
/// user image (`someone/mysql`) is not the official image and keeps its own name.
pub fn image_names(name: &str) -> Vec<String> {
    let hub = normalize_image(name);
    let mut names = vec![hub.clone()];
    let Some((first, rest)) = hub.split_once('/') else {
        return names;
    };
    if !(first.contains(['.', ':']) || first == "localhost") {
        return names;
    }
    let below = rest
        .strip_prefix("docker/library/")
        .or_else(|| rest.strip_prefix("library/"))
        .unwrap_or(rest);
    names.push(below.to_string());
    if let Some((_, last)) = below.rsplit_once('/') {
        names.push(last.to_string());
    }
    names
}

/// Where a rule came from: shipped, or a user's file (findings of user rules point at
/// the rule line too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleOrigin {
    Builtin {
        file: String,
    },
    User {
        path: String,
        start: usize,
        end: usize,
    },
}

/// One client package a `client-requires` rule constrains.
#[derive(Debug, Clone)]
pub struct ClientRequirement {
    pub ecosystem: Ecosystem,
    pub name: String,
    /// Versions that work; empty when no release does.
    pub requires: VersionSet,
    /// `requires` as written (`>=0.9.0`, `none`).
    pub requires_text: String,
    pub fix: Option<String>,
    pub source: String,
}

/// A client package named by a `same-major` or `skew` rule.
#[derive(Debug, Clone)]
pub struct ClientRef {
    pub ecosystem: Ecosystem,
    pub name: String,
    /// `skew`: the server major the client's minor versions count in (client-go v0.X
    /// talks to Kubernetes 1.X); `None` reads the client's own major.
    pub as_major: Option<u64>,
    pub fix: Option<String>,
    pub source: String,
}

impl ClientRef {
    /// Is `c` this client? A Go module also matches its major-version paths
    /// (`github.com/elastic/go-elasticsearch` matches `.../go-elasticsearch/v8`), since Go
    /// puts the major in the module path from v2 on.
    pub fn matches(&self, c: &Component) -> bool {
        if c.ecosystem != self.ecosystem {
            return false;
        }
        if self.ecosystem.same_name(&self.name, &c.name) {
            return true;
        }
        self.ecosystem == Ecosystem::Go
            && c.name
                .strip_prefix(self.name.as_str())
                .and_then(|rest| rest.strip_prefix("/v"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// A Kubernetes API version of one kind that a cluster version stopped serving.
#[derive(Debug, Clone)]
pub struct RemovedApi {
    pub api_version: String,
    pub kind: String,
    /// The first cluster version without it, as written (`1.22`).
    pub removed_text: String,
    /// Every cluster version from `removed` on.
    pub removed: VersionSet,
    /// The API version to move to; `None` when nothing replaces it.
    pub replacement: Option<String>,
    pub source: String,
}

/// A server setting (option or environment variable) the server no longer accepts.
#[derive(Debug, Clone)]
pub struct RemovedSetting {
    pub setting: SettingMatch,
    /// The first server version without it, as written (`8.4.0`).
    pub removed_text: String,
    /// Every server version from `removed` on.
    pub removed: VersionSet,
    pub fix: Option<String>,
    pub source: String,
}

/// Values of a server setting that a server version no longer supports (`TLSv1` and
/// `TLSv1.1` of MySQL's `--tls-version` from 8.0.28 on).
#[derive(Debug, Clone)]
pub struct RemovedValue {
    /// The setting, by name (no `value`): its value is a comma-separated list.
    pub setting: SettingMatch,
    /// The values no longer supported, as written in the rule file.
    pub values: Vec<String>,
    /// The first server version without them, as written (`8.0.28`).
    pub removed_text: String,
    /// Every server version from `removed` on.
    pub removed: VersionSet,
    pub fix: Option<String>,
    pub source: String,
}

/// A package whose versions in `versions` only work on runtimes in `runtime`.
#[derive(Debug, Clone)]
pub struct PackageRuntime {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub versions: VersionSet,
    pub versions_text: String,
    pub runtime: VersionSet,
    pub runtime_text: String,
    pub fix: Option<String>,
    pub source: String,
}

/// A release line and its end-of-life date.
#[derive(Debug, Clone)]
pub struct Release {
    /// `14`, `3.7`.
    pub line: String,
    /// Every version of the line.
    pub versions: VersionSet,
    pub eol: EolDate,
    pub source: String,
}

/// What a rule checks. One variant per file in `src/check/`.
#[derive(Debug, Clone)]
pub enum RuleKind {
    /// When the server's version is in `server`, each listed client must be in its range.
    ClientRequires {
        server: VersionSet,
        server_text: String,
        clients: Vec<ClientRequirement>,
    },
    /// Each listed client's major version must equal the server's.
    SameMajor { clients: Vec<ClientRef> },
    /// Each listed client must be within `max_skew` minor versions of the server; a
    /// client newer than the server only within `max_newer` when that is given (kubelet:
    /// up to three minors older, never newer).
    Skew {
        max_skew: u64,
        max_newer: Option<u64>,
        clients: Vec<ClientRef>,
    },
    /// Resources (`apiVersion` + `kind`) the server no longer serves.
    RemovedApi { apis: Vec<RemovedApi> },
    /// Packages that need a runtime range, and package-declared runtime ranges, against
    /// the runtimes the repository runs.
    RuntimeRange {
        packages: Vec<PackageRuntime>,
        declared_in: Vec<Ecosystem>,
    },
    /// Servers and runtimes past their vendor's end of life.
    Eol { releases: Vec<Release> },
    /// Server settings that a server version no longer accepts.
    RemovedSetting { settings: Vec<RemovedSetting> },
    /// Server settings whose every listed value a server version no longer supports.
    RemovedValue { values: Vec<RemovedValue> },
}

impl RuleKind {
    /// The name rule files use (`kind = "same-major"`); [`KINDS`] lists them.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::ClientRequires { .. } => "client-requires",
            RuleKind::SameMajor { .. } => "same-major",
            RuleKind::Skew { .. } => "skew",
            RuleKind::RemovedApi { .. } => "removed-api",
            RuleKind::RuntimeRange { .. } => "runtime-range",
            RuleKind::Eol { .. } => "eol",
            RuleKind::RemovedSetting { .. } => "removed-setting",
            RuleKind::RemovedValue { .. } => "removed-value",
        }
    }
}

/// Which settings a mitigation or condition looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingMatch {
    /// An environment variable, with a required value or any value not ignored.
    Env {
        name: String,
        value: Option<String>,
        ignore: Vec<String>,
    },
    /// A command-line option (`-` and `_` in its name compare alike, as mysqld reads
    /// them), with a required value or any value.
    Arg {
        name: String,
        value: Option<String>,
        ignore: Vec<String>,
        /// The server also takes the option's value from the next argument
        /// (`--tls-version TLSv1`), as mysqld does for an option that requires one.
        next_word: bool,
    },
    /// Any setting value that is a URL of one of these schemes carrying a user name
    /// that is not ignored (`redis://app:secret@cache:6379`).
    UrlUser {
        schemes: Vec<String>,
        ignore: Vec<String>,
        /// Only URLs whose query sets this parameter (to anything but empty or `false`).
        query: Option<String>,
        /// Only URLs whose query does not set this parameter.
        no_query: Option<String>,
    },
    /// A parameter of a connection URL's query, in any setting value that is a URL of
    /// one of these schemes (`jdbc:mysql://db:3306/app?tlsVersions=TLSv1.1`), unless the
    /// query also sets one of `unless` (`sslMode=DISABLED`: the URL makes no TLS
    /// connection, so its protocol list is never used). The parameter's name compares
    /// exactly, values of `unless` ignoring ASCII case. A `removed-value` rule reads it
    /// in the connection strings of compose services whose host names the server.
    UrlParam {
        schemes: Vec<String>,
        param: String,
        /// `(parameter, value)` pairs.
        unless: Vec<(String, String)>,
    },
}

/// Server settings that make a rule's finding harmless, up to a server version.
#[derive(Debug, Clone)]
pub struct Mitigation {
    /// All must be set on the server.
    pub settings: Vec<SettingMatch>,
    /// The first server version where this stops working, as written.
    pub until_text: Option<String>,
    /// Server versions where it works (everything below `until`).
    pub works: VersionSet,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable kebab-case id; names what is flagged.
    pub id: String,
    /// The [`Product::id`] the rule is about.
    pub product: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub summary: String,
    pub why: String,
    pub fix: Option<String>,
    pub sources: Vec<String>,
    pub origin: RuleOrigin,
    /// Server settings that turn a finding into `info`.
    pub mitigations: Vec<Mitigation>,
    /// When non-empty, the rule applies only if one of these is set somewhere in the
    /// repository (any component's settings).
    pub conditions: Vec<SettingMatch>,
}

/// All products and rules in force for a run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub products: Vec<Product>,
    pub rules: Vec<Rule>,
    /// Texts of user rule files by path, so findings can show the rule line.
    pub user_files: Vec<(String, String)>,
}

impl RuleSet {
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The first product `c` is an instance of ([`Product::matches`]). Only images,
    /// managed servers, runtimes and Helm charts' servers can be one: every other
    /// component (the packages, most of a big repository) is answered without asking
    /// each product.
    pub fn product_of(&self, c: &Component) -> Option<&Product> {
        let may_be = match c.ecosystem {
            Ecosystem::Docker | Ecosystem::Managed | Ecosystem::Runtime => true,
            Ecosystem::Helm => c.kind == ComponentKind::Server,
            _ => false,
        };
        if !may_be {
            // what every product says of it (debug builds, so every test)
            debug_assert!(!self.products.iter().any(|p| p.matches(c)));
            return None;
        }
        self.products.iter().find(|p| p.matches(c))
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The shipped rules.
    pub fn builtin() -> Result<RuleSet, RuleFileError> {
        let mut set = RuleSet::default();
        let mut files: Vec<_> = BUILTIN
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort_by_key(|f| f.path());
        for f in files {
            let name = f.path().to_string_lossy().into_owned();
            let text = f.contents_utf8().unwrap_or_default();
            set.add_file(
                &format!("rules/{name}"),
                text,
                RuleOrigin::Builtin { file: name.clone() },
            )?;
        }
        Ok(set)
    }

    /// The names and texts of the shipped rule files (for docs and tests).
    pub fn builtin_files() -> Vec<(String, &'static str)> {
        let mut v: Vec<_> = BUILTIN
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .map(|f| {
                (
                    f.path().to_string_lossy().into_owned(),
                    f.contents_utf8().unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    }

    /// Load a user rule file, or every `*.toml` in a folder (sorted by name).
    pub fn load_path(&mut self, path: &Path) -> Result<(), LoadError> {
        let mut files = Vec::new();
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| LoadError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    files.push(p);
                }
            }
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        for p in files {
            let shown = p.display().to_string();
            // regular files of bounded size only: `--rules` naming a FIFO must not hang,
            // nor `/dev/zero` grow without end
            let bytes = crate::read::read_regular(&p, crate::limits::MAX_CONFIG_FILE_SIZE)
                .map_err(|e| LoadError::Io {
                    path: shown.clone(),
                    message: e.to_string(),
                })?;
            let decoded = crate::read::decode(bytes);
            if let Some((at, message)) = decoded.problem {
                let file = crate::source::SourceFile::new(Default::default(), "", decoded.text);
                let (line, column) = file.line_col(at);
                return Err(LoadError::Io {
                    path: format!("{shown}:{line}:{column}"),
                    message,
                });
            }
            let text = decoded.text;
            self.add_user_file(&shown, &text)
                .map_err(|e| LoadError::Invalid(Box::new(e)))?;
        }
        Ok(())
    }

    /// Add a user rule file given its text; the path is shown in diagnostics.
    pub fn add_user_file(&mut self, path: &str, text: &str) -> Result<(), RuleFileError> {
        self.add_file(
            path,
            text,
            RuleOrigin::User {
                path: path.to_string(),
                start: 0,
                end: 0,
            },
        )?;
        self.user_files.push((path.to_string(), text.to_string()));
        Ok(())
    }

    fn add_file(
        &mut self,
        path: &str,
        text: &str,
        origin: RuleOrigin,
    ) -> Result<(), RuleFileError> {
        let (products, rules) = validate::parse_file(path, text, &origin, self)?;
        for p in products {
            // validation let a product of a known id through only to add names to it
            match self.products.iter_mut().find(|have| have.id == p.id) {
                Some(have) => {
                    have.docker.extend(p.docker);
                    have.managed.extend(p.managed);
                    have.runtime.extend(p.runtime);
                    have.image_versions.extend(p.image_versions);
                    have.not_tags.extend(p.not_tags);
                    have.option_groups.extend(p.option_groups);
                    have.option_files.extend(p.option_files);
                    have.image_option_files.extend(p.image_option_files);
                }
                None => self.products.push(p),
            }
        }
        self.rules.extend(rules);
        Ok(())
    }
}

/// A problem found while validating a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Every problem of one rule file, rendered by miette with labels into the TOML.
#[derive(Debug, Clone)]
pub struct RuleFileError {
    pub path: String,
    pub text: String,
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "invalid rule file `{}`: {n} problem{}",
            self.path,
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for RuleFileError {}

impl Diagnostic for RuleFileError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("invalid-rule-file"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.problems.iter().map(|p| {
            LabeledSpan::new_with_span(
                Some(p.message.clone()),
                SourceSpan::from(p.start..p.end.max(p.start)),
            )
        })))
    }
}

impl miette::SourceCode for RuleFileError {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        named_span(
            &self.path,
            &self.text,
            span,
            context_lines_before,
            context_lines_after,
        )
    }
}

/// A span of `text` that miette shows under the file name `path`: how skew's own input
/// files (rule files, skew.toml) point into themselves in diagnostics.
pub fn named_span<'a>(
    path: &str,
    text: &'a str,
    span: &SourceSpan,
    before: usize,
    after: usize,
) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
    use miette::SourceCode;
    let contents = text.read_span(span, before, after)?;
    Ok(Box::new(miette::MietteSpanContents::new_named(
        path.to_string(),
        contents.data(),
        *contents.span(),
        contents.line(),
        contents.column(),
        contents.line_count(),
    )))
}

/// Why user rules could not be loaded (exit code 2).
#[derive(Debug)]
pub enum LoadError {
    Io { path: String, message: String },
    Invalid(Box<RuleFileError>),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { path, message } => {
                write!(f, "cannot read rule file `{path}`: {message}")
            }
            LoadError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_spellings_are_one_image() {
        for n in [
            "mysql",
            "library/mysql",
            "docker.io/library/mysql",
            "index.docker.io/library/mysql",
            "DOCKER.IO/library/mysql",
        ] {
            assert_eq!(normalize_image(n), "mysql", "{n}");
        }
        assert_eq!(normalize_image("docker.io/bitnami/mysql"), "bitnami/mysql");
        assert_eq!(
            normalize_image("registry.example.test/mirror/mysql"),
            "registry.example.test/mirror/mysql"
        );
    }

    #[test]
    fn mirrors_and_registries_keep_the_image_name() {
        let mysql = RuleSet::builtin()
            .unwrap()
            .product("mysql")
            .unwrap()
            .clone();
        let image = |n: &str| {
            Component::new(
                crate::component::ComponentKind::Server,
                Ecosystem::Docker,
                n,
                Some("8.0.36".into()),
                crate::source::Span::default(),
            )
        };
        for yes in [
            "mysql",
            "docker.io/library/mysql",
            "public.ecr.aws/docker/library/mysql",
            "mirror.gcr.io/library/mysql",
            "ghcr.io/acme/mysql",
            "quay.io/acme/mysql",
            "registry.example.test:5000/team/mysql",
            "localhost:5000/mysql",
            "public.ecr.aws/bitnami/mysql",
            "registry.example.test/bitnami/mysql",
        ] {
            assert!(mysql.matches(&image(yes)), "{yes}");
        }
        for no in [
            "someone/mysql",
            "ghcr.io/acme/mysql-exporter",
            "registry.example.test/mysql/backup",
            "prom/mysqld-exporter",
        ] {
            assert!(!mysql.matches(&image(no)), "{no}");
        }
    }

    #[test]
    fn not_tags_keep_another_variant_of_the_image_out() {
        let set = RuleSet::builtin().unwrap();
        let engine = set.product("docker-engine").unwrap();
        let image = |tag: &str| {
            Component::new(
                crate::component::ComponentKind::Server,
                Ecosystem::Docker,
                "docker",
                Some(tag.into()),
                crate::source::Span::default(),
            )
        };
        for tag in ["29-dind", "29.0.0-dind-rootless", "29", "latest", "dind"] {
            assert!(engine.matches(&image(tag)), "{tag} runs the Engine");
        }
        for tag in [
            "29-cli",
            "cli",
            "29.0.0-windowsservercore-ltsc2022",
            "29-CLI",
        ] {
            assert!(!engine.matches(&image(tag)), "{tag} is the CLI alone");
        }
    }

    /// `mysqld-X.Y` reads `[mysqld-8.4]` on 8.4 only; a name reads its group alone.
    #[test]
    fn option_groups_of_a_release_series() {
        let set = RuleSet::builtin().unwrap();
        let mysql = set.product("mysql").unwrap();
        assert_eq!(mysql.reads_option_group("mysqld"), Some(GroupRead::Always));
        assert_eq!(mysql.reads_option_group("server"), Some(GroupRead::Always));
        assert_eq!(
            mysql.reads_option_group("mysqld-8.4"),
            Some(GroupRead::Series(8, 4))
        );
        assert_eq!(
            mysql.reads_option_group("mysqld-10.11"),
            Some(GroupRead::Series(10, 11))
        );
        for other in [
            "client",
            "mysqld_safe",
            "mysqld-8",
            "mysqld-8.4.1",
            "mysqld-8.x",
            "mysqld-.4",
            "mysqld-8.",
            "mysqld8.4",
            "mariadb",
        ] {
            assert_eq!(mysql.reads_option_group(other), None, "{other}");
        }
        // a product that names no groups reads no option file
        assert_eq!(
            set.product("redis").unwrap().reads_option_group("mysqld"),
            None
        );
    }

    #[test]
    fn a_user_file_adds_names_to_a_shipped_product() {
        let mut set = RuleSet::builtin().unwrap();
        set.add_user_file(
            "names.toml",
            "[product]\nid = \"mysql\"\ndocker = [\"registry.example.test/platform/db\"]\n",
        )
        .unwrap();
        let mysql = set.product("mysql").unwrap();
        assert_eq!(mysql.name, "MySQL");
        assert!(
            mysql.docker.iter().any(|d| d == "mysql"),
            "shipped names stay"
        );
        let image = Component::new(
            crate::component::ComponentKind::Server,
            Ecosystem::Docker,
            "registry.example.test/platform/db",
            Some("8.0.36".into()),
            crate::source::Span::default(),
        );
        assert!(mysql.matches(&image));
        // a name means a new product, which must not take a known id
        let err = set
            .clone()
            .add_user_file(
                "dup.toml",
                "[product]\nid = \"mysql\"\nname = \"Mine\"\ndocker = [\"x\"]\n",
            )
            .unwrap_err();
        assert!(
            err.to_string().contains("leave out `name`")
                || format!("{err:?}").contains("leave out `name`"),
            "{err:?}"
        );
        let err = set
            .clone()
            .add_user_file("new.toml", "[product]\nid = \"nope\"\ndocker = [\"x\"]\n")
            .unwrap_err();
        assert!(
            format!("{err:?}").contains("a new product needs a `name`"),
            "{err:?}"
        );
    }

    #[test]
    fn redis_stack_tags_count_in_their_redis_line() {
        let set = RuleSet::builtin().unwrap();
        let redis = set.product("redis").unwrap();
        let image = |name: &str, tag: &str| {
            Component::new(
                crate::component::ComponentKind::Server,
                Ecosystem::Docker,
                name,
                Some(tag.into()),
                crate::source::Span::default(),
            )
        };
        let v = |name: &str, tag: &str| {
            redis
                .declared_version(&image(name, tag))
                .map(|(v, _)| v.to_string())
        };
        assert!(redis.matches(&image("redis/redis-stack", "7.2.0-v10")));
        assert_eq!(v("redis/redis-stack", "7.2.0-v10").as_deref(), Some("7.2"));
        assert_eq!(
            v("redis/redis-stack-server", "7.4.0-v1").as_deref(),
            Some("7.4")
        );
        // lines whose release notes were not read stay unknown
        assert_eq!(v("redis/redis-stack", "6.2.6-v9"), None);
    }

    #[test]
    fn confluent_platform_tags_count_in_kafka_lines() {
        let set = RuleSet::builtin().unwrap();
        let kafka = set.product("kafka").unwrap();
        let image = |tag: &str| {
            Component::new(
                crate::component::ComponentKind::Server,
                Ecosystem::Docker,
                "confluentinc/cp-kafka",
                Some(tag.into()),
                crate::source::Span::default(),
            )
        };
        assert!(kafka.matches(&image("7.5.3")));
        let v = |tag: &str| {
            kafka
                .declared_version(&image(tag))
                .map(|(v, _)| v.to_string())
        };
        assert_eq!(v("7.5.3").as_deref(), Some("3.5"));
        assert_eq!(v("5.0.4").as_deref(), Some("2.0"));
        assert_eq!(v("6.2.0-1-ubi8").as_deref(), Some("2.8"));
        // the 7.9 upgrade guide's matrix: 7.6.x / 3.6.x ... 7.8.x / 3.8.x; 7.9 not read
        assert_eq!(v("7.6.13").as_deref(), Some("3.6"));
        assert_eq!(v("7.8.0").as_deref(), Some("3.8"));
        assert_eq!(v("7.9.0"), None);
        // a line the tables do not give is unknown, never guessed
        assert_eq!(v("9.9.0"), None);
        // other images of the product keep their own tags
        let apache = Component {
            name: "apache/kafka".into(),
            ..image("3.7.0")
        };
        assert_eq!(
            kafka
                .declared_version(&apache)
                .map(|(v, s)| (v.to_string(), s.is_none())),
            Some(("3.7.0".to_string(), true))
        );
    }

    #[test]
    fn shipped_rules_load() {
        let set = RuleSet::builtin().unwrap();
        assert!(set.rule("mysql-caching-sha2-password").is_some());
        assert!(set.product("mysql").is_some());
    }
}
