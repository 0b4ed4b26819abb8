//! `removed-api`: a manifest uses an `apiVersion` + `kind` that the cluster no longer
//! serves (`extensions/v1beta1` Ingress is gone from Kubernetes 1.22 on).
//!
//! Resources are `resource` components in ecosystem `kubernetes` named
//! `<apiVersion>/<kind>` (`networking.k8s.io/v1beta1/Ingress`). The cluster version comes
//! from the product's instances (a managed cluster in Terraform) or `--assume`; when the
//! repository declares none, the finding is still made, as a warning that names the
//! removal version, because every cluster from that version on rejects the manifest.
//! Must not: flag deprecations that still serve (only removals are facts that break).

use super::{Context, Evaluation, Outcome, server_label, severity_for, sources_with};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::{Finding, Label, Subject};
use crate::rule::{RemovedApi, Rule};
use crate::version::{Verdict, verdict};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    apis: &[RemovedApi],
    out: &mut Vec<Evaluation>,
) {
    let product_name = cx.product_name(&rule.product);
    let clusters: Vec<_> = cx.known_instances_of(&rule.product).collect();
    let assumed = cx.assumed_server(&rule.product);
    for (ci, c) in cx.components.iter().enumerate() {
        if c.ecosystem != Ecosystem::Kubernetes || c.kind != ComponentKind::Resource {
            continue;
        }
        let Some((api_version, kind)) = c.name.rsplit_once('/') else {
            continue;
        };
        let Some(api) = apis
            .iter()
            .find(|a| a.api_version == api_version && a.kind == kind)
        else {
            continue;
        };
        let removed = format!("{product_name} {}", api.removed_text);
        if !clusters.is_empty() {
            for (inst, _) in &clusters {
                let Some(removed_verdict) = inst.verdict(&api.removed) else {
                    continue;
                };
                let outcome = outcome(removed_verdict);
                out.push(Evaluation::new(ci, inst.index, rule_index, outcome, || {
                    // a cluster admitting versions on both sides (GKE's floor
                    // `>=1.27.3-gke.100`) rejects it only once it runs the removal
                    let counterpart = match outcome {
                        Outcome::MayBreak => format!(
                            "{} once it runs {} or later",
                            inst.describe(),
                            api.removed_text
                        ),
                        _ => inst.describe(),
                    };
                    let mut f = finding(rule, api, c, outcome, &removed, &counterpart);
                    f.related.push(server_label(inst));
                    f
                }));
            }
            continue;
        }
        let (outcome, counterpart) = match &assumed {
            Some((describe, set)) => (outcome(verdict(set, &api.removed)), describe.clone()),
            // no cluster declared: it fails on every cluster from the removal on
            None => (
                Outcome::MayBreak,
                "any cluster from that version on (no cluster version is declared in the repository; `--assume` names one)".to_string(),
            ),
        };
        out.push(Evaluation::new(ci, ci, rule_index, outcome, || {
            finding(rule, api, c, outcome, &removed, &counterpart)
        }));
    }
}

/// The cluster's verdict against the versions that removed the API.
fn outcome(removed: Verdict) -> Outcome {
    match removed {
        Verdict::Always => Outcome::Breaks,
        Verdict::May { .. } => Outcome::MayBreak,
        Verdict::Never => Outcome::Ok,
    }
}

fn finding(
    rule: &Rule,
    api: &RemovedApi,
    c: &Component,
    outcome: Outcome,
    removed: &str,
    counterpart: &str,
) -> Finding {
    let fix = match &api.replacement {
        Some(r) => format!(
            "change `apiVersion: {}` to `apiVersion: {r}` for this {} (check the fields that changed with it)",
            api.api_version, api.kind
        ),
        None => format!(
            "{} `{}` has no replacement API: remove the object or replace the mechanism",
            api.kind, api.api_version
        ),
    };
    Finding {
        rule_id: rule.id.clone(),
        severity: severity_for(rule, outcome),
        message: format!(
            "{} `{}` was removed in {removed}: rejected by {counterpart}",
            api.kind, api.api_version
        ),
        primary: Label::new(
            c.span,
            format!("`{}` {} is declared here", api.api_version, api.kind),
        ),
        related: Vec::new(),
        fix: Some(
            rule.fix
                .clone()
                .map_or(fix.clone(), |f| format!("{fix}; {f}")),
        ),
        sources: sources_with(rule, Some(&api.source)),
        subject: Subject {
            ecosystem: Some(c.ecosystem),
            name: c.name.clone(),
            version: None,
            counterpart: Some(counterpart.to_string()),
        },
        components: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{component, eval_in};
    use crate::component::{ComponentKind, Ecosystem};

    const RULE: &str = r#"
[product]
id = "kubernetes"
name = "Kubernetes"
managed = ["kubernetes"]

[[rule]]
id = "k8s-removed-api"
kind = "removed-api"
severity = "error"
summary = "API removed"
why = "removed"
sources = ["https://example.test/map"]

[[rule.apis]]
api_version = "extensions/v1beta1"
kind = "Ingress"
removed = "1.22"
replacement = "networking.k8s.io/v1"
source = "https://example.test/map"

[[rule.apis]]
api_version = "policy/v1beta1"
kind = "PodSecurityPolicy"
removed = "1.25"
source = "https://example.test/map"
"#;

    fn resource(name: &str) -> crate::component::Component {
        component(ComponentKind::Resource, Ecosystem::Kubernetes, name, "")
    }

    #[test]
    fn against_declared_cluster() {
        let comps = vec![
            component(
                ComponentKind::Server,
                Ecosystem::Managed,
                "kubernetes",
                "1.23",
            ),
            resource("extensions/v1beta1/Ingress"),
            resource("policy/v1beta1/PodSecurityPolicy"),
            resource("networking.k8s.io/v1/Ingress"),
        ];
        insta::assert_snapshot!(eval_in(RULE, &["k8s/app.yaml"], &comps, &[], "2026-01-01"));
    }

    #[test]
    fn without_cluster_version() {
        let comps = vec![resource("extensions/v1beta1/Ingress")];
        insta::assert_snapshot!(eval_in(RULE, &["k8s/app.yaml"], &comps, &[], "2026-01-01"));
        assert_eq!(
            eval_in(
                RULE,
                &["k8s/app.yaml"],
                &comps,
                &[("kubernetes", "1.21")],
                "2026-01-01"
            ),
            "0 ok"
        );
    }
}
