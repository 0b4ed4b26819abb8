//! Suppress, select, exclude, end to end against the real binary: inline
//! `skew: ignore[…]` comments in every format with comments, `[[ignore]]` in skew.toml
//! (glob, package, prefix, reason, until), `expired-ignore` / `unused-ignore`,
//! `--select` / `--ignore` and their config keys, `[severity]`, `exclude` / `--exclude`,
//! and the summary counts of what was hidden.

mod common;

use std::path::Path;

use common::{copy_dir, json, root, skew, skew_in, stderr, stdout};

const INLINE: &str = "fixtures/suppress/inline";
const PG_FAIL: &str = "fixtures/rules/postgres-scram-sha-256/fail";

/// `path:line rule` per finding of a `--format short` run.
fn short(o: &std::process::Output) -> Vec<String> {
    stdout(o)
        .lines()
        .map(|l| {
            let mut parts = l.splitn(4, ':');
            let (path, line, _col, rest) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let rule = rest.split('[').nth(1).unwrap().split(']').next().unwrap();
            format!("{path}:{line} {rule}")
        })
        .collect()
}

/// A scratch copy of the postgres fixture (clients in JSON, XML, go.mod, requirements)
/// with `config` as its skew.toml.
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(PG_FAIL), dir.path());
    if !config.is_empty() {
        std::fs::write(dir.path().join("skew.toml"), config).unwrap();
    }
    dir
}

fn check(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--format", "short"];
    args.extend_from_slice(extra);
    skew_in(dir, &args)
}

#[test]
fn inline_ignores_work_in_every_format_with_comments() {
    // run inside the fixture: human and short paths are relative to the current directory
    let inline = root().join(INLINE);
    let o = skew_in(&inline, &["check", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // hidden: YAML (line above), requirements, TOML, go.mod (line above), Gemfile,
    // Dockerfile (line above), .tool-versions, HCL, XML (line above)
    assert_eq!(
        short(&o),
        [
            // a `#` inside a quoted YAML scalar is not a comment
            "docker-compose.yml:15 mysql-eol",
            // the second id of the HCL comment hid nothing
            "infra/main.tf:3 unused-ignore",
            // JSON has no comments
            "services/api/package.json:6 postgres-scram-sha-256",
            // the comment above `pgx` covers that line only
            "services/worker/go.mod:8 postgres-scram-sha-256",
        ],
        "{}",
        stdout(&o)
    );
    let o = skew_in(&inline, &["check"]);
    let out = stdout(&o);
    // the summary line, before the closing `skew explain` hint
    let summary = out
        .lines()
        .rev()
        .find(|l| l.contains(" warning") && l.contains(" in "))
        .unwrap();
    assert!(
        summary.starts_with("2 errors, 1 warning, 1 info (9 ignored) in "),
        "{summary}"
    );
    assert!(
        // the message as one line again (the human output wraps it under `│`)
        out.replace("\n  │ ", " ")
            .contains("`skew: ignore[mysql-caching-sha2-password]` hides no finding on this line"),
        "{out}"
    );
}

#[test]
fn json_counts_what_was_hidden() {
    let o = skew(&["check", INLINE, "--format", "json"]);
    let doc = json(&o);
    assert_eq!(
        doc["summary"]["hidden"],
        serde_json::json!({"ignored": 9, "not_selected": 0, "baseline": 0, "since": 0})
    );
    // the baseline count: record today's findings, then check against them
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(INLINE), dir.path());
    let o = skew_in(dir.path(), &["baseline", "write", "base.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = skew_in(
        dir.path(),
        &["check", "--baseline", "base.json", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc = json(&o);
    assert_eq!(doc["summary"]["hidden"]["ignored"], 9);
    assert_eq!(doc["summary"]["hidden"]["baseline"], 4);
    let o = skew_in(dir.path(), &["check", "--baseline", "base.json"]);
    let out = stdout(&o);
    assert!(
        out.contains("0 errors, 0 warnings, 0 infos (9 ignored, 4 in baseline) in "),
        "{out}"
    );
}

#[test]
fn config_ignore_by_glob_package_and_prefix() {
    let dir = project(
        r#"
[[ignore]]
rule = "postgres-"                  # a prefix
path = "services/**"
package = "pg"                      # only the npm client, in JSON
reason = "api moves to pg 8 in Q1, OPS-123"

[[ignore]]
rule = "postgres-scram-sha-256"
path = "services/worker/*"
package = "github.com/lib/pq"
reason = "worker is retired"
"#,
    );
    let o = check(dir.path(), &[]);
    assert_eq!(
        short(&o),
        [
            "services/billing/pom.xml:10 postgres-scram-sha-256",
            "services/etl/requirements.txt:1 postgres-scram-sha-256",
            "services/worker/go.mod:6 postgres-scram-sha-256",
        ],
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_ignore_without_a_reason_is_exit_2_with_its_location_and_every_other_problem() {
    let dir = project(
        "[[ignore]]\nrule = \"postgres-scram-sha-256\"\npath = \"services/**\"\n\nselekt = []\n",
    );
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("invalid config `skew.toml`: 2 problems"),
        "{err}"
    );
    assert!(err.contains("skew.toml:1:1"), "{err}");
    assert!(err.contains("this `[[ignore]]` has no `reason`"), "{err}");
    assert!(err.contains("unknown key `selekt`"), "{err}");
}

#[test]
fn an_expired_ignore_brings_its_findings_back_with_a_warning_at_its_line() {
    let config = |until: &str| {
        format!(
            "[[ignore]]\nrule = \"postgres-scram-sha-256\"\npath = \"services/etl/**\"\nreason = \"etl retires\"\nuntil = {until}\n"
        )
    };
    // SKEW_TODAY is 2026-01-01: an ignore holds through its `until` day
    let dir = project(&config("2026-01-01"));
    let o = check(dir.path(), &[]);
    assert!(
        !short(&o).iter().any(|l| l.contains("etl")),
        "{}",
        stdout(&o)
    );
    let dir = project(&config("2025-12-31"));
    let o = check(dir.path(), &[]);
    let lines = short(&o);
    assert!(
        lines.contains(&"services/etl/requirements.txt:1 postgres-scram-sha-256".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"skew.toml:5 expired-ignore".to_string()),
        "{lines:?}"
    );
    assert!(
        stdout(&o).contains("expired on 2025-12-31: its finding is reported again"),
        "{}",
        stdout(&o)
    );
    // and `until` is compared with --today too
    let dir = project(&config("\"2026-06-30\""));
    let o = check(dir.path(), &["--today", "2026-07-01"]);
    assert!(short(&o).contains(&"skew.toml:5 expired-ignore".to_string()));
}

/// Inline `until=YYYY-MM-DD` right after the `]`: holds through that day, then the
/// findings come back with an `expired-ignore` warning at the date; a date that is none
/// voids the directive, with the same warning.
#[test]
fn an_inline_ignore_with_until_expires_too() {
    let with = |comment: &str| {
        let dir = project("");
        let etl = dir.path().join("services/etl/requirements.txt");
        std::fs::write(&etl, format!("asyncpg==0.18.3  # {comment}\n")).unwrap();
        dir
    };
    let etl = "services/etl/requirements.txt:1 postgres-scram-sha-256".to_string();
    // SKEW_TODAY is 2026-01-01: it holds through its `until` day
    let dir = with("skew: ignore[postgres-scram-sha-256] until=2026-01-01 -- etl retires in Q1");
    let lines = short(&check(dir.path(), &[]));
    assert!(!lines.contains(&etl), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("ignore")), "{lines:?}");
    // the day after, the finding is back, with the warning at the date
    let o = check(dir.path(), &["--today", "2026-01-02"]);
    let lines = short(&o);
    assert!(lines.contains(&etl), "{lines:?}");
    assert!(
        lines.contains(&"services/etl/requirements.txt:1 expired-ignore".to_string()),
        "{lines:?}"
    );
    let out = stdout(&o);
    assert!(
        out.contains(
            "requirements.txt:1:63: warning[expired-ignore]: `skew: ignore[postgres-scram-sha-256]` expired on 2026-01-01: what it hid is reported again"
        ),
        "{out}"
    );
    // not a date: void, and said so
    let dir = with("skew: ignore[postgres-scram-sha-256] until=2026-02-30 -- typo");
    let o = check(dir.path(), &[]);
    let lines = short(&o);
    assert!(lines.contains(&etl), "{lines:?}");
    assert!(stdout(&o).contains("not a calendar date"), "{}", stdout(&o));
    // the reason may mention `until=`: only right after the `]` is it the expiry
    let dir = with("skew: ignore[postgres-scram-sha-256] -- until=2020-01-01 was the old plan");
    assert!(!short(&check(dir.path(), &[])).contains(&etl));
}

#[test]
fn an_ignore_that_matches_nothing_is_an_unused_ignore_info() {
    let dir = project(
        "[[ignore]]\nrule = \"postgres-scram-sha-256\"\npath = \"nowhere/**\"\nreason = \"typo in the path\"\n",
    );
    std::fs::write(
        dir.path().join("services/etl/requirements.txt"),
        "# skew: ignore[postgres-scram-sha-265]\nasyncpg==0.18.3\n",
    )
    .unwrap();
    let o = check(dir.path(), &[]);
    let lines = short(&o);
    assert!(
        lines.contains(&"skew.toml:2 unused-ignore".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"services/etl/requirements.txt:1 unused-ignore".to_string()),
        "{lines:?}"
    );
    let out = stdout(&o);
    assert!(
        out.contains("did you mean `postgres-scram-sha-256`?"),
        "a mistyped inline id names the nearest: {out}"
    );
    // info findings do not fail the run on their own
    let o = skew_in(
        dir.path(),
        &["check", "--select", "unused-ignore", "--format", "short"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(short(&o).len(), 2);
}

#[test]
fn select_and_ignore_flags_take_ids_prefixes_and_comma_lists() {
    let dir = project("");
    let all = short(&check(dir.path(), &[]));
    assert_eq!(all.len(), 5, "{all:?}");
    let o = check(dir.path(), &["--ignore", "postgres-"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(short(&o).is_empty());
    let o = check(dir.path(), &["--select", "parse-error,invalid-version"]);
    assert!(short(&o).is_empty());
    let o = check(
        dir.path(),
        &[
            "--select",
            "postgres-",
            "--ignore",
            "parse-error",
            "--ignore",
            "postgres-scram-sha-256",
        ],
    );
    assert!(short(&o).is_empty());
    let o = skew_in(dir.path(), &["check", "--ignore", "postgres-scram-sha-256"]);
    assert!(stdout(&o).contains("(5 not selected)"), "{}", stdout(&o));
    // an id no rule has: exit 2 with the nearest
    let o = check(dir.path(), &["--select", "postgres-scram-sha-265"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("no rule `postgres-scram-sha-265`; did you mean `postgres-scram-sha-256`?"),
        "{}",
        stderr(&o)
    );
    // what-if and baseline write take the same flags
    let o = skew_in(
        dir.path(),
        &[
            "what-if",
            "--upgrade",
            "postgres=17.0",
            "--ignore",
            "postgres-",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["findings"], serde_json::json!([]));
    let o = skew_in(
        dir.path(),
        &[
            "baseline",
            "write",
            "b.json",
            "--select",
            "postgres-scram-sha-256",
            "--exclude",
            "services/api",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("b.json")).unwrap()).unwrap();
    assert_eq!(b["findings"].as_array().unwrap().len(), 4);
}

#[test]
fn select_ignore_rules_and_severity_in_skew_toml() {
    let dir = project(
        "select = [\"postgres-\"]\nignore-rules = [\"postgres-scram-needs-libpq-10\"]\n\n[severity]\n\"postgres-scram-sha-256\" = \"info\"\n",
    );
    // every finding is now an info: nothing at or above --fail-on error
    let o = skew_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5);
    assert!(
        findings.iter().all(|f| f["severity"] == "info"),
        "{findings:?}"
    );
    // --fail-on sees the overridden severity
    let o = check(dir.path(), &["--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(0));
    // --select replaces the config's select
    let o = check(dir.path(), &["--select", "parse-error"]);
    assert!(short(&o).is_empty());
    // unknown ids in the config: exit 2, each at its place, with the nearest
    let dir = project("select = [\"postgres-scram\"]\n[severity]\n\"unpinned-servr\" = \"info\"\n");
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("skew.toml:1:11"), "{err}");
    assert!(
        err.contains("no rule `unpinned-servr`; did you mean `unpinned-server`?"),
        "{err}"
    );
}

#[test]
fn excluded_files_are_neither_scanned_nor_reported() {
    let dir = project("exclude = [\"services/billing\", \"services/worker/**\"]\n");
    let o = skew_in(dir.path(), &["check", "--format", "json"]);
    let doc = json(&o);
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["services/api/package.json", "services/etl/requirements.txt"],
        "{doc:#}"
    );
    // docker-compose.yml, package.json, package-lock.json, requirements.txt
    assert_eq!(doc["summary"]["files_scanned"], 4);
    let o = check(
        dir.path(),
        &[
            "--exclude",
            "services/api",
            "--exclude",
            "**/requirements.txt",
        ],
    );
    assert!(short(&o).is_empty(), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0));
    let o = check(dir.path(), &["--exclude", "/abs"]);
    assert_eq!(o.status.code(), Some(2));
}

/// skew's own repository checks clean: its skew.toml excludes the deliberately broken
/// fixtures. The walk honours .gitignore, so build output under target/ never counts.
#[test]
fn skews_own_repository_checks_clean() {
    let o = skew(&["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with("0 errors, 0 warnings, 0 infos in "),
        "{}",
        stdout(&o)
    );
}

/// With root discovery, `skew check samples/demo` in a repository whose skew.toml
/// excludes `samples/**` still checks the folder the user named (as ruff checks paths
/// passed to it directly), while `skew check` at the top leaves it out.
#[test]
fn a_path_named_on_the_command_line_is_checked_even_when_excluded() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    copy_dir(&root().join(PG_FAIL), &top.join("samples/demo"));
    std::fs::write(top.join("skew.toml"), "exclude = [\"samples/**\"]\n").unwrap();
    let run = |cwd: &Path, args: &[&str]| {
        assert_cmd::Command::cargo_bin("skew")
            .unwrap()
            .current_dir(cwd)
            .args(args)
            .env("SKEW_TODAY", "2026-01-01")
            .env_remove("SKEW_NO_DISCOVERY")
            .output()
            .unwrap()
    };
    let o = run(top, &["check", "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(short(&o).is_empty());
    let o = run(top, &["check", "samples/demo", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(short(&o).len(), 5, "{}", stdout(&o));
    let o = run(&top.join("samples/demo"), &["check", "--format", "short"]);
    assert_eq!(short(&o).len(), 5, "{}", stdout(&o));
}
