//! Python versions and specifier sets (PEP 440), lowered to [`VersionSet`]s.
//!
//! Versions and specifier syntax come from `pep440_rs` (epochs, pre/post/dev releases,
//! local labels, normalisation of `1.0RC1` to `1.0rc1`). The lowering to intervals is ours,
//! after uv's (`pep440_rs::version_ranges`), and applies the two exclusive-bound rules of
//! PEP 440 that intervals can express: `<2.0` admits no pre-release of 2.0 and `>1.7` no
//! post-release of 1.7. Bounds are built with pep440_rs's internal `min`/`max` markers, which
//! print as the plain version, so a set reads `>=1.4.5, <1.5`.
//!
//! **Pre-releases.** PEP 440 excludes pre-releases unless a specifier names one, and
//! `VersionSpecifiers::contains` does not apply that rule; neither can an interval. A
//! lowered set therefore admits pre-releases strictly inside its bounds (`>=1.0` admits
//! `1.5rc1`), a superset of what installers pick, which the lockfile then narrows. At the
//! lower edge of a wildcard (`==1.2.*`, `~=` has none) the set starts at the release itself
//! when no specifier names a pre-release, so `==0.9.*` is never reported as failing `>=0.9.0`
//! only because `0.9.0rc1` exists.
//!
//! **Local versions** (`1.2+cpu`) are ordered after their public version; `==1.2` admits
//! exactly 1.2, as uv does, not `1.2+cpu`.
//!
//! Poetry's `^1.2` / `~1.2`, a bare `1.2` (= `==1.2`) and `*` are accepted as well, since
//! pyproject files written for Poetry use them.
//!
//! Must not: evaluate PEP 508 markers or extras (the extractors do, with `pep508_rs`).

use std::str::FromStr;

use pep440_rs::{Operator, Prerelease, VersionSpecifiers};

use super::{Version, VersionError, VersionSet};

type Pep = pep440_rs::Version;

/// Parse one version (`1.0`, `v2.3.0rc1`, `1!2.0.post3.dev4+local`).
pub(super) fn parse_version(text: &str) -> Result<Pep, VersionError> {
    Pep::from_str(text.trim()).map_err(|e| {
        VersionError::Invalid(format!("`{}` is not a PEP 440 version: {e}", text.trim()))
    })
}

/// Parse a declared specifier set (`>=1.2, <2`, `~=1.4.5`, `==1.2.*`, empty = any).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.is_empty() || t == "*" {
        return Ok(VersionSet::all());
    }
    if let Some(set) = poetry(t)? {
        return Ok(set);
    }
    let specs = match VersionSpecifiers::from_str(t) {
        Ok(specs) => specs,
        // a bare version means `==` (Poetry, Pipfile, conda-style pins)
        Err(e) => match Pep::from_str(t) {
            Ok(v) => return Ok(VersionSet::exact(Version::Pep440(v))),
            Err(_) if t.starts_with("===") => {
                return Err(VersionError::Unknown(format!(
                    "`{t}` is an arbitrary string match, not a version"
                )));
            }
            Err(_) => {
                return Err(VersionError::Invalid(format!(
                    "`{t}` is not a PEP 440 specifier set: {e}"
                )));
            }
        },
    };
    let mentions_pre = specs.iter().any(|s| s.any_prerelease());
    VersionSet::all_of(specs.iter().map(|spec| {
        Ok(lower(
            *spec.operator(),
            spec.version().clone(),
            mentions_pre,
        ))
    }))
}

fn lower(op: Operator, v: Pep, mentions_pre: bool) -> VersionSet {
    let w = Version::Pep440;
    match op {
        Operator::Equal | Operator::ExactEqual => VersionSet::exact(w(v)),
        Operator::NotEqual => VersionSet::exact(w(v)).complement(),
        Operator::TildeEqual => {
            // `~=1.4.5` is `>=1.4.5, ==1.4.*`; pep440_rs guarantees two release segments
            let release = v.release();
            let mut upper = release[..release.len() - 1].to_vec();
            *upper.last_mut().expect("`~=` has at least two segments") += 1;
            let hi = Pep::new(upper).with_epoch(v.epoch()).with_min(Some(0));
            VersionSet::half_open(w(v), w(hi))
        }
        Operator::LessThan if v.any_prerelease() => VersionSet::below(w(v)),
        Operator::LessThan => VersionSet::below(w(v.with_min(Some(0)))),
        Operator::LessThanEqual => VersionSet::at_most(w(v)),
        Operator::GreaterThan => {
            if let Some(dev) = v.dev() {
                VersionSet::at_least(w(v.with_dev(Some(dev + 1))))
            } else if let Some(post) = v.post() {
                VersionSet::at_least(w(v.with_post(Some(post + 1))))
            } else {
                VersionSet::above(w(v.with_max(Some(0))))
            }
        }
        Operator::GreaterThanEqual => VersionSet::at_least(w(v)),
        Operator::EqualStar => {
            let (lo, hi) = star_bounds(&v);
            // see the module doc: without a named pre-release, start at the release
            let lo = if !mentions_pre && !v.any_prerelease() && v.post().is_none() {
                v.clone()
            } else {
                lo
            };
            VersionSet::half_open(w(lo), w(hi))
        }
        Operator::NotEqualStar => {
            let (lo, hi) = star_bounds(&v);
            VersionSet::half_open(w(lo), w(hi)).complement()
        }
    }
}

/// `[lo, hi)` of everything `==v.*` matches, pre-releases included.
fn star_bounds(v: &Pep) -> (Pep, Pep) {
    if let Some(post) = v.post() {
        let lo = v.clone().with_dev(Some(0));
        return (lo.clone(), lo.with_post(Some(post + 1)));
    }
    if let Some(pre) = v.pre() {
        let lo = v.clone().with_dev(Some(0));
        let hi = lo.clone().with_pre(Some(Prerelease {
            kind: pre.kind,
            number: pre.number + 1,
        }));
        return (lo, hi);
    }
    let mut bumped = v.release().to_vec();
    *bumped.last_mut().expect("a version has a release") += 1;
    let lo = Pep::new(v.release().iter().copied())
        .with_epoch(v.epoch())
        .with_min(Some(0));
    let hi = Pep::new(bumped).with_epoch(v.epoch()).with_min(Some(0));
    (lo, hi)
}

/// Poetry's caret and tilde (`^1.2.3` = `>=1.2.3, <2.0.0`, `~1.2` = `>=1.2, <1.3`), or
/// `None` when the text is not one.
fn poetry(t: &str) -> Result<Option<VersionSet>, VersionError> {
    let (caret, rest) = if let Some(r) = t.strip_prefix('^') {
        (true, r)
    } else if let Some(r) = t.strip_prefix('~').filter(|r| !r.starts_with('=')) {
        (false, r)
    } else {
        return Ok(None);
    };
    let v = parse_version(rest)?;
    let release = v.release();
    let upper: Vec<u64> = if caret {
        // bump the first non-zero segment (or the last one given if all are zero)
        let i = release
            .iter()
            .position(|&n| n != 0)
            .unwrap_or(release.len() - 1);
        let mut up = release[..=i].to_vec();
        up[i] += 1;
        up
    } else {
        // `~1` = `>=1, <2`; `~1.2` and `~1.2.3` bump the minor
        let i = if release.len() == 1 { 0 } else { 1 };
        let mut up = release[..=i].to_vec();
        up[i] += 1;
        up
    };
    let hi = Pep::new(upper).with_epoch(v.epoch()).with_min(Some(0));
    Ok(Some(VersionSet::half_open(
        Version::Pep440(v),
        Version::Pep440(hi),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::Pep440(parse_version(s).unwrap())
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn ordering() {
        // PEP 440's own summary of the ordering
        let ordered = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0RC1"), v("1.0rc1"));
        assert_eq!(v("v2.0"), v("2.0"));
    }

    #[test]
    fn declared_specifiers_lower_to_intervals() {
        let cases = [
            ("==0.8.1", "0.8.1"),
            ("0.8.1", "0.8.1"),
            (">=1.2, <2", ">=1.2, <2"),
            (">=1.2,<2,!=1.5", ">=1.2, <1.5 || >1.5, <2"),
            ("~=1.4.5", ">=1.4.5, <1.5"),
            ("~=1.4", ">=1.4, <2"),
            ("==1.2.*", ">=1.2, <1.3"),
            ("!=1.2.*", "<1.2 || >=1.3"),
            (">1.7", ">1.7"),
            ("<=2.0", "<=2.0"),
            ("===1.0", "1.0"),
            ("", "any version"),
            ("*", "any version"),
            ("^1.2.3", ">=1.2.3, <2"),
            ("^0.2.3", ">=0.2.3, <0.3"),
            ("~1.2.3", ">=1.2.3, <1.3"),
            (">=3.8, <3.8", "no version"),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
    }

    #[test]
    fn exclusive_bounds_and_pre_releases() {
        // `<2.0` admits no pre-release of 2.0, `<2.0rc2` does
        assert!(!set("<2.0").contains(&v("2.0rc1")));
        assert!(!set("<2.0").contains(&v("2.0.dev1")));
        assert!(set("<2.0").contains(&v("1.9.post1")));
        assert!(set("<2.0rc2").contains(&v("2.0rc1")));
        // `>1.7` admits no post-release or local version of 1.7
        assert!(!set(">1.7").contains(&v("1.7.post2")));
        assert!(!set(">1.7").contains(&v("1.7+local")));
        assert!(set(">1.7").contains(&v("1.7.1")));
        assert!(set(">1.7.post2").contains(&v("1.7.post3")));
        assert!(!set(">1.7.post2").contains(&v("1.7.post2")));
        // `~=` excludes the next release's pre-releases
        assert!(!set("~=1.4.5").contains(&v("1.5a1")));
        // documented superset: pre-releases strictly inside the bounds are admitted
        assert!(set(">=1.0").contains(&v("1.5rc1")));
        // a wildcard starts at its release unless a pre-release is named
        assert!(!set("==1.2.*").contains(&v("1.2rc1")));
        assert!(set("==1.2.*").contains(&v("1.2.5")));
        assert!(set("!=1.2.*").contains(&v("1.3rc1")));
        assert!(!set("!=1.2.*").contains(&v("1.2rc1")));
    }

    #[test]
    fn invalid_and_unknown() {
        assert!(matches!(
            parse_declared(">=1.2,,"),
            Err(VersionError::Invalid(_))
        ));
        assert!(matches!(
            parse_declared("~=1"),
            Err(VersionError::Invalid(_))
        ));
        assert!(matches!(
            parse_declared("===foobar"),
            Err(VersionError::Unknown(_))
        ));
        assert!(matches!(
            parse_declared("^x"),
            Err(VersionError::Invalid(_))
        ));
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::Pep440, t).unwrap();
        assert_eq!(verdict(&set("==0.8.1"), &req(">=0.9.0")), Verdict::Never);
        assert_eq!(verdict(&set("~=0.9.1"), &req(">=0.9.0")), Verdict::Always);
        assert_eq!(verdict(&set("==0.9.*"), &req(">=0.9.0")), Verdict::Always);
        match verdict(&set(">=0.8"), &req(">=0.9.0")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=0.8, <0.9.0"),
            other => panic!("{other:?}"),
        }
        // the requirement is ordered by PEP 440: `0.9.0rc1` is below `0.9.0`
        assert!(!req(">=0.9.0").contains(&v("0.9.0rc1")));
        assert!(req(">=0.9.0").contains(&v("0.9.0.post1")));
    }

    fn arb_version() -> impl Strategy<Value = Version> {
        (
            0u64..3,
            0u64..3,
            prop::option::of(0u64..2),
            prop::sample::select(vec!["", "a1", "rc1", ".post1", ".dev0", "+local"]),
        )
            .prop_map(|(a, b, c, suffix)| {
                let base = match c {
                    Some(c) => format!("{a}.{b}.{c}"),
                    None => format!("{a}.{b}"),
                };
                v(&format!("{base}{suffix}"))
            })
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(a in arb_version(), b in arb_version(), c in arb_version()) {
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_requirement(Scheme::Pep440, &format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&format!("=={a}")).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
            // declared `>=` agrees with pep440_rs's own matching
            let Version::Pep440(pa) = &a else { unreachable!() };
            let Version::Pep440(pb) = &b else { unreachable!() };
            if pa.local().is_empty() {
                let text = format!(">={pa}");
                let specs = VersionSpecifiers::from_str(&text).unwrap();
                prop_assert_eq!(parse_declared(&text).unwrap().contains(&b), specs.contains(pb));
            }
        }
    }
}
