//! Per-ecosystem version and range semantics behind one small interface.
//!
//! Each ecosystem's syntax lives in its own file and lowers to the shared
//! [`VersionSet`] (`set.rs`), so the checks never care where a range came from:
//! - [`parse_version`]: one exact version in a scheme (`2.18.1`, `0.9.0rc1`, `v1.4.0`).
//! - [`parse_declared`]: what a manifest declares (`^2.18.1`, `==0.8.1`, `[1.0,2.0)`, a
//!   Docker tag `8.0` meaning any 8.0.x) as the set of versions it admits.
//! - [`parse_requirement`]: the ecosystem-neutral comparator syntax used in rule files
//!   (`>=8.0.4, <9 || =7.4.1`), with versions ordered by the scheme.
//!
//! Every scheme documents, in its own file, how it treats pre-releases. The common rule:
//! a [`VersionSet`] is a union of intervals over the scheme's total order, so it cannot
//! express "pre-releases only when asked for". Bounds the syntax implies are placed so that
//! no pre-release leaks in at an edge (`^1.2` stops below every `2.0.0` pre-release; a
//! wildcard starts at its release), while pre-releases strictly between two bounds stay in
//! the set: a superset of what resolvers pick, which never turns an `Always` into a `Never`.
//!
//! Must not: look at components, rules or files.

/// Equality and partial order from a version type's own `Ord` (versions that sort alike
/// are equal: `1.0` and `1.0.0`, `1.0.0-RC.1` and `1.0.0-rc.1`), and `Display` as the
/// version was written (its `text` field). Each scheme whose order is its own writes
/// `Ord` and takes the rest from here, so equality can never disagree with the order.
macro_rules! order_by_cmp_show_text {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }

        impl Eq for $t {}

        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text)
            }
        }
    };
}

mod cargo;
mod composer;
mod dotted;
mod go;
mod helm;
mod maven;
mod npm;
mod nuget;
mod pep440;
mod ranges;
mod rubygems;
mod set;
mod terraform;

pub use composer::ComposerVersion;
pub use dotted::Dotted;
pub use go::GoVersion;
pub use maven::MavenVersion;
pub use nuget::NuGetVersion;
pub use rubygems::GemVersion;
pub use set::{Bound, Interval, Verdict, VersionSet, newest_verdict, verdict};

use std::fmt;

use crate::component::Ecosystem;

/// How versions of one ecosystem are written and ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Plain dotted numbers with an optional suffix (`8.0.36`, `1.27`, `3.12.1`): servers,
    /// runtimes, managed-service engines, Kubernetes, GitHub Actions refs.
    Dotted,
    /// Docker image tags: a dotted numeric prefix plus an optional variant (`15-alpine`).
    /// A partial tag admits every version under it: `8` is any 8.x.
    Docker,
    /// npm SemVer: `^1.2.3`, `~1.2`, `1.x`, hyphen ranges, `||` (`npm.rs`).
    Npm,
    /// Python's PEP 440: `~=1.4`, `==1.2.*`, `!=1.3`, epochs, pre/post/dev (`pep440.rs`).
    Pep440,
    /// Cargo's `VersionReq`: bare `1.2` = `^1.2`, `~`, `*`, `=`, comparators (`cargo.rs`).
    Cargo,
    /// Go modules (`v1.2.3`, pseudo-versions) and toolchains (`1.21rc1`); exact (`go.rs`).
    Go,
    /// Maven's `ComparableVersion` order and `[1.0,2.0)` ranges; bare = exact (`maven.rs`).
    Maven,
    /// `Gem::Version` order and `~>`/`>=`/`!=` requirement lists (`rubygems.rs`).
    RubyGems,
    /// Composer: `^`, `~`, `1.2.*`, hyphen ranges, `||`, stability suffixes (`composer.rs`).
    Composer,
    /// NuGet: 4-part versions, bare `1.0` = `>=1.0`, `[1.0,2.0)`, floating `1.*` (`nuget.rs`).
    NuGet,
    /// Terraform/provider constraints: `~> 1.5`, `>= 1.2, < 2.0`, `!=` (`terraform.rs`).
    Terraform,
    /// Helm chart constraints (Masterminds): npm's grammar plus `,` and `!=` (`helm.rs`).
    Helm,
}

impl Scheme {
    pub const ALL: &'static [Scheme] = &[
        Scheme::Dotted,
        Scheme::Docker,
        Scheme::Npm,
        Scheme::Pep440,
        Scheme::Cargo,
        Scheme::Go,
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::Composer,
        Scheme::NuGet,
        Scheme::Terraform,
        Scheme::Helm,
    ];

    /// The scheme an ecosystem's versions are written in. Exhaustive on purpose: a new
    /// ecosystem must choose its scheme here.
    pub fn of(ecosystem: Ecosystem) -> Scheme {
        match ecosystem {
            Ecosystem::Docker => Scheme::Docker,
            Ecosystem::Npm => Scheme::Npm,
            Ecosystem::PyPI => Scheme::Pep440,
            Ecosystem::Cargo => Scheme::Cargo,
            Ecosystem::Go => Scheme::Go,
            Ecosystem::Maven => Scheme::Maven,
            // Elixir's `~>` is RubyGems' pessimistic operator (`~> 2.1` is `>= 2.1.0 and
            // < 3.0.0`); `and`/`or` requirement lists are not read
            Ecosystem::RubyGems | Ecosystem::Hex => Scheme::RubyGems,
            Ecosystem::Composer => Scheme::Composer,
            Ecosystem::NuGet => Scheme::NuGet,
            Ecosystem::Terraform => Scheme::Terraform,
            Ecosystem::Helm => Scheme::Helm,
            Ecosystem::Runtime
            | Ecosystem::Managed
            | Ecosystem::Kubernetes
            | Ecosystem::GithubActions
            // no rule reads OS package versions yet: their own orders (dpkg, apk) are
            // not implemented, dotted comparison is the closest
            | Ecosystem::Deb
            | Ecosystem::Apk
            // branches, tags and commits: no order
            | Ecosystem::Jsonnet => Scheme::Dotted,
        }
    }
}

/// One exact version. Versions of different schemes never meet: comparisons happen
/// within one ecosystem (a rule's ranges are parsed in the scheme of what they check).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    Dotted(Dotted),
    Npm(nodejs_semver::Version),
    Pep440(pep440_rs::Version),
    Cargo(semver::Version),
    Go(GoVersion),
    Maven(MavenVersion),
    RubyGems(GemVersion),
    Composer(ComposerVersion),
    NuGet(NuGetVersion),
    Terraform(nodejs_semver::Version),
    Helm(nodejs_semver::Version),
}

impl Version {
    /// The numeric release parts (`8.0.36` -> `[8, 0, 36]`, `v1.4.0` -> `[1, 4, 0]`),
    /// without pre-release or build suffixes: what major/minor comparisons look at.
    pub fn release(&self) -> Vec<u64> {
        match self {
            Version::Dotted(d) => d.parts().to_vec(),
            Version::Npm(n) | Version::Terraform(n) | Version::Helm(n) => {
                vec![n.major(), n.minor(), n.patch()]
            }
            Version::Pep440(p) => p.release().to_vec(),
            Version::Cargo(c) => vec![c.major, c.minor, c.patch],
            // the remaining schemes print their release first: read it from there
            other => other
                .to_string()
                .trim_start_matches(['v', 'V'])
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .next()
                .unwrap_or("")
                .split('.')
                .map_while(|p| p.parse().ok())
                .collect(),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Dotted(v) => v.fmt(f),
            Version::Npm(v) => v.fmt(f),
            Version::Pep440(v) => v.fmt(f),
            Version::Cargo(v) => v.fmt(f),
            Version::Go(v) => v.fmt(f),
            Version::Maven(v) => v.fmt(f),
            Version::RubyGems(v) => v.fmt(f),
            Version::Composer(v) => v.fmt(f),
            Version::NuGet(v) => v.fmt(f),
            Version::Terraform(v) | Version::Helm(v) => v.fmt(f),
        }
    }
}

/// Release numbers written the dotted way (`[8, 0, 36]` -> `8.0.36`), as every scheme
/// writes the versions it makes up (bounds, bumps, re-read runtimes).
pub fn join_release(parts: &[u64]) -> String {
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Why a version text could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionError {
    /// Not valid in the scheme; the message says why.
    Invalid(String),
    /// Valid, but says nothing about the version: `latest`, no tag, a git URL,
    /// `workspace:*`, a file path. Not a user error; the version is simply unknown.
    Unknown(String),
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionError::Invalid(m) => write!(f, "invalid version: {m}"),
            VersionError::Unknown(m) => write!(f, "version not known: {m}"),
        }
    }
}

impl std::error::Error for VersionError {}

/// Version numbers beyond 18 digits are not versions anyone publishes, and the schemes
/// compute neighbours (`1.2.3` -> `1.2.4`, `^1` -> `<2`) in `u64`: refusing them at the
/// door keeps every bump overflow-free, so hostile input is an error, never a panic.
/// (Go pseudo-version timestamps have 14 digits.)
fn reject_huge_numbers(text: &str) -> Result<(), VersionError> {
    let mut run = 0;
    for c in text.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run > 18 {
            return Err(VersionError::Invalid(format!(
                "`{text}` has a number too large for a version"
            )));
        }
    }
    Ok(())
}

/// Parse one exact version.
pub fn parse_version(scheme: Scheme, text: &str) -> Result<Version, VersionError> {
    let text = text.trim();
    reject_huge_numbers(text)?;
    match scheme {
        Scheme::Dotted | Scheme::Docker => Dotted::parse(text).map(Version::Dotted),
        Scheme::Npm => npm::parse_version(text).map(Version::Npm),
        Scheme::Pep440 => pep440::parse_version(text).map(Version::Pep440),
        Scheme::Cargo => cargo::parse_version(text).map(Version::Cargo),
        Scheme::Go => GoVersion::parse(text).map(Version::Go),
        Scheme::Maven => MavenVersion::parse(text).map(Version::Maven),
        Scheme::RubyGems => GemVersion::parse(text).map(Version::RubyGems),
        Scheme::Composer => ComposerVersion::parse(text).map(Version::Composer),
        Scheme::NuGet => NuGetVersion::parse(text).map(Version::NuGet),
        Scheme::Terraform => terraform::parse_version(text).map(Version::Terraform),
        Scheme::Helm => helm::parse_version(text).map(Version::Helm),
    }
}

/// Parse what a manifest declares into the set of versions it admits.
pub fn parse_declared(scheme: Scheme, text: &str) -> Result<VersionSet, VersionError> {
    let text = text.trim();
    reject_huge_numbers(text)?;
    match scheme {
        Scheme::Dotted => dotted::parse_declared(text),
        Scheme::Docker => dotted::parse_docker_tag(text),
        Scheme::Npm => npm::parse_declared(text),
        Scheme::Pep440 => pep440::parse_declared(text),
        Scheme::Cargo => cargo::parse_declared(text),
        Scheme::Go => go::parse_declared(text),
        Scheme::Maven => maven::parse_declared(text),
        Scheme::RubyGems => rubygems::parse_declared(text),
        Scheme::Composer => composer::parse_declared(text),
        Scheme::NuGet => nuget::parse_declared(text),
        Scheme::Terraform => terraform::parse_declared(text),
        Scheme::Helm => helm::parse_declared(text),
    }
}

/// Does a declaration name a release line that resolves to the line's newest release
/// when it is built or installed (`.nvmrc` `22`, setup-node `22.x`, `FROM node:22-alpine`,
/// `python:3.13-slim`), rather than one version? Only the dotted schemes of runtimes,
/// images and services write lines so; a package range (`^2`) is resolved by a lockfile.
/// Such a declaration is checked with [`newest_verdict`].
pub fn declares_line(scheme: Scheme, text: &str) -> bool {
    match scheme {
        Scheme::Dotted => dotted::declares_line(text),
        Scheme::Docker => dotted::tag_is_line(text.trim()),
        _ => false,
    }
}

/// Parse a rule file's requirement: comparators (`>=`, `>`, `<=`, `<`, `=`, `!=`, or a
/// bare version meaning `=`) joined by `,` or spaces (AND) and `||` (OR). `*` or `any`
/// admits every version; `none` admits none. Versions are ordered by `scheme`.
pub fn parse_requirement(scheme: Scheme, text: &str) -> Result<VersionSet, VersionError> {
    let text = text.trim();
    reject_huge_numbers(text)?;
    match text {
        "*" | "any" => return Ok(VersionSet::all()),
        "none" => return Ok(VersionSet::empty()),
        "" => return Err(VersionError::Invalid("empty requirement".into())),
        _ => {}
    }
    VersionSet::any_of(text.split("||").map(|alt| {
        let alt = alt.trim();
        if alt.is_empty() {
            return Err(VersionError::Invalid(format!(
                "empty alternative in `{text}`"
            )));
        }
        VersionSet::all_of(
            split_comparators(alt)
                .iter()
                .map(|token| comparator(scheme, token)),
        )
    }))
}

/// Split `>=1.0, <2` / `>= 1.0 < 2` into `[">=1.0", "<2"]`.
fn split_comparators(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| c == ',' || c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        // an operator written apart from its version: `>= 1.0`
        if let Some(last) = out.last_mut()
            && matches!(last.as_str(), ">=" | "<=" | ">" | "<" | "=" | "==" | "!=")
        {
            last.push_str(word);
            continue;
        }
        out.push(word.to_string());
    }
    out
}

fn comparator(scheme: Scheme, token: &str) -> Result<VersionSet, VersionError> {
    let (op, rest) = ranges::split_operator(token, &["!=", ">=", "<=", "==", ">", "<", "="], "=");
    Ok(ranges::compare(op, parse_version(scheme, rest.trim())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_are_errors_not_panics() {
        let max = u64::MAX.to_string();
        for scheme in Scheme::ALL {
            for text in [
                max.clone(),
                format!("{max}.0.0"),
                format!("1.{max}"),
                format!("^{max}"),
                format!("~1.{max}"),
                format!(">={max}"),
                format!("{max}.*"),
                format!("~> {max}"),
                format!("[1.0,{max})"),
            ] {
                assert!(parse_declared(*scheme, &text).is_err(), "{scheme:?} {text}");
                assert!(
                    parse_requirement(*scheme, &text).is_err(),
                    "{scheme:?} {text}"
                );
                assert!(parse_version(*scheme, &text).is_err(), "{scheme:?} {text}");
            }
        }
        // the largest numbers real versions use still parse
        assert!(parse_version(Scheme::Go, "v0.0.0-20191109021931-daa7c04131f5").is_ok());
    }

    fn d(s: &str) -> Version {
        parse_version(Scheme::Dotted, s).unwrap()
    }

    #[test]
    fn requirement_syntax() {
        let r = parse_requirement(Scheme::Dotted, ">=8.0.4, <9 || =7.4.1").unwrap();
        assert!(r.contains(&d("8.0.36")));
        assert!(r.contains(&d("7.4.1")));
        assert!(!r.contains(&d("9.0.0")));
        assert!(!r.contains(&d("8.0.3")));
        assert_eq!(r.to_string(), "7.4.1 || >=8.0.4, <9");
        let spaced = parse_requirement(Scheme::Dotted, ">= 1.0 < 2").unwrap();
        assert!(spaced.contains(&d("1.5")));
        assert!(
            parse_requirement(Scheme::Dotted, "none")
                .unwrap()
                .is_empty()
        );
        assert!(parse_requirement(Scheme::Dotted, ">=x").is_err());
    }

    #[test]
    fn tri_state() {
        let req = parse_requirement(Scheme::Dotted, ">=2.0.0").unwrap();
        let always = parse_requirement(Scheme::Dotted, ">=2.1, <3").unwrap();
        let never = parse_requirement(Scheme::Dotted, ">=1.0, <2.0.0").unwrap();
        let may = parse_requirement(Scheme::Dotted, ">=1.5, <3").unwrap();
        assert_eq!(verdict(&always, &req), Verdict::Always);
        assert_eq!(verdict(&never, &req), Verdict::Never);
        match verdict(&may, &req) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=1.5, <2.0.0"),
            v => panic!("{v:?}"),
        }
        let none = VersionSet::empty();
        assert_eq!(verdict(&may, &none), Verdict::Never);
    }

    #[test]
    fn every_ecosystem_has_its_scheme() {
        let want = [
            (Ecosystem::Docker, Scheme::Docker),
            (Ecosystem::Npm, Scheme::Npm),
            (Ecosystem::PyPI, Scheme::Pep440),
            (Ecosystem::Cargo, Scheme::Cargo),
            (Ecosystem::Go, Scheme::Go),
            (Ecosystem::Maven, Scheme::Maven),
            (Ecosystem::RubyGems, Scheme::RubyGems),
            (Ecosystem::Composer, Scheme::Composer),
            (Ecosystem::NuGet, Scheme::NuGet),
            (Ecosystem::Runtime, Scheme::Dotted),
            (Ecosystem::Managed, Scheme::Dotted),
            (Ecosystem::Kubernetes, Scheme::Dotted),
            (Ecosystem::Terraform, Scheme::Terraform),
            (Ecosystem::Helm, Scheme::Helm),
            (Ecosystem::GithubActions, Scheme::Dotted),
            (Ecosystem::Hex, Scheme::RubyGems),
            (Ecosystem::Deb, Scheme::Dotted),
            (Ecosystem::Apk, Scheme::Dotted),
            (Ecosystem::Jsonnet, Scheme::Dotted),
        ];
        assert_eq!(want.len(), Ecosystem::ALL.len());
        for (eco, scheme) in want {
            assert_eq!(Scheme::of(eco), scheme, "{eco}");
        }
    }

    /// The rule-file syntax works in every scheme, ordered by that scheme.
    #[test]
    fn requirement_syntax_in_every_scheme() {
        for &scheme in Scheme::ALL {
            let r = parse_requirement(scheme, ">=0.9.0, <2 || =1.0").unwrap_or_else(|e| {
                panic!("{scheme:?}: {e}");
            });
            let v = |t: &str| {
                parse_version(scheme, t).unwrap_or_else(|e| panic!("{scheme:?} {t}: {e}"))
            };
            for yes in ["0.9.0", "1.0.0", "1.5.0", "1.99.0"] {
                assert!(r.contains(&v(yes)), "{scheme:?} admits {yes}");
            }
            for no in ["0.8.0", "2.0.0", "2.1.0"] {
                assert!(!r.contains(&v(no)), "{scheme:?} rejects {no}");
            }
        }
        // PEP 440 order: 0.9.0rc1 is below 0.9.0; Maven's: 1.0-SNAPSHOT is below 1.0
        let pep = parse_requirement(Scheme::Pep440, ">=0.9.0").unwrap();
        assert!(!pep.contains(&parse_version(Scheme::Pep440, "0.9.0rc1").unwrap()));
        let maven = parse_requirement(Scheme::Maven, ">=1.0").unwrap();
        assert!(!maven.contains(&parse_version(Scheme::Maven, "1.0-SNAPSHOT").unwrap()));
        assert!(maven.contains(&parse_version(Scheme::Maven, "1.0-sp1").unwrap()));
    }

    /// What a "still admits ..." message shows, per scheme.
    #[test]
    fn failing_parts_read_well() {
        let cases = [
            (Scheme::Npm, "^1.5.0", ">=1.8", ">=1.5.0, <1.8.0"),
            (Scheme::Npm, ">=1.5", "<2", ">=2.0.0"),
            (Scheme::Pep440, ">=0.8", ">=0.9.0", ">=0.8, <0.9.0"),
            (Scheme::Pep440, "~=1.4", "<1.9", ">=1.9, <2"),
            (Scheme::Cargo, "1.5", "<1.9", ">=1.9.0, <2.0.0-0"),
            (Scheme::Maven, "[1.5,)", "<2", ">=2"),
            (Scheme::RubyGems, "~> 1.5", "<1.9", ">=1.9, <2"),
            (Scheme::Composer, "^1.5", "<1.9", ">=1.9, <2"),
            (Scheme::NuGet, "1.5", "<2", ">=2"),
            (Scheme::Terraform, "~> 1.5", "<1.9", ">=1.9.0, <2.0.0"),
            (Scheme::Helm, ">=1.5", "<2", ">=2.0.0"),
            (Scheme::Docker, "8.0", "<8.0.4", ">=8.0.4, <8.1"),
        ];
        for (scheme, declared, required, failing) in cases {
            let d = parse_declared(scheme, declared).unwrap();
            let r = parse_requirement(scheme, required).unwrap();
            match verdict(&d, &r) {
                Verdict::May { failing: f } => {
                    assert_eq!(
                        f.to_string(),
                        failing,
                        "{scheme:?} {declared} vs {required}"
                    )
                }
                v => panic!("{scheme:?} {declared} vs {required}: {v:?}"),
            }
        }
    }

    proptest::proptest! {
        /// Bad input is an error, never a panic, in every scheme.
        #[test]
        fn garbage_never_panics(text in "([-0-9.,|^~<>=!*xX vV@:/+\\[\\]()a-z]|\\PC){0,24}") {
            for &scheme in Scheme::ALL {
                let _ = parse_declared(scheme, &text);
                let _ = parse_requirement(scheme, &text);
                let _ = parse_version(scheme, &text);
            }
        }
    }

    #[test]
    fn unicode_and_edge_input_is_rejected_not_panicking() {
        for text in [
            "npm:é@1",
            "npm:@é/x@1",
            "[é,)",
            "1.é",
            "é",
            "~> é",
            "^",
            "||",
            "[",
            "(,)",
            "1.0.0-*é",
        ] {
            for &scheme in Scheme::ALL {
                let _ = parse_declared(scheme, text);
                let _ = parse_requirement(scheme, text);
            }
        }
        assert!(matches!(
            parse_declared(Scheme::Npm, "npm:é@^1.2.0"),
            Ok(ref s) if s.to_string() == ">=1.2.0, <2.0.0-0"
        ));
    }

    /// A release line stands for its newest release: a lower bound inside the line is
    /// met, an upper bound inside it is a "may" naming what fails, a range beside it never.
    #[test]
    fn release_lines_resolve_to_their_newest_release() {
        let line = |scheme, t| parse_requirement(scheme, t).unwrap();
        let node22 = line(Scheme::Npm, ">=22.0.0, <23.0.0");
        let npm = |t| parse_declared(Scheme::Npm, t).unwrap();
        for met in [
            ">=22.12.0",
            "^22",
            ">=20 <23",
            "^20.19.0 || >=22.12.0",
            "22.x",
        ] {
            assert_eq!(newest_verdict(&node22, &npm(met)), Verdict::Always, "{met}");
            // every 22.x at once would not meet most of them
            assert_ne!(verdict(&node22, &npm(met)), Verdict::Always, "{met}");
        }
        for never in [">=23", "<22", "^20", ">=23.0.0-0"] {
            assert_eq!(
                newest_verdict(&node22, &npm(never)),
                Verdict::Never,
                "{never}"
            );
        }
        let node26 = line(Scheme::Npm, ">=26.0.0, <27.0.0");
        match newest_verdict(&node26, &npm(">=26 <26.3.1")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=26.3.1, <27.0.0"),
            v => panic!("{v:?}"),
        }
        let py313 = line(Scheme::Pep440, ">=3.13, <3.14");
        let pep = |t| parse_declared(Scheme::Pep440, t).unwrap();
        assert_eq!(
            newest_verdict(&py313, &pep(">=3.13,<3.14")),
            Verdict::Always
        );
        assert_eq!(newest_verdict(&py313, &pep(">=3.9")), Verdict::Always);
        assert_eq!(newest_verdict(&py313, &pep("<3.13")), Verdict::Never);
        // the dotted line of a tag or version file, against a rule's requirement
        let tag = parse_declared(Scheme::Docker, "8.0").unwrap();
        let req = |t| parse_requirement(Scheme::Dotted, t).unwrap();
        assert_eq!(newest_verdict(&tag, &req(">=8.0.22")), Verdict::Always);
        let failing = req(">=8.0.4, <8.1");
        assert_eq!(
            newest_verdict(&tag, &req("<8.0.4")),
            Verdict::May { failing }
        );
        // an exact version is no line: checked as it is
        let exact = parse_declared(Scheme::Docker, "8.0.36").unwrap();
        assert_eq!(newest_verdict(&exact, &req("<8.0.4")), Verdict::Never);
    }

    #[test]
    fn which_declarations_are_lines() {
        for (scheme, text) in [
            (Scheme::Dotted, "22"),
            (Scheme::Dotted, "3.13"),
            (Scheme::Dotted, "22.x"),
            (Scheme::Dotted, "v20"),
            (Scheme::Docker, "22-alpine"),
            (Scheme::Docker, "3.13-slim"),
            (Scheme::Docker, "16"),
        ] {
            assert!(declares_line(scheme, text), "{scheme:?} {text}");
        }
        for (scheme, text) in [
            (Scheme::Dotted, "22.11.0"),
            (Scheme::Dotted, "lts/*"),
            (Scheme::Dotted, "5.0-rc1"),
            (Scheme::Docker, "8.0.36-debian"),
            (Scheme::Docker, "latest"),
            (Scheme::Docker, "alpine"),
            (Scheme::Npm, "22"),
            (Scheme::Pep440, "3.13"),
        ] {
            assert!(!declares_line(scheme, text), "{scheme:?} {text}");
        }
    }

    #[test]
    fn set_algebra() {
        let a = parse_requirement(Scheme::Dotted, "<1 || >=2, <3 || >=5").unwrap();
        let c = a.complement();
        assert_eq!(c.to_string(), ">=1, <2 || >=3, <5");
        assert_eq!(c.complement(), a);
        assert!(a.intersect(&c).is_empty());
        assert_eq!(a.union(&c), VersionSet::all());
    }
}
