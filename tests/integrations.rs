//! Where users run skew, tested against the real binary and the real tools: the pre-commit
//! hook (definition, `--staged`, and pre-commit itself), SARIF checked against the official
//! 2.1.0 schema, skew's own JSON Schemas (output, rule files, skew.toml), `skew graph` in
//! every format (DOT rendered by Graphviz), completions and the progress spinner.
//!
//! Tools that are not Rust (`git`, `pre-commit`, `dot`) are required under CI (`CI` set;
//! `.ci/run` installs them) and skipped with a note elsewhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::Value;

const SKEW: &str = env!("CARGO_BIN_EXE_skew");

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn outage() -> PathBuf {
    repo_root().join("fixtures/integ/outage")
}

/// Run skew in `dir` with `args`; stdin closed, colours off.
fn skew(dir: &Path, args: &[&str]) -> Output {
    Command::new(SKEW)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SKEW_NO_DISCOVERY", "1")
        .env_remove("CLICOLOR_FORCE")
        // end-of-life findings must not change with the calendar
        .env("SKEW_TODAY", "2026-01-01")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("skew runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Is `tool` on PATH? Under CI a missing tool is a failure, not a skip.
fn have(tool: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
        || Command::new(tool)
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{tool}` is required under CI (.ci/run installs it)"
        );
        eprintln!("note: `{tool}` not found; skipping");
    }
    found
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validate `instance` against `schema` (formats checked too); panic with every error.
fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("schema for {what} does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is invalid:\n{}",
        errors.join("\n")
    );
}

/// A copy of the outage fixture plus a manifest that does not parse, so outputs carry a
/// rule finding with a related location, an ok edge and a `parse-error`.
fn outage_with_broken_file() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&outage(), dir.path());
    std::fs::create_dir_all(dir.path().join("tools")).unwrap();
    std::fs::write(
        dir.path().join("tools/package.json"),
        "{\n  \"dependencies\": {\n    \"mysql\": \n",
    )
    .unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// pre-commit: the hook definition

#[derive(Debug, serde::Deserialize)]
struct Hook {
    id: String,
    language: String,
    entry: String,
    pass_filenames: bool,
    files: String,
}

fn hook() -> Hook {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut hooks: Vec<Hook> =
        serde_saphyr::from_str(&text).expect(".pre-commit-hooks.yaml parses");
    assert_eq!(hooks.len(), 1, "one hook");
    hooks.remove(0)
}

#[test]
fn pre_commit_hook_runs_skew_on_the_whole_tree_for_staged_findings() {
    let h = hook();
    assert_eq!(h.id, "skew");
    assert_eq!(h.language, "rust");
    assert!(
        !h.pass_filenames,
        "skew reads the whole tree; names are not passed"
    );
    let args: Vec<&str> = h.entry.split_whitespace().collect();
    assert_eq!(args[..2], ["skew", "check"], "entry: {}", h.entry);
    assert!(args.contains(&"--staged"), "entry: {}", h.entry);
    // the entry's arguments are ones skew accepts
    let o = skew(&repo_root(), &[&args[1..], &["--help"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    // and pre-commit itself accepts the manifest
    if have("pre-commit") {
        let o = Command::new("pre-commit")
            .args(["validate-manifest", ".pre-commit-hooks.yaml"])
            .current_dir(repo_root())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn pre_commit_files_pattern_matches_every_name_an_extractor_wants() {
    let h = hook();
    let re = regex::Regex::new(h.files.trim()).expect("`files` is a valid regex");
    // the names come from the extractor registry: a name an extractor starts reading
    // fails here until the hook runs for it too
    for name in skew::extract::sample_paths() {
        let wanted: Vec<_> = skew::extract::wanted_by(Path::new(name))
            .map(|e| e.name())
            .collect();
        assert!(
            re.is_match(name),
            "`{name}` is read by {wanted:?} but the hook's `files` does not match it"
        );
    }
    // names that once drifted: skew read them and the hook did not run for them
    for name in [
        "requirements/base.txt",
        "constraints.txt",
        "runtime.txt",
        "Directory.Build.props",
    ] {
        assert!(
            skew::extract::wanted_by(Path::new(name)).next().is_some() && re.is_match(name),
            "`{name}`"
        );
    }
    assert!(re.is_match("skew.toml") && re.is_match("conf/skew.toml"));
    for name in [
        "src/main.rs",
        "README.md",
        "docs/skew.1",
        "package.json.bak",
        "notes.txt",
    ] {
        assert!(!re.is_match(name), "`{name}` should not trigger the hook");
    }
}

// ---------------------------------------------------------------------------------------
// --staged, with a real git repository

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "skew test")
        .env("GIT_AUTHOR_EMAIL", "skew@example.test")
        .env("GIT_COMMITTER_NAME", "skew test")
        .env("GIT_COMMITTER_EMAIL", "skew@example.test")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) {
    let o = git(dir, args);
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// A git repository holding the outage fixture, committed, with a clean worker and the
/// api's `package.json` rewritten to use `mysql2` so that HEAD is clean.
fn clean_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&outage(), dir.path());
    set_api_driver(dir.path(), "\"mysql2\": \"^3.9.2\"");
    git_ok(dir.path(), &["init", "-q", "-b", "main"]);
    git_ok(dir.path(), &["add", "-A"]);
    git_ok(dir.path(), &["commit", "-q", "-m", "clean"]);
    dir
}

fn set_api_driver(root: &Path, dep: &str) {
    std::fs::write(
        root.join("services/api/package.json"),
        format!(
            "{{\n  \"name\": \"api\",\n  \"private\": true,\n  \"dependencies\": {{\n    \"express\": \"^4.19.2\",\n    {dep}\n  }}\n}}\n"
        ),
    )
    .unwrap();
}

#[test]
fn staged_outside_a_git_repository_is_a_clear_exit_2() {
    if !have("git") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&outage(), dir.path());
    let o = Command::new(SKEW)
        .args(["check", "--staged", "."])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("`--staged` needs a git repository"), "{err}");
    assert!(o.stdout.is_empty(), "nothing is reported: {}", stdout(&o));
}

#[test]
fn staged_reports_only_findings_that_touch_a_staged_file() {
    if !have("git") {
        return;
    }
    let repo = clean_repo();
    let root = repo.path();
    // the working tree now has the old driver, but nothing is staged yet
    set_api_driver(root, "\"mysql\": \"2.18.1\"");
    let o = skew(root, &["check", "--staged", "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "", "unstaged mistakes are not this commit's");

    // staging an unrelated file does not bring the finding in
    std::fs::write(
        root.join("services/worker/package.json"),
        "{\n  \"name\": \"worker\",\n  \"dependencies\": { \"mysql2\": \"^3.10.0\" }\n}\n",
    )
    .unwrap();
    git_ok(root, &["add", "services/worker/package.json"]);
    let o = skew(root, &["check", "--staged", "--format", "short"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // staging the client brings it in
    git_ok(root, &["add", "services/api/package.json"]);
    let o = skew(root, &["check", "--staged", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("services/api/package.json:6:15: error[mysql-caching-sha2-password]"),
        "{}",
        stdout(&o)
    );

    // and so does staging only the server end (the related location)
    git_ok(root, &["commit", "-q", "-m", "old driver", "--no-verify"]);
    let compose = std::fs::read_to_string(root.join("docker-compose.yml")).unwrap();
    std::fs::write(
        root.join("docker-compose.yml"),
        compose.replace("8.0.36", "8.0.37"),
    )
    .unwrap();
    git_ok(root, &["add", "docker-compose.yml"]);
    let o = skew(root, &["check", "--staged", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));

    // from a sub-folder as the scan root, paths stay relative to it
    let o = skew(
        &root.join("services"),
        &["check", "--staged", "--format", "short"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------
// pre-commit itself

/// The local hook pre-commit should run: our hook's `files` and `pass_filenames`, with the
/// entry pointing at the binary under test instead of one `cargo install`ed by
/// `language: rust` (that build is a release build of skew, minutes on a shared machine:
/// `pre_commit_try_repo_builds_the_rust_hook` below does it, on demand).
fn local_hook_config(language: &str) -> String {
    let h = hook();
    let args = h
        .entry
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    let files_json = serde_json::to_string(&h.files).unwrap();
    format!(
        "repos:\n- repo: local\n  hooks:\n  - id: {id}\n    name: skew\n    language: {language}\n    entry: {skew} {args}\n    pass_filenames: {pf}\n    files: {files_json}\n",
        id = h.id,
        skew = SKEW,
        pf = h.pass_filenames,
    )
}

fn pre_commit(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new("pre-commit")
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "skew test")
        .env("GIT_AUTHOR_EMAIL", "skew@example.test")
        .env("GIT_COMMITTER_NAME", "skew test")
        .env("GIT_COMMITTER_EMAIL", "skew@example.test")
        .output()
        .expect("pre-commit runs")
}

#[test]
fn pre_commit_refuses_a_commit_that_brings_in_an_incompatible_driver() {
    if !have("git") || !have("pre-commit") {
        return;
    }
    let started = Instant::now();
    let repo = clean_repo();
    let root = repo.path();
    let home = tempfile::tempdir().unwrap();
    // pre-commit 4.4 renamed `system` to `unsupported`; older releases know only `system`
    let mut config = local_hook_config("unsupported");
    std::fs::write(root.join(".pre-commit-config.yaml"), &config).unwrap();
    if !pre_commit(root, home.path(), &["validate-config"])
        .status
        .success()
    {
        config = local_hook_config("system");
        std::fs::write(root.join(".pre-commit-config.yaml"), &config).unwrap();
    }
    let o = pre_commit(root, home.path(), &["install"]);
    assert!(o.status.success(), "{}", stderr(&o));
    git_ok(root, &["add", ".pre-commit-config.yaml"]);

    // a clean commit passes (and runs the hook: package.json matches `files`)
    set_api_driver(root, "\"mysql2\": \"^3.10.0\"");
    git_ok(root, &["add", "-A"]);
    let o = git(root, &["commit", "-m", "bump mysql2"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "clean commit refused:\n{out}");
    assert!(out.contains("skew") && out.contains("Passed"), "{out}");

    // the outage commit is refused with skew's message
    set_api_driver(root, "\"mysql\": \"2.18.1\"");
    git_ok(root, &["add", "-A"]);
    let o = git(root, &["commit", "-m", "use the old driver"]);
    let out = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!o.status.success(), "outage commit accepted:\n{out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(out.contains("mysql-caching-sha2-password"), "{out}");
    assert!(out.contains("services/api/package.json"), "{out}");
    let log = git(root, &["log", "--format=%s"]);
    assert_eq!(stdout(&log), "bump mysql2\nclean\n");
    eprintln!("pre-commit round trip: {:.1?}", started.elapsed());
}

/// The real `language: rust` hook: pre-commit copies this repository and builds skew with
/// `cargo install` (a release build, crates fetched into pre-commit's own cargo home):
/// 351 s here with `CARGO_BUILD_JOBS=1`, far too slow for every CI run, so it runs on
/// demand (the fast test above drives real pre-commit with the same `entry`/`files`):
/// `cargo test --test integrations -- --ignored pre_commit_try_repo`.
#[test]
#[ignore = "builds skew in release mode through pre-commit (minutes); run on demand"]
fn pre_commit_try_repo_builds_the_rust_hook() {
    if !have("git") || !have("pre-commit") {
        return;
    }
    let repo = clean_repo();
    let root = repo.path();
    let home = tempfile::tempdir().unwrap();
    set_api_driver(root, "\"mysql\": \"2.18.1\"");
    git_ok(root, &["add", "-A"]);
    let started = Instant::now();
    let o = pre_commit(
        root,
        home.path(),
        &[
            "try-repo",
            repo_root().to_str().unwrap(),
            "skew",
            "--verbose",
        ],
    );
    let out = format!("{}{}", stdout(&o), stderr(&o));
    eprintln!(
        "pre-commit try-repo (cargo install included): {:.1?}",
        started.elapsed()
    );
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("mysql-caching-sha2-password"), "{out}");
}

// ---------------------------------------------------------------------------------------
// SARIF against the official schema

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema = read_json(&repo_root().join("tests/data/sarif-schema-2.1.0.json"));
    // the OASIS errata01 schema (draft-04, so `id` rather than `$id`)
    assert_eq!(
        schema["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    let dir = outage_with_broken_file();
    let o = skew(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_valid(&schema, &log, "`skew check --format sarif`");
    assert_eq!(
        log["$schema"], schema["id"],
        "the log names the schema it follows"
    );
    let ids: BTreeSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["mysql-caching-sha2-password", "parse-error"])
    );

    // an empty run is valid too
    let empty = tempfile::tempdir().unwrap();
    let o = skew(empty.path(), &["check", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(0));
    assert_valid(
        &schema,
        &serde_json::from_str(&stdout(&o)).unwrap(),
        "empty SARIF",
    );
}

// ---------------------------------------------------------------------------------------
// skew's own schemas

#[test]
fn json_output_matches_the_output_schema() {
    let schema = read_json(&repo_root().join("docs/skew-output.schema.json"));
    let dir = outage_with_broken_file();
    for args in [
        &["check", "--format", "json"][..],
        &["scan", "--format", "json"][..],
    ] {
        let o = skew(dir.path(), args);
        let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_valid(&schema, &doc, &format!("`skew {}`", args.join(" ")));
        assert!(!doc["components"].as_array().unwrap().is_empty());
        assert!(!doc["findings"].as_array().unwrap().is_empty());
    }
    // what-if adds verdict/introduced/resolved, described by the same schema
    let o = skew(
        dir.path(),
        &["what-if", "--upgrade", "mysql=5.7.44", "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_valid(&schema, &doc, "`skew what-if`");
    assert!(!doc["resolved"].as_array().unwrap().is_empty());
    let mut bad = doc.clone();
    bad["introduced"] = Value::String("none".into());
    assert!(!jsonschema::is_valid(&schema, &bad));
    let empty = tempfile::tempdir().unwrap();
    let o = skew(empty.path(), &["check", "--format", "json"]);
    assert_valid(
        &schema,
        &serde_json::from_str(&stdout(&o)).unwrap(),
        "empty JSON",
    );

    // the example in docs/json-schema.md is valid as well
    let md = std::fs::read_to_string(repo_root().join("docs/json-schema.md")).unwrap();
    let start = md
        .find("<!-- example:start -->\n```json\n")
        .expect("example start")
        + 31;
    let end = md[start..].find("```").expect("example end") + start;
    let example: Value = serde_json::from_str(&md[start..end]).unwrap();
    assert_valid(&schema, &example, "the docs/json-schema.md example");

    // and the schema rejects what it must: a wrong severity, a column 0
    let mut bad = example.clone();
    bad["findings"][0]["severity"] = "fatal".into();
    assert!(!jsonschema::is_valid(&schema, &bad));
    let mut bad = example;
    bad["components"][0]["location"]["column"] = 0.into();
    assert!(!jsonschema::is_valid(&schema, &bad));
}

fn toml_as_json(text: &str) -> Value {
    let v: toml::Value = toml::from_str(text).expect("TOML parses");
    serde_json::to_value(v).unwrap()
}

#[test]
fn every_shipped_rule_file_matches_the_rule_schema() {
    let schema = read_json(&repo_root().join("docs/skew-rules.schema.json"));
    let files = skew::rule::RuleSet::builtin_files();
    assert!(!files.is_empty());
    for (name, text) in files {
        assert_valid(&schema, &toml_as_json(text), &format!("rules/{name}"));
    }
    // the schema is as strict as the loader: unknown keys and unknown ecosystems fail
    let (_, mysql) = &skew::rule::RuleSet::builtin_files()[0];
    let mut bad = toml_as_json(mysql);
    bad["rule"][0]["serverr"] = ">=8".into();
    assert!(!jsonschema::is_valid(&schema, &bad));
    let mut bad = toml_as_json(mysql);
    bad["rule"][0]["clients"][0]["ecosystem"] = "npmjs".into();
    assert!(!jsonschema::is_valid(&schema, &bad));
}

#[test]
fn config_schema_agrees_with_the_loader() {
    let schema = read_json(&repo_root().join("docs/skew-config.schema.json"));
    // every skew.toml the fixtures ship is accepted by both the loader and the schema
    let mut seen = 0;
    for dir in [
        "fixtures/rehearse/parity-violation",
        "fixtures/rehearse/declared-server",
    ] {
        let path = repo_root().join(dir).join("skew.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        skew::config::Config::parse("skew.toml", &text, &repo_root()).unwrap();
        assert_valid(&schema, &toml_as_json(&text), dir);
        seen += 1;
    }
    assert_eq!(seen, 2);
    // the keys of suppression, selection and exclusion, skew's own skew.toml among them
    let own = std::fs::read_to_string(repo_root().join("skew.toml")).unwrap();
    let filters = "select = [\"mysql-\"]\nignore-rules = [\"mysql-eol\"]\nexclude = [\"fixtures/**\"]\n\
        [severity]\n\"unpinned-server\" = \"info\"\n\
        [[ignore]]\nrule = \"mysql-caching-sha2-password\"\npath = \"services/legacy/**\"\n\
        package = \"mysql\"\nreason = \"retired in Q1, OPS-123\"\nuntil = \"2027-03-31\"\n";
    for text in [own.as_str(), filters] {
        skew::config::Config::parse("skew.toml", text, &repo_root()).unwrap();
        assert_valid(&schema, &toml_as_json(text), "filters");
    }
    // and both reject what the loader rejects
    for bad in [
        "[[ignore]]\nrule = \"mysql-eol\"\n",
        "[severity]\n\"mysql-eol\" = \"fatal\"\n",
        "fail-on = \"warning\"\n",
        "[environments.prod]\npaths = [\"a\"]\ncolour = \"blue\"\n",
        "[environments.prod]\nservers = { mysql = 8 }\n",
    ] {
        assert!(
            skew::config::Config::parse("skew.toml", bad, &repo_root()).is_err(),
            "{bad}"
        );
        assert!(!jsonschema::is_valid(&schema, &toml_as_json(bad)), "{bad}");
    }
}

// ---------------------------------------------------------------------------------------
// skew graph

#[test]
fn graph_formats() {
    let root = outage();
    let dot = skew(&root, &["graph"]);
    assert!(dot.status.success(), "{}", stderr(&dot));
    insta::assert_snapshot!("graph_dot", stdout(&dot));
    let mermaid = skew(&root, &["graph", "--format", "mermaid"]);
    insta::assert_snapshot!("graph_mermaid", stdout(&mermaid));
    let json = skew(&root, &["graph", "--format", "json"]);
    insta::assert_snapshot!("graph_json", stdout(&json));
    let doc: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let outcomes: Vec<&str> = doc["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["breaks", "ok"]);
}

#[test]
fn graph_dot_is_accepted_by_graphviz() {
    if !have("dot") {
        return;
    }
    let dir = outage_with_broken_file();
    // a group name with quotes and backslashes must not break the DOT syntax
    std::fs::write(
        dir.path().join("tools/package.json"),
        "{ \"name\": \"we \\\"quote\\\" \\\\ things\", \"dependencies\": { \"mysql\": \"<2.0 || >=2.18\" } }\n",
    )
    .unwrap();
    let out = skew(dir.path(), &["graph", "--format", "dot"]);
    assert!(
        stdout(&out).contains(r#"label="we \"quote\" \\ things";"#),
        "{}",
        stdout(&out)
    );
    let svg = graphviz(dir.path(), &out.stdout);
    assert!(
        svg.contains("mysql&#45;caching&#45;sha2&#45;password (breaks)"),
        "{svg}"
    );
}

/// `dot -Tsvg` of a DOT text, written to `scratch/graph.dot`; panics when Graphviz rejects it.
fn graphviz(scratch: &Path, dot: &[u8]) -> String {
    let file = scratch.join("graph.dot");
    std::fs::write(&file, dot).unwrap();
    let svg = Command::new("dot")
        .args(["-Tsvg"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        svg.status.success(),
        "dot rejected the graph: {}",
        stderr(&svg)
    );
    String::from_utf8_lossy(&svg.stdout).into_owned()
}

/// Repositories with a `skew.toml`: separate staging and production compose files, a
/// production database declared in the config (RDS), and one compose file deployed to both
/// environments by overlapping globs.
const ENVIRONMENT_FIXTURES: [&str; 3] = [
    "rehearse/parity-violation",
    "rehearse/declared-server",
    "integ/overlapping-environments",
];

#[test]
fn graph_groups_nodes_by_environment() {
    let scratch = tempfile::tempdir().unwrap();
    let graphviz_here = have("dot");
    for fixture in ENVIRONMENT_FIXTURES {
        let dir = repo_root().join("fixtures").join(fixture);
        let name = fixture.rsplit('/').next().unwrap();
        for format in ["dot", "mermaid", "json"] {
            let out = skew(&dir, &["graph", "--format", format]);
            assert!(out.status.success(), "{fixture}: {}", stderr(&out));
            insta::assert_snapshot!(format!("graph_env_{name}_{format}"), stdout(&out));
            if format == "dot" && graphviz_here {
                let svg = graphviz(scratch.path(), &out.stdout);
                assert!(svg.contains("production"), "{fixture}: {svg}");
            }
        }
        // JSON: the promotion order, and each node's environments ([] = everywhere)
        let doc: Value =
            serde_json::from_str(&stdout(&skew(&dir, &["graph", "--format", "json"]))).unwrap();
        assert_eq!(
            doc["environments"],
            serde_json::json!(["staging", "production"])
        );
        for n in doc["nodes"].as_array().unwrap() {
            let envs = n["environments"].as_array().unwrap();
            let path = n["location"]["path"].as_str().unwrap();
            assert_eq!(
                envs.is_empty(),
                path.starts_with("services/"),
                "{fixture}: application code is deployed everywhere, the rest is not: {n}"
            );
        }
    }
    // a declared server is a node of its environment, pointing into skew.toml
    let doc: Value = serde_json::from_str(&stdout(&skew(
        &repo_root().join("fixtures/rehearse/declared-server"),
        &["graph", "--format", "json"],
    )))
    .unwrap();
    let declared: Vec<(&str, &Value)> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["location"]["path"] == "skew.toml")
        .map(|n| (n["name"].as_str().unwrap(), &n["environments"]))
        .collect();
    assert_eq!(
        declared,
        [
            ("mysql", &serde_json::json!(["staging"])),
            ("mysql", &serde_json::json!(["production"]))
        ]
    );
}

#[test]
fn graph_env_restricts_the_picture() {
    let dir = repo_root().join("fixtures/rehearse/parity-violation");
    let out = skew(&dir, &["graph", "--format", "json", "--env", "staging"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let nodes: Vec<(&str, &str)> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["location"]["path"].as_str().unwrap(),
                n["version"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        nodes,
        [
            ("services/api/package.json", "3.9.1"),
            ("deploy/staging/docker-compose.yml", "8.0.36")
        ],
        "production's MySQL is not in staging's picture"
    );
    assert_eq!(doc["edges"].as_array().unwrap().len(), 1);
    let dot = stdout(&skew(&dir, &["graph", "--env", "staging"]));
    assert!(dot.contains("label=\"staging\";"), "{dot}");
    assert!(!dot.contains("production"), "{dot}");

    // a component in both environments is drawn in the one asked for
    let overlap = repo_root().join("fixtures/integ/overlapping-environments");
    let out = skew(&overlap, &["graph", "--env", "production"]);
    insta::assert_snapshot!(
        "graph_env_overlapping-environments_dot_production",
        stdout(&out)
    );

    let out = skew(&dir, &["graph", "--env", "qa"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("unknown environment `qa` (configured: staging, production)"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

/// The README's YAML block that starts with `first_line`.
fn readme_yaml(first_line: &str) -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find(&format!("```yaml\n{first_line}"))
        .unwrap_or_else(|| panic!("README has a ```yaml block starting `{first_line}`"));
    let body = &readme[start + "```yaml\n".len()..];
    body[..body.find("```").unwrap()].to_string()
}

/// The README's CI and pre-commit snippets can be copied: valid YAML once the marked
/// placeholders are filled in, the workflow fetches the history `--since` compares with,
/// and pre-commit accepts the config.
#[test]
fn readme_snippets_can_be_copied() {
    let fill = |s: &str| {
        s.replace("<SKEW_REPO>", "https://git.example.test/skew/skew")
            .replace("<SKEW_VERSION>", "v0.1.0")
    };
    let workflow = fill(&readme_yaml("# .github/workflows/skew.yml"));
    let doc: Value = serde_saphyr::from_str(&workflow).expect("the workflow parses");
    let steps = doc["jobs"]["skew"]["steps"].as_array().expect("steps");
    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout"))
        })
        .expect("a checkout step");
    assert_eq!(
        checkout["with"]["fetch-depth"], 0,
        "--since needs the base branch"
    );
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter().any(|r| r.starts_with("cargo install --locked")),
        "{runs:?}"
    );
    assert!(
        runs.iter()
            .any(|r| r.contains("skew check --since origin/${{ github.base_ref }}")),
        "{runs:?}"
    );
    let hooks = fill(&readme_yaml("# .pre-commit-config.yaml"));
    let doc: Value = serde_saphyr::from_str(&hooks).expect("the pre-commit config parses");
    assert_eq!(doc["repos"][0]["hooks"][0]["id"], "skew");
    let defined = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(defined.contains("- id: skew"), "the hook id exists");
    if have("pre-commit") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".pre-commit-config.yaml"), &hooks).unwrap();
        let o = Command::new("pre-commit")
            .args(["validate-config", ".pre-commit-config.yaml"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
}

/// Every node of the DOT is in the SVG, and so are the outage's two ends.
fn check_nodes(dot_text: &str, svg: &str) {
    for line in dot_text.lines() {
        if let Some((id, _)) = line.trim().split_once(" [label=")
            && !id.contains("->")
        {
            assert!(
                svg.contains(&format!("<title>{id}</title>")),
                "node {id} missing from the picture"
            );
        }
    }
    assert!(
        svg.contains("mysql 8.0.36") && svg.contains("PyMySQL ==0.8.1"),
        "{svg}"
    );
}

/// The command the README prints beside its picture, run in the outage fixture (`--root .`:
/// skew's own repository is the project around the fixture).
const PICTURE_COMMAND: &str = "cd fixtures/outage-2023-06-03 && skew graph --root . | dot -Tsvg -o ../../docs/img/outage-graph.svg";

/// README's picture is drawn by the command printed beside it: the DOT that command's
/// `skew graph` prints is checked in (`docs/img/outage-graph.dot`) and must be current, and
/// the SVG is what Graphviz draws from it (compared byte for byte when the installed
/// `dot` is the version that drew it, else node by node). `SKEW_UPDATE_DOCS=1` rewrites both.
#[test]
fn readme_picture_is_drawn_by_the_command_beside_it() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let at = readme
        .find("![skew graph of the outage fixture](docs/img/outage-graph.svg)")
        .expect("the README shows the picture");
    let before = &readme[..at];
    let shown = &before[before.len().saturating_sub(800)..];
    assert!(
        shown.contains(PICTURE_COMMAND),
        "the README prints `{PICTURE_COMMAND}` above the picture"
    );

    let fixture = repo_root().join("fixtures/outage-2023-06-03");
    let o = skew(&fixture, &["graph", "--root", "."]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dot_text = stdout(&o);
    let dot_path = repo_root().join("docs/img/outage-graph.dot");
    let svg_path = repo_root().join("docs/img/outage-graph.svg");
    let update = std::env::var_os("SKEW_UPDATE_DOCS").is_some();
    if update {
        std::fs::write(&dot_path, &dot_text).unwrap();
    }
    let committed = std::fs::read_to_string(&dot_path).unwrap_or_default();
    assert_eq!(
        committed, dot_text,
        "docs/img/outage-graph.dot is stale: SKEW_UPDATE_DOCS=1 cargo test --test integrations readme_picture"
    );
    if !have("dot") {
        let svg = std::fs::read_to_string(&svg_path).unwrap_or_default();
        check_nodes(&dot_text, &svg);
        return;
    }
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot_text.as_bytes())
        .unwrap();
    let drawn = child.wait_with_output().unwrap();
    assert!(drawn.status.success());
    let drawn = String::from_utf8(drawn.stdout).unwrap();
    let version = |svg: &str| {
        svg.lines()
            .find(|l| l.contains("Generated by graphviz version"))
            .map(str::to_string)
    };
    if update {
        std::fs::write(&svg_path, &drawn).unwrap();
    }
    let svg = std::fs::read_to_string(&svg_path).unwrap_or_default();
    check_nodes(&dot_text, &svg);
    if version(&drawn) == version(&svg) {
        assert_eq!(
            svg, drawn,
            "docs/img/outage-graph.svg is not what `dot` draws from the DOT: SKEW_UPDATE_DOCS=1 cargo test --test integrations readme_picture"
        );
    } else {
        eprintln!("note: the picture was drawn by another Graphviz; compared node by node only");
    }
}

// ---------------------------------------------------------------------------------------
// terminal manners

#[test]
fn completions_and_man_page_come_from_the_binary() {
    for shell in ["bash", "zsh", "fish"] {
        let o = skew(&repo_root(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        assert!(stdout(&o).contains("graph"), "{shell}");
    }
    let o = skew(&repo_root(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let o = skew(&repo_root(), &["man"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with(".ie"), "roff");
    assert!(stdout(&o).contains(".SH SUBCOMMANDS"));
    // `skew man SUBCOMMAND`: each subcommand's page, the same as docs/man/skew-NAME.1
    for sub in [
        "check",
        "what-if",
        "baseline",
        "scan",
        "rules",
        "explain",
        "graph",
        "init",
        "completions",
        "man",
        "lsp",
    ] {
        let o = skew(&repo_root(), &["man", sub]);
        assert!(o.status.success(), "{sub}: {}", stderr(&o));
        let page = stdout(&o);
        assert!(page.contains(&format!(".TH skew-{sub} 1")), "{sub}: {page}");
        let committed =
            std::fs::read_to_string(repo_root().join(format!("docs/man/skew-{sub}.1"))).unwrap();
        assert_eq!(page, committed, "{sub}");
    }
    let o = skew(&repo_root(), &["man", "chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("no subcommand `chek`; did you mean `check`?") && err.contains("what-if"),
        "{err}"
    );
}

#[test]
fn no_spinner_when_stderr_is_not_a_terminal() {
    // human format, slow or not: a pipe never gets the spinner
    let o = skew(&outage(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "", "stderr must stay clean in pipes");
}

/// docs/formats.md documents exactly the extractors of the registry: each one's name
/// appears in an `extractor` column, and that column names no extractor that does not
/// exist.
#[test]
fn formats_doc_lists_every_extractor_of_the_registry() {
    let text = std::fs::read_to_string(repo_root().join("docs/formats.md")).unwrap();
    let mut documented = std::collections::BTreeSet::new();
    let mut column = None;
    for line in text.lines() {
        if !line.starts_with('|') {
            column = None;
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        match column {
            None => column = cells.iter().position(|c| *c == "extractor"),
            Some(i) => {
                if let Some(cell) = cells.get(i).filter(|c| !c.starts_with("---")) {
                    documented.extend(cell.split(", ").map(|n| n.trim_matches('`').to_string()));
                }
            }
        }
    }
    let registered: std::collections::BTreeSet<String> = skew::extract::EXTRACTORS
        .iter()
        .map(|e| e.name().to_string())
        .collect();
    assert_eq!(
        documented, registered,
        "docs/formats.md vs the extractor registry"
    );
}
