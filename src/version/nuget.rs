//! NuGet versions and version ranges, lowered to [`VersionSet`]s.
//!
//! Versions: `Major.Minor[.Patch[.Revision]][-labels][+metadata]`, missing parts are zero,
//! a release sorts after its pre-releases, labels compare like SemVer 2 but
//! case-insensitively (`1.0.0-RC.1 == 1.0.0-rc.1`), metadata is ignored.
//!
//! Ranges, as `VersionRange.Parse` reads them: a bare `1.0` is a *minimum* (`>= 1.0`), not a
//! pin; `[1.0]` is exact; `[1.0,2.0)`, `(1.0,)`, `(,1.0]` are intervals. Floating versions
//! resolve to the highest match, so they admit what they could resolve to: `1.*` is
//! `>=1.0.0, <2.0.0`, `1.2.*` is `>=1.2.0, <1.3.0`, `*` any version, and the pre-release
//! floats `1.0.0-*` (any pre-release of 1.0.0, or 1.0.0) and `1.*-*`. Invented upper bounds
//! lie below every pre-release of that version and print as the plain version.
//!
//! Must not: read project files (`PackageReference` vs `packages.config`, where a bare
//! version is exact, is the extractor's call: it can pass `[1.0]`).

use std::cmp::Ordering;

use super::{Bound, Interval, Version, VersionError, VersionSet, join_release};

/// A NuGet version; `floor` marks a synthetic bound below all pre-releases of `nums`.
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    nums: [u64; 4],
    labels: Vec<String>,
    floor: bool,
    text: String,
}

impl NuGetVersion {
    /// Parse `1.0`, `1.2.3.4`, `1.0.0-beta.2`, `2.0.0-RC1+sha.1`.
    pub fn parse(text: &str) -> Result<NuGetVersion, VersionError> {
        let t = text.trim();
        let invalid = || VersionError::Invalid(format!("`{t}` is not a NuGet version"));
        let core = t.split_once('+').map_or(t, |(c, _)| c);
        let (nums_text, pre) = match core.split_once('-') {
            Some((n, p)) => (n, Some(p)),
            None => (core, None),
        };
        let parts: Vec<&str> = nums_text.split('.').collect();
        if parts.is_empty() || parts.len() > 4 {
            return Err(invalid());
        }
        let mut nums = [0; 4];
        for (i, p) in parts.iter().enumerate() {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            nums[i] = p.parse().map_err(|_| invalid())?;
        }
        let labels = match pre {
            None => Vec::new(),
            Some(p) => {
                let labels: Vec<String> = p.split('.').map(str::to_string).collect();
                if labels.iter().any(|l| {
                    l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }) {
                    return Err(invalid());
                }
                labels
            }
        };
        Ok(NuGetVersion {
            nums,
            labels,
            floor: false,
            text: t.to_string(),
        })
    }

    fn floor(nums: &[u64]) -> NuGetVersion {
        let mut padded = [0; 4];
        padded[..nums.len()].copy_from_slice(nums);
        let shown = if nums.len() < 3 { &padded[..3] } else { nums };
        NuGetVersion {
            nums: padded,
            labels: Vec::new(),
            floor: true,
            text: join_release(shown),
        }
    }

    /// The floor as a lower bound, printed as the lowest pre-release (`1.0.0-0`).
    fn pre_floor(nums: &[u64]) -> NuGetVersion {
        let f = Self::floor(nums);
        NuGetVersion {
            text: format!("{}-0", f.text),
            ..f
        }
    }

    fn release(nums: &[u64]) -> NuGetVersion {
        NuGetVersion {
            floor: false,
            ..Self::floor(nums)
        }
    }

    /// 0 floor, 1 pre-release, 2 release
    fn rank(&self) -> u8 {
        match (self.floor, self.labels.is_empty()) {
            (true, _) => 0,
            (false, false) => 1,
            (false, true) => 2,
        }
    }
}

fn cmp_label(a: &str, b: &str) -> Ordering {
    let num = |s: &str| {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.trim_start_matches('0').to_string())
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(&y)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()),
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nums
            .cmp(&other.nums)
            .then_with(|| self.rank().cmp(&other.rank()))
            .then_with(|| {
                for (a, b) in self.labels.iter().zip(&other.labels) {
                    let o = cmp_label(a, b);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                self.labels.len().cmp(&other.labels.len())
            })
    }
}

order_by_cmp_show_text!(NuGetVersion);

/// Parse a NuGet version range (`1.0`, `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `1.*`, `*`).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(VersionError::Unknown("no version declared".into()));
    }
    if t.starts_with("$(") {
        return Err(VersionError::Unknown(format!(
            "`{t}` is an MSBuild property"
        )));
    }
    let w = Version::NuGet;
    let invalid = |why: &str| VersionError::Invalid(format!("`{t}` is not a NuGet range: {why}"));
    let Some(open) = t.chars().next().filter(|c| matches!(c, '[' | '(')) else {
        if let Some(set) = floating(t)? {
            return Ok(set);
        }
        return Ok(VersionSet::at_least(w(NuGetVersion::parse(t)?)));
    };
    let close = t.chars().last().filter(|c| matches!(c, ']' | ')'));
    let Some(close) = close.filter(|_| t.len() >= 2) else {
        return Err(invalid("unclosed range"));
    };
    let inner = &t[1..t.len() - 1];
    match inner.split_once(',') {
        None => {
            if open != '[' || close != ']' {
                return Err(invalid("a single version needs `[v]`"));
            }
            Ok(VersionSet::exact(w(NuGetVersion::parse(inner)?)))
        }
        Some((lo, hi)) => {
            let (lo, hi) = (lo.trim(), hi.trim());
            if hi.contains(',') {
                return Err(invalid("more than two bounds"));
            }
            let lo = match lo {
                "" => Bound::Unbounded,
                v if open == '[' => Bound::Included(w(lower_of(v)?)),
                v => Bound::Excluded(w(lower_of(v)?)),
            };
            let hi = match hi {
                "" => Bound::Unbounded,
                v if close == ']' => Bound::Included(w(NuGetVersion::parse(v)?)),
                v => Bound::Excluded(w(NuGetVersion::parse(v)?)),
            };
            Ok(VersionSet::from_interval(Interval { lo, hi }))
        }
    }
}

/// A range's lower bound may float (`[1.*, 2.0)`): its lowest version.
fn lower_of(v: &str) -> Result<NuGetVersion, VersionError> {
    match floating(v)? {
        Some(set) => match set.min_version() {
            Some(Version::NuGet(n)) => Ok(n.clone()),
            _ => Ok(NuGetVersion::release(&[0])),
        },
        None => NuGetVersion::parse(v),
    }
}

/// `*`, `1.*`, `1.2.*`, `1.0.0-*`, `1.0.0-beta*`, `1.*-*`; `None` when not floating.
fn floating(t: &str) -> Result<Option<VersionSet>, VersionError> {
    if !t.contains('*') {
        return Ok(None);
    }
    let invalid = || VersionError::Invalid(format!("`{t}` is not a floating version"));
    let w = Version::NuGet;
    let (nums_text, pre) = match t.split_once('-') {
        Some((n, p)) => (n, Some(p)),
        None => (t, None),
    };
    let parts: Vec<&str> = nums_text.split('.').collect();
    let numeric: Vec<u64> = parts
        .iter()
        .take_while(|p| **p != "*")
        .map(|p| p.parse::<u64>().map_err(|_| invalid()))
        .collect::<Result<_, _>>()?;
    let number_float = numeric.len() < parts.len();
    if number_float && (numeric.len() + 1 != parts.len() || numeric.len() > 3) {
        return Err(invalid());
    }
    match (number_float, pre) {
        // `*`, `1.*`, `1.2.*`
        (true, None) if numeric.is_empty() => Ok(Some(VersionSet::all())),
        (true, None) => {
            let mut up = numeric.clone();
            *up.last_mut().expect("non-empty") += 1;
            Ok(Some(VersionSet::half_open(
                w(NuGetVersion::release(&numeric)),
                w(NuGetVersion::floor(&up)),
            )))
        }
        // `*-*`, `1.*-*`: pre-releases included
        (true, Some("*")) if numeric.is_empty() => Ok(Some(VersionSet::all())),
        (true, Some("*")) => {
            let mut up = numeric.clone();
            *up.last_mut().expect("non-empty") += 1;
            Ok(Some(VersionSet::half_open(
                w(NuGetVersion::pre_floor(&numeric)),
                w(NuGetVersion::floor(&up)),
            )))
        }
        // `1.0.0-*`, `1.0.0-beta*`: a pre-release of exactly that version, or the release
        (false, Some(label)) if label.ends_with('*') && !label[..label.len() - 1].contains('*') => {
            let prefix = &label[..label.len() - 1];
            let lo = if prefix.is_empty() {
                NuGetVersion::pre_floor(&numeric)
            } else {
                NuGetVersion::parse(&format!("{nums_text}-{prefix}"))?
            };
            let release = NuGetVersion::parse(nums_text)?;
            Ok(Some(VersionSet::from_interval(Interval {
                lo: Bound::Included(w(lo)),
                hi: Bound::Included(w(release)),
            })))
        }
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn n(s: &str) -> NuGetVersion {
        NuGetVersion::parse(s).unwrap()
    }

    fn v(s: &str) -> Version {
        Version::NuGet(n(s))
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn ordering() {
        let ordered = [
            "0.9",
            "1.0.0-0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-Beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.0.1",
            "1.0.1",
            "1.10",
        ];
        for pair in ordered.windows(2) {
            assert!(n(pair[0]) < n(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        for (a, b) in [
            ("1.0", "1.0.0.0"),
            ("1.0.0-RC.1", "1.0.0-rc.1"),
            ("1.0.0+abc", "1.0.0"),
        ] {
            assert_eq!(n(a), n(b), "{a} == {b}");
        }
        for bad in ["", "v1.0", "1.0.0.0.0", "1..0", "1.0-", "1.0-a..b"] {
            assert!(NuGetVersion::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges() {
        let cases = [
            ("1.0", ">=1.0"),
            ("[1.0]", "1.0"),
            ("[1.0,2.0)", ">=1.0, <2.0"),
            ("(1.0,)", ">1.0"),
            ("(,1.0]", "<=1.0"),
            ("[1.0, 2.0]", ">=1.0, <=2.0"),
            ("1.*", ">=1.0.0, <2.0.0"),
            ("1.2.*", ">=1.2.0, <1.3.0"),
            ("*", "any version"),
            ("1.0.0-*", ">=1.0.0-0, <=1.0.0"),
            ("1.*-*", ">=1.0.0-0, <2.0.0"),
            ("1.0.0-beta*", ">=1.0.0-beta, <=1.0.0"),
            ("[1.*, 2.0)", ">=1.0.0, <2.0"),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
        assert!(set("1.0.0-*").contains(&v("1.0.0-alpha")));
        assert!(!set("1.0.0-beta*").contains(&v("1.0.0-alpha")));
        assert!(!set("1.*").contains(&v("2.0.0-beta")));
        assert!(set("1.*-*").contains(&v("1.0.0-beta")));
        assert!(!set("1.*").contains(&v("1.0.0-beta")));
        for bad in ["[1.0,2.0", "(1.0)", "[1,2,3]", "1.*.3", "1.0.0-*-*", "x"] {
            assert!(
                matches!(parse_declared(bad), Err(VersionError::Invalid(_))),
                "{bad}: {:?}",
                parse_declared(bad)
            );
        }
        assert!(matches!(
            parse_declared("$(NewtonsoftVersion)"),
            Err(VersionError::Unknown(_))
        ));
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::NuGet, t).unwrap();
        assert_eq!(verdict(&set("[2.1.0]"), &req(">=3.0")), Verdict::Never);
        assert_eq!(verdict(&set("[3.1,4.0)"), &req(">=3.0")), Verdict::Always);
        // a bare version is a minimum: it also admits every later major
        match verdict(&set("3.1.0"), &req(">=3.0, <4")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=4"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(
            a in "[0-2](\\.[0-2]){1,3}(-(alpha|Beta|rc)(\\.[0-2])?)?",
            b in "[0-2](\\.[0-2]){1,3}(-(alpha|Beta|rc)(\\.[0-2])?)?",
            c in "[0-2](\\.[0-2]){1,3}(-(alpha|Beta|rc)(\\.[0-2])?)?",
        ) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&format!("[{a}]")).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
