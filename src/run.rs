//! The commands: wire scan -> check -> graph -> report, map outcomes to exit codes.
//!
//! Owns I/O at the edges (stdout/stderr, broken pipes) and the exit-code contract.
//! Must not: contain extraction, rule or rendering logic of its own.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::check::{self, Assumption, CheckOptions, Context, Scenario};
use crate::cli::{
    BaselineCommand, CheckArgs, Cli, ColorArg, Command, CompletionsArgs, ExplainArgs, FormatArg,
    GraphArgs, GraphFormat, RuleSource, RulesArgs, ScanArgs, ScenarioArgs, WhatIfArgs,
};
use crate::config::Config;
use crate::diagnostic::{Finding, Label};
use crate::graph::Graph;
use crate::rehearse::{self, baseline::Baseline};
use crate::report::{self, Format, HumanOptions, Report, RuleMeta, WhatIf};
use crate::rule::{RuleKind, RuleOrigin, RuleSet, SettingMatch};
use crate::scan::{self, Inventory, ScanOptions};
use crate::source::Sources;
use std::ops::Not as _;

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

/// Evaluate `rules` over `inv` as it stands (no environments, no substitutions).
pub fn check_inventory(inv: &mut Inventory, rules: &RuleSet) -> Checked {
    check_inventory_with(inv, rules, CheckOptions::default())
}

/// [`check_inventory`] with explicit options (`--today`, `--assume`).
pub fn check_inventory_with(
    inv: &mut Inventory,
    rules: &RuleSet,
    options: CheckOptions,
) -> Checked {
    check_with(inv, rules, &Scenario::default(), None, options)
}

/// Evaluate `rules` over `inv` in a scenario: rule findings, built-in checks (floating
/// server tags; environment parity when a config is given) and file problems, sorted.
/// User rule files are added to the inventory's sources (once, by path) so findings of
/// user rules can show the rule line.
pub fn check_with(
    inv: &mut Inventory,
    rules: &RuleSet,
    scenario: &Scenario,
    config: Option<&Config>,
    options: CheckOptions,
) -> Checked {
    let files_scanned = inv.files_scanned;
    for (path, text) in &rules.user_files {
        if inv.sources.by_path(path).is_none() {
            inv.sources.add(path.clone(), text.clone());
        }
    }
    let (evaluations, mut lints) = {
        let cx = Context::build(&inv.components, rules, &inv.sources, scenario, options);
        (check::evaluate(&cx), check::lint(&cx))
    };
    let graph = Graph::build(&inv.components, evaluations);
    let mut findings = graph.findings();
    for f in &mut findings {
        let Some(rule) = rules.rule(&f.rule_id) else {
            continue;
        };
        if let RuleOrigin::User { path, start, end } = &rule.origin
            && let Some(file) = inv.sources.by_path(path)
        {
            f.related
                .push(Label::new(file.span(*start, *end), "rule defined here"));
        }
    }
    findings.append(&mut lints);
    if let Some(config) = config {
        findings.extend(rehearse::parity::check(inv, rules, config, scenario));
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
        Command::WhatIf(args) => cmd_what_if(args),
        Command::Baseline(cmd) => cmd_baseline(cmd),
        Command::Scan(args) => cmd_scan(args),
        Command::Rules(args) => cmd_rules(args),
        Command::Explain(args) => cmd_explain(args),
        Command::Graph(args) => cmd_graph(args),
        Command::Completions(args) => cmd_completions(args),
        Command::Man => cmd_man(),
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
        load_rule_path(&mut set, p)?;
    }
    Ok(set)
}

fn load_rule_path(set: &mut RuleSet, path: &Path) -> Result<(), Failure> {
    set.load_path(path).map_err(|e| match e {
        crate::rule::LoadError::Invalid(e) => report_error(&*e),
        e => {
            eprintln!("error: {e}");
            Failure::Reported
        }
    })
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

fn scan_root(path: &Path, config: Option<&Config>) -> Result<Inventory, Failure> {
    let mut opts = ScanOptions::default();
    if let Some(limit) = config.and_then(|c| c.max_file_size) {
        opts.max_file_size = limit;
    }
    scan::scan(path, &opts).map_err(|e| {
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
        FormatArg::Cyclonedx => Format::Cyclonedx,
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

/// The repository loaded for a scenario: config, rules, inventory, scenario.
struct Loaded {
    config: Option<Config>,
    rules: RuleSet,
    inv: Inventory,
}

fn load(path: &Path, rules: &RuleSource, scenario: &ScenarioArgs) -> Result<Loaded, Failure> {
    let config = Config::load(path, scenario.config.as_deref()).map_err(|e| report_error(&e))?;
    let mut set = load_rules(rules)?;
    if let Some(c) = &config {
        for p in &c.rules {
            load_rule_path(&mut set, p)?;
        }
    }
    let inv = scan_root(path, config.as_ref())?;
    Ok(Loaded {
        config,
        rules: set,
        inv,
    })
}

fn plan(
    loaded: &Loaded,
    inv: &mut Inventory,
    env: Option<&str>,
    assumptions: &[Assumption],
) -> Result<Scenario, Failure> {
    rehearse::prepare(inv, &loaded.rules, loaded.config.as_ref(), env, assumptions).map_err(|e| {
        eprintln!("error: {e}");
        Failure::Reported
    })
}

fn fails(findings: &[Finding], fail_on: crate::cli::FailOn) -> bool {
    fail_on
        .threshold()
        .is_some_and(|t| findings.iter().any(|f| f.severity >= t))
}

fn cmd_check(args: CheckArgs) -> Result<ExitStatus, Failure> {
    // ask git first: outside a repository `--staged` fails before any work is done
    let staged = if args.staged {
        Some(crate::staged::staged_files(&args.path).map_err(|e| {
            eprintln!("error: {e}");
            Failure::Reported
        })?)
    } else {
        None
    };
    let spinner = crate::progress::Spinner::start(
        crate::progress::Spinner::wanted(
            io::stderr().is_terminal(),
            args.format == FormatArg::Human,
        ),
        "scanning and checking…",
    );
    let loaded = load(&args.path, &args.rules, &args.scenario)?;
    let options = CheckOptions {
        today: args.today.unwrap_or_else(crate::rule::Date::today),
        assume: Vec::new(),
    };
    let mut inv = loaded.inv.clone();
    let env = args.scenario.env.as_deref();
    let scenario = plan(&loaded, &mut inv, env, &args.assume)?;
    let mut checked = check_with(
        &mut inv,
        &loaded.rules,
        &scenario,
        loaded.config.as_ref(),
        options.clone(),
    );
    if let Some(rev) = &args.since {
        let mut old = rehearse::since::scan_revision(&args.path, rev, &ScanOptions::default())
            .map_err(|e| {
                eprintln!("error: {e}");
                Failure::Reported
            })?;
        let old_scenario = plan(&loaded, &mut old, env, &args.assume)?;
        let old_checked = check_with(
            &mut old,
            &loaded.rules,
            &old_scenario,
            loaded.config.as_ref(),
            options.clone(),
        );
        Baseline::from_findings(&old_checked.findings, &old.sources)
            .hide(&mut checked.findings, &inv.sources);
    }
    if let Some(file) = &args.baseline {
        let baseline = Baseline::read(file).map_err(|e| {
            eprintln!("error: {e}");
            Failure::Reported
        })?;
        baseline.hide(&mut checked.findings, &inv.sources);
    }
    drop(spinner);
    if let Some(staged) = &staged {
        crate::staged::retain_touching(&mut checked.findings, &inv.sources, staged);
    }
    let meta = rule_meta(&loaded.rules);
    let report = Report {
        root: args.path.clone(),
        sources: &inv.sources,
        findings: &checked.findings,
        components: &inv.components,
        files_scanned: checked.files_scanned,
        rules: &meta,
    };
    let opts = human_options(args.output.color, args.output.quiet);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    report::render(format_of(args.format), &report, &opts, &mut out)?;
    out.flush()?;
    Ok(if fails(&checked.findings, args.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

fn cmd_what_if(args: WhatIfArgs) -> Result<ExitStatus, Failure> {
    let loaded = load(&args.path, &args.rules, &args.scenario)?;
    let options = CheckOptions::default();
    let env = args.scenario.env.as_deref();
    let mut before_inv = loaded.inv.clone();
    let before_scenario = plan(&loaded, &mut before_inv, env, &[])?;
    let before = check_with(
        &mut before_inv,
        &loaded.rules,
        &before_scenario,
        loaded.config.as_ref(),
        options.clone(),
    );
    let mut inv = loaded.inv.clone();
    let scenario = plan(&loaded, &mut inv, env, &args.upgrade)?;
    let after = check_with(
        &mut inv,
        &loaded.rules,
        &scenario,
        loaded.config.as_ref(),
        options.clone(),
    );
    let mut diff = rehearse::whatif::diff(&before.findings, &after.findings);
    rehearse::whatif::refine_fixes(&mut diff.introduced, &inv, &loaded.rules, &after.graph);
    let threshold = args.fail_on.threshold();
    let verdict =
        rehearse::whatif::verdict(&args.upgrade, &before_inv, &loaded.rules, &diff, threshold);
    let meta = rule_meta(&loaded.rules);
    let report = Report {
        root: args.path.clone(),
        sources: &inv.sources,
        findings: &after.findings,
        components: &inv.components,
        files_scanned: after.files_scanned,
        rules: &meta,
    };
    let what_if = WhatIf {
        verdict: &verdict,
        introduced: &diff.introduced,
        resolved: &diff.resolved,
    };
    let opts = human_options(args.output.color, args.output.quiet);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    report::render_what_if(format_of(args.format), &report, &what_if, &opts, &mut out)?;
    out.flush()?;
    Ok(if fails(&diff.introduced, args.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

fn cmd_baseline(cmd: BaselineCommand) -> Result<ExitStatus, Failure> {
    let BaselineCommand::Write(args) = cmd;
    let loaded = load(&args.path, &args.rules, &args.scenario)?;
    let options = CheckOptions::default();
    let mut inv = loaded.inv.clone();
    let scenario = plan(&loaded, &mut inv, args.scenario.env.as_deref(), &[])?;
    let checked = check_with(
        &mut inv,
        &loaded.rules,
        &scenario,
        loaded.config.as_ref(),
        options.clone(),
    );
    let baseline = Baseline::from_findings(&checked.findings, &inv.sources);
    baseline.write(&args.file).map_err(|e| {
        eprintln!("error: {e}");
        Failure::Reported
    })?;
    eprintln!(
        "wrote {} finding{} to `{}`",
        baseline.findings.len(),
        if baseline.findings.len() == 1 {
            ""
        } else {
            "s"
        },
        args.file.display()
    );
    Ok(ExitStatus::Clean)
}

fn cmd_scan(args: ScanArgs) -> Result<ExitStatus, Failure> {
    let spinner = crate::progress::Spinner::start(
        crate::progress::Spinner::wanted(
            io::stderr().is_terminal(),
            args.format == FormatArg::Human,
        ),
        "scanning…",
    );
    let mut inv = scan_root(&args.path, None)?;
    drop(spinner);
    let files_scanned = inv.files_scanned;
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

fn cmd_graph(args: GraphArgs) -> Result<ExitStatus, Failure> {
    let loaded = load(&args.path, &args.rules, &args.scenario)?;
    let mut inv = loaded.inv.clone();
    let env = args.scenario.env.as_deref();
    let scenario = plan(&loaded, &mut inv, env, &[])?;
    let checked = check_with(
        &mut inv,
        &loaded.rules,
        &scenario,
        loaded.config.as_ref(),
        CheckOptions::default(),
    );
    let deployment = crate::render_graph::Deployment::new(loaded.config.as_ref(), &scenario, env);
    let view = crate::render_graph::view(
        &inv.components,
        &inv.sources,
        &checked.graph,
        &loaded.rules,
        &deployment,
    );
    let text = match args.format {
        GraphFormat::Dot => crate::render_graph::dot(&view),
        GraphFormat::Mermaid => crate::render_graph::mermaid(&view),
        GraphFormat::Json => crate::render_graph::json(&view),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

fn cmd_completions(args: CompletionsArgs) -> Result<ExitStatus, Failure> {
    let mut buf = Vec::new();
    crate::shell::completions(args.shell, &mut buf);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

fn cmd_man() -> Result<ExitStatus, Failure> {
    let page = crate::shell::man_page()?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(&page)?;
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
        RuleKind::ClientRequires {
            server_text,
            clients,
            ..
        } => {
            let _ = writeln!(
                s,
                "## Affected\n\n{product} `{server_text}`, with these clients:\n"
            );
            let _ = writeln!(s, "| ecosystem | package | works with | note | source |");
            let _ = writeln!(s, "|---|---|---|---|---|");
            for c in clients {
                let works = if c.requires.is_empty() {
                    "no release".to_string()
                } else {
                    format!("`{}`", cell(&c.requires_text))
                };
                let note = c.fix.as_deref().map(cell).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "| {} | `{}` | {works} | {note} | {} |",
                    c.ecosystem, c.name, c.source
                );
            }
            let _ = writeln!(s);
        }
        RuleKind::SameMajor { clients } => {
            let _ = writeln!(
                s,
                "## Affected\n\nThese clients must have the same major version as {product}:\n"
            );
            client_table(&mut s, clients);
        }
        RuleKind::Skew { max_skew, clients } => {
            let _ = writeln!(
                s,
                "## Affected\n\nThese clients must be within {max_skew} minor version{} of {product}:\n",
                if *max_skew == 1 { "" } else { "s" }
            );
            client_table(&mut s, clients);
        }
        RuleKind::RemovedApi { apis } => {
            let _ = writeln!(s, "## Removed APIs\n");
            let _ = writeln!(
                s,
                "| apiVersion | kind | removed in | use instead | source |"
            );
            let _ = writeln!(s, "|---|---|---|---|---|");
            for a in apis {
                let _ = writeln!(
                    s,
                    "| `{}` | {} | {product} {} | {} | {} |",
                    a.api_version,
                    a.kind,
                    a.removed_text,
                    a.replacement
                        .as_deref()
                        .map_or("(nothing)".to_string(), |r| format!("`{r}`")),
                    a.source
                );
            }
            let _ = writeln!(s);
        }
        RuleKind::RuntimeRange {
            packages,
            declared_in,
        } => {
            let _ = writeln!(s, "## Affected\n");
            if !packages.is_empty() {
                let _ = writeln!(
                    s,
                    "| ecosystem | package | versions | need {product} | source |"
                );
                let _ = writeln!(s, "|---|---|---|---|---|");
                for p in packages {
                    let _ = writeln!(
                        s,
                        "| {} | `{}` | `{}` | `{}` | {} |",
                        p.ecosystem, p.name, p.versions_text, p.runtime_text, p.source
                    );
                }
                let _ = writeln!(s);
            }
            if !declared_in.is_empty() {
                let names: Vec<_> = declared_in.iter().map(|e| format!("`{e}`")).collect();
                let _ = writeln!(
                    s,
                    "{product} ranges that packages declare in {} are checked against the {product} \
                     the repository runs (version files, CI, base images) in the package's folder or above.\n",
                    names.join(", ")
                );
            }
        }
        RuleKind::Eol { releases } => {
            let _ = writeln!(s, "## End-of-life dates\n");
            let _ = writeln!(s, "| release line | end of life | source |");
            let _ = writeln!(s, "|---|---|---|");
            for r in releases {
                let _ = writeln!(s, "| {product} {} | {} | {} |", r.line, r.eol, r.source);
            }
            let _ = writeln!(s);
        }
    }
    if rule.conditions.is_empty().not() {
        let _ = writeln!(
            s,
            "## Applies when\n\nOne of these is configured somewhere in the repository:\n"
        );
        for c in &rule.conditions {
            let _ = writeln!(s, "- {}", describe_setting(c));
        }
        let _ = writeln!(s);
    }
    if !rule.mitigations.is_empty() {
        let _ = writeln!(
            s,
            "## Mitigations\n\nWith these server settings the finding is reported as `info`:\n"
        );
        for m in &rule.mitigations {
            let settings: Vec<_> = m.settings.iter().map(describe_setting).collect();
            let until = m
                .until_text
                .as_ref()
                .map(|u| format!("; stops working in {product} {u}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "- {}: {}{until} ({})",
                settings.join(" and "),
                m.note,
                m.source
            );
        }
        let _ = writeln!(s);
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

fn client_table(s: &mut String, clients: &[crate::rule::ClientRef]) {
    use std::fmt::Write as _;
    let _ = writeln!(s, "| ecosystem | package | source |");
    let _ = writeln!(s, "|---|---|---|");
    for c in clients {
        let _ = writeln!(s, "| {} | `{}` | {} |", c.ecosystem, c.name, c.source);
    }
    let _ = writeln!(s);
}

fn describe_setting(m: &SettingMatch) -> String {
    let value = |v: &Option<String>, ignore: &[String]| match v {
        Some(v) => format!(" = `{v}`"),
        None if ignore.is_empty() => String::new(),
        None => format!(
            " (any value but {})",
            ignore
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    match m {
        SettingMatch::Env {
            name,
            value: v,
            ignore,
        } => format!("environment `{name}`{}", value(v, ignore)),
        SettingMatch::Arg {
            name,
            value: v,
            ignore,
        } => format!("argument `{name}`{}", value(v, ignore)),
        SettingMatch::UrlUser { schemes, ignore } => format!(
            "a URL with a user name ({}){}",
            schemes
                .iter()
                .map(|s| format!("`{s}://user@…`"))
                .collect::<Vec<_>>()
                .join(", "),
            value(&None, ignore)
        ),
    }
}

/// A Markdown table cell: `|` would end the cell, even inside backticks (`a || b`).
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}
