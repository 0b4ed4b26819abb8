//! Composer (PHP) versions and constraints, lowered to [`VersionSet`]s.
//!
//! Versions normalise as `composer/semver`'s `VersionParser` does: an optional `v`, up to
//! four numbers (missing ones are zero), then a stability: `dev < alpha (a) < beta (b) <
//! RC < stable < patch (p, pl)`, each with optional numbers (`1.0.0-beta2`, `2.1-RC.1`).
//!
//! Constraints: `||` or `|` (OR), `,` or spaces (AND), `^`, `~`, wildcards (`1.2.*`,
//! `1.x`), hyphen ranges (`1.0 - 2.0` = `>=1.0, <2.1`), `>=`, `<`, `!=`, `<>`, `==`, a bare
//! version (exact). Stability flags (`@dev`, `@stable`) only tune which stabilities the
//! resolver may pick, so they are stripped. Branches (`dev-main`, `1.0.x-dev`) and inline
//! aliases (`dev-main as 1.0.0`) name no version: unknown.
//!
//! Upper bounds the desugaring invents (`^1.2` -> below `2.0`) lie below every pre-release
//! of that version, as Composer's `2.0.0.0-dev` does, and print as the plain version.
//! Lower bounds start at the release (`^1.2` admits 1.2, not 1.2-beta): with Composer's
//! default `minimum-stability: stable`, pre-releases at the edge are never picked, and
//! reporting them would only be noise.
//!
//! Must not: read `composer.json` (`require` vs `require-dev` is the extractor's concern).

use std::cmp::Ordering;

use super::ranges::{compare, split_operator};
use super::{Bound, Interval, Version, VersionError, VersionSet, join_release};

/// A normalised Composer version.
#[derive(Debug, Clone)]
pub struct ComposerVersion {
    nums: [u64; 4],
    stability: Stability,
    stability_nums: Vec<u64>,
    /// a trailing `-dev` on a pre-release (`1.0.0-beta2-dev`) sorts just below it
    dev_suffix: bool,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stability {
    /// synthetic: below every version with these numbers
    Floor,
    Dev,
    Alpha,
    Beta,
    Rc,
    Stable,
    Patch,
}

impl ComposerVersion {
    /// Parse `1.2.3`, `v2.0`, `1.0.0-beta2`, `2.1-RC.1`, `1.0.0-dev`, `3.0.0-p1`.
    pub fn parse(text: &str) -> Result<ComposerVersion, VersionError> {
        let t = text.trim();
        parse_inner(t)
            .ok_or_else(|| VersionError::Invalid(format!("`{t}` is not a Composer version")))
    }

    fn key(&self) -> (&[u64; 4], Stability, &[u64], bool) {
        (
            &self.nums,
            self.stability,
            &self.stability_nums,
            !self.dev_suffix,
        )
    }

    /// A version below every pre-release of `nums`, printed as the plain numbers.
    fn floor(nums: &[u64]) -> ComposerVersion {
        let mut padded = [0; 4];
        padded[..nums.len()].copy_from_slice(nums);
        ComposerVersion {
            nums: padded,
            stability: Stability::Floor,
            stability_nums: Vec::new(),
            dev_suffix: false,
            text: join_release(nums),
        }
    }

    fn release(nums: &[u64]) -> ComposerVersion {
        ComposerVersion {
            stability: Stability::Stable,
            ..Self::floor(nums)
        }
    }
}

fn parse_inner(t: &str) -> Option<ComposerVersion> {
    let body = t.strip_prefix(['v', 'V']).unwrap_or(t);
    let body = body.split_once('+').map_or(body, |(b, _)| b);
    let (nums, rest) = numbers(body)?;
    let mut padded = [0; 4];
    padded[..nums.len()].copy_from_slice(&nums);
    let (stability, stability_nums, dev_suffix) = modifier(rest)?;
    Some(ComposerVersion {
        nums: padded,
        stability,
        stability_nums,
        dev_suffix,
        text: t.to_string(),
    })
}

/// Leading `1.2.3.4` (one to four numbers); returns them and the unparsed rest.
fn numbers(body: &str) -> Option<(Vec<u64>, &str)> {
    let mut nums = Vec::new();
    let mut rest = body;
    loop {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        nums.push(rest[..end].parse().ok()?);
        rest = &rest[end..];
        match rest.strip_prefix('.') {
            Some(r) if nums.len() < 4 && r.starts_with(|c: char| c.is_ascii_digit()) => rest = r,
            _ => return Some((nums, rest)),
        }
    }
}

/// `-beta2`, `.RC1`, `alpha`, `-p1`, `-dev`, `-beta2-dev`, or nothing.
fn modifier(rest: &str) -> Option<(Stability, Vec<u64>, bool)> {
    if rest.is_empty() {
        return Some((Stability::Stable, Vec::new(), false));
    }
    let lower = rest.to_ascii_lowercase();
    let r = lower.strip_prefix(['.', '_', '-']).unwrap_or(&lower);
    if r == "dev" {
        return Some((Stability::Dev, Vec::new(), false));
    }
    let kinds = [
        ("stable", Stability::Stable),
        ("alpha", Stability::Alpha),
        ("beta", Stability::Beta),
        ("patch", Stability::Patch),
        ("rc", Stability::Rc),
        ("pl", Stability::Patch),
        ("a", Stability::Alpha),
        ("b", Stability::Beta),
        ("p", Stability::Patch),
    ];
    let (name, stability) = kinds.iter().find(|(k, _)| r.starts_with(k))?;
    let mut tail = &r[name.len()..];
    let dev_suffix = match tail
        .strip_suffix("dev")
        .map(|t| t.strip_suffix(['.', '-']).unwrap_or(t))
    {
        Some(t) => {
            tail = t;
            true
        }
        None => false,
    };
    let mut stability_nums = Vec::new();
    for part in tail.split(['.', '-']) {
        if part.is_empty() {
            continue;
        }
        stability_nums.push(part.parse().ok()?);
    }
    Some((*stability, stability_nums, dev_suffix))
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

order_by_cmp_show_text!(ComposerVersion);

/// Parse a `composer.json` constraint.
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.contains(" as ") {
        return Err(VersionError::Unknown(format!(
            "`{t}` is an inline alias of a branch"
        )));
    }
    if t.is_empty() {
        return Err(VersionError::Invalid("empty Composer constraint".into()));
    }
    let invalid =
        |why: String| VersionError::Invalid(format!("`{t}` is not a Composer constraint: {why}"));
    let mut result = VersionSet::empty();
    for alt in t.split('|').filter(|a| !a.trim().is_empty()) {
        let words: Vec<&str> = alt
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(|w| w.split_once('@').map_or(w, |(v, _)| v))
            .collect();
        if words
            .iter()
            .any(|w| w.starts_with("dev-") || w.ends_with("-dev") && w.contains(['x', 'X', '*']))
        {
            return Err(VersionError::Unknown(format!("`{t}` names a branch")));
        }
        let set = match words.as_slice() {
            [] => VersionSet::all(),
            [lo, "-", hi] => hyphen(lo, hi).map_err(invalid)?,
            _ => {
                let mut set = VersionSet::all();
                let mut pending_op: Option<&str> = None;
                for w in words {
                    if is_operator(w) {
                        pending_op = Some(w);
                        continue;
                    }
                    let token = match pending_op.take() {
                        Some(op) => format!("{op}{w}"),
                        None => w.to_string(),
                    };
                    set = set.intersect(&comparator(&token).map_err(invalid)?);
                }
                if let Some(op) = pending_op {
                    return Err(invalid(format!("`{op}` has no version")));
                }
                set
            }
        };
        result = result.union(&set);
    }
    Ok(result)
}

fn is_operator(w: &str) -> bool {
    matches!(
        w,
        ">=" | "<=" | ">" | "<" | "!=" | "<>" | "==" | "=" | "^" | "~"
    )
}

/// A version with `x`/`*` parts: the numbers before the first wildcard, or `None` when
/// there is no wildcard.
fn wildcard_prefix(v: &str) -> Result<Option<Vec<u64>>, String> {
    let body = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let parts: Vec<&str> = body.split('.').collect();
    let Some(first_wild) = parts.iter().position(|p| matches!(*p, "*" | "x" | "X")) else {
        return Ok(None);
    };
    if parts[first_wild..]
        .iter()
        .any(|p| !matches!(*p, "*" | "x" | "X"))
    {
        return Err(format!("`{v}` has a number after a wildcard"));
    }
    parts[..first_wild]
        .iter()
        .map(|p| p.parse().map_err(|_| format!("`{v}` is not a version")))
        .collect::<Result<Vec<u64>, _>>()
        .map(Some)
}

/// The numbers as written (`1.2` -> `[1, 2]`), for bumping.
fn written_numbers(v: &str) -> Result<(ComposerVersion, Vec<u64>), String> {
    let parsed = ComposerVersion::parse(v).map_err(|e| e.to_string())?;
    let body = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let (nums, _) = numbers(body).ok_or_else(|| format!("`{v}` is not a version"))?;
    Ok((parsed, nums))
}

fn bump(nums: &[u64], at: usize) -> ComposerVersion {
    let mut up = nums[..=at].to_vec();
    up[at] += 1;
    ComposerVersion::floor(&up)
}

fn comparator(token: &str) -> Result<VersionSet, String> {
    let ops = [">=", "<=", "!=", "<>", "==", ">", "<", "=", "^", "~"];
    let (op, rest) = split_operator(token, &ops, "");
    let w = Version::Composer;
    if let Some(prefix) = wildcard_prefix(rest)? {
        if prefix.is_empty() {
            return match op {
                "" | "=" | "==" | ">=" => Ok(VersionSet::all()),
                "<" | ">" | "!=" | "<>" => Ok(VersionSet::empty()),
                _ => Err(format!("`{token}` has no version number")),
            };
        }
        let lo = ComposerVersion::release(&prefix);
        let hi = bump(&prefix, prefix.len() - 1);
        let range = VersionSet::half_open(w(lo), w(hi));
        return match op {
            "" | "=" | "==" | ">=" => Ok(if op == ">=" {
                VersionSet::at_least(range.min_version().cloned().expect("inclusive lower bound"))
            } else {
                range
            }),
            "!=" | "<>" => Ok(range.complement()),
            _ => Err(format!("`{token}` mixes an operator and a wildcard")),
        };
    }
    let (v, nums) = written_numbers(rest)?;
    let is_release = v.stability == Stability::Stable;
    Ok(match op {
        "<>" => VersionSet::exact(w(v)).complement(),
        "<" if is_release => VersionSet::below(w(ComposerVersion::floor(&nums))),
        "~" => {
            let at = if nums.len() == 1 { 0 } else { nums.len() - 2 };
            VersionSet::half_open(w(v), w(bump(&nums, at)))
        }
        "^" => {
            let at = nums.iter().position(|&n| n != 0).unwrap_or(nums.len() - 1);
            VersionSet::half_open(w(v), w(bump(&nums, at)))
        }
        // `=`, `==`, none, `!=`, `>=`, `>`, `<=`, and `<` on a pre-release
        _ => compare(op, w(v)),
    })
}

/// `1.0 - 2.0` is `>=1.0, <2.1`; `1.0.0 - 2.1.0` is `>=1.0.0, <=2.1.0`.
fn hyphen(lo: &str, hi: &str) -> Result<VersionSet, String> {
    let (lo, _) = written_numbers(lo)?;
    let (hi_v, hi_nums) = written_numbers(hi)?;
    let w = Version::Composer;
    let hi = if hi_nums.len() < 3 && hi_v.stability == Stability::Stable {
        Bound::Excluded(w(bump(&hi_nums, hi_nums.len() - 1)))
    } else {
        Bound::Included(w(hi_v))
    };
    Ok(VersionSet::from_interval(Interval {
        lo: Bound::Included(w(lo)),
        hi,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn c(s: &str) -> ComposerVersion {
        ComposerVersion::parse(s).unwrap()
    }

    fn v(s: &str) -> Version {
        Version::Composer(c(s))
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn ordering() {
        let ordered = [
            "1.0.0-dev",
            "1.0.0-alpha",
            "1.0.0-alpha2",
            "1.0.0-beta2-dev",
            "1.0.0-beta2",
            "1.0.0-beta.10",
            "1.0.0-RC1",
            "1.0.0",
            "1.0.0-p1",
            "1.0.0.1",
            "1.0.1",
            "1.10",
        ];
        for pair in ordered.windows(2) {
            assert!(c(pair[0]) < c(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        for (a, b) in [
            ("v1.2", "1.2.0.0"),
            ("1.0.0-b2", "1.0.0-beta2"),
            ("1.0.0-rc1", "1.0.0RC1"),
            ("1.0.0+build", "1.0.0"),
            ("1.0.0-stable", "1.0.0"),
            ("1.0.0-pl3", "1.0.0-patch3"),
        ] {
            assert_eq!(c(a), c(b), "{a} == {b}");
        }
        for bad in ["", "abc", "1.0.0-gamma", "1.2.3.4.5", "1..2"] {
            assert!(ComposerVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn constraints_lower_like_composer() {
        let cases = [
            ("^1.2.3", ">=1.2.3, <2"),
            ("^1.2", ">=1.2, <2"),
            ("^0.3", ">=0.3, <0.4"),
            ("^0.0.3", ">=0.0.3, <0.0.4"),
            ("^0", ">=0, <1"),
            ("~1.2", ">=1.2, <2"),
            ("~1.2.3", ">=1.2.3, <1.3"),
            ("~1", ">=1, <2"),
            ("1.2.*", ">=1.2, <1.3"),
            ("1.x", ">=1, <2"),
            ("*", "any version"),
            ("1.2.3", "1.2.3"),
            ("v1.2.3", "v1.2.3"),
            ("==1.2.3", "1.2.3"),
            (">=1.0 <2.0", ">=1.0, <2.0"),
            (">=1.0,<1.1 || >=1.2", ">=1.0, <1.1 || >=1.2"),
            ("^7.4|^8.0", ">=7.4, <8 || >=8.0, <9"),
            ("1.0 - 2.0", ">=1.0, <2.1"),
            ("1.0.0 - 2.1.0", ">=1.0.0, <=2.1.0"),
            ("^1.2@dev", ">=1.2, <2"),
            ("1.0.*@beta", ">=1.0, <1.1"),
            ("!=1.5", "<1.5 || >1.5"),
            (">= 1.2", ">=1.2"),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
        for unknown in [
            "dev-main",
            "dev-master#abc123",
            "1.0.x-dev",
            "dev-main as 1.0.0",
        ] {
            assert!(
                matches!(parse_declared(unknown), Err(VersionError::Unknown(_))),
                "{unknown}"
            );
        }
        for bad in ["", "^x", ">=", "1.*.2", "~"] {
            assert!(
                matches!(parse_declared(bad), Err(VersionError::Invalid(_))),
                "{bad}: {:?}",
                parse_declared(bad)
            );
        }
    }

    #[test]
    fn membership_and_verdicts() {
        assert!(!set("^1.2").contains(&v("2.0.0-beta1")));
        assert!(!set("^1.2").contains(&v("2.0.0-dev")));
        assert!(set("^1.2").contains(&v("1.9.9-RC1")));
        assert!(!set("<1.2").contains(&v("1.2.0-beta1")));
        let req = |t: &str| parse_requirement(Scheme::Composer, t).unwrap();
        assert_eq!(verdict(&set("^7.4"), &req(">=8.0")), Verdict::Never);
        assert_eq!(verdict(&set("^8.1"), &req(">=8.0")), Verdict::Always);
        match verdict(&set("^7.4|^8.0"), &req(">=8.0")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=7.4, <8"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(
            a in "[0-2](\\.[0-2]){0,3}(-(dev|alpha|beta2|RC1|p1))?",
            b in "[0-2](\\.[0-2]){0,3}(-(dev|alpha|beta2|RC1|p1))?",
            c in "[0-2](\\.[0-2]){0,3}(-(dev|alpha|beta2|RC1|p1))?",
        ) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_declared(&format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
