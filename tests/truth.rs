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

/// Regression (hyperledger/fabric-samples): `FROM node:lts` against `engines.node`
/// `>=20` was "outside the package's engines.node", five false warnings.
#[test]
fn a_runtime_tag_naming_no_version_meets_a_lower_bound() {
    let o = skew(&[
        "check",
        "fixtures/truth/unnumbered-runtime",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("api/package.json"), "{out}");
    assert!(
        out.contains("legacy/package.json") && out.contains("node-engines-mismatch"),
        "{out}"
    );
    insta::assert_snapshot!("truth_unnumbered_runtime", out);
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

/// Regression: a compose file merging 10 anchors into many services (getsentry/self-hosted
/// has 142 merges) was rejected by an alias-to-anchor ratio, and every server was lost.
#[test]
fn a_merge_heavy_compose_file_parses() {
    let o = skew(&[
        "scan",
        "fixtures/truth/merge-heavy-compose",
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("parse-error"), "{out}");
    insta::assert_snapshot!("truth_merge_heavy_compose", out);
}

/// Regression: pnpm 11's two-document lockfile (an env document, then the project's) was
/// rejected, and every package lost its resolved version.
#[test]
fn a_two_document_pnpm_lockfile_resolves_the_manifest() {
    let o = skew(&[
        "scan",
        "fixtures/truth/pnpm-two-documents",
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("truth_pnpm_two_documents", stdout(&o));
}

/// Hostile YAML is still stopped, by the expanded size, and every YAML parse error reads
/// as words for a person: no Rust Debug text, no advice to the parser's API users.
#[test]
fn yaml_bombs_and_bad_yaml_get_worded_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let cases = [
        (
            "bomb/compose.yaml",
            format!("services:\n  db:\n    image: mysql:8.0.36\n{bomb}"),
        ),
        (
            "bomb/k8s/deploy.yaml",
            format!("apiVersion: v1\nkind: ConfigMap\n{bomb}"),
        ),
        (
            "bomb/pnpm-lock.yaml",
            format!("lockfileVersion: '9.0'\n{bomb}"),
        ),
        (
            "twice/compose.yaml",
            "services:\n  db:\n    image: mysql:8.0.36\n---\nservices: {}\n".to_string(),
        ),
        (
            "deep/compose.yaml",
            format!("x-deep: {}{}\n", "{a: ".repeat(200), "}".repeat(200)),
        ),
    ];
    for (path, text) in &cases {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    let o = common::skew_in(dir.path(), &["scan", ".", "--format", "short"]);
    let out = stdout(&o);
    let errors: Vec<_> = out.lines().filter(|l| l.contains("parse-error")).collect();
    assert_eq!(errors.len(), cases.len(), "{out}\n{}", stderr(&o));
    for e in &errors {
        assert!(!e.contains('{') && !e.contains("Breach"), "{e}");
        assert!(!e.contains("from_") && !e.contains("Policy"), "{e}");
    }
    insta::assert_snapshot!("truth_yaml_parse_errors", errors.join("\n"));
}

/// An official image kept on a mirror or an organisation's registry (with a port) is
/// still that server: `registry.example.test:5000/mirror/mysql` is MySQL.
#[test]
fn a_mirrored_image_is_still_the_server() {
    let o = skew(&[
        "check",
        "fixtures/truth/vendor-image",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("truth_vendor_image", stdout(&o));
}

/// A managed database declared through a module's inputs
/// (terraform-aws-modules/rds: `engine = "mysql"`, `engine_version = "8.0"`) is a server,
/// read as its newest 8.0 release.
#[test]
fn a_terraform_module_declares_its_engine() {
    let o = skew(&[
        "check",
        "fixtures/truth/terraform-module",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("truth_terraform_module", stdout(&o));
}

/// An npm alias (`"legacy-db": "npm:mysql@^2.18.0"`) installs `mysql`: the rules see that
/// package, linked to the lockfile entry of the alias.
#[test]
fn an_npm_alias_is_the_package_it_installs() {
    let o = skew(&[
        "check",
        "fixtures/truth/npm-alias",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("truth_npm_alias", stdout(&o));
}

/// A user rule file adds an image name to a shipped product (`[product]` with its id and
/// no `name`): that image is MySQL and the shipped MySQL rules apply to it.
#[test]
fn a_user_rule_file_adds_an_image_name_to_a_shipped_product() {
    let dir = "fixtures/truth/user-image-names";
    let o = skew(&["check", dir, "--today", TODAY, "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "unknown image: {}", stdout(&o));
    let rules = format!("{dir}/names.toml");
    let o = skew(&[
        "check", dir, "--rules", &rules, "--today", TODAY, "--format", "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("truth_user_image_names", stdout(&o));
}

/// `confluentinc/cp-kafka` tags are Confluent Platform versions: 5.0 runs Apache Kafka 2.0
/// by Confluent's table, which a Kafka 4 Java client cannot talk to.
#[test]
fn a_confluent_platform_image_counts_in_kafka_versions() {
    let o = skew(&[
        "check",
        "fixtures/truth/confluent-kafka",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("truth_confluent_kafka", stdout(&o));
}

/// Confluent Platform 8.3 runs Apache Kafka 4.3 (Confluent's 8.3 upgrade guide), so a
/// Kafka 2.0 Java client is judged against a Kafka 4 broker; on Confluent Platform 7.8
/// (Kafka 3.8) the same client is fine.
#[test]
fn a_confluent_platform_8_3_image_is_kafka_4_3() {
    let check = |dir: &str| skew(&["check", dir, "--today", TODAY, "--format", "short"]);
    let o = check("fixtures/truth/confluent-kafka-8-3");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("truth_confluent_kafka_8_3", stdout(&o));
    let o = check("fixtures/truth/confluent-kafka-7-8");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// `valkey/valkey` is Valkey, a product of its own: its tag `8.0.1` is no Redis version,
/// so Redis's rules (here `redis-acl-username`, which fires for the same project on
/// `redis:7.2`) do not judge it; Valkey's release notes give no line-by-line Redis table.
#[test]
fn a_valkey_image_is_valkey_not_a_redis_version() {
    let dir = "fixtures/truth/valkey";
    let o = skew(&["check", dir, "--today", TODAY, "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // the image is Valkey at its own version
    let o = skew(&["what-if", dir, "--upgrade", "valkey=9.0.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("upgrading valkey 8.0.1 → 9.0.0"),
        "{}",
        stdout(&o)
    );
    let o = skew(&[
        "check",
        "fixtures/rules/redis-acl-username/fail",
        "--today",
        TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}
