//! Raw serde types of a rule file, exactly as written, with spans.
//!
//! `deny_unknown_fields` everywhere so a typo is an error, not a silently ignored key.
//! Nothing here interprets a value: `validate.rs` turns these into [`super::Rule`]s and
//! reports every problem at once.

use serde::Deserialize;
use serde_spanned::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub product: Option<S<RawProduct>>,
    #[serde(default)]
    pub rule: Vec<S<RawRule>>,
    /// Mitigations of a rule named by id, written apart from the rule so that a file's
    /// owner can append them without touching the rule's own table.
    #[serde(default)]
    pub mitigation: Vec<S<RawMitigation>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub id: S<String>,
    /// Required for a new product; left out, the table adds names to the product of
    /// that id defined elsewhere (a shipped one).
    pub name: Option<S<String>>,
    /// Docker image names (registry prefixes of Docker Hub are normalised away).
    #[serde(default)]
    pub docker: Vec<S<String>>,
    /// Managed-service engine names from infrastructure code (`mysql`, `aurora-mysql`).
    #[serde(default)]
    pub managed: Vec<S<String>>,
    /// Runtime names from version files and CI (`node`, `python`).
    #[serde(default)]
    pub runtime: Vec<S<String>>,
    /// Images whose tags count in another product's versions (Confluent Platform's
    /// `confluentinc/cp-kafka`), with the vendor's table from tag line to product line.
    #[serde(default)]
    pub image_versions: Vec<S<RawImageVersions>>,
    /// Tag variants that are not this product (`cli`: `docker:29-cli` is the Docker CLI,
    /// not the Engine): an image whose tag has one of them among its `-` parts.
    #[serde(default)]
    pub not_tags: Vec<S<String>>,
    /// The groups of a MySQL option file the product's server reads (`mysqld`,
    /// `server`, `mysqld-X.Y` for the groups of its own release series).
    #[serde(default)]
    pub option_groups: Vec<S<String>>,
    /// The option files (and folders of them) in the container the product's server
    /// reads (`/etc/my.cnf`, `/etc/mysql/conf.d`).
    #[serde(default)]
    pub option_files: Vec<S<String>>,
    /// Images of the product that read other option files than `option_files` (Bitnami's,
    /// started with `--defaults-file`): for them only these count.
    #[serde(default)]
    pub image_option_files: Vec<S<RawImageOptionFiles>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImageOptionFiles {
    pub image: S<String>,
    /// The option files (and folders) that image's server reads instead of the
    /// product's `option_files`.
    pub files: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImageVersions {
    pub image: S<String>,
    /// The vendor's published table.
    pub source: S<String>,
    /// Tag line (`7.6`) -> product line (`3.6`), only the lines the table gives.
    pub lines: S<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: S<String>,
    /// The rule kind; `client-requires` when absent.
    pub kind: Option<S<String>>,
    /// The product the rule is about; defaults to the file's `[product]`.
    pub product: Option<S<String>>,
    pub severity: S<String>,
    pub summary: S<String>,
    pub why: S<String>,
    pub fix: Option<S<String>>,
    pub sources: S<Vec<S<String>>>,
    /// Server versions the rule applies to (comparator syntax).
    pub server: Option<S<String>>,
    /// `client-requires`, `same-major`, `skew`: the client packages concerned.
    #[serde(default)]
    pub clients: Vec<S<RawClient>>,
    /// `skew`: how many minor versions a client may be away from the server.
    pub max_skew: Option<S<i64>>,
    /// `skew`: how many minor versions a client may be newer than the server, when that
    /// differs from `max_skew` (`0`: never newer).
    pub max_newer: Option<S<i64>>,
    /// `removed-api`: API versions and the server version that removed them.
    #[serde(default)]
    pub apis: Vec<S<RawApi>>,
    /// `runtime-range`: packages whose versions need a runtime range.
    #[serde(default)]
    pub packages: Vec<S<RawPackage>>,
    /// `runtime-range`: ecosystems whose declared runtime ranges (`engines.node`,
    /// `requires-python`, `rust-version`) are checked against the runtimes run.
    pub declared_in: Option<S<Vec<S<String>>>>,
    /// `eol`: release lines and their end-of-life dates.
    #[serde(default)]
    pub releases: Vec<S<RawRelease>>,
    /// `removed-setting`: server options and the server version that removed them.
    #[serde(default)]
    pub settings: Vec<S<RawRemovedSetting>>,
    /// `removed-value`: server options, values of them and the server version that
    /// stopped supporting those values.
    #[serde(default)]
    pub removed_values: Vec<S<RawRemovedValue>>,
    /// Server settings that silence the rule (the finding becomes `info`).
    #[serde(default)]
    pub mitigations: Vec<S<RawMitigation>>,
    /// The rule applies only when one of these settings is found in the repository.
    #[serde(default)]
    pub conditions: Vec<S<RawSettingMatch>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClient {
    pub ecosystem: S<String>,
    pub name: S<String>,
    /// `client-requires`: client versions that work with the affected servers; `none`
    /// when no release does.
    pub requires: Option<S<String>>,
    /// `skew`: the server major this client's 0.x versions count in (client-go v0.X
    /// talks to Kubernetes 1.X: `major = 1`).
    pub major: Option<S<i64>>,
    /// What to do instead, when more specific than "upgrade to the minimum".
    pub fix: Option<S<String>>,
    /// The URL backing `requires`.
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawApi {
    /// `extensions/v1beta1`.
    pub api_version: S<String>,
    /// `Ingress`.
    pub kind: S<String>,
    /// The first server version that no longer serves it.
    pub removed: S<String>,
    /// `networking.k8s.io/v1`; absent when nothing replaces it.
    pub replacement: Option<S<String>>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPackage {
    pub ecosystem: S<String>,
    pub name: S<String>,
    /// The package versions concerned (comparator syntax, in the package's scheme).
    pub versions: S<String>,
    /// The runtime versions they work on (comparator syntax, dotted).
    pub runtime: S<String>,
    pub fix: Option<S<String>>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    /// A release line as a version prefix: `14` is every 14.x, `3.7` every 3.7.x.
    pub line: S<String>,
    /// `YYYY-MM-DD`, as the vendor states it.
    pub eol: S<String>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMitigation {
    /// Top-level `[[mitigation]]` only: the id of the rule it mitigates.
    pub rule: Option<S<String>>,
    /// Every one of these must be set on the server.
    pub settings: S<Vec<S<RawSettingMatch>>>,
    /// The first server version where the mitigation no longer works, if any.
    pub until: Option<S<String>>,
    /// What the setting does, in a few words.
    pub note: S<String>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRemovedSetting {
    /// The setting, as a mitigation names one (`{ arg = "--default-authentication-plugin" }`).
    pub setting: S<RawSettingMatch>,
    /// The first server version that no longer knows it.
    pub removed: S<String>,
    pub fix: Option<S<String>>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRemovedValue {
    /// The setting, by name only (`{ arg = "--tls-version" }`): its value is read as a
    /// comma-separated list.
    pub setting: S<RawSettingMatch>,
    /// The values the server no longer supports (`["TLSv1", "TLSv1.1"]`).
    pub values: S<Vec<S<String>>>,
    /// The first server version that no longer supports them.
    pub removed: S<String>,
    pub fix: Option<S<String>>,
    pub source: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettingMatch {
    /// An environment variable name.
    pub env: Option<S<String>>,
    /// A command-line option name (`--default-authentication-plugin`).
    pub arg: Option<S<String>>,
    /// URL schemes (`redis`, `rediss`): any setting value that is such a URL with a
    /// user name.
    pub url_user: Option<S<Vec<S<String>>>>,
    /// The value required (case-insensitive); absent means any value.
    pub value: Option<S<String>>,
    /// Values (or URL user names) that do not count, e.g. `default`.
    #[serde(default)]
    pub ignore: Vec<S<String>>,
    /// `url_user` only: the URL's query must set this parameter (`allowUsernameInURI`).
    pub query: Option<S<String>>,
    /// `url_user` only: the URL's query must not set this parameter.
    pub no_query: Option<S<String>>,
    /// `arg` only: the server also reads the value from the next argument
    /// (`--tls-version TLSv1`).
    pub next_word: Option<S<bool>>,
    /// A connection URL's query parameter (`tlsVersions`), in URLs of `schemes`.
    pub url_param: Option<S<String>>,
    /// `url_param` only: the URL schemes (`jdbc:mysql`).
    pub schemes: Option<S<Vec<S<String>>>>,
    /// `url_param` only: `param=value` pairs of the query that make the parameter
    /// moot (`sslMode=DISABLED`).
    #[serde(default)]
    pub unless: Vec<S<String>>,
}
