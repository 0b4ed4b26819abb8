//! npm versions and ranges (`^1.2.3`, `~1.2`, `1.x`, `1.2 - 2`, `>=1 <3 || ^5`), lowered to
//! [`VersionSet`]s; Helm reuses the same range grammar (`helm.rs`).
//!
//! Versions are `nodejs_semver::Version` (SemVer 2 order, build metadata ignored). Ranges are
//! parsed here rather than through `nodejs_semver::Range`, whose desugaring was measured
//! wrong on inputs manifests do contain: `<=2` became `<=2.9007…`, an empty intersection
//! (`>=1 <1`) became everything, and `1 2` became a union. The desugaring (shared with
//! Cargo in `ranges.rs`) follows node-semver's documented rules (`^0.2.3` = `>=0.2.3
//! <0.3.0-0`, `1.2.3 - 2.3` = `>=1.2.3 <2.4.0-0`, `<=1.2` = `<1.3.0-0`, `>1` = `>=2.0.0`).
//!
//! **npm's pre-release rule.** npm only lets a range match `2.1.0-beta.1` when one of its
//! comparators names a pre-release of the same `2.1.0`; an interval cannot express that, so a
//! lowered set also admits pre-releases that sit strictly between its bounds (`^1.2.3`
//! admits `1.5.0-rc.1`). Upper bounds use npm's own `-0` floor (`<2.0.0-0`), so no
//! pre-release of the next major leaks in at the edge, and lower bounds of x-ranges start at
//! the release (`1.x` = `>=1.0.0`), so comparing a declared range with a rule never fails only
//! because of pre-releases at a boundary. The superset is harmless to the verdict: installers
//! resolve real versions from the lockfile, which is checked exactly.
//!
//! Must not: decide what a specifier *means* for a package beyond its version set (aliases,
//! workspaces and git sources are only classified as unknown here).

use super::ranges::{PartialOp, lower_partial, split_operator};
use super::{Bound, Interval, Version, VersionError, VersionSet};

type SemVer = nodejs_semver::Version;

/// Parse one npm version (`1.2.3`, `v1.2.3-rc.1`). A partial version (`2`, `1.2`), as rule
/// files write bounds, is padded with zeros.
pub(super) fn parse_version(text: &str) -> Result<SemVer, VersionError> {
    let t = text.trim();
    let t = t.strip_prefix('=').unwrap_or(t).trim();
    if let Ok(v) = SemVer::parse(t) {
        return Ok(v);
    }
    match parse_partial(t) {
        Ok(p) if p.major.is_some() && p.pre.is_empty() => Ok(p.floor_release()),
        _ => Err(VersionError::Invalid(format!(
            "`{text}` is not a semantic version"
        ))),
    }
}

/// Parse what `package.json` declares. Non-registry specifiers and dist-tags are `Unknown`.
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("workspace:") {
        return match rest {
            "*" | "^" | "~" | "" => Err(VersionError::Unknown(format!(
                "`{text}` is the workspace package's own version"
            ))),
            range => parse_declared(range),
        };
    }
    if let Some(alias) = t.strip_prefix("npm:") {
        // `npm:name@range`, `npm:@scope/name@range`: the version part follows the last `@`
        // that is not the scope's leading one.
        let scope = usize::from(alias.starts_with('@'));
        return match alias[scope..].rfind('@') {
            Some(i) => parse_declared(&alias[scope + i + 1..]),
            None => Err(VersionError::Unknown(format!(
                "`{text}` aliases the latest version"
            ))),
        };
    }
    if let Some(reason) = non_range(t) {
        return Err(VersionError::Unknown(format!("`{text}` {reason}")));
    }
    match parse_range(t, Version::Npm, false) {
        Ok(set) => Ok(set),
        Err(_) if is_dist_tag(t) => Err(VersionError::Unknown(format!(
            "`{text}` is a dist-tag, not a version"
        ))),
        Err(e) => Err(e),
    }
}

/// Specifiers that name a source instead of a version range, with why.
fn non_range(t: &str) -> Option<&'static str> {
    const SOURCES: &[(&str, &str)] = &[
        ("git+", "is a git source"),
        ("git:", "is a git source"),
        ("git@", "is a git source"),
        ("github:", "is a GitHub source"),
        ("gitlab:", "is a GitLab source"),
        ("bitbucket:", "is a Bitbucket source"),
        ("gist:", "is a gist source"),
        ("http://", "is a tarball URL"),
        ("https://", "is a tarball URL"),
        ("file:", "is a local path"),
        ("link:", "is a local link"),
        ("portal:", "is a local link"),
        ("patch:", "is a patched package"),
        ("catalog:", "is resolved from a pnpm catalog"),
        ("./", "is a local path"),
        ("../", "is a local path"),
        ("~/", "is a local path"),
        ("/", "is a local path"),
    ];
    if let Some((_, why)) = SOURCES.iter().find(|(p, _)| t.starts_with(p)) {
        return Some(why);
    }
    // GitHub shorthand `user/repo` or `user/repo#ref`
    if t.contains('/') && !t.contains(' ') && !t.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("is a GitHub source");
    }
    None
}

/// `latest`, `next`, `beta`, `canary`: a name, not a version.
fn is_dist_tag(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_alphabetic())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Parse a node-semver range set. `masterminds` also accepts `,` between comparators and
/// `!=` (Masterminds semver, as Helm uses it). `wrap` puts versions into the right
/// [`Version`] variant.
pub(super) fn parse_range(
    text: &str,
    wrap: fn(SemVer) -> Version,
    masterminds: bool,
) -> Result<VersionSet, VersionError> {
    VersionSet::any_of(text.split("||").map(|alt| {
        let alt = if masterminds {
            alt.replace(',', " ")
        } else {
            alt.to_string()
        };
        parse_conjunction(alt.trim(), wrap, masterminds).map_err(|m| {
            VersionError::Invalid(format!("`{}` is not a valid range: {m}", text.trim()))
        })
    }))
}

/// One `||` alternative: a hyphen range or space-separated comparators, all of which hold.
fn parse_conjunction(
    alt: &str,
    wrap: fn(SemVer) -> Version,
    masterminds: bool,
) -> Result<VersionSet, String> {
    let words: Vec<&str> = alt.split_whitespace().collect();
    if words.is_empty() {
        return Ok(VersionSet::all());
    }
    if let [lo, "-", hi] = words.as_slice() {
        return Ok(hyphen(&parse_partial(lo)?, &parse_partial(hi)?, wrap));
    }
    // glue operators written apart from their version: `>= 1.2`, `^ 1.2`
    let mut tokens: Vec<String> = Vec::new();
    for w in words {
        if let Some(last) = tokens.last_mut()
            && matches!(
                last.as_str(),
                ">=" | "<=" | ">" | "<" | "=" | "^" | "~" | "~>" | "!="
            )
        {
            last.push_str(w);
            continue;
        }
        tokens.push(w.to_string());
    }
    VersionSet::all_of(tokens.iter().map(|tok| match tok.strip_prefix("!=") {
        Some(rest) if masterminds => comparator(rest, wrap).map(|s| s.complement()),
        _ => comparator(tok, wrap),
    }))
}

/// A possibly partial version: `None` parts are missing or wildcards (`x`, `X`, `*`).
#[derive(Debug, Clone)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    /// pre-release identifiers (without `-`), only with a full version
    pre: String,
}

impl Partial {
    fn version(&self, major: u64, minor: u64, patch: u64, pre: &str) -> SemVer {
        let text = if pre.is_empty() {
            format!("{major}.{minor}.{patch}")
        } else {
            format!("{major}.{minor}.{patch}-{pre}")
        };
        SemVer::parse(&text).expect("formatted from numbers and a validated pre-release")
    }

    /// The lowest release the partial names: `1.2` -> `1.2.0`; keeps a full version's
    /// pre-release.
    fn floor_release(&self) -> SemVer {
        let pre = if self.patch.is_some() { &self.pre } else { "" };
        self.version(
            self.major.unwrap_or(0),
            self.minor.unwrap_or(0),
            self.patch.unwrap_or(0),
            pre,
        )
    }

    /// The first version above everything the partial covers, as npm's `-0` floor:
    /// `1` -> `2.0.0-0`, `1.2` -> `1.3.0-0`. `None` for a full version or `*`.
    fn ceiling(&self) -> Option<SemVer> {
        match (self.major, self.minor, self.patch) {
            (Some(m), None, _) => Some(self.version(m + 1, 0, 0, "0")),
            (Some(m), Some(n), None) => Some(self.version(m, n + 1, 0, "0")),
            _ => None,
        }
    }
}

fn parse_partial(text: &str) -> Result<Partial, String> {
    let t = text.strip_prefix('=').unwrap_or(text);
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    // build metadata never takes part in ordering
    let core = t.split_once('+').map_or(t, |(core, _)| core);
    let (nums, pre) = core.split_once('-').unwrap_or((core, ""));
    if core.ends_with('-') {
        return Err(format!("`{text}` has an empty pre-release"));
    }
    let mut parts = [None, None, None];
    let mut wildcard = false;
    let pieces: Vec<&str> = nums.split('.').collect();
    if pieces.len() > 3 || nums.is_empty() {
        return Err(format!("`{text}` is not a version"));
    }
    for (i, p) in pieces.iter().enumerate() {
        if matches!(*p, "x" | "X" | "*") {
            wildcard = true;
        } else if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
            let n = p
                .parse::<u64>()
                .map_err(|_| format!("`{p}` is too large"))?;
            if !wildcard {
                parts[i] = Some(n);
            }
        } else {
            return Err(format!("`{text}` is not a version"));
        }
    }
    if !pre.is_empty() {
        let valid = pre
            .split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if !valid || parts[2].is_none() {
            return Err(format!("`{text}` has an invalid pre-release"));
        }
    }
    Ok(Partial {
        major: parts[0],
        minor: parts[1],
        patch: parts[2],
        pre: pre.to_string(),
    })
}

fn hyphen(lo: &Partial, hi: &Partial, wrap: fn(SemVer) -> Version) -> VersionSet {
    let lo_bound = match lo.major {
        None => Bound::Unbounded,
        Some(_) => Bound::Included(wrap(lo.floor_release())),
    };
    let hi_bound = match (hi.major, hi.ceiling()) {
        (None, _) => Bound::Unbounded,
        (_, Some(c)) => Bound::Excluded(wrap(c)),
        (_, None) => Bound::Included(wrap(hi.floor_release())),
    };
    VersionSet::from_interval(Interval {
        lo: lo_bound,
        hi: hi_bound,
    })
}

/// One comparator: `>=1.2`, `<2`, `~1.2.3`, `^0.2`, `1.x`, `=1.2.3`.
fn comparator(tok: &str, wrap: fn(SemVer) -> Version) -> Result<VersionSet, String> {
    let ops = ["~>", ">=", "<=", ">", "<", "=", "^", "~"];
    let (op, rest) = split_operator(tok, &ops, "");
    let p = parse_partial(rest)?;
    let Some(major) = p.major else {
        // `*`, `x`, `>=*`: anything; `<*`, `>*`: nothing
        return Ok(match op {
            "<" | ">" => VersionSet::empty(),
            _ => VersionSet::all(),
        });
    };
    let op = match op {
        "" | "=" => PartialOp::Exact,
        ">=" => PartialOp::GreaterEq,
        ">" => PartialOp::Greater,
        "<" => PartialOp::Less,
        "<=" => PartialOp::LessEq,
        "~" | "~>" => PartialOp::Tilde,
        "^" => PartialOp::Caret,
        _ => unreachable!("operator list is closed"),
    };
    Ok(lower_partial(
        op,
        (major, p.minor, p.patch),
        wrap(p.floor_release()),
        |a, b, c, floor| wrap(p.version(a, b, c, if floor { "0" } else { "" })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn v(s: &str) -> Version {
        Version::Npm(parse_version(s).unwrap())
    }

    fn set(s: &str) -> VersionSet {
        parse_declared(s).unwrap()
    }

    #[test]
    fn ordering() {
        let ordered = [
            "0.0.1",
            "1.0.0-0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.2.10",
            "1.10.0",
            "2.0.0",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0.0+build.5"), v("1.0.0"));
        assert_eq!(v("v1.2.3"), v("1.2.3"));
        assert_eq!(v("2"), v("2.0.0"));
    }

    #[test]
    fn declared_ranges_lower_like_npm() {
        let cases = [
            ("^1.2.3", ">=1.2.3, <2.0.0-0"),
            ("^0.2.3", ">=0.2.3, <0.3.0-0"),
            ("^0.0.3", ">=0.0.3, <0.0.4-0"),
            ("^1.2", ">=1.2.0, <2.0.0-0"),
            ("^0.0", ">=0.0.0, <0.1.0-0"),
            ("^0.x", ">=0.0.0, <1.0.0-0"),
            ("^1.2.3-beta.2", ">=1.2.3-beta.2, <2.0.0-0"),
            ("~1.2.3", ">=1.2.3, <1.3.0-0"),
            ("~1.2", ">=1.2.0, <1.3.0-0"),
            ("~1", ">=1.0.0, <2.0.0-0"),
            ("1.x", ">=1.0.0, <2.0.0-0"),
            ("1.2.*", ">=1.2.0, <1.3.0-0"),
            ("1", ">=1.0.0, <2.0.0-0"),
            ("1.2.3", "1.2.3"),
            ("=1.2.3", "1.2.3"),
            ("v1.2.3", "1.2.3"),
            ("1.2.3 - 2.3.4", ">=1.2.3, <=2.3.4"),
            ("1.2 - 2.3.4", ">=1.2.0, <=2.3.4"),
            ("1.2.3 - 2.3", ">=1.2.3, <2.4.0-0"),
            ("1.2.3 - 2", ">=1.2.3, <3.0.0-0"),
            (">1.2", ">=1.3.0"),
            (">1.2.3", ">1.2.3"),
            ("<1.2", "<1.2.0-0"),
            ("<=1.2", "<1.3.0-0"),
            ("<=2", "<3.0.0-0"),
            (">= 1.2 < 3", ">=1.2.0, <3.0.0-0"),
            (">=1.2.7 <1.3.0", ">=1.2.7, <1.3.0"),
            ("1.2.7 || >=1.2.9 <2.0.0", "1.2.7 || >=1.2.9, <2.0.0"),
            ("^1.2 || >=3 <4", ">=1.2.0, <2.0.0-0 || >=3.0.0, <4.0.0-0"),
            ("*", "any version"),
            ("", "any version"),
            ("x", "any version"),
            (">=1.0.0 <1.0.0", "no version"),
            ("1 2", "no version"),
            ("workspace:^1.2.0", ">=1.2.0, <2.0.0-0"),
            ("npm:lodash@^4.17.0", ">=4.17.0, <5.0.0-0"),
            ("npm:@types/node@~18.1", ">=18.1.0, <18.2.0-0"),
        ];
        for (text, want) in cases {
            assert_eq!(set(text).to_string(), want, "{text}");
        }
    }

    #[test]
    fn non_ranges_are_unknown_and_garbage_is_invalid() {
        for text in [
            "workspace:*",
            "workspace:^",
            "latest",
            "next",
            "npm:lodash",
            "git+https://example.test/a/b.git",
            "git@example.test:a/b.git",
            "github:user/repo",
            "user/repo#v1.0.0",
            "file:../lib",
            "link:../lib",
            "https://registry.example.test/a/-/a-1.0.0.tgz",
            "./vendor/a.tgz",
            "catalog:",
        ] {
            assert!(
                matches!(parse_declared(text), Err(VersionError::Unknown(_))),
                "{text}: {:?}",
                parse_declared(text)
            );
        }
        for text in [">=abc", "1.2.3.4", "^1.2.3-", "1.2.3 -", "1.x.3-beta"] {
            assert!(
                matches!(parse_declared(text), Err(VersionError::Invalid(_))),
                "{text}: {:?}",
                parse_declared(text)
            );
        }
    }

    #[test]
    fn membership() {
        let s = set("^2.18.1");
        assert!(s.contains(&v("2.18.1")));
        assert!(s.contains(&v("2.99.0")));
        assert!(!s.contains(&v("3.0.0")));
        assert!(!s.contains(&v("3.0.0-beta.1")));
        assert!(!s.contains(&v("2.18.0")));
        // documented superset: a pre-release strictly inside the bounds is admitted
        assert!(s.contains(&v("2.19.0-rc.1")));
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::Npm, t).unwrap();
        assert_eq!(verdict(&set("^2.18.1"), &req("none")), Verdict::Never);
        assert_eq!(verdict(&set("^2.18.1"), &req(">=3")), Verdict::Never);
        assert_eq!(verdict(&set("^3.1.0"), &req(">=3.0.0")), Verdict::Always);
        assert_eq!(verdict(&set("~2.18"), &req(">=2, <3")), Verdict::Always);
        match verdict(&set(">=2.15"), &req(">=2.18.1 || >=3")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=2.15.0, <2.18.1"),
            other => panic!("{other:?}"),
        }
    }

    fn arb_version() -> impl Strategy<Value = Version> {
        (0u64..4, 0u64..4, 0u64..4, prop::option::of(0u64..3)).prop_map(|(a, b, c, pre)| {
            let text = match pre {
                Some(p) => format!("{a}.{b}.{c}-rc.{p}"),
                None => format!("{a}.{b}.{c}"),
            };
            v(&text)
        })
    }

    proptest! {
        #[test]
        fn order_is_total_and_matches_ranges(a in arb_version(), b in arb_version(), c in arb_version()) {
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            if a <= b && b <= c { prop_assert!(a <= c); }
            let at_least = parse_requirement(Scheme::Npm, &format!(">={a}")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&a.to_string()).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }
    }
}
