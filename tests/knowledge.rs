//! The shipped facts at their boundaries, through the real binary: the day an end of life
//! starts (a stated day, or the month after a month-only date), the first cluster version
//! that no longer serves an API, the first server version a rule applies to. The fixture
//! projects of `tests/rule_fixtures.rs` are reused; `--assume` and `--today` move the
//! server and the calendar to each side of a boundary.

mod common;

use common::{skew, stdout};

/// The `(rule id, message)` of every finding, from `--format short`
/// (`path:line:col: severity[rule]: message`).
fn findings(dir: &str, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["check", dir, "--format", "short", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let o = skew(&args);
    assert!(o.status.success(), "{}", common::stderr(&o));
    stdout(&o)
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once('[')?;
            let (rule, message) = rest.split_once("]: ")?;
            Some((rule.to_string(), message.to_string()))
        })
        .collect()
}

/// The messages of `rule`'s findings.
fn of(rule: &str, found: &[(String, String)]) -> Vec<String> {
    found
        .iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, m)| m.clone())
        .collect()
}

#[test]
fn python_month_only_end_of_life_starts_the_month_after() {
    let dir = "fixtures/rules/python-eol/pass";
    let at = |today: &str| {
        of(
            "python-eol",
            &findings(dir, &["--assume", "python=3.10.19", "--today", today]),
        )
    };
    assert_eq!(at("2026-10-31"), Vec::<String>::new());
    let after = at("2026-11-01");
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(
        after[0].contains("Python 3.10 reached end of life at the end of October 2026"),
        "{after:?}"
    );
}

#[test]
fn python_end_of_life_day() {
    let dir = "fixtures/rules/python-eol/pass";
    let at = |today: &str| {
        of(
            "python-eol",
            &findings(dir, &["--assume", "python=3.8.20", "--today", today]),
        )
    };
    assert_eq!(at("2024-10-06"), Vec::<String>::new());
    let on = at("2024-10-07");
    assert!(
        on.len() == 1 && on[0].contains("Python 3.8 reached end of life on 2024-10-07"),
        "{on:?}"
    );
    // 3.15 (released 2026-10-01): planned end October 2031, reported from November on
    let at_315 = |today: &str| {
        of(
            "python-eol",
            &findings(dir, &["--assume", "python=3.15.0", "--today", today]),
        )
    };
    assert_eq!(at_315("2031-10-31"), Vec::<String>::new());
    assert_eq!(at_315("2031-11-01").len(), 1);
    // 3.16 (first release 2027-10-06): planned end October 2032
    let at_316 = |today: &str| {
        of(
            "python-eol",
            &findings(dir, &["--assume", "python=3.16.0", "--today", today]),
        )
    };
    assert_eq!(at_316("2032-10-31"), Vec::<String>::new());
    assert_eq!(at_316("2032-11-01").len(), 1);
    // 3.12's planned end (October 2028) is far from today's fixture date
    let dir_312 = findings(dir, &["--today", "2026-12-02"]);
    assert_eq!(of("python-eol", &dir_312), Vec::<String>::new());
}

#[test]
fn node_end_of_life_days_from_the_schedule() {
    let dir = "fixtures/rules/node-eol/pass";
    let at = |node: &str, today: &str| {
        of(
            "node-eol",
            &findings(
                dir,
                &["--assume", &format!("node={node}"), "--today", today],
            ),
        )
    };
    assert_eq!(at("20.19.0", "2026-04-29"), Vec::<String>::new());
    let on = at("20.19.0", "2026-04-30");
    assert!(
        on.len() == 1 && on[0].contains("Node.js 20 reached end of life on 2026-04-30"),
        "{on:?}"
    );
    assert_eq!(at("16.20.2", "2023-09-10"), Vec::<String>::new());
    assert_eq!(at("16.20.2", "2023-09-11").len(), 1);
    // still supported on 2026-12-02: 22 (until 2027-04-30) and 24 (until 2028-04-30)
    assert_eq!(at("22.12.0", "2026-12-02"), Vec::<String>::new());
    assert_eq!(at("24.1.0", "2026-12-02"), Vec::<String>::new());
    assert_eq!(at("24.1.0", "2028-04-30").len(), 1);
    // 27 (planned): "end": "2030-04-30"
    assert_eq!(at("27.0.0", "2030-04-29"), Vec::<String>::new());
    assert_eq!(at("27.0.0", "2030-04-30").len(), 1);
    // 26 (LTS from 2026-10-28): "end": "2029-04-30"
    assert_eq!(at("26.3.0", "2029-04-29"), Vec::<String>::new());
    assert_eq!(at("26.3.0", "2029-04-30").len(), 1);
}

/// Messages of `kubernetes-removed-api` findings on the removed-API fail project, on a
/// cluster of version `cluster`, for objects of `kind`.
fn removed_api(cluster: &str, kind: &str) -> Vec<String> {
    let cluster = format!("kubernetes={cluster}");
    let found = findings(
        "fixtures/rules/kubernetes-removed-api/fail",
        // a date before any of these lines' end of life, so only removals show
        &["--assume", &cluster, "--today", "2022-01-01"],
    );
    of("kubernetes-removed-api", &found)
        .into_iter()
        .filter(|m| m.starts_with(&format!("{kind} ")))
        .collect()
}

#[test]
fn flowcontrol_v1beta3_is_served_up_to_1_31_and_gone_in_1_32() {
    assert_eq!(removed_api("1.31", "FlowSchema"), Vec::<String>::new());
    let gone = removed_api("1.32", "FlowSchema");
    assert!(
        gone.len() == 1
            && gone[0]
                .contains("`flowcontrol.apiserver.k8s.io/v1beta3` was removed in Kubernetes 1.32"),
        "{gone:?}"
    );
}

#[test]
fn endpointslice_v1beta1_is_gone_from_1_25() {
    assert_eq!(removed_api("1.24", "EndpointSlice").len(), 0);
    assert_eq!(removed_api("1.25", "EndpointSlice").len(), 1);
}

#[test]
fn scram_rules_start_at_postgres_14() {
    let dir = "fixtures/rules/postgres-scram-sha-256/fail";
    let at = |server: &str| {
        of(
            "postgres-scram-sha-256",
            &findings(
                dir,
                &[
                    "--assume",
                    &format!("postgres={server}"),
                    "--today",
                    "2022-01-01",
                ],
            ),
        )
        .len()
    };
    assert_eq!(at("13.22"), 0);
    // pg 7.4.3, pgjdbc 42.2.0, asyncpg 0.18.3, lib/pq v1.0.0, pgx v3.3.0
    assert_eq!(at("14.0"), 5);
}

#[test]
fn redis_url_user_names_matter_from_redis_6() {
    let dir = "fixtures/rules/redis-acl-username-in-url/fail";
    let at = |server: &str| {
        of(
            "redis-acl-username-in-url",
            &findings(dir, &["--assume", &format!("redis={server}")]),
        )
        .len()
    };
    assert_eq!(at("5.0.14"), 0);
    assert_eq!(at("6.0.0"), 1);
}

#[test]
fn mongodb_and_mysql_end_of_life() {
    let eol = |dir: &str, rule: &str, server: &str, today: &str| {
        of(
            rule,
            &findings(dir, &["--assume", server, "--today", today]),
        )
    };
    let mongo = "fixtures/rules/mongodb-eol/pass";
    assert_eq!(
        eol(mongo, "mongodb-eol", "mongodb=4.4.29", "2024-02-28"),
        Vec::<String>::new()
    );
    let on = eol(mongo, "mongodb-eol", "mongodb=4.4.29", "2024-02-29");
    assert!(
        on.len() == 1 && on[0].contains("MongoDB 4.4 reached end of life on 2024-02-29"),
        "{on:?}"
    );
    // MongoDB 3.4: "| MongoDB 3.4 | November 2016 | January 31, 2020 |"
    assert_eq!(
        eol(mongo, "mongodb-eol", "mongodb=3.4.24", "2020-01-30"),
        Vec::<String>::new()
    );
    assert_eq!(
        eol(mongo, "mongodb-eol", "mongodb=3.4.24", "2020-01-31").len(),
        1
    );
    // MySQL 8.0: "As of April 2026" is a month, over on 2026-05-01
    let mysql = "fixtures/rules/mysql-eol/pass";
    assert_eq!(
        eol(mysql, "mysql-eol", "mysql=8.0.45", "2026-04-30"),
        Vec::<String>::new()
    );
    let after = eol(mysql, "mysql-eol", "mysql=8.0.45", "2026-05-01");
    assert!(
        after.len() == 1
            && after[0].contains("MySQL 8.0 reached end of life at the end of April 2026"),
        "{after:?}"
    );
}

#[test]
fn explain_quotes_the_sources() {
    for (rule, quote) in [
        (
            "redis-acl-username-in-url",
            "ioredis will always use the username passed via URI",
        ),
        ("postgres-scram-sha-256", "Package scram:client classes"),
        (
            "mysqlconnector-mysql-8-0-4",
            "can no longer be used with MySQL Server 8.0.4",
        ),
        ("kubernetes-removed-api", "available since v1.29"),
        ("python-eol", "end of October 2026"),
        ("mysql-removed-server-option", "Removed in version 8.4.0"),
        ("kubernetes-eol", "| Kubernetes 1.34 | 2026-10-27 |"),
        (
            "postgres-eol",
            "PostgreSQL 14 will stop receiving fixes on November 12, 2026.",
        ),
        ("mariadb-eol", "maintained until July 2026"),
        (
            "elasticsearch-eol",
            "End of support for 7.17 was January 15, 2026",
        ),
        (
            "redis-eol",
            "| **Redis 8.0** | Standard | GA | December 1, 2026 |",
        ),
        ("webpack-node-openssl3", "first tagged in v5.61.0"),
        (
            "openssh-ssh-rsa-disabled",
            "SSHJ was unable to connect to OpenSSH 8.8",
        ),
        (
            "kubelet-version-skew",
            "`kubelet` may be up to three minor versions older than `kube-apiserver`",
        ),
    ] {
        let o = skew(&["explain", rule]);
        assert!(o.status.success(), "{rule}: {}", common::stderr(&o));
        let text = stdout(&o);
        assert!(
            text.contains(quote),
            "{rule} does not quote {quote:?}:\n{text}"
        );
    }
}

#[test]
fn postgres_12_ends_with_its_final_release() {
    let dir = "fixtures/rules/postgres-eol/pass";
    let at = |today: &str| {
        of(
            "postgres-eol",
            &findings(dir, &["--assume", "postgres=12.22", "--today", today]),
        )
    };
    assert_eq!(at("2024-11-20"), Vec::<String>::new());
    let on = at("2024-11-21");
    assert!(
        on.len() == 1 && on[0].contains("PostgreSQL 12 reached end of life on 2024-11-21"),
        "{on:?}"
    );
}

#[test]
fn macos_runner_images_retire_on_the_announced_day() {
    let retired = |dir: &str, today: &str| {
        of(
            "github-runner-image-retired",
            &findings(dir, &["--today", today]),
        )
        .into_iter()
        .filter(|m| m.contains("macOS") || m.contains("13") || m.contains("14"))
        .filter(|m| !m.contains("20.04"))
        .collect::<Vec<_>>()
    };
    // macos-13: the announcement's body moved the day to December 8th, 2025
    let fail = "fixtures/rules/github-runner-image-retired/fail";
    assert_eq!(retired(fail, "2025-12-07"), Vec::<String>::new());
    let on = retired(fail, "2025-12-08");
    assert!(on.len() == 1 && on[0].contains("2025-12-08"), "{on:?}");
    // macos-14: "Retirement: November 2nd, 2026"
    let pass = "fixtures/rules/github-runner-image-retired/pass";
    assert_eq!(retired(pass, "2026-11-01"), Vec::<String>::new());
    let on = retired(pass, "2026-11-02");
    assert!(on.len() == 1 && on[0].contains("2026-11-02"), "{on:?}");
}

#[test]
fn postgres_14_ends_on_the_announced_day() {
    let dir = "fixtures/rules/postgres-eol/pass";
    let at = |server: &str, today: &str| {
        of(
            "postgres-eol",
            &findings(
                dir,
                &["--assume", &format!("postgres={server}"), "--today", today],
            ),
        )
    };
    assert_eq!(at("14.24", "2026-11-11"), Vec::<String>::new());
    let on = at("14.24", "2026-11-12");
    assert!(
        on.len() == 1 && on[0].contains("PostgreSQL 14 reached end of life on 2026-11-12"),
        "{on:?}"
    );
    // 9.6: "Additionally, this is the final release of PostgreSQL 9.6." (2021-11-11)
    assert_eq!(at("9.6.24", "2021-11-10"), Vec::<String>::new());
    assert_eq!(at("9.6.24", "2021-11-11").len(), 1);
    // 10.23: "This is expected to be the last PostgreSQL release in the 10.X series."
    assert_eq!(at("10.23", "2022-11-09"), Vec::<String>::new());
    let on = at("10.23", "2022-11-10");
    assert!(
        on.len() == 1 && on[0].contains("PostgreSQL 10 reached end of life on 2022-11-10"),
        "{on:?}"
    );
    // 15 to 17 have no date read in the project's own pages: nothing, even years later
    assert_eq!(at("15.19", "2030-01-01"), Vec::<String>::new());
    assert_eq!(at("17.11", "2030-01-01"), Vec::<String>::new());
}

#[test]
fn mariadb_series_end_with_their_stated_month() {
    let dir = "fixtures/rules/mariadb-eol/pass";
    let at = |server: &str, today: &str| {
        of(
            "mariadb-eol",
            &findings(
                dir,
                &["--assume", &format!("mariadb={server}"), "--today", today],
            ),
        )
    };
    // "maintained until June 2025"
    assert_eq!(at("10.5.29", "2025-06-30"), Vec::<String>::new());
    let after = at("10.5.29", "2025-07-01");
    assert!(
        after.len() == 1
            && after[0].contains("MariaDB 10.5 reached end of life at the end of June 2025"),
        "{after:?}"
    );
    // "maintained until July 2026"
    assert_eq!(at("10.6.28", "2026-07-31"), Vec::<String>::new());
    assert_eq!(at("10.6.28", "2026-08-01").len(), 1);
    // 10.11 (February 2028) and 11.4 (May 2029) are still maintained on 2026-12-03
    assert_eq!(at("10.11.18", "2026-12-03"), Vec::<String>::new());
    assert_eq!(at("11.4.8", "2026-12-03"), Vec::<String>::new());
    assert_eq!(at("10.11.18", "2028-03-01").len(), 1);
    // 10.2 states no month: its final release, 10.2.44 on 20 May 2022, is the day
    assert_eq!(at("10.2.44", "2022-05-19"), Vec::<String>::new());
    let on = at("10.2.44", "2022-05-20");
    assert!(
        on.len() == 1 && on[0].contains("MariaDB 10.2 reached end of life on 2022-05-20"),
        "{on:?}"
    );
    // a rolling release ends when the release its last notes name comes out:
    // "One is expected to upgrade to MariaDB 11.6.2" (21 Nov 2024)
    assert_eq!(at("11.5.2", "2024-11-20"), Vec::<String>::new());
    assert_eq!(at("11.5.2", "2024-11-21").len(), 1);
    // 12.3 (LTS): "maintained until June 2029"
    assert_eq!(at("12.3.3", "2029-06-30"), Vec::<String>::new());
    assert_eq!(at("12.3.3", "2029-07-01").len(), 1);
    // a rolling release whose notes name no successor (12.1) is never reported
    assert_eq!(at("12.1.2", "2030-01-01"), Vec::<String>::new());
}

#[test]
fn openssh_rejects_ssh_rsa_from_8_8() {
    let dir = "fixtures/rules/openssh-ssh-rsa-disabled/fail";
    let at = |server: &str| {
        of(
            "openssh-ssh-rsa-disabled",
            &findings(dir, &["--assume", &format!("openssh={server}")]),
        )
        .len()
    };
    assert_eq!(at("8.7"), 0);
    // paramiko 2.8.1, com.jcraft:jsch 0.1.55, mwiede jsch 0.1.56, sshj 0.32.0
    assert_eq!(at("8.8"), 4);
}

#[test]
fn testcontainers_api_1_32_is_refused_by_every_docker_engine_29() {
    let dir = "fixtures/rules/testcontainers-docker-api-too-old/fail";
    let at = |server: &str| {
        of(
            "testcontainers-docker-api-too-old",
            &findings(dir, &["--assume", &format!("docker-engine={server}")]),
        )
        .len()
    };
    // 28.x accepts API 1.24 and later; 29.0.0 requires 1.44, 29.3.0 lowered it to 1.40:
    // both above what 1.15.1, 1.21.3 and 2.0.1 send
    assert_eq!(at("28.5.2"), 0);
    assert_eq!(at("29.0.0"), 3);
    assert_eq!(at("29.3.0"), 3);
    // Engine 30's minimum was not read: not judged
    assert_eq!(at("30.0.0"), 0);
}

#[test]
fn docker_min_api_version_on_the_daemon_mitigates_testcontainers() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::root().join("fixtures/rules/testcontainers-docker-api-too-old/fail"),
        tmp.path(),
    );
    let compose = tmp.path().join("docker-compose.yml");
    let text = std::fs::read_to_string(&compose).unwrap();
    let text = text.replace(
        "      DOCKER_TLS_CERTDIR: \"\"\n",
        "      DOCKER_TLS_CERTDIR: \"\"\n      DOCKER_MIN_API_VERSION: \"1.24\"\n",
    );
    assert!(text.contains("DOCKER_MIN_API_VERSION"), "{text}");
    std::fs::write(&compose, text).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let o = skew(&["check", dir, "--format", "short", "--fail-on", "never"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[testcontainers-docker-api-too-old]"))
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines.iter().all(|l| l.contains(": info[")), "{out}");
}

#[test]
fn gke_min_master_version_is_a_floor() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::root().join("fixtures/rules/kubectl-version-skew/pass-gke-floor"),
        tmp.path(),
    );
    // kubectl 1.30 is two minors below the floor: out of skew whatever GKE runs
    std::fs::write(tmp.path().join(".tool-versions"), "kubectl 1.30.2\n").unwrap();
    // batch/v1beta1 CronJob left in 1.25 (below the floor), FlowSchema v1beta3 in 1.32
    // (the floor's own minor): both certain; v1 FlowSchema is served
    std::fs::create_dir_all(tmp.path().join("k8s")).unwrap();
    std::fs::write(
        tmp.path().join("k8s/jobs.yaml"),
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly\n---\n\
         apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: fs\n",
    )
    .unwrap();
    let found = findings(tmp.path().to_str().unwrap(), &[]);
    let skew = of("kubectl-version-skew", &found);
    assert_eq!(skew.len(), 1, "{found:?}");
    assert!(
        skew[0].contains("is at least 2 minor versions older than Kubernetes >=1.32.4-gke.100"),
        "{skew:?}"
    );
    let removed = of("kubernetes-removed-api", &found);
    assert_eq!(removed.len(), 2, "{found:?}");
    assert!(
        removed
            .iter()
            .all(|m| m.contains("rejected by Kubernetes >=1.32.4-gke.100")),
        "{removed:?}"
    );
    // a cluster that may still run the line: the end of life of 1.32 is not certain
    assert_eq!(of("kubernetes-eol", &found), Vec::<String>::new());
}

#[test]
fn valkey_minors_end_with_their_security_support() {
    let dir = "fixtures/rules/valkey-eol/fail";
    let at = |today: &str| of("valkey-eol", &findings(dir, &["--today", today]));
    // 8.0: "2024-09-15 | 2027-09-15 | 2027-09-15"
    assert_eq!(at("2027-09-14"), Vec::<String>::new());
    let on = at("2027-09-15");
    assert!(
        on.len() == 1 && on[0].contains("Valkey 8.0 reached end of life on 2027-09-15"),
        "{on:?}"
    );
}

#[test]
fn testcontainers_2_0_2_needs_docker_engine_25() {
    let dir = "fixtures/rules/testcontainers-docker-api-too-new/fail";
    let at = |server: &str| {
        of(
            "testcontainers-docker-api-too-new",
            &findings(dir, &["--assume", &format!("docker-engine={server}")]),
        )
        .len()
    };
    // the matrix: "24.0 | 1.43", "25.0 | 1.44"
    assert_eq!(at("24.0.9"), 1);
    assert_eq!(at("25.0.0"), 0);
}

#[test]
fn a_pinned_gke_node_pool_is_judged_against_the_master_floor() {
    let at = |pool: &str| {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("gke.tf"),
            format!(
                "resource \"google_container_cluster\" \"main\" {{\n  name = \"main\"\n  min_master_version = \"1.32.4-gke.100\"\n}}\n\n\
                 resource \"google_container_node_pool\" \"pinned\" {{\n  cluster = google_container_cluster.main.id\n  version = \"{pool}\"\n\n  management {{\n    auto_upgrade = false\n  }}\n}}\n"
            ),
        )
        .unwrap();
        of(
            "kubelet-version-skew",
            &findings(tmp.path().to_str().unwrap(), &[]),
        )
    };
    // up to three minors older than the API server: 1.29 is within, whatever GKE runs
    assert_eq!(at("1.29.8-gke.100"), Vec::<String>::new());
    let old = at("1.28.9-gke.100");
    assert!(
        old.len() == 1 && old[0].contains("is at least 4 minor versions older"),
        "{old:?}"
    );
}

#[test]
fn elasticsearch_minors_end_on_the_dates_elastic_quotes() {
    let dir = "fixtures/rules/elasticsearch-eol/pass";
    let at = |server: &str, today: &str| {
        of(
            "elasticsearch-eol",
            &findings(
                dir,
                &[
                    "--assume",
                    &format!("elasticsearch={server}"),
                    "--today",
                    today,
                ],
            ),
        )
    };
    // "End of support for 7.17 was January 15, 2026"
    assert_eq!(at("7.17.29", "2026-01-14"), Vec::<String>::new());
    let on = at("7.17.29", "2026-01-15");
    assert!(
        on.len() == 1 && on[0].contains("Elasticsearch 7.17 reached end of life on 2026-01-15"),
        "{on:?}"
    );
    // "7.16 will go EOL June 7th" (2023)
    assert_eq!(at("7.16.3", "2023-06-06"), Vec::<String>::new());
    assert_eq!(at("7.16.3", "2023-06-07").len(), 1);
    // no 8.x minor has a date read in Elastic's own words: not judged
    assert_eq!(at("8.11.4", "2030-01-01"), Vec::<String>::new());
    // the pass project's own 8.19 is not judged either, today
    assert_eq!(
        of(
            "elasticsearch-eol",
            &findings(dir, &["--today", "2026-12-03"])
        ),
        Vec::<String>::new()
    );
}

#[test]
fn redis_lines_end_on_the_version_management_dates() {
    let dir = "fixtures/rules/redis-eol/pass";
    let at = |server: &str, today: &str| {
        of(
            "redis-eol",
            &findings(
                dir,
                &["--assume", &format!("redis={server}"), "--today", today],
            ),
        )
    };
    // "| **Redis 8.0** | Standard | GA | December 1, 2026 |"
    assert_eq!(at("8.0.5", "2026-11-30"), Vec::<String>::new());
    let on = at("8.0.5", "2026-12-01");
    assert!(
        on.len() == 1 && on[0].contains("Redis 8.0 reached end of life on 2026-12-01"),
        "{on:?}"
    );
    // 6.2 (Extended): April 1, 2027; still supported on 2026-12-03
    assert_eq!(at("6.2.20", "2026-12-03"), Vec::<String>::new());
    assert_eq!(at("6.2.20", "2027-04-01").len(), 1);
    // 8.2 (Extended): September 1, 2030
    assert_eq!(at("8.2.3", "2030-08-31"), Vec::<String>::new());
    assert_eq!(at("8.2.3", "2030-09-01").len(), 1);
    // "TBD" (8.4) and unlisted (7.0) lines are not judged
    assert_eq!(at("8.4.0", "2035-01-01"), Vec::<String>::new());
    assert_eq!(at("7.0.15", "2035-01-01"), Vec::<String>::new());
}

#[test]
fn kubernetes_1_36_ends_on_its_planned_day() {
    let dir = "fixtures/rules/kubernetes-eol/pass";
    let at = |today: &str| {
        of(
            "kubernetes-eol",
            &findings(dir, &["--assume", "kubernetes=1.36.4", "--today", today]),
        )
    };
    // kubernetes.io/releases/1.36: "End Of Life Date 2027-06-28"
    assert_eq!(at("2027-06-27"), Vec::<String>::new());
    let on = at("2027-06-28");
    assert!(
        on.len() == 1 && on[0].contains("Kubernetes 1.36 reached end of life on 2027-06-28"),
        "{on:?}"
    );
}
