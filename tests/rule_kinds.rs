//! The rules of the newer kinds (same-major, skew, removed-api, runtime-range, eol) and
//! the mitigations/conditions, run end to end on their fixture projects:
//! `fixtures/rules/<id>/fail` yields exactly that rule's findings, `pass` yields none.
//!
//! Some fixtures need extractors that are written elsewhere (Kubernetes manifests,
//! Terraform, go.mod, requirements.txt, pyproject.toml, `.tool-versions`); they are
//! listed in `PENDING` and only checked for existence until those extractors land.

use std::path::{Path, PathBuf};

use skew::check::CheckOptions;
use skew::diagnostic::{Finding, Severity};
use skew::rule::{RuleOrigin, RuleSet};
use skew::run::check_inventory_with;
use skew::scan::{ScanOptions, scan};

/// Rule files whose fixtures this test owns.
const FILES: &[&str] = &[
    "elasticsearch.toml",
    "kubernetes.toml",
    "node.toml",
    "opensearch.toml",
    "python.toml",
    "redis.toml",
];

/// Rules whose fixture projects use formats without an extractor in this tree yet.
const PENDING: &[&str] = &[
    "client-go-version-skew",
    "django-python-version",
    "kubectl-version-skew",
    "kubernetes-removed-api",
    "python-requires-python-mismatch",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Findings for one project, rendered one per line as a user would read them.
fn run(dir: &Path) -> (Vec<Finding>, String) {
    let rules = RuleSet::builtin().expect("shipped rules are valid");
    let mut inv = scan(dir, &ScanOptions::default()).expect("fixture exists");
    let options = CheckOptions {
        today: "2026-01-01".parse().unwrap(),
        assume: Vec::new(),
    };
    let checked = check_inventory_with(&mut inv, &rules, options);
    let mut text = String::new();
    for f in &checked.findings {
        let loc = inv.sources.location(f.primary.span);
        text.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            loc.path, loc.line, loc.column, f.severity, f.rule_id, f.message
        ));
        for r in &f.related {
            let l = inv.sources.location(r.span);
            text.push_str(&format!(
                "  related {}:{}:{}: {}\n",
                l.path, l.line, l.column, r.message
            ));
        }
        if let Some(fix) = &f.fix {
            text.push_str(&format!("  fix: {fix}\n"));
        }
    }
    (checked.findings, text)
}

fn my_rule_ids() -> Vec<String> {
    let rules = RuleSet::builtin().unwrap();
    rules
        .rules
        .iter()
        .filter(
            |r| matches!(&r.origin, RuleOrigin::Builtin { file } if FILES.contains(&file.as_str())),
        )
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn every_rule_has_fail_and_pass_projects() {
    let ids = my_rule_ids();
    assert!(ids.len() >= 10, "rules went missing: {ids:?}");
    for id in &ids {
        for side in ["fail", "pass"] {
            let dir = root().join("fixtures/rules").join(id).join(side);
            assert!(dir.is_dir(), "missing fixture project {}", dir.display());
        }
    }
    for id in PENDING {
        assert!(ids.iter().any(|i| i == id), "stale PENDING entry {id}");
    }
}

#[test]
fn fail_projects_yield_exactly_their_rule() {
    for id in my_rule_ids() {
        if PENDING.contains(&id.as_str()) {
            continue;
        }
        let (findings, text) = run(&root().join("fixtures/rules").join(&id).join("fail"));
        assert!(!findings.is_empty(), "{id}: fail project yields nothing");
        assert!(
            findings.iter().all(|f| f.rule_id == id),
            "{id}: fail project yields other findings:\n{text}"
        );
        insta::assert_snapshot!(format!("fail-{id}"), text);
    }
}

#[test]
fn pass_projects_yield_nothing() {
    for id in my_rule_ids() {
        let (findings, text) = run(&root().join("fixtures/rules").join(&id).join("pass"));
        assert!(findings.is_empty(), "{id}: pass project yields:\n{text}");
    }
}

#[test]
fn mysql_mitigation_turns_the_finding_into_info_until_8_4() {
    let base = root().join("fixtures/mitigations/mysql-default-authentication-plugin");
    let (findings, text) = run(&base.join("mitigated"));
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "mysql-caching-sha2-password");
    assert_eq!(findings[0].severity, Severity::Info, "{text}");
    insta::assert_snapshot!("mitigation-mysql-mitigated", text);
    let (findings, text) = run(&base.join("expired"));
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].severity, Severity::Error, "{text}");
    insta::assert_snapshot!("mitigation-mysql-expired", text);
}
