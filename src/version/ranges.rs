//! Comparator pieces that several schemes' range syntaxes share: reading the operator off
//! a comparator, and lowering a plain comparison (`>=`, `>`, `<=`, `<`, `!=`, `=`) or a
//! SemVer-style comparator on a partial version (`^1.2`, `~1`, `<=1.2`, `1.x`, as npm,
//! Helm and Cargo desugar them) to a [`VersionSet`].
//!
//! Must not: know any one scheme's grammar (which operators exist, how words are joined)
//! or version order; each scheme's file decides that and calls in here.

use super::{Version, VersionSet};

/// Split the leading operator off `token`: the first of `ops` that `token` starts with
/// (list longer operators first: `>=` before `>`), else `default` with the whole token.
pub(super) fn split_operator<'t>(
    token: &'t str,
    ops: &[&'static str],
    default: &'static str,
) -> (&'static str, &'t str) {
    ops.iter()
        .find_map(|op| token.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or((default, token))
}

/// The versions a plain comparison with `v` admits: `>=`, `>`, `<=`, `<`, `!=`; any other
/// operator (`=`, `==`, none) pins `v`. The version counts as written: schemes that widen
/// a partial version (npm's `<=1.2` is below 1.3) do that before calling.
pub(super) fn compare(op: &str, v: Version) -> VersionSet {
    match op {
        ">=" => VersionSet::at_least(v),
        ">" => VersionSet::above(v),
        "<=" => VersionSet::at_most(v),
        "<" => VersionSet::below(v),
        "!=" => VersionSet::exact(v).complement(),
        _ => VersionSet::exact(v),
    }
}

/// The operators npm, Helm and Cargo give a comparator on a partial version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartialOp {
    /// `=1.2`, `1.2`, `1.x`, `1.*`: every version the written parts name.
    Exact,
    Greater,
    GreaterEq,
    Less,
    LessEq,
    /// `~1.2.3`, `~1.2`, `~1` (and npm's `~>`)
    Tilde,
    /// `^1.2.3`, `^0.2`, `^0`
    Caret,
}

/// Lower a comparator on a version that may stop after its major or minor
/// (`major[.minor[.patch]]`), by the desugaring npm (node-semver) and Cargo document
/// alike: a missing part is a wildcard (`1.2` is `1.2.x`); `>1.2` is `>=1.3.0`; `<=1.2`
/// is `<1.3.0-0`; `<1.2` is `<1.2.0-0`; `~` lets the patch grow (the minor when only the
/// major is written); `^` keeps the left-most non-zero written part (`^0.2.3` is
/// `>=0.2.3, <0.3.0-0`). Upper bounds the desugaring invents are the lowest pre-release
/// (`-0`), so no pre-release of the next version leaks in at the edge.
///
/// `written` is the comparator's version with missing parts zero (a full version keeps
/// its pre-release); `make(major, minor, patch, floor)` builds a version of the scheme:
/// the plain release, or with `floor` its lowest pre-release (`2.0.0-0`).
pub(super) fn lower_partial(
    op: PartialOp,
    (major, minor, patch): (u64, Option<u64>, Option<u64>),
    written: Version,
    make: impl Fn(u64, u64, u64, bool) -> Version,
) -> VersionSet {
    let floor = |a, b, c| make(a, b, c, true);
    // the first version past everything the partial names: `1` -> 2.0.0-0, `1.2` -> 1.3.0-0;
    // computed only where an operator needs it, so `>=<u64::MAX>` does not overflow
    let ceiling = || match (minor, patch) {
        (None, _) => Some((major + 1, 0, 0)),
        (Some(m), None) => Some((major, m + 1, 0)),
        _ => None,
    };
    match op {
        PartialOp::Exact => match ceiling() {
            Some((a, b, c)) => VersionSet::half_open(written, floor(a, b, c)),
            None => VersionSet::exact(written),
        },
        PartialOp::GreaterEq => VersionSet::at_least(written),
        PartialOp::Greater => match ceiling() {
            Some((a, b, c)) => VersionSet::at_least(make(a, b, c, false)),
            None => VersionSet::above(written),
        },
        PartialOp::Less => match patch {
            Some(_) => VersionSet::below(written),
            None => VersionSet::below(floor(major, minor.unwrap_or(0), 0)),
        },
        PartialOp::LessEq => match ceiling() {
            Some((a, b, c)) => VersionSet::below(floor(a, b, c)),
            None => VersionSet::at_most(written),
        },
        PartialOp::Tilde => {
            let hi = match minor {
                Some(m) => floor(major, m + 1, 0),
                None => floor(major + 1, 0, 0),
            };
            VersionSet::half_open(written, hi)
        }
        PartialOp::Caret => {
            let hi = match (major, minor, patch) {
                (0, None, _) => floor(1, 0, 0),
                (0, Some(0), None) => floor(0, 1, 0),
                (0, Some(0), Some(p)) => floor(0, 0, p + 1),
                (0, Some(m), _) => floor(0, m + 1, 0),
                (n, _, _) => floor(n + 1, 0, 0),
            };
            VersionSet::half_open(written, hi)
        }
    }
}
