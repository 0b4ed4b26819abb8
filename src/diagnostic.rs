//! Findings: plain data that every reporter consumes.
//!
//! A [`Finding`] knows nothing of miette, JSON or SARIF; the reporters in `report/`
//! convert it at the edge. Problems skew has with the user's files (a manifest that does
//! not parse) travel through the same channel, with the built-in codes listed in
//! [`Code`]; rule findings carry the rule's own id.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::component::{ComponentId, Ecosystem};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short message, e.g. "MySQL 8.0.36 declared here".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
    /// The label says why a client and a server were paired (the deployment topology:
    /// "`services/api` is the build context of service `api` in `compose.yaml`, which
    /// depends on `db`"). JSON lists these apart, as `pairing`.
    pub pairing: bool,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
            pairing: false,
        }
    }

    /// A label saying why a client and a server were paired.
    pub fn pairing(span: Span, message: impl Into<String>) -> Self {
        Label {
            pairing: true,
            ..Label::new(span, message)
        }
    }
}

/// What a finding is about, independent of where it sits in the file: used for
/// baseline fingerprints that must survive edits that move lines.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Subject {
    pub ecosystem: Option<Ecosystem>,
    pub name: String,
    pub version: Option<String>,
    /// The other end (e.g. `mysql 8.0.36`), if any.
    pub counterpart: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A rule id (`mysql-caching-sha2-password`) or a built-in code (`parse-error`).
    pub rule_id: String,
    pub severity: Severity,
    /// One sentence: what is wrong, with the concrete names and versions.
    pub message: String,
    /// Where the user edits: the client's version in its manifest.
    pub primary: Label,
    /// The other end(s): the server's declaration, the rule line, …
    pub related: Vec<Label>,
    /// What to change, concretely ("upgrade `PyMySQL` to >= 0.9.0").
    pub fix: Option<String>,
    /// URLs backing the finding.
    pub sources: Vec<String>,
    pub subject: Subject,
    /// The components the finding relates, client first: the client and the server(s)
    /// of a rule, the runtime of a runtime range, the server a setting or a floating tag
    /// belongs to. Empty for file problems and ignore bookkeeping.
    pub components: Vec<ComponentId>,
}

impl Finding {
    /// Sort key: (file, start, rule id). Reporters map files to paths; `check` sorts
    /// by path through [`crate::source::Sources`] before output.
    pub fn span(&self) -> Span {
        self.primary.span
    }
}

/// The codes skew itself reports (rule ids come from rule files). This enum is the only
/// list: `skew rules`, `skew explain`, rule-file validation (a rule may not take a code's
/// id) and the reporters read it. Stable kebab-case; a test asserts the codes are unique
/// and snapshots the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    ParseError,
    ReadError,
    SkippedFile,
    UnresolvedProperty,
    WrongType,
    InvalidVersion,
    AmbiguousVersion,
    UnpinnedServer,
    UntestedUpgrade,
    UnknownVersion,
    UnreadOptionFile,
    ExpiredIgnore,
    UnusedIgnore,
}

impl Code {
    /// Every code, in the order `skew rules` lists them.
    pub const ALL: &'static [Code] = &[
        Code::ParseError,
        Code::ReadError,
        Code::SkippedFile,
        Code::UnresolvedProperty,
        Code::WrongType,
        Code::InvalidVersion,
        Code::AmbiguousVersion,
        Code::UnpinnedServer,
        Code::UntestedUpgrade,
        Code::UnknownVersion,
        Code::UnreadOptionFile,
        Code::ExpiredIgnore,
        Code::UnusedIgnore,
    ];

    /// The id findings carry (`parse-error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::ReadError => "read-error",
            Code::SkippedFile => "skipped-file",
            Code::UnresolvedProperty => "unresolved-property",
            Code::WrongType => "wrong-type",
            Code::InvalidVersion => "invalid-version",
            Code::AmbiguousVersion => "ambiguous-version",
            Code::UnpinnedServer => "unpinned-server",
            Code::UntestedUpgrade => "untested-upgrade",
            Code::UnknownVersion => "unknown-version",
            Code::UnreadOptionFile => "unread-option-file",
            Code::ExpiredIgnore => "expired-ignore",
            Code::UnusedIgnore => "unused-ignore",
        }
    }

    /// The severity its findings have.
    pub fn severity(self) -> Severity {
        match self {
            Code::ParseError
            | Code::ReadError
            | Code::SkippedFile
            | Code::UnresolvedProperty
            | Code::UntestedUpgrade => Severity::Error,
            // a field of another type is what skew could not read, not a break: the
            // package manager may still accept the legacy form
            Code::WrongType
            | Code::InvalidVersion
            | Code::AmbiguousVersion
            | Code::UnpinnedServer
            | Code::ExpiredIgnore => Severity::Warning,
            Code::UnknownVersion | Code::UnreadOptionFile | Code::UnusedIgnore => Severity::Info,
        }
    }

    /// One line: what is flagged.
    pub fn summary(self) -> &'static str {
        match self {
            Code::ParseError => {
                "a manifest or lockfile could not be parsed; its components are unknown"
            }
            Code::ReadError => {
                "a file that looks like a manifest, or one a compose `extends.file` names, could not be read (missing, permissions, not UTF-8)"
            }
            Code::SkippedFile => {
                "a file with a manifest's name was not read: not a regular file, a symlink leaving the repository, or over the size limit"
            }
            Code::UnresolvedProperty => {
                "a Maven version names a `${property}` that neither the POM nor its parents in the repository define, or properties that refer to each other in a cycle"
            }
            Code::WrongType => {
                "a field skew reads has the wrong JSON type (an array where an object of names to versions belongs, a number as a version): what it declares is unknown"
            }
            Code::InvalidVersion => {
                "a version or range in a manifest is not valid for its ecosystem"
            }
            Code::AmbiguousVersion => {
                "an unquoted version that YAML reads as a number (`3.10` becomes 3.1): quote it"
            }
            Code::UnpinnedServer => {
                "a server image tag names no version (none, `latest`, `alpine`) and no digest: any deploy may run another version"
            }
            Code::UntestedUpgrade => {
                "an environment later in the promotion order runs a version no earlier environment runs"
            }
            Code::UnknownVersion => {
                "a compose image names a variable nothing in the repository sets, a Terraform version is a `local.x`/`var.x` no file of its module sets to a literal, or a Helm chart dependency that is not vendored deploys a server whose tag the values do not pin: its version is unknown and no rule checks it"
            }
            Code::UnreadOptionFile => {
                "a compose service mounts a MySQL option file (`my.cnf`, `/etc/mysql/conf.d`) that skew cannot read from the repository (not there, outside it, or a path with a variable): its options are unknown and no rule checks them"
            }
            Code::ExpiredIgnore => {
                "an `[[ignore]]` in `skew.toml` or an inline `skew: ignore[…] until=…` is past its `until` date: the findings it hid are reported again"
            }
            Code::UnusedIgnore => {
                "an inline `skew: ignore[…]` or an `[[ignore]]` in `skew.toml` hides no finding"
            }
        }
    }

    /// Why it matters and what to do, for `skew explain`.
    pub fn explanation(self) -> &'static str {
        match self {
            Code::ParseError => {
                "skew cannot see the components a file declares when the file does not parse, \
                 so no rule can be checked against them. Fix the syntax the message points at; \
                 a file that is not meant for its format's tools can be left out with `.ignore`."
            }
            Code::ReadError => {
                "The file has a manifest's name but could not be read as UTF-8 text, so its \
                 components are unknown. Make it readable, or leave it out with `.ignore`. \
                 A compose file whose `extends.file` is missing is reported at the `file:` \
                 value: what the service runs is unknown until the path is fixed."
            }
            Code::SkippedFile => {
                "skew reads only regular files inside the repository, of bounded size: a FIFO \
                 or device would block or never end, a symlink leaving the repository could \
                 expose files the repository does not own. The file's components are unknown. \
                 Replace it with a regular file, raise `max-file-size` in `skew.toml` for a \
                 big lockfile, or leave it out with `.ignore`."
            }
            Code::UnresolvedProperty => {
                "Every POM of the chain is in the repository and none defines the property (or \
                 the properties refer to each other in a cycle), so Maven itself refuses the \
                 version and skew cannot compare it with anything. Define the property in \
                 `<properties>` of the POM or of a parent."
            }
            Code::WrongType => {
                "The file is valid JSON, but a field skew reads holds another type than its \
                 format defines (`\"dependencies\": [\"mysql2\"]`, `\"mysql2\": 5`), so the \
                 packages or versions it was meant to declare are unknown and no rule is checked \
                 against them. Write the field the way the format defines it: an object of \
                 package names to version strings."
            }
            Code::InvalidVersion => {
                "A version or range that its ecosystem's tools reject cannot be compared with \
                 anything, so the rules that concern it say nothing. Write it the way the \
                 ecosystem reads versions."
            }
            Code::AmbiguousVersion => {
                "YAML reads an unquoted `3.10` as the number 3.1, so tools that load the file \
                 (GitHub Actions among them) run another version than the one written. Quote \
                 the value."
            }
            Code::UnpinnedServer => {
                "A tag that names no version (none, `latest`, a tag without a number such as \
                 `alpine`) lets any deploy run any server version, not the one tested. Rules are \
                 still checked against every version. A numbered tag is not flagged by itself, \
                 a major-pinned one (`postgres:16-alpine`) included: the rules check the line \
                 it admits, as its newest release. Pin a version tag (at least the major) or a \
                 digest."
            }
            Code::UntestedUpgrade => {
                "An environment later in the promotion order (`environments.order` in \
                 `skew.toml`) runs a \
                 version above every version the earlier environments run, so it reaches that \
                 environment without having been tried anywhere. Roll the version out to an \
                 earlier environment first."
            }
            Code::UnknownVersion => {
                "A compose image whose reference or tag comes from a variable (`postgres:${PG_TAG}`) \
                 runs whatever the deploy sets. skew reads the `.env` beside the compose file, as \
                 docker compose does; when neither it nor a default (`${PG_TAG:-16.4}`) sets the \
                 variable, the version is unknown and no rule is checked against it. Set the \
                 variable in `.env` or give it a default. A Terraform version written as \
                 `local.x` or `var.x` is read from the `locals` and variable `default`s of \
                 the module's `.tf` files; one set elsewhere (a `.tfvars` file, the module's \
                 caller) is unknown. A `Chart.yaml` dependency \
                 (`postgresql` from a chart repository) deploys a server too, but its `version` \
                 is the chart's, not the server's: the version is known when the chart is \
                 vendored (`helm dependency build` writes `charts/postgresql-X.Y.Z.tgz`, whose \
                 `appVersion` skew reads) or when `values.yaml` pins the subchart's image tag \
                 (`postgresql.image.tag`)."
            }
            Code::UnreadOptionFile => {
                "skew reads the options of the groups the server reads (`[mysqld]`, `[server]`, \
                 `[mysqld-8.4]` on 8.4) in the option files a compose service mounts from the \
                 repository (`./my.cnf:/etc/mysql/conf.d/my.cnf`, a \
                 folder mounted as `/etc/mysql/conf.d`) as if they were given on mysqld's \
                 command line, so a removed option or a mitigation in them is seen. A mount \
                 whose host file is not in the repository (written at deploy time), lies \
                 outside it (`/etc/mysql/my.cnf` of the host, `../conf`), or whose path names a \
                 variable is not read, and this note says so: the server's options are then \
                 only those skew saw elsewhere. Keep the file in the repository, or leave the \
                 note with an `[[ignore]]` that says where the file comes from."
            }
            Code::ExpiredIgnore => {
                "An `[[ignore]]` with `until = YYYY-MM-DD`, or an inline \
                 `skew: ignore[RULE] until=YYYY-MM-DD`, holds through that day; after it \
                 the ignore is void, so the findings it hid come back and this warning points \
                 at the date (an inline `until` that is no date voids the comment at once). \
                 Fix what it hid and remove the ignore, or, when the reason still holds, move \
                 `until` and say why in the reason."
            }
            Code::UnusedIgnore => {
                "A suppression that matches nothing hides nothing today but would silently hide \
                 a future finding, and often means a typo in the rule id, path or package. An \
                 inline `skew: ignore[RULE]` covers its own line when it follows code and the \
                 next line when it stands alone. Remove the suppression, or correct it."
            }
        }
    }

    /// The code named `id`, if `id` is one.
    pub fn from_name(id: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == id)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run a third-party parser that may panic on hostile input (a bug in that crate, not
/// in the user's file) and turn a panic into `None`, so the caller reports a
/// `parse-error` and the scan goes on. While it runs, [`in_guarded_parser`] is true and
/// the binary's panic hook stays silent.
pub fn guard_parser<T>(f: impl FnOnce() -> T) -> Option<T> {
    GUARDED.with(|g| g.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    result.ok()
}

/// Is this thread inside [`guard_parser`]? (For panic hooks.)
pub fn in_guarded_parser() -> bool {
    GUARDED.with(|g| g.get())
}

/// Build a `parse-error` finding at a span.
pub fn parse_error(span: Span, format: &str, message: impl fmt::Display) -> Finding {
    Finding {
        rule_id: Code::ParseError.to_string(),
        severity: Severity::Error,
        message: format!("cannot parse {format}: {message}"),
        primary: Label::new(span, "here"),
        related: Vec::new(),
        fix: None,
        sources: Vec::new(),
        subject: Subject::default(),
        components: Vec::new(),
    }
}

/// Build a `wrong-type` finding at the span of the offending value.
pub fn wrong_type(span: Span, message: impl Into<String>) -> Finding {
    Finding {
        rule_id: Code::WrongType.to_string(),
        severity: Code::WrongType.severity(),
        message: message.into(),
        primary: Label::new(span, "this value"),
        related: Vec::new(),
        fix: None,
        sources: Vec::new(),
        subject: Subject::default(),
        components: Vec::new(),
    }
}

/// A line-independent identity: rule, file and subject (what and against what), or the
/// message for findings without a subject (parse errors). FNV-1a 64, stable across
/// platforms and Rust versions, unlike `DefaultHasher`.
pub fn fingerprint(f: &Finding, path: &str) -> String {
    let s = &f.subject;
    let mut parts: Vec<&str> = vec![&f.rule_id, path];
    if s.name.is_empty() {
        parts.push(&f.message);
    } else {
        parts.push(s.ecosystem.map(|e| e.as_str()).unwrap_or(""));
        parts.push(&s.name);
        parts.push(s.version.as_deref().unwrap_or(""));
        parts.push(s.counterpart.as_deref().unwrap_or(""));
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0u8]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The known id closest to a mistyped one (`mysql-caching-sha2` → `mysql-caching-sha2-password`),
/// when one is close enough to be what was meant: few edits for its length, or the typed
/// text is a prefix of exactly one id.
pub fn nearest_id<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    let known: Vec<&str> = known.collect();
    let mut prefixed = known.iter().filter(|k| k.starts_with(typed));
    if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
        return Some(only.to_string());
    }
    known
        .iter()
        .map(|k| (strsim::levenshtein(typed, k), *k))
        .filter(|(d, _)| *d <= (typed.len() / 3).max(2))
        .min()
        .map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_unique_and_kebab() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let id = code.as_str();
            assert!(seen.insert(id), "duplicate code {id}");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{id} is not kebab-case"
            );
            assert!(!code.summary().is_empty() && !code.explanation().is_empty());
            assert_eq!(Code::from_name(id), Some(*code));
        }
    }

    /// The table `skew rules` shows for the built-in codes.
    #[test]
    fn codes_snapshot() {
        let table: String = Code::ALL
            .iter()
            .map(|c| format!("{} [{}] {}\n", c, c.severity(), c.summary()))
            .collect();
        insta::assert_snapshot!(table);
    }
}
