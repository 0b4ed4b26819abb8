//! The tutorial in docs/rule-format.md ("encode your own internal service's handshake") is
//! itself a tested fixture: its rule file is taken from the document as written and run on
//! `fixtures/tutorial/`, so the document cannot drift from what skew does.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// The first ```toml block of the document.
fn tutorial_rule_file() -> String {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rule-format.md"))
            .unwrap();
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("closed");
    doc[start..end].to_string()
}

#[test]
fn the_tutorial_rule_finds_both_clients() {
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("acme.toml");
    std::fs::write(&rule, tutorial_rule_file()).unwrap();
    let o = Command::cargo_bin("skew")
        .unwrap()
        .env("SKEW_NO_DISCOVERY", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "fixtures/tutorial",
            "--no-default-rules",
            "--format",
            "json",
        ])
        .arg("--rules")
        .arg(&rule)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let got: Vec<_> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule_id"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"]
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "acme-gateway-v3-signatures jobs/requirements.txt:1",
            "acme-gateway-v3-signatures web/package.json:4",
        ]
    );
    for f in findings {
        let related: Vec<_> = f["related"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["location"]["path"].as_str().unwrap().to_string())
            .collect();
        // the image line and the rule line, as the document promises
        assert!(
            related.contains(&"docker-compose.yml".to_string()),
            "{related:?}"
        );
        assert!(
            related.iter().any(|p| p.ends_with("acme.toml")),
            "{related:?}"
        );
    }
    assert!(findings[0]["fix"].as_str().unwrap().contains("`@acme/sdk`"));
    assert!(findings[1]["fix"].as_str().unwrap().contains("5.2.0"));
}
