//! Mitigations: a server setting that makes old clients work turns a finding into `info`
//! naming the version where it stops helping; past that version the finding is back.

mod common;

use skew::diagnostic::Severity;
use skew::rule::RuleSet;

#[test]
fn mysql_mitigation_turns_the_finding_into_info_until_8_4() {
    let rules = RuleSet::builtin().unwrap();
    let base = common::root().join("fixtures/mitigations/mysql-default-authentication-plugin");
    let (findings, text) = common::check_project(&base.join("mitigated"), &rules);
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "mysql-caching-sha2-password");
    assert_eq!(findings[0].severity, Severity::Info, "{text}");
    insta::assert_snapshot!("mitigation-mysql-mitigated", text);
    // on 8.4 the option is gone: the client breaks outright, and the server does not
    // even start with the option left in its command
    let (findings, text) = common::check_project(&base.join("expired"), &rules);
    let ids: Vec<_> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "mysql-removed-server-option",
            "mysql-native-password-removed"
        ],
        "{text}"
    );
    assert!(
        findings.iter().all(|f| f.severity == Severity::Error),
        "{text}"
    );
    insta::assert_snapshot!("mitigation-mysql-expired", text);
}

#[test]
fn postgres_md5_needs_both_host_method_and_password_storage() {
    let rules = RuleSet::builtin().unwrap();
    let base = common::root().join("fixtures/mitigations/postgres-md5");
    let (findings, text) = common::check_project(&base.join("mitigated"), &rules);
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "postgres-scram-sha-256");
    assert_eq!(findings[0].severity, Severity::Info, "{text}");
    insta::assert_snapshot!("mitigation-postgres-md5", text);
    // POSTGRES_HOST_AUTH_METHOD=md5 alone does not help: still an error
    let (findings, text) = common::check_project(&base.join("half"), &rules);
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].severity, Severity::Error, "{text}");
}
