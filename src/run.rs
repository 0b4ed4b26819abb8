//! The commands: thin handlers that call the [`crate::pipeline`], hand its results to a
//! reporter, and map outcomes to exit codes.
//!
//! Owns I/O at the edges (buffered stdout, stderr, broken pipes), the one place errors
//! are printed ([`print_error`]) and the exit-code contract. Must not: contain
//! extraction, rule, planning or rendering logic of its own.

use std::io::{self, BufWriter, IsTerminal, Write};

use crate::check::{CheckOptions, Outcome};
use crate::cli::{
    BaselineCommand, CheckArgs, Cli, ColorArg, Command, CompletionsArgs, ExitStatus, ExplainArgs,
    GraphArgs, GraphFormat, GraphOnly, OutputArgs, RuleSource, RulesArgs, ScanArgs, ScenarioArgs,
    WhatIfArgs,
};
use crate::diagnostic::{Code, Finding, nearest_id};
use crate::pipeline::{self, Error, Loaded};
use crate::rehearse::{self, baseline::Baseline};
use crate::report::{self, Format, HumanOptions, Report, WhatIf};
use crate::root::{Base, Scope};
use crate::rule::RuleSet;
use crate::scan::{self, ScanOptions};
use crate::source::SourceView;

/// Run a parsed command line. Once per process: `check` leaves its inventory to the OS
/// (see `exiting`).
pub fn run(cli: Cli) -> ExitStatus {
    crate::timing::start();
    let result = match cli.command {
        Command::Check(args) => cmd_check(args),
        Command::WhatIf(args) => cmd_what_if(args),
        Command::Baseline(cmd) => cmd_baseline(cmd),
        Command::Scan(args) => cmd_scan(args),
        Command::Rules(args) => cmd_rules(args),
        Command::Explain(args) => cmd_explain(args),
        Command::Graph(args) => cmd_graph(args),
        Command::Completions(args) => cmd_completions(args),
        Command::Init(args) => crate::init::run(args),
        Command::Man(args) => cmd_man(args),
        Command::Lsp(args) => load_rules(&args.rules).and_then(|r| Ok(crate::lsp::serve(r)?)),
    };
    crate::timing::stage("exit");
    match result {
        Ok(status) => status,
        Err(e) if e.is_broken_pipe() => ExitStatus::Clean,
        Err(e) => {
            print_error(&e);
            ExitStatus::Error
        }
    }
}

/// The one place an error reaches the user: diagnostics about skew's own inputs (rule
/// files, `skew.toml`) with their source lines, everything else as one `error:` line.
fn print_error(e: &Error) {
    let Some(diagnostic) = e.diagnostic() else {
        eprintln!("error: {e}");
        return;
    };
    let handler = if ColorArg::Auto.enabled(io::stderr().is_terminal()) {
        miette::GraphicalReportHandler::new()
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
    };
    let mut s = String::new();
    let _ = handler.render_report(&mut s, diagnostic);
    eprintln!("{s}");
}

/// Write a command's output through one buffer on the locked stdout, flushed at the end
/// (a reporter's many small writes become few `write(2)` calls). A closed pipe
/// (`skew check | head -1`) ends the output quietly and is not an error: the command still
/// returns its own exit status, so `set -o pipefail` sees the verdict.
fn with_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let mut out = BufWriter::new(io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// [`with_stdout`], or the file `--output-file` names (created or truncated; skew writes
/// nothing else anywhere).
fn with_output(
    output: &OutputArgs,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let Some(path) = &output.output_file else {
        return with_stdout(write);
    };
    let fail = |e| Error::Output(path.clone(), e);
    let mut out = BufWriter::new(std::fs::File::create(path).map_err(fail)?);
    write(&mut out).and_then(|()| out.flush()).map_err(fail)
}

fn load_rules(src: &RuleSource) -> Result<RuleSet, Error> {
    pipeline::load_rules(&src.rules, src.no_default_rules)
}

fn load(
    scope: &Scope,
    rules: &RuleSource,
    scenario: &ScenarioArgs,
    exclude: &[String],
) -> Result<Loaded, Error> {
    pipeline::load_with(
        &scope.root,
        scenario.config.as_deref(),
        load_rules(rules)?,
        exclude,
        |root, opts| Ok(scan::scan(root, &opts.keeping(scope.within.as_deref()))?),
    )
}

/// The project root of `path` (or `--root`): see [`crate::root`].
fn scope(path: &std::path::Path, forced: Option<&std::path::Path>) -> Result<Scope, Error> {
    Ok(Scope::discover(path, forced)?)
}

/// The report's sources with paths for `format`'s readers: people read them relative to
/// the current directory, CI relative to the repository, JSON relative to the root.
fn presented<'a>(
    scope: &Scope,
    format: Format,
    sources: SourceView<'a>,
    files_scanned: usize,
    config_found: bool,
) -> SourceView<'a> {
    let base = match format {
        Format::Human | Format::Short => Base::Cwd,
        Format::Github | Format::Gitlab | Format::Sarif | Format::Checkstyle => Base::Repo,
        Format::Json | Format::Cyclonedx => Base::Root,
    };
    scope.present(base, sources, files_scanned, |p| {
        config_found && p == crate::config::FILE_NAME
    })
}

fn human_options(output: &OutputArgs) -> HumanOptions {
    // a report written to a file is never coloured under `auto`
    let terminal = output.output_file.is_none() && io::stdout().is_terminal();
    let (color, quiet) = (output.color, output.quiet);
    HumanOptions {
        compact_json: !terminal,
        color: color.enabled(terminal),
        width: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100),
        quiet,
    }
}

fn fails(findings: &[Finding], fail_on: crate::cli::FailOn) -> bool {
    fail_on
        .threshold()
        .is_some_and(|t| findings.iter().any(|f| f.severity >= t))
}

fn cmd_check(args: CheckArgs) -> Result<ExitStatus, Error> {
    let scope = scope(&args.path, args.scenario.root.as_deref())?;
    let spinner = crate::progress::Spinner::start(
        crate::progress::Spinner::wanted(io::stderr().is_terminal(), args.format == Format::Human),
        "scanning and checking…",
    );
    // `--staged` reads the project from git's index (outside a repository: exit 2)
    let mut staged = None;
    let Loaded { config, rules, inv } = if args.staged {
        // the staged `skew.toml` too: the commit carries that one
        let (names, loaded) = crate::staged::load(
            &scope.root,
            args.scenario.config.as_deref(),
            load_rules(&args.rules)?,
            &args.filter.exclude,
            scope.within.as_deref(),
        )?;
        staged = Some(names);
        loaded
    } else {
        load(&scope, &args.rules, &args.scenario, &args.filter.exclude)?
    };
    let options = CheckOptions {
        today: args.today.unwrap_or_else(crate::rule::Date::today),
        selection: args.filter.selection(),
    };
    let env = args.scenario.env.as_deref();
    let rehearse = |inv: &scan::Inventory| {
        pipeline::rehearse(
            inv,
            &rules,
            config.as_ref(),
            env,
            &args.assume,
            options.clone(),
        )
    };
    let mut now = rehearse(&inv)?;
    if let Some(rev) = &args.since {
        let scan_options = ScanOptions {
            exclude: crate::suppress::exclude_set(config.as_ref(), &args.filter.exclude),
            keep: scope.within.clone(),
            ..ScanOptions::default()
        };
        let old_inv = rehearse::since::scan_revision(&scope.root, rev, &scan_options)
            .map_err(Error::Since)?;
        let old = rehearse(&old_inv)?;
        now.checked.hidden.since =
            Baseline::from_findings(&old.checked.findings, &old.sources(&old_inv))
                .hide(&mut now.checked.findings, &now.scenario.sources(&inv));
    }
    if let Some(file) = &args.baseline {
        let baseline = Baseline::read(file).map_err(Error::Baseline)?;
        now.checked.hidden.baseline =
            baseline.hide(&mut now.checked.findings, &now.scenario.sources(&inv));
    }
    drop(spinner);
    if let Some(staged) = &staged {
        crate::staged::retain_touching(
            &mut now.checked.findings,
            &now.scenario.sources(&inv),
            staged,
        );
    }
    scope.retain(
        &mut now.checked.findings,
        &now.scenario.sources(&inv),
        |f| f.primary.span.file,
    );
    let sources = presented(
        &scope,
        args.format,
        now.scenario.sources(&inv),
        inv.files_scanned,
        args.scenario.config.is_none(),
    );
    let meta = report::RuleMeta::of_rules(&rules);
    let components = now.scenario.components(&inv);
    let report = Report {
        root: scope.root.clone(),
        sources: &sources,
        findings: &now.checked.findings,
        components: &components,
        projects: &inv.projects,
        files_scanned: now.checked.files_scanned,
        rules: &meta,
        hidden: now.checked.hidden,
    };
    let opts = human_options(&args.output);
    crate::timing::stage("present");
    with_output(&args.output, |out| {
        report::render(args.format, &report, &opts, out)
    })?;
    crate::timing::stage("render");
    let status = if fails(&now.checked.findings, args.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    };
    exiting(components);
    exiting(sources);
    exiting(now);
    exiting(inv);
    Ok(status)
}

/// The process exits once the command returns: what `value` holds (a whole inventory,
/// every file's text) is left to the OS instead of freed allocation by allocation, which
/// took a tenth of a big check.
fn exiting<T>(value: T) {
    std::mem::forget(value);
}

fn cmd_what_if(args: WhatIfArgs) -> Result<ExitStatus, Error> {
    let scope = scope(&args.path, args.scenario.root.as_deref())?;
    let Loaded { config, rules, inv } =
        load(&scope, &args.rules, &args.scenario, &args.filter.exclude)?;
    let env = args.scenario.env.as_deref();
    let options = CheckOptions {
        selection: args.filter.selection(),
        ..CheckOptions::default()
    };
    // one inventory, two scenarios over it: as it stands, and upgraded
    let before = pipeline::rehearse(&inv, &rules, config.as_ref(), env, &[], options.clone())?;
    let mut after = pipeline::rehearse(&inv, &rules, config.as_ref(), env, &args.upgrade, options)?;
    let mut diff = rehearse::whatif::diff(&before.checked.findings, &after.checked.findings);
    let components = after.scenario.components(&inv);
    rehearse::whatif::refine_fixes(
        &mut diff.introduced,
        &components,
        &rules,
        &after.checked.graph,
    );
    let threshold = args.fail_on.threshold();
    let file = |f: &Finding| f.primary.span.file;
    let view = after.scenario.sources(&inv);
    scope.retain(&mut diff.introduced, &view, file);
    scope.retain(&mut diff.resolved, &view, file);
    scope.retain(&mut after.checked.findings, &view, file);
    let verdict = rehearse::whatif::verdict(
        &args.upgrade,
        &before.scenario.components(&inv),
        &rules,
        &diff,
        threshold,
    );
    let sources = presented(
        &scope,
        args.format,
        view,
        inv.files_scanned,
        args.scenario.config.is_none(),
    );
    let meta = report::RuleMeta::of_rules(&rules);
    let report = Report {
        root: scope.root.clone(),
        sources: &sources,
        findings: &after.checked.findings,
        components: &components,
        projects: &inv.projects,
        files_scanned: after.checked.files_scanned,
        rules: &meta,
        hidden: after.checked.hidden,
    };
    let what_if = WhatIf {
        verdict: &verdict,
        introduced: &diff.introduced,
        resolved: &diff.resolved,
    };
    let opts = human_options(&args.output);
    with_output(&args.output, |out| {
        report::render_what_if(args.format, &report, &what_if, &opts, out)
    })?;
    Ok(if fails(&diff.introduced, args.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

fn cmd_baseline(cmd: BaselineCommand) -> Result<ExitStatus, Error> {
    let BaselineCommand::Write(args) = cmd;
    let scope = scope(&args.path, args.scenario.root.as_deref())?;
    let Loaded { config, rules, inv } =
        load(&scope, &args.rules, &args.scenario, &args.filter.exclude)?;
    let options = CheckOptions {
        selection: args.filter.selection(),
        ..CheckOptions::default()
    };
    let mut now = pipeline::rehearse(
        &inv,
        &rules,
        config.as_ref(),
        args.scenario.env.as_deref(),
        &[],
        options,
    )?;
    let sources = now.scenario.sources(&inv);
    scope.retain(&mut now.checked.findings, &sources, |f| f.primary.span.file);
    let baseline = Baseline::from_findings(&now.checked.findings, &sources);
    baseline.write(&args.file).map_err(Error::Baseline)?;
    let n = baseline.findings.len();
    eprintln!(
        "wrote {n} finding{} to `{}`",
        if n == 1 { "" } else { "s" },
        args.file.display()
    );
    Ok(ExitStatus::Clean)
}

fn cmd_scan(args: ScanArgs) -> Result<ExitStatus, Error> {
    let spinner = crate::progress::Spinner::start(
        crate::progress::Spinner::wanted(io::stderr().is_terminal(), args.format == Format::Human),
        "scanning…",
    );
    let scope = scope(&args.path, args.root.as_deref())?;
    let inv = scan::scan(&scope.root, &ScanOptions::default())?;
    drop(spinner);
    let files_scanned = inv.files_scanned;
    let view = inv.sources.view();
    // the inventory stays as scanned: the command shows the part under PATH
    let within = |file| scope.contains(view.path(file));
    let mut problems: Vec<Finding> = inv
        .problems
        .iter()
        .filter(|f| within(f.primary.span.file))
        .cloned()
        .collect();
    pipeline::sort_findings(&mut problems, &view);
    let components: Vec<_> = inv
        .components
        .iter()
        .filter(|c| within(c.span.file))
        .collect();
    let projects: Vec<_> = inv
        .projects
        .iter()
        .filter(|p| within(p.span.file))
        .cloned()
        .collect();
    let sources = presented(
        &scope,
        args.format,
        inv.sources.view(),
        files_scanned,
        false,
    );
    let report = Report {
        root: scope.root.clone(),
        sources: &sources,
        findings: &problems,
        components: &components,
        projects: &projects,
        files_scanned,
        rules: &[],
        hidden: Default::default(),
    };
    let opts = human_options(&args.output);
    with_output(&args.output, |out| {
        report::render_inventory(args.format, &report, &opts, out)
    })?;
    Ok(ExitStatus::Clean)
}

fn cmd_graph(args: GraphArgs) -> Result<ExitStatus, Error> {
    let scope = scope(&args.path, args.scenario.root.as_deref())?;
    let Loaded { config, rules, inv } = load(&scope, &args.rules, &args.scenario, &[])?;
    let env = args.scenario.env.as_deref();
    let now = pipeline::rehearse(
        &inv,
        &rules,
        config.as_ref(),
        env,
        &[],
        CheckOptions {
            today: args.today.unwrap_or_else(crate::rule::Date::today),
            ..CheckOptions::default()
        },
    )?;
    let deployment = crate::render_graph::Deployment::new(config.as_ref(), &now.scenario, env);
    let (components, sources) = (now.scenario.components(&inv), now.scenario.sources(&inv));
    let view = crate::render_graph::view(
        &components,
        &sources,
        &now.checked.graph,
        &rules,
        &deployment,
    )
    .with_units(
        &crate::plan::topology::Topology::build(&components, &sources, &inv.units),
        &components,
    );
    // under root discovery PATH is part of the root: draw that part
    let view = match scope.within {
        Some(_) => view.within(|n| scope.contains(sources.path(n.component.span.file))),
        None => view,
    };
    let view = match args.only {
        GraphOnly::All => view,
        GraphOnly::May => view.only(|o| o != Outcome::Ok),
        GraphOnly::Breaks => view.only(|o| o == Outcome::Breaks),
    };
    let text = match args.format {
        GraphFormat::Dot => crate::render_graph::dot(&view),
        GraphFormat::Mermaid => crate::render_graph::mermaid(&view),
        GraphFormat::Json => crate::render_graph::json(&view),
    };
    with_stdout(|out| out.write_all(text.as_bytes()))?;
    Ok(ExitStatus::Clean)
}

fn cmd_completions(args: CompletionsArgs) -> Result<ExitStatus, Error> {
    let mut buf = Vec::new();
    crate::shell::completions(args.shell, &mut buf);
    with_stdout(|out| out.write_all(&buf))?;
    Ok(ExitStatus::Clean)
}

fn cmd_man(args: crate::cli::ManArgs) -> Result<ExitStatus, Error> {
    let page = match &args.subcommand {
        None => crate::shell::man_page()?,
        Some(name) => {
            let pages = crate::shell::man_pages()?;
            let file = format!("skew-{name}.1");
            match pages.into_iter().find(|(f, _)| *f == file) {
                Some((_, page)) => page,
                None => {
                    let known = crate::shell::subcommands()?;
                    let hint = nearest_id(name, known.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    let message =
                        format!("no subcommand `{name}`; {hint}pages: {}", known.join(", "));
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, message).into());
                }
            }
        }
    };
    with_stdout(|out| out.write_all(&page))?;
    Ok(ExitStatus::Clean)
}

fn cmd_rules(args: RulesArgs) -> Result<ExitStatus, Error> {
    let rules = load_rules(&args.rules)?;
    with_stdout(|out| match args.format {
        Format::Json => {
            let mut list: Vec<_> = rules
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
            list.extend(Code::ALL.iter().map(|c| {
                serde_json::json!({
                    "id": c.as_str(),
                    "product": null,
                    "kind": "built-in",
                    "severity": c.severity(),
                    "summary": c.summary(),
                    "sources": [],
                })
            }));
            serde_json::to_writer_pretty(&mut *out, &list).map_err(io::Error::from)?;
            writeln!(out)
        }
        _ => {
            let rows = rules
                .rules
                .iter()
                .map(|r| (r.id.as_str(), r.severity, r.summary.as_str()))
                .chain(
                    Code::ALL
                        .iter()
                        .map(|c| (c.as_str(), c.severity(), c.summary())),
                );
            let width = rows.clone().map(|(id, ..)| id.len()).max().unwrap_or(0);
            for (id, severity, summary) in rows {
                writeln!(out, "{id:<width$}  {:<7}  {summary}", severity.as_str())?;
            }
            Ok(())
        }
    })?;
    Ok(ExitStatus::Clean)
}

fn cmd_explain(args: ExplainArgs) -> Result<ExitStatus, Error> {
    let rules = load_rules(&args.rules)?;
    let text = match (rules.rule(&args.rule_id), Code::from_name(&args.rule_id)) {
        (Some(rule), _) => crate::docs::explain_text(&rules, rule),
        (None, Some(code)) => crate::docs::explain_code(code),
        (None, None) => {
            let known = rules
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .chain(Code::ALL.iter().map(|c| c.as_str()));
            let nearest = nearest_id(&args.rule_id, known);
            return Err(Error::UnknownRule(args.rule_id, nearest));
        }
    };
    with_stdout(|out| out.write_all(text.as_bytes()))?;
    Ok(ExitStatus::Clean)
}
