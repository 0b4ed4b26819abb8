//! The pipeline every front end calls (CLI commands, `skew lsp`, tests, benches):
//! rules + config -> scan -> plan -> evaluate -> findings.
//!
//! Owns the order of the steps and the typed [`Error`] that stops them (exit code 2).
//! Must not: print, render, read stdin or decide exit codes; front ends do that with
//! what it returns.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::check::{self, Assumption, CheckOptions, Context, Scenario};
use crate::component::Component;
use crate::config::{Config, ConfigError};
use crate::diagnostic::{Finding, Label};
use crate::graph::Graph;
use crate::rehearse::{self, PlanError};
use crate::rule::{LoadError, RuleFileError, RuleOrigin, RuleSet};
use crate::scan::{self, Inventory, ScanError, ScanOptions};
use crate::source::SourceView;
use crate::staged::StagedError;

/// Why the pipeline could not do its job. Front ends print it once (the CLI in
/// `run.rs`, the LSP as a message to the editor) and exit 2.
#[derive(Debug)]
pub enum Error {
    /// `skew.toml` is invalid (rendered with its spans).
    Config(ConfigError),
    /// A rule file is invalid (rendered with its spans).
    RuleFile(Box<RuleFileError>),
    /// A rule file or folder cannot be read.
    RulePath(LoadError),
    /// The scan root cannot be read.
    Scan(ScanError),
    /// The scenario cannot be set up (unknown product or environment).
    Plan(PlanError),
    /// `--staged` outside a git repository.
    Staged(StagedError),
    /// `--since REV`: the revision cannot be read.
    Since(String),
    /// A baseline file cannot be read or written.
    Baseline(String),
    /// A rule id `skew explain` does not know.
    UnknownRule(String, Option<String>),
    /// Writing output failed (other than a closed pipe, which front ends treat as done).
    Io(io::Error),
    /// `--output-file FILE` cannot be written.
    Output(std::path::PathBuf, io::Error),
}

impl Error {
    /// The diagnostic with spans into skew's own inputs, when there is one.
    pub fn diagnostic(&self) -> Option<&dyn miette::Diagnostic> {
        match self {
            Error::Config(e) => Some(e),
            Error::RuleFile(e) => Some(&**e),
            _ => None,
        }
    }

    /// Output closed early (`skew check | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(e) => e.fmt(f),
            Error::RuleFile(e) => e.fmt(f),
            Error::RulePath(e) => e.fmt(f),
            Error::Scan(e) => e.fmt(f),
            Error::Plan(e) => e.fmt(f),
            Error::Staged(e) => e.fmt(f),
            Error::Since(e) | Error::Baseline(e) => f.write_str(e),
            Error::UnknownRule(id, None) => write!(f, "no rule `{id}`; `skew rules` lists them"),
            Error::UnknownRule(id, Some(near)) => write!(
                f,
                "no rule `{id}`; did you mean `{near}`? `skew rules` lists them"
            ),
            Error::Io(e) => e.fmt(f),
            Error::Output(path, e) => write!(f, "cannot write `{}`: {e}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<LoadError> for Error {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Invalid(e) => Error::RuleFile(e),
            e => Error::RulePath(e),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<ScanError> for Error {
    fn from(e: ScanError) -> Self {
        Error::Scan(e)
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Self {
        Error::Plan(e)
    }
}

impl From<StagedError> for Error {
    fn from(e: StagedError) -> Self {
        Error::Staged(e)
    }
}

/// Step 1, rules: the shipped rules (unless `no_default_rules`), then each path in order.
pub fn load_rules(paths: &[PathBuf], no_default_rules: bool) -> Result<RuleSet, Error> {
    let mut set = if no_default_rules {
        RuleSet::default()
    } else {
        RuleSet::builtin().map_err(|e| Error::RuleFile(Box::new(e)))?
    };
    for p in paths {
        set.load_path(p)?;
    }
    Ok(set)
}

/// The repository loaded: `skew.toml` (when there is one), the rules it and the command
/// line name, and the scanned inventory.
pub struct Loaded {
    pub config: Option<Config>,
    pub rules: RuleSet,
    pub inv: Inventory,
}

/// Steps 1 and 2: config (`explicit` or the root's `skew.toml`), the rules `rules` plus
/// those the config names, then the scan of `root`.
pub fn load(root: &Path, explicit: Option<&Path>, rules: RuleSet) -> Result<Loaded, Error> {
    load_with(root, explicit, rules, &[], |root, opts| {
        Ok(scan::scan(root, opts)?)
    })
}

/// [`load`], scanning with `scan` (`--staged` reads git's index instead of the tree) and
/// leaving out the files `exclude` (`--exclude` globs) names besides the config's own
/// `exclude`.
pub fn load_with(
    root: &Path,
    explicit: Option<&Path>,
    rules: RuleSet,
    exclude: &[String],
    scan: impl FnOnce(&Path, &ScanOptions) -> Result<Inventory, Error>,
) -> Result<Loaded, Error> {
    load_from(root, Config::load(root, explicit)?, rules, exclude, scan)
}

/// [`load_with`] with the config already read (`--staged` reads `skew.toml` from git's
/// index): its rule files, its scan options and exclusions, then the scan.
pub fn load_from(
    root: &Path,
    config: Option<Config>,
    mut rules: RuleSet,
    exclude: &[String],
    scan: impl FnOnce(&Path, &ScanOptions) -> Result<Inventory, Error>,
) -> Result<Loaded, Error> {
    if let Some(c) = &config {
        for p in &c.rules {
            rules.load_path(p)?;
        }
    }
    let mut opts = ScanOptions::default();
    if let Some(limit) = config.as_ref().and_then(|c| c.max_file_size) {
        opts.max_file_size = limit;
    }
    opts.exclude = crate::suppress::exclude_set(config.as_ref(), exclude);
    crate::timing::stage("config+rules");
    let inv = scan(root, &opts)?;
    Ok(Loaded { config, rules, inv })
}

/// Step 3, plan: declared servers, stand-ins for assumed products, environment
/// membership, and one environment's components when `env` is given: a scenario over
/// `inv`, which stays as the scan left it.
pub fn plan(
    inv: &Inventory,
    rules: &RuleSet,
    config: Option<&Config>,
    env: Option<&str>,
    assumptions: &[Assumption],
) -> Result<Scenario, Error> {
    Ok(rehearse::prepare(inv, rules, config, env, assumptions)?)
}

/// The result of checking an inventory.
pub struct Checked {
    pub graph: Graph,
    /// Rule findings and file problems, sorted by (path, line, column, rule id).
    pub findings: Vec<Finding>,
    /// Files read by the scan (rule files added for labels are not counted).
    pub files_scanned: usize,
    /// What the filter stage hid, by reason (front ends add baseline and `--since`).
    pub hidden: crate::suppress::Hidden,
}

/// A scenario checked: the scenario planned over the inventory (declared and assumed
/// servers, the files it shows besides the scan's) and the findings.
pub struct Rehearsed {
    pub scenario: Scenario,
    pub checked: Checked,
}

impl Rehearsed {
    /// Every file the findings point into: the scan's and the scenario's.
    pub fn sources<'a>(&'a self, inv: &'a Inventory) -> SourceView<'a> {
        self.scenario.sources(inv)
    }

    /// The components checked, declared and assumed servers included.
    pub fn components<'a>(&'a self, inv: &'a Inventory) -> Vec<&'a Component> {
        self.scenario.components(inv)
    }
}

/// Steps 3 to 5: plan `env` and `assumptions` over `inv`, then evaluate.
pub fn rehearse(
    inv: &Inventory,
    rules: &RuleSet,
    config: Option<&Config>,
    env: Option<&str>,
    assumptions: &[Assumption],
    options: CheckOptions,
) -> Result<Rehearsed, Error> {
    let mut scenario = plan(inv, rules, config, env, assumptions)?;
    crate::timing::stage("plan");
    let (today, selection) = (options.today, options.selection.clone());
    let mut checked = check_with(inv, rules, &scenario, options);
    // step 5, filter: ignores, severity overrides, rule selection
    checked.hidden = crate::suppress::apply(
        &mut checked.findings,
        &inv.sources,
        &mut scenario.sources,
        rules,
        config,
        &selection,
        today,
    )?;
    crate::timing::stage("suppress");
    sort_findings(&mut checked.findings, &scenario.sources(inv));
    Ok(Rehearsed { scenario, checked })
}

/// Evaluate `rules` over `inv` as it stands (no environments, no substitutions). The
/// scenario returned holds the user rule files the findings point into
/// ([`Rehearsed::sources`]).
pub fn check_inventory(inv: &Inventory, rules: &RuleSet) -> Rehearsed {
    check_inventory_with(inv, rules, CheckOptions::default())
}

/// [`check_inventory`] with explicit options (`--today`, `--assume`).
pub fn check_inventory_with(inv: &Inventory, rules: &RuleSet, options: CheckOptions) -> Rehearsed {
    let scenario = Scenario::bare(inv, rules);
    let checked = check_with(inv, rules, &scenario, options);
    Rehearsed { scenario, checked }
}

/// Steps 4 and 5: evaluate `rules` over `inv` in a scenario: rule findings, built-in
/// checks (floating server tags, invalid versions, environment parity) and file
/// problems, sorted. Findings of user rules show the rule line from the scenario's
/// copy of the rule file ([`Scenario::bare`]).
pub fn check_with(
    inv: &Inventory,
    rules: &RuleSet,
    scenario: &Scenario,
    options: CheckOptions,
) -> Checked {
    let files_scanned = inv.files_scanned;
    let components = scenario.components(inv);
    let (evaluations, mut lints) = {
        let cx = Context::build(
            components.iter().copied(),
            rules,
            scenario.sources(inv),
            scenario,
            options,
        )
        .with_units(&inv.units);
        crate::timing::stage("context");
        let evaluations = check::evaluate(&cx);
        crate::timing::stage("evaluate");
        let lints = check::lint(&cx);
        crate::timing::stage("lint");
        (evaluations, lints)
    };
    let graph = Graph::build(&components, evaluations);
    let mut findings = crate::plan::families::collapse(graph.findings(), rules);
    let sources = scenario.sources(inv);
    for f in &mut findings {
        let Some(rule) = rules.rule(&f.rule_id) else {
            continue;
        };
        if let RuleOrigin::User { path, start, end } = &rule.origin
            && let Some(file) = sources.by_path(path)
        {
            f.related
                .push(Label::new(file.span(*start, *end), "rule defined here"));
        }
    }
    findings.append(&mut lints);
    findings.extend(inv.problems.iter().cloned());
    sort_findings(&mut findings, &sources);
    crate::timing::stage("findings");
    Checked {
        graph,
        findings,
        files_scanned,
        hidden: Default::default(),
    }
}

/// Sort by (path, line, column, rule id): byte-identical output run to run.
pub fn sort_findings(findings: &mut [Finding], sources: &SourceView<'_>) {
    findings.sort_by(|a, b| {
        let pa = sources.path(a.primary.span.file);
        let pb = sources.path(b.primary.span.file);
        (pa, a.primary.span.start, &a.rule_id, &a.message).cmp(&(
            pb,
            b.primary.span.start,
            &b.rule_id,
            &b.message,
        ))
    });
}
