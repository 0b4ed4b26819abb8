//! Run from anywhere, paths that land, `--staged` on the index: the real binary in scratch
//! git repositories (issue 14). Discovery is on here (the shared runner turns it off so
//! that each fixture is its own project).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use assert_cmd::cargo::CommandCargoExt;
use common::{git, json, stderr, stdout};

const COMPOSE: &str = "services:\n  db:\n    image: mysql:8.0.36\n";
const OLD_CLIENT: &str =
    "{\n  \"name\": \"api\",\n  \"dependencies\": {\n    \"mysql\": \"2.18.1\"\n  }\n}\n";
const NEW_CLIENT: &str =
    "{\n  \"name\": \"api\",\n  \"dependencies\": {\n    \"mysql2\": \"3.10.0\"\n  }\n}\n";
/// Where the old client's finding lands in `OLD_CLIENT`.
const AT: &str = "package.json:4:15: error[mysql-caching-sha2-password]";

/// The binary in `dir` with discovery on and no CI variables, plus `env`.
fn run(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::cargo_bin("skew").unwrap();
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .env("SKEW_TODAY", common::TODAY)
        .env_remove("SKEW_NO_DISCOVERY")
        .env_remove("GITHUB_WORKSPACE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn have_git() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

/// A scratch repository: `shop/` holds a compose file running MySQL 8, an API with the old
/// driver and a web service with the old driver too. `skew_toml` goes to `shop/skew.toml`.
fn shop(skew_toml: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "shop/docker-compose.yml", COMPOSE);
    write(root, "shop/services/api/package.json", OLD_CLIENT);
    write(root, "shop/services/web/package.json", OLD_CLIENT);
    if let Some(t) = skew_toml {
        write(root, "shop/skew.toml", t);
    }
    dir
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_string).collect()
}

#[test]
fn a_subfolder_is_checked_against_the_servers_of_the_git_top() {
    let repo = shop(None);
    let api = repo.path().join("shop/services/api");
    // before discovery this scanned only services/api and passed
    let o = run(&api, &["check", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        lines(&o).len(),
        1,
        "only the finding under PATH: {}",
        stdout(&o)
    );
    assert!(
        stdout(&o).starts_with(AT),
        "relative to the cwd: {}",
        stdout(&o)
    );

    // human output names the server's file relative to the cwd too
    let o = run(&api, &["check"], &[]);
    assert!(stdout(&o).contains("[package.json:4:15]"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("[../../docker-compose.yml:2:3]"),
        "{}",
        stdout(&o)
    );

    // JSON: the root (relative to the cwd) and root-relative paths
    let o = run(&api, &["check", "--format", "json"], &[]);
    let v = json(&o);
    assert_eq!(v["root"], "../../..");
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["location"]["path"], "shop/services/api/package.json");
}

#[test]
fn the_nearest_skew_toml_is_the_root_and_its_declared_servers_are_seen() {
    // no compose file: the server exists only as declared in shop/skew.toml
    let repo = shop(Some(
        "[environments]\norder = [\"production\"]\n\n[environments.production]\nservers = { mysql = \"8.0.36\" }\n",
    ));
    std::fs::remove_file(repo.path().join("shop/docker-compose.yml")).unwrap();
    let api = repo.path().join("shop/services/api");
    let o = run(&api, &["check", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let v = json(&o);
    assert_eq!(v["root"], "../..", "shop/, not the git top");
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["location"]["path"], "services/api/package.json");
    assert!(
        f[0]["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["location"]["path"] == "skew.toml"),
        "the declaration is the related location: {v:#}"
    );
    // the same from the repository top, naming the folder
    let o = run(
        repo.path(),
        &["check", "shop/services/api", "--format", "short"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines(&o), [format!("shop/services/api/{AT}: {}", rest(&o))]);
    // and `what-if` and `scan` from the sub-folder see the same project
    let o = run(
        &api,
        &["what-if", "--upgrade", "mysql=8.4.0", "--format", "json"],
        &[],
    );
    assert_eq!(json(&o)["root"], "../..");
    let o = run(&api, &["scan", "--format", "short"], &[]);
    assert!(stdout(&o).starts_with("package.json:4:"), "{}", stdout(&o));
    assert!(
        !stdout(&o).contains("web"),
        "only components under PATH: {}",
        stdout(&o)
    );
}

/// The message after the location of the only line of short output.
fn rest(o: &Output) -> String {
    let out = stdout(o);
    let line = out.lines().next().unwrap_or_default();
    line.split_once("]: ")
        .map(|(_, m)| m.to_string())
        .unwrap_or_default()
}

#[test]
fn findings_outside_path_are_not_reported() {
    let repo = shop(None);
    let top = repo.path();
    let all = run(top, &["check", "--format", "short"], &[]);
    let paths: Vec<_> = lines(&all)
        .into_iter()
        .filter(|l| l.contains("mysql-caching"))
        .collect();
    assert_eq!(paths.len(), 2, "api and web: {}", stdout(&all));
    let o = run(
        top,
        &["check", "shop/services/web", "--format", "short"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(lines(&o).len(), 1, "{}", stdout(&o));
    assert!(stdout(&o).starts_with(&format!("shop/services/web/{AT}")));
    // a single file works the same way
    let o = run(
        top,
        &[
            "check",
            "shop/services/api/package.json",
            "--format",
            "short",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with(&format!("shop/services/api/{AT}")));
    // a baseline written from a sub-folder records only its findings
    let base = top.join("baseline.json");
    let o = run(
        &top.join("shop/services/web"),
        &["baseline", "write", base.to_str().unwrap()],
        &[],
    );
    assert!(stderr(&o).contains("wrote 1 finding"), "{}", stderr(&o));
}

#[test]
fn root_forces_the_project_root() {
    let repo = shop(None);
    let api = repo.path().join("shop/services/api");
    // the folder alone: no server, nothing to report
    let o = run(&api, &["check", "--root", ".", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(json(&o)["root"], ".");
    // from the top, `--root shop` with PATH inside it
    let o = run(
        repo.path(),
        &[
            "check",
            "shop/services/api",
            "--root",
            "shop",
            "--format",
            "json",
        ],
        &[],
    );
    let v = json(&o);
    assert_eq!(v["root"], "shop");
    assert_eq!(
        v["findings"][0]["location"]["path"],
        "services/api/package.json"
    );
    // PATH outside the forced root is a usage error
    let o = run(&api, &["check", "--root", "../web"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("outside the root"), "{}", stderr(&o));
    // graph takes it too
    let o = run(&api, &["graph", "--root", ".", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn without_git_or_skew_toml_path_is_the_root() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "docker-compose.yml", COMPOSE);
    write(dir.path(), "services/api/package.json", OLD_CLIENT);
    let o = run(
        &dir.path().join("services/api"),
        &["check", "--format", "json"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["root"], ".");
}

#[test]
fn annotations_and_sarif_name_paths_from_the_repository_top() {
    let repo = shop(Some(""));
    let top = repo.path();
    let o = run(top, &["check", "shop", "--format", "github"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("::error file=shop/services/api/package.json,line=4,col=15"),
        "{}",
        stdout(&o)
    );
    // from inside the project too
    let api = top.join("shop/services/api");
    let o = run(&api, &["check", "--format", "github"], &[]);
    assert!(
        stdout(&o).contains("file=shop/services/api/package.json,"),
        "{}",
        stdout(&o)
    );
    let o = run(&api, &["check", "--format", "gitlab"], &[]);
    assert_eq!(
        json(&o)[0]["location"]["path"],
        "shop/services/api/package.json"
    );

    let o = run(&api, &["check", "--format", "sarif"], &[]);
    let v = json(&o);
    let run0 = &v["runs"][0];
    let loc = &run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "shop/services/api/package.json");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    let base = &run0["originalUriBaseIds"]["%SRCROOT%"];
    assert!(base["description"]["text"].is_string(), "{run0:#}");
    assert!(
        base.get("uri").is_none(),
        "no machine-specific absolute path"
    );
    let related = &run0["results"][0]["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"], "shop/docker-compose.yml",
        "{run0:#}"
    );

    // GITHUB_WORKSPACE wins over the git top
    let o = run(
        &api,
        &["check", "--format", "github"],
        &[("GITHUB_WORKSPACE", &top.join("shop"))],
    );
    assert!(
        stdout(&o).contains("file=services/api/package.json,"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn github_workspace_without_git() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    write(top, "shop/skew.toml", "");
    write(top, "shop/docker-compose.yml", COMPOSE);
    write(top, "shop/services/api/package.json", OLD_CLIENT);
    let o = run(
        &top.join("shop/services/api"),
        &["check", "--format", "sarif"],
        &[("GITHUB_WORKSPACE", top)],
    );
    let v = json(&o);
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "shop/services/api/package.json"
    );
}

/// A committed repository: compose file and an API package.json with `client`.
fn committed(client: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "docker-compose.yml", COMPOSE);
    write(root, "services/api/package.json", client);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "start", "--no-verify"]);
    dir
}

#[test]
fn staged_judges_the_staged_content_not_the_working_tree() {
    if !have_git() {
        return;
    }
    // a bad package.json staged, then fixed only in the working tree: still blocked
    let repo = committed(NEW_CLIENT);
    let root = repo.path();
    write(root, "services/api/package.json", OLD_CLIENT);
    git(root, &["add", "services/api/package.json"]);
    write(root, "services/api/package.json", NEW_CLIENT);
    let o = run(root, &["check", "--staged", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("services/api/{AT}")),
        "{}",
        stdout(&o)
    );
    let o = run(root, &["check", "--format", "short"], &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the working tree is fine: {}",
        stdout(&o)
    );
    // from a sub-folder: the index of the whole project, paths relative to the cwd
    let o = run(
        &root.join("services"),
        &["check", "--staged", "--format", "short"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("api/{AT}")),
        "{}",
        stdout(&o)
    );

    // the other way: a fix staged, broken again in the working tree: the commit is fine
    let repo = committed(OLD_CLIENT);
    let root = repo.path();
    write(root, "services/api/package.json", NEW_CLIENT);
    git(root, &["add", "services/api/package.json"]);
    write(root, "services/api/package.json", OLD_CLIENT);
    let o = run(root, &["check", "--staged", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(root, &["check", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn staged_does_not_see_files_that_are_not_in_the_index() {
    if !have_git() {
        return;
    }
    // the client is committed without any server; the server exists only as an
    // untracked file, which is not part of the commit
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "services/api/package.json", NEW_CLIENT);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "start", "--no-verify"]);
    write(root, "services/api/package.json", OLD_CLIENT);
    git(root, &["add", "services/api/package.json"]);
    write(root, "docker-compose.yml", COMPOSE);
    let o = run(root, &["check", "--staged", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(root, &["check", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1), "the working tree has both ends");
    // staged, the server is seen
    git(root, &["add", "docker-compose.yml"]);
    let o = run(root, &["check", "--staged", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

/// Files with the same content share one blob, which `--staged` reads once: every one of
/// them is still scanned, each under its own path.
#[test]
fn staged_files_with_the_same_content_are_each_scanned() {
    if !have_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "docker-compose.yml", COMPOSE);
    for service in ["api", "web", "jobs"] {
        write(
            root,
            &format!("services/{service}/package.json"),
            OLD_CLIENT,
        );
    }
    git(root, &["add", "-A"]);
    let staged = run(root, &["check", "--staged", "--format", "short"], &[]);
    let disk = run(root, &["check", "--format", "short"], &[]);
    assert_eq!(stdout(&staged), stdout(&disk));
    for service in ["api", "web", "jobs"] {
        let path = format!("services/{service}/package.json");
        assert!(
            stdout(&staged).contains(&path),
            "{path}: {}",
            stdout(&staged)
        );
    }
}

/// `--staged` reads `skew.toml` from the index as well: the commit carries the staged
/// version, so an ignore only in the working tree does not let a bad commit through, and
/// an ignore staged with the commit holds even when the working tree dropped it.
#[test]
fn staged_reads_skew_toml_from_the_index() {
    if !have_git() {
        return;
    }
    const IGNORE: &str =
        "[[ignore]]\nrule = \"mysql-caching-sha2-password\"\nreason = \"retired in Q1\"\n";
    let check_staged = |root: &Path| run(root, &["check", "--staged", "--format", "short"], &[]);
    // the ignore exists only in the working tree: not part of the commit
    let repo = committed(NEW_CLIENT);
    let root = repo.path();
    write(root, "services/api/package.json", OLD_CLIENT);
    git(root, &["add", "services/api/package.json"]);
    write(root, "skew.toml", IGNORE);
    let o = check_staged(root);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("mysql-caching-sha2-password"),
        "{}",
        stdout(&o)
    );
    // staged with the commit, it holds, even once the working tree's copy is gone
    git(root, &["add", "skew.toml"]);
    std::fs::remove_file(root.join("skew.toml")).unwrap();
    let o = check_staged(root);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // a broken skew.toml in the working tree does not stop a commit whose staged one loads
    write(
        root,
        "skew.toml",
        "[[ignore]]\nrule = \"mysql-caching-sha2-password\"\n",
    );
    let o = check_staged(root);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(root, &["check", "--format", "short"], &[]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the working tree's own config is refused"
    );
    // and a broken staged one is refused, naming it
    git(root, &["add", "skew.toml"]);
    let o = check_staged(root);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("skew.toml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("reason"), "{}", stderr(&o));
}

/// `--staged` reads a staged file from the working tree only when that copy is the staged
/// blob byte for byte; every way the working tree can differ still gives the index's
/// content: changed after staging, deleted, moved away without git, or turned into other
/// bytes by a clean filter while git's stat data says the file is unchanged.
#[test]
fn staged_content_wins_over_any_working_tree_copy() {
    if !have_git() {
        return;
    }
    let old_client_staged = |root: &Path, why: &str| {
        let o = run(root, &["check", "--staged", "--format", "short"], &[]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{why}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(
            stdout(&o).starts_with(&format!("services/api/{AT}")),
            "{why}: {}",
            stdout(&o)
        );
    };
    // the bad client staged, a fix written afterwards, then the file deleted
    let repo = committed(NEW_CLIENT);
    let root = repo.path();
    write(root, "services/api/package.json", OLD_CLIENT);
    git(root, &["add", "services/api/package.json"]);
    old_client_staged(root, "the working tree's copy is the staged one");
    write(root, "services/api/package.json", NEW_CLIENT);
    old_client_staged(root, "changed after staging");
    std::fs::remove_file(root.join("services/api/package.json")).unwrap();
    old_client_staged(root, "deleted after staging");

    // nothing of the client staged, the compose file is: the client is read from the
    // index under its indexed path even though the working tree moved it away
    let repo = committed(OLD_CLIENT);
    let root = repo.path();
    write(
        root,
        "docker-compose.yml",
        "services:\n  db:\n    image: mysql:8.0.37\n",
    );
    git(root, &["add", "docker-compose.yml"]);
    std::fs::rename(root.join("services/api"), root.join("services/moved")).unwrap();
    old_client_staged(root, "moved in the working tree only");

    // a clean filter turns the working tree's new client into the old one when staged:
    // the file is stat-clean, yet its bytes are not the blob's
    #[cfg(unix)]
    {
        let repo = committed(NEW_CLIENT);
        let root = repo.path();
        git(
            root,
            &[
                "config",
                "filter.old.clean",
                r#"sed -e 's/"mysql2": "3.10.0"/"mysql": "2.18.1"/'"#,
            ],
        );
        write(root, ".gitattributes", "package.json filter=old\n");
        std::fs::remove_file(root.join("services/api/package.json")).unwrap();
        write(root, "services/api/package.json", NEW_CLIENT);
        git(root, &["add", "-A"]);
        assert_eq!(
            git(root, &["show", ":services/api/package.json"]),
            OLD_CLIENT,
            "the filter staged the old client"
        );
        assert_eq!(git(root, &["diff-files", "--name-only"]), "", "stat-clean");
        old_client_staged(root, "a clean filter");
    }
}

/// A staged rename: the new path is staged and read (from the working tree, which holds
/// the same bytes); the old one is gone from the index and not scanned.
#[test]
fn staged_rename_is_read_under_its_new_path() {
    if !have_git() {
        return;
    }
    let repo = committed(OLD_CLIENT);
    let root = repo.path();
    git(root, &["mv", "services/api", "services/orders"]);
    let o = run(root, &["check", "--staged", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(&format!("services/orders/{AT}")), "{out}");
    assert!(!out.contains("services/api/"), "{out}");
}

/// Objects in a pack (after `git gc`) read as loose ones do, from the working tree or
/// through git.
#[test]
fn staged_reads_packed_objects() {
    if !have_git() {
        return;
    }
    let repo = committed(NEW_CLIENT);
    let root = repo.path();
    write(root, "services/api/package.json", OLD_CLIENT);
    write(root, "services/web/package.json", OLD_CLIENT);
    git(root, &["add", "-A"]);
    // the API's working copy differs from its (packed) staged blob; the web one matches
    write(root, "services/api/package.json", NEW_CLIENT);
    git(root, &["gc", "-q"]);
    let loose = git(root, &["count-objects", "-v"]);
    assert!(loose.lines().any(|l| l == "count: 0"), "{loose}");
    let o = run(root, &["check", "--staged", "--format", "short"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("services/api/{AT}")), "{out}");
    assert!(out.contains(&format!("services/web/{AT}")), "{out}");
}

/// Folders whose names hold a space or a newline: read from the working tree and
/// through git alike, from the top and from a sub-folder, and the staged report names
/// the same files as the working tree's.
#[test]
fn staged_paths_with_spaces_and_newlines() {
    if !have_git() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "docker-compose.yml", COMPOSE);
    let odd = if cfg!(unix) {
        "svc one/new\nline"
    } else {
        "svc one/two words"
    };
    write(root, &format!("services/{odd}/package.json"), OLD_CLIENT);
    write(root, "services/plain/package.json", OLD_CLIENT);
    git(root, &["add", "-A"]);
    let both = |root: &Path, args: &[&str]| {
        let staged = run(root, &[&["check", "--staged"], args].concat(), &[]);
        let disk = run(root, &[&["check"], args].concat(), &[]);
        (staged, disk)
    };
    let (top, disk) = both(root, &["--format", "json"]);
    assert_eq!(top.status.code(), Some(1), "{}", stderr(&top));
    assert_eq!(stdout(&top), stdout(&disk));
    let escaped = serde_json::to_string(odd).unwrap();
    assert!(
        stdout(&top).contains(escaped.trim_matches('"')),
        "{}",
        stdout(&top)
    );
    let (sub, disk) = both(&root.join("services"), &["--format", "json"]);
    assert_eq!(sub.status.code(), Some(1), "{}", stderr(&sub));
    assert_eq!(stdout(&sub), stdout(&disk));
    // changed after staging: through git, under the same name, the same report
    write(root, &format!("services/{odd}/package.json"), NEW_CLIENT);
    let o = run(root, &["check", "--staged", "--format", "json"], &[]);
    assert_eq!(stdout(&o), stdout(&top));
}

/// A single staged file as the root: only it is scanned from the index.
#[test]
fn staged_single_file_root() {
    if !have_git() {
        return;
    }
    let repo = committed(NEW_CLIENT);
    let root = repo.path();
    write(root, "services/api/package.json", OLD_CLIENT);
    git(root, &["add", "services/api/package.json"]);
    write(root, "services/api/package.json", NEW_CLIENT);
    let o = run(
        root,
        &[
            "check",
            "--staged",
            "--format",
            "short",
            "services/api/package.json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(AT), "{}", stdout(&o));
}

/// `skew graph PATH` under discovery draws the part of the root under PATH (the whole
/// root is still scanned and checked): its components, and the servers outside PATH its
/// clients are paired with, as `skew check PATH` reports those pairs; a sibling's
/// components and a server nothing under PATH talks to are left out.
#[test]
fn graph_of_a_subfolder_draws_that_part_and_the_servers_it_is_paired_with() {
    if !have_git() {
        return;
    }
    let repo = shop(None);
    let top = repo.path();
    write(
        top,
        "blog/docker-compose.yml",
        "services:\n  db:\n    image: postgres:16.4\n",
    );
    let nodes = |args: &[&str]| -> Vec<String> {
        let o = run(top, args, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let doc = json(&o);
        let mut nodes: Vec<String> = doc["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                format!(
                    "{}:{}",
                    n["location"]["path"].as_str().unwrap(),
                    n["name"].as_str().unwrap()
                )
            })
            .collect();
        nodes.sort();
        nodes
    };
    let all = nodes(&["graph", "--format", "json"]);
    assert!(
        all.contains(&"blog/docker-compose.yml:postgres".to_string()),
        "{all:?}"
    );
    assert_eq!(
        nodes(&["graph", "shop/services/web", "--format", "json"]),
        vec![
            "shop/docker-compose.yml:mysql".to_string(),
            "shop/services/web/package.json:mysql".to_string(),
        ]
    );
    // PATH holding only servers: those, without the clients outside it
    assert_eq!(
        nodes(&["graph", "blog", "--format", "json"]),
        vec!["blog/docker-compose.yml:postgres".to_string()]
    );
}
