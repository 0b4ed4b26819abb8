//! Conformance with a peer: skew's extractors run over osv-scalibr's own extractor test
//! fixtures (`../shared/conformance/scalibr`, see its README) and are compared with the
//! `(name, version, line)` triples that scalibr's tests expect.
//!
//! This is the one place that knows scalibr's conventions: [`MAPPING`] says which skew
//! extractor reads each scalibr extractor's fixtures (and under which file name),
//! [`peer_view`] translates a skew component into scalibr's terms, and [`ALLOWED`] lists
//! every deliberate difference with its reason. Anything else that differs fails. Formats
//! skew does not claim are counted as `unsupported` and listed, not failed. The test
//! prints a per-format table: expected / found / missing / extra / line differences.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use skew::component::{Component, ComponentKind, Ecosystem, Origin};
use skew::extract::{Extraction, extractor_by_name};
use skew::source::{FileId, SourceFile};

/// scalibr extractor id -> (skew extractor name, the path the fixture is handed over as).
/// Fixtures are named freely (`one-package.lock`), so the path is what skew would see in
/// a real repository.
const MAPPING: &[(&str, &str, &str)] = &[
    ("containers/dockerbaseimage", "dockerfile", "Dockerfile"),
    (
        "containers/dockercomposeimage",
        "compose",
        "docker-compose.yml",
    ),
    ("containers/k8simage", "kubernetes", "k8s/app.yaml"),
    ("language/dotnet/csproj", "dotnet-project", "app.csproj"),
    (
        "language/dotnet/nugetcpm",
        "dotnet-project",
        "Directory.Packages.props",
    ),
    (
        "language/dotnet/packageslockjson",
        "dotnet-lock",
        "packages.lock.json",
    ),
    ("language/golang/gomod", "go-mod", "go.mod"),
    (
        "language/java/gradlelockfile",
        "gradle-lockfile",
        "gradle.lockfile",
    ),
    (
        "language/java/gradleversioncatalog",
        "gradle-catalog",
        "gradle/libs.versions.toml",
    ),
    ("language/java/pomxml", "maven-pom", "pom.xml"),
    (
        "language/javascript/packagejson",
        "npm-manifest",
        "package.json",
    ),
    (
        "language/javascript/packagelockjson",
        "npm-lock",
        "package-lock.json",
    ),
    (
        "language/javascript/pnpmlock",
        "pnpm-lock",
        "pnpm-lock.yaml",
    ),
    ("language/javascript/yarnlock", "yarn-lock", "yarn.lock"),
    (
        "language/php/composerlock",
        "composer-lock",
        "composer.lock",
    ),
    ("language/elixir/mixlock", "mix-lock", "mix.lock"),
    ("language/erlang/mixlock", "mix-lock", "mix.lock"),
    (
        "language/python/pipfilelock",
        "pipfile-lock",
        "Pipfile.lock",
    ),
    ("language/python/poetrylock", "poetry-lock", "poetry.lock"),
    (
        "language/python/pyprojecttoml",
        "pyproject",
        "pyproject.toml",
    ),
    (
        "language/python/requirements",
        "requirements",
        "requirements.txt",
    ),
    ("language/python/uvlock", "uv-lock", "uv.lock"),
    ("language/ruby/gemfilelock", "gemfile-lock", "Gemfile.lock"),
    ("language/rust/cargolock", "cargo-lock", "Cargo.lock"),
    ("language/rust/cargotoml", "cargo-manifest", "Cargo.toml"),
    (
        "misc/githubactions",
        "github-actions",
        ".github/workflows/ci.yml",
    ),
];

/// One deliberate difference: `(scalibr format, fixture, difference, reason)`. The
/// fixture is its path inside the peer's `testdata/` folder, or `*` for every fixture of
/// the format. A difference is `missing NAME@VERSION`, `extra NAME@VERSION` or
/// `line NAME@VERSION` (skew blames another line than the peer); `NAME@VERSION` may be
/// `*`. The first matching entry is used. A `line *` entry for every fixture (`*`) only covers skew blaming a *later* line
/// than the peer (the version line inside the entry the peer points at by its header);
/// any other line difference must be listed per fixture.
type Allow = (&'static str, &'static str, &'static str, &'static str);

/// The manifest's own package is the repository's code, not something it depends on.
const OWN: &str = "scalibr reports the manifest's own package; skew reports what the manifest \
                   depends on, not the repository's own code";
/// Lockfile entries: the peer points at the entry's header, skew at its version.
const HEADER: &str = "the peer gives the line of the entry's header; skew blames the \
                      `version` line inside that entry (the narrowest span a user edits)";
/// A declared range: the peer reduces it to one version, skew keeps it as written.
const RANGE: &str = "scalibr turns a declared range into one version; skew keeps the range \
                     as declared (rules evaluate ranges, not guesses)";
const NO_VERSION: &str = "scalibr drops a reference without a version; skew keeps it, \
                          version unknown, so rules can still say it is unpinned";
const GIT: &str = "scalibr drops git dependencies pinned by tag or PR but keeps one pinned by \
                   commit; skew keeps every git dependency, version unknown";
const DEPS_ONLY_HERE: &str = "the peer's package.json extractor inventories installed packages \
                              (their own name and version) and this test asserts only that; \
                              skew reads package.json as a manifest and reports every \
                              declared dependency";
const GO_TOOLCHAIN: &str = "scalibr reports one `stdlib`, the toolchain when given; skew \
                            reports both the `go` directive (what the module requires) and \
                            the `toolchain` (what builds it), verbatim";
const ACTION_PATH: &str = "scalibr names a sub-path action or reusable workflow by its \
                           repository; skew keeps the path, which is what `uses:` runs";
const ACTION_MALFORMED: &str = "gap: skew reports a malformed `uses:` (no `@ref`, empty name \
                                or empty ref) as an unpinned action where scalibr skips it";
const ACTION_DOCKER: &str = "`uses: docker://image:tag` runs a container; skew reports it as \
                             a docker image, scalibr skips it";
const DIGEST: &str = "skew's docker version is the tag; a reference pinned only by digest \
                      has no tag (skew keeps the digest out of the version)";
const UNSET_VAR: &str = "an image tag from an unset `${VAR}` is unknown to skew (no \
                         environment at scan time); scalibr's test supplies `.env` values or \
                         skips the image";
const PARENT_COMPONENT: &str = "the `<parent>` is a component in skew (group `parent`): a \
                                parent such as spring-boot-starter-parent decides every \
                                managed version; scalibr leaves it out";
const PARENT: &str = "declared in the parent POM or an imported BOM, another file that this \
                      test hands the peer and not skew";

const ALLOWED: &[Allow] = &[
    // -- docker images
    (
        "containers/dockerbaseimage",
        "dockerfile.hash",
        "missing *",
        DIGEST,
    ),
    (
        "containers/dockerbaseimage",
        "dockerfile.hash",
        "extra nginx@latest",
        DIGEST,
    ),
    (
        "containers/dockercomposeimage",
        "docker-compose-1.yml",
        "missing image4@4.4.4",
        UNSET_VAR,
    ),
    (
        "containers/dockercomposeimage",
        "docker-compose-1.yml",
        "extra *",
        UNSET_VAR,
    ),
    (
        "containers/k8simage",
        "comprehensive-test.yaml",
        "missing *",
        DIGEST,
    ),
    (
        "containers/k8simage",
        "comprehensive-test.yaml",
        "extra tag1@latest",
        DIGEST,
    ),
    // -- GitHub Actions
    ("misc/githubactions", "valid.yml", "missing *", ACTION_PATH),
    ("misc/githubactions", "valid.yml", "extra *", ACTION_PATH),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "missing github/codeql-action@v3",
        ACTION_PATH,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra github/codeql-action/init@v3",
        ACTION_PATH,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra github/codeql-action/analyze@v3",
        ACTION_PATH,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra alpine@3.18",
        ACTION_DOCKER,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra @",
        ACTION_MALFORMED,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra @noref",
        ACTION_MALFORMED,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra nobody@",
        ACTION_MALFORMED,
    ),
    (
        "misc/githubactions",
        "edge_cases.yaml",
        "extra actions/no-version@",
        ACTION_MALFORMED,
    ),
    // -- Go
    (
        "language/golang/gomod",
        "toolchain.mod",
        "extra stdlib@1.23.5",
        GO_TOOLCHAIN,
    ),
    (
        "language/golang/gomod",
        "toolchain-with-suffix.mod",
        "missing stdlib@1.23.6",
        GO_TOOLCHAIN,
    ),
    (
        "language/golang/gomod",
        "toolchain-with-suffix.mod",
        "extra stdlib@1.23.5",
        GO_TOOLCHAIN,
    ),
    (
        "language/golang/gomod",
        "toolchain-with-suffix.mod",
        "extra stdlib@1.23.6-xyz",
        GO_TOOLCHAIN,
    ),
    (
        "language/golang/gomod",
        "replace-local.mod",
        "missing ./fork/net@",
        "a module replaced by a local directory keeps its module name in skew (rules match \
      names), version unknown; scalibr names it after the directory",
    ),
    (
        "language/golang/gomod",
        "replace-local.mod",
        "extra golang.org/x/net@",
        "the same replaced module, under its module name",
    ),
    (
        "language/golang/gomod",
        "indirect-1.16.mod",
        "missing *",
        "scalibr reads go.sum beside a go <= 1.16 go.mod for the indirect modules; skew reads \
      only the file it is given",
    ),
    // -- Maven
    ("language/java/pomxml", "*", "line *", HEADER),
    (
        "language/java/pomxml",
        "interpolation.xml",
        "line *",
        "the version comes from a `${property}`: skew blames the property's value, where a \
      user edits it",
    ),
    (
        "language/java/pomxml",
        "with-parent.xml",
        "line org.bob:bob@2.0.0",
        "the version comes from a `${property}`: skew blames the property's value",
    ),
    (
        "language/java/pomxml",
        "interpolation.xml",
        "missing org.mine:ranged-package@9.4.35.v20201120",
        RANGE,
    ),
    (
        "language/java/pomxml",
        "interpolation.xml",
        "extra org.mine:ranged-package@[9.4.35.v20201120,9.5)",
        RANGE,
    ),
    (
        "language/java/pomxml",
        "with-parent.xml",
        "missing org.dave:dave@4.0.0",
        PARENT,
    ),
    (
        "language/java/pomxml",
        "with-parent.xml",
        "extra org.local:parent-pom@1.0",
        PARENT_COMPONENT,
    ),
    (
        "language/java/pomxml",
        "profiles.xml",
        "extra org.parent:parent-pom@1.0.0",
        PARENT_COMPONENT,
    ),
    (
        "language/java/pomxml",
        "with-parent.xml",
        "extra org.import:import@1.2.3",
        "an imported BOM (`<scope>import</scope>`) is a dependency skew reports; scalibr \
      resolves it instead",
    ),
    (
        "language/java/pomxml",
        "with-dependency-management.xml",
        "extra *",
        "`<dependencyManagement>` entries pin versions for the whole build; skew reports them \
      (group `dependencyManagement`), scalibr only effective dependencies",
    ),
    (
        "language/java/pomxml",
        "transitive.xml",
        "extra org.transitive:frank@4.4.4",
        "a `<dependencyManagement>` pin that no direct dependency uses; skew reports it",
    ),
    (
        "language/java/pomxml",
        "multi-version.xml",
        "extra abc:example.com@1.1.1",
        "scalibr keeps the first of two declarations; skew reports both, each where it is written",
    ),
    // -- .NET
    (
        "language/dotnet/csproj",
        "emptyversion",
        "extra LiteDB@",
        NO_VERSION,
    ),
    (
        "language/dotnet/csproj",
        "noversion",
        "extra LiteDB@",
        NO_VERSION,
    ),
    (
        "language/dotnet/nugetcpm",
        "emptyversion",
        "extra LiteDB@",
        NO_VERSION,
    ),
    (
        "language/dotnet/nugetcpm",
        "noversion",
        "extra LiteDB@",
        NO_VERSION,
    ),
    // -- Python
    (
        "language/python/requirements",
        "with_versions.txt",
        "line qwerty@0.1",
        "a requirement continued with `\\`: skew blames the version on the continuation line",
    ),
    (
        "language/python/requirements",
        "with_versions.txt",
        "missing asdf@",
        RANGE,
    ),
    (
        "language/python/requirements",
        "with_versions.txt",
        "extra asdf@0.7.*",
        RANGE,
    ),
    (
        "language/python/requirements",
        "with_versions.txt",
        "missing pkg@1.2.3",
        RANGE,
    ),
    (
        "language/python/requirements",
        "with_versions.txt",
        "extra pkg@<=1.2.3",
        RANGE,
    ),
    (
        "language/python/requirements",
        "example.txt",
        "missing coverage@",
        RANGE,
    ),
    (
        "language/python/requirements",
        "example.txt",
        "extra coverage@!= 3.5",
        RANGE,
    ),
    (
        "language/python/requirements",
        "example.txt",
        "missing requests@",
        RANGE,
    ),
    (
        "language/python/requirements",
        "example.txt",
        "extra requests@>= 2.8.1, == 2.8.*",
        RANGE,
    ),
    (
        "language/python/requirements",
        "example.txt",
        "missing pandas@2.2.3",
        "scalibr follows `-r other.txt` into another fixture file; skew reads each requirements \
      file on its own (the scanner hands it every one)",
    ),
    (
        "language/python/requirements",
        "example.txt",
        "extra urllib3@",
        "a requirement given as a direct URL (`urllib3 @ https://…`) has no version; skew keeps \
      it, scalibr drops it",
    ),
    (
        "language/python/requirements",
        "per_req_options.txt",
        "missing foo7@1.0 unexpected_text_before_options_stays_around",
        "scalibr keeps junk text before the options in the version; skew reads the version \
      `1.0` (reported under its own name as found)",
    ),
    ("language/python/pipfilelock", "*", "line *", HEADER),
    ("language/python/poetrylock", "*", "line *", HEADER),
    ("language/python/uvlock", "*", "line *", HEADER),
    (
        "language/python/uvlock",
        "one-package.lock",
        "extra *",
        "the peer's expectation lists a subset of the locked registry packages; every extra is \
      a real `[[package]]` with a registry source",
    ),
    (
        "language/python/uvlock",
        "two-packages.lock",
        "extra *",
        "the peer's expectation lists a subset of the locked registry packages",
    ),
    (
        "language/python/uvlock",
        "grouped-packages.lock",
        "extra *",
        "the peer's expectation lists a subset of the locked registry packages",
    ),
    (
        "language/python/uvlock",
        "names-outside-package-block.lock",
        "extra *",
        "the peer expects nothing; skew, like scalibr's own poetry.lock test on the same shape, \
      reads the two real [[package]] tables and ignores `name =` text elsewhere",
    ),
    // -- Rust
    ("language/rust/cargolock", "*", "line *", HEADER),
    (
        "language/rust/cargolock",
        "two-packages-with-local.lock",
        "missing local-rust-pkg@0.1.0",
        "a package without `source` is the workspace's own crate; skew skips it",
    ),
    (
        "language/rust/cargotoml",
        "*",
        "missing hello_world@0.1.0",
        OWN,
    ),
    (
        "language/rust/cargotoml",
        "git-dependency-tagged.toml",
        "extra regex@",
        GIT,
    ),
    (
        "language/rust/cargotoml",
        "git-dependency-with-pr.toml",
        "extra regex@",
        GIT,
    ),
    (
        "language/rust/cargotoml",
        "two-dependencies.toml",
        "extra regex@",
        GIT,
    ),
    (
        "language/rust/cargotoml",
        "invalid-dependency.toml",
        "extra regex@",
        "scalibr rejects the whole file for a malformed `git` key; skew keeps the dependency, \
      version unknown",
    ),
    // -- PHP
    ("language/php/composerlock", "*", "line *", HEADER),
    // -- Elixir / Erlang
    (
        "language/erlang/mixlock",
        "git.lock",
        "missing *",
        "a `:git` entry pins a commit, not a version: skew reports no component for it \
      (scalibr reports the package with an empty version)",
    ),
    // -- JavaScript
    (
        "language/javascript/pnpmlock",
        "*",
        "line *",
        "the peer gives the line of the package key; skew blames the `version`/`resolution` \
      line of that entry",
    ),
    ("language/javascript/yarnlock", "*", "line *", HEADER),
    (
        "language/javascript/yarnlock",
        "exclude-root.v2.lock",
        "missing @ws/ansi-regex@0.0.0-use.local",
        "a `workspace:` entry is the repository's own package, not a dependency",
    ),
    ("language/javascript/packagelockjson", "*", "line *", HEADER),
    (
        "language/javascript/packagelockjson",
        "both/package-lock.json",
        "extra *",
        "scalibr prefers npm-shrinkwrap.json over a package-lock.json beside it and skips the \
      latter; skew reads each lockfile it is given",
    ),
    (
        "language/javascript/packagelockjson",
        "commits.v1.json",
        "missing *",
        "scalibr reports a git dependency with an empty version (the commit is separate); skew \
      keeps the git specifier as the resolved version",
    ),
    (
        "language/javascript/packagelockjson",
        "commits.v1.json",
        "extra *",
        "the same git dependencies, with their specifier as version",
    ),
    (
        "language/javascript/packagelockjson",
        "files.v1.json",
        "missing other_package@",
        "a `file:` dependency: skew keeps the specifier as its version",
    ),
    (
        "language/javascript/packagelockjson",
        "files.v1.json",
        "extra other_package@file:deps/other_package",
        "a `file:` dependency: skew keeps the specifier as its version",
    ),
    (
        "language/javascript/packagelockjson",
        "files.v2.json",
        "missing etag@1.8.0",
        "a `file:` dependency is the repository's own code (a local folder); skew skips it",
    ),
    (
        "language/javascript/packagelockjson",
        "alias.v1.json",
        "missing *",
        "gap: npm-lock (v1) reports an `npm:` alias under the alias name with the \
         `npm:real@version` specifier as version, where scalibr (and skew's own yarn-lock) \
         report the real package that is installed",
    ),
    (
        "language/javascript/packagelockjson",
        "alias.v1.json",
        "extra *",
        "the same aliases, under their alias names",
    ),
    (
        "language/javascript/packagejson",
        "package.json",
        "extra *",
        DEPS_ONLY_HERE,
    ),
    (
        "language/javascript/packagejson",
        "deps/accepts/package.json",
        "extra *",
        DEPS_ONLY_HERE,
    ),
    (
        "language/javascript/packagejson",
        "deps/no-person-name/package.json",
        "extra *",
        DEPS_ONLY_HERE,
    ),
    (
        "language/javascript/packagejson",
        "deps/with/deps/acorn/package.json",
        "extra *",
        DEPS_ONLY_HERE,
    ),
    (
        "language/javascript/packagejson",
        "deps/acorn/package.json",
        "extra *",
        "scalibr skips a package.json with an empty `name` entirely; skew still reads its \
      dependencies",
    ),
    (
        "language/javascript/packagejson",
        "deps/acorn-globals/package.json",
        "extra *",
        "scalibr skips a package.json with an empty `version` entirely; skew still reads its \
      dependencies",
    ),
    (
        "language/javascript/packagejson",
        "unity-package.json",
        "extra *",
        "scalibr skips Unity's package.json flavour; skew reads its dependencies as declared",
    ),
    (
        "language/javascript/packagejson",
        "undici-package.json",
        "extra *",
        DEPS_ONLY_HERE,
    ),
    (
        "language/javascript/packagejson",
        "not-vscode.json",
        "extra *",
        DEPS_ONLY_HERE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "missing dep2@2.0.1",
        RANGE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "extra dep2@>2.0.0",
        RANGE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "missing dep5@5.0.0",
        RANGE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "extra dep5@5.x",
        RANGE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "missing dep7@1.0.0",
        RANGE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "extra dep7@>=1.0.0 <2.0.0",
        RANGE,
    ),
    (
        "language/javascript/packagejson",
        "package-with-deps.json",
        "extra dep6@invalid",
        "an invalid range is kept as declared (and reported as `invalid-version` by rules); \
      scalibr drops it",
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing testdata@10.46.8",
        OWN,
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing accepts@1.3.8",
        OWN,
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing acorn@1.2.2",
        OWN,
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing undici@5.28.3",
        OWN,
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing jsonparse@1.3.1",
        OWN,
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing package-with-deps@1.2.3",
        OWN,
    ),
    (
        "language/javascript/packagejson",
        "*",
        "missing duplicate-keys@1.0.0",
        OWN,
    ),
];

/// Peer test cases that exercise the peer's own configuration rather than the format
/// (`test` name, reason): skipped and counted.
const SKIPPED_TESTS: &[(&str, &str)] = &[(
    "larger than size limit",
    "scalibr's configurable maximum file size; skew has no such limit",
)];

#[test]
fn scalibr_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/scalibr");
    let Ok(json) = std::fs::read_to_string(root.join("expected.json")) else {
        println!(
            "conformance skipped: {} is absent (CI has shared/ beside the clone)",
            root.display()
        );
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&json).expect("expected.json parses");
    let entries = doc["entries"].as_array().expect("`entries` array");

    let mut table: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut unsupported: BTreeMap<&str, usize> = BTreeMap::new();
    let mut used = BTreeSet::new();
    let mut failures = Vec::new();
    for entry in entries {
        let format = entry["extractor"].as_str().expect("extractor");
        let Some(&(_, skew_name, as_path)) = MAPPING.iter().find(|m| m.0 == format) else {
            *unsupported.entry(format).or_default() += 1;
            continue;
        };
        let test = entry["test"].as_str().unwrap_or("");
        if SKIPPED_TESTS.iter().any(|(t, _)| *t == test) {
            table.entry(format).or_default().skipped += 1;
            continue;
        }
        let fixture = entry["fixture"].as_str().expect("fixture");
        // the fixture as named in the peer's test folder (`deps/accepts/package.json`)
        let fname = fixture
            .rsplit_once("/testdata/")
            .map_or(fixture, |(_, f)| f);
        let counts = table.entry(format).or_default();
        counts.cases += 1;
        let expected: Vec<Expected> = entry["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| Expected {
                name: p["name"].as_str().unwrap_or("").to_string(),
                version: p["version"].as_str().unwrap_or("").to_string(),
                line: p["line"].as_u64().map(|l| l as usize),
            })
            .collect();
        let found = run(&root.join(fixture), skew_name, as_path, format);
        let mut allowed = |diff: String| {
            let hit = ALLOWED.iter().position(|(f, fx, d, _)| {
                *f == format
                    && (*fx == fname || (*fx == "*" && !diff.ends_with(" earlier")))
                    && matches(d, &diff)
            });
            match hit {
                Some(i) => {
                    used.insert(i);
                }
                None => failures.push(format!("{format} {fname} ({test}): {diff}")),
            }
        };

        let exp_pairs: BTreeSet<(&str, &str)> = expected
            .iter()
            .map(|e| (e.name.as_str(), e.version.as_str()))
            .collect();
        let found_pairs: BTreeSet<(&str, &str)> = found
            .iter()
            .map(|(n, v, _)| (n.as_str(), v.as_str()))
            .collect();
        counts.expected += exp_pairs.len();
        counts.found += found_pairs.len();
        for (n, v) in exp_pairs.difference(&found_pairs) {
            counts.missing += 1;
            allowed(format!("missing {n}@{v}"));
        }
        for (n, v) in found_pairs.difference(&exp_pairs) {
            counts.extra += 1;
            allowed(format!("extra {n}@{v}"));
        }
        for e in &expected {
            let Some(line) = e.line else { continue };
            let lines: Vec<usize> = found
                .iter()
                .filter(|(n, v, _)| *n == e.name && *v == e.version)
                .map(|f| f.2)
                .collect();
            if lines.is_empty() {
                continue; // already reported as missing
            }
            counts.lines += 1;
            if !lines.contains(&line) {
                counts.line_diffs += 1;
                let later = lines.iter().any(|&l| l > line);
                allowed(format!(
                    "line {}@{} (peer {line}, skew {lines:?}){}",
                    e.name,
                    e.version,
                    if later { "" } else { " earlier" }
                ));
            }
        }
    }

    let mut report = String::new();
    writeln!(
        report,
        "{:<38} {:>5} {:>4} {:>8} {:>5} {:>7} {:>5} {:>5} {:>6}",
        "format", "cases", "skip", "expected", "found", "missing", "extra", "lines", "differ"
    )
    .unwrap();
    for (format, c) in &table {
        writeln!(
            report,
            "{format:<38} {:>5} {:>4} {:>8} {:>5} {:>7} {:>5} {:>5} {:>6}",
            c.cases, c.skipped, c.expected, c.found, c.missing, c.extra, c.lines, c.line_diffs
        )
        .unwrap();
    }
    writeln!(
        report,
        "unsupported ({} formats, {} cases): {}",
        unsupported.len(),
        unsupported.values().sum::<usize>(),
        unsupported
            .iter()
            .map(|(f, n)| format!("{f} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .unwrap();
    println!("{report}");

    let stale: Vec<String> = ALLOWED
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, (f, fx, d, _))| format!("{f} {fx}: {d}"))
        .collect();
    assert!(
        failures.is_empty(),
        "differences from scalibr not in ALLOWED:\n{}",
        failures.join("\n")
    );
    assert!(
        stale.is_empty(),
        "ALLOWED entries that no longer match anything (remove them):\n{}",
        stale.join("\n")
    );
}

/// Every mapped extractor exists and wants the path its fixtures are handed over as.
#[test]
fn mapping_names_real_extractors() {
    for (format, skew_name, as_path) in MAPPING {
        let ex = extractor_by_name(skew_name)
            .unwrap_or_else(|| panic!("{format}: no extractor named {skew_name}"));
        assert!(
            ex.wants(Path::new(as_path)),
            "{skew_name} ignores {as_path}"
        );
    }
    for (format, _, _, reason) in ALLOWED {
        assert!(MAPPING.iter().any(|m| m.0 == *format), "{format}");
        assert!(!reason.is_empty());
    }
}

#[derive(Default)]
struct Counts {
    cases: usize,
    skipped: usize,
    expected: usize,
    found: usize,
    missing: usize,
    extra: usize,
    lines: usize,
    line_diffs: usize,
}

struct Expected {
    name: String,
    version: String,
    line: Option<usize>,
}

/// Run one extractor on one fixture: `(name, version, line)` in scalibr's terms.
fn run(
    fixture: &PathBuf,
    skew_name: &str,
    as_path: &str,
    format: &str,
) -> Vec<(String, String, usize)> {
    let text =
        std::fs::read_to_string(fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
    let ex = extractor_by_name(skew_name).expect("mapped extractor exists");
    let file = SourceFile::new(FileId(0), as_path, text);
    let mut out = Extraction::default();
    ex.extract(&file, &mut out);
    out.components
        .iter()
        .filter_map(|c| {
            let (name, version) = peer_view(format, c)?;
            Some((name, version, file.location(c.span).line))
        })
        .collect()
}

/// A skew component as scalibr would report it, or `None` for what scalibr's extractor
/// does not report at all (runtimes, Kubernetes resources, … — skew's extra kinds).
fn peer_view(format: &str, c: &Component) -> Option<(String, String)> {
    let version = c.effective_version().unwrap_or("");
    match c.ecosystem {
        // base and service images: scalibr says `latest` for an image without a tag
        Ecosystem::Docker => {
            let v = if version.is_empty() {
                "latest"
            } else {
                version
            };
            return Some((c.name.clone(), v.to_string()));
        }
        Ecosystem::GithubActions => return Some((c.name.clone(), version.to_string())),
        // scalibr reports the Go toolchain as the package `stdlib`
        Ecosystem::Go if c.name == "go" && c.kind != ComponentKind::Package => {
            return Some(("stdlib".into(), version.to_string()));
        }
        _ => {}
    }
    if c.kind != ComponentKind::Package || format.starts_with("containers/") {
        return None;
    }
    let version = match c.ecosystem {
        // scalibr drops the `v` that Go modules and Composer tags carry
        Ecosystem::Go | Ecosystem::Composer => version.strip_prefix('v').unwrap_or(version),
        _ => version,
    };
    let version = if c.origin == Origin::Manifest {
        lower_bound(version)
    } else {
        version.to_string()
    };
    Some((c.name.clone(), version))
}

/// scalibr reports a manifest's declared range by its lowest version (`>=2.32.0` ->
/// `2.32.0`); do the same for a single-comparator specifier, keep anything else.
fn lower_bound(spec: &str) -> String {
    let s = spec.trim();
    for op in ["===", "==", ">=", "~=", "^", "~"] {
        if let Some(rest) = s.strip_prefix(op).map(str::trim)
            && !rest.contains([',', ' ', '|'])
        {
            return rest.to_string();
        }
    }
    s.to_string()
}

/// Does an allow-list difference (`extra *`, `missing a@1`) match an observed one?
fn matches(pattern: &str, diff: &str) -> bool {
    let (pk, pp) = pattern.split_once(' ').unwrap_or((pattern, ""));
    let (dk, dp) = diff.split_once(' ').unwrap_or((diff, ""));
    let dp = dp.split(" (peer").next().unwrap_or(dp);
    pk == dk && (pp == "*" || pp == dp)
}
