//! Helm chart versions and constraints (Masterminds semver, as `Chart.yaml` dependencies
//! and `helm` itself read them), lowered to [`VersionSet`]s.
//!
//! Masterminds deliberately follows npm's range rules (`^`, `~`, x-ranges, hyphen ranges,
//! `||`, pre-releases only when named), so the npm grammar in `npm.rs` does the work, with
//! Masterminds' two additions: `,` joins comparators (AND) and `!=` excludes a version.
//! Versions may be partial or carry a `v` (`v1.2` is 1.2.0).
//!
//! Must not: resolve repositories or `alias:` entries (the extractor's).

use super::{Version, VersionError, VersionSet, npm};

/// Parse a chart version (`1.2.3`, `v1.2`, `0.1.0-rc.1`).
pub(super) fn parse_version(text: &str) -> Result<nodejs_semver::Version, VersionError> {
    npm::parse_version(text)
}

/// Parse a chart version constraint (`^1.2.0`, `>= 1.2, < 2.0.0`, `~1.2.x || 2.x`).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(VersionError::Unknown("no chart version declared".into()));
    }
    npm::parse_range(t, Version::Helm, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::Helm(parse_version(s).unwrap())
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn constraints() {
        let cases = [
            ("^1.2.0", ">=1.2.0, <2.0.0-0"),
            (">= 1.2, < 2.0.0", ">=1.2.0, <2.0.0"),
            (">=1.2,<2", ">=1.2.0, <2.0.0-0"),
            ("~1.2.x || 2.x", ">=1.2.0, <1.3.0-0 || >=2.0.0, <3.0.0-0"),
            ("1.2 - 1.4.5", ">=1.2.0, <=1.4.5"),
            ("v1.2.3", "1.2.3"),
            (">=1.0.0, !=1.3.0", ">=1.0.0, <1.3.0 || >1.3.0"),
            ("*", "any version"),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
        assert!(matches!(parse_declared(""), Err(VersionError::Unknown(_))));
        assert!(matches!(
            parse_declared(">=abc"),
            Err(VersionError::Invalid(_))
        ));
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::Helm, t).unwrap();
        assert_eq!(verdict(&set("~12.1.0"), &req(">=13")), Verdict::Never);
        assert_eq!(verdict(&set("^13.2"), &req(">=13")), Verdict::Always);
        match verdict(&set(">=12, <14"), &req(">=13")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=12.0.0, <13.0.0"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(a in "v?[0-2]\\.[0-2]\\.[0-2](-rc\\.[0-2])?", b in "v?[0-2]\\.[0-2]\\.[0-2](-rc\\.[0-2])?") {
            let (a, b) = (v(&a), v(&b));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            let at_least = parse_declared(&format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
