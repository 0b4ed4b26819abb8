//! Dotted versions: `8.0.36`, `1.27`, `3.12.1`, `5.0.0-rc1`, and Docker tags built on them.
//!
//! Used for servers, runtimes, managed services and anything without a richer scheme.
//! Missing components compare as zero (`8.0` == `8.0.0`). A suffix after `-` marks a
//! pre-release that sorts before the release (`5.0.0-rc1` < `5.0.0`).

use std::cmp::Ordering;

use super::{Version, VersionError, VersionSet, join_release};

#[derive(Debug, Clone)]
pub struct Dotted {
    parts: Vec<u64>,
    pre: Option<String>,
    text: String,
}

impl Dotted {
    pub fn new(parts: Vec<u64>) -> Self {
        let text = join_release(&parts);
        Dotted {
            parts,
            pre: None,
            text,
        }
    }

    /// Parse `8.0.36`, `v18.17.0`, `5.0.0-rc1`, `1.27`.
    pub fn parse(text: &str) -> Result<Dotted, VersionError> {
        let body = text
            .strip_prefix('v')
            .or_else(|| text.strip_prefix('V'))
            .unwrap_or(text);
        // build metadata (`17.0.2+8`, `1.0.0+sha.1`) is not a pre-release: it never orders
        let body = body.split_once('+').map_or(body, |(core, _)| core);
        let (nums, pre) = match body.split_once('-') {
            Some((nums, pre)) => (nums, Some(pre)),
            None => (body, None),
        };
        if nums.is_empty() {
            return Err(VersionError::Invalid(format!(
                "`{text}` has no version number"
            )));
        }
        let mut parts = Vec::new();
        for p in nums.split('.') {
            match p.parse::<u64>() {
                Ok(n) if !p.is_empty() => parts.push(n),
                _ => {
                    return Err(VersionError::Invalid(format!(
                        "`{text}` is not a dotted version"
                    )));
                }
            }
        }
        Ok(Dotted {
            parts,
            pre: pre.filter(|p| !p.is_empty()).map(str::to_string),
            text: text.to_string(),
        })
    }

    pub fn parts(&self) -> &[u64] {
        &self.parts
    }

    pub fn major(&self) -> u64 {
        self.parts.first().copied().unwrap_or(0)
    }

    pub fn minor(&self) -> u64 {
        self.parts.get(1).copied().unwrap_or(0)
    }

    /// The first version after every version that starts with these parts:
    /// `8.0` -> `8.1`, `8` -> `9`.
    pub fn bump_last(&self) -> Dotted {
        let mut parts = self.parts.clone();
        if let Some(last) = parts.last_mut() {
            *last += 1;
        }
        Dotted::new(parts)
    }

    fn padded(&self, n: usize) -> u64 {
        self.parts.get(n).copied().unwrap_or(0)
    }
}

impl Ord for Dotted {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.parts.len().max(other.parts.len());
        for i in 0..n {
            match self.padded(i).cmp(&other.padded(i)) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        match (&self.pre, &other.pre) {
            (None, None) => Ordering::Equal,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => natural_cmp(a, b),
        }
    }
}

/// Compare pre-release suffixes with digit runs as numbers: `rc2 < rc10`, `beta1 < rc1`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let digits = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
        let run = |s: &str, d: bool| s.find(|c: char| c.is_ascii_digit() != d).unwrap_or(s.len());
        let (da, db) = (digits(a), digits(b));
        let (ra, rb) = (run(a, da), run(b, db));
        let o = match (da, db) {
            (true, true) => {
                let (x, y) = (
                    a[..ra].trim_start_matches('0'),
                    b[..rb].trim_start_matches('0'),
                );
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            // a number sorts before letters, as SemVer orders numeric identifiers first
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => a[..ra].cmp(&b[..rb]),
        };
        if o != Ordering::Equal {
            return o;
        }
        a = &a[ra..];
        b = &b[rb..];
    }
}

order_by_cmp_show_text!(Dotted);

/// A declared dotted version: exact when written in full; a partial one (`18`, `3.12`)
/// admits everything under it, as `.nvmrc`, `.python-version` and tags mean it.
/// `lts/*`, `latest`, `stable`, `system` and the like are unknown.
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    // a floor (GKE's `min_master_version`, which the extractor writes `>=1.27.3-gke.100`):
    // that version and every later one
    if let Some(floor) = t.strip_prefix(">=") {
        return Dotted::parse(floor.trim()).map(|v| VersionSet::at_least(Version::Dotted(v)));
    }
    let t = t
        .strip_suffix(".x")
        .or_else(|| t.strip_suffix(".*"))
        .unwrap_or(t);
    match Dotted::parse(t) {
        Ok(v) => Ok(prefix_set(v)),
        Err(_)
            if t.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() && c != 'v') =>
        {
            Err(VersionError::Unknown(format!(
                "`{text}` names no version number"
            )))
        }
        Err(e) => Err(e),
    }
}

/// Does a declared dotted version name a release line (`18`, `3.12`, `18.x`) rather than
/// one version? The same reading as [`parse_declared`].
pub(super) fn declares_line(text: &str) -> bool {
    let t = text.trim();
    let t = t
        .strip_suffix(".x")
        .or_else(|| t.strip_suffix(".*"))
        .unwrap_or(t);
    Dotted::parse(t).is_ok_and(|v| is_line(&v))
}

/// Does a Docker tag name a release line (`22-alpine`, `3.13-slim`, `8`)? The same
/// reading as [`parse_docker_tag`].
pub(super) fn tag_is_line(tag: &str) -> bool {
    docker_numbers(tag)
        .and_then(|nums| Dotted::parse(nums).ok())
        .is_some_and(|v| is_line(&v))
}

/// One or two release parts and no pre-release: a line, not a version.
fn is_line(v: &Dotted) -> bool {
    v.parts.len() < 3 && v.pre.is_none()
}

/// `8.0.36` -> exactly 8.0.36; `8.0` -> [8.0, 8.1); `8` -> [8, 9). Three or more parts
/// are treated as exact.
fn prefix_set(v: Dotted) -> VersionSet {
    if !is_line(&v) {
        VersionSet::exact(Version::Dotted(v))
    } else {
        let hi = v.bump_last();
        VersionSet::half_open(Version::Dotted(v), Version::Dotted(hi))
    }
}

/// A Docker tag: numeric prefix plus optional variant (`8.0.36-debian`, `15-alpine`,
/// `7.2.4-bookworm`). The variant is a build flavour, not a pre-release, so it is
/// dropped before comparing. `latest`, an empty tag or a non-numeric tag is unknown.
pub(super) fn parse_docker_tag(tag: &str) -> Result<VersionSet, VersionError> {
    if tag.is_empty() || tag == "latest" {
        return Err(VersionError::Unknown(format!(
            "image tag `{}` does not pin a version",
            if tag.is_empty() { "(none)" } else { tag }
        )));
    }
    let Some(nums) = docker_numbers(tag) else {
        return Err(VersionError::Unknown(format!(
            "image tag `{tag}` has no version number"
        )));
    };
    let v = Dotted::parse(nums)?;
    Ok(prefix_set(Dotted {
        text: nums.to_string(),
        ..v
    }))
}

/// The numeric prefix of a tag (`15` of `v15.2-alpine` is `15.2`), if it has one.
fn docker_numbers(tag: &str) -> Option<&str> {
    let body = tag.strip_prefix('v').unwrap_or(tag);
    let end = body
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(body.len());
    let nums = body[..end].trim_end_matches('.');
    (!nums.is_empty()).then_some(nums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, parse_requirement};
    use proptest::prelude::*;

    fn d(s: &str) -> Version {
        Version::Dotted(Dotted::parse(s).unwrap())
    }

    #[test]
    fn ordering() {
        assert!(d("8.0.36") > d("8.0.4"));
        assert_eq!(d("8.0"), d("8.0.0"));
        assert!(d("5.0.0-rc1") < d("5.0.0"));
        assert!(d("v18.17.0") > d("18.2"));
    }

    // regression: a `+build` suffix sorted as a pre-release, and `rc10` before `rc2`
    #[test]
    fn build_metadata_and_numeric_pre_releases() {
        assert_eq!(d("17.0.2+8"), d("17.0.2"));
        assert!(d("17.0.2+8") > d("17.0.2-ea"));
        assert!(d("5.0.0-rc2") < d("5.0.0-rc10"));
        assert!(d("3.12.0-beta1") < d("3.12.0-rc1"));
        assert!(d("1.0.0-1") < d("1.0.0-alpha"));
        assert_eq!(d("5.0.0-rc01"), d("5.0.0-rc1"));
        assert_eq!(d("17.0.2+8").to_string(), "17.0.2+8");
    }

    #[test]
    fn docker_tags() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("8.0.36", &["8.0.36"], &["8.0.35", "8.0.37"]),
            ("8.0.36-debian", &["8.0.36"], &["8.0.35"]),
            ("8.0", &["8.0.0", "8.0.36"], &["8.1.0", "7.9"]),
            ("8", &["8.0.0", "8.4.2"], &["9.0.0"]),
            ("15-alpine", &["15.0", "15.6"], &["16.0"]),
            ("7.2.4-bookworm", &["7.2.4"], &["7.2.5"]),
        ];
        for (tag, yes, no) in cases {
            let s = parse_docker_tag(tag).unwrap();
            for v in *yes {
                assert!(s.contains(&d(v)), "{tag} should admit {v}");
            }
            for v in *no {
                assert!(!s.contains(&d(v)), "{tag} should not admit {v}");
            }
        }
        for tag in ["latest", "", "alpine", "lts"] {
            assert!(
                matches!(parse_docker_tag(tag), Err(VersionError::Unknown(_))),
                "{tag}"
            );
        }
    }

    #[test]
    fn declared_runtime_versions() {
        assert!(parse_declared("18").unwrap().contains(&d("18.17.1")));
        assert!(parse_declared("v20.11.0").unwrap().contains(&d("20.11.0")));
        assert!(parse_declared("3.12").unwrap().contains(&d("3.12.4")));
        assert!(parse_declared("18.x").unwrap().contains(&d("18.1")));
        let floor = parse_declared(">=1.27.3-gke.100").unwrap();
        assert!(floor.contains(&d("1.27.3-gke.100")) && floor.contains(&d("1.31.2")));
        assert!(!floor.contains(&d("1.26.9")) && !floor.contains(&d("1.27.3-gke.50")));
        assert!(parse_declared(">=lts").is_err());
        assert!(matches!(
            parse_declared("lts/hydrogen"),
            Err(VersionError::Unknown(_))
        ));
        assert!(matches!(
            parse_declared("1.x.y"),
            Err(VersionError::Invalid(_))
        ));
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(
            a in "[0-2](\\.[0-2]){0,3}(-(rc|beta)[0-9]{1,2})?",
            b in "[0-2](\\.[0-2]){0,3}(-(rc|beta)[0-9]{1,2})?",
            c in "[0-2](\\.[0-2]){0,3}(-(rc|beta)[0-9]{1,2})?",
        ) {
            let (a, b, c) = (d(&a), d(&b), d(&c));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_requirement(Scheme::Dotted, &format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_requirement(Scheme::Dotted, &format!("={a}")).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
