//! Command-line arguments (clap derive) and their resolution into run options.
//!
//! Raw flags are parsed here and turned into plain option structs; validating what the
//! user typed must not require scanning anything. Exit codes are documented on [`Cli`]
//! and in the README.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::Assumption;
use crate::diagnostic::Severity;
use crate::rehearse::parse_assumption;
use crate::report::Format;
use crate::rule::Date;

const EXIT_CODES: &str = "\
EXIT CODES:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  skew could not do its job (bad arguments, unreadable root, invalid rule file)";

/// Catch version-compatibility mismatches between servers and the software that talks to
/// them, before anything is upgraded.
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

#[derive(Debug, Parser)]
#[command(name = "skew", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a repository, evaluate the rules, report mismatches
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Rehearse an upgrade (or rollback): what would it break, what would it fix?
    #[command(name = "what-if", after_help = EXIT_CODES)]
    WhatIf(WhatIfArgs),
    /// Record today's findings so `check --baseline` reports only new ones
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// List every component found (the inventory), without evaluating rules
    Scan(ScanArgs),
    /// List the rules in force: id, severity, summary
    Rules(RulesArgs),
    /// Show a rule in full: why it exists, how to fix it, its sources
    Explain(ExplainArgs),
    /// Draw the compatibility graph: servers, clients and runtimes, edges by rule outcome
    Graph(GraphArgs),
    /// Print a shell completion script (e.g. `skew completions bash > /etc/bash_completion.d/skew`)
    Completions(CompletionsArgs),
    /// Write a commented `skew.toml` from what the scan finds (never overwrites one)
    Init(InitArgs),
    /// Print the man page (roff) generated from these definitions: skew's, or a
    /// subcommand's (`skew man check`)
    Man(ManArgs),
    /// Run the language server on stdin/stdout, for editors (docs/editors.md)
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct RuleSource {
    /// Extra rule file or folder of `*.toml` rule files (repeatable)
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the rules shipped with skew
    #[arg(long)]
    pub no_default_rules: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repository (or single manifest) to check
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format
    #[arg(long, default_value_t = Format::Human, value_parser = formats(CHECK_FORMATS))]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleSource,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Evaluate as if PRODUCT ran VERSION (repeatable), e.g. `--assume mysql=8.4.0`;
    /// also states a version no manifest declares, e.g. `--assume kubernetes=1.29`
    #[arg(long, value_name = "PRODUCT=VERSION", value_parser = parse_assumption)]
    pub assume: Vec<Assumption>,
    /// Hide the findings recorded in this baseline file (`skew baseline write`)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report only findings that are new since this git revision
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// The date end-of-life rules compare with (default: today, UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, env = "SKEW_TODAY")]
    pub today: Option<Date>,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Judge the commit being made (for pre-commit hooks): the project as git's index holds
    /// it, reporting only findings that touch a staged file (a staged client still meets
    /// the servers of files not staged); new files that are not staged are not seen
    #[arg(long)]
    pub staged: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Where the repository's settings come from and which environment to look at.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Settings file (default: `skew.toml` at the scanned root, if present)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only the components deployed in this environment (see `[environments]` in skew.toml)
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// The project root to evaluate (default: the nearest folder above PATH holding
    /// `skew.toml`, else the git work-tree top, else PATH); only findings under PATH are
    /// reported
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WhatIfArgs {
    /// Repository to rehearse on
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The change to rehearse: PRODUCT=VERSION (repeatable), e.g. `--upgrade mysql=8.4.0`
    #[arg(long, required = true, value_name = "PRODUCT=VERSION", value_parser = parse_assumption)]
    pub upgrade: Vec<Assumption>,
    /// Output format
    #[arg(long, default_value_t = Format::Human, value_parser = formats(WHAT_IF_FORMATS))]
    pub format: Format,
    #[command(flatten)]
    pub rules: RuleSource,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Lowest severity of an introduced finding that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Write the current findings of PATH to FILE
    Write(BaselineWriteArgs),
}

#[derive(Debug, Args)]
pub struct BaselineWriteArgs {
    /// The baseline file to write
    pub file: PathBuf,
    /// Repository to check
    #[arg(default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub rules: RuleSource,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// The formats each command writes (`--format`); any other name is a usage error (exit 2)
/// rather than output in a format nobody asked for.
pub const CHECK_FORMATS: &[Format] = &[
    Format::Human,
    Format::Json,
    Format::Short,
    Format::Github,
    Format::Gitlab,
    Format::Sarif,
    Format::Cyclonedx,
    Format::Checkstyle,
];
pub const WHAT_IF_FORMATS: &[Format] = CHECK_FORMATS;
pub const SCAN_FORMATS: &[Format] = CHECK_FORMATS;
/// `skew rules` lists rules: a table or JSON, nothing that describes findings.
pub const RULES_FORMATS: &[Format] = &[Format::Human, Format::Json];

/// A `--format` parser that accepts only `accepted` (and lists only those in `--help`).
fn formats(accepted: &'static [Format]) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(accepted.iter().filter_map(|f| f.to_possible_value()))
        .map(|name: String| Format::from_str(&name, false).expect("only listed names get here"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Repository (or single manifest) to draw
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Graph format
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Which evaluated edges to draw, with the components they join
    #[arg(long, value_enum, default_value_t = GraphOnly::All)]
    pub only: GraphOnly,
    /// The date end-of-life rules compare with (default: today, UTC)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, env = "SKEW_TODAY")]
    pub today: Option<Date>,
    #[command(flatten)]
    pub rules: RuleSource,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// Which edges `skew graph --only` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphOnly {
    /// Only edges that break (red)
    Breaks,
    /// Edges that may break or break (amber and red)
    May,
    /// Every evaluated edge, green ones included, and every server, runtime and tool
    All,
}

/// Output formats of `skew graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`skew graph | dot -Tsvg > graph.svg`)
    Dot,
    /// A Mermaid `flowchart LR`, for Markdown that GitHub and GitLab render
    Mermaid,
    /// Nodes and edges as JSON, for scripts
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// When to colour human output (`NO_COLOR` is honoured under `auto`)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Print findings only, no summary
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the report to FILE instead of standard output (the exit code is unchanged)
    #[arg(long = "output-file", short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Repository (or single manifest) to scan
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format
    #[arg(long, default_value_t = Format::Human, value_parser = formats(SCAN_FORMATS))]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The project root to scan (default: as for `check`); only components under PATH
    /// are listed
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Repository to describe; `skew.toml` is written at its project root
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The project root to write `skew.toml` in (default: as for `check`)
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`check`, `what-if`, …); none: skew's own page
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleSource,
    /// Output format (`human` or `json`)
    #[arg(long, default_value_t = Format::Human, value_parser = formats(RULES_FORMATS))]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `mysql-caching-sha2-password`
    pub rule_id: String,
    #[command(flatten)]
    pub rules: RuleSource,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    #[command(flatten)]
    pub rules: RuleSource,
    /// Accepted because many editor clients pass it; stdio is the only transport
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run, if any.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl ColorArg {
    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Which rules and files a run reports on (`select`, `ignore-rules` and `exclude` in
/// skew.toml say the same for every run).
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Report only these rule ids or prefixes ending in `-` (repeatable, comma lists);
    /// replaces `select` of skew.toml
    #[arg(long, value_name = "ID_OR_PREFIX", value_delimiter = ',', value_parser = crate::suppress::parse_selector)]
    pub select: Vec<String>,
    /// Do not report these rule ids or prefixes ending in `-` (repeatable, comma lists);
    /// adds to `ignore-rules` of skew.toml
    #[arg(long, value_name = "ID_OR_PREFIX", value_delimiter = ',', value_parser = crate::suppress::parse_selector)]
    pub ignore: Vec<String>,
    /// Neither scan nor report files matching GLOB, relative to the root (repeatable);
    /// adds to `exclude` of skew.toml
    #[arg(long, value_name = "GLOB", value_parser = crate::suppress::parse_exclude)]
    pub exclude: Vec<String>,
}

impl FilterArgs {
    /// The rule selection, for the pipeline's filter stage.
    pub fn selection(&self) -> crate::suppress::Selection {
        crate::suppress::Selection {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
        }
    }
}
