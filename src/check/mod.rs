//! Rule-kind logic, one file per kind. Given the inventory and the rules, each kind
//! produces [`Evaluation`]s: a verdict for one (client, server, rule) triple, with a
//! finding when it is not `ok`. The graph (`graph.rs`) records every evaluation as an
//! edge; findings are read off the edges.
//!
//! Must not: parse files, render output, or filter by severity (the CLI does that).

mod floating;
mod requires;

pub use floating::CODE as UNPINNED_SERVER;

use crate::component::Component;
use crate::diagnostic::Finding;
use crate::rule::{Product, Rule, RuleKind, RuleSet};
use crate::source::Sources;
use crate::version::{Scheme, VersionError, VersionSet, parse_declared};

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
    /// The declaration does not pin a version (`latest`, no tag, a major-only tag): any
    /// deploy may change what runs.
    pub floating: bool,
}

impl Instance<'_> {
    /// `MySQL 8.0.36`, `MySQL (untagged)`.
    pub fn describe(&self) -> String {
        match (&self.assumed, &self.component.version) {
            (Some(a), Some(v)) if a != v => {
                format!("{} {a} (assumed; declared {v})", self.product.name)
            }
            (Some(a), _) => format!("{} {a}", self.product.name),
            (None, Some(v)) => format!("{} {v}", self.product.name),
            (None, None) => format!("{} (no version)", self.product.name),
        }
    }
}

/// A product run at a version other than the declared one (`--assume`, `what-if`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// A product id (`mysql`).
    pub product: String,
    pub version: String,
}

/// What is being rehearsed: substituted versions and which environments components are
/// deployed in. The default scenario is the repository as it stands.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    pub assumptions: Vec<Assumption>,
    /// Per component (by index): the environments it is deployed in; empty = all.
    pub environments: Vec<Vec<usize>>,
}

/// What every kind gets to look at.
pub struct Context<'a> {
    pub components: &'a [Component],
    pub rules: &'a RuleSet,
    pub sources: &'a Sources,
    /// Every component that is an instance of a known product.
    pub instances: Vec<Instance<'a>>,
    /// Per component: the environments it is deployed in (empty: every environment).
    pub environments: Vec<Vec<usize>>,
}

impl<'a> Context<'a> {
    /// The repository as it stands.
    pub fn new(components: &'a [Component], rules: &'a RuleSet, sources: &'a Sources) -> Self {
        Self::with_scenario(components, rules, sources, &Scenario::default())
    }

    pub fn with_scenario(
        components: &'a [Component],
        rules: &'a RuleSet,
        sources: &'a Sources,
        scenario: &Scenario,
    ) -> Self {
        let mut instances = Vec::new();
        for (index, c) in components.iter().enumerate() {
            let Some(product) = rules.products.iter().find(|p| p.matches(c)) else {
                continue;
            };
            let assumed = scenario
                .assumptions
                .iter()
                .find(|a| a.product == product.id)
                .map(|a| a.version.clone());
            let scheme = Scheme::of(c.ecosystem);
            let declared = match &c.version {
                Some(v) => parse_declared(scheme, v),
                None => Err(VersionError::Unknown("no version declared".into())),
            };
            let floating = is_floating(c, &declared, sources);
            let versions = match &assumed {
                // an assumption is an exact version of the product, whatever the source
                Some(a) => crate::version::parse_version(Scheme::Dotted, a).map(VersionSet::exact),
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
            });
        }
        let mut environments = scenario.environments.clone();
        environments.resize(components.len(), Vec::new());
        Context {
            components,
            rules,
            sources,
            instances,
            environments,
        }
    }

    /// Can `a` and `b` talk? Yes unless both are pinned to environments and share none.
    pub fn share_environment(&self, a: usize, b: usize) -> bool {
        let (ea, eb) = (&self.environments[a], &self.environments[b]);
        ea.is_empty() || eb.is_empty() || ea.iter().any(|e| eb.contains(e))
    }

    /// Instances of one product.
    pub fn instances_of<'s>(&'s self, product: &'s str) -> impl Iterator<Item = &'s Instance<'a>> {
        self.instances
            .iter()
            .filter(move |i| i.product.id == product)
    }
}

/// A container image whose tag does not pin a version: none, `latest`, or a major only
/// (`mysql:8`). Only images float: a lockfile or a runtime file means what it says.
fn is_floating(
    c: &Component,
    declared: &Result<VersionSet, VersionError>,
    sources: &Sources,
) -> bool {
    if c.ecosystem != crate::component::Ecosystem::Docker {
        return false;
    }
    // a digest (`mysql@sha256:…`) pins the image exactly even without a tag; extractors
    // blame the name then, and the digest follows it on the same line
    let file = sources.get(c.span.file);
    if c.version.is_none() && file.text[c.span.end..].starts_with('@') {
        return false;
    }
    match (&c.version, declared) {
        (None, _) | (_, Err(VersionError::Unknown(_))) => true,
        (Some(tag), Ok(_)) => {
            let numeric: String = tag
                .trim_start_matches('v')
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            !numeric.trim_end_matches('.').contains('.')
        }
        _ => false,
    }
}

/// Findings about single components that no rule file describes (built-in checks).
pub fn lint(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    floating::lint(cx, &mut out);
    out
}

/// Evaluate every rule against the inventory. Pairs deployed in disjoint environments
/// never talk, so their evaluations are dropped here, once, for every kind.
pub fn evaluate(cx: &Context<'_>) -> Vec<Evaluation> {
    let mut out = evaluate_rules(cx);
    out.retain(|e| cx.share_environment(e.client, e.server));
    out
}

fn evaluate_rules(cx: &Context<'_>) -> Vec<Evaluation> {
    let mut out = Vec::new();
    for (ri, rule) in cx.rules.rules.iter().enumerate() {
        match &rule.kind {
            RuleKind::ClientRequires {
                server, clients, ..
            } => requires::evaluate(cx, ri, rule, server, clients, &mut out),
        }
    }
    out
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

/// `2.18.1`, `2.18.1 (locked; declared ^2.18.1)`, `^2.18.1`, `(no version)`.
pub fn describe_client_version(c: &Component) -> String {
    match (&c.resolved, &c.version) {
        (Some(r), Some(v)) if r != v => format!("{r} (locked; declared `{v}`)"),
        (Some(r), _) => r.clone(),
        (None, Some(v)) => format!("`{v}`"),
        (None, None) => "(no version)".into(),
    }
}

/// A rule's user-facing fix: the rule's own, else none.
pub fn rule_fix(rule: &Rule) -> Option<String> {
    rule.fix.clone()
}
