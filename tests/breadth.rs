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

/// The forms Renovate's devcontainer, maven-wrapper (scripts too), jsonnet-bundler and
/// maven (profile plugins) managers read, and compose `extends:` of a same-file service,
/// each blamed on the text a person edits; a jsonnetfile jb vendored is not the project's.
#[test]
fn devcontainer_mvnw_jsonnet_profile_plugins_and_compose_extends_are_read() {
    let got = inventory("fixtures/extract/renovate-forms");
    let want = [
        "docker registry.example.test/devcontainers/base ubuntu .devcontainer/devcontainer.json:3:54",
        "docker registry.example.test/devcontainers/features/java 1 .devcontainer/devcontainer.json:5:56",
        "docker registry.example.test/devcontainers/features/node 1 .devcontainer/devcontainer.json:9:56",
        "runtime node 22.11.0 .devcontainer/devcontainer.json:9:74",
        "docker registry.example.test/devcontainers/features/python 1 .devcontainer/devcontainer.json:10:58",
        "runtime python 3.12 .devcontainer/devcontainer.json:10:76",
        "docker registry.example.test/devcontainers/features/go 1 .devcontainer/devcontainer.json:11:54",
        "docker registry.example.test/devcontainers/features/ruby 1.2.0 .devcontainer/devcontainer.json:12:56",
        "docker registry.example.test/devcontainers/features/docker-in-docker 2 .devcontainer/devcontainer.json:13:68",
        "docker registry.example.test/team/features/tools - .devcontainer/devcontainer.json:14:6",
        "runtime maven-wrapper 3.3.4 .mvn/wrapper/maven-wrapper.properties:1:16",
        "runtime maven 3.9.12 .mvn/wrapper/maven-wrapper.properties:3:104",
        "runtime maven-wrapper 3.3.4 mvnw:7:54",
        "jsonnet registry.example.test/grafana/grafonnet/gen/grafonnet-latest main mixin/jsonnetfile.json:11:19",
        "maven org.webjars.npm:bootstrap 5.3.3 pom.xml:17:20",
        "maven com.gitlab.haynes:libsass-maven-plugin 0.2.29 pom.xml:8:19",
        "maven org.eclipse.m2e:lifecycle-mapping 1.0.0 pom.xml:38:24",
        // the service and the one extending it, both blamed on the image line
        "docker registry.example.test/library/postgres 16.4 compose.yaml:3:51",
        "docker registry.example.test/library/postgres 16.4 compose.yaml:3:51",
    ];
    let mut missing: Vec<&str> = Vec::new();
    let mut left = got.clone();
    for w in want {
        match left.iter().position(|g| g == w) {
            Some(i) => {
                left.remove(i);
            }
            None => missing.push(w),
        }
    }
    assert!(missing.is_empty(), "missing {missing:#?} in {got:#?}");
    assert!(left.is_empty(), "unexpected {left:#?}");
}

/// A module whose go.mod predates Go 1.17 lists only direct requirements: go.sum says
/// which version the build selected (`mysql` raised to v1.6.0 by a dependency) and which
/// indirect modules it built (`x/sys`); a module only in the graph (`only-graph`) is not.
#[test]
fn go_sum_gives_the_selected_and_the_indirect_module_versions() {
    let o = skew(&[
        "scan",
        "fixtures/extract/go-sum-project",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let mut got: Vec<String> = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ecosystem"] == "go" && c["kind"] == "package")
        .map(|c| {
            format!(
                "{} {} resolved={} {}:{}",
                c["name"].as_str().unwrap(),
                c["version"].as_str().unwrap_or("-"),
                c["resolved"].as_str().unwrap_or("-"),
                c["location"]["path"].as_str().unwrap(),
                c["location"]["line"],
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "registry.example.test/org/mysql v1.5.0 resolved=v1.6.0 go.mod:6",
            "registry.example.test/org/redis v8.11.5+incompatible resolved=v8.11.5+incompatible go.mod:7",
            "registry.example.test/x/sys v0.0.0-20230101000000-0123456789ab resolved=- go.sum:7",
        ]
    );
}
