//! Pairing through the deployment topology, end to end against the real binary: a
//! client is checked only against servers it can reach (its own compose project, the
//! service its `depends_on` or connection string names, an enclosing unit), never a
//! sibling sample's. Each project under `fixtures/topology/` is snapshotted as a user
//! reads it (short format) and as JSON (where `pairing` says why each pair was made).

mod common;

use common::{json, root, skew, stdout};

fn short(project: &str) -> (Option<i32>, String) {
    let dir = format!("fixtures/topology/{project}");
    let out = skew(&["check", "--format", "short", "--today", common::TODAY, &dir]);
    (out.status.code(), stdout(&out))
}

/// The findings of a project as JSON: rule, location and the pairing reasons.
fn pairings(project: &str) -> Vec<serde_json::Value> {
    let dir = format!("fixtures/topology/{project}");
    let out = skew(&["check", "--format", "json", "--today", common::TODAY, &dir]);
    let doc = json(&out);
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            serde_json::json!({
                "rule_id": f["rule_id"],
                "location": f["location"],
                "pairing": f.get("pairing").cloned().unwrap_or(serde_json::Value::Null),
            })
        })
        .collect()
}

#[test]
fn two_samples_side_by_side_each_pair_with_their_own_server() {
    // `modern/app` uses the same `mysql` client against its own MySQL 5.7: no finding,
    // although the sample beside it runs MySQL 8.0
    let (code, text) = short("samples");
    assert_eq!(code, Some(1));
    // MySQL 5.7's end of life is a finding of its own; no client of `modern/` is paired
    // with the 8.0 server beside it
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("modern/") && !l.contains("[mysql-eol]")),
        "{text}"
    );
    insta::assert_snapshot!("samples_short", text);
    insta::assert_json_snapshot!("samples_pairing", pairings("samples"));
}

#[test]
fn depends_on_and_connection_strings_name_the_exact_server() {
    // `api` depends on the 5.7 database only; `worker`'s DATABASE_URL names the 8.0 one
    let (code, text) = short("depends-on");
    assert_eq!(code, Some(1));
    assert!(!text.contains("api/package.json"), "{text}");
    assert!(text.contains("worker/requirements.txt"), "{text}");
    insta::assert_snapshot!("depends_on_short", text);
    insta::assert_json_snapshot!("depends_on_pairing", pairings("depends-on"));
}

#[test]
fn dotenv_interpolated_image_is_blamed_on_the_dotenv_line() {
    let (code, text) = short("dotenv");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("dotenv_short", text);
    let out = skew(&[
        "check",
        "--today",
        common::TODAY,
        "fixtures/topology/dotenv",
    ]);
    let human = stdout(&out);
    // the server's version is shown where it is written: the `.env` line
    assert!(
        human.contains("╭─[fixtures/topology/dotenv/.env:2:19]"),
        "{human}"
    );
    insta::assert_snapshot!("dotenv_human", human);
}

#[test]
fn a_swarm_stack_file_is_a_compose_project() {
    let (code, text) = short("stack");
    assert_eq!(code, Some(1));
    assert!(text.contains("mysql-caching-sha2-password"), "{text}");
    insta::assert_snapshot!("stack_short", text);
}

#[test]
fn one_rule_family_on_one_client_is_one_finding_without_empty_tags() {
    let (code, text) = short("mongo-family");
    assert_eq!(code, Some(0));
    let driver_lines = text
        .lines()
        .filter(|l| l.contains("/backend/package.json:"))
        .count();
    assert_eq!(driver_lines, 1, "{text}");
    assert!(!text.contains("``"), "{text}");
    insta::assert_snapshot!("mongo_family_short", text);
}

#[test]
fn two_services_of_one_anchored_image_line_make_one_finding() {
    let (code, text) = short("anchor-alias");
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(text.matches("[mongodb-eol]").count(), 1, "{text}");
    assert_eq!(text.matches("[unknown-version]").count(), 1, "{text}");
    insta::assert_snapshot!("anchor_alias_short", text);
}

#[test]
fn json_pairing_field_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/skew-output.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for project in ["samples", "depends-on", "dotenv", "stack", "mongo-family"] {
        let dir = format!("fixtures/topology/{project}");
        let doc = json(&skew(&["check", "--format", "json", &dir]));
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{project}: {errors:?}");
    }
    let mut doc = json(&skew(&[
        "check",
        "--format",
        "json",
        "fixtures/topology/samples",
    ]));
    assert!(doc["findings"][0]["pairing"].is_array());
    doc["findings"][0]["pairing"] = serde_json::json!("because");
    assert!(!validator.is_valid(&doc), "the schema describes `pairing`");
}

#[test]
fn graph_draws_each_file_in_its_deployment_unit() {
    let out = skew(&["graph", "fixtures/topology/samples"]);
    assert_eq!(out.status.code(), Some(0));
    let dot = stdout(&out);
    assert!(
        dot.contains("legacy/api/package.json (compose project legacy, build context of api)"),
        "{dot}"
    );
    insta::assert_snapshot!("samples_graph_dot", dot);
    let doc = json(&skew(&[
        "graph",
        "--format",
        "json",
        "fixtures/topology/samples",
    ]));
    let units: Vec<&str> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["unit"].as_str())
        .collect();
    assert!(units.contains(&"compose project modern"), "{units:?}");
}

#[test]
fn skew_toml_environments_override_the_topology() {
    // the user says both samples are deployed together: the modern app then meets the
    // legacy sample's MySQL 8 too
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("fixtures/topology/samples"), dir.path());
    std::fs::write(
        dir.path().join("skew.toml"),
        "[environments.production]\npaths = [\"legacy/**\", \"modern/**\"]\n",
    )
    .unwrap();
    let out = common::skew_in(
        dir.path(),
        &["check", "--format", "short", "--today", common::TODAY],
    );
    let text = stdout(&out);
    assert!(text.contains("legacy/api/package.json"), "{text}");
    assert!(text.contains("modern/app/package.json"), "{text}");
    let doc = common::json(&common::skew_in(
        dir.path(),
        &["check", "--format", "json", "--today", common::TODAY],
    ));
    let reasons: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["pairing"].as_array().into_iter().flatten())
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert!(
        reasons.contains(&"`skew.toml` deploys both in environment `production`"),
        "{reasons:?}"
    );
}

/// An umbrella chart's dependency vendored under `charts/` runs the version its own
/// `Chart.yaml` `appVersion` says (PostgreSQL 16.4.0 here, not the chart's 15.5.38): a
/// server of the umbrella chart, so the driver below the chart is judged against it.
#[test]
fn a_service_extending_another_files_service_runs_and_builds_what_it_inherits() {
    // `db` inherits MySQL 8.0 from `common/services.yml`, `api` its build context and the
    // DATABASE_URL naming `db`; the shared file's `cache` is no server of the project
    let (code, text) = short("extends-file");
    assert_eq!(code, Some(1));
    assert!(
        text.contains("shop/api/package.json") && text.contains("mysql-caching-sha2-password"),
        "{text}"
    );
    assert!(!text.contains("redis"), "{text}");
    insta::assert_snapshot!("extends_file_short", text);
    insta::assert_json_snapshot!("extends_file_pairing", pairings("extends-file"));
}

#[test]
fn an_extends_file_that_is_missing_or_lacks_the_service_is_reported_where_it_is_named() {
    let out = skew(&[
        "check",
        "--format",
        "json",
        "--today",
        common::TODAY,
        "fixtures/topology/extends-missing",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let doc = json(&out);
    let found: Vec<serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            serde_json::json!({
                "rule_id": f["rule_id"],
                "message": f["message"],
                "location": f["location"],
            })
        })
        .collect();
    insta::assert_json_snapshot!("extends_missing_findings", found);
}

#[test]
fn a_vendored_chart_dependency_is_a_server_at_its_app_version() {
    let o = common::skew(&[
        "check",
        "fixtures/topology/helm-vendored",
        "--today",
        common::TODAY,
        "--format",
        "short",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let out = common::stdout(&o);
    assert!(out.contains("postgres-scram-sha-256"), "{out}");
    assert!(out.contains("16.4.0"), "{out}");
}

/// A gzipped tar archive of `(path, text)` members, as `helm package` writes one.
fn tgz(members: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut builder = tar::Builder::new(gz);
    for (path, text) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, text.as_bytes())
            .unwrap();
    }
    let mut gz = builder.into_inner().unwrap();
    gz.flush().unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_chart_dependency_vendored_as_an_archive_is_a_server_at_its_app_version() {
    // the shape of `helm-vendored`, with the dependency packed as `helm dependency
    // update` leaves it: `charts/postgresql-15.5.38.tgz`; and one archive that is corrupt
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("charts")).unwrap();
    std::fs::create_dir_all(root.join("api")).unwrap();
    std::fs::write(
        root.join("Chart.yaml"),
        "apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: ~15.5.0\n    repository: https://registry.example.test/charts\n",
    )
    .unwrap();
    std::fs::write(
        root.join("api/package.json"),
        "{\n  \"name\": \"api\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"pg\": \"7.4.3\"\n  }\n}\n",
    )
    .unwrap();
    let archive = tgz(&[
        (
            "postgresql/Chart.yaml",
            "apiVersion: v2\nname: postgresql\nversion: 15.5.38\nappVersion: 16.4.0\n",
        ),
        ("postgresql/values.yaml", "image:\n  tag: 16.4.0\n"),
    ]);
    std::fs::write(root.join("charts/postgresql-15.5.38.tgz"), archive).unwrap();
    std::fs::write(root.join("charts/broken-1.0.0.tgz"), b"\x1f\x8b not really").unwrap();
    let o = common::skew_in(
        root,
        &["check", "--today", common::TODAY, "--format", "short", "."],
    );
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let out = common::stdout(&o);
    assert!(out.contains("postgres-scram-sha-256"), "{out}");
    insta::assert_snapshot!("helm_archive_short", out);
    let o = common::skew_in(
        root,
        &["check", "--today", common::TODAY, "--format", "json", "."],
    );
    let doc = json(&o);
    let scram = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "postgres-scram-sha-256")
        .unwrap();
    // blamed on the archive, at the appVersion line of the Chart.yaml inside it
    assert_eq!(
        scram["related"][0]["location"]["path"],
        "charts/postgresql-15.5.38.tgz"
    );
    assert_eq!(scram["related"][0]["location"]["line"], 4);
}

/// `Chart.yaml` dependencies that are not vendored are servers of their chart: `shop`'s
/// PostgreSQL is the tag its `values.yaml` pins (`16.2.0` of `16.2.0-debian-12-r5`, not
/// the chart version 15.5.38), so its old `pg` fails; `blog`'s is unknown (an
/// `unknown-version` note saying how to make it known, no false finding for its equally
/// old `pg`), its Redis is turned off by `redis.enabled: false`, and the library chart
/// `common` says nothing. Neither chart's client meets the other chart's server.
#[test]
fn chart_dependencies_not_vendored_are_servers_of_their_chart() {
    let (code, text) = short("helm-dependencies");
    assert_eq!(code, Some(1), "{text}");
    insta::assert_snapshot!("helm_dependencies_short", text);
    insta::assert_json_snapshot!("helm_dependencies_findings", pairings("helm-dependencies"));
    let out = skew(&[
        "graph",
        "--format",
        "mermaid",
        "fixtures/topology/helm-dependencies",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let graph = stdout(&out);
    assert!(graph.contains("postgresql 16.2.0"), "{graph}");
    assert!(!graph.contains("common"), "{graph}");
    insta::assert_snapshot!("helm_dependencies_graph", graph);
}

/// A Terraform root module's `.tf` files are one module: `kubernetes_version =
/// local.kubernetes_version` in `eks/main.tf` takes the literal `eks/versions.tf` sets, and
/// the finding is blamed there; `platform` calls the repository's `modules/cluster`
/// (`source = "../modules/cluster"`), whose cluster takes `var.kubernetes_version` from
/// that call (checked on a day Kubernetes 1.34 has ended); a variable only a caller
/// outside the tree sets is an `unknown-version` note, not a guess.
#[test]
fn terraform_locals_and_variables_resolve_within_their_module_folder() {
    let o = skew(&[
        "check",
        "--format",
        "short",
        "--today",
        "2026-12-03",
        "fixtures/topology/terraform-locals",
    ]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("eks/versions.tf:3:25: warning[kubernetes-eol]"),
        "{text}"
    );
    assert!(
        text.contains("platform/main.tf:4:25: warning[kubernetes-eol]"),
        "{text}"
    );
    assert!(!text.contains("modules/cluster"), "{text}");
    insta::assert_snapshot!("terraform_locals_short", text);
}
