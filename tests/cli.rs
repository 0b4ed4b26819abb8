//! End-to-end tests against the real `skew` binary: the outage that started it all, its
//! fixed and negative twins, exit codes, and skew's own error reporting.

use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

mod common;
use common::{json, skew, skew_in, stderr, stdout};

#[test]
fn outage_is_caught_with_both_clients_and_exit_1() {
    let o = skew(&["check", "fixtures/outage-2023-06-03", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let findings = v["findings"].as_array().unwrap();
    let got: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "mysql-caching-sha2-password",
                "error",
                "services/api/package.json",
                10
            ),
            (
                "mysql-caching-sha2-password",
                "error",
                "services/worker/requirements.txt",
                2
            ),
        ]
    );
    for f in findings {
        let related = f["related"].as_array().unwrap();
        assert!(
            related.iter().any(
                |r| r["location"]["path"] == "docker-compose.yml" && r["location"]["line"] == 4
            ),
            "related label on `image: mysql:8.0.36`: {f}"
        );
        assert!(!f["sources"].as_array().unwrap().is_empty());
        assert!(f["fix"].is_string());
    }
    assert!(findings[0]["fix"].as_str().unwrap().contains("mysql2"));
    assert!(findings[1]["fix"].as_str().unwrap().contains(">=0.9.0"));
    // the raw bytes, not a re-serialisation: field order is part of the contract (on one
    // line: stdout is not a terminal)
    let raw = stdout(&o).replace(
        &format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\":\"[version]\"",
    );
    insta::assert_snapshot!("outage_json", raw);
}

#[test]
fn outage_human_output() {
    let o = skew(&["check", "fixtures/outage-2023-06-03"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("outage_human", stdout(&o));
}

#[test]
fn fixed_outage_is_clean() {
    let o = skew(&[
        "check",
        "fixtures/outage-2023-06-03-fixed",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(json(&o)["findings"], serde_json::json!([]));
}

#[test]
fn negative_twins_stay_silent() {
    for twin in [
        "fixtures/outage-twin-mariadb-10-11",
        "fixtures/outage-twin-mysql-5-7",
    ] {
        let o = skew(&["check", twin, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{twin}: {}", stdout(&o));
        let v = json(&o);
        // MySQL 5.7 is past its end of life (a warning, exit code 0): true, and not the
        // handshake break the twins are about
        let findings: Vec<_> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] != "mysql-eol")
            .collect();
        assert!(findings.is_empty(), "{twin}: {findings:?}");
        // the twin still has the client and the server: silence is a verdict, not a miss
        let names: Vec<_> = v["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        assert!(names.contains(&"mysql".to_string()), "{twin}: {names:?}");
    }
}

#[test]
fn json_output_is_byte_identical_between_runs() {
    let a = skew(&["check", "fixtures/outage-2023-06-03", "--format", "json"]);
    let b = skew(&["check", "fixtures/outage-2023-06-03", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn fail_on_controls_exit_code() {
    let never = skew(&["check", "fixtures/outage-2023-06-03", "--fail-on", "never"]);
    assert_eq!(never.status.code(), Some(0));
    let warning = skew(&[
        "check",
        "fixtures/outage-2023-06-03",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(warning.status.code(), Some(1));
}

#[test]
fn quiet_drops_the_summary() {
    let loud = stdout(&skew(&["check", "fixtures/outage-2023-06-03"]));
    let quiet = stdout(&skew(&["check", "fixtures/outage-2023-06-03", "--quiet"]));
    assert!(quiet.len() < loud.len());
    assert!(quiet.contains("mysql-caching-sha2-password"));
}

#[test]
fn missing_root_exits_2() {
    let o = skew(&["check", "fixtures/does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does-not-exist"), "{}", stderr(&o));
}

#[test]
fn bad_arguments_exit_2() {
    let o = skew(&["check", "--fail-on", "sometimes"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_rule_file_exits_2_with_every_problem_shown() {
    let o = skew(&[
        "check",
        "fixtures/outage-2023-06-03",
        "--rules",
        "fixtures/rule-files/invalid.toml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    insta::assert_snapshot!("invalid_rule_file", stderr(&o));
}

#[test]
fn unparsable_manifest_is_a_finding_and_the_scan_goes_on() {
    let o = skew(&["check", "fixtures/broken-manifest", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let f = &v["findings"][0];
    assert_eq!(f["rule_id"], "parse-error");
    assert_eq!(f["location"]["path"], "package.json");
    assert_eq!(f["location"]["line"], 4);
    // the good file next to it was still read
    assert!(
        v["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "PyMySQL")
    );
    let human = skew(&["check", "fixtures/broken-manifest"]);
    insta::assert_snapshot!("broken_manifest_human", stdout(&human));
}

#[test]
fn user_rules_extend_the_shipped_ones() {
    let o = skew(&[
        "check",
        "fixtures/outage-2023-06-03",
        "--no-default-rules",
        "--rules",
        "fixtures/rule-files/internal-auth.toml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    assert_eq!(findings[0]["rule_id"], "acme-requests-too-old");
    assert!(
        findings[0]["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["location"]["path"] == "fixtures/rule-files/internal-auth.toml"),
        "user rule line is a related location"
    );
}

#[test]
fn scan_lists_the_inventory() {
    let o = skew(&["scan", "fixtures/outage-2023-06-03", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let comps: Vec<_> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} {}",
                c["ecosystem"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["version"].as_str().unwrap_or("-"),
                c["resolved"].as_str().unwrap_or("-"),
                c["location"]["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(comps.contains(&"docker mysql 8.0.36 - docker-compose.yml".to_string()));
    assert!(
        comps.contains(&"npm mysql ^2.18.1 2.18.1 services/api/package.json".to_string()),
        "lockfile version merged into the manifest entry: {comps:#?}"
    );
    assert!(comps.contains(&"pypi PyMySQL ==0.8.1 - services/worker/requirements.txt".to_string()));
}

#[test]
fn rules_and_explain() {
    let o = skew(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("mysql-caching-sha2-password"));
    let o = skew(&["explain", "mysql-caching-sha2-password"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains("## Why"));
    assert!(text.contains("https://github.com/PyMySQL/PyMySQL/blob/main/CHANGELOG.md"));
    let o = skew(&["explain", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rules_and_explain_know_the_built_in_codes() {
    let o = skew(&["rules"]);
    let text = stdout(&o);
    for code in skew::diagnostic::Code::ALL {
        assert!(
            text.lines().any(|l| l.starts_with(code.as_str())),
            "`skew rules` lists `{code}`:\n{text}"
        );
    }
    let o = skew(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let list: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let unpinned = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "unpinned-server")
        .expect("unpinned-server in `skew rules --format json`");
    assert_eq!(unpinned["kind"], "built-in");
    assert_eq!(unpinned["severity"], "warning");
    for code in ["parse-error", "unpinned-server"] {
        let o = skew(&["explain", code]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        assert!(text.starts_with(&format!("# {code}\n")), "{text}");
        assert!(text.contains("## Why"), "{text}");
    }
}

/// Each command accepts only the formats it writes; `skew rules --format sarif` used to
/// print the text table and exit 0.
#[test]
fn a_format_a_command_does_not_write_is_a_usage_error() {
    for format in ["sarif", "short", "github", "cyclonedx"] {
        let o = skew(&["rules", "--format", format]);
        assert_eq!(o.status.code(), Some(2), "rules --format {format}");
        assert!(stdout(&o).is_empty());
        let err = stderr(&o);
        assert!(
            err.contains("invalid value") && err.contains("human, json"),
            "{err}"
        );
    }
    let o = skew(&["check", "fixtures/outage-2023-06-03", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Run skew with its standard output closed before it writes (`skew … | head -0`).
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = Command::cargo_bin("skew")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SKEW_NO_DISCOVERY", "1")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn broken_pipe_exits_quietly() {
    let out = with_closed_stdout(&["scan", "fixtures/outage-2023-06-03", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn a_closed_pipe_keeps_the_exit_code() {
    // `set -o pipefail; skew check | head -1` must still fail on findings: the reader
    // closes before skew writes, and the verdict is the exit code all the same
    let out = with_closed_stdout(&["check", "fixtures/outage-2023-06-03", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn output_file_gets_the_report_and_the_exit_code_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("skew.json");
    let out = Command::cargo_bin("skew")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SKEW_NO_DISCOVERY", "1")
        .args([
            "check",
            "fixtures/outage-2023-06-03",
            "--format",
            "json",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "mysql-caching-sha2-password")
    );
    // a file that cannot be written is skew failing to do its job
    let missing = dir.path().join("no/such/folder/out.txt");
    let out = skew(&[
        "scan",
        "fixtures/outage-2023-06-03",
        "--output-file",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error: cannot write `"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `skew graph --format json` of a fixture with `--only`, as (outcomes of the edges, node
/// count); asserts every edge joins drawn nodes and, when filtered, every node is joined.
fn graph_only(fixture: &str, only: &str) -> (Vec<String>, usize) {
    let out = skew(&["graph", fixture, "--format", "json", "--only", only]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let edges = g["edges"].as_array().unwrap();
    let mut joined = std::collections::BTreeSet::new();
    for e in edges {
        for end in ["from", "to"] {
            let id = e[end].as_str().unwrap();
            assert!(
                nodes.contains(&id),
                "{fixture} --only {only}: edge to missing {id}"
            );
            joined.insert(id);
        }
    }
    if only != "all" {
        assert_eq!(
            joined.len(),
            nodes.len(),
            "{fixture} --only {only}: a node no edge joins"
        );
    }
    let mut outcomes: Vec<String> = edges
        .iter()
        .map(|e| e["outcome"].as_str().unwrap().to_string())
        .collect();
    outcomes.sort();
    outcomes.dedup();
    (outcomes, nodes.len())
}

#[test]
fn graph_only_draws_the_edges_asked_for_and_the_nodes_they_join() {
    let (all, all_nodes) = graph_only("fixtures/integ/outage", "all");
    assert_eq!(all, ["breaks", "ok"]);
    let (breaks, break_nodes) = graph_only("fixtures/integ/outage", "breaks");
    assert_eq!(breaks, ["breaks"]);
    assert!(break_nodes < all_nodes, "{break_nodes} < {all_nodes}");
    // `may` keeps the amber edges, `breaks` drops them
    assert_eq!(graph_only("fixtures/may-break", "may").0, ["may-break"]);
    assert_eq!(
        graph_only("fixtures/may-break", "breaks").0,
        Vec::<String>::new()
    );
}

#[test]
fn explain_suggests_the_nearest_id_for_a_typo() {
    let explain = |id: &str| {
        let out = skew(&["explain", id]);
        assert_eq!(out.status.code(), Some(2), "{id}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // a built-in code, one edit away
    assert!(
        explain("parse-eror").contains("did you mean `parse-error`?"),
        "{}",
        explain("parse-eror")
    );
    // the start of exactly one rule id
    assert!(
        explain("mysql-caching-sha2").contains("did you mean `mysql-caching-sha2-password`?"),
        "{}",
        explain("mysql-caching-sha2")
    );
    // nothing close: no guess
    let far = explain("zzzzzzzz");
    assert!(
        far.contains("no rule `zzzzzzzz`") && !far.contains("did you mean"),
        "{far}"
    );
}

#[test]
fn an_inventory_is_not_a_verdict() {
    // `skew scan` exits 0 in every format, even over a manifest that does not parse
    // (the parse error is in the inventory's report, and `skew check` fails on it)
    for format in ["human", "json", "cyclonedx"] {
        let out = skew(&["scan", "fixtures/broken-manifest", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}");
    }
}

#[test]
fn fixtures_have_no_real_registry_hosts() {
    let banned = [
        "registry.npmjs.org",
        "pypi.org",
        "files.pythonhosted.org",
        "crates.io",
        "rubygems.org",
        "repo.maven.apache.org",
        "proxy.golang.org",
        "nuget.org",
        "packagist.org",
        "registry.yarnpkg.com",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for entry in walk(&root) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for b in banned {
            assert!(!text.contains(b), "{} mentions {b}", entry.display());
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_range_that_still_admits_failing_versions_is_a_warning_naming_them() {
    let o = skew(&["check", "fixtures/may-break", "--format", "json"]);
    // warnings do not fail the default `--fail-on error`
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = json(&o);
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["location"]["path"], "requirements.txt");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("still admits >=0.8, <0.9.0"), "{msg}");
    // `docker.io/library/mysql` is the official `mysql` image
    assert_eq!(f["related"][0]["location"]["path"], "docker-compose.yml");
    let strict = skew(&["check", "fixtures/may-break", "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn colour_follows_the_flag() {
    let always = stdout(&skew(&[
        "check",
        "fixtures/outage-2023-06-03",
        "--color",
        "always",
    ]));
    assert!(
        always.contains('\u{1b}'),
        "ANSI escapes with --color always"
    );
    // not a terminal (and NO_COLOR is set): auto means no colour
    let auto = stdout(&skew(&["check", "fixtures/outage-2023-06-03"]));
    assert!(!auto.contains('\u{1b}'));
}

#[test]
fn ignored_and_dependency_folders_are_not_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), "generated/\n").unwrap();
    for sub in ["generated", "node_modules/x", "vendor", "target", "app"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(root.join(sub).join("requirements.txt"), "PyMySQL==0.8.1\n").unwrap();
    }
    let o = Command::cargo_bin("skew")
        .unwrap()
        .args(["scan", root.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let v = json(&o);
    let paths: Vec<_> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["location"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, vec!["app/requirements.txt"]);
}

#[test]
fn today_decides_end_of_life() {
    let ids = |today: &str| -> Vec<String> {
        let o = skew(&[
            "check",
            "fixtures/rules/node-eol/fail",
            "--today",
            today,
            "--format",
            "json",
        ]);
        json(&o)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    // Node 14 reached end of life on 2023-04-30
    assert_eq!(ids("2023-04-29"), Vec::<String>::new());
    assert_eq!(ids("2023-04-30"), ["node-eol"]);
    let o = skew(&["check", ".", "--today", "yesterday"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `invalid-version` (registered, documented, never emitted before): a client a rule names,
/// next to that rule's server, with a range npm rejects is reported instead of silently
/// skipped. Versions that only say nothing (`latest`, a dist-tag, `workspace:*`, `*`,
/// git/file specifiers, a floating image tag) are not invalid, and a package no rule is
/// about is not skew's business.
#[test]
fn invalid_version_only_for_versions_that_are_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "docker-compose.yml",
        "services:\n  db:\n    image: mysql:8.0.36\n  cache:\n    image: mysql:latest\n",
    );
    write(
        "bad/package.json",
        "{\"dependencies\": {\"mysql2\": \"^^3.9\", \"left-pad\": \"^^1\"}}\n",
    );
    write(
        "ok/package.json",
        "{\"dependencies\": {\"mysql2\": \"latest\", \"@mysql/xdevapi\": \"next\"},\n \"devDependencies\": {\"mysql-connector\": \"workspace:*\"},\n \"optionalDependencies\": {\"mysql2\": \"git+https://git.example.test/mysql2.git\"}}\n",
    );
    write(
        "ok2/package.json",
        "{\"dependencies\": {\"mysql2\": \"*\"}}\n",
    );
    write(
        "ok3/package.json",
        "{\"dependencies\": {\"mysql2\": \"file:../vendor/mysql2\"}}\n",
    );
    let o = skew_in(
        root,
        &["check", ".", "--format", "json", "--fail-on", "never"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let invalid: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "invalid-version")
        .map(|f| format!("{} {}", f["location"]["path"], f["message"]))
        .collect();
    assert_eq!(invalid.len(), 1, "{invalid:#?}");
    assert!(invalid[0].contains("bad/package.json"), "{invalid:#?}");
    assert!(
        invalid[0].contains("`mysql2` `^^3.9` cannot be read"),
        "{invalid:#?}"
    );
}

#[test]
fn gitlab_code_quality_report_end_to_end() {
    let o = skew(&["check", "fixtures/outage-2023-06-03", "--format", "gitlab"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let issues: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issues = issues.as_array().unwrap();
    assert!(!issues.is_empty());
    assert!(
        issues
            .iter()
            .any(|i| i["check_name"] == "mysql-caching-sha2-password" && i["severity"] == "major"),
        "{issues:#?}"
    );
    // `skew rules` writes no findings: the format is not one of its own
    let o = skew(&["rules", "--format", "gitlab"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn checkstyle_report_end_to_end() {
    let o = skew(&[
        "check",
        "fixtures/outage-2023-06-03",
        "--format",
        "checkstyle",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let xml = stdout(&o);
    insta::assert_snapshot!("outage_checkstyle", xml);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    let errors: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert!(
        errors.iter().any(|e| {
            e.attribute("source") == Some("skew.mysql-caching-sha2-password")
                && e.attribute("severity") == Some("error")
                && e.parent_element().and_then(|f| f.attribute("name"))
                    == Some("fixtures/outage-2023-06-03/services/api/package.json")
        }),
        "{xml}"
    );
    // `skew rules` writes no findings: the format is not one of its own
    let o = skew(&["rules", "--format", "checkstyle"]);
    assert_eq!(o.status.code(), Some(2));
}
