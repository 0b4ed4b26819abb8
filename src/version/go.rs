//! Go module versions (`v1.2.3`, pseudo-versions, `+incompatible`) and Go toolchain
//! versions (`1.21`, `1.21rc1`, `1.21.0`, `go1.21.3`) in one order.
//!
//! Module versions are SemVer with a `v`; pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`) are SemVer pre-releases whose timestamps sort
//! correctly, and `+incompatible` is build metadata, ignored for ordering
//! (`semver::Version::cmp_precedence`). Toolchain versions follow `go/version`:
//! `1.21 < 1.21rc1 < 1.21.0`, mapped to SemVer as `1.21.0-0`, `1.21.0-rc.1`, `1.21.0`.
//! A version declared in go.mod is exact (minimal version selection resolves to the highest
//! required, which the checks see through `go.sum`/lockfiles, not here).
//!
//! Must not: resolve module queries (`latest`, branch names) — those are unknown.

use std::cmp::Ordering;

use semver::{Prerelease, Version as SemVer};

use super::{VersionError, VersionSet};

/// A Go version ordered by SemVer precedence; displays as written.
#[derive(Debug, Clone)]
pub struct GoVersion {
    semver: SemVer,
    text: String,
}

impl GoVersion {
    /// Parse `v1.2.3`, `v1.2.4-0.2019…-abc`, `v2.0.0+incompatible`, `1.21`, `1.21rc1`,
    /// `go1.21.3`, and (in rule files) a bare `1.2.3`.
    pub fn parse(text: &str) -> Result<GoVersion, VersionError> {
        let t = text.trim();
        let body = t
            .strip_prefix("go")
            .or_else(|| t.strip_prefix('v'))
            .unwrap_or(t);
        let invalid = || VersionError::Invalid(format!("`{t}` is not a Go version"));
        let semver = match SemVer::parse(body) {
            Ok(v) => v,
            Err(_) => toolchain(body).ok_or_else(invalid)?,
        };
        Ok(GoVersion {
            semver,
            text: t.to_string(),
        })
    }
}

/// `1.21` -> 1.21.0-0, `1.21rc1` -> 1.21.0-rc.1, `1.21.3` -> 1.21.3, `1` -> 1.0.0-0.
fn toolchain(body: &str) -> Option<SemVer> {
    let split = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (nums, pre) = body.split_at(split);
    let parts: Vec<u64> = nums
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut v = SemVer::new(
        parts[0],
        parts.get(1).copied().unwrap_or(0),
        parts.get(2).copied().unwrap_or(0),
    );
    if !pre.is_empty() {
        let kind = ["alpha", "beta", "rc"]
            .into_iter()
            .find(|k| pre.starts_with(k))?;
        let n = &pre[kind.len()..];
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || parts.len() > 2 {
            return None;
        }
        v.pre = Prerelease::new(&format!("{kind}.{n}")).ok()?;
    } else if parts.len() < 3 {
        // a language version precedes its own release candidates
        v.pre = Prerelease::new("0").expect("`0` is a valid pre-release");
    }
    Some(v)
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.semver.cmp_precedence(&other.semver)
    }
}

order_by_cmp_show_text!(GoVersion);

/// A declared Go version is exact; module queries are unknown.
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    match GoVersion::parse(t) {
        Ok(v) => Ok(VersionSet::exact(super::Version::Go(v))),
        Err(_) if !looks_numeric(t) => Err(VersionError::Unknown(format!(
            "`{t}` is a module query, not a version"
        ))),
        Err(e) => Err(e),
    }
}

/// `v1…`, `go1…`, `1…`: meant as a version, so a parse failure is an error.
fn looks_numeric(t: &str) -> bool {
    let body = t
        .strip_prefix("go")
        .or_else(|| t.strip_prefix('v'))
        .unwrap_or(t);
    body.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, Version, parse_requirement, verdict};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::Go(GoVersion::parse(s).unwrap())
    }

    #[test]
    fn ordering() {
        let ordered = [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            "v0.1.0",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4",
            "v2.0.0+incompatible",
            "v2.1.0",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("v2.0.0+incompatible"), v("v2.0.0"));
        assert_eq!(v("v2.0.0+incompatible").to_string(), "v2.0.0+incompatible");
        // go/version's order of toolchains
        let toolchains = [
            "1.20", "1.20.5", "1.21", "1.21rc1", "1.21rc2", "1.21.0", "go1.21.3", "1.22",
        ];
        for pair in toolchains.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("go1.21.3"), v("1.21.3"));
    }

    #[test]
    fn declared_versions_are_exact() {
        let s = parse_declared("v1.8.1").unwrap();
        assert_eq!(s.to_string(), "v1.8.1");
        assert!(s.contains(&v("v1.8.1")));
        assert!(!s.contains(&v("v1.8.2")));
        assert_eq!(parse_declared("1.21").unwrap().to_string(), "1.21");
        for unknown in ["latest", "master", ""] {
            assert!(
                matches!(parse_declared(unknown), Err(VersionError::Unknown(_))),
                "{unknown}"
            );
        }
        for bad in ["v1.2.3.4.5", "1.21gamma1", "v1.x"] {
            assert!(
                matches!(parse_declared(bad), Err(VersionError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::Go, t).unwrap();
        let declared = |t: &str| parse_declared(t).unwrap();
        assert_eq!(
            verdict(&declared("v1.7.0"), &req(">=v1.8.0")),
            Verdict::Never
        );
        assert_eq!(
            verdict(&declared("go1.22.1"), &req(">=1.21")),
            Verdict::Always
        );
        assert_eq!(
            verdict(&declared("1.21rc1"), &req(">=1.21")),
            Verdict::Always
        );
        assert_eq!(verdict(&declared("1.20"), &req(">=1.21")), Verdict::Never);
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(
            a in (0u64..3, 0u64..3, prop::option::of(0u64..3)),
            b in (0u64..3, 0u64..3, prop::option::of(0u64..3)),
        ) {
            let mk = |(x, y, rc): (u64, u64, Option<u64>)| match rc {
                Some(0) => v(&format!("{x}.{y}")),
                Some(n) => v(&format!("go{x}.{y}rc{n}")),
                None => v(&format!("v{x}.{y}.1")),
            };
            let (a, b) = (mk(a), mk(b));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            let at_least = parse_requirement(Scheme::Go, &format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
