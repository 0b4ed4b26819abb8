//! RubyGems versions (`Gem::Version`) and requirements (`Gem::Requirement`), lowered to
//! [`VersionSet`]s.
//!
//! A version is a run of segments, numbers and letter runs (`1.0.0.pre.rc1` ->
//! `1, 0, 0, "pre", "rc", 1`; a `-` reads as `.pre.`); any letter makes it a pre-release,
//! which sorts before its release (`1.0.0.pre < 1.0.0`). Trailing zeros of the numeric part
//! and of the pre-release part do not count (`1.0 == 1`, `1.0.a == 1.a`), as in
//! `Gem::Version#canonical_segments`.
//!
//! Requirements: `=`, `!=`, `>`, `<`, `>=`, `<=`, `~>`, a bare version (= `=`), joined by
//! commas (AND). `~> 2.2` is `>= 2.2, < 3` and `~> 2.2.0` is `>= 2.2.0, < 2.3`; the upper
//! bound is a floor below every pre-release of it (RubyGems compares `v.release < bump`),
//! printed as the bump itself. Pre-releases strictly inside a range are admitted although
//! Bundler only picks them when asked (a superset; the lockfile is exact).
//!
//! Must not: read Gemfile syntax (`gem 'x', '~> 1.0'` is the extractor's).

use std::cmp::Ordering;

use super::ranges::{compare, split_operator};
use super::{Version, VersionError, VersionSet, join_release};

/// One `Gem::Version`: canonical segments for ordering, the text for display.
#[derive(Debug, Clone)]
pub struct GemVersion {
    segments: Vec<Segment>,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// digits without leading zeros (`""` is zero)
    Num(String),
    /// a letter run; the empty run only appears in synthetic floors and sorts first
    Str(String),
}

impl GemVersion {
    /// Parse `1.2.3`, `1.0.0.pre`, `1.0.0-rc1`, `2.7.0.beta3`.
    pub fn parse(text: &str) -> Result<GemVersion, VersionError> {
        let t = text.trim();
        let invalid = || VersionError::Invalid(format!("`{t}` is not a gem version"));
        // Gem::Version::ANCHORED_VERSION_PATTERN
        let (release, pre) = t.split_once('-').unwrap_or((t, ""));
        let release_ok = !release.is_empty()
            && release.starts_with(|c: char| c.is_ascii_digit())
            && release
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        let pre_ok = !t.contains('-')
            || (!pre.is_empty()
                && pre.split('.').all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }));
        if !release_ok || !pre_ok {
            return Err(invalid());
        }
        let normalized = t.replace('-', ".pre.");
        Ok(GemVersion {
            segments: canonical(&scan(&normalized)),
            text: t.to_string(),
        })
    }

    /// Any letter makes a pre-release (`1.0.0.pre`, `2.0.0-rc1`).
    pub fn is_prerelease(&self) -> bool {
        self.segments.iter().any(|s| matches!(s, Segment::Str(_)))
    }

    /// `Gem::Version#bump` as a floor: `2.2` -> below every `3…`, pre-releases included.
    fn bump_floor(&self) -> GemVersion {
        let mut nums: Vec<u64> = self
            .segments
            .iter()
            .take_while(|s| matches!(s, Segment::Num(_)))
            .map(|s| match s {
                Segment::Num(n) if n.is_empty() => 0,
                Segment::Num(n) => n.parse().unwrap_or(u64::MAX),
                Segment::Str(_) => unreachable!("taken while numeric"),
            })
            .collect();
        // canonical segments drop trailing zeros, so pad back to the written length
        let written = self
            .text
            .split(['.', '-'])
            .take_while(|p| p.bytes().all(|b| b.is_ascii_digit()))
            .count();
        nums.resize(written.max(nums.len()).max(1), 0);
        if nums.len() > 1 {
            nums.pop();
        }
        *nums.last_mut().expect("at least one segment") += 1;
        let text = join_release(&nums);
        let mut segments = canonical(&scan(&text));
        segments.push(Segment::Str(String::new()));
        GemVersion { segments, text }
    }
}

/// `version.scan(/[0-9]+|[a-z]+/i)`
fn scan(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push(Segment::Num(
                text[start..i].trim_start_matches('0').to_string(),
            ));
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            out.push(Segment::Str(text[start..i].to_string()));
        } else {
            i += 1;
        }
    }
    out
}

/// Drop trailing zeros of the numeric part and of the rest, then join them.
fn canonical(segments: &[Segment]) -> Vec<Segment> {
    let split = segments
        .iter()
        .position(|s| matches!(s, Segment::Str(_)))
        .unwrap_or(segments.len());
    let trim = |part: &[Segment]| {
        let mut v = part.to_vec();
        while v.last() == Some(&Segment::Num(String::new())) {
            v.pop();
        }
        v
    };
    let mut out = trim(&segments[..split]);
    out.extend(trim(&segments[split..]));
    out
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Num(String::new());
        let n = self.segments.len().max(other.segments.len());
        for i in 0..n {
            let l = self.segments.get(i).unwrap_or(&zero);
            let r = other.segments.get(i).unwrap_or(&zero);
            let o = match (l, r) {
                (Segment::Num(a), Segment::Num(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
                (Segment::Str(a), Segment::Str(b)) => a.cmp(b),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

order_by_cmp_show_text!(GemVersion);

/// Parse a requirement list (`~> 2.2, >= 2.2.1`, `= 1.0`, `1.0`, `!= 1.1`, `>= 0`).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(VersionSet::all());
    }
    VersionSet::all_of(t.split(',').map(|part| requirement(part.trim())))
}

fn requirement(part: &str) -> Result<VersionSet, VersionError> {
    let (op, rest) = split_operator(part, &["~>", ">=", "<=", "!=", ">", "<", "="], "=");
    let v = GemVersion::parse(rest.trim())?;
    let w = Version::RubyGems;
    Ok(match op {
        "~>" => {
            let hi = v.bump_floor();
            VersionSet::half_open(w(v), w(hi))
        }
        _ => compare(op, w(v)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn g(s: &str) -> GemVersion {
        GemVersion::parse(s).unwrap()
    }

    fn v(s: &str) -> Version {
        Version::RubyGems(g(s))
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn ordering() {
        // from RubyGems' test_gem_version.rb
        let ordered = [
            "0.9",
            "1.0.0.a10",
            "1.0.0.b1",
            "1.0.b2",
            "1.0.0.pre",
            "1.0.0.rc1",
            "1.0.0",
            "1.0.1",
            "1.1.a",
            "1.8.2.a",
            "1.8.2",
            "1.8.2.1",
            "1.9.3.alpha.5",
            "1.10",
        ];
        for pair in ordered.windows(2) {
            assert!(g(pair[0]) < g(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        for (a, b) in [
            ("1.0", "1"),
            ("1.0.0", "1"),
            ("1.0.a", "1.a"),
            ("1.0.0-rc1", "1.0.0.pre.rc1"),
            ("1.8.2.a0", "1.8.2.a"),
            ("01.2", "1.2"),
        ] {
            assert_eq!(g(a), g(b), "{a} == {b}");
        }
        assert!(g("1.0.0.pre").is_prerelease());
        assert!(!g("1.0.0").is_prerelease());
        for bad in ["", "junk", "1..2", "1.2 3", "-1", "1.0-"] {
            assert!(GemVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn requirements() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("~> 2.2", &["2.2", "2.9.9"], &["2.1", "3.0", "3.0.pre"]),
            ("~> 2.2.0", &["2.2.0", "2.2.9"], &["2.3", "2.3.0.a"]),
            ("~> 2", &["2.0", "2.9"], &["3"]),
            ("~> 1.0.0.pre", &["1.0.0.pre", "1.0.5"], &["1.1"]),
            ("~> 6.1, >= 6.1.4", &["6.1.4", "6.9"], &["6.1.3", "7.0"]),
            ("= 1.0", &["1", "1.0.0"], &["1.0.1"]),
            ("1.0", &["1.0"], &["1.1"]),
            ("!= 1.1", &["1.0", "1.2"], &["1.1"]),
            (">= 0", &["0", "9.9"], &[]),
            ("> 1.0", &["1.0.1", "1.1.a"], &["1.0"]),
            ("< 2", &["1.9", "2.a"], &["2"]),
        ];
        for (req, yes, no) in cases {
            let s = set(req);
            for x in *yes {
                assert!(s.contains(&v(x)), "{req} should admit {x}");
            }
            for x in *no {
                assert!(!s.contains(&v(x)), "{req} should not admit {x}");
            }
        }
        assert_eq!(set("~> 2.2").to_string(), ">=2.2, <3");
        assert_eq!(set("~> 2.2.0").to_string(), ">=2.2.0, <2.3");
        assert!(matches!(
            parse_declared("~> x"),
            Err(VersionError::Invalid(_))
        ));
        assert!(matches!(
            parse_declared("=> 1"),
            Err(VersionError::Invalid(_))
        ));
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::RubyGems, t).unwrap();
        assert_eq!(verdict(&set("~> 0.4.0"), &req(">=0.5")), Verdict::Never);
        assert_eq!(verdict(&set("~> 0.5.2"), &req(">=0.5")), Verdict::Always);
        match verdict(&set("~> 0.4"), &req(">=0.5")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=0.4, <0.5"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(
            a in "[0-2](\\.[0-2]){0,2}(\\.(a|pre|rc)[0-2]?)?",
            b in "[0-2](\\.[0-2]){0,2}(\\.(a|pre|rc)[0-2]?)?",
            c in "[0-2](\\.[0-2]){0,2}(\\.(a|pre|rc)[0-2]?)?",
        ) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_declared(&format!(">= {a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
