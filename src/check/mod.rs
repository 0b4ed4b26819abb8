//! Rule-kind logic, one file per kind. Given the inventory and the rules, each kind
//! produces [`Evaluation`]s: a verdict for one (client, server, rule) triple, with a
//! finding when it is not `ok`. The graph (`graph.rs`) records every evaluation as an
//! edge; findings are read off the edges.
//!
//! Must not: parse files, render output, or filter by severity (the CLI does that).

mod requires;

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
    /// `Err(Unknown)` for `latest`/untagged images.
    pub versions: Result<VersionSet, VersionError>,
}

impl Instance<'_> {
    /// `MySQL 8.0.36`, `MySQL (untagged)`.
    pub fn describe(&self) -> String {
        match &self.component.version {
            Some(v) => format!("{} {v}", self.product.name),
            None => format!("{} (no version)", self.product.name),
        }
    }
}

/// What every kind gets to look at.
pub struct Context<'a> {
    pub components: &'a [Component],
    pub rules: &'a RuleSet,
    pub sources: &'a Sources,
    /// Every component that is an instance of a known product.
    pub instances: Vec<Instance<'a>>,
}

impl<'a> Context<'a> {
    pub fn new(components: &'a [Component], rules: &'a RuleSet, sources: &'a Sources) -> Self {
        let mut instances = Vec::new();
        for (index, c) in components.iter().enumerate() {
            if let Some(product) = rules.products.iter().find(|p| p.matches(c)) {
                let versions = match &c.version {
                    Some(v) => parse_declared(Scheme::of(c.ecosystem), v),
                    None => Err(VersionError::Unknown("no version declared".into())),
                };
                instances.push(Instance {
                    index,
                    component: c,
                    product,
                    versions,
                });
            }
        }
        Context {
            components,
            rules,
            sources,
            instances,
        }
    }

    /// Instances of one product.
    pub fn instances_of<'s>(&'s self, product: &'s str) -> impl Iterator<Item = &'s Instance<'a>> {
        self.instances
            .iter()
            .filter(move |i| i.product.id == product)
    }
}

/// Evaluate every rule against the inventory.
pub fn evaluate(cx: &Context<'_>) -> Vec<Evaluation> {
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
