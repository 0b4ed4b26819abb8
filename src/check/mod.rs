//! Rule-kind logic, one file per kind. Given the inventory and the rules, each kind
//! produces [`Evaluation`]s: a verdict for one (client, server, rule) triple, with a
//! finding when it is not `ok`. The graph (`graph.rs`) records every evaluation as an
//! edge; findings are read off the edges.
//!
//! Must not: parse files, render output, or filter by severity (the CLI does that).

mod chart_dependency;
mod eol;
mod floating;
mod invalid_version;
mod parity;
mod removed_api;
mod removed_setting;
mod removed_value;
mod requires;
mod runtime_range;
mod same_major;
mod settings;
mod skew;

use std::collections::{HashMap, HashSet};

use crate::component::{Component, ComponentId, ComponentKind, Ecosystem, UnitFact};
use crate::diagnostic::{Finding, Label, Severity, Subject};
use crate::rule::{Date, Product, Rule, RuleKind, RuleSet};
use crate::scan::Inventory;
use crate::source::{SourceView, Sources};
use crate::version::{
    Scheme, Verdict, VersionError, VersionSet, declares_line, newest_verdict, parse_declared,
    parse_requirement, parse_version, verdict,
};

/// Run-wide inputs that are not in the repository: the date end-of-life rules compare
/// against, and the rule selection. Versions the user states (`--assume`, `what-if`)
/// are a [`Scenario`]'s substitutions, not options.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub today: Date,
    /// `--select` / `--ignore` from the command line, for the filter stage
    /// ([`crate::suppress`]); not used by the checks themselves.
    pub selection: crate::suppress::Selection,
}

/// A product run at a version other than the declared one (`--assume`, `what-if`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// A product id (`mysql`).
    pub product: String,
    pub version: String,
}

/// What is being rehearsed, layered over the inventory (which stays as the scan left
/// it): substituted versions, the servers the scenario adds (declared in `skew.toml`,
/// stand-ins for assumed products) in files of its own, which environments components
/// are deployed in, and which components `--env` leaves out, all by component id.
/// [`Scenario::bare`] is the repository as it stands.
#[derive(Debug, Default)]
pub struct Scenario {
    /// The version each component runs instead of the declared one (`--assume`,
    /// `what-if`), by component id: [`Scenario::substitute`] fills it in, the check reads
    /// only this.
    pub substitutions: HashMap<ComponentId, String>,
    /// The assumptions as stated, by product: the server version kinds that need one
    /// (skew, removed APIs) compare with when no component of the product is checked
    /// (`--env` left every instance out). Never applied to a component.
    pub assumptions: Vec<Assumption>,
    /// Servers the scenario adds, numbered in their own files.
    pub extra: Vec<Component>,
    /// The files the scenario shows besides the scan's, stacked after them: user rule
    /// files (findings point at the rule line), `skew.toml` when it declares servers or
    /// its ignores are reported, `(assumed)`.
    pub sources: Sources,
    /// The environments a component is deployed in, by id; not listed: every one.
    pub environments: HashMap<ComponentId, Vec<usize>>,
    /// The components `--env` leaves out.
    pub left_out: HashSet<ComponentId>,
    /// The configured environments' names, by environment index.
    pub environment_names: Vec<String>,
    /// Per environment: its place in the promotion order (`rank`), if it has one.
    pub ranks: Vec<Option<usize>>,
}

impl Scenario {
    /// The repository as it stands: no substitution, no added server, every environment;
    /// only the user rule files besides the scan's (the scan's own file of that path
    /// wins).
    pub fn bare(inv: &Inventory, rules: &RuleSet) -> Scenario {
        let mut sources = Sources::after(&inv.sources);
        for (path, text) in &rules.user_files {
            if inv.sources.by_path(path).is_none() && sources.by_path(path).is_none() {
                sources.add(path.clone(), text.clone());
            }
        }
        Scenario {
            sources,
            ..Scenario::default()
        }
    }

    /// The scan's files and the scenario's, as every reader sees them.
    pub fn sources<'a>(&'a self, inv: &'a Inventory) -> SourceView<'a> {
        SourceView::new(&inv.sources, Some(&self.sources))
    }

    /// The components checked: the inventory's that `--env` keeps, then the added
    /// servers it keeps, in that order.
    pub fn components<'a>(&'a self, inv: &'a Inventory) -> Vec<&'a Component> {
        let kept = |c: &&Component| !self.left_out.contains(&c.id);
        if self.left_out.is_empty() {
            inv.components.iter().chain(&self.extra).collect()
        } else {
            inv.components
                .iter()
                .chain(&self.extra)
                .filter(kept)
                .collect()
        }
    }

    /// The environments component `id` is deployed in; empty: every one.
    pub fn environments_of(&self, id: ComponentId) -> &[usize] {
        self.environments.get(&id).map_or(&[], Vec::as_slice)
    }

    /// Run `assumptions` in this scenario: every component of `components` that is an
    /// instance of an assumed product (the first product that matches it, as the check
    /// recognises it) runs the assumed version, recorded by its id. `components` must
    /// hold unique ids (the scan's and [`Scenario::extra`], both numbered).
    pub fn substitute<'c>(
        &mut self,
        components: impl IntoIterator<Item = &'c Component>,
        rules: &RuleSet,
        assumptions: &[Assumption],
    ) {
        self.assumptions = assumptions.to_vec();
        if assumptions.is_empty() {
            return;
        }
        for c in components {
            let Some(product) = rules.product_of(c) else {
                continue;
            };
            if let Some(a) = assumptions.iter().find(|a| a.product == product.id) {
                self.substitutions.insert(c.id, a.version.clone());
            }
        }
    }

    /// The version component `id` runs instead of its declared one, if any.
    pub fn substitution(&self, id: ComponentId) -> Option<&str> {
        self.substitutions.get(&id).map(String::as_str)
    }
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            today: Date::today(),
            selection: Default::default(),
        }
    }
}

/// The verdict of one compatibility relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Every version admitted on both sides works.
    Ok,
    /// Some admitted versions break.
    MayBreak,
    /// Every admitted version breaks.
    Breaks,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::MayBreak => "may-break",
            Outcome::Breaks => "breaks",
        }
    }
}

impl Outcome {
    /// The outcome of "every version of the set must be in the requirement": the
    /// requirement always met is ok, never met breaks, met by some may break.
    pub fn within(verdict: &Verdict) -> Outcome {
        match verdict {
            Verdict::Always => Outcome::Ok,
            Verdict::Never => Outcome::Breaks,
            Verdict::May { .. } => Outcome::MayBreak,
        }
    }
}

/// One evaluated relation: `client` talks to `server` under `rule`.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Index into the inventory's components.
    pub client: usize,
    pub server: usize,
    /// Index into the rule set's rules.
    pub rule: usize,
    pub outcome: Outcome,
    pub finding: Option<Finding>,
}

impl Evaluation {
    /// The evaluation of component `client` against component `server` under rule number
    /// `rule`. The finding is built only when the outcome is not ok, so a kind describes
    /// a problem in one place and an ok relation costs no message.
    pub fn new(
        client: usize,
        server: usize,
        rule: usize,
        outcome: Outcome,
        finding: impl FnOnce() -> Finding,
    ) -> Evaluation {
        Evaluation {
            client,
            server,
            rule,
            outcome,
            finding: (outcome != Outcome::Ok).then(finding),
        }
    }
}

/// A component recognised as an instance of a product, with the versions it may run.
#[derive(Debug, Clone)]
pub struct Instance<'a> {
    pub index: usize,
    pub component: &'a Component,
    pub product: &'a Product,
    /// The versions it may run. A floating image (`latest`, no tag) admits every version.
    pub versions: Result<VersionSet, VersionError>,
    /// The version a what-if or `--assume` substituted for the declared one.
    pub assumed: Option<String>,
    /// The declaration names no version (`latest`, no tag, `alpine`) and no digest: any
    /// deploy may run any version.
    pub floating: bool,
    /// `versions` is a release line that resolves to its newest release (`node:22`,
    /// `.nvmrc` `22`, `--assume node=22`): checked with [`Instance::verdict`].
    pub newest: bool,
}

impl Instance<'_> {
    /// How the versions this instance may run relate to `required`: a release line by
    /// its newest release (`22` meets `>=22.12.0`), anything else version by version.
    /// `None` when the versions are unknown.
    pub fn verdict(&self, required: &VersionSet) -> Option<Verdict> {
        let versions = self.versions.as_ref().ok()?;
        Some(if self.newest {
            newest_verdict(versions, required)
        } else {
            verdict(versions, required)
        })
    }
}

impl Instance<'_> {
    /// `MySQL 8.0.36`, `MySQL 8.4.0 after the upgrade from 8.0.36`, `MySQL (no version)`.
    pub fn describe(&self) -> String {
        // an image counting in another scheme: the product's line, then the tag
        if self.assumed.is_none()
            && let (Some((v, Some(_))), Some(tag)) = (
                self.product.declared_version(self.component),
                &self.component.version,
            )
        {
            return format!(
                "{} {v} (`{}:{tag}`)",
                self.product.name, self.component.name
            );
        }
        match (&self.assumed, &self.component.version) {
            (Some(a), Some(v)) if a != v => {
                format!("{} {a} {}", self.product.name, change_from(a, v))
            }
            (Some(a), _) => format!("{} {a}", self.product.name),
            (None, Some(v)) => format!("{} {v}", self.product.name),
            (None, None) => format!("{} (no version)", self.product.name),
        }
    }
}

impl Instance<'_> {
    /// The related label's text: `MySQL 8.0.36 is declared here`, or for a substituted
    /// version what is declared and what the change makes of it: `MySQL 5.7 is declared
    /// here; 8.0.36 after the upgrade`.
    pub fn declared_here(&self) -> String {
        match (&self.assumed, &self.component.version) {
            (Some(a), Some(v)) if a != v => {
                let change = match compare_versions(a, v) {
                    Some(std::cmp::Ordering::Greater) => "after the upgrade",
                    Some(std::cmp::Ordering::Less) => "after the rollback",
                    _ => "in this scenario",
                };
                format!("{} {v} is declared here; {a} {change}", self.product.name)
            }
            _ => format!("{} is declared here", self.describe()),
        }
    }
}

/// `after the upgrade from 5.7`, `after the rollback from 8.4`, or `instead of the
/// declared 15-alpine` when the two do not compare.
fn change_from(assumed: &str, declared: &str) -> String {
    match compare_versions(assumed, declared) {
        Some(std::cmp::Ordering::Greater) => format!("after the upgrade from {declared}"),
        Some(std::cmp::Ordering::Less) => format!("after the rollback from {declared}"),
        _ => format!("instead of the declared {declared}"),
    }
}

fn compare_versions(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    use crate::version::{Scheme, parse_version};
    let a = parse_version(Scheme::Dotted, a).ok()?;
    let b = parse_version(Scheme::Dotted, b).ok()?;
    a.partial_cmp(&b)
}

/// What every kind gets to look at.
pub struct Context<'a> {
    /// The components checked (the scenario's: [`Scenario::components`]); evaluations
    /// and the graph index into this list.
    pub components: Vec<&'a Component>,
    pub rules: &'a RuleSet,
    pub sources: SourceView<'a>,
    /// Every component that is an instance of a known product.
    pub instances: Vec<Instance<'a>>,
    pub options: CheckOptions,
    /// The scenario's assumptions by product, for kinds that need a server version when
    /// no instance of the product is checked ([`Context::assumed`]).
    assumptions: Vec<Assumption>,
    /// Per component: the environments it is deployed in (empty: every environment).
    pub environments: Vec<Vec<usize>>,
    /// Topology facts from the scan (compose services, includes): which clients reach
    /// which servers (`plan::topology`). Empty: every client reaches every server.
    pub units: &'a [UnitFact],
    /// The configured environments' names and ranks ([`Scenario`]).
    pub environment_names: Vec<String>,
    pub ranks: Vec<Option<usize>>,
    /// Component indices by (ecosystem, [`index_key`] of the name), ascending: built
    /// once, so a rule looks up its clients instead of scanning every component for
    /// every server (big monorepos are many servers times many components).
    named: rustc_hash::FxHashMap<(Ecosystem, String), Vec<usize>>,
    /// The deployment topology of `components` and `units`, built when first asked.
    topology: std::sync::OnceLock<crate::plan::topology::Topology>,
}

/// A name key that every way kinds compare names agrees with: equal for names that are
/// equal exactly, ignoring ASCII case, under PEP 503, or as Go major-version paths
/// (`…/go-elasticsearch/v8` is keyed as `…/go-elasticsearch`). Coarser than
/// [`Ecosystem::name_key`]: candidates found through it are checked with the kind's own
/// test.
fn index_key(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPI => crate::component::pypi_normalize(name),
        Ecosystem::Go => {
            let mut base = name;
            while let Some((rest, _)) = base
                .rsplit_once("/v")
                .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            {
                base = rest;
            }
            base.to_ascii_lowercase()
        }
        _ => name.to_ascii_lowercase(),
    }
}

impl<'a> Context<'a> {
    /// A context with default options (today from the system clock, nothing assumed).
    pub fn new(
        components: impl IntoIterator<Item = &'a Component>,
        rules: &'a RuleSet,
        sources: impl Into<SourceView<'a>>,
    ) -> Self {
        Self::with_options(components, rules, sources, CheckOptions::default())
    }

    pub fn with_options(
        components: impl IntoIterator<Item = &'a Component>,
        rules: &'a RuleSet,
        sources: impl Into<SourceView<'a>>,
        options: CheckOptions,
    ) -> Self {
        Self::build(components, rules, sources, &Scenario::default(), options)
    }

    /// A scenario (assumptions, environments) with default options.
    pub fn with_scenario(
        components: impl IntoIterator<Item = &'a Component>,
        rules: &'a RuleSet,
        sources: impl Into<SourceView<'a>>,
        scenario: &Scenario,
    ) -> Self {
        Self::build(
            components,
            rules,
            sources,
            scenario,
            CheckOptions::default(),
        )
    }

    pub fn build(
        components: impl IntoIterator<Item = &'a Component>,
        rules: &'a RuleSet,
        sources: impl Into<SourceView<'a>>,
        scenario: &Scenario,
        options: CheckOptions,
    ) -> Self {
        let components: Vec<&'a Component> = components.into_iter().collect();
        let sources = sources.into();
        let substituted = !scenario.substitutions.is_empty();
        let mut instances = Vec::new();
        for (index, &c) in components.iter().enumerate() {
            let Some(product) = rules.product_of(c) else {
                continue;
            };
            // the version the scenario runs instead of the declared one, by id
            let assumed = substituted
                .then(|| scenario.substitution(c.id))
                .flatten()
                .map(str::to_string);
            let scheme = Scheme::of(c.ecosystem);
            let tag = match &c.version {
                Some(v) => parse_declared(scheme, v),
                None => Err(VersionError::Unknown("no version declared".into())),
            };
            let floating = is_floating(c, &tag);
            // the product's version the component declares (a Confluent Platform tag
            // counts in Kafka versions through the vendor's table)
            let product_version = product.declared_version(c).map(|(v, _)| v);
            let declared = match (product_version, &c.version) {
                (Some(v), Some(own)) if v != own => parse_declared(scheme, v),
                (Some(_), _) => tag,
                (None, Some(own)) => Err(VersionError::Unknown(format!(
                    "no published {} version for `{}:{own}`",
                    product.name, c.name
                ))),
                (None, None) => Err(VersionError::Unknown("no version declared".into())),
            };
            let newest = match &assumed {
                Some(a) => declares_line(Scheme::Dotted, a),
                None => product_version.is_some_and(|v| declares_line(scheme, v)),
            };
            let versions = match &assumed {
                // an assumed line (`node=22`) is its newest release, like a declared one
                Some(a) if newest => parse_declared(Scheme::Dotted, a),
                // an assumption is an exact version of the product, whatever the source
                Some(a) => parse_version(Scheme::Dotted, a).map(VersionSet::exact),
                None if floating && matches!(declared, Err(VersionError::Unknown(_))) => {
                    Ok(VersionSet::all())
                }
                None => declared,
            };
            instances.push(Instance {
                index,
                component: c,
                product,
                versions,
                assumed,
                floating,
                newest,
            });
        }
        let environments: Vec<Vec<usize>> = if scenario.environments.is_empty() {
            vec![Vec::new(); components.len()]
        } else {
            components
                .iter()
                .map(|c| scenario.environments_of(c.id).to_vec())
                .collect()
        };
        let mut named: rustc_hash::FxHashMap<(Ecosystem, String), Vec<usize>> =
            rustc_hash::FxHashMap::default();
        for (index, c) in components.iter().enumerate() {
            named
                .entry((c.ecosystem, index_key(c.ecosystem, &c.name)))
                .or_default()
                .push(index);
        }
        Context {
            components,
            rules,
            sources,
            instances,
            options,
            assumptions: scenario.assumptions.clone(),
            environments,
            units: &[],
            environment_names: scenario.environment_names.clone(),
            ranks: scenario.ranks.clone(),
            named,
            topology: std::sync::OnceLock::new(),
        }
    }

    /// The indices, ascending and each once, of the components that may be named like
    /// one of `names` (a superset: callers apply their own name test, such as
    /// [`is_named`] or [`ClientRef::matches`](crate::rule::ClientRef::matches)). The
    /// same components, in the same order, as a scan of every component filtered by
    /// that test.
    pub fn candidates<'n>(
        &self,
        names: impl IntoIterator<Item = (Ecosystem, &'n str)>,
    ) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (ecosystem, name) in names {
            if let Some(found) = self.named.get(&(ecosystem, index_key(ecosystem, name))) {
                out.extend_from_slice(found);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Pair clients with servers through the deployment topology these facts describe.
    pub fn with_units(mut self, units: &'a [UnitFact]) -> Self {
        self.units = units;
        self.topology = std::sync::OnceLock::new();
        self
    }

    /// The deployment units of the components and which servers each client reaches
    /// ([`crate::plan::topology`]).
    pub fn topology(&self) -> &crate::plan::topology::Topology {
        self.topology.get_or_init(|| {
            crate::plan::topology::Topology::build(&self.components, &self.sources, self.units)
        })
    }

    /// Index `clients` (component indices) by where they are, for
    /// [`ReachIndex::of`](crate::plan::topology::ReachIndex::of): the ones a server may
    /// reach, found without testing every pair.
    pub fn reach_index(&self, clients: &[usize]) -> crate::plan::topology::ReachIndex<'_> {
        crate::plan::topology::ReachIndex::new(self, clients)
    }

    /// Can `a` and `b` talk? Yes unless both are pinned to environments and share none.
    pub fn share_environment(&self, a: usize, b: usize) -> bool {
        let (ea, eb) = (&self.environments[a], &self.environments[b]);
        ea.is_empty() || eb.is_empty() || ea.iter().any(|e| eb.contains(e))
    }

    /// Has `skew.toml` put both in one environment (the user's word, which overrides
    /// the topology)?
    pub fn declared_together(&self, a: usize, b: usize) -> Option<&str> {
        let (ea, eb) = (&self.environments[a], &self.environments[b]);
        let shared = *ea.iter().find(|e| eb.contains(e))?;
        Some(
            self.environment_names
                .get(shared)
                .map_or("(unnamed)", String::as_str),
        )
    }

    /// The version the user assumed for a product (`--assume`), parsed: for kinds that
    /// need a server version when no instance of the product is checked.
    pub fn assumed(&self, product: &str) -> Option<(String, VersionSet)> {
        let a = self.assumptions.iter().find(|a| a.product == product)?;
        let set = parse_declared(Scheme::Dotted, &a.version).ok()?;
        Some((a.version.clone(), set))
    }

    /// The path (relative to the scan root) of the file a component was declared in.
    pub fn path_of(&self, c: &Component) -> &str {
        self.sources.path(c.span.file)
    }

    /// Instances of one product.
    pub fn instances_of<'s>(&'s self, product: &'s str) -> impl Iterator<Item = &'s Instance<'a>> {
        self.instances
            .iter()
            .filter(move |i| i.product.id == product)
    }

    /// Instances of one product whose versions are known, with those versions. An
    /// unknown version (`latest`, untagged) is the floating-version check's business:
    /// the kinds say nothing about it rather than guess.
    pub fn known_instances_of<'s>(
        &'s self,
        product: &'s str,
    ) -> impl Iterator<Item = (&'s Instance<'a>, &'s VersionSet)> {
        self.instances_of(product)
            .filter_map(|i| Some((i, i.versions.as_ref().ok()?)))
    }

    /// A product's display name (`Kubernetes`), or its id when no rule file defines it.
    pub fn product_name<'s>(&'s self, product: &'s str) -> &'s str {
        self.rules
            .product(product)
            .map(|p| p.name.as_str())
            .unwrap_or(product)
    }

    /// The server version assumed with `--assume` for a product, described for messages
    /// (`Kubernetes 1.30 (assumed with `--assume`)`), with its versions.
    pub fn assumed_server(&self, product: &str) -> Option<(String, VersionSet)> {
        let (text, set) = self.assumed(product)?;
        let name = self.product_name(product);
        Some((format!("{name} {text} (assumed with `--assume`)"), set))
    }
}

/// Evaluate every rule against the inventory.
pub fn evaluate(cx: &Context<'_>) -> Vec<Evaluation> {
    let mut out = evaluate_rules(cx);
    out.retain(|e| cx.share_environment(e.client, e.server));
    crate::plan::topology::pair(cx, &mut out);
    out
}

/// A container image whose tag names no version: none, `latest`, or a tag without a
/// number (`alpine`). A numbered tag, even a major only (`postgres:16-alpine`), says
/// which versions it admits, and the rules evaluate those; a digest (`mysql@sha256:…`,
/// recorded by the extractors) pins the image whatever the tag. Only images float: a
/// lockfile or a runtime file means what it says.
fn is_floating(c: &Component, declared: &Result<VersionSet, VersionError>) -> bool {
    // a tag from a variable nothing sets is unknown, not floating: the deploy sets it
    c.ecosystem == Ecosystem::Docker
        && c.unresolved.is_none()
        && c.digest.is_none()
        && (c.version.is_none() || matches!(declared, Err(VersionError::Unknown(_))))
}

/// Findings about single components that no rule file describes (built-in checks).
pub fn lint(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    floating::lint(cx, &mut out);
    chart_dependency::lint(cx, &mut out);
    invalid_version::lint(cx, &mut out);
    parity::lint(cx, &mut out);
    out
}

fn evaluate_rules(cx: &Context<'_>) -> Vec<Evaluation> {
    let mut out = Vec::new();
    for (ri, rule) in cx.rules.rules.iter().enumerate() {
        if !settings::conditions_hold(cx, rule) {
            continue;
        }
        match &rule.kind {
            RuleKind::ClientRequires {
                server, clients, ..
            } => requires::evaluate(cx, ri, rule, server, clients, &mut out),
            RuleKind::SameMajor { clients } => {
                same_major::evaluate(cx, ri, rule, clients, &mut out)
            }
            RuleKind::Skew {
                max_skew, clients, ..
            } => skew::evaluate(cx, ri, rule, *max_skew, clients, &mut out),
            RuleKind::RemovedApi { apis } => removed_api::evaluate(cx, ri, rule, apis, &mut out),
            RuleKind::RuntimeRange {
                packages,
                declared_in,
            } => runtime_range::evaluate(cx, ri, rule, packages, declared_in, &mut out),
            RuleKind::Eol { releases } => eol::evaluate(cx, ri, rule, releases, &mut out),
            RuleKind::RemovedSetting { settings } => {
                removed_setting::evaluate(cx, ri, rule, settings, &mut out)
            }
            RuleKind::RemovedValue { values } => {
                removed_value::evaluate(cx, ri, rule, values, &mut out)
            }
        }
    }
    out
}

/// The one `(major, minor)` every version of `set` has, if there is one: `8.11` and
/// `8.11.3` have `(8, 11)`; `^8.1.0` spans several minors and has none.
pub fn single_minor(set: &VersionSet, scheme: Scheme) -> Option<(u64, u64)> {
    let min = set.min_version()?;
    let parts = min.release();
    let (major, minor) = (*parts.first()?, parts.get(1).copied().unwrap_or(0));
    let line = parse_requirement(
        scheme,
        &format!(">={major}.{minor}.0, <{major}.{}.0", minor + 1),
    )
    .ok()?;
    set.is_subset(&line).then_some((major, minor))
}

/// The one major every version of `set` has, if there is one.
pub fn single_major(set: &VersionSet, scheme: Scheme) -> Option<u64> {
    let major = *set.min_version()?.release().first()?;
    set.is_subset(&major_line(scheme, major).ok()?)
        .then_some(major)
}

/// Every version of one major, ordered by `scheme` (`>=8.0.0, <9.0.0`).
pub fn major_line(scheme: Scheme, major: u64) -> Result<VersionSet, VersionError> {
    parse_requirement(scheme, &format!(">={major}.0.0, <{}.0.0", major + 1))
}

/// Is a runtime declared at `runtime_path` in force for a manifest at `package_path`?
///
/// The default is "same folder or an ancestor": a root `.nvmrc` or Dockerfile covers
/// every package below it, `services/api/Dockerfile` covers `services/api/package.json`
/// but not `services/web/package.json`. CI configuration (`.github/`, `.circleci/`,
/// `.gitlab/`, `.buildkite/`) describes the whole repository and counts as the root.
pub fn runtime_in_scope(runtime_path: &str, package_path: &str) -> bool {
    let ci_root = [".github/", ".circleci/", ".gitlab/", ".buildkite/"]
        .iter()
        .any(|p| runtime_path.starts_with(p));
    if ci_root {
        return true;
    }
    fn dir(p: &str) -> &str {
        p.rsplit_once('/').map_or("", |(d, _)| d)
    }
    let (rd, pd) = (dir(runtime_path), dir(package_path));
    // evaluated for every (package, runtime) pair: no allocation
    rd.is_empty() || pd == rd || (pd.starts_with(rd) && pd.as_bytes().get(rd.len()) == Some(&b'/'))
}

/// Is `c` a runtime the repository runs (not one a package asks for)?
pub fn is_run_runtime(c: &Component) -> bool {
    matches!(c.ecosystem, Ecosystem::Runtime | Ecosystem::Docker)
        && matches!(
            c.kind,
            ComponentKind::Runtime | ComponentKind::Server | ComponentKind::Tool
        )
}

/// Is `c` the package `name` of `ecosystem`, with names compared as that ecosystem does
/// (PyPI's `Django` is `django`)?
pub fn is_named(c: &Component, ecosystem: Ecosystem, name: &str) -> bool {
    ecosystem == c.ecosystem && ecosystem.same_name(name, &c.name)
}

/// Severity for an outcome: a certain break keeps the rule's severity, a possible one is
/// at most a warning.
pub fn severity_for(rule: &Rule, outcome: Outcome) -> Severity {
    match outcome {
        Outcome::Breaks => rule.severity,
        _ => rule.severity.min(Severity::Warning),
    }
}

/// Apply the rule's mitigations found on the server instance: a mitigation that holds
/// for every version the server may run turns the finding into `info` (saying until
/// which version it holds); one that holds only for some is mentioned in the message.
pub fn apply_mitigations(rule: &Rule, server: &Instance<'_>, finding: &mut Finding) {
    settings::apply_mitigations(rule, server, finding)
}

/// The related label for a server instance.
pub fn server_label(inst: &Instance<'_>) -> Label {
    Label::new(inst.component.span, inst.declared_here())
}

/// The primary label of a finding about a client: where its name and version are declared.
pub fn client_label(c: &Component) -> Label {
    Label::new(
        c.span,
        format!(
            "`{}` {} is declared here",
            c.name,
            describe_client_version(c)
        ),
    )
}

/// What a finding about a client is about: the client at the version it runs, against
/// `counterpart` (the server, described).
pub fn client_subject(c: &Component, counterpart: String) -> Subject {
    Subject {
        ecosystem: Some(c.ecosystem),
        name: c.name.clone(),
        version: c.effective_version().map(str::to_string),
        counterpart: Some(counterpart),
    }
}

/// The rule's sources, then the source of the rule entry that matched (a client, an API,
/// a package), unless the rule already lists it.
pub fn sources_with(rule: &Rule, entry: Option<&str>) -> Vec<String> {
    let mut sources = rule.sources.clone();
    if let Some(s) = entry
        && !s.is_empty()
        && !sources.iter().any(|have| have == s)
    {
        sources.push(s.to_string());
    }
    sources
}

/// A finding about client `c` under `rule`: severity for the outcome, the primary label
/// on the client, the subject against `counterpart`, and the rule's sources plus the
/// matched entry's. Related labels and the fix are the kind's to fill in.
pub fn client_finding(
    rule: &Rule,
    c: &Component,
    outcome: Outcome,
    message: String,
    counterpart: String,
    entry_source: Option<&str>,
) -> Finding {
    Finding {
        rule_id: rule.id.clone(),
        severity: severity_for(rule, outcome),
        message,
        primary: client_label(c),
        related: Vec::new(),
        fix: None,
        sources: sources_with(rule, entry_source),
        subject: client_subject(c, counterpart),
        components: Vec::new(),
    }
}

/// The versions a client component may be: the locked version when a lockfile pinned
/// it, else the declared range. `Err(Unknown)` for git URLs, tags, workspace links.
pub fn client_versions(c: &Component) -> Result<VersionSet, VersionError> {
    let scheme = Scheme::of(c.ecosystem);
    if let Some(r) = &c.resolved {
        return crate::version::parse_version(scheme, r).map(VersionSet::exact);
    }
    match &c.version {
        Some(v) => parse_declared(scheme, v),
        None => Err(VersionError::Unknown("no version declared".into())),
    }
}

/// How a client's versions (from [`client_versions`]) relate to `required`: an image or
/// runtime declared as a release line (`FROM node:22`) by the line's newest release,
/// anything else version by version.
pub fn client_verdict(c: &Component, versions: &VersionSet, required: &VersionSet) -> Verdict {
    let line = c.resolved.is_none()
        && c.version
            .as_deref()
            .is_some_and(|v| declares_line(Scheme::of(c.ecosystem), v));
    if line {
        newest_verdict(versions, required)
    } else {
        verdict(versions, required)
    }
}

/// `2.18.1`, `2.18.1 (locked; declared ^2.18.1)`, `^2.18.1`, `(no version)`.
pub fn describe_client_version(c: &Component) -> String {
    match (&c.resolved, &c.version) {
        (Some(r), Some(v)) if r != v => format!("{r} (locked; declared `{v}`)"),
        (Some(r), _) => r.clone(),
        (None, Some(v)) => format!("`{v}`"),
        (None, None) => "(no version)".into(),
    }
}

/// Builders for the kinds' unit tests: components made by hand (for formats whose
/// extractors live elsewhere) and a compact rendering of evaluations.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Assumption, CheckOptions, Context, Scenario, evaluate};
    use crate::component::{Component, ComponentKind, Ecosystem, Setting, SettingKind};
    use crate::rule::RuleSet;
    use crate::source::{FileId, Sources, Span};

    /// A component declared in the first file.
    pub fn component(kind: ComponentKind, eco: Ecosystem, name: &str, version: &str) -> Component {
        Component::new(
            kind,
            eco,
            name,
            (!version.is_empty()).then(|| version.to_string()),
            Span::new(FileId(0), 0, 0),
        )
    }

    /// A compose-style server image.
    pub fn docker(name: &str, tag: &str) -> Component {
        component(ComponentKind::Server, Ecosystem::Docker, name, tag)
    }

    /// `c` declared in file number `file` (see [`eval_in`]).
    pub fn in_file(mut c: Component, file: u32) -> Component {
        c.span = Span::new(FileId(file), 0, 0);
        c
    }

    pub fn with_setting(mut c: Component, kind: SettingKind, name: &str, value: &str) -> Component {
        c.settings.push(Setting {
            from_file: None,
            kind,
            name: name.into(),
            value: value.into(),
            span: c.span,
        });
        c
    }

    /// Evaluate a rule file's rules over components all declared in one file.
    pub fn eval_rules(rules: &str, comps: &[Component]) -> String {
        eval_in(rules, &["test"], comps, &[], "2026-01-01")
    }

    /// Evaluate with the given file paths (components point at them by index), assumed
    /// versions and date. One line per evaluation: client index, outcome, then severity
    /// and message, with the fix below when there is one.
    pub fn eval_in(
        rules: &str,
        paths: &[&str],
        comps: &[Component],
        assume: &[(&str, &str)],
        today: &str,
    ) -> String {
        let mut set = RuleSet::default();
        set.add_user_file("rules.toml", rules)
            .expect("valid rule file");
        let mut sources = Sources::new();
        for p in paths {
            sources.add(*p, "");
        }
        let options = CheckOptions {
            today: today.parse().unwrap(),
            selection: Default::default(),
        };
        // ids as the scan gives them, so the scenario substitutes by id
        let mut comps = comps.to_vec();
        crate::component::number(&mut comps);
        let assumptions: Vec<Assumption> = assume
            .iter()
            .map(|(p, v)| Assumption {
                product: p.to_string(),
                version: v.to_string(),
            })
            .collect();
        let mut scenario = Scenario::default();
        scenario.substitute(&comps, &set, &assumptions);
        let cx = Context::build(&comps, &set, &sources, &scenario, options);
        let mut lines = Vec::new();
        for e in evaluate(&cx) {
            let mut line = format!("{} {}", e.client, e.outcome.as_str());
            if e.server != e.client {
                line.push_str(&format!(" (server {})", e.server));
            }
            if let Some(f) = e.finding {
                line.push_str(&format!(" {}: {}", f.severity, f.message));
                if let Some(fix) = f.fix {
                    line.push_str(&format!("\n    fix: {fix}"));
                }
            }
            lines.push(line);
        }
        lines.join("\n")
    }
}
