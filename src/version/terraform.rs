//! Terraform version constraints (`required_version`, provider `version`), as HashiCorp's
//! `go-version` reads them, lowered to [`VersionSet`]s.
//!
//! Constraints are comma-separated (AND) `op version` pairs: `=` (or a bare version),
//! `!=`, `>`, `>=`, `<`, `<=`, and the pessimistic `~>`, which lets only the last written
//! segment grow: `~> 1.5` is `>= 1.5, < 2.0`, `~> 1.5.0` is `>= 1.5.0, < 1.6.0`, and
//! `~> 1` is `>= 1` (go-version checks no segment before the last). Versions are SemVer
//! with optional `v` and missing parts zero (`1.5` is 1.5.0).
//!
//! **Pre-releases.** go-version only matches a pre-release against a constraint naming a
//! pre-release of the same version; intervals admit those between their bounds (a
//! superset). Upper bounds are plain releases (`< 2.0.0`), which read as users write them.
//!
//! Must not: read HCL (the extractor hands over the constraint string).

use nodejs_semver::Version as SemVer;

use super::ranges::{compare, split_operator};
use super::{Version, VersionError, VersionSet, npm};

/// Parse a Terraform or provider version (`1.5.7`, `v1.6`, `1.7.0-beta1`).
pub(super) fn parse_version(text: &str) -> Result<SemVer, VersionError> {
    npm::parse_version(text)
}

/// Parse a constraint string (`~> 1.5`, `>= 1.2, < 2.0`, `!= 1.3.0`, `= 1.0`, `1.0`).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(VersionError::Unknown(
            "no version constraint declared".into(),
        ));
    }
    VersionSet::all_of(t.split(',').map(|part| {
        constraint(part.trim()).map_err(|why| {
            VersionError::Invalid(format!("`{t}` is not a Terraform constraint: {why}"))
        })
    }))
}

fn constraint(part: &str) -> Result<VersionSet, String> {
    let (op, rest) = split_operator(part, &["~>", ">=", "<=", "!=", ">", "<", "="], "=");
    let rest = rest.trim();
    let v = parse_version(rest).map_err(|e| e.to_string())?;
    let w = Version::Terraform;
    Ok(match op {
        "~>" => {
            let body = rest.strip_prefix(['v', 'V']).unwrap_or(rest);
            let core = body.split(['-', '+']).next().unwrap_or(body);
            let written: Vec<u64> = core
                .split('.')
                .map(|p| {
                    p.parse::<u64>()
                        .map_err(|_| format!("`{rest}` is not a version"))
                })
                .collect::<Result<_, _>>()?;
            if written.len() < 2 {
                VersionSet::at_least(w(v))
            } else {
                let mut up = written[..written.len() - 1].to_vec();
                *up.last_mut().expect("two or more segments") += 1;
                up.resize(3, 0);
                let hi = SemVer::parse(format!("{}.{}.{}", up[0], up[1], up[2]))
                    .map_err(|_| format!("`{rest}` is too large"))?;
                VersionSet::half_open(w(v), w(hi))
            }
        }
        _ => compare(op, w(v)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::Terraform(parse_version(s).unwrap())
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn constraints() {
        let cases = [
            ("~> 1.5", ">=1.5.0, <2.0.0"),
            ("~> 1.5.0", ">=1.5.0, <1.6.0"),
            ("~> 1", ">=1.0.0"),
            ("~>4.67", ">=4.67.0, <5.0.0"),
            (">= 1.2, < 2.0", ">=1.2.0, <2.0.0"),
            ("!= 1.3.0", "<1.3.0 || >1.3.0"),
            ("= 1.0", "1.0.0"),
            ("1.0.4", "1.0.4"),
            ("v1.6.0", "1.6.0"),
            (
                ">= 1.3.0, != 1.4.1, < 2",
                ">=1.3.0, <1.4.1 || >1.4.1, <2.0.0",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
        assert!(set("~> 1.5").contains(&v("1.9.9")));
        assert!(!set("~> 1.5.0").contains(&v("1.6.0")));
        assert!(matches!(parse_declared(""), Err(VersionError::Unknown(_))));
        for bad in ["~> x", ">= 1.2 < 2", "=> 1.0", ">= 1.2,"] {
            assert!(
                matches!(parse_declared(bad), Err(VersionError::Invalid(_))),
                "{bad}: {:?}",
                parse_declared(bad)
            );
        }
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::Terraform, t).unwrap();
        assert_eq!(verdict(&set("~> 1.3.0"), &req(">=1.5")), Verdict::Never);
        assert_eq!(verdict(&set("~> 1.6.0"), &req(">=1.5")), Verdict::Always);
        match verdict(&set("~> 1.3"), &req(">=1.5")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=1.3.0, <1.5.0"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(a in "[0-2]\\.[0-2]\\.[0-2](-beta[0-2])?", b in "[0-2]\\.[0-2]\\.[0-2](-beta[0-2])?") {
            let (a, b) = (v(&a), v(&b));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            let at_least = parse_declared(&format!(">= {a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
