//! Cargo versions and requirements (`semver` crate), lowered to [`VersionSet`]s.
//!
//! `semver::VersionReq` parses; each comparator is lowered (by `ranges.rs`, which npm
//! shares) with the rules the crate documents: a bare `1.2` is `^1.2`, `^0.2.3` is
//! `>=0.2.3, <0.3.0`, `~1` is `>=1.0.0, <2.0.0`, `>1.2` is `>=1.3.0`, `<=1.2` is `<1.3.0`,
//! `1.*` is `>=1.0.0, <2.0.0`; commas join comparators (AND).
//!
//! **Pre-releases.** Cargo only matches `2.0.0-alpha` when a comparator names a pre-release
//! of the same `2.0.0`. Upper bounds the desugaring invents use the lowest pre-release
//! (`<2.0.0-0`), so pre-releases of the next version never leak in at the edge; between
//! the bounds a set admits pre-releases (a superset, as for npm).
//!
//! Must not: look at `Cargo.toml` tables (`workspace = true`, `path`, `git` are the
//! extractor's business).

use semver::{Op, Version as SemVer, VersionReq};

use super::ranges::{PartialOp, lower_partial};
use super::{Version, VersionError, VersionSet};

/// Parse one Cargo version. Rule files may write partial bounds (`<2`, `>=1.70`), which
/// are padded with zeros.
pub(super) fn parse_version(text: &str) -> Result<SemVer, VersionError> {
    let t = text.trim();
    if let Ok(v) = SemVer::parse(t) {
        return Ok(v);
    }
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() < 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let padded = format!("{t}{}", ".0".repeat(3 - parts.len()));
        if let Ok(v) = SemVer::parse(&padded) {
            return Ok(v);
        }
    }
    Err(VersionError::Invalid(format!(
        "`{t}` is not a semantic version"
    )))
}

/// Parse a Cargo version requirement (`1.2`, `^1.2.3`, `~1.2`, `>=1, <3`, `=1.0.0`, `*`).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    let req = VersionReq::parse(t).map_err(|e| {
        VersionError::Invalid(format!("`{t}` is not a Cargo version requirement: {e}"))
    })?;
    VersionSet::all_of(req.comparators.iter().map(lower))
}

fn lower(c: &semver::Comparator) -> Result<VersionSet, VersionError> {
    let op = match c.op {
        Op::Exact | Op::Wildcard => PartialOp::Exact,
        Op::Greater => PartialOp::Greater,
        Op::GreaterEq => PartialOp::GreaterEq,
        Op::Less => PartialOp::Less,
        Op::LessEq => PartialOp::LessEq,
        Op::Tilde => PartialOp::Tilde,
        Op::Caret => PartialOp::Caret,
        _ => {
            return Err(VersionError::Invalid(format!(
                "unsupported Cargo comparator `{c}`"
            )));
        }
    };
    let mut written = SemVer::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0));
    written.pre = c.pre.clone();
    Ok(lower_partial(
        op,
        (c.major, c.minor, c.patch),
        Version::Cargo(written),
        |major, minor, patch, floor| {
            let mut s = SemVer::new(major, minor, patch);
            if floor {
                s.pre = semver::Prerelease::new("0").expect("`0` is a valid pre-release");
            }
            Version::Cargo(s)
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::Cargo(parse_version(s).unwrap())
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn ordering() {
        let ordered = [
            "0.9.9",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.2.10",
            "1.10.0",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("2"), v("2.0.0"));
    }

    #[test]
    fn requirements_lower_like_cargo() {
        let cases = [
            ("1.2.3", ">=1.2.3, <2.0.0-0"),
            ("1.2", ">=1.2.0, <2.0.0-0"),
            ("1", ">=1.0.0, <2.0.0-0"),
            ("^0.2.3", ">=0.2.3, <0.3.0-0"),
            ("^0.0.3", ">=0.0.3, <0.0.4-0"),
            ("^0.0", ">=0.0.0, <0.1.0-0"),
            ("^0", ">=0.0.0, <1.0.0-0"),
            ("~1.2.3", ">=1.2.3, <1.3.0-0"),
            ("~1.2", ">=1.2.0, <1.3.0-0"),
            ("~1", ">=1.0.0, <2.0.0-0"),
            ("*", "any version"),
            ("1.*", ">=1.0.0, <2.0.0-0"),
            ("1.2.*", ">=1.2.0, <1.3.0-0"),
            ("=1.2.3", "1.2.3"),
            ("=1.2", ">=1.2.0, <1.3.0-0"),
            (">1.2", ">=1.3.0"),
            (">1", ">=2.0.0"),
            (">1.2.3", ">1.2.3"),
            ("<1.2", "<1.2.0-0"),
            ("<=1.2", "<1.3.0-0"),
            ("<=1.2.3", "<=1.2.3"),
            (">=1.2, <1.5", ">=1.2.0, <1.5.0-0"),
            (">= 1.2.0, < 2", ">=1.2.0, <2.0.0-0"),
            ("^1.2.3-beta.1", ">=1.2.3-beta.1, <2.0.0-0"),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
        for bad in ["", "latest", ">=1.2 || <1", "1.2.3.4"] {
            assert!(
                matches!(parse_declared(bad), Err(VersionError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn membership_and_verdicts() {
        assert!(set("1.2").contains(&v("1.9.3")));
        assert!(!set("1.2").contains(&v("2.0.0-rc.1")));
        let req = |t: &str| parse_requirement(Scheme::Cargo, t).unwrap();
        assert_eq!(verdict(&set("0.8"), &req(">=0.9")), Verdict::Never);
        assert_eq!(verdict(&set("1.2"), &req(">=1, <2")), Verdict::Always);
        match verdict(&set("1"), &req(">=1.4")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=1.0.0, <1.4.0"),
            other => panic!("{other:?}"),
        }
    }

    fn arb_version() -> impl Strategy<Value = Version> {
        (0u64..3, 0u64..3, 0u64..3, prop::option::of(0u64..2)).prop_map(|(a, b, c, pre)| {
            v(&match pre {
                Some(p) => format!("{a}.{b}.{c}-beta.{p}"),
                None => format!("{a}.{b}.{c}"),
            })
        })
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(a in arb_version(), b in arb_version(), c in arb_version()) {
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_requirement(Scheme::Cargo, &format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&format!("={a}")).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
            // agrees with `semver` on release versions (where its pre-release rule is silent)
            let Version::Cargo(sb) = &b else { unreachable!() };
            if sb.pre.is_empty() {
                for req in ["^1.1", "~0.2", ">1.1", "<=1.1", "1.*", ">=0.1, <2"] {
                    prop_assert_eq!(
                        parse_declared(req).unwrap().contains(&b),
                        VersionReq::parse(req).unwrap().matches(sb),
                        "{} vs {}", req, sb
                    );
                }
            }
        }
    }
}
