//! Reporters: one file per output format, all consuming the same plain [`Report`].
//!
//! A reporter converts [`crate::diagnostic::Finding`]s at the edge (bytes -> 1-based
//! line/column through [`crate::source::Sources`]) and writes to any `io::Write`.
//! Must not: decide what is a finding, filter, or exit. Adding a format is one file here
//! implementing [`Reporter`] plus one variant in [`Format`] (with its arm in
//! [`Format::name`] and [`Format::reporter`]). Every reporter sorts what it prints itself (through [`sorted_findings`]
//! and [`sorted_components`]), so output does not depend on the order of the input.

mod checkstyle;
mod cyclonedx;
mod escape;
mod excerpt;
mod github;
mod gitlab;
mod human;
mod json;
mod sarif;
mod short;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::component::{Component, Project};
use crate::diagnostic::{Finding, Severity};
use crate::source::{Location, SourceView};

/// Everything a reporter may show. Findings and components are normally already sorted
/// (path, line, column, rule id) by the caller; reporters sort again so that output is
/// stable whatever the caller did.
#[derive(Debug)]
pub struct Report<'a> {
    /// The project root, spelt for the current directory ([`crate::root::Scope::root`]).
    pub root: PathBuf,
    pub sources: &'a SourceView<'a>,
    pub findings: &'a [Finding],
    /// The components checked (a scenario's declared and assumed servers included).
    pub components: &'a [&'a Component],
    /// The packages the scanned manifests describe themselves (the repository's own).
    pub projects: &'a [Project],
    pub files_scanned: usize,
    /// What is known about the rules behind the findings (summary, help URL), for the
    /// formats that describe rules apart from results (SARIF). May be empty: reporters
    /// then fall back to [`crate::diagnostic::Code`] and the findings themselves.
    pub rules: &'a [RuleMeta],
    /// How many findings were hidden, by reason (ignores, selection, baseline).
    pub hidden: crate::suppress::Hidden,
}

impl<'a> Report<'a> {
    /// The same report over other findings (what-if shows the introduced ones).
    pub fn with_findings(&self, findings: &'a [Finding]) -> Report<'a> {
        Report {
            root: self.root.clone(),
            findings,
            ..*self
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// A rule as output formats describe it (SARIF `tool.driver.rules`). Plain data filled in
/// by whoever loaded the rules ([`RuleMeta::of_rules`], [`RuleMeta::of_code`]); the
/// reporters never read rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// The rule id, as in [`Finding::rule_id`].
    pub id: String,
    /// One line: what the rule flags.
    pub summary: String,
    /// Why it matters, in a paragraph (the rule's `why`, a built-in code's explanation).
    pub description: String,
    /// The severity its findings have before `skew.toml` `[severity]` overrides it.
    pub severity: Severity,
    /// What to do about it, in general terms (a finding's `fix` is the concrete one).
    pub help: Option<String>,
    /// Where to read more (the rule's first source or its docs page).
    pub help_uri: Option<String>,
    /// Where every fact of the rule comes from.
    pub sources: Vec<String>,
    /// The whole page in Markdown, as `skew explain ID` prints it.
    pub markdown: String,
}

impl RuleMeta {
    /// Every rule of a rule set.
    pub fn of_rules(rules: &crate::rule::RuleSet) -> Vec<RuleMeta> {
        rules
            .rules
            .iter()
            .map(|r| RuleMeta {
                id: r.id.clone(),
                summary: r.summary.clone(),
                description: r.why.clone(),
                severity: r.severity,
                help: r.fix.clone(),
                help_uri: r.sources.first().cloned(),
                sources: r.sources.clone(),
                markdown: crate::docs::explain_text(rules, r),
            })
            .collect()
    }

    /// One of skew's built-in checks (`parse-error`, `unused-ignore`, …).
    pub fn of_code(code: crate::diagnostic::Code) -> RuleMeta {
        RuleMeta {
            id: code.as_str().to_string(),
            summary: code.summary().to_string(),
            description: code.explanation().to_string(),
            severity: code.severity(),
            help: None,
            help_uri: None,
            sources: Vec::new(),
            markdown: crate::docs::explain_code(code),
        }
    }
}

/// Output formats: the one list. The CLI parses `--format` straight into it (clap
/// `ValueEnum`; each command declares the formats it accepts, see `cli.rs`), and
/// [`Format::reporter`] is the one place a format meets the code that writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people
    Human,
    /// The stable JSON document (docs/json-schema.md), for editors and CI
    Json,
    /// `path:line:col: severity[rule]: message`, one line per finding
    Short,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality JSON, for the merge request widget
    Gitlab,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// CycloneDX 1.5 JSON: the components as an SBOM, with package URLs
    Cyclonedx,
    /// Checkstyle XML, for reviewdog, Jenkins warnings-ng and other CI readers
    Checkstyle,
}

impl Format {
    /// The name on the command line (`--format NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Short => "short",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Sarif => "sarif",
            Format::Cyclonedx => "cyclonedx",
            Format::Checkstyle => "checkstyle",
        }
    }

    /// The reporter that writes this format: the registry of reporters.
    pub fn reporter(self) -> &'static dyn Reporter {
        match self {
            Format::Human => &human::Human,
            Format::Json => &json::Json,
            Format::Short => &short::Short,
            Format::Github => &github::Github,
            Format::Gitlab => &gitlab::Gitlab,
            Format::Sarif => &sarif::Sarif,
            Format::Cyclonedx => &cyclonedx::Cyclonedx,
            Format::Checkstyle => &checkstyle::Checkstyle,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What one output format can write. A format implements [`Reporter::findings`]; the
/// other two default to it (an inventory's file problems are findings; a what-if shows
/// the findings it introduces) and are overridden where the format says more.
pub trait Reporter: Sync {
    /// `skew check`: the findings of `report`. `opts` only matters to human output.
    fn findings(&self, report: &Report, opts: &HumanOptions, out: &mut dyn Write)
    -> io::Result<()>;

    /// `skew scan`: the inventory (`report.components`) and its file problems
    /// (`report.findings`).
    fn inventory(
        &self,
        report: &Report,
        opts: &HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.findings(report, opts, out)
    }

    /// `skew what-if`: `report` is the substituted repository, `what_if` what changes.
    fn what_if(
        &self,
        report: &Report,
        what_if: &WhatIf,
        opts: &HumanOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.findings(&report.with_findings(what_if.introduced), opts, out)
    }
}

/// How human output looks (and whether the JSON document is indented).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    pub color: bool,
    /// Terminal width for wrapping; tests fix it at 80.
    pub width: usize,
    /// Print only the findings, no summary line.
    pub quiet: bool,
    /// `--format json` without indentation, for programs (stdout is not a terminal):
    /// whitespace is not part of the schema, and it is a third of a big document.
    pub compact_json: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 80,
            quiet: false,
            compact_json: false,
        }
    }
}

/// Render the findings of `skew check` in `format`. `opts` only matters for
/// [`Format::Human`].
pub fn render(
    format: Format,
    report: &Report,
    opts: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    format.reporter().findings(report, opts, out)
}

/// Render the inventory of `skew scan`: the components, plus the file problems
/// (`parse-error`, `read-error`) the caller passes as `report.findings`.
///
/// - human: the problems as diagnostics, then an aligned table of components, then a
///   summary line (unless quiet);
/// - json: the same document as [`render`] (its `findings` then hold only file problems);
/// - short: one line per component, then one line per problem;
/// - github, sarif: the problems only (components are not annotations or results);
/// - cyclonedx: the components as a CycloneDX 1.5 BOM (problems are not BOM content).
pub fn render_inventory(
    format: Format,
    report: &Report,
    opts: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    format.reporter().inventory(report, opts, out)
}

/// What `skew what-if` adds to a report of the substituted repository.
#[derive(Debug, Clone, Copy)]
pub struct WhatIf<'a> {
    /// One line: `upgrading mysql 8.0.36 → 8.4.0 breaks 2 clients`.
    pub verdict: &'a str,
    /// Findings the substitution would introduce.
    pub introduced: &'a [Finding],
    /// Findings it would resolve.
    pub resolved: &'a [Finding],
}

/// Render a what-if: the verdict first, then what breaks, then what is resolved.
/// `report.findings` holds every finding of the substituted repository (the JSON
/// `findings`); human and line formats show the introduced ones.
pub fn render_what_if(
    format: Format,
    report: &Report,
    what_if: &WhatIf,
    opts: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    format.reporter().what_if(report, what_if, opts, out)
}

/// Findings with their primary location, sorted by (path, line, column, rule id), then
/// by the rest of the finding so that equal keys still come out in one order.
pub(crate) fn sorted_findings<'r>(report: &Report<'r>) -> Vec<(&'r Finding, Location)> {
    let mut v: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f, report.sources.location(f.primary.span)))
        .collect();
    v.sort_by(|(a, la), (b, lb)| {
        (&la.path, la.line, la.column, &a.rule_id)
            .cmp(&(&lb.path, lb.line, lb.column, &b.rule_id))
            .then_with(|| (la.end_line, la.end_column).cmp(&(lb.end_line, lb.end_column)))
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.message.cmp(&b.message))
    });
    v
}

/// Components with their location, sorted by (path, line, column, name), then by the
/// rest of the identity. Locations borrow their file's path: an inventory holds a hundred
/// thousand components, and a copied path each was most of what reporting them cost.
pub(crate) fn sorted_components<'r>(report: &Report<'r>) -> Vec<(&'r Component, PathLocation<'r>)> {
    // files ranked by path once, so that the sort compares numbers, not path strings
    // (equal paths get equal ranks: the order is exactly that of the paths)
    let sources = report.sources;
    let mut by_path: Vec<crate::source::FileRef<'r>> = sources.iter().collect();
    by_path.sort_by(|a, b| a.path.cmp(b.path));
    let ids = by_path
        .iter()
        .map(|f| f.id.0 as usize + 1)
        .max()
        .unwrap_or(0);
    let mut rank = vec![0u32; ids];
    let mut r = 0;
    for (i, f) in by_path.iter().enumerate() {
        if i > 0 && by_path[i - 1].path != f.path {
            r += 1;
        }
        rank[f.id.0 as usize] = r;
    }
    let mut v: Vec<_> = report
        .components
        .iter()
        .map(|&c| {
            let file = sources.get(c.span.file);
            let (line, column) = file.line_col(c.span.start);
            let (end_line, end_column) = file.line_col(c.span.end);
            let location = PathLocation {
                path: file.path,
                line,
                column,
                end_line,
                end_column,
            };
            (c, location, rank[c.span.file.0 as usize])
        })
        .collect();
    v.sort_by(|(a, la, ra), (b, lb, rb)| {
        (ra, la.line, la.column, &a.name)
            .cmp(&(rb, lb.line, lb.column, &b.name))
            .then_with(|| (a.ecosystem, a.kind).cmp(&(b.ecosystem, b.kind)))
            .then_with(|| (&a.version, &a.resolved).cmp(&(&b.version, &b.resolved)))
            .then_with(|| (la.end_line, la.end_column).cmp(&(lb.end_line, lb.end_column)))
    });
    v.into_iter().map(|(c, l, _)| (c, l)).collect()
}

/// A [`Location`] that borrows its path from the report's sources; serialises the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct PathLocation<'a> {
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// `n word` with a plain English plural (`1 error`, `2 errors`, `0 infos`).
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The JSON name of a component kind, so the table and the JSON agree.
pub(crate) fn kind_name(kind: crate::component::ComponentKind) -> &'static str {
    use crate::component::ComponentKind::*;
    match kind {
        Server => "server",
        Runtime => "runtime",
        Package => "package",
        Tool => "tool",
        Resource => "resource",
    }
}

/// The root as given, with `/` separators on every platform (JSON and SARIF promise it).
pub(crate) fn root_string(report: &Report) -> String {
    let s = report.root.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small hand-built repository shared by every reporter's snapshot tests: a compose
    //! file running MySQL 8, a package.json using an old `mysql` client, and findings of
    //! every shape (related label in another file, plain warning, parse error).

    use super::Report;
    use crate::component::{Component, ComponentId, ComponentKind, Ecosystem};
    use crate::diagnostic::{Finding, Label, Severity, Subject, parse_error};
    use crate::source::{SourceView, Sources, Span};
    use std::path::PathBuf;

    pub const COMPOSE: &str = "services:\n  db:\n    image: mysql:8.0.36\n    ports:\n      - \"3306:3306\"\n  cache:\n    image: redis:7.2\n";
    pub const PACKAGE: &str = "{\n  \"name\": \"api\",\n  \"dependencies\": {\n    \"mysql\": \"2.18.1\",\n    \"redis\": \"^3.1.2\"\n  }\n}\n";
    pub const BROKEN: &str = "[tool.poetry\nname = \"x\"\n";

    /// The data of a report; [`Fixture::report`] borrows it. Its files and components
    /// live for the whole test run ([`leak`]), so a report can borrow views of them.
    pub struct Fixture {
        pub sources: SourceView<'static>,
        pub findings: Vec<Finding>,
        pub components: Vec<&'static Component>,
    }

    /// A table of files for a fixture, as reports read it.
    pub fn leak(sources: Sources) -> SourceView<'static> {
        Box::leak(Box::new(sources)).view()
    }

    fn span_of(sources: &SourceView<'_>, file: crate::source::FileId, needle: &str) -> Span {
        let f = sources.get(file);
        let start = f.text.find(needle).expect("needle in fixture");
        f.span(start, start + needle.len())
    }

    impl Fixture {
        /// Findings and components deliberately out of order, so every test also checks
        /// that reporters sort.
        pub fn new() -> Fixture {
            let mut table = Sources::new();
            let pkg = table.add("services/api/package.json", PACKAGE);
            let compose = table.add("docker-compose.yml", COMPOSE);
            let broken = table.add("tools/pyproject.toml", BROKEN);
            let sources = leak(table);
            let id = |file, n| ComponentId { file, n };

            let mysql_client = span_of(&sources, pkg, "2.18.1");
            let redis_client = span_of(&sources, pkg, "^3.1.2");
            let mysql_server = span_of(&sources, compose, "8.0.36");
            let mysql_image = span_of(&sources, compose, "mysql");
            let redis_server = span_of(&sources, compose, "7.2");

            let error = Finding {
                rule_id: "mysql-caching-sha2-password".into(),
                severity: Severity::Error,
                message: "npm `mysql` 2.18.1 cannot authenticate against MySQL 8.0.36 (caching_sha2_password)".into(),
                primary: Label::new(mysql_client, "client declared here"),
                related: vec![Label::new(mysql_server, "MySQL 8.0.36 runs here")],
                fix: Some("replace `mysql` with `mysql2` >= 2.0.0, or start MySQL with `--default-authentication-plugin=mysql_native_password`".into()),
                sources: vec![
                    "https://dev.mysql.example.test/doc/caching-sha2-password".into(),
                    "https://github.example.test/mysqljs/mysql/issues/2002".into(),
                ],
                subject: Subject {
                    ecosystem: Some(Ecosystem::Npm),
                    name: "mysql".into(),
                    version: Some("2.18.1".into()),
                    counterpart: Some("mysql 8.0.36".into()),
                },
                components: vec![id(pkg, 0), id(compose, 0)],
            };
            let warning = Finding {
                rule_id: "redis-client-too-old".into(),
                severity: Severity::Warning,
                message: "npm `redis` ^3.1.2 predates Redis 7 and cannot use ACL users".into(),
                primary: Label::new(redis_client, "range allows only 3.x"),
                related: Vec::new(),
                fix: None,
                sources: Vec::new(),
                subject: Subject::default(),
                components: vec![id(pkg, 1)],
            };
            let same_file = Finding {
                rule_id: "image-name-and-tag".into(),
                severity: Severity::Info,
                message: "`mysql` is pinned to a patch version".into(),
                primary: Label::new(mysql_server, "tag"),
                related: vec![Label::new(mysql_image, "image")],
                fix: None,
                sources: vec!["https://docs.example.test/tags".into()],
                subject: Subject::default(),
                components: vec![id(compose, 0)],
            };
            let bf = sources.get(broken);
            let at = bf.offset_of(1, 13);
            let parse = parse_error(
                bf.span(at, at),
                "pyproject.toml",
                "invalid table header, expected `]`",
            );
            // Out of order on purpose.
            let findings = vec![parse, warning, same_file, error];

            let mut components = vec![
                Component::new(
                    ComponentKind::Server,
                    Ecosystem::Docker,
                    "redis",
                    Some("7.2".into()),
                    redis_server,
                )
                .group("cache"),
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Npm,
                    "redis",
                    Some("^3.1.2".into()),
                    redis_client,
                ),
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Npm,
                    "mysql",
                    Some("2.18.1".into()),
                    mysql_client,
                ),
                Component::new(
                    ComponentKind::Server,
                    Ecosystem::Docker,
                    "mysql",
                    Some("8.0.36".into()),
                    mysql_server,
                )
                .group("db"),
            ];
            components[1].resolved = Some("3.1.2".into());
            // the files' own order: mysql, then redis, in each file
            for (c, n) in components.iter_mut().zip([1, 1, 0, 0]) {
                c.id.n = n;
            }
            let components = Box::leak(Box::new(components)).iter().collect();

            Fixture {
                sources,
                findings,
                components,
            }
        }

        pub fn report(&self) -> Report<'_> {
            Report {
                root: PathBuf::from("."),
                sources: &self.sources,
                findings: &self.findings,
                components: &self.components,
                projects: &[],
                files_scanned: 3,
                rules: &[],
                hidden: Default::default(),
            }
        }
    }

    /// Render with `f` into a `String`.
    pub fn to_string(f: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).expect("rendering into memory cannot fail");
        String::from_utf8(buf).expect("reporters write UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        use clap::ValueEnum as _;
        for f in Format::value_variants() {
            assert_eq!(Format::from_str(f.name(), false), Ok(*f));
            assert_eq!(f.to_string(), f.name());
            assert_eq!(f.to_possible_value().unwrap().get_name(), f.name());
        }
        assert!(Format::from_str("xml", false).is_err());
    }

    #[test]
    fn findings_and_components_come_out_sorted() {
        let fx = testing::Fixture::new();
        let report = fx.report();
        let f: Vec<_> = sorted_findings(&report)
            .into_iter()
            .map(|(f, l)| format!("{}:{}:{} {}", l.path, l.line, l.column, f.rule_id))
            .collect();
        assert_eq!(
            f,
            [
                "docker-compose.yml:3:18 image-name-and-tag",
                "services/api/package.json:4:15 mysql-caching-sha2-password",
                "services/api/package.json:5:15 redis-client-too-old",
                "tools/pyproject.toml:1:13 parse-error",
            ]
        );
        let c: Vec<_> = sorted_components(&report)
            .into_iter()
            .map(|(c, l)| format!("{}:{} {}", l.path, l.line, c.name))
            .collect();
        assert_eq!(
            c,
            [
                "docker-compose.yml:3 mysql",
                "docker-compose.yml:7 redis",
                "services/api/package.json:4 mysql",
                "services/api/package.json:5 redis",
            ]
        );
    }
}
