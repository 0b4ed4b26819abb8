//! Maven versions (a port of Maven's `ComparableVersion`) and version ranges.
//!
//! Ordering follows `org.apache.maven.artifact.versioning.ComparableVersion` as of Maven
//! 3.9 (with MNG-7644 and MNG-6964; `ComparableVersionTest`'s examples are the tests
//! below): `.`/`-` and digit/letter transitions split items, `-` (and a qualifier after `.`)
//! opens a sub-list, trailing "null" items (`0`, `""`, `ga`, `final`, `release`, empty
//! lists) are dropped, and known qualifiers order
//! `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final < sp`, then unknown
//! qualifiers lexically; `a1`/`b1`/`m1` abbreviate alpha/beta/milestone.
//!
//! Maven's order is not total on degenerate input (`"" < A < 0A0 < ""`); on the shapes
//! real artifacts use (numbers, then qualifiers) it is, and the property test checks that.
//!
//! Ranges: `[1.0,2.0)`, `(,1.0]`, `[1.2]`, unions `[1,2),[3,)`. A bare `1.0` is Maven's
//! *soft* requirement; we read it as exactly 1.0, the version Maven picks when nothing else
//! in the tree asks for another. Property references (`${project.version}`) are unknown.
//!
//! Must not: resolve properties, parents or BOMs (the extractor knows the POM).

use std::cmp::Ordering;

use super::{Bound, Interval, Version, VersionError, VersionSet};

/// A Maven version: the parsed item tree for ordering, the original text for display.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
    text: String,
}

#[derive(Debug, Clone)]
enum Item {
    /// digits without leading zeros (`""` is zero), so any length compares correctly
    Int(String),
    Str(String),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE_INDEX: usize = 5;

impl MavenVersion {
    pub fn parse(text: &str) -> Result<MavenVersion, VersionError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(VersionError::Invalid("empty Maven version".into()));
        }
        if t.contains(|c: char| c.is_whitespace() || "[](),${}".contains(c)) {
            return Err(VersionError::Invalid(format!(
                "`{t}` is not a Maven version"
            )));
        }
        Ok(MavenVersion {
            items: parse_items(&t.to_ascii_lowercase()),
            text: t.to_string(),
        })
    }
}

/// `ComparableVersion.parseVersion`: each new list nests in the previous one and is its
/// last element, so a chain of lists folded from the innermost rebuilds the tree.
fn parse_items(version: &str) -> Vec<Item> {
    let bytes = version.as_bytes();
    let mut chain: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let list = chain.last_mut().expect("the chain starts non-empty");
        if c == b'.' || c == b'-' {
            if i == start {
                list.push(Item::Int(String::new()));
            } else {
                list.push(item(is_digit, &version[start..i], false));
            }
            start = i + 1;
            if c == b'-' {
                chain.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // MNG-7644: `1.0.0.X1 < 1.0.0-X2`, a qualifier after `.` nests like after `-`
                let qualifier = item(false, &version[start..i], true);
                if list.is_empty() {
                    list.push(qualifier);
                } else {
                    chain.push(vec![qualifier]);
                }
                start = i;
                chain.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                list.push(item(true, &version[start..i], false));
                start = i;
                chain.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if version.len() > start {
        let last = item(is_digit, &version[start..], false);
        let list = chain.last_mut().expect("non-empty");
        if !is_digit && !list.is_empty() {
            chain.push(vec![last]);
        } else {
            list.push(last);
        }
    }
    let mut inner = normalize(chain.pop().expect("non-empty"));
    while let Some(mut parent) = chain.pop() {
        parent.push(Item::List(inner));
        inner = normalize(parent);
    }
    inner
}

fn item(is_digit: bool, buf: &str, followed_by_digit: bool) -> Item {
    if is_digit {
        return Item::Int(buf.trim_start_matches('0').to_string());
    }
    let value = match (followed_by_digit, buf) {
        (true, "a") => "alpha",
        (true, "b") => "beta",
        (true, "m") => "milestone",
        (_, "ga" | "final" | "release") => "",
        (_, "cr") => "rc",
        (_, other) => other,
    };
    Item::Str(value.to_string())
}

/// Drop trailing null items, looking through (but keeping) non-null sub-lists.
fn normalize(mut list: Vec<Item>) -> Vec<Item> {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if is_null(&list[i]) {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
    list
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(n) => n.is_empty(),
        Item::Str(s) => qualifier_rank(s) == (RELEASE_INDEX, ""),
        Item::List(l) => l.is_empty(),
    }
}

/// Known qualifiers by index, unknown ones after all of them, lexically.
fn qualifier_rank(s: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|q| *q == s) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), s),
    }
}

fn cmp_int(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `Item.compareTo(other)`, where `None` is a missing item on the other side.
fn cmp_item(a: &Item, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (Item::Int(n), None) => {
            if n.is_empty() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Item::Int(x), Some(Item::Int(y))) => cmp_int(x, y),
        (Item::Int(_), Some(_)) => Ordering::Greater,
        (Item::Str(s), None) => qualifier_rank(s).cmp(&(RELEASE_INDEX, "")),
        (Item::Str(_), Some(Item::Int(_) | Item::List(_))) => Ordering::Less,
        (Item::Str(x), Some(Item::Str(y))) => qualifier_rank(x).cmp(&qualifier_rank(y)),
        // MNG-6964: every item counts against nothing, not just the first
        (Item::List(l), None) => l
            .iter()
            .map(|i| cmp_item(i, None))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
        (Item::List(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::List(_), Some(Item::Str(_))) => Ordering::Greater,
        (Item::List(l), Some(Item::List(r))) => cmp_lists(l, r),
    }
}

fn cmp_lists(l: &[Item], r: &[Item]) -> Ordering {
    for i in 0..l.len().max(r.len()) {
        let result = match (l.get(i), r.get(i)) {
            (Some(a), b) => cmp_item(a, b),
            (None, Some(b)) => cmp_item(b, None).reverse(),
            (None, None) => Ordering::Equal,
        };
        if result != Ordering::Equal {
            return result;
        }
    }
    Ordering::Equal
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}

order_by_cmp_show_text!(MavenVersion);

/// Parse a declared version or range (`1.0`, `[1.0,2.0)`, `(,1.0],[1.2,)`).
pub(super) fn parse_declared(text: &str) -> Result<VersionSet, VersionError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(VersionError::Unknown("no version declared".into()));
    }
    if t.contains("${") {
        return Err(VersionError::Unknown(format!(
            "`{t}` is a property reference"
        )));
    }
    // the metaversions Maven resolves from repository metadata at build time (apache/maven
    // `org.apache.maven.artifact.Artifact`: `LATEST_VERSION = "LATEST"`, `RELEASE_VERSION =
    // "RELEASE"`, the newest deployed and the newest non-snapshot artifact): the checkout
    // cannot tell which release that is
    if t == "LATEST" || t == "RELEASE" {
        return Err(VersionError::Unknown(format!(
            "`{t}` is a metaversion resolved at build time"
        )));
    }
    let w = |s: &str| MavenVersion::parse(s).map(Version::Maven);
    if !t.starts_with(['[', '(']) {
        return Ok(VersionSet::exact(w(t)?));
    }
    let invalid = |why: &str| VersionError::Invalid(format!("`{t}` is not a Maven range: {why}"));
    let mut set = VersionSet::empty();
    let mut rest = t;
    loop {
        let open = rest
            .chars()
            .next()
            .ok_or_else(|| invalid("missing range"))?;
        if open != '[' && open != '(' {
            return Err(invalid("expected `[` or `(`"));
        }
        let close_at = rest
            .find([']', ')'])
            .ok_or_else(|| invalid("unclosed range"))?;
        let close = rest.as_bytes()[close_at];
        let inner = &rest[1..close_at];
        let interval = match inner.split_once(',') {
            None => {
                if open != '[' || close != b']' {
                    return Err(invalid("a single version needs `[v]`"));
                }
                Interval::exact(w(inner.trim())?)
            }
            Some((lo, hi)) => {
                let (lo, hi) = (lo.trim(), hi.trim());
                if hi.contains(',') {
                    return Err(invalid("more than two bounds"));
                }
                let lo = match lo {
                    "" => Bound::Unbounded,
                    v if open == '[' => Bound::Included(w(v)?),
                    v => Bound::Excluded(w(v)?),
                };
                let hi = match hi {
                    "" => Bound::Unbounded,
                    v if close == b']' => Bound::Included(w(v)?),
                    v => Bound::Excluded(w(v)?),
                };
                Interval { lo, hi }
            }
        };
        set = set.union(&VersionSet::from_interval(interval));
        rest = rest[close_at + 1..].trim_start();
        if rest.is_empty() {
            return Ok(set);
        }
        rest = rest
            .strip_prefix(',')
            .ok_or_else(|| invalid("ranges must be separated by `,`"))?
            .trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Scheme, Verdict, parse_requirement, verdict};
    use proptest::prelude::*;

    fn mv(s: &str) -> MavenVersion {
        MavenVersion::parse(s).unwrap()
    }

    fn v(s: &str) -> Version {
        Version::Maven(mv(s))
    }

    fn assert_order(list: &[&str]) {
        for (i, low) in list.iter().enumerate() {
            for high in &list[i + 1..] {
                assert!(mv(low) < mv(high), "expected {low} < {high}");
                assert!(mv(high) > mv(low), "expected {high} > {low}");
            }
        }
    }

    // ComparableVersionTest.VERSIONS_QUALIFIER
    #[test]
    fn maven_qualifier_order() {
        assert_order(&[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ]);
    }

    // ComparableVersionTest.VERSIONS_NUMBER
    #[test]
    fn maven_number_order() {
        assert_order(&[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ]);
    }

    // ComparableVersionTest.testVersionsEqual (maven-3.9.11)
    #[test]
    fn maven_equal_versions() {
        let equal = [
            ("1", "1"),
            ("1", "1.0"),
            ("1", "1.0.0"),
            ("1.0", "1.0.0"),
            ("1", "1-0"),
            ("1", "1.0-0"),
            ("1.0", "1.0-0"),
            ("1a", "1-a"),
            ("1a", "1.0-a"),
            ("1a", "1.0.0-a"),
            ("1.0a", "1-a"),
            ("1.0.0a", "1-a"),
            ("1x", "1-x"),
            ("1x", "1.0-x"),
            ("1x", "1.0.0-x"),
            ("1.0x", "1-x"),
            ("1.0.0x", "1-x"),
            ("1ga", "1"),
            ("1release", "1"),
            ("1final", "1"),
            ("1cr", "1rc"),
            ("1a1", "1-alpha-1"),
            ("1b2", "1-beta-2"),
            ("1m3", "1-milestone-3"),
            ("1X", "1x"),
            ("1A", "1a"),
            ("1B", "1b"),
            ("1M", "1m"),
            ("1Ga", "1"),
            ("1GA", "1"),
            ("1RELEASE", "1"),
            ("1RELeaSE", "1"),
            ("1Final", "1"),
            ("1FinaL", "1"),
            ("1FINAL", "1"),
            ("1Cr", "1Rc"),
            ("1cR", "1rC"),
            ("1m3", "1Milestone3"),
            ("1m3", "1MileStone3"),
            ("1m3", "1MILESTONE3"),
            (
                "1-abcdefghijklmnopqrstuvwxyz",
                "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ),
            ("0001", "1"),
        ];
        for (a, b) in equal {
            assert_eq!(mv(a), mv(b), "{a} == {b}");
        }
        // MNG-7644: `.X` reads as `-X` for any qualifier X
        for x in [
            "abc",
            "alpha",
            "a",
            "beta",
            "b",
            "def",
            "milestone",
            "m",
            "RC",
        ] {
            assert!(
                mv(&format!("1.0.0.{x}1")) < mv(&format!("1.0.0-{x}2")),
                "{x}"
            );
            assert_eq!(mv(&format!("2-{x}")), mv(&format!("2.0.{x}")), "{x}");
            assert_eq!(mv(&format!("2-{x}")), mv(&format!("2.0.0.{x}")), "{x}");
        }
    }

    // ComparableVersionTest.testVersionComparing
    #[test]
    fn maven_pairwise_order() {
        let pairs = [
            ("1", "2"),
            ("1.5", "2"),
            ("1", "2.5"),
            ("1.0", "1.1"),
            ("1.1", "1.2"),
            ("1.0.0", "1.1"),
            ("1.0.1", "1.1"),
            ("1.1", "1.2.0"),
            ("1.0-alpha-1", "1.0"),
            ("1.0-alpha-1", "1.0-alpha-2"),
            ("1.0-alpha-1", "1.0-beta-1"),
            ("1.0-beta-1", "1.0-SNAPSHOT"),
            ("1.0-SNAPSHOT", "1.0"),
            ("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"),
            ("1.0", "1.0-1"),
            ("1.0-1", "1.0-2"),
            ("1.0.0", "1.0-1"),
            ("2.0-1", "2.0.1"),
            ("2.0.1-klm", "2.0.1-lmn"),
            ("2.0.1", "2.0.1-xyz"),
            ("2.0.1", "2.0.1-123"),
            ("2.0.1-xyz", "2.0.1-123"),
            // MNG-5568
            ("6.1.0rc3", "6.1.0"),
            ("6.1.0rc3", "6.1H.5-beta"),
            ("6.1.0", "6.1H.5-beta"),
            // MNG-6572
            ("20190126.230843", "1234567890.12345"),
            ("1234567890.12345", "123456789012345.1H.5-beta"),
            (
                "123456789012345.1H.5-beta",
                "12345678901234567890.1H.5-beta",
            ),
            // MNG-6964
            ("1-0.alpha", "1"),
            ("1-0.beta", "1"),
            ("1-0.alpha", "1-0.beta"),
            ("1.0", "1.0-sp1"),
            // the class doc's examples (MNG-7644)
            ("1.0.RC2", "1.0-RC3"),
            ("1.0-RC3", "1.0.1"),
            ("1.0.X2", "1.0-X3"),
            ("1.0-X3", "1.0.1"),
            // big numbers compare numerically
            ("1.99999999999999999998", "1.99999999999999999999"),
            ("1.9", "1.10"),
        ];
        for (low, high) in pairs {
            assert!(mv(low) < mv(high), "{low} < {high}");
        }
    }

    #[test]
    fn ranges() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("[1.0,2.0)", &["1.0", "1.5", "1.9.9"], &["0.9", "2.0"]),
            ("(,1.0]", &["0.1", "1.0"], &["1.0.1"]),
            ("[1.2]", &["1.2", "1.2.0"], &["1.2.1"]),
            ("[1,2),[3,)", &["1.5", "3", "9"], &["2", "2.5"]),
            ("(1.0,)", &["1.0.1", "1.0-1"], &["1.0"]),
            ("1.0", &["1.0"], &["1.1"]),
            ("[ 1.0 , 2.0 ]", &["2.0"], &["2.0.1"]),
        ];
        for (range, yes, no) in cases {
            let s = parse_declared(range).unwrap();
            for x in *yes {
                assert!(s.contains(&v(x)), "{range} should admit {x}");
            }
            for x in *no {
                assert!(!s.contains(&v(x)), "{range} should not admit {x}");
            }
        }
        assert_eq!(
            parse_declared("[1,2),[3,)").unwrap().to_string(),
            ">=1, <2 || >=3"
        );
        for bad in ["[1.0,2.0", "(1.0)", "[1,2,3]", "[1,2) x", "1.0 2.0"] {
            assert!(
                matches!(parse_declared(bad), Err(VersionError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_declared("${project.version}"),
            Err(VersionError::Unknown(_))
        ));
        // a metaversion is not a release: no rule may judge it as one
        for meta in ["LATEST", "RELEASE"] {
            assert!(
                matches!(parse_declared(meta), Err(VersionError::Unknown(_))),
                "{meta}"
            );
        }
    }

    #[test]
    fn verdicts() {
        let req = |t: &str| parse_requirement(Scheme::Maven, t).unwrap();
        let d = |t: &str| parse_declared(t).unwrap();
        assert_eq!(verdict(&d("8.0.33"), &req(">=8.0.4")), Verdict::Always);
        assert_eq!(verdict(&d("5.1.49"), &req(">=8.0.4")), Verdict::Never);
        assert_eq!(verdict(&d("8.0.0-SNAPSHOT"), &req(">=8.0")), Verdict::Never);
        match verdict(&d("[5.1,9)"), &req(">=8.0.4")) {
            Verdict::May { failing } => assert_eq!(failing.to_string(), ">=5.1, <8.0.4"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn order_is_antisymmetric_and_matches_ranges(
            a in "[1-9](\\.[0-2]){0,3}([-.](alpha|rc|cr|SNAPSHOT|sp|ga|jre|x|1)(1|-2|12)?){0,2}",
            b in "[1-9](\\.[0-2]){0,3}([-.](alpha|rc|cr|SNAPSHOT|sp|ga|jre|x|1)(1|-2|12)?){0,2}",
        ) {
            let (a, b) = (v(&a), v(&b));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            let at_least = parse_declared(&format!("[{a},)")).unwrap();
            prop_assert_eq!(at_least.contains(&b), b >= a);
            let pin = parse_declared(&format!("[{a}]")).unwrap();
            prop_assert_eq!(pin.contains(&b), a == b);
        }

        // Transitivity holds where qualifiers follow a `-`; a qualifier after a `.`
        // (`5.0.alpha`) can make Maven's own order cyclic (see
        // `cyclic_where_maven_is_cyclic`), so the generator leaves that form out here.
        #[test]
        fn order_is_transitive_with_dash_qualifiers(
            a in "[1-9](\\.[0-2]){0,3}(-(alpha|rc|cr|SNAPSHOT|sp|ga|jre|x|1)(1|-2|12)?){0,2}",
            b in "[1-9](\\.[0-2]){0,3}(-(alpha|rc|cr|SNAPSHOT|sp|ga|jre|x|1)(1|-2|12)?){0,2}",
            c in "[1-9](\\.[0-2]){0,3}(-(alpha|rc|cr|SNAPSHOT|sp|ga|jre|x|1)(1|-2|12)?){0,2}",
        ) {
            let (a, b, c) = (v(&a), v(&b), v(&c));
            if a <= b && b <= c { prop_assert!(a <= c); }
        }
    }

    /// Maven 3.8.7's own `ComparableVersion` (run as `java -cp maven-artifact-3.x.jar
    /// org.apache.maven.artifact.versioning.ComparableVersion 5-sp 5.0.alpha-alpha 5 5-sp`)
    /// prints `5-sp < 5.0.alpha-alpha`, `5.0.alpha-alpha < 5`, `5 < 5-sp`: a cycle. skew
    /// follows Maven pair by pair rather than inventing a total order Maven does not have.
    #[test]
    fn cyclic_where_maven_is_cyclic() {
        assert!(v("5-sp") < v("5.0.alpha-alpha"));
        assert!(v("5.0.alpha-alpha") < v("5"));
        assert!(v("5") < v("5-sp"));
    }
}
