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
