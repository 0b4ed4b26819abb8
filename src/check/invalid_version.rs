//! `invalid-version`: a version or range that its ecosystem rejects, on a component some
//! rule would check. Without it the rule says nothing, and silence reads as "compatible".
//!
//! Only versions that are *invalid* count: ones that say nothing about the version
//! (`latest`, `workspace:*`, `*`, git/file/URL specifiers, no version at all) are
//! unknown, not wrong, and are never flagged. Only components a rule looks at count: the
//! instances of known products (servers, runtimes), and clients a rule names while the
//! repository runs that rule's product. A package no rule is about is not skew's
//! business, however it is written. Must not: guess what was meant.

use std::collections::HashSet;

use super::{Context, client_versions, describe_client_version};
use crate::component::{Component, Ecosystem, pypi_normalize};
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::rule::RuleKind;
use crate::version::VersionError;

pub(super) fn lint(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut flagged = vec![false; cx.components.len()];
    for inst in &cx.instances {
        // an assumed version replaces the declared one: nothing is read from the file
        if inst.assumed.is_some() {
            continue;
        }
        if let Err(VersionError::Invalid(why)) = &inst.versions
            && !flagged[inst.index]
        {
            flagged[inst.index] = true;
            let version = inst.component.version.as_deref().unwrap_or_default();
            out.push(finding(
                inst.component,
                format!(
                    "{} version `{version}` cannot be read: {why}; no rule about {} is checked against it",
                    inst.product.name, inst.product.name
                ),
            ));
        }
    }
    // one pass over the components, each looked up in the names the rules mention:
    // (ecosystem, name as the ecosystem compares it), and Go modules a `ClientRef` names
    // with their major suffix (`/v8`) left out
    let mut named: HashSet<(Ecosystem, String)> = HashSet::new();
    let mut go_majors: HashSet<String> = HashSet::new();
    for rule in &cx.rules.rules {
        if cx.instances_of(&rule.product).next().is_none() {
            continue;
        }
        match &rule.kind {
            RuleKind::ClientRequires { clients, .. } => {
                named.extend(clients.iter().map(|r| key(r.ecosystem, &r.name)));
            }
            RuleKind::SameMajor { clients } | RuleKind::Skew { clients, .. } => {
                for r in clients {
                    named.insert(key(r.ecosystem, &r.name));
                    if r.ecosystem == Ecosystem::Go {
                        go_majors.insert(r.name.clone());
                    }
                }
            }
            RuleKind::RuntimeRange { packages, .. } => {
                named.extend(packages.iter().map(|p| key(p.ecosystem, &p.name)));
            }
            RuleKind::RemovedApi { .. }
            | RuleKind::Eol { .. }
            | RuleKind::RemovedSetting { .. }
            | RuleKind::RemovedValue { .. } => {}
        }
    }
    if named.is_empty() {
        return;
    }
    // the components the name index may hold under those names (a superset, tested
    // exactly below), ascending as a pass over every component would meet them
    let candidates = cx.candidates(
        named
            .iter()
            .map(|(e, n)| (*e, n.as_str()))
            .chain(go_majors.iter().map(|n| (Ecosystem::Go, n.as_str()))),
    );
    for ci in candidates {
        let c = cx.components[ci];
        if flagged[ci] {
            continue;
        }
        let is_named = named.contains(&key(c.ecosystem, &c.name))
            || (c.ecosystem == Ecosystem::Go
                && go_module_base(&c.name).is_some_and(|base| go_majors.contains(base)));
        if !is_named {
            continue;
        }
        if let Err(VersionError::Invalid(why)) = client_versions(c) {
            flagged[ci] = true;
            out.push(finding(
                c,
                format!(
                    "{} package `{}` {} cannot be read: {why}; rules about `{}` are not checked for it",
                    c.ecosystem,
                    c.name,
                    describe_client_version(c),
                    c.name
                ),
            ));
        }
    }
}

/// A name as its ecosystem compares names ([`Ecosystem::same_name`]).
fn key(ecosystem: Ecosystem, name: &str) -> (Ecosystem, String) {
    let name = match ecosystem {
        Ecosystem::PyPI => pypi_normalize(name),
        Ecosystem::NuGet | Ecosystem::Composer | Ecosystem::Runtime | Ecosystem::Managed => {
            name.to_ascii_lowercase()
        }
        _ => name.to_string(),
    };
    (ecosystem, name)
}

/// `github.com/x/y/v8` -> `github.com/x/y` (a Go module path with its major suffix).
fn go_module_base(name: &str) -> Option<&str> {
    let (base, major) = name.rsplit_once("/v")?;
    (!major.is_empty() && major.bytes().all(|b| b.is_ascii_digit())).then_some(base)
}

fn finding(c: &Component, message: String) -> Finding {
    let code = Code::InvalidVersion;
    Finding {
        rule_id: code.to_string(),
        severity: code.severity(),
        message,
        primary: Label::new(c.span, "not a valid version here"),
        related: Vec::new(),
        fix: Some(format!(
            "write a version or range of `{}` that {} tools accept",
            c.name, c.ecosystem
        )),
        sources: Vec::new(),
        subject: Subject {
            ecosystem: Some(c.ecosystem),
            name: c.name.clone(),
            version: c.effective_version().map(str::to_string),
            counterpart: None,
        },
        components: vec![c.id],
    }
}
