//! `invalid-version`: a version or range that its ecosystem rejects, on a component some
//! rule would check. Without it the rule says nothing, and silence reads as "compatible".
//!
//! Only versions that are *invalid* count: ones that say nothing about the version
//! (`latest`, `workspace:*`, `*`, git/file/URL specifiers, no version at all) are
//! unknown, not wrong, and are never flagged. Only components a rule looks at count: the
//! instances of known products (servers, runtimes), and clients a rule names while the
//! repository runs that rule's product. A package no rule is about is not skew's
//! business, however it is written. Must not: guess what was meant.

use super::{Context, client_versions, describe_client_version, is_named};
use crate::component::Component;
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
    for rule in &cx.rules.rules {
        if cx.instances_of(&rule.product).next().is_none() {
            continue;
        }
        let named: Box<dyn Fn(&Component) -> bool + '_> = match &rule.kind {
            RuleKind::ClientRequires { clients, .. } => Box::new(move |c: &Component| {
                clients.iter().any(|r| is_named(c, r.ecosystem, &r.name))
            }),
            RuleKind::SameMajor { clients } | RuleKind::Skew { clients, .. } => {
                Box::new(move |c: &Component| clients.iter().any(|r| r.matches(c)))
            }
            RuleKind::RuntimeRange { packages, .. } => Box::new(move |c: &Component| {
                packages.iter().any(|p| is_named(c, p.ecosystem, &p.name))
            }),
            RuleKind::RemovedApi { .. } | RuleKind::Eol { .. } => continue,
        };
        for (ci, c) in cx.components.iter().enumerate() {
            if flagged[ci] || !named(c) {
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
    }
}
