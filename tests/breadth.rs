//! End-to-end: `skew scan` finds every version a real repository's build declares, in
//! the forms Renovate reads too (issue #15), blamed on the line a person edits.

mod common;
use common::{json, skew, stderr};

/// `ecosystem name version path:line:column` per component of `skew scan DIR`.
fn inventory(dir: &str) -> Vec<String> {
    let o = skew(&["scan", dir, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json(&o)["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}:{}:{}",
                c["ecosystem"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["version"].as_str().unwrap_or("-"),
                c["location"]["path"].as_str().unwrap(),
                c["location"]["line"],
                c["location"]["column"],
            )
        })
        .collect()
}

#[test]
fn gradle_versions_come_from_gradle_properties_ext_and_the_wrapper() {
    let got = inventory("fixtures/extract/gradle-multiproject");
    let want = [
        // root gradle.properties, named by the root plugins block and by db/
        "maven org.springframework.boot:org.springframework.boot.gradle.plugin 3.2.1 gradle.properties:1:19",
        "maven org.postgresql:postgresql 42.7.1 gradle.properties:2:11",
        // app/ overrides pgVersion in its own gradle.properties
        "maven org.postgresql:postgresql 42.6.0 app/gradle.properties:1:11",
        // the second coordinate of a comma-continued list, from the root's `ext`
        "maven redis.clients:jedis 5.1.0 build.gradle:6:21",
        "maven com.example:unknown - app/build.gradle:4:41",
        "runtime gradle 8.14.5 gradle/wrapper/gradle-wrapper.properties:1:67",
    ];
    for w in want {
        assert!(got.iter().any(|g| g == w), "missing `{w}` in {got:#?}");
    }
    assert_eq!(got.len(), want.len(), "{got:#?}");
}

#[test]
fn mix_dependencies_take_the_version_mix_lock_resolved() {
    let o = skew(&["scan", "fixtures/extract/mix-project", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let comps = v["components"].as_array().unwrap();
    assert_eq!(comps.len(), 1, "{comps:#?}");
    let c = &comps[0];
    assert_eq!(c["ecosystem"], "hex");
    assert_eq!(c["name"], "postgrex");
    assert_eq!(c["version"], "~> 0.17");
    assert_eq!(c["resolved"], "0.17.4");
    assert_eq!(c["location"]["path"], "mix.exs");
    assert_eq!(c["location"]["line"], 9);
}
