//! `skew scan --format cyclonedx` end to end: the real binary's output validates against
//! the official CycloneDX 1.5 JSON schema (`tests/data/cyclonedx/`, see its README), and
//! the package URLs of a small repository in every packaging ecosystem are the ones the
//! purl specification prescribes.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

fn scan(dir: &Path, extra: &[&str]) -> Value {
    let out = Command::cargo_bin("skew")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SKEW_NO_DISCOVERY", "1")
        .arg(extra.first().copied().unwrap_or("scan"))
        .arg(dir)
        .args(["--format", "cyclonedx"])
        .args(extra.iter().skip(1))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The BOM schema with the two schemas it `$ref`s registered under their `$id`s, so
/// nothing is fetched.
fn validator() -> jsonschema::Validator {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cyclonedx");
    let load = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(data.join(name)).unwrap()).unwrap()
    };
    let registry = jsonschema::Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            load("spdx.schema.json"),
        )
        .unwrap()
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            load("jsf-0.82.schema.json"),
        )
        .unwrap()
        .prepare()
        .unwrap();
    // `format` keywords are annotations in draft-07; skew writes none of those fields
    jsonschema::draft7::options()
        .with_registry(&registry)
        .build(&load("bom-1.5.schema.json"))
        .expect("the CycloneDX 1.5 schema compiles")
}

fn assert_valid(bom: &Value) {
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(bom)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid CycloneDX 1.5:\n{}",
        errors.join("\n")
    );
}

#[test]
fn every_fixture_scans_to_a_valid_bom() {
    let bom = scan(Path::new("fixtures"), &["scan"]);
    assert_eq!(bom["specVersion"], "1.5");
    assert!(bom["components"].as_array().unwrap().len() > 50);
    assert_valid(&bom);
}

/// The package the root manifest names is what the BOM describes (`metadata.component`);
/// a member package of a monorepo, or no package at the root, describes nothing.
#[test]
fn the_root_package_is_the_bom_subject() {
    let bom = scan(Path::new("fixtures/truth/npm-alias"), &["scan"]);
    assert_valid(&bom);
    let subject = &bom["metadata"]["component"];
    assert_eq!(subject["name"], "api", "{bom}");
    assert_eq!(subject["version"], "1.0.0");
    assert_eq!(subject["purl"], "pkg:npm/api@1.0.0");
    // and it is no dependency of itself
    let components = bom["components"].as_array().unwrap();
    assert!(components.iter().all(|c| c["name"] != "api"), "{bom}");
    // the packages below the root (fixtures/…/package.json) are not the repository
    let bom = scan(Path::new("fixtures/truth"), &["scan"]);
    assert!(bom["metadata"].get("component").is_none(), "{bom}");
}

#[test]
fn check_writes_the_same_valid_bom() {
    let scanned = scan(Path::new("fixtures/outage-2023-06-03"), &["scan"]);
    let checked = scan(
        Path::new("fixtures/outage-2023-06-03"),
        &["check", "--fail-on", "never"],
    );
    assert_valid(&checked);
    // the same document but for its serial number, new for every BOM
    let (mut scanned, mut checked) = (scanned, checked);
    let a = scanned
        .as_object_mut()
        .unwrap()
        .remove("serialNumber")
        .unwrap();
    let b = checked
        .as_object_mut()
        .unwrap()
        .remove("serialNumber")
        .unwrap();
    assert_ne!(a, b);
    assert_eq!(scanned, checked);
}

/// The serial number is an RFC 4122 UUID URN, as the schema's pattern demands (the
/// validator checks it); each run writes a new one.
#[test]
fn every_bom_has_its_own_serial_number() {
    let dir = Path::new("fixtures/outage-2023-06-03");
    let (a, b) = (scan(dir, &["scan"]), scan(dir, &["scan"]));
    let serial = |v: &Value| v["serialNumber"].as_str().unwrap().to_string();
    assert!(serial(&a).starts_with("urn:uuid:"), "{a}");
    assert_ne!(serial(&a), serial(&b));
    assert_valid(&a);
    let bad = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.5",
        "serialNumber": "not-a-uuid"});
    assert!(!validator().is_valid(&bad));
}

fn write_project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn component<'a>(bom: &'a Value, name: &str) -> &'a Value {
    bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {bom}"))
}

/// A Cargo requirement (`mongodb = "2.8"` is `^2.8`) or an npm partial version is not a
/// version: neither `version` nor the purl's `@version` claims one; the requirement is
/// kept in `skew:declared`. A lockfile entry's version is a version.
#[test]
fn requirements_are_not_versions() {
    let dir = write_project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.3.0\"\n\n[dependencies]\n\
             mongodb = \"2.8\"\nserde = \"=1.0.200\"\ntokio = \"1.38.0\"\n",
        ),
        (
            "web/package.json",
            r#"{"dependencies": {"pg": "8.11", "mysql2": "3.9.7", "redis": "^4.6.0"}}"#,
        ),
    ]);
    let bom = scan(dir.path(), &["scan"]);
    assert_valid(&bom);
    let declared = |c: &Value| {
        c["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "skew:declared")
            .map(|p| p["value"].as_str().unwrap().to_string())
    };
    for (name, purl, decl) in [
        ("mongodb", "pkg:cargo/mongodb", "2.8"),
        ("tokio", "pkg:cargo/tokio", "1.38.0"),
        ("pg", "pkg:npm/pg", "8.11"),
        ("redis", "pkg:npm/redis", "^4.6.0"),
    ] {
        let c = component(&bom, name);
        assert!(c.get("version").is_none(), "{c}");
        assert_eq!(c["purl"], purl, "{c}");
        assert_eq!(declared(c).as_deref(), Some(decl), "{c}");
    }
    let serde = component(&bom, "serde");
    assert_eq!(serde["version"], "1.0.200");
    assert_eq!(serde["purl"], "pkg:cargo/serde@1.0.200");
    let mysql2 = component(&bom, "mysql2");
    assert_eq!(mysql2["purl"], "pkg:npm/mysql2@3.9.7");
    // the package's own version is a version in any ecosystem
    assert_eq!(bom["metadata"]["component"]["purl"], "pkg:cargo/app@0.3.0");
    // with a lockfile, the resolved version is the version
    let dir = write_project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.3.0\"\n\n[dependencies]\nmongodb = \"2.8\"\n",
        ),
        (
            "Cargo.lock",
            "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.3.0\"\n\n\
             [[package]]\nname = \"mongodb\"\nversion = \"2.8.2\"\n\
             source = \"registry+https://registry.example.test/index\"\n",
        ),
    ]);
    let bom = scan(dir.path(), &["scan"]);
    assert_valid(&bom);
    let locked: Vec<&Value> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "mongodb")
        .collect();
    // the lockfile entry is that version; the declaration says none it does not know
    assert!(
        locked
            .iter()
            .any(|c| c["version"] == "2.8.2" && c["purl"] == "pkg:cargo/mongodb@2.8.2"),
        "{bom}"
    );
    for c in locked {
        assert!(c["version"].is_null() || c["version"] == "2.8.2", "{c}");
    }
}

/// `dependencies`: the repository's own package depends on what its manifest declares
/// (not on lockfile entries, which may be transitive, nor on other manifests' packages);
/// no package at the root, no graph.
#[test]
fn the_own_package_depends_on_its_declared_packages() {
    let dir = write_project(&[
        (
            "package.json",
            r#"{"name": "shop", "version": "2.0.0",
                "dependencies": {"mysql2": "3.9.7"}, "devDependencies": {"jest": "^29.0.0"}}"#,
        ),
        ("worker/requirements.txt", "PyMySQL==1.1.0\n"),
        (
            "docker-compose.yml",
            "services:\n  db:\n    image: mysql:8.0.36\n",
        ),
    ]);
    let bom = scan(dir.path(), &["scan"]);
    assert_valid(&bom);
    let subject = bom["metadata"]["component"]["bom-ref"].as_str().unwrap();
    let deps = bom["dependencies"].as_array().expect("dependencies");
    assert_eq!(deps.len(), 1, "{bom}");
    assert_eq!(deps[0]["ref"], subject);
    let on: Vec<&str> = deps[0]["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let refs = |name: &str| {
        component(&bom, name)["bom-ref"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut want = vec![refs("jest"), refs("mysql2")];
    want.sort();
    assert_eq!(on, want);
    // every ref names a component of the BOM
    assert!(on.iter().all(|r| !r.is_empty()));
    let bom = scan(&dir.path().join("worker"), &["scan"]);
    assert!(bom.get("dependencies").is_none(), "{bom}");
}

#[test]
fn a_bad_bom_is_rejected() {
    // the validator is not vacuous
    let bad = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.5",
        "components": [{"type": "server", "name": "mysql"}]});
    assert!(!validator().is_valid(&bad));
}

#[test]
fn purls_per_ecosystem() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "package.json",
            r#"{"dependencies": {"@types/node": "18.0.3", "mysql": "^2.18.1"},
               "engines": {"node": ">=18"}}"#,
        ),
        ("requirements.txt", "PyMySQL==0.9.3\nSQLAlchemy>=2\n"),
        (
            "go.mod",
            "module x\n\ngo 1.21\n\nrequire github.com/go-sql-driver/mysql v1.7.1\n",
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nmysql_async = \"=0.32.2\"\n",
        ),
        (
            "pom.xml",
            "<project><dependencies><dependency><groupId>org.mariadb.jdbc</groupId>\
             <artifactId>mariadb-java-client</artifactId><version>2.7.1</version>\
             </dependency></dependencies></project>\n",
        ),
        (
            "Gemfile.lock",
            "GEM\n  remote: https://gems.example.test/\n  specs:\n    mysql2 (0.5.5)\n\n\
             PLATFORMS\n  ruby\n\nDEPENDENCIES\n  mysql2\n",
        ),
        (
            "composer.json",
            r#"{"require": {"doctrine/dbal": "3.6.0", "php": ">=8.1"}}"#,
        ),
        (
            "app.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>\
             <PackageReference Include=\"MySql.Data\" Version=\"8.0.33\" />\
             </ItemGroup></Project>\n",
        ),
        (
            "docker-compose.yml",
            "services:\n  db:\n    image: mysql:8.0.36\n  api:\n    image: registry.example.test:5000/team/api:1.2\n",
        ),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: github/codeql-action/init@v3\n",
        ),
    ];
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let bom = scan(dir.path(), &["scan"]);
    assert_valid(&bom);
    let mut purls: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    purls.sort();
    assert_eq!(
        purls,
        [
            "pkg:cargo/mysql_async@0.32.2",
            "pkg:composer/doctrine/dbal@3.6.0",
            "pkg:docker/mysql@8.0.36",
            "pkg:docker/team/api@1.2?repository_url=registry.example.test%3A5000",
            "pkg:gem/mysql2@0.5.5",
            "pkg:github/actions/checkout@v4",
            "pkg:github/github/codeql-action@v3#init",
            "pkg:golang/github.com/go-sql-driver/mysql@v1.7.1",
            "pkg:maven/org.mariadb.jdbc/mariadb-java-client@2.7.1",
            "pkg:npm/%40types/node@18.0.3",
            "pkg:npm/mysql",
            "pkg:nuget/MySql.Data@8.0.33",
            "pkg:pypi/pymysql@0.9.3",
            "pkg:pypi/sqlalchemy",
        ]
    );
    // a range keeps no version, but says what was declared
    let mysql = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purl"] == "pkg:npm/mysql")
        .unwrap();
    assert!(mysql.get("version").is_none());
    let props = mysql["properties"].as_array().unwrap();
    assert!(props.contains(&serde_json::json!({"name": "skew:declared", "value": "^2.18.1"})));
    assert!(
        props.contains(&serde_json::json!({"name": "skew:location", "value": "package.json:1:54"}))
    );
}
