//! Rehearsals end to end against the real binary: what-if upgrades and rollbacks,
//! environments and parity, declared managed servers, floating tags, baselines that
//! survive moved lines, and `--since` on a git repository built in the test.

use std::path::Path;

mod common;
use common::{copy_dir, git, json, skew, skew_in, stdout};

fn rule_ids(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule_id"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"]
            )
        })
        .collect()
}

#[test]
fn what_if_an_upgrade_breaks_the_old_drivers() {
    let o = skew(&[
        "what-if",
        "fixtures/outage-twin-mysql-5-7",
        "--upgrade",
        "mysql=8.0.36",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    // it also resolves 5.7's end-of-life warning
    assert!(
        text.starts_with("upgrading mysql 5.7 → 8.0.36 breaks 2 clients; it resolves 1 finding\n"),
        "{text}"
    );
    insta::assert_snapshot!("what_if_breaks_human", text);

    let o = skew(&[
        "what-if",
        "fixtures/outage-twin-mysql-5-7",
        "--upgrade",
        "mysql=8.0.36",
        "--format",
        "json",
    ]);
    let v = json(&o);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(
        rule_ids(&v, "introduced"),
        [
            "mysql-caching-sha2-password services/api/package.json:10",
            "mysql-caching-sha2-password services/worker/requirements.txt:2",
        ]
    );
    // leaving 5.7 resolves its end-of-life warning
    assert_eq!(rule_ids(&v, "resolved"), ["mysql-eol docker-compose.yml:4"]);
    // what-if gives the advice check gives for the same scenario, word for word: each
    // client here is checked by one requirement, so the rule's own fix is the advice
    let fixes = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fix"].as_str().unwrap().to_string())
            .collect()
    };
    let check = skew(&[
        "check",
        "fixtures/outage-twin-mysql-5-7",
        "--assume",
        "mysql=8.0.36",
        "--format",
        "json",
    ]);
    let check = json(&check);
    let what_if = fixes(&v, "introduced");
    assert_eq!(what_if, fixes(&check, "findings"));
    assert!(
        what_if[1].contains("and install `cryptography`"),
        "{what_if:?}"
    );
    assert_eq!(
        what_if[0].matches("no release of `mysql`").count(),
        1,
        "{what_if:?}"
    );
    // the server's label says what is declared and what the upgrade makes of it
    let labels: Vec<&str> = v["introduced"][0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"MySQL 5.7 is declared here; 8.0.36 after the upgrade"),
        "{labels:?}"
    );
}

#[test]
fn what_if_a_safe_upgrade_exits_0() {
    let o = skew(&[
        "what-if",
        "fixtures/outage-2023-06-03-fixed",
        "--upgrade",
        "mysql=8.4.0",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("upgrading mysql 8.0.36 → 8.4.0 introduces no finding"));
}

#[test]
fn what_if_resolves_findings_and_checks_rollbacks() {
    // the outage repository, rolled back to 5.7: both findings go away (and 5.7's
    // end-of-life warning comes in)
    let o = skew(&[
        "what-if",
        "fixtures/outage-2023-06-03",
        "--upgrade",
        "mysql=5.7.44",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert!(
        v["verdict"].as_str().unwrap().starts_with(
            "rolling back mysql 8.0.36 → 5.7.44 may break 1 client; it resolves 2 findings"
        ),
        "{}",
        v["verdict"]
    );
    assert_eq!(rule_ids(&v, "resolved").len(), 2);
    // a rollback that breaks: 4.x Kafka clients need brokers >= 2.1
    let o = skew(&[
        "what-if",
        "fixtures/rules/kafka-4-client-broker-too-old/pass",
        "--upgrade",
        "kafka=2.0.0",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert!(
        v["verdict"]
            .as_str()
            .unwrap()
            .starts_with("rolling back kafka 3.9.0 → 2.0.0 breaks 1 client"),
        "{}",
        v["verdict"]
    );
}

#[test]
fn assume_is_the_substitution_without_the_diff() {
    let o = skew(&[
        "check",
        "fixtures/outage-twin-mysql-5-7",
        "--assume",
        "mysql=8.0.36",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("MySQL 8.0.36 after the upgrade from 5.7"),
        "{msg}"
    );
}

#[test]
fn unknown_products_and_environments_exit_2() {
    let o = skew(&[
        "what-if",
        "fixtures/outage-2023-06-03",
        "--upgrade",
        "mysq=8.4.0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown product `mysq`"));
    let o = skew(&["check", "fixtures/outage-2023-06-03", "--env", "production"]);
    assert_eq!(o.status.code(), Some(2));
    let o = skew(&[
        "what-if",
        "fixtures/outage-2023-06-03",
        "--upgrade",
        "mysql",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn parity_violation_and_its_fix() {
    let o = skew(&[
        "check",
        "fixtures/rehearse/parity-violation",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(
        rule_ids(&v, "findings"),
        ["untested-upgrade deploy/prod/docker-compose.yml:4"]
    );
    let f = &v["findings"][0];
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("production runs MySQL 8.0.40")
    );
    assert_eq!(
        f["related"][0]["location"]["path"],
        "deploy/staging/docker-compose.yml"
    );
    let human = skew(&["check", "fixtures/rehearse/parity-violation"]);
    insta::assert_snapshot!("parity_violation_human", stdout(&human));

    let o = skew(&[
        "check",
        "fixtures/rehearse/parity-fixed",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(json(&o)["findings"], serde_json::json!([]));
}

#[test]
fn env_restricts_the_check_to_one_environment() {
    // staging alone has nothing newer than itself to compare with
    let o = skew(&[
        "check",
        "fixtures/rehearse/parity-violation",
        "--env",
        "staging",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    let paths: Vec<_> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["location"]["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"deploy/staging/docker-compose.yml"));
    assert!(
        !paths.contains(&"deploy/prod/docker-compose.yml"),
        "{paths:?}"
    );
}

#[test]
fn declared_managed_servers_are_checked_and_pointed_at() {
    let o = skew(&[
        "check",
        "fixtures/rehearse/declared-server",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(
        rule_ids(&v, "findings"),
        ["mysql-caching-sha2-password services/worker/requirements.txt:1"]
    );
    let related: Vec<_> = v["findings"][0]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}:{}:{}",
                r["location"]["path"].as_str().unwrap(),
                r["location"]["line"],
                r["location"]["column"]
            )
        })
        .collect();
    // both environments declare MySQL 8.0.36 in skew.toml; the worker runs in both
    assert_eq!(related, ["skew.toml:7:22", "skew.toml:10:22"]);
    // restricted to production, the same finding points at production's line only
    let o = skew(&[
        "check",
        "fixtures/rehearse/declared-server",
        "--env",
        "production",
        "--format",
        "json",
    ]);
    let v = json(&o);
    assert_eq!(v["findings"][0]["related"][0]["location"]["line"], 10);
}

#[test]
fn invalid_config_exits_2_with_spanned_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("skew.toml"),
        "[environments]\norder = [\"staging\"]\n[environments.prod]\npaths = [\"deploy/**\"]\nservers = { mysql = 8 }\n",
    )
    .unwrap();
    let o = skew_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains("skew.toml:2:"), "{err}");
    assert!(err.contains("no `[environments.staging]`"), "{err}");
    assert!(
        err.contains("a server version must be a non-empty string"),
        "{err}"
    );
}

/// `mysql:8` follows its line: what runs is the newest 8.x (8.4 today), so the rule for
/// 8.4 breaks outright. A major-pinned tag is a policy, not flagged by itself.
#[test]
fn a_major_only_tag_is_its_newest_release_and_not_flagged_by_itself() {
    let o = skew(&[
        "check",
        "fixtures/rehearse/floating-tag",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let got: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["severity"].as_str().unwrap(),
                f["rule_id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "warning mysql-caching-sha2-password",
            "error mysql-native-password-removed",
        ]
    );
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`8` runs the newest release of its line, affected only below 8.4")
    );
}

#[test]
fn a_baseline_hides_old_findings_even_after_lines_move_and_shows_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/outage-2023-06-03"),
        &repo,
    );
    let baseline = dir.path().join("skew-baseline.json");
    let o = skew_in(
        dir.path(),
        &["baseline", "write", baseline.to_str().unwrap(), "repo"],
    );
    assert_eq!(o.status.code(), Some(0));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["findings"].as_array().unwrap().len(), 2);

    let check = || {
        skew_in(
            dir.path(),
            &[
                "check",
                "repo",
                "--baseline",
                baseline.to_str().unwrap(),
                "--format",
                "json",
            ],
        )
    };
    let o = check();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["findings"], serde_json::json!([]));

    // move every line of the requirements down: the old finding stays hidden
    let req = repo.join("services/worker/requirements.txt");
    let old = std::fs::read_to_string(&req).unwrap();
    std::fs::write(&req, format!("# moved\n\n\n{old}")).unwrap();
    let o = check();
    assert_eq!(
        json(&o)["findings"],
        serde_json::json!([]),
        "{}",
        stdout(&o)
    );

    // a new client appears: only it is reported
    std::fs::create_dir_all(repo.join("services/reports")).unwrap();
    std::fs::write(
        repo.join("services/reports/requirements.txt"),
        "mysql-connector-python==8.0.4\n",
    )
    .unwrap();
    let o = check();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        rule_ids(&json(&o), "findings"),
        ["mysql-caching-sha2-password services/reports/requirements.txt:1"]
    );
}

#[test]
fn since_reports_only_what_a_change_introduces_without_touching_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/outage-2023-06-03"),
        repo,
    );
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(
        repo,
        &["commit", "-q", "-m", "the stack with its two old drivers"],
    );
    // the change: a new service with an old Connector/Python, staged but not committed
    std::fs::create_dir_all(repo.join("services/reports")).unwrap();
    std::fs::write(
        repo.join("services/reports/requirements.txt"),
        "mysql-connector-python==8.0.4\n",
    )
    .unwrap();
    git(repo, &["add", "services/reports/requirements.txt"]);
    let status_before = git(repo, &["status", "--porcelain"]);

    let o = skew_in(repo, &["check", ".", "--since", "HEAD", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        rule_ids(&json(&o), "findings"),
        ["mysql-caching-sha2-password services/reports/requirements.txt:1"]
    );
    assert_eq!(git(repo, &["status", "--porcelain"]), status_before);

    // the scanned folder may be a subfolder of the repository
    let outer = tempfile::tempdir().unwrap();
    let app = outer.path().join("app");
    copy_dir(repo, &app);
    std::fs::remove_dir_all(app.join(".git")).unwrap();
    git(outer.path(), &["init", "-q", "-b", "main"]);
    git(outer.path(), &["add", "-A"]);
    git(
        outer.path(),
        &[
            "rm",
            "-q",
            "--cached",
            "app/services/reports/requirements.txt",
        ],
    );
    git(outer.path(), &["commit", "-q", "-m", "app in a subfolder"]);
    for (cwd, path) in [(outer.path(), "app"), (app.as_path(), ".")] {
        let o = skew_in(cwd, &["check", path, "--since", "HEAD", "--format", "json"]);
        assert_eq!(
            rule_ids(&json(&o), "findings"),
            ["mysql-caching-sha2-password services/reports/requirements.txt:1"],
            "from {}",
            cwd.display()
        );
    }

    let o = skew_in(repo, &["check", ".", "--since", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-rev"));
}

#[test]
fn a_baseline_written_before_a_component_is_added_above_still_matches() {
    // component ids (`path#n`) count a file's components, so a dependency added above
    // the blamed one shifts its id; baselines fingerprint without ids and still match
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/outage-2023-06-03"),
        &repo,
    );
    let baseline = dir.path().join("skew-baseline.json");
    let req = repo.join("services/worker/requirements.txt");
    let ids_of_worker_finding = || {
        let o = skew_in(dir.path(), &["check", "repo", "--format", "json"]);
        let doc = json(&o);
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["location"]["path"] == "services/worker/requirements.txt")
            .expect("the worker's finding")["components"]
            .clone()
    };
    let before = ids_of_worker_finding();
    assert_eq!(before[0], "services/worker/requirements.txt#0");
    let o = skew_in(
        dir.path(),
        &["baseline", "write", baseline.to_str().unwrap(), "repo"],
    );
    assert_eq!(o.status.code(), Some(0));

    let old = std::fs::read_to_string(&req).unwrap();
    std::fs::write(&req, old.replace("PyMySQL", "certifi==2024.2.2\nPyMySQL")).unwrap();
    let after = ids_of_worker_finding();
    assert_eq!(after[0], "services/worker/requirements.txt#1");

    let o = skew_in(
        dir.path(),
        &[
            "check",
            "repo",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc = json(&o);
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["summary"]["hidden"]["baseline"], 2);
}
