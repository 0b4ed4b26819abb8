//! `what-if`: the same repository checked twice — as it stands, and with products
//! substituted — and the difference: what the upgrade (or rollback) would introduce and
//! what it would resolve, with the smallest client change that satisfies every rule.

use std::collections::BTreeSet;

use crate::check::Assumption;
use crate::component::{Component, ComponentId};
use crate::diagnostic::{Finding, Severity};
use crate::graph::Graph;
use crate::rule::{RuleKind, RuleSet};
use crate::version::{Scheme, VersionSet, parse_version};

/// The difference between two checks of one repository.
#[derive(Debug, Default)]
pub struct Diff {
    pub introduced: Vec<Finding>,
    pub resolved: Vec<Finding>,
}

/// What a finding is about across two scenarios over one inventory: the component it
/// blames first (the client) by id, or where it points when it names none (file
/// problems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum About {
    Component(ComponentId),
    Span(crate::source::Span),
}

fn about(f: &Finding) -> About {
    match f.components.first() {
        Some(id) => About::Component(*id),
        None => About::Span(f.primary.span),
    }
}

/// What identifies "the same finding" across a substitution: the rule, what it is about,
/// and the client — not the server's version, which is what changed.
fn key(f: &Finding) -> (&str, About, &str, Option<&str>) {
    (
        &f.rule_id,
        about(f),
        &f.subject.name,
        f.subject.version.as_deref(),
    )
}

/// Findings of `after` that `before` did not have (or had at a lower severity), and
/// findings of `before` that `after` no longer has.
pub fn diff(before: &[Finding], after: &[Finding]) -> Diff {
    let introduced = after
        .iter()
        .filter(|a| {
            !before
                .iter()
                .any(|b| key(a) == key(b) && b.severity >= a.severity)
        })
        .cloned()
        .collect();
    let resolved = before
        .iter()
        .filter(|b| !after.iter().any(|a| key(a) == key(b)))
        .cloned()
        .collect();
    Diff {
        introduced,
        resolved,
    }
}

/// For each introduced finding about a client that several requirements check in the new
/// scenario, add to the rule's own fix the smallest change that satisfies *every* one of
/// them: the intersection of their requirements (when it is empty no release works).
/// A client checked by one requirement keeps the rule's own fix, as `check` prints it.
/// `components` are the scenario's, in the order the graph was built from.
pub fn refine_fixes(
    introduced: &mut [Finding],
    components: &[&Component],
    rules: &RuleSet,
    graph: &Graph,
) {
    for f in introduced.iter_mut() {
        let Some(&id) = f.components.first() else {
            continue;
        };
        let Some(ci) = components.iter().position(|c| c.id == id) else {
            continue;
        };
        let client = components[ci];
        let mut required = VersionSet::all();
        let mut texts = BTreeSet::new();
        let node = graph.node(ci);
        for e in graph.graph.edges(node) {
            // every rule the client is checked by counts, passing ones too: the fix must
            // not break a rule that holds today
            let rule = &rules.rules[e.weight().rule];
            #[allow(irrefutable_let_patterns)]
            let RuleKind::ClientRequires { clients, .. } = &rule.kind else {
                continue;
            };
            for req in clients.iter().filter(|r| {
                r.ecosystem == client.ecosystem && r.ecosystem.same_name(&r.name, &client.name)
            }) {
                required = required.intersect(&req.requires);
                texts.insert(req.requires_text.clone());
            }
        }
        // one requirement (or none: a runtime range, an end of life) checks it: the
        // rule's own fix is the whole advice, word for word what `check` says
        if texts.len() < 2 {
            continue;
        }
        let rules = texts.into_iter().collect::<Vec<_>>().join("; ");
        let every = if required.is_empty() {
            format!(
                "no release of `{}` satisfies every rule checking it ({rules})",
                client.name
            )
        } else {
            match required.min_version() {
                Some(v) => format!(
                    "to satisfy every rule checking it ({rules}), upgrade `{}` to {v} or later",
                    client.name
                ),
                None => format!(
                    "to satisfy every rule checking it, move `{}` into {required}",
                    client.name
                ),
            }
        };
        f.fix = Some(match &f.fix {
            Some(own) => format!("{own}; {every}"),
            None => every,
        });
    }
}

/// "upgrading mysql 8.0.36 → 8.4.0 breaks 2 clients".
/// `before` are the components checked before the change.
pub fn verdict(
    assumptions: &[Assumption],
    before: &[&Component],
    rules: &RuleSet,
    diff: &Diff,
    fail_on: Option<Severity>,
) -> String {
    let mut moves = Vec::new();
    let mut any_down = false;
    for a in assumptions {
        let product = rules.product(&a.product).expect("validated");
        let declared: BTreeSet<&str> = before
            .iter()
            .filter(|c| product.matches(c) && !c.span.is_empty())
            .filter_map(|c| c.version.as_deref())
            .filter(|v| *v != a.version)
            .collect();
        let from = if declared.is_empty() {
            "(not deployed)".to_string()
        } else {
            declared.iter().copied().collect::<Vec<_>>().join("/")
        };
        let to = parse_version(Scheme::Dotted, &a.version).ok();
        if let Some(to) = &to
            && declared.iter().any(|d| {
                parse_version(Scheme::Dotted, d)
                    .ok()
                    .is_some_and(|d| d > *to)
            })
        {
            any_down = true;
        }
        moves.push(format!("{} {from} → {}", a.product, a.version));
    }
    let verb = if any_down {
        "rolling back"
    } else {
        "upgrading"
    };
    let clients = |pred: &dyn Fn(Severity) -> bool| {
        diff.introduced
            .iter()
            .filter(|f| pred(f.severity))
            .map(about)
            .collect::<BTreeSet<_>>()
            .len()
    };
    let failing = clients(&|s| fail_on.is_some_and(|t| s >= t));
    let other = clients(&|s| fail_on.is_none_or(|t| s < t));
    let mut s = format!("{verb} {}", moves.join(", "));
    if failing > 0 {
        s.push_str(&format!(" breaks {}", count(failing, "client")));
        if other > 0 {
            s.push_str(&format!(" and may break {} more", other));
        }
    } else if other > 0 {
        s.push_str(&format!(" may break {}", count(other, "client")));
    } else {
        s.push_str(" introduces no finding");
    }
    if !diff.resolved.is_empty() {
        s.push_str(&format!(
            "; it resolves {}",
            count(diff.resolved.len(), "finding")
        ));
    }
    s
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
