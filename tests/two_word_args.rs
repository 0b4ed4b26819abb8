//! Options whose value is the next argument (`--tls-version TLSv1`): mysqld's option
//! parser reads them so for an option that requires a value, and the rules that name
//! such an option say `next_word = true`; a next argument that is an option itself is
//! never taken as the value.

mod common;

use skew::diagnostic::Severity;
use skew::rule::RuleSet;

fn check(case: &str) -> (Vec<skew::diagnostic::Finding>, String) {
    let rules = RuleSet::builtin().unwrap();
    common::check_project(
        &common::root().join("fixtures/two-word-args").join(case),
        &rules,
    )
}

#[test]
fn a_removed_tls_version_in_two_arguments_is_reported() {
    let (findings, text) = check("tls");
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "mysql-tls-version-removed");
    insta::assert_snapshot!("two-word-tls", text);
}

#[test]
fn a_removed_option_in_two_list_items_is_reported() {
    let (findings, text) = check("removed");
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "mysql-removed-server-option");
    assert!(
        findings[0]
            .message
            .starts_with("`--default-authentication-plugin mysql_native_password` was removed"),
        "{text}"
    );
}

#[test]
fn a_mitigation_in_two_words_of_a_command_line_holds() {
    let (findings, text) = check("mitigated");
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].severity, Severity::Info, "{text}");
    insta::assert_snapshot!("two-word-mitigated", text);
}

#[test]
fn an_option_after_the_option_is_not_its_value() {
    let (findings, text) = check("option-follows");
    assert!(findings.is_empty(), "{text}");
}
