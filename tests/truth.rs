//! Versions read as they resolve, end to end against the real binary: a release line
//! (`.nvmrc` `22`, setup-node `22.x`, `FROM python:3.13-slim`) is the newest release of
//! that line, so a lower bound inside the line is met and an upper bound inside it is a
//! warning that names the bound.

mod common;
use common::{TODAY, skew, stderr, stdout};

/// Regression: `.nvmrc` `22` failed `>=22.12.0`, `^22` and `>=20 <23`, and Python `3.13`
/// failed `>=3.13,<3.14` (35 false findings on one real monorepo).
#[test]
fn release_lines_meet_lower_bounds_inside_the_line() {
    let o = skew(&["check", "fixtures/truth/release-lines", "--today", TODAY]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("truth_release_lines", stdout(&o));
}

#[test]
fn an_upper_bound_inside_the_line_is_a_warning_naming_it() {
    let o = skew(&[
        "check",
        "fixtures/truth/release-line-upper-bound",
        "--today",
        TODAY,
        "--fail-on",
        "warning",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let words: Vec<_> = out.split_whitespace().filter(|w| *w != "│").collect();
    assert!(
        words.join(" ").contains("outside the range from 26.3.1 on"),
        "{out}"
    );
    insta::assert_snapshot!("truth_release_line_upper_bound", out);
}

/// What-if reads an upgrade to a line the same way: `node=22` is the newest 22.x.
#[test]
fn what_if_an_upgrade_to_a_line_is_its_newest_release() {
    let dir = "fixtures/truth/release-lines";
    let o = skew(&["what-if", dir, "--upgrade", "node=22"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("introduces no finding"),
        "{}",
        stdout(&o)
    );
    // an exact 22.0.0 is below `>=22.12.0`
    let o = skew(&[
        "what-if",
        dir,
        "--upgrade",
        "node=22.0.0",
        "--format",
        "short",
    ]);
    insta::assert_snapshot!("truth_what_if_exact_version", stdout(&o));
    // an upgrade past the line: the rule's own fix, not an empty "move into any version"
    let o = skew(&["what-if", dir, "--upgrade", "node=24", "--format", "json"]);
    let v = common::json(&o);
    let fixes: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["fix"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fixes.len(), 2, "{v}");
    assert!(
        fixes.iter().all(|f| !f.contains("any version")),
        "{fixes:?}"
    );
}

/// `unpinned-server` flags what really floats: no tag, `latest`, `alpine`; not the
/// major-pinned `postgres:16-alpine`, nor a digest-pinned image without a tag.
#[test]
fn unpinned_server_flags_only_tags_naming_no_version() {
    let o = skew(&[
        "check",
        "fixtures/truth/unpinned-server",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("truth_unpinned_server", stdout(&o));
}
