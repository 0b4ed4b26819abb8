//! Every shipped rule has a failing and a passing mini-project under
//! `fixtures/rules/<id>/{fail,pass}/` (clippy's `tests/ui-cargo/<lint>/{pass,fail}`):
//! the fail project yields findings of exactly that rule and nothing else, the pass
//! project (its fixed twin) and any extra `pass-*` project yield nothing at all.
//! What each fail project yields is snapshotted (`rule_fixtures__fail-<id>.snap`), so a
//! change in wording, location or fix shows up in review.
//!
//! End-of-life rules are the exception to "nothing else": a project that must run an
//! old server (a driver-compatibility table for MongoDB 4.0) is past that server's end of
//! life, which is true and beside its point. Findings of `eol` rules therefore count only
//! in that eol rule's own projects (they still show in the snapshots); `tests/knowledge.rs` checks the
//! eol rules at their dates. An eol rule whose every line ends after the fixed day of
//! the tests (a vendor's schedule for lines still supported) checks its fail project on
//! the day [`FAIL_DAYS`] gives it.

mod common;

use std::path::{Path, PathBuf};

use skew::rule::{Rule, RuleKind, RuleSet};

/// The day an eol rule's fail project is checked on, for rules none of whose lines has
/// ended by `common::TODAY`: the first day of a line's end of life.
const FAIL_DAYS: &[(&str, &str)] = &[("redis-eol", "2026-12-01"), ("valkey-eol", "2027-09-15")];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn builtin() -> RuleSet {
    RuleSet::builtin().expect("the shipped rules validate")
}

/// Rule ids (or codes) of the findings for `project`, one entry per finding, leaving
/// out end-of-life findings unless `own` is that eol rule (see the module docs).
fn findings(project: &Path, rules: &RuleSet, own: &str) -> Vec<String> {
    common::check_project(project, rules)
        .0
        .iter()
        .filter(|f| f.rule_id == own || !is_eol(rules, &f.rule_id))
        .map(|f| format!("{} ({})", f.rule_id, f.message))
        .collect()
}

fn is_eol(rules: &RuleSet, id: &str) -> bool {
    rules
        .rule(id)
        .is_some_and(|r| matches!(r.kind, RuleKind::Eol { .. }))
}

/// `pass` and every `pass-*` folder of a rule.
fn pass_projects(rule_dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(rule_dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_dir()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n == "pass" || n.starts_with("pass-"))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A rule set holding every product but only `rule`.
fn only(set: &RuleSet, rule: &Rule) -> RuleSet {
    RuleSet {
        products: set.products.clone(),
        rules: vec![rule.clone()],
        user_files: Vec::new(),
    }
}

#[test]
fn every_rule_has_a_fail_and_a_pass_project() {
    let set = builtin();
    assert!(!set.rules.is_empty());
    let mut problems = Vec::new();
    for rule in &set.rules {
        let dir = fixtures().join(&rule.id);
        for which in ["fail", "pass"] {
            if !dir.join(which).is_dir() {
                problems.push(format!("missing fixtures/rules/{}/{which}/", rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_fixture_folder_without_a_rule() {
    let set = builtin();
    let mut stale = Vec::new();
    for e in std::fs::read_dir(fixtures()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if set.rule(&name).is_none() {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "fixtures for rules that do not exist: {stale:?}"
    );
}

#[test]
fn fail_projects_yield_exactly_their_rule() {
    let set = builtin();
    let mut problems = Vec::new();
    for rule in &set.rules {
        let dir = fixtures().join(&rule.id);
        let (found, text) = match FAIL_DAYS.iter().find(|(id, _)| *id == rule.id) {
            Some((_, day)) => common::check_project_on(&dir.join("fail"), &set, day),
            None => common::check_project(&dir.join("fail"), &set),
        };
        insta::assert_snapshot!(format!("fail-{}", rule.id), text);
        let got: Vec<String> = found
            .iter()
            .filter(|f| f.rule_id == rule.id || !is_eol(&set, &f.rule_id))
            .map(|f| format!("{} ({})", f.rule_id, f.message))
            .collect();
        let (mine, other): (Vec<_>, Vec<_>) = got
            .iter()
            .partition(|f| f.starts_with(&format!("{} (", rule.id)));
        if !other.is_empty() {
            problems.push(format!(
                "{}/fail yields other findings: {other:#?}",
                rule.id
            ));
        }
        if mine.is_empty() {
            problems.push(format!("{}/fail yields no `{}` finding", rule.id, rule.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pass_projects_yield_nothing() {
    let set = builtin();
    let mut problems = Vec::new();
    for rule in &set.rules {
        for project in pass_projects(&fixtures().join(&rule.id)) {
            let got = findings(&project, &set, &rule.id);
            if !got.is_empty() {
                problems.push(format!("{} yields {got:#?}", project.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each rule on its own against every rule's pass projects: a rule that fires on
/// another product's fixed project is too broad (names one failing rule at a time).
#[test]
fn no_rule_fires_on_any_pass_project() {
    let set = builtin();
    let projects: Vec<(String, PathBuf)> = set
        .rules
        .iter()
        .flat_map(|r| {
            pass_projects(&fixtures().join(&r.id))
                .into_iter()
                .map(|p| (r.id.clone(), p))
        })
        .collect();
    let mut problems = Vec::new();
    for rule in &set.rules {
        let alone = only(&set, rule);
        for (owner, project) in &projects {
            // an eol rule is judged on its own pass projects only (module docs)
            if is_eol(&set, &rule.id) && owner != &rule.id {
                continue;
            }
            let got = findings(project, &alone, &rule.id);
            if !got.is_empty() {
                problems.push(format!("{} on {}: {got:#?}", rule.id, project.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The two MySQL rules split the server versions between them and must judge the same
/// clients the same way; their client lists are written twice in rules/mysql.toml.
#[test]
fn mysql_rules_share_their_client_list() {
    let set = builtin();
    let clients = |id: &str| {
        let rule = set.rule(id).unwrap_or_else(|| panic!("no rule `{id}`"));
        let RuleKind::ClientRequires { clients, .. } = &rule.kind else {
            panic!("`{id}` is not a client-requires rule");
        };
        clients
            .iter()
            .map(|c| {
                (
                    c.ecosystem,
                    c.name.clone(),
                    c.requires_text.clone(),
                    c.fix.clone(),
                    c.source.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        clients("mysql-caching-sha2-password"),
        clients("mysql-native-password-removed")
    );
}
