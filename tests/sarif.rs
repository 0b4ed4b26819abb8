//! `skew check --format sarif` as GitHub code scanning ingests it, against the real binary.
//!
//! Two checks. First, GitHub's documented requirements ("SARIF support for code scanning",
//! docs.github.com: the required properties of `sarifLog`, `run`, `toolComponent`,
//! `reportingDescriptor`, `result`, `location` and `physicalLocation`, the 1024-character
//! limit on rule descriptions, at most 10 locations per result, relative URIs), encoded
//! here as assertions so they run everywhere. Second, Microsoft's SARIF Multitool, the
//! validator GitHub's docs point to for "the GitHub ingestion rules":
//! `validate --rule-kind Gh` (GH1001–GH1007, GH1011–GH1018, GH2012) must report nothing,
//! and its SARIF rules no error. The Multitool comes from npm (`npm ci --prefix
//! tests/sarif`, about 3 s); the test skips with a note when it is missing, and `.ci/run`
//! installs it and sets `SKEW_REQUIRE_SARIF_MULTITOOL=1`, which turns the skip into a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::{root, skew_in, stdout};

/// Projects whose SARIF covers every kind of result: rule findings with related
/// locations, file problems, ignores (`unused-ignore`), and none at all.
const PROJECTS: &[&str] = &[
    "fixtures/outage-2023-06-03",
    "fixtures/broken-manifest",
    "fixtures/may-break",
    "fixtures/suppress/inline",
    "fixtures/outage-2023-06-03-fixed",
];

fn sarif_of(project: &str) -> (String, Value) {
    let o = skew_in(
        &root().join(project),
        &["check", "--format", "sarif", "--fail-on", "never"],
    );
    assert!(o.status.success(), "{project}: {o:?}");
    let text = stdout(&o);
    let log = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{project}: {e}\n{text}"));
    (text, log)
}

fn text_of<'a>(v: &'a Value, what: &str) -> &'a str {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} is required: {v}"));
    assert!(
        !s.trim().is_empty(),
        "{what}: GitHub refuses the empty string"
    );
    s
}

#[test]
fn every_property_github_requires_is_there() {
    let mut rules_seen = 0;
    for project in PROJECTS {
        let (_, log) = sarif_of(project);
        assert_eq!(log["version"], "2.1.0", "{project}");
        text_of(&log["$schema"], "$schema");
        let runs = log["runs"].as_array().expect("runs[]");
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        let driver = &run["tool"]["driver"];
        assert_eq!(text_of(&driver["name"], "tool.driver.name"), "skew");
        let info = text_of(&driver["informationUri"], "tool.driver.informationUri");
        assert!(info.starts_with("https://"), "{info}");
        let rules = driver["rules"].as_array().expect("tool.driver.rules[]");
        for r in rules {
            rules_seen += 1;
            let id = text_of(&r["id"], "reportingDescriptor.id");
            for key in ["shortDescription", "fullDescription"] {
                let t = text_of(&r[key]["text"], key);
                assert!(
                    t.chars().count() <= 1024,
                    "{id}: {key} over 1024 characters"
                );
            }
            assert!(text_of(&r["name"], "name").chars().count() <= 255, "{id}");
            text_of(&r["help"]["text"], "help.text");
            let md = text_of(&r["help"]["markdown"], "help.markdown");
            assert!(md.contains(&format!("skew explain {id}")), "{id}: {md}");
            let level = r["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(
                ["note", "warning", "error"].contains(&level),
                "{id}: {level}"
            );
        }
        let results = run["results"].as_array().expect("results[]");
        for res in results {
            let i = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], res["ruleId"]);
            text_of(&res["message"]["text"], "result.message.text");
            assert!(res["partialFingerprints"].is_object());
            let locations = res["locations"].as_array().unwrap();
            assert!((1..=10).contains(&locations.len()));
            let related = res["relatedLocations"].as_array();
            for l in locations.iter().chain(related.into_iter().flatten()) {
                let p = &l["physicalLocation"];
                let uri = text_of(&p["artifactLocation"]["uri"], "artifactLocation.uri");
                assert!(
                    !uri.starts_with('/') && !uri.contains(':'),
                    "relative: {uri}"
                );
                let region = &p["region"];
                for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                    assert!(region[key].as_u64().unwrap() >= 1, "{key} in {region}");
                }
            }
        }
    }
    assert!(
        rules_seen >= 5,
        "the projects cover few rules: {rules_seen}"
    );
}

#[test]
fn rules_carry_their_documentation_and_default_level() {
    let (_, log) = sarif_of("fixtures/outage-2023-06-03");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "mysql-caching-sha2-password")
        .expect("the outage's rule");
    assert_eq!(rule["name"], "MysqlCachingSha2Password");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    // the full description is the rule's `why`, the help its `skew explain` page
    let explain = skew_in(&root(), &["explain", "mysql-caching-sha2-password"]);
    let page = stdout(&explain);
    let md = rule["help"]["markdown"].as_str().unwrap();
    assert!(page.contains(md.lines().next().unwrap()), "{md}");
    assert!(md.contains("## Why"), "{md}");
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let full = rule["fullDescription"]["text"].as_str().unwrap();
    assert_eq!(full, words(full), "one paragraph, no hard line breaks");
    assert!(
        words(&page).contains(full.trim_end_matches('…')),
        "fullDescription is the Why (its sentences up to 1024 characters): {full}"
    );
    assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
    // a built-in check is described from skew's own table
    let (_, log) = sarif_of("fixtures/broken-manifest");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let parse = rules.iter().find(|r| r["id"] == "parse-error").unwrap();
    assert_eq!(parse["defaultConfiguration"]["level"], "error");
    assert!(
        parse["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("built into skew")
    );
}

/// The Multitool's binary for this platform, installed by `npm ci --prefix tests/sarif`.
fn multitool() -> Result<PathBuf, String> {
    let platform = match std::env::consts::OS {
        "linux" => "linux",
        "macos" => "darwin",
        "windows" => "win32",
        other => return Err(format!("no Multitool build for {other}")),
    };
    let exe = if platform == "win32" {
        "Sarif.Multitool.exe"
    } else {
        "Sarif.Multitool"
    };
    let p = root()
        .join("tests/sarif/node_modules/@microsoft")
        .join(format!("sarif-multitool-{platform}"))
        .join(exe);
    if !p.is_file() {
        return Err(format!(
            "{} is missing (`npm ci --prefix tests/sarif` installs it)",
            p.display()
        ));
    }
    match Command::new(&p).arg("--version").output() {
        Ok(o) if o.status.success() => Ok(p),
        Ok(o) => Err(format!("{} --version failed: {o:?}", p.display())),
        Err(e) => Err(format!("{} cannot run: {e}", p.display())),
    }
}

/// The Multitool's findings on `log` for `kinds` (its `--rule-kind`), as
/// `level id: message` lines, read from the SARIF log it writes.
fn validate(tool: &Path, log: &Path, kinds: &str, out: &Path) -> Vec<(String, String)> {
    let o = Command::new(tool)
        .arg("validate")
        .args(["--rule-kind", kinds])
        .arg("--output")
        .arg(out)
        .arg(log)
        .env("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    let run = &report["runs"][0];
    // the Multitool's own tool notifications (a crash of one of its rules) are failures too
    for inv in run["invocations"].as_array().into_iter().flatten() {
        assert_ne!(inv["executionSuccessful"], false, "{inv}");
        let notes = inv["toolExecutionNotifications"].as_array();
        assert!(notes.is_none_or(|n| n.is_empty()), "{inv}");
    }
    run["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let level = r["level"].as_str().unwrap_or("warning").to_string();
            let id = r["ruleId"].as_str().unwrap_or("?");
            let args: Vec<&str> = r["message"]["arguments"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            (level, format!("{id} {}", args.join(" | ")))
        })
        .collect()
}

#[test]
fn github_ingestion_rules_of_the_sarif_multitool_pass() {
    let tool = match multitool() {
        Ok(t) => t,
        Err(why) => {
            assert!(
                std::env::var_os("SKEW_REQUIRE_SARIF_MULTITOOL").is_none(),
                "SKEW_REQUIRE_SARIF_MULTITOOL is set but the SARIF Multitool is missing: {why}"
            );
            eprintln!("skipping the SARIF Multitool test: {why}");
            return;
        }
    };
    let scratch = tempfile::tempdir().unwrap();
    // the Multitool does catch a rule without the descriptions GitHub requires (GH2012),
    // and its SARIF rules run too (SARIF2005: a tool without `informationUri`)
    let bare = scratch.path().join("bare.sarif");
    std::fs::write(&bare, BARE).unwrap();
    let found = validate(
        &tool,
        &bare,
        "Gh;Sarif",
        &scratch.path().join("bare.out.sarif"),
    );
    for id in ["GH2012", "SARIF2005"] {
        assert!(
            found.iter().any(|(_, m)| m.starts_with(id)),
            "{id}: {found:?}"
        );
    }
    for (i, project) in PROJECTS.iter().enumerate() {
        let (text, _) = sarif_of(project);
        let log = scratch.path().join(format!("{i}.sarif"));
        std::fs::write(&log, text).unwrap();
        let found = validate(
            &tool,
            &log,
            "Gh;Sarif",
            &scratch.path().join(format!("{i}.out.sarif")),
        );
        let gh: Vec<_> = found.iter().filter(|(_, m)| m.starts_with("GH")).collect();
        assert!(gh.is_empty(), "{project}: GitHub ingestion rules: {gh:#?}");
        let errors: Vec<_> = found.iter().filter(|(l, _)| l == "error").collect();
        assert!(errors.is_empty(), "{project}: SARIF rules: {errors:#?}");
    }
}

/// A log whose one rule lacks `fullDescription` and `help`, which GH2012 rejects, from a
/// tool that names no `informationUri` (SARIF2005).
const BARE: &str = r#"{
  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": { "driver": { "name": "t", "rules": [{ "id": "r", "shortDescription": { "text": "x" } }] } },
    "results": [{
      "ruleId": "r", "ruleIndex": 0, "message": { "text": "m" },
      "locations": [{ "physicalLocation": {
        "artifactLocation": { "uri": "a.json" },
        "region": { "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2 } } }]
    }]
  }]
}
"#;
