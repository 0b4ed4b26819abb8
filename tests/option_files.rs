//! MySQL option files a compose service mounts (`scan::option_files`): their `[mysqld]`
//! options are the server's settings, so removed options, removed TLS versions and
//! mitigations written in a `my.cnf` are seen; mounts skew cannot read are notes, never
//! errors; a file mysqld refuses is a `parse-error` at its line.

mod common;

use std::path::Path;

use skew::diagnostic::Severity;
use skew::rule::RuleSet;

fn check(case: &str) -> (Vec<skew::diagnostic::Finding>, String) {
    let rules = RuleSet::builtin().unwrap();
    common::check_project(
        &common::root().join("fixtures/option-files").join(case),
        &rules,
    )
}

/// (rule id, severity, path:line:column of the primary label) of every finding.
fn ids(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_removed_option_in_a_mounted_file_is_reported_at_its_line() {
    let (_, text) = check("removed-8-4");
    assert_eq!(
        ids(&text),
        ["my.cnf:7:1: error[mysql-removed-server-option]"],
        "{text}"
    );
    insta::assert_snapshot!("option-files-removed-8-4", text);
}

#[test]
fn a_mounted_folder_gives_its_cnf_files_in_name_order() {
    let (_, text) = check("tls-folder");
    assert_eq!(
        ids(&text),
        ["mysql-conf/20-tls.cnf:2:1: error[mysql-tls-version-removed]"],
        "{text}"
    );
    insta::assert_snapshot!("option-files-tls-folder", text);
}

#[test]
fn a_mitigation_in_a_mounted_file_makes_the_finding_info() {
    let (findings, text) = check("mitigated");
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "mysql-caching-sha2-password");
    assert_eq!(findings[0].severity, Severity::Info, "{text}");
    assert!(
        text.contains("related conf/mysql.cnf:2:1: `default-authentication-plugin=mysql_native_password` is set here"),
        "{text}"
    );
    insta::assert_snapshot!("option-files-mitigated", text);
}

#[test]
fn the_command_line_overrides_the_option_file() {
    let (findings, text) = check("overridden");
    assert_eq!(findings.len(), 1, "{text}");
    assert_eq!(findings[0].rule_id, "mysql-caching-sha2-password");
    assert_eq!(findings[0].severity, Severity::Error, "{text}");
}

#[test]
fn mounts_skew_cannot_read_are_notes() {
    let (findings, text) = check("not-read");
    assert!(
        findings
            .iter()
            .all(|f| f.rule_id == "unread-option-file" && f.severity == Severity::Info),
        "{text}"
    );
    // outside (absolute, `..`), missing, a variable; the init folder is no option file
    assert_eq!(findings.len(), 4, "{text}");
    insta::assert_snapshot!("option-files-not-read", text);
}

#[test]
fn a_file_mysqld_refuses_is_a_parse_error_at_its_line() {
    let (findings, text) = check("broken");
    assert_eq!(ids(&text), ["my.cnf:1:1: error[parse-error]"], "{text}");
    assert!(findings[0].message.contains("without its closing `]`"));
}

/// A mounted file that is a symlink leaving the repository is not read: a note says
/// why, and nothing of the target's text reaches a finding.
#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("my.cnf");
    std::fs::write(
        &secret,
        "[mysqld]\ndefault_authentication_plugin=mysql_native_password\n",
    )
    .unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(
        repo.path().join("compose.yaml"),
        "services:\n  db:\n    image: mysql:8.4.0\n    volumes:\n      - ./my.cnf:/etc/mysql/my.cnf\n      - ./conf:/etc/mysql/conf.d\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join("my.cnf")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("conf")).unwrap();
    let rules = RuleSet::builtin().unwrap();
    let (findings, text) = common::check_project(repo.path(), &rules);
    let got: Vec<_> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(got, ["unread-option-file", "unread-option-file"], "{text}");
    assert!(!text.contains("mysql-removed-server-option"), "{text}");
    assert!(
        findings
            .iter()
            .all(|f| !f.message.contains(outside.path().to_str().unwrap())),
        "{text}"
    );
}

/// From memory (`--staged`, `--since`) a file the index did not hand over is not
/// looked for on disk, and nothing is said; one it did hand over is read.
#[test]
fn from_memory_only_given_files_are_read() {
    let compose = "services:\n  db:\n    image: mysql:8.4.0\n    volumes:\n      - ./my.cnf:/etc/mysql/conf.d/my.cnf\n";
    let inv = skew::scan::scan_texts(
        Path::new("."),
        vec![("compose.yaml".into(), compose.into())],
    );
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    let db = &inv.components[0];
    assert!(db.settings.is_empty());
    let cnf = "[mysqld]\ntls_version=TLSv1.1\n";
    let inv = skew::scan::scan_texts(
        Path::new("."),
        vec![
            ("compose.yaml".into(), compose.into()),
            ("my.cnf".into(), cnf.into()),
        ],
    );
    let names: Vec<_> = inv.components[0].settings.iter().map(|s| &s.name).collect();
    assert_eq!(names, ["--tls_version=TLSv1.1"]);
}

/// `[mysqld-8.4]` is read only by MySQL 8.4 servers: its removed option stops 8.4 and
/// is nothing to 8.0 (or to MariaDB 10.6, which reads `[mysqld-10.6]`).
#[test]
fn a_release_series_group_counts_on_that_series_only() {
    let (_, text) = check("series-8-4");
    let got: Vec<_> = ids(&text)
        .into_iter()
        .filter(|l| !l.contains("-eol]"))
        .collect();
    assert_eq!(
        got,
        ["my.cnf:6:1: error[mysql-removed-server-option]"],
        "{text}"
    );
    assert!(text.contains("MySQL 8.4.3 runs"), "{text}");
}

/// `[mysqld-8.0]` on 8.4: neither its removed option nor its removed TLS versions
/// count, and a `[client]` group is no server option.
#[test]
fn another_series_group_is_not_read() {
    let (findings, text) = check("series-8-0");
    assert!(findings.is_empty(), "{text}");
}

/// `mysql:8` may run 8.0 or 8.4: neither version group is counted. The removed option
/// in `[mysqld-8.4]` is an `info` note, the mitigation in `[mysqld-8.0]` is said in
/// the finding's message and does not make it `info`.
#[test]
fn a_version_spanning_series_reads_no_version_group() {
    let (findings, text) = check("series-floating");
    let removed: Vec<_> = findings
        .iter()
        .filter(|f| f.rule_id == "mysql-removed-server-option")
        .collect();
    assert_eq!(removed.len(), 1, "{text}");
    assert_eq!(removed[0].severity, Severity::Info, "{text}");
    assert!(
        removed[0]
            .message
            .contains("in `[mysqld-8.4]` is not taken into account: only MySQL 8.4 reads that group, and MySQL 8 may run another series"),
        "{text}"
    );
    let sha2 = findings
        .iter()
        .find(|f| f.rule_id == "mysql-caching-sha2-password")
        .expect("the 8.0 handshake finding");
    assert_eq!(sha2.severity, Severity::Warning, "{text}");
    assert!(
        sha2.message
            .ends_with("in `[mysqld-8.0]` is not taken into account: only MySQL 8.0 reads that group, and MySQL 8 may run another series; on MySQL 8.0 it would mitigate this"),
        "{text}"
    );
    insta::assert_snapshot!("option-files-series-floating", text);
}

/// MariaDB's own groups are read only by a MariaDB image: the rules' product decides
/// what an image is. No shipped MariaDB rule reads settings yet, so a rule file of the
/// test's own asks for the options (one rule each: a kind reports one setting per
/// rule and server).
#[test]
fn mariadb_groups_are_read_by_mariadb_only() {
    let rules = mariadb_test_rules();
    let (_, text) = common::check_project(
        &common::root().join("fixtures/option-files/mariadb-groups"),
        &rules,
    );
    let got: Vec<_> = ids(&text)
        .into_iter()
        .filter(|l| !l.contains("-eol]"))
        .collect();
    // [client-server], [mariadb] and [mariadb-10.6] on MariaDB 10.6, not [mariadb-11.4];
    // nothing of them on MySQL 8.4 (whose removed-server-option rule would fire on
    // `default_authentication_plugin` in a group it read)
    assert_eq!(
        got,
        [
            "shared.cnf:3:1: error[test-mariadb-socket]",
            "shared.cnf:6:1: error[test-mariadb-default-authentication-plugin]",
            "shared.cnf:9:1: error[test-mariadb-tls-version]",
        ],
        "{text}"
    );
    assert!(!text.contains("mysql-removed-server-option"), "{text}");
}

/// The shipped rules and one `removed-setting` rule per option for MariaDB (no shipped
/// MariaDB rule reads settings yet), so a test sees which options a MariaDB server
/// reads.
fn mariadb_test_rules() -> RuleSet {
    let mut rules = RuleSet::builtin().unwrap();
    rules
        .add_user_file(
            "test-mariadb.toml",
            r#"
[product]
id = "mariadb"
docker = ["registry.example.test/mariadb"]

[[rule]]
id = "test-mariadb-default-authentication-plugin"
kind = "removed-setting"
severity = "error"
summary = "test"
why = "test"
sources = ["https://example.test/options"]

[[rule.settings]]
setting = { arg = "--default-authentication-plugin" }
removed = "10.0.0"
source = "https://example.test/options"

[[rule]]
id = "test-mariadb-tls-version"
kind = "removed-setting"
severity = "error"
summary = "test"
why = "test"
sources = ["https://example.test/options"]

[[rule.settings]]
setting = { arg = "--tls-version" }
removed = "10.0.0"
source = "https://example.test/options"

[[rule]]
id = "test-mariadb-socket"
kind = "removed-setting"
severity = "error"
summary = "test"
why = "test"
sources = ["https://example.test/options"]

[[rule.settings]]
setting = { arg = "--socket" }
removed = "10.0.0"
source = "https://example.test/options"

"#,
        )
        .unwrap();
    rules
}

/// Other option-file places: Bitnami's `my_custom.cnf` (on `bitnami/mysql`), MariaDB's
/// `/etc/mysql/mariadb.conf.d` (read by MariaDB, not by MySQL); `mysql.conf.d` is
/// nothing to either.
#[test]
fn other_option_file_places_by_product() {
    let (_, text) = common::check_project(
        &common::root().join("fixtures/option-files/other-places"),
        &mariadb_test_rules(),
    );
    assert_eq!(
        ids(&text),
        [
            "mariadb-conf/50-server.cnf:2:1: error[test-mariadb-default-authentication-plugin]",
            "my_custom.cnf:2:1: error[mysql-removed-server-option]",
        ],
        "{text}"
    );
    assert!(text.contains("MySQL 8.4.3 is declared here"), "{text}");
    insta::assert_snapshot!("option-files-other-places", text);
}

/// A service extending another file's service gets that service's bind mounts (compose
/// merges `volumes:` by container path, the extending service's entry winning), their
/// host paths relative to the file that declares them.
#[test]
fn mounts_inherited_through_extends_file() {
    let (_, text) = check("extends-volumes");
    // common/tls.cnf (TLSv1.1) is replaced by the service's own ./tls.cnf (TLSv1.2)
    assert_eq!(
        ids(&text),
        ["common/mysql.cnf:2:1: error[mysql-removed-server-option]"],
        "{text}"
    );
    insta::assert_snapshot!("option-files-extends-volumes", text);
}

/// Along a chain that goes on inside the other file, the nearest service's mount of a
/// container path wins; without a mount of its own the service gets the base's.
#[test]
fn mounts_along_an_extends_chain() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    std::fs::create_dir_all(root.join("ops/conf")).unwrap();
    std::fs::write(
        root.join("compose.yaml"),
        "services:\n  db:\n    extends: { file: ops/services.yml, service: mysql }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("ops/services.yml"),
        "services:\n  mysql:\n    extends: generic\n    volumes:\n      - ./conf/tls.cnf:/etc/mysql/conf.d/tls.cnf\n  generic:\n    image: mysql:8.4.3\n    volumes:\n      - ./conf/old-tls.cnf:/etc/mysql/conf.d/tls.cnf\n      - ./conf:/etc/mysql/conf.d/\n",
    )
    .unwrap();
    std::fs::write(
        root.join("ops/conf/tls.cnf"),
        "[mysqld]\ntls_version=TLSv1\n",
    )
    .unwrap();
    std::fs::write(
        root.join("ops/conf/old-tls.cnf"),
        "[mysqld]\ntls_version=TLSv1.2\n",
    )
    .unwrap();
    std::fs::write(
        root.join("ops/conf/auth.cnf"),
        "[mysqld]\ndefault-authentication-plugin=mysql_native_password\n",
    )
    .unwrap();
    let rules = RuleSet::builtin().unwrap();
    let (_, text) = common::check_project(root, &rules);
    assert_eq!(
        ids(&text),
        [
            "ops/conf/auth.cnf:2:1: error[mysql-removed-server-option]",
            "ops/conf/tls.cnf:2:1: error[mysql-tls-version-removed]",
        ],
        "{text}"
    );
}

/// Bitnami's images start the server with `--defaults-file` (their `my.cnf`): that file
/// and `my_custom.cnf` are read, `/etc/my.cnf`, `/etc/mysql/my.cnf` and `conf.d`
/// mounted into them never are, and no other image reads Bitnami's paths. The images
/// Bitnami moved to `bitnamilegacy` are the same.
#[test]
fn bitnami_images_read_only_their_defaults_file() {
    let (_, text) = common::check_project(
        &common::root().join("fixtures/option-files/bitnami"),
        &mariadb_test_rules(),
    );
    assert_eq!(
        ids(&text),
        [
            "custom.cnf:2:1: error[mysql-tls-version-removed]",
            "legacy.cnf:2:1: error[mysql-tls-version-removed]",
            "main.cnf:2:1: error[mysql-removed-server-option]",
            "maria-main.cnf:2:1: error[test-mariadb-default-authentication-plugin]",
        ],
        "{text}"
    );
    insta::assert_snapshot!("option-files-bitnami", text);
}
