//! Step 5, filter: the user's intent applied to the findings the checks produced, in one
//! place for every front end (CLI commands, `skew lsp`).
//!
//! In order: inline suppressions (`# skew: ignore[RULE] -- reason`, read from comments
//! through each format's [`CommentSyntax`]) and `[[ignore]]` tables of `skew.toml`, with an
//! `expired-ignore` finding for each ignore past its `until` and an `unused-ignore` for
//! each that hides nothing; then `[severity]` overrides; then `select` / `ignore-rules` and
//! `--select` / `--ignore`. Every finding hidden is counted in [`Hidden`], never lost
//! silently. Also builds the `exclude` globs the scan prunes with. Must not: scan, check,
//! render or decide exit codes (`--fail-on` sees the severities left here).

mod inline;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use crate::config::{Config, ConfigError, Selector};
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::pipeline::Error;
use crate::rule::{Date, RuleSet};
use crate::source::{FileId, SourceView, Sources};

pub use crate::extract::comments::CommentSyntax;
pub use inline::may_hold_directives;

/// `--select` / `--ignore` from the command line. A non-empty `select` replaces the
/// config's `select`; `ignore` adds to its `ignore-rules`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// How many findings each filter hid. JSON carries it as `summary.hidden`; the human
/// summary line names the non-zero ones ("3 ignored, 5 in baseline").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Hidden {
    /// Suppressed by an inline `skew: ignore[…]` comment or a `[[ignore]]` table.
    pub ignored: usize,
    /// Not selected: outside `select` / `--select`, or in `ignore-rules` / `--ignore`.
    pub not_selected: usize,
    /// Recorded in the `--baseline` file.
    pub baseline: usize,
    /// Already present at the `--since` revision.
    pub since: usize,
}

impl Hidden {
    /// `3 ignored, 5 in baseline`: the non-zero counts, or `None` when nothing was hidden.
    pub fn describe(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.ignored, "ignored"),
            (self.not_selected, "not selected"),
            (self.baseline, "in baseline"),
            (self.since, "older than --since"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Apply inline and config ignores, severity overrides and the rule selection to
/// `findings` (which stay sorted by the caller afterwards). `scan` is the scan's table,
/// `extra` the scenario's, which gains `skew.toml` when a finding about one of its
/// ignores points there. Unknown rule ids in `--select`,
/// `--ignore` or the config are an error (exit 2) naming the nearest known id.
pub fn apply(
    findings: &mut Vec<Finding>,
    scan: &Sources,
    extra: &mut Sources,
    rules: &RuleSet,
    config: Option<&Config>,
    selection: &Selection,
    today: Date,
) -> Result<Hidden, Error> {
    let known: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(Code::ALL.iter().map(|c| c.as_str()))
        .collect();
    validate(&known, config, selection)?;
    let mut hidden = Hidden::default();
    let before = findings.len();
    let mut meta = inline::apply(findings, &SourceView::new(scan, Some(extra)), &known, today);
    if let Some(config) = config {
        meta.extend(config_ignores(findings, scan, extra, config, today));
    }
    hidden.ignored = before - findings.len();
    findings.append(&mut meta);
    let empty = Vec::new();
    let overrides = config.map_or(&empty, |c| &c.severity);
    for f in findings.iter_mut() {
        if let Some((_, s)) = most_specific(overrides, &f.rule_id, |(sel, _)| sel) {
            f.severity = *s;
        }
    }
    let cli_select: Vec<Selector> = selection.select.iter().map(Selector::new).collect();
    let select = if cli_select.is_empty() {
        config.and_then(|c| c.select.clone())
    } else {
        Some(cli_select)
    };
    let ignore: Vec<Selector> = config
        .map(|c| c.ignore_rules.clone())
        .unwrap_or_default()
        .into_iter()
        .chain(selection.ignore.iter().map(Selector::new))
        .collect();
    let before = findings.len();
    findings.retain(|f| {
        select
            .as_ref()
            .is_none_or(|s| s.iter().any(|s| s.matches(&f.rule_id)))
            && !ignore.iter().any(|s| s.matches(&f.rule_id))
    });
    hidden.not_selected = before - findings.len();
    Ok(hidden)
}

/// The `exclude` globs of the config plus `--exclude` ones: a pattern excludes the path
/// it names and everything below it (`fixtures` and `fixtures/**` both leave out the
/// whole folder). Patterns are relative to the root, as in `[environments]` `paths`.
pub fn exclude_set(config: Option<&Config>, cli: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in config.iter().flat_map(|c| &c.exclude).chain(cli) {
        let p = p.trim_end_matches('/');
        for g in [p.to_string(), format!("{p}/**")] {
            if let Ok(g) = Glob::new(&g) {
                b.add(g);
            }
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// `--exclude GLOB`: a glob relative to the root (a clap value parser).
pub fn parse_exclude(s: &str) -> Result<String, String> {
    if s.starts_with('/') || s.split('/').any(|c| c == "..") {
        return Err("paths are relative to the repository root: no leading `/`, no `..`".into());
    }
    Glob::new(s).map_err(|e| format!("invalid glob: {}", e.kind()))?;
    Ok(s.to_string())
}

/// `--select a,b --select c`: one list of ids or prefixes (a clap value parser).
pub fn parse_selector(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("expected a rule id or a prefix ending in `-`".into());
    }
    Ok(s.to_string())
}

/// Every selector names at least one known id: config selectors are config problems
/// (with their spans, all at once), command-line ones an unknown-rule error.
fn validate(known: &[&str], config: Option<&Config>, selection: &Selection) -> Result<(), Error> {
    let unknown = |sel: &Selector| !known.iter().any(|k| sel.matches(k));
    let near = |text: &str| crate::diagnostic::nearest_id(text, known.iter().copied());
    if let Some(config) = config {
        let mut selectors: Vec<&Selector> = Vec::new();
        selectors.extend(config.select.iter().flatten());
        selectors.extend(&config.ignore_rules);
        selectors.extend(config.severity.iter().map(|(s, _)| s));
        selectors.extend(config.ignores.iter().map(|i| &i.rule));
        let mut problems: Vec<(usize, usize, String)> = selectors
            .into_iter()
            .filter(|s| unknown(s))
            .map(|s| (s.span.0, s.span.1, unknown_message(&s.text, near(&s.text))))
            .collect();
        if !problems.is_empty() {
            problems.sort();
            return Err(Error::Config(ConfigError {
                path: config.path.clone(),
                text: config.text.clone(),
                problems,
            }));
        }
    }
    for text in selection.select.iter().chain(&selection.ignore) {
        if unknown(&Selector::new(text.as_str())) {
            return Err(Error::UnknownRule(text.clone(), near(text)));
        }
    }
    Ok(())
}

fn unknown_message(text: &str, near: Option<String>) -> String {
    let what = if text.ends_with('-') {
        format!("no rule id starts with `{text}`")
    } else {
        format!("no rule `{text}`")
    };
    match near {
        Some(n) => format!("{what}; did you mean `{n}`?"),
        None => format!("{what}; `skew rules` lists them"),
    }
}

/// The entry whose selector names `id` most precisely: the id itself over a prefix, a
/// longer prefix over a shorter one.
fn most_specific<'a, T>(
    items: &'a [T],
    id: &str,
    selector: impl Fn(&T) -> &Selector,
) -> Option<&'a T> {
    items
        .iter()
        .filter(|i| selector(i).matches(id))
        .max_by_key(|i| {
            let s = selector(i);
            (s.text == id, s.text.len())
        })
}

/// Hide the findings `[[ignore]]` tables match; return `expired-ignore` and
/// `unused-ignore` findings pointing into `skew.toml`.
fn config_ignores(
    findings: &mut Vec<Finding>,
    scan: &Sources,
    extra: &mut Sources,
    config: &Config,
    today: Date,
) -> Vec<Finding> {
    if config.ignores.is_empty() {
        return Vec::new();
    }
    let mut used = vec![0usize; config.ignores.len()];
    let expired: Vec<bool> = config
        .ignores
        .iter()
        .map(|i| i.until.is_some_and(|(d, _)| d < today))
        .collect();
    let sources = SourceView::new(scan, Some(extra));
    findings.retain(|f| {
        let path = sources.path(f.primary.span.file);
        let mut hide = false;
        for (n, ignore) in config.ignores.iter().enumerate() {
            if matches_ignore(ignore, f, path) {
                used[n] += 1;
                hide |= !expired[n];
            }
        }
        !hide
    });
    let file = config_file(scan, extra, config);
    let sources = SourceView::new(scan, Some(extra));
    let span = |(s, e): (usize, usize)| sources.file(file).span(s, e);
    let mut out = Vec::new();
    for (n, ignore) in config.ignores.iter().enumerate() {
        let rule = &ignore.rule.text;
        if let (true, Some((date, at))) = (expired[n], ignore.until) {
            let back = match used[n] {
                0 => "it matches no finding any more".to_string(),
                1 => "its finding is reported again".to_string(),
                k => format!("its {k} findings are reported again"),
            };
            out.push(meta_finding(
                Code::ExpiredIgnore,
                format!("the `[[ignore]]` of `{rule}` expired on {date}: {back}"),
                Label::new(span(at), "expired"),
                "fix what it hid and remove the `[[ignore]]`, or move `until` with a reason",
            ));
        } else if used[n] == 0 {
            out.push(meta_finding(
                Code::UnusedIgnore,
                format!("the `[[ignore]]` of `{rule}` matches no finding"),
                Label::new(span(ignore.rule.span), "matches nothing"),
                "remove the `[[ignore]]`, or correct its `rule`, `path` or `package`",
            ));
        }
    }
    out
}

fn matches_ignore(ignore: &crate::config::Ignore, f: &Finding, path: &str) -> bool {
    ignore.rule.matches(&f.rule_id)
        && ignore.path.as_ref().is_none_or(|g| g.is_match(path))
        && ignore
            .package
            .as_ref()
            .is_none_or(|p| same_package(&f.subject, p))
}

/// The finding is about package `name`, compared as its ecosystem compares names (PyPI
/// `PyMySQL` = `pymysql`).
fn same_package(subject: &Subject, name: &str) -> bool {
    match subject.ecosystem {
        Some(e) => e.name_key(&subject.name) == e.name_key(name),
        None => subject.name.eq_ignore_ascii_case(name),
    }
}

/// The id of `skew.toml`, added to the scenario's table `extra` when no finding pointed
/// there yet.
fn config_file(scan: &Sources, extra: &mut Sources, config: &Config) -> FileId {
    match scan.by_path(&config.path).or(extra.by_path(&config.path)) {
        Some(f) => f.id,
        None => extra.add(config.path.clone(), config.text.clone()),
    }
}

/// An `expired-ignore` or `unused-ignore` finding.
fn meta_finding(code: Code, message: String, primary: Label, fix: &str) -> Finding {
    Finding {
        rule_id: code.to_string(),
        severity: code.severity(),
        message,
        primary,
        related: Vec::new(),
        fix: Some(fix.to_string()),
        sources: Vec::new(),
        subject: Subject::default(),
        components: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn hidden_names_only_what_was_hidden() {
        assert_eq!(Hidden::default().describe(), None);
        let h = Hidden {
            ignored: 3,
            baseline: 5,
            ..Hidden::default()
        };
        assert_eq!(h.describe().as_deref(), Some("3 ignored, 5 in baseline"));
    }

    #[test]
    fn selectors_match_ids_and_dash_prefixes() {
        assert!(Selector::new("mysql-").matches("mysql-caching-sha2-password"));
        assert!(Selector::new("parse-error").matches("parse-error"));
        assert!(!Selector::new("mysql").matches("mysql-caching-sha2-password"));
        assert!(!Selector::new("parse-error").matches("parse-error-x"));
    }

    #[test]
    fn the_most_specific_severity_override_wins() {
        let items = vec![
            (Selector::new("mysql-"), Severity::Info),
            (
                Selector::new("mysql-caching-sha2-password"),
                Severity::Warning,
            ),
            (Selector::new("mysql-caching-"), Severity::Error),
        ];
        let pick = |id| most_specific(&items, id, |(s, _)| s).map(|(_, s)| *s);
        assert_eq!(pick("mysql-caching-sha2-password"), Some(Severity::Warning));
        assert_eq!(pick("mysql-caching-other"), Some(Severity::Error));
        assert_eq!(pick("mysql-x"), Some(Severity::Info));
        assert_eq!(pick("redis-x"), None);
    }

    #[test]
    fn exclude_covers_a_folder_and_everything_below() {
        let set = exclude_set(None, &["fixtures".into(), "docs/**".into()]);
        for p in ["fixtures", "fixtures/a/package.json", "docs/x", "docs/a/b"] {
            assert!(set.is_match(p), "{p}");
        }
        for p in ["src/fixtures.rs", "docsy/x"] {
            assert!(!set.is_match(p), "{p}");
        }
    }
}
