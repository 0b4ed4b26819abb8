//! The commands: wire scan -> check -> graph -> report, map outcomes to exit codes.
//!
//! Owns I/O at the edges (stdout/stderr, broken pipes) and the exit-code contract.
//! Must not: contain extraction, rule or rendering logic of its own.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::check::{self, Context};
use crate::cli::{
    CheckArgs, Cli, ColorArg, Command, ExplainArgs, FormatArg, RuleSource, RulesArgs, ScanArgs,
};
use crate::diagnostic::{Finding, Label, Severity};
use crate::graph::Graph;
use crate::report::{self, Format, HumanOptions, Report, RuleMeta};
use crate::rule::{RuleOrigin, RuleSet};
use crate::scan::{self, Inventory, ScanOptions};
use crate::source::Sources;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// Findings at or above `--fail-on`.
    Findings = 1,
    /// skew could not do its job.
    Error = 2,
}

/// The result of checking an inventory.
pub struct Checked {
    pub graph: Graph,
    /// Rule findings and file problems, sorted by (path, line, column, rule id).
    pub findings: Vec<Finding>,
    /// Files read by the scan (rule files added for labels are not counted).
    pub files_scanned: usize,
}

/// Evaluate `rules` over `inv`. User rule files that produced findings are added to the
/// inventory's sources so their rule line can be shown as a related label.
pub fn check_inventory(inv: &mut Inventory, rules: &RuleSet) -> Checked {
    let files_scanned = inv.sources.len();
    let evaluations = {
        let cx = Context::new(&inv.components, rules, &inv.sources);
        check::evaluate(&cx)
    };
    let graph = Graph::build(&inv.components, evaluations);
    let mut findings = graph.findings();
    for f in &mut findings {
        let Some(rule) = rules.rule(&f.rule_id) else {
            continue;
        };
        if let RuleOrigin::User { path, start, end } = &rule.origin {
            let existing = inv.sources.by_path(path).map(|s| s.id);
            let id = match existing {
                Some(id) => id,
                None => {
                    let text = rules
                        .user_files
                        .iter()
                        .find(|(p, _)| p == path)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default();
                    inv.sources.add(path.clone(), text)
                }
            };
            let span = inv.sources.get(id).span(*start, *end);
            f.related.push(Label::new(span, "rule defined here"));
        }
    }
    findings.extend(inv.problems.iter().cloned());
    sort_findings(&mut findings, &inv.sources);
    Checked {
        graph,
        findings,
        files_scanned,
    }
}

/// Sort by (path, line, column, rule id): byte-identical output run to run.
pub fn sort_findings(findings: &mut [Finding], sources: &Sources) {
    findings.sort_by(|a, b| {
        let pa = &sources.get(a.primary.span.file).path;
        let pb = &sources.get(b.primary.span.file).path;
        (pa, a.primary.span.start, &a.rule_id, &a.message).cmp(&(
            pb,
            b.primary.span.start,
            &b.rule_id,
            &b.message,
        ))
    });
}

/// What output formats say about each rule (SARIF's rule table).
pub fn rule_meta(rules: &RuleSet) -> Vec<RuleMeta> {
    rules
        .rules
        .iter()
        .map(|r| RuleMeta {
            id: r.id.clone(),
            summary: r.summary.clone(),
            help: r.fix.clone(),
            help_uri: r.sources.first().cloned(),
        })
        .collect()
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let result = match cli.command {
        Command::Check(args) => cmd_check(args),
        Command::Scan(args) => cmd_scan(args),
        Command::Rules(args) => cmd_rules(args),
        Command::Explain(args) => cmd_explain(args),
        Command::Lsp(args) => load_rules(&args.rules).and_then(|r| Ok(crate::lsp::serve(r)?)),
    };
    match result {
        Ok(status) => status,
        Err(Failure::BrokenPipe) => ExitStatus::Clean,
        Err(Failure::Reported) => ExitStatus::Error,
        Err(Failure::Io(e)) => {
            eprintln!("error: {e}");
            ExitStatus::Error
        }
    }
}

enum Failure {
    /// Output closed early (`skew check | head`): exit quietly.
    BrokenPipe,
    /// Already shown to the user.
    Reported,
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Io(e)
        }
    }
}

fn load_rules(src: &RuleSource) -> Result<RuleSet, Failure> {
    let mut set = if src.no_default_rules {
        RuleSet::default()
    } else {
        RuleSet::builtin().map_err(|e| report_error(&e))?
    };
    for p in &src.rules {
        set.load_path(p).map_err(|e| match e {
            crate::rule::LoadError::Invalid(e) => report_error(&*e),
            e => {
                eprintln!("error: {e}");
                Failure::Reported
            }
        })?;
    }
    Ok(set)
}

/// Render a diagnostic about skew's own inputs (rule files) to stderr.
fn report_error(e: &dyn miette::Diagnostic) -> Failure {
    let color = ColorArg::Auto.enabled(io::stderr().is_terminal());
    let handler = if color {
        miette::GraphicalReportHandler::new()
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    };
    let mut s = String::new();
    let _ = handler.render_report(&mut s, e);
    eprintln!("{s}");
    Failure::Reported
}

fn scan_root(path: &Path) -> Result<Inventory, Failure> {
    scan::scan(path, &ScanOptions::default()).map_err(|e| {
        eprintln!("error: {e}");
        Failure::Reported
    })
}

fn format_of(f: FormatArg) -> Format {
    match f {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Short => Format::Short,
        FormatArg::Github => Format::Github,
        FormatArg::Sarif => Format::Sarif,
    }
}

fn human_options(color: ColorArg, quiet: bool) -> HumanOptions {
    HumanOptions {
        color: color.enabled(io::stdout().is_terminal()),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
        quiet,
    }
}

fn cmd_check(args: CheckArgs) -> Result<ExitStatus, Failure> {
    let rules = load_rules(&args.rules)?;
    let mut inv = scan_root(&args.path)?;
    let checked = check_inventory(&mut inv, &rules);
    let report = Report {
        root: args.path.clone(),
        sources: &inv.sources,
        findings: &checked.findings,
        components: &inv.components,
        files_scanned: checked.files_scanned,
        rules: &rule_meta(&rules),
    };
    let opts = human_options(args.output.color, args.output.quiet);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    report::render(format_of(args.format), &report, &opts, &mut out)?;
    out.flush()?;
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|t| checked.findings.iter().any(|f| f.severity >= t));
    Ok(if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

fn cmd_scan(args: ScanArgs) -> Result<ExitStatus, Failure> {
    let mut inv = scan_root(&args.path)?;
    let files_scanned = inv.sources.len();
    let mut problems = std::mem::take(&mut inv.problems);
    sort_findings(&mut problems, &inv.sources);
    let report = Report {
        root: args.path.clone(),
        sources: &inv.sources,
        findings: &problems,
        components: &inv.components,
        files_scanned,
        rules: &[],
    };
    let opts = human_options(args.output.color, args.output.quiet);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    report::render_inventory(format_of(args.format), &report, &opts, &mut out)?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

fn cmd_rules(args: RulesArgs) -> Result<ExitStatus, Failure> {
    let rules = load_rules(&args.rules)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        FormatArg::Json => {
            let list: Vec<_> = rules
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "product": r.product,
                        "kind": r.kind.name(),
                        "severity": r.severity,
                        "summary": r.summary,
                        "sources": r.sources,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        _ => {
            let width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &rules.rules {
                writeln!(
                    out,
                    "{:<width$}  {:<7}  {}",
                    r.id,
                    r.severity.as_str(),
                    r.summary
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitStatus::Clean)
}

fn cmd_explain(args: ExplainArgs) -> Result<ExitStatus, Failure> {
    let rules = load_rules(&args.rules)?;
    let Some(rule) = rules.rule(&args.rule_id) else {
        eprintln!("error: no rule `{}`; `skew rules` lists them", args.rule_id);
        return Err(Failure::Reported);
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(explain_text(&rules, rule).as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

/// The full text of a rule, as `skew explain` prints it and `docs/rules/<id>.md` holds it.
pub fn explain_text(rules: &RuleSet, rule: &crate::rule::Rule) -> String {
    use std::fmt::Write as _;
    let product = rules
        .product(&rule.product)
        .map(|p| p.name.as_str())
        .unwrap_or(rule.product.as_str());
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", rule.id);
    let _ = writeln!(
        s,
        "**{}** · product: {product} · kind: `{}`\n",
        rule.severity,
        rule.kind.name()
    );
    let _ = writeln!(s, "{}\n", capitalize(&rule.summary));
    let _ = writeln!(s, "## Why\n\n{}\n", rule.why);
    match &rule.kind {
        crate::rule::RuleKind::ClientRequires {
            server_text,
            clients,
            ..
        } => {
            let _ = writeln!(
                s,
                "## Affected\n\n{product} `{server_text}`, with these clients:\n"
            );
            let _ = writeln!(s, "| ecosystem | package | works with | source |");
            let _ = writeln!(s, "|---|---|---|---|");
            for c in clients {
                let works = if c.requires.is_empty() {
                    "no release".to_string()
                } else {
                    format!("`{}`", c.requires_text)
                };
                let _ = writeln!(
                    s,
                    "| {} | `{}` | {works} | {} |",
                    c.ecosystem, c.name, c.source
                );
            }
            let _ = writeln!(s);
        }
    }
    if let Some(fix) = &rule.fix {
        let _ = writeln!(s, "## Fix\n\n{fix}\n");
    }
    let _ = writeln!(s, "## Sources\n");
    for src in &rule.sources {
        let _ = writeln!(s, "- {src}");
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

/// Severity filter helper for callers (e.g. `--fail-on`).
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}
