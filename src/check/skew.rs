//! `skew`: a client must be within `max_skew` minor versions of the server, in either
//! direction (kubectl and client-go against the Kubernetes API server: ±1), or, with
//! `max_newer`, within `max_skew` older and `max_newer` newer (a kubelet: up to three
//! minors older than the API server, never newer). A client grouped with one of the
//! servers in its own folder (a Terraform node group naming its cluster) is compared
//! with that server only.
//!
//! Both sides must pin one minor: `kubectl 1.28.4` and a cluster `1.29` compare, a
//! client range spanning minors (`^0.28.0` only pins 0.28 if it stays below 0.29) is
//! skipped rather than guessed. The server comes from the product's instances (a managed
//! cluster in Terraform) or, failing those, from `--assume PRODUCT=VERSION`; with
//! neither, nothing is said. A client whose versions count in another major (client-go
//! v0.X is Kubernetes 1.X) names it with `major`, which applies to its 0.x versions only. Must not: compare across majors.

use super::{
    Context, Evaluation, Instance, Outcome, client_finding, client_versions,
    describe_client_version, server_label, single_minor,
};
use crate::diagnostic::Finding;
use crate::rule::{ClientRef, Rule, RuleKind};
use crate::version::Scheme;

/// A server the clients are compared with.
struct Target<'i, 'a> {
    /// The instance, or `None` for an assumed version.
    inst: Option<&'i Instance<'a>>,
    describe: String,
    major: u64,
    minor: u64,
    /// The server's versions are a floor (GKE's `min_master_version`: that minor or any
    /// later one): only a client older than the floor by more than the skew is certain
    /// to be out of it, and nothing else is said.
    floor: bool,
}

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    max_skew: u64,
    clients: &[ClientRef],
    out: &mut Vec<Evaluation>,
) {
    let mut targets: Vec<Target<'_, '_>> = cx
        .known_instances_of(&rule.product)
        .filter_map(|(inst, versions)| {
            let (major, minor, floor) = match single_minor(versions, Scheme::Dotted) {
                Some((major, minor)) => (major, minor, false),
                None => {
                    let (major, minor) = floor_minor(versions)?;
                    (major, minor, true)
                }
            };
            Some(Target {
                inst: Some(inst),
                describe: inst.describe(),
                major,
                minor,
                floor,
            })
        })
        .collect();
    if targets.is_empty()
        && let Some((describe, set)) = cx.assumed_server(&rule.product)
        && let Some((major, minor)) = single_minor(&set, Scheme::Dotted)
    {
        targets.push(Target {
            inst: None,
            describe,
            major,
            minor,
            floor: false,
        });
    }
    let max_newer = match &rule.kind {
        RuleKind::Skew {
            max_newer: Some(n), ..
        } => *n,
        _ => max_skew,
    };
    let supported = if max_newer == max_skew {
        format!("±{max_skew}")
    } else if max_newer == 0 {
        format!("up to {max_skew} older, never newer")
    } else {
        format!("up to {max_skew} older, {max_newer} newer")
    };
    let candidates = cx.candidates(clients.iter().map(|r| (r.ecosystem, r.name.as_str())));
    // each server is paired only with the clients that may reach it (the topology's
    // index); an assumed server (no instance) with every client
    let reach = cx.reach_index(&candidates);
    for t in &targets {
        let near = match t.inst {
            Some(inst) => reach.of(cx, inst.index),
            None => (0..candidates.len()).collect(),
        };
        for ci in near.into_iter().map(|pos| candidates[pos]) {
            let c = &cx.components[ci];
            let Some(client) = clients.iter().find(|r| r.matches(c)) else {
                continue;
            };
            // a client grouped with one server in its own folder (a node group that
            // references its cluster; a Terraform module is one folder) is compared
            // with that server only
            let folder = |f| {
                let path = cx.sources.get(f).path;
                path.rsplit_once('/').map_or("", |(dir, _)| dir)
            };
            let bound = |t: &Target<'_, '_>| {
                t.inst.is_some_and(|i| {
                    c.group.is_some()
                        && i.component.group == c.group
                        && folder(i.component.span.file) == folder(c.span.file)
                })
            };
            if !bound(t) && targets.iter().any(bound) {
                continue;
            }
            let Some((own_major, minor)) = client_versions(c)
                .ok()
                .and_then(|set| single_minor(&set, Scheme::of(c.ecosystem)))
            else {
                continue;
            };
            // client-go v0.X is Kubernetes 1.X; its pre-0.17 tags (v11.0.0…) are not
            let major = match client.as_major {
                Some(m) if own_major == 0 => m,
                _ => own_major,
            };
            if major != t.major {
                continue;
            }
            let distance = minor.abs_diff(t.minor);
            // against a floor, a newer client or one within the skew may meet the
            // cluster it runs today: not judged
            if t.floor && (minor >= t.minor || distance <= max_skew) {
                continue;
            }
            let at_least = if t.floor { "at least " } else { "" };
            let their = if t.floor { "lowest minor" } else { "minor" };
            let allowed = if minor > t.minor { max_newer } else { max_skew };
            let outcome = if distance > allowed {
                Outcome::Breaks
            } else {
                Outcome::Ok
            };
            let server = t.inst.map(|i| i.index).unwrap_or(ci);
            out.push(Evaluation::new(ci, server, rule_index, outcome, || {
                let version = describe_client_version(c);
                let direction = if minor < t.minor { "older" } else { "newer" };
                let plural = if distance == 1 { "" } else { "s" };
                let message = format!(
                    "`{}` {version} is {at_least}{distance} minor version{plural} {direction} than {} (supported skew: {supported}); {}",
                    c.name, t.describe, rule.summary
                );
                let fix = client.fix.clone().or_else(|| {
                    Some(if max_newer == max_skew {
                        format!(
                            "move `{}` to within {max_skew} minor version{} of {}.{} (the server's {their})",
                            c.name,
                            if max_skew == 1 { "" } else { "s" },
                            t.major,
                            t.minor
                        )
                    } else {
                        format!(
                            "move `{}` to {}.{} (the server's {their}) or at most {max_skew} minor version{} older{}",
                            c.name,
                            t.major,
                            t.minor,
                            if max_skew == 1 { "" } else { "s" },
                            match max_newer {
                                0 => String::new(),
                                n => format!(" or {n} newer"),
                            }
                        )
                    })
                });
                Finding {
                    related: t.inst.map(server_label).into_iter().collect(),
                    fix,
                    ..client_finding(
                        rule,
                        c,
                        outcome,
                        message,
                        t.describe.clone(),
                        Some(&client.source),
                    )
                }
            }));
        }
    }
}

/// The major and minor of a floor: a set of one version and every later one
/// (`>=1.27.3-gke.100`).
fn floor_minor(set: &crate::version::VersionSet) -> Option<(u64, u64)> {
    if set.intervals().len() != 1 || !set.above_all().is_empty() {
        return None;
    }
    let parts = set.min_version()?.release();
    Some((*parts.first()?, parts.get(1).copied().unwrap_or(0)))
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
id = "k8s-client-skew"
kind = "skew"
severity = "warning"
summary = "outside the supported version skew"
why = "policy"
sources = ["https://example.test/skew"]
max_skew = 1

[[rule.clients]]
ecosystem = "go"
name = "k8s.io/client-go"
major = 1
source = "https://example.test/client-go"

[[rule.clients]]
ecosystem = "runtime"
name = "kubectl"
source = "https://example.test/kubectl"
"#;

    fn cluster(v: &str) -> crate::component::Component {
        component(ComponentKind::Server, Ecosystem::Managed, "kubernetes", v)
    }

    #[test]
    fn minors_within_one() {
        let comps = vec![
            cluster("1.29"),
            component(
                ComponentKind::Package,
                Ecosystem::Go,
                "k8s.io/client-go",
                "v0.26.3",
            ),
            component(
                ComponentKind::Package,
                Ecosystem::Go,
                "k8s.io/client-go",
                "v0.30.1",
            ),
            // a tag from before the v0.X scheme: not comparable, skipped
            component(
                ComponentKind::Package,
                Ecosystem::Go,
                "k8s.io/client-go",
                "v11.0.0",
            ),
            component(ComponentKind::Tool, Ecosystem::Runtime, "kubectl", "1.28.4"),
            component(ComponentKind::Tool, Ecosystem::Runtime, "kubectl", "1.31.0"),
        ];
        insta::assert_snapshot!(eval_in(RULE, &["infra/eks.tf"], &comps, &[], "2026-01-01"));
    }

    #[test]
    fn a_floor_only_says_what_every_later_cluster_says() {
        // GKE's `min_master_version = "1.27.3-gke.100"`: 1.27 or any later minor
        let comps = vec![
            cluster(">=1.27.3-gke.100"),
            // more than one minor below the floor: out of skew whatever GKE runs
            component(
                ComponentKind::Tool,
                Ecosystem::Runtime,
                "kubectl",
                "1.25.16",
            ),
            // within one minor of the floor, or newer: may meet the cluster, not judged
            component(
                ComponentKind::Tool,
                Ecosystem::Runtime,
                "kubectl",
                "1.26.15",
            ),
            component(ComponentKind::Tool, Ecosystem::Runtime, "kubectl", "1.30.2"),
        ];
        let out = eval_in(RULE, &["infra/gke.tf"], &comps, &[], "2026-01-01");
        assert!(
            out.contains("`kubectl` `1.25.16` is at least 2 minor versions older"),
            "{out}"
        );
        assert!(!out.contains("1.26.15") && !out.contains("1.30.2"), "{out}");
        assert!(out.contains("(the server's lowest minor)"), "{out}");
    }

    const KUBELET: &str = r#"
[product]
id = "kubernetes"
name = "Kubernetes"
managed = ["kubernetes"]

[[rule]]
id = "kubelet-skew"
kind = "skew"
severity = "error"
summary = "kubelet outside the supported skew"
why = "policy"
sources = ["https://example.test/skew"]
max_skew = 3
max_newer = 0

[[rule.clients]]
ecosystem = "runtime"
name = "kubelet"
source = "https://example.test/kubelet"
"#;

    #[test]
    fn older_and_newer_bounds_differ() {
        let kubelet = |v| component(ComponentKind::Runtime, Ecosystem::Runtime, "kubelet", v);
        let comps = vec![
            cluster("1.33"),
            kubelet("1.30"), // three older: supported
            kubelet("1.29"), // four older
            kubelet("1.33"),
            kubelet("1.34"), // newer than the API server
        ];
        insta::assert_snapshot!(eval_in(
            KUBELET,
            &["infra/eks.tf"],
            &comps,
            &[],
            "2026-01-01"
        ));
    }

    #[test]
    fn a_node_group_is_compared_with_its_own_cluster() {
        let kubelet = |v| component(ComponentKind::Runtime, Ecosystem::Runtime, "kubelet", v);
        let comps = vec![
            cluster("1.33").group("aws_eks_cluster.prod"),
            cluster("1.27").group("aws_eks_cluster.legacy"),
            // references `aws_eks_cluster.prod`: compared with 1.33 only
            kubelet("1.33").group("aws_eks_cluster.prod"),
            // grouped with no server: compared with both (newer than 1.27)
            kubelet("1.30").group("aws_eks_node_group.loose"),
        ];
        insta::assert_snapshot!(eval_in(
            KUBELET,
            &["infra/eks.tf"],
            &comps,
            &[],
            "2026-01-01"
        ));
    }

    #[test]
    fn assumed_cluster_version_when_none_declared() {
        let comps = vec![component(
            ComponentKind::Package,
            Ecosystem::Go,
            "k8s.io/client-go",
            "v0.25.0",
        )];
        assert_eq!(eval_in(RULE, &["go.mod"], &comps, &[], "2026-01-01"), "");
        insta::assert_snapshot!(eval_in(
            RULE,
            &["go.mod"],
            &comps,
            &[("kubernetes", "1.30")],
            "2026-01-01"
        ));
    }
}
